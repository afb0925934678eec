package provider_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/acctest"
)

// BenchmarkBroadcastProtocol measures the provider's side of each call
// Terraform makes for one ezitxt_broadcast to 1,000 and 10,000 numbers, over
// the plugin protocol against the in-process mock: the hot paths of make
// bench's broadcast scenario (the results map, the destinations set,
// ModifyPlan, the refresh of every status).
//
//	go test ./internal/provider/ -run '^$' -bench '^BenchmarkBroadcastProtocol$' -benchmem
func BenchmarkBroadcastProtocol(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) { benchmarkBroadcast(b, n) })
	}
}

func benchmarkBroadcast(b *testing.B, n int) {
	env := acctest.New(b)
	p := env.Protocol(b)
	ctx := context.Background()
	typ := p.Schema.ResourceSchemas["ezitxt_broadcast"].Block.ValueType()
	numbers := make([]string, n)
	for i := range numbers {
		numbers[i] = fmt.Sprintf("+6422%07d", i)
	}
	cfg := protoValue(b, typ, map[string]any{
		"source": acctest.Source, "destinations": numbers,
		"text": map[string]any{"body": "Benchmark broadcast"},
	})
	null := protoValue(b, typ, nil)
	plan := func(prior, proposed *tfprotov6.DynamicValue) *tfprotov6.DynamicValue {
		resp, err := p.Server.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
			TypeName: "ezitxt_broadcast", PriorState: prior, ProposedNewState: proposed, Config: cfg,
		})
		mustProtocol(b, err, resp.Diagnostics)
		return resp.PlannedState
	}
	apply := func(planned *tfprotov6.DynamicValue) *tfprotov6.DynamicValue {
		resp, err := p.Server.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{
			TypeName: "ezitxt_broadcast", PriorState: null, PlannedState: planned, Config: cfg,
		})
		mustProtocol(b, err, resp.Diagnostics)
		return resp.NewState
	}
	planned := plan(null, cfg)
	created := apply(planned)
	read := func() *tfprotov6.DynamicValue {
		resp, err := p.Server.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: "ezitxt_broadcast", CurrentState: created})
		mustProtocol(b, err, resp.Diagnostics)
		return resp.NewState
	}
	refreshed := read()

	b.Run("ValidateResourceConfig", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			resp, err := p.Server.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: "ezitxt_broadcast", Config: cfg})
			mustProtocol(b, err, resp.Diagnostics)
		}
	})
	b.Run("PlanResourceChange/create", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			plan(null, cfg)
		}
	})
	b.Run("ApplyResourceChange/create", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			apply(planned)
		}
	})
	b.Run("UpgradeResourceState", func(b *testing.B) {
		raw := stateJSON(b, typ, refreshed)
		version := p.Schema.ResourceSchemas["ezitxt_broadcast"].Version // state as this schema writes it
		b.ReportAllocs()
		for b.Loop() {
			resp, err := p.Server.UpgradeResourceState(ctx, &tfprotov6.UpgradeResourceStateRequest{
				TypeName: "ezitxt_broadcast", Version: version, RawState: &tfprotov6.RawState{JSON: raw},
			})
			mustProtocol(b, err, resp.Diagnostics)
		}
	})
	b.Run("ReadResource", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			read()
		}
	})
	b.Run("PlanResourceChange/no-op", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			plan(refreshed, refreshed)
		}
	})
}
