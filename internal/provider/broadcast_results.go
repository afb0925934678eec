package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

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

// The outcome of a broadcast per number is kept in state as one JSON string
// (results), plus a typed map of the failed numbers and the counts. A map
// of 10,000 objects cost Terraform and the framework seconds on every plan
// and refresh (each entry is a value walked, compared and rewritten several
// times per call) and 2 MB of state; one string is a single value. Measured
// on broadcast/10000 (make bench): see the broadcast resource's
// documentation and internal/bench/README.md.

// deliveryResult is one destination's entry in results.
type deliveryResult struct {
	ID     string `json:"id"`
	Status string `json:"status"`
	Error  string `json:"error,omitempty"`
}

// resultsDescription documents results, failed and the counts.
const resultsDescription = "The outcome per destination, as a JSON object keyed by phone number (read it with " +
	"`jsondecode(ezitxt_broadcast.NAME.results)`). Each entry has:\n" +
	"  - `id`: the message ID for this number; empty when the outcome of its send is unknown.\n" +
	"  - `status`: the delivery status, as for `ezitxt_message`, updated on every refresh (entries already `read` " +
	"or failed are final and not looked up again); `unknown` when the connection failed after its batch was " +
	"sent, in which case the number is not sent to again on its own.\n" +
	"  - `error`: why the API refused this number, or why its outcome is unknown; absent otherwise.\n\n" +
	"Numbers with no entry yet are pending: the plan shows the send to them (in `destinations`). One string rather " +
	"than a map of objects keeps plans and refreshes of large broadcasts fast (see the guide [Large broadcasts in pipelines](../guides/large-broadcasts-in-pipelines.md))."

// readResults decodes a results JSON string (null or unknown: no results).
func readResults(s types.String) (map[string]deliveryResult, diag.Diagnostics) {
	out := map[string]deliveryResult{}
	if s.IsNull() || s.IsUnknown() || s.ValueString() == "" {
		return out, nil
	}
	var diags diag.Diagnostics
	if err := json.Unmarshal([]byte(s.ValueString()), &out); err != nil {
		diags.AddAttributeError(path.Root("results"), "Unexpected State",
			fmt.Sprintf("results is not a JSON object of per-number outcomes: %s. This is a bug in the provider.", err))
	}
	return out, diags
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
	results types.String
	failed  types.Map
	counts  broadcastCounts
}

// resultsValue builds results, failed and the counts.
func resultsValue(results map[string]deliveryResult, wanted []string) (resultValues, diag.Diagnostics) {
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
	b, err := json.Marshal(results) // keys sorted: the same results give the same string
	if err != nil {
		diags.AddError("Cannot Encode Results", err.Error())
	}
	fm, d := types.MapValue(types.StringType, failed)
	diags.Append(d...)
	return resultValues{results: types.StringValue(string(b)), failed: fm, counts: n}, diags
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

// markResultsUnknown plans results, failed and counts as known after apply.
func markResultsUnknown(ctx context.Context, plan *tfsdk.Plan, diags *diag.Diagnostics) {
	diags.Append(plan.SetAttribute(ctx, path.Root("results"), types.StringUnknown())...)
	diags.Append(plan.SetAttribute(ctx, path.Root("failed"), types.MapUnknown(types.StringType))...)
	for _, name := range resultCounts {
		diags.Append(plan.SetAttribute(ctx, path.Root(name), types.Int64Unknown())...)
	}
}

// resultCounts are the counts derived from results and destinations.
var resultCounts = []string{"accepted_count", "failed_count", "unknown_count", "unsent_count"}

// refreshResults reads the status of every result that can still change,
// with at most concurrency requests at once, and updates results in place.
// It returns how many statuses were read, the numbers whose messages the
// API no longer knows (they keep their last status), and the errors.
func refreshResults(ctx context.Context, c *client.Client, results map[string]deliveryResult, concurrency int) (int, []string, []error) {
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
		res.Status = det.Status
		results[number] = res
	}
	notFound := make([]string, 0, len(missing))
	for _, id := range missing {
		notFound = append(notFound, numberOf[id])
	}
	slices.Sort(notFound)
	return len(found), notFound, errs
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
// map of objects and had no failed map.

// deliveryObjectTypeV0 is an entry of version 0's results map.
var deliveryObjectTypeV0 = types.ObjectType{AttrTypes: map[string]attr.Type{
	"id": types.StringType, "status": types.StringType, "error": types.StringType,
}}

// UpgradeState upgrades state of version 0: results becomes the JSON
// string, failed is derived from it. Nothing is read from the API.
func (r *broadcastResource) UpgradeState(ctx context.Context) map[int64]resource.StateUpgrader {
	var sr resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &sr)
	prior := sr.Schema
	prior.Version = 0
	prior.Attributes = make(map[string]schema.Attribute, len(sr.Schema.Attributes))
	for name, a := range sr.Schema.Attributes {
		prior.Attributes[name] = a
	}
	delete(prior.Attributes, "failed")
	prior.Attributes["results"] = schema.MapAttribute{Computed: true, ElementType: deliveryObjectTypeV0}
	return map[int64]resource.StateUpgrader{0: {
		PriorSchema: &prior,
		StateUpgrader: func(ctx context.Context, req resource.UpgradeStateRequest, resp *resource.UpgradeStateResponse) {
			var results types.Map
			var destinations types.List
			resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("results"), &results)...)
			resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("destinations"), &destinations)...)
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
			raw, err := upgradeRaw(ctx, req.State.Raw, resp.State, map[string]tftypes.Value{"results": tftypes.NewValue(tftypes.String, nil)})
			if err != nil {
				resp.Diagnostics.AddError("Cannot Upgrade State", err.Error())
				return
			}
			resp.State.Raw = raw
			resp.Diagnostics.Append(setResultAttributes(ctx, &resp.State, byNumber, distinctStrings(destinations.Elements()))...)
		},
	}}
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
