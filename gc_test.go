package main

import (
	"runtime/debug"
	"testing"
)

// TestTuneGC: the provider raises the GC target only when GOGC is not set,
// so that a user's GOGC still wins.
func TestTuneGC(t *testing.T) {
	before := debug.SetGCPercent(100)
	defer debug.SetGCPercent(before)
	env := map[string]string{"GOGC": "50"}
	if tuneGC(func(k string) string { return env[k] }) {
		t.Fatal("tuneGC changed the target although GOGC is set")
	}
	if got := debug.SetGCPercent(100); got != 100 {
		t.Fatalf("GC target %d after tuneGC with GOGC set, want 100 (unchanged)", got)
	}
	if !tuneGC(func(string) string { return "" }) {
		t.Fatal("tuneGC left the target alone although GOGC is not set")
	}
	if got := debug.SetGCPercent(100); got != gcPercent {
		t.Fatalf("GC target %d, want %d", got, gcPercent)
	}
}
