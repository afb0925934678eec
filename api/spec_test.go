package api

import (
	"bytes"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
)

func TestSpecLoadsAndValidates(t *testing.T) {
	t.Parallel()
	doc, err := Spec()
	if err != nil {
		t.Fatal(err)
	}
	if got := doc.Info.Version; got != "1.3.1" {
		t.Errorf("info.version = %q, want 1.3.1", got)
	}
	if got := doc.Servers[0].URL; got != "https://new.eziapi.com"+BasePath {
		t.Errorf("server = %q", got)
	}
	want := map[string][]string{
		"/messages":           {http.MethodPost, http.MethodGet, http.MethodPatch},
		"/messages/broadcast": {http.MethodPost},
		"/media":              {http.MethodPost, http.MethodGet},
		"/source":             {http.MethodPost},
	}
	if got := doc.Paths.Len(); got != len(want) {
		t.Errorf("%d paths, want %d", got, len(want))
	}
	for path, methods := range want {
		item := doc.Paths.Value(path)
		if item == nil {
			t.Errorf("path %s missing", path)
			continue
		}
		for _, m := range methods {
			if item.GetOperation(m) == nil {
				t.Errorf("%s %s missing", m, path)
			}
		}
	}
}

// Every response of every operation carries the security headers of the reference; every 429
// also Retry-After; every error uses one of the two error shapes.
func TestSpecResponses(t *testing.T) {
	t.Parallel()
	doc, err := Spec()
	if err != nil {
		t.Fatal(err)
	}
	security := []string{"Content-Security-Policy", "Strict-Transport-Security", "Cache-Control", "X-Frame-Options", "X-Content-Type-Options"}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			for code, ref := range op.Responses.Map() {
				resp := ref.Value
				for _, h := range security {
					if resp.Headers[h] == nil {
						t.Errorf("%s %s %s: header %s missing", method, path, code, h)
					}
				}
				if code == "429" && resp.Headers["Retry-After"] == nil {
					t.Errorf("%s %s 429: Retry-After missing", method, path)
				}
				if code == "401" && resp.Headers["WWW-Authenticate"] == nil {
					t.Errorf("%s %s 401: WWW-Authenticate missing", method, path)
				}
				if code[0] != '4' && code[0] != '5' {
					continue
				}
				schema := resp.Content.Get("application/json").Schema
				wantRef := "#/components/schemas/ErrorMessage"
				if code == "400" {
					wantRef = "#/components/schemas/APIErrorResponse"
				}
				if schema == nil || schema.Ref != wantRef {
					t.Errorf("%s %s %s: error schema %v, want %s", method, path, code, schema, wantRef)
				}
			}
		}
	}
}

func TestSpecEnumsAndCallbacks(t *testing.T) {
	t.Parallel()
	doc, err := Spec()
	if err != nil {
		t.Fatal(err)
	}
	// Enum is what the client's and the mock's tests compare their lists with.
	for _, e := range [][]string{{"MediaMimeType"}, {"MessageStatus"}, {"MessageDetails", "direction"}, {"MessageCommon", "type"}} {
		values, err := Enum(e[0], e[1:]...)
		if err != nil || len(values) < 2 || slices.Contains(values, "") {
			t.Errorf("Enum(%q) = %v, %v", e, values, err)
		}
	}
	if got, err := Enum("MessageDetails", "direction"); err != nil || !slices.Equal(got, []string{"MT", "MO"}) {
		t.Errorf("Enum(MessageDetails, direction) = %v, %v: not the values of openapi.yaml in order", got, err)
	}
	for _, e := range [][]string{{"NoSuchSchema"}, {"MessageDetails", "nosuch"}, {"MessageDetails", "id"}} {
		if got, err := Enum(e[0], e[1:]...); err == nil {
			t.Errorf("Enum(%q) = %v, want an error", e, got)
		}
	}
	for _, path := range []string{"/messages", "/messages/broadcast"} {
		cbs := doc.Paths.Value(path).Post.Callbacks
		for _, name := range []string{"messageCallback", "replyCallback"} {
			if cbs[name] == nil {
				t.Errorf("POST %s: callback %s missing", path, name)
			}
		}
	}
	if len(YAML()) == 0 || !bytes.Contains(YAML(), []byte("openapi: 3.0.3")) {
		t.Error("YAML() does not return the document")
	}
}

