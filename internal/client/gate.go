package client

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// gate paces every request of a Client to the account's rate limit. The
// limit is the account's, shared by every concurrent caller of the Client
// (Terraform's parallel resources), so the gate is too:
//
//   - A 429's Retry-After holds every request, not only the refused one:
//     otherwise callers that have not been refused yet keep sending into the
//     exhausted limit and each gets its own 429.
//   - Requests are then released at the pace the limit allows, not all at
//     once: a limit's bucket refills during the wait only up to its burst,
//     and requests released together meet a bucket of one token when the
//     burst is 1, each further 429 spending a retry. The pace is the rate the
//     service states in a RateLimit-Policy header (IETF draft
//     draft-ietf-httpapi-ratelimit-headers: a quota q per window w seconds,
//     and burst), which the reference does not document but a service may
//     send. Without one, the gate learns the pace from what the service
//     accepts (see learner): the reference documents only Retry-After.
//   - The first request of a Client goes alone, and the others wait for its
//     answer (one probe first): it says whether the service states a
//     policy, so that the first requests do not arrive all at once into a
//     limit with a small burst.
type gate struct {
	mu    sync.Mutex
	until time.Time // requests are held until then (a 429's Retry-After)

	// probe is closed once the first request of the client has an answer
	// (or failed); probing is set while that request is on its way.
	probe   chan struct{}
	probing bool

	policyHeader   string        // the last RateLimit-Policy seen, as sent
	known          bool          // a policy was stated: interval and burst are known
	statedInterval time.Duration // the stated interval, without margin

	// The pace: a token bucket with the limit's rate and burst, in which
	// tokens may go negative (slots promised to callers who wait for them).
	paced    bool
	interval time.Duration // time per request the limit allows
	burst    float64
	tokens   float64
	last     time.Time
	// sent is the same bucket for the requests actually sent: a caller whose
	// slot has come still waits if an earlier one went late (a timer that
	// fired late, a busy machine), so that no two requests go closer
	// together than the limit allows.
	sent     float64
	sentLast time.Time

	// learn finds the pace when the service states none.
	learn learner
}

// Pacing constants.
const (
	// paceMargin widens the stated interval a little, so that requests
	// delayed on their way do not arrive closer together than the limit
	// allows (which, with a burst of 1, is a 429).
	paceMargin = 1.02
	// paceSlack is added to the stated interval for the same reason when
	// the burst is 1: then the slack is all there is (a larger bucket fills
	// up while paced a little below its rate, and absorbs late requests),
	// and what a busy machine delays is milliseconds, whatever the rate.
	paceSlack = 3 * time.Millisecond
	// maxStatedMargin bounds (in percent of the stated interval) how far 429s
	// at the stated pace widen it.
	maxStatedMargin = 120
	// pacedBurst: a stated burst below it is paced from the first answer
	// on (Terraform's default parallelism sends 10 requests at once); a
	// larger bucket absorbs the first requests, and is paced from its first
	// 429 on.
	pacedBurst = 10
	// statedBackoff widens the stated pace at a 429 (plus paceSlack).
	statedBackoff = 1.05
)

func newGate() *gate { return &gate{probe: make(chan struct{})} }

// enter waits until the caller may send: after the client's first answer,
// after any 429's Retry-After, and at the pace of the limit. waited is the
// deadline the caller has already waited for (the zero time if none): a
// caller that slept for its own Retry-After does not wait for it a second
// time, only for a later deadline set meanwhile by another caller's 429. It
// waits with the client's sleep and clock. first reports that the caller is
// the client's probe and must call answered when it has an answer.
func (g *gate) enter(ctx context.Context, c *Client, waited time.Time) (total time.Duration, first bool, err error) {
	if first, err = g.waitProbe(ctx); first || err != nil {
		if err != nil {
			err = fmt.Errorf("cancelled while waiting for the answer to the client's first request: %w", err)
		}
		return 0, first, err
	}
	total, err = g.wait(ctx, c, waited)
	if err != nil {
		err = fmt.Errorf("cancelled while the service was throttling this account: %w", err)
	}
	return total, false, err
}

