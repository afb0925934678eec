package mockapi

import (
	"errors"
	"math"
	"strconv"
	"sync"
	"time"
)

// RateLimit is a token bucket per account, refilled in real time: RequestsPerSecond tokens a
// second up to Burst. A request without a token gets a 429 with Retry-After.
type RateLimit struct {
	// RequestsPerSecond is the refill rate; 0 turns rate limiting off.
	RequestsPerSecond float64 `json:"requests_per_second"`
	// Burst is the bucket size; 0 means max(1, RequestsPerSecond rounded up).
	Burst int `json:"burst"`
	// StatePolicy adds a RateLimit-Policy header (PolicyHeader) stating the limit to every answer.
	// The reference documents only Retry-After, so it is off by default: the mock then answers as
	// the real service does. Turn it on to test a client's use of the header.
	StatePolicy bool `json:"state_policy,omitempty"`
}

// Validate reports a configuration that cannot be applied.
func (l RateLimit) Validate() error {
	if l.RequestsPerSecond < 0 || math.IsNaN(l.RequestsPerSecond) || math.IsInf(l.RequestsPerSecond, 0) || l.Burst < 0 {
		return errors.New("rate limit: requests per second and burst must be finite and not negative")
	}
	return nil
}

func (l RateLimit) burst() float64 {
	if l.Burst > 0 {
		return float64(l.Burst)
	}
	return max(1, math.Ceil(l.RequestsPerSecond))
}

type bucket struct {
	tokens float64
	last   time.Time
}

// rateLimiter holds one bucket per account. Safe for concurrent use.
type rateLimiter struct {
	now func() time.Time

	mu      sync.Mutex
	cfg     RateLimit
	buckets map[string]*bucket
}

func newRateLimiter(cfg RateLimit, now func() time.Time) *rateLimiter {
	return &rateLimiter{now: now, cfg: cfg, buckets: make(map[string]*bucket)}
}

// set replaces the configuration; buckets start full again.
func (l *rateLimiter) set(cfg RateLimit) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.cfg = cfg
	clear(l.buckets)
}

func (l *rateLimiter) get() RateLimit {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.cfg
}

// allow takes a token from account's bucket. When there is none it returns false and how long
// until one is available.
func (l *rateLimiter) allow(account string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.cfg.RequestsPerSecond <= 0 {
		return true, 0
	}
	now := l.now()
	burst := l.cfg.burst()
	b := l.buckets[account]
	if b == nil {
		b = &bucket{tokens: burst, last: now}
		l.buckets[account] = b
	}
	if elapsed := now.Sub(b.last); elapsed > 0 {
		b.tokens = min(burst, b.tokens+elapsed.Seconds()*l.cfg.RequestsPerSecond)
	}
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	secs := min((1-b.tokens)/l.cfg.RequestsPerSecond, math.MaxInt32) // Retry-After is an int32
	return false, time.Duration(secs * float64(time.Second))
}

// PolicyHeader is the response header in which the mock states an account's rate limit, in the
// syntax of the IETF draft "RateLimit header fields for HTTP" (draft-ietf-httpapi-ratelimit-headers):
// a quota q per window of w seconds, and the bucket size as the extension parameter burst. The
// reference does not mention it, so the mock sends it only when RateLimit.StatePolicy is set;
// clients may use it to pace their requests, but must not need it.
const PolicyHeader = "RateLimit-Policy"

// policy renders the limit for PolicyHeader, or "" when there is no limit: `"account";q=10;w=1;burst=1`.
// The quota is a whole number of requests: a fractional rate is stated over a longer window.
func (l RateLimit) policy() string {
	if l.RequestsPerSecond <= 0 || !l.StatePolicy {
		return ""
	}
	w := 1
	for w < 3600 && math.Abs(l.RequestsPerSecond*float64(w)-math.Round(l.RequestsPerSecond*float64(w))) > 1e-9 {
		w++
	}
	q := max(1, int64(math.Floor(l.RequestsPerSecond*float64(w)+1e-9)))
	return `"account";q=` + strconv.FormatInt(q, 10) + ";w=" + strconv.Itoa(w) + ";burst=" + strconv.FormatInt(int64(l.burst()), 10)
}
