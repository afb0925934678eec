package provider_test

import (
	"context"
	"encoding/json"
	"math/big"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/acctest"
)

// BenchmarkMessageProtocol measures the provider's side of each call
// Terraform makes for one ezitxt_message, over the plugin protocol against
// the in-process mock (without the protocol's logging, which is off when
// Terraform discards it; see main.go). make bench's overhead scenario makes
// these calls for 200 messages; the figures here say where its time goes.
//
//	go test ./internal/provider/ -run '^$' -bench '^BenchmarkMessageProtocol$' -benchmem
func BenchmarkMessageProtocol(b *testing.B) {
	env := acctest.New(b)
	p := env.Protocol(b)
	ctx := context.Background()
	typ := p.Schema.ResourceSchemas["ezitxt_message"].Block.ValueType()
	cfgAttrs := map[string]any{
		"source": acctest.Source, "to": "+6421000001",
		"text": map[string]any{"body": "Benchmark message"},
	}
	cfg := protoValue(b, typ, cfgAttrs)
	null := protoValue(b, typ, nil)
	planned := planMessage(b, p, null, cfg, cfg)
	created := applyMessage(b, p, null, planned, cfg)

	b.Run("ValidateResourceConfig", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			resp, err := p.Server.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: "ezitxt_message", Config: cfg})
			mustProtocol(b, err, resp.Diagnostics)
		}
	})
	b.Run("PlanResourceChange/create", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			planMessage(b, p, null, cfg, cfg)
		}
	})
	b.Run("ApplyResourceChange/create", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			applyMessage(b, p, null, planned, cfg)
		}
	})
	b.Run("UpgradeResourceState", func(b *testing.B) {
		raw := stateJSON(b, typ, created)
		version := p.Schema.ResourceSchemas["ezitxt_message"].Version // state as this schema writes it
		b.ReportAllocs()
		for b.Loop() {
			resp, err := p.Server.UpgradeResourceState(ctx, &tfprotov6.UpgradeResourceStateRequest{
				TypeName: "ezitxt_message", Version: version, RawState: &tfprotov6.RawState{JSON: raw},
			})
			mustProtocol(b, err, resp.Diagnostics)
		}
	})
	b.Run("ReadResource", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			resp, err := p.Server.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: "ezitxt_message", CurrentState: created})
			mustProtocol(b, err, resp.Diagnostics)
		}
	})
	b.Run("PlanResourceChange/no-op", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			planMessage(b, p, created, created, cfg)
		}
	})
}

func planMessage(b *testing.B, p *acctest.Protocol, prior, proposed, cfg *tfprotov6.DynamicValue) *tfprotov6.DynamicValue {
	b.Helper()
	resp, err := p.Server.PlanResourceChange(context.Background(), &tfprotov6.PlanResourceChangeRequest{
		TypeName: "ezitxt_message", PriorState: prior, ProposedNewState: proposed, Config: cfg,
	})
	mustProtocol(b, err, resp.Diagnostics)
	return resp.PlannedState
}

func applyMessage(b *testing.B, p *acctest.Protocol, prior, planned, cfg *tfprotov6.DynamicValue) *tfprotov6.DynamicValue {
	b.Helper()
	resp, err := p.Server.ApplyResourceChange(context.Background(), &tfprotov6.ApplyResourceChangeRequest{
		TypeName: "ezitxt_message", PriorState: prior, PlannedState: planned, Config: cfg,
	})
	mustProtocol(b, err, resp.Diagnostics)
	return resp.NewState
}

// stateJSON renders a state as Terraform stores it, for UpgradeResourceState.
func stateJSON(b testing.TB, typ tftypes.Type, dv *tfprotov6.DynamicValue) []byte {
	b.Helper()
	v, err := dv.Unmarshal(typ)
	if err != nil {
		b.Fatal(err)
	}
	j, err := tftypesToJSON(v)
	if err != nil {
		b.Fatal(err)
	}
	return j
}

func mustProtocol(b *testing.B, err error, diags []*tfprotov6.Diagnostic) {
	b.Helper()
	if err != nil {
		b.Fatal(err)
	}
	if acctest.HasError(diags) {
		b.Fatal(acctest.FormatDiagnostics(diags))
	}
}

// tftypesToJSON renders a known value as JSON, as in a state file.
func tftypesToJSON(v tftypes.Value) ([]byte, error) {
	g, err := goValue(v)
	if err != nil {
		return nil, err
	}
	return json.Marshal(g)
}

func goValue(v tftypes.Value) (any, error) {
	if v.IsNull() {
		return nil, nil
	}
	typ := v.Type()
	switch {
	case typ.Is(tftypes.String):
		var s string
		err := v.As(&s)
		return s, err
	case typ.Is(tftypes.Bool):
		var x bool
		err := v.As(&x)
		return x, err
	case typ.Is(tftypes.Number):
		var f big.Float
		if err := v.As(&f); err != nil {
			return nil, err
		}
		return json.Number(f.Text('g', -1)), nil
	case typ.Is(tftypes.Object{}), typ.Is(tftypes.Map{}):
		var m map[string]tftypes.Value
		if err := v.As(&m); err != nil {
			return nil, err
		}
		out := make(map[string]any, len(m))
		for k, e := range m {
			g, err := goValue(e)
			if err != nil {
				return nil, err
			}
			out[k] = g
		}
		return out, nil
	default: // list, set, tuple
		var l []tftypes.Value
		if err := v.As(&l); err != nil {
			return nil, err
		}
		out := make([]any, 0, len(l))
		for _, e := range l {
			g, err := goValue(e)
			if err != nil {
				return nil, err
			}
			out = append(out, g)
		}
		return out, nil
	}
}