func newRequest(t *testing.T, method, target, contentType, body string) *http.Request {
	t.Helper()
	var r *http.Request
	if body == "" {
		r = httptest.NewRequestWithContext(t.Context(), method, target, nil)
	} else {
		r = httptest.NewRequestWithContext(t.Context(), method, target, strings.NewReader(body))
	}
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	r.SetBasicAuth("demo", "demo-password")
	return r
}

func multipartBody(t *testing.T, partType string) (string, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	h := make(map[string][]string)
	h["Content-Disposition"] = []string{`form-data; name="file"; filename="logo.png"`}
	h["Content-Type"] = []string{partType}
	w, err := mw.CreatePart(h)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = w.Write([]byte("\x89PNG..."))
	_ = mw.Close()
	return mw.FormDataContentType(), buf.String()
}

func TestValidateRequest(t *testing.T) {
	t.Parallel()
	const uuid = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
	mpType, mpBody := multipartBody(t, "image/png")
	tests := []struct {
		name, method, target, contentType, body string
		wantField                               string // "" with wantErr false: valid
		wantErr                                 bool
	}{
		{"text", "POST", "/rest/wab/v1/messages", "application/json", `{"to":"+6421000001","source":"1234567890","type":"text","text":{"body":"Hello"}}`, "", false},
		{"destination instead of to", "POST", "/rest/wab/v1/messages", "application/json", `{"destination":"+6421000001","source":"1","type":"text","text":{"body":"Hello"}}`, "", false},
		{"without base path", "POST", "/messages", "application/json", `{"to":"+6421000001","source":"1","type":"text","text":{"body":"Hello"}}`, "", false},
		{"charset", "POST", "/rest/wab/v1/messages", "application/json; charset=utf-8", `{"to":"+6421000001","source":"1","type":"text","text":{"body":"Hello"}}`, "", false},
		{"media", "POST", "/rest/wab/v1/messages", "application/json", `{"to":"+6421000001","source":"1","type":"media","media":{"type":"image","url":"https://example.com/a.png"}}`, "", false},
		{"template", "POST", "/rest/wab/v1/messages", "application/json", `{"to":"+6421000001","source":"1","type":"template","template":{"name":"t","language":"en_US","header_params":["a"],"body_params":["b"],"media":{"type":"image","url":"https://e.com/x"},"buttons":[{"index":0,"type":"quick_reply","payload":"p"}]}}`, "", false},
		{"raw", "POST", "/rest/wab/v1/messages", "application/json", `{"to":"+6421000001","source":"1","type":"raw","raw":{"version":"1","payload":"{}"}}`, "", false},
		{"scheduled", "POST", "/rest/wab/v1/messages", "application/json", `{"to":"+6421000001","source":"1","type":"text","text":{"body":"x"},"scheduled":"2030-01-01T00:00:00Z","reference":"r"}`, "", false},
		{"broadcast", "POST", "/rest/wab/v1/messages/broadcast", "application/json", `{"destination":["+6421000001","+6421000002"],"source":"1","type":"text","text":{"body":"x"}}`, "", false},
		{"get message", "GET", "/rest/wab/v1/messages?id=" + uuid, "", "", "", false},
		{"mark read", "PATCH", "/rest/wab/v1/messages", "application/json", `{"message_id":["` + uuid + `"]}`, "", false},
		{"source", "POST", "/rest/wab/v1/source", "application/json", `{"source":"1234567890","waba_id":"99","pin":"123456"}`, "", false},
		{"upload", "POST", "/rest/wab/v1/media?source=1234567890", mpType, mpBody, "", false},
		{"upload garbage body is not checked", "POST", "/rest/wab/v1/media?source=1234567890", "multipart/form-data; boundary=x", "garbage", "", false},
		{"get media", "GET", "/rest/wab/v1/media?media_id=abc&source=1234567890", "", "", "", false},

		{"bad to", "POST", "/rest/wab/v1/messages", "application/json", `{"to":"6421000001","source":"1","type":"text","text":{"body":"x"}}`, "to", true},
		{"no recipient", "POST", "/rest/wab/v1/messages", "application/json", `{"source":"1","type":"text","text":{"body":"x"}}`, "", true},
		{"bad source", "POST", "/rest/wab/v1/messages", "application/json", `{"to":"+6421000001","source":"0123","type":"text","text":{"body":"x"}}`, "source", true},
		{"empty body text", "POST", "/rest/wab/v1/messages", "application/json", `{"to":"+6421000001","source":"1","type":"text","text":{"body":""}}`, "text.body", true},
		{"missing content", "POST", "/rest/wab/v1/messages", "application/json", `{"to":"+6421000001","source":"1","type":"media"}`, "media", true},
		{"bad media type", "POST", "/rest/wab/v1/messages", "application/json", `{"to":"+6421000001","source":"1","type":"media","media":{"type":"gif","url":"https://e.com"}}`, "media.type", true},
		{"bad media url", "POST", "/rest/wab/v1/messages", "application/json", `{"to":"+6421000001","source":"1","type":"media","media":{"type":"image","url":"ftp://e.com/x"}}`, "media.url", true},
		{"button index not int", "POST", "/rest/wab/v1/messages", "application/json", `{"to":"+6421000001","source":"1","type":"template","template":{"name":"t","language":"en","buttons":[{"index":1.5}]}}`, "template.buttons[0].index", true},
		{"bad scheduled", "POST", "/rest/wab/v1/messages", "application/json", `{"to":"+6421000001","source":"1","type":"text","text":{"body":"x"},"scheduled":"tomorrow"}`, "scheduled", true},
		{"bad broadcast number", "POST", "/rest/wab/v1/messages/broadcast", "application/json", `{"destination":["+6421000001","x"],"source":"1","type":"text","text":{"body":"x"}}`, "destination[1]", true},
		{"empty broadcast", "POST", "/rest/wab/v1/messages/broadcast", "application/json", `{"destination":[],"source":"1","type":"text","text":{"body":"x"}}`, "destination", true},
		{"wrong content type", "POST", "/rest/wab/v1/messages", "text/plain", `{}`, "Content-Type", true},
		{"malformed JSON", "POST", "/rest/wab/v1/messages", "application/json", `{"to":`, "", true},
		{"bad id", "GET", "/rest/wab/v1/messages?id=abc", "", "", "id", true},
		{"missing id", "GET", "/rest/wab/v1/messages", "", "", "id", true},
		{"bad mark read id", "PATCH", "/rest/wab/v1/messages", "application/json", `{"message_id":["` + uuid + `","x"]}`, "message_id[1]", true},
		{"bad pin", "POST", "/rest/wab/v1/source", "application/json", `{"source":"1","waba_id":"2","pin":"12"}`, "pin", true},
		{"missing waba", "POST", "/rest/wab/v1/source", "application/json", `{"source":"1"}`, "waba_id", true},
		{"upload bad source", "POST", "/rest/wab/v1/media?source=abc", mpType, mpBody, "source", true},
		{"get media without id", "GET", "/rest/wab/v1/media?source=1", "", "", "media_id", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := ValidateRequest(newRequest(t, tt.method, tt.target, tt.contentType, tt.body))
			if !tt.wantErr {
				if err != nil {
					t.Fatalf("ValidateRequest: %v", err)
				}
				return
			}
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("error = %v, want a *ValidationError", err)
			}
			if ve.Field != tt.wantField || ve.Operation == "" || ve.Reason == "" {
				t.Fatalf("error = %+v, want field %q", ve, tt.wantField)
			}
		})
	}
}

