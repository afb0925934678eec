package mockapi

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ezitxt/terraform-provider-ezitxt/api"
)

// invalidCase is a request the mock must refuse with a 400 naming field and code. spec says
// whether api/openapi.yaml refuses it too (false for rules OpenAPI cannot express).
type invalidCase struct {
	name        string
	body        string
	field, code string
	spec        bool
}

const validText = `{"to":"+6421000001","source":"` + testSource + `","type":"text","text":{"body":"hi"}}`

// withField returns validText with extra top-level JSON members.
func withFields(members string) string {
	return `{"source":"` + testSource + `",` + members + `}`
}

func sendCases(now time.Time) []invalidCase {
	ts := func(d time.Duration) string { return now.Add(d).Format(time.RFC3339) }
	msg := func(content string) string { return withFields(`"to":"+6421000001",` + content) }
	return []invalidCase{
		{"malformed JSON", `{"to":`, "", CodeInvalidJSON, true},
		{"JSON array", `[]`, "", CodeInvalidFormat, true},
		{"JSON string", `"hello"`, "", CodeInvalidFormat, true},
		{"trailing data", validText + `{}`, "", CodeInvalidJSON, false},
		{"no recipient", withFields(`"type":"text","text":{"body":"hi"}`), "to", CodeRequired, true},
		{"null recipient", withFields(`"to":null,"type":"text","text":{"body":"hi"}`), "to", CodeInvalidFormat, true},
		{"null destination beside to", withFields(`"to":"+6421000001","destination":null,"type":"text","text":{"body":"hi"}`), "destination", CodeInvalidFormat, true},
		{"null source", `{"to":"+6421000001","source":null,"type":"text","text":{"body":"hi"}}`, "source", CodeRequired, true},
		{"null text", msg(`"type":"text","text":null`), "text", CodeRequired, true},
		{"null scheduled", msg(`"type":"text","text":{"body":"hi"},"scheduled":null`), "scheduled", CodeInvalidFormat, true},
		{"null reference", msg(`"type":"text","text":{"body":"hi"},"reference":null`), "reference", CodeInvalidFormat, true},
		{"null template media", msg(`"type":"template","template":{"name":"t","language":"en","media":null}`), "template.media", CodeInvalidFormat, true},
		{"null button index", msg(`"type":"template","template":{"name":"t","language":"en","buttons":[{"index":null}]}`), "template.buttons[0].index", CodeInvalidFormat, true},
		{"to not a string", withFields(`"to":6421000001,"type":"text","text":{"body":"hi"}`), "to", CodeInvalidFormat, true},
		{"to without plus", withFields(`"to":"6421000001","type":"text","text":{"body":"hi"}`), "to", CodeInvalidFormat, true},
		{"to starting with 0", withFields(`"to":"+0421000001","type":"text","text":{"body":"hi"}`), "to", CodeInvalidFormat, true},
		{"to with 16 digits", withFields(`"to":"+1234567890123456","type":"text","text":{"body":"hi"}`), "to", CodeInvalidFormat, true},
		{"to with spaces", withFields(`"to":"+64 21 000 001","type":"text","text":{"body":"hi"}`), "to", CodeInvalidFormat, true},
		{"bad destination", withFields(`"destination":"021000001","type":"text","text":{"body":"hi"}`), "destination", CodeInvalidFormat, true},
		{"to and destination differ", withFields(`"to":"+6421000001","destination":"+6421000002","type":"text","text":{"body":"hi"}`), "destination", CodeInvalidValue, false},
		{"no source", `{"to":"+6421000001","type":"text","text":{"body":"hi"}}`, "source", CodeRequired, true},
		{"source starting with 0", `{"to":"+6421000001","source":"0123","type":"text","text":{"body":"hi"}}`, "source", CodeInvalidFormat, true},
		{"source with letters", `{"to":"+6421000001","source":"12a","type":"text","text":{"body":"hi"}}`, "source", CodeInvalidFormat, true},
		{"empty source", `{"to":"+6421000001","source":"","type":"text","text":{"body":"hi"}}`, "source", CodeInvalidFormat, true},
		{"source as number", `{"to":"+6421000001","source":1234,"type":"text","text":{"body":"hi"}}`, "source", CodeInvalidFormat, true},
		{"no type", msg(`"text":{"body":"hi"}`), "type", CodeRequired, true},
		{"unknown type", msg(`"type":"video","video":{}`), "type", CodeInvalidValue, true},
		{"type not a string", msg(`"type":1`), "type", CodeInvalidFormat, true},
		{"text missing", msg(`"type":"text"`), "text", CodeRequired, true},
		{"text not an object", msg(`"type":"text","text":"hi"`), "text", CodeInvalidFormat, true},
		{"text body missing", msg(`"type":"text","text":{}`), "text.body", CodeRequired, true},
		{"text body empty", msg(`"type":"text","text":{"body":""}`), "text.body", CodeRequired, true},
		{"text body not a string", msg(`"type":"text","text":{"body":["hi"]}`), "text.body", CodeInvalidFormat, true},
		{"media missing", msg(`"type":"media","text":{"body":"hi"}`), "media", CodeRequired, true},
		{"media type missing", msg(`"type":"media","media":{"url":"https://example.com/a.png"}`), "media.type", CodeRequired, true},
		{"media type unknown", msg(`"type":"media","media":{"type":"gif","url":"https://example.com/a.gif"}`), "media.type", CodeInvalidValue, true},
		{"media url missing", msg(`"type":"media","media":{"type":"image"}`), "media.url", CodeRequired, true},
		{"media url relative", msg(`"type":"media","media":{"type":"image","url":"/a.png"}`), "media.url", CodeInvalidFormat, true},
		{"media url ftp", msg(`"type":"media","media":{"type":"image","url":"ftp://example.com/a.png"}`), "media.url", CodeInvalidFormat, true},
		{"media url without host", msg(`"type":"media","media":{"type":"image","url":"https://"}`), "media.url", CodeInvalidFormat, true},
		{"media url with space", msg(`"type":"media","media":{"type":"image","url":"https://example.com/a b.png"}`), "media.url", CodeInvalidFormat, true},
		{"template name missing", msg(`"type":"template","template":{"language":"en"}`), "template.name", CodeRequired, true},
		{"template language empty", msg(`"type":"template","template":{"name":"t","language":""}`), "template.language", CodeRequired, true},
		{"template header params not an array", msg(`"type":"template","template":{"name":"t","language":"en","header_params":"a"}`), "template.header_params", CodeInvalidFormat, true},
		{"template body param not a string", msg(`"type":"template","template":{"name":"t","language":"en","body_params":["a",2]}`), "template.body_params[1]", CodeInvalidFormat, true},
		{"template media not an object", msg(`"type":"template","template":{"name":"t","language":"en","media":[]}`), "template.media", CodeInvalidFormat, true},
		{"template media url", msg(`"type":"template","template":{"name":"t","language":"en","media":{"type":"image","url":"logo.png"}}`), "template.media.url", CodeInvalidFormat, true},
		{"template buttons not an array", msg(`"type":"template","template":{"name":"t","language":"en","buttons":{}}`), "template.buttons", CodeInvalidFormat, true},
		{"template button not an object", msg(`"type":"template","template":{"name":"t","language":"en","buttons":["b"]}`), "template.buttons[0]", CodeInvalidFormat, true},
		{"button index fraction", msg(`"type":"template","template":{"name":"t","language":"en","buttons":[{"index":1.5}]}`), "template.buttons[0].index", CodeInvalidFormat, true},
		{"button index beyond int32", msg(`"type":"template","template":{"name":"t","language":"en","buttons":[{"index":3000000000}]}`), "template.buttons[0].index", CodeOutOfRange, true},
		{"button index huge", msg(`"type":"template","template":{"name":"t","language":"en","buttons":[{"index":1e400}]}`), "template.buttons[0].index", CodeOutOfRange, true},
		{"button index string", msg(`"type":"template","template":{"name":"t","language":"en","buttons":[{"index":"1"}]}`), "template.buttons[0].index", CodeInvalidFormat, true},
		{"button payload number", msg(`"type":"template","template":{"name":"t","language":"en","buttons":[{"index":0,"payload":5}]}`), "template.buttons[0].payload", CodeInvalidFormat, true},
		{"raw payload missing", msg(`"type":"raw","raw":{"version":"1"}`), "raw.payload", CodeRequired, true},
		{"raw payload not JSON", msg(`"type":"raw","raw":{"payload":"not json"}`), "raw.payload", CodeInvalidJSON, false},
		{"raw payload truncated JSON", msg(`"type":"raw","raw":{"payload":"{\"type\":"}`), "raw.payload", CodeInvalidJSON, false},
		{"raw payload an object", msg(`"type":"raw","raw":{"payload":{"type":"text"}}`), "raw.payload", CodeInvalidFormat, true},
		{"raw version a number", msg(`"type":"raw","raw":{"version":1,"payload":"{}"}`), "raw.version", CodeInvalidFormat, true},
		{"scheduled not a date", msg(`"type":"text","text":{"body":"hi"},"scheduled":"tomorrow"`), "scheduled", CodeInvalidFormat, true},
		{"scheduled without zone", msg(`"type":"text","text":{"body":"hi"},"scheduled":"2030-01-05T00:00:00"`), "scheduled", CodeInvalidFormat, true},
		{"scheduled a number", msg(`"type":"text","text":{"body":"hi"},"scheduled":1893553445`), "scheduled", CodeInvalidFormat, true},
		{"scheduled in the past", msg(`"type":"text","text":{"body":"hi"},"scheduled":"` + ts(-time.Minute) + `"`), "scheduled", CodeOutOfRange, false},
		{"scheduled now", msg(`"type":"text","text":{"body":"hi"},"scheduled":"` + ts(0) + `"`), "scheduled", CodeOutOfRange, false},
		{"scheduled beyond 60 days", msg(`"type":"text","text":{"body":"hi"},"scheduled":"` + ts(MaxSchedule+time.Second) + `"`), "scheduled", CodeOutOfRange, false},
		{"reference a number", msg(`"type":"text","text":{"body":"hi"},"reference":7`), "reference", CodeInvalidFormat, true},
	}
}

