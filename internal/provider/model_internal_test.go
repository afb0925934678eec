package provider

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// TestModelConversionMatchesTheFramework checks getModel and setModel
// against the framework's own Get and Set, on random values of each schema
// whose model they convert: the same model or the same error from Get, and
// the same value or the same error from Set.
func TestModelConversionMatchesTheFramework(t *testing.T) {
	t.Parallel()
	t.Run("ezitxt_message", func(t *testing.T) { t.Parallel(); checkModel[messageModel](t, &messageResource{}) })
	t.Run("ezitxt_broadcast", func(t *testing.T) { t.Parallel(); checkModel[broadcastModel](t, &broadcastResource{}) })
}

func checkModel[T any](t *testing.T, r resource.Resource) {
	ctx := context.Background()
	var sr resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &sr)
	mt := newModelType(ctx, sr.Schema.Type())
	rng := rand.New(rand.NewPCG(1, 2)) //nolint:gosec // G404: reproducible test values, not secrets
	decoded, refused := 0, 0
	for i := range 3000 {
		v := randomValue(rng, mt.tf, 0)
		var want, got T
		wantDiags := tfsdk.Plan{Schema: sr.Schema, Raw: v}.Get(ctx, &want)
		gotDiags := getModel(ctx, v, mt, &got)
		if wantDiags.HasError() != gotDiags.HasError() {
			t.Fatalf("value %d: framework error %v, getModel error %v, for %s", i, wantDiags, gotDiags, v)
		}
		if wantDiags.HasError() {
			// Both point at a value the model cannot hold (the
			// framework picks one in no fixed order), for Terraform to show
			// its line.
			for _, diags := range []diag.Diagnostics{wantDiags, gotDiags} {
				if err := pointsAtUnknown(diags, v); err != nil {
					t.Fatalf("value %d: %v: %v, for %s", i, err, diags, v)
				}
			}
			refused++
			continue
		}
		decoded++
		if !reflect.DeepEqual(want, got) {
			t.Fatalf("value %d: framework %+v, getModel %+v, for %s", i, want, got, v)
		}
		state := tfsdk.State{Schema: sr.Schema, Raw: tftypes.NewValue(mt.tf, nil)}
		wantDiags = state.Set(ctx, &want)
		gotV, gotDiags := setModel(ctx, mt, &want)
		if wantDiags.HasError() != gotDiags.HasError() {
			t.Fatalf("value %d: framework Set error %v, setModel error %v", i, wantDiags, gotDiags)
		}
		if !wantDiags.HasError() && !state.Raw.Equal(gotV) {
			t.Fatalf("value %d: framework Set %s, setModel %s", i, state.Raw, gotV)
		}
	}
	t.Logf("%d values decoded, %d refused by both", decoded, refused)
	if decoded < 100 || refused == 0 {
		t.Errorf("%d values decoded and %d refused: the random values do not cover both", decoded, refused)
	}
}

// pointsAtUnknown checks that the first error has the path of an unknown
// value in v (or a null one, where the model has a struct, not a pointer).
func pointsAtUnknown(diags diag.Diagnostics, v tftypes.Value) error {
	d, ok := diags.Errors()[0].(diag.DiagnosticWithPath)
	if !ok {
		return errors.New("the error has no attribute path")
	}
	tp := tftypes.NewAttributePath()
	for _, step := range d.Path().Steps() {
		switch step := step.(type) {
		case path.PathStepAttributeName:
			tp = tp.WithAttributeName(string(step))
		case path.PathStepElementKeyInt:
			tp = tp.WithElementKeyInt(int(step))
		default:
			return fmt.Errorf("unexpected step %T in %s", step, d.Path())
		}
	}
	at, _, err := tftypes.WalkAttributePath(v, tp)
	if err != nil {
		return fmt.Errorf("the error's path %s is not in the value: %w", d.Path(), err)
	}
	if av, ok := at.(tftypes.Value); !ok || (av.IsKnown() && !av.IsNull()) {
		return fmt.Errorf("the error's path %s holds %v, not an unknown or null value", d.Path(), at)
	}
	return nil
}

