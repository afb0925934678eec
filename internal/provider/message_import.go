package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/client"
)

// An imported message has no inputs in state: the API does not return the
// number or the content it was sent with, so the first plan after import
// records the configuration's (see importedRecord). To keep that from
// silently recording a message that was never sent, Read keeps what GET
// /messages says of the message in private state while the record is not
// adopted, and the plan compares it with the configuration, warning about
// each difference.

// privateImportedDetails is the private state key of an imported message's details.
const privateImportedDetails = "imported_details"

// importedDetails is what GET /messages reported of an imported message.
type importedDetails struct {
	Type      string `json:"type"`
	Direction string `json:"direction"`
	Body      string `json:"body,omitempty"`
	MediaID   string `json:"media_id,omitempty"`
	MediaType string `json:"media_type,omitempty"`
}

func newImportedDetails(d client.MessageDetails) importedDetails {
	out := importedDetails{Type: d.Type, Direction: d.Direction, Body: d.Attributes.Body}
	if m := d.Attributes.Media; m != nil {
		out.MediaID, out.MediaType = m.ID, m.Type
	}
	return out
}

// privateSetter is the write side of a response's private state.
type privateSetter interface {
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

// rememberImported keeps d in private state for the plan that adopts the
// configuration.
func rememberImported(ctx context.Context, p privateSetter, d client.MessageDetails) diag.Diagnostics {
	b, err := json.Marshal(newImportedDetails(d))
	if err != nil {
		var diags diag.Diagnostics
		diags.AddError("Unexpected Error", fmt.Sprintf("Encoding the imported message's details failed: %s. This is a bug in the provider.", err))
		return diags
	}
	return p.SetKey(ctx, privateImportedDetails, b)
}

// warnImportDifferences warns when the configuration about to be adopted by
// an imported message contradicts what the API reported of it.
func warnImportDifferences(ctx context.Context, private privateGetter, subject string, content contentModel, diags *diag.Diagnostics) {
	if private == nil {
		return
	}
	raw, d := private.GetKey(ctx, privateImportedDetails)
	diags.Append(d...)
	if len(raw) == 0 {
		return
	}
	var api importedDetails
	if err := json.Unmarshal(raw, &api); err != nil {
		return // written by this provider: cannot happen
	}
	diffs := importDifferences(content, api)
	if len(diffs) == 0 {
		return
	}
	diags.AddWarning("Imported Message Differs From Configuration",
		fmt.Sprintf("%s was imported into a block that does not describe it. According to GET /messages:\n  - %s\n\n"+
			"Applying records the configuration as this message's content without sending anything, so the state would "+
			"describe a message that was never sent. Import the message the configuration describes, or change the "+
			"configuration to match the message that was sent.",
			subject, strings.Join(diffs, "\n  - ")))
}

// importDifferences lists where the configured content contradicts the
// API's details. Only what the API reports unambiguously is compared: the
// direction, the type, a text's body, a media's type and URL (when the API
// reports one), and a raw payload's type and text body when it names them.
// A template's body is the text the recipient reads, which the provider
// cannot render, so only its type is compared.
func importDifferences(c contentModel, api importedDetails) []string {
	var out []string
	if api.Direction == string(client.DirectionMO) {
		out = append(out, "direction: the API reports \"MO\", a customer's reply, not a message sent through the API")
	}
	typeDiff := func(configured string, want ...string) {
		if api.Type != "" && !slices.Contains(want, api.Type) {
			out = append(out, fmt.Sprintf("type: the API reports a %q message, the configuration sets %s", api.Type, configured))
		}
	}
	bodyDiff := func(attr string, v types.String) {
		if s, ok := stringOf(v); ok && api.Type == string(client.MessageTypeText) && s != api.Body {
			out = append(out, fmt.Sprintf("%s: the API reports %q, the configuration has %q", attr, api.Body, s))
		}
	}
	switch {
	case c.Text != nil:
		typeDiff("text", "text")
		bodyDiff("text.body", c.Text.Body)
	case c.Media != nil:
		mt, known := stringOf(c.Media.Type)
		if known {
			typeDiff(fmt.Sprintf("media of type %q", mt), mt, "media")
		}
		if u, ok := stringOf(c.Media.URL); ok && isHTTPURL(api.MediaID) && u != api.MediaID {
			out = append(out, fmt.Sprintf("media.url: the API reports %q, the configuration has %q", api.MediaID, u))
		}
	case c.Template != nil:
		typeDiff("template", "template")
	case c.Raw != nil:
		p, ok := stringOf(c.Raw.Payload)
		var doc struct {
			Type string `json:"type"`
			Text *struct {
				Body *string `json:"body"`
			} `json:"text"`
		}
		if !ok || json.Unmarshal([]byte(p), &doc) != nil || doc.Type == "" {
			break
		}
		typeDiff(fmt.Sprintf("raw.payload of type %q", doc.Type), doc.Type)
		if doc.Text != nil && doc.Text.Body != nil && api.Type == string(client.MessageTypeText) && *doc.Text.Body != api.Body {
			out = append(out, fmt.Sprintf("raw.payload text.body: the API reports %q, the configuration has %q", api.Body, *doc.Text.Body))
		}
	}
	return out
}

func isHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
