package provider_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/acctest"
	"github.com/ezitxt/terraform-provider-ezitxt/internal/mockapi"
)

// Protocol-level tests of ezitxt_message and ezitxt_broadcast: they drive
// the provider as Terraform does, without a CLI, to check what the CLI
// tests cannot see: the warnings (terraform-plugin-testing offers no check
// on them), and what is sent or not when they appear.

// resourceDriver drives one resource type through the plugin protocol.
type resourceDriver struct {
	t    *testing.T
	p    *acctest.Protocol
	name string
	typ  tftypes.Type
	// computed are the attributes only the provider sets, which a proposed
	// new state takes from the prior state.
	computed map[string]bool
}

func newResourceDriver(t *testing.T, e *acctest.Env, name string) *resourceDriver {
	t.Helper()
	return newProtocolDriver(t, e.Protocol(t), name)
}

// newProtocolDriver is newResourceDriver on a provider already configured
// (with acctest.Env.ProtocolWithProvider, for example).
func newProtocolDriver(t *testing.T, p *acctest.Protocol, name string) *resourceDriver {
	t.Helper()
	s, ok := p.Schema.ResourceSchemas[name]
	if !ok {
		t.Fatalf("no resource %s", name)
	}
	d := &resourceDriver{t: t, p: p, name: name, typ: s.Block.ValueType(), computed: map[string]bool{}}
	for _, a := range s.Block.Attributes {
		if a.Computed && !a.Optional && !a.Required {
			d.computed[a.Name] = true
		}
	}
	return d
}

func (d *resourceDriver) value(attrs map[string]any) tftypes.Value {
	d.t.Helper()
	if attrs == nil {
		return tftypes.NewValue(d.typ, nil)
	}
	v, err := acctest.Value(d.typ, attrs)
	if err != nil {
		d.t.Fatalf("%s value: %v", d.name, err)
	}
	return v
}

func (d *resourceDriver) dynamic(v tftypes.Value) *tfprotov6.DynamicValue {
	d.t.Helper()
	dv, err := tfprotov6.NewDynamicValue(d.typ, v)
	if err != nil {
		d.t.Fatal(err)
	}
	return &dv
}

func (d *resourceDriver) decode(dv *tfprotov6.DynamicValue) tftypes.Value {
	d.t.Helper()
	if dv == nil {
		return tftypes.NewValue(d.typ, nil)
	}
	v, err := dv.Unmarshal(d.typ)
	if err != nil {
		d.t.Fatal(err)
	}
	return v
}

// proposed merges config with the prior state as Terraform does for the
// attributes only the provider sets.
func (d *resourceDriver) proposed(prior, config tftypes.Value) tftypes.Value {
	d.t.Helper()
	if config.IsNull() || prior.IsNull() {
		return config
	}
	var p, c map[string]tftypes.Value
	if err := prior.As(&p); err != nil {
		d.t.Fatal(err)
	}
	if err := config.As(&c); err != nil {
		d.t.Fatal(err)
	}
	out := make(map[string]tftypes.Value, len(c))
	for k, v := range c {
		out[k] = v
		if d.computed[k] {
			out[k] = p[k]
		}
	}
	return tftypes.NewValue(d.typ, out)
}

// plan calls PlanResourceChange from prior (null: create) to config (nil:
// destroy).
func (d *resourceDriver) plan(prior tftypes.Value, config map[string]any) *tfprotov6.PlanResourceChangeResponse {
	d.t.Helper()
	cfg := d.value(config)
	resp, err := d.p.Server.PlanResourceChange(context.Background(), &tfprotov6.PlanResourceChangeRequest{
		TypeName: d.name, PriorState: d.dynamic(prior), ProposedNewState: d.dynamic(d.proposed(prior, cfg)), Config: d.dynamic(cfg),
	})
	if err != nil {
		d.t.Fatalf("PlanResourceChange: %v", err)
	}
	return resp
}

// create plans and applies config from nothing, and returns the new state
// and the diagnostics of both calls.
func (d *resourceDriver) create(config map[string]any) (tftypes.Value, []*tfprotov6.Diagnostic) {
	d.t.Helper()
	return d.createContext(context.Background(), config)
}

