package provider_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/acctest"
	"github.com/ezitxt/terraform-provider-ezitxt/internal/mockapi"
)

// This file holds the acceptance tests of issue 12's "unknown outcome"
// items: a send whose outcome is unknown can be read by reference, and a
// pipeline can choose to fail on it (or on an unmet wait, or on numbers
// left unsent) without a later apply sending again.

// unknownOutcomeConfig is a configuration with the neighbours a real one has:
// messages (for_each) and a broadcast, each read back by a data source, the
// lot read by data.ezitxt_messages, and outputs over the results.
func unknownOutcomeConfig(numbers, destinations []string) string {
	return strings.TrimSpace(fmt.Sprintf(`
resource "ezitxt_message" "m" {
  for_each = toset(%[2]s)
  source   = %[1]q
  to       = each.key
  text     = { body = "Deploy finished" }
}

resource "ezitxt_broadcast" "b" {
  source       = %[1]q
  destinations = %[3]s
  text         = { body = "Release notes" }
}

data "ezitxt_message" "m" {
  for_each = ezitxt_message.m
  id       = each.value.id
}

data "ezitxt_message" "b" {
  for_each = toset(ezitxt_broadcast.b.destinations)
  id       = ezitxt_broadcast.b.results[each.key].id
}

data "ezitxt_messages" "all" {
  ids = concat([for m in ezitxt_message.m : m.id], [for r in values(ezitxt_broadcast.b.results) : r.id])
}

output "message_status" {
  value = { for k, d in data.ezitxt_message.m : k => d.status }
}

output "broadcast_status" {
  value = { for k, d in data.ezitxt_message.b : k => d.status }
}

output "all_status" {
  value = merge(
    { for k, m in ezitxt_message.m : k => data.ezitxt_messages.all.messages[m.id].status },
    { for k, r in ezitxt_broadcast.b.results : k => data.ezitxt_messages.all.messages[r.id].status },
  )
}

output "result_status" {
  value = { for k, r in ezitxt_broadcast.b.results : k => r.status }
}`, acctest.Source, hclList(numbers), hclList(destinations)))
}

func hclList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// outcomeCLI is a CLI run of a configuration through apply, plan and
// destroy, for tests of what a pipeline sees.
type outcomeCLI struct {
	*acctest.CLI
	t *testing.T
}

func newOutcomeCLI(t *testing.T, e *acctest.Env) outcomeCLI {
	t.Helper()
	c := outcomeCLI{CLI: e.AnyCLI(t, tfversion.Version1_5_0), t: t}
	c.WriteConfig("")
	c.MustRun("init")
	return c
}

// outputs reads every output as a map of strings (outputs that are not
// maps are left out).
func (c outcomeCLI) outputs() map[string]map[string]string {
	c.t.Helper()
	out := c.MustRun("output", "-json")
	var doc map[string]struct {
		Value any `json:"value"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		c.t.Fatalf("terraform output -json: %v\n%s", err, out)
	}
	res := map[string]map[string]string{}
	for name, o := range doc {
		m, ok := o.Value.(map[string]any)
		if !ok {
			continue
		}
		res[name] = map[string]string{}
		for k, v := range m {
			res[name][k] = fmt.Sprint(v)
		}
	}
	return res
}

// expectEmptyPlan runs plan -detailed-exitcode and fails t unless it says
// there is nothing to do.
func (c outcomeCLI) expectEmptyPlan() {
	c.t.Helper()
	if out, err := c.Run("plan", "-detailed-exitcode"); err != nil || !strings.Contains(out, "No changes.") {
		c.t.Errorf("the plan is not empty (%v)", err)
	}
}

// expectStatuses checks the outputs of unknownOutcomeConfig: the status of
// each message and of each broadcast number, by data source, by
// data.ezitxt_messages and by the broadcast's results.
func (c outcomeCLI) expectStatuses(step string, messages, broadcast map[string]string) {
	c.t.Helper()
	both := map[string]string{}
	maps.Copy(both, messages)
	maps.Copy(both, broadcast)
	want := map[string]map[string]string{
		"message_status": messages, "broadcast_status": broadcast, "result_status": broadcast, "all_status": both,
	}
	got := c.outputs()
	for name, w := range want {
		if !maps.Equal(got[name], w) {
			c.t.Errorf("%s: output %s = %v, want %v", step, name, got[name], w)
		}
	}
}

// TestAccUnknownOutcome_readByReference: sends answered 500 (not processed)
// and sends whose connection dropped after processing leave messages and
// broadcast entries with status "unknown" and an empty id. Data sources that
// read them by reference (for_each over the messages and the broadcast's
// numbers), data.ezitxt_messages and outputs over the results keep working
// and say "unknown"; every later plan is empty, later sends go out, and
// destroy works. Nothing is sent twice.
func TestAccUnknownOutcome_readByReference(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	c := newOutcomeCLI(t, e)
	const (
		m500, mDrop, mOK = "+6421810001", "+6421810002", "+6421810003"
		b500, bDrop, bOK = "+6421820001", "+6421820002", "+6421820003"
	)
	steps := []struct {
		name                string
		faults              mockapi.Faults
		numbers, broadcast  []string
		wantMsgs, wantBcast map[string]string
	}{
		{
			// 500 on every send: nothing was processed, but the provider
			// cannot know that.
			name:    "500 on sends",
			faults:  mockapi.Faults{Seed: 1, ServerErrorRate: 1, Endpoints: mockapi.SendEndpoints},
			numbers: []string{m500}, broadcast: []string{b500},
			wantMsgs: map[string]string{m500: "unknown"}, wantBcast: map[string]string{b500: "unknown"},
		},
		{
			// The connection drops after the mock processed the sends.
			name:    "drop after processing",
			faults:  mockapi.Faults{Seed: 1, DropAfterRate: 1, Endpoints: mockapi.SendEndpoints},
			numbers: []string{m500, mDrop}, broadcast: []string{b500, bDrop},
			wantMsgs:  map[string]string{m500: "unknown", mDrop: "unknown"},
			wantBcast: map[string]string{b500: "unknown", bDrop: "unknown"},
		},
		{
			name:    "no faults",
			numbers: []string{m500, mDrop, mOK}, broadcast: []string{b500, bDrop, bOK},
			wantMsgs:  map[string]string{m500: "unknown", mDrop: "unknown", mOK: "accepted"},
			wantBcast: map[string]string{b500: "unknown", bDrop: "unknown", bOK: "accepted"},
		},
	}
	for _, s := range steps {
		if err := e.Mock.SetFaults(s.faults); err != nil {
			t.Fatal(err)
		}
		c.WriteConfig(unknownOutcomeConfig(s.numbers, s.broadcast))
		out := c.MustRun("apply", "-auto-approve")
		if !strings.Contains(out, "Outcome of Send") && s.faults.ServerErrorRate+s.faults.DropAfterRate > 0 {
			t.Errorf("%s: the apply does not warn that the outcome is unknown", s.name)
		}
		_ = e.Mock.SetFaults(mockapi.Faults{})
		c.expectStatuses(s.name, s.wantMsgs, s.wantBcast)
		c.expectEmptyPlan()
	}
	c.MustRun("destroy", "-auto-approve")
	// The mock processed the dropped sends and the last ones: four sends,
	// none twice.
	expectSends(t, e.Mock, 4)
}
