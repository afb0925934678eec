package provider

import (
	"context"
	"crypto/rand"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/client"
)

var (
	_ resource.ResourceWithConfigure      = (*broadcastResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*broadcastResource)(nil)
	_ resource.ResourceWithValidateConfig = (*broadcastResource)(nil)
	_ resource.ResourceWithImportState    = (*broadcastResource)(nil)
	_ resource.ResourceWithUpgradeState   = (*broadcastResource)(nil)
)

// NewBroadcastResource returns the ezitxt_broadcast resource.
func NewBroadcastResource() resource.Resource { return &broadcastResource{} }

// broadcastType is the model type of ezitxt_broadcast's schema (see model.go).
var broadcastType = resourceModelType(&broadcastResource{})

type broadcastResource struct {
	data *providerData
}

type broadcastModel struct {
	ID           types.String `tfsdk:"id"`
	Source       types.String `tfsdk:"source"`
	Destinations types.List   `tfsdk:"destinations"`
	contentModel
	Scheduled     scheduledDateTime `tfsdk:"scheduled"`
	Reference     types.String      `tfsdk:"reference"`
	Results       types.Map         `tfsdk:"results"`
	Failed        types.Map         `tfsdk:"failed"`
	AcceptedCount types.Int64       `tfsdk:"accepted_count"`
	FailedCount   types.Int64       `tfsdk:"failed_count"`
	UnknownCount  types.Int64       `tfsdk:"unknown_count"`
	UnsentCount   types.Int64       `tfsdk:"unsent_count"`
}

func (r *broadcastResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	attrs := resourceAttributes(broadcastInputSpecs(), true)
	// A list, not a set: terraform-plugin-go compares sets element by
	// element against every other (tftypes.Value.Equal), which the framework
	// does several times per call, so a set of 10,000 numbers takes minutes.
	// Order and duplicates do not matter: numbers are sent to once each.
	attrs["destinations"] = schema.ListAttribute{
		ElementType: types.StringType,
		Required:    true,
		MarkdownDescription: "The recipients' phone numbers in E.164 format, such as `+6421000001`. Order does not matter " +
			"and a number listed twice is sent to once: reordering the list is an update in place that sends nothing. Adding " +
			"numbers sends the broadcast to the new numbers only; removing numbers only forgets them. Any number of " +
			"destinations: they are sent in batches of at most 1,000.",
		Validators: []validator.List{
			listvalidator.SizeAtLeast(1),
			listvalidator.ValueStringsAre(e164Validator),
		},
	}
	attrs["id"] = schema.StringAttribute{
		Computed:            true,
		MarkdownDescription: "An identifier of this broadcast in Terraform state (the API has none).",
		PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
	}
	attrs["results"] = schema.MapAttribute{
		Computed:            true,
		ElementType:         types.StringType,
		MarkdownDescription: resultsDescription,
	}
	attrs["failed"] = schema.MapAttribute{
		Computed:    true,
		ElementType: types.StringType,
		MarkdownDescription: "The numbers the API refused or whose delivery failed (`failed`, `rejected`, `dead`, `expired`), " +
			"each with its status and, when the API gave one, the reason, such as `failed: +15550100009 is not a WhatsApp account`, or the status alone (`dead`). " +
			"Empty when none failed. A plan that adds numbers shows it as known after apply, since a new number may be refused; " +
			"the apply keeps its entries.",
	}
	attrs["accepted_count"] = schema.Int64Attribute{
		Computed:            true,
		MarkdownDescription: "How many destinations have a message on its way or delivered (any status that is not a failure or `unknown`).",
	}
	attrs["failed_count"] = schema.Int64Attribute{
		Computed:            true,
		MarkdownDescription: "How many destinations the API refused or whose delivery failed (`failed`, `rejected`, `dead`, `expired`).",
	}
	attrs["unknown_count"] = schema.Int64Attribute{
		Computed: true,
		MarkdownDescription: "How many destinations have status `unknown`: the connection failed after their batch was " +
			"sent, so the API may or may not have accepted them. They are not sent to again on their own.",
	}
	attrs["unsent_count"] = schema.Int64Attribute{
		Computed: true,
		MarkdownDescription: "How many destinations have not been sent to yet, because an apply stopped before their " +
			"batch (for example after a batch ran into `request_timeout`). The next apply sends to them, and only to them.\n\n" +
			"To make `terraform apply` fail when a broadcast is not wholly sent, without a later apply sending again to any " +
			"number that may have received it, check `unknown_count` and `unsent_count` (and `failed_count` if refused " +
			"numbers matter) in a `lifecycle { postcondition }` (see the guide on sending messages safely).",
	}

	resp.Schema = schema.Schema{
		Version: 2,
		MarkdownDescription: "Sends one message to many numbers. Partial failure is reported per number: numbers the API " +
			"accepted are never sent to again, numbers it refused are listed in `failed` with the reason.\n\n" +
			"Adding destinations sends only to the new numbers and removing destinations only forgets them. Changing " +
			"the content, `source`, `scheduled` or `reference` **replaces** the broadcast, which **sends it again to every " +
			"number**, and the plan says so. Destroy only removes it from state.",
		Attributes: attrs,
	}
}

