package mockapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestRegisterSource(t *testing.T) {
	t.Parallel()
	s := newMock(t, Options{Accounts: map[string]Account{DefaultUsername: {Password: DefaultPassword}}})
	rec := do(s, http.MethodPost, "/source", `{"source":"555","waba_id":"w1","pin":"123456"}`)
	wantStatus(t, rec, http.StatusOK)
	if rec.Body.Len() != 0 {
		t.Errorf("body = %q, want none", rec.Body.String())
	}
	wantStatus(t, do(s, http.MethodPost, "/source", `{"source":"555","waba_id":"w2"}`), http.StatusOK)
	src := s.Sources()
	if len(src) != 1 || src[0].WABAID != "w2" || src[0].PINSet || src[0].Registrations != 2 || src[0].Account != DefaultUsername {
		t.Fatalf("sources = %+v", src)
	}
	if b, _ := json.Marshal(src); strings.Contains(string(b), "123456") {
		t.Fatal("the PIN leaks into the source listing")
	}
	if err := s.RegisterSource("nobody", "1", "w"); err == nil {
		t.Error("RegisterSource accepted an unknown account")
	}
	if err := s.RegisterSource(DefaultUsername, "01", "w"); err == nil {
		t.Error("RegisterSource accepted a bad source")
	}
}

func TestSendRequiresRegisteredSource(t *testing.T) {
	t.Parallel()
	s := newMock(t, Options{})
	for _, path := range []string{"/messages", "/messages/broadcast"} {
		body := `{"to":"+6421000001","destination":["+6421000001"],"source":"42","type":"text","text":{"body":"hi"}}`
		if path == "/messages" {
			body = `{"to":"+6421000001","source":"42","type":"text","text":{"body":"hi"}}`
		}
		msg := wantError(t, do(s, http.MethodPost, path, body), http.StatusUnprocessableEntity)
		if !strings.Contains(msg, "42") || !strings.Contains(msg, "POST /source") {
			t.Errorf("%s: error %q does not say which source and how to register it", path, msg)
		}
	}
	if len(s.Sends()) != 0 {
		t.Fatal("a refused send was recorded")
	}
}

func TestSendMessage(t *testing.T) {
	t.Parallel()
	s := newMock(t, Options{})
	body := `{"to":"+6421000001","source":"` + testSource + `","type":"text","text":{"body":"deploy finished"},"reference":"ref-1","scheduled":"2030-01-03T00:00:00+13:00"}`
	rec := do(s, http.MethodPost, "/messages", body)
	wantStatus(t, rec, http.StatusAccepted)
	resp := decode[SendResponse](t, rec)
	sends := s.Sends()
	if len(sends) != 1 {
		t.Fatalf("%d sends", len(sends))
	}
	got := sends[0]
	want := Send{
		ID: resp.MessageID, Kind: KindSingle, Account: DefaultUsername, Source: testSource, Destination: "+6421000001",
		Type: "text", Reference: "ref-1", Status: StatusAccepted, Time: testStart, Body: json.RawMessage(body),
	}
	if got.Scheduled.Format(time.RFC3339) != "2030-01-02T11:00:00Z" {
		t.Errorf("scheduled = %v", got.Scheduled)
	}
	got.Scheduled = time.Time{}
	if gotJSON, wantJSON := mustJSON(t, got), mustJSON(t, want); gotJSON != wantJSON {
		t.Errorf("send = %s\nwant   %s", gotJSON, wantJSON)
	}
	m, ok := s.Message(resp.MessageID)
	if !ok || m.Direction != DirectionMT || m.Reference != "ref-1" || m.Status != StatusAccepted || string(m.Body) != body {
		t.Fatalf("message = %+v", m)
	}
	if _, ok := s.Message("3fa85f64-5717-4562-b3fc-2c963f66afa6"); ok {
		t.Error("Message found an unknown id")
	}
}

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestSendToNumberNotOnWhatsApp(t *testing.T) {
	t.Parallel()
	s := newMock(t, Options{})
	msg := wantError(t, do(s, http.MethodPost, "/messages", `{"to":"`+NumberNotWhatsApp+`","source":"`+testSource+`","type":"text","text":{"body":"hi"}}`), http.StatusUnprocessableEntity)
	if !strings.Contains(msg, NumberNotWhatsApp) {
		t.Errorf("error %q does not name the number", msg)
	}
	if len(s.Sends()) != 0 {
		t.Fatal("a refused send was recorded")
	}
}

