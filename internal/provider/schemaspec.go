package provider

import (
	"context"
	"slices"

	aschema "github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
)

// inputSpec describes an input attribute once so that resources and actions,
// whose schema packages have distinct types, share one definition of the
// message inputs: names, descriptions, requiredness, custom types and
// validators.
type inputSpec struct {
	kind       inputKind
	required   bool
	desc       string
	stringType basetypes.StringTypable
	strV       []validator.String
	int32V     []validator.Int32
	listV      []validator.List
	objV       []validator.Object
	children   map[string]inputSpec
	// same, when set, tells a change that means the same thing (an instant
	// written with another offset, JSON with other whitespace) from a real
	// one. The former updates state in place instead of replacing the
	// resource, so it never sends again.
	same func(state, plan attr.Value) bool
	// deferred, when set, says that a planned value is not known yet for a
	// reason that usually means no change of content (raw.payload naming an
	// upload that is being made again): the resource is then updated in
	// place, and Update decides with the known value, sending nothing (see
	// checkRawAtApply). Without it, a value unknown at plan replaces.
	deferred func(state, plan attr.Value) bool
}

type inputKind int

const (
	kindString inputKind = iota
	kindInt32
	kindStringList
	kindObject
	kindObjectList
)

// resourceAttributes renders specs for a resource schema. With replace, a
// change of any top-level attribute plans a replacement (see sendInput).
func resourceAttributes(specs map[string]inputSpec, replace bool) map[string]rschema.Attribute {
	out := make(map[string]rschema.Attribute, len(specs))
	for name, s := range specs {
		out[name] = s.resourceAttribute(replace)
	}
	return out
}

func (s inputSpec) resourceAttribute(replace bool) rschema.Attribute {
	optional := !s.required
	var mod *replaceInput
	if replace {
		mod = sendInput(s.same, s.deferred)
	}
	switch s.kind {
	case kindString:
		a := rschema.StringAttribute{Required: s.required, Optional: optional, MarkdownDescription: s.desc,
			CustomType: s.stringType, Validators: s.strV}
		if mod != nil {
			a.PlanModifiers = []planmodifier.String{mod}
		}
		return a
	case kindInt32:
		return rschema.Int32Attribute{Required: s.required, Optional: optional, MarkdownDescription: s.desc, Validators: s.int32V}
	case kindStringList:
		a := rschema.ListAttribute{ElementType: types.StringType, Required: s.required, Optional: optional,
			MarkdownDescription: s.desc, Validators: s.listV}
		if mod != nil {
			a.PlanModifiers = []planmodifier.List{mod}
		}
		return a
	case kindObject:
		a := rschema.SingleNestedAttribute{Required: s.required, Optional: optional, MarkdownDescription: s.desc,
			Attributes: resourceAttributes(s.children, false), Validators: s.objV}
		if mod != nil {
			a.PlanModifiers = []planmodifier.Object{mod}
		}
		return a
	case kindObjectList:
		a := rschema.ListNestedAttribute{Required: s.required, Optional: optional, MarkdownDescription: s.desc,
			NestedObject: rschema.NestedAttributeObject{Attributes: resourceAttributes(s.children, false)}, Validators: s.listV}
		if mod != nil {
			a.PlanModifiers = []planmodifier.List{mod}
		}
		return a
	}
	panic("unknown input kind")
}

// actionAttributes renders specs for an action schema.
func actionAttributes(specs map[string]inputSpec) map[string]aschema.Attribute {
	out := make(map[string]aschema.Attribute, len(specs))
	for name, s := range specs {
		out[name] = s.actionAttribute()
	}
	return out
}

func (s inputSpec) actionAttribute() aschema.Attribute {
	optional := !s.required
	switch s.kind {
	case kindString:
		return aschema.StringAttribute{Required: s.required, Optional: optional, MarkdownDescription: s.desc,
			CustomType: s.stringType, Validators: s.strV}
	case kindInt32:
		return aschema.Int32Attribute{Required: s.required, Optional: optional, MarkdownDescription: s.desc, Validators: s.int32V}
	case kindStringList:
		return aschema.ListAttribute{ElementType: types.StringType, Required: s.required, Optional: optional,
			MarkdownDescription: s.desc, Validators: s.listV}
	case kindObject:
		return aschema.SingleNestedAttribute{Required: s.required, Optional: optional, MarkdownDescription: s.desc,
			Attributes: actionAttributes(s.children), Validators: s.objV}
	case kindObjectList:
		return aschema.ListNestedAttribute{Required: s.required, Optional: optional, MarkdownDescription: s.desc,
			NestedObject: aschema.NestedAttributeObject{Attributes: actionAttributes(s.children)}, Validators: s.listV}
	}
	panic("unknown input kind")
}

