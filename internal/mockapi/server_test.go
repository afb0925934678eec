package mockapi

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	t.Parallel()
	s := newMock(t, Options{})
	id := sendText(t, s, "+6421000001", "")
	requests := map[string]*http.Request{
		"202 send":         apiRequest(http.MethodPost, "/messages", `{"to":"+6421000001","source":"`+testSource+`","type":"text","text":{"body":"x"}}`),
		"200 get":          apiRequest(http.MethodGet, "/messages?id="+id, ""),
		"400 validation":   apiRequest(http.MethodPost, "/messages", `{}`),
		"404 unknown path": apiRequest(http.MethodGet, "/nothing", ""),
		"404 outside api":  httptest.NewRequestWithContext(context.Background(), http.MethodGet, "/", nil),
		"405 method":       apiRequest(http.MethodDelete, "/messages", ""),
		"415 type":         apiRequest(http.MethodPost, "/source", ""),
		"404 message":      apiRequest(http.MethodGet, "/messages?id=3fa85f64-5717-4562-b3fc-2c963f66afa6", ""),
		"admin 200":        httptest.NewRequestWithContext(context.Background(), http.MethodGet, AdminPrefix+"stats", nil),
		"admin 404":        httptest.NewRequestWithContext(context.Background(), http.MethodGet, AdminPrefix+"nothing", nil),
	}
	unauth := apiRequest(http.MethodGet, "/messages?id="+id, "")
	unauth.Header.Del("Authorization")
	requests["401"] = unauth
	for name, r := range requests {
		rec := serve(s, r)
		for h, v := range SecurityHeaders() {
			if got := rec.Header().Get(h); got != v {
				t.Errorf("%s (status %d): %s = %q, want %q", name, rec.Code, h, got, v)
			}
		}
	}
}

func TestRouting(t *testing.T) {
	t.Parallel()
	s := newMock(t, Options{})
	tests := []struct {
		method, path string
		status       int
		allow        string
	}{
		{http.MethodGet, "/nothing", http.StatusNotFound, ""},
		{http.MethodGet, "/messages/", http.StatusNotFound, ""},
		{http.MethodPost, "/messages/broadcast/x", http.StatusNotFound, ""},
		{http.MethodDelete, "/messages", http.StatusMethodNotAllowed, "GET, PATCH, POST"},
		{http.MethodGet, "/messages/broadcast", http.StatusMethodNotAllowed, "POST"},
		{http.MethodPut, "/media", http.StatusMethodNotAllowed, "GET, POST"},
		{http.MethodGet, "/source", http.StatusMethodNotAllowed, "POST"},
		{http.MethodHead, "/messages", http.StatusMethodNotAllowed, "GET, PATCH, POST"},
	}
	for _, tt := range tests {
		rec := do(s, tt.method, tt.path, "")
		wantError(t, rec, tt.status)
		if got := rec.Header().Get("Allow"); got != tt.allow {
			t.Errorf("%s %s: Allow = %q, want %q", tt.method, tt.path, got, tt.allow)
		}
	}
	st := s.Stats()
	if st.ByEndpoint[EndpointUnknown] != int64(len(tests)) {
		t.Errorf("unknown endpoint count = %d, want %d", st.ByEndpoint[EndpointUnknown], len(tests))
	}
}

func TestAuthentication(t *testing.T) {
	t.Parallel()
	s := newMock(t, Options{Accounts: map[string]Account{
		"alice": {Password: "a-secret", Sources: []string{testSource}},
		"bob":   {Password: "b-secret"},
	}})
	target := "/messages?id=3fa85f64-5717-4562-b3fc-2c963f66afa6"
	tests := []struct {
		name       string
		setAuth    func(r *http.Request)
		wantStatus int
	}{
		{"none", func(r *http.Request) { r.Header.Del("Authorization") }, http.StatusUnauthorized},
		{"bearer", func(r *http.Request) { r.Header.Set("Authorization", "Bearer abc") }, http.StatusUnauthorized},
		{"malformed basic", func(r *http.Request) { r.Header.Set("Authorization", "Basic !!!") }, http.StatusUnauthorized},
		{"wrong password", func(r *http.Request) { r.SetBasicAuth("alice", "b-secret") }, http.StatusUnauthorized},
		{"unknown user", func(r *http.Request) { r.SetBasicAuth("carol", "a-secret") }, http.StatusUnauthorized},
		{"empty password", func(r *http.Request) { r.SetBasicAuth("alice", "") }, http.StatusUnauthorized},
		{"alice", func(r *http.Request) { r.SetBasicAuth("alice", "a-secret") }, http.StatusNotFound},
		{"bob", func(r *http.Request) { r.SetBasicAuth("bob", "b-secret") }, http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := apiRequest(http.MethodGet, target, "")
			tt.setAuth(r)
			rec := serve(s, r)
			wantError(t, rec, tt.wantStatus)
			if tt.wantStatus == http.StatusUnauthorized && !strings.HasPrefix(rec.Header().Get("WWW-Authenticate"), "Basic ") {
				t.Errorf("WWW-Authenticate = %q", rec.Header().Get("WWW-Authenticate"))
			}
		})
	}
}