func TestBroadcast(t *testing.T) {
	t.Parallel()
	s := newMock(t, Options{})
	dest := []string{"+6421000003", NumberNotWhatsApp, "+6421000001", NumberFails}
	body := `{"destination":["` + strings.Join(dest, `","`) + `"],"source":"` + testSource + `","type":"text","text":{"body":"hi"},"reference":"b1"}`
	rec := do(s, http.MethodPost, "/messages/broadcast", body)
	wantStatus(t, rec, http.StatusAccepted)
	results := decode[[]BroadcastResult](t, rec)
	if len(results) != len(dest) {
		t.Fatalf("%d results, want %d", len(results), len(dest))
	}
	for i, r := range results {
		if r.Destination != dest[i] || !uuidPattern.MatchString(r.ID) {
			t.Errorf("result %d = %+v: want destination %s and an id, in request order", i, r, dest[i])
		}
		failed := dest[i] == NumberNotWhatsApp
		if wantStatus := map[bool]string{true: StatusFailed, false: StatusAccepted}[failed]; r.Status != wantStatus {
			t.Errorf("result %d status = %s, want %s", i, r.Status, wantStatus)
		}
		if failed != (r.Message != "") {
			t.Errorf("result %d message = %q", i, r.Message)
		}
		if got := details(t, s, r.ID).Status; got != r.Status {
			t.Errorf("GET %s = %s, want %s", r.ID, got, r.Status)
		}
	}
	sends := s.Sends()
	if len(sends) != len(dest) || sends[1].Status != StatusFailed || sends[0].Kind != KindBroadcast || sends[0].Reference != "b1" {
		t.Fatalf("sends = %+v", sends)
	}
	if &sends[0].Body[0] != &sends[3].Body[0] {
		t.Error("entries of one broadcast should share the body")
	}
	s.Advance(time.Hour)
	if got := details(t, s, results[1].ID).Status; got != StatusFailed {
		t.Errorf("undeliverable entry moved to %s", got)
	}
}

func TestGetMessageDetails(t *testing.T) {
	t.Parallel()
	s := newMock(t, Options{})
	raw := func(payload string) string {
		b, _ := json.Marshal(payload)
		return `"type":"raw","raw":{"version":"1","payload":` + string(b) + `}`
	}
	tests := []struct {
		name, content string
		wantType      string
		wantAttrs     Attributes
	}{
		{"text", `"type":"text","text":{"body":"hello"}`, "text", Attributes{Body: "hello"}},
		{"media", `"type":"media","media":{"type":"document","url":"https://e.com/a.pdf"}`, "document", Attributes{Media: &MediaRef{ID: "https://e.com/a.pdf", Type: "document"}}},
		{"template", `"type":"template","template":{"name":"order","language":"en","header_params":["Order","42"],"body_params":["Ana","Tuesday"],"media":{"type":"image","url":"https://e.com/l.png"},"buttons":[{"index":0,"type":"quick_reply","payload":"YES"},{"index":1,"type":"url"}]}`,
			"template", Attributes{Header: "Order 42", Body: "Ana Tuesday", Media: &MediaRef{ID: "https://e.com/l.png", Type: "image"}, Buttons: []ButtonDetail{{Text: "YES"}, {Text: "url"}}}},
		{"template without params", `"type":"template","template":{"name":"welcome","language":"en"}`, "template", Attributes{Body: "welcome"}},
		{"raw text", raw(`{"type":"text","text":{"body":"raw hi"}}`), "text", Attributes{Body: "raw hi"}},
		{"raw image", raw(`{"type":"image","image":{"link":"https://e.com/i.png","caption":"pic"}}`), "image", Attributes{Body: "pic", Media: &MediaRef{ID: "https://e.com/i.png", Type: "image"}}},
		{"raw unknown type", raw(`{"type":"location","location":{}}`), "text", Attributes{}},
		{"raw array", raw(`[1,2]`), "text", Attributes{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := do(s, http.MethodPost, "/messages", `{"to":"+6421000001","source":"`+testSource+`",`+tt.content+`}`)
			wantStatus(t, rec, http.StatusAccepted)
			id := decode[SendResponse](t, rec).MessageID
			got := details(t, s, id)
			want := MessageDetails{ID: id, Status: StatusAccepted, Timestamp: testStart.Unix(), Direction: DirectionMT, Type: tt.wantType, Attributes: tt.wantAttrs}
			if mustJSON(t, got) != mustJSON(t, want) {
				t.Errorf("details = %s\nwant      %s", mustJSON(t, got), mustJSON(t, want))
			}
		})
	}
}

