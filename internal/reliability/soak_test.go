package reliability

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/acctest"
	"github.com/ezitxt/terraform-provider-ezitxt/internal/mockapi"
)

// Environment of the soak.
const (
	// envSoakSends is how many sends the soak makes (default defaultSoakSends;
	// `make soak` runs 1,000).
	envSoakSends     = "EZITXT_SOAK_SENDS"
	defaultSoakSends = 100
	// envSoakSeed seeds the mock's faults (default 1).
	envSoakSeed = "EZITXT_SOAK_SEED"
)

// soakFaults are met by every API request of the first apply: 429s (retried
// after Retry-After), 5xx and connections dropped before processing (for a
// send: outcome unknown, not accepted), connections dropped after processing
// (outcome unknown, but accepted), and latency.
func soakFaults(seed uint64, endpoints ...mockapi.Endpoint) mockapi.Faults {
	return mockapi.Faults{
		Seed:                seed,
		Latency:             2 * time.Millisecond,
		LatencyJitter:       30 * time.Millisecond,
		LatencyRate:         0.5,
		ServerErrorRate:     0.04,
		TooManyRequestsRate: 0.06,
		DropBeforeRate:      0.03,
		DropAfterRate:       0.04,
		RetryAfter:          time.Second,
		Endpoints:           endpoints,
	}
}

