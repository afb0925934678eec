package client_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/client"
	"github.com/ezitxt/terraform-provider-ezitxt/internal/mockapi"
)

// BenchmarkRateLimitedSends sends messages from 10 concurrent callers (as
// Terraform's default parallelism does) through one Client with the default
// 3 retries, against the mock limiting the account to 50 requests per
// second (burst 50), and reports the send rate, the share of the allowed
// rate used, the 429s received and the sends that failed. Without a
// throttled caller holding back the others, the callers keep running into
// the exhausted limit. It takes real time: about n/50 seconds per op.
//
//	go test ./internal/client/ -run '^$' -bench '^BenchmarkRateLimitedSends$' -benchtime 1x
func BenchmarkRateLimitedSends(b *testing.B) {
	const (
		callers = 10
		rate    = 50
		n       = 500
	)
	for _, burst := range []int{rate, 5} {
		b.Run(fmt.Sprintf("burst=%d", burst), func(b *testing.B) { benchmarkRateLimitedSends(b, callers, rate, burst, n) })
	}
}

func benchmarkRateLimitedSends(b *testing.B, callers, rate, burst, n int) {
	for b.Loop() {
		r := runRateLimited(b, rateLimitRun{callers: callers, rate: rate, burst: burst, n: n})
		r.report(b, "sends/s")
	}
}

// BenchmarkRateLimitedSmallBurst is BenchmarkRateLimitedSends against a
// limit of 10 requests per second with bursts of 1, 2 and 5 (issue 12,
// item 6), and the status reads of a broadcast's refresh (16 callers)
// against 20 per second with a burst of 5. Every 429 holds the whole client
// for its Retry-After of at least a second, in which the limit refills only
// to its burst; what counts is that requests released afterwards go at the
// pace the limit allows. "hidden" strips the RateLimit-Policy header from
// the mock's answers: the client then has only Retry-After to go by.
//
//	go test ./internal/client/ -run '^$' -bench '^BenchmarkRateLimitedSmallBurst$' -benchtime 1x
func BenchmarkRateLimitedSmallBurst(b *testing.B) {
	for _, hidden := range []bool{false, true} {
		for _, burst := range []int{1, 2, 5} {
			name := fmt.Sprintf("sends/rate=10/burst=%d", burst)
			if hidden {
				name += "/hidden"
			}
			b.Run(name, func(b *testing.B) {
				for b.Loop() {
					runRateLimited(b, rateLimitRun{callers: 10, rate: 10, burst: burst, n: 100, hidePolicy: hidden}).report(b, "sends/s")
				}
			})
		}
		name := "reads/rate=20/burst=5"
		if hidden {
			name += "/hidden"
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				runRateLimited(b, rateLimitRun{callers: 16, rate: 20, burst: 5, n: 200, reads: true, hidePolicy: hidden}).report(b, "reads/s")
			}
		})
	}
}

// rateLimitRun is n sends (or status reads) from callers concurrent callers
// of one Client with the default retries, against the mock limiting the
// account to rate requests per second with the given burst.
type rateLimitRun struct {
	callers, rate, burst, n int
	// reads makes the requests status reads (GET /messages) of n messages
	// sent beforehand without a limit.
	reads bool
	// hidePolicy strips the mock's RateLimit-Policy header.
	hidePolicy bool
}

// rateLimitResult is what a rateLimitRun measured.
type rateLimitResult struct {
	rateLimitRun
	elapsed      time.Duration
	ok, failed   int64
	rateLimited  int64
	firstFailure error
}

// usePercent is the share of what the limit allowed in the run's time that
// was used: ok / (burst + rate x elapsed).
func (r rateLimitResult) usePercent() float64 {
	return 100 * float64(r.ok) / (float64(r.burst) + float64(r.rate)*r.elapsed.Seconds())
}

func (r rateLimitResult) report(b *testing.B, unit string) {
	b.ReportMetric(float64(r.ok)/r.elapsed.Seconds(), unit)
	b.ReportMetric(r.usePercent(), "%-of-allowed")
	b.ReportMetric(float64(r.rateLimited), "429s")
	b.ReportMetric(float64(r.failed), "failed")
	if r.firstFailure != nil {
		b.Logf("first failure: %v", r.firstFailure)
	}
}

