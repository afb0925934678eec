package client

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ezitxt/terraform-provider-ezitxt/api"
)

const (
	testUser      = "acme-user"
	testPassword  = "s3cr3t-Pa55w0rd!"
	testUserAgent = "terraform-provider-ezitxt/9.9.9-test (+https://registry.terraform.io/providers/ezitxt/ezitxt)"
	testSource    = "1234567890"
	testMessageID = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
	basePath      = "/rest/wab/v1"
)

// testAPI is an httptest server standing in for the API. Every request is checked against the
// contract (api.ValidateRequest), for credentials and User-Agent, and for the absence of an
// Idempotency-Key; problems fail the test.
type testAPI struct {
	t        *testing.T
	srv      *httptest.Server
	requests atomic.Int64
}

func newTestAPI(t *testing.T, h http.HandlerFunc) *testAPI {
	t.Helper()
	a := &testAPI{t: t}
	a.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a.requests.Add(1)
		if err := api.ValidateRequest(r); err != nil {
			t.Errorf("request does not conform to the contract: %v", err)
			http.Error(w, "contract violation", http.StatusTeapot)
			return
		}
		if u, p, ok := r.BasicAuth(); !ok || u != testUser || p != testPassword {
			t.Errorf("request without the expected Basic credentials: %q", r.Header.Get("Authorization"))
		}
		if ua := r.UserAgent(); ua != testUserAgent {
			t.Errorf("User-Agent = %q, want %q", ua, testUserAgent)
		}
		if r.Header.Get("Idempotency-Key") != "" || r.Header.Get("X-Idempotency-Key") != "" {
			t.Errorf("request carries an idempotency key header")
		}
		if !strings.HasPrefix(r.URL.Path, basePath+"/") {
			t.Errorf("path %q lacks the base path %q", r.URL.Path, basePath)
		}
		h(w, r)
	}))
	t.Cleanup(a.srv.Close)
	return a
}

func (a *testAPI) url() string { return a.srv.URL + basePath }

// sleeps records the waits of a client instead of sleeping.
type sleeps struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.waits = append(s.waits, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleeps) get() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.waits...)
}

// newTestClient returns a client for baseURL that records its waits.
func newTestClient(t *testing.T, baseURL string, edit ...func(*Config)) (*Client, *sleeps) {
	t.Helper()
	s := &sleeps{}
	cfg := Config{
		BaseURL:    baseURL,
		Username:   testUser,
		Password:   testPassword,
		MaxRetries: 3,
		UserAgent:  testUserAgent,
		Sleep:      s.sleep,
	}
	for _, e := range edit {
		e(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c, s
}

// writeJSON answers with a JSON body.
func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

// apiError answers in the reference's {message, statusCode, error} shape.
func apiError(w http.ResponseWriter, status int, detail string) {
	b, _ := json.Marshal(map[string]any{"message": "Whatsapp Cloud API error", "statusCode": status, "error": detail})
	writeJSON(w, status, string(b))
}

// readJSONBody decodes a request's JSON body into a generic value.
func readJSONBody(t *testing.T, r *http.Request) any {
	t.Helper()
	if ct := r.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q, want application/json", ct)
	}
	var v any
	if err := json.NewDecoder(r.Body).Decode(&v); err != nil {
		t.Errorf("request body is not JSON: %v", err)
	}
	return v
}

// assertJSON compares a decoded body with the JSON text expected.
func assertJSON(t *testing.T, got any, want string) {
	t.Helper()
	var w any
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad expectation %s: %v", want, err)
	}
	if !reflect.DeepEqual(got, w) {
		g, _ := json.Marshal(got)
		t.Errorf("body = %s\nwant   %s", g, want)
	}
}

// mustContain fails unless s contains every one of parts.
func mustContain(t *testing.T, s string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(s, p) {
			t.Errorf("%q\ndoes not contain %q", s, p)
		}
	}
}
