package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"time"
)

// MessageStatus is the delivery status of a message.
type MessageStatus string

// The message statuses of the reference. A message normally goes accepted → submitted → sent →
// received → read; frozen means held; rejected, failed, dead and expired are failures.
const (
	StatusAccepted  MessageStatus = "accepted"
	StatusSubmitted MessageStatus = "submitted"
	StatusSent      MessageStatus = "sent"
	StatusReceived  MessageStatus = "received"
	StatusRead      MessageStatus = "read"
	StatusFrozen    MessageStatus = "frozen"
	StatusRejected  MessageStatus = "rejected"
	StatusFailed    MessageStatus = "failed"
	StatusDead      MessageStatus = "dead"
	StatusExpired   MessageStatus = "expired"
)

// MessageStatusValues lists every MessageStatus, the delivery path first.
func MessageStatusValues() []MessageStatus {
	return []MessageStatus{
		StatusAccepted, StatusSubmitted, StatusSent, StatusReceived, StatusRead,
		StatusFrozen, StatusRejected, StatusFailed, StatusDead, StatusExpired,
	}
}

// Values lists every MessageStatus as strings, for validators.
func (MessageStatus) Values() []string { return stringsOf(MessageStatusValues()) }

// IsFailure reports whether the status is a final failure: rejected, failed, dead or expired.
func (s MessageStatus) IsFailure() bool {
	switch s {
	case StatusRejected, StatusFailed, StatusDead, StatusExpired:
		return true
	}
	return false
}

// IsTerminal reports whether the status will not change any more: read, or a failure.
func (s MessageStatus) IsTerminal() bool { return s == StatusRead || s.IsFailure() }

// Order is the rank of a status on the delivery path: accepted 1, submitted 2, sent 3,
// received 4, read 5. Frozen ranks with accepted (held before submission); failures and unknown
// statuses rank 0, as they never reach any point of the path.
func (s MessageStatus) Order() int {
	switch s {
	case StatusAccepted, StatusFrozen:
		return 1
	case StatusSubmitted:
		return 2
	case StatusSent:
		return 3
	case StatusReceived:
		return 4
	case StatusRead:
		return 5
	}
	return 0
}

// Reached reports whether a message in status s has reached at least target on the delivery
// path, such as "sent" for a message already "read". A failure reaches only itself.
func (s MessageStatus) Reached(target MessageStatus) bool {
	if s == target {
		return true
	}
	return s.Order() > 0 && target.Order() > 0 && s.Order() >= target.Order()
}

// Direction says whether a message was sent through the API (MT) or is a reply (MO).
type Direction string

// The directions of MessageDetails.
const (
	DirectionMT Direction = "MT"
	DirectionMO Direction = "MO"
)

// DirectionValues lists every Direction.
func DirectionValues() []Direction { return []Direction{DirectionMT, DirectionMO} }

// Values lists every Direction as strings, for validators.
func (Direction) Values() []string { return stringsOf(DirectionValues()) }

// Message is one message to send with SendMessage.
type Message struct {
	// To is the destination, an E.164 number.
	To string
	// Source is the sending WhatsApp Business phone number id.
	Source string
	// Scheduled, when set, delays the message (in the future, at most 60 days ahead).
	Scheduled *time.Time
	// Reference is an optional reference of the caller's, echoed in status callbacks.
	Reference string
	// Content is what is sent.
	Content Content
}

// SendResult is the answer to SendMessage.
type SendResult struct {
	// MessageID is the id of the new message (a UUID).
	MessageID string
	// Status is the message's status, "accepted".
	Status string
}

// wireMessage is the JSON body of POST /messages and POST /messages/broadcast.
type wireMessage struct {
	To          string   `json:"to,omitempty"`
	Destination []string `json:"destination,omitempty"`
	Source      string   `json:"source"`
	wireContent
	Scheduled string `json:"scheduled,omitempty"`
	Reference string `json:"reference,omitempty"`
}

// newWireMessage checks the parts common to a message and a broadcast and encodes them.
func newWireMessage(p *problems, source string, scheduled *time.Time, reference string, content Content) wireMessage {
	p.checkSource(source)
	content.check(p)
	w := wireMessage{Source: source, wireContent: content.wire(), Reference: reference}
	if scheduled != nil {
		if scheduled.IsZero() {
			p.add("scheduled", CodeInvalidFormat, "the schedule time is not set")
		}
		w.Scheduled = scheduled.UTC().Format(time.RFC3339)
	}
	return w
}

// SendMessage sends one message: POST /messages. It is retried only when the service
// certainly did not process it (429, or a failure before anything was written); any other
// failure after the request was written is an *AmbiguousSendError, never retried.
func (c *Client) SendMessage(ctx context.Context, m Message) (SendResult, error) {
	const op = "POST /messages"
	var p problems
	p.checkE164("to", m.To)
	w := newWireMessage(&p, m.Source, m.Scheduled, m.Reference, m.Content)
	w.To = m.To
	if err := p.err(op); err != nil {
		return SendResult{}, err
	}
	body, err := marshalBody(op, w)
	if err != nil {
		return SendResult{}, err
	}
	var res SendResult
	err = c.doJSON(ctx, &call{
		method:       http.MethodPost,
		path:         "/messages",
		send:         true,
		destinations: []string{m.To},
		jsonBody:     body,
		logFields:    map[string]any{"source": m.Source, "message_type": string(w.Type)},
	}, maxJSONBody, func(data []byte) (err error) {
		res, err = decodeSendResult(data)
		return err
	})
	return res, err
}