// mergeSpecs returns one map holding every spec of the given maps.
func mergeSpecs(maps ...map[string]inputSpec) map[string]inputSpec {
	out := map[string]inputSpec{}
	for _, m := range maps {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

// replaceInput is the plan modifier of an input the API cannot change once
// sent: a change plans a replacement, except when
//   - the new value means the same as the old (same), or
//   - adopt says the prior state came from terraform import and lacks the
//     value, which the API cannot return: the configuration is then
//     recorded in place and Update calls nothing.
type replaceInput struct {
	description string
	same        func(state, plan attr.Value) bool
	deferred    func(state, plan attr.Value) bool
	adopt       func(ctx context.Context, state tfsdk.State, private privateGetter, stateV attr.Value) bool
}

// privateGetter is the read side of a request's private state.
type privateGetter interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
}

var (
	_ planmodifier.String = (*replaceInput)(nil)
	_ planmodifier.List   = (*replaceInput)(nil)
	_ planmodifier.Object = (*replaceInput)(nil)
	_ planmodifier.Int64  = (*replaceInput)(nil)
)

// sendInput is the replaceInput of every input of a sent message: a sent
// message cannot be edited, so a change is a new send, unless the value
// means the same (see inputSpec.same) or the message was imported.
func sendInput(same, deferred func(state, plan attr.Value) bool) *replaceInput {
	return &replaceInput{
		description: "Changing this value sends a new message (replacement), unless the new value means the same as the old.",
		same:        same,
		deferred:    deferred,
		adopt: func(ctx context.Context, state tfsdk.State, _ privateGetter, _ attr.Value) bool {
			return importedRecord(ctx, state)
		},
	}
}

func (m *replaceInput) Description(context.Context) string { return m.description }

func (m *replaceInput) MarkdownDescription(ctx context.Context) string { return m.Description(ctx) }

func (m *replaceInput) replace(ctx context.Context, state tfsdk.State, plan tfsdk.Plan, private privateGetter, stateV, planV attr.Value) bool {
	switch {
	case state.Raw.IsNull() || plan.Raw.IsNull():
		return false // create or destroy
	case m.deferred != nil && m.deferred(stateV, planV):
		return false // decided during apply, without a send
	case planV.IsUnknown():
		return true
	case stateV.Equal(planV):
		return false
	case m.adopt != nil && m.adopt(ctx, state, private, stateV):
		return false
	case m.same != nil && m.same(stateV, planV):
		return false
	}
	return true
}

func (m *replaceInput) PlanModifyString(ctx context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	resp.RequiresReplace = m.replace(ctx, req.State, req.Plan, req.Private, req.StateValue, req.PlanValue)
}

func (m *replaceInput) PlanModifyList(ctx context.Context, req planmodifier.ListRequest, resp *planmodifier.ListResponse) {
	resp.RequiresReplace = m.replace(ctx, req.State, req.Plan, req.Private, req.StateValue, req.PlanValue)
}

func (m *replaceInput) PlanModifyObject(ctx context.Context, req planmodifier.ObjectRequest, resp *planmodifier.ObjectResponse) {
	resp.RequiresReplace = m.replace(ctx, req.State, req.Plan, req.Private, req.StateValue, req.PlanValue)
}

func (m *replaceInput) PlanModifyInt64(ctx context.Context, req planmodifier.Int64Request, resp *planmodifier.Int64Response) {
	resp.RequiresReplace = m.replace(ctx, req.State, req.Plan, req.Private, req.StateValue, req.PlanValue)
}

// replacedInputs returns, sorted, the inputs among specs whose change makes
// the plan from state to plan a replacement, by the same rule as sendInput.
// Resources use it to say in a plan-time warning what triggers a new send.
func replacedInputs(ctx context.Context, state tfsdk.State, plan tfsdk.Plan, specs map[string]inputSpec) []string {
	var out []string
	for name, s := range specs {
		var stateV, planV attr.Value
		if state.GetAttribute(ctx, path.Root(name), &stateV).HasError() || plan.GetAttribute(ctx, path.Root(name), &planV).HasError() {
			continue
		}
		if sendInput(s.same, s.deferred).replace(ctx, state, plan, nil, stateV, planV) {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// importedRecord reports whether a prior state was written by terraform
// import: the API returns no message inputs, so source is null then, which
// a resource created by this provider never has.
func importedRecord(_ context.Context, state tfsdk.State) bool {
	source, ok := attrValue(state.Raw, "source")
	return ok && source.IsNull()
}
