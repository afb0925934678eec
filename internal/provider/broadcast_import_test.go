package provider_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/acctest"
	"github.com/ezitxt/terraform-provider-ezitxt/internal/client"
)

// broadcastImportID builds the import ID NUMBER=MESSAGE_ID,... of the
// broadcast at broadcastAddr from its state, in the order of destinations.
func broadcastImportID(s *terraform.State) (string, error) {
	rs, ok := s.RootModule().Resources[broadcastAddr]
	if !ok {
		return "", fmt.Errorf("%s not in state", broadcastAddr)
	}
	a := rs.Primary.Attributes
	var pairs []string
	for i := 0; ; i++ {
		n, ok := a[fmt.Sprintf("destinations.%d", i)]
		if !ok {
			break
		}
		status, id, _ := strings.Cut(a["results."+n], " ")
		if status == "" || id == "" {
			return "", fmt.Errorf("results.%s = %q, want STATUS ID", n, a["results."+n])
		}
		pairs = append(pairs, n+"="+id)
	}
	return strings.Join(pairs, ","), nil
}

// TestAccBroadcast_import: a broadcast imported by its numbers and message
// IDs is the state it was created with, number, ID and status each read
// back (ImportStateVerify), and bad import IDs are refused.
func TestAccBroadcast_import(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	numbers := []string{"+6421200001", "+6421200002", "+6421200003"}
	cfg := broadcastConfig(e, numbers, `  text = { body = "Imported later" }`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				Config: cfg, ResourceName: broadcastAddr,
				ImportState: true, ImportStateIdFunc: broadcastImportID, ImportStateVerify: true,
				// The API reports neither the content nor the source, and the
				// ID in state is local to Terraform: the adopting plan records them. The
				// broadcast is matched by its first number.
				ImportStateVerifyIgnore:              []string{"id", "source", "text", "text.%", "text.body"},
				ImportStateVerifyIdentifierAttribute: "destinations.0",
			},
			{
				Config: cfg, ResourceName: broadcastAddr, ImportState: true,
				ImportStateId: "+6421200001:3fa85f64-5717-4562-b3fc-2c963f66afa6",
				ExpectError:   diagRe("Invalid Import ID", "NUMBER=MESSAGE_ID", "is not NUMBER=MESSAGE_ID"),
			},
			{
				Config: cfg, ResourceName: broadcastAddr, ImportState: true,
				ImportStateId: "+6421200001=3fa85f64-5717-4562-b3fc-2c963f66afa6",
				ExpectError:   diagRe("Cannot Import Broadcast", "knows no message", "+6421200001=3fa85f64-5717-4562-b3fc-2c963f66afa6"),
			},
		},
	})
	expectSends(t, e.Mock, 3)
}

// TestAccBroadcast_importBlock adopts a broadcast sent outside Terraform
// with an import block, as a user moving a broadcast into configuration
// writes it, with a data source reading its messages and an output: nothing
// is sent, the statuses are the API's, and the plan after is empty.
func TestAccBroadcast_importBlock(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	numbers := []string{"+6421200011", "+6421200012"}
	out, err := apiClient(t, e).SendBroadcast(context.Background(), client.Broadcast{
		Destinations: numbers, Source: acctest.Source,
		Content: client.Content{Text: &client.Text{Body: "Sent by hand"}},
	})
	if err != nil || len(out.Results) != 2 {
		t.Fatalf("broadcast outside Terraform: %+v, %v", out, err)
	}
	var pairs []string
	ids := map[string]string{}
	for _, r := range out.Results {
		pairs = append(pairs, r.Destination+"="+r.ID)
		ids[r.Destination] = r.ID
	}
	cfg := e.Config(fmt.Sprintf(`
import {
  to = ezitxt_broadcast.test
  id = %q
}

resource "ezitxt_broadcast" "test" {
  source       = %q
  destinations = [%q, %q]
  text         = { body = "Sent by hand" }
}

data "ezitxt_messages" "sent" {
  ids = [for v in values(ezitxt_broadcast.test.results) : split(" ", v)[1]]
}

output "statuses" {
  value = { for n, v in ezitxt_broadcast.test.results : n => data.ezitxt_messages.sent.messages[split(" ", v)[1]].status }
}
`, strings.Join(pairs, ","), acctest.Source, numbers[0], numbers[1]))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(broadcastAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(broadcastAddr, resultsPath, resultField(numbers[0], "id", knownvalue.StringExact(ids[numbers[0]]))),
					statecheck.ExpectKnownValue(broadcastAddr, resultsPath, resultField(numbers[1], "id", knownvalue.StringExact(ids[numbers[1]]))),
					statecheck.ExpectKnownValue(broadcastAddr, tfjsonpath.New("accepted_count"), knownvalue.Int64Exact(2)),
					statecheck.ExpectKnownValue(broadcastAddr, tfjsonpath.New("source"), knownvalue.StringExact(acctest.Source)),
					statecheck.ExpectKnownOutputValue("statuses", knownvalue.MapExact(map[string]knownvalue.Check{
						numbers[0]: knownvalue.StringExact("accepted"), numbers[1]: knownvalue.StringExact("accepted"),
					})),
				},
			},
			{
				Config:           cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
	expectSends(t, e.Mock, 2)
}
