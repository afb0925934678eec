package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/client"
)

// The outcome of a broadcast per number is kept in state as a map of
// strings keyed by phone number (results), each "STATUS ID" with the
// reason appended when the API gave one, plus a typed map of the failed
// numbers and the counts. A map of 10,000 objects cost Terraform and the
// framework seconds on every plan and refresh and 2 MB of state; one JSON
// string was fast but, being one value, became unknown whenever numbers
// were added, so the plan showed every outcome as gone. A map of short
// strings keeps the outcomes of the numbers kept known in the plan (it
// names only the numbers added) at 1.1 MB of state for 10,000 numbers.
// Measured on broadcast/10000 and planchange/1000 (make bench): see
// internal/bench/README.md.

// deliveryResult is one destination's entry in results.
type deliveryResult struct {
	ID     string
	Status string
	Error  string
}

// text is the entry's value in results: the status, a space and the
// message ID (empty when the outcome of the send is unknown), then, when
// there is one, a space and the reason.
func (r deliveryResult) text() string {
	if r.Error == "" {
		return r.Status + " " + r.ID
	}
	return r.Status + " " + r.ID + " " + r.Error
}

// parseResult reads an entry of results (see text).
func parseResult(s string) deliveryResult {
	parts := strings.SplitN(s, " ", 3)
	r := deliveryResult{Status: parts[0]}
	if len(parts) > 1 {
		r.ID = parts[1]
	}
	if len(parts) > 2 {
		r.Error = parts[2]
	}
	return r
}

// resultsDescription documents results.
const resultsDescription = "The outcome per destination, keyed by phone number. Each value is the delivery status, a space " +
	"and the message ID, such as `sent 3fa85f64-5717-4562-b3fc-2c963f66afa6`, followed by a space and the reason " +
	"when the API refused the number or the outcome is unknown:\n" +
	"  - the status is as for `ezitxt_message`, updated on every refresh (entries already `read` or failed are final " +
	"and not looked up again); `unknown` when the connection failed after the number's batch was sent, in which case " +
	"the number is not sent to again on its own;\n" +
	"  - the message ID is empty when the outcome of the send is unknown.\n\n" +
	"Read them with `split`: `split(\" \", ezitxt_broadcast.NAME.results[\"+6421000001\"])[1]` is that number's message ID " +
	"(`[0]` its status), and `[for v in values(ezitxt_broadcast.NAME.results) : split(\" \", v)[1]]` every ID. `failed` lists " +
	"the refused numbers with their reasons. Numbers with no entry yet are pending. A plan that adds numbers shows a new " +
	"entry, known after apply, for each of them and leaves the others as they are. A map of short strings rather than " +
	"of objects keeps plans and refreshes of large broadcasts fast (see the guide " +
	"[Large broadcasts in pipelines](../guides/large-broadcasts-in-pipelines.md))."

// readResults decodes results (null or unknown: no results). An unknown
// entry, planned for a number not sent to yet, is left out; a null one
// (only in state edited by hand) is an outcome with no status or ID, as
// the refresh reads it: the number is not sent to again.
func readResults(m types.Map) map[string]deliveryResult {
	out := make(map[string]deliveryResult, len(m.Elements()))
	for number, v := range m.Elements() {
		if v.IsUnknown() {
			continue
		}
		s, _ := stringOf(v)
		out[number] = parseResult(s)
	}
	return out
}

// resultsMap is results as a map value.
func resultsMap(results map[string]deliveryResult) types.Map {
	elems := make(map[string]attr.Value, len(results))
	for number, r := range results {
		elems[number] = types.StringValue(r.text())
	}
	return types.MapValueMust(types.StringType, elems)
}

// plannedResults is the results a plan that sends to pending expects:
// the outcomes of the numbers kept as they are, and one entry known after
// apply for each number sent to.
func plannedResults(kept map[string]deliveryResult, pending []string) types.Map {
	elems := make(map[string]attr.Value, len(kept)+len(pending))
	for number, r := range kept {
		elems[number] = types.StringValue(r.text())
	}
	for _, number := range pending {
		elems[number] = types.StringUnknown()
	}
	return types.MapValueMust(types.StringType, elems)
}

