package provider_test

import (
	"fmt"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/acctest"
	"github.com/ezitxt/terraform-provider-ezitxt/internal/mockapi"
)

// TestAccDataSourceMessages looks up the messages of a broadcast and two
// IDs the API does not know: those are listed in not_found, which is not
// an error.
func TestAccDataSourceMessages(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	const (
		unknown1 = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
		unknown2 = "0b5d2f1e-0000-4000-8000-000000000001"
	)
	const ds = "data.ezitxt_messages.test"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{{
			Config: e.Config(fmt.Sprintf(`
resource "ezitxt_broadcast" "test" {
  source       = %q
  destinations = ["+6421800001", "+6421800002", %q]
  text         = { body = "Quarterly update" }
}

data "ezitxt_messages" "test" {
  ids = concat([for v in values(ezitxt_broadcast.test.results) : split(" ", v)[1]], [%q, %q])
}

output "statuses" {
  value = { for id, m in data.ezitxt_messages.test.messages : id => m.status }
}`, acctest.Source, mockapi.NumberNotWhatsApp, unknown2, unknown1)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("messages"), knownvalue.MapSizeExact(3)),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("not_found"),
					knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(unknown2), knownvalue.StringExact(unknown1)})),
				stateCheckFunc(func(s *tfjson.State) error {
					// Every message of the broadcast is found with its status.
					for _, send := range e.Mock.Sends() {
						want := "accepted"
						if send.Destination == mockapi.NumberNotWhatsApp {
							want = "failed"
						}
						if got := outputMap(s, "statuses")[send.ID]; got != want {
							return fmt.Errorf("status of %s (%s) = %q, want %q", send.ID, send.Destination, got, want)
						}
					}
					return nil
				}),
			},
		}},
	})
	if got := e.Mock.Stats().ByEndpoint[mockapi.EndpointGetMessage]; got < 5 {
		t.Errorf("%d status reads, want at least one per ID (5)", got)
	}
}
