package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/client"
)

// Resource identity (Terraform 1.12+, OpenTofu 1.12+): the attributes that
// name one remote object, stored beside the state and usable in an import
// block as `identity = { ... }` instead of an ID string. Every identity here
// is a few strings, each required to import:
//   - ezitxt_source:  source, waba_id
//   - ezitxt_media:   source, id (the media ID)
//   - ezitxt_message: id (the message ID)
//
// Create, Read, Update and ImportState all set it, so state written before
// identity existed gets one on its first refresh.

// identityAttr is one attribute of an identity: its name and description.
type identityAttr struct {
	name, description string
}

// identitySchema builds an identity schema of string attributes, each
// required for import.
func identitySchema(attrs ...identityAttr) identityschema.Schema {
	s := identityschema.Schema{Attributes: make(map[string]identityschema.Attribute, len(attrs))}
	for _, a := range attrs {
		s.Attributes[a.name] = identityschema.StringAttribute{RequiredForImport: true, Description: a.description}
	}
	return s
}

// setIdentity writes the identity's attributes, in order of names, from
// values. A nil target (a resource written by a framework call that carries
// no identity) is left alone.
func setIdentity(ctx context.Context, target *tfsdk.ResourceIdentity, names []string, values ...string) diag.Diagnostics {
	var diags diag.Diagnostics
	if target == nil {
		return diags
	}
	if len(values) != len(names) {
		diags.AddError("Unexpected Identity", fmt.Sprintf("%d values for the %d identity attributes %v. This is a bug in the provider.",
			len(values), len(names), names))
		return diags
	}
	for i, v := range values {
		if i < len(names) {
			diags.Append(target.SetAttribute(ctx, path.Root(names[i]), types.StringValue(v))...)
		}
	}
	return diags
}

// importParts returns the parts that name the object being imported, in
// order of names: from an import ID (terraform import, or an import block's
// id), split at "/" when there are several, or from an import block's
// identity. ok is false when an identity attribute is missing or the ID has
// the wrong number of parts; the caller then explains the expected form.
func importParts(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse, names ...string) (parts []string, viaIdentity, ok bool) {
	if req.ID != "" || req.Identity == nil || req.Identity.Raw.IsNull() {
		// terraform import, an import block with id, or a CLI without
		// identity (which sends a null identity object): the ID it is.
		id := strings.TrimSpace(req.ID)
		if len(names) == 1 {
			return []string{id}, false, id != ""
		}
		parts = strings.Split(id, "/")
		if len(parts) != len(names) {
			return nil, false, false
		}
		for _, p := range parts {
			if p == "" {
				return nil, false, false
			}
		}
		return parts, false, true
	}
	parts = make([]string, len(names))
	for i, name := range names {
		var v types.String
		resp.Diagnostics.Append(req.Identity.GetAttribute(ctx, path.Root(name), &v)...)
		if resp.Diagnostics.HasError() {
			return nil, true, false
		}
		parts[i] = strings.TrimSpace(v.ValueString())
		if parts[i] == "" {
			return nil, true, false
		}
	}
	return parts, true, true
}

// invalidImport reports an import whose ID or identity does not name an
// object, with the form the resource expects for each.
func invalidImport(resp *resource.ImportStateResponse, req resource.ImportStateRequest, viaIdentity bool, resourceType, idForm, identityForm, example string) {
	if viaIdentity {
		resp.Diagnostics.AddError("Invalid Import Identity",
			fmt.Sprintf("Import an %s by identity with an import block such as\n\n  import {\n    to       = %s.<name>\n    identity = %s\n  }\n\n"+
				"Every attribute is required and must be valid.", resourceType, resourceType, identityForm))
		return
	}
	resp.Diagnostics.AddError("Invalid Import ID",
		fmt.Sprintf("Import an %s as %s, such as %s; got %q.", resourceType, idForm, example, req.ID))
}

// sourceImport reads the import of a resource that lives under a source:
// the ID <source>/<secondForm>, or an identity with the attributes names
// (source first), where source is a phone number ID. example holds the
// example's source and second part. On a problem it reports the expected
// forms and returns ok false.
func sourceImport(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse, resourceType, secondForm string,
	names []string, example [2]string) (source, second string, ok bool) {
	parts, viaIdentity, ok := importParts(ctx, req, resp, names...)
	if resp.Diagnostics.HasError() {
		return "", "", false
	}
	if !ok || !client.ValidSource(parts[0]) {
		invalidImport(resp, req, viaIdentity, resourceType,
			fmt.Sprintf("<source>/<%s>, where source is the phone number ID (digits, not starting with 0)", secondForm),
			fmt.Sprintf("{ %s = %q, %s = %q }", names[0], example[0], names[1], example[1]), example[0]+"/"+example[1])
		return "", "", false
	}
	return parts[0], parts[1], true
}
