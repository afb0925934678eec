package provider_test

import (
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/acctest"
	"github.com/ezitxt/terraform-provider-ezitxt/internal/mockapi"
)

const broadcastAddr = "ezitxt_broadcast.test"

// broadcastConfig is an ezitxt_broadcast "test" from acctest.Source to
// numbers, with body (content and other attributes, HCL).
func broadcastConfig(e *acctest.Env, numbers []string, body string) string {
	quoted := make([]string, len(numbers))
	for i, n := range numbers {
		quoted[i] = fmt.Sprintf("%q", n)
	}
	return e.Config(fmt.Sprintf(`
resource "ezitxt_broadcast" "test" {
  source       = %q
  destinations = [%s]
%s
}`, acctest.Source, strings.Join(quoted, ", "), body))
}

// expectCounts checks accepted_count and failed_count.
func expectCounts(accepted, failed int64) []statecheck.StateCheck {
	return []statecheck.StateCheck{
		statecheck.ExpectKnownValue(broadcastAddr, tfjsonpath.New("accepted_count"), knownvalue.Int64Exact(accepted)),
		statecheck.ExpectKnownValue(broadcastAddr, tfjsonpath.New("failed_count"), knownvalue.Int64Exact(failed)),
	}
}

// TestAccBroadcast_addRemove: adding numbers sends only to them; removing
// numbers sends nothing and shrinks results; the other numbers keep their
// message IDs.
func TestAccBroadcast_addRemove(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	a, b, c, d, f := "+6421100001", "+6421100002", "+6421100003", "+6421100004", "+6421100005"
	const text = `  text = { body = "Scheduled maintenance tonight at 22:00" }`
	idA := newSameResultID(a)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				Config: broadcastConfig(e, []string{a, b, c}, text),
				ConfigStateChecks: append(expectCounts(3, 0),
					statecheck.ExpectKnownValue(broadcastAddr, resultsPath, resultsSize(3)),
					statecheck.ExpectKnownValue(broadcastAddr, resultsPath, resultField(a, "status", knownvalue.StringExact("accepted"))),
					statecheck.ExpectKnownValue(broadcastAddr, resultsPath, resultField(a, "id", knownvalue.StringRegexp(uuidRe))),
					statecheck.ExpectKnownValue(broadcastAddr, resultsPath, resultField(a, "error", knownvalue.Null())),
					idA,
				),
			},
			{
				Config: broadcastConfig(e, []string{a, b, c, d, f}, text),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(broadcastAddr, plancheck.ResourceActionUpdate),
					// The plan names the two numbers sent to and keeps the
					// others' outcomes as they are.
					plancheck.ExpectUnknownValue(broadcastAddr, resultsPath.AtMapKey(d)),
					plancheck.ExpectUnknownValue(broadcastAddr, resultsPath.AtMapKey(f)),
					plancheck.ExpectKnownValue(broadcastAddr, resultsPath.AtMapKey(a), knownvalue.StringRegexp(acceptedRe)),
					plancheck.ExpectKnownValue(broadcastAddr, resultsPath.AtMapKey(c), knownvalue.StringRegexp(acceptedRe)),
				}},
				ConfigStateChecks: append(expectCounts(5, 0),
					statecheck.ExpectKnownValue(broadcastAddr, resultsPath, resultsSize(5)),
					statecheck.ExpectKnownValue(broadcastAddr, resultsPath, resultField(f, "status", knownvalue.StringExact("accepted"))),
					idA,
				),
			},
			{
				Config: broadcastConfig(e, []string{a, d, f}, text),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(broadcastAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(broadcastAddr, resultsPath, resultsSize(3)),
					plancheck.ExpectKnownValue(broadcastAddr, tfjsonpath.New("accepted_count"), knownvalue.Int64Exact(3)),
				}},
				ConfigStateChecks: append(expectCounts(3, 0),
					statecheck.ExpectKnownValue(broadcastAddr, resultsPath, resultsSize(3)),
					idA,
				),
			},
			{
				Config:           broadcastConfig(e, []string{a, d, f}, text),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				// Another order, and a number listed twice: an update that
				// sends nothing.
				Config: broadcastConfig(e, []string{f, a, d, a}, text),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(broadcastAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(broadcastAddr, resultsPath, resultsSize(3)),
				}},
				ConfigStateChecks: append(expectCounts(3, 0), idA),
			},
		},
	})
	expectSends(t, e.Mock, 5)
	for _, n := range []string{a, b, c, d, f} {
		if got := sendsTo(e.Mock, n); got != 1 {
			t.Errorf("%s was sent to %d times, want once", n, got)
		}
	}
	if got := e.Mock.Stats().ByEndpoint[mockapi.EndpointBroadcast]; got != 2 {
		t.Errorf("%d broadcast requests, want 2 (create, then the two new numbers)", got)
	}
}

