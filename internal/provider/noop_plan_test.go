package provider_test

import (
	"context"
	"maps"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/acctest"
	"github.com/ezitxt/terraform-provider-ezitxt/internal/provider"
)

// TestPlanOfUnchangedBroadcast: the provider answers the plan of a
// broadcast nothing changed with its state, as the framework plans it; a
// plan that adds a number, and one of an unchanged broadcast with a number
// not sent to yet, go to the framework, which plans the send.
func TestPlanOfUnchangedBroadcast(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := newResourceDriver(t, acctest.New(t), "ezitxt_broadcast")
	fw := provider.FrameworkServer(d.p.Server)
	numbers := []string{"+6422400001", "+6422400002"}
	cfg := textBroadcast(numbers, "Unchanged")
	state, diags := d.create(cfg)
	if acctest.HasError(diags) {
		t.Fatalf("create: %s", acctest.FormatDiagnostics(diags))
	}
	// The same broadcast with no outcome for its second number, as an
	// apply that stopped before that number's batch leaves it.
	var attrs, results map[string]tftypes.Value
	if err := state.As(&attrs); err != nil {
		t.Fatal(err)
	}
	if err := attrs["results"].As(&results); err != nil {
		t.Fatal(err)
	}
	// withResults is the state with results replaced by entries.
	withResults := func(entries map[string]tftypes.Value) tftypes.Value {
		a := maps.Clone(attrs)
		a["results"] = tftypes.NewValue(attrs["results"].Type(), entries)
		return tftypes.NewValue(d.typ, a)
	}
	kept := maps.Clone(results) // a copy: As shares the value's own map
	delete(kept, numbers[1])
	unsent := withResults(kept)
	// ... and with an outcome of a number not in destinations (edited by hand).
	extra := maps.Clone(results)
	extra["+6422499999"] = tftypes.NewValue(tftypes.String, "read 3fa85f64-5717-4562-b3fc-2c963f66afa6")
	forgotten := withResults(extra)

	for _, tc := range []struct {
		name     string
		prior    tftypes.Value
		config   map[string]any
		answered bool     // by the provider, not the framework
		pending  []string // numbers the plan sends to
	}{
		{"unchanged", state, cfg, true, nil},
		{"a number added", state, textBroadcast(append([]string{"+6422400003"}, numbers...), "Unchanged"), false, []string{"+6422400003"}},
		{"a number not sent to yet", unsent, cfg, false, []string{numbers[1]}},
		{"an outcome of a number not in destinations", forgotten, cfg, false, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			config := d.value(tc.config)
			prior, proposed := d.dynamic(tc.prior), d.proposed(tc.prior, config)
			req := &tfprotov6.PlanResourceChangeRequest{TypeName: "ezitxt_broadcast", PriorState: prior,
				ProposedNewState: d.dynamic(proposed), Config: d.dynamic(config)}
			if proposed.Equal(tc.prior) {
				// Terraform encodes equal values to the same bytes (cty
				// writes map keys in order); tftypes writes them in Go's
				// map order.
				req.ProposedNewState = &tfprotov6.DynamicValue{MsgPack: prior.MsgPack}
			}
			ours, err := d.p.Server.PlanResourceChange(ctx, req)
			noErrors(t, "PlanResourceChange", err, ours.Diagnostics)
			theirs, err := fw.PlanResourceChange(ctx, req)
			noErrors(t, "the framework's PlanResourceChange", err, theirs.Diagnostics)
			if answered := ours.PlannedState == req.ProposedNewState; answered != tc.answered {
				t.Errorf("answered by the provider: %t, want %t", answered, tc.answered)
			}
			got, want := d.decode(ours.PlannedState), d.decode(theirs.PlannedState)
			if !got.Equal(want) {
				t.Errorf("planned state:\n%s\nthe framework's:\n%s", got, want)
			}
			if tc.prior.Equal(forgotten) && !hasWarning(ours.Diagnostics, "Broadcast Forgets Removed Numbers") {
				t.Errorf("no warning that +6422499999 is forgotten: %s", acctest.FormatDiagnostics(ours.Diagnostics))
			}
			if len(ours.Diagnostics) != len(theirs.Diagnostics) {
				t.Errorf("%d diagnostics, the framework's plan %d", len(ours.Diagnostics), len(theirs.Diagnostics))
			}
			var planned map[string]tftypes.Value
			if err := got.As(&planned); err != nil {
				t.Fatal(err)
			}
			var entries map[string]tftypes.Value
			if err := planned["results"].As(&entries); err != nil {
				t.Fatal(err)
			}
			for _, n := range tc.pending {
				if e, ok := entries[n]; !ok || e.IsKnown() {
					t.Errorf("results[%s] planned %v, want an entry known after apply", n, e)
				}
			}
		})
	}
}

func hasWarning(diags []*tfprotov6.Diagnostic, summary string) bool {
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityWarning && d.Summary == summary {
			return true
		}
	}
	return false
}
