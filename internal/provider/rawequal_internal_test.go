package provider

import (
	"context"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// TestRawEqualMatchesTheFramework checks rawEqual against
// tftypes.Value.Equal, both ways round: each random value against a copy of
// itself and against itself with one node changed (a string, number or bool
// changed, a value made unknown or null, null made known, a list element
// added or dropped, a map key added).
func TestRawEqualMatchesTheFramework(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, r := range []resource.Resource{&messageResource{}, &broadcastResource{}} {
		var sr resource.SchemaResponse
		r.Schema(ctx, resource.SchemaRequest{}, &sr)
		typ := sr.Schema.Type().TerraformType(ctx)
		rng := rand.New(rand.NewPCG(7, 8)) //nolint:gosec // G404: reproducible test values, not secrets
		same, differ := 0, 0
		for i := range 3000 {
			v := randomValue(rng, typ, 0)
			for _, w := range []tftypes.Value{v.Copy(), mutateAny(t, rng, v)} {
				want := v.Equal(w)
				if got := rawEqual(v, w); got != want {
					t.Fatalf("value %d: rawEqual %v, Equal %v, for %s and %s", i, got, want, v, w)
				}
				if got := rawEqual(w, v); got != want {
					t.Fatalf("value %d (swapped): rawEqual %v, Equal %v, for %s and %s", i, got, want, w, v)
				}
				if want {
					same++
				} else {
					differ++
				}
			}
		}
		if same < 3000 || differ < 1000 {
			t.Errorf("%d equal and %d different pairs: the changes do not cover both", same, differ)
		}
	}
}

// mutateAny is v with one node (picked at random) changed.
func mutateAny(t *testing.T, rng *rand.Rand, v tftypes.Value) tftypes.Value {
	var nodes int
	_ = tftypes.Walk(v, func(p *tftypes.AttributePath, _ tftypes.Value) (bool, error) {
		if len(p.Steps()) > 0 {
			nodes++
		}
		return true, nil
	})
	if nodes == 0 {
		return v
	}
	pick, n := rng.IntN(nodes), 0
	out, err := tftypes.Transform(v, func(p *tftypes.AttributePath, l tftypes.Value) (tftypes.Value, error) {
		if len(p.Steps()) == 0 {
			return l, nil
		}
		n++
		if n-1 != pick {
			return l, nil
		}
		typ := l.Type()
		switch rng.IntN(4) {
		case 0:
			return tftypes.NewValue(typ, tftypes.UnknownValue), nil
		case 1:
			if !l.IsNull() {
				return tftypes.NewValue(typ, nil), nil
			}
		}
		switch {
		case typ.Is(tftypes.Number):
			return tftypes.NewValue(typ, big.NewFloat(0.5)), nil
		case typ.Is(tftypes.Bool):
			var b bool
			if l.IsKnown() && !l.IsNull() {
				_ = l.As(&b)
			}
			return tftypes.NewValue(typ, !b), nil
		case typ.Is(tftypes.String):
			return tftypes.NewValue(typ, "changed"), nil
		case typ.Is(tftypes.List{}):
			var elems []tftypes.Value
			if l.IsKnown() && !l.IsNull() {
				_ = l.As(&elems)
			}
			if len(elems) > 0 && rng.IntN(2) == 0 {
				return tftypes.NewValue(typ, elems[:len(elems)-1]), nil
			}
			list, _ := typ.(tftypes.List)
			return tftypes.NewValue(typ, append(elems, tftypes.NewValue(list.ElementType, nil))), nil
		case typ.Is(tftypes.Map{}):
			var m map[string]tftypes.Value
			if l.IsKnown() && !l.IsNull() {
				_ = l.As(&m)
			}
			nm := map[string]tftypes.Value{}
			for k, e := range m {
				nm[k] = e
			}
			mapType, _ := typ.(tftypes.Map)
			nm["z"] = tftypes.NewValue(mapType.ElementType, nil)
			return tftypes.NewValue(typ, nm), nil
		}
		return tftypes.NewValue(typ, tftypes.UnknownValue), nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