// decodeSendResult reads the answer of POST /messages: {"message_id", "status"}.
func decodeSendResult(data []byte) (SendResult, error) {
	var out struct {
		MessageID string `json:"message_id"`
		Status    string `json:"status"`
	}
	if err := json.Unmarshal(data, &out); err != nil {
		return SendResult{}, fmt.Errorf("invalid JSON: %w", err)
	}
	if out.MessageID == "" {
		return SendResult{}, errors.New(`the answer has no "message_id"`)
	}
	return SendResult{MessageID: out.MessageID, Status: out.Status}, nil
}

// MessageDetails is a message as GET /messages returns it.
type MessageDetails struct {
	// ID of the message.
	ID string
	// Status is a MessageStatus value.
	Status string
	// Timestamp is the Unix time in seconds of the latest status change.
	Timestamp int64
	// Direction is "MT" (sent through the API) or "MO" (a reply).
	Direction string
	// Type is text, template, or the media type (image, audio, video, document).
	Type string
	// Attributes are the message's content as the service reports it.
	Attributes MessageAttributes
}

// MessageAttributes is the content of a message as GET /messages reports it.
type MessageAttributes struct {
	// Header of a template message.
	Header string `json:"header"`
	// Body text.
	Body string `json:"body"`
	// Footer of a template message.
	Footer string `json:"footer"`
	// Media of a media message, if any.
	Media *AttributeMedia `json:"media"`
	// Buttons of a template message.
	Buttons []AttributeButton `json:"buttons"`
}

// AttributeMedia is the media of a message in MessageAttributes.
type AttributeMedia struct {
	// ID of the media.
	ID string `json:"id"`
	// Type of the media, such as "image".
	Type string `json:"type"`
}

// AttributeButton is a button of a message in MessageAttributes.
type AttributeButton struct {
	// Text of the button.
	Text string `json:"text"`
}

// Time returns Timestamp as a time.Time.
func (d MessageDetails) Time() time.Time { return time.Unix(d.Timestamp, 0).UTC() }

// GetMessage looks a message up by id: GET /messages?id=UUID. An unknown id is an error for
// which IsNotFound is true.
func (c *Client) GetMessage(ctx context.Context, id string) (MessageDetails, error) {
	const op = "GET /messages"
	if !ValidUUID(id) {
		return MessageDetails{}, (&problems{{Field: "id", Code: CodeInvalidFormat, Description: fmt.Sprintf("%q is not a message id (a UUID)", id)}}).err(op)
	}
	var d MessageDetails
	err := c.doJSON(ctx, &call{
		method:       http.MethodGet,
		path:         "/messages",
		query:        url.Values{"id": {id}},
		notFoundHint: "No message with this id is known to the account; check the id.",
	}, maxJSONBody, func(data []byte) (err error) {
		d, err = decodeMessageDetails(data)
		return err
	})
	return d, err
}

// decodeMessageDetails reads the answer of GET /messages. The timestamp is read leniently: an
// integer, or a number with an integral value in range; anything else is an error.
func decodeMessageDetails(data []byte) (MessageDetails, error) {
	var out struct {
		ID         string            `json:"id"`
		Status     string            `json:"status"`
		Timestamp  *json.Number      `json:"timestamp"`
		Direction  string            `json:"direction"`
		Type       string            `json:"type"`
		Attributes MessageAttributes `json:"attributes"`
	}
	if err := json.Unmarshal(data, &out); err != nil {
		return MessageDetails{}, fmt.Errorf("invalid JSON: %w", err)
	}
	if out.ID == "" {
		return MessageDetails{}, errors.New(`the answer has no message "id"`)
	}
	d := MessageDetails{ID: out.ID, Status: out.Status, Direction: out.Direction, Type: out.Type, Attributes: out.Attributes}
	if out.Timestamp != nil {
		ts, err := parseTimestamp(*out.Timestamp)
		if err != nil {
			return MessageDetails{}, err
		}
		d.Timestamp = ts
	}
	return d, nil
}

func parseTimestamp(n json.Number) (int64, error) {
	if i, err := n.Int64(); err == nil {
		return i, nil
	}
	f, err := n.Float64()
	if err != nil || f != math.Trunc(f) || f < math.MinInt64 || f >= math.MaxInt64 {
		return 0, fmt.Errorf("the timestamp %s is not a Unix time in seconds", n)
	}
	return int64(f), nil
}

// MarkRead marks messages as read: PATCH /messages with {"message_id": [...]}. Marking read
// twice is harmless, so the call is retried after transient failures. Unknown ids make the
// whole call fail with a 404 (IsNotFound) and change nothing. An empty list does nothing.
func (c *Client) MarkRead(ctx context.Context, ids []string) error {
	const op = "PATCH /messages"
	if len(ids) == 0 {
		return nil
	}
	var p problems
	for i, id := range ids {
		if !ValidUUID(id) {
			p = append(p, FieldError{Field: fmt.Sprintf("message_id[%d]", i), Code: CodeInvalidFormat, Description: fmt.Sprintf("%q is not a message id (a UUID)", id), Value: id})
		}
	}
	if err := p.err(op); err != nil {
		return err
	}
	body, err := marshalBody(op, struct {
		MessageID []string `json:"message_id"`
	}{ids})
	if err != nil {
		return err
	}
	return c.doJSON(ctx, &call{
		method:       http.MethodPatch,
		path:         "/messages",
		jsonBody:     body,
		notFoundHint: "Some of the message ids are not known to the account (nothing was changed); check the ids.",
		logFields:    map[string]any{"message_count": len(ids)},
	}, maxJSONBody, nil)
}