// createContext is create with the apply's context, as Terraform cancels it
// on an interrupt.
func (d *resourceDriver) createContext(ctx context.Context, config map[string]any) (tftypes.Value, []*tfprotov6.Diagnostic) {
	d.t.Helper()
	null := d.value(nil)
	plan := d.plan(null, config)
	if acctest.HasError(plan.Diagnostics) {
		d.t.Fatalf("plan %s: %s", d.name, acctest.FormatDiagnostics(plan.Diagnostics))
	}
	resp, err := d.p.Server.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{
		TypeName: d.name, PriorState: d.dynamic(null), PlannedState: plan.PlannedState, Config: d.dynamic(d.value(config)),
	})
	if err != nil {
		d.t.Fatalf("ApplyResourceChange: %v", err)
	}
	return d.decode(resp.NewState), append(plan.Diagnostics, resp.Diagnostics...)
}

// read refreshes state.
func (d *resourceDriver) read(state tftypes.Value) (tftypes.Value, []*tfprotov6.Diagnostic) {
	d.t.Helper()
	resp, err := d.p.Server.ReadResource(context.Background(), &tfprotov6.ReadResourceRequest{TypeName: d.name, CurrentState: d.dynamic(state)})
	if err != nil {
		d.t.Fatalf("ReadResource: %v", err)
	}
	return d.decode(resp.NewState), resp.Diagnostics
}

// attr returns a top-level attribute of a state.
func attr(t *testing.T, v tftypes.Value, name string) tftypes.Value {
	t.Helper()
	var m map[string]tftypes.Value
	if err := v.As(&m); err != nil {
		t.Fatalf("state is not an object: %v", err)
	}
	return m[name]
}

// str returns a string attribute of a state ("" when null).
func str(t *testing.T, v tftypes.Value, name string) string {
	t.Helper()
	var s string
	a := attr(t, v, name)
	if a.IsNull() {
		return ""
	}
	if err := a.As(&s); err != nil {
		t.Fatalf("%s is not a string: %v", name, err)
	}
	return s
}

// expectWarning fails t unless diags hold no error and exactly one warning
// with summary, whose detail contains every fragment.
func expectWarning(t *testing.T, diags []*tfprotov6.Diagnostic, summary string, fragments ...string) {
	t.Helper()
	if acctest.HasError(diags) {
		t.Errorf("unexpected error: %s", acctest.FormatDiagnostics(diags))
	}
	var found []*tfprotov6.Diagnostic
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityWarning && d.Summary == summary {
			found = append(found, d)
		}
	}
	if len(found) != 1 {
		t.Errorf("want one warning %q, got %d among: %s", summary, len(found), acctest.FormatDiagnostics(diags))
		return
	}
	for _, f := range fragments {
		if !strings.Contains(found[0].Detail, f) {
			t.Errorf("%q: detail lacks %q: %s", summary, f, found[0].Detail)
		}
	}
}

func textMessage(to, body string) map[string]any {
	return map[string]any{"source": acctest.Source, "to": to, "text": map[string]any{"body": body}}
}

// TestProtocolMessage_droppedSend: a send whose connection drops after the
// mock accepted it is kept in state as unknown with a warning that says how
// to check and how to resend; refresh repeats the warning and sends nothing.
func TestProtocolMessage_droppedSend(t *testing.T) {
	t.Parallel()
	e := acctest.New(t, func(o *mockapi.Options) {
		o.Faults = mockapi.Faults{Seed: 1, DropAfterRate: 1, Endpoints: []mockapi.Endpoint{mockapi.EndpointSendMessage}}
	})
	d := newResourceDriver(t, e, "ezitxt_message")
	state, diags := d.create(textMessage("+6421900001", "Deploy finished"))
	expectWarning(t, diags, "Outcome of Send Unknown",
		"+6421900001", `status "unknown"`, "terraform apply -replace=")
	if str(t, state, "status") != "unknown" || str(t, state, "id") != "" {
		t.Errorf("state: status %q id %q, want unknown and empty", str(t, state, "status"), str(t, state, "id"))
	}
	before := e.Requests()
	_, diags = d.read(state)
	expectWarning(t, diags, "Outcome of Send Unknown", "apply -replace")
	if e.Requests() != before {
		t.Errorf("refresh of an unknown send made %d requests, want 0", e.Requests()-before)
	}
	expectSends(t, e.Mock, 1)
}

