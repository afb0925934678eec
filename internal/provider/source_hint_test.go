package provider_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/acctest"
)

func lostSourceConfig(e *acctest.Env, body string) string {
	return e.Config(fmt.Sprintf(`
resource "ezitxt_source" "shop" {
  source  = %q
  waba_id = "102290129340398"
}

resource "ezitxt_message" "notice" {
  source = ezitxt_source.shop.source
  to     = "+6421000001"
  text   = { body = %q }
}

data "ezitxt_message" "notice" {
  id = ezitxt_message.notice.id
}

output "notice" {
  value = data.ezitxt_message.notice.status
}`, testSource, body))
}

// TestAccSource_lostRegistrationHint: when the API forgets a registered
// source (here the mock's reset), the ezitxt_source stays in state and
// refresh cannot see the loss (the API cannot read registrations). The next
// send used to say only "a source must be registered (ezitxt_source)"; it now
// says to replace the ezitxt_source, with the command, and doing so (-replace,
// here a taint) registers it again and the send goes through.
func TestAccSource_lostRegistrationHint(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				Config: lostSourceConfig(e, "Deploy 1 finished"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("notice", knownvalue.StringExact("accepted")),
				},
			},
			{
				PreConfig: e.Mock.Reset,
				Config:    lostSourceConfig(e, "Deploy 2 finished"),
				ExpectError: diagRe("Unable to Send Message", "The API does not know source "+testSource,
					"terraform apply -replace=ezitxt_source.<name>", fmt.Sprintf("ezitxt_source with source = %q", testSource)),
			},
			{
				Taint:  []string{"ezitxt_source.shop"}, // what terraform apply -replace=ezitxt_source.shop does
				Config: lostSourceConfig(e, "Deploy 2 finished"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("ezitxt_source.shop", plancheck.ResourceActionReplace),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("ezitxt_message.notice", tfjsonpath.New("status"), knownvalue.StringExact("accepted")),
				},
			},
			{
				Config: lostSourceConfig(e, "Deploy 2 finished"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
			},
		},
	})
	expectSends(t, e.Mock, 1) // the reset forgot the first send; the second was sent once
}