// TestAccBroadcast_partialFailure: a number the API refuses is reported in
// results (and as a warning) while the others are sent to; the next apply
// sends to no one again, and adding a number sends only to it.
func TestAccBroadcast_partialFailure(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	a, b, bad, c := "+6421200001", "+6421200002", mockapi.NumberNotWhatsApp, "+6421200003"
	const text = `  text = { body = "Your order has shipped" }`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				Config: broadcastConfig(e, []string{a, bad, b}, text),
				ConfigStateChecks: append(expectCounts(2, 1),
					statecheck.ExpectKnownValue(broadcastAddr, resultsPath, resultField(bad, "status", knownvalue.StringExact("failed"))),
					statecheck.ExpectKnownValue(broadcastAddr, resultsPath, resultField(bad, "error", knownvalue.StringRegexp(regexp.MustCompile(`not a WhatsApp account`)))),
					statecheck.ExpectKnownValue(broadcastAddr, resultsPath, resultField(bad, "id", knownvalue.StringRegexp(uuidRe))),
					statecheck.ExpectKnownValue(broadcastAddr, resultsPath, resultField(a, "status", knownvalue.StringExact("accepted"))),
				),
			},
			{
				Config:           broadcastConfig(e, []string{a, bad, b}, text),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				Config:            broadcastConfig(e, []string{a, bad, b, c}, text),
				ConfigStateChecks: expectCounts(3, 1),
			},
		},
	})
	for n, want := range map[string]int{a: 1, b: 1, bad: 1, c: 1} {
		if got := sendsTo(e.Mock, n); got != want {
			t.Errorf("%s was sent to %d times, want %d", n, got, want)
		}
	}
	expectSends(t, e.Mock, 4)
}

// TestAccBroadcast_statusRefresh: refresh updates each number's status and
// the counts as the messages progress, and sends nothing.
func TestAccBroadcast_statusRefresh(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	ok, fails := "+6421300001", mockapi.NumberFails
	cfg := broadcastConfig(e, []string{ok, fails}, `  text = { body = "Status check" }`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				Config:            cfg,
				ConfigStateChecks: expectCounts(2, 0),
			},
			{
				PreConfig:        func() { e.Mock.Advance(time.Minute) },
				Config:           cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: append(expectCounts(1, 1),
					statecheck.ExpectKnownValue(broadcastAddr, resultsPath, resultField(ok, "status", knownvalue.StringExact("read"))),
					statecheck.ExpectKnownValue(broadcastAddr, resultsPath, resultField(fails, "status", knownvalue.StringExact("failed"))),
				),
			},
		},
	})
	expectSends(t, e.Mock, 2)
}

// TestAccBroadcast_scheduledTemplate: a template broadcast scheduled for
// tomorrow; the same instant with another offset updates in place; a change
// of content replaces it, sending to every number again.
func TestAccBroadcast_scheduledTemplate(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	numbers := []string{"+6421400001", "+6421400002"}
	at := time.Now().Add(24 * time.Hour).Truncate(time.Second)
	cfg := func(scheduled, param string) string {
		return broadcastConfig(e, numbers, fmt.Sprintf(`
  scheduled = %q
  reference = "maintenance-2026-12"
  template = {
    name        = "maintenance_window"
    language    = "en_US"
    body_params = [%q, "2 hours"]
    media       = { type = "image", url = "https://example.com/maintenance.png" }
    buttons     = [{ index = 0, type = "quick_reply", payload = "remind-me" }]
  }`, scheduled, param))
	}
	utc := at.UTC().Format(time.RFC3339)
	local := at.In(time.FixedZone("", -5*3600)).Format(time.RFC3339)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				Config:            cfg(utc, "Saturday 22:00"),
				ConfigStateChecks: expectCounts(2, 0),
			},
			{
				Config: cfg(local, "Saturday 22:00"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(broadcastAddr, plancheck.ResourceActionUpdate),
				}},
			},
			{
				Config: cfg(local, "Sunday 22:00"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(broadcastAddr, plancheck.ResourceActionReplace),
					expectReplacedPaths(broadcastAddr, "template"),
				}},
				ConfigStateChecks: expectCounts(2, 0),
			},
		},
	})
	expectSends(t, e.Mock, 4)
	for _, s := range e.Mock.Sends() {
		if !s.Scheduled.Equal(at) || s.Type != "template" || s.Reference != "maintenance-2026-12" {
			t.Errorf("send %+v: want a template scheduled at %s", s, at)
		}
	}
}

