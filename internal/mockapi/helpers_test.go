package mockapi

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// testSource is registered for the default account by newMock.
const testSource = "1234567890"

// testStart is the mock time tests start at.
var testStart = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)

// newMock returns a mock with the default account, testSource registered and the clock frozen
// at testStart, closed when the test ends.
func newMock(t testing.TB, opts Options) *Server {
	t.Helper()
	if opts.Accounts == nil {
		opts.Accounts = map[string]Account{DefaultUsername: {Password: DefaultPassword, Sources: []string{testSource}}}
	}
	if opts.Clock.Start.IsZero() {
		opts.Clock.Start = testStart
	}
	s, err := NewServer(opts)
	if err != nil {
		t.Fatalf("NewServer: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

// newHTTPMock is newMock behind a real HTTP server.
func newHTTPMock(t testing.TB, opts Options) (*Server, *httptest.Server) {
	t.Helper()
	s := newMock(t, opts)
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	return s, hs
}

// apiRequest builds an authenticated request to path (under BasePath) with a JSON body when
// body is not empty.
func apiRequest(method, path, body string) *http.Request {
	var r *http.Request
	if body == "" {
		r = httptest.NewRequestWithContext(context.Background(), method, BasePath+path, nil)
	} else {
		r = httptest.NewRequestWithContext(context.Background(), method, BasePath+path, strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
	}
	r.SetBasicAuth(DefaultUsername, DefaultPassword)
	return r
}

func serve(s http.Handler, r *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, r)
	return rec
}

// do sends an authenticated API request through the handler.
func do(s http.Handler, method, path, body string) *httptest.ResponseRecorder {
	return serve(s, apiRequest(method, path, body))
}

func decode[T any](t testing.TB, rec *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		t.Fatalf("decode %T from %q: %v", v, rec.Body.String(), err)
	}
	return v
}

func decodeBody[T any](t testing.TB, r io.Reader) T {
	t.Helper()
	var v T
	if err := json.NewDecoder(r).Decode(&v); err != nil {
		t.Fatalf("decode %T: %v", v, err)
	}
	return v
}

func wantStatus(t testing.TB, rec *httptest.ResponseRecorder, status int) {
	t.Helper()
	if rec.Code != status {
		t.Fatalf("status = %d, want %d; body %s", rec.Code, status, rec.Body.String())
	}
}

// wantError checks a {message, statusCode, error} response and returns its error text.
func wantError(t testing.TB, rec *httptest.ResponseRecorder, status int) string {
	t.Helper()
	wantStatus(t, rec, status)
	e := decode[ErrorResponse](t, rec)
	if e.StatusCode != status || e.Message != APIErrorMessage || e.Error == "" {
		t.Fatalf("error body = %+v, want statusCode %d, message %q and an error", e, status, APIErrorMessage)
	}
	return e.Error
}

// wantFieldError checks a 400 and that one of its entries has field and code.
func wantFieldError(t testing.TB, rec *httptest.ResponseRecorder, field, code string) FieldError {
	t.Helper()
	wantStatus(t, rec, http.StatusBadRequest)
	resp := decode[ValidationErrorResponse](t, rec)
	for _, e := range resp.Errors {
		if e.Field == field && e.Code == code {
			if e.Description == "" {
				t.Fatalf("error %+v has no description", e)
			}
			return e
		}
	}
	t.Fatalf("no error with field %q and code %q in %s", field, code, rec.Body.String())
	return FieldError{}
}

// sendText sends a text message to `to` and returns its id.
func sendText(t testing.TB, s http.Handler, to, extra string) string {
	t.Helper()
	rec := do(s, http.MethodPost, "/messages", `{"to":"`+to+`","source":"`+testSource+`","type":"text","text":{"body":"hello"}`+extra+`}`)
	wantStatus(t, rec, http.StatusAccepted)
	resp := decode[SendResponse](t, rec)
	if resp.Status != StatusAccepted || !uuidPattern.MatchString(resp.MessageID) {
		t.Fatalf("send response = %+v", resp)
	}
	return resp.MessageID
}

// details reads a message through GET /messages.
func details(t testing.TB, s http.Handler, id string) MessageDetails {
	t.Helper()
	rec := do(s, http.MethodGet, "/messages?id="+id, "")
	wantStatus(t, rec, http.StatusOK)
	return decode[MessageDetails](t, rec)
}

// newRecorderFor gives c a response recorder.
func newRecorderFor(c *call) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	c.w = rec
	return rec
}

func contextWithCancel(r *http.Request) (context.Context, context.CancelFunc) {
	return context.WithCancel(r.Context())
}

// broadcastBody returns a broadcast to n numbers starting at +64210000000+first.
func broadcastBody(n, first int) string {
	var b strings.Builder
	b.WriteString(`{"destination":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"+642%09d"`, first+i)
	}
	b.WriteString(`],"source":"` + testSource + `","type":"text","text":{"body":"hello"}}`)
	return b.String()
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

func newMultipartWriter(w io.Writer) *multipart.Writer { return multipart.NewWriter(w) }
