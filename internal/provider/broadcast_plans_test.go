package provider_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/acctest"
	"github.com/ezitxt/terraform-provider-ezitxt/internal/mockapi"
)

// faultNeighbours is a data source, a for_each and outputs reading the
// broadcast "test"'s results, as a real configuration has them.
const faultNeighbours = `
data "ezitxt_messages" "sent" {
  ids = [for v in values(ezitxt_broadcast.test.results) : split(" ", v)[1]]
}

output "statuses" {
  value = { for n, v in ezitxt_broadcast.test.results : n => data.ezitxt_messages.sent.messages[split(" ", v)[1]].status }
}

output "ids" {
  value = { for n, v in ezitxt_broadcast.test.results : n => split(" ", v)[1] }
}
`

// faultForEach is a for_each over the broadcast "test"'s results, which can be
// planned only once the broadcast exists (its keys are unknown before).
const faultForEach = `
resource "terraform_data" "per_number" {
  for_each = ezitxt_broadcast.test.results
  input    = split(" ", each.value)[1]
}
`

// faultNumbersConfig is a broadcast "test" to var.numbers, with extra after it.
func faultNumbersConfig(e *acctest.Env, numbers []string, extra string) string {
	return e.ProviderConfig() + fmt.Sprintf(`
variable "numbers" {
  type    = list(string)
  default = [%s]
}

resource "ezitxt_broadcast" "test" {
  source       = %q
  destinations = var.numbers
  text         = { body = "Release 2.0 is live" }
}
`, quoteAll(numbers), acctest.Source) + extra
}