// wait is enter after the probe: it waits for any 429's Retry-After and
// for the pace.
func (g *gate) wait(ctx context.Context, c *Client, waited time.Time) (total time.Duration, err error) {
	for {
		until := g.deadline()
		if until.After(waited) {
			if d := until.Sub(c.now()); d > 0 {
				if err := c.sleep(ctx, d); err != nil {
					return total, err
				}
				total += d
			}
			waited = until
			continue
		}
		if d := g.reserve(c.now()); d > 0 {
			if err := c.sleep(ctx, d); err != nil {
				return total, err
			}
			total += d
		}
		// Then wait for a token of the requests actually sent. (A sleep
		// that returned before its time is a test's: take it then.)
		for force := false; !g.deadline().After(waited); {
			before := c.now()
			d := g.take(before, force)
			if d <= 0 {
				return total, nil
			}
			if err := c.sleep(ctx, d); err != nil {
				return total, err
			}
			total += d
			force = c.now().Sub(before) < d
		}
		// A 429 arrived meanwhile: wait for it, then for a new slot.
	}
}

// waitProbe makes the first caller the probe and holds the others until it
// has an answer.
func (g *gate) waitProbe(ctx context.Context) (bool, error) {
	g.mu.Lock()
	select {
	case <-g.probe:
		g.mu.Unlock()
		return false, nil
	default:
	}
	if !g.probing {
		g.probing = true
		g.mu.Unlock()
		return true, nil
	}
	g.mu.Unlock()
	select {
	case <-g.probe:
		return false, nil
	case <-ctx.Done():
		return false, ctx.Err()
	}
}

// answered releases the callers held for the probe's answer.
func (g *gate) answered() {
	g.mu.Lock()
	defer g.mu.Unlock()
	select {
	case <-g.probe:
	default:
		close(g.probe)
	}
}

// release opens the gate held until t, unless it was held longer since: the
// caller whose 429 set t has waited for it. (With a real clock the deadline
// has then passed anyway; with a test's sleep that returns at once, this is
// what makes the time pass for the other callers.)
func (g *gate) release(t time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.until.Equal(t) {
		g.until = time.Time{}
	}
}

// deadline returns the time until which requests are held.
func (g *gate) deadline() time.Time {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.until
}

// reserve takes the next slot of the pace and returns how long until it.
func (g *gate) reserve(now time.Time) time.Duration {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.known {
		// A learned pace may change while callers wait (a ramp): they
		// take their tokens as they come, without slots promised ahead.
		return 0
	}
	if !g.paced {
		return 0
	}
	g.refill(now)
	g.tokens--
	if g.tokens >= 0 {
		return 0
	}
	return time.Duration(-g.tokens * float64(g.interval))
}

// take takes a token of the bucket of requests sent, or returns how long
// until there is one. With force it takes one anyway (the bucket may go
// below zero).
func (g *gate) take(now time.Time, force bool) time.Duration {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.learnedPace(now)
	if !g.paced {
		return 0
	}
	g.refill(now)
	if g.sent >= 1 || force {
		g.sent--
		if !g.known {
			g.learn.took()
		}
		return 0
	}
	if !g.known {
		return g.learn.until(now, 1-g.sent)
	}
	return time.Duration((1 - g.sent) * float64(g.interval))
}

