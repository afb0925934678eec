package provider_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/acctest"
	"github.com/ezitxt/terraform-provider-ezitxt/internal/mockapi"
)

// Tests of ezitxt_send_message at two levels:
//   - TestSendMessageAction_protocol*: they drive the provider server as
//     Terraform 1.14+ does (ValidateActionConfig, PlanAction, InvokeAction)
//     against the mock, with no CLI and without TF_ACC, so they run in every
//     `go test`;
//   - TestAccSendMessageAction_*: acceptance tests through a Terraform that
//     has actions (scripts/testacc.sh runs them on 1.16.4); on older
//     Terraform and on OpenTofu they skip, saying why.

const sendMessageType = "ezitxt_send_message"

// sendConfig is a valid single-message configuration; extra entries are
// added or, when nil, removed.
func sendConfig(extra map[string]any) map[string]any {
	cfg := map[string]any{
		"source": acctest.Source,
		"to":     "+6421000001",
		"text":   map[string]any{"body": "Deploy finished"},
	}
	for k, v := range extra {
		if v == nil {
			delete(cfg, k)
			continue
		}
		cfg[k] = v
	}
	return cfg
}

// wantDiag fails t unless diags hold exactly one error, with summary (any
// when "") and attribute path, whose detail contains every fragment.
func wantDiag(t *testing.T, diags []*tfprotov6.Diagnostic, summary, attrPath string, fragments ...string) *tfprotov6.Diagnostic {
	t.Helper()
	errs := acctest.Errors(diags)
	if len(errs) != 1 {
		t.Fatalf("want exactly one error %q at %q, got %d: %s", summary, attrPath, len(errs), acctest.FormatDiagnostics(diags))
	}
	d := errs[0]
	if summary != "" && d.Summary != summary {
		t.Errorf("error summary = %q, want %q", d.Summary, summary)
	}
	if got := acctest.DiagnosticPath(d); got != attrPath {
		t.Errorf("error %q is at %q, want %q", d.Summary, got, attrPath)
	}
	for _, f := range fragments {
		if !strings.Contains(d.Detail, f) {
			t.Errorf("error %q: detail does not mention %q:\n%s", d.Summary, f, d.Detail)
		}
	}
	return d
}

func wantNoDiags(t *testing.T, what string, diags []*tfprotov6.Diagnostic) {
	t.Helper()
	if len(diags) > 0 {
		t.Fatalf("%s: want no diagnostics, got %s", what, acctest.FormatDiagnostics(diags))
	}
}

// sendCounts counts the mock's sends per destination.
func sendCounts(sends []mockapi.Send) map[string]int {
	out := map[string]int{}
	for _, s := range sends {
		out[s.Destination]++
	}
	return out
}

// progressLine matches the progress event of one message sent.
func progressLine(number, status string) *regexp.Regexp {
	return regexp.MustCompile(`^` + regexp.QuoteMeta(number) +
		`: message [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12} ` + status + `\b`)
}

// wantProgress fails t unless some progress message matches each pattern.
func wantProgress(t *testing.T, progress []string, patterns ...*regexp.Regexp) {
	t.Helper()
	for _, re := range patterns {
		found := false
		for _, p := range progress {
			if re.MatchString(p) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("no progress message matches %s; progress:\n  %s", re, strings.Join(progress, "\n  "))
		}
	}
}

func TestSendMessageAction_protocolSendsOne(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	p := e.Protocol(t)
	cfg := sendConfig(map[string]any{"reference": "deploy-42"})

	wantNoDiags(t, "ValidateActionConfig", p.ValidateAction(sendMessageType, cfg))
	wantNoDiags(t, "PlanAction", p.PlanAction(sendMessageType, cfg))
	if n := len(e.Mock.Sends()); n != 0 {
		t.Fatalf("validate and plan sent %d messages, want none", n)
	}

	inv := p.InvokeAction(sendMessageType, cfg)
	wantNoDiags(t, "InvokeAction", inv.Diagnostics)
	sends := e.Mock.Sends()
	if len(sends) != 1 {
		t.Fatalf("mock recorded %d sends, want 1", len(sends))
	}
	s := sends[0]
	if s.Destination != "+6421000001" || s.Source != acctest.Source || s.Type != "text" || s.Reference != "deploy-42" ||
		s.Kind != mockapi.KindSingle {
		t.Errorf("send = %+v, want a single text message from %s to +6421000001 with reference deploy-42", s, acctest.Source)
	}
	var body struct {
		Text struct{ Body string } `json:"text"`
	}
	if err := json.Unmarshal(s.Body, &body); err != nil || body.Text.Body != "Deploy finished" {
		t.Errorf("send body = %s, want text.body %q", s.Body, "Deploy finished")
	}
	want := fmt.Sprintf("+6421000001: message %s accepted", s.ID)
	if len(inv.Progress) != 1 || inv.Progress[0] != want {
		t.Errorf("progress = %q, want [%q]", inv.Progress, want)
	}
}

