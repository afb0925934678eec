package client

import (
	"fmt"
	"testing"
	"time"
)

// bucket is a token bucket as a rate-limited service keeps one: rate
// tokens per second, up to burst, full at the start.
type bucket struct {
	rate, burst, tokens float64
	last                time.Time
}

func newBucket(rate, burst float64, at time.Time) *bucket {
	return &bucket{rate: rate, burst: burst, tokens: burst, last: at}
}

func (b *bucket) accept(at time.Time) bool {
	b.tokens = min(b.burst, b.tokens+b.rate*at.Sub(b.last).Seconds())
	b.last = at
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// ramp sends to b at a rate that starts at from per second and doubles every
// doubling, until the first refusal, and returns the answers.
func ramp(b *bucket, start time.Time, from float64, doubling time.Duration) []sample {
	var out []sample
	at, rate := start, from
	for range 10_000 {
		ok := b.accept(at)
		out = append(out, sample{sent: at, accepted: ok})
		if !ok {
			return out
		}
		at = at.Add(time.Duration(float64(time.Second) / rate))
		rate = from * pow2(at.Sub(start), doubling)
	}
	return out
}

func pow2(d, doubling time.Duration) float64 {
	r := 1.0
	for ; d >= doubling; d -= doubling {
		r *= 2
	}
	return r * (1 + float64(d)/float64(doubling)) // a little below 2^x: fine for a ramp
}

// The rate fitted from a ramp into a token bucket is at most the bucket's
// rate with the fit's tolerance (pacing at it is safe) and, with the
// refining ramp's small steps, within a few percent of it, for bursts from
// 1 up when the burst is known.
func TestFitRateFindsTheLimitOfATokenBucket(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct{ rate, burst, from float64 }{
		{10, 1, 7}, {10, 2, 7}, {10, 5, 7}, {20, 5, 15}, {3, 1, 2}, {200, 10, 150},
	} {
		t.Run(fmt.Sprintf("%g/s burst %g", c.rate, c.burst), func(t *testing.T) {
			t.Parallel()
			samples := ramp(newBucket(c.rate, c.burst, start), start, c.from, refineDoubling)
			got := fitRate(samples, start, c.burst)
			if got > c.rate/(1-fitTolerance) || got < 0.9*c.rate {
				t.Errorf("fitted %.3f/s from %d answers, want %.3f/s or up to 10%% less", got, len(samples), c.rate)
			}
		})
	}
}

// The learner measures the burst from the requests accepted before the
// first 429 (those answered after it too), ramps from the Retry-After's
// rate, refines the first ramp's rate with a slower second one, and then
// paces at the rate fitted, just above the limit's interval, for limits
// from 1 to 50 per second (at 2/s burst 1 a ramp by time alone refused
// every second request for ever).
func TestLearnerFindsPaceOfAHiddenLimit(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ rate, burst float64 }{{10, 1}, {10, 2}, {10, 5}, {2, 1}, {1, 1}, {50, 5}} {
		t.Run(fmt.Sprintf("%g/s burst %g", c.rate, c.burst), func(t *testing.T) {
			t.Parallel()
			t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			b := newBucket(c.rate, c.burst, t0)
			var l learner
			// Ten callers at once after the first: the burst accepted, the
			// rest refused; one accepted answer arrives after the first 429.
			l.record(t0, b.accept(t0))
			at := t0.Add(time.Millisecond)
			var late []bool
			for range 9 {
				ok := b.accept(at)
				if ok && len(late) == 0 {
					late = append(late, ok)
					continue
				}
				l.record(at, ok)
			}
			release := at.Add(time.Second)
			l.refused(release, time.Second)
			for _, ok := range late {
				l.record(at, ok)
			}
			if l.burst != c.burst {
				t.Fatalf("burst measured %g, want %g", l.burst, c.burst)
			}
			holds := 1
			for ; holds < 10 && l.mode != learnPaced; holds++ {
				at = release
				for {
					iv, paced := l.interval(at)
					if !paced {
						t.Fatalf("hold %d: a ramp ended unpaced", holds)
					}
					l.took()
					accepted := b.accept(at)
					l.record(at, accepted)
					if !accepted {
						break
					}
					at = at.Add(max(iv, l.until(at, 1)))
				}
				release = at.Add(time.Second)
				l.refused(release, time.Second)
			}
			iv, paced := l.interval(release)
			limit := time.Duration(float64(time.Second) / c.rate)
			if !paced || iv < limit || iv > limit*115/100+paceSlack {
				t.Fatalf("after %d holds: mode %d, interval %s; want paced at %s to 15%% above", holds, l.mode, iv, limit)
			}
			// At that pace the limit refuses nothing.
			for at := release; at.Before(release.Add(time.Minute)); at = at.Add(iv) {
				if !b.accept(at) {
					t.Fatalf("refused %s after release at the learned interval %s", at.Sub(release), iv)
				}
			}
			t.Logf("paced at %s (limit %s) after %d holds", iv, limit, holds)
		})
	}
}

