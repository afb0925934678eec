package client

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestNewValidatesConfig(t *testing.T) {
	t.Parallel()
	ok := Config{Username: "u", Password: "p"}
	tests := []struct {
		name string
		edit func(*Config)
		want string // substring of the error; "" for success
	}{
		{"defaults", func(*Config) {}, ""},
		{"https", func(c *Config) { c.BaseURL = "https://api.example.com/rest/wab/v1/" }, ""},
		{"http localhost", func(c *Config) { c.BaseURL = "http://localhost:8080/v1" }, ""},
		{"http LOCALHOST", func(c *Config) { c.BaseURL = "http://LOCALHOST:8080" }, ""},
		{"http 127.0.0.0/8", func(c *Config) { c.BaseURL = "http://127.1.2.3:9000" }, ""},
		{"http ::1", func(c *Config) { c.BaseURL = "http://[::1]:9000/" }, ""},
		{"http remote", func(c *Config) { c.BaseURL = "http://api.example.com" }, "http:// is allowed only for loopback hosts"},
		{"http private", func(c *Config) { c.BaseURL = "http://10.0.0.1" }, "loopback"},
		{"http localhost lookalike", func(c *Config) { c.BaseURL = "http://localhost.example.com" }, "loopback"},
		{"other scheme", func(c *Config) { c.BaseURL = "ftp://example.com" }, "scheme must be https"},
		{"relative", func(c *Config) { c.BaseURL = "/rest/wab/v1" }, "absolute URL"},
		{"no host", func(c *Config) { c.BaseURL = "https:///x" }, "absolute URL"},
		{"credentials", func(c *Config) { c.BaseURL = "https://u:p@example.com" }, "must not contain credentials"},
		{"query", func(c *Config) { c.BaseURL = "https://example.com/?a=b" }, "query"},
		{"unparsable", func(c *Config) { c.BaseURL = "https://exa mple.com:x" }, "invalid base_url"},
		{"no username", func(c *Config) { c.Username = "" }, "EZITXT_USERNAME"},
		{"colon in username", func(c *Config) { c.Username = "a:b" }, "colon"},
		{"no password", func(c *Config) { c.Password = "" }, "EZITXT_PASSWORD"},
		{"negative timeout", func(c *Config) { c.RequestTimeout = -time.Second }, "request_timeout"},
		{"negative wait", func(c *Config) { c.MaxRetryWait = -time.Second }, "retry wait"},
		{"negative batch", func(c *Config) { c.BroadcastBatchSize = -1 }, "batch size"},
		{"user agent newline", func(c *Config) { c.UserAgent = "a\r\nX-Evil: 1" }, "user agent"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := ok
			tt.edit(&cfg)
			_, err := New(cfg)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("New: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("New accepted %+v", cfg)
			}
			mustContain(t, err.Error(), tt.want)
			if ValidateBaseURL(cfg.BaseURL) == nil && strings.Contains(tt.want, "base_url") {
				t.Errorf("ValidateBaseURL accepted %q", cfg.BaseURL)
			}
		})
	}
}