func quoteAll(ns []string) string {
	q := make([]string, len(ns))
	for i, n := range ns {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}

// TestAccBroadcast_savedPlanAfterStatusChange: a plan that adds two numbers is
// saved, the statuses of the numbers kept change at the service (the mock's
// clock moves on 1 minute: accepted becomes read), then the saved plan is
// applied. The apply succeeds without "inconsistent result" (the kept
// entries are as planned, not refreshed), sends to the two numbers only,
// and the next plan refreshes the statuses and is empty, with a data
// source, a for_each over results and outputs reading them.
func TestAccBroadcast_savedPlanAfterStatusChange(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	c := e.AnyCLI(t, tfversion.Version1_5_0)
	first := []string{"+6422400001", "+6422400002", "+6422400003"}
	all := append(append([]string{}, first...), "+6422400004", "+6422400005")
	faultWriteMain(t, c, faultNumbersConfig(e, first, faultNeighbours))
	c.MustRun("apply", "-auto-approve")

	faultWriteMain(t, c, faultNumbersConfig(e, all, faultNeighbours+faultForEach))
	c.MustRun("plan", "-out", "tfplan")
	entries, whole := faultPlannedUnknownEntries(t, c)
	if whole || len(entries) != 2 || !entries["+6422400004"] || !entries["+6422400005"] {
		t.Errorf("planned unknown results entries %v (whole %v), want the two numbers added", entries, whole)
	}
	e.Mock.Advance(time.Minute)
	faultMustApply(t, c, "applying the saved plan", "tfplan")
	s := faultState(t, c)
	results := faultResults(t, s)
	if len(results) != 5 {
		t.Errorf("%d results, want 5", len(results))
	}
	expectSends(t, e.Mock, 5)
	faultEmptyPlan(t, c, "the plan after the apply is not empty")
	c.MustRun("apply", "-refresh-only", "-auto-approve")
	refreshed := faultResults(t, faultState(t, c))
	for _, n := range first { // the two added were sent after the clock moved on
		if v := refreshed[n]; !strings.HasPrefix(v, "read ") {
			t.Errorf("results[%s] = %q after a refresh a minute on, want read", n, v)
		}
	}
	c.MustRun("destroy", "-auto-approve")
}

// TestAccBroadcast_refreshFalse: numbers added with -refresh=false after the
// statuses changed at the service: the apply keeps the stored statuses,
// sends to the new numbers only, and a later refresh catches up.
func TestAccBroadcast_refreshFalse(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	c := e.AnyCLI(t, tfversion.Version1_5_0)
	first := []string{"+6422500001", "+6422500002"}
	all := append(append([]string{}, first...), "+6422500003")
	faultWriteMain(t, c, faultNumbersConfig(e, first, faultNeighbours))
	c.MustRun("apply", "-auto-approve")
	e.Mock.Advance(time.Minute)
	faultWriteMain(t, c, faultNumbersConfig(e, all, faultNeighbours+faultForEach))
	faultMustApply(t, c, "apply -refresh=false", "-refresh=false", "-auto-approve")
	results := faultResults(t, faultState(t, c))
	for _, n := range first {
		if !strings.HasPrefix(results[n], "accepted ") {
			t.Errorf("results[%s] = %q, want the stored status (accepted) without a refresh", n, results[n])
		}
	}
	expectSends(t, e.Mock, 3)
	faultEmptyPlan(t, c, "plan after -refresh=false apply")
	c.MustRun("destroy", "-auto-approve")
}

// TestAccBroadcast_refreshWithFailingReads: half the status reads fail (500, no
// retries) during the refresh of the plan that adds numbers; the apply
// succeeds and is consistent, no number is sent to twice, and a clean
// refresh later brings every status up to date.
func TestAccBroadcast_refreshWithFailingReads(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	c := e.AnyCLI(t, tfversion.Version1_5_0)
	var first []string
	for i := range 20 {
		first = append(first, fmt.Sprintf("+64226%05d", i))
	}
	all := append(append([]string{}, first...), "+6422699998", "+6422699999")
	provider := strings.Replace(e.ProviderConfig(), "password =", "max_retries = 0\n  password =", 1)
	cfg := func(numbers []string) string {
		return provider + strings.TrimPrefix(faultNumbersConfig(e, numbers, `
output "outcomes" {
  value = ezitxt_broadcast.test.results
}
`), e.ProviderConfig())
	}
	faultWriteMain(t, c, cfg(first))
	c.MustRun("apply", "-auto-approve")
	e.Mock.Advance(time.Minute)
	if err := e.Mock.SetFaults(mockapi.Faults{Seed: 7, ServerErrorRate: 0.5, Endpoints: []mockapi.Endpoint{mockapi.EndpointGetMessage}}); err != nil {
		t.Fatal(err)
	}
	faultWriteMain(t, c, cfg(all))
	out := faultMustApply(t, c, "apply with failing status reads", "-auto-approve")
	if !strings.Contains(out, "Unable to Read Some Broadcast Statuses") {
		t.Errorf("no warning about the failed reads:\n%s", out)
	}
	s := faultState(t, c)
	read := 0
	for _, v := range faultResults(t, s) {
		if strings.HasPrefix(v, "read ") {
			read++
		}
	}
	t.Logf("after the apply with failing reads: %d of %d results read", read, len(first))
	if read == 0 || read == len(first) {
		t.Errorf("%d of %d statuses refreshed: the faults did not make a partial refresh", read, len(first))
	}
	_ = e.Mock.SetFaults(mockapi.Faults{})
	expectSends(t, e.Mock, 22)
	c.MustRun("apply", "-refresh-only", "-auto-approve")
	for n, v := range faultResults(t, faultState(t, c)) {
		if n >= "+6422699998" {
			continue // sent a moment ago, by the mock's clock
		}
		if !strings.HasPrefix(v, "read ") {
			t.Errorf("results[%s] = %q after a clean refresh, want read", n, v)
		}
	}
	faultEmptyPlan(t, c, "plan")
}

// faultUnknownDestConfig is a broadcast "test" to two fixed numbers and one
// known only after terraform_data "extra" is applied.
func faultUnknownDestConfig(e *acctest.Env, extraNumber, more string) string {
	return e.ProviderConfig() + fmt.Sprintf(`
resource "terraform_data" "extra" {
  input = %q
}

resource "ezitxt_broadcast" "test" {
  source       = %q
  destinations = ["+6422700001", "+6422700002", terraform_data.extra.output]
  text         = { body = "Release 2.0 is live" }
}
`, extraNumber, acctest.Source) + more
}

// TestAccBroadcast_partlyUnknownDestinations: destinations hold a number known
// only at apply (another resource's attribute). Changing it plans results
// as wholly unknown; the apply sends to the new number only and forgets the
// old one, with a data source and outputs reading results; when it becomes
// a number already sent to, nothing is sent. The test then shows that a
// for_each over results cannot be planned while destinations are partly
// unknown (the keys of results are unknown), which it can when numbers are
// only added (TestAccBroadcast_savedPlanAfterStatusChange).
func TestAccBroadcast_partlyUnknownDestinations(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	c := e.AnyCLI(t, tfversion.Version1_5_0)
	faultWriteMain(t, c, faultUnknownDestConfig(e, "+6422700003", faultNeighbours))
	c.MustRun("apply", "-auto-approve")

	faultWriteMain(t, c, faultUnknownDestConfig(e, "+6422700004", faultNeighbours))
	c.MustRun("plan", "-out", "tfplan")
	if _, whole := faultPlannedUnknownEntries(t, c); !whole {
		t.Errorf("results is not planned wholly unknown while destinations are partly unknown")
	}
	faultMustApply(t, c, "apply", "tfplan")
	results := faultResults(t, faultState(t, c))
	if _, ok := results["+6422700003"]; ok || len(results) != 3 || results["+6422700004"] == "" {
		t.Errorf("results after replacing the unknown number: %v", results)
	}
	expectSends(t, e.Mock, 4)

	faultWriteMain(t, c, faultUnknownDestConfig(e, "+6422700001", faultNeighbours))
	faultMustApply(t, c, "apply", "-auto-approve")
	if got := len(faultResults(t, faultState(t, c))); got != 2 {
		t.Errorf("%d results once the unknown number became one already sent to, want 2", got)
	}
	expectSends(t, e.Mock, 4)
	faultEmptyPlan(t, c, "plan")

	// for_each over results, planned with destinations partly unknown.
	faultWriteMain(t, c, faultUnknownDestConfig(e, "+6422700005", faultNeighbours+faultForEach))
	out, err := c.Run("plan")
	if err == nil || !strings.Contains(out, "Invalid for_each argument") {
		t.Errorf("for_each over results with destinations partly unknown: err %v, want Invalid for_each argument\n%s", err, out)
	}
	// destroy plans the configuration too: it fails the same way until the
	// for_each goes.
	faultWriteMain(t, c, faultUnknownDestConfig(e, "+6422700001", faultNeighbours))
	c.MustRun("destroy", "-auto-approve")
}

// TestAccBroadcast_forEachOverResultsOnReplace: the guide on sending messages
// safely says a for_each over results fails only "in the plan that creates
// the broadcast". It also fails in every plan that replaces the broadcast
// (a content change), because results is then wholly unknown; and, as
// TestAccBroadcast_partlyUnknownDestinations shows, whenever destinations hold
// a value known only at apply.
func TestAccBroadcast_forEachOverResultsOnReplace(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	c := e.AnyCLI(t, tfversion.Version1_5_0)
	numbers := []string{"+6423300001", "+6423300002"}
	faultWriteMain(t, c, faultNumbersConfig(e, numbers, ""))
	c.MustRun("apply", "-auto-approve")
	faultWriteMain(t, c, faultNumbersConfig(e, numbers, faultForEach))
	c.MustRun("apply", "-auto-approve")
	cfg := strings.Replace(faultNumbersConfig(e, numbers, faultForEach), "Release 2.0 is live", "Release 2.1 is live", 1)
	faultWriteMain(t, c, cfg)
	out, err := c.Run("plan")
	if err == nil || !strings.Contains(out, "Invalid for_each argument") {
		t.Errorf("plan replacing the broadcast with a for_each over results: err %v, want Invalid for_each argument", err)
	}
	expectSends(t, e.Mock, 2)
}

// TestAccBroadcast_refreshWithPurgedMessages: during the refresh of a plan that
// adds a number, the API answers 404 for the messages of two numbers kept
// (purged). They keep their last status and are not sent to again; the
// apply is consistent with the plan and sends to the new number only.
func TestAccBroadcast_refreshWithPurgedMessages(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	p := newFaultProxy(t, e)
	c := e.AnyCLI(t, tfversion.Version1_5_0)
	first := []string{"+6423500001", "+6423500002", "+6423500003"}
	faultWriteMain(t, c, faultNumbersConfig(e, first, `
output "outcomes" {
  value = ezitxt_broadcast.test.results
}
`))
	c.MustRun("apply", "-auto-approve")
	results := faultResults(t, faultState(t, c))
	purged := map[string]bool{}
	for _, n := range first[:2] {
		_, id, _ := strings.Cut(results[n], " ")
		purged[id] = true
	}
	p.setGet(func(w http.ResponseWriter, r *http.Request) bool {
		if !purged[r.URL.Query().Get("id")] {
			return false
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"message":"Whatsapp Cloud API error","statusCode":404,"error":"not found error message"}`))
		return true
	})
	e.Mock.Advance(time.Minute)
	faultWriteMain(t, c, faultNumbersConfig(e, append(append([]string{}, first...), "+6423500004"), `
output "outcomes" {
  value = ezitxt_broadcast.test.results
}
`))
	out := faultMustApply(t, c, "apply", "-auto-approve")
	if !strings.Contains(out, "Broadcast Messages Not Found") {
		t.Errorf("no warning about the purged messages")
	}
	after := faultResults(t, faultState(t, c))
	for _, n := range first[:2] {
		if after[n] != results[n] {
			t.Errorf("results[%s] = %q, want its last known %q", n, after[n], results[n])
		}
	}
	if !strings.HasPrefix(after[first[2]], "read ") {
		t.Errorf("results[%s] = %q, want read", first[2], after[first[2]])
	}
	expectSends(t, e.Mock, 4)
	faultNoDoubleSends(t, e.Mock)
}