// TestFaultSoak sends messages, broadcasts and (on Terraform 1.14 and later)
// actions through the CLI against a mock that injects faults, and checks
// that no message is sent twice or lost:
//
//  1. apply two messages under a certain 500 and a certain drop after
//     processing, then everything with faults on every endpoint and
//     max_retries = 0, so that 429s leave sends undone for the second apply;
//  2. every message the mock accepted is in state (by id, or as a
//     status = "unknown" record for its number) or named in the CLI output
//     (an action's progress or error);
//  3. a second apply (max_retries = 10), with faults on status reads only,
//     converges: it sends what was left undone and nothing already
//     accepted;
//  4. the plan after it is empty and sends nothing;
//  5. every number of the messages and broadcasts is in state, as the API
//     has it (message, number and status) or flagged "unknown", and the
//     data sources that read every message and broadcast by reference
//     (an unknown outcome by its empty id) report the same status;
//  6. destroy succeeds;
//  7. the mock recorded no duplicate.
//
// The first apply's faults must include 500s on sends and drops after a
// send was processed, or the soak fails as proving too little.
func TestFaultSoak(t *testing.T) {
	requireCLISuite(t)
	total := envInt(t, envSoakSends, defaultSoakSends)
	seed := uint64(envInt(t, envSoakSeed, 1)) //nolint:gosec // G115: envInt returns a positive number.
	e := acctest.New(t)
	cli := e.AnyCLI(t, tfversion.Version1_0_0)
	actions := !cli.OpenTofu && cli.Version.GreaterThanOrEqual(tfversion.Version1_14_0)
	plan := planSoak(total, actions)
	if err := os.WriteFile(filepath.Join(cli.Dir, "main.tf"), []byte(plan.config(e)), 0o600); err != nil {
		t.Fatal(err)
	}
	cli.MustRun("init")

	// 0. Two messages certainly meet the ambiguous faults of a send, which
	// the random faults below meet only by chance: a 500, and a drop after
	// the mock processed the send.
	start := time.Now()
	var out0 string
	for i, f := range []mockapi.Faults{
		{Seed: seed, ServerErrorRate: 1, Endpoints: []mockapi.Endpoint{mockapi.EndpointSendMessage}},
		{Seed: seed, DropAfterRate: 1, Endpoints: []mockapi.Endpoint{mockapi.EndpointSendMessage}},
	} {
		if i >= plan.messages {
			break
		}
		if err := e.Mock.SetFaults(f); err != nil {
			t.Fatal(err)
		}
		out, _ := cli.Run("apply", "-auto-approve", "-var=max_retries=0", fmt.Sprintf("-target=ezitxt_message.m[%q]", messageNumber(i)))
		out0 += out
	}

	// 1. Apply under faults. Errors are expected; what matters is what the
	// provider recorded and said.
	if err := e.Mock.SetFaults(soakFaults(seed)); err != nil {
		t.Fatal(err)
	}
	out1, _ := cli.Run("apply", "-auto-approve", "-var=max_retries=0")
	out1 = out0 + out1
	applyTime := time.Since(start)
	stats1 := e.Mock.Stats()
	sends1 := e.Mock.Sends()
	sendFaults := faultsOnSends(e.Mock.Requests())
	for _, k := range []mockapi.FaultKind{mockapi.FaultServerError, mockapi.FaultDropAfter} {
		if sendFaults[k] == 0 {
			t.Errorf("no send met a %s fault in the first apply: the soak proves less than it claims; change the seed or the rates", k)
		}
	}
	if err := e.Mock.SetFaults(mockapi.Faults{}); err != nil {
		t.Fatal(err)
	}
	st1 := readSoakState(t, cli)
	acc1 := account(sends1, st1, out1)
	for _, l := range acc1.lost {
		t.Errorf("lost after the first apply: the mock accepted %s (message %s) but it is neither in state nor named in the output", l.Destination, l.ID)
	}

	// 2. A second apply converges while status reads still meet faults.
	if err := e.Mock.SetFaults(soakFaults(seed+1, mockapi.EndpointGetMessage)); err != nil {
		t.Fatal(err)
	}
	out2, err := cli.Run("apply", "-auto-approve", "-var=max_retries=10")
	if err != nil {
		t.Errorf("the second apply failed: %v", err)
	}
	stats2 := e.Mock.Stats()
	if err := e.Mock.SetFaults(mockapi.Faults{}); err != nil {
		t.Fatal(err)
	}
	sends2 := e.Mock.Sends()
	resent := resentNumbers(sends1, sends2[len(sends1):])
	for _, n := range resent {
		t.Errorf("the second apply sent again to %s, which the mock had accepted in the first", n)
	}

	// 3. The plan after it is empty and sends nothing.
	planOut, err := cli.Run("plan", "-detailed-exitcode", "-var=max_retries=10")
	if err != nil {
		t.Errorf("the plan after the second apply is not empty (%v)", err)
	}
	if !strings.Contains(planOut, "No changes.") {
		t.Errorf("the plan after the second apply does not say \"No changes.\"")
	}
	sends3 := e.Mock.Sends()
	if len(sends3) != len(sends2) {
		t.Errorf("the plan sent %d messages", len(sends3)-len(sends2))
	}

	// Every send the mock ever accepted is accounted for in the final
	// state, or was named in the output of the run that made it.
	st3 := readSoakState(t, cli)
	acc3 := account(sends3, st3, out1+out2)
	for _, l := range acc3.lost {
		t.Errorf("lost at the end: the mock accepted %s (message %s) but it is neither in state nor named in the output", l.Destination, l.ID)
	}
	// Every number of the configuration is in state, either as the API has
	// it (a message to that number, with the status the API reports) or
	// flagged "unknown"; the data sources say the same.
	outputs := readOutputs(t, cli)
	inState, asAPI, flagged := 0, 0, 0
	for _, number := range plan.numbers() {
		rec, ok := st3.records[number]
		switch {
		case !ok:
			t.Errorf("%s is not in state after the second apply", number)
			continue
		case rec.status == "unknown" && rec.id == "":
			flagged++
		default:
			m, found := e.Mock.Message(rec.id)
			if !found || m.Destination != number || m.Status != rec.status {
				t.Errorf("%s: state has message %q with status %q; the API has it to %q with status %q (found %v)", number, rec.id, rec.status, m.Destination, m.Status, found)
				continue
			}
			asAPI++
		}
		inState++
		if got := outputs[number]; got != rec.status {
			t.Errorf("%s: the data source reads status %q, state has %q", number, got, rec.status)
		}
	}

	// Destroy works, with the unknown records and the data sources.
	if _, err := cli.Run("destroy", "-auto-approve", "-var=max_retries=10"); err != nil {
		t.Errorf("destroy failed: %v", err)
	}
	destroyed := len(readSoakState(t, cli).records) == 0
	if !destroyed {
		t.Errorf("records left in state after destroy")
	}

	dups := e.Mock.Duplicates()
	for _, d := range dups {
		t.Errorf("duplicate: %s to %s repeats %s", d.ID, d.Destination, d.OriginalID)
	}
	if st := e.Mock.Stats(); st.SpecRejections != 0 {
		t.Errorf("the mock rejected %d requests that passed its own checks but not the contract", st.SpecRejections)
	}

	cliNote := fmt.Sprintf("Terraform %s", cli.Version)
	if cli.OpenTofu {
		cliNote = fmt.Sprintf("OpenTofu %s: no actions (OpenTofu has none)", cli.Version)
	} else if !actions {
		cliNote += ": no actions (they need Terraform 1.14 or later: run with TF_ACC_TERRAFORM_PATH=$(scripts/tools/terraform.sh | tail -n1))"
	}
	figures(t, "fault-soak", "%s; sends %d (messages %d, broadcast destinations %d in %d broadcasts, action sends %d in %d invocations); "+
		"first apply (max_retries 0; two targeted applies first, one with a certain 500, one with a certain drop after processing) %s: %d requests, faults met %s, %d accepted by the mock, %d unknown-outcome records (%d of them accepted by the mock), "+
		"faults met by sends: 500s %d, drops after processing %d; "+
		"%d accepted sends accounted by state id, %d by unknown record, %d by CLI output; second apply (max_retries 10, faults on status reads: %s): %d new sends, %d resent; "+
		"plan after it empty: %v; numbers in state %d of %d (%d as the API has them, %d flagged unknown), read back by data sources; "+
		"destroy: %v; duplicates %d; lost %d",
		cliNote, plan.total(), plan.messages, plan.broadcastDestinations(), len(plan.broadcasts), plan.actionSends(), plan.actionInvocations(),
		applyTime.Round(time.Second), stats1.Requests, faultsMet(stats1.Faults), len(sends1), acc1.unknownRecords, acc1.unknownAccepted,
		sendFaults[mockapi.FaultServerError], sendFaults[mockapi.FaultDropAfter], acc1.byID, acc1.byUnknown, acc1.byOutput, faultsMet(subFaults(stats2.Faults, stats1.Faults)), len(sends2)-len(sends1), len(resent),
		err == nil && len(sends3) == len(sends2), inState, len(plan.numbers()), asAPI, flagged, destroyed, len(dups), len(acc1.lost)+len(acc3.lost))
}

