package provider_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/acctest"
)

// TestAccDataSourceMessage fails with the attribute path for an unknown or
// malformed ID (first: the last step's configuration must be valid for the
// final destroy), then reads a message sent by a resource, whose status
// follows the mock clock.
func TestAccDataSourceMessage(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	cfg := e.Config(fmt.Sprintf(`
resource "ezitxt_message" "test" {
  source = %q
  to     = "+6421700001"
  text   = { body = "Deploy finished" }
}

data "ezitxt_message" "test" {
  id = ezitxt_message.test.id
}

output "status" {
  value = data.ezitxt_message.test.status
}`, acctest.Source))
	const ds = "data.ezitxt_message.test"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				Config: e.Config(`
data "ezitxt_message" "missing" {
  id = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
}`),
				ExpectError: diagRe("Error: Message Not Found", `id = "3fa85f64-5717-4562-b3fc-2c963f66afa6"`, "knows no message"),
			},
			{
				Config: e.Config(`
data "ezitxt_message" "bad" {
  id = "42"
}`),
				ExpectError: diagRe("Invalid Attribute Value Match", `id = "42"`, "UUID"),
			},
			{
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("status"), knownvalue.StringExact("accepted")),
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("direction"), knownvalue.StringExact("MT")),
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("type"), knownvalue.StringExact("text")),
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("attributes").AtMapKey("body"), knownvalue.StringExact("Deploy finished")),
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("attributes").AtMapKey("media"), knownvalue.Null()),
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("timestamp"), knownvalue.NotNull()),
				},
			},
			{
				PreConfig: func() { e.Mock.Advance(time.Minute) },
				Config:    cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("status", knownvalue.StringExact("read")),
				},
			},
		},
	})
	expectSends(t, e.Mock, 1)
}

// TestAccDataSourceMessage_template shows the attributes of a template
// message: header, body, media and buttons.
func TestAccDataSourceMessage_template(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{{
			Config: e.Config(fmt.Sprintf(`
resource "ezitxt_message" "test" {
  source = %q
  to     = "+6421700002"
  template = {
    name          = "order_update"
    language      = "en"
    header_params = ["Order 1234"]
    body_params   = ["shipped"]
    media         = { type = "image", url = "https://example.com/parcel.png" }
    buttons       = [{ index = 0, type = "url", payload = "track/1234" }]
  }
}

data "ezitxt_message" "test" {
  id = ezitxt_message.test.id
}`, acctest.Source)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.ezitxt_message.test", tfjsonpath.New("type"), knownvalue.StringExact("template")),
				statecheck.ExpectKnownValue("data.ezitxt_message.test", tfjsonpath.New("attributes"), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"header": knownvalue.StringExact("Order 1234"),
					"body":   knownvalue.StringExact("shipped"),
					"footer": knownvalue.Null(),
					"media": knownvalue.ObjectExact(map[string]knownvalue.Check{
						"id": knownvalue.StringExact("https://example.com/parcel.png"), "type": knownvalue.StringExact("image"),
					}),
					"buttons": knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectExact(map[string]knownvalue.Check{"text": knownvalue.StringExact("track/1234")}),
					}),
				})),
			},
		}},
	})
}