func broadcastCases() []invalidCase {
	b := func(dest string) string {
		return withFields(dest + `"type":"text","text":{"body":"hi"}`)
	}
	many := strings.TrimSuffix(strings.Repeat(`"+6421000001",`, 1001), ",")
	return []invalidCase{
		{"no destination", b(``), "destination", CodeRequired, true},
		{"to instead of destination", b(`"to":"+6421000001",`), "destination", CodeRequired, true},
		{"destination a string", b(`"destination":"+6421000001",`), "destination", CodeInvalidFormat, true},
		{"empty destination", b(`"destination":[],`), "destination", CodeRequired, true},
		{"number not a string", b(`"destination":["+6421000001",6421000002],`), "destination[1]", CodeInvalidFormat, true},
		{"malformed number", b(`"destination":["+6421000001","+6421000002","0211"],`), "destination[2]", CodeInvalidFormat, true},
		{"too many", b(`"destination":[` + many + `],`), "destination", CodeTooMany, false},
		{"bad content", withFields(`"destination":["+6421000001"],"type":"text","text":{"body":""}`), "text.body", CodeRequired, true},
	}
}

func checkInvalid(t *testing.T, s *Server, method, path string, tt invalidCase) {
	t.Helper()
	rec := do(s, method, path, tt.body)
	wantFieldError(t, rec, tt.field, tt.code)
	err := api.ValidateRequest(apiRequest(method, path, tt.body))
	if tt.spec && err == nil {
		t.Errorf("openapi.yaml accepts what the mock refuses: %s", tt.body)
	}
	if !tt.spec && err != nil {
		t.Errorf("openapi.yaml refuses (%v), but the case is marked as beyond OpenAPI", err)
	}
}

