package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/action/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/client"
)

// maxProgressMessages caps the per-message progress lines of one invocation:
// a broadcast to more numbers reports the first ones and then a summary, so
// that a 10,000-number broadcast does not print 10,000 lines.
const maxProgressMessages = 100

var (
	_ action.ActionWithConfigure      = (*sendMessageAction)(nil)
	_ action.ActionWithModifyPlan     = (*sendMessageAction)(nil)
	_ action.ActionWithValidateConfig = (*sendMessageAction)(nil)
)

// NewSendMessageAction returns the ezitxt_send_message action.
func NewSendMessageAction() action.Action { return &sendMessageAction{} }

type sendMessageAction struct {
	data *providerData
}

type sendMessageModel struct {
	Source       types.String `tfsdk:"source"`
	To           types.String `tfsdk:"to"`
	Destinations types.List   `tfsdk:"destinations"`
	contentModel
	Scheduled     scheduledDateTime `tfsdk:"scheduled"`
	Reference     types.String      `tfsdk:"reference"`
	WaitForStatus types.String      `tfsdk:"wait_for_status"`
	Timeouts      timeouts.Value    `tfsdk:"timeouts"`
}

func (a *sendMessageAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_send_message"
}

func (a *sendMessageAction) Schema(ctx context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	to := toSpec(false)
	to.desc += " Set exactly one of `to` and `destinations`."
	attrs := actionAttributes(mergeSpecs(sendSpecs(), contentSpecs(), map[string]inputSpec{
		"to": to,
		"destinations": {kind: kindStringList,
			desc: "Phone numbers in E.164 format to broadcast to, sent in batches of at most 1,000. Set exactly one of " +
				"`to` and `destinations`.",
			listV: []validator.List{listvalidator.SizeAtLeast(1), listvalidator.ValueStringsAre(e164Validator)}},
	}))
	attrs["wait_for_status"] = schema.StringAttribute{
		Optional: true,
		MarkdownDescription: "Wait until every message sent reaches this status or a later one in delivery order: " +
			codeList(waitStatuses) + ". A message that ends in a failure status (`failed`, `rejected`, `dead`, " +
			"`expired`) fails the action, and so does reaching the timeout (`timeouts.invoke`, default `10m`). " +
			"Nothing is sent again either way. A scheduled message stays `accepted` until its time.",
		Validators: []validator.String{stringvalidator.OneOf(waitStatuses...)},
	}
	attrs["timeouts"] = invokeTimeoutsAttribute(ctx)
	resp.Schema = schema.Schema{
		MarkdownDescription: "Sends a WhatsApp message, or a broadcast to many numbers, once each time the action is " +
			"invoked: from a resource's `lifecycle { action_trigger { ... } }` or with `terraform apply -invoke`. " +
			"Requires Terraform 1.14 or later (OpenTofu has no actions: use `ezitxt_message` or `ezitxt_broadcast`).\n\n" +
			"It takes the same inputs as `ezitxt_message`, with `to` for one number or `destinations` for many, and " +
			"reports each message sent (number, message ID and status) as progress, for at most the first 100 numbers. " +
			"Nothing is kept in state: every invocation sends anew, so trigger it from an event that happens once per " +
			"send, such as `after_create` of a `terraform_data` whose input changes when a message is due.\n\n" +
			"A send whose outcome is unknown (the connection failed after the request was written) is never retried. " +
			"When a broadcast is refused for some numbers, the action fails and lists them; the numbers that were " +
			"accepted have been sent to and are not sent to again by this invocation. A failed action does not taint " +
			"the resource that triggered it, so the next apply does not send again.",
		Attributes: attrs,
	}
}

