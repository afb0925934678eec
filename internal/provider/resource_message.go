package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/client"
)

// defaultWaitTimeout bounds wait_for_status when wait_timeout is not set.
const defaultWaitTimeout = 10 * time.Minute

var (
	_ resource.ResourceWithConfigure      = (*messageResource)(nil)
	_ resource.ResourceWithImportState    = (*messageResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*messageResource)(nil)
	_ resource.ResourceWithValidateConfig = (*messageResource)(nil)
	_ resource.ResourceWithIdentity       = (*messageResource)(nil)
	_ resource.ResourceWithUpgradeState   = (*messageResource)(nil)
)

// messageIdentityNames are the attributes of ezitxt_message's identity.
var messageIdentityNames = []string{"id"}

// NewMessageResource returns the ezitxt_message resource.
func NewMessageResource() resource.Resource { return &messageResource{} }

// messageType is the model type of ezitxt_message's schema (see model.go).
var messageType = resourceModelType(&messageResource{})

type messageResource struct {
	data *providerData
}

type messageModel struct {
	ID     types.String `tfsdk:"id"`
	Source types.String `tfsdk:"source"`
	To     types.String `tfsdk:"to"`
	contentModel
	Scheduled     scheduledDateTime `tfsdk:"scheduled"`
	Reference     types.String      `tfsdk:"reference"`
	WaitForStatus types.String      `tfsdk:"wait_for_status"`
	WaitTimeout   types.String      `tfsdk:"wait_timeout"`
	Status        types.String      `tfsdk:"status"`
	StatusReached types.Bool        `tfsdk:"status_reached"`
	Timestamp     types.Int64       `tfsdk:"timestamp"`
}

func (r *messageResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_message"
}

func (r *messageResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	attrs := resourceAttributes(messageInputSpecs(), true)
	attrs["id"] = schema.StringAttribute{
		Computed:            true,
		MarkdownDescription: "The message ID (a UUID). Empty when the outcome of the send is unknown (see `status`).",
		PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
	}
	attrs["status"] = schema.StringAttribute{
		Computed: true,
		MarkdownDescription: "Delivery status, updated on every refresh: `accepted`, `submitted`, `sent`, `received`, `read`, " +
			"or a failure (`failed`, `rejected`, `dead`, `expired`). `unknown` when the connection failed after the request " +
			"was sent, so the provider cannot tell whether the API accepted it; it is then never sent again on its own.",
		PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
	}
	attrs["status_reached"] = schema.BoolAttribute{
		Computed: true,
		MarkdownDescription: "With `wait_for_status`: `true` once `status` has reached it (or a later status in delivery " +
			"order), `false` while it has not: the wait ran out of time, delivery failed, or the outcome of the send is " +
			"`unknown`. Null without `wait_for_status`. Updated on every refresh. To make `terraform apply` fail when the " +
			"wait is not met, without a later apply sending again, check it in a `lifecycle { postcondition }` (see the " +
			"guide on sending messages safely).",
	}
	attrs["timestamp"] = schema.Int64Attribute{
		Computed:            true,
		MarkdownDescription: "Unix time, in seconds, of the latest status change.",
		PlanModifiers:       []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
	}
	attrs["wait_for_status"] = schema.StringAttribute{
		Optional: true,
		MarkdownDescription: "Make apply wait until the message reaches this status or a later one in delivery order: " +
			codeList(waitStatuses) + ". A failure status (`failed`, `rejected`, `dead`, `expired`) fails the apply, keeping " +
			"the message in state (tainted, so the next apply sends it anew). Reaching the timeout (`wait_timeout`, default " +
			"10m) is a warning, not an error: the message may still be delivered, and it is not sent again; `status_reached` " +
			"is then `false`, which a `lifecycle { postcondition }` can turn into a failed apply. Changing this value does " +
			"not send anything.",
		Validators: []validator.String{stringvalidator.OneOf(waitStatuses...)},
	}
	attrs["wait_timeout"] = schema.StringAttribute{
		Optional: true,
		MarkdownDescription: "How long `wait_for_status` waits, as a duration such as `30s` or `5m` (at most `24h`). " +
			"Defaults to `10m`. Changing it sends nothing.",
		Validators: []validator.String{timeoutValidator},
	}

	resp.Schema = schema.Schema{
		Version: 1,
		MarkdownDescription: "Sends one WhatsApp message: text, media, a template or a raw payload, now or scheduled up to " +
			"60 days ahead.\n\n" +
			"A sent message cannot be changed or unsent. Changing any of its inputs therefore **replaces** the resource, " +
			"which **sends a new message**, and the plan says so. Refresh only reads the delivery status and never sends. " +
			"Destroy only removes the message from state. When the connection fails after a send was written, the " +
			"provider does not retry (the API may have accepted it): the resource is kept with status `unknown` and a " +
			"warning, so the next apply does not send a duplicate.",
		Attributes: attrs,
	}
}

