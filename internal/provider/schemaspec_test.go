package provider

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// TestReplacedInputs: the rule of sendInput, by which a change of any input
// of a sent message plans a new send, except a change that means the same
// or the adoption of configuration after import.
func TestReplacedInputs(t *testing.T) {
	t.Parallel()
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	textType := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"body": tftypes.String}}
	rawType := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"version": tftypes.String, "payload": tftypes.String}}
	text := func(body string) tftypes.Value {
		return tftypes.NewValue(textType, map[string]tftypes.Value{"body": str(body)})
	}
	raw := func(payload string) tftypes.Value {
		return tftypes.NewValue(rawType, map[string]tftypes.Value{"version": tftypes.NewValue(tftypes.String, nil), "payload": str(payload)})
	}
	base := map[string]tftypes.Value{
		"id": str("3fa85f64-5717-4562-b3fc-2c963f66afa6"), "status": str("accepted"),
		"source": str("15550001111"), "to": str("+6421000001"), "text": text("hi"),
		"scheduled": str("2026-12-24T09:00:00Z"),
	}
	with := func(changes map[string]tftypes.Value) map[string]tftypes.Value {
		out := map[string]tftypes.Value{}
		for k, v := range base {
			out[k] = v
		}
		for k, v := range changes {
			out[k] = v
		}
		return out
	}
	nullText := tftypes.NewValue(textType, nil)
	tests := []struct {
		name        string
		state, plan map[string]tftypes.Value
		want        []string
	}{
		{"no change", base, base, nil},
		{"new body", base, with(map[string]tftypes.Value{"text": text("hello")}), []string{"text"}},
		{"new number and reference", base, with(map[string]tftypes.Value{"to": str("+6421000002"), "reference": str("r")}), []string{"reference", "to"}},
		{"text to raw", base, with(map[string]tftypes.Value{"text": nullText, "raw": raw(`{}`)}), []string{"raw", "text"}},
		{"same instant, other offset", base, with(map[string]tftypes.Value{"scheduled": str("2026-12-24T22:00:00+13:00")}), nil},
		{"another instant", base, with(map[string]tftypes.Value{"scheduled": str("2026-12-24T22:00:00Z")}), []string{"scheduled"}},
		{"schedule removed", base, with(map[string]tftypes.Value{"scheduled": tftypes.NewValue(tftypes.String, nil)}), []string{"scheduled"}},
		{"raw rewritten", with(map[string]tftypes.Value{"text": nullText, "raw": raw(`{"a":[1,2]}`)}),
			with(map[string]tftypes.Value{"text": nullText, "raw": raw("{ \"a\": [ 1, 2 ] }\n")}), nil},
		{"unknown body", base, with(map[string]tftypes.Value{"text": tftypes.NewValue(textType, tftypes.UnknownValue)}), []string{"text"}},
		{"adopted after import", map[string]tftypes.Value{"id": base["id"], "status": base["status"]}, base, nil},
	}
	for _, tt := range tests {
		s, stateRaw := messageSchemaValue(t, tt.state)
		_, planRaw := messageSchemaValue(t, tt.plan)
		got := replacedInputs(context.Background(), tfsdk.State{Schema: s, Raw: stateRaw}, tfsdk.Plan{Schema: s, Raw: planRaw}, messageInputSpecs())
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: replaced %v, want %v", tt.name, got, tt.want)
		}
	}
	// Create and destroy replace nothing.
	s, v := messageSchemaValue(t, base)
	null := tftypes.NewValue(v.Type(), nil)
	if got := replacedInputs(context.Background(), tfsdk.State{Schema: s, Raw: null}, tfsdk.Plan{Schema: s, Raw: v}, messageInputSpecs()); got != nil {
		t.Errorf("create: replaced %v", got)
	}
}

// TestSchemaInputsAndDescriptions: every input of the message and the
// broadcast forces a new send through sendInput (destinations and the
// settings of the wait aside), and every attribute of the resources and
// data sources of this file set is described.
func TestSchemaInputsAndDescriptions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, r := range []resource.Resource{NewMessageResource(), NewBroadcastResource()} {
		var sr resource.SchemaResponse
		r.Schema(ctx, resource.SchemaRequest{}, &sr)
		var mr resource.MetadataResponse
		r.Metadata(ctx, resource.MetadataRequest{ProviderTypeName: "ezitxt"}, &mr)
		if sr.Schema.MarkdownDescription == "" {
			t.Errorf("%s has no description", mr.TypeName)
		}
		for name, a := range sr.Schema.Attributes {
			describedResource(t, mr.TypeName+"."+name, a)
			_, isInput := mergeSpecs(sendSpecs(), contentSpecs(), map[string]inputSpec{"to": toSpec(true)})[name]
			if isInput != hasSendInput(a) {
				t.Errorf("%s.%s: input %v, sendInput plan modifier %v", mr.TypeName, name, isInput, hasSendInput(a))
			}
		}
	}
	for _, d := range []datasource.DataSource{NewMessageDataSource(), NewMessagesDataSource()} {
		var sr datasource.SchemaResponse
		d.Schema(ctx, datasource.SchemaRequest{}, &sr)
		for name, a := range sr.Schema.Attributes {
			describedDataSource(t, name, a)
		}
	}
}

func hasSendInput(a rschema.Attribute) bool {
	var mods []any
	switch a := a.(type) {
	case rschema.StringAttribute:
		for _, m := range a.PlanModifiers {
			mods = append(mods, m)
		}
	case rschema.SingleNestedAttribute:
		for _, m := range a.PlanModifiers {
			mods = append(mods, m)
		}
	case rschema.ListAttribute:
		for _, m := range a.PlanModifiers {
			mods = append(mods, m)
		}
	}
	for _, m := range mods {
		if r, ok := m.(*replaceInput); ok && r.description == sendInput(nil, nil).description {
			return true
		}
	}
	return false
}

func describedResource(t *testing.T, name string, a rschema.Attribute) {
	t.Helper()
	if a.GetMarkdownDescription() == "" && a.GetDescription() == "" {
		t.Errorf("%s has no description", name)
	}
	if n, ok := a.(rschema.NestedAttribute); ok {
		for child, c := range n.GetNestedObject().GetAttributes() {
			if ca, ok := c.(rschema.Attribute); ok {
				describedResource(t, name+"."+child, ca)
			}
		}
	}
	// A map or list of objects (kept so where a nested attribute costs too
	// much at scale) has no place for the descriptions of the objects'
	// attributes: its own description must describe each one.
	if _, nested := a.(rschema.NestedAttribute); nested {
		return
	}
	if c, ok := a.GetType().(attr.TypeWithElementType); ok {
		if o, isObject := c.ElementType().(basetypes.ObjectType); isObject {
			for child := range o.AttrTypes {
				if !strings.Contains(a.GetMarkdownDescription(), "`"+child+"`") {
					t.Errorf("%s holds objects whose attribute %s is not described", name, child)
				}
			}
		}
	}
}

func describedDataSource(t *testing.T, name string, a dschema.Attribute) {
	t.Helper()
	if a.GetMarkdownDescription() == "" {
		t.Errorf("%s has no description", name)
	}
	if n, ok := a.(dschema.NestedAttribute); ok {
		for child, c := range n.GetNestedObject().GetAttributes() {
			if ca, ok := c.(dschema.Attribute); ok {
				describedDataSource(t, name+"."+child, ca)
			}
		}
	}
}
