package provider_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

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
  id       = split(" ", ezitxt_broadcast.b.results[each.key])[1]
}

data "ezitxt_messages" "all" {
  ids = concat([for m in ezitxt_message.m : m.id], [for v in values(ezitxt_broadcast.b.results) : split(" ", v)[1]])
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
    { for k, v in ezitxt_broadcast.b.results : k => data.ezitxt_messages.all.messages[split(" ", v)[1]].status },
  )
}

output "result_status" {
  value = { for k, v in ezitxt_broadcast.b.results : k => split(" ", v)[0] }
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

// writeMain writes the whole main.tf of c: required_providers, a provider
// block with extra settings, and body.
func (c outcomeCLI) writeMain(e *acctest.Env, providerExtra, body string) {
	c.t.Helper()
	hcl := fmt.Sprintf(`terraform {
  required_providers {
    ezitxt = { source = "ezitxt/ezitxt" }
  }
}

provider "ezitxt" {
  base_url = %q
  username = %q
  password = %q
%s
}

%s
`, e.URL, e.Username, e.Password, providerExtra, body)
	if err := os.WriteFile(filepath.Join(c.Dir, "main.tf"), []byte(hcl), 0o600); err != nil {
		c.t.Fatal(err)
	}
}

// stateInstances reads the local state file: each resource instance's
// address, its status in state ("tainted" or "") and its attributes.
func (c outcomeCLI) stateInstances() map[string]stateInstance {
	c.t.Helper()
	raw, err := os.ReadFile(filepath.Join(c.Dir, "terraform.tfstate"))
	if err != nil {
		c.t.Fatalf("reading the state: %v", err)
	}
	var doc struct {
		Resources []struct {
			Mode, Type, Name string
			Instances        []struct {
				IndexKey   any            `json:"index_key"`
				Status     string         `json:"status"`
				Attributes map[string]any `json:"attributes"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		c.t.Fatalf("reading the state: %v", err)
	}
	out := map[string]stateInstance{}
	for _, r := range doc.Resources {
		if r.Mode != "managed" {
			continue
		}
		for _, in := range r.Instances {
			addr := r.Type + "." + r.Name
			if in.IndexKey != nil {
				addr += fmt.Sprintf("[%q]", fmt.Sprint(in.IndexKey))
			}
			out[addr] = stateInstance{status: in.Status, attrs: in.Attributes}
		}
	}
	return out
}

type stateInstance struct {
	status string
	attrs  map[string]any
}

// expectFails runs args and fails t unless the command fails with output
// matching re.
func (c outcomeCLI) expectFails(what string, re *regexp.Regexp, args ...string) string {
	c.t.Helper()
	out, err := c.Run(args...)
	if err == nil {
		c.t.Errorf("%s: terraform %s succeeded, want a failure", what, strings.Join(args, " "))
	}
	if !re.MatchString(out) {
		c.t.Errorf("%s: the output does not match %s", what, re)
	}
	return out
}

// cliDiagnostic is a diagnostic of the CLI's JSON output.
type cliDiagnostic struct {
	Severity, Summary, Detail string
}

// diagnostics runs a command with -json and returns its diagnostics of
// the given severity.
func (c outcomeCLI) diagnostics(severity string, args ...string) []cliDiagnostic {
	c.t.Helper()
	out := c.MustRun(args...)
	var diags []cliDiagnostic
	for _, line := range strings.Split(out, "\n") {
		var msg struct {
			Type       string        `json:"type"`
			Diagnostic cliDiagnostic `json:"diagnostic"`
		}
		if json.Unmarshal([]byte(line), &msg) == nil && msg.Type == "diagnostic" && msg.Diagnostic.Severity == severity {
			diags = append(diags, msg.Diagnostic)
		}
	}
	return diags
}

// expectNotTainted fails t when addr is missing from state or tainted.
func (c outcomeCLI) expectNotTainted(what, addr string) stateInstance {
	c.t.Helper()
	in, ok := c.stateInstances()[addr]
	switch {
	case !ok:
		c.t.Errorf("%s: %s is not in state", what, addr)
	case in.status == "tainted":
		c.t.Errorf("%s: %s is tainted: the next apply would send it again", what, addr)
	}
	return in
}

// TestAccPipelineGate_waitUnmet: a message whose wait_for_status runs out
// of time makes the apply fail through a lifecycle postcondition on
// status_reached. The message stays in state, not tainted; a re-apply
// before delivery fails again and sends nothing; once the status is
// reached, a re-apply passes and sends nothing; destroy works in either
// state.
func TestAccPipelineGate_waitUnmet(t *testing.T) {
	t.Parallel()
	e := acctest.New(t) // the mock clock is frozen: the message stays "accepted"
	c := newOutcomeCLI(t, e)
	c.writeMain(e, "", fmt.Sprintf(`
resource "ezitxt_message" "deploy" {
  source          = %q
  to              = "+6421830001"
  text            = { body = "Deploy finished" }
  wait_for_status = "sent"
  wait_timeout    = "1s"

  lifecycle {
    postcondition {
      # != false: status_reached is null right after terraform import, until
      # the next apply records wait_for_status; the message names computed
      # attributes only (the guide's pipeline gate, sending-messages-safely).
      condition     = self.status_reached != false
      error_message = "The deploy message has not reached the status it waits for (status ${self.status})."
    }
  }
}

data "ezitxt_message" "deploy" {
  id = ezitxt_message.deploy.id
}

output "status" {
  value = data.ezitxt_message.deploy.status
}`, acctest.Source))
	const addr = "ezitxt_message.deploy"
	gate := diagRe("Error: Resource postcondition failed", "has not reached the status it waits for (status accepted)")

	c.expectFails("first apply", gate, "apply", "-auto-approve")
	in := c.expectNotTainted("after the failed apply", addr)
	if in.attrs["status_reached"] != false || in.attrs["status"] != "accepted" {
		t.Errorf("state: status %v, status_reached %v; want accepted, false", in.attrs["status"], in.attrs["status_reached"])
	}
	c.expectFails("re-apply before delivery", gate, "apply", "-auto-approve")
	c.expectFails("plan before delivery", gate, "plan")
	c.expectNotTainted("after the failed re-apply", addr)
	expectSends(t, e.Mock, 1)

	e.Mock.Advance(mockapi.OffsetSent)
	out := c.MustRun("apply", "-auto-approve")
	if !strings.Contains(out, "0 added, 0 changed, 0 destroyed") {
		t.Errorf("the apply after delivery changed something")
	}
	if got := strings.TrimSpace(c.MustRun("output", "-raw", "status")); got != "sent" {
		t.Errorf("output status = %q, want sent", got)
	}
	in = c.expectNotTainted("after delivery", addr)
	if in.attrs["status_reached"] != true {
		t.Errorf("state after delivery: status_reached %v, want true", in.attrs["status_reached"])
	}
	c.expectEmptyPlan()

	// The guide's recovery: adopt the message again by import. Imported inputs are null until the
	// next apply records them; the gate must neither fail nor break on them (a null condition or a
	// null interpolated into error_message would fail the refresh-only plan).
	id, _ := in.attrs["id"].(string)
	c.MustRun("state", "rm", addr)
	c.MustRun("import", addr, id)
	c.MustRun("plan", "-refresh-only")
	c.MustRun("apply", "-auto-approve")
	in = c.expectNotTainted("after import and apply", addr)
	if in.attrs["wait_for_status"] != "sent" || in.attrs["status_reached"] != true {
		t.Errorf("after import and apply: wait_for_status %v, status_reached %v; want sent, true", in.attrs["wait_for_status"], in.attrs["status_reached"])
	}
	c.expectEmptyPlan()
	expectSends(t, e.Mock, 1)

	c.MustRun("destroy", "-auto-approve")
	expectSends(t, e.Mock, 1)
}

// TestAccPipelineGate_unknownOutcome: a send answered 500 (outcome
// unknown) makes the apply fail through a resource postcondition on
// status, and an output precondition on the same. Neither taints the
// message: a re-apply fails again and sends nothing, destroy works (it
// checks conditions only as warnings), and nothing is ever sent.
func TestAccPipelineGate_unknownOutcome(t *testing.T) {
	t.Parallel()
	e := acctest.New(t, func(o *mockapi.Options) {
		o.Faults = mockapi.Faults{Seed: 1, ServerErrorRate: 1, Endpoints: mockapi.SendEndpoints}
	})
	c := newOutcomeCLI(t, e)
	c.writeMain(e, "", fmt.Sprintf(`
resource "ezitxt_message" "deploy" {
  source = %[1]q
  to     = "+6421830002"
  text   = { body = "Deploy finished" }

  lifecycle {
    postcondition {
      condition     = self.status != "unknown"
      error_message = "The outcome of the deploy message is unknown: check whether it arrived."
    }
  }
}

resource "ezitxt_message" "notify" {
  source = %[1]q
  to     = "+6421830003"
  text   = { body = "Deploy started" }
}

output "notify_status" {
  value = ezitxt_message.notify.status

  precondition {
    condition     = ezitxt_message.notify.status != "unknown"
    error_message = "The outcome of the notification is unknown."
  }
}`, acctest.Source))
	gate := diagRe("Error: Resource postcondition failed", "outcome of the deploy message is unknown")
	outGate := diagRe("Error: Module output value precondition failed", "outcome of the notification is unknown")

	out := c.expectFails("first apply", gate, "apply", "-auto-approve")
	if !outGate.MatchString(out) {
		t.Errorf("first apply: the output precondition did not fail")
	}
	_ = e.Mock.SetFaults(mockapi.Faults{})
	for _, addr := range []string{"ezitxt_message.deploy", "ezitxt_message.notify"} {
		if in := c.expectNotTainted("after the failed apply", addr); in.attrs["status"] != "unknown" {
			t.Errorf("%s: status %v, want unknown", addr, in.attrs["status"])
		}
	}
	out = c.expectFails("re-apply", gate, "apply", "-auto-approve")
	if !outGate.MatchString(out) {
		t.Errorf("re-apply: the output precondition did not fail")
	}
	c.expectNotTainted("after the re-apply", "ezitxt_message.deploy")
	c.MustRun("destroy", "-auto-approve")
	expectSends(t, e.Mock, 0)
}

// TestAccPipelineGate_broadcastCutShort: the first batch of a broadcast
// runs into request_timeout, so its 1,000 numbers are unknown and the
// 1,001st is not sent. A postcondition on unknown_count and unsent_count
// fails the apply, without tainting; the re-apply sends to the unsent
// number only, and fails again on the unknown ones; a later re-apply sends
// nothing; destroy works.
func TestAccPipelineGate_broadcastCutShort(t *testing.T) {
	t.Parallel()
	e := acctest.New(t, func(o *mockapi.Options) {
		o.Faults = mockapi.Faults{Seed: 1, Latency: 3 * time.Second, Endpoints: []mockapi.Endpoint{mockapi.EndpointBroadcast}}
	})
	c := newOutcomeCLI(t, e)
	c.writeMain(e, `  request_timeout = "1s"
  max_retries     = 0`, fmt.Sprintf(`
resource "ezitxt_broadcast" "news" {
  source       = %q
  destinations = [for i in range(1001) : format("+64218%%05d", i)]
  text         = { body = "Release notes" }

  lifecycle {
    postcondition {
      condition     = self.unknown_count == 0 && self.unsent_count == 0
      error_message = "Broadcast not wholly sent: ${self.unknown_count} numbers of unknown outcome, ${self.unsent_count} not sent."
    }
  }
}

output "counts" {
  value = {
    accepted = ezitxt_broadcast.news.accepted_count
    unknown  = ezitxt_broadcast.news.unknown_count
    unsent   = ezitxt_broadcast.news.unsent_count
  }
}`, acctest.Source))
	const addr = "ezitxt_broadcast.news"
	c.expectFails("first apply", diagRe("Error: Resource postcondition failed", "1000 numbers of unknown outcome, 1 not sent"),
		"apply", "-auto-approve")
	in := c.expectNotTainted("after the first apply", addr)
	if in.attrs["unknown_count"] != float64(1000) || in.attrs["unsent_count"] != float64(1) {
		t.Errorf("after the first apply: unknown_count %v, unsent_count %v; want 1000, 1", in.attrs["unknown_count"], in.attrs["unsent_count"])
	}
	_ = e.Mock.SetFaults(mockapi.Faults{})
	time.Sleep(3 * time.Second) // let the mock finish what it was doing when the client gave up
	before := e.Mock.Sends()

	c.expectFails("re-apply", diagRe("Error: Resource postcondition failed", "1000 numbers of unknown outcome, 0 not sent"),
		"apply", "-auto-approve")
	after := e.Mock.Sends()
	if len(after)-len(before) != 1 || after[len(after)-1].Destination != "+6421801000" {
		t.Errorf("the re-apply sent %d messages, want 1 to +6421801000 (the number left unsent)", len(after)-len(before))
	}
	c.expectNotTainted("after the re-apply", addr)
	c.expectFails("second re-apply", diagRe("Error: Resource postcondition failed"), "apply", "-auto-approve")
	if n := len(e.Mock.Sends()); n != len(after) {
		t.Errorf("the second re-apply sent %d messages", n-len(after))
	}
	c.MustRun("destroy", "-auto-approve")
	if d := e.Mock.Duplicates(); len(d) > 0 {
		t.Errorf("%d duplicate sends: first %+v", len(d), d[0])
	}
}

// teardownConfig has a media upload from a local file, a message and a
// broadcast, with (when withData) data sources reading each and outputs.
// The provider runs in the test process, whose working directory is not the
// CLI's: the file's path is absolute.
func teardownConfig(dir string, withData bool) string {
	cfg := fmt.Sprintf(`
resource "ezitxt_media" "logo" {
  source = %[1]q
  file   = %[2]q
}

resource "ezitxt_message" "deploy" {
  source = %[1]q
  to     = "+6421840001"
  text   = { body = "Deploy finished" }
}

resource "ezitxt_broadcast" "news" {
  source       = %[1]q
  destinations = ["+6421840002", "+6421840003"]
  text         = { body = "Release notes" }
}

output "logo_sha256" {
  value = ezitxt_media.logo.sha256
}`, acctest.Source, filepath.Join(dir, "logo.png"))
	if withData {
		cfg += `

data "ezitxt_media" "logo" {
  source   = ezitxt_media.logo.source
  media_id = ezitxt_media.logo.id
}

data "ezitxt_message" "deploy" {
  id = ezitxt_message.deploy.id
}

data "ezitxt_messages" "news" {
  ids = [for v in values(ezitxt_broadcast.news.results) : split(" ", v)[1]]
}

output "statuses" {
  value = {
    deploy = data.ezitxt_message.deploy.status
    logo   = data.ezitxt_media.logo.sha256
    news   = length(data.ezitxt_messages.news.messages)
  }
}`
	}
	return cfg
}

func (c outcomeCLI) writeFile(name string, b []byte) {
	c.t.Helper()
	if err := os.WriteFile(filepath.Join(c.Dir, name), b, 0o600); err != nil {
		c.t.Fatal(err)
	}
}

// TestAccTeardown_withoutFile: once the local file of an ezitxt_media is
// deleted (a CI teardown job), plan still works (no change, a warning) and
// destroy works, with data sources and outputs reading the upload, without
// -refresh=false. Restoring other content plans a new upload as before.
func TestAccTeardown_withoutFile(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	c := newOutcomeCLI(t, e)
	c.writeFile("logo.png", pngBytes("logo"))
	c.WriteConfig(teardownConfig(c.Dir, true))
	c.MustRun("apply", "-auto-approve")
	if err := os.Remove(filepath.Join(c.Dir, "logo.png")); err != nil {
		t.Fatal(err)
	}
	out, err := c.Run("plan", "-detailed-exitcode")
	if err != nil || !strings.Contains(out, "No changes.") || !diagRe("Warning: Media File Missing", "no longer exists").MatchString(out) {
		t.Errorf("plan without the file: %v; want no changes and a warning that the file is missing", err)
	}
	// Other content in its place is a new upload, as before.
	c.writeFile("logo.png", pngBytes("another logo"))
	if out, err := c.Run("plan", "-detailed-exitcode"); err == nil || !strings.Contains(out, "must be replaced") {
		t.Errorf("plan with other content: %v; want the upload replaced", err)
	}
	if err := os.Remove(filepath.Join(c.Dir, "logo.png")); err != nil {
		t.Fatal(err)
	}
	// A path changed to a file that does not exist is still an error.
	c.WriteConfig(strings.Replace(teardownConfig(c.Dir, true), "logo.png", "logo-v2.png", 1))
	c.expectFails("plan with a new path to no file", diagRe("Error: Cannot Read Media File", "logo-v2.png"), "plan")
	c.WriteConfig(teardownConfig(c.Dir, true))
	c.MustRun("destroy", "-auto-approve")
	if len(c.stateInstances()) != 0 {
		t.Errorf("resources left in state after destroy: %v", c.stateInstances())
	}
	expectSends(t, e.Mock, 3)
}

// TestAccTeardown_apiForgot: the API forgets everything (media, messages)
// after apply. Destroy of the resources works as it is, with or without the
// media's local file; where a data source reads what the API no longer
// knows, destroy fails with an error that says how to destroy, and that
// way works.
func TestAccTeardown_apiForgot(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	plain, noFile, withData := newOutcomeCLI(t, e), newOutcomeCLI(t, e), newOutcomeCLI(t, e)
	for _, c := range []outcomeCLI{plain, noFile, withData} {
		c.writeFile("logo.png", pngBytes("logo"))
		c.WriteConfig(teardownConfig(c.Dir, c == withData))
		c.MustRun("apply", "-auto-approve")
	}
	e.Mock.Reset()
	if err := os.Remove(filepath.Join(noFile.Dir, "logo.png")); err != nil {
		t.Fatal(err)
	}

	plain.MustRun("destroy", "-auto-approve")
	// Without the file, the upload the API lost cannot be made again: it is
	// kept, with a warning (which destroy, like every warning of its
	// refresh, does not show).
	out := noFile.MustRun("plan")
	if !diagRe("Warning: Media Expired or Removed, and Its File Is Gone", "kept in state").MatchString(out) {
		t.Errorf("the plan without the file and the media does not say why the media is kept")
	}
	noFile.MustRun("destroy", "-auto-approve")
	withData.expectFails("destroy with data sources", diagRe("Error: Message Not Found", "terraform destroy -refresh=false"),
		"destroy", "-auto-approve")
	withData.MustRun("destroy", "-auto-approve", "-refresh=false")
	for _, c := range []outcomeCLI{plain, noFile, withData} {
		if len(c.stateInstances()) != 0 {
			t.Errorf("resources left in state after destroy: %v", c.stateInstances())
		}
	}
	if n := len(e.Mock.Sends()); n != 0 {
		t.Errorf("%d sends after the reset", n)
	}
}

// TestAccMessage_importDifferences: messages imported into blocks that
// contradict what GET /messages returns (another body, another type, a
// customer's reply) get a warning naming each difference, with an import
// block and with terraform import; a block that matches gets none. Apply
// sends nothing, a data source reads the imported messages, the next plan
// is empty and destroy works.
func TestAccMessage_importDifferences(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	same := sendText(t, e, "+6421850001", "Deploy finished")
	otherBody := sendText(t, e, "+6421850002", "Deploy finished")
	otherType := sendText(t, e, "+6421850003", "Deploy finished")
	byCommand := sendText(t, e, "+6421850004", "Deploy finished")
	reply, err := e.Mock.SimulateReply(mockapi.Reply{From: "+6421850005", To: acctest.Source, Text: "Deploy finished"})
	if err != nil {
		t.Fatal(err)
	}
	c := newOutcomeCLI(t, e)
	block := func(name, to, content string) string {
		return fmt.Sprintf(`
resource "ezitxt_message" %q {
  source = %q
  to     = %q
  %s
}

data "ezitxt_message" %q {
  id = ezitxt_message.%s.id
}
`, name, acctest.Source, to, content, name, name)
	}
	importBlock := func(name, id string) string {
		return fmt.Sprintf("\nimport {\n  to = ezitxt_message.%s\n  id = %q\n}\n", name, id)
	}
	text := `text = { body = "Deploy finished" }`
	cfg := block("same", "+6421850001", text) + importBlock("same", same) +
		block("other_body", "+6421850002", `text = { body = "Deploy started" }`) + importBlock("other_body", otherBody) +
		block("other_type", "+6421850003", `template = { name = "deploy_finished", language = "en_US" }`) + importBlock("other_type", otherType) +
		block("reply", "+6421850005", text) + importBlock("reply", reply.ID) +
		block("by_command", "+6421850004", `text = { body = "Deploy failed" }`) + `
output "types" {
  value = { for k, d in [data.ezitxt_message.same, data.ezitxt_message.other_type] : k => d.type }
}`
	c.WriteConfig(cfg)
	c.MustRun("import", "ezitxt_message.by_command", byCommand)
	// Terraform shows warnings of the same summary as one ("and 3 more
	// similar warnings"): read each from the JSON output.
	warnings := c.diagnostics("warning", "plan", "-json")
	var got []string
	for _, w := range warnings {
		if w.Summary == "Imported Message Differs From Configuration" {
			got = append(got, w.Detail)
		}
	}
	for _, want := range []*regexp.Regexp{
		diagRe("message "+otherBody, `text.body: the API reports "Deploy finished", the configuration has "Deploy started"`),
		diagRe("message "+otherType, `type: the API reports a "text" message, the configuration sets template`),
		diagRe("message "+reply.ID, `direction: the API reports "MO", a customer's reply`),
		diagRe("message "+byCommand, `text.body: the API reports "Deploy finished", the configuration has "Deploy failed"`),
	} {
		if !slices.ContainsFunc(got, want.MatchString) {
			t.Errorf("the plan does not warn %s", want)
		}
	}
	if len(got) != 4 {
		t.Errorf("%d import warnings, want 4 (none for the message that matches): %q", len(got), got)
	}
	c.MustRun("apply", "-auto-approve")
	// Once the configuration is adopted, the plan says nothing more.
	out := c.MustRun("plan", "-detailed-exitcode")
	if strings.Contains(out, "Imported Message Differs") || !strings.Contains(out, "No changes.") {
		t.Errorf("the plan after apply is not empty and quiet")
	}
	c.MustRun("destroy", "-auto-approve")
	expectSends(t, e.Mock, 4) // the four sent outside Terraform
}