func TestSendMessageAction_protocolValidateConfig(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	p := e.Protocol(t)

	// The rules of the message content (content.go) are shared with the
	// message resource and tested there; here they are checked to reach the
	// action with their attribute paths, whatever their summaries.
	tests := []struct {
		name      string
		cfg       map[string]any
		summary   string
		path      string
		fragments []string
	}{
		{name: "no content", cfg: sendConfig(map[string]any{"text": nil}),
			summary: "Missing Message Content", fragments: []string{"text, media, template or raw"}},
		{name: "two contents", cfg: sendConfig(map[string]any{"media": map[string]any{"type": "image", "url": "https://example.com/a.png"}}),
			summary: "Conflicting Message Content", path: "media", fragments: []string{"text, media"}},
		{name: "no recipient", cfg: sendConfig(map[string]any{"to": nil}),
			summary: "Missing Recipient", path: "to", fragments: []string{"destinations = ["}},
		{name: "both recipients", cfg: sendConfig(map[string]any{"destinations": []string{"+6421000002"}}),
			summary: "Conflicting Recipients", path: "destinations", fragments: []string{"not both"}},
		{name: "to not E.164", cfg: sendConfig(map[string]any{"to": "021 000 001"}),
			summary: "Invalid Attribute Value Match", path: "to", fragments: []string{"E.164"}},
		{name: "destination not E.164", cfg: sendConfig(map[string]any{"to": nil, "destinations": []string{"+6421000002", "6421000003"}}),
			summary: "Invalid Attribute Value Match", path: `destinations[1]`, fragments: []string{"E.164"}},
		{name: "no destinations", cfg: sendConfig(map[string]any{"to": nil, "destinations": []string{}}),
			summary: "Invalid Attribute Value", path: "destinations", fragments: []string{"at least 1"}},
		{name: "source not a phone number id", cfg: sendConfig(map[string]any{"source": "0155"}),
			summary: "Invalid Attribute Value Match", path: "source", fragments: []string{"phone number ID"}},
		{name: "media URL not absolute", cfg: sendConfig(map[string]any{"text": nil, "media": map[string]any{"type": "image", "url": "logo.png"}}),
			path: `media["url"]`, fragments: []string{"absolute"}},
		{name: "media type unknown to the API", cfg: sendConfig(map[string]any{"text": nil, "media": map[string]any{"type": "gif", "url": "https://example.com/a.gif"}}),
			path: "media.type", fragments: []string{"image"}},
		{name: "empty text", cfg: sendConfig(map[string]any{"text": map[string]any{"body": ""}}),
			path: "text.body"},
		{name: "raw payload not JSON", cfg: sendConfig(map[string]any{"text": nil, "raw": map[string]any{"payload": "{type: text"}}),
			path: `raw["payload"]`},
		{name: "schedule not RFC 3339", cfg: sendConfig(map[string]any{"scheduled": "tomorrow 9am"}),
			path: "scheduled"},
		{name: "wait for a status that is not on the delivery path", cfg: sendConfig(map[string]any{"wait_for_status": "failed"}),
			summary: "Invalid Attribute Value Match", path: "wait_for_status", fragments: []string{"read"}},
		{name: "timeout not a duration", cfg: sendConfig(map[string]any{"wait_for_status": "sent", "timeouts": map[string]any{"invoke": "soon"}}),
			summary: "Invalid Duration", path: `timeouts["invoke"]`, fragments: []string{"Attribute timeouts.invoke is not a duration"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wantDiag(t, p.ValidateAction(sendMessageType, tc.cfg), tc.summary, tc.path, tc.fragments...)
		})
	}

	// Unknown values get the benefit of the doubt until they are known.
	for name, cfg := range map[string]map[string]any{
		"unknown recipient":        sendConfig(map[string]any{"to": acctest.Unknown}),
		"unknown destinations":     sendConfig(map[string]any{"to": nil, "destinations": acctest.Unknown}),
		"unknown content":          sendConfig(map[string]any{"text": acctest.Unknown}),
		"unknown body and source":  sendConfig(map[string]any{"text": map[string]any{"body": acctest.Unknown}, "source": acctest.Unknown}),
		"template with every part": sendConfig(map[string]any{"text": nil, "template": actionTemplateContent()}),
		"broadcast":                sendConfig(map[string]any{"to": nil, "destinations": []string{"+6421000002", "+6421000003"}}),
	} {
		wantNoDiags(t, "ValidateActionConfig with "+name, p.ValidateAction(sendMessageType, cfg))
		wantNoDiags(t, "PlanAction with "+name, p.PlanAction(sendMessageType, cfg))
	}
	if n := e.Requests(); n != 0 {
		t.Errorf("validation made %d API requests, want none", n)
	}
}

