package mockapi

import (
	"net/http"
	"strings"
	"testing"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/templates"
)

// declared are the templates of these tests, as a -templates file has them.
const declared = `[
  {"name": "order_shipped", "language": "en_US", "body": "Hi {{1}}, order {{2}} has shipped."},
  {"name": "order_shipped", "language": "pt_BR", "body": "Olá {{1}}, pedido {{2}} enviado."},
  {"name": "invoice", "language": "en_US", "header": {"format": "document"}, "body": "Your invoice {{1}}",
   "buttons": [{"type": "url", "text": "Pay", "url": "https://pay.example.com/{{1}}"}, {"type": "phone_number", "text": "Call"}]},
  {"name": "greeting", "language": "en_US", "header": {"text": "Hello {{1}}"}, "body": "Welcome",
   "footer": "Reply STOP to opt out", "buttons": [{"type": "quick_reply", "text": "Hi"}]}
]`

func mustTemplates(t *testing.T) []templates.Definition {
	t.Helper()
	defs, err := ParseTemplates([]byte(declared))
	if err != nil {
		t.Fatal(err)
	}
	return defs
}

// sendTemplate sends a template message to +6421000001 with the given template object and returns its id.
func sendTemplate(t *testing.T, s http.Handler, template string) string {
	t.Helper()
	rec := do(s, http.MethodPost, "/messages", `{"to":"+6421000001","source":"`+testSource+`","type":"template","template":`+template+`}`)
	wantStatus(t, rec, http.StatusAccepted)
	return decode[SendResponse](t, rec).MessageID
}

func TestTemplatesFitAndMismatch(t *testing.T) {
	s := newMock(t, Options{Templates: mustTemplates(t)})
	for name, tc := range map[string]struct {
		template string
		reason   string // "" when the send fits
	}{
		"fits":                     {`{"name":"order_shipped","language":"en_US","body_params":["Ana","A-17"]}`, ""},
		"fits in another language": {`{"name":"order_shipped","language":"pt_BR","body_params":["Ana","A-17"]}`, ""},
		"fits with media and suffix": {`{"name":"invoice","language":"en_US","body_params":["I-9"],"media":{"type":"document","url":"https://x.example/i.pdf"},` +
			`"buttons":[{"index":0,"type":"url","payload":"I-9"}]}`, ""},
		"fits with header and payload": {`{"name":"greeting","language":"en_US","header_params":["Zoë"],"buttons":[{"index":0,"type":"quick_reply","payload":"hi"}]}`, ""},
		"unknown name": {`{"name":"order_shippd","language":"en_US","body_params":["Ana","A-17"]}`,
			"template order_shippd (en_US) is not an approved template of this account"},
		"unknown language": {`{"name":"order_shipped","language":"de_DE","body_params":["Ana","A-17"]}`,
			"template order_shipped is not approved in language de_DE (declared: en_US, pt_BR)"},
		"body count": {`{"name":"order_shipped","language":"en_US","body_params":["Ana"]}`,
			"template order_shipped (en_US) does not fit the parameters sent: body has 2 placeholders ({{1}}..{{2}}); body_params has 1"},
		"header count": {`{"name":"greeting","language":"en_US"}`, "header has 1 placeholder ({{1}}); header_params has 0"},
		"media missing": {`{"name":"invoice","language":"en_US","body_params":["I-9"],"buttons":[{"index":0,"payload":"I-9"}]}`,
			"the header is a document; media.url is not set"},
		"media type": {`{"name":"invoice","language":"en_US","body_params":["I-9"],"media":{"type":"image","url":"https://x.example/i.png"},"buttons":[{"index":0,"payload":"I-9"}]}`,
			`the header is a document; media.type is "image"`},
		"media on text template": {`{"name":"order_shipped","language":"en_US","body_params":["a","b"],"media":{"type":"image","url":"https://x.example/i.png"}}`,
			"the template has no media header; media is set"},
		"url suffix missing": {`{"name":"invoice","language":"en_US","body_params":["I-9"],"media":{"url":"https://x.example/i.pdf"}}`,
			`button 0 ("Pay") is a url button whose URL ends in {{1}}; no button parameter with index 0 gives its suffix`},
		"phone button parameter": {`{"name":"invoice","language":"en_US","body_params":["I-9"],"media":{"url":"https://x.example/i.pdf"},` +
			`"buttons":[{"index":0,"payload":"I-9"},{"index":1,"payload":"+1"}]}`, "parameterises button 1, a phone_number button"},
		"button index out of range": {`{"name":"greeting","language":"en_US","header_params":["a"],"buttons":[{"index":3,"payload":"x"}]}`,
			"buttons[0] has index 3; the template has 1 buttons"},
	} {
		t.Run(name, func(t *testing.T) {
			id := sendTemplate(t, s, tc.template)
			m, _ := s.Message(id)
			if m.Status != StatusAccepted {
				t.Fatalf("status at acceptance %q", m.Status)
			}
			if tc.reason == "" {
				if m.FailureReason != "" || m.Upcoming[len(m.Upcoming)-1].Status != StatusRead {
					t.Fatalf("a fitting send will not be read: %+v", m)
				}
				return
			}
			if !strings.Contains(m.FailureReason, tc.reason) {
				t.Fatalf("failure reason %q, want %q", m.FailureReason, tc.reason)
			}
			if len(m.Upcoming) != 1 || m.Upcoming[0].Status != StatusFailed || m.Upcoming[0].At.Sub(m.AcceptedAt) != OffsetSubmitted {
				t.Fatalf("upcoming %+v, want failed at +%s", m.Upcoming, OffsetSubmitted)
			}
		})
	}
	s.Advance(OffsetRead)
	for _, m := range s.Sends() {
		got, _ := s.Message(m.ID)
		want := StatusRead
		if got.FailureReason != "" {
			want = StatusFailed
		}
		if got.Status != want || got.Details.Status != want {
			t.Errorf("%s: status %q (API %q), want %q", got.FailureReason, got.Status, got.Details.Status, want)
		}
	}
}

