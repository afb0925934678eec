package provider

import (
	"reflect"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Unit tests of the broadcast's pure helpers; the resource itself is tested
// through the CLI in resource_broadcast_test.go.

func TestSplitDestinations(t *testing.T) {
	t.Parallel()
	results := map[string]deliveryResult{
		"+2": {ID: "id-2", Status: "accepted"},
		"+4": {ID: "id-4", Status: "failed", Error: "not a WhatsApp account"},
		"+5": {Status: statusUnknown},
		"+9": {ID: "id-9", Status: "read"},
	}
	pending, removed := splitDestinations([]string{"+1", "+2", "+3", "+4", "+5"}, results)
	// Refused (+4) and unknown (+5) numbers have results: they are not sent to again.
	if want := []string{"+1", "+3"}; !reflect.DeepEqual(pending, want) {
		t.Errorf("pending = %v, want %v", pending, want)
	}
	if want := []string{"+9"}; !reflect.DeepEqual(removed, want) {
		t.Errorf("removed = %v, want %v", removed, want)
	}
	if p, r := splitDestinations(nil, nil); p != nil || r != nil {
		t.Errorf("empty: %v %v", p, r)
	}
	kept := keepResults(results, []string{"+1", "+2", "+5"})
	if want := map[string]deliveryResult{"+2": results["+2"], "+5": results["+5"]}; !reflect.DeepEqual(kept, want) {
		t.Errorf("keepResults = %v, want %v", kept, want)
	}
}

func TestResultsValue(t *testing.T) {
	t.Parallel()
	results := map[string]deliveryResult{
		"+1": {ID: "a", Status: "accepted"},
		"+2": {ID: "b", Status: "read"},
		"+3": {ID: "c", Status: "failed", Error: "not a WhatsApp account"},
		"+4": {ID: "d", Status: "expired"},
		"+5": {Status: statusUnknown, Error: "the connection failed"},
	}
	// +6 is wanted but has no result: not sent yet.
	v, diags := resultsValue(results, []string{"+1", "+2", "+3", "+4", "+5", "+6"})
	if diags.HasError() {
		t.Fatal(diags)
	}
	if want := (broadcastCounts{accepted: 2, failed: 2, unknown: 1, unsent: 1}); v.counts != want {
		t.Errorf("counts %+v, want %+v (unknown counts as neither accepted nor failed)", v.counts, want)
	}
	wantResults := map[string]attr.Value{
		"+1": types.StringValue("accepted a"), "+2": types.StringValue("read b"),
		"+3": types.StringValue("failed c not a WhatsApp account"), "+4": types.StringValue("expired d"),
		"+5": types.StringValue("unknown  the connection failed"),
	}
	if got := v.results.Elements(); !reflect.DeepEqual(got, wantResults) {
		t.Errorf("results = %v, want %v (status, ID, then the reason when there is one)", got, wantResults)
	}
	wantFailed := map[string]attr.Value{
		"+3": types.StringValue("failed: not a WhatsApp account"), "+4": types.StringValue("expired"),
	}
	if got := v.failed.Elements(); !reflect.DeepEqual(got, wantFailed) {
		t.Errorf("failed = %v, want %v (failures only, with their reason)", got, wantFailed)
	}
	if back := readResults(v.results); !reflect.DeepEqual(back, results) {
		t.Errorf("readResults(resultsValue(r)) = %v; want %v", back, results)
	}
	if got := readResults(types.MapUnknown(types.StringType)); len(got) != 0 {
		t.Errorf("unknown results read as %v", got)
	}
	// A plan that sends to +6 keeps the others' entries and plans +6's.
	planned := plannedResults(results, []string{"+6"})
	if got := planned.Elements(); len(got) != 6 || !got["+6"].IsUnknown() || !got["+1"].Equal(wantResults["+1"]) {
		t.Errorf("plannedResults = %v, want the 5 outcomes and +6 unknown", got)
	}
	if got := readResults(planned); !reflect.DeepEqual(got, results) {
		t.Errorf("readResults(planned) = %v, want the outcomes without the unknown entry", got)
	}
}

// An entry's text reads back as it was, whatever the reason holds.
func TestParseResult(t *testing.T) {
	t.Parallel()
	for _, r := range []deliveryResult{
		{Status: "accepted", ID: "3fa85f64-5717-4562-b3fc-2c963f66afa6"},
		{Status: "unknown", Error: "the connection failed after this number's batch was sent"},
		{Status: "failed", ID: "x", Error: "a reason with  two spaces, and a trailing one "},
		{Status: "rejected", Error: "refused"},
		{},
	} {
		if got := parseResult(r.text()); got != r {
			t.Errorf("parseResult(%q) = %+v, want %+v", r.text(), got, r)
		}
	}
}

func TestDistinctStrings(t *testing.T) {
	t.Parallel()
	in := []attr.Value{
		types.StringValue("+3"), types.StringValue("+1"), types.StringValue("+3"),
		types.StringNull(), types.StringUnknown(), types.StringValue("+2"),
	}
	if got, want := distinctStrings(in), []string{"+1", "+2", "+3"}; !reflect.DeepEqual(got, want) {
		t.Errorf("distinctStrings = %v, want %v", got, want)
	}
	if !allKnown(in[:3]) || allKnown(in) {
		t.Error("allKnown is wrong")
	}
}

func TestDemoteErrors(t *testing.T) {
	t.Parallel()
	var in diag.Diagnostics
	in.AddError("Plain", "a")
	in.AddAttributeError(path.Root("results"), "With Path", "b")
	in.AddWarning("Warning", "c")
	out := demoteErrors(in)
	if out.HasError() || len(out) != 3 || out.WarningsCount() != 3 {
		t.Fatalf("demoteErrors = %v", out)
	}
	wp, ok := out[1].(diag.DiagnosticWithPath)
	if !ok || !wp.Path().Equal(path.Root("results")) || out[1].Summary() != "With Path" || out[1].Detail() != "b" {
		t.Errorf("the attribute error lost its path or text: %v", out[1])
	}
}

func TestSummarizeNumbers(t *testing.T) {
	t.Parallel()
	ns := []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"}
	if got, want := summarizeNumbers(ns[:3]), "1, 2, 3"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got, want := summarizeNumbers(ns), "1, 2, 3, 4, 5, 6, 7, 8, 9, 10 and 2 more"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
