package client

import (
	"context"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// gate holds back every request of a Client while the service is throttling
// it. The rate limit is the account's, shared by every concurrent caller of
// the Client (Terraform's parallel resources), so a 429's Retry-After is a
// wait for all of them: without the gate, callers that have not been refused
// yet keep sending into the exhausted limit and each gets its own 429, and
// callers that waited find the limit spent again by the others and run out
// of retries.
type gate struct {
	mu    sync.Mutex
	until time.Time
}

// hold keeps requests back until t (or later, if already held longer).
func (g *gate) hold(t time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if t.After(g.until) {
		g.until = t
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

// wait returns when the gate is open, or ctx's error. waited is the deadline
// the caller has already waited for (the zero time if none): a caller that
// slept for its own Retry-After does not wait for it a second time, only for
// a later deadline set meanwhile by another caller's 429. It waits with the
// client's sleep and clock.
func (g *gate) wait(ctx context.Context, c *Client, waited time.Time) (time.Duration, error) {
	var total time.Duration
	for {
		until := g.deadline()
		if !until.After(waited) {
			return total, nil
		}
		d := until.Sub(c.now())
		if d <= 0 {
			return total, nil
		}
		if err := c.sleep(ctx, d); err != nil {
			return total, err
		}
		total += d
		waited = until
	}
}

// logThrottled logs that a request waited because the service was
// throttling the account.
func logThrottled(ctx context.Context, cl *call, attempt int, waited time.Duration) {
	if cl.quiet {
		return
	}
	f := callFields(cl, attempt)
	f["waited"] = waited.String()
	tflog.SubsystemDebug(ctx, logSubsystem, "Held API request while the service throttles the account (429 Retry-After)", f)
}