// soakPlan is how the sends are spread over the kinds of send.
type soakPlan struct {
	messages int
	// broadcasts and actionBroadcasts hold destination counts.
	broadcasts       []int
	actionSingles    int
	actionBroadcasts []int
}

// planSoak spreads total sends: 40% single messages, 40% broadcast
// destinations (up to 100 per broadcast), 20% actions (half single sends,
// half broadcasts of up to 50, so that each number's progress is shown).
// Without actions, their share goes to messages and broadcasts.
func planSoak(total int, actions bool) soakPlan {
	var p soakPlan
	actionShare := 0
	if actions {
		actionShare = total / 5
	}
	rest := total - actionShare
	p.messages = rest / 2
	p.broadcasts = chunks(rest-p.messages, 100)
	p.actionSingles = actionShare / 2
	p.actionBroadcasts = chunks(actionShare-p.actionSingles, 50)
	return p
}

func chunks(n, size int) []int {
	var out []int
	for n > 0 {
		c := min(n, size)
		out = append(out, c)
		n -= c
	}
	return out
}

func sum(ns []int) int {
	s := 0
	for _, n := range ns {
		s += n
	}
	return s
}

// numbers returns the numbers of the messages and broadcasts (not the
// actions, which keep no state).
func (p soakPlan) numbers() []string {
	var out []string
	for i := range p.messages {
		out = append(out, messageNumber(i))
	}
	for bi, n := range p.broadcasts {
		for i := range n {
			out = append(out, broadcastNumber(bi, i))
		}
	}
	return out
}

