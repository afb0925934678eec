package main

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/acctest"
)

// BenchmarkMirrorMessageProtocol is BenchmarkMessageProtocol (in
// internal/provider) for benchnull_message: the framework's own cost of each
// call for ezitxt_message's schema, in process, so that the provider's
// figures can be read against a floor measured the same way.
//
//	go test ./internal/cmd/bench/nullprovider/ -run '^$' -bench . -benchmem
func BenchmarkMirrorMessageProtocol(b *testing.B) {
	ctx := context.Background()
	srv := providerserver.NewProtocol6(nullProvider{})()
	schemas, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || len(schemas.Diagnostics) > 0 {
		b.Fatalf("schema: %v %v", err, schemas.Diagnostics)
	}
	const name = "benchnull_message"
	typ := schemas.ResourceSchemas[name].Block.ValueType()
	value := func(v any) *tfprotov6.DynamicValue {
		tv, err := acctest.Value(typ, v)
		if err != nil {
			b.Fatal(err)
		}
		dv, err := tfprotov6.NewDynamicValue(typ, tv)
		if err != nil {
			b.Fatal(err)
		}
		return &dv
	}
	check := func(err error, diags []*tfprotov6.Diagnostic) {
		if err != nil || len(diags) > 0 {
			b.Fatalf("%v %v", err, diags)
		}
	}
	cfg := value(map[string]any{"source": "15550001111", "to": "+6421000001", "text": map[string]any{"body": "Benchmark message"}})
	null := value(nil)
	plan := func(prior, proposed *tfprotov6.DynamicValue) *tfprotov6.DynamicValue {
		resp, err := srv.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{TypeName: name, PriorState: prior, ProposedNewState: proposed, Config: cfg})
		check(err, resp.Diagnostics)
		return resp.PlannedState
	}
	planned := plan(null, cfg)
	apply := func() *tfprotov6.DynamicValue {
		resp, err := srv.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{TypeName: name, PriorState: null, PlannedState: planned, Config: cfg})
		check(err, resp.Diagnostics)
		return resp.NewState
	}
	created := apply()
	b.Run("ValidateResourceConfig", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			resp, err := srv.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: name, Config: cfg})
			check(err, resp.Diagnostics)
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
			apply()
		}
	})
	b.Run("ReadResource", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			resp, err := srv.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: name, CurrentState: created})
			check(err, resp.Diagnostics)
		}
	})
	b.Run("PlanResourceChange/no-op", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			plan(created, created)
		}
	})
}