func TestSendValidation(t *testing.T) {
	t.Parallel()
	s := newMock(t, Options{})
	for _, tt := range sendCases(testStart) {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			checkInvalid(t, s, http.MethodPost, "/messages", tt)
		})
	}
	t.Cleanup(func() {
		if st := s.Stats(); st.SpecRejections != 0 || st.Sends != 0 {
			t.Errorf("after invalid sends: %d spec rejections, %d sends; want 0, 0", st.SpecRejections, st.Sends)
		}
	})
}

func TestBroadcastValidation(t *testing.T) {
	t.Parallel()
	s := newMock(t, Options{})
	for _, tt := range broadcastCases() {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			checkInvalid(t, s, http.MethodPost, "/messages/broadcast", tt)
		})
	}
}

func TestBroadcastLimitIsConfigurable(t *testing.T) {
	t.Parallel()
	s := newMock(t, Options{MaxBroadcastDestinations: 2})
	rec := do(s, http.MethodPost, "/messages/broadcast", withFields(`"destination":["+6421000001","+6421000002","+6421000003"],"type":"text","text":{"body":"hi"}`))
	e := wantFieldError(t, rec, "destination", CodeTooMany)
	if !strings.Contains(e.Description, "at most 2") {
		t.Errorf("description %q does not give the limit", e.Description)
	}
}