// readOutputs reads the status outputs of the soak's data sources: number
// to status.
func readOutputs(t *testing.T, cli *acctest.CLI) map[string]string {
	t.Helper()
	out, err := cli.Run("output", "-json")
	if err != nil {
		t.Fatalf("terraform output: %v", err)
	}
	var doc map[string]struct {
		Value map[string]string `json:"value"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("terraform output: %v", err)
	}
	statuses := map[string]string{}
	for _, o := range doc {
		maps.Copy(statuses, o.Value)
	}
	return statuses
}

func (p soakPlan) broadcastDestinations() int { return sum(p.broadcasts) }
func (p soakPlan) actionSends() int           { return p.actionSingles + sum(p.actionBroadcasts) }
func (p soakPlan) actionInvocations() int     { return p.actionSingles + len(p.actionBroadcasts) }
func (p soakPlan) total() int                 { return p.messages + p.broadcastDestinations() + p.actionSends() }

// Numbers of the soak, unique across kinds so that any repeat is a
// duplicate: +6422 messages, +6423 broadcasts, +6424 action sends, +6425
// action broadcasts.
func messageNumber(i int) string            { return fmt.Sprintf("+6422%07d", i) }
func broadcastNumber(b, i int) string       { return fmt.Sprintf("+6423%02d%05d", b, i) }
func actionNumber(i int) string             { return fmt.Sprintf("+6424%07d", i) }
func actionBroadcastNumber(b, i int) string { return fmt.Sprintf("+6425%02d%05d", b, i) }

// config renders the soak's configuration: a provider block whose
// max_retries is a variable, the messages (for_each), the broadcasts, and
// each action with a terraform_data that triggers it once, on create.
func (p soakPlan) config(e *acctest.Env) string {
	var b strings.Builder
	fmt.Fprintf(&b, `terraform {
  required_providers {
    ezitxt = { source = %q }
  }
}

variable "max_retries" {
  type = number
}

provider "ezitxt" {
  base_url    = %q
  username    = %q
  password    = %q
  max_retries = var.max_retries
}

locals {
  source = %q
}
`, strings.TrimPrefix(acctest.ProviderAddress, "registry.terraform.io/"), e.URL, e.Username, e.Password, acctest.Source)

	numbers := make([]string, p.messages)
	for i := range numbers {
		numbers[i] = messageNumber(i)
	}
	fmt.Fprintf(&b, `
resource "ezitxt_message" "m" {
  for_each = toset(%s)
  source   = local.source
  to       = each.key
  text     = { body = "soak message to ${each.key}" }
}
`, hcl(numbers))

	// Every message is read back by a data source, by reference: a message
	// of unknown outcome (id "") must read as "unknown", not break the plan.
	b.WriteString(`
data "ezitxt_message" "m" {
  for_each = ezitxt_message.m
  id       = each.value.id
}

output "message_status" {
  value = { for k, d in data.ezitxt_message.m : k => d.status }
}
`)

	for bi, n := range p.broadcasts {
		dests := make([]string, n)
		for i := range dests {
			dests[i] = broadcastNumber(bi, i)
		}
		fmt.Fprintf(&b, `
resource "ezitxt_broadcast" "b%[1]d" {
  source       = local.source
  destinations = %[2]s
  text         = { body = "soak broadcast %[1]d" }
}

data "ezitxt_messages" "b%[1]d" {
  ids = [for v in values(ezitxt_broadcast.b%[1]d.results) : split(" ", v)[1]]
}

output "broadcast_status_b%[1]d" {
  value = { for k, v in ezitxt_broadcast.b%[1]d.results : k => data.ezitxt_messages.b%[1]d.messages[split(" ", v)[1]].status }
}
`, bi, hcl(dests))
	}

	action := func(name string, recipient string) {
		fmt.Fprintf(&b, `
action "ezitxt_send_message" %q {
  config {
    source = local.source
%s
    text   = { body = "soak action %s" }
  }
}

resource "terraform_data" %q {
  input = %q

  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.ezitxt_send_message.%s]
    }
  }
}
`, name, recipient, name, name, name, name)
	}
	for i := range p.actionSingles {
		action(fmt.Sprintf("a%d", i), fmt.Sprintf("    to     = %q", actionNumber(i)))
	}
	for bi, n := range p.actionBroadcasts {
		dests := make([]string, n)
		for i := range dests {
			dests[i] = actionBroadcastNumber(bi, i)
		}
		action(fmt.Sprintf("ab%d", bi), "    destinations = "+hcl(dests))
	}
	return b.String()
}

// soakState is what the state says about sends: message ids, numbers
// recorded with status "unknown", and each number's record.
type soakState struct {
	ids     map[string]bool
	unknown map[string]bool
	records map[string]soakRecord
}

// soakRecord is a number's record in state.
type soakRecord struct{ id, status string }

// readSoakState reads the local state file (terraform show -json would
// do too, but acctest.CLI.Run passes -input=false, which show does not take).
func readSoakState(t *testing.T, cli *acctest.CLI) soakState {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(cli.Dir, "terraform.tfstate"))
	if err != nil {
		t.Fatalf("reading the state: %v", err)
	}
	var doc struct {
		Resources []struct {
			Type      string `json:"type"`
			Instances []struct {
				Attributes json.RawMessage `json:"attributes"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("reading the state: %v", err)
	}
	st := soakState{ids: map[string]bool{}, unknown: map[string]bool{}, records: map[string]soakRecord{}}
	for _, r := range doc.Resources {
		for _, inst := range r.Instances {
			switch r.Type {
			case "ezitxt_message":
				var v struct{ ID, To, Status string }
				if err := json.Unmarshal(inst.Attributes, &v); err != nil {
					t.Fatal(err)
				}
				st.add(v.To, v.ID, v.Status)
			case "ezitxt_broadcast":
				var v struct {
					Results map[string]string `json:"results"`
				}
				if err := json.Unmarshal(inst.Attributes, &v); err != nil {
					t.Fatal(err)
				}
				for number, res := range v.Results {
					status, id, _ := strings.Cut(res, " ")
					id, _, _ = strings.Cut(id, " ")
					st.add(number, id, status)
				}
			}
		}
	}
	return st
}

