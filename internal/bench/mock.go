package bench

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/mockapi"
)

// Mock is an ezitxt-mock process (see mockapi.Process) with the reads the
// suite replays through a bare client.
type Mock struct {
	*mockapi.Process
}

// StartMock runs the ezitxt-mock binary bin on a free loopback port with
// args added to -listen and -quiet, and returns once it printed its URL.
func StartMock(ctx context.Context, bin string, args ...string) (*Mock, error) {
	p, err := mockapi.StartProcess(ctx, bin, args...)
	if err != nil {
		return nil, err
	}
	return &Mock{Process: p}, nil
}

// Reset forgets everything the mock received (sources given by flag stay).
func (m *Mock) Reset(ctx context.Context) error { return m.Admin.Reset(ctx) }

// Stats returns the mock's counters.
func (m *Mock) Stats(ctx context.Context) (mockapi.Stats, error) { return m.Admin.Stats(ctx) }

// Requests returns the latest limit API requests.
func (m *Mock) Requests(ctx context.Context, limit int) ([]mockapi.Request, error) {
	return m.Admin.Requests(ctx, limit)
}

// SetRateLimit sets the rate limit (0 turns it off) until the next Reset.
func (m *Mock) SetRateLimit(ctx context.Context, rps float64, burst int) error {
	return m.Admin.SetRateLimit(ctx, rps, burst)
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
