package client

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// heldSleeps records the waits of a client and blocks them until released,
// so that a test can see which requests wait while another one is waiting.
type heldSleeps struct {
	mu      sync.Mutex
	waits   []time.Duration
	release chan struct{}
}

func newHeldSleeps() *heldSleeps { return &heldSleeps{release: make(chan struct{})} }

func (s *heldSleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.waits = append(s.waits, d)
	s.mu.Unlock()
	select {
	case <-s.release:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *heldSleeps) get() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.waits...)
}

// eventually polls cond for up to 5s.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

// A 429's Retry-After holds every request of the client, not only the one
// refused: a request started while another waits out a 429 waits too, and
// reaches the service only after the wait, instead of being refused in turn.
func TestRateLimitHoldsEveryRequestOfTheClient(t *testing.T) {
	t.Parallel()
	var throttled atomic.Bool
	a := newTestAPI(t, func(w http.ResponseWriter, _ *http.Request) {
		if throttled.CompareAndSwap(false, true) {
			w.Header().Set("Retry-After", "5")
			apiError(w, http.StatusTooManyRequests, "slow down")
			return
		}
		writeJSON(w, http.StatusOK, `{"id":"`+testMessageID+`","status":"read"}`)
	})
	s := newHeldSleeps()
	c, _ := newTestClient(t, a.url(), func(cfg *Config) { cfg.Sleep = s.sleep })

	errs := make(chan error, 2)
	go func() { _, err := c.GetMessage(t.Context(), testMessageID); errs <- err }()
	eventually(t, "the first request to wait out its 429", func() bool { return len(s.get()) == 1 })
	go func() { _, err := c.GetMessage(t.Context(), testMessageID); errs <- err }()
	eventually(t, "the second request to wait", func() bool { return len(s.get()) == 2 || a.requests.Load() > 1 })
	if n := a.requests.Load(); n != 1 {
		t.Fatalf("the second request reached the service (%d requests) while the first waited out a 429", n)
	}
	waits := s.get()
	if waits[0] != 5*time.Second || waits[1] <= 4*time.Second || waits[1] > 5*time.Second {
		t.Errorf("waits = %v, want 5s and the rest of those 5s", waits)
	}
	close(s.release)
	for range 2 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	if n := a.requests.Load(); n != 3 {
		t.Errorf("requests = %d, want 3 (one 429, then one each)", n)
	}
}

// A caller that waited out its own 429 also waits for a later deadline set
// meanwhile by another caller's 429, and only for the difference.
func TestGateWaitsForLaterDeadline(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	s := &sleeps{}
	c := &Client{sleep: s.sleep, now: func() time.Time { return now }, gate: newGate()}
	c.gate.answered()
	first := now.Add(time.Second)
	c.gate.throttled(now, time.Second)
	c.gate.throttled(now, 3*time.Second)
	c.gate.throttled(now, 2*time.Second) // an earlier deadline does not shorten the hold
	d, probe, err := c.gate.enter(t.Context(), c, first)
	if err != nil || probe || d != 3*time.Second {
		t.Errorf("enter = %v, %v, %v; want 3s", d, probe, err)
	}
	if got := c.gate.deadline(); !got.Equal(now.Add(3 * time.Second)) {
		t.Errorf("deadline = %v", got)
	}
}

// Only a 429 holds the client: a 503's Retry-After is that request's wait.
func TestServerErrorDoesNotHoldTheClient(t *testing.T) {
	t.Parallel()
	var n atomic.Int64
	a := newTestAPI(t, func(w http.ResponseWriter, _ *http.Request) {
		if n.Add(1) == 1 {
			w.Header().Set("Retry-After", "4")
			apiError(w, http.StatusServiceUnavailable, "maintenance")
			return
		}
		writeJSON(w, http.StatusOK, `{"id":"`+testMessageID+`","status":"read"}`)
	})
	c, s := newTestClient(t, a.url())
	if _, err := c.GetMessage(t.Context(), testMessageID); err != nil {
		t.Fatal(err)
	}
	if !c.gate.deadline().IsZero() {
		t.Errorf("a 503 held the client until %v", c.gate.deadline())
	}
	if got := s.get(); len(got) != 1 || got[0] != 4*time.Second {
		t.Errorf("waits = %v, want [4s]", got)
	}
}

