package client

import (
	"math"
	"slices"
	"time"
)

// learner finds the pace of a rate limit that the service does not state.
// The reference documents only Retry-After, in whole seconds and at least 1:
// it says when to try again, not how fast. With a small burst that is not
// enough: requests released together after a hold meet a bucket refilled
// only to its burst, and each further 429 holds the whole client for a
// second more. So the gate learns the pace from what the service accepts,
// modelling the limit as a token bucket (rate r, burst b):
//
//   - Free: not paced, until the first 429. When that comes within
//     burstWindow of the first request, the requests accepted until then are
//     the burst (all callers start together).
//   - Ramp: after a hold, requests are released at a rate that doubles every
//     doubling and grows by at most a step per request, from one the
//     answers so far prove safe, until a 429. The least rate at which a
//     bucket of the estimated burst accepts every request the service
//     accepted since the hold, and refuses the one refused, is then the
//     limit's rate (fit). The first ramp is fast and coarse; a second one,
//     slower, from the first one's rate, refines it.
//   - Paced: requests go at the fitted rate. A 429 then (a pace a little
//     too fast) fits the rate again from the answers at that pace. A ramp
//     that passes maxLearnedRate ends in Free.
//   - A 429 at a rate below one the service has been seen to allow (see
//     provenRate), one no token bucket explains, or one in a ramp before
//     the burst is used, is taken as not the limit's: a ramp climbs on, a
//     pace ends in Free. Each such 429 also quarters the proven rate
//     (dismiss), so that a limit that appears or is lowered later is
//     learned after a few of them.
//
// A service that refuses now and then without a limit (as the fault tests'
// mock does) thus costs a ramp that climbs back, or a pace a little below
// the fastest the service has been seen to allow; not a pace that only ever
// slows down. The learner's fields are guarded by the gate's mutex.
type learner struct {
	mode    learnMode
	samples []sample  // answers to requests sent since start
	start   time.Time // when requests were released after the last hold, or the first went
	burst   float64   // the estimated burst (0 until measured)
	// burstUntil: accepted requests sent until then, answered after the
	// first 429, count to the burst.
	burstUntil time.Time
	// rate is the pace in requests per second: in a ramp, its rate at start.
	rate     float64
	doubling time.Duration // a ramp's doubling time
	taken    int           // requests let through since the ramp started
	// proven is the fastest rate the service is known to allow (see
	// provenRate).
	proven float64
}

type learnMode int

const (
	learnFree learnMode = iota
	learnRamp
	learnPaced
)

// sample is one answered request: when it left the gate, and whether it was
// accepted (anything but a 429).
type sample struct {
	sent     time.Time
	accepted bool
}

const (
	// burstWindow: a first 429 this soon after the first request measures
	// the burst (Terraform's parallel requests go at once).
	burstWindow = 50 * time.Millisecond
	// firstDoubling and refineDoubling are the doubling times of the first
	// ramp and of the later ones. At 10 requests per second the first
	// raises the rate by 15 % per request, the later ones by 3.5 %.
	firstDoubling  = 250 * time.Millisecond
	refineDoubling = 2 * time.Second
	// firstStep and refineStep: the most the first ramp and the later ones
	// grow the rate per request.
	firstStep  = 1.5
	refineStep = 1.05
	// maxLearnedRate: a ramp past it ends, the client is no longer paced.
	maxLearnedRate = 1000.0
	// maxSamples bounds the answers kept for a fit.
	maxSamples = 8192
	// fitTolerance is the part of a token a request may have arrived early
	// by (the service sees arrival times, the client send times).
	fitTolerance = 0.05
	// pacedRestart: a 429 while paced with too few answers to fit slows
	// the pace to this share.
	pacedRestart = 0.9
	// provenRun and provenShare: a run of provenRun requests accepted in a
	// row proves a rate (provenRate), and no learned pace goes below
	// provenShare of the fastest proven.
	provenRun = 20
	// retryAfterShare: a Retry-After of w seconds lets a request through
	// after w, so the limit is about 1/w per second at least; paces start
	// at this share of it at least.
	retryAfterShare = 0.9
	// maxBurstGrowth: how much larger than estimated a fit may find the
	// burst.
	maxBurstGrowth = 8
	provenShare    = 0.9
)

// record keeps an answer for the next fit.
func (l *learner) record(sent time.Time, accepted bool) {
	if l.start.IsZero() {
		l.start = sent
	}
	if sent.Before(l.start) {
		// Sent before the last hold: says nothing about the bucket since,
		// unless it is one of the first requests, answered after the first
		// 429: then it was taken from the burst too.
		if accepted && !sent.After(l.burstUntil) {
			l.burst++
		}
		return
	}
	if len(l.samples) == maxSamples {
		l.samples = slices.Delete(l.samples, 0, maxSamples/2)
	}
	l.samples = append(l.samples, sample{sent: sent, accepted: accepted})
}

