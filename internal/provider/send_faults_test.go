package provider_test

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/acctest"
	"github.com/ezitxt/terraform-provider-ezitxt/internal/mockapi"
)

// faultSeed makes the faults of TestAccSend_faults reproducible: every run
// draws the same sequence of faults. (Which request meets which fault still
// depends on the order in which Terraform's parallel walk sends them.)
const faultSeed = 20261126

// TestAccSend_faults applies 50 messages and a 500-number broadcast through
// 429s, 5xx answers and dropped connections, before and after processing.
// Sends are never retried when their outcome is unknown, so the mock
// records no duplicate; every send it accepted is in state, by message ID
// or as an "unknown" record for its number; and a second apply sends
// nothing.
func TestAccSend_faults(t *testing.T) {
	t.Parallel()
	e := acctest.New(t, func(o *mockapi.Options) {
		o.Faults = mockapi.Faults{
			Seed:                faultSeed,
			ServerErrorRate:     0.05,
			TooManyRequestsRate: 0.05,
			DropBeforeRate:      0.03,
			DropAfterRate:       0.03,
			RetryAfter:          time.Second,
		}
	})
	cfg := fmt.Sprintf(`
provider "ezitxt" {
  base_url    = %q
  username    = %q
  password    = %q
  max_retries = 10
}

resource "ezitxt_message" "test" {
  count  = 50
  source = %q
  to     = format("+642190%%04d", count.index)
  text   = { body = "Release 2.0 is live (${count.index})" }
}

resource "ezitxt_broadcast" "test" {
  source       = %q
  destinations = [for i in range(500) : format("+642191%%04d", i)]
  text         = { body = "Release 2.0 is live" }
}
`, e.URL, e.Username, e.Password, acctest.Source, acctest.Source)
	var unknownRecords int
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					stateCheckFunc(func(s *tfjson.State) error {
						n, err := sendsInState(s, e.Mock.Sends())
						unknownRecords = n
						return err
					}),
				},
			},
			{
				Config:           cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
	st := e.Mock.Stats()
	t.Logf("seed %d: %d requests, %d sends accepted, faults %v, duplicates %d, unknown records %d",
		faultSeed, st.Requests, st.Sends, st.Faults, st.Duplicates, unknownRecords)
	if st.Duplicates != 0 {
		t.Errorf("the mock recorded %d duplicate sends: %+v", st.Duplicates, e.Mock.Duplicates())
	}
	for _, k := range []mockapi.FaultKind{mockapi.FaultServerError, mockapi.FaultTooManyRequests, mockapi.FaultDropBefore, mockapi.FaultDropAfter} {
		if st.Faults[k] == 0 {
			t.Errorf("no %s fault was met: the test proves less than it claims; change the rates", k)
		}
	}
}