func (a *sendMessageAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// ValidateConfig requires exactly one content attribute and exactly one of to
// and destinations.
func (a *sendMessageAction) ValidateConfig(ctx context.Context, req action.ValidateConfigRequest, resp *action.ValidateConfigResponse) {
	resp.Diagnostics.Append(validateSendConfig(ctx, req.Config)...)
}

// ModifyPlan checks the schedule against the clock, as the message resource
// does for a planned send, and refuses a wait that cannot end before its
// timeout because the message is scheduled later than that.
func (a *sendMessageAction) ModifyPlan(ctx context.Context, req action.ModifyPlanRequest, resp *action.ModifyPlanResponse) {
	// Read only the attributes needed: content objects may still be unknown
	// as a whole, which the content model cannot hold.
	var w scheduleWait
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("scheduled"), &w.Scheduled)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("wait_for_status"), &w.WaitForStatus)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("timeouts"), &w.Timeouts)...)
	if resp.Diagnostics.HasError() {
		return
	}
	now := a.data.now()
	checkPlannedSchedule(path.Root("scheduled"), w.Scheduled, now, &resp.Diagnostics)
	resp.Diagnostics.Append(w.check(ctx, now)...)
}

func (a *sendMessageAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var m sendMessageModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	// Plan-time checks saw unknown values as valid; the values are final now.
	resp.Diagnostics.Append(validateSendConfig(ctx, req.Config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	checkPlannedSchedule(path.Root("scheduled"), m.Scheduled, a.data.now(), &resp.Diagnostics)
	c := a.data.apiClient(&resp.Diagnostics, "invoke ezitxt_send_message")
	if resp.Diagnostics.HasError() {
		return
	}
	var scheduled *time.Time
	if !m.Scheduled.IsNull() {
		t, d := m.Scheduled.ValueRFC3339Time()
		resp.Diagnostics.Append(d...)
		scheduled = &t
	}
	if resp.Diagnostics.HasError() {
		return
	}
	progress := func(format string, args ...any) {
		resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf(format, args...)})
	}

	var sent []sentMessage
	if !m.To.IsNull() {
		sent = a.sendOne(ctx, c, m, scheduled, progress, &resp.Diagnostics)
	} else {
		sent = a.sendBroadcast(ctx, c, m, scheduled, progress, &resp.Diagnostics)
	}
	if m.WaitForStatus.IsNull() || len(sent) == 0 {
		return
	}
	a.wait(ctx, c, m, sent, progress, &resp.Diagnostics)
}

// invokeTimeoutsAttribute is the timeouts attribute of an action whose only
// timeout bounds a wait for delivery statuses.
func invokeTimeoutsAttribute(ctx context.Context) schema.Attribute {
	a := timeouts.AttributesWithOpts(ctx, timeouts.Opts{
		InvokeDescription: "How long `wait_for_status` waits, as a duration such as `30s` or `5m`. Defaults to `10m`.",
	})
	nested, ok := a.(schema.SingleNestedAttribute)
	if !ok {
		return a
	}
	nested.MarkdownDescription = "Timeouts of the action: `invoke` bounds the wait of `wait_for_status`."
	if invoke, ok := nested.Attributes["invoke"].(schema.StringAttribute); ok {
		invoke.MarkdownDescription = invoke.Description
		invoke.Validators = []validator.String{timeoutValidator}
		nested.Attributes["invoke"] = invoke
	}
	return nested
}

// validateSendConfig holds the checks of the action's configuration that
// attribute validators cannot express. Values still unknown are given the
// benefit of the doubt; Invoke runs the checks again on the final values.
func validateSendConfig(ctx context.Context, cfg tfsdk.Config) diag.Diagnostics {
	diags := validateContent(ctx, cfg)
	var to types.String
	var dests types.List
	diags.Append(cfg.GetAttribute(ctx, path.Root("to"), &to)...)
	diags.Append(cfg.GetAttribute(ctx, path.Root("destinations"), &dests)...)
	if diags.HasError() || to.IsUnknown() || dests.IsUnknown() {
		return diags
	}
	switch {
	case to.IsNull() && dests.IsNull():
		diags.AddAttributeError(path.Root("to"), "Missing Recipient",
			"The ezitxt_send_message action needs a recipient: set to = \"+6421000001\" to send one message, or "+
				"destinations = [\"+6421000001\", ...] to broadcast to many numbers.")
	case !to.IsNull() && !dests.IsNull():
		diags.AddAttributeError(path.Root("destinations"), "Conflicting Recipients",
			"The ezitxt_send_message action sets both to and destinations. Set to for one message or destinations for a "+
				"broadcast, not both: remove one of them.")
	}
	return diags
}

