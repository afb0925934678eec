package provider_test

import (
	"bytes"
	"context"
	"encoding/json"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/acctest"
	"github.com/ezitxt/terraform-provider-ezitxt/internal/provider"
)

// TestJSONToMsgpack: state of every resource type, random values of its
// schema's type as Terraform writes them (compact or indented JSON, strings
// with escapes, numbers of every kind), transcodes to msgpack that decodes
// to the value the JSON decodes to.
func TestJSONToMsgpack(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := acctest.New(t).ProviderServer(t)
	schema, err := s.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || acctest.HasError(schema.Diagnostics) {
		t.Fatalf("GetProviderSchema: %v %s", err, acctest.FormatDiagnostics(schema.Diagnostics))
	}
	rng := rand.New(rand.NewPCG(7, 23)) //nolint:gosec // G404: reproducible test values, not secrets
	strs := []string{"", "+6421000001", `quote " backslash \ slash /`, "line\nbreak\ttab", "é ✓ 😀 \u2028", "\x01\x7f", "<&>"}
	nums := []*big.Float{big.NewFloat(0), big.NewFloat(-42), big.NewFloat(1.5), big.NewFloat(1e30), big.NewFloat(-2.5e-7), new(big.Float).SetInt64(1 << 62)}
	for name, sch := range schema.ResourceSchemas {
		typ := sch.ValueType()
		for i := range 200 {
			v := provider.RandomValue(rng, typ, 0)
			// State has no unknown values; vary the strings and numbers.
			v, err := tftypes.Transform(v, func(_ *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
				switch {
				case !v.IsKnown():
					return tftypes.NewValue(v.Type(), nil), nil
				case v.IsNull():
					return v, nil
				case v.Type().Is(tftypes.String):
					return tftypes.NewValue(v.Type(), strs[rng.IntN(len(strs))]), nil
				case v.Type().Is(tftypes.Number):
					return tftypes.NewValue(v.Type(), nums[rng.IntN(len(nums))]), nil
				}
				return v, nil
			})
			if err != nil {
				t.Fatal(err)
			}
			raw, err := tftypesToJSON(v)
			if err != nil {
				t.Fatal(err)
			}
			if i%2 == 1 {
				var indented bytes.Buffer
				if err := json.Indent(&indented, raw, "  ", "  "); err != nil {
					t.Fatal(err)
				}
				raw = indented.Bytes()
			}
			want, err := tftypes.ValueFromJSON(raw, typ) //nolint:staticcheck // the JSON decoding to compare with
			if err != nil {
				t.Fatalf("%s: the JSON does not decode: %v\n%s", name, err, raw)
			}
			mp, err := provider.JSONToMsgpack(raw, typ)
			if err != nil {
				t.Fatalf("%s: %v\n%s", name, err, raw)
			}
			got, err := (&tfprotov6.DynamicValue{MsgPack: mp}).Unmarshal(typ)
			if err != nil {
				t.Fatalf("%s: the msgpack does not decode: %v\n%s", name, err, raw)
			}
			if !got.Equal(want) {
				t.Fatalf("%s: msgpack decodes to\n%s\nthe JSON to\n%s", name, got, want)
			}
		}
	}
}

// TestJSONToMsgpackRefusesWhatItCannotRead: malformed or truncated JSON is
// an error (UpgradeResourceState then returns the JSON as it came).
func TestJSONToMsgpackRefusesWhatItCannotRead(t *testing.T) {
	t.Parallel()
	typ := tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"s": tftypes.String, "l": tftypes.List{ElementType: tftypes.String},
		"m": tftypes.Map{ElementType: tftypes.String}, "n": tftypes.Number, "b": tftypes.Bool,
	}}
	for _, raw := range []string{
		``, `{`, `{"s":"x"`, `{"s":"x}`, `{"s" "x"}`, `{"s":"x" "l":[]}`, `{"l":["a",}`, `{"m":{"a":1}}`,
		`{"x":"unsupported"}`, `{"b":tru}`, `{"s":"x"} trailing`, `{"s":nul}`, `[]`,
		`{"n":}`, `{"n":-}`, `{"n":01}`, `{"n":1.}`, `{"l":[,"a"]}`,
	} {
		if _, err := provider.JSONToMsgpack([]byte(raw), typ); err == nil {
			t.Errorf("JSONToMsgpack(%q) succeeded", raw)
		}
	}
}

// TestJSONToMsgpackInvalidUTF8: bytes that are not UTF-8 in a string or a
// map key (state edited by hand) decode as JSON decoding gives them, each
// as U+FFFD.
func TestJSONToMsgpackInvalidUTF8(t *testing.T) {
	t.Parallel()
	typ := tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"s": tftypes.String, "m": tftypes.Map{ElementType: tftypes.String},
	}}
	for _, raw := range []string{"{\"s\":\"\xff\",\"m\":null}", "{\"s\":\"a\xfe\\n\",\"m\":{\"\xfe\":\"x\"}}"} {
		want, err := tftypes.ValueFromJSON([]byte(raw), typ) //nolint:staticcheck // the JSON decoding to compare with
		if err != nil {
			t.Fatal(err)
		}
		mp, err := provider.JSONToMsgpack([]byte(raw), typ)
		if err != nil {
			t.Fatal(err)
		}
		got, err := (&tfprotov6.DynamicValue{MsgPack: mp}).Unmarshal(typ)
		if err != nil || !got.Equal(want) {
			t.Errorf("%q: msgpack decodes to %s (%v), the JSON to %s", raw, got, err, want)
		}
	}
}