func TestOtherValidation(t *testing.T) {
	t.Parallel()
	s := newMock(t, Options{})
	const uuid = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
	tests := []struct {
		method, path string
		tt           invalidCase
	}{
		{http.MethodPatch, "/messages", invalidCase{"no ids", `{}`, "message_id", CodeRequired, true}},
		{http.MethodPatch, "/messages", invalidCase{"ids not an array", `{"message_id":"` + uuid + `"}`, "message_id", CodeInvalidFormat, true}},
		{http.MethodPatch, "/messages", invalidCase{"empty ids", `{"message_id":[]}`, "message_id", CodeRequired, true}},
		{http.MethodPatch, "/messages", invalidCase{"bad id", `{"message_id":["` + uuid + `","nope"]}`, "message_id[1]", CodeInvalidFormat, true}},
		{http.MethodPatch, "/messages", invalidCase{"id a number", `{"message_id":[1]}`, "message_id[0]", CodeInvalidFormat, true}},
		{http.MethodPatch, "/messages", invalidCase{"malformed JSON", `{"message_id":[`, "", CodeInvalidJSON, true}},
		{http.MethodPost, "/source", invalidCase{"no source", `{"waba_id":"1"}`, "source", CodeRequired, true}},
		{http.MethodPost, "/source", invalidCase{"bad source", `{"source":"+64","waba_id":"1"}`, "source", CodeInvalidFormat, true}},
		{http.MethodPost, "/source", invalidCase{"no waba id", `{"source":"1"}`, "waba_id", CodeRequired, true}},
		{http.MethodPost, "/source", invalidCase{"empty waba id", `{"source":"1","waba_id":""}`, "waba_id", CodeRequired, true}},
		{http.MethodPost, "/source", invalidCase{"waba id a number", `{"source":"1","waba_id":5}`, "waba_id", CodeInvalidFormat, true}},
		{http.MethodPost, "/source", invalidCase{"short pin", `{"source":"1","waba_id":"2","pin":"12345"}`, "pin", CodeInvalidFormat, true}},
		{http.MethodPost, "/source", invalidCase{"pin with letters", `{"source":"1","waba_id":"2","pin":"12345a"}`, "pin", CodeInvalidFormat, true}},
		{http.MethodPost, "/source", invalidCase{"pin a number", `{"source":"1","waba_id":"2","pin":123456}`, "pin", CodeInvalidFormat, true}},
		{http.MethodPost, "/source", invalidCase{"body an array", `[1]`, "", CodeInvalidFormat, true}},
	}
	for _, tt := range tests {
		t.Run(tt.tt.name, func(t *testing.T) {
			t.Parallel()
			checkInvalid(t, s, tt.method, tt.path, tt.tt)
		})
	}
}