// TestProtocolMessage_forgotten: a 404 on refresh is a warning; the state
// keeps the message and its last status.
func TestProtocolMessage_forgotten(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	d := newResourceDriver(t, e, "ezitxt_message")
	state, diags := d.create(textMessage("+6421900002", "hello"))
	if acctest.HasError(diags) || len(diags) > 0 {
		t.Fatalf("create: %s", acctest.FormatDiagnostics(diags))
	}
	e.Mock.Reset()
	refreshed, diags := d.read(state)
	expectWarning(t, diags, "Message Not Found", str(t, state, "id"), "not sent again")
	if !refreshed.Equal(state) {
		t.Errorf("refresh after a 404 changed the state:\n%s\nto\n%s", state, refreshed)
	}
	if st := e.Mock.Stats(); st.Sends != 0 {
		t.Errorf("%d sends after the API forgot the message", st.Sends)
	}
}

// TestProtocolMessage_planWarnings: replacing or destroying a sent message
// says what happens to the message.
func TestProtocolMessage_planWarnings(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	d := newResourceDriver(t, e, "ezitxt_message")
	at := time.Now().Add(2 * time.Hour).UTC().Format(time.RFC3339)
	cfg := textMessage("+6421900003", "one")
	cfg["scheduled"] = at
	state, diags := d.create(cfg)
	if acctest.HasError(diags) {
		t.Fatal(acctest.FormatDiagnostics(diags))
	}

	changed := textMessage("+6421900003", "two")
	changed["scheduled"] = at
	plan := d.plan(state, changed)
	expectWarning(t, plan.Diagnostics, "Changing a Sent Message Sends a New One",
		"change of text", str(t, state, "id"), "+6421900003", "sends a new message")
	if len(plan.RequiresReplace) != 1 || !plan.RequiresReplace[0].Equal(tftypes.NewAttributePath().WithAttributeName("text")) {
		t.Errorf("RequiresReplace = %v, want [text]", plan.RequiresReplace)
	}

	plan = d.plan(state, nil)
	expectWarning(t, plan.Diagnostics, "Destroying a Message Does Not Unsend It",
		"only removed from Terraform state", "scheduled for", "will still be delivered")

	// A plan that changes nothing says nothing.
	if plan := d.plan(state, cfg); len(plan.Diagnostics) > 0 || len(plan.RequiresReplace) > 0 {
		t.Errorf("no-op plan: %s, replace %v", acctest.FormatDiagnostics(plan.Diagnostics), plan.RequiresReplace)
	}
	expectSends(t, e.Mock, 1)
}

// TestProtocolMessage_waitTimeout: on a frozen mock clock the message never
// gets past accepted; the wait ends at wait_timeout with a warning, not
// an error (an error would taint the resource and the next apply would send
// it again).
func TestProtocolMessage_waitTimeout(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	d := newResourceDriver(t, e, "ezitxt_message")
	cfg := textMessage("+6421900004", "hello")
	cfg["wait_for_status"] = "read"
	cfg["wait_timeout"] = "300ms"
	state, diags := d.create(cfg)
	expectWarning(t, diags, "Message Status Not Reached in Time",
		`did not reach "read" within 300ms`, "last status: accepted", "will not be sent again")
	if str(t, state, "status") != "accepted" || !uuidRe.MatchString(str(t, state, "id")) {
		t.Errorf("state: status %q id %q", str(t, state, "status"), str(t, state, "id"))
	}

	// With a schedule a day ahead the plan says the wait cannot succeed.
	cfg["scheduled"] = time.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339)
	plan := d.plan(d.value(nil), cfg)
	expectWarning(t, plan.Diagnostics, "Scheduled Message Cannot Reach Status in Time",
		`stays "accepted" until then`)
	expectSends(t, e.Mock, 1)
}

