package provider

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// keepUploadWithoutFile plans no change for an upload whose local file no
// longer exists, when nothing else about it changed, and reports whether it
// did. Terraform plans in normal mode before every destroy (to refresh), and
// a teardown job often runs without the files the upload was made from:
// hashing them then would make destroy fail. The upload in state stays as it
// is, with a warning; restoring the file, or pointing file elsewhere, plans
// as usual.
func keepUploadWithoutFile(ctx context.Context, state, plan, cfg mediaResourceModel, resp *resource.ModifyPlanResponse) bool {
	switch {
	case plan.File.IsNull() || plan.File.IsUnknown() || !state.File.Equal(plan.File) || !state.Source.Equal(plan.Source),
		!cfg.MimeType.IsNull() && !cfg.MimeType.Equal(state.MimeType),
		!cfg.Filename.IsNull() && !cfg.Filename.Equal(state.Filename):
		return false // a change that uploads again needs the file
	}
	if _, err := os.Stat(plan.File.ValueString()); !errors.Is(err, fs.ErrNotExist) {
		return false
	}
	plan.SHA256, plan.SizeBytes, plan.MimeType, plan.Filename = state.SHA256, state.SizeBytes, state.MimeType, state.Filename
	resp.Diagnostics.AddAttributeWarning(path.Root("file"), "Media File Missing",
		fmt.Sprintf("The file %q no longer exists, so its content cannot be compared with media %s (SHA-256 %s). Nothing "+
			"is uploaded: the media stays as recorded, and destroy works without the file. To change the media, restore "+
			"the file or point file at the new one.", plan.File.ValueString(), state.ID.ValueString(), state.SHA256.ValueString()))
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
	return true
}

// keepGoneWithoutFile keeps in state an upload the API no longer has when
// its local file is gone too, and reports whether it did. Removing it, as
// Read does for expired media, would plan a new upload that cannot be made
// without the file, and that plan error would stop destroy.
func keepGoneWithoutFile(state mediaResourceModel, diags *diag.Diagnostics) bool {
	if state.File.IsNull() {
		return false
	}
	if _, err := os.Stat(state.File.ValueString()); !errors.Is(err, fs.ErrNotExist) {
		return false
	}
	diags.AddWarning("Media Expired or Removed, and Its File Is Gone",
		fmt.Sprintf("The API no longer has media %s of source %s (uploads expire), and the file %q it was uploaded from no "+
			"longer exists, so it cannot be uploaded again. It is kept in state as it was, so that destroy works; messages "+
			"that use it will fail. Restore the file to upload it again.",
			state.ID.ValueString(), state.Source.ValueString(), state.File.ValueString()))
	return true
}