func TestQueryValidation(t *testing.T) {
	t.Parallel()
	s := newMock(t, Options{})
	tests := []struct {
		method, path, field, code string
	}{
		{http.MethodGet, "/messages", "id", CodeRequired},
		{http.MethodGet, "/messages?id=", "id", CodeRequired},
		{http.MethodGet, "/messages?id=123", "id", CodeInvalidFormat},
		{http.MethodGet, "/messages?id=3fa85f64-5717-4562-b3fc-2c963f66afa6x", "id", CodeInvalidFormat},
		{http.MethodGet, "/media?source=1", "media_id", CodeRequired},
		{http.MethodGet, "/media?media_id=abc", "source", CodeRequired},
		{http.MethodGet, "/media?media_id=abc&source=x1", "source", CodeInvalidFormat},
		{http.MethodPost, "/media", "source", CodeRequired},
		{http.MethodPost, "/media?source=01", "source", CodeInvalidFormat},
	}
	req := func(method, path string) *http.Request {
		r := apiRequest(method, path, "")
		if method == http.MethodPost {
			r.Header.Set("Content-Type", "multipart/form-data; boundary=x")
		}
		return r
	}
	for _, tt := range tests {
		rec := serve(s, req(tt.method, tt.path))
		wantFieldError(t, rec, tt.field, tt.code)
		if err := api.ValidateRequest(req(tt.method, tt.path)); err == nil {
			t.Errorf("%s %s: openapi.yaml accepts it", tt.method, tt.path)
		}
	}
}

// One 400 lists every problem of the request.
func TestEmptyBody(t *testing.T) {
	t.Parallel()
	s := newMock(t, Options{})
	for _, body := range []string{"", "  \n"} {
		r := apiRequest(http.MethodPost, "/messages", "x")
		r.Body = readCloser{strings.NewReader(body)}
		wantFieldError(t, serve(s, r), "", CodeInvalidJSON)
	}
}

func TestValidationReportsEveryProblem(t *testing.T) {
	t.Parallel()
	s := newMock(t, Options{})
	rec := do(s, http.MethodPost, "/messages", `{"to":"x","source":"0","type":"media","media":{"type":"gif","url":"x"},"scheduled":"soon","reference":1}`)
	resp := decode[ValidationErrorResponse](t, rec)
	var fields []string
	for _, e := range resp.Errors {
		fields = append(fields, e.Field+":"+e.Code)
	}
	want := "to:invalid_format source:invalid_format media.type:invalid_value media.url:invalid_format scheduled:invalid_format reference:invalid_format"
	if got := strings.Join(fields, " "); got != want {
		t.Fatalf("errors = %s\nwant     %s", got, want)
	}
	e := resp.Errors[0]
	if e.Description != descE164 {
		t.Errorf("description = %q", e.Description)
	}
}

func TestValidationCapsReportedErrors(t *testing.T) {
	t.Parallel()
	s := newMock(t, Options{})
	bad := strings.TrimSuffix(strings.Repeat(`"x",`, 500), ",")
	rec := do(s, http.MethodPost, "/messages/broadcast", withFields(`"destination":[`+bad+`],"type":"text","text":{"body":"hi"}`))
	if n := len(decode[ValidationErrorResponse](t, rec).Errors); n != maxReportedErrors {
		t.Fatalf("%d errors, want %d", n, maxReportedErrors)
	}
}