func TestNewDefaults(t *testing.T) {
	t.Parallel()
	c, err := New(Config{Username: "u", Password: "p", MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	if c.BaseURL() != DefaultBaseURL || c.maxRetries != DefaultMaxRetries || c.timeout != DefaultRequestTimeout ||
		c.maxWait != DefaultMaxRetryWait || c.userAgent != DefaultUserAgent || c.batchSize != DefaultBroadcastBatchSize {
		t.Errorf("defaults not applied: %+v", c)
	}
	c, err = New(Config{Username: "u", Password: "p", BaseURL: "http://localhost:1/v1/"})
	if err != nil {
		t.Fatal(err)
	}
	if c.maxRetries != 0 {
		t.Errorf("MaxRetries 0 must mean no retries, got %d", c.maxRetries)
	}
	if c.BaseURL() != "http://localhost:1/v1" {
		t.Errorf("BaseURL() = %q", c.BaseURL())
	}

	tr, ok := c.hc.Transport.(*http.Transport)
	switch {
	case !ok:
		t.Fatalf("transport is %T", c.hc.Transport)
	case tr == http.DefaultTransport:
		t.Error("the client uses http.DefaultTransport")
	case tr.MaxIdleConnsPerHost < 32 || tr.TLSHandshakeTimeout == 0 || tr.IdleConnTimeout == 0 || tr.DialContext == nil:
		t.Errorf("transport lacks timeouts or idle connections: %+v", tr)
	case tr.Protocols == nil || tr.Protocols.HTTP2() || !tr.Protocols.HTTP1():
		t.Errorf("transport must speak HTTP/1.1 only, got %v", tr.Protocols)
	}
	if c.hc == http.DefaultClient {
		t.Error("the client uses http.DefaultClient")
	}
}

func TestHTTPClientIsCopied(t *testing.T) {
	t.Parallel()
	calls := 0
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { calls++; return nil }}
	c, err := New(Config{Username: "u", Password: "p", HTTPClient: hc})
	if err != nil {
		t.Fatal(err)
	}
	if c.hc == hc || hc.CheckRedirect == nil {
		t.Fatal("the caller's http.Client was modified or shared")
	}
	if err := c.hc.CheckRedirect(nil, nil); !errors.Is(err, http.ErrUseLastResponse) || calls != 0 {
		t.Errorf("redirect policy not replaced: %v", err)
	}
}

func TestRedirectNotFollowed(t *testing.T) {
	t.Parallel()
	var stolen atomic.Int64
	var leaked atomic.Value
	other := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		stolen.Add(1)
		leaked.Store(r.Header.Get("Authorization"))
	}))
	t.Cleanup(other.Close)
	a := newTestAPI(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/steal?x=1", http.StatusFound)
	})
	c, _ := newTestClient(t, a.url())
	_, err := c.GetMessage(t.Context(), testMessageID)
	if StatusCode(err) != http.StatusFound {
		t.Fatalf("err = %v, want a 302 APIError", err)
	}
	mustContain(t, err.Error(), "GET /messages", "redirected to "+other.URL+"/steal", "does not follow redirects", "base_url")
	if n := stolen.Load(); n != 0 {
		t.Errorf("the redirect was followed %d times (Authorization %v)", n, leaked.Load())
	}
	if n := a.requests.Load(); n != 1 {
		t.Errorf("redirect retried: %d requests", n)
	}
}

func TestOversizedJSONAnswerIsCapped(t *testing.T) {
	t.Parallel()
	var written atomic.Int64
	done := make(chan struct{})
	a := newTestAPI(t, func(w http.ResponseWriter, _ *http.Request) {
		defer close(done)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"id":"`)
		chunk := []byte(strings.Repeat("a", 32<<10))
		for written.Load() < 1<<30 { // a 1 GiB answer, unless the client hangs up
			n, err := w.Write(chunk)
			written.Add(int64(n))
			if err != nil {
				return
			}
		}
	})
	c, _ := newTestClient(t, a.url())
	_, err := c.GetMessage(t.Context(), testMessageID)
	var re *ResponseError
	if !errors.As(err, &re) {
		t.Fatalf("err = %v, want a *ResponseError", err)
	}
	mustContain(t, err.Error(), "larger than 1048576 bytes")
	<-done
	if n := written.Load(); n > 64<<20 {
		t.Errorf("the server wrote %d bytes before the client hung up", n)
	}
}

func TestOversizedErrorBodyIsCapped(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusBadRequest)
		chunk := []byte(strings.Repeat("x", 32<<10))
		for range 1 << 10 { // 32 MiB
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	c, _ := newTestClient(t, a.url())
	_, err := c.GetMessage(t.Context(), testMessageID)
	var ae *APIError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v", err)
	}
	if len(ae.Detail) > maxErrorText+len("…") || !strings.HasSuffix(ae.Detail, "…") {
		t.Errorf("detail not capped: %d bytes", len(ae.Detail))
	}
}