// TestAccBroadcast_invalidConfig: plan-time errors on the attribute, and no
// request.
func TestAccBroadcast_invalidConfig(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	const text = `  text = { body = "x" }`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				Config:      broadcastConfig(e, []string{"+6421500001", "021500002"}, text),
				ExpectError: diagRe("Invalid Attribute Value Match", "destinations", "E.164"),
			},
			{
				Config:      broadcastConfig(e, nil, text),
				ExpectError: diagRe("Invalid Attribute Value", "destinations", "at least 1"),
			},
			{
				Config: broadcastConfig(e, []string{"+6421500001"}, fmt.Sprintf(`%s
  scheduled = %q`, text, time.Now().Add(-time.Minute).UTC().Format(time.RFC3339))),
				ExpectError: diagRe("Scheduled Time In The Past", `scheduled = "`, "Attribute scheduled:"),
			},
			{
				Config:      broadcastConfig(e, []string{"+6421500001"}, ""),
				ExpectError: diagRe("Missing Message Content"),
			},
		},
	})
	if n := e.Requests(); n != 0 {
		t.Errorf("%d requests reached the mock, want 0", n)
	}
}

// TestAccBroadcast_forgotten: messages the API no longer knows stay in
// results with their last status; nothing is sent again.
func TestAccBroadcast_forgotten(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	cfg := broadcastConfig(e, []string{"+6421600001", "+6421600002"}, `  text = { body = "x" }`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				PreConfig:         e.Mock.Reset,
				Config:            cfg,
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: expectCounts(2, 0),
			},
		},
	})
	if st := e.Mock.Stats(); st.Sends != 0 || st.ByEndpoint[mockapi.EndpointGetMessage] == 0 {
		t.Errorf("after the API forgot the broadcast: %d sends (want 0), %d reads (want some)", st.Sends, st.ByEndpoint[mockapi.EndpointGetMessage])
	}
}

// TestAccBroadcast_tenThousand sends to 10,000 numbers, in 10 batches of
// 1,000, then checks that the plan after apply is empty, without and with a
// refresh, which reads the 10,000 statuses with bounded concurrency. Most of
// its time is the CLI's: Terraform itself takes about 10 seconds to plan a
// resource holding 10,000 values.
//
// It does not run in parallel, so that it can turn the framework's trace
// logging off. Under terraform-plugin-testing the in-process provider's
// logging sink makes the framework build every trace message, and one of
// its walks over a value (NullifyWriteOnlyAttributes) deepens the context by
// one level per element while each trace looks the logger up through the
// whole context: minutes for 10,000 elements. A provider started by
// Terraform does not trace without TF_LOG and is not affected.
func TestAccBroadcast_tenThousand(t *testing.T) {
	if os.Getenv("TF_LOG_SDK_FRAMEWORK") == "" {
		t.Setenv("TF_LOG_SDK_FRAMEWORK", "off")
	}
	e := acctest.New(t)
	cfg := e.Config(fmt.Sprintf(`
locals {
  numbers = flatten([for a in range(100) : [for b in range(100) : format("+6422%%03d%%03d", a, b)]])
}

resource "ezitxt_broadcast" "test" {
  source       = %q
  destinations = local.numbers
  text         = { body = "Service notice" }
}`, acctest.Source))
	start := time.Now()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{{
			// The step's own post-apply plans (without and with refresh)
			// must be empty.
			Config: cfg,
			ConfigStateChecks: append(expectCounts(10000, 0),
				statecheck.ExpectKnownValue(broadcastAddr, resultsPath, resultsSize(10000)),
				statecheck.ExpectKnownValue(broadcastAddr, resultsPath, resultField("+6422099099", "status", knownvalue.StringExact("accepted")))),
		}},
	})
	expectSends(t, e.Mock, 10000)
	st := e.Mock.Stats()
	if got := st.ByEndpoint[mockapi.EndpointBroadcast]; got != 10 {
		t.Errorf("%d broadcast requests, want 10 batches of 1,000", got)
	}
	reads := st.ByEndpoint[mockapi.EndpointGetMessage]
	if reads < 10000 {
		t.Errorf("%d status reads, want at least 10,000 (one refresh)", reads)
	}
	inFlight := maxInFlight(e.Mock.Requests(), mockapi.EndpointGetMessage)
	if inFlight > 16 {
		t.Errorf("up to %d status reads were in flight at once, want at most 16", inFlight)
	}
	t.Logf("10,000 destinations: %s; %d status reads, at most %d in flight", time.Since(start).Round(time.Second), reads, inFlight)
}

// maxInFlight returns the most requests to endpoint that the mock was
// handling at the same time.
func maxInFlight(reqs []mockapi.Request, endpoint mockapi.Endpoint) int {
	type event struct {
		at    time.Time
		delta int
	}
	var events []event
	for _, r := range reqs {
		if r.Endpoint == endpoint {
			events = append(events, event{r.Time, 1}, event{r.Time.Add(r.Duration), -1})
		}
	}
	sort.Slice(events, func(i, j int) bool {
		if events[i].at.Equal(events[j].at) {
			return events[i].delta < events[j].delta // ends before starts
		}
		return events[i].at.Before(events[j].at)
	})
	n, most := 0, 0
	for _, ev := range events {
		n += ev.delta
		most = max(most, n)
	}
	return most
}
