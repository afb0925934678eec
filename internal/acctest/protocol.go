package acctest

import (
	"context"
	"fmt"
	"math/big"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Protocol drives the provider through the plugin protocol the way Terraform
// does, with no CLI: for actions, which the installed Terraform 1.11 and
// OpenTofu cannot run. Configs are written as Go values (see Value) and
// converted with the schemas the provider itself reports.
type Protocol struct {
	t testing.TB
	// Server is the provider server, configured against the env's mock.
	Server tfprotov6.ProviderServerWithActions //nolint:staticcheck // SA1019: actions are served only through this interface until they join ProviderServer.
	// Schema is the provider's GetProviderSchema answer.
	Schema *tfprotov6.GetProviderSchemaResponse
}

// Protocol returns a provider server for protocol-level tests, configured
// with the env's provider settings (base_url, username, password) as
// ConfigureProvider would be by Terraform. It fails t on any error.
func (e *Env) Protocol(t testing.TB) *Protocol {
	t.Helper()
	return e.ProtocolWithProvider(t, nil)
}

// ProtocolWithProvider is Protocol with more provider block attributes, such
// as "max_retries": 0.
func (e *Env) ProtocolWithProvider(t testing.TB, attrs map[string]any) *Protocol {
	t.Helper()
	ctx := context.Background()
	s, ok := e.ProviderServer(t).(tfprotov6.ProviderServerWithActions) //nolint:staticcheck // SA1019: see Protocol.Server.
	if !ok {
		t.Fatal("the provider server does not implement tfprotov6.ProviderServerWithActions")
	}
	schema, err := s.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatalf("GetProviderSchema: %v", err)
	}
	if HasError(schema.Diagnostics) {
		t.Fatalf("GetProviderSchema: %s", FormatDiagnostics(schema.Diagnostics))
	}
	p := &Protocol{t: t, Server: s, Schema: schema}
	block := map[string]any{"base_url": e.URL, "username": e.Username, "password": e.Password}
	for k, v := range attrs {
		block[k] = v
	}
	cfg := p.dynamicValue("provider", schema.Provider.Block.ValueType(), block)
	resp, err := s.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{TerraformVersion: "1.15.0", Config: cfg})
	if err != nil {
		t.Fatalf("ConfigureProvider: %v", err)
	}
	if HasError(resp.Diagnostics) {
		t.Fatalf("ConfigureProvider: %s", FormatDiagnostics(resp.Diagnostics))
	}
	return p
}

// ActionType returns the type of actionType's configuration.
func (p *Protocol) ActionType(actionType string) tftypes.Type {
	p.t.Helper()
	s, ok := p.Schema.ActionSchemas[actionType]
	if !ok || s.Schema == nil || s.Schema.Block == nil {
		p.t.Fatalf("the provider has no action %q", actionType)
	}
	return s.Schema.Block.ValueType()
}

// ActionConfig converts attrs into a configuration of actionType (see Value).
func (p *Protocol) ActionConfig(actionType string, attrs map[string]any) *tfprotov6.DynamicValue {
	p.t.Helper()
	return p.dynamicValue(actionType, p.ActionType(actionType), attrs)
}

func (p *Protocol) dynamicValue(what string, typ tftypes.Type, attrs map[string]any) *tfprotov6.DynamicValue {
	p.t.Helper()
	v, err := Value(typ, attrs)
	if err != nil {
		p.t.Fatalf("%s config: %v", what, err)
	}
	dv, err := tfprotov6.NewDynamicValue(typ, v)
	if err != nil {
		p.t.Fatalf("%s config: %v", what, err)
	}
	return &dv
}

// ValidateAction calls ValidateActionConfig, as terraform validate and plan
// do, and returns its diagnostics.
func (p *Protocol) ValidateAction(actionType string, attrs map[string]any) []*tfprotov6.Diagnostic {
	p.t.Helper()
	resp, err := p.Server.ValidateActionConfig(context.Background(), &tfprotov6.ValidateActionConfigRequest{
		ActionType: actionType, Config: p.ActionConfig(actionType, attrs),
	})
	if err != nil {
		p.t.Fatalf("ValidateActionConfig: %v", err)
	}
	return resp.Diagnostics
}

