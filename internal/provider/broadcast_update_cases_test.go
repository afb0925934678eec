package provider_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/acctest"
	"github.com/ezitxt/terraform-provider-ezitxt/internal/client"
	"github.com/ezitxt/terraform-provider-ezitxt/internal/mockapi"
)

// TestAccBroadcast_importThenAddNumbers: a broadcast sent outside Terraform is
// adopted with an import block in the same plan that adds a number to it:
// the plan shows the imported outcomes as they are and one outcome to come,
// the apply sends to the new number only, and the next plan is empty.
func TestAccBroadcast_importThenAddNumbers(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	c := e.AnyCLI(t, tfversion.Version1_5_0)
	numbers := []string{"+6423000001", "+6423000002"}
	sent, err := apiClient(t, e).SendBroadcast(context.Background(), client.Broadcast{
		Destinations: numbers, Source: acctest.Source,
		Content: client.Content{Text: &client.Text{Body: "Release 2.0 is live"}},
	})
	if err != nil || len(sent.Results) != 2 {
		t.Fatalf("broadcast outside Terraform: %+v, %v", sent, err)
	}
	var pairs []string
	for _, r := range sent.Results {
		pairs = append(pairs, r.Destination+"="+r.ID)
	}
	all := append(append([]string{}, numbers...), "+6423000003")
	faultWriteMain(t, c, faultNumbersConfig(e, all, faultNeighbours+fmt.Sprintf(`
import {
  to = ezitxt_broadcast.test
  id = %q
}
`, strings.Join(pairs, ","))))
	c.MustRun("plan", "-out", "tfplan")
	entries, whole := faultPlannedUnknownEntries(t, c)
	if whole || len(entries) != 1 || !entries["+6423000003"] {
		t.Errorf("planned unknown results entries %v (whole %v), want the number added only", entries, whole)
	}
	faultMustApply(t, c, "apply", "tfplan")
	results := faultResults(t, faultState(t, c))
	for _, r := range sent.Results {
		if _, id, _ := strings.Cut(results[r.Destination], " "); id != r.ID {
			t.Errorf("results[%s] = %q, want the imported message %s", r.Destination, results[r.Destination], r.ID)
		}
	}
	expectSends(t, e.Mock, 3)
	faultEmptyPlan(t, c, "plan after the apply")
	c.MustRun("destroy", "-auto-approve")
}

// TestAccBroadcast_timeoutOnUpdate: the broadcast requests of an update that
// adds 1,500 numbers take longer than request_timeout (1s); the service
// processes them anyway. The first batch is recorded unknown, the second
// unsent; the apply fails without "inconsistent result", and once the
// service is fast again the next apply sends to the unsent only.
func TestAccBroadcast_timeoutOnUpdate(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	c := e.AnyCLI(t, tfversion.Version1_5_0)
	provider := strings.Replace(e.ProviderConfig(), "password =", "request_timeout = \"1s\"\n  password =", 1)
	cfg := provider + strings.TrimPrefix(faultBatchConfig(e), e.ProviderConfig())
	faultWriteMain(t, c, cfg)
	c.MustRun("apply", "-auto-approve")
	if err := e.Mock.SetFaults(mockapi.Faults{Seed: 1, Latency: 2 * time.Second, Endpoints: []mockapi.Endpoint{mockapi.EndpointBroadcast}}); err != nil {
		t.Fatal(err)
	}
	out, err := c.Run("apply", "-auto-approve", "-var", "n=1500")
	faultNoInconsistency(t, out)
	if err == nil {
		t.Errorf("the apply whose batch timed out succeeded")
	}
	_ = e.Mock.SetFaults(mockapi.Faults{})
	time.Sleep(2 * time.Second) // let the mock finish the request the client gave up on
	s := faultState(t, c)
	if u, n := faultCount(t, s, "unknown_count"), faultCount(t, s, "unsent_count"); u != 1000 || n != 500 {
		t.Errorf("after the timeout: unknown_count %d, unsent_count %d; want 1000, 500", u, n)
	}
	t.Logf("the mock accepted %d sends by the timeout", len(e.Mock.Sends()))
	if _, err := sendsInState(s, e.Mock.Sends()); err != nil {
		t.Errorf("after the timeout: %v", err)
	}
	faultMustApply(t, c, "apply after the timeout", "-auto-approve", "-var", "n=1500")
	faultNoDoubleSends(t, e.Mock)
	if got := faultCount(t, faultState(t, c), "unsent_count"); got != 0 {
		t.Errorf("unsent_count %d", got)
	}
}