func (s soakState) add(number, id, status string) {
	if s.records != nil {
		s.records[number] = soakRecord{id: id, status: status}
	}
	if id != "" {
		s.ids[id] = true
	}
	if status == "unknown" {
		s.unknown[number] = true
	}
}

// soakAccount is where each accepted send was found.
type soakAccount struct {
	byID, byUnknown, byOutput int
	// unknownRecords counts status = "unknown" records; unknownAccepted
	// those whose number the mock accepted a message for.
	unknownRecords, unknownAccepted int
	lost                            []mockapi.Send
}

var (
	// progressAccepted matches an action's progress for a message accepted.
	progressAccepted = regexp.MustCompile(`(\+[0-9]+): message ([0-9a-f-]{36}) accepted`)
	// progressUnknown matches an action's progress for a send whose outcome
	// is unknown.
	progressUnknown = regexp.MustCompile(`(\+[0-9]+): outcome unknown`)
)

// account finds every send the mock accepted in the state (by id, or as an
// unknown record for its number) or in the CLI output: an action's progress
// line naming its id or saying its outcome is unknown, or an error naming
// the number.
func account(sends []mockapi.Send, st soakState, out string) soakAccount {
	var a soakAccount
	named := map[string]bool{}
	for _, m := range progressAccepted.FindAllStringSubmatch(out, -1) {
		named[m[2]] = true
	}
	for _, m := range progressUnknown.FindAllStringSubmatch(out, -1) {
		named[m[1]] = true
	}
	errText := strings.Join(errorBlocks(out), "\n")
	accepted := map[string]bool{}
	for _, s := range sends {
		accepted[s.Destination] = true
		switch {
		case st.ids[s.ID]:
			a.byID++
		case st.unknown[s.Destination]:
			a.byUnknown++
		case named[s.ID] || named[s.Destination] || strings.Contains(errText, s.Destination):
			a.byOutput++
		default:
			a.lost = append(a.lost, s)
		}
	}
	for number := range st.unknown {
		a.unknownRecords++
		if accepted[number] {
			a.unknownAccepted++
		}
	}
	return a
}

// errorBlocks returns the text of each "Error:" diagnostic in CLI output
// printed with -no-color: from its summary line to the next diagnostic.
func errorBlocks(out string) []string {
	var blocks []string
	var cur *strings.Builder
	for _, line := range strings.Split(out, "\n") {
		switch {
		case strings.HasPrefix(line, "Error: "):
			if cur != nil {
				blocks = append(blocks, cur.String())
			}
			cur = &strings.Builder{}
		case strings.HasPrefix(line, "Warning: "):
			if cur != nil {
				blocks = append(blocks, cur.String())
			}
			cur = nil
		}
		if cur != nil {
			cur.WriteString(line)
			cur.WriteByte('\n')
		}
	}
	if cur != nil {
		blocks = append(blocks, cur.String())
	}
	return blocks
}