func runRateLimited(tb testing.TB, run rateLimitRun) rateLimitResult {
	tb.Helper()
	mock := mockapi.New(mockapi.Options{
		Accounts: map[string]mockapi.Account{mockapi.DefaultUsername: {
			Password: mockapi.DefaultPassword, Sources: []string{"1234567890"},
		}},
	})
	var h http.Handler = mock
	if run.hidePolicy {
		h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mock.ServeHTTP(hidePolicyWriter{w}, r)
		})
	}
	srv := httptest.NewServer(h)
	defer func() {
		srv.Close()
		if err := mock.Close(); err != nil {
			tb.Error(err)
		}
	}()
	newClient := func() *client.Client {
		c, err := client.New(client.Config{
			BaseURL: srv.URL + mockapi.BasePath, Username: mockapi.DefaultUsername, Password: mockapi.DefaultPassword,
			MaxRetries: -1,
		})
		if err != nil {
			tb.Fatal(err)
		}
		return c
	}
	c := newClient()
	ctx := context.Background()
	send := func(i int) (string, error) {
		res, err := c.SendMessage(ctx, client.Message{
			To: fmt.Sprintf("+6421%07d", i), Source: "1234567890",
			Content: client.Content{Type: client.MessageTypeText, Text: &client.Text{Body: "rate limited"}},
		})
		return res.MessageID, err
	}
	var ids []string
	if run.reads {
		for i := range run.n {
			id, err := send(i)
			if err != nil {
				tb.Fatal(err)
			}
			ids = append(ids, id)
		}
	}
	if err := mock.SetRateLimit(mockapi.RateLimit{RequestsPerSecond: float64(run.rate), Burst: run.burst, StatePolicy: true}); err != nil {
		tb.Fatal(err)
	}
	c = newClient() // as a new provider process: nothing learned yet
	before := mock.Stats().RateLimited

	var next, ok, failed atomic.Int64
	var once sync.Once
	res := rateLimitResult{rateLimitRun: run}
	var wg sync.WaitGroup
	start := time.Now()
	for range run.callers {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= run.n {
					return
				}
				var err error
				if run.reads {
					_, err = c.GetMessage(ctx, ids[i])
				} else {
					_, err = send(i)
				}
				if err != nil {
					failed.Add(1)
					once.Do(func() { res.firstFailure = err })
				} else {
					ok.Add(1)
				}
			}
		})
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	res.ok, res.failed = ok.Load(), failed.Load()
	res.rateLimited = mock.Stats().RateLimited - before
	return res
}

// hidePolicyWriter drops the RateLimit-Policy header from a response.
type hidePolicyWriter struct{ http.ResponseWriter }

func (w hidePolicyWriter) WriteHeader(code int) {
	w.Header().Del("RateLimit-Policy")
	w.ResponseWriter.WriteHeader(code)
}

// Sends from 10 concurrent callers through one Client with the default
// retries, against the mock limiting the account to 20 requests per second
// with bursts of 1, 2 and 5, with the mock's RateLimit-Policy header and
// without it (hidden, as the reference documents the API: Retry-After
// only): none fails. On 8c6fb2b, with the gate releasing held requests all
// at once, up to half failed at burst 1; before the learner, without the
// header, 56 of 100 at burst 1 (BenchmarkRateLimitedSmallBurst). The
// share of the allowed rate is logged;
// BenchmarkRateLimitedSmallBurst and make bench hold it to its budget.
func TestRateLimitedSmallBurstsLoseNoSend(t *testing.T) {
	if testing.Short() {
		t.Skip("takes real time: about 25s")
	}
	for _, run := range []rateLimitRun{
		{callers: 10, rate: 20, burst: 1, n: 40},
		{callers: 10, rate: 20, burst: 2, n: 40},
		{callers: 10, rate: 20, burst: 5, n: 40},
		{callers: 10, rate: 20, burst: 1, n: 40, hidePolicy: true},
		{callers: 10, rate: 20, burst: 2, n: 40, hidePolicy: true},
		{callers: 10, rate: 20, burst: 5, n: 40, hidePolicy: true},
	} {
		r := runRateLimited(t, run)
		t.Logf("burst %d, policy hidden %v: %d sent, %d failed, %d 429s, %.1f%% of the allowed rate in %s",
			run.burst, run.hidePolicy, r.ok, r.failed, r.rateLimited, r.usePercent(), r.elapsed.Round(time.Millisecond))
		if r.failed != 0 {
			t.Errorf("burst %d, policy hidden %v: %d of %d sends failed; the first: %v", run.burst, run.hidePolicy, r.failed, run.n, r.firstFailure)
		}
	}
}
