package mockapi

import (
	"encoding/json"
	"net/http"
	"testing"
)

func TestSimulateReply(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t, http.StatusOK)
	status := newReceiver(t, http.StatusOK)
	s := callbackMock(t, status.URL, rc.URL)
	m, err := s.SimulateReply(Reply{From: "+6421000001", To: testSource, Text: "yes please"})
	if err != nil {
		t.Fatal(err)
	}
	if m.Direction != DirectionMO || m.Kind != KindReply || m.Status != StatusReceived || m.Source != "+6421000001" || m.Destination != testSource {
		t.Fatalf("message %+v", m)
	}
	flush(t, s)
	rc.mu.Lock()
	if len(rc.bodies) != 1 {
		t.Fatalf("%d reply callbacks", len(rc.bodies))
	}
	var cb ReplyCallback
	if err := json.Unmarshal(rc.bodies[0], &cb); err != nil {
		t.Fatal(err)
	}
	rc.mu.Unlock()
	if cb.ID != m.ID || cb.Source != "+6421000001" || cb.Destination != testSource || cb.Content.Type != "text" || cb.Content.Text.Body != "yes please" {
		t.Fatalf("reply callback %+v", cb)
	}
	// The message reports who sent it the way its ReplyCallback does (source: the customer,
	// destination: the business number), at the top level and in its body.
	var body ReplyCallback
	if err := json.Unmarshal(m.Body, &body); err != nil {
		t.Fatal(err)
	}
	if m.Source != body.Source || m.Destination != body.Destination {
		t.Fatalf("message source/destination %s/%s, its body's %s/%s", m.Source, m.Destination, body.Source, body.Destination)
	}

	d := details(t, s, m.ID)
	if d.Direction != DirectionMO || d.Status != StatusReceived || d.Type != "text" || d.Attributes.Body != "yes please" {
		t.Fatalf("details %+v", d)
	}
	wantStatus(t, do(s, http.MethodPatch, "/messages", `{"message_id":["`+m.ID+`"]}`), http.StatusOK)
	if got := details(t, s, m.ID).Status; got != StatusRead {
		t.Fatalf("status after PATCH %s", got)
	}
	flush(t, s)
	if n := len(status.statuses(t)); n != 0 {
		t.Fatalf("%d status callbacks for an MO message", n)
	}
	if len(s.Sends()) != 0 {
		t.Fatal("a reply is not a send")
	}
}

func TestSimulateReplyContent(t *testing.T) {
	t.Parallel()
	s := newMock(t, Options{})
	tests := []struct {
		content  ReplyContent
		wantType string
		attrs    Attributes
	}{
		{ReplyContent{Type: "image", Image: &ReplyMedia{ID: "m1", MimeType: "image/png", Caption: "look"}}, "image", Attributes{Body: "look", Media: &MediaRef{ID: "m1", Type: "image"}}},
		{ReplyContent{Type: "document", Document: &ReplyMedia{ID: "d1", MimeType: "application/pdf"}}, "document", Attributes{Media: &MediaRef{ID: "d1", Type: "document"}}},
		{ReplyContent{Type: "sticker", Sticker: &ReplyMedia{ID: "s1"}}, "image", Attributes{Media: &MediaRef{ID: "s1", Type: "image"}}},
		{ReplyContent{Type: "button", Button: &ReplyButton{Payload: "YES", Text: "Yes"}}, "text", Attributes{Body: "Yes", Buttons: []ButtonDetail{{Text: "Yes"}}}},
		{ReplyContent{Type: "audio", Audio: &ReplyMedia{ID: "a1", MimeType: "audio/mp3"}}, "audio", Attributes{Media: &MediaRef{ID: "a1", Type: "audio"}}},
	}
	for _, tt := range tests {
		c := tt.content
		m, err := s.SimulateReply(Reply{Account: DefaultUsername, From: "+6421000001", To: testSource, Content: &c})
		if err != nil {
			t.Fatalf("%s: %v", tt.content.Type, err)
		}
		if m.Details.Type != tt.wantType || mustJSON(t, m.Details.Attributes) != mustJSON(t, tt.attrs) {
			t.Errorf("%s: details %+v", tt.content.Type, m.Details)
		}
	}
}

func TestSimulateReplyRejectsBadInput(t *testing.T) {
	t.Parallel()
	s := newMock(t, Options{})
	for name, r := range map[string]Reply{
		"unknown account": {Account: "nobody", From: "+6421000001", To: testSource, Text: "x"},
		"bad from":        {From: "021", To: testSource, Text: "x"},
		"bad to":          {From: "+6421000001", To: "+64", Text: "x"},
		"empty text":      {From: "+6421000001", To: testSource},
		"unknown type":    {From: "+6421000001", To: testSource, Content: &ReplyContent{Type: "location"}},
		"missing media":   {From: "+6421000001", To: testSource, Content: &ReplyContent{Type: "image"}},
		"missing button":  {From: "+6421000001", To: testSource, Content: &ReplyContent{Type: "button"}},
		"bad mime":        {From: "+6421000001", To: testSource, Content: &ReplyContent{Type: "video", Video: &ReplyMedia{MimeType: "video/avi"}}},
	} {
		if _, err := s.SimulateReply(r); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	multi := newMock(t, Options{Accounts: map[string]Account{"a": {Password: "a"}, "b": {Password: "b"}}})
	if _, err := multi.SimulateReply(Reply{From: "+6421000001", To: testSource, Text: "x"}); err == nil {
		t.Error("several accounts and no account named: accepted")
	}
}
