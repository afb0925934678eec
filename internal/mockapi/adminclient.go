package mockapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// AdminClient is a typed client of a running mock's admin API (AdminPrefix),
// for programs that drive ezitxt-mock as a separate process: benchmarks,
// the demo, users' own test harnesses. In the same process, call the
// Server's methods instead.
type AdminClient struct {
	// URL is the admin API's base URL, such as http://127.0.0.1:8080/__admin.
	URL string
	// HTTP is the client used; nil means one with a 30 s timeout.
	HTTP *http.Client
}

// NewAdminClient returns a client of the admin API at adminURL.
func NewAdminClient(adminURL string) *AdminClient {
	return &AdminClient{URL: strings.TrimSuffix(adminURL, "/")}
}

// AdminURL returns the admin API's URL of the mock whose API base URL
// (ending in BasePath, as ezitxt-mock prints it) is apiURL.
func AdminURL(apiURL string) string {
	return strings.TrimSuffix(strings.TrimSuffix(apiURL, "/"), BasePath) + strings.TrimSuffix(AdminPrefix, "/")
}

// maxAdminAnswer bounds what the client reads of an admin answer.
const maxAdminAnswer = 256 << 20

// Do calls the admin API: method on path (relative to URL, such as
// "/stats"), with body encoded as JSON when not nil, and decodes the JSON
// answer into out when not nil. An answer other than 2xx is an error that
// quotes the mock.
func (a *AdminClient) Do(ctx context.Context, method, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, a.URL+path, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	hc := a.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	resp, err := hc.Do(req) //nolint:gosec // the admin URL of a mock the caller started
	if err != nil {
		return err
	}
	defer func() { _ = resp.Body.Close() }()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAdminAnswer))
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: %s: %s", method, path, resp.Status, bytes.TrimSpace(data))
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(data, out)
}

// Stats returns the mock's counters.
func (a *AdminClient) Stats(ctx context.Context) (Stats, error) {
	var s Stats
	err := a.Do(ctx, http.MethodGet, "/stats", nil, &s)
	return s, err
}

// Requests returns the latest limit API requests, oldest first.
func (a *AdminClient) Requests(ctx context.Context, limit int) ([]Request, error) {
	var out struct {
		Requests []Request `json:"requests"`
	}
	err := a.Do(ctx, http.MethodGet, fmt.Sprintf("/requests?limit=%d", limit), nil, &out)
	return out.Requests, err
}

// Sends returns the sends the mock accepted, without their bodies.
func (a *AdminClient) Sends(ctx context.Context) ([]Send, error) {
	var out struct {
		Sends []Send `json:"sends"`
	}
	err := a.Do(ctx, http.MethodGet, "/sends", nil, &out)
	return out.Sends, err
}

// Reset forgets everything the mock received (sources given by flag stay).
func (a *AdminClient) Reset(ctx context.Context) error {
	return a.Do(ctx, http.MethodPost, "/reset", nil, nil)
}

// SetRateLimit sets the rate limit (0 turns it off) until the next Reset.
func (a *AdminClient) SetRateLimit(ctx context.Context, rps float64, burst int) error {
	return a.SetRateLimitPolicy(ctx, RateLimit{RequestsPerSecond: rps, Burst: burst})
}

// SetRateLimitPolicy sets the whole rate limit configuration, such as one
// that states itself in a RateLimit-Policy header, until the next Reset.
func (a *AdminClient) SetRateLimitPolicy(ctx context.Context, l RateLimit) error {
	return a.Do(ctx, http.MethodPut, "/ratelimit", l, nil)
}

// AdvanceClock moves the mock clock on by d and returns the mock time after.
func (a *AdminClient) AdvanceClock(ctx context.Context, d time.Duration) (time.Time, error) {
	var out clockJSON
	err := a.Do(ctx, http.MethodPost, "/clock/advance", map[string]string{"by": d.String()}, &out)
	return out.Now, err
}
