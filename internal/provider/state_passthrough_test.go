package provider_test

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/acctest"
	"github.com/ezitxt/terraform-provider-ezitxt/internal/provider"
)

// TestUpgradePassesCurrentStateThrough: state at the current schema version
// comes back from UpgradeResourceState as the JSON Terraform sent,
// transcoded to msgpack, and
// decodes to what the framework's own passthrough returns; state with a
// top-level name the schema lacks or without one it has goes to the
// framework and comes back the same as from the framework.
func TestUpgradePassesCurrentStateThrough(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := newResourceDriver(t, acctest.New(t), "ezitxt_broadcast")
	p := d.p
	fw := provider.FrameworkServer(p.Server)
	sch := p.Schema.ResourceSchemas["ezitxt_broadcast"]
	typ := d.typ
	state, diags := d.create(textBroadcast([]string{"+6422000001", "+6422000002"}, "Upgrade"))
	if acctest.HasError(diags) {
		t.Fatalf("create: %s", acctest.FormatDiagnostics(diags))
	}
	current := stateJSON(t, typ, d.dynamic(state))
	var attrs map[string]json.RawMessage
	if err := json.Unmarshal(current, &attrs); err != nil {
		t.Fatal(err)
	}
	edited := func(edit func(map[string]json.RawMessage)) []byte {
		m := map[string]json.RawMessage{}
		for k, v := range attrs {
			m[k] = v
		}
		edit(m)
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	for _, tc := range []struct {
		name        string
		raw         []byte
		passThrough bool
	}{
		{"current", current, true},
		{"a name the schema lacks", edited(func(m map[string]json.RawMessage) { m["removed_attribute"] = json.RawMessage(`"x"`) }), false},
		{"a name missing", edited(func(m map[string]json.RawMessage) { delete(m, "reference") }), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := func() *tfprotov6.UpgradeResourceStateRequest {
				return &tfprotov6.UpgradeResourceStateRequest{TypeName: "ezitxt_broadcast", Version: sch.Version,
					RawState: &tfprotov6.RawState{JSON: tc.raw}}
			}
			ours, err := p.Server.UpgradeResourceState(ctx, req())
			noErrors(t, "UpgradeResourceState", err, ours.Diagnostics)
			theirs, err := fw.UpgradeResourceState(ctx, req())
			noErrors(t, "the framework's UpgradeResourceState", err, theirs.Diagnostics)
			if passed := provider.PassesThrough(p.Server, req()); passed != tc.passThrough {
				t.Errorf("passed through: %t, want %t", passed, tc.passThrough)
			}
			if mp, err := provider.JSONToMsgpack(tc.raw, typ); tc.passThrough && (err != nil || !bytes.Equal(ours.UpgradedState.MsgPack, mp)) {
				t.Errorf("passed through, but not as the state's msgpack (%v)", err)
			}
			if got, want := decode(t, typ, ours.UpgradedState), decode(t, typ, theirs.UpgradedState); !got.Equal(want) {
				t.Errorf("upgraded state:\n%s\nthe framework's:\n%s", got, want)
			}
		})
	}
	// State edited by hand with a value of the wrong kind: Terraform would
	// fail to decode it as passed through and say only ".results: map of
	// string required", without the resource's address; the framework names the
	// resource and says what to do.
	for _, tc := range []struct{ name, attr, value string }{
		{"results a string", "results", `"{\"+6422000001\":{\"id\":\"x\"}}"`},
		{"results entries objects", "results", `{"+6422000001":{"id":"x","status":"accepted"}}`},
		{"failed a list", "failed", `[]`},
		{"a count a string", "accepted_count", `"2"`},
		{"a nested value of the wrong kind", "text", `{"body":["Upgrade"]}`},
		{"a nested name the schema lacks", "text", `{"body":"Upgrade","preview_url":true}`},
		{"a destination a number", "destinations", `["+6422000001",6422000002]`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			raw := edited(func(m map[string]json.RawMessage) { m[tc.attr] = json.RawMessage(tc.value) })
			req := func() *tfprotov6.UpgradeResourceStateRequest {
				return &tfprotov6.UpgradeResourceStateRequest{TypeName: "ezitxt_broadcast", Version: sch.Version,
					RawState: &tfprotov6.RawState{JSON: raw}}
			}
			ours, err := p.Server.UpgradeResourceState(ctx, req())
			if err != nil {
				t.Fatal(err)
			}
			if ours.UpgradedState != nil && bytes.Equal(ours.UpgradedState.JSON, raw) {
				t.Fatalf("state with %s = %s passed through unchecked", tc.attr, tc.value)
			}
			theirs, err := fw.UpgradeResourceState(ctx, req())
			if err != nil {
				t.Fatal(err)
			}
			if len(ours.Diagnostics) != len(theirs.Diagnostics) {
				t.Fatalf("diagnostics %v, the framework's %v", ours.Diagnostics, theirs.Diagnostics)
			}
			for i := range ours.Diagnostics {
				if ours.Diagnostics[i].Summary != theirs.Diagnostics[i].Summary {
					t.Errorf("diagnostic %q, the framework's %q", ours.Diagnostics[i].Summary, theirs.Diagnostics[i].Summary)
				}
			}
		})
	}
	t.Run("an older version", func(t *testing.T) {
		resp, err := p.Server.UpgradeResourceState(ctx, &tfprotov6.UpgradeResourceStateRequest{TypeName: "ezitxt_broadcast",
			Version: sch.Version - 1, RawState: &tfprotov6.RawState{JSON: current}})
		if err != nil {
			t.Fatal(err)
		}
		if resp.UpgradedState != nil && bytes.Equal(resp.UpgradedState.JSON, current) {
			t.Errorf("state of version %d passed through unchanged; it must go to the state upgrader", sch.Version-1)
		}
	})
}
