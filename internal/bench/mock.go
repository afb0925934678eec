package bench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/mockapi"
)

// Mock is an ezitxt-mock process.
type Mock struct {
	// URL is the API base URL; Admin the admin API's.
	URL, Admin string
	cmd        *exec.Cmd
	done       chan error
}

// StartMock runs the ezitxt-mock binary bin on a free loopback port with
// args added to -listen and -quiet, and returns once it printed its URL.
func StartMock(ctx context.Context, bin string, args ...string) (*Mock, error) {
	all := append([]string{"-listen", "127.0.0.1:0", "-quiet"}, args...)
	cmd := exec.CommandContext(ctx, bin, all...) //nolint:gosec // the mock built by the benchmark
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 10 * time.Second
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting ezitxt-mock: %w", err)
	}
	m := &Mock{cmd: cmd, done: make(chan error, 1)}
	line := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		if sc.Scan() {
			line <- strings.TrimSpace(sc.Text())
		}
		close(line)
		_, _ = io.Copy(io.Discard, out)
	}()
	go func() { m.done <- cmd.Wait() }()
	select {
	case u, ok := <-line:
		if !ok || u == "" {
			_ = m.Stop()
			return nil, fmt.Errorf("ezitxt-mock printed no URL")
		}
		m.URL = u
		m.Admin = strings.TrimSuffix(u, mockapi.BasePath) + strings.TrimSuffix(mockapi.AdminPrefix, "/")
		return m, nil
	case <-time.After(time.Minute):
		_ = m.Stop()
		return nil, fmt.Errorf("ezitxt-mock printed no URL within a minute")
	}
}

// Stop interrupts the mock and waits for it.
func (m *Mock) Stop() error {
	_ = m.cmd.Process.Signal(os.Interrupt)
	select {
	case err := <-m.done:
		return err
	case <-time.After(15 * time.Second):
		_ = m.cmd.Process.Kill()
		return <-m.done
	}
}

// admin calls the admin API and decodes its JSON answer into out (when not nil).
func (m *Mock) admin(ctx context.Context, method, path string, body any, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, m.Admin+path, rd)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer func() { _ = resp.Body.Close() }()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: %s: %s", method, path, resp.Status, data)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(data, out)
}

// Reset forgets everything the mock received (sources given by flag stay).
func (m *Mock) Reset(ctx context.Context) error {
	return m.admin(ctx, http.MethodPost, "/reset", nil, nil)
}

// Stats returns the mock's counters.
func (m *Mock) Stats(ctx context.Context) (mockapi.Stats, error) {
	var s mockapi.Stats
	err := m.admin(ctx, http.MethodGet, "/stats", nil, &s)
	return s, err
}

// Requests returns the latest limit API requests.
func (m *Mock) Requests(ctx context.Context, limit int) ([]mockapi.Request, error) {
	var out struct {
		Requests []mockapi.Request `json:"requests"`
	}
	err := m.admin(ctx, http.MethodGet, fmt.Sprintf("/requests?limit=%d", limit), nil, &out)
	return out.Requests, err
}

// SetRateLimit sets the rate limit (0 turns it off) until the next Reset.
func (m *Mock) SetRateLimit(ctx context.Context, rps float64, burst int) error {
	return m.admin(ctx, http.MethodPut, "/ratelimit", mockapi.RateLimit{RequestsPerSecond: rps, Burst: burst}, nil)
}

// ReplayReads makes the API requests paths (relative to the mock's host,
// such as "/rest/wab/v1/messages?id=..."), concurrency at a time, with a
// bare net/http client and the default account, and returns how long they
// took. It is the reference for the provider's status reads: what the
// machine and the mock allow with no provider at all.
func (m *Mock) ReplayReads(ctx context.Context, paths []string, concurrency int) (time.Duration, error) {
	host := strings.TrimSuffix(m.URL, mockapi.BasePath)
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: concurrency}}
	defer hc.CloseIdleConnections()
	work := make(chan string)
	errs := make(chan error, concurrency)
	start := time.Now()
	for range concurrency {
		go func() {
			var failed error
			for p := range work {
				if failed != nil {
					continue
				}
				failed = m.read(ctx, hc, host+p)
			}
			errs <- failed
		}()
	}
	for _, p := range paths {
		work <- p
	}
	close(work)
	var first error
	for range concurrency {
		if err := <-errs; err != nil && first == nil {
			first = err
		}
	}
	return time.Since(start), first
}

func (m *Mock) read(ctx context.Context, hc *http.Client, url string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	req.SetBasicAuth(mockapi.DefaultUsername, mockapi.DefaultPassword)
	req.Header.Set("Accept", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer func() { _ = resp.Body.Close() }()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return nil
}
