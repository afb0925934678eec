package provider_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/acctest"
)

func scheduledConfig(e *acctest.Env, scheduled string) string {
	return e.Config(fmt.Sprintf(`
resource "ezitxt_message" "later" {
  source    = %q
  to        = "+6421000001"
  scheduled = %q
  text      = { body = "Maintenance tonight" }
}

data "ezitxt_message" "later" {
  id = ezitxt_message.later.id
}

output "later" {
  value = {
    scheduled = ezitxt_message.later.scheduled
    status    = data.ezitxt_message.later.status
  }
}`, acctest.Source, scheduled))
}

// TestAccMessage_scheduledFormat: scheduled is read as RFC 3339 says.
// Before, "2026-12-24T09:00:00" (no offset) gave two diagnostics, one in Go's
// words ("parsing time ... as "2006-01-02T15:04:05Z07:00""), with no
// example; an offset of +24:00 (RFC 3339 allows -23:59 to +23:59) was
// accepted and sent; and the lower-case "t" and "z" RFC 3339 allows were
// refused. Now a malformed time gets one diagnostic naming the attribute, the
// value and an example; lower case is accepted, sent as the same instant, and
// writing it in upper case later is not a change.
func TestAccMessage_scheduledFormat(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	at := time.Now().UTC().Add(72 * time.Hour).Truncate(time.Second)
	lower := strings.ToLower(at.Format(time.RFC3339)) // 2026-12-09t10:00:00z
	upper := at.In(time.FixedZone("", 13*3600)).Format(time.RFC3339)

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				Config: scheduledConfig(e, "2026-12-24T09:00:00"),
				ExpectError: diagRe("Error: Invalid Scheduled Time", `Attribute scheduled must be an RFC 3339 date and time`,
					"such as 2026-12-24T09:00:00+13:00", `got: "2026-12-24T09:00:00"`),
			},
			{
				Config: scheduledConfig(e, "2026-12-24T09:00:00+24:00"),
				ExpectError: diagRe("Error: Invalid Scheduled Time", `Attribute scheduled must be an RFC 3339 date and time`,
					`got: "2026-12-24T09:00:00+24:00"`),
			},
			{
				Config: scheduledConfig(e, lower),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValueAtPath("later", tfjsonpath.New("scheduled"), knownvalue.StringExact(lower)),
					statecheck.ExpectKnownOutputValueAtPath("later", tfjsonpath.New("status"), knownvalue.StringExact("accepted")),
				},
				Check: func(*terraform.State) error {
					sends := e.Mock.Sends()
					if len(sends) != 1 || !sends[0].Scheduled.Equal(at) {
						return fmt.Errorf("mock sends %+v: want one, scheduled for %s", sends, at)
					}
					return nil
				},
			},
			{
				// The same instant in upper case with another offset: no send.
				Config: scheduledConfig(e, upper),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("ezitxt_message.later", plancheck.ResourceActionUpdate),
				}},
				Check: func(*terraform.State) error {
					expectSends(t, e.Mock, 1)
					return nil
				},
			},
		},
	})
	expectSends(t, e.Mock, 1)
}

// TestScheduledFormatOneDiagnostic checks at the protocol level what the CLI
// output cannot show on its own: a malformed schedule gives exactly one
// diagnostic, on the attribute, in words rather than Go time layouts, for
// the message, the broadcast and the action alike.
func TestScheduledFormatOneDiagnostic(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	p := e.Protocol(t)
	ctx := context.Background()
	for _, bad := range []string{"2026-12-24T09:00:00", "2026-12-24T09:00:00+24:00", "next monday"} {
		for _, kind := range []string{"ezitxt_message", "ezitxt_broadcast"} {
			typ := p.Schema.ResourceSchemas[kind].Block.ValueType()
			cfg := map[string]any{"source": acctest.Source, "scheduled": bad, "text": map[string]any{"body": "hi"}}
			if kind == "ezitxt_message" {
				cfg["to"] = "+6421000001"
			} else {
				cfg["destinations"] = []any{"+6421000001"}
			}
			resp, err := p.Server.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: kind, Config: protoValue(t, typ, cfg)})
			if err != nil {
				t.Fatal(err)
			}
			checkOneScheduleDiag(t, kind, bad, resp.Diagnostics)
		}
		typ := p.Schema.ActionSchemas["ezitxt_send_message"].Schema.ValueType()
		cfg := map[string]any{"source": acctest.Source, "to": "+6421000001", "scheduled": bad, "text": map[string]any{"body": "hi"}}
		resp, err := p.Server.ValidateActionConfig(ctx, &tfprotov6.ValidateActionConfigRequest{ActionType: "ezitxt_send_message", Config: protoValue(t, typ, cfg)})
		if err != nil {
			t.Fatal(err)
		}
		checkOneScheduleDiag(t, "ezitxt_send_message", bad, resp.Diagnostics)
	}
}

func checkOneScheduleDiag(t *testing.T, kind, bad string, diags []*tfprotov6.Diagnostic) {
	t.Helper()
	if len(diags) != 1 {
		t.Errorf("%s scheduled = %q: %d diagnostics, want 1: %s", kind, bad, len(diags), acctest.FormatDiagnostics(diags))
		return
	}
	d := diags[0]
	if d.Summary != "Invalid Scheduled Time" || d.Attribute == nil || !strings.Contains(d.Detail, fmt.Sprintf("got: %q", bad)) ||
		!strings.Contains(d.Detail, "2026-12-24T09:00:00+13:00") || strings.Contains(d.Detail, "2006-01-02") {
		t.Errorf("%s scheduled = %q: %s", kind, bad, acctest.FormatDiagnostics(diags))
	}
}