func TestValidateRequestWithoutCredentials(t *testing.T) {
	t.Parallel()
	r := httptest.NewRequestWithContext(t.Context(), http.MethodGet, "/rest/wab/v1/messages?id=3fa85f64-5717-4562-b3fc-2c963f66afa6", nil)
	var ve *ValidationError
	if err := ValidateRequest(r); !errors.As(err, &ve) || ve.Field != "Authorization" {
		t.Fatalf("error = %v, want a ValidationError on Authorization", err)
	}
}

func TestValidateRequestUnknownOperation(t *testing.T) {
	t.Parallel()
	for _, target := range []string{"/rest/wab/v1/nothing", "/rest/wab/v1/messages/", "/elsewhere"} {
		err := ValidateRequest(newRequest(t, http.MethodGet, target, "", ""))
		if !errors.Is(err, ErrNoOperation) {
			t.Errorf("GET %s: error = %v, want ErrNoOperation", target, err)
		}
	}
	if err := ValidateRequest(newRequest(t, http.MethodDelete, "/rest/wab/v1/messages", "", "")); !errors.Is(err, ErrNoOperation) {
		t.Errorf("DELETE: error = %v, want ErrNoOperation", err)
	}
}

// The caller can read the body after validation, whether it passed or not.
func TestValidateRequestRestoresBody(t *testing.T) {
	t.Parallel()
	for _, body := range []string{
		`{"to":"+6421000001","source":"1","type":"text","text":{"body":"Hello"}}`,
		`{"to":"bad","source":"1","type":"text","text":{"body":"Hello"}}`,
	} {
		r := newRequest(t, http.MethodPost, "/rest/wab/v1/messages", "application/json", body)
		_ = ValidateRequest(r)
		got, err := io.ReadAll(r.Body)
		if err != nil || string(got) != body {
			t.Fatalf("body after validation = %q, %v; want %q", got, err, body)
		}
		rc, err := r.GetBody()
		if err != nil {
			t.Fatal(err)
		}
		again, _ := io.ReadAll(rc)
		if string(again) != body {
			t.Fatalf("GetBody = %q", again)
		}
	}
}

