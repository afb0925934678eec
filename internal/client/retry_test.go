package client

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"slices"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

func TestRetryAfterSeconds(t *testing.T) {
	t.Parallel()
	var n atomic.Int64
	a := newTestAPI(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			w.Header().Set("Retry-After", "7")
			apiError(w, http.StatusTooManyRequests, "too many requests error message")
			return
		}
		_, _ = io.Copy(io.Discard, r.Body)
		writeJSON(w, http.StatusAccepted, `{"message_id":"`+testMessageID+`","status":"accepted"}`)
	})
	c, s := newTestClient(t, a.url())
	res, err := c.SendMessage(t.Context(), textMessage("+64211234567"))
	if err != nil {
		t.Fatal(err)
	}
	if res.MessageID != testMessageID || res.Status != "accepted" {
		t.Errorf("result = %+v", res)
	}
	if got := s.get(); !slices.Equal(got, []time.Duration{7 * time.Second}) {
		t.Errorf("waits = %v, want [7s]", got)
	}
	if n.Load() != 2 {
		t.Errorf("sends = %d, want 2 (a 429 is certainly not processed)", n.Load())
	}
}

func TestRetryAfterHTTPDate(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	var n atomic.Int64
	a := newTestAPI(t, func(w http.ResponseWriter, _ *http.Request) {
		if n.Add(1) == 1 {
			w.Header().Set("Retry-After", now.Add(12*time.Second).Format(http.TimeFormat))
			apiError(w, http.StatusTooManyRequests, "slow down")
			return
		}
		writeJSON(w, http.StatusOK, `{"id":"`+testMessageID+`","status":"read"}`)
	})
	c, s := newTestClient(t, a.url())
	c.now = func() time.Time { return now }
	if _, err := c.GetMessage(t.Context(), testMessageID); err != nil {
		t.Fatal(err)
	}
	if got := s.get(); !slices.Equal(got, []time.Duration{12 * time.Second}) {
		t.Errorf("waits = %v, want [12s]", got)
	}
}

func TestRetryAfterIsCapped(t *testing.T) {
	t.Parallel()
	var n atomic.Int64
	a := newTestAPI(t, func(w http.ResponseWriter, _ *http.Request) {
		if n.Add(1) == 1 {
			w.Header().Set("Retry-After", "3600")
			apiError(w, http.StatusTooManyRequests, "slow down")
			return
		}
		w.WriteHeader(http.StatusOK)
	})
	c, s := newTestClient(t, a.url(), func(cfg *Config) { cfg.MaxRetryWait = 5 * time.Second })
	if err := c.MarkRead(t.Context(), []string{testMessageID}); err != nil {
		t.Fatal(err)
	}
	if got := s.get(); !slices.Equal(got, []time.Duration{5 * time.Second}) {
		t.Errorf("waits = %v, want [5s]", got)
	}
}

func TestRateLimitRetriesExhausted(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", "1")
		apiError(w, http.StatusTooManyRequests, "too many requests error message")
	})
	c, s := newTestClient(t, a.url(), func(cfg *Config) { cfg.MaxRetries = 2 })
	_, err := c.SendMessage(t.Context(), textMessage("+64211234567"))
	if !IsRateLimited(err) || IsAmbiguous(err) {
		t.Fatalf("err = %v, want a plain 429", err)
	}
	var ae *APIError
	if !errors.As(err, &ae) || ae.Attempts != 3 || ae.RetryAfter != time.Second {
		t.Errorf("APIError = %+v", ae)
	}
	mustContain(t, err.Error(), "POST /messages: 429 Too Many Requests", "too many requests error message",
		"Gave up after 3 attempts", "Requests are paced", "max_retries")
	if len(s.get()) != 2 || a.requests.Load() != 3 {
		t.Errorf("waits %v, requests %d", s.get(), a.requests.Load())
	}
}

func TestNoRetriesWhenMaxRetriesIsZero(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, func(w http.ResponseWriter, _ *http.Request) {
		apiError(w, http.StatusTooManyRequests, "slow down")
	})
	c, s := newTestClient(t, a.url(), func(cfg *Config) { cfg.MaxRetries = 0 })
	if _, err := c.GetMessage(t.Context(), testMessageID); !IsRateLimited(err) {
		t.Fatalf("err = %v", err)
	}
	if len(s.get()) != 0 || a.requests.Load() != 1 {
		t.Errorf("waits %v, requests %d", s.get(), a.requests.Load())
	}
}

