package provider_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/acctest"
	"github.com/ezitxt/terraform-provider-ezitxt/internal/mockapi"
)

// faultBatchConfig is a broadcast to +6429999999 and n more numbers
// (+6421000000 on; n a multiple of 100), with an output reading results.
func faultBatchConfig(e *acctest.Env) string {
	return e.ProviderConfig() + `
variable "n" {
  type    = number
  default = 0
}

resource "ezitxt_broadcast" "test" {
  source       = "` + acctest.Source + `"
  destinations = concat(["+6429999999"], flatten([for a in range(var.n / 100) : [for b in range(100) : format("+6421%04d%02d", a, b)]]))
  text         = { body = "Release 2.0 is live" }
}

output "outcomes" {
  value = length(ezitxt_broadcast.test.results)
}
`
}

// faultPlannedUnknownEntries returns the numbers whose results entry the saved
// plan in dir/tfplan shows as known after apply, and whether results as a
// whole is unknown.
func faultPlannedUnknownEntries(t *testing.T, c *acctest.CLI) (entries map[string]bool, whole bool) {
	t.Helper()
	out, err := c.Run("show", "-json", "tfplan")
	if err != nil {
		t.Fatalf("show -json tfplan: %v\n%s", err, out)
	}
	line, _, _ := strings.Cut(out, "\n")
	var p tfjson.Plan
	if err := json.Unmarshal([]byte(line), &p); err != nil {
		t.Fatalf("show -json tfplan: %v", err)
	}
	for _, rc := range p.ResourceChanges {
		if rc.Address != broadcastAddr {
			continue
		}
		au, _ := rc.Change.AfterUnknown.(map[string]any)
		switch r := au["results"].(type) {
		case bool:
			return nil, r
		case map[string]any:
			entries = map[string]bool{}
			for k, v := range r {
				if b, _ := v.(bool); b {
					entries[k] = true
				}
			}
			return entries, false
		}
		return map[string]bool{}, false
	}
	t.Fatalf("%s not in the plan", broadcastAddr)
	return nil, false
}

// TestAccBroadcast_faultOnSecondBatchOfUpdate: 2,500 numbers are added to a
// one-number broadcast (three batches) and the second batch meets a fault.
// After each: the apply fails or warns without Terraform's "inconsistent
// result", every send the mock accepted is in state, the counts add up, the
// next plan (saved, then applied) plans an outcome for exactly the numbers
// not sent to, and no number is sent to twice.
func TestAccBroadcast_faultOnSecondBatchOfUpdate(t *testing.T) {
	t.Parallel()
	type kind struct {
		name string
		// act answers the nth broadcast request (3 is the second batch of
		// the update), or returns false to let it through.
		act func(p *faultProxy) func(n int, w http.ResponseWriter, r *http.Request) bool
		// wantErr: the apply fails; unknown and unsent are the counts after it.
		wantErr         bool
		unknown, unsent int64
		// sent is how many sends the mock accepted by the end of that apply.
		sent int
	}
	second := func(f func(p *faultProxy, w http.ResponseWriter, r *http.Request)) func(p *faultProxy) func(int, http.ResponseWriter, *http.Request) bool {
		return func(p *faultProxy) func(int, http.ResponseWriter, *http.Request) bool {
			return func(n int, w http.ResponseWriter, r *http.Request) bool {
				if n != 3 {
					return false
				}
				f(p, w, r)
				return true
			}
		}
	}
	kinds := []kind{
		{name: "500 before processing", act: second(func(_ *faultProxy, w http.ResponseWriter, _ *http.Request) { answer500(w) }),
			wantErr: true, unknown: 1000, unsent: 500, sent: 1001},
		{name: "dropped before processing", act: second(func(_ *faultProxy, w http.ResponseWriter, _ *http.Request) { drop(w) }),
			wantErr: true, unknown: 1000, unsent: 500, sent: 1001},
		{name: "dropped after processing", act: second(func(p *faultProxy, w http.ResponseWriter, r *http.Request) {
			p.forward(r, readBody(r))
			drop(w)
		}), wantErr: true, unknown: 1000, unsent: 500, sent: 2001},
		{name: "500 after processing", act: second(func(p *faultProxy, w http.ResponseWriter, r *http.Request) {
			p.forward(r, readBody(r))
			answer500(w)
		}), wantErr: true, unknown: 1000, unsent: 500, sent: 2001},
		{name: "429 beyond the retries", act: func(_ *faultProxy) func(int, http.ResponseWriter, *http.Request) bool {
			return func(n int, w http.ResponseWriter, _ *http.Request) bool {
				if n < 3 {
					return false
				}
				answer429(w)
				return true
			}
		}, wantErr: true, unknown: 0, unsent: 1500, sent: 1001},
		{name: "429 twice then through", act: func(_ *faultProxy) func(int, http.ResponseWriter, *http.Request) bool {
			return func(n int, w http.ResponseWriter, _ *http.Request) bool {
				if n != 3 && n != 4 {
					return false
				}
				answer429(w)
				return true
			}
		}, wantErr: false, unknown: 0, unsent: 0, sent: 2501},
	}
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			t.Parallel()
			e := acctest.New(t)
			p := newFaultProxy(t, e)
			c := e.AnyCLI(t, tfversion.Version1_5_0)
			faultWriteMain(t, c, faultBatchConfig(e))
			c.MustRun("apply", "-auto-approve")

			p.set(k.act(p))
			out, err := c.Run("apply", "-auto-approve", "-var", "n=2500")
			faultNoInconsistency(t, out)
			if k.wantErr && err == nil {
				t.Errorf("the apply with the fault succeeded")
			}
			if !k.wantErr && err != nil {
				t.Fatalf("the apply with the fault failed: %v", err)
			}
			p.set(nil)
			s := faultState(t, c)
			if _, err := sendsInState(s, e.Mock.Sends()); err != nil {
				t.Errorf("after the fault: %v", err)
			}
			results := faultResults(t, s)
			unknown, unsent := faultCount(t, s, "unknown_count"), faultCount(t, s, "unsent_count")
			if unknown != k.unknown || unsent != k.unsent {
				t.Errorf("after the fault: unknown_count %d, unsent_count %d; want %d, %d", unknown, unsent, k.unknown, k.unsent)
			}
			if got, want := int64(len(results)), 2501-k.unsent; got != want {
				t.Errorf("after the fault: %d results, want %d", got, want)
			}
			if got := len(e.Mock.Sends()); got != k.sent {
				t.Errorf("after the fault: the mock accepted %d sends, want %d", got, k.sent)
			}

			// The next plan sends to the numbers not sent to, and only to them.
			out = c.MustRun("plan", "-out", "tfplan", "-var", "n=2500")
			entries, whole := faultPlannedUnknownEntries(t, c)
			if k.unsent == 0 {
				if !strings.Contains(out, "No changes") {
					t.Errorf("the plan after a complete apply is not empty:\n%s", out)
				}
			} else {
				if whole || int64(len(entries)) != k.unsent {
					t.Errorf("the plan shows %d results entries known after apply (whole map unknown: %v), want %d", len(entries), whole, k.unsent)
				}
				for n := range entries {
					if _, ok := results[n]; ok {
						t.Errorf("the plan shows an outcome to come for %s, which has one: %q", n, results[n])
					}
				}
				out = c.MustRun("apply", "tfplan")
				faultNoInconsistency(t, out)
			}
			s = faultState(t, c)
			if got := faultCount(t, s, "unsent_count"); got != 0 {
				t.Errorf("unsent_count %d after the recovery, want 0", got)
			}
			if got := len(faultResults(t, s)); got != 2501 {
				t.Errorf("%d results after the recovery, want 2501", got)
			}
			if _, err := sendsInState(s, e.Mock.Sends()); err != nil {
				t.Errorf("after the recovery: %v", err)
			}
			faultNoDoubleSends(t, e.Mock)
			if want := k.sent + int(k.unsent); len(e.Mock.Sends()) != want {
				t.Errorf("the mock accepted %d sends in all, want %d (those after the fault and the %d unsent)", len(e.Mock.Sends()), want, k.unsent)
			}
			faultEmptyPlan(t, c, "the plan after the recovery is not empty", "-var", "n=2500")
			c.MustRun("destroy", "-auto-approve", "-var", "n=2500")
		})
	}
}