func actionTemplateContent() map[string]any {
	return map[string]any{
		"name": "deploy_notice", "language": "en_US",
		"header_params": []string{"api"}, "body_params": []string{"v1.2.3", "production"},
		"media":   map[string]any{"type": "image", "url": "https://example.com/banner.png"},
		"buttons": []any{map[string]any{"index": 0, "type": "url", "payload": "releases/v1.2.3"}},
	}
}

func TestSendMessageAction_protocolPlanChecksSchedule(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	p := e.Protocol(t)
	now := time.Now()
	at := func(d time.Duration) string { return now.Add(d).Format(time.RFC3339) }

	wantDiag(t, p.PlanAction(sendMessageType, sendConfig(map[string]any{"scheduled": at(-time.Hour)})),
		"Scheduled Time In The Past", "scheduled", "remove scheduled to send immediately")
	wantDiag(t, p.PlanAction(sendMessageType, sendConfig(map[string]any{"scheduled": at(61 * 24 * time.Hour)})),
		"Scheduled Time Too Far Ahead", "scheduled", "60 days")
	wantDiag(t, p.PlanAction(sendMessageType, sendConfig(map[string]any{"scheduled": at(24 * time.Hour), "wait_for_status": "read"})),
		"Wait Cannot Succeed Before Scheduled Time", "wait_for_status", "timeouts.invoke", `stays "accepted"`)
	wantDiag(t, p.PlanAction(sendMessageType, sendConfig(map[string]any{"scheduled": at(time.Hour), "wait_for_status": "sent",
		"timeouts": map[string]any{"invoke": "30m"}})),
		"Wait Cannot Succeed Before Scheduled Time", "wait_for_status", "30m0s")

	for name, cfg := range map[string]map[string]any{
		"schedule tomorrow":                   sendConfig(map[string]any{"scheduled": at(24 * time.Hour)}),
		"schedule with another offset":        sendConfig(map[string]any{"scheduled": now.Add(24 * time.Hour).In(time.FixedZone("NZDT", 13*3600)).Format(time.RFC3339)}),
		"wait for accepted of a later send":   sendConfig(map[string]any{"scheduled": at(24 * time.Hour), "wait_for_status": "accepted"}),
		"wait within a timeout long enough":   sendConfig(map[string]any{"scheduled": at(time.Hour), "wait_for_status": "read", "timeouts": map[string]any{"invoke": "2h"}}),
		"schedule not known yet":              sendConfig(map[string]any{"scheduled": acctest.Unknown, "wait_for_status": "read"}),
		"content not known yet with schedule": sendConfig(map[string]any{"text": acctest.Unknown, "scheduled": at(time.Hour)}),
	} {
		wantNoDiags(t, "PlanAction with "+name, p.PlanAction(sendMessageType, cfg))
	}
	if n := e.Requests(); n != 0 {
		t.Errorf("planning made %d API requests, want none", n)
	}
}

func TestSendMessageAction_protocolBroadcastPartialFailure(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	p := e.Protocol(t)
	numbers := []string{"+6421000001", "+6421000002", mockapi.NumberNotWhatsApp, "+6421000003"}
	cfg := sendConfig(map[string]any{"to": nil, "destinations": numbers})
	wantNoDiags(t, "PlanAction", p.PlanAction(sendMessageType, cfg))

	inv := p.InvokeAction(sendMessageType, cfg)
	wantDiag(t, inv.Diagnostics, "Broadcast Refused for Some Numbers", "destinations",
		"refused 1 of 4 numbers: "+mockapi.NumberNotWhatsApp, "other 3 numbers were accepted", "destinations set to just those numbers")
	wantProgress(t, inv.Progress,
		progressLine("+6421000001", "accepted"), progressLine("+6421000002", "accepted"),
		progressLine("+6421000003", "accepted"), progressLine(mockapi.NumberNotWhatsApp, "failed"))
	if len(inv.Progress) != 4 {
		t.Errorf("progress = %q, want one event per number", inv.Progress)
	}

	// The accepted numbers were sent to exactly once, in one request: the
	// refusal of one number sends nothing again.
	got := sendCounts(e.Mock.Sends())
	for _, n := range []string{"+6421000001", "+6421000002", "+6421000003"} {
		if got[n] != 1 {
			t.Errorf("mock recorded %d sends to %s, want 1", got[n], n)
		}
	}
	if st := e.Mock.Stats(); st.ByEndpoint[mockapi.EndpointBroadcast] != 1 || st.ByEndpoint[mockapi.EndpointSendMessage] != 0 ||
		st.Duplicates != 0 {
		t.Errorf("mock saw %d broadcast requests, %d single sends and %d duplicates, want 1, 0 and 0",
			st.ByEndpoint[mockapi.EndpointBroadcast], st.ByEndpoint[mockapi.EndpointSendMessage], st.Duplicates)
	}
}

