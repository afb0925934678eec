package main

import (
	"context"
	"fmt"
	"math/big"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	ezitxt "github.com/ezitxt/terraform-provider-ezitxt/internal/provider"
)

// mirror is a resource with the schema of an ezitxt resource and no logic.
type mirror struct {
	name, of string
	// destinations, when set, retypes the destinations attribute: "map" (a
	// map of strings keyed by number) or "set" (a set of strings). These
	// are the designs the benchmark compares with the list ezitxt has.
	destinations string
}

// broadcastMirror is a mirror of ezitxt_broadcast that plans results per
// number as it does. The other mirrors have no ModifyPlan, so that the
// floors they give include none.
type broadcastMirror struct {
	mirror
}

var _ resource.ResourceWithModifyPlan = (*broadcastMirror)(nil)

func (m *mirror) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + m.name
}

// Schema is the ezitxt resource's, stripped of its validators and plan
// modifiers (computed attributes keep their state when nothing changes).
func (m *mirror) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	p := ezitxt.New("bench")()
	for _, newResource := range p.Resources(ctx) {
		r := newResource()
		var md resource.MetadataResponse
		r.Metadata(ctx, resource.MetadataRequest{ProviderTypeName: "ezitxt"}, &md)
		if md.TypeName != m.of {
			continue
		}
		var sr resource.SchemaResponse
		r.Schema(ctx, resource.SchemaRequest{}, &sr)
		resp.Diagnostics.Append(sr.Diagnostics...)
		resp.Schema = schema.Schema{Attributes: strip(sr.Schema.Attributes), Blocks: sr.Schema.Blocks}
		switch m.destinations {
		case "map":
			resp.Schema.Attributes["destinations"] = schema.MapAttribute{ElementType: types.StringType, Required: true}
		case "set":
			resp.Schema.Attributes["destinations"] = schema.SetAttribute{ElementType: types.StringType, Required: true}
		}
		return
	}
	resp.Diagnostics.AddError("No Such Resource", m.of+" is not a resource of the ezitxt provider")
}

// strip removes validators and plan modifiers, recursively; computed
// strings and numbers get UseStateForUnknown.
func strip(attrs map[string]schema.Attribute) map[string]schema.Attribute {
	out := make(map[string]schema.Attribute, len(attrs))
	for name, a := range attrs {
		switch a := a.(type) {
		case schema.StringAttribute:
			a.Validators, a.PlanModifiers = nil, nil
			if a.Computed {
				a.PlanModifiers = []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
			}
			out[name] = a
		case schema.Int64Attribute:
			a.Validators, a.PlanModifiers = nil, nil
			if a.Computed {
				a.PlanModifiers = []planmodifier.Int64{int64planmodifier.UseStateForUnknown()}
			}
			out[name] = a
		case schema.BoolAttribute:
			a.Validators, a.PlanModifiers = nil, nil
			out[name] = a
		case schema.ListAttribute:
			a.Validators, a.PlanModifiers = nil, nil
			out[name] = a
		case schema.SetAttribute:
			a.Validators, a.PlanModifiers = nil, nil
			out[name] = a
		case schema.MapAttribute:
			a.Validators, a.PlanModifiers = nil, nil
			out[name] = a
		case schema.SingleNestedAttribute:
			a.Validators, a.PlanModifiers = nil, nil
			a.Attributes = strip(a.Attributes)
			out[name] = a
		case schema.ListNestedAttribute:
			a.Validators, a.PlanModifiers = nil, nil
			a.NestedObject.Attributes = strip(a.NestedObject.Attributes)
			a.NestedObject.Validators, a.NestedObject.PlanModifiers = nil, nil
			out[name] = a
		case schema.MapNestedAttribute:
			a.Validators, a.PlanModifiers = nil, nil
			a.NestedObject.Attributes = strip(a.NestedObject.Attributes)
			a.NestedObject.Validators, a.NestedObject.PlanModifiers = nil, nil
			out[name] = a
		case schema.SetNestedAttribute:
			a.Validators, a.PlanModifiers = nil, nil
			a.NestedObject.Attributes = strip(a.NestedObject.Attributes)
			a.NestedObject.Validators, a.NestedObject.PlanModifiers = nil, nil
			out[name] = a
		default:
			out[name] = a
		}
	}
	return out
}

// Create fills in every unknown value: results with an accepted entry per
// destination, anything else with its type's zero value.
func (m *mirror) Create(_ context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	fillState(req.Plan.Raw, &resp.State, &resp.Diagnostics)
}