// TestAccBroadcast_removeAndAddUnderFault: one plan removes a number and adds
// two, and the connection drops after the service processed the batch.
// The apply succeeds with a warning, the removed number is forgotten, the
// added ones are recorded unknown (consistent with the plan), nothing is
// sent again on the next apply, and adding the removed number back sends
// to it again, as documented.
func TestAccBroadcast_removeAndAddUnderFault(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	c := e.AnyCLI(t, tfversion.Version1_5_0)
	a, b, d, f := "+6423400001", "+6423400002", "+6423400003", "+6423400004"
	faultWriteMain(t, c, faultNumbersConfig(e, []string{a, b}, faultNeighbours))
	c.MustRun("apply", "-auto-approve")
	if err := e.Mock.SetFaults(mockapi.Faults{Seed: 1, DropAfterRate: 1, Endpoints: []mockapi.Endpoint{mockapi.EndpointBroadcast}}); err != nil {
		t.Fatal(err)
	}
	faultWriteMain(t, c, faultNumbersConfig(e, []string{a, d, f}, faultNeighbours))
	faultMustApply(t, c, "apply", "-auto-approve")
	_ = e.Mock.SetFaults(mockapi.Faults{})
	results := faultResults(t, faultState(t, c))
	if _, ok := results[b]; ok || !strings.HasPrefix(results[d], "unknown  ") || !strings.HasPrefix(results[f], "unknown  ") {
		t.Errorf("results after removing one and adding two under a dropped connection: %q", results)
	}
	faultEmptyPlan(t, c, "plan")
	faultWriteMain(t, c, faultNumbersConfig(e, []string{a, b, d, f}, faultNeighbours))
	c.MustRun("apply", "-auto-approve")
	if got := sendsTo(e.Mock, b); got != 2 {
		t.Errorf("%s was sent to %d times, want 2 (removed, then added back)", b, got)
	}
	for _, n := range []string{a, d, f} {
		if got := sendsTo(e.Mock, n); got != 1 {
			t.Errorf("%s was sent to %d times, want 1", n, got)
		}
	}
}
