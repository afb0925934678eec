package provider_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/acctest"
)

func rawConfig(e *acctest.Env, payload string) string {
	return e.Config(fmt.Sprintf(`
resource "ezitxt_message" "raw" {
  source = %q
  to     = "+6421000001"
  raw = {
    version = "v19.0"
    payload = %s
  }
}

data "ezitxt_message" "raw" {
  id = ezitxt_message.raw.id
}

output "raw" {
  value = data.ezitxt_message.raw.status
}`, acctest.Source, payload))
}

// nested returns a JSON array nested depth levels deep: [[[...]]].
func nested(depth int) string {
	return strings.Repeat("[", depth) + strings.Repeat("]", depth)
}

// TestAccMessage_rawPayloadChecks: an invalid raw.payload used to be shown
// against the resource block's first line on Terraform 1.11.4 and OpenTofu
// 1.12.6; it is now shown on the payload line, on every CLI. A payload nested
// 10,000 levels deep was accepted (and made Terraform's plan display
// quadratic); nesting is now capped at 64 levels with a clear error, while a
// real payload still goes through.
func TestAccMessage_rawPayloadChecks(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				Config: rawConfig(e, `"{not json"`),
				ExpectError: diagRe(`Error: Invalid JSON Payload`, `with ezitxt_message.raw,`, `payload = "{not json"`,
					`Attribute raw.payload must be JSON text`),
			},
			{
				Config: rawConfig(e, fmt.Sprintf("%q", nested(10000))),
				ExpectError: diagRe(`Error: JSON Payload Nested Too Deeply`, `payload = "[[[[`,
					`Attribute raw.payload nests objects and arrays 10000 levels deep; at most 64 are accepted`),
			},
			{
				Config:      rawConfig(e, fmt.Sprintf("%q", nested(65))),
				ExpectError: diagRe(`Error: JSON Payload Nested Too Deeply`, `65 levels deep; at most 64`),
			},
			{
				// An interactive list message, as deep as real payloads go.
				Config: rawConfig(e, `jsonencode({
      type = "interactive"
      interactive = {
        type   = "list"
        body   = { text = "Pick a slot" }
        action = {
          button   = "Slots"
          sections = [{ title = "Today", rows = [{ id = "9", title = "9:00", description = "[{\"not\": [\"nesting\"]}]" }] }]
        }
      }
    })`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("raw", knownvalue.StringExact("accepted")),
				},
			},
		},
	})
	expectSends(t, e.Mock, 1)
}

// TestRawPayloadDepthProtocol: the cap applies to the action too, and a
// payload exactly at the cap is accepted.
func TestRawPayloadDepthProtocol(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	p := e.Protocol(t)
	typ := p.Schema.ActionSchemas["ezitxt_send_message"].Schema.ValueType()
	for depth, wantErr := range map[int]bool{64: false, 65: true, 10000: true} {
		cfg := map[string]any{"source": acctest.Source, "to": "+6421000001", "raw": map[string]any{"payload": nested(depth)}}
		resp, err := p.Server.ValidateActionConfig(context.Background(), &tfprotov6.ValidateActionConfigRequest{
			ActionType: "ezitxt_send_message", Config: protoValue(t, typ, cfg)})
		if err != nil {
			t.Fatal(err)
		}
		if got := acctest.HasError(resp.Diagnostics); got != wantErr {
			t.Errorf("depth %d: error %v, want %v: %s", depth, got, wantErr, acctest.FormatDiagnostics(resp.Diagnostics))
		}
	}
}
