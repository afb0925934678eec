package provider

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/client"
)

// sourceHint adds to the error of a send or upload that the API refused
// because source is not registered what a user with an ezitxt_source in
// state can do: the API has no way to read registrations, so refresh cannot
// notice that it forgot one (a reset of the account, or of ezitxt-mock), and
// "register it first" would be no help. It is empty for other errors.
func sourceHint(err error, source string) string {
	var apiErr *client.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusUnprocessableEntity {
		return ""
	}
	said := strings.ToLower(apiErr.Message + " " + apiErr.Detail)
	for _, f := range apiErr.Fields {
		said += " " + strings.ToLower(f.Field+" "+f.Description)
	}
	if !strings.Contains(said, "regist") {
		return ""
	}
	return fmt.Sprintf("\n\nThe API does not know source %[1]s. If an ezitxt_source in your configuration registers it, "+
		"the API has lost that registration, which refresh cannot see (the API cannot read registrations back). "+
		"Register it again by replacing that resource, then apply again:\n"+
		"  terraform apply -replace=ezitxt_source.<name>\n"+
		"where <name> is the ezitxt_source with source = %[1]q (terraform state list shows the addresses). "+
		"Otherwise register the number with an ezitxt_source first.", source)
}