func (r *messageResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identitySchema(identityAttr{"id", "The message ID (a UUID) the API returned for the send; " +
		"empty for a send of unknown outcome, which has none."})
}

func (r *messageResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *messageResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	resp.Diagnostics.Append(validateContent(ctx, req.Config)...)
}

// ModifyPlan checks the schedule of a planned send against the clock and
// makes the consequences of destroy and replace visible in the plan.
func (r *messageResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	switch {
	case req.Plan.Raw.IsNull():
		var state messageModel
		resp.Diagnostics.Append(getModel(ctx, req.State.Raw, messageType(), &state)...)
		resp.Diagnostics.AddWarning("Destroying a Message Does Not Unsend It",
			forgetMessageDetail(state, r.data.now()))
	case req.State.Raw.IsNull():
		// A create, or the create half of a replacement: a send is planned.
		var plan messageModel // content may be unknown until apply: not needed here
		_, diags := getPlanModel(ctx, req.Plan.Raw, messageType(), &plan)
		resp.Diagnostics.Append(diags...)
		if resp.Diagnostics.HasError() {
			return
		}
		now := r.data.now()
		checkPlannedSchedule(path.Root("scheduled"), plan.Scheduled, now, &resp.Diagnostics)
		warnWaitForSchedule(plan, now, &resp.Diagnostics)
	default:
		if importedRecord(ctx, req.State) {
			// Compared once the content is known (at the latest, the plan
			// Terraform makes again at apply).
			var plan messageModel
			unknown, diags := getPlanModel(ctx, req.Plan.Raw, messageType(), &plan)
			resp.Diagnostics.Append(diags...)
			if !unknown && !diags.HasError() {
				warnImportDifferences(ctx, req.Private, "The message "+plan.ID.ValueString(), plan.contentModel, &resp.Diagnostics)
			}
		}
		if rawEqual(req.Plan.Raw, req.State.Raw) {
			// Nothing changes (the plan of most messages, most of the
			// time): no warning applies, and status_reached stands.
			return
		}
		// The message in state stays: what a changed wait_for_status says of
		// its status is known now, so that a postcondition on it is checked
		// at plan time.
		var status, wait types.String
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("status"), &status)...)
		resp.Diagnostics.Append(resp.Plan.GetAttribute(ctx, path.Root("wait_for_status"), &wait)...)
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("status_reached"), statusReached(status, wait))...)
		if changed := replacedInputs(ctx, req.State, req.Plan, messageInputSpecs()); len(changed) > 0 {
			var state messageModel
			resp.Diagnostics.Append(getModel(ctx, req.State.Raw, messageType(), &state)...)
			resp.Diagnostics.AddWarning("Changing a Sent Message Sends a New One",
				fmt.Sprintf("A sent message cannot be edited, so the change of %s replaces %s: apply sends a new message, "+
					"and the one already sent is not recalled. To keep the message that was sent, revert the change.",
					strings.Join(changed, ", "), describeMessage(state)))
		} else {
			var state messageModel
			resp.Diagnostics.Append(getModel(ctx, req.State.Raw, messageType(), &state)...)
			warnMediaReupload(ctx, req.State, req.Plan, "The "+describeMessage(state), "ezitxt_message", &resp.Diagnostics)
			warnRawAtApply(ctx, req.State, req.Plan, "The "+describeMessage(state), "ezitxt_message", &resp.Diagnostics)
		}
	}
}

