package mockapi

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"
)

// Process is an ezitxt-mock command running as a separate process, as
// benchmarks and the demo use it: the provider under test then shares no
// memory or CPU accounting with the mock.
type Process struct {
	// URL is the API base URL the mock printed (ending in BasePath).
	URL string
	// Admin is a client of its admin API.
	Admin *AdminClient

	cmd  *exec.Cmd
	done chan struct{}
	err  error
	once sync.Once
}

// StartProcess runs the ezitxt-mock binary bin on a free loopback port
// (-listen 127.0.0.1:0 -quiet, then args) and returns once it printed its
// URL. Cancelling ctx interrupts the mock, and kills it 10 s later if it
// has not stopped; Stop does the same at once.
func StartProcess(ctx context.Context, bin string, args ...string) (*Process, error) {
	all := append([]string{"-listen", "127.0.0.1:0", "-quiet"}, args...)
	cmd := exec.CommandContext(ctx, bin, all...) //nolint:gosec // the mock binary the caller names
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 10 * time.Second
	cmd.Stderr = os.Stderr
	first := &firstLineWriter{line: make(chan string, 1)}
	cmd.Stdout = first
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", bin, err)
	}
	p := &Process{cmd: cmd, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	select {
	case u := <-first.line:
		if u == "" {
			_ = p.Stop()
			return nil, errors.New("ezitxt-mock printed an empty first line instead of its URL")
		}
		p.URL = u
		p.Admin = NewAdminClient(AdminURL(u))
		return p, nil
	case <-p.done:
		return nil, fmt.Errorf("ezitxt-mock exited before printing its URL: %w", p.exitErr())
	case <-time.After(time.Minute):
		_ = p.Stop()
		return nil, errors.New("ezitxt-mock printed no URL within a minute")
	}
}

// Stop interrupts the mock and waits for it to exit (killing it after
// 15 s). An interrupt, or the cancellation of StartProcess's context, is a
// normal stop and returns nil. Stop may be called more than once.
func (p *Process) Stop() error {
	p.once.Do(func() { _ = p.cmd.Process.Signal(os.Interrupt) })
	select {
	case <-p.done:
	case <-time.After(15 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
	return p.exitErr()
}

// Done is closed when the process has exited.
func (p *Process) Done() <-chan struct{} { return p.done }

// exitErr is the process's exit error, nil for a stop asked for.
func (p *Process) exitErr() error {
	var ee *exec.ExitError
	switch {
	case p.err == nil, errors.Is(p.err, context.Canceled):
		return nil
	case errors.As(p.err, &ee) && !ee.Exited():
		return nil // ended by the interrupt (or kill) Stop sent
	}
	return p.err
}

// firstLineWriter sends the first line written to it, without the line
// break, and discards the rest.
type firstLineWriter struct {
	buf  []byte
	sent bool
	line chan string
}

func (w *firstLineWriter) Write(b []byte) (int, error) {
	if !w.sent {
		w.buf = append(w.buf, b...)
		if line, _, ok := strings.Cut(string(w.buf), "\n"); ok {
			w.line <- strings.TrimSpace(line)
			w.sent, w.buf = true, nil
		}
	}
	return len(b), nil
}
