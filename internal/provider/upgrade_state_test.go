package provider_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/acctest"
)

// upgrade sends state of version 0 (as JSON, as Terraform stores it) through
// UpgradeResourceState and returns the upgraded attributes.
func upgrade(t *testing.T, typeName string, v0 map[string]any) map[string]tftypes.Value {
	t.Helper()
	return upgradeFrom(t, typeName, 0, v0)
}

// upgradeFrom sends state of version from through UpgradeResourceState.
func upgradeFrom(t *testing.T, typeName string, from int64, prior map[string]any) map[string]tftypes.Value {
	t.Helper()
	ctx := context.Background()
	s := acctest.New(t).ProviderServer(t)
	schema, err := s.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || acctest.HasError(schema.Diagnostics) {
		t.Fatalf("GetProviderSchema: %v %s", err, acctest.FormatDiagnostics(schema.Diagnostics))
	}
	if got := schema.ResourceSchemas[typeName].Version; got <= from {
		t.Fatalf("%s schema version %d, want more than %d", typeName, got, from)
	}
	raw, err := json.Marshal(prior)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := s.UpgradeResourceState(ctx, &tfprotov6.UpgradeResourceStateRequest{
		TypeName: typeName, Version: from, RawState: &tfprotov6.RawState{JSON: raw},
	})
	if err != nil || acctest.HasError(resp.Diagnostics) {
		t.Fatalf("UpgradeResourceState: %v %s", err, acctest.FormatDiagnostics(resp.Diagnostics))
	}
	typ := schema.ResourceSchemas[typeName].Block.ValueType()
	v, err := resp.UpgradedState.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]tftypes.Value{}
	if err := v.As(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

func upStr(t *testing.T, v tftypes.Value) string {
	t.Helper()
	var s string
	if err := v.As(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestUpgradeState_broadcastResults: results as a map of objects (version
// 0) or as one JSON string of them (version 1) become the map of "STATUS ID
// REASON" strings with the same entries, failed lists the failed number with
// its reason, and the counts stay.
func TestUpgradeState_broadcastResults(t *testing.T) {
	t.Parallel()
	entries := map[string]any{
		"+6421000001": map[string]any{"id": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "status": "delivered", "error": nil},
		"+6421000002": map[string]any{"id": "497f6eca-6276-4993-bfeb-53cbbbba6f08", "status": "failed", "error": "not a WhatsApp account"},
		"+6421000003": map[string]any{"id": "", "status": "unknown", "error": "the connection failed"},
	}
	v1Entries, err := json.Marshal(entries)
	if err != nil {
		t.Fatal(err)
	}
	prior := func(results any, failed bool) map[string]any {
		p := map[string]any{
			"id": "5c1e4a8e-0000-4000-8000-000000000001", "source": acctest.Source,
			"destinations":   []string{"+6421000001", "+6421000002", "+6421000003", "+6421000004"},
			"text":           map[string]any{"body": "hi"},
			"results":        results,
			"accepted_count": 1, "failed_count": 1, "unknown_count": 1, "unsent_count": 1,
		}
		if failed {
			p["failed"] = map[string]any{"+6421000002": "failed: not a WhatsApp account"}
		}
		return p
	}
	for _, tc := range []struct {
		name    string
		version int64
		prior   map[string]any
	}{
		{"version 0, a map of objects", 0, prior(entries, false)},
		{"version 1, a JSON string", 1, prior(string(v1Entries), true)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := upgradeFrom(t, "ezitxt_broadcast", tc.version, tc.prior)
			results := map[string]tftypes.Value{}
			if err := got["results"].As(&results); err != nil {
				t.Fatalf("results: %v", err)
			}
			want := map[string]string{
				"+6421000001": "delivered 3fa85f64-5717-4562-b3fc-2c963f66afa6",
				"+6421000002": "failed 497f6eca-6276-4993-bfeb-53cbbbba6f08 not a WhatsApp account",
				"+6421000003": "unknown  the connection failed",
			}
			if len(results) != len(want) {
				t.Fatalf("results = %v, want %v", results, want)
			}
			for n, w := range want {
				if g := upStr(t, results[n]); g != w {
					t.Errorf("results[%s] = %q, want %q", n, g, w)
				}
			}
			failed := map[string]tftypes.Value{}
			if err := got["failed"].As(&failed); err != nil || len(failed) != 1 ||
				upStr(t, failed["+6421000002"]) != "failed: not a WhatsApp account" {
				t.Errorf("failed = %v, want the failed number with its reason", got["failed"])
			}
			for name, want := range map[string]int64{"accepted_count": 1, "failed_count": 1, "unknown_count": 1, "unsent_count": 1} {
				if !got[name].Equal(tftypes.NewValue(tftypes.Number, want)) {
					t.Errorf("%s = %v, want %d", name, got[name], want)
				}
			}
			if upStr(t, got["source"]) != acctest.Source || upStr(t, got["id"]) != "5c1e4a8e-0000-4000-8000-000000000001" {
				t.Errorf("source or id not kept: %v", got)
			}
		})
	}
}

// TestUpgradeState_messageDirection: direction is dropped, timeouts.create
// becomes wait_timeout, everything else is kept.
func TestUpgradeState_messageDirection(t *testing.T) {
	t.Parallel()
	got := upgrade(t, "ezitxt_message", map[string]any{
		"id": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "source": acctest.Source, "to": "+6421000001",
		"text": map[string]any{"body": "hi"}, "status": "delivered", "timestamp": 1700000000, "direction": "MT",
		"wait_for_status": "sent", "status_reached": true, "timeouts": map[string]any{"create": "2m"},
	})
	if _, ok := got["direction"]; ok {
		t.Error("direction is still in the schema")
	}
	for name, want := range map[string]string{"id": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "to": "+6421000001", "status": "delivered", "wait_for_status": "sent"} {
		if upStr(t, got[name]) != want {
			t.Errorf("%s = %v, want %q", name, got[name], want)
		}
	}
	if !got["timestamp"].Equal(tftypes.NewValue(tftypes.Number, 1700000000)) || !got["status_reached"].Equal(tftypes.NewValue(tftypes.Bool, true)) {
		t.Errorf("timestamp or status_reached not kept: %v %v", got["timestamp"], got["status_reached"])
	}
	if _, ok := got["timeouts"]; ok {
		t.Error("timeouts is still in the schema")
	}
	if upStr(t, got["wait_timeout"]) != "2m" {
		t.Errorf("wait_timeout = %v, want timeouts.create, 2m", got["wait_timeout"])
	}
}
