package mockapi

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"time"
)

// SendKind says how a message was sent.
type SendKind string

// Send kinds.
const (
	KindSingle    SendKind = "single"    // POST /messages
	KindBroadcast SendKind = "broadcast" // one destination of POST /messages/broadcast
	KindReply     SendKind = "reply"     // an MO message made by SimulateReply
)

// Send is one message the mock accepted from POST /messages or POST /messages/broadcast (one
// per destination).
type Send struct {
	ID          string   `json:"id"`
	Kind        SendKind `json:"kind"`
	Account     string   `json:"account"`
	Source      string   `json:"source"`
	Destination string   `json:"destination"`
	// Type is the request's type: text, template, media or raw.
	Type      string `json:"type"`
	Reference string `json:"reference,omitempty"`
	// Scheduled is the request's scheduled time, or zero.
	Scheduled time.Time `json:"scheduled,omitzero"`
	// Status is the status at acceptance: accepted, or failed for a broadcast entry to a number
	// that cannot be delivered to (those entries never count as duplicates).
	Status string `json:"status"`
	// Time is the mock time of acceptance.
	Time time.Time `json:"time"`
	// DuplicateOf is the id of the earlier accepted send with the same account, source,
	// destination, type, content, schedule and reference, or "".
	DuplicateOf string `json:"duplicate_of,omitempty"`
	// Body is the request body as received. Entries of one broadcast share it: do not modify.
	Body json.RawMessage `json:"body,omitempty"`
}

// Duplicate is an accepted send equal to an earlier one (see Send.DuplicateOf).
type Duplicate struct {
	ID          string    `json:"id"`
	OriginalID  string    `json:"original_id"`
	Kind        SendKind  `json:"kind"`
	Account     string    `json:"account"`
	Source      string    `json:"source"`
	Destination string    `json:"destination"`
	Type        string    `json:"type"`
	Time        time.Time `json:"time"`
}

// Attributes are the attributes of MessageDetails.
type Attributes struct {
	Header  string         `json:"header,omitempty"`
	Media   *MediaRef      `json:"media,omitempty"`
	Body    string         `json:"body,omitempty"`
	Footer  string         `json:"footer,omitempty"`
	Buttons []ButtonDetail `json:"buttons,omitempty"`
}

// MediaRef is the media of MessageDetails attributes.
type MediaRef struct {
	ID   string `json:"id,omitempty"`
	Type string `json:"type,omitempty"`
}

// ButtonDetail is a button of MessageDetails attributes.
type ButtonDetail struct {
	Text string `json:"text"`
}

// MessageDetails is the body of GET /messages.
type MessageDetails struct {
	ID         string     `json:"id"`
	Status     string     `json:"status"`
	Timestamp  int64      `json:"timestamp"`
	Direction  string     `json:"direction"`
	Type       string     `json:"type"`
	Attributes Attributes `json:"attributes"`
}

// Message is everything the mock knows about a message, at the current mock time.
type Message struct {
	ID        string   `json:"id"`
	Kind      SendKind `json:"kind"`
	Account   string   `json:"account"`
	Direction string   `json:"direction"`
	// Source is who sent the message and Destination who it went to: for a send, the business
	// number id and the customer's number; for an MO reply, as in its ReplyCallback, the customer
	// who sent it and the business number it was sent to.
	Source      string    `json:"source"`
	Destination string    `json:"destination"`
	Reference   string    `json:"reference,omitempty"`
	AcceptedAt  time.Time `json:"accepted_at"`
	Scheduled   time.Time `json:"scheduled,omitzero"`
	// Status and Timestamp are the current status and when it was reached.
	Status    string    `json:"status"`
	Timestamp time.Time `json:"timestamp"`
	// History lists the status changes reached so far; Upcoming those still ahead.
	History  []StatusChange `json:"history"`
	Upcoming []StatusChange `json:"upcoming,omitempty"`
	// Details is what GET /messages returns now.
	Details MessageDetails `json:"details"`
	// Body is the request body (sends) or the reply callback (replies).
	Body json.RawMessage `json:"body,omitempty"`
	// FailureReason says why a template send fails (see Options.Templates).
	FailureReason string `json:"failure_reason,omitempty"`
}