func (r *messageResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan messageModel
	resp.Diagnostics.Append(getModel(ctx, req.Plan.Raw, messageType(), &plan)...)
	c := r.data.apiClient(&resp.Diagnostics, "send ezitxt_message")
	if resp.Diagnostics.HasError() {
		return
	}

	msg := client.Message{
		To:        plan.To.ValueString(),
		Source:    plan.Source.ValueString(),
		Reference: plan.Reference.ValueString(),
		Content:   plan.toClient(),
	}
	if t, d := plan.Scheduled.ValueRFC3339Time(); !plan.Scheduled.IsNull() {
		resp.Diagnostics.Append(d...)
		msg.Scheduled = &t
	}
	if resp.Diagnostics.HasError() {
		return
	}

	res, err := c.SendMessage(ctx, msg)
	if err != nil {
		if client.IsAmbiguous(err) {
			// The API may have accepted the message. Keep a record without an
			// ID so that the next apply does not send it a second time.
			plan.ID = types.StringValue("")
			plan.Status = types.StringValue(statusUnknown)
			plan.StatusReached = statusReached(plan.Status, plan.WaitForStatus)
			plan.Timestamp = types.Int64Null()
			resp.Diagnostics.Append(setStateModel(ctx, &resp.State, messageType(), &plan)...)
			resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, messageIdentityNames, "")...)
			resp.Diagnostics.AddWarning("Outcome of Send Unknown", unknownOutcomeDetail(plan, err))
			return
		}
		resp.Diagnostics.AddError("Unable to Send Message", fmt.Sprintf("Sending to %s failed and the API did not accept the message, "+
			"so it was not sent; the next apply tries again.\n\n%s%s", msg.To, err, sourceHint(err, msg.Source)))
		return
	}

	plan.ID = types.StringValue(res.MessageID)
	plan.Status = types.StringValue(res.Status)
	plan.StatusReached = statusReached(plan.Status, plan.WaitForStatus)
	plan.Timestamp = types.Int64Value(r.data.now().Unix())
	// Record the send before anything else can fail.
	resp.Diagnostics.Append(setStateModel(ctx, &resp.State, messageType(), &plan)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, messageIdentityNames, res.MessageID)...)
	tflog.Info(ctx, "message accepted", map[string]any{"id": res.MessageID})

	if plan.WaitForStatus.IsNull() || resp.Diagnostics.HasError() {
		return
	}
	timeout := plan.waitTimeout()
	waitCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	target := plan.WaitForStatus.ValueString()
	out, err := waitForStatuses(waitCtx, c, []string{res.MessageID}, client.MessageStatus(target), r.data.pollInterval(), 1, nil)
	if details, ok := out.Last[res.MessageID]; ok {
		plan.applyDetails(details)
		resp.Diagnostics.Append(setStateModel(ctx, &resp.State, messageType(), &plan)...)
	}
	switch {
	case err != nil:
		resp.Diagnostics.AddWarning("Unable to Read Message Status", fmt.Sprintf(
			"The message %s to %s was accepted, but reading its status failed: %s. It stays in state and will not be sent again.",
			res.MessageID, msg.To, err))
	case len(out.Failed) > 0:
		resp.Diagnostics.AddError("Message Delivery Failed", fmt.Sprintf(
			"The message %s to %s ended with status %q while waiting for %q. It stays in state, marked tainted: "+
				"the next apply sends a new message. Check the number and the content, or remove wait_for_status to accept the failure.",
			res.MessageID, msg.To, plan.Status.ValueString(), target))
	case len(out.Pending) > 0 && ctx.Err() != nil:
		resp.Diagnostics.AddWarning("Wait for Message Status Interrupted", fmt.Sprintf(
			"The message %s to %s was accepted; waiting for %q was interrupted (last status: %s). It stays in state and will "+
				"not be sent again; a later refresh shows its status.",
			res.MessageID, msg.To, target, plan.Status.ValueString()))
	case len(out.Pending) > 0:
		resp.Diagnostics.AddWarning("Message Status Not Reached in Time", fmt.Sprintf(
			"The message %s to %s was accepted, but did not reach %q within %s (last status: %s). It stays in state and will "+
				"not be sent again; a later refresh shows its status. Raise wait_timeout to wait longer.",
			res.MessageID, msg.To, target, timeout, plan.Status.ValueString()))
	}
}