// refused moves the learner on at a 429 that starts a hold lasting until
// release: what was learned from the answers since the last one sets the
// pace from release on. No pace goes below provenShare of the fastest rate
// the service is known to allow, nor below retryAfterShare of one per
// Retry-After: refusals that are not the limit's (the fault tests' mock
// refuses at random) then cost at most that, not a pace that slows at
// every one.
func (l *learner) refused(release time.Time, wait time.Duration) {
	// Answers come back nearly in send order; the fits need it exactly.
	slices.SortFunc(l.samples, func(a, b sample) int { return a.sent.Compare(b.sent) })
	l.proven = max(l.proven, provenRate(l.samples, l.estimatedBurst()))
	floor := l.floor(wait)
	accepted, first, last := l.window()
	switch l.mode {
	case learnFree:
		span := last.Sub(first)
		if l.burst == 0 && span <= burstWindow {
			l.burst, l.burstUntil = float64(max(accepted, 1)), last
		}
		l.startRamp(release, max(floor, half(accepted, span)), firstDoubling)
	case learnRamp:
		if now := l.rampRate(last); now < l.proven || float64(accepted) < l.burst {
			// Refused below a rate the service is known to allow, or
			// before the burst, full at the release, was used: not the
			// limit, or a limit lowered since. Climb on from there.
			l.dismiss()
			l.startRamp(release, max(floor, now), l.doubling)
			return
		}
		if accepted < 3 {
			// Too few answers to fit: the ramp started above the limit,
			// and a rate proven before may be stale. Climb again by small
			// steps from well below this ramp's start.
			l.dismiss()
			l.startRamp(release, max(l.floor(wait), l.rate/(2*firstStep)), refineDoubling)
			return
		}
		fit, explained := l.fit()
		if !explained {
			// No token bucket refuses that request and accepts the ones
			// before it: not the limit. Climb on.
			l.dismiss()
			l.startRamp(release, max(floor, l.rampRate(last)), l.doubling)
			return
		}
		r := max(floor, fit)
		if l.doubling == firstDoubling {
			l.startRamp(release, r, refineDoubling)
			return
		}
		l.mode, l.rate = learnPaced, r
		l.reset(release)
	case learnPaced:
		if l.rate <= floor {
			// Refused at a pace below what the service is known to allow:
			// not the limit (a service that refuses now and then for
			// another reason). Go unpaced until the next 429.
			l.dismiss()
			l.mode = learnFree
			l.reset(release)
			return
		}
		// The pace was too fast (or the service refused for another
		// reason): fit again from the answers at that pace.
		r := l.rate * pacedRestart
		if accepted >= 3 {
			fit, explained := l.fit()
			if !explained {
				l.dismiss()
				l.mode = learnFree
				l.reset(release)
				return
			}
			r = min(l.rate, fit)
		}
		l.rate = max(floor, r)
		l.reset(release)
	}
}

// floor is the least pace: retryAfterShare of one per Retry-After, and
// provenShare of the proven rate.
func (l *learner) floor(wait time.Duration) float64 {
	return max(retryAfterShare/max(wait.Seconds(), 1e-3), provenShare*l.proven)
}

// dismiss is called for a 429 taken as not the limit's. It may be a limit
// lowered since the rate was proven (or one that appeared after the client
// went fast): each such 429 quarters the proven rate and halves the
// estimated burst, so that a few of them in a row let the learner fit the
// new limit, while a run of accepted requests proves the rate again.
func (l *learner) dismiss() {
	l.proven /= 4
	if l.burst > 1 {
		l.burst = max(1, math.Floor(l.burst/2))
	}
}

// half is half the rate of accepted requests over span, or 0 when span is
// too short to tell a rate.
func half(accepted int, span time.Duration) float64 {
	if span < 100*time.Millisecond || accepted < 10 {
		return 0
	}
	return float64(accepted) / span.Seconds() / 2
}

func (l *learner) startRamp(release time.Time, rate float64, doubling time.Duration) {
	l.mode, l.rate, l.doubling = learnRamp, rate, doubling
	l.reset(release)
}

func (l *learner) reset(release time.Time) {
	l.start, l.samples, l.taken = release, l.samples[:0], 0
}

// took records that a request was let through.
func (l *learner) took() { l.taken++ }

// step is the most a ramp's rate grows per request: its doubling time
// alone would grow it by 16 at one request per second, too coarse a step
// for a fit to tell a slow limit.
func (l *learner) step() float64 {
	if l.doubling == firstDoubling {
		return firstStep
	}
	return refineStep
}

func (l *learner) estimatedBurst() float64 { return max(l.burst, 1) }

// window returns the accepted answers since start and the send times of the
// first and last answer.
func (l *learner) window() (accepted int, first, last time.Time) {
	for _, s := range l.samples {
		if s.accepted {
			accepted++
		}
		if first.IsZero() || s.sent.Before(first) {
			first = s.sent
		}
		if s.sent.After(last) {
			last = s.sent
		}
	}
	return accepted, first, last
}