// TestProtocolMessage_waitInterrupted: an interrupt while waiting for a
// status says so, not that the timeout passed, and keeps the message.
func TestProtocolMessage_waitInterrupted(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	d := newResourceDriver(t, e, "ezitxt_message")
	cfg := textMessage("+6421900005", "hello")
	cfg["wait_for_status"] = "read"
	cfg["wait_timeout"] = "5m"
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel)
	state, diags := d.createContext(ctx, cfg)
	expectWarning(t, diags, "Wait for Message Status Interrupted", `waiting for "read" was interrupted`, "will not be sent again")
	for _, dg := range diags {
		if strings.Contains(dg.Detail, "within 5m") {
			t.Errorf("an interrupted wait reported the timeout: %s", dg.Detail)
		}
	}
	if !uuidRe.MatchString(str(t, state, "id")) {
		t.Errorf("state id %q, want the message kept", str(t, state, "id"))
	}
	expectSends(t, e.Mock, 1)
}

func textBroadcast(numbers []string, body string) map[string]any {
	return map[string]any{"source": acctest.Source, "destinations": numbers, "text": map[string]any{"body": body}}
}

// TestProtocolBroadcast_warnings: a refused number is a warning, not an
// error (an error would taint the broadcast and the next apply would send
// to every number again); refresh warns about forgotten messages and keeps
// them; a change of content warns that every number is sent to again.
func TestProtocolBroadcast_warnings(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	d := newResourceDriver(t, e, "ezitxt_broadcast")
	numbers := []string{"+6421900010", mockapi.NumberNotWhatsApp, "+6421900011"}
	state, diags := d.create(textBroadcast(numbers, "hello"))
	expectWarning(t, diags, "Some Destinations Were Refused",
		"refused 1 of 3 numbers: "+mockapi.NumberNotWhatsApp, "not retried", "will not be sent to again")

	plan := d.plan(state, textBroadcast(numbers, "hello again"))
	expectWarning(t, plan.Diagnostics, "Changing a Sent Broadcast Sends It Again",
		"change of text", "every one of its 3 numbers, including the 3 already sent to")
	// A number listed twice counts once; a number removed is not among
	// those sent to again (red-team pass).
	plan = d.plan(state, textBroadcast([]string{numbers[2], numbers[2], "+6421900019"}, "hello again"))
	expectWarning(t, plan.Diagnostics, "Changing a Sent Broadcast Sends It Again",
		"every one of its 2 numbers, including the 1 already sent to.")
	plan = d.plan(state, textBroadcast([]string{"+6421900019"}, "hello again"))
	expectWarning(t, plan.Diagnostics, "Changing a Sent Broadcast Sends It Again", "apply sends the new message to its one number.")

	plan = d.plan(state, nil)
	expectWarning(t, plan.Diagnostics, "Destroying a Broadcast Does Not Unsend It", "3 numbers")

	// The first number dropped, two appended: the plan names the two.
	plan = d.plan(state, textBroadcast(append(slices.Clone(numbers[1:]), "+6421900012", "+6421900013"), "hello"))
	expectWarning(t, plan.Diagnostics, "Broadcast Sends to Numbers Not Sent to Yet",
		"2 numbers have no outcome yet: +6421900012, +6421900013. Apply sends the broadcast ", " to them.", "other 2 numbers have an outcome",
		"1 number is removed from destinations: +6421900010. Apply only drops its outcome from the state: nothing is sent to it, "+
			"and a message sent before is not recalled. Adding it back later sends to it again.")
	plan = d.plan(state, textBroadcast(append(slices.Clone(numbers), "+6421900012"), "hello"))
	expectWarning(t, plan.Diagnostics, "Broadcast Sends to Numbers Not Sent to Yet",
		"1 number has no outcome yet: +6421900012. Apply sends the broadcast ", " to it.", "other 3 numbers")
	for _, diag := range plan.Diagnostics {
		if strings.Contains(diag.Detail, "removed from destinations") {
			t.Errorf("a plan that removes no number names removed ones: %s", diag.Detail)
		}
	}
	// Two dropped, one appended.
	plan = d.plan(state, textBroadcast([]string{numbers[2], "+6421900012"}, "hello"))
	expectWarning(t, plan.Diagnostics, "Broadcast Sends to Numbers Not Sent to Yet", "1 number has no outcome yet: +6421900012.",
		"The other number has an outcome already", "2 numbers are removed from destinations: "+mockapi.NumberNotWhatsApp+", +6421900010"+
			". Apply only drops their outcomes from the state: nothing is sent to them, and messages sent before are not recalled.")
	plan = d.plan(state, textBroadcast(numbers[:2], "hello"))
	for _, diag := range plan.Diagnostics {
		if diag.Summary == "Broadcast Sends to Numbers Not Sent to Yet" {
			t.Errorf("a plan that only removes a number warns that it sends: %s", diag.Detail)
		}
	}
	expectWarning(t, plan.Diagnostics, "Broadcast Forgets Removed Numbers",
		"1 number is removed from destinations: +6421900011. Apply only drops its outcome from the state: nothing is sent to it",
		"The 2 numbers left are not sent to again.")
	plan = d.plan(state, textBroadcast(numbers[2:], "hello"))
	expectWarning(t, plan.Diagnostics, "Broadcast Forgets Removed Numbers",
		"2 numbers are removed from destinations: "+mockapi.NumberNotWhatsApp+", +6421900010.", "The number left is not sent to again.")
	// Every number replaced: the warning does not say the broadcast has no
	// outcome while naming the outcomes it drops (red-team pass).
	plan = d.plan(state, textBroadcast([]string{"+6421900020"}, "hello"))
	expectWarning(t, plan.Diagnostics, "Broadcast Sends to Numbers Not Sent to Yet",
		"1 number has no outcome yet: +6421900020.", "None of the numbers in destinations has an outcome yet. 3 numbers are removed",
		"Adding one back later sends to it again.")
	// Reordering removes nothing and warns about nothing.
	plan = d.plan(state, textBroadcast([]string{numbers[2], numbers[0], numbers[1]}, "hello"))
	for _, diag := range plan.Diagnostics {
		if diag.Severity == tfprotov6.DiagnosticSeverityWarning {
			t.Errorf("a reorder warns: %s: %s", diag.Summary, diag.Detail)
		}
	}

	e.Mock.Reset()
	refreshed, diags := d.read(state)
	expectWarning(t, diags, "Broadcast Messages Not Found",
		"2 numbers", "+6421900010, +6421900011", "not sent to again")
	if !refreshed.Equal(state) {
		t.Errorf("refresh after 404s changed the state")
	}
	if st := e.Mock.Stats(); st.Sends != 0 {
		t.Errorf("%d sends after the API forgot the broadcast", st.Sends)
	}
}