// Messages and sources belong to an account: another account cannot read or use them.
func TestAccountsAreIsolated(t *testing.T) {
	t.Parallel()
	s := newMock(t, Options{Accounts: map[string]Account{
		DefaultUsername: {Password: DefaultPassword, Sources: []string{testSource}},
		"other":         {Password: "other-password"},
	}})
	id := sendText(t, s, "+6421000001", "")
	r := apiRequest(http.MethodGet, "/messages?id="+id, "")
	r.SetBasicAuth("other", "other-password")
	wantError(t, serve(s, r), http.StatusNotFound)

	r = apiRequest(http.MethodPost, "/messages", `{"to":"+6421000001","source":"`+testSource+`","type":"text","text":{"body":"x"}}`)
	r.SetBasicAuth("other", "other-password")
	wantError(t, serve(s, r), http.StatusUnprocessableEntity)

	r = apiRequest(http.MethodPatch, "/messages", `{"message_id":["`+id+`"]}`)
	r.SetBasicAuth("other", "other-password")
	wantError(t, serve(s, r), http.StatusNotFound)
}

func TestContentTypeAndBodySize(t *testing.T) {
	t.Parallel()
	s := newMock(t, Options{MaxBodyBytes: 1024})
	valid := `{"source":"` + testSource + `","waba_id":"1"}`
	tests := []struct {
		name, contentType, body string
		status                  int
	}{
		{"no content type", "", valid, http.StatusUnsupportedMediaType},
		{"text/plain", "text/plain", valid, http.StatusUnsupportedMediaType},
		{"form", "application/x-www-form-urlencoded", valid, http.StatusUnsupportedMediaType},
		{"malformed content type", "application/json; =", valid, http.StatusUnsupportedMediaType},
		{"charset is fine", "application/json; charset=utf-8", valid, http.StatusOK},
		{"upper case is fine", "Application/JSON", valid, http.StatusOK},
		{"too large", "application/json", `{"source":"1","waba_id":"` + strings.Repeat("9", 2000) + `"}`, http.StatusRequestEntityTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := apiRequest(http.MethodPost, "/source", tt.body)
			r.Header.Set("Content-Type", tt.contentType)
			rec := serve(s, r)
			if tt.status == http.StatusOK {
				wantStatus(t, rec, tt.status)
				return
			}
			wantError(t, rec, tt.status)
		})
	}
}

// A body without Content-Length (chunked) that grows past the cap is a 413 too.
func TestChunkedBodyTooLarge(t *testing.T) {
	t.Parallel()
	s := newMock(t, Options{MaxBodyBytes: 1024})
	r := apiRequest(http.MethodPost, "/source", "x")
	r.Body = readCloser{bytes.NewReader(bytes.Repeat([]byte(" "), 4096))}
	r.ContentLength = -1
	wantError(t, serve(s, r), http.StatusRequestEntityTooLarge)
}

type readCloser struct{ io.Reader }

func (readCloser) Close() error { return nil }

func TestCountersProveNothingReachedTheMock(t *testing.T) {
	t.Parallel()
	s := newMock(t, Options{})
	if st := s.Stats(); st.Requests != 0 || len(s.Requests()) != 0 {
		t.Fatalf("fresh mock: %+v", st)
	}
	serve(s, httptest.NewRequestWithContext(context.Background(), http.MethodGet, AdminPrefix+"stats", nil))
	if st := s.Stats(); st.Requests != 0 || st.AdminRequests != 1 {
		t.Fatalf("admin requests must not count as API requests: %+v", st)
	}
	sendText(t, s, "+6421000001", "")
	do(s, http.MethodGet, "/messages?id=bad", "")
	st := s.Stats()
	if st.Requests != 2 || st.ByEndpoint[EndpointSendMessage] != 1 || st.ByEndpoint[EndpointGetMessage] != 1 ||
		st.ByStatus[http.StatusAccepted] != 1 || st.ByStatus[http.StatusBadRequest] != 1 ||
		st.ByEndpointStatus[EndpointGetMessage][http.StatusBadRequest] != 1 || st.Sends != 1 {
		t.Fatalf("stats = %+v", st)
	}
	reqs := s.Requests()
	if len(reqs) != 2 || reqs[0].Endpoint != EndpointSendMessage || reqs[0].Status != http.StatusAccepted ||
		reqs[0].Account != DefaultUsername || reqs[1].Path != BasePath+"/messages?id=bad" || reqs[0].MockTime != testStart {
		t.Fatalf("requests = %+v", reqs)
	}
}

func TestNewServerRejectsInvalidOptions(t *testing.T) {
	t.Parallel()
	for name, opts := range map[string]Options{
		"account with colon": {Accounts: map[string]Account{"a:b": {Password: "x"}}},
		"unknown mime limit": {MediaSizeLimits: map[string]int64{"image/gif": 1}},
		"fault rates":        {Faults: Faults{ServerErrorRate: 0.7, DropAfterRate: 0.7}},
		"negative rate":      {RateLimit: RateLimit{RequestsPerSecond: -1}},
	} {
		if _, err := NewServer(opts); err == nil {
			t.Errorf("%s: NewServer accepted %+v", name, opts)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("New did not panic on invalid options")
		}
	}()
	New(Options{Faults: Faults{DropBeforeRate: 2}})
}

func TestDefaults(t *testing.T) {
	t.Parallel()
	s := New(Options{})
	defer func() { _ = s.Close() }()
	r := apiRequest(http.MethodPost, "/source", `{"source":"1","waba_id":"2"}`)
	wantStatus(t, serve(s, r), http.StatusOK)
	if s.opts.MediaTTL != DefaultMediaTTL || s.opts.MaxBroadcastDestinations != 1000 || s.Clock().Speed != 0 {
		t.Fatalf("defaults = %+v", s.opts)
	}
	if now := s.Now(); now.IsZero() {
		t.Fatal("zero start time")
	}
}
