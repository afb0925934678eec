package provider

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestForEachLimited: every item is handled once, never more than limit at
// a time, and limit calls do run at once (the first limit calls wait for
// each other, which would deadlock if fewer could run).
func TestForEachLimited(t *testing.T) {
	t.Parallel()
	for _, limit := range []int{1, 4, 16} {
		items := make([]string, 100)
		for i := range items {
			items[i] = fmt.Sprint(i)
		}
		var (
			mu        sync.Mutex
			seen      = map[string]int{}
			running   atomic.Int64
			most      atomic.Int64
			started   atomic.Int64
			allInside = make(chan struct{})
		)
		done := make(chan struct{})
		go func() {
			defer close(done)
			forEachLimited(items, limit, func(item string) {
				n := running.Add(1)
				defer running.Add(-1)
				for {
					m := most.Load()
					if n <= m || most.CompareAndSwap(m, n) {
						break
					}
				}
				if started.Add(1) == int64(limit) {
					close(allInside)
				}
				if started.Load() <= int64(limit) {
					<-allInside
				}
				mu.Lock()
				seen[item]++
				mu.Unlock()
			})
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("limit %d: forEachLimited did not run %d calls at once", limit, limit)
		}
		if got := most.Load(); got != int64(limit) {
			t.Errorf("limit %d: at most %d calls ran at once", limit, got)
		}
		for _, item := range items {
			if seen[item] != 1 {
				t.Errorf("limit %d: item %s handled %d times", limit, item, seen[item])
			}
		}
	}
	// A limit below 1 means 1.
	n := 0
	forEachLimited([]string{"a", "b"}, 0, func(string) { n++ })
	if n != 2 {
		t.Errorf("limit 0: %d calls, want 2", n)
	}
}