func TestValidSendVariants(t *testing.T) {
	t.Parallel()
	s := newMock(t, Options{})
	ts := func(d time.Duration) string { return testStart.Add(d).Format(time.RFC3339Nano) }
	msg := func(content string) string { return withFields(`"to":"+6421000001",` + content) }
	for name, body := range map[string]string{
		"destination instead of to": withFields(`"destination":"+6421000001","type":"text","text":{"body":"hi"}`),
		"to and destination equal":  withFields(`"to":"+6421000001","destination":"+6421000001","type":"text","text":{"body":"hi"}`),
		"shortest number":           withFields(`"to":"+12","type":"text","text":{"body":"hi"}`),
		"longest number":            withFields(`"to":"+123456789012345","type":"text","text":{"body":"hi"}`),
		"scheduled a second ahead":  msg(`"type":"text","text":{"body":"hi"},"scheduled":"` + ts(time.Second) + `"`),
		"scheduled exactly 60 days": msg(`"type":"text","text":{"body":"hi"},"scheduled":"` + ts(MaxSchedule) + `"`),
		"scheduled with an offset":  msg(`"type":"text","text":{"body":"hi"},"scheduled":"` + testStart.Add(time.Hour).In(time.FixedZone("NZDT", 13*3600)).Format(time.RFC3339) + `"`),
		"scheduled with fraction":   msg(`"type":"text","text":{"body":"hi"},"scheduled":"` + ts(1500*time.Millisecond) + `"`),
		"unknown fields ignored":    msg(`"type":"text","text":{"body":"hi","preview_url":true},"priority":"high"`),
		"other content ignored":     msg(`"type":"text","text":{"body":"hi"},"media":"garbage","raw":1`),
		"template minimal":          msg(`"type":"template","template":{"name":"welcome","language":"en_US"}`),
		"template full":             msg(`"type":"template","template":{"name":"w","language":"en","header_params":[],"body_params":["a"],"media":{"type":"image","url":"HTTPS://example.com/x.png"},"buttons":[{"index":-1,"type":"url","payload":"p"},{}]}`),
		"template button index 1e1": msg(`"type":"template","template":{"name":"w","language":"en","buttons":[{"index":1e1}]}`),
		"raw":                       msg(`"type":"raw","raw":{"payload":"{\"type\":\"image\",\"image\":{\"link\":\"https://e.com/a.png\"}}"}`),
		"raw scalar payload":        msg(`"type":"raw","raw":{"payload":"42"}`),
		"media http":                msg(`"type":"media","media":{"type":"document","url":"http://example.com/a.pdf?x=1#y"}`),
		"unicode body":              msg(`"type":"text","text":{"body":"kia ora 👋 \u0000"}`),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			wantStatus(t, do(s, http.MethodPost, "/messages", body), http.StatusAccepted)
		})
	}
	t.Cleanup(func() {
		if st := s.Stats(); st.SpecRejections != 0 {
			t.Errorf("%d spec rejections", st.SpecRejections)
		}
	})
}

// When the mock's own checks pass but the contract does not, the request is still refused,
// and counted.
func TestSpecIsTheSafetyNet(t *testing.T) {
	t.Parallel()
	s := newMock(t, Options{})
	invalidTo := strings.Replace(validText, "+6421000001", "nope", 1)
	c := &call{s: s, r: apiRequest(http.MethodPost, "/messages", invalidTo)}
	rec := newRecorderFor(c)
	if c.passes(nil) {
		t.Fatal("passes accepted a request the contract refuses")
	}
	e := wantFieldError(t, rec, "to", CodeInvalidValue)
	if !strings.Contains(e.Description, "API contract") {
		t.Errorf("description = %q", e.Description)
	}
	if got := s.Stats().SpecRejections; got != 1 {
		t.Errorf("SpecRejections = %d, want 1", got)
	}

	off := newMock(t, Options{DisableSpecValidation: true})
	c = &call{s: off, r: apiRequest(http.MethodPost, "/messages", invalidTo)}
	newRecorderFor(c)
	if !c.passes(nil) {
		t.Fatal("with DisableSpecValidation the contract must not be checked")
	}
}

// The reference types template.media.url only as string(url): any absolute
// URL is accepted there, while media.url must be http(s) (api/README.md).
func TestTemplateMediaURLAnyAbsoluteURL(t *testing.T) {
	t.Parallel()
	s := newMock(t, Options{})
	rec := do(s, http.MethodPost, "/messages",
		withFields(`"to":"+6421000001","type":"template","template":{"name":"t","language":"en","media":{"type":"image","url":"s3://bucket/header.png"}}`))
	wantStatus(t, rec, http.StatusAccepted)
	if st := s.Stats(); st.SpecRejections != 0 {
		t.Errorf("%d spec rejections; the contract and the mock disagree on template.media.url", st.SpecRejections)
	}
}