// scheduleWait is the part of the configuration that decides whether a wait
// can end before its timeout.
type scheduleWait struct {
	Scheduled     scheduledDateTime
	WaitForStatus types.String
	Timeouts      timeouts.Value
}

// check reports a wait_for_status beyond accepted for a message scheduled
// later than the wait's timeout: the message stays accepted until its time,
// so the action would send and then fail.
func (w scheduleWait) check(ctx context.Context, now time.Time) diag.Diagnostics {
	var diags diag.Diagnostics
	if w.WaitForStatus.IsNull() || w.WaitForStatus.IsUnknown() || w.Scheduled.IsNull() || w.Scheduled.IsUnknown() ||
		w.Timeouts.IsUnknown() || client.StatusAccepted.Reached(client.MessageStatus(w.WaitForStatus.ValueString())) {
		return diags
	}
	at, d := w.Scheduled.ValueRFC3339Time()
	if d.HasError() {
		return diags
	}
	timeout, d := w.Timeouts.Invoke(ctx, defaultWaitTimeout)
	if d.HasError() {
		return diags
	}
	if at.Sub(now) > timeout {
		diags.AddAttributeError(path.Root("wait_for_status"), "Wait Cannot Succeed Before Scheduled Time",
			fmt.Sprintf("The message is scheduled for %s, more than the wait's timeout (%s) from now, and stays %q until then, "+
				"so waiting for %q would send it and then fail. Remove wait_for_status, set it to %q, or raise timeouts.invoke.",
				at.Format(time.RFC3339), timeout, client.StatusAccepted, w.WaitForStatus.ValueString(), client.StatusAccepted))
	}
	return diags
}

// sentMessage is a message the API accepted during an invocation, with the
// status last reported as progress.
type sentMessage struct {
	number, id, status string
}

// sendOne sends the message to `to`. It returns the message sent, or none.
func (a *sendMessageAction) sendOne(ctx context.Context, c *client.Client, m sendMessageModel, scheduled *time.Time,
	progress func(string, ...any), diags *diag.Diagnostics) []sentMessage {
	to := m.To.ValueString()
	res, err := c.SendMessage(ctx, client.Message{
		To: to, Source: m.Source.ValueString(), Scheduled: scheduled,
		Reference: m.Reference.ValueString(), Content: m.toClient(),
	})
	switch {
	case client.IsAmbiguous(err):
		progress("%s: outcome unknown, the message may have been sent", to)
		diags.AddError("Outcome of Send Unknown", fmt.Sprintf("%s\n\nThe ezitxt_send_message action did not retry. Check "+
			"whether the message to %s arrived before invoking the action again: every invocation sends a new message.", err, to))
		return nil
	case err != nil:
		diags.AddError("Unable to Send Message", fmt.Sprintf("Sending to %s failed and the API did not accept the message, "+
			"so nothing was sent.\n\n%s%s", to, err, sourceHint(err, m.Source.ValueString())))
		return nil
	}
	tflog.Info(ctx, "message accepted", map[string]any{"id": res.MessageID})
	progress("%s: message %s %s", to, res.MessageID, res.Status)
	return []sentMessage{{number: to, id: res.MessageID, status: res.Status}}
}

