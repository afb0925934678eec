package bench

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Environment of the provider wrapper (see Wrap). Terraform passes its
// environment on to the provider processes it starts, so the benchmark sets
// these for the terraform command.
const (
	// EnvWrapProvider is the real provider binary the wrapper runs.
	EnvWrapProvider = "EZITXT_BENCH_PROVIDER"
	// EnvWrapDir is the folder the wrapper writes its records to.
	EnvWrapDir = "EZITXT_BENCH_RSS_DIR"
)

// Wrap is the provider wrapper's main: it runs the provider named by
// EnvWrapProvider as its child, with the same arguments, environment and
// standard streams (the plugin handshake goes straight to Terraform), passes
// on interrupts, and when the child exits writes the child's peak resident
// set size (getrusage's ru_maxrss) to a file of EnvWrapDir. It returns the
// child's exit status. A record "started-PID" is written first, so that a
// provider process that was killed before it could be measured is noticed.
func Wrap(args []string, stderr io.Writer) int {
	prov, dir := os.Getenv(EnvWrapProvider), os.Getenv(EnvWrapDir)
	if prov == "" || dir == "" {
		_, _ = fmt.Fprintf(stderr, "bench wrapper: %s and %s must be set\n", EnvWrapProvider, EnvWrapDir)
		return 1
	}
	started := filepath.Join(dir, "started-"+strconv.Itoa(os.Getpid()))
	if err := os.WriteFile(started, nil, 0o600); err != nil { //nolint:gosec // the folder the benchmark chose
		_, _ = fmt.Fprintf(stderr, "bench wrapper: %v\n", err)
		return 1
	}
	cmd := exec.Command(prov, args...) //nolint:gosec,noctx // the provider under measurement; it stops when Terraform tells it to
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := cmd.Start(); err != nil {
		_, _ = fmt.Fprintf(stderr, "bench wrapper: starting %s: %v\n", prov, err)
		return 1
	}
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		for s := range sigs {
			_ = cmd.Process.Signal(s)
		}
	}()
	err := cmd.Wait()
	signal.Stop(sigs)
	code := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		_, _ = fmt.Fprintf(stderr, "bench wrapper: %v\n", err)
		code = 1
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		// ru_maxrss is in KiB on Linux.
		cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		rec := fmt.Sprintf("%d %d\n", int64(ru.Maxrss)*1024, cpu.Nanoseconds())                    //nolint:unconvert // int32 on some platforms
		_ = os.WriteFile(filepath.Join(dir, "rss-"+strconv.Itoa(os.Getpid())), []byte(rec), 0o600) //nolint:gosec // the folder the benchmark chose
	}
	_ = os.Remove(started) //nolint:gosec // the folder the benchmark chose
	return code
}

// Usage is what the wrapper's records say about the provider processes of
// one command.
type Usage struct {
	// PeakRSS is the largest peak RSS in bytes.
	PeakRSS int64
	// CPU is the CPU time (user and system) of all the processes.
	CPU time.Duration
	// Measured is how many processes were measured; Unmeasured how many
	// started without a record (killed before they could be measured).
	Measured, Unmeasured int
}

// ReadUsage reads and removes the wrapper's records in dir.
func ReadUsage(dir string) (Usage, error) {
	var u Usage
	entries, err := os.ReadDir(dir)
	if err != nil {
		return u, err
	}
	for _, e := range entries {
		name := filepath.Join(dir, e.Name())
		switch {
		case strings.HasPrefix(e.Name(), "rss-"):
			b, err := os.ReadFile(name) //nolint:gosec // the benchmark's own folder
			if err != nil {
				return u, err
			}
			var rss, cpu int64
			if _, err := fmt.Sscanf(string(b), "%d %d", &rss, &cpu); err != nil {
				return u, fmt.Errorf("record %s: %w", e.Name(), err)
			}
			u.PeakRSS = max(u.PeakRSS, rss)
			u.CPU += time.Duration(cpu)
			u.Measured++
		case strings.HasPrefix(e.Name(), "started-"):
			u.Unmeasured++
		default:
			continue
		}
		if err := os.Remove(name); err != nil {
			return u, err
		}
	}
	return u, nil
}
