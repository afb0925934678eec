package provider_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/acctest"
	"github.com/ezitxt/terraform-provider-ezitxt/internal/mockapi"
)

// rawMediaConfig sends an upload by a raw payload that names it, to one
// number and as a broadcast, with a data source reading the message and
// an output, as users wrote it before media.media_id existed.
func rawMediaConfig(e *acctest.Env, file string) string {
	return e.Config(fmt.Sprintf(`
resource "ezitxt_media" "logo" {
  source = %[1]q
  file   = %[2]q
}

locals {
  payload = jsonencode({ type = "image", image = { id = ezitxt_media.logo.id, caption = "our logo" } })
}

resource "ezitxt_message" "img" {
  source = %[1]q
  to     = "+6421000051"
  raw    = { payload = local.payload }
}

resource "ezitxt_broadcast" "img" {
  source       = %[1]q
  destinations = ["+6421000052", "+6421000053"]
  raw          = { payload = local.payload }
}

data "ezitxt_message" "img" {
  id = ezitxt_message.img.id
}

output "sent_media" {
  value = data.ezitxt_message.img.attributes.media.id
}
`, acctest.Source, file))
}

// TestAccRaw_mediaExpiryNeverResends: when the upload a raw payload names
// expires and is uploaded again, the message and the broadcast already sent
// are updated in place (the payload is known only during apply) and nothing
// is sent again; the plan after is empty.
func TestAccRaw_mediaExpiryNeverResends(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	file := filepath.Join(t.TempDir(), "logo.png")
	writeMediaFile(t, file, pngBytes("raw expiry"))
	var firstID string
	cfg := rawMediaConfig(e, file)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				Config: cfg,
				Check: func(s *terraform.State) error {
					firstID = s.RootModule().Resources["ezitxt_media.logo"].Primary.Attributes["id"]
					expectSends(t, e.Mock, 3)
					return nil
				},
			},
			{
				PreConfig: func() { e.Mock.Advance(mockapi.DefaultMediaTTL + time.Hour) },
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("ezitxt_media.logo", plancheck.ResourceActionCreate),
					plancheck.ExpectResourceAction("ezitxt_message.img", plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction("ezitxt_broadcast.img", plancheck.ResourceActionUpdate),
				}},
				Check: func(s *terraform.State) error {
					id := s.RootModule().Resources["ezitxt_media.logo"].Primary.Attributes["id"]
					if id == firstID {
						return fmt.Errorf("media id %s did not change: the upload was not renewed", id)
					}
					if p := s.RootModule().Resources["ezitxt_message.img"].Primary.Attributes["raw.payload"]; !strings.Contains(p, id) {
						return fmt.Errorf("the message's raw.payload %s does not record the new upload %s", p, id)
					}
					if got := s.RootModule().Outputs["sent_media"].Value; got != firstID {
						return fmt.Errorf("the API reports media %v sent, want %s: the message was sent again", got, firstID)
					}
					expectSends(t, e.Mock, 3)
					return nil
				},
			},
			{
				Config:           cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
	expectSends(t, e.Mock, 3)
}

// TestAccRaw_changedDuringApplyIsRefused: a raw payload known only during
// apply that changes more than the upload it names stops the apply
// (Terraform refuses the replacement its final plan would need), sends
// nothing, and leaves the message as it was; the plan warned that it would.
func TestAccRaw_changedDuringApplyIsRefused(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	cfg := func(body string) string {
		return e.Config(fmt.Sprintf(`
resource "terraform_data" "body" {
  input = %q
}

resource "ezitxt_message" "m" {
  source = %q
  to     = "+6421000054"
  raw    = { payload = jsonencode({ type = "text", text = { body = terraform_data.body.output } }) }
}
`, body, acctest.Source))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{Config: cfg("Deploy started")},
			{
				Config: cfg("Deploy finished"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("ezitxt_message.m", plancheck.ResourceActionUpdate),
				}},
				ExpectError: diagRe("Provider produced inconsistent final plan", "ezitxt_message.m"),
			},
		},
	})
	expectSends(t, e.Mock, 1)
}