// A caller cancelled while held fails without reaching the service.
func TestGateWaitCancelled(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, `{"id":"`+testMessageID+`","status":"read"}`)
	})
	s := newHeldSleeps()
	c, _ := newTestClient(t, a.url(), func(cfg *Config) { cfg.Sleep = s.sleep })
	c.gate.answered()
	c.gate.throttled(time.Now(), time.Hour)
	ctx, cancel := context.WithCancel(t.Context())
	errs := make(chan error, 1)
	go func() { _, err := c.GetMessage(ctx, testMessageID); errs <- err }()
	eventually(t, "the request to be held", func() bool { return len(s.get()) == 1 })
	cancel()
	err := <-errs
	if err == nil || a.requests.Load() != 0 {
		t.Fatalf("err = %v, requests = %d; want a cancellation and no request", err, a.requests.Load())
	}
	mustContain(t, err.Error(), "GET /messages: cancelled while the service was throttling this account", "context canceled")
}

// A caller cancelled while it waits behind the client's first request says
// so, and does not blame a throttling that never happened.
func TestGateProbeWaitCancelled(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	a := newTestAPI(t, func(w http.ResponseWriter, _ *http.Request) {
		<-release
		writeJSON(w, http.StatusOK, `{"id":"`+testMessageID+`","status":"read"}`)
	})
	defer close(release)
	c, _ := newTestClient(t, a.url())
	go func() { _, _ = c.GetMessage(t.Context(), testMessageID) }() // the probe, held by the server
	eventually(t, "the first request to reach the service", func() bool { return a.requests.Load() == 1 })
	ctx, cancel := context.WithCancel(t.Context())
	errs := make(chan error, 1)
	go func() { _, err := c.GetMessage(ctx, testMessageID); errs <- err }()
	cancel()
	err := <-errs
	if err == nil || a.requests.Load() != 1 {
		t.Fatalf("err = %v, requests = %d; want a cancellation and no second request", err, a.requests.Load())
	}
	mustContain(t, err.Error(), "GET /messages: cancelled while waiting for the answer to the client's first request", "context canceled")
	if strings.Contains(err.Error(), "throttl") {
		t.Errorf("a wait for the first answer blames throttling: %v", err)
	}
}

// A request that gives up on a 429 (no retries left) still holds back the
// others for the wait the service asked for.
func TestThrottledRequestGivingUpHoldsTheClient(t *testing.T) {
	t.Parallel()
	var n atomic.Int64
	a := newTestAPI(t, func(w http.ResponseWriter, _ *http.Request) {
		if n.Add(1) == 1 {
			w.Header().Set("Retry-After", "3")
			apiError(w, http.StatusTooManyRequests, "slow down")
			return
		}
		writeJSON(w, http.StatusOK, `{"id":"`+testMessageID+`","status":"read"}`)
	})
	c, s := newTestClient(t, a.url(), func(cfg *Config) { cfg.MaxRetries = 0 })
	if _, err := c.GetMessage(t.Context(), testMessageID); !IsRateLimited(err) {
		t.Fatalf("err = %v, want a 429", err)
	}
	if _, err := c.GetMessage(t.Context(), testMessageID); err != nil {
		t.Fatal(err)
	}
	if got := s.get(); len(got) != 1 || got[0] <= 2*time.Second || got[0] > 3*time.Second {
		t.Errorf("waits = %v, want the second request held for the rest of 3s", got)
	}
}

func TestParsePolicy(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in       string
		interval time.Duration
		burst    float64
		ok       bool
	}{
		{`"account";q=10;w=1;burst=1`, 100 * time.Millisecond, 1, true},
		{`"default";q=100;w=10`, 100 * time.Millisecond, 1, true},
		{`10;w=1;burst=5`, 100 * time.Millisecond, 5, true},
		{`5`, 200 * time.Millisecond, 1, true},
		{`"a";q=100;w=1;burst=50, "b";q=5;w=1;burst=2`, 200 * time.Millisecond, 2, true}, // the stricter
		{`"a";q=0;w=1`, 0, 0, false},
		{`"a";w=1`, 0, 0, false},
		{`garbage`, 0, 0, false},
		{`"a";q=-3;w=1`, 0, 0, false},
	} {
		interval, burst, ok := parsePolicy(tt.in)
		if interval != tt.interval || burst != tt.burst || ok != tt.ok {
			t.Errorf("parsePolicy(%q) = %v, %v, %v; want %v, %v, %v", tt.in, interval, burst, ok, tt.interval, tt.burst, tt.ok)
		}
	}
}