// sendBroadcast sends the message to every destination and reports each
// answer. Refused, unknown and unattempted numbers are errors that list
// them; the accepted ones are returned and never sent to again.
func (a *sendMessageAction) sendBroadcast(ctx context.Context, c *client.Client, m sendMessageModel, scheduled *time.Time,
	progress func(string, ...any), diags *diag.Diagnostics) []sentMessage {
	numbers := distinctStrings(m.Destinations.Elements())
	outcome, err := c.SendBroadcast(ctx, client.Broadcast{
		Destinations: numbers, Source: m.Source.ValueString(), Scheduled: scheduled,
		Reference: m.Reference.ValueString(), Content: m.toClient(),
	})
	var sent []sentMessage
	var refused []string
	for i, r := range outcome.Results {
		if r.Failed() || client.MessageStatus(r.Status).IsFailure() {
			refused = append(refused, refusedNumber(r))
		} else {
			sent = append(sent, sentMessage{number: r.Destination, id: r.ID, status: r.Status})
		}
		if i < maxProgressMessages {
			if r.Message != "" {
				progress("%s: message %s %s (%s)", r.Destination, r.ID, r.Status, r.Message)
			} else {
				progress("%s: message %s %s", r.Destination, r.ID, r.Status)
			}
		}
	}
	for i, n := range outcome.Ambiguous {
		if len(outcome.Results)+i < maxProgressMessages {
			progress("%s: outcome unknown, the message may have been sent", n)
		}
	}
	if n := len(outcome.Results); n > maxProgressMessages {
		progress("%d more numbers answered; in all %d accepted and %d refused", n-maxProgressMessages, len(sent), len(refused))
	}
	tflog.Info(ctx, "broadcast sent", map[string]any{
		"accepted": len(sent), "refused": len(refused), "unknown": len(outcome.Ambiguous), "not_sent": len(outcome.NotSent),
	})

	if len(refused) > 0 {
		diags.AddAttributeError(path.Root("destinations"), "Broadcast Refused for Some Numbers", fmt.Sprintf(
			"The API refused %d of %d numbers: %s. The other %s accepted and not sent to again by this "+
				"invocation. Check the refused numbers; to send to them once they are fixed, invoke the action with "+
				"destinations set to just those numbers (invoking it unchanged sends to every number again).",
			len(refused), len(numbers), summarizeNumbers(refused), countNumbers(len(sent), "was", "were")))
	}
	if err == nil {
		return sent
	}
	var parts []string
	if len(outcome.Ambiguous) > 0 {
		parts = append(parts, fmt.Sprintf("The outcome for %d numbers is unknown, and they MAY HAVE BEEN SENT TO: %s. "+
			"They were not retried; check whether they received the message before sending to them again.",
			len(outcome.Ambiguous), summarizeNumbers(outcome.Ambiguous)))
	}
	if len(outcome.NotSent) > 0 {
		parts = append(parts, fmt.Sprintf("%d numbers were not sent to: %s. To send to them, invoke the action with "+
			"destinations set to just those numbers.", len(outcome.NotSent), summarizeNumbers(outcome.NotSent)))
	}
	summary := "Broadcast Partly Sent"
	switch {
	case len(outcome.Ambiguous) > 0:
		summary = "Outcome of Broadcast Unknown for Some Numbers"
	case len(outcome.Results) == 0:
		summary = "Unable to Send Broadcast"
		parts = []string{fmt.Sprintf("The API accepted none of the %d numbers, so nothing was sent.", len(numbers))}
	}
	diags.AddError(summary, fmt.Sprintf("%s\n\n%s accepted and not sent to again by this invocation. %s%s",
		err, countNumbers(len(sent), "was", "were"), strings.Join(parts, " "), sourceHint(err, m.Source.ValueString())))
	return sent
}

// refusedNumber renders a refused broadcast entry as "number (reason)", or
// as the reason alone when it names the number.
func refusedNumber(r client.BroadcastResult) string {
	switch {
	case r.Message == "":
		return fmt.Sprintf("%s (%s)", r.Destination, r.Status)
	case strings.Contains(r.Message, r.Destination):
		return r.Message
	}
	return fmt.Sprintf("%s (%s)", r.Destination, r.Message)
}