func (r *broadcastResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *broadcastResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan broadcastModel
	resp.Diagnostics.Append(getModel(ctx, req.Plan.Raw, broadcastType(), &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.ID = types.StringValue(newLocalID())
	results, diags := r.send(ctx, plan, distinctStrings(plan.Destinations.Elements()), map[string]deliveryResult{}, true)
	resp.Diagnostics.Append(diags...)
	if len(results) == 0 {
		return // nothing accepted: no state, the error says why
	}
	// Some numbers were sent to: record them, and report problems as
	// warnings. An error here would taint the broadcast and the next apply
	// would send to every number again.
	resp.Diagnostics = demoteErrors(resp.Diagnostics)
	resp.Diagnostics.Append(plan.setResults(results)...)
	resp.Diagnostics.Append(setStateModel(ctx, &resp.State, broadcastType(), &plan)...)
}

func (r *broadcastResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	// Only the attributes a refresh changes are read and written: decoding
	// the whole state (10,000 destinations) costs more than the status reads.
	// The protocol server refreshes through readPartial instead when it can
	// (partial_read.go); both go through refresh.
	var id types.String
	var stored types.Map
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("id"), &id)...)
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("results"), &stored)...)
	if resp.Diagnostics.HasError() {
		return
	}
	results := readResults(stored)
	if !r.refresh(ctx, r.data, id, results, &resp.Diagnostics) {
		return
	}
	v, diags := resultsValue(results, nil)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("results"), v.results)...)
	for name, val := range v.refreshed() {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(name), val)...)
	}
}

func (r *broadcastResource) readPartial(ctx context.Context, data *providerData, st *partialState) diag.Diagnostics {
	id, diags := partialGet[types.String](ctx, st, "id")
	if diags.HasError() {
		return diags
	}
	// results is read and written as msgpack, without framework values:
	// 10,000 of them cost more to convert than to refresh.
	stored, err := st.stringMap("results")
	if err != nil {
		diags.AddAttributeError(path.Root("results"), "Unable to Read State", err.Error())
		return diags
	}
	results := make(map[string]deliveryResult, len(stored))
	for number, s := range stored {
		results[number] = parseResult(s)
	}
	if !r.refresh(ctx, data, id, results, &diags) {
		return diags
	}
	v, d := resultSummary(results, nil)
	diags.Append(d...)
	if diags.HasError() {
		return diags
	}
	for number, res := range results {
		stored[number] = res.text()
	}
	if err := st.setStringMap("results", stored); err != nil {
		diags.AddAttributeError(path.Root("results"), "Unable to Write State", err.Error())
		return diags
	}
	for name, val := range v.refreshed() {
		diags.Append(st.set(ctx, name, val)...)
	}
	return diags
}

// refreshed are the attributes besides results that a refresh rewrites
// (unsent_count does not change: only an apply sends).
func (v resultValues) refreshed() map[string]attr.Value {
	return map[string]attr.Value{
		"failed":         v.failed,
		"accepted_count": types.Int64Value(v.counts.accepted), "failed_count": types.Int64Value(v.counts.failed),
		"unknown_count": types.Int64Value(v.counts.unknown),
	}
}

