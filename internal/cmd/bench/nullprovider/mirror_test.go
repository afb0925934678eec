package main

import (
	"context"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// TestDestinationsOf: the numbers of a list, a set and a map keyed by
// number, and none while any is unknown.
func TestDestinationsOf(t *testing.T) {
	t.Parallel()
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	unknown := tftypes.NewValue(tftypes.String, tftypes.UnknownValue)
	list := tftypes.List{ElementType: tftypes.String}
	set := tftypes.Set{ElementType: tftypes.String}
	mp := tftypes.Map{ElementType: tftypes.String}
	for _, tc := range []struct {
		name string
		v    tftypes.Value
		want []string
	}{
		{"list", tftypes.NewValue(list, []tftypes.Value{str("+2"), str("+1")}), []string{"+2", "+1"}},
		{"set", tftypes.NewValue(set, []tftypes.Value{str("+1"), str("+2")}), []string{"+1", "+2"}},
		{"map", tftypes.NewValue(mp, map[string]tftypes.Value{"+2": str(""), "+1": str("")}), []string{"+1", "+2"}},
		{"an unknown number", tftypes.NewValue(list, []tftypes.Value{str("+1"), unknown}), nil},
		{"unknown", tftypes.NewValue(list, tftypes.UnknownValue), nil},
	} {
		if got := destinationsOf(tc.v); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestMirrorModifyPlan: only the broadcast mirrors plan, and a change of destinations plans results as
// ezitxt_broadcast does, for each type of destinations.
func TestMirrorModifyPlan(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var r resource.Resource = &mirror{name: "message", of: "ezitxt_message"}
	if _, ok := r.(resource.ResourceWithModifyPlan); ok {
		t.Error("benchnull_message has a ModifyPlan: its floor would include one")
	}
	for _, design := range []string{"", "map", "set"} {
		m := &broadcastMirror{mirror{name: "broadcast", of: "ezitxt_broadcast", destinations: design}}
		var sr resource.SchemaResponse
		m.Schema(ctx, resource.SchemaRequest{}, &sr)
		if sr.Diagnostics.HasError() {
			t.Fatalf("%q: schema: %v", design, sr.Diagnostics)
		}
		typ, ok := sr.Schema.Type().TerraformType(ctx).(tftypes.Object)
		if !ok {
			t.Fatalf("%q: the schema's type is not an object", design)
		}
		destType := typ.AttributeTypes["destinations"]
		numbers := func(ns ...string) tftypes.Value {
			if destType.Is(tftypes.Map{}) {
				m := map[string]tftypes.Value{}
				for _, n := range ns {
					m[n] = tftypes.NewValue(tftypes.String, "")
				}
				return tftypes.NewValue(destType, m)
			}
			var l []tftypes.Value
			for _, n := range ns {
				l = append(l, tftypes.NewValue(tftypes.String, n))
			}
			return tftypes.NewValue(destType, l)
		}
		object := func(dest, results tftypes.Value) tftypes.Value {
			attrs := map[string]tftypes.Value{}
			for name, at := range typ.AttributeTypes {
				attrs[name] = tftypes.NewValue(at, nil)
			}
			attrs["destinations"], attrs["results"] = dest, results
			return tftypes.NewValue(typ, attrs)
		}
		resultsType := typ.AttributeTypes["results"]
		prior := object(numbers("+1", "+2"), tftypes.NewValue(resultsType, map[string]tftypes.Value{
			"+1": tftypes.NewValue(tftypes.String, "accepted a"), "+2": tftypes.NewValue(tftypes.String, "accepted b"),
		}))
		proposed := object(numbers("+2", "+3"), tftypes.NewValue(resultsType, tftypes.UnknownValue))
		req := resource.ModifyPlanRequest{
			State: tfsdk.State{Schema: sr.Schema, Raw: prior},
			Plan:  tfsdk.Plan{Schema: sr.Schema, Raw: proposed},
		}
		resp := resource.ModifyPlanResponse{Plan: req.Plan}
		m.ModifyPlan(ctx, req, &resp)
		var attrs map[string]tftypes.Value
		var results map[string]tftypes.Value
		if err := resp.Plan.Raw.As(&attrs); err != nil {
			t.Fatal(err)
		}
		if err := attrs["results"].As(&results); err != nil {
			t.Fatalf("%q: planned results %v: %v", design, attrs["results"], err)
		}
		var kept string
		if len(results) != 2 || results["+2"].As(&kept) != nil || kept != "accepted b" || results["+3"].IsKnown() {
			t.Errorf("%q: planned results %v, want +2 kept and +3 unknown", design, results)
		}
	}
}