// PlanAction calls PlanAction, as terraform plan does for an action it is
// going to invoke, and returns its diagnostics.
func (p *Protocol) PlanAction(actionType string, attrs map[string]any) []*tfprotov6.Diagnostic {
	p.t.Helper()
	resp, err := p.Server.PlanAction(context.Background(), &tfprotov6.PlanActionRequest{
		ActionType: actionType, Config: p.ActionConfig(actionType, attrs),
		ClientCapabilities: &tfprotov6.PlanActionClientCapabilities{},
	})
	if err != nil {
		p.t.Fatalf("PlanAction: %v", err)
	}
	return resp.Diagnostics
}

// Invocation is what an InvokeAction stream carried.
type Invocation struct {
	// Progress holds the messages of the progress events, in order.
	Progress []string
	// Diagnostics are those of the completed event.
	Diagnostics []*tfprotov6.Diagnostic
	// Completed counts completed events: exactly 1 in a well-formed stream.
	Completed int
}

// InvokeAction calls InvokeAction, as terraform apply does, and reads the
// whole event stream.
func (p *Protocol) InvokeAction(actionType string, attrs map[string]any) Invocation {
	p.t.Helper()
	stream, err := p.Server.InvokeAction(context.Background(), &tfprotov6.InvokeActionRequest{
		ActionType: actionType, Config: p.ActionConfig(actionType, attrs),
		ClientCapabilities: &tfprotov6.InvokeActionClientCapabilities{},
	})
	if err != nil {
		p.t.Fatalf("InvokeAction: %v", err)
	}
	var inv Invocation
	for ev := range stream.Events {
		switch e := ev.Type.(type) {
		case tfprotov6.ProgressInvokeActionEventType:
			inv.Progress = append(inv.Progress, e.Message)
		case tfprotov6.CompletedInvokeActionEventType:
			inv.Completed++
			inv.Diagnostics = append(inv.Diagnostics, e.Diagnostics...)
		default:
			p.t.Fatalf("InvokeAction: unexpected event %T", ev.Type)
		}
	}
	if inv.Completed != 1 {
		p.t.Fatalf("InvokeAction: %d completed events, want 1", inv.Completed)
	}
	return inv
}

// unknown is the type of Unknown.
type unknown struct{}

// Unknown stands for a value not known yet in a config passed to Value.
var Unknown = unknown{}

// Value converts a Go value into a tftypes.Value of typ, for writing
// protocol-level configs by hand:
//   - nil is null, Unknown is unknown, and a tftypes.Value is taken as is;
//   - strings, bools and numbers (int, int32, int64, float64) for primitives;
//   - []string or []any for lists and sets;
//   - map[string]any for objects (attributes left out are null; a key that
//     is not an attribute is an error, so that typos fail the test) and maps.
func Value(typ tftypes.Type, v any) (tftypes.Value, error) {
	switch v := v.(type) {
	case nil:
		return tftypes.NewValue(typ, nil), nil
	case unknown:
		return tftypes.NewValue(typ, tftypes.UnknownValue), nil
	case tftypes.Value:
		return v, nil
	}
	switch {
	case typ.Is(tftypes.String), typ.Is(tftypes.Bool):
		return checkedValue(typ, v)
	case typ.Is(tftypes.Number):
		switch n := v.(type) {
		case int:
			return tftypes.NewValue(typ, big.NewFloat(float64(n))), nil
		case int32:
			return tftypes.NewValue(typ, big.NewFloat(float64(n))), nil
		case int64:
			return tftypes.NewValue(typ, big.NewFloat(float64(n))), nil
		case float64:
			return tftypes.NewValue(typ, big.NewFloat(n)), nil
		}
		return tftypes.Value{}, fmt.Errorf("%T is not a number", v)
	case typ.Is(tftypes.List{}), typ.Is(tftypes.Set{}):
		var elem tftypes.Type
		if l, ok := typ.(tftypes.List); ok {
			elem = l.ElementType
		} else if s, ok := typ.(tftypes.Set); ok {
			elem = s.ElementType
		}
		items, err := elements(v)
		if err != nil {
			return tftypes.Value{}, err
		}
		vals := make([]tftypes.Value, 0, len(items))
		for i, item := range items {
			ev, err := Value(elem, item)
			if err != nil {
				return tftypes.Value{}, fmt.Errorf("[%d]: %w", i, err)
			}
			vals = append(vals, ev)
		}
		return tftypes.NewValue(typ, vals), nil
	case typ.Is(tftypes.Object{}):
		obj, ok := typ.(tftypes.Object)
		m, isMap := v.(map[string]any)
		if !ok || !isMap {
			return tftypes.Value{}, fmt.Errorf("%T is not a map[string]any for an object", v)
		}
		for k := range m {
			if _, known := obj.AttributeTypes[k]; !known {
				return tftypes.Value{}, fmt.Errorf("%q is not an attribute (attributes: %s)", k, strings.Join(attributeNames(obj), ", "))
			}
		}
		vals := make(map[string]tftypes.Value, len(obj.AttributeTypes))
		for name, at := range obj.AttributeTypes {
			av, err := Value(at, m[name])
			if err != nil {
				return tftypes.Value{}, fmt.Errorf("%s: %w", name, err)
			}
			vals[name] = av
		}
		return tftypes.NewValue(typ, vals), nil
	case typ.Is(tftypes.Map{}):
		mt, ok := typ.(tftypes.Map)
		m, isMap := v.(map[string]any)
		if !ok || !isMap {
			return tftypes.Value{}, fmt.Errorf("%T is not a map[string]any for a map", v)
		}
		vals := make(map[string]tftypes.Value, len(m))
		for k, item := range m {
			ev, err := Value(mt.ElementType, item)
			if err != nil {
				return tftypes.Value{}, fmt.Errorf("[%q]: %w", k, err)
			}
			vals[k] = ev
		}
		return tftypes.NewValue(typ, vals), nil
	}
	return tftypes.Value{}, fmt.Errorf("type %s is not supported", typ)
}

