package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// TestImportPartsEmptyIDWithoutIdentity: an empty import ID from a CLI
// without identity (the framework then passes a null identity object) is
// an invalid ID, not an invalid identity, so the error shows the ID form.
func TestImportPartsEmptyIDWithoutIdentity(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var r messageResource
	var sresp resource.IdentitySchemaResponse
	r.IdentitySchema(ctx, resource.IdentitySchemaRequest{}, &sresp)
	typ := sresp.IdentitySchema.Type().TerraformType(ctx)
	for name, ident := range map[string]*tfsdk.ResourceIdentity{
		"nil identity":  nil,
		"null identity": {Schema: sresp.IdentitySchema, Raw: tftypes.NewValue(typ, nil)},
	} {
		req := resource.ImportStateRequest{ID: "", Identity: ident}
		var resp resource.ImportStateResponse
		_, viaIdentity, ok := importParts(ctx, req, &resp, messageIdentityNames...)
		if ok || viaIdentity || resp.Diagnostics.HasError() {
			t.Errorf("%s: ok %v, via identity %v, diags %v; want an invalid ID, not identity", name, ok, viaIdentity, resp.Diagnostics)
		}
	}
	// An identity given in an import block is read.
	req := resource.ImportStateRequest{Identity: &tfsdk.ResourceIdentity{Schema: sresp.IdentitySchema,
		Raw: tftypes.NewValue(typ, map[string]tftypes.Value{"id": tftypes.NewValue(tftypes.String, "3fa85f64-5717-4562-b3fc-2c963f66afa6")})}}
	var resp resource.ImportStateResponse
	parts, viaIdentity, ok := importParts(ctx, req, &resp, messageIdentityNames...)
	if !ok || !viaIdentity || len(parts) != 1 || parts[0] != "3fa85f64-5717-4562-b3fc-2c963f66afa6" {
		t.Errorf("identity: parts %v, via identity %v, ok %v, diags %v", parts, viaIdentity, ok, resp.Diagnostics)
	}
}
