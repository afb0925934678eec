package provider_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/acctest"
)

// destroyActionsCLI skips a test on CLIs without before_destroy and
// after_destroy action triggers (Terraform before 1.16, OpenTofu) with a
// message that says so.
var destroyActionsCLI = []tfversion.TerraformVersionCheck{
	tfversion.SkipBelow(version.Must(version.NewVersion("1.16.0"))),
}

// teardownConfig is a "notify on teardown": one terraform_data per
// environment, whose after_destroy event sends a message naming it (read
// from `caller`, the destroyed object). An output lists the environments.
func notifyOnTeardownConfig(e *acctest.Env, owners map[string]string) string {
	var envs strings.Builder
	for name, owner := range owners {
		fmt.Fprintf(&envs, "    %q = %q\n", name, owner)
	}
	return e.Config(fmt.Sprintf(`
variable "environments" {
  type = map(string)
  default = {
%[2]s  }
}

resource "terraform_data" "environment" {
  for_each = var.environments
  input    = { name = each.key, owner = each.value }

  lifecycle {
    action_trigger {
      events  = [after_destroy]
      actions = [action.ezitxt_send_message.torn_down]
    }
  }
}

action "ezitxt_send_message" "torn_down" {
  config {
    source    = %[1]q
    to        = "+6421000001"
    text      = { body = "Environment ${caller.output.name} (owner ${caller.output.owner}) was torn down." }
    reference = "teardown-${caller.output.name}"
  }
}

output "environments" {
  value = sort(keys(terraform_data.environment))
}
`, acctest.Source, envs.String()))
}

func TestAccSendMessageAction_notifyOnTeardown(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	both := map[string]string{"staging": "platform", "preview-42": "web"}
	staging := map[string]string{"staging": "platform"}
	restaffed := map[string]string{"staging": "payments"}
	sent := func(want int, lastBody string) []statecheck.StateCheck {
		return []statecheck.StateCheck{checkActionSends(e, want, lastBody)}
	}
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   destroyActionsCLI,
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				// Creating the environments sends nothing.
				Config: notifyOnTeardownConfig(e, both),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(`terraform_data.environment["staging"]`, plancheck.ResourceActionCreate),
					plancheck.ExpectResourceAction(`terraform_data.environment["preview-42"]`, plancheck.ResourceActionCreate),
				}},
				ConfigStateChecks: append(sent(0, ""),
					statecheck.ExpectKnownOutputValue("environments", knownvalue.ListExact([]knownvalue.Check{
						knownvalue.StringExact("preview-42"), knownvalue.StringExact("staging"),
					}))),
			},
			{
				// A no-op plan sends nothing.
				Config: notifyOnTeardownConfig(e, both),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				ConfigStateChecks: sent(0, ""),
			},
			{
				// Tearing down one environment sends one message, about it.
				Config: notifyOnTeardownConfig(e, staging),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(`terraform_data.environment["preview-42"]`, plancheck.ResourceActionDestroy),
					plancheck.ExpectResourceAction(`terraform_data.environment["staging"]`, plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: sent(1, "Environment preview-42 (owner web) was torn down."),
			},
			{
				// An update in place is no teardown: nothing is sent.
				Config: notifyOnTeardownConfig(e, restaffed),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(`terraform_data.environment["staging"]`, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: sent(1, "Environment preview-42 (owner web) was torn down."),
			},
			{
				// terraform destroy sends one message for the last one.
				Config:  notifyOnTeardownConfig(e, restaffed),
				Destroy: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(`terraform_data.environment["staging"]`, plancheck.ResourceActionDestroy),
				}},
				ConfigStateChecks: sent(2, "Environment staging (owner payments) was torn down."),
			},
			{
				// Creating it again sends nothing.
				Config:            notifyOnTeardownConfig(e, restaffed),
				ConfigStateChecks: sent(2, "Environment staging (owner payments) was torn down."),
			},
			{
				// Removing the resource block destroys the environment
				// without a message: its trigger is gone with it (what the
				// guide warns about).
				Config: e.Config(""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(`terraform_data.environment["staging"]`, plancheck.ResourceActionDestroy),
				}},
				ConfigStateChecks: sent(2, "Environment staging (owner payments) was torn down."),
			},
		},
		// The test's own final destroy finds nothing left, and sends nothing.
		CheckDestroy: func(_ *terraform.State) error {
			return checkActionSends(e, 2, "Environment staging (owner payments) was torn down.")()
		},
	})
}
