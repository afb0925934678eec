package mockapi

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"slices"
	"sync"
	"time"
)

// FaultKind names a kind of injected fault, as counted in Stats.Faults.
type FaultKind string

// Fault kinds.
const (
	// FaultLatency delays the request before it is handled.
	FaultLatency FaultKind = "latency"
	// FaultServerError answers 500, 502 or 503 before processing.
	FaultServerError FaultKind = "server_error"
	// FaultTooManyRequests answers 429 with Retry-After before processing.
	FaultTooManyRequests FaultKind = "too_many_requests"
	// FaultDropBefore closes the connection without a response before processing: nothing
	// happened.
	FaultDropBefore FaultKind = "drop_before"
	// FaultDropAfter processes the request fully (a send is accepted and recorded), then closes
	// the connection without a response: the case a client must not retry for sends.
	FaultDropAfter FaultKind = "drop_after"
)

// Faults configures fault injection. Each API request draws from a random source seeded with
// Seed (math/rand/v2 PCG), so a sequence of requests meets the same faults on every run.
// Admin requests never meet faults.
type Faults struct {
	// Seed seeds the random source.
	Seed uint64
	// Latency and LatencyJitter delay a request by Latency plus a uniform random part of
	// LatencyJitter, with probability LatencyRate (0 counts as 1 when a latency is set).
	Latency       time.Duration
	LatencyJitter time.Duration
	LatencyRate   float64
	// The probabilities, per request, of the other kinds; their sum must not exceed 1.
	ServerErrorRate     float64 // 500, 502 or 503 (503 with Retry-After: 1)
	TooManyRequestsRate float64 // 429 with Retry-After
	DropBeforeRate      float64
	DropAfterRate       float64
	// RetryAfter is the Retry-After of injected 429s (rounded up to seconds, at least 1).
	RetryAfter time.Duration
	// Endpoints limits faults to these endpoints (for example EndpointSendMessage and
	// EndpointBroadcast); empty means every API endpoint.
	Endpoints []Endpoint
}

// Validate reports a configuration that cannot be applied.
func (f Faults) Validate() error {
	var errs []error
	rates := []struct {
		name string
		v    float64
	}{
		{"latency rate", f.LatencyRate},
		{"server error rate", f.ServerErrorRate},
		{"429 rate", f.TooManyRequestsRate},
		{"drop-before rate", f.DropBeforeRate},
		{"drop-after rate", f.DropAfterRate},
	}
	for _, r := range rates {
		if r.v < 0 || r.v > 1 || math.IsNaN(r.v) {
			errs = append(errs, fmt.Errorf("%s %v must be between 0 and 1", r.name, r.v))
		}
	}
	if sum := f.ServerErrorRate + f.TooManyRequestsRate + f.DropBeforeRate + f.DropAfterRate; sum > 1+1e-9 {
		errs = append(errs, fmt.Errorf("the server error, 429, drop-before and drop-after rates add up to %v; at most 1", sum))
	}
	if f.Latency < 0 || f.LatencyJitter < 0 || f.RetryAfter < 0 {
		errs = append(errs, errors.New("latency, jitter and retry-after must not be negative"))
	}
	for _, e := range f.Endpoints {
		if !slices.Contains(APIEndpoints, e) {
			errs = append(errs, fmt.Errorf("unknown endpoint %q; use one of %v", e, APIEndpoints))
		}
	}
	return errors.Join(errs...)
}

// faultPlan is what happens to one request.
type faultPlan struct {
	latency time.Duration
	kind    FaultKind // "" for none, else one of the kinds other than FaultLatency
	status  int       // for FaultServerError
}

// faultInjector draws fault plans from the seeded source. Safe for concurrent use.
type faultInjector struct {
	mu  sync.Mutex
	cfg Faults
	rng *rand.Rand
}

func newFaultInjector(cfg Faults) *faultInjector {
	f := &faultInjector{}
	f.set(cfg)
	return f
}

func (f *faultInjector) set(cfg Faults) {
	f.mu.Lock()
	defer f.mu.Unlock()
	cfg.Endpoints = slices.Clone(cfg.Endpoints)
	f.cfg = cfg
	f.rng = rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15)) //nolint:gosec // reproducible faults, not security
}

func (f *faultInjector) get() Faults {
	f.mu.Lock()
	defer f.mu.Unlock()
	cfg := f.cfg
	cfg.Endpoints = slices.Clone(cfg.Endpoints)
	return cfg
}

var serverErrorStatuses = [...]int{http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable}

// plan draws the faults of one request to endpoint. The draws happen in a fixed order so that
// runs are reproducible.
func (f *faultInjector) plan(endpoint Endpoint) faultPlan {
	f.mu.Lock()
	defer f.mu.Unlock()
	cfg := f.cfg
	if len(cfg.Endpoints) > 0 && !slices.Contains(cfg.Endpoints, endpoint) {
		return faultPlan{}
	}
	var p faultPlan
	if cfg.Latency > 0 || cfg.LatencyJitter > 0 {
		rate := cfg.LatencyRate
		if rate == 0 {
			rate = 1
		}
		if f.rng.Float64() < rate {
			p.latency = cfg.Latency
			if cfg.LatencyJitter > 0 {
				p.latency += time.Duration(f.rng.Int64N(int64(cfg.LatencyJitter) + 1))
			}
		}
	}
	if cfg.ServerErrorRate+cfg.TooManyRequestsRate+cfg.DropBeforeRate+cfg.DropAfterRate == 0 {
		return p
	}
	u := f.rng.Float64()
	for _, k := range []struct {
		kind FaultKind
		rate float64
	}{
		{FaultDropBefore, cfg.DropBeforeRate},
		{FaultServerError, cfg.ServerErrorRate},
		{FaultTooManyRequests, cfg.TooManyRequestsRate},
		{FaultDropAfter, cfg.DropAfterRate},
	} {
		if u < k.rate {
			p.kind = k.kind
			break
		}
		u -= k.rate
	}
	if p.kind == FaultServerError {
		p.status = serverErrorStatuses[f.rng.IntN(len(serverErrorStatuses))]
	}
	return p
}

func (f *faultInjector) retryAfter() time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.cfg.RetryAfter
}

// sleep waits d of real time, or until the request is cancelled.
func sleep(r *http.Request, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-r.Context().Done():
	}
}

// dropConnection closes the client's connection without a response. Over HTTP/1 it hijacks
// the connection and resets it; where hijacking is impossible (HTTP/2, recorders) it aborts
// the handler, which net/http turns into a reset stream or closed connection.
func dropConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0) // reset rather than a graceful close
	}
	_ = conn.Close()
}
