package provider_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/acctest"
	"github.com/ezitxt/terraform-provider-ezitxt/internal/mockapi"
	"github.com/ezitxt/terraform-provider-ezitxt/internal/provider"
)

// TestPartialReadMatchesTheFramework holds the provider's own refresh of
// ezitxt_broadcast (partial_read.go) against the framework's ReadResource of
// the same state, on the same configured provider: the same new state and
// the same diagnostics when nothing changed, when statuses changed, when
// some messages are gone and when no status can be read, and the private
// state passed through.
func TestPartialReadMatchesTheFramework(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	env := acctest.New(t)
	p := env.ProtocolWithProvider(t, map[string]any{"max_retries": 0})
	fw := provider.FrameworkServer(p.Server)
	d := newProtocolDriver(t, p, "ezitxt_broadcast")
	typ := d.typ
	numbers := make([]string, 40)
	for i := range numbers {
		numbers[i] = fmt.Sprintf("+6422%07d", i)
	}
	state, diags := d.create(textBroadcast(numbers, "Partial read"))
	if acctest.HasError(diags) {
		t.Fatalf("create: %s", acctest.FormatDiagnostics(diags))
	}
	// Private state as the framework writes it: keys to base64 of JSON.
	private := []byte(`{"kept":"` + base64.StdEncoding.EncodeToString([]byte(`{"as":"it is"}`)) + `"}`)

	compare := func(t *testing.T, state *tfprotov6.DynamicValue) *tfprotov6.ReadResourceResponse {
		t.Helper()
		req := func() *tfprotov6.ReadResourceRequest {
			return &tfprotov6.ReadResourceRequest{TypeName: "ezitxt_broadcast", CurrentState: state, Private: private}
		}
		ours, err := p.Server.ReadResource(ctx, req())
		if err != nil {
			t.Fatal(err)
		}
		theirs, err := fw.ReadResource(ctx, req())
		if err != nil {
			t.Fatal(err)
		}
		if got, want := diagnosticsText(ours.Diagnostics), diagnosticsText(theirs.Diagnostics); got != want {
			t.Errorf("diagnostics:\n%s\nthe framework's:\n%s", got, want)
		}
		if !bytes.Equal(ours.Private, theirs.Private) || !bytes.Equal(ours.Private, private) {
			t.Errorf("private state %q, the framework's %q, sent %q", ours.Private, theirs.Private, private)
		}
		if (ours.NewState == nil) != (theirs.NewState == nil) {
			t.Fatalf("new state set: %t, the framework's: %t; diagnostics:\n%s", ours.NewState != nil, theirs.NewState != nil, diagnosticsText(ours.Diagnostics))
		}
		if ours.NewState != nil {
			if got, want := decode(t, typ, ours.NewState), decode(t, typ, theirs.NewState); !got.Equal(want) {
				t.Errorf("new state:\n%s\nthe framework's:\n%s", got, want)
			}
		}
		return ours
	}

	created := d.dynamic(state)
	t.Run("unchanged", func(t *testing.T) {
		resp := compare(t, created)
		if !bytes.Equal(resp.NewState.MsgPack, created.MsgPack) {
			t.Error("nothing changed, yet the new state is not the state sent")
		}
	})
	t.Run("statuses changed", func(t *testing.T) {
		env.Mock.Advance(time.Hour) // statuses move on (delivered, read)
		resp := compare(t, created)
		if bytes.Equal(resp.NewState.MsgPack, created.MsgPack) {
			t.Fatal("the statuses changed, yet the new state is the state sent")
		}
	})
	t.Run("a message gone", func(t *testing.T) {
		// A number whose message the API never heard of: kept, with a warning.
		v := decode(t, typ, created)
		var attrs map[string]tftypes.Value
		if err := v.As(&attrs); err != nil {
			t.Fatal(err)
		}
		var results map[string]tftypes.Value
		if err := attrs["results"].As(&results); err != nil {
			t.Fatal(err)
		}
		results["+64229999999"] = tftypes.NewValue(tftypes.String, "accepted 0b0d7a4e-0000-4000-8000-000000000000")
		attrs["results"] = tftypes.NewValue(tftypes.Map{ElementType: tftypes.String}, results)
		dv, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, attrs))
		if err != nil {
			t.Fatal(err)
		}
		resp := compare(t, &dv)
		wantWarning(t, resp.Diagnostics, "Broadcast Messages Not Found", "+64229999999")
		wantWarning(t, resp.Diagnostics, "Broadcast Messages Not Found", "the messages of 1 number of the broadcast")
	})
	t.Run("no status readable", func(t *testing.T) {
		if err := env.Mock.SetFaults(mockapi.Faults{ServerErrorRate: 1, Endpoints: []mockapi.Endpoint{mockapi.EndpointGetMessage}}); err != nil {
			t.Fatal(err)
		}
		resp := compare(t, created) // every message still accepted: all are read
		if !acctest.HasError(resp.Diagnostics) {
			t.Errorf("no status could be read: want an error, got %s", acctest.FormatDiagnostics(resp.Diagnostics))
		}
	})
}

// TestPartialReadFallsBackToTheFramework: state the provider's refresh
// cannot parse goes to the framework, which names the problem.
func TestPartialReadFallsBackToTheFramework(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p := acctest.New(t).Protocol(t)
	for name, state := range map[string][]byte{
		"not msgpack":          {0xc1},
		"an attribute missing": {0x81, 0xa2, 'i', 'd', 0xa1, 'x'},
	} {
		resp, err := p.Server.ReadResource(ctx, &tfprotov6.ReadResourceRequest{
			TypeName: "ezitxt_broadcast", CurrentState: &tfprotov6.DynamicValue{MsgPack: state},
		})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !acctest.HasError(resp.Diagnostics) || resp.NewState != nil {
			t.Errorf("%s: want the framework's error and no state, got %s", name, acctest.FormatDiagnostics(resp.Diagnostics))
		}
	}
}

func noErrors(t *testing.T, what string, err error, diags []*tfprotov6.Diagnostic) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if acctest.HasError(diags) {
		t.Fatalf("%s: %s", what, acctest.FormatDiagnostics(diags))
	}
}

func decode(t *testing.T, typ tftypes.Type, dv *tfprotov6.DynamicValue) tftypes.Value {
	t.Helper()
	v, err := dv.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// diagnosticsText renders diagnostics for comparison, up to the first
// error of concurrent reads (which one is first varies).
func diagnosticsText(diags []*tfprotov6.Diagnostic) string {
	var b bytes.Buffer
	for _, d := range diags {
		detail, _, _ := strings.Cut(d.Detail, "The first error:")
		fmt.Fprintf(&b, "%v %q %q %v\n", d.Severity, d.Summary, detail, d.Attribute)
	}
	return b.String()
}
