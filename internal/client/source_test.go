package client

import (
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

func TestRegisterSource(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		reg  SourceRegistration
		want string
	}{
		{"with pin", SourceRegistration{Source: testSource, WABAID: "102046588645210", PIN: "123456"},
			`{"source":"1234567890","waba_id":"102046588645210","pin":"123456"}`},
		{"without pin", SourceRegistration{Source: testSource, WABAID: "102046588645210"},
			`{"source":"1234567890","waba_id":"102046588645210"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := newTestAPI(t, func(w http.ResponseWriter, r *http.Request) {
				if r.Method != http.MethodPost || r.URL.Path != basePath+"/source" || r.URL.RawQuery != "" {
					t.Errorf("request = %s %s", r.Method, r.URL)
				}
				assertJSON(t, readJSONBody(t, r), tt.want)
				w.WriteHeader(http.StatusOK) // no body
			})
			c, _ := newTestClient(t, a.url())
			if err := c.RegisterSource(t.Context(), tt.reg); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestRegisterSourceRetriedAfter5xx(t *testing.T) {
	t.Parallel()
	var n atomic.Int64
	a := newTestAPI(t, func(w http.ResponseWriter, _ *http.Request) {
		if n.Add(1) == 1 {
			apiError(w, http.StatusServiceUnavailable, "busy")
			return
		}
		w.WriteHeader(http.StatusOK)
	})
	c, s := newTestClient(t, a.url())
	if err := c.RegisterSource(t.Context(), SourceRegistration{Source: testSource, WABAID: "1"}); err != nil {
		t.Fatal(err)
	}
	if n.Load() != 2 || len(s.get()) != 1 {
		t.Errorf("requests %d, waits %v", n.Load(), s.get())
	}
}

func TestRegisterSourceValidation(t *testing.T) {
	t.Parallel()
	c, _ := newTestClient(t, "http://127.0.0.1:1")
	err := c.RegisterSource(t.Context(), SourceRegistration{Source: "abc", PIN: "98765"})
	var ve *ValidationError
	if !errors.As(err, &ve) || len(ve.Fields) != 3 {
		t.Fatalf("err = %v", err)
	}
	mustContain(t, err.Error(), "POST /source", "source (invalid_format)", "waba_id (required)", "pin (invalid_format)")
	if strings.Contains(err.Error(), "98765") {
		t.Error("the PIN appears in the error")
	}
}

func TestUnauthorized(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("X-Request-Id", "req-42")
		apiError(w, http.StatusUnauthorized, "unauthorized error message")
	})
	c, _ := newTestClient(t, a.url())
	err := c.RegisterSource(t.Context(), SourceRegistration{Source: testSource, WABAID: "1"})
	if !IsUnauthorized(err) || a.requests.Load() != 1 {
		t.Fatalf("err = %v after %d requests", err, a.requests.Load())
	}
	mustContain(t, err.Error(), "POST /source: 401 Unauthorized: Whatsapp Cloud API error: unauthorized error message",
		"(request id req-42)", "EZITXT_USERNAME", "EZITXT_PASSWORD")
}