// resentNumbers returns the numbers of later that earlier already had an
// accepted send to.
func resentNumbers(earlier, later []mockapi.Send) []string {
	had := map[string]bool{}
	for _, s := range earlier {
		had[s.Destination] = true
	}
	var out []string
	for _, s := range later {
		if had[s.Destination] {
			out = append(out, s.Destination)
		}
	}
	return out
}

func faultsMet(m map[mockapi.FaultKind]int64) string {
	kinds := []mockapi.FaultKind{mockapi.FaultTooManyRequests, mockapi.FaultServerError, mockapi.FaultDropBefore,
		mockapi.FaultDropAfter, mockapi.FaultLatency}
	parts := make([]string, 0, len(kinds))
	var total int64
	for _, k := range kinds {
		parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
		if k != mockapi.FaultLatency {
			total += m[k]
		}
	}
	return fmt.Sprintf("%d (%s)", total, strings.Join(parts, ", "))
}

// faultsOnSends counts the faults met by sends (single and broadcast).
func faultsOnSends(reqs []mockapi.Request) map[mockapi.FaultKind]int {
	out := map[mockapi.FaultKind]int{}
	for _, r := range reqs {
		if r.Fault != "" && (r.Endpoint == mockapi.EndpointSendMessage || r.Endpoint == mockapi.EndpointBroadcast) {
			out[r.Fault]++
		}
	}
	return out
}

func subFaults(a, b map[mockapi.FaultKind]int64) map[mockapi.FaultKind]int64 {
	out := map[mockapi.FaultKind]int64{}
	for k, v := range a {
		out[k] = v - b[k]
	}
	return out
}

func envInt(t *testing.T, name string, def int) int {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		t.Fatalf("%s=%q is not a positive whole number", name, v)
	}
	return n
}

// TestSoakAccounting checks the soak's bookkeeping on made-up sends, so that
// a lost message cannot go unnoticed: a send found nowhere is lost.
func TestSoakAccounting(t *testing.T) {
	t.Parallel()
	sends := []mockapi.Send{
		{ID: "11111111-1111-4111-8111-111111111111", Destination: "+64220000001"}, // in state by id
		{ID: "22222222-2222-4222-8222-222222222222", Destination: "+64220000002"}, // unknown record
		{ID: "33333333-3333-4333-8333-333333333333", Destination: "+64240000003"}, // action progress
		{ID: "44444444-4444-4444-8444-444444444444", Destination: "+64240000004"}, // named in an error
		{ID: "55555555-5555-4555-8555-555555555555", Destination: "+64240000005"}, // lost
		{ID: "66666666-6666-4666-8666-666666666666", Destination: "+64250000006"}, // action progress: unknown
	}
	st := soakState{
		ids:     map[string]bool{"11111111-1111-4111-8111-111111111111": true},
		unknown: map[string]bool{"+64220000002": true, "+64220000009": true},
	}
	out := `Action action.ezitxt_send_message.a3 (triggered by terraform_data.a3): +64240000003: message 33333333-3333-4333-8333-333333333333 accepted
Action action.ezitxt_send_message.ab0 (triggered by terraform_data.ab0): +64250000006: outcome unknown, the message may have been sent
  # ezitxt_message.m["+64240000005"] will be created

Warning: Outcome of Send Unknown

the message to +64240000005 MAY HAVE BEEN SENT

Error: Error when invoking action

Outcome of Send Unknown: POST /messages: the outcome is unknown: the message
to +64240000004 MAY HAVE BEEN SENT
`
	a := account(sends, st, out)
	if a.byID != 1 || a.byUnknown != 1 || a.byOutput != 3 || len(a.lost) != 1 || a.lost[0].Destination != "+64240000005" {
		t.Errorf("account = %+v, want 1 by id, 1 by unknown record, 3 by output, +64240000005 lost", a)
	}
	if a.unknownRecords != 2 || a.unknownAccepted != 1 {
		t.Errorf("unknown records %d (%d accepted), want 2 (1 accepted)", a.unknownRecords, a.unknownAccepted)
	}
}
