package client

import (
	"errors"
	"net/http"
	"testing"
	"time"
)

func textMessage(to string) Message {
	return Message{To: to, Source: testSource, Content: Content{Type: MessageTypeText, Text: &Text{Body: "Hello"}}}
}

func int32p(v int32) *int32 { return &v }

func TestSendMessageBodies(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 5, 4, 3, 2, 1, 0, time.FixedZone("NZST", 12*3600))
	tests := []struct {
		name string
		msg  Message
		want string
	}{
		{
			name: "text, as in the reference",
			msg:  textMessage("+64123456789"),
			want: `{"to":"+64123456789","type":"text","source":"1234567890","text":{"body":"Hello"}}`,
		},
		{
			name: "text with schedule and reference, other content ignored",
			msg: Message{To: "+64123456789", Source: testSource, Scheduled: &at, Reference: "ref-abc123",
				Content: Content{Type: MessageTypeText, Text: &Text{Body: "Later"}, Raw: &Raw{Payload: "{}"}}},
			want: `{"to":"+64123456789","type":"text","source":"1234567890","text":{"body":"Later"},
				"scheduled":"2026-05-03T15:02:01Z","reference":"ref-abc123"}`,
		},
		{
			name: "media, type inferred",
			msg: Message{To: "+64123456789", Source: testSource,
				Content: Content{Media: &Media{Type: MediaTypeImage, URL: "https://example.com/a.png"}}},
			want: `{"to":"+64123456789","type":"media","source":"1234567890","media":{"type":"image","url":"https://example.com/a.png"}}`,
		},
		{
			name: "template, full",
			msg: Message{To: "+64123456789", Source: testSource, Content: Content{Type: MessageTypeTemplate, Template: &Template{
				Name: "order_update", Language: "en_US", HeaderParams: []string{"h1"}, BodyParams: []string{"b1", "b2"},
				Media:   &TemplateMedia{Type: "image", URL: "https://example.com/h.png"},
				Buttons: []TemplateButton{{Index: int32p(0), Type: "quick_reply", Payload: "yes"}, {Type: "url"}},
			}}},
			want: `{"to":"+64123456789","type":"template","source":"1234567890","template":{"name":"order_update","language":"en_US",
				"header_params":["h1"],"body_params":["b1","b2"],"media":{"type":"image","url":"https://example.com/h.png"},
				"buttons":[{"index":0,"type":"quick_reply","payload":"yes"},{"type":"url"}]}}`,
		},
		{
			name: "template, minimal",
			msg: Message{To: "+64123456789", Source: testSource,
				Content: Content{Type: MessageTypeTemplate, Template: &Template{Name: "hello_world", Language: "en"}}},
			want: `{"to":"+64123456789","type":"template","source":"1234567890","template":{"name":"hello_world","language":"en"}}`,
		},
		{
			name: "raw payload sent as a string",
			msg: Message{To: "+64123456789", Source: testSource,
				Content: Content{Type: MessageTypeRaw, Raw: &Raw{Version: "v17.0", Payload: `{"type":"text","text":{"body":"<hi> & bye"}}`}}},
			want: `{"to":"+64123456789","type":"raw","source":"1234567890","raw":{"version":"v17.0","payload":"{\"type\":\"text\",\"text\":{\"body\":\"<hi> & bye\"}}"}}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := newTestAPI(t, func(w http.ResponseWriter, r *http.Request) {
				if r.Method != http.MethodPost || r.URL.Path != basePath+"/messages" || r.URL.RawQuery != "" {
					t.Errorf("request = %s %s", r.Method, r.URL)
				}
				if got := r.Header.Get("Accept"); got != "application/json" {
					t.Errorf("Accept = %q", got)
				}
				assertJSON(t, readJSONBody(t, r), tt.want)
				writeJSON(w, http.StatusAccepted, `{"message_id":"`+testMessageID+`","status":"accepted"}`)
			})
			c, _ := newTestClient(t, a.url())
			res, err := c.SendMessage(t.Context(), tt.msg)
			if err != nil {
				t.Fatal(err)
			}
			if res != (SendResult{MessageID: testMessageID, Status: "accepted"}) {
				t.Errorf("result = %+v", res)
			}
		})
	}
}

func TestSendMessageRejectsInvalidInputWithoutSending(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, func(w http.ResponseWriter, _ *http.Request) { t.Error("a request was made") })
	c, _ := newTestClient(t, a.url())
	zero := time.Time{}
	_, err := c.SendMessage(t.Context(), Message{To: "0211234567", Source: "0123", Scheduled: &zero,
		Content: Content{Type: MessageTypeMedia, Media: &Media{Type: "gif", URL: "ftp://x"}}})
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("err = %v", err)
	}
	mustContain(t, err.Error(), "POST /messages: invalid request, nothing was sent", "to (invalid_format)",
		"source (invalid_format)", "media.type (invalid_value)", "media.url (invalid_format)", "scheduled")
}

func TestSendMessageAnswerUnreadableIsAmbiguous(t *testing.T) {
	t.Parallel()
	for name, body := range map[string]string{"invalid JSON": `{"message_id":`, "no id": `{"status":"accepted"}`} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			a := newTestAPI(t, func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, http.StatusAccepted, body) })
			c, _ := newTestClient(t, a.url())
			_, err := c.SendMessage(t.Context(), textMessage("+64211234567"))
			if !IsAmbiguous(err) {
				t.Fatalf("err = %v", err)
			}
			mustContain(t, err.Error(), "accepted the request (status 202) but its answer could not be read", "MAY HAVE BEEN SENT")
			if a.requests.Load() != 1 {
				t.Errorf("requests = %d", a.requests.Load())
			}
		})
	}
}

func TestSendMessageClientErrorsAreNotAmbiguous(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, func(w http.ResponseWriter, _ *http.Request) {
		apiError(w, http.StatusUnprocessableEntity, "source 1234567890 is not registered")
	})
	c, _ := newTestClient(t, a.url())
	_, err := c.SendMessage(t.Context(), textMessage("+64211234567"))
	if IsAmbiguous(err) || StatusCode(err) != http.StatusUnprocessableEntity {
		t.Fatalf("err = %v", err)
	}
	mustContain(t, err.Error(), "POST /messages: 422 Unprocessable Entity", "not registered", "ezitxt_source")
}

func TestGetMessage(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || r.URL.Path != basePath+"/messages" || r.URL.Query().Get("id") != testMessageID ||
			len(r.URL.Query()) != 1 || r.ContentLength > 0 {
			t.Errorf("request = %s %s (%d bytes)", r.Method, r.URL, r.ContentLength)
		}
		writeJSON(w, http.StatusOK, `{"id":"`+testMessageID+`","status":"read","timestamp":1767225600,"direction":"MT",
			"type":"template","attributes":{"header":"H","body":"B","footer":"F","media":{"id":"m1","type":"image"},
			"buttons":[{"text":"Yes"},{"text":"No"}]},"extra":"ignored"}`)
	})
	c, _ := newTestClient(t, a.url())
	d, err := c.GetMessage(t.Context(), testMessageID)
	if err != nil {
		t.Fatal(err)
	}
	if d.ID != testMessageID || d.Status != "read" || d.Timestamp != 1767225600 || d.Direction != "MT" || d.Type != "template" ||
		d.Attributes.Header != "H" || d.Attributes.Body != "B" || d.Attributes.Footer != "F" ||
		d.Attributes.Media == nil || *d.Attributes.Media != (AttributeMedia{ID: "m1", Type: "image"}) ||
		len(d.Attributes.Buttons) != 2 || d.Attributes.Buttons[1].Text != "No" {
		t.Errorf("details = %+v", d)
	}
	if !d.Time().Equal(time.Unix(1767225600, 0)) {
		t.Errorf("Time() = %v", d.Time())
	}
}

func TestGetMessageNotFound(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, func(w http.ResponseWriter, _ *http.Request) {
		apiError(w, http.StatusNotFound, "not found error message")
	})
	c, _ := newTestClient(t, a.url())
	_, err := c.GetMessage(t.Context(), testMessageID)
	if !IsNotFound(err) || a.requests.Load() != 1 {
		t.Fatalf("err = %v after %d requests", err, a.requests.Load())
	}
	mustContain(t, err.Error(), "GET /messages?id="+testMessageID+": 404 Not Found", "not found error message", "check the id")
	if _, err := c.GetMessage(t.Context(), "not-a-uuid"); err == nil || a.requests.Load() != 1 {
		t.Errorf("an invalid id was sent: %v", err)
	}
}

func TestMarkRead(t *testing.T) {
	t.Parallel()
	ids := []string{testMessageID, "6fa85f64-5717-4562-b3fc-2c963f66afa6"}
	a := newTestAPI(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPatch || r.URL.Path != basePath+"/messages" || r.URL.RawQuery != "" {
			t.Errorf("request = %s %s", r.Method, r.URL)
		}
		assertJSON(t, readJSONBody(t, r), `{"message_id":["`+ids[0]+`","`+ids[1]+`"]}`)
		w.WriteHeader(http.StatusOK)
	})
	c, _ := newTestClient(t, a.url())
	if err := c.MarkRead(t.Context(), ids); err != nil {
		t.Fatal(err)
	}
	if err := c.MarkRead(t.Context(), nil); err != nil || a.requests.Load() != 1 {
		t.Errorf("an empty list made a request: %v", err)
	}
	err := c.MarkRead(t.Context(), []string{testMessageID, "nope"})
	mustContain(t, err.Error(), "message_id[1] = nope (invalid_format)")
}

func TestMarkReadRetriedAfter5xx(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, func(w http.ResponseWriter, _ *http.Request) {
		apiError(w, http.StatusBadGateway, "bad gateway")
	})
	c, s := newTestClient(t, a.url(), func(cfg *Config) { cfg.MaxRetries = 1 })
	err := c.MarkRead(t.Context(), []string{testMessageID})
	if StatusCode(err) != http.StatusBadGateway || IsAmbiguous(err) {
		t.Fatalf("err = %v", err)
	}
	mustContain(t, err.Error(), "Gave up after 2 attempts", "try again later")
	if a.requests.Load() != 2 || len(s.get()) != 1 {
		t.Errorf("requests %d, waits %v", a.requests.Load(), s.get())
	}
}

func TestMessageStatus(t *testing.T) {
	t.Parallel()
	for _, s := range MessageStatusValues() {
		if s.IsFailure() && !s.IsTerminal() {
			t.Errorf("%s: a failure is terminal", s)
		}
		if !s.Reached(s) {
			t.Errorf("%s does not reach itself", s)
		}
	}
	tests := []struct {
		s, target MessageStatus
		want      bool
	}{
		{StatusRead, StatusSent, true},
		{StatusReceived, StatusRead, false},
		{StatusSent, StatusAccepted, true},
		{StatusFailed, StatusSent, false},
		{StatusFailed, StatusAccepted, false},
		{StatusFrozen, StatusAccepted, true},
		{StatusFrozen, StatusSubmitted, false},
		{"bogus", StatusAccepted, false},
	}
	for _, tt := range tests {
		if got := tt.s.Reached(tt.target); got != tt.want {
			t.Errorf("%s.Reached(%s) = %v", tt.s, tt.target, got)
		}
	}
	if !StatusRead.IsTerminal() || StatusReceived.IsTerminal() || StatusFrozen.IsTerminal() || StatusRead.IsFailure() {
		t.Error("IsTerminal/IsFailure")
	}
}

func TestDecodeMessageDetailsTimestamp(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		ts   string
		want int64
		ok   bool
	}{
		"integer":      {"1767225600", 1767225600, true},
		"float":        {"1.7672256e9", 1767225600, true},
		"absent":       {"null", 0, true},
		"fraction":     {"1.5", 0, false},
		"out of range": {"9223372036854776000", 0, false},
		"numeric text": {`"1"`, 1, true},
		"text":         {`"soon"`, 0, false},
	}
	for name, tt := range tests {
		d, err := decodeMessageDetails([]byte(`{"id":"x","timestamp":` + tt.ts + `}`))
		if (err == nil) != tt.ok || d.Timestamp != tt.want {
			t.Errorf("%s: %+v, %v", name, d, err)
		}
	}
}
