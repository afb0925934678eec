package mockapi

import (
	"sync"
	"testing"
	"time"
)

// fakeReal is a settable real-time source.
type fakeReal struct {
	mu  sync.Mutex
	now time.Time
}

func (f *fakeReal) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fakeReal) Add(d time.Duration) {
	f.mu.Lock()
	f.now = f.now.Add(d)
	f.mu.Unlock()
}

func TestClockFrozen(t *testing.T) {
	t.Parallel()
	wall := &fakeReal{now: time.Unix(1000, 0)}
	c := newClock(ClockOptions{Start: testStart}, wall.Now)
	wall.Add(time.Hour)
	if got := c.Now(); !got.Equal(testStart) {
		t.Fatalf("frozen clock moved to %v", got)
	}
	if got := c.Advance(90 * time.Second); !got.Equal(testStart.Add(90 * time.Second)) {
		t.Fatalf("Advance = %v", got)
	}
	c.Advance(-time.Hour) // ignored
	st := c.state()
	if !st.Now.Equal(testStart.Add(90*time.Second)) || st.Advanced != 90*time.Second || st.Speed != 0 {
		t.Fatalf("state = %+v", st)
	}
}

func TestClockSpeed(t *testing.T) {
	t.Parallel()
	wall := &fakeReal{now: time.Unix(1000, 0)}
	c := newClock(ClockOptions{Start: testStart, Speed: 100}, wall.Now)
	wall.Add(time.Second)
	if got := c.Now(); !got.Equal(testStart.Add(100 * time.Second)) {
		t.Fatalf("after 1s real at 100x: %v", got.Sub(testStart))
	}
	c.Advance(time.Minute)
	wall.Add(500 * time.Millisecond)
	if got := c.Now().Sub(testStart); got != 100*time.Second+time.Minute+50*time.Second {
		t.Fatalf("elapsed %v", got)
	}
	c.SetSpeed(0)
	before := c.Now()
	wall.Add(time.Hour)
	if !c.Now().Equal(before) {
		t.Fatal("clock moved after SetSpeed(0)")
	}
	c.SetSpeed(-3)
	if c.state().Speed != 0 {
		t.Fatal("negative speed not clamped")
	}
	c.reset(ClockOptions{Start: testStart, Speed: 1})
	wall.Add(2 * time.Second)
	if got := c.Now(); !got.Equal(testStart.Add(2 * time.Second)) {
		t.Fatalf("after reset: %v", got)
	}
}

func TestClockStartDefaultsToRealTime(t *testing.T) {
	t.Parallel()
	wall := &fakeReal{now: time.Date(2027, 5, 6, 7, 8, 9, 0, time.Local)}
	c := newClock(ClockOptions{}, wall.Now)
	if got := c.Now(); !got.Equal(wall.now) || got.Location() != time.UTC {
		t.Fatalf("start = %v", got)
	}
}

func TestServerClockAPI(t *testing.T) {
	t.Parallel()
	s := newMock(t, Options{})
	if !s.Now().Equal(testStart) {
		t.Fatalf("Now = %v", s.Now())
	}
	if got := s.Advance(time.Hour); !got.Equal(testStart.Add(time.Hour)) || !s.Now().Equal(got) {
		t.Fatalf("Advance = %v", got)
	}
	s.SetClockSpeed(1)
	if s.Clock().Speed != 1 {
		t.Fatal("SetClockSpeed")
	}
	s.SetClockSpeed(0)
}

func TestClockStopsAtMaxMockTime(t *testing.T) {
	t.Parallel()
	wall := &fakeReal{now: time.Unix(0, 0)}
	c := newClock(ClockOptions{Start: testStart}, wall.Now)
	for range 100 {
		c.Advance(time.Duration(1<<63 - 1))
	}
	if got := c.Now(); !got.Equal(MaxMockTime) {
		t.Fatalf("clock at %v", got)
	}
	c.SetSpeed(1e300)
	wall.Add(time.Hour)
	if got := c.Now(); !got.Equal(MaxMockTime) {
		t.Fatalf("flowing clock at %v", got)
	}
	if _, err := c.Now().MarshalJSON(); err != nil {
		t.Fatal(err)
	}
}