func TestSendMessageAction_protocolWaitForRead(t *testing.T) {
	t.Parallel()
	e := acctest.New(t, acctest.ClockSpeed(1000))
	p := e.Protocol(t)
	cfg := sendConfig(map[string]any{"to": nil, "destinations": []string{"+6421000001", "+6421000002"}, "wait_for_status": "read"})

	inv := p.InvokeAction(sendMessageType, cfg)
	wantNoDiags(t, "InvokeAction", inv.Diagnostics)
	wantProgress(t, inv.Progress,
		progressLine("+6421000001", "accepted"), progressLine("+6421000002", "accepted"),
		regexp.MustCompile(`^waiting up to 10m0s for all 2 messages to reach "read"$`),
		progressLine("+6421000001", "read"), progressLine("+6421000002", "read"),
		regexp.MustCompile(`^all 2 messages reached "read"$`))
	for _, s := range e.Mock.Sends() {
		if m, ok := e.Mock.Message(s.ID); !ok || m.Status != mockapi.StatusRead {
			t.Errorf("message %s to %s: status %q, want read", s.ID, s.Destination, m.Status)
		}
	}
	if n := len(e.Mock.Sends()); n != 2 {
		t.Errorf("mock recorded %d sends, want 2", n)
	}
}

func TestSendMessageAction_protocolWaitEndsInFailure(t *testing.T) {
	t.Parallel()
	e := acctest.New(t, acctest.ClockSpeed(1000))
	p := e.Protocol(t)
	inv := p.InvokeAction(sendMessageType, sendConfig(map[string]any{"to": mockapi.NumberFails, "wait_for_status": "read"}))
	wantDiag(t, inv.Diagnostics, "Messages Did Not Reach Status", "",
		`Waiting for "read"`, "1 ended in failure: "+mockapi.NumberFails, "failed)", "not sent again")
	wantProgress(t, inv.Progress, progressLine(mockapi.NumberFails, "accepted"), progressLine(mockapi.NumberFails, "failed"))
	if n := len(e.Mock.Sends()); n != 1 {
		t.Errorf("mock recorded %d sends, want 1", n)
	}
}

func TestSendMessageAction_protocolWaitTimeout(t *testing.T) {
	t.Parallel()
	e := acctest.New(t) // the mock clock stands still: the message stays accepted
	p := e.Protocol(t)
	inv := p.InvokeAction(sendMessageType, sendConfig(map[string]any{"wait_for_status": "sent", "timeouts": map[string]any{"invoke": "300ms"}}))
	d := wantDiag(t, inv.Diagnostics, "Messages Did Not Reach Status", "",
		`Waiting for "sent": 1 did not get there within 300ms: +6421000001`, "last status accepted", "Raise timeouts.invoke",
		"not sent again")
	sends := e.Mock.Sends()
	if len(sends) != 1 {
		t.Fatalf("mock recorded %d sends, want 1", len(sends))
	}
	if !strings.Contains(d.Detail, sends[0].ID) {
		t.Errorf("detail does not name message %s: %s", sends[0].ID, d.Detail)
	}
	if st := e.Mock.Stats(); st.ByEndpoint[mockapi.EndpointGetMessage] == 0 {
		t.Error("the wait never looked the message up")
	}
}

func TestSendMessageAction_protocolOutcomeUnknown(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	if err := e.Mock.SetFaults(mockapi.Faults{DropAfterRate: 1, Endpoints: mockapi.SendEndpoints}); err != nil {
		t.Fatal(err)
	}
	p := e.Protocol(t)
	inv := p.InvokeAction(sendMessageType, sendConfig(nil))
	wantDiag(t, inv.Diagnostics, "Outcome of Send Unknown", "", "did not retry", "arrived before invoking the action again")
	// The mock accepted the message before dropping the connection; the
	// action must not have sent it a second time.
	if st := e.Mock.Stats(); st.ByEndpoint[mockapi.EndpointSendMessage] != 1 || len(e.Mock.Sends()) != 1 {
		t.Errorf("mock saw %d send requests and %d sends, want 1 and 1", st.ByEndpoint[mockapi.EndpointSendMessage], len(e.Mock.Sends()))
	}
}

