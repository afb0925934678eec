package bench

import (
	"context"
	"os"
	"os/exec"
	"runtime"
	"strings"
)

// loadAvg returns the 1, 5 and 15 minute load averages (Linux), or "unknown".
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

func numCPU() int { return runtime.NumCPU() }

// cliVersion returns the first line of `terraform version`.
func cliVersion(ctx context.Context, cli string) string {
	out, err := exec.CommandContext(ctx, cli, "version").Output() //nolint:gosec // the CLI under benchmark
	if err != nil {
		return cli + " (version unknown)"
	}
	first, _, _ := strings.Cut(string(out), "\n")
	return first
}