func (r *messageResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state messageModel
	resp.Diagnostics.Append(getModel(ctx, req.State.Raw, messageType(), &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// First, so that state written before identity existed gets one
	// whichever way Read returns.
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, messageIdentityNames, state.ID.ValueString())...)
	if state.ID.ValueString() == "" {
		resp.Diagnostics.AddWarning("Outcome of Send Unknown",
			fmt.Sprintf("The message to %s was recorded with status %q because the connection failed after its send was "+
				"written, so the API may or may not have accepted it. It is not sent again on its own. Check whether it "+
				"arrived (ask the recipient, or look for it in your status callbacks); if it did not, send it again "+
				"deliberately with terraform apply -replace=<address of this ezitxt_message>.", state.To.ValueString(), statusUnknown))
		state.StatusReached = statusReached(state.Status, state.WaitForStatus)
		resp.Diagnostics.Append(setStateModel(ctx, &resp.State, messageType(), &state)...)
		return
	}
	if r.data != nil && r.data.client == nil {
		tflog.Debug(ctx, "provider configuration unknown; keeping the message status from state")
		return
	}
	c := r.data.apiClient(&resp.Diagnostics, "read ezitxt_message")
	if c == nil {
		return
	}
	d, err := c.GetMessage(ctx, state.ID.ValueString())
	switch {
	case client.IsNotFound(err):
		// Never remove a sent message from state: the next apply would send
		// it again.
		resp.Diagnostics.AddWarning("Message Not Found",
			fmt.Sprintf("The API no longer knows message %s. It is kept in state with its last known status %q so that it is not sent again.",
				state.ID.ValueString(), state.Status.ValueString()))
		return
	case err != nil:
		resp.Diagnostics.AddError("Unable to Read Message", fmt.Sprintf("Reading the status of message %s failed; nothing was "+
			"sent. Check the provider settings and that the API is reachable, then plan again.\n\n%s", state.ID.ValueString(), err))
		return
	}
	state.applyDetails(d)
	if importedRecord(ctx, req.State) {
		resp.Diagnostics.Append(rememberImported(ctx, resp.Private, d)...)
	}
	resp.Diagnostics.Append(setStateModel(ctx, &resp.State, messageType(), &state)...)
}

// Update never calls the API. It runs for changes that send nothing:
// wait_for_status, wait_timeout, a schedule or raw payload rewritten with the
// same meaning, and adopting the configuration after import.
func (r *messageResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state messageModel
	resp.Diagnostics.Append(getModel(ctx, req.Plan.Raw, messageType(), &plan)...)
	resp.Diagnostics.Append(getModel(ctx, req.State.Raw, messageType(), &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	rawDiags := checkRawAtApply(state.contentModel, plan.contentModel, "The "+describeMessage(state), "ezitxt_message")
	resp.Diagnostics.Append(rawDiags...)
	if rawDiags.HasError() {
		resp.Diagnostics.Append(setStateModel(ctx, &resp.State, messageType(), &state)...) // unchanged: nothing was sent
		return
	}
	plan.ID, plan.Status, plan.Timestamp = state.ID, state.Status, state.Timestamp
	plan.StatusReached = statusReached(plan.Status, plan.WaitForStatus)
	// The configuration is adopted: the imported details are compared no more.
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateImportedDetails, nil)...)
	resp.Diagnostics.Append(setStateModel(ctx, &resp.State, messageType(), &plan)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, messageIdentityNames, state.ID.ValueString())...)
}