func TestSendMessageAction_protocolRefused(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	p := e.Protocol(t)
	inv := p.InvokeAction(sendMessageType, sendConfig(map[string]any{"to": mockapi.NumberNotWhatsApp}))
	wantDiag(t, inv.Diagnostics, "Unable to Send Message", "", mockapi.NumberNotWhatsApp, "nothing was sent", "422")
	if len(inv.Progress) != 0 {
		t.Errorf("progress = %q, want none", inv.Progress)
	}
	if n := len(e.Mock.Sends()); n != 0 {
		t.Errorf("mock recorded %d sends, want 0", n)
	}
}

// Terraform validates an action's configuration before its values are all
// known and does not validate it again before InvokeAction: Invoke checks
// the final values itself, before sending anything.
func TestSendMessageAction_protocolInvokeRechecksConfig(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	p := e.Protocol(t)
	inv := p.InvokeAction(sendMessageType, sendConfig(map[string]any{"destinations": []string{"+6421000002"}}))
	wantDiag(t, inv.Diagnostics, "Conflicting Recipients", "destinations")
	inv = p.InvokeAction(sendMessageType, sendConfig(map[string]any{"text": nil}))
	wantDiag(t, inv.Diagnostics, "Missing Message Content", "")
	inv = p.InvokeAction(sendMessageType, sendConfig(map[string]any{"scheduled": time.Now().Add(-time.Minute).Format(time.RFC3339)}))
	wantDiag(t, inv.Diagnostics, "Scheduled Time In The Past", "scheduled")
	if n := e.Requests(); n != 0 {
		t.Errorf("invalid invocations made %d API requests, want none", n)
	}
}

func TestSendMessageAction_protocolLargeBroadcastProgress(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	p := e.Protocol(t)
	numbers := make([]string, 150)
	for i := range numbers {
		numbers[i] = fmt.Sprintf("+64210%05d", i)
	}
	inv := p.InvokeAction(sendMessageType, sendConfig(map[string]any{"to": nil, "destinations": numbers}))
	wantNoDiags(t, "InvokeAction", inv.Diagnostics)
	if n := len(e.Mock.Sends()); n != 150 {
		t.Errorf("mock recorded %d sends, want 150", n)
	}
	// One line per number for the first 100, then a summary.
	if len(inv.Progress) != 101 {
		t.Fatalf("got %d progress events, want 101", len(inv.Progress))
	}
	wantProgress(t, inv.Progress[:100], progressLine(numbers[0], "accepted"), progressLine(numbers[99], "accepted"))
	if want := "50 more numbers answered; in all 150 accepted and 0 refused"; inv.Progress[100] != want {
		t.Errorf("last progress = %q, want %q", inv.Progress[100], want)
	}
}

func TestSendMessageAction_protocolUnregisteredSource(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	p := e.Protocol(t)
	inv := p.InvokeAction(sendMessageType, sendConfig(map[string]any{"to": nil, "source": "15559998888",
		"destinations": []string{"+6421000001", "+6421000002"}}))
	wantDiag(t, inv.Diagnostics, "Unable to Send Broadcast", "", "accepted none of the 2 numbers, so nothing was sent")
	if n := len(e.Mock.Sends()); n != 0 {
		t.Errorf("mock recorded %d sends, want 0", n)
	}
}

// Acceptance tests through the CLI. Actions need Terraform 1.14 or later;
// terraform-plugin-testing needs nothing more: an action runs when a
// terraform_data (builtin provider "terraform") with an action_trigger is
// created during a Config step's apply.

// actionsCLI skips a test on CLIs without actions (Terraform before 1.14,
// OpenTofu) with a message that says so.
var actionsCLI = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)}

// mockCheck is a state check that checks what the mock received. Unlike a
// legacy TestCheckFunc, which terraform-plugin-testing runs on a shimmed
// state that cannot hold modules, it works for resources in modules too.
type mockCheck func() error

func (c mockCheck) CheckState(_ context.Context, _ statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = c()
}