func TestGetMessageNotFound(t *testing.T) {
	t.Parallel()
	s := newMock(t, Options{})
	msg := wantError(t, do(s, http.MethodGet, "/messages?id=3fa85f64-5717-4562-b3fc-2c963f66afa6", ""), http.StatusNotFound)
	if !strings.Contains(msg, "3fa85f64-5717-4562-b3fc-2c963f66afa6") {
		t.Errorf("error %q does not name the id", msg)
	}
	id := sendText(t, s, "+6421000001", "")
	if got := details(t, s, strings.ToUpper(id)).ID; got != id {
		t.Errorf("upper-case lookup gave %q", got)
	}
}

func TestMarkRead(t *testing.T) {
	t.Parallel()
	s := newMock(t, Options{})
	a := sendText(t, s, "+6421000001", "")
	b := sendText(t, s, "+6421000002", "")
	s.Advance(OffsetSent)

	unknown := "3fa85f64-5717-4562-b3fc-2c963f66afa6"
	msg := wantError(t, do(s, http.MethodPatch, "/messages", `{"message_id":["`+a+`","`+unknown+`"]}`), http.StatusNotFound)
	if !strings.Contains(msg, unknown) || strings.Contains(msg, a) {
		t.Errorf("error %q should name only the unknown id", msg)
	}
	if got := details(t, s, a).Status; got != StatusSent {
		t.Fatalf("after a refused PATCH the status is %s, want it unchanged (sent)", got)
	}

	rec := do(s, http.MethodPatch, "/messages", `{"message_id":["`+a+`","`+strings.ToUpper(b)+`"]}`)
	wantStatus(t, rec, http.StatusOK)
	if rec.Body.Len() != 0 {
		t.Errorf("body = %q, want none", rec.Body.String())
	}
	readAt := s.Now()
	s.Advance(time.Hour)
	for _, id := range []string{a, b} {
		d := details(t, s, id)
		if d.Status != StatusRead || d.Timestamp != readAt.Unix() {
			t.Errorf("%s = %s at %d, want read at %d", id, d.Status, d.Timestamp, readAt.Unix())
		}
	}
	wantStatus(t, do(s, http.MethodPatch, "/messages", `{"message_id":["`+a+`"]}`), http.StatusOK) // twice is harmless
	if got := details(t, s, a).Timestamp; got != readAt.Unix() {
		t.Errorf("marking read again moved the timestamp to %d", got)
	}
}

func TestMarkReadManyUnknownIDs(t *testing.T) {
	t.Parallel()
	s := newMock(t, Options{})
	ids := make([]string, 5000)
	for i := range ids {
		ids[i] = fmt.Sprintf("3fa85f64-5717-4562-b3fc-%012d", i%2500) // each twice
	}
	msg := wantError(t, do(s, http.MethodPatch, "/messages", `{"message_id":["`+strings.Join(ids, `","`)+`"]}`), http.StatusNotFound)
	if !strings.HasSuffix(msg, "and 2480 more; nothing was changed") {
		t.Fatalf("error %q", msg)
	}
}