// broadcastCounts are the counts of a broadcast's results.
type broadcastCounts struct {
	accepted, failed, unknown, unsent int64
}

// failureText is a failed number's entry in failed: its status and why.
func failureText(r deliveryResult) string {
	if r.Error == "" {
		return r.Status
	}
	return r.Status + ": " + r.Error
}

// resultValues are the planned or stored values derived from results and
// the destinations wanted.
type resultValues struct {
	results types.Map
	failed  types.Map
	counts  broadcastCounts
}

// resultsValue builds results, failed and the counts.
func resultsValue(results map[string]deliveryResult, wanted []string) (resultValues, diag.Diagnostics) {
	v, diags := resultSummary(results, wanted)
	v.results = resultsMap(results)
	return v, diags
}

// resultSummary builds failed and the counts, without results.
func resultSummary(results map[string]deliveryResult, wanted []string) (resultValues, diag.Diagnostics) {
	var diags diag.Diagnostics
	var n broadcastCounts
	failed := map[string]attr.Value{}
	for number, r := range results {
		switch {
		case client.MessageStatus(r.Status).IsFailure():
			n.failed++
			failed[number] = types.StringValue(failureText(r))
		case r.Status == statusUnknown:
			n.unknown++
		case r.ID != "":
			n.accepted++
		}
	}
	for _, number := range wanted {
		if _, ok := results[number]; !ok {
			n.unsent++
		}
	}
	fm, d := types.MapValue(types.StringType, failed)
	diags.Append(d...)
	return resultValues{failed: fm, counts: n}, diags
}

func (m *broadcastModel) setResults(results map[string]deliveryResult) diag.Diagnostics {
	v, diags := resultsValue(results, distinctStrings(m.Destinations.Elements()))
	m.Results, m.Failed = v.results, v.failed
	m.AcceptedCount, m.FailedCount = types.Int64Value(v.counts.accepted), types.Int64Value(v.counts.failed)
	m.UnknownCount, m.UnsentCount = types.Int64Value(v.counts.unknown), types.Int64Value(v.counts.unsent)
	return diags
}

// attributeSetter is a plan or a state, whose attributes are set one by one
// (without decoding the rest, such as 10,000 destinations).
type attributeSetter interface {
	SetAttribute(context.Context, path.Path, any) diag.Diagnostics
}

// setResultAttributes sets results, failed and the counts.
func setResultAttributes(ctx context.Context, to attributeSetter, results map[string]deliveryResult, wanted []string) diag.Diagnostics {
	v, diags := resultsValue(results, wanted)
	diags.Append(to.SetAttribute(ctx, path.Root("results"), v.results)...)
	diags.Append(to.SetAttribute(ctx, path.Root("failed"), v.failed)...)
	for name, count := range map[string]int64{"accepted_count": v.counts.accepted, "failed_count": v.counts.failed,
		"unknown_count": v.counts.unknown, "unsent_count": v.counts.unsent} {
		diags.Append(to.SetAttribute(ctx, path.Root(name), count)...)
	}
	return diags
}

// markResultsUnknown plans failed and the counts as known after apply,
// and results as given: unknown, or with an unknown entry per number sent to.
func markResultsUnknown(ctx context.Context, plan *tfsdk.Plan, results types.Map, diags *diag.Diagnostics) {
	diags.Append(plan.SetAttribute(ctx, path.Root("results"), results)...)
	diags.Append(plan.SetAttribute(ctx, path.Root("failed"), types.MapUnknown(types.StringType))...)
	for _, name := range resultCounts {
		diags.Append(plan.SetAttribute(ctx, path.Root(name), types.Int64Unknown())...)
	}
}

// resultCounts are the counts derived from results and destinations.
var resultCounts = []string{"accepted_count", "failed_count", "unknown_count", "unsent_count"}