// checkActionSends checks how many messages the mock accepted in all, that none
// was a duplicate, and the text of the last one.
func checkActionSends(e *acctest.Env, want int, lastBody string) mockCheck {
	return func() error {
		sends := e.Mock.Sends()
		if len(sends) != want {
			return fmt.Errorf("mock recorded %d sends, want %d: %s", len(sends), want, describeSends(sends))
		}
		if d := e.Mock.Duplicates(); len(d) != 0 {
			return fmt.Errorf("mock recorded %d duplicate sends: %+v", len(d), d)
		}
		if want == 0 || lastBody == "" {
			return nil
		}
		var body struct {
			Text struct{ Body string } `json:"text"`
		}
		last := sends[len(sends)-1]
		if err := json.Unmarshal(last.Body, &body); err != nil || body.Text.Body != lastBody {
			return fmt.Errorf("last send's text.body = %q, want %q (body %s)", body.Text.Body, lastBody, last.Body)
		}
		return nil
	}
}

func describeSends(sends []mockapi.Send) string {
	parts := make([]string, len(sends))
	for i, s := range sends {
		parts[i] = fmt.Sprintf("%s %s %s", s.Destination, s.Status, s.Body)
	}
	return "[" + strings.Join(parts, "; ") + "]"
}

// sendLifecycleConfig sends one message each time terraform_data.deploy is
// created: on the first apply and whenever the version changes, which
// replaces it (triggers_replace). A change of input alone would update it in
// place and trigger nothing.
func sendLifecycleConfig(e *acctest.Env, version string) string {
	return e.Config(fmt.Sprintf(`
action "ezitxt_send_message" "deployed" {
  config {
    source = %[1]q
    to     = "+6421000001"
    text   = { body = "Deploy ${terraform_data.deploy.output} finished" }
  }
}

resource "terraform_data" "deploy" {
  input            = %[2]q
  triggers_replace = [%[2]q]

  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.ezitxt_send_message.deployed]
    }
  }
}
`, acctest.Source, version))
}

func TestAccSendMessageAction_lifecycleTrigger(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   actionsCLI,
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				// Creating the trigger sends exactly one message.
				Config: sendLifecycleConfig(e, "v1"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("terraform_data.deploy", plancheck.ResourceActionCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{checkActionSends(e, 1, "Deploy v1 finished")},
			},
			{
				// A no-op apply sends nothing.
				Config: sendLifecycleConfig(e, "v1"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				ConfigStateChecks: []statecheck.StateCheck{checkActionSends(e, 1, "Deploy v1 finished")},
			},
			{
				// A new version replaces the trigger, which sends one more.
				Config: sendLifecycleConfig(e, "v2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("terraform_data.deploy", plancheck.ResourceActionReplace),
				}},
				ConfigStateChecks: []statecheck.StateCheck{checkActionSends(e, 2, "Deploy v2 finished")},
			},
		},
	})
}

func TestAccSendMessageAction_module(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	// terraform-plugin-testing copies only the files of a config directory,
	// not its subdirectories, so the module is referred to by absolute path
	// (Terraform installs such a source by copying it).
	dir, err := filepath.Abs(filepath.Join("testdata", t.Name(), "notify"))
	if err != nil {
		t.Fatal(err)
	}
	// terraform-plugin-testing runs terraform init with a step's config only
	// when the step has its own provider factories and the config comes from
	// a file or directory, so each step's config is written to a file.
	cfg := func(release string) config.TestStepConfigFunc {
		file := filepath.Join(t.TempDir(), "main.tf")
		hcl := e.Config(fmt.Sprintf(`
module "notify" {
  source     = %q
  source_id  = %q
  recipients = ["+6421000001", "+6421000002"]
  release    = %q
}
`, dir, acctest.Source, release))
		if err := os.WriteFile(file, []byte(hcl), 0o600); err != nil {
			t.Fatal(err)
		}
		return config.StaticFile(file)
	}
	checkRelease := func(want int, release string) []statecheck.StateCheck {
		return []statecheck.StateCheck{checkActionSends(e, want, "Release "+release+" is live."), mockCheck(func() error {
			got := sendCounts(e.Mock.Sends())
			for _, n := range []string{"+6421000001", "+6421000002"} {
				if got[n] != want/2 {
					return fmt.Errorf("mock recorded %d sends to %s, want %d", got[n], n, want/2)
				}
			}
			return nil
		})}
	}
	empty := filepath.Join(t.TempDir(), "main.tf")
	if err := os.WriteFile(empty, []byte(e.Config("")), 0o600); err != nil {
		t.Fatal(err)
	}
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks: actionsCLI,
		Steps: []resource.TestStep{
			{ProtoV6ProviderFactories: e.Factories(), ConfigFile: cfg("2026.1"), ConfigStateChecks: checkRelease(2, "2026.1")},
			{
				ProtoV6ProviderFactories: e.Factories(),
				ConfigFile:               cfg("2026.1"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				ConfigStateChecks: checkRelease(2, "2026.1"),
			},
			{
				ProtoV6ProviderFactories: e.Factories(),
				ConfigFile:               cfg("2026.2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("module.notify.terraform_data.release", plancheck.ResourceActionReplace),
				}},
				ConfigStateChecks: checkRelease(4, "2026.2"),
			},
			{
				// Removing the module sends nothing, and leaves a state
				// without modules, which terraform-plugin-testing needs to
				// finish the test.
				ProtoV6ProviderFactories: e.Factories(),
				ConfigFile:               config.StaticFile(empty),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("module.notify.terraform_data.release", plancheck.ResourceActionDestroy),
				}},
				ConfigStateChecks: checkRelease(4, "2026.2"),
			},
		},
	})
}