func checkedValue(typ tftypes.Type, v any) (tftypes.Value, error) {
	if err := tftypes.ValidateValue(typ, v); err != nil {
		return tftypes.Value{}, err
	}
	return tftypes.NewValue(typ, v), nil
}

func elements(v any) ([]any, error) {
	switch items := v.(type) {
	case []any:
		return items, nil
	case []string:
		out := make([]any, len(items))
		for i, s := range items {
			out[i] = s
		}
		return out, nil
	}
	return nil, fmt.Errorf("%T is not a []string or []any for a list or set", v)
}

func attributeNames(obj tftypes.Object) []string {
	names := make([]string, 0, len(obj.AttributeTypes))
	for n := range obj.AttributeTypes {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// HasError reports whether diags hold an error.
func HasError(diags []*tfprotov6.Diagnostic) bool {
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			return true
		}
	}
	return false
}

// Errors returns the error diagnostics of diags.
func Errors(diags []*tfprotov6.Diagnostic) []*tfprotov6.Diagnostic {
	var out []*tfprotov6.Diagnostic
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			out = append(out, d)
		}
	}
	return out
}

// DiagnosticPath renders a diagnostic's attribute path as HCL would write it,
// such as `destinations`, `text.body` or `message_ids["3fa8..."]`; "" when
// the diagnostic has none.
func DiagnosticPath(d *tfprotov6.Diagnostic) string {
	if d.Attribute == nil {
		return ""
	}
	var b strings.Builder
	for _, step := range d.Attribute.Steps() {
		switch s := step.(type) {
		case tftypes.AttributeName:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(string(s))
		case tftypes.ElementKeyString:
			fmt.Fprintf(&b, "[%q]", string(s))
		case tftypes.ElementKeyInt:
			fmt.Fprintf(&b, "[%d]", int64(s))
		case tftypes.ElementKeyValue:
			var str string
			if err := tftypes.Value(s).As(&str); err == nil {
				fmt.Fprintf(&b, "[%q]", str)
			} else {
				fmt.Fprintf(&b, "[%s]", tftypes.Value(s))
			}
		}
	}
	return b.String()
}

// FormatDiagnostics renders diagnostics for test failure messages.
func FormatDiagnostics(diags []*tfprotov6.Diagnostic) string {
	if len(diags) == 0 {
		return "no diagnostics"
	}
	var b strings.Builder
	for _, d := range diags {
		fmt.Fprintf(&b, "\n  %s: %q at %q: %s", d.Severity, d.Summary, DiagnosticPath(d), d.Detail)
	}
	return b.String()
}