func TestTransient5xxRetriedForSafeRequests(t *testing.T) {
	t.Parallel()
	for _, status := range []int{500, 502, 503, 504} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			t.Parallel()
			var n atomic.Int64
			a := newTestAPI(t, func(w http.ResponseWriter, _ *http.Request) {
				if n.Add(1) < 3 {
					apiError(w, status, "internal server error message")
					return
				}
				writeJSON(w, http.StatusOK, `{"id":"`+testMessageID+`","status":"sent"}`)
			})
			c, s := newTestClient(t, a.url())
			d, err := c.GetMessage(t.Context(), testMessageID)
			if err != nil || d.Status != "sent" {
				t.Fatalf("GetMessage = %+v, %v", d, err)
			}
			waits := s.get()
			if len(waits) != 2 {
				t.Fatalf("waits = %v", waits)
			}
			// Exponential backoff with equal jitter: [0.5s, 1s], then [1s, 2s].
			if waits[0] < 500*time.Millisecond || waits[0] > time.Second || waits[1] < time.Second || waits[1] > 2*time.Second {
				t.Errorf("waits = %v, want within [0.5s,1s] and [1s,2s]", waits)
			}
		})
	}
}

func TestNonTransient5xxNotRetried(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, func(w http.ResponseWriter, _ *http.Request) {
		apiError(w, http.StatusNotImplemented, "nope")
	})
	c, _ := newTestClient(t, a.url())
	if _, err := c.GetMessage(t.Context(), testMessageID); StatusCode(err) != http.StatusNotImplemented {
		t.Fatalf("err = %v", err)
	}
	if a.requests.Load() != 1 {
		t.Errorf("requests = %d", a.requests.Load())
	}
}

func Test5xxOnSendIsAmbiguousAndNotRetried(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, func(w http.ResponseWriter, _ *http.Request) {
		apiError(w, http.StatusInternalServerError, "internal server error message")
	})
	c, s := newTestClient(t, a.url())
	_, err := c.SendMessage(t.Context(), textMessage("+64211234567"))
	var amb *AmbiguousSendError
	if !errors.As(err, &amb) {
		t.Fatalf("err = %v, want *AmbiguousSendError", err)
	}
	if StatusCode(err) != http.StatusInternalServerError {
		t.Errorf("the 500 is not wrapped: %v", err)
	}
	mustContain(t, err.Error(), "POST /messages", "MAY HAVE BEEN SENT", "+64211234567", "internal server error message",
		"not retried", "Before applying again", "send it again deliberately")
	if a.requests.Load() != 1 || len(s.get()) != 0 {
		t.Errorf("sends = %d, waits %v: a send must not be retried after a 5xx", a.requests.Load(), s.get())
	}
}

// TestDroppedConnectionAfterProcessingIsNotResent is the no-duplicate rule: the server processes
// the send, then drops the connection without answering. On a fresh and on a reused connection,
// neither the client nor Go's transport may send it again.
func TestDroppedConnectionAfterProcessingIsNotResent(t *testing.T) {
	t.Parallel()
	for _, reused := range []bool{false, true} {
		name := "fresh connection"
		if reused {
			name = "reused connection"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var sends atomic.Int64
			a := newTestAPI(t, func(w http.ResponseWriter, r *http.Request) {
				if r.Method == http.MethodGet {
					writeJSON(w, http.StatusOK, `{"id":"`+testMessageID+`","status":"sent"}`)
					return
				}
				_, _ = io.Copy(io.Discard, r.Body)
				sends.Add(1) // processed
				conn, _, err := http.NewResponseController(w).Hijack()
				if err != nil {
					t.Errorf("hijack: %v", err)
					return
				}
				_ = conn.Close()
			})
			c, s := newTestClient(t, a.url())
			if reused {
				if _, err := c.GetMessage(t.Context(), testMessageID); err != nil {
					t.Fatal(err)
				}
			}
			_, err := c.SendMessage(t.Context(), textMessage("+64211234567"))
			if !IsAmbiguous(err) {
				t.Fatalf("err = %v, want *AmbiguousSendError", err)
			}
			mustContain(t, err.Error(), "MAY HAVE BEEN SENT", "+64211234567")
			if n := sends.Load(); n != 1 {
				t.Errorf("the message was processed %d times", n)
			}
			if len(s.get()) != 0 {
				t.Errorf("waits = %v: no retry expected", s.get())
			}
		})
	}
}

