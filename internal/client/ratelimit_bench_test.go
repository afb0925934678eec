package client_test

import (
	"context"
	"fmt"
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
		mock := mockapi.New(mockapi.Options{
			Accounts: map[string]mockapi.Account{mockapi.DefaultUsername: {
				Password: mockapi.DefaultPassword, Sources: []string{"1234567890"},
			}},
			RateLimit: mockapi.RateLimit{RequestsPerSecond: float64(rate), Burst: burst},
		})
		srv := httptest.NewServer(mock)
		c, err := client.New(client.Config{
			BaseURL: srv.URL + mockapi.BasePath, Username: mockapi.DefaultUsername, Password: mockapi.DefaultPassword,
			MaxRetries: -1,
		})
		if err != nil {
			b.Fatal(err)
		}
		var next, failed atomic.Int64
		var wg sync.WaitGroup
		start := time.Now()
		for range callers {
			wg.Go(func() {
				for {
					i := next.Add(1)
					if i > int64(n) {
						return
					}
					_, err := c.SendMessage(context.Background(), client.Message{
						To: fmt.Sprintf("+6421%07d", i), Source: "1234567890",
						Content: client.Content{Type: client.MessageTypeText, Text: &client.Text{Body: "rate limited"}},
					})
					if err != nil {
						failed.Add(1)
					}
				}
			})
		}
		wg.Wait()
		elapsed := time.Since(start)
		st := mock.Stats()
		srv.Close()
		if err := mock.Close(); err != nil {
			b.Fatal(err)
		}
		sent := float64(int64(n) - failed.Load())
		b.ReportMetric(sent/elapsed.Seconds(), "sends/s")
		b.ReportMetric(100*sent/(float64(burst)+float64(rate)*elapsed.Seconds()), "%-of-allowed")
		b.ReportMetric(float64(st.RateLimited), "429s")
		b.ReportMetric(float64(failed.Load()), "failed")
	}
}