// Requests held by a 429 are released at the stated pace, not all at once:
// the first at the deadline, each further one a slot later; and a request
// whose slot comes while an earlier one went late waits for the gap.
func TestGateReleasesHeldRequestsAtThePace(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	now := start
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); defer mu.Unlock(); now = now.Add(d) }
	var late time.Duration // added to the next sleep: a timer that fires late
	c := &Client{now: clock, gate: newGate(), sleep: func(_ context.Context, d time.Duration) error {
		advance(d + late)
		late = 0
		return nil
	}}
	c.gate.answered()
	c.gate.observe(start, http.Header{"Ratelimit-Policy": {`"account";q=10;w=1;burst=1`}})
	c.gate.throttled(start, time.Second)
	// A 429 at the stated pace widens it by the margin once more.
	interval := c.gate.interval
	if interval <= 100*time.Millisecond || interval > 100*time.Millisecond*maxStatedMargin/100+paceSlack {
		t.Fatalf("interval %v, want a little over the stated 100ms", interval)
	}
	var sent []time.Duration
	for i := range 5 {
		if i == 2 {
			late = interval / 2
		}
		if _, _, err := c.gate.enter(t.Context(), c, time.Time{}); err != nil {
			t.Fatal(err)
		}
		sent = append(sent, clock().Sub(start))
	}
	// The third went late; the fourth still goes a whole interval after it.
	want := []time.Duration{time.Second, time.Second + interval, time.Second + 2*interval + interval/2, time.Second + 3*interval + interval/2, time.Second + 4*interval + interval/2}
	for i := range want {
		want[i] = want[i].Round(time.Microsecond)
		sent[i] = sent[i].Round(time.Microsecond)
	}
	if !slices.Equal(sent, want) {
		t.Errorf("sent at %v, want %v", sent, want)
	}
}

// The client's first request goes alone: the others wait for its answer,
// which may state the limit.
func TestGateFirstRequestGoesAlone(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	a := newTestAPI(t, func(w http.ResponseWriter, _ *http.Request) {
		<-release
		writeJSON(w, http.StatusOK, `{"id":"`+testMessageID+`","status":"read"}`)
	})
	c, _ := newTestClient(t, a.url())
	errs := make(chan error, 5)
	for range 5 {
		go func() { _, err := c.GetMessage(t.Context(), testMessageID); errs <- err }()
	}
	eventually(t, "the probe to arrive", func() bool { return a.requests.Load() == 1 })
	time.Sleep(20 * time.Millisecond)
	if n := a.requests.Load(); n != 1 {
		t.Errorf("%d requests reached the service before the first was answered", n)
	}
	close(release)
	for range 5 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	if n := a.requests.Load(); n != 5 {
		t.Errorf("%d requests, want 5", n)
	}
}

// A stated bucket as large as Terraform's parallelism absorbs the first
// requests: they are not paced until a 429 says it ran dry.
func TestGateLargeBurstPacedFromItsFirst429(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	s := &sleeps{}
	c := &Client{sleep: s.sleep, now: func() time.Time { return now }, gate: newGate()}
	c.gate.answered()
	c.gate.observe(now, http.Header{"Ratelimit-Policy": {`"account";q=50;w=1;burst=50`}})
	for range 60 {
		if d, _, err := c.gate.enter(t.Context(), c, time.Time{}); d != 0 || err != nil {
			t.Fatalf("enter before any 429 = %v, %v; want no wait", d, err)
		}
	}
	c.gate.throttled(now, time.Second)
	c.gate.release(now.Add(time.Second))
	var waits []time.Duration
	for range 3 {
		d, _, err := c.gate.enter(t.Context(), c, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		waits = append(waits, d)
	}
	if waits[0] != 0 || waits[1] <= 0 || waits[2] <= waits[1] {
		t.Errorf("waits after the 429 = %v; want the first at once, then paced", waits)
	}
}