// countNumbers renders "1 number was" or "3 numbers were".
func countNumbers(n int, one, many string) string {
	if n == 1 {
		return "1 number " + one
	}
	return fmt.Sprintf("%d numbers %s", n, many)
}

// wait polls the messages sent until each reaches wait_for_status, fails, or
// the timeout passes, reporting status changes as progress.
func (a *sendMessageAction) wait(ctx context.Context, c *client.Client, m sendMessageModel, sent []sentMessage,
	progress func(string, ...any), diags *diag.Diagnostics) {
	timeout, d := m.Timeouts.Invoke(ctx, defaultWaitTimeout)
	diags.Append(d...)
	waitCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	numbers := make(map[string]string, len(sent))
	reported := make(map[string]string, len(sent))
	ids := make([]string, 0, len(sent))
	for _, s := range sent {
		numbers[s.id], reported[s.id] = s.number, s.status
		ids = append(ids, s.id)
	}
	target := m.WaitForStatus.ValueString()
	progress("waiting up to %s for %s to reach %q", timeout, countMessages(len(ids)), target)
	// seen is called from the polling loop, one call at a time.
	seen := func(id string, det client.MessageDetails) {
		if len(ids) <= maxProgressMessages && reported[id] != det.Status {
			reported[id] = det.Status
			progress("%s: message %s %s", numbers[id], id, det.Status)
		}
	}
	out, err := waitForStatuses(waitCtx, c, ids, client.MessageStatus(target), a.data.pollInterval(), a.data.concurrency(), seen)
	switch {
	case err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded):
		diags.AddError("Unable to Read Message Status", fmt.Sprintf("Waiting for the messages to reach %q failed: %s\n\n"+
			"The messages were sent and are not sent again; check their status with the ezitxt_message data source.", target, err))
	case len(out.Pending) > 0 && ctx.Err() != nil:
		diags.AddError("Wait Interrupted", fmt.Sprintf("The wait for %q was interrupted (%s) before every message got there: %s. "+
			"The messages were sent and are not sent again.", target, ctx.Err(), describeWait(out, numbers, timeout)))
	case len(out.Failed) > 0 || len(out.Pending) > 0:
		diags.AddError("Messages Did Not Reach Status", fmt.Sprintf("Waiting for %q: %s. The messages were sent and are not "+
			"sent again.%s", target, describeWait(out, numbers, timeout), timeoutHint(out)))
	default:
		progress("%s reached %q", countMessages(len(ids)), target)
	}
}

// countMessages renders "the message" or "all 3 messages".
func countMessages(n int) string {
	if n == 1 {
		return "the message"
	}
	return fmt.Sprintf("all %d messages", n)
}

func timeoutHint(out waitOutcome) string {
	if len(out.Pending) == 0 {
		return ""
	}
	return " Raise timeouts.invoke to wait longer, or check the status later with the ezitxt_message data source."
}

// describeWait says which numbers failed and which ran out of time, with the
// last status seen of each.
func describeWait(out waitOutcome, numbers map[string]string, timeout time.Duration) string {
	var parts []string
	if len(out.Failed) > 0 {
		failed := make([]string, 0, len(out.Failed))
		for _, id := range out.Failed {
			failed = append(failed, fmt.Sprintf("%s (message %s %s)", numbers[id], id, out.Last[id].Status))
		}
		parts = append(parts, fmt.Sprintf("%d ended in failure: %s", len(failed), summarizeNumbers(failed)))
	}
	if len(out.Pending) > 0 {
		pending := make([]string, 0, len(out.Pending))
		for _, id := range out.Pending {
			last := "not visible yet"
			if d, ok := out.Last[id]; ok {
				last = "last status " + d.Status
			}
			pending = append(pending, fmt.Sprintf("%s (message %s, %s)", numbers[id], id, last))
		}
		parts = append(parts, fmt.Sprintf("%d did not get there within %s: %s", len(pending), timeout, summarizeNumbers(pending)))
	}
	return strings.Join(parts, "; ")
}