func TestSendTimeoutAfterWritingIsAmbiguous(t *testing.T) {
	t.Parallel()
	var sends atomic.Int64
	a := newTestAPI(t, func(_ http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		sends.Add(1)
		<-r.Context().Done()
	})
	c, _ := newTestClient(t, a.url(), func(cfg *Config) { cfg.RequestTimeout = 20 * time.Millisecond })
	_, err := c.SendMessage(t.Context(), textMessage("+64211234567"))
	if !IsAmbiguous(err) {
		t.Fatalf("err = %v", err)
	}
	mustContain(t, err.Error(), "(no answer after the request was sent: no complete answer within 20ms (request_timeout))", "MAY HAVE BEEN SENT")
	if sends.Load() != 1 {
		t.Errorf("sends = %d", sends.Load())
	}
}

func TestSendCancelledAfterWritingIsAmbiguous(t *testing.T) {
	t.Parallel()
	received := make(chan struct{})
	a := newTestAPI(t, func(_ http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		close(received)
		<-r.Context().Done()
	})
	c, _ := newTestClient(t, a.url())
	ctx, cancel := context.WithCancel(t.Context())
	go func() { <-received; cancel() }()
	_, err := c.SendMessage(ctx, textMessage("+64211234567"))
	if !IsAmbiguous(err) || !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want an ambiguous send wrapping context.Canceled", err)
	}
}

// refusingFirstDials returns an http.Client whose first n dials go to a closed port (connection
// refused), and the rest to addr.
func refusingFirstDials(t *testing.T, addr string, n int64) (*http.Client, *atomic.Int64) {
	t.Helper()
	l, err := (&net.ListenConfig{}).Listen(t.Context(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := l.Addr().String()
	_ = l.Close()
	var dials atomic.Int64
	tr := newTransport()
	d := &net.Dialer{}
	tr.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
		if dials.Add(1) <= n {
			return d.DialContext(ctx, network, closed)
		}
		return d.DialContext(ctx, network, addr)
	}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}, &dials
}

func TestConnectionRefusedSendIsRetried(t *testing.T) {
	t.Parallel()
	var sends atomic.Int64
	a := newTestAPI(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		sends.Add(1)
		writeJSON(w, http.StatusAccepted, `{"message_id":"`+testMessageID+`","status":"accepted"}`)
	})
	hc, dials := refusingFirstDials(t, a.srv.Listener.Addr().String(), 2)
	c, s := newTestClient(t, a.url(), func(cfg *Config) { cfg.HTTPClient = hc })
	res, err := c.SendMessage(t.Context(), textMessage("+64211234567"))
	if err != nil || res.MessageID != testMessageID {
		t.Fatalf("SendMessage = %+v, %v", res, err)
	}
	if sends.Load() != 1 || dials.Load() != 3 || len(s.get()) != 2 {
		t.Errorf("sends %d, dials %d, waits %v", sends.Load(), dials.Load(), s.get())
	}
}

func TestConnectionRefusedExhausted(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, func(http.ResponseWriter, *http.Request) {})
	hc, _ := refusingFirstDials(t, a.srv.Listener.Addr().String(), 100)
	c, _ := newTestClient(t, a.url(), func(cfg *Config) { cfg.HTTPClient = hc; cfg.MaxRetries = 1 })
	_, err := c.SendMessage(t.Context(), textMessage("+64211234567"))
	var te *TransportError
	if !errors.As(err, &te) || IsAmbiguous(err) || !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("err = %v, want a TransportError for a refused connection", err)
	}
	mustContain(t, err.Error(), "POST /messages", "the request was not sent", "Gave up after 2 attempts", "base_url")
}

func TestParseRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"", 0, false},
		{"0", 0, true},
		{" 5 ", 5 * time.Second, true},
		{"99999999999999999999", 0, false},
		{"9999999999", maxRetryAfter, true},
		{"-3", 0, false},
		{"1.5", 0, false},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0, true},
		{"soon", 0, false},
	}
	for _, tt := range tests {
		got, ok := parseRetryAfter(tt.in, now)
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseRetryAfter(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestBackoffBounds(t *testing.T) {
	t.Parallel()
	c, _ := newTestClient(t, "http://localhost:1", func(cfg *Config) { cfg.MaxRetryWait = 10 * time.Second })
	for n := 1; n <= 70; n++ {
		want := min(time.Second<<min(n-1, 20), 10*time.Second)
		for range 20 {
			if d := c.backoff(n); d < want/2 || d > want {
				t.Fatalf("backoff(%d) = %v, want within [%v, %v]", n, d, want/2, want)
			}
		}
	}
}