// wrote records that a request went on the wire late after it left the
// gate (a busy machine, a new connection). With a burst of 1 the service's
// bucket was full meanwhile and lost that much refill, so the next request
// waits that much longer. (A larger bucket is not full when paced: when a
// token is taken does not change what it holds afterwards.)
func (g *gate) wrote(late time.Duration) {
	if late <= 0 {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.paced && g.burst < 2 {
		g.sent -= float64(late) / float64(g.interval)
	}
}

// refill adds the tokens of the time since the last refill (none before a
// Retry-After deadline) to both buckets. Callers hold mu.
func (g *gate) refill(now time.Time) {
	if now.After(g.last) {
		g.tokens = min(g.burst, g.tokens+float64(now.Sub(g.last))/float64(g.interval))
		g.last = now
	}
	if now.After(g.sentLast) {
		g.sent = min(g.burst, g.sent+float64(now.Sub(g.sentLast))/float64(g.interval))
		g.sentLast = now
	}
}

// reset sets both buckets to tokens at t. Callers hold mu.
func (g *gate) reset(tokens float64, t time.Time) {
	g.tokens, g.last = tokens, t
	g.sent, g.sentLast = tokens, t
}

// observe records the policy the service states in an answer.
func (g *gate) observe(now time.Time, h http.Header) {
	p := h.Get("RateLimit-Policy")
	g.mu.Lock()
	defer g.mu.Unlock()
	if p != "" && p != g.policyHeader {
		g.policyHeader = p
		if interval, burst, valid := parsePolicy(p); valid {
			g.refill(now)
			if !g.paced && burst < pacedBurst {
				// A small bucket: pace from now on. The answer took a token
				// of a bucket assumed full.
				g.paced = true
				g.reset(burst-1, now)
			}
			g.known = true
			g.interval, g.burst = time.Duration(float64(interval)*paceMargin)+slack(burst), burst
			g.statedInterval = interval
			g.tokens, g.sent = min(g.tokens, burst), min(g.sent, burst)
		}
	}
}

// throttled records a 429 at now whose Retry-After holds every request
// until now+wait.
func (g *gate) throttled(now time.Time, wait time.Duration) {
	g.mu.Lock()
	defer g.mu.Unlock()
	// A 429 while already held answers a request sent before the hold:
	// the same episode, which says nothing new about the pace.
	episode := !g.until.After(now)
	if until := now.Add(wait); until.After(g.until) {
		g.until = until
	}
	switch {
	case !g.known:
		if episode {
			g.learn.refused(g.until, wait)
		}
		if g.learnedPace(g.until) {
			g.reset(1, g.until)
		}
		return
	case !g.paced:
		// A large bucket, paced from its first 429 on.
		g.paced = true
	case episode:
		// Requests went closer together than planned on their way (a busy
		// machine): leave them more room, up to a limit.
		g.interval = min(time.Duration(float64(g.interval)*statedBackoff)+slack(g.burst), g.statedInterval*maxStatedMargin/100+slack(g.burst))
	}
	// The service's bucket is empty now, and has a token when the wait is
	// over (that is what Retry-After says): slots promised before are void,
	// their callers wait for the deadline and take new ones.
	g.reset(1, g.until)
}

// learnedPace sets the pace the learner has at now, when the service
// states no policy, and reports whether requests are paced. Callers hold mu.
func (g *gate) learnedPace(now time.Time) bool {
	if g.known {
		return g.paced
	}
	interval, paced := g.learn.interval(now)
	if paced {
		g.interval, g.burst = interval, 1
	}
	g.paced = paced
	return paced
}

// sample records an answer to a request that left the gate at sent, for
// the learner.
func (g *gate) sample(sent time.Time, accepted bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.known {
		g.learn.record(sent, accepted)
	}
}

// slack is paceSlack for a burst of 1, else nothing.
func slack(burst float64) time.Duration {
	if burst < 2 {
		return paceSlack
	}
	return 0
}

// parsePolicy reads a RateLimit-Policy header: one or more policies such as
// `"default";q=10;w=1` (draft-ietf-httpapi-ratelimit-headers), or
// `10;w=1;burst=5` (its earlier drafts), and returns the time per request and
// the burst of the most restrictive one. w defaults to 1 second, burst to 1.
func parsePolicy(v string) (time.Duration, float64, bool) {
	var best time.Duration
	var bestBurst float64
	for item := range strings.SplitSeq(v, ",") {
		q, w, burst := -1.0, 1.0, 1.0
		for i, part := range strings.Split(item, ";") {
			k, val, hasVal := strings.Cut(strings.TrimSpace(part), "=")
			if !hasVal {
				if i == 0 {
					if n, err := strconv.ParseFloat(k, 64); err == nil {
						q = n
					}
				}
				continue
			}
			n, err := strconv.ParseFloat(strings.Trim(val, `"`), 64)
			if err != nil || n <= 0 || math.IsInf(n, 0) || math.IsNaN(n) {
				continue
			}
			switch strings.ToLower(k) {
			case "q":
				q = n
			case "w":
				w = n
			case "burst":
				burst = max(1, math.Floor(n))
			}
		}
		if q <= 0 || w > 86400 {
			continue
		}
		interval := time.Duration(w / q * float64(time.Second))
		if interval > best {
			best, bestBurst = interval, burst
		}
	}
	return best, bestBurst, best > 0
}

// logThrottled logs that a request waited because the service was
// throttling the account.
func logThrottled(ctx context.Context, cl *call, attempt int, waited time.Duration) {
	if cl.quiet {
		return
	}
	f := callFields(cl, attempt)
	f["waited"] = waited.String()
	cl.emit(ctx, slog.LevelDebug, "Held API request while the service throttles the account (429 Retry-After or its rate limit)", f)
}
