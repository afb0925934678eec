package provider_test

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/acctest"
)

func TestAccMessage_text(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	cfg := e.Config(`
resource "ezitxt_message" "test" {
  source = "` + acctest.Source + `"
  to     = "+6421000001"
  text   = { body = "Deploy finished" }
}`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("ezitxt_message.test", tfjsonpath.New("status"), knownvalue.StringExact("accepted")),
					statecheck.ExpectKnownValue("ezitxt_message.test", tfjsonpath.New("direction"), knownvalue.StringExact("MT")),
				},
			},
			{
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
	if n := len(e.Mock.Sends()); n != 1 {
		t.Errorf("mock recorded %d sends, want 1", n)
	}
}