func TestTemplatesBroadcastFailsEveryEntry(t *testing.T) {
	s := newMock(t, Options{Templates: mustTemplates(t)})
	rec := do(s, http.MethodPost, "/messages/broadcast", `{"destination":["+6421000001","+6421000002","`+NumberNotWhatsApp+`"],"source":"`+testSource+
		`","type":"template","template":{"name":"order_shipped","language":"en_US","body_params":["Ana"]}}`)
	wantStatus(t, rec, http.StatusAccepted)
	results := decode[[]BroadcastResult](t, rec)
	s.Advance(OffsetSent)
	for _, r := range results {
		m, _ := s.Message(r.ID)
		if m.Status != StatusFailed {
			t.Errorf("%s: %s, want failed", r.Destination, m.Status)
		}
		if r.Destination == NumberNotWhatsApp {
			if m.FailureReason != "" { // it failed for another reason, at once
				t.Errorf("%s: reason %q", r.Destination, m.FailureReason)
			}
		} else if !strings.Contains(m.FailureReason, "body has 2 placeholders ({{1}}..{{2}}); body_params has 1") {
			t.Errorf("%s: reason %q", r.Destination, m.FailureReason)
		}
	}
}

func TestTemplatesOffByDefault(t *testing.T) {
	s := newMock(t, Options{})
	id := sendTemplate(t, s, `{"name":"anything","language":"xx","body_params":["a"]}`)
	s.Advance(OffsetRead)
	if m, _ := s.Message(id); m.Status != StatusRead || m.FailureReason != "" || s.Templates() != nil {
		t.Fatalf("without templates a template send is delivered: %+v", m)
	}
	// Declared but empty: every template send fails; text sends are never checked.
	if err := s.SetTemplates([]templates.Definition{}); err != nil {
		t.Fatal(err)
	}
	id = sendTemplate(t, s, `{"name":"anything","language":"xx"}`)
	text := sendText(t, s, "+6421000001", "")
	s.Advance(OffsetRead)
	if m, _ := s.Message(id); m.Status != StatusFailed {
		t.Fatalf("with an empty declaration: %+v", m)
	}
	if m, _ := s.Message(text); m.Status != StatusRead {
		t.Fatalf("text send: %+v", m)
	}
}

func TestTemplatesAdmin(t *testing.T) {
	s := newMock(t, Options{})
	rec := admin(s, http.MethodGet, "templates", "")
	wantStatus(t, rec, http.StatusOK)
	if got := decode[map[string]any](t, rec); got["checked"] != false || got["count"] != 0.0 {
		t.Fatalf("GET before: %v", got)
	}
	rec = admin(s, http.MethodPut, "templates", declared)
	wantStatus(t, rec, http.StatusOK)
	if got := decode[map[string]any](t, rec); got["checked"] != true || got["count"] != 4.0 {
		t.Fatalf("PUT: %v", got)
	}
	id := sendTemplate(t, s, `{"name":"order_shipped","language":"en_US","body_params":["Ana"]}`)
	if m, _ := s.Message(id); !strings.Contains(m.FailureReason, "body_params has 1") {
		t.Fatalf("after PUT: %+v", m)
	}
	// The admin view of the message shows the reason.
	rec = admin(s, http.MethodGet, "messages/"+id, "")
	wantStatus(t, rec, http.StatusOK)
	if !strings.Contains(rec.Body.String(), `"failure_reason":"template order_shipped (en_US) does not fit`) {
		t.Fatalf("admin message: %s", rec.Body.String())
	}

	for body, fragment := range map[string]string{
		`[{"name":"x","language":"en","body":"{{2}}"}]`:                                     "templates[0].body has placeholders up to {{2}} but not {{1}}",
		`[{"name":"x","language":"en","body":"b","colour":"red"}]`:                          `unknown field "colour"`,
		`[{"name":"x","language":"en","body":"b"},{"name":"x","language":"en","body":"c"}]`: "templates[1] declares x (en) again",
		`{"name":"x"}`: "invalid JSON body",
	} {
		rec = admin(s, http.MethodPut, "templates", body)
		if msg := wantError(t, rec, http.StatusBadRequest); !strings.Contains(msg, fragment) {
			t.Errorf("PUT %s: %q, want %q", body, msg, fragment)
		}
	}
	if len(s.Templates()) != 4 {
		t.Fatalf("a refused PUT changed the templates: %d", len(s.Templates()))
	}

	rec = admin(s, http.MethodDelete, "templates", "")
	wantStatus(t, rec, http.StatusOK)
	if s.Templates() != nil {
		t.Fatal("DELETE left templates declared")
	}
	// Reset goes back to the options' templates.
	_ = s.SetTemplates(mustTemplates(t))
	s.Reset()
	if s.Templates() != nil {
		t.Fatal("Reset kept templates the options did not declare")
	}
}

func TestTemplatesOptionsValidated(t *testing.T) {
	_, err := NewServer(Options{Templates: []templates.Definition{{Name: "x", Language: "en", Body: "{{1}} {{3}}"}}})
	if err == nil || !strings.Contains(err.Error(), "templates: templates[0].body has placeholders up to {{3}} but not {{2}}") {
		t.Fatalf("err = %v", err)
	}
	if _, err := ParseTemplates([]byte(`{"name":"x"}`)); err == nil || !strings.Contains(err.Error(), "not a JSON list of template definitions") {
		t.Fatalf("ParseTemplates of an object: %v", err)
	}
}