// TestSetModelRefusesValuesOfTheWrongType: a model holding a value whose
// type is not the schema's (null, unknown or known) is a bug the framework's
// Set reports; setModel reports it too.
func TestSetModelRefusesValuesOfTheWrongType(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var sr resource.SchemaResponse
	(&broadcastResource{}).Schema(ctx, resource.SchemaRequest{}, &sr)
	mt := newModelType(ctx, sr.Schema.Type())
	ok := broadcastModel{Destinations: types.ListNull(types.StringType), Failed: types.MapNull(types.StringType), Results: types.MapNull(types.StringType)}
	for name, m := range map[string]broadcastModel{
		"zero values":             {},
		"null map of numbers":     {Destinations: ok.Destinations, Results: ok.Results, Failed: types.MapNull(types.Int64Type)},
		"unknown map of numbers":  {Destinations: ok.Destinations, Results: ok.Results, Failed: types.MapUnknown(types.Int64Type)},
		"known list of numbers":   {Destinations: types.ListValueMust(types.Int64Type, []attr.Value{types.Int64Value(1)}), Results: ok.Results, Failed: ok.Failed},
		"null list without types": {Destinations: types.List{}, Results: ok.Results, Failed: ok.Failed},
	} {
		st := tfsdk.State{Schema: sr.Schema, Raw: tftypes.NewValue(mt.tf, nil)}
		if !st.Set(ctx, &m).HasError() {
			t.Fatalf("%s: the framework's Set accepts it; the case tests nothing", name)
		}
		if _, diags := setModel(ctx, mt, &m); !diags.HasError() {
			t.Errorf("%s: setModel accepts a value the framework refuses", name)
		}
	}
	st := tfsdk.State{Schema: sr.Schema, Raw: tftypes.NewValue(mt.tf, nil)}
	if diags := st.Set(ctx, &ok); diags.HasError() {
		t.Fatalf("the framework refuses the well-typed model: %v", diags)
	}
	if _, diags := setModel(ctx, mt, &ok); diags.HasError() {
		t.Errorf("setModel refuses the well-typed model: %v", diags)
	}
}

// randomValue is a random value of typ: at depth 0 a known object, below it
// null, unknown or known, known collections with 0 to 3 elements.
func randomValue(rng *rand.Rand, typ tftypes.Type, depth int) tftypes.Value {
	if depth > 0 {
		switch rng.IntN(10) {
		case 0, 1, 2:
			return tftypes.NewValue(typ, nil)
		case 3:
			if depth > 1 || rng.IntN(3) == 0 {
				return tftypes.NewValue(typ, tftypes.UnknownValue)
			}
		}
	}
	switch typ := typ.(type) {
	case tftypes.Object:
		vals := make(map[string]tftypes.Value, len(typ.AttributeTypes))
		for name, at := range typ.AttributeTypes {
			vals[name] = randomValue(rng, at, depth+1)
		}
		return tftypes.NewValue(typ, vals)
	case tftypes.List:
		elems := make([]tftypes.Value, rng.IntN(4))
		for i := range elems {
			elems[i] = randomValue(rng, typ.ElementType, depth+1)
		}
		return tftypes.NewValue(typ, elems)
	case tftypes.Map:
		elems := map[string]tftypes.Value{}
		for i := range rng.IntN(3) {
			elems[string(rune('a'+i))] = randomValue(rng, typ.ElementType, depth+1)
		}
		return tftypes.NewValue(typ, elems)
	}
	switch {
	case typ.Is(tftypes.String):
		return tftypes.NewValue(typ, []string{"", "a", "+6421000001", "2026-12-24T09:00:00Z"}[rng.IntN(4)])
	case typ.Is(tftypes.Number):
		return tftypes.NewValue(typ, big.NewFloat(float64(rng.IntN(100))))
	case typ.Is(tftypes.Bool):
		return tftypes.NewValue(typ, rng.IntN(2) == 0)
	}
	return tftypes.NewValue(typ, nil)
}