// TestAccBroadcast_rateLimitedUpdate: 2,500 numbers added (three batches) under
// a rate limit of 2 requests a second with a burst of 1, applied with
// -refresh=false so that only the sends meet the limit; and 5 numbers added
// to 10 under 10/s burst 1 with a refresh and a data source reading every
// message. Each number is sent to once and the next plan is empty.
func TestAccBroadcast_rateLimitedUpdate(t *testing.T) {
	t.Parallel()
	t.Run("three batches at 2/s", func(t *testing.T) {
		t.Parallel()
		e := acctest.New(t)
		c := e.AnyCLI(t, tfversion.Version1_5_0)
		faultWriteMain(t, c, faultBatchConfig(e))
		c.MustRun("apply", "-auto-approve")
		if err := e.Mock.SetRateLimit(mockapi.RateLimit{RequestsPerSecond: 2, Burst: 1}); err != nil {
			t.Fatal(err)
		}
		// A burst of requests before the apply empties the bucket.
		faultMustApply(t, c, "apply under the rate limit", "-refresh=false", "-auto-approve", "-var", "n=2500")
		_ = e.Mock.SetRateLimit(mockapi.RateLimit{})
		t.Logf("%d requests refused by the rate limit", e.Mock.Stats().RateLimited)
		expectSends(t, e.Mock, 2501)
		faultNoDoubleSends(t, e.Mock)
		faultEmptyPlan(t, c, "plan", "-var", "n=2500")
	})
	t.Run("refresh and data source at 10/s", func(t *testing.T) {
		t.Parallel()
		e := acctest.New(t, func(o *mockapi.Options) { o.RateLimit = mockapi.RateLimit{RequestsPerSecond: 10, Burst: 1} })
		c := e.AnyCLI(t, tfversion.Version1_5_0)
		var first []string
		for i := range 10 {
			first = append(first, fmt.Sprintf("+64231%05d", i))
		}
		all := append(append([]string{}, first...), "+6423199995", "+6423199996", "+6423199997", "+6423199998", "+6423199999")
		faultWriteMain(t, c, faultNumbersConfig(e, first, faultNeighbours))
		c.MustRun("apply", "-auto-approve")
		faultWriteMain(t, c, faultNumbersConfig(e, all, faultNeighbours+faultForEach))
		faultMustApply(t, c, "apply under the rate limit", "-auto-approve")
		t.Logf("%d requests refused by the rate limit", e.Mock.Stats().RateLimited)
		expectSends(t, e.Mock, 15)
		faultEmptyPlan(t, c, "plan")
	})
}

// TestAccBroadcast_testNumbersAdded: the mock's test numbers (not WhatsApp,
// fails, rejected, expires, dead, never read) added to a broadcast: the
// refused one is in failed with the API's reason, the others reach their
// final status on refresh and are then listed in failed by status, counts
// add up, and nothing is sent again.
func TestAccBroadcast_testNumbersAdded(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	c := e.AnyCLI(t, tfversion.Version1_5_0)
	first := []string{"+6423200001"}
	test := []string{mockapi.NumberNotWhatsApp, mockapi.NumberFails, mockapi.NumberRejected, mockapi.NumberExpires, mockapi.NumberDead, mockapi.NumberNeverRead}
	failedOut := `
output "failed" {
  value = ezitxt_broadcast.test.failed
}
`
	faultWriteMain(t, c, faultNumbersConfig(e, first, faultNeighbours+failedOut))
	c.MustRun("apply", "-auto-approve")
	faultWriteMain(t, c, faultNumbersConfig(e, append(append([]string{}, first...), test...), faultNeighbours+faultForEach+failedOut))
	faultMustApply(t, c, "apply", "-auto-approve")
	results := faultResults(t, faultState(t, c))
	if want := "failed "; !strings.HasPrefix(results[mockapi.NumberNotWhatsApp], want) ||
		!strings.HasSuffix(results[mockapi.NumberNotWhatsApp], " "+mockapi.NumberNotWhatsApp+" is not a WhatsApp account") {
		t.Errorf("results[%s] = %q, want failed with the reason", mockapi.NumberNotWhatsApp, results[mockapi.NumberNotWhatsApp])
	}
	e.Mock.Advance(time.Minute)
	c.MustRun("apply", "-refresh-only", "-auto-approve")
	s := faultState(t, c)
	results = faultResults(t, s)
	want := map[string]string{
		mockapi.NumberFails: "failed", mockapi.NumberRejected: "rejected", mockapi.NumberExpires: "expired",
		mockapi.NumberDead: "dead", mockapi.NumberNeverRead: "received", first[0]: "read",
	}
	for n, st := range want {
		if got, _, _ := strings.Cut(results[n], " "); got != st {
			t.Errorf("results[%s] = %q, want status %s", n, results[n], st)
		}
	}
	if a, f := faultCount(t, s, "accepted_count"), faultCount(t, s, "failed_count"); a != 2 || f != 5 {
		t.Errorf("accepted_count %d, failed_count %d; want 2, 5", a, f)
	}
	faultEmptyPlan(t, c, "plan")
	expectSends(t, e.Mock, 7)
	c.MustRun("destroy", "-auto-approve")
}
