package provider_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/acctest"
	"github.com/ezitxt/terraform-provider-ezitxt/internal/client"
	"github.com/ezitxt/terraform-provider-ezitxt/internal/mockapi"
)

// wrongBaseURLConfig is e's provider block with a base_url that lacks the
// API's path (/rest/wab/v1), then body.
func wrongBaseURLConfig(e *acctest.Env, body string) string {
	return strings.Replace(e.Config(body), e.URL, strings.TrimSuffix(e.URL, mockapi.BasePath), 1)
}

// wrongBaseURLError matches the error of a 404 that is not the API's: it
// names base_url as used, quotes the server, and says what base_url must be.
func wrongBaseURLError(e *acctest.Env, lead string) *regexp.Regexp {
	root := regexp.QuoteMeta(strings.TrimSuffix(e.URL, mockapi.BasePath))
	return regexp.MustCompile(lead + `[\s\S]*404\s+Not\s+Found[\s\S]*no\s+endpoint\s+at[\s\S]*base_url\s+"` + root + `"[\s\S]*` + regexp.QuoteMeta(client.DefaultBaseURL))
}

// A base_url without the API's path reaches a server that has no such
// endpoint. Reading messages through it is a configuration error naming
// base_url, not a message the API does not know: data.ezitxt_message and
// data.ezitxt_messages fail (instead of "no such message" and every ID in
// not_found), and so does the refresh of a sent message (instead of a
// warning that it was deleted). With base_url fixed, the same configuration
// plans clean and is destroyed.
func TestAccWrongBaseURLIsAnError(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	c, err := client.New(client.Config{BaseURL: e.URL, Username: e.Username, Password: e.Password})
	if err != nil {
		t.Fatal(err)
	}
	sent, err := c.SendMessage(t.Context(), client.Message{To: "+6421700001", Source: acctest.Source,
		Content: client.Content{Type: client.MessageTypeText, Text: &client.Text{Body: "sent before"}}})
	if err != nil {
		t.Fatal(err)
	}
	resources := fmt.Sprintf(`
resource "ezitxt_message" "m" {
  source = %q
  to     = "+6421700002"
  text   = { body = "Deploy finished" }
}
`, acctest.Source)
	readOne := fmt.Sprintf(`
data "ezitxt_message" "known" {
  id = %q
}
`, sent.MessageID)
	readMany := fmt.Sprintf(`
data "ezitxt_messages" "known" {
  ids = [%q]
}
`, sent.MessageID)
	outputs := `
output "status" {
  value = data.ezitxt_message.known.status
}

output "not_found" {
  value = data.ezitxt_messages.known.not_found
}
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				Config: e.Config(resources + readOne + readMany + outputs),
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckOutput("status", "accepted"),
					resource.TestCheckResourceAttr("data.ezitxt_messages.known", "not_found.#", "0"),
				),
			},
			{Config: e.Config(resources + readOne + readMany)},
			{
				Config:      wrongBaseURLConfig(e, resources+readOne+`output "status" { value = data.ezitxt_message.known.status }`),
				PlanOnly:    true,
				ExpectError: wrongBaseURLError(e, `Unable to Read Message[\s\S]*Reading message `+sent.MessageID+` failed`),
			},
			{
				Config:      wrongBaseURLConfig(e, resources+readMany+`output "not_found" { value = data.ezitxt_messages.known.not_found }`),
				PlanOnly:    true,
				ExpectError: wrongBaseURLError(e, `Reading 1 of the messages failed`),
			},
			{
				Config:      wrongBaseURLConfig(e, resources),
				PlanOnly:    true,
				ExpectError: wrongBaseURLError(e, `Unable to Read Message[\s\S]*Reading the status of message`),
			},
			{Config: e.Config(resources + readOne + readMany), PlanOnly: true},
		},
	})
	if st := e.Mock.Stats(); st.Sends != 2 || st.Duplicates != 0 {
		t.Errorf("mock: %d sends (want 2), %d duplicates", st.Sends, st.Duplicates)
	}
}
