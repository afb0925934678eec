package provider_test

import (
	"context"
	"fmt"
	"math/big"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/provider"
)

// Helpers for testing the provider functions the way Terraform calls them:
// GetFunctions, then CallFunction with msgpack-encoded arguments, through
// the provider server. No CLI and no credentials are needed.

// unknown stands for a value not known until apply in a test argument.
type unknown struct{}

// tval builds a tftypes value the way Terraform types an HCL expression:
// strings, numbers (int, float64), bools, nil (null), []any (tuple),
// map[string]any (object) and unknown{} (an unknown string).
func tval(v any) tftypes.Value {
	switch t := v.(type) {
	case nil:
		return tftypes.NewValue(tftypes.DynamicPseudoType, nil)
	case unknown:
		return tftypes.NewValue(tftypes.String, tftypes.UnknownValue)
	case tftypes.Value:
		return t
	case string:
		return tftypes.NewValue(tftypes.String, t)
	case bool:
		return tftypes.NewValue(tftypes.Bool, t)
	case int:
		return tftypes.NewValue(tftypes.Number, big.NewFloat(float64(t)))
	case float64:
		return tftypes.NewValue(tftypes.Number, big.NewFloat(t))
	case []any:
		vals := make([]tftypes.Value, len(t))
		typs := make([]tftypes.Type, len(t))
		for i, e := range t {
			vals[i] = tval(e)
			typs[i] = vals[i].Type()
		}
		return tftypes.NewValue(tftypes.Tuple{ElementTypes: typs}, vals)
	case map[string]any:
		vals := make(map[string]tftypes.Value, len(t))
		typs := make(map[string]tftypes.Type, len(t))
		for k, e := range t {
			vals[k] = tval(e)
			typs[k] = vals[k].Type()
		}
		return tftypes.NewValue(tftypes.Object{AttributeTypes: typs}, vals)
	}
	panic(fmt.Sprintf("tval: %T", v))
}

// callFunction calls the provider function name with args and returns its
// result as plain Go values (see funcResultValue), or the function error.
func callFunction(t *testing.T, name string, args ...any) (any, *tfprotov6.FunctionError) {
	t.Helper()
	ctx := context.Background()
	server, err := provider.NewProtocol6Server("test", provider.Options{})()
	if err != nil {
		t.Fatal(err)
	}
	fns, err := server.GetFunctions(ctx, &tfprotov6.GetFunctionsRequest{})
	if err != nil || len(fns.Diagnostics) > 0 {
		t.Fatalf("GetFunctions: %v %v", err, fns.Diagnostics)
	}
	def, ok := fns.Functions[name]
	if !ok {
		t.Fatalf("no function %q", name)
	}
	if len(args) != len(def.Parameters) {
		t.Fatalf("%s takes %d arguments, the test gives %d", name, len(def.Parameters), len(args))
	}
	dvs := make([]*tfprotov6.DynamicValue, len(args))
	for i, a := range args {
		typ := def.Parameters[i].Type
		v := tval(a)
		if !typ.Is(tftypes.DynamicPseudoType) && v.Type().Is(tftypes.DynamicPseudoType) {
			v = tftypes.NewValue(typ, nil) // a null of the parameter's type
		}
		dv, err := tfprotov6.NewDynamicValue(typ, v)
		if err != nil {
			t.Fatalf("argument %d: %v", i, err)
		}
		dvs[i] = &dv
	}
	resp, err := server.CallFunction(ctx, &tfprotov6.CallFunctionRequest{Name: name, Arguments: dvs})
	if err != nil {
		t.Fatalf("CallFunction: %v", err)
	}
	if resp.Error != nil {
		return nil, resp.Error
	}
	out, err := resp.Result.Unmarshal(def.Return.Type)
	if err != nil {
		t.Fatalf("result: %v", err)
	}
	return funcResultValue(out), nil
}

// goValue converts a result to nil, string, bool, float64, []any,
// map[string]any or "(unknown)".
func funcResultValue(v tftypes.Value) any {
	if !v.IsKnown() {
		return "(unknown)"
	}
	if v.IsNull() {
		return nil
	}
	typ := v.Type()
	switch {
	case typ.Is(tftypes.String):
		var s string
		_ = v.As(&s)
		return s
	case typ.Is(tftypes.Bool):
		var b bool
		_ = v.As(&b)
		return b
	case typ.Is(tftypes.Number):
		var f big.Float
		_ = v.As(&f)
		x, _ := f.Float64()
		return x
	case typ.Is(tftypes.Object{}), typ.Is(tftypes.Map{}):
		var m map[string]tftypes.Value
		_ = v.As(&m)
		out := map[string]any{}
		for k, e := range m {
			out[k] = funcResultValue(e)
		}
		return out
	default:
		var l []tftypes.Value
		_ = v.As(&l)
		out := make([]any, len(l))
		for i, e := range l {
			out[i] = funcResultValue(e)
		}
		return out
	}
}

// wantFuncError fails t unless ferr is an error on argument arg whose text
// has every fragment.
func wantFuncError(t *testing.T, ferr *tfprotov6.FunctionError, arg int64, fragments ...string) {
	t.Helper()
	if ferr == nil {
		t.Fatalf("want an error on argument %d with %q, got none", arg, fragments)
	}
	if ferr.FunctionArgument == nil || *ferr.FunctionArgument != arg {
		t.Errorf("error on argument %v, want %d: %s", ferr.FunctionArgument, arg, ferr.Text)
	}
	for _, f := range fragments {
		if !strings.Contains(ferr.Text, f) {
			t.Errorf("error %q does not contain %q", ferr.Text, f)
		}
	}
}