// sendsInState checks that every send the mock accepted is represented in
// state: its ID is a message's id or a broadcast result's id, or its number
// has a record with status "unknown" (the provider could not tell whether
// it was sent). It also checks that every ID in state is a send of the
// mock, and returns the number of unknown records.
func sendsInState(s *tfjson.State, sends []mockapi.Send) (int, error) {
	ids := map[string]bool{}
	unknownNumbers := map[string]int{}
	unknown := 0
	if s.Values == nil || s.Values.RootModule == nil {
		return 0, fmt.Errorf("empty state")
	}
	for _, r := range s.Values.RootModule.Resources {
		switch r.Type {
		case "ezitxt_message":
			if r.AttributeValues["status"] == "unknown" {
				unknownNumbers[fmt.Sprint(r.AttributeValues["to"])]++
				unknown++
				continue
			}
			ids[fmt.Sprint(r.AttributeValues["id"])] = true
		case "ezitxt_broadcast":
			results, err := decodeResults(r.AttributeValues["results"])
			if err != nil {
				return 0, fmt.Errorf("%s: %w", r.Address, err)
			}
			for number, res := range results {
				if res["status"] == "unknown" {
					unknownNumbers[number]++
					unknown++
					continue
				}
				ids[fmt.Sprint(res["id"])] = true
			}
		}
	}
	sent := map[string]bool{}
	var missing []string
	for _, send := range sends {
		sent[send.ID] = true
		if !ids[send.ID] && unknownNumbers[send.Destination] == 0 {
			missing = append(missing, fmt.Sprintf("%s (%s)", send.ID, send.Destination))
		}
	}
	var extra []string
	for id := range ids {
		if !sent[id] {
			extra = append(extra, id)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	var problems []string
	if len(missing) > 0 {
		problems = append(problems, fmt.Sprintf("%d sends the mock accepted are not in state: %v", len(missing), missing))
	}
	if len(extra) > 0 {
		problems = append(problems, fmt.Sprintf("%d IDs in state were never sent: %v", len(extra), extra))
	}
	if len(problems) > 0 {
		return unknown, fmt.Errorf("%s", strings.Join(problems, "; "))
	}
	return unknown, nil
}

// TestAccBroadcast_droppedBatch: the connection drops after the mock
// processed the first batch of 1,000 numbers. Those numbers are recorded as
// unknown and never sent to again; the 500 numbers of the batch that was
// never attempted are pending, and the next apply sends to them only.
func TestAccBroadcast_droppedBatch(t *testing.T) {
	t.Parallel()
	e := acctest.New(t, func(o *mockapi.Options) {
		o.Faults = mockapi.Faults{Seed: faultSeed, DropAfterRate: 1, Endpoints: []mockapi.Endpoint{mockapi.EndpointBroadcast}}
	})
	cfg := e.Config(fmt.Sprintf(`
resource "ezitxt_broadcast" "test" {
  source       = %q
  destinations = flatten([for a in range(15) : [for b in range(100) : format("+6421%%02d%%03d", a, b)]])
  text         = { body = "Release 2.0 is live" }
}`, acctest.Source))
	first := "+642100000" // the first number of the first batch (sorted)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigStateChecks: append(expectCounts(0, 0),
					statecheck.ExpectKnownValue(broadcastAddr, resultsPath, resultsSize(1000)),
					statecheck.ExpectKnownValue(broadcastAddr, resultsPath, resultField(first, "status", knownvalue.StringExact("unknown"))),
					statecheck.ExpectKnownValue(broadcastAddr, resultsPath, resultField(first, "id", knownvalue.StringExact(""))),
				),
				// The 500 numbers never attempted are still to be sent.
				ExpectNonEmptyPlan: true,
			},
			{
				PreConfig: func() { _ = e.Mock.SetFaults(mockapi.Faults{}) },
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(broadcastAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: append(expectCounts(500, 0),
					statecheck.ExpectKnownValue(broadcastAddr, resultsPath, resultsSize(1500)),
					statecheck.ExpectKnownValue(broadcastAddr, resultsPath, resultField(first, "status", knownvalue.StringExact("unknown"))),
				),
			},
		},
	})
	expectSends(t, e.Mock, 1500)
	st := e.Mock.Stats()
	if st.ByEndpoint[mockapi.EndpointBroadcast] != 2 {
		t.Errorf("%d broadcast requests, want 2 (the dropped batch, never retried, then the rest)", st.ByEndpoint[mockapi.EndpointBroadcast])
	}
}

// TestAccBroadcast_droppedBatchOnUpdate: numbers added to a sent broadcast,
// and the connection drops after the mock processed their first batch of
// 1,000. The plan showed an outcome to come for each number added, so the
// apply fails, naming the 500 numbers not sent to yet, instead of leaving a
// state that contradicts the plan; the 1,000 of the dropped batch are
// recorded unknown, and the next apply sends to the 500 only.
func TestAccBroadcast_droppedBatchOnUpdate(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	config := func(many bool) string {
		dests := `["+6429999999"]`
		if many {
			dests = `concat(["+6429999999"], flatten([for a in range(15) : [for b in range(100) : format("+6421%02d%03d", a, b)]]))`
		}
		return e.Config(fmt.Sprintf(`
resource "ezitxt_broadcast" "test" {
  source       = %q
  destinations = %s
  text         = { body = "Release 2.0 is live" }
}

output "outcomes" {
  value = length(ezitxt_broadcast.test.results)
}`, acctest.Source, dests))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{Config: config(false), ConfigStateChecks: expectCounts(1, 0)},
			{
				PreConfig: func() {
					_ = e.Mock.SetFaults(mockapi.Faults{Seed: faultSeed, DropAfterRate: 1, Endpoints: []mockapi.Endpoint{mockapi.EndpointBroadcast}})
				},
				Config:      config(true),
				ExpectError: regexp.MustCompile(`(?s)Broadcast Partly Sent.*500 numbers were not sent to yet`),
			},
			{
				PreConfig: func() { _ = e.Mock.SetFaults(mockapi.Faults{}) },
				Config:    config(true),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(broadcastAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(broadcastAddr, resultsPath.AtMapKey("+642100000"), knownvalue.StringExact("unknown  the connection failed after this number's batch was sent; the API may have accepted it")),
					plancheck.ExpectUnknownValue(broadcastAddr, resultsPath.AtMapKey("+642114099")),
				}},
				ConfigStateChecks: append(expectCounts(501, 0),
					statecheck.ExpectKnownValue(broadcastAddr, resultsPath, resultsSize(1501)),
					statecheck.ExpectKnownValue(broadcastAddr, tfjsonpath.New("unknown_count"), knownvalue.Int64Exact(1000)),
				),
			},
		},
	})
	expectSends(t, e.Mock, 1501)
}