func TestAccSendMessageAction_broadcastPartialFailure(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	cfg := e.Config(fmt.Sprintf(`
action "ezitxt_send_message" "maintenance" {
  config {
    source       = %q
    destinations = ["+6421000001", %q, "+6421000002"]
    text         = { body = "Maintenance tonight at 22:00" }
  }
}

resource "terraform_data" "window" {
  input = "2026-12-01"

  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.ezitxt_send_message.maintenance]
    }
  }
}
`, acctest.Source, mockapi.NumberNotWhatsApp))
	accepted := []string{"+6421000001", "+6421000002"}
	checkOnce := func() error {
		got := sendCounts(e.Mock.Sends())
		for _, n := range accepted {
			if got[n] != 1 {
				return fmt.Errorf("mock recorded %d sends to %s, want exactly 1: %s", got[n], n, describeSends(e.Mock.Sends()))
			}
		}
		if st := e.Mock.Stats(); st.ByEndpoint[mockapi.EndpointBroadcast] != 1 {
			return fmt.Errorf("mock saw %d broadcast requests, want 1", st.ByEndpoint[mockapi.EndpointBroadcast])
		}
		return nil
	}
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   actionsCLI,
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ExpectError: regexp.MustCompile(`Broadcast Refused for Some Numbers[\s\S]*refused 1 of 3[\s\S]*` +
					regexp.QuoteMeta(mockapi.NumberNotWhatsApp) + `[\s\S]*2 numbers\s+were\s+accepted`),
			},
			{
				// The failed action did not taint the trigger: the next apply
				// is a no-op and sends to nobody again.
				PreConfig: func() {
					if err := checkOnce(); err != nil {
						t.Error(err)
					}
				},
				Config:            cfg,
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{mockCheck(checkOnce)},
			},
		},
	})
}

func TestAccSendMessageAction_waitForRead(t *testing.T) {
	t.Parallel()
	e := acctest.New(t, acctest.ClockSpeed(1000))
	cfg := e.Config(fmt.Sprintf(`
action "ezitxt_send_message" "ping" {
  config {
    source          = %q
    to              = "+6421000001"
    text            = { body = "Please confirm you got this" }
    wait_for_status = "read"
    timeouts        = { invoke = "2m" }
  }
}

resource "terraform_data" "ping" {
  input = "1"

  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.ezitxt_send_message.ping]
    }
  }
}
`, acctest.Source))
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   actionsCLI,
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{{
			Config: cfg,
			ConfigStateChecks: []statecheck.StateCheck{checkActionSends(e, 1, "Please confirm you got this"), mockCheck(func() error {
				id := e.Mock.Sends()[0].ID
				if m, ok := e.Mock.Message(id); !ok || m.Status != mockapi.StatusRead {
					return fmt.Errorf("message %s: status %q, want read", id, m.Status)
				}
				return nil
			})},
		}},
	})
}

func TestAccSendMessageAction_invalidConfig(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	cfg := func(config string) string {
		return e.Config(fmt.Sprintf(`
action "ezitxt_send_message" "bad" {
  config {
    source = %q
    text   = { body = "Hello" }
%s
  }
}

resource "terraform_data" "trigger" {
  input = "1"

  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.ezitxt_send_message.bad]
    }
  }
}
`, acctest.Source, config))
	}
	past := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   actionsCLI,
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				Config:      cfg(`    to = "+6421000001"` + "\n" + `    destinations = ["+6421000002"]`),
				ExpectError: regexp.MustCompile(`Conflicting Recipients[\s\S]*Set to for one\s+message or destinations`),
			},
			{
				Config:      cfg(`    to = "021 000 001"`),
				ExpectError: regexp.MustCompile(`Attribute to must be a phone number in E.164 format`),
			},
			{
				Config:      cfg(`    to = "+6421000001"` + "\n" + `    scheduled = "` + past + `"`),
				ExpectError: regexp.MustCompile(`Scheduled Time In The Past[\s\S]*remove\s+scheduled\s+to\s+send\s+immediately`),
			},
		},
	})
	// Invalid configurations never reach the API.
	if n := e.Requests(); n != 0 {
		t.Errorf("invalid configurations made %d API requests, want none", n)
	}
}

