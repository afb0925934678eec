package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/action/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/client"
)

// progressPerMessageLimit caps per-message progress lines of a broadcast;
// beyond it progress is reported per batch.
const progressPerMessageLimit = 100

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
	Destinations types.Set    `tfsdk:"destinations"`
	contentModel
	Scheduled     timetypes.RFC3339 `tfsdk:"scheduled"`
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
		"destinations": {kind: kindStringSet,
			desc: "Phone numbers in E.164 format to broadcast to. Set exactly one of `to` and `destinations`.",
			setV: []validator.Set{setvalidator.SizeAtLeast(1), setvalidator.ValueStringsAre(e164Validator)}},
	}))
	attrs["wait_for_status"] = schema.StringAttribute{
		Optional: true,
		MarkdownDescription: "Wait until every message reaches this status or a later one: " + codeList(waitStatuses) +
			". A message that ends in a failure status fails the action; so does the timeout (`timeouts.invoke`, default " +
			"`10m`). Nothing is sent again either way.",
		Validators: []validator.String{stringvalidator.OneOf(waitStatuses...)},
	}
	attrs["timeouts"] = timeouts.Attributes(ctx)
	resp.Schema = schema.Schema{
		MarkdownDescription: "Sends a WhatsApp message, or a broadcast to many numbers, once each time the action is " +
			"invoked: from a resource's `lifecycle { action_trigger { ... } }` or with `terraform apply -invoke`. " +
			"Requires Terraform 1.14 or later. It takes the same inputs as `ezitxt_message`, with `to` for one number " +
			"or `destinations` for many, and reports each send as progress. Nothing is kept in state: every invocation " +
			"sends anew. When a broadcast is refused for some numbers, the action fails and lists them; the numbers " +
			"that were accepted are not sent to again.",
		Attributes: attrs,
	}
}

func (a *sendMessageAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (a *sendMessageAction) ValidateConfig(ctx context.Context, req action.ValidateConfigRequest, resp *action.ValidateConfigResponse) {
	resp.Diagnostics.Append(validateContent(ctx, req.Config)...)
	var to types.String
	var dests types.Set
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("to"), &to)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("destinations"), &dests)...)
	if to.IsUnknown() || dests.IsUnknown() {
		return
	}
	switch {
	case to.IsNull() && dests.IsNull():
		resp.Diagnostics.AddError("Missing Recipient",
			"Set to = \"+6421000001\" to send one message, or destinations = [...] to broadcast to many numbers.")
	case !to.IsNull() && !dests.IsNull():
		resp.Diagnostics.AddAttributeError(path.Root("destinations"), "Conflicting Recipients",
			"Set either to (one message) or destinations (a broadcast), not both.")
	}
}

// ModifyPlan checks the schedule against the clock when the action is planned.
func (a *sendMessageAction) ModifyPlan(ctx context.Context, req action.ModifyPlanRequest, resp *action.ModifyPlanResponse) {
	var scheduled timetypes.RFC3339
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("scheduled"), &scheduled)...)
	checkPlannedSchedule(path.Root("scheduled"), scheduled, a.data.now(), &resp.Diagnostics)
}

func (a *sendMessageAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var m sendMessageModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	c := a.data.apiClient(&resp.Diagnostics, "invoke ezitxt_send_message")
	if resp.Diagnostics.HasError() {
		return
	}
	progress := func(format string, args ...any) {
		resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf(format, args...)})
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

	// accepted maps message IDs to their numbers, for the wait.
	accepted := map[string]string{}
	if !m.To.IsNull() {
		res, err := c.SendMessage(ctx, client.Message{
			To: m.To.ValueString(), Source: m.Source.ValueString(), Scheduled: scheduled,
			Reference: m.Reference.ValueString(), Content: m.toClient(),
		})
		if err != nil {
			resp.Diagnostics.AddError("Unable to Send Message", fmt.Sprintf("Sending to %s failed.\n\n%s", m.To.ValueString(), err))
			return
		}
		progress("%s: message %s %s", m.To.ValueString(), res.MessageID, res.Status)
		accepted[res.MessageID] = m.To.ValueString()
	} else {
		numbers := setStrings(m.Destinations)
		outcome, err := c.SendBroadcast(ctx, client.Broadcast{
			Destinations: numbers, Source: m.Source.ValueString(), Scheduled: scheduled,
			Reference: m.Reference.ValueString(), Content: m.toClient(),
		})
		var refused []string
		for i, r := range outcome.Results {
			if client.MessageStatus(r.Status).IsFailure() {
				refused = append(refused, fmt.Sprintf("%s (%s)", r.Destination, r.Message))
			} else {
				accepted[r.ID] = r.Destination
			}
			if i < progressPerMessageLimit {
				progress("%s: message %s %s", r.Destination, r.ID, r.Status)
			}
		}
		if n := len(outcome.Results); n > progressPerMessageLimit {
			progress("... and %d more numbers answered (%d accepted in all)", n-progressPerMessageLimit, len(accepted))
		}
		if len(refused) > 0 {
			resp.Diagnostics.AddError("Broadcast Refused for Some Numbers", fmt.Sprintf(
				"The API refused %d of %d numbers: %s. The %d accepted numbers were sent to and will not be sent to again by this invocation.",
				len(refused), len(numbers), summarizeNumbers(refused), len(accepted)))
		}
		if err != nil {
			resp.Diagnostics.AddError("Unable to Send Broadcast", fmt.Sprintf("%s\n\n%d numbers were accepted.%s",
				err, len(accepted), notSentNote(outcome.NotSent)))
		}
	}

	if m.WaitForStatus.IsNull() || len(accepted) == 0 {
		return
	}
	timeout, d := m.Timeouts.Invoke(ctx, defaultWaitTimeout)
	resp.Diagnostics.Append(d...)
	waitCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	ids := make([]string, 0, len(accepted))
	for id := range accepted {
		ids = append(ids, id)
	}
	target := m.WaitForStatus.ValueString()
	out, err := waitForStatuses(waitCtx, c, ids, client.MessageStatus(target), a.data.pollInterval(), a.data.concurrency(),
		func(id string, det client.MessageDetails) {
			if len(ids) <= progressPerMessageLimit {
				progress("%s: message %s %s", accepted[id], id, det.Status)
			}
		})
	switch {
	case err != nil:
		resp.Diagnostics.AddError("Unable to Read Message Status", fmt.Sprintf("Waiting for %q failed: %s. Nothing was sent again.", target, err))
	case len(out.Failed) > 0 || len(out.Pending) > 0:
		resp.Diagnostics.AddError("Messages Did Not Reach Status", fmt.Sprintf(
			"Waiting for %q: %s. Nothing was sent again.", target, describeWait(out, accepted, timeout)))
	default:
		progress("all %d messages reached %q", len(ids), target)
	}
}

// describeWait says which numbers failed and which ran out of time.
func describeWait(out waitOutcome, numbers map[string]string, timeout time.Duration) string {
	var parts []string
	if len(out.Failed) > 0 {
		var failed []string
		for _, id := range out.Failed {
			failed = append(failed, fmt.Sprintf("%s (%s)", numbers[id], out.Last[id].Status))
		}
		parts = append(parts, fmt.Sprintf("%d ended in failure: %s", len(failed), summarizeNumbers(failed)))
	}
	if len(out.Pending) > 0 {
		var pending []string
		for _, id := range out.Pending {
			pending = append(pending, numbers[id])
		}
		parts = append(parts, fmt.Sprintf("%d did not get there within %s: %s", len(pending), timeout, summarizeNumbers(pending)))
	}
	return strings.Join(parts, "; ")
}
