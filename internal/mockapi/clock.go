package mockapi

import (
	"sync"
	"time"
)

// ClockOptions configures the mock clock. Mock time is Start, plus every Advance, plus the real
// time elapsed multiplied by Speed.
type ClockOptions struct {
	// Start is the mock time when the server is created (and after Reset). Zero means the real
	// time at that moment.
	Start time.Time
	// Speed is how fast mock time flows relative to real time: 0 freezes it (only Advance moves
	// it: the default, so tests are deterministic), 1 is real time, 100 makes a message read
	// within a second of real time. Negative values count as 0.
	Speed float64
}

// MaxMockTime is as far as the mock clock goes: times stay encodable as RFC 3339 (and in JSON)
// even after absurd advances, with room for schedules and media lifetimes.
var MaxMockTime = time.Date(9000, 1, 1, 0, 0, 0, 0, time.UTC)

// clock is the mock clock: base + speed × (real time since anchor). Safe for concurrent use.
type clock struct {
	realNow func() time.Time

	mu       sync.Mutex
	base     time.Time     // mock time at anchor
	anchor   time.Time     // real time when base was set
	speed    float64       // mock seconds per real second
	advanced time.Duration // total of manual advances, for display
}

func newClock(opts ClockOptions, realNow func() time.Time) *clock {
	c := &clock{realNow: realNow}
	c.reset(opts)
	return c
}

func (c *clock) reset(opts ClockOptions) {
	c.mu.Lock()
	defer c.mu.Unlock()
	start := opts.Start
	if start.IsZero() {
		start = c.realNow()
	}
	c.base = minTime(start.Round(0).UTC(), MaxMockTime) // no monotonic reading: mock times compare by wall clock
	c.anchor = c.realNow()
	c.speed = max(opts.Speed, 0)
	c.advanced = 0
}

// Now returns the current mock time.
func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.nowLocked()
}

func (c *clock) nowLocked() time.Time {
	if c.speed == 0 {
		return c.base
	}
	elapsed := time.Duration(min(float64(c.realNow().Sub(c.anchor))*c.speed, 1<<62)) // no overflow at absurd speeds
	return minTime(c.base.Add(elapsed), MaxMockTime)
}

func minTime(a, b time.Time) time.Time {
	if a.After(b) {
		return b
	}
	return a
}

// Advance moves mock time forward by d (negative durations are ignored) and returns the new time.
func (c *clock) Advance(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.nowLocked()
	if d > 0 {
		next := minTime(now.Add(d), MaxMockTime)
		c.advanced += next.Sub(now)
		now = next
	}
	c.base, c.anchor = now, c.realNow()
	return now
}

// SetSpeed changes the flow rate from now on (negative counts as 0).
func (c *clock) SetSpeed(speed float64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.base, c.anchor = c.nowLocked(), c.realNow()
	c.speed = max(speed, 0)
}

// ClockState describes the mock clock.
type ClockState struct {
	// Now is the current mock time.
	Now time.Time `json:"now"`
	// Speed is the flow rate relative to real time (0 = frozen).
	Speed float64 `json:"speed"`
	// Advanced is the total of manual advances since the server was created or reset.
	Advanced time.Duration `json:"-"`
}

func (c *clock) state() ClockState {
	c.mu.Lock()
	defer c.mu.Unlock()
	return ClockState{Now: c.nowLocked(), Speed: c.speed, Advanced: c.advanced}
}