func TestUnusableSuccessAnswers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, contentType, body, want string
	}{
		{"html", "text/html", "<html>portal</html>", "expected Content-Type application/json"},
		{"no content type", "", `{"id":"x"}`, "expected Content-Type application/json"},
		{"invalid json", "application/json", `{"id":`, "invalid JSON"},
		{"wrong shape", "application/json", `[1,2]`, "invalid JSON"},
		{"missing id", "application/json", `{"status":"read"}`, `no message "id"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := newTestAPI(t, func(w http.ResponseWriter, _ *http.Request) {
				w.Header()["Content-Type"] = []string{tt.contentType}
				_, _ = io.WriteString(w, tt.body)
			})
			c, _ := newTestClient(t, a.url())
			_, err := c.GetMessage(t.Context(), testMessageID)
			var re *ResponseError
			if !errors.As(err, &re) {
				t.Fatalf("err = %v, want *ResponseError", err)
			}
			mustContain(t, err.Error(), "GET /messages", tt.want)
			if a.requests.Load() != 1 {
				t.Errorf("an unusable answer was retried")
			}
		})
	}
}

func TestUnexpectedStatus(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusTeapot)
	})
	c, _ := newTestClient(t, a.url())
	err := c.MarkRead(t.Context(), []string{testMessageID})
	if StatusCode(err) != http.StatusTeapot {
		t.Fatalf("err = %v", err)
	}
	mustContain(t, err.Error(), "PATCH /messages: 418 I'm a teapot")
}

func TestContextCancelledWhileWaiting(t *testing.T) {
	t.Parallel()
	started := make(chan struct{})
	a := newTestAPI(t, func(_ http.ResponseWriter, r *http.Request) {
		close(started)
		<-r.Context().Done()
	})
	c, _ := newTestClient(t, a.url())
	ctx, cancel := context.WithCancel(t.Context())
	go func() { <-started; cancel() }()
	_, err := c.GetMessage(ctx, testMessageID)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if IsAmbiguous(err) {
		t.Error("a cancelled GET is not an ambiguous send")
	}
	if a.requests.Load() != 1 {
		t.Errorf("a cancelled request was retried")
	}
}

func TestContextCancelledDuringBackoff(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, func(w http.ResponseWriter, _ *http.Request) {
		apiError(w, http.StatusServiceUnavailable, "maintenance")
	})
	ctx, cancel := context.WithCancel(t.Context())
	c, _ := newTestClient(t, a.url(), func(cfg *Config) {
		cfg.Sleep = func(ctx context.Context, _ time.Duration) error { cancel(); return ctx.Err() }
	})
	_, err := c.GetMessage(ctx, testMessageID)
	if !errors.Is(err, context.Canceled) || StatusCode(err) != http.StatusServiceUnavailable {
		t.Fatalf("err = %v, want context.Canceled wrapping the 503", err)
	}
	mustContain(t, err.Error(), "cancelled while waiting to retry")
	if a.requests.Load() != 1 {
		t.Errorf("requests = %d, want 1", a.requests.Load())
	}
}

func TestCancelledContextMakesNoRequest(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, func(http.ResponseWriter, *http.Request) {})
	c, _ := newTestClient(t, a.url())
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := c.SendMessage(ctx, textMessage("+64211234567")); !errors.Is(err, context.Canceled) || IsAmbiguous(err) {
		t.Fatalf("err = %v", err)
	}
	if a.requests.Load() != 0 {
		t.Error("a request was made with a cancelled context")
	}
}

func TestRequestTimeoutRetriesSafeRequests(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, func(_ http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	c, s := newTestClient(t, a.url(), func(cfg *Config) { cfg.RequestTimeout = 20 * time.Millisecond; cfg.MaxRetries = 2 })
	_, err := c.GetMessage(t.Context(), testMessageID)
	var te *TransportError
	if !errors.As(err, &te) || te.Attempts != 3 {
		t.Fatalf("err = %v, want a TransportError after 3 attempts", err)
	}
	mustContain(t, err.Error(), "GET /messages: request failed: no complete answer within 20ms (request_timeout). Gave up after 3 attempts")
	if n := strings.Count(err.Error(), "no complete answer"); n != 1 {
		t.Errorf("the timeout is said %d times: %v", n, err)
	}
	// Three attempts (checked above) and two waits between them. The
	// service saw 2 or 3 of them: on a loaded machine a 20 ms timeout can end
	// an attempt before its request reaches the handler (CI, -race).
	if n := a.requests.Load(); len(s.get()) != 2 || n < 2 || n > 3 {
		t.Errorf("waits %v, requests %d", s.get(), n)
	}
}

func TestRetryNotAttemptedPastDeadline(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", "30")
		apiError(w, http.StatusTooManyRequests, "slow down")
	})
	c, s := newTestClient(t, a.url())
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	_, err := c.GetMessage(ctx, testMessageID)
	if !IsRateLimited(err) {
		t.Fatalf("err = %v", err)
	}
	mustContain(t, err.Error(), "would pass the deadline")
	if len(s.get()) != 0 || a.requests.Load() != 1 {
		t.Errorf("waits %v, requests %d", s.get(), a.requests.Load())
	}
}