// rampRate returns the ramp's rate at t: doubled every doubling since
// start, and grown by at most step per request let through.
func (l *learner) rampRate(t time.Time) float64 {
	return min(l.timeRate(t), l.stepRate())
}

func (l *learner) timeRate(t time.Time) float64 {
	if !t.After(l.start) {
		return l.rate
	}
	return l.rate * math.Exp2(float64(t.Sub(l.start))/float64(l.doubling))
}

func (l *learner) stepRate() float64 { return l.rate * math.Pow(l.step(), float64(l.taken)) }

// interval returns the time per request at now, and false when the client
// is not paced.
func (l *learner) interval(now time.Time) (time.Duration, bool) {
	switch l.mode {
	case learnRamp:
		r := l.rampRate(now)
		if r > maxLearnedRate {
			l.mode = learnFree
			l.reset(now)
			return 0, false
		}
		return time.Duration(float64(time.Second) / r), true
	case learnPaced:
		return time.Duration(float64(time.Second)/l.rate) + paceSlack, true
	}
	return 0, false
}

// provenRate returns the fastest rate the samples prove the service to
// allow: over each run of at least provenRun requests accepted in a row,
// the requests beyond the burst divided by the run's time. A token bucket
// accepts at most burst + rate x time, so this is at most its rate; a
// service that refuses at random and not by rate shows runs at the rate
// it was sent. The samples are in send order.
func provenRate(s []sample, burst float64) float64 {
	best, n := 0.0, 0
	var first time.Time
	for i, x := range s {
		if x.accepted {
			if n == 0 {
				first = x.sent
			}
			n++
		}
		if n > 0 && (!x.accepted || i == len(s)-1) {
			last := s[i].sent
			if !x.accepted {
				last = s[i-1].sent
			}
			if span := last.Sub(first).Seconds(); n >= provenRun && span > 0 {
				best = max(best, (float64(n)-burst)/span)
			}
			if !x.accepted {
				n = 0
			}
		}
	}
	return best
}

// until returns how long from now until the learned pace has given tokens
// more requests: in a ramp, whose rate r(t) doubles every doubling, the
// time d in which the integral of r from now to now+d, r(now) x doubling /
// ln 2 x (2^(d/doubling) - 1), reaches tokens, and at least the time at the
// rate its steps allow.
func (l *learner) until(now time.Time, tokens float64) time.Duration {
	switch l.mode {
	case learnRamp:
		d := l.doubling.Seconds()
		byTime := d * math.Log2(1+tokens*math.Ln2/(l.timeRate(now)*d))
		return time.Duration(max(byTime, tokens/l.stepRate()) * float64(time.Second))
	case learnPaced:
		iv, _ := l.interval(now)
		return time.Duration(tokens * float64(iv))
	}
	return 0
}

// fit fits a token bucket to the answers since start: the least rate at
// which a bucket of the estimated burst, or of up to maxBurstGrowth more,
// accepts every request accepted and refuses the last one refused. A larger
// burst that explains the refusal becomes the estimate. explained is false
// when no such bucket does: the refusal was not the limit's. The samples
// are in send order (refused sorts them).
func (l *learner) fit() (rate float64, explained bool) {
	b0 := l.estimatedBurst()
	for b := b0; b <= b0+maxBurstGrowth; b++ {
		r := fitRate(l.samples, l.start, b)
		if _, refusesLast := replay(l.samples, l.start, b, r); refusesLast {
			l.burst = b
			return r, true
		}
	}
	return 0, false
}

// replay runs the samples, in send order, through a token bucket of burst
// and rate, full at start: whether it accepts every request the samples
// record as accepted, and whether it refuses the last one they record as
// refused, both with the fit's tolerance (the service sees arrival times,
// the client send times).
func replay(s []sample, start time.Time, burst, rate float64) (acceptsAll, refusesLast bool) {
	tokens, last := burst, start
	acceptsAll = true
	for _, x := range s {
		if x.sent.After(last) {
			tokens = min(burst, tokens+rate*x.sent.Sub(last).Seconds())
			last = x.sent
		}
		if x.accepted {
			acceptsAll = acceptsAll && tokens >= 1-fitTolerance
			tokens--
		} else {
			refusesLast = tokens < 1+fitTolerance
		}
	}
	return acceptsAll, refusesLast
}

// fitRate returns the least rate, in requests per second, at which a token
// bucket of the given burst, full at start, accepts every request that the
// samples, in send order, record as accepted: the rate the service's limit
// has at least. (A bucket's acceptances only grow with its rate, so a
// bisection finds it.)
func fitRate(s []sample, start time.Time, burst float64) float64 {
	accepts := func(rate float64) bool {
		ok, _ := replay(s, start, burst, rate)
		return ok
	}
	lo, hi := 0.0, 2*maxLearnedRate
	if !accepts(hi) {
		return hi
	}
	for range 40 {
		mid := (lo + hi) / 2
		if accepts(mid) {
			hi = mid
		} else {
			lo = mid
		}
	}
	return hi
}