// refresh reads the status of every message of the broadcast id whose
// results are stored, updates results in place, and reports whether any
// status changed (the state stays as it is when none did, or on error).
func (r *broadcastResource) refresh(ctx context.Context, data *providerData, id types.String, results map[string]deliveryResult, diags *diag.Diagnostics) bool {
	if unknown := numbersWithStatus(results, statusUnknown); len(unknown) > 0 {
		diags.AddWarning("Outcome of Some Sends Unknown",
			fmt.Sprintf("The broadcast %s has %s recorded with status %q because the connection failed after their batch "+
				"was sent: %s. They are not sent to again on their own. Check whether they received the message; to send to one "+
				"again, remove it from destinations, apply, and add it back.",
				id.ValueString(), numbersText(len(unknown)), statusUnknown, summarizeNumbers(unknown)))
	}
	if data != nil && data.client == nil {
		return false // provider configuration unknown during plan: keep the statuses from state
	}
	c := data.apiClient(diags, "read ezitxt_broadcast")
	if c == nil {
		return false
	}
	refreshed, changed, notFound, errs := refreshResults(ctx, c, results, data.concurrency())
	if len(notFound) > 0 {
		// Never forget a number that was sent to: the next apply would send
		// to it again.
		diags.AddWarning("Broadcast Messages Not Found",
			fmt.Sprintf("The API no longer knows the messages of %s of the broadcast %s: %s. They are kept in state with "+
				"their last known status so that they are not sent to again.",
				numbersText(len(notFound)), id.ValueString(), summarizeNumbers(notFound)))
	}
	if len(errs) > 0 {
		detail := fmt.Sprintf("Reading the status of %d of the %d messages of the broadcast %s failed; they keep their last "+
			"known status, and nothing is sent again. The first error:\n\n%s", len(errs), refreshed+len(errs), id.ValueString(), errs[0])
		if refreshed == 0 && len(notFound) == 0 {
			// Nothing could be read: most likely the credentials or the
			// service, which the user must hear about.
			diags.AddError("Unable to Read Broadcast Statuses", detail)
			return false
		}
		diags.AddWarning("Unable to Read Some Broadcast Statuses", detail)
	}
	return changed > 0 && !diags.HasError()
}

func (r *broadcastResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state broadcastModel
	resp.Diagnostics.Append(getModel(ctx, req.Plan.Raw, broadcastType(), &plan)...)
	resp.Diagnostics.Append(getModel(ctx, req.State.Raw, broadcastType(), &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	rawDiags := checkRawAtApply(state.contentModel, plan.contentModel, "The broadcast "+state.ID.ValueString(), "ezitxt_broadcast")
	resp.Diagnostics.Append(rawDiags...)
	if rawDiags.HasError() {
		resp.Diagnostics.Append(setStateModel(ctx, &resp.State, broadcastType(), &state)...) // unchanged: nothing was sent
		return
	}
	prior := readResults(state.Results)
	wanted := distinctStrings(plan.Destinations.Elements())
	pending, _ := splitDestinations(wanted, prior)
	results := keepResults(prior, wanted)
	plan.ID = state.ID
	if len(pending) > 0 {
		var diags diag.Diagnostics
		results, diags = r.send(ctx, plan, pending, results, false)
		resp.Diagnostics.Append(diags...)
		if unsent := missingResults(pending, results); len(unsent) > 0 && !resp.Diagnostics.HasError() {
			// The plan promised an outcome for each of them (a warning
			// alone would leave the state short of the plan's entries).
			resp.Diagnostics.AddError("Broadcast Partly Sent",
				fmt.Sprintf("%s not sent to yet: %s. The numbers sent to are recorded; the next apply sends to these.",
					countNumbers(len(unsent), "was", "were"), summarizeNumbers(unsent)))
		}
	}
	// On update an error does not taint: state is saved either way, so the
	// numbers sent to are recorded and never sent to again.
	resp.Diagnostics.Append(plan.setResults(results)...)
	resp.Diagnostics.Append(setStateModel(ctx, &resp.State, broadcastType(), &plan)...)
	// The configuration is adopted (after import): the imported details are
	// compared no more.
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateImportedDetails, nil)...)
}

func (r *broadcastResource) Delete(_ context.Context, _ resource.DeleteRequest, _ *resource.DeleteResponse) {
	// Nothing to call: messages cannot be recalled. The plan already warned.
}

func (r *broadcastResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_broadcast"
}

// broadcastInputSpecs are the inputs of ezitxt_broadcast whose change sends
// the broadcast again to every number (destinations are handled apart).
func broadcastInputSpecs() map[string]inputSpec {
	return mergeSpecs(sendSpecs(), contentSpecs())
}

func (r *broadcastResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	resp.Diagnostics.Append(validateContent(ctx, req.Config)...)
}