func (r *messageResource) Delete(_ context.Context, _ resource.DeleteRequest, _ *resource.DeleteResponse) {
	// Nothing to call: a message cannot be recalled. The plan already warned.
}

// ImportState adopts a message sent outside this configuration by its ID.
// The API reports no inputs (number, content), so the first plan after
// import adopts the configuration in place (see sendInput) and sends nothing.
func (r *messageResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	parts, viaIdentity, ok := importParts(ctx, req, resp, messageIdentityNames...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !ok || !client.ValidUUID(parts[0]) {
		invalidImport(resp, req, viaIdentity, "ezitxt_message", "its message ID, a UUID",
			`{ id = "3fa85f64-5717-4562-b3fc-2c963f66afa6" }`, "3fa85f64-5717-4562-b3fc-2c963f66afa6")
		return
	}
	id := parts[0]
	if r.data != nil && r.data.client != nil {
		// Fail now for an ID the API does not know: Read keeps messages it
		// cannot find (see Read), which would import a message that never was.
		if _, err := r.data.client.GetMessage(ctx, id); err != nil {
			detail := fmt.Sprintf("Reading message %s failed.\n\n%s", id, err)
			if client.IsNotFound(err) {
				detail = fmt.Sprintf("The API knows no message %s. Check the ID; messages sent with another account are not visible.", id)
			}
			resp.Diagnostics.AddError("Cannot Import Message", detail)
			return
		}
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, messageIdentityNames, id)...)
}

// messageInputSpecs are the inputs of ezitxt_message: each forces a new send.
func messageInputSpecs() map[string]inputSpec {
	return mergeSpecs(sendSpecs(), contentSpecs(), map[string]inputSpec{"to": toSpec(true)})
}

// waitTimeout is how long wait_for_status waits: wait_timeout, or
// defaultWaitTimeout when it is not set (the validator refused anything
// that does not parse).
func (m messageModel) waitTimeout() time.Duration {
	if d, err := time.ParseDuration(m.WaitTimeout.ValueString()); err == nil && d > 0 {
		return d
	}
	return defaultWaitTimeout
}

// describeMessage names a message in diagnostics: its ID and number.
func describeMessage(m messageModel) string {
	id := m.ID.ValueString()
	if id == "" {
		id = "(ID unknown)"
	}
	if m.To.ValueString() == "" {
		return "message " + id
	}
	return fmt.Sprintf("message %s to %s", id, m.To.ValueString())
}

// warnWaitForSchedule warns when wait_for_status cannot be reached before
// the timeout because the message is scheduled later: a scheduled message
// stays accepted until its time.
func warnWaitForSchedule(plan messageModel, now time.Time, diags *diag.Diagnostics) {
	if plan.WaitForStatus.IsNull() || plan.WaitForStatus.IsUnknown() || plan.WaitForStatus.ValueString() == string(client.StatusAccepted) ||
		plan.Scheduled.IsNull() || plan.Scheduled.IsUnknown() {
		return
	}
	t, d := plan.Scheduled.ValueRFC3339Time()
	if d.HasError() {
		return
	}
	if timeout := plan.waitTimeout(); t.Sub(now) < timeout || plan.WaitTimeout.IsUnknown() {
		return
	}
	diags.AddAttributeWarning(path.Root("wait_for_status"), "Scheduled Message Cannot Reach Status in Time",
		fmt.Sprintf("The message is scheduled for %s and stays %q until then, so waiting for %q ends when wait_timeout (%s) "+
			"runs out, with a warning. Remove wait_for_status, or set it to %q, for scheduled messages.",
			t.Format(time.RFC3339), client.StatusAccepted, plan.WaitForStatus.ValueString(), plan.waitTimeout(), client.StatusAccepted))
}