// TestProtocolBroadcast_droppedBatch: the numbers of a batch whose outcome
// is unknown are recorded as unknown with a warning, on apply and on every
// refresh; they are never looked up or sent to.
func TestProtocolBroadcast_droppedBatch(t *testing.T) {
	t.Parallel()
	e := acctest.New(t, func(o *mockapi.Options) {
		o.Faults = mockapi.Faults{Seed: 1, DropAfterRate: 1, Endpoints: []mockapi.Endpoint{mockapi.EndpointBroadcast}}
	})
	d := newResourceDriver(t, e, "ezitxt_broadcast")
	state, diags := d.create(textBroadcast([]string{"+6421900020", "+6421900021"}, "hello"))
	expectWarning(t, diags, "Outcome of Some Sends Unknown",
		`2 numbers of that batch are recorded with status "unknown"`)
	before := e.Mock.Stats().ByEndpoint[mockapi.EndpointGetMessage]
	_, diags = d.read(state)
	expectWarning(t, diags, "Outcome of Some Sends Unknown",
		"2 numbers", "+6421900020, +6421900021", "remove it from destinations, apply, and add it back")
	if got := e.Mock.Stats().ByEndpoint[mockapi.EndpointGetMessage]; got != before {
		t.Errorf("refresh looked up %d messages of unknown sends", got-before)
	}
	expectSends(t, e.Mock, 2)
}