// fillState sets state to plan filled in (fill).
func fillState(plan tftypes.Value, state *tfsdk.State, diags *diag.Diagnostics) {
	raw, err := fill(plan)
	if err != nil {
		diags.AddError("Cannot Fill In the Plan", err.Error())
		return
	}
	state.Raw = raw
}

// fill is plan with its unknown values filled in: a wholly unknown results
// with an accepted entry per destination, anything else unknown with its
// type's zero value.
func fill(plan tftypes.Value) (tftypes.Value, error) {
	var obj map[string]tftypes.Value
	if err := plan.As(&obj); err != nil {
		return tftypes.Value{}, err
	}
	destinations := destinationsOf(obj["destinations"])
	return tftypes.Transform(plan, func(p *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
		if v.IsKnown() {
			return v, nil
		}
		if steps := p.Steps(); len(steps) == 1 && steps[0] == tftypes.AttributeName("results") {
			return results(v.Type(), destinations)
		}
		return zero(v.Type()), nil
	})
}

// ModifyPlan plans results as ezitxt_broadcast does when its destinations
// change: a number kept keeps its entry, a new number's entry is unknown and
// a number removed loses its entry; nothing else in results changes.
func (m *broadcastMirror) ModifyPlan(_ context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.State.Raw.IsNull() || req.Plan.Raw.IsNull() {
		return
	}
	var plan, prior map[string]tftypes.Value
	if req.Plan.Raw.As(&plan) != nil || req.State.Raw.As(&prior) != nil {
		return
	}
	planned, ok := plan["results"]
	if !ok || planned.IsKnown() {
		return
	}
	destinations := destinationsOf(plan["destinations"])
	var old map[string]tftypes.Value
	if destinations == nil || prior["results"].As(&old) != nil {
		return
	}
	entries := make(map[string]tftypes.Value, len(destinations))
	for _, d := range destinations {
		if v, ok := old[d]; ok {
			entries[d] = v
		} else {
			entries[d] = tftypes.NewValue(tftypes.String, tftypes.UnknownValue)
		}
	}
	plan["results"] = tftypes.NewValue(planned.Type(), entries)
	resp.Plan.Raw = tftypes.NewValue(req.Plan.Raw.Type(), plan)
}

// destinationsOf returns the numbers of a destinations value, whether a
// list, a set or a map keyed by number; nil when they are not all known.
func destinationsOf(d tftypes.Value) []string {
	if d.Type() == nil || d.IsNull() || !d.IsKnown() {
		return nil
	}
	var out []string
	if d.Type().Is(tftypes.Map{}) {
		var m map[string]tftypes.Value
		if d.As(&m) == nil {
			for k := range m {
				out = append(out, k)
			}
		}
		sort.Strings(out)
		return out
	}
	var l []tftypes.Value
	if d.As(&l) != nil {
		return nil
	}
	for _, e := range l {
		var s string
		if !e.IsKnown() || e.As(&s) != nil {
			return nil
		}
		out = append(out, s)
	}
	return out
}

// results is the results map with an accepted entry per destination, as
// ezitxt_broadcast stores it ("STATUS ID").
func results(typ tftypes.Type, destinations []string) (tftypes.Value, error) {
	m, ok := typ.(tftypes.Map)
	if !ok || !m.ElementType.Is(tftypes.String) {
		return tftypes.Value{}, fmt.Errorf("results is a %s, not a map of strings", typ)
	}
	entries := make(map[string]tftypes.Value, len(destinations))
	for i, d := range destinations {
		entries[d] = tftypes.NewValue(tftypes.String, fmt.Sprintf("accepted 00000000-0000-4000-8000-%012d", i))
	}
	return tftypes.NewValue(typ, entries), nil
}

// zero is the zero value of a type: "", 0, false, or an empty collection.
func zero(typ tftypes.Type) tftypes.Value {
	switch {
	case typ.Is(tftypes.String):
		return tftypes.NewValue(typ, "")
	case typ.Is(tftypes.Number):
		return tftypes.NewValue(typ, new(big.Float))
	case typ.Is(tftypes.Bool):
		return tftypes.NewValue(typ, false)
	case typ.Is(tftypes.List{}), typ.Is(tftypes.Set{}):
		return tftypes.NewValue(typ, []tftypes.Value{})
	case typ.Is(tftypes.Map{}):
		return tftypes.NewValue(typ, map[string]tftypes.Value{})
	}
	return tftypes.NewValue(typ, nil)
}

// Read returns the state through the conversions of a read that finds
// nothing changed.
func (m *mirror) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state types.Object
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
}

// Update fills in the plan as Create does.
func (m *mirror) Update(_ context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	fillState(req.Plan.Raw, &resp.State, &resp.Diagnostics)
}

func (m *mirror) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}