// refreshResults reads the status of every result that can still change,
// with at most concurrency requests at once, and updates results in place.
// It returns how many statuses were read and how many of them changed, the
// numbers whose messages the API no longer knows (they keep their last
// status), and the errors.
func refreshResults(ctx context.Context, c *client.Client, results map[string]deliveryResult, concurrency int) (read, changed int, notFound []string, errs []error) {
	numberOf := map[string]string{}
	var ids []string
	for number, res := range results {
		if res.ID == "" || isFinalStatus(res.Status) {
			continue
		}
		ids = append(ids, res.ID)
		numberOf[res.ID] = number
	}
	found, missing, errs := getMessages(ctx, c, ids, concurrency)
	for id, det := range found {
		number := numberOf[id]
		res := results[number]
		if res.Status != det.Status {
			changed++
		}
		res.Status = det.Status
		results[number] = res
	}
	notFound = make([]string, 0, len(missing))
	for _, id := range missing {
		notFound = append(notFound, numberOf[id])
	}
	slices.Sort(notFound)
	return len(found), changed, notFound, errs
}

// numbersWithStatus returns the numbers whose result has status, sorted.
func numbersWithStatus(results map[string]deliveryResult, status string) []string {
	var out []string
	for number, r := range results {
		if r.Status == status {
			out = append(out, number)
		}
	}
	slices.Sort(out)
	return out
}

// isFinalStatus reports whether a status can no longer change.
func isFinalStatus(s string) bool {
	st := client.MessageStatus(s)
	return st == client.StatusRead || st.IsFailure()
}

// splitDestinations returns the wanted numbers that have no result yet (to
// send) and the numbers with results that are no longer wanted (to forget).
func splitDestinations(wanted []string, results map[string]deliveryResult) (pending, removed []string) {
	want := make(map[string]bool, len(wanted))
	for _, n := range wanted {
		want[n] = true
		if _, ok := results[n]; !ok {
			pending = append(pending, n)
		}
	}
	for n := range results {
		if !want[n] {
			removed = append(removed, n)
		}
	}
	slices.Sort(removed)
	return pending, removed
}

// keepResults returns the results of the wanted numbers only.
func keepResults(results map[string]deliveryResult, wanted []string) map[string]deliveryResult {
	out := make(map[string]deliveryResult, len(wanted))
	for _, n := range wanted {
		if r, ok := results[n]; ok {
			out[n] = r
		}
	}
	return out
}