// ModifyPlan works out which destinations a plan sends to, and plans the
// results: unknown when anything will be sent, else the prior results minus
// the numbers removed.
func (r *broadcastResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		var state broadcastModel
		resp.Diagnostics.Append(getModel(ctx, req.State.Raw, broadcastType(), &state)...)
		resp.Diagnostics.AddWarning("Destroying a Broadcast Does Not Unsend It",
			fmt.Sprintf("The broadcast to %d numbers is only removed from Terraform state; WhatsApp messages cannot be recalled.%s",
				len(state.Destinations.Elements()), scheduledNote(state.Scheduled, r.data.now())))
		return
	}
	var scheduled scheduledDateTime
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("scheduled"), &scheduled)...)
	if req.State.Raw.IsNull() {
		// A create, or the create half of a replacement: a send is planned.
		checkPlannedSchedule(path.Root("scheduled"), scheduled, r.data.now(), &resp.Diagnostics)
		return
	}

	var destinations types.List
	var priorID types.String
	var priorResults types.Map
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("destinations"), &destinations)...)
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("id"), &priorID)...)
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("results"), &priorResults)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if importedRecord(ctx, req.State) {
		// Compared once the content is known (at the latest, the plan
		// Terraform makes again at apply).
		var plan broadcastModel
		unknown, diags := getPlanModel(ctx, req.Plan.Raw, broadcastType(), &plan)
		resp.Diagnostics.Append(diags...)
		if !unknown && !diags.HasError() {
			warnImportDifferences(ctx, req.Private, "The broadcast "+priorID.ValueString(), plan.contentModel, &resp.Diagnostics)
		}
	}
	results := readResults(priorResults)
	if changed := replacedInputs(ctx, req.State, req.Plan, broadcastInputSpecs()); len(changed) > 0 {
		// Terraform plans the create half again without the prior state;
		// the results planned here do not matter.
		resp.Diagnostics.AddWarning("Changing a Sent Broadcast Sends It Again",
			fmt.Sprintf("A sent message cannot be edited, so the change of %s replaces the broadcast %s: apply sends the new "+
				"message to %s. Messages already sent are not recalled. "+
				"To add numbers without sending again to the others, change only destinations.",
				strings.Join(changed, ", "), priorID.ValueString(), replacedSends(destinations, results)))
		return
	}
	warnMediaReupload(ctx, req.State, req.Plan, "The broadcast "+priorID.ValueString()+" (to every number in results)",
		"ezitxt_broadcast", &resp.Diagnostics)
	warnRawAtApply(ctx, req.State, req.Plan, "The broadcast "+priorID.ValueString()+" (to every number in results)",
		"ezitxt_broadcast", &resp.Diagnostics)
	if destinations.IsUnknown() || !allKnown(destinations.Elements()) {
		markResultsUnknown(ctx, &resp.Plan, types.MapUnknown(types.StringType), &resp.Diagnostics)
		return
	}
	wanted := distinctStrings(destinations.Elements())
	pending, removed := splitDestinations(wanted, results)
	if len(pending) > 0 {
		// Terraform shows a changed list position by position, and the
		// results as all gone until the apply, so say here which numbers
		// the apply sends to and which it forgets. The warnings about
		// destinations are the resource's, not the attribute's: Terraform
		// prints the source of a diagnostic's attribute whole, which for a
		// list of numbers written out is a line per number.
		resp.Diagnostics.AddWarning("Broadcast Sends to Numbers Not Sent to Yet",
			strings.TrimSpace(fmt.Sprintf("%s no outcome yet: %s. Apply sends the broadcast %s to %s. %s %s",
				countNumbers(len(pending), "has", "have"), summarizeNumbers(pending), priorID.ValueString(), pronoun(len(pending)),
				othersNote(len(wanted)-len(pending)), removedNote(removed))))
		if t, d := scheduled.ValueRFC3339Time(); !scheduled.IsNull() && !scheduled.IsUnknown() && !d.HasError() && !t.After(r.data.now()) {
			resp.Diagnostics.AddWarning("New Destinations Are Sent Immediately",
				fmt.Sprintf("The broadcast was scheduled for %s, which has passed, so %s as soon as it is applied.",
					t.Format(time.RFC3339), countNumbers(len(pending), "not sent to yet receives it", "not sent to yet receive it")))
		}
		// The outcomes of the numbers sent to are known after the send: the
		// plan shows an entry known after apply for each of them, even when
		// destinations did not change (numbers left unsent by an earlier
		// failed apply), and the others as they are.
		markResultsUnknown(ctx, &resp.Plan, plannedResults(keepResults(results, wanted), pending), &resp.Diagnostics)
		return
	}
	var count types.Int64
	resp.Diagnostics.Append(resp.Plan.GetAttribute(ctx, path.Root("accepted_count"), &count)...)
	if len(removed) == 0 && !count.IsUnknown() {
		return // nothing changed: the planned results are the prior ones
	}
	// Numbers removed, or another change that sends nothing (the framework
	// then plans every computed attribute unknown): the results are the
	// prior ones of the numbers kept.
	if len(removed) > 0 {
		// An update of a broadcast that sends nothing: say so.
		resp.Diagnostics.AddWarning("Broadcast Forgets Removed Numbers",
			removedNote(removed)+" "+keptNote(len(wanted)))
	}
	resp.Diagnostics.Append(setResultAttributes(ctx, &resp.Plan, keepResults(results, wanted), wanted)...)
}

