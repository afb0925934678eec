package mockapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Reply is an inbound (MO) message from a customer, made by SimulateReply.
type Reply struct {
	// Account receives the reply; it may be empty when the mock has one account.
	Account string `json:"account,omitempty"`
	// From is the customer's E.164 number.
	From string `json:"from"`
	// To is the business number id (source) the customer wrote to.
	To string `json:"to"`
	// Text is a shorthand for Content{Type: "text", Text: &ReplyText{Body: Text}}.
	Text string `json:"text,omitempty"`
	// Content is the reply's content; it takes precedence over Text.
	Content *ReplyContent `json:"content,omitempty"`
}

var replyTypes = []string{"audio", "button", "document", "image", "sticker", "text", "video"}

// SimulateReply makes a customer's reply: it stores an MO message (readable with GET /messages,
// markable with PATCH /messages) and POSTs a ReplyCallback to the account's reply callback URL.
func (s *Server) SimulateReply(r Reply) (Message, error) {
	account, err := s.replyAccount(r.Account)
	if err != nil {
		return Message{}, err
	}
	if !e164Pattern.MatchString(r.From) {
		return Message{}, fmt.Errorf("from %q: %s", r.From, descE164)
	}
	if !sourcePattern.MatchString(r.To) {
		return Message{}, fmt.Errorf("to %q: %s", r.To, descSource)
	}
	content := ReplyContent{Type: "text", Text: &ReplyText{Body: r.Text}}
	if r.Content != nil {
		content = *r.Content
	}
	typ, attrs, err := replyDetails(content)
	if err != nil {
		return Message{}, err
	}

	id := newUUID()
	callback, err := json.Marshal(ReplyCallback{ID: id, Source: r.From, Destination: r.To, Content: content})
	if err != nil {
		return Message{}, fmt.Errorf("encode reply: %w", err)
	}
	now := s.clock.Now()
	m := &message{
		id: id, kind: KindReply, account: account, direction: DirectionMO,
		source: r.From, destination: r.To, detailType: typ, attrs: attrs,
		acceptedAt: now, startAt: now, fate: fateInbound, body: callback,
	}
	s.mu.Lock()
	s.st.messages[id] = m
	view := m.view(now)
	s.mu.Unlock()
	if url := s.opts.Accounts[account].ReplyCallbackURL; url != "" {
		s.callbacks.enqueue(callbackJob{url: url, body: callback, kind: "reply", key: id})
	}
	return view, nil
}

func (s *Server) replyAccount(name string) (string, error) {
	if name != "" {
		if _, ok := s.opts.Accounts[name]; !ok {
			return "", fmt.Errorf("unknown account %q", name)
		}
		return name, nil
	}
	if len(s.opts.Accounts) != 1 {
		return "", errors.New("account is required: the mock has several accounts")
	}
	for n := range s.opts.Accounts {
		name = n
	}
	return name, nil
}

// replyDetails derives the MessageDetails type and attributes of a reply.
func replyDetails(c ReplyContent) (string, Attributes, error) {
	if !slices.Contains(replyTypes, c.Type) {
		return "", Attributes{}, fmt.Errorf("content type %q: must be one of %s", c.Type, strings.Join(replyTypes, ", "))
	}
	media := map[string]*ReplyMedia{"audio": c.Audio, "document": c.Document, "image": c.Image, "sticker": c.Sticker, "video": c.Video}
	switch c.Type {
	case "text":
		if c.Text == nil || c.Text.Body == "" {
			return "", Attributes{}, errors.New("a text reply needs a non-empty text body")
		}
		return "text", Attributes{Body: c.Text.Body}, nil
	case "button":
		if c.Button == nil {
			return "", Attributes{}, errors.New("a button reply needs button")
		}
		return "text", Attributes{Body: c.Button.Text, Buttons: []ButtonDetail{{Text: c.Button.Text}}}, nil
	default:
		m := media[c.Type]
		if m == nil {
			return "", Attributes{}, fmt.Errorf("a %s reply needs %s", c.Type, c.Type)
		}
		if m.MimeType != "" && !slices.Contains(MediaMimeTypes, m.MimeType) {
			return "", Attributes{}, fmt.Errorf("%s.mime_type %q: must be one of %s", c.Type, m.MimeType, strings.Join(MediaMimeTypes, ", "))
		}
		typ := c.Type
		if typ == "sticker" {
			typ = "image"
		}
		return typ, Attributes{Body: m.Caption, Media: &MediaRef{ID: m.ID, Type: typ}}, nil
	}
}