// distinctStrings returns the known strings among vs, sorted, each once.
func distinctStrings(vs []attr.Value) []string {
	out := make([]string, 0, len(vs))
	for _, v := range vs {
		if str, ok := stringOf(v); ok {
			out = append(out, str)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Version 0 of the schema (up to 0.x of this provider) kept results as a
// map of objects and had no failed map; version 1 kept results as one JSON
// string of those objects.

// deliveryObjectTypeV0 is an entry of version 0's results map.
var deliveryObjectTypeV0 = types.ObjectType{AttrTypes: map[string]attr.Type{
	"id": types.StringType, "status": types.StringType, "error": types.StringType,
}}

// deliveryResultV1 is an entry of version 1's results JSON string.
type deliveryResultV1 struct {
	ID     string `json:"id"`
	Status string `json:"status"`
	Error  string `json:"error,omitempty"`
}

// UpgradeState upgrades state of versions 0 and 1: results becomes the map
// of strings, failed and the counts are derived from it. Nothing is read
// from the API and nothing is sent.
func (r *broadcastResource) UpgradeState(ctx context.Context) map[int64]resource.StateUpgrader {
	var sr resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &sr)
	priorSchema := func(version int64, results schema.Attribute, failed bool) *schema.Schema {
		prior := sr.Schema
		prior.Version = version
		prior.Attributes = make(map[string]schema.Attribute, len(sr.Schema.Attributes))
		for name, a := range sr.Schema.Attributes {
			prior.Attributes[name] = a
		}
		if !failed {
			delete(prior.Attributes, "failed")
		}
		prior.Attributes["results"] = results
		return &prior
	}
	return map[int64]resource.StateUpgrader{
		0: {
			PriorSchema: priorSchema(0, schema.MapAttribute{Computed: true, ElementType: deliveryObjectTypeV0}, false),
			StateUpgrader: func(ctx context.Context, req resource.UpgradeStateRequest, resp *resource.UpgradeStateResponse) {
				var results types.Map
				resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("results"), &results)...)
				if resp.Diagnostics.HasError() {
					return
				}
				byNumber := make(map[string]deliveryResult, len(results.Elements()))
				for number, v := range results.Elements() {
					obj, ok := v.(types.Object)
					if !ok {
						continue
					}
					a := obj.Attributes()
					byNumber[number] = deliveryResult{ID: attrString(a["id"]), Status: attrString(a["status"]), Error: attrString(a["error"])}
				}
				upgradeResults(ctx, req, resp, byNumber)
			},
		},
		1: {
			PriorSchema: priorSchema(1, schema.StringAttribute{Computed: true}, true),
			StateUpgrader: func(ctx context.Context, req resource.UpgradeStateRequest, resp *resource.UpgradeStateResponse) {
				var results types.String
				resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("results"), &results)...)
				if resp.Diagnostics.HasError() {
					return
				}
				byNumber := map[string]deliveryResult{}
				if s := results.ValueString(); s != "" {
					var v1 map[string]deliveryResultV1
					if err := json.Unmarshal([]byte(s), &v1); err != nil {
						resp.Diagnostics.AddAttributeError(path.Root("results"), "Cannot Upgrade State",
							fmt.Sprintf("results is not the JSON object of per-number outcomes that version 1 of the schema kept: %s. "+
								"If the state was edited by hand, restore it from a backup.", err))
						return
					}
					for number, e := range v1 {
						byNumber[number] = deliveryResult(e)
					}
				}
				upgradeResults(ctx, req, resp, byNumber)
			},
		},
	}
}

// upgradeResults writes the upgraded state: the prior attributes, with
// results, failed and the counts made from byNumber.
func upgradeResults(ctx context.Context, req resource.UpgradeStateRequest, resp *resource.UpgradeStateResponse, byNumber map[string]deliveryResult) {
	var destinations types.List
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("destinations"), &destinations)...)
	if resp.Diagnostics.HasError() {
		return
	}
	raw, err := upgradeRaw(ctx, req.State.Raw, resp.State, map[string]tftypes.Value{
		"results": tftypes.NewValue(tftypes.Map{ElementType: tftypes.String}, nil),
	})
	if err != nil {
		resp.Diagnostics.AddError("Cannot Upgrade State", err.Error())
		return
	}
	resp.State.Raw = raw
	resp.Diagnostics.Append(setResultAttributes(ctx, &resp.State, byNumber, distinctStrings(destinations.Elements()))...)
}

func attrString(v attr.Value) string {
	s, _ := stringOf(v)
	return s
}

// upgradeRaw carries prior's attributes over into an object of the current
// schema of state: attributes the schema no longer has are dropped, new
// ones are null, and replace sets some attributes to the values given.
func upgradeRaw(ctx context.Context, prior tftypes.Value, state tfsdk.State, replace map[string]tftypes.Value) (tftypes.Value, error) {
	typ, ok := state.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		return tftypes.Value{}, fmt.Errorf("the schema is a %s, not an object", state.Schema.Type().TerraformType(ctx))
	}
	var old map[string]tftypes.Value
	if err := prior.As(&old); err != nil {
		return tftypes.Value{}, fmt.Errorf("reading the prior state: %w", err)
	}
	attrs := make(map[string]tftypes.Value, len(typ.AttributeTypes))
	for name, at := range typ.AttributeTypes {
		v, ok := replace[name]
		if !ok {
			v, ok = old[name]
		}
		if !ok || !v.Type().Equal(at) {
			v = tftypes.NewValue(at, nil)
		}
		attrs[name] = v
	}
	return tftypes.NewValue(typ, attrs), nil
}