// missingResults returns the numbers of pending that have no result.
func missingResults(pending []string, results map[string]deliveryResult) []string {
	var out []string
	for _, n := range pending {
		if _, ok := results[n]; !ok {
			out = append(out, n)
		}
	}
	return out
}

// replacedSends says whom a replaced broadcast sends to: every distinct
// number of destinations, and how many of them had an outcome before.
func replacedSends(destinations types.List, results map[string]deliveryResult) string {
	if destinations.IsUnknown() || !allKnown(destinations.Elements()) {
		return fmt.Sprintf("every number of destinations, known only at apply (%s had an outcome before)", numbersText(len(results)))
	}
	wanted := distinctStrings(destinations.Elements())
	again := 0
	for _, n := range wanted {
		if _, ok := results[n]; ok {
			again++
		}
	}
	switch {
	case len(wanted) == 1 && again == 1:
		return "its one number, already sent to"
	case len(wanted) == 1:
		return "its one number"
	case again == 0:
		return fmt.Sprintf("every one of its %d numbers", len(wanted))
	}
	return fmt.Sprintf("every one of its %d numbers, including the %d already sent to", len(wanted), again)
}

// keptNote says that the numbers a broadcast keeps are not sent to again.
func keptNote(n int) string {
	switch n {
	case 0:
		return "No number is left."
	case 1:
		return "The number left is not sent to again."
	}
	return fmt.Sprintf("The %d numbers left are not sent to again.", n)
}

// allKnown reports whether every value is known.
func allKnown(vs []attr.Value) bool {
	for _, v := range vs {
		if v.IsUnknown() {
			return false
		}
	}
	return true
}

func scheduledNote(s scheduledDateTime, now time.Time) string {
	if t, d := s.ValueRFC3339Time(); !s.IsNull() && !d.HasError() && t.After(now) {
		return fmt.Sprintf(" It is scheduled for %s and will still be delivered then.", t.Format(time.RFC3339))
	}
	return ""
}

