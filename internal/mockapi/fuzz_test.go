package mockapi

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

var fuzzMethods = []string{http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodPut, http.MethodDelete, http.MethodHead}

// FuzzHandler sends arbitrary requests to one mock: it must never panic, never answer 5xx (no
// faults are configured), and always set the security headers. Error answers are JSON.
// The seed corpus is in testdata/fuzz/FuzzHandler.
func FuzzHandler(f *testing.F) {
	f.Add(uint8(1), "/messages", "application/json", []byte(validText), true)
	f.Add(uint8(0), "/messages?id=3fa85f64-5717-4562-b3fc-2c963f66afa6", "", []byte(nil), true)
	f.Add(uint8(1), "/__admin/clock/advance", "application/json", []byte(`{"by":"1h"}`), false)
	s := newMock(f, Options{MaxMediaBytes: 1 << 20})
	security := SecurityHeaders()

	f.Fuzz(func(t *testing.T, method uint8, target, contentType string, body []byte, auth bool) {
		if !strings.HasPrefix(target, AdminPrefix) {
			target = BasePath + target
		}
		m := fuzzMethods[int(method)%len(fuzzMethods)]
		r, err := http.NewRequestWithContext(context.Background(), m, target, bytes.NewReader(body))
		if err != nil || r.URL.Host != "" || r.URL.Scheme != "" {
			return // not a request a server could receive
		}
		r.ContentLength = int64(len(body))
		if contentType != "" {
			r.Header.Set("Content-Type", contentType)
		}
		if auth {
			r.SetBasicAuth(DefaultUsername, DefaultPassword)
		}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, r)
		// Admin calls may set faults or rate limits for later requests: undo them.
		defer func() {
			_ = s.SetFaults(Faults{})
			_ = s.SetRateLimit(RateLimit{})
			s.SetClockSpeed(0)
		}()

		if rec.Code >= 500 {
			t.Fatalf("%s %s (%q, %q): %d %s", m, target, contentType, body, rec.Code, rec.Body.String())
		}
		for h, v := range security {
			if rec.Header().Get(h) != v {
				t.Fatalf("%s %s: %d without %s", m, target, rec.Code, h)
			}
		}
		if rec.Code >= 400 && !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("%s %s: %d with a body that is not JSON: %q", m, target, rec.Code, rec.Body.String())
		}
	})
}