// checkPlannedSchedule adds an attribute error for a known schedule that is
// in the past or more than 60 days ahead.
func checkPlannedSchedule(p path.Path, scheduled scheduledDateTime, now time.Time, diags *diag.Diagnostics) {
	if scheduled.IsNull() || scheduled.IsUnknown() {
		return
	}
	t, d := scheduled.ValueRFC3339Time()
	if d.HasError() {
		return // the type's own validation reports it
	}
	if summary, detail, ok := checkSchedule(p, t, now); !ok {
		diags.AddAttributeError(p, summary, detail)
	}
}

func forgetMessageDetail(state messageModel, now time.Time) string {
	detail := fmt.Sprintf("The message %s to %s is only removed from Terraform state; a WhatsApp message cannot be recalled.",
		state.ID.ValueString(), state.To.ValueString())
	if t, d := state.Scheduled.ValueRFC3339Time(); !state.Scheduled.IsNull() && !d.HasError() && t.After(now) {
		detail += fmt.Sprintf(" It is scheduled for %s and will still be delivered then.", t.Format(time.RFC3339))
	}
	return detail
}

func unknownOutcomeDetail(m messageModel, err error) string {
	return fmt.Sprintf("%s\n\nThe message to %s is recorded with status %q and no ID so that it is not sent twice. "+
		"Check whether it arrived. If it did not, send it again deliberately with:\n"+
		"  terraform apply -replace=<address of this ezitxt_message>", err, m.To.ValueString(), statusUnknown)
}

// statusReached is status_reached: whether status has reached wait, null
// without wait.
func statusReached(status, wait types.String) types.Bool {
	switch {
	case wait.IsNull():
		return types.BoolNull()
	case wait.IsUnknown() || status.IsUnknown():
		return types.BoolUnknown()
	}
	return types.BoolValue(client.MessageStatus(status.ValueString()).Reached(client.MessageStatus(wait.ValueString())))
}

// applyDetails copies what the API reports about a message into the model.
func (m *messageModel) applyDetails(d client.MessageDetails) {
	m.Status = types.StringValue(d.Status)
	m.StatusReached = statusReached(m.Status, m.WaitForStatus)
	m.Timestamp = types.Int64Value(d.Timestamp)
}

// UpgradeState upgrades state of version 0, which had direction (always
// "MT" for a message this resource sends: dropped) and timeouts (its
// create duration becomes wait_timeout). Nothing is read from the API.
func (r *messageResource) UpgradeState(ctx context.Context) map[int64]resource.StateUpgrader {
	var sr resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &sr)
	prior := sr.Schema
	prior.Version = 0
	prior.Attributes = make(map[string]schema.Attribute, len(sr.Schema.Attributes)+1)
	for name, a := range sr.Schema.Attributes {
		prior.Attributes[name] = a
	}
	prior.Attributes["direction"] = schema.StringAttribute{Computed: true}
	delete(prior.Attributes, "wait_timeout")
	prior.Attributes["timeouts"] = schema.SingleNestedAttribute{Optional: true, Attributes: map[string]schema.Attribute{
		"create": schema.StringAttribute{Optional: true},
	}}
	return map[int64]resource.StateUpgrader{0: {
		PriorSchema: &prior,
		StateUpgrader: func(ctx context.Context, req resource.UpgradeStateRequest, resp *resource.UpgradeStateResponse) {
			var create types.String
			resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("timeouts").AtName("create"), &create)...)
			if resp.Diagnostics.HasError() {
				return
			}
			wait := tftypes.NewValue(tftypes.String, nil)
			if !create.IsNull() && !create.IsUnknown() {
				wait = tftypes.NewValue(tftypes.String, create.ValueString())
			}
			raw, err := upgradeRaw(ctx, req.State.Raw, resp.State, map[string]tftypes.Value{"wait_timeout": wait})
			if err != nil {
				resp.Diagnostics.AddError("Cannot Upgrade State", err.Error())
				return
			}
			resp.State.Raw = raw
		},
	}}
}