// send broadcasts to numbers and merges the outcome into results. A
// schedule that has passed (possible when adding numbers later) is dropped
// so that the new numbers receive the message now.
func (r *broadcastResource) send(ctx context.Context, plan broadcastModel, numbers []string, results map[string]deliveryResult, create bool) (map[string]deliveryResult, diag.Diagnostics) {
	var diags diag.Diagnostics
	c := r.data.apiClient(&diags, "send ezitxt_broadcast")
	if c == nil {
		return results, diags
	}
	b := client.Broadcast{
		Destinations: numbers,
		Source:       plan.Source.ValueString(),
		Reference:    plan.Reference.ValueString(),
		Content:      plan.toClient(),
	}
	if t, d := plan.Scheduled.ValueRFC3339Time(); !plan.Scheduled.IsNull() && !d.HasError() && (create || t.After(r.data.now())) {
		b.Scheduled = &t
	}
	outcome, err := c.SendBroadcast(ctx, b)
	var failed []string
	for _, res := range outcome.Results {
		results[res.Destination] = deliveryResult{ID: res.ID, Status: res.Status, Error: res.Message}
		if client.MessageStatus(res.Status).IsFailure() {
			failed = append(failed, res.Destination)
		}
	}
	for _, n := range outcome.Ambiguous {
		results[n] = deliveryResult{Status: statusUnknown,
			Error: "the connection failed after this number's batch was sent; the API may have accepted it"}
	}
	tflog.Info(ctx, "broadcast sent", map[string]any{
		"answered": len(outcome.Results), "refused": len(failed), "unknown": len(outcome.Ambiguous), "not_sent": len(outcome.NotSent),
	})

	if len(failed) > 0 {
		diags.AddAttributeWarning(path.Root("failed"), "Some Destinations Were Refused",
			fmt.Sprintf("The API refused %d of %d numbers: %s. They are listed in failed with the reason and are not retried; "+
				"the other numbers were sent to and will not be sent to again.", len(failed), len(numbers), summarizeNumbers(failed)))
	}
	switch {
	case err == nil:
	case len(outcome.Ambiguous) > 0:
		diags.AddWarning("Outcome of Some Sends Unknown", fmt.Sprintf("%s\n\nThe %d numbers of that batch are recorded with status %q "+
			"and are not sent again on their own. Check whether they received the message; to send to one again, remove it "+
			"from destinations, apply, and add it back.%s", err, len(outcome.Ambiguous), statusUnknown, notSentNote(outcome.NotSent)))
	case len(outcome.Results) == 0:
		diags.AddError("Unable to Send Broadcast", fmt.Sprintf("The API accepted none of the %d numbers, so nothing was sent; "+
			"the next apply tries again.\n\n%s%s", len(numbers), err, sourceHint(err, plan.Source.ValueString())))
	default:
		diags.AddError("Broadcast Partly Sent", fmt.Sprintf("%s\n\n%d numbers were sent to and are recorded.%s",
			err, len(outcome.Results), notSentNote(outcome.NotSent)))
	}
	return results, diags
}

func notSentNote(notSent []string) string {
	if len(notSent) == 0 {
		return ""
	}
	return fmt.Sprintf(" %d numbers were not sent to yet (%s); the next apply sends to them.", len(notSent), summarizeNumbers(notSent))
}

// summarizeNumbers lists up to ten numbers and counts the rest.
// othersNote says that the numbers with an outcome are not sent to again.
// numbersText is "1 number" or "N numbers".
func numbersText(n int) string {
	if n == 1 {
		return "1 number"
	}
	return fmt.Sprintf("%d numbers", n)
}

// pronoun is "it" for one number and "them" for more.
func pronoun(n int) string {
	if n == 1 {
		return "it"
	}
	return "them"
}

func othersNote(n int) string {
	switch n {
	case 0:
		return "None of the numbers in destinations has an outcome yet."
	case 1:
		return "The other number has an outcome already and is not sent to again."
	}
	return fmt.Sprintf("The other %d numbers have an outcome already and are not sent to again.", n)
}

// removedNote names the numbers a plan removes from a broadcast's
// destinations, if any, for a warning that names the ones it sends to.
func removedNote(removed []string) string {
	switch len(removed) {
	case 0:
		return ""
	case 1:
		return fmt.Sprintf("1 number is removed from destinations: %s. Apply only drops its outcome from the state: nothing "+
			"is sent to it, and a message sent before is not recalled. Adding it back later sends to it again.", removed[0])
	}
	return fmt.Sprintf("%d numbers are removed from destinations: %s. Apply only drops their outcomes from the state: "+
		"nothing is sent to them, and messages sent before are not recalled. Adding one back later sends to it again.",
		len(removed), summarizeNumbers(removed))
}

func summarizeNumbers(ns []string) string {
	const show = 10
	if len(ns) <= show {
		return strings.Join(ns, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(ns[:show], ", "), len(ns)-show)
}

// demoteErrors turns errors into warnings of the same text.
func demoteErrors(in diag.Diagnostics) diag.Diagnostics {
	var out diag.Diagnostics
	for _, d := range in {
		if d.Severity() == diag.SeverityError {
			if wp, ok := d.(diag.DiagnosticWithPath); ok {
				out.AddAttributeWarning(wp.Path(), d.Summary(), d.Detail())
				continue
			}
			out.AddWarning(d.Summary(), d.Detail())
			continue
		}
		out.Append(d)
	}
	return out
}

// newLocalID returns a random UUID identifying a resource the API has no ID for.
func newLocalID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = (b[6] & 0x0f) | 0x40
	b[8] = (b[8] & 0x3f) | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