func TestDuplicates(t *testing.T) {
	t.Parallel()
	s := newMock(t, Options{})
	send := func(body string) {
		t.Helper()
		wantStatus(t, do(s, http.MethodPost, "/messages", body), http.StatusAccepted)
	}
	broadcast := func(body string) {
		t.Helper()
		wantStatus(t, do(s, http.MethodPost, "/messages/broadcast", body), http.StatusAccepted)
	}
	src := `"source":"` + testSource + `"`
	send(`{"to":"+6421000001",` + src + `,"type":"text","text":{"body":"hi"}}`)                                    // original
	send(`{"to":"+6421000001",` + src + `,"type":"text","text":{"body":"hi"},"reference":"r"}`)                    // different reference
	send(`{"to":"+6421000002",` + src + `,"type":"text","text":{"body":"hi"}}`)                                    // different number
	send(`{"to":"+6421000001",` + src + `,"type":"text","text":{"body":"hi!"}}`)                                   // different content
	send(`{"to":"+6421000001",` + src + `,"type":"text","text":{"body":"hi"},"scheduled":"2030-01-03T00:00:00Z"}`) // different schedule
	if n := s.Stats().Duplicates; n != 0 {
		t.Fatalf("%d duplicates among distinct sends", n)
	}
	send(`{"type":"text","text":{"body":"hi"},` + src + `,"destination":"+6421000001","media":{"ignored":true}}`)                              // same, reordered, via destination
	send(`{"to":"+6421000001",` + src + `,"type":"text","text":{"body":"hi"},"scheduled":"2030-01-03T13:00:00+13:00"}`)                        // same instant
	broadcast(`{"destination":["+6421000002","+6421000009",` + `"` + NumberNotWhatsApp + `"],` + src + `,"type":"text","text":{"body":"hi"}}`) // one repeat
	broadcast(`{"destination":["` + NumberNotWhatsApp + `"],` + src + `,"type":"text","text":{"body":"hi"}}`)                                  // failed entries never count

	dups := s.Duplicates()
	st := s.Stats()
	if st.Duplicates != 3 || len(dups) != 3 {
		t.Fatalf("duplicates = %d %+v, want 3", st.Duplicates, dups)
	}
	sends := s.Sends()
	if dups[0].OriginalID != sends[0].ID || dups[1].OriginalID != sends[4].ID || dups[2].OriginalID != sends[2].ID || dups[2].Kind != KindBroadcast {
		t.Fatalf("duplicates = %+v", dups)
	}
	if sends[5].DuplicateOf != sends[0].ID || sends[0].DuplicateOf != "" {
		t.Fatalf("DuplicateOf not set: %+v", sends)
	}
}

func TestDuplicatesAreCanonical(t *testing.T) {
	t.Parallel()
	s := newMock(t, Options{})
	src := `"source":"` + testSource + `"`
	for _, tmpl := range []string{
		`{"name":"t","language":"en","body_params":["a","b"],"buttons":[{"index":0,"payload":"x"}]}`,
		`{"buttons":[{"payload":"x","index":0}],"language":"en","body_params":["a","b"],"name":"t"}`,
	} {
		wantStatus(t, do(s, http.MethodPost, "/messages", `{"to":"+6421000001",`+src+`,"type":"template","template":`+tmpl+`}`), http.StatusAccepted)
	}
	wantStatus(t, do(s, http.MethodPost, "/messages", `{"to":"+6421000001",`+src+`,"type":"template","template":{"name":"t","language":"en","body_params":["b","a"]}}`), http.StatusAccepted)
	if n := s.Stats().Duplicates; n != 1 {
		t.Fatalf("%d duplicates, want 1 (key order must not matter, parameter order must)", n)
	}
}
