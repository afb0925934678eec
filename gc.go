package main

import "runtime/debug"

// gcPercent is the garbage collector's target (GOGC) of the provider process
// when the environment sets none.
//
// Terraform starts the provider for each command, and the plugin framework
// allocates about 0.4 MB per resource per call (far more for a broadcast of
// thousands of numbers) while keeping little: with Go's default (GOGC=100,
// over a heap of a few MB) the provider collected every ten calls or so, and
// collection took a large share of its CPU. A higher target trades memory,
// which the process gives back when it exits, for CPU. Measured in make
// bench (internal/bench/README.md).
const gcPercent = 300

// tuneGC sets gcPercent unless GOGC is set, and reports whether it did.
func tuneGC(getenv func(string) string) bool {
	if getenv("GOGC") != "" {
		return false
	}
	debug.SetGCPercent(gcPercent)
	return true
}