// Message directions.
const (
	DirectionMT = "MT" // sent through the API
	DirectionMO = "MO" // a customer's reply
)

// message is the stored record of a message. Its status is derived from the clock.
type message struct {
	id          string
	kind        SendKind
	account     string
	direction   string
	source      string
	destination string
	reference   string
	detailType  string
	attrs       Attributes
	acceptedAt  time.Time
	scheduled   time.Time
	startAt     time.Time // scheduled, or acceptedAt
	readAt      time.Time // set by PATCH /messages
	fate        fate
	body        json.RawMessage
	reason      string // why it fails, for a template send that does not fit

	// notified is how many steps of the timeline were reported to the status callback URL
	// (the first, acceptance, never is); dueAt is when the next one falls due (zero: none queued).
	notified int
	dueAt    time.Time
}

func (m *message) details(now time.Time) MessageDetails {
	st := m.statusAt(now)
	return MessageDetails{
		ID:         m.id,
		Status:     st.Status,
		Timestamp:  st.At.Unix(),
		Direction:  m.direction,
		Type:       m.detailType,
		Attributes: m.attrs,
	}
}

func (m *message) view(now time.Time) Message {
	steps := m.timeline()
	split := len(steps)
	for i, s := range steps {
		if s.At.After(now) {
			split = i
			break
		}
	}
	cur := steps[split-1]
	return Message{
		ID:          m.id,
		Kind:        m.kind,
		Account:     m.account,
		Direction:   m.direction,
		Source:      m.source,
		Destination: m.destination,
		Reference:   m.reference,
		AcceptedAt:  m.acceptedAt,
		Scheduled:   m.scheduled,
		Status:      cur.Status,
		Timestamp:   cur.At,
		History:     slices.Clip(steps[:split]),
		Upcoming:    steps[split:],
		Details:     m.details(now),
		Body:        m.body,

		FailureReason: m.reason,
	}
}

// sourceKey identifies a registered source: sources belong to an account.
type sourceKey struct {
	account string
	source  string
}

// SourceInfo describes a source registered with POST /source (the PIN is never shown).
type SourceInfo struct {
	Account      string    `json:"account"`
	Source       string    `json:"source"`
	WABAID       string    `json:"waba_id"`
	PINSet       bool      `json:"pin_set"`
	RegisteredAt time.Time `json:"registered_at"`
	// Registrations counts POST /source calls for it (registering again updates it).
	Registrations int `json:"registrations"`
}

// store is the mock's state. Every field is guarded by Server.mu.
type store struct {
	sources    map[sourceKey]*SourceInfo
	messages   map[string]*message
	sends      []Send
	dupIndex   map[[sha256.Size]byte]string // duplicate key → first send id
	duplicates []Duplicate
	media      map[string]*mediaObject
	due        dueQueue // messages with status callbacks still to send
}

func newStore() *store {
	return &store{
		sources:  make(map[sourceKey]*SourceInfo),
		messages: make(map[string]*message),
		dupIndex: make(map[[sha256.Size]byte]string),
		media:    make(map[string]*mediaObject),
	}
}

// duplicateKey hashes what makes two sends the same message: account, source, destination,
// type, canonical content, scheduled time (UTC) and reference.
func duplicateKey(account, source, destination, typ string, canonical []byte, scheduled time.Time, reference string) [sha256.Size]byte {
	h := sha256.New()
	sched := ""
	if !scheduled.IsZero() {
		sched = scheduled.UTC().Format(time.RFC3339Nano)
	}
	for _, part := range []string{account, source, destination, typ, sched, reference} {
		_, _ = h.Write([]byte(part))
		_, _ = h.Write([]byte{0})
	}
	_, _ = h.Write(canonical)
	var key [sha256.Size]byte
	h.Sum(key[:0])
	return key
}

// newUUID returns a random (version 4) UUID.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var out [36]byte
	hex.Encode(out[0:8], b[0:4])
	out[8] = '-'
	hex.Encode(out[9:13], b[4:6])
	out[13] = '-'
	hex.Encode(out[14:18], b[6:8])
	out[18] = '-'
	hex.Encode(out[19:23], b[8:10])
	out[23] = '-'
	hex.Encode(out[24:], b[10:])
	return string(out[:])
}

// newMediaID returns an opaque media id.
func newMediaID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