// TestAccSendMessageAction_invoke drives the action with
// `terraform apply -invoke`, which terraform-plugin-testing cannot run, and
// checks the progress Terraform prints.
func TestAccSendMessageAction_invoke(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	cli := e.CLI(t, tfversion.Version1_14_0)
	cli.WriteConfig(fmt.Sprintf(`
action "ezitxt_send_message" "announce" {
  config {
    source       = %q
    destinations = ["+6421000001", "+6421000002"]
    text         = { body = "Service restored" }
  }
}

action "ezitxt_send_message" "partial" {
  config {
    source       = %q
    destinations = ["+6421000003", %q]
    text         = { body = "Service degraded" }
  }
}
`, acctest.Source, acctest.Source, mockapi.NumberNotWhatsApp))
	cli.MustRun("init")

	// A plain apply invokes nothing: the actions have no trigger.
	cli.MustRun("apply", "-auto-approve")
	if n := len(e.Mock.Sends()); n != 0 {
		t.Fatalf("a plain apply sent %d messages, want none", n)
	}

	out := cli.MustRun("apply", "-auto-approve", "-invoke=action.ezitxt_send_message.announce")
	sends := e.Mock.Sends()
	if len(sends) != 2 {
		t.Fatalf("apply -invoke sent %d messages, want 2: %s", len(sends), describeSends(sends))
	}
	for _, s := range sends {
		if want := fmt.Sprintf("%s: message %s accepted", s.Destination, s.ID); !strings.Contains(out, want) {
			t.Errorf("the CLI output does not show the progress %q", want)
		}
	}

	// Each invocation sends anew: that is what an action is for.
	cli.MustRun("apply", "-auto-approve", "-invoke=action.ezitxt_send_message.announce")
	if got := sendCounts(e.Mock.Sends()); got["+6421000001"] != 2 || got["+6421000002"] != 2 {
		t.Errorf("after two invocations the mock recorded %v, want 2 sends to each number", got)
	}

	// A partial failure fails the command, names the refused number, and
	// sends to the accepted one once.
	out, err := cli.Run("apply", "-auto-approve", "-invoke=action.ezitxt_send_message.partial")
	if err == nil {
		t.Error("apply -invoke of a partly refused broadcast succeeded, want an error")
	}
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`Broadcast Refused for Some Numbers`),
		regexp.MustCompile(`refused 1 of 2 numbers:\s+` + regexp.QuoteMeta(mockapi.NumberNotWhatsApp)),
		progressLineIn("+6421000003", "accepted"),
		progressLineIn(mockapi.NumberNotWhatsApp, "failed"),
	} {
		if !want.MatchString(out) {
			t.Errorf("the CLI output does not match %s", want)
		}
	}
	if got := sendCounts(e.Mock.Sends()); got["+6421000003"] != 1 {
		t.Errorf("the mock recorded %d sends to +6421000003, want 1", got["+6421000003"])
	}
}

// progressLineIn matches the progress of one message within CLI output.
func progressLineIn(number, status string) *regexp.Regexp {
	return regexp.MustCompile(regexp.QuoteMeta(number) +
		`: message [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12} ` + status + `\b`)
}

// TestActionSchemas_described checks that every attribute of both actions,
// nested ones included, has a Markdown description for the docs.
func TestActionSchemas_described(t *testing.T) {
	t.Parallel()
	p := acctest.New(t).Protocol(t)
	for _, name := range []string{sendMessageType, markReadType} {
		s := p.Schema.ActionSchemas[name]
		if s == nil || s.Schema == nil || s.Schema.Block == nil {
			t.Fatalf("no schema for %s", name)
		}
		if s.Schema.Block.Description == "" {
			t.Errorf("%s has no description", name)
		}
		var walk func(prefix string, attrs []*tfprotov6.SchemaAttribute)
		walk = func(prefix string, attrs []*tfprotov6.SchemaAttribute) {
			for _, a := range attrs {
				if a.Description == "" || a.DescriptionKind != tfprotov6.StringKindMarkdown {
					t.Errorf("%s: attribute %s%s has no Markdown description", name, prefix, a.Name)
				}
				if a.NestedType != nil {
					walk(prefix+a.Name+".", a.NestedType.Attributes)
				}
			}
		}
		walk("", s.Schema.Block.Attributes)
	}
}