// Multipart bodies, and bodies of operations that take none, are left untouched (not read).
func TestValidateRequestLeavesOtherBodies(t *testing.T) {
	t.Parallel()
	ct, body := multipartBody(t, "image/png")
	for _, r := range []*http.Request{
		newRequest(t, http.MethodPost, "/rest/wab/v1/media?source=1", ct, body),
		newRequest(t, http.MethodGet, "/rest/wab/v1/messages?id=3fa85f64-5717-4562-b3fc-2c963f66afa6", "", body),
	} {
		if err := ValidateRequest(r); err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(r.Body)
		if string(got) != body {
			t.Fatalf("%s %s: body was consumed", r.Method, r.URL)
		}
	}
}

func TestValidateRequestConcurrent(t *testing.T) {
	t.Parallel()
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := `{"to":"+6421000001","source":"1","type":"text","text":{"body":"Hello"}}`
			if i%2 == 1 {
				body = `{"to":"x","source":"1","type":"text","text":{"body":"Hello"}}`
			}
			for range 50 {
				err := ValidateRequest(newRequest(t, http.MethodPost, "/rest/wab/v1/messages", "application/json", body))
				if (err != nil) != (i%2 == 1) {
					t.Errorf("unexpected result %v", err)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestJSONPath(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   []string
		want string
	}{
		{nil, ""},
		{[]string{"to"}, "to"},
		{[]string{"text", "body"}, "text.body"},
		{[]string{"destination", "3"}, "destination[3]"},
		{[]string{"template", "buttons", "0", "index"}, "template.buttons[0].index"},
	}
	for _, tt := range tests {
		if got := jsonPath(tt.in); got != tt.want {
			t.Errorf("jsonPath(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