// A service that refuses now and then without a limit (the fault tests'
// mock) costs a ramp from half the rate accepted so far, which climbs back
// to unpaced within seconds, not a pace that only ever slows down.
func TestLearnerRecoversFromRandom429s(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var l learner
	at := t0
	for range 200 { // 200/s for a second, then a refusal
		l.record(at, true)
		at = at.Add(5 * time.Millisecond)
	}
	l.record(at, false)
	release := at.Add(time.Second)
	l.refused(release, time.Second)
	if l.mode != learnRamp || l.rate < 90 {
		t.Fatalf("after a 429 at 200/s: mode %d, rate %g; want a ramp from about 100/s", l.mode, l.rate)
	}
	for at = release; at.Before(release.Add(2 * time.Second)); l.took() {
		iv, paced := l.interval(at)
		if !paced {
			break
		}
		at = at.Add(max(iv, l.until(at, 1)))
	}
	if _, paced := l.interval(at); paced {
		t.Errorf("still paced 2s after the release")
	}
	// Paced, refusals after runs of 20 answers at the pace (random ones)
	// slow the pace a little, and the next run proves it again: it settles
	// above 80 % of where it was.
	l = learner{mode: learnPaced, rate: 50, burst: 1}
	for range 1000 {
		rate := l.rate
		at = release
		for range 20 {
			l.record(at, true)
			at = at.Add(time.Duration(float64(time.Second) / rate))
		}
		l.record(at, false)
		release = at.Add(time.Second)
		l.refused(release, time.Second)
	}
	if l.rate < 0.8*50 {
		t.Errorf("after 1,000 random 429s, each after 20 answers, paced at %g/s from 50/s", l.rate)
	}
}

// A limit that appears after the client went fast (or is lowered) is
// learned within a few holds: refusals below the rate proven before are
// taken as not the limit's only a few times in a row (red-team pass: it
// failed the apply with 42 sends out of retries).
func TestLearnerFindsALimitThatAppearsLater(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var l learner
	at := t0
	for range 400 { // no limit: 200/s for two seconds
		l.record(at, true)
		at = at.Add(5 * time.Millisecond)
	}
	b := newBucket(3, 1, at) // then 3/s, burst 1
	holds := 0
	for ; holds < 15; holds++ {
		// Unpaced, ten go at once; paced, one at a time.
		for i := 0; ; i++ {
			iv, paced := l.interval(at)
			l.took()
			ok := b.accept(at)
			l.record(at, ok)
			if !ok {
				break
			}
			if paced {
				at = at.Add(max(iv, l.until(at, 1)))
			} else {
				at = at.Add(time.Millisecond)
			}
			if l.mode == learnPaced && i > 100 {
				break
			}
		}
		if l.mode == learnPaced && b.tokens >= 0 {
			if iv, _ := l.interval(at); iv >= 333*time.Millisecond {
				break
			}
		}
		at = at.Add(time.Second)
		l.refused(at, time.Second)
	}
	iv, paced := l.interval(at)
	if !paced || iv < 333*time.Millisecond || iv > 400*time.Millisecond || holds > 10 {
		t.Fatalf("after %d holds: mode %d, interval %s; want paced at 333ms to 400ms within 10 holds", holds, l.mode, iv)
	}
	t.Logf("paced at %s after %d holds", iv, holds)
}
