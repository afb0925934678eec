package provider

import (
	"context"
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/client"
)

var (
	_ resource.ResourceWithConfigure        = (*mediaResource)(nil)
	_ resource.ResourceWithImportState      = (*mediaResource)(nil)
	_ resource.ResourceWithModifyPlan       = (*mediaResource)(nil)
	_ resource.ResourceWithConfigValidators = (*mediaResource)(nil)
	_ resource.ResourceWithIdentity         = (*mediaResource)(nil)
)

// mediaIdentityNames are the attributes of ezitxt_media's identity, in the
// order of its import ID <source>/<media_id>.
var mediaIdentityNames = []string{"source", "id"}

// NewMediaResource returns the ezitxt_media resource.
func NewMediaResource() resource.Resource { return &mediaResource{} }

type mediaResource struct {
	data *providerData
}

type mediaResourceModel struct {
	ID            types.String `tfsdk:"id"`
	Source        types.String `tfsdk:"source"`
	File          types.String `tfsdk:"file"`
	ContentBase64 types.String `tfsdk:"content_base64"`
	Filename      types.String `tfsdk:"filename"`
	MimeType      types.String `tfsdk:"mime_type"`
	SHA256        types.String `tfsdk:"sha256"`
	SizeBytes     types.Int64  `tfsdk:"size_bytes"`
}

func (r *mediaResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_media"
}

func (r *mediaResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	mimeTypes := client.MediaMimeType("").Values()
	resp.Schema = schema.Schema{
		MarkdownDescription: "Uploads a media file (an image, audio, video or document) for use in messages.\n\n" +
			"The provider hashes the content at plan time: when it changes, the plan replaces the upload. Refresh " +
			"downloads the media and hashes it: media the API no longer has (uploads expire, after 30 days on the mock) " +
			"is removed from state, so the next apply uploads it again, and different bytes show as a replacement. " +
			"Uploads and downloads are streamed, so memory use does not grow with the file size. The API cannot " +
			"delete media: destroy only removes it from state (the plan says so in a warning), and the upload " +
			"expires on its own.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The media ID the API assigned, for use in messages.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"source": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "The WhatsApp Business phone number ID to upload for, registered with `ezitxt_source`. " +
					"Changing it uploads again (replacement).",
				Validators:    []validator.String{sourceValidator},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"file": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Path of a local file to upload; a relative path is relative to the directory " +
					"Terraform runs in (use `path.module`). Exactly one of `file` and `content_base64`. It must be a regular " +
					"file (not a device such as `/dev/zero`, nor a named pipe). The file is hashed at every plan: a change of " +
					"content uploads again (replacement). Moving it elsewhere without changing its name or content does not.",
				Validators: []validator.String{notEmptyValidator},
			},
			"content_base64": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "The content to upload, base64-encoded (`base64encode()`, `filebase64()`), for " +
					"small files made in configuration; the value is kept in state. Exactly one of `file` and " +
					"`content_base64`. A change of the decoded content uploads again (replacement).",
				Validators: []validator.String{notEmptyValidator, base64Text},
			},
			"filename": schema.StringAttribute{
				Optional: true,
				Computed: true,
				MarkdownDescription: "File name sent with the upload. Defaults to the base name of `file` (with `_` for any control " +
					"character in it, such as a line break, which the upload cannot carry), or to `media` " +
					"with the extension of `mime_type` (such as `media.png`) for `content_base64`. A change uploads " +
					"again (replacement).",
				Validators: []validator.String{notEmptyValidator, fileName},
			},
			"mime_type": schema.StringAttribute{
				Optional: true,
				Computed: true,
				MarkdownDescription: "Mime type of the media, one of " + codeList(mimeTypes) + ". When omitted it is " +
					"inferred from the extension of `file` (" + extensionList() + "), or else from the content; " +
					"content of any other type is an error. A change uploads again (replacement).",
				Validators: []validator.String{stringvalidator.OneOf(mimeTypes...)},
			},
			"sha256": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "Hex SHA-256 of the content. A change, in the configured content or on the API, uploads again (replacement). " +
					"For a `file`, the plan of an upload shows it as known after apply: it is the hash of the bytes the upload " +
					"sent, so a file edited between `terraform plan -out` and applying that plan is uploaded as it is then.",
			},
			"size_bytes": schema.Int64Attribute{
				Computed:            true,
				MarkdownDescription: "Size of the content in bytes.",
			},
		},
	}
}

func (r *mediaResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identitySchema(
		identityAttr{"source", "The phone number ID of the source the media was uploaded for."},
		identityAttr{"id", "The media ID the API returned for the upload."},
	)
}

func (r *mediaResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *mediaResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{
		resourcevalidator.ExactlyOneOf(path.MatchRoot("file"), path.MatchRoot("content_base64")),
	}
}

// ModifyPlan hashes the configured content, infers what was left out, and
// plans a replacement when the content, mime type or file name changed.
func (r *mediaResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		if !req.State.Raw.IsNull() {
			var id types.String
			resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("id"), &id)...)
			resp.Diagnostics.AddWarning("Destroying Media Does Not Delete It",
				fmt.Sprintf("The EZITXT API cannot delete media: media %s is only removed from Terraform state, and "+
					"stays usable until it expires.", id.ValueString()))
		}
		return
	}
	var plan, cfg mediaResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// What the configuration leaves out is inferred afresh from the content,
	// not carried over from state.
	plan.SHA256, plan.SizeBytes = types.StringUnknown(), types.Int64Unknown()
	if cfg.MimeType.IsNull() {
		plan.MimeType = types.StringUnknown()
	}
	if cfg.Filename.IsNull() {
		plan.Filename = types.StringUnknown()
	}
	if !req.State.Raw.IsNull() {
		var state mediaResourceModel
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		if resp.Diagnostics.HasError() || keepUploadWithoutFile(ctx, state, plan, cfg, resp) {
			return
		}
	}

	if cfg.File.IsUnknown() || cfg.ContentBase64.IsUnknown() || cfg.MimeType.IsUnknown() || cfg.Filename.IsUnknown() {
		// Known only during apply, when Create hashes it. An upload in state
		// may not match it: replace it.
		if !req.State.Raw.IsNull() {
			resp.RequiresReplace.Append(path.Root("sha256"))
		}
		resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
		return
	}

	// A create only checks the file (a regular, readable, non-empty file of a
	// type the API takes); hashing it is needed to compare it with an upload
	// in state.
	creating := req.State.Raw.IsNull()
	resp.Diagnostics.Append(resolveMedia(ctx, &plan, !creating)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !creating {
		var state mediaResourceModel
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		if !state.SHA256.Equal(plan.SHA256) {
			resp.RequiresReplace.Append(path.Root("sha256"))
		}
		if !state.MimeType.IsNull() && !state.MimeType.Equal(plan.MimeType) {
			resp.RequiresReplace.Append(path.Root("mime_type"))
		}
		// An imported upload has no file name in state (the API cannot say):
		// the configured one is adopted.
		if !state.Filename.IsNull() && !state.Filename.Equal(plan.Filename) {
			resp.RequiresReplace.Append(path.Root("filename"))
		}
	}
	if (creating || len(resp.RequiresReplace) > 0) && !cfg.File.IsNull() {
		// An upload is planned. What the file holds is known for sure only
		// when it is read for the upload: a plan saved with -out is applied
		// later, and Terraform plans again then, expecting every value known
		// now to stay the same. So the plan does not promise what a later
		// edit of the file would break (the CLI would call that a provider
		// bug); the upload records what it sent.
		plan.SHA256, plan.SizeBytes = types.StringUnknown(), types.Int64Unknown()
		if cfg.MimeType.IsNull() && !mimeFromName(cfg.File.ValueString()) {
			plan.MimeType = types.StringUnknown()
		}
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// Create uploads the content. What was not known at plan time (content
// from other resources) is hashed and inferred here.
func (r *mediaResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan mediaResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	c := r.data.apiClient(&resp.Diagnostics, "upload ezitxt_media")
	if resp.Diagnostics.HasError() {
		return
	}
	// A file is hashed as it is uploaded: what is recorded is what was sent.
	resp.Diagnostics.Append(resolveMedia(ctx, &plan, plan.File.IsNull())...)
	if resp.Diagnostics.HasError() {
		return
	}
	hr := &hashingOpener{ctx: ctx, model: plan}
	id, err := c.UploadMedia(ctx, client.MediaUpload{
		Source:   plan.Source.ValueString(),
		Filename: plan.Filename.ValueString(),
		MimeType: client.MediaMimeType(plan.MimeType.ValueString()),
		Size:     plan.SizeBytes.ValueInt64(),
		Open:     hr.open,
	})
	if err != nil {
		resp.Diagnostics.AddError("Unable to Upload Media",
			fmt.Sprintf("Uploading %s (%s, %d bytes) for source %s failed.\n\n%s\n\nNothing was stored in state; fix the "+
				"problem and apply again.%s", describeContent(plan), plan.MimeType.ValueString(), plan.SizeBytes.ValueInt64(),
				plan.Source.ValueString(), err, sourceHint(err, plan.Source.ValueString())))
		return
	}
	plan.ID = types.StringValue(id)
	dg, ok := hr.digest()
	switch {
	case ok && plan.SHA256.IsUnknown():
		plan.SHA256, plan.SizeBytes = types.StringValue(dg.SHA256), types.Int64Value(dg.Size)
	case ok && dg.SHA256 != plan.SHA256.ValueString():
		resp.Diagnostics.AddWarning("Media Content Changed During Apply",
			fmt.Sprintf("%s changed between plan and apply: media %s has SHA-256 %s, not the planned %s. The next plan "+
				"sees the difference and uploads the configured content again.", describeContent(plan), id, dg.SHA256,
				plan.SHA256.ValueString()))
	case !ok && plan.SHA256.IsUnknown():
		// The upload succeeded without reading to the end (it cannot, with a
		// known size): hash the file as a fallback.
		fdg, _, err := fileDigest(ctx, plan.File.ValueString())
		if err != nil {
			resp.Diagnostics.AddError("Cannot Read Media File", fmt.Sprintf("Media %s was uploaded, but hashing %s "+
				"afterwards failed: %s.", id, describeContent(plan), err))
			plan.SHA256 = types.StringNull()
		} else {
			plan.SHA256, plan.SizeBytes = types.StringValue(fdg.SHA256), types.Int64Value(fdg.Size)
		}
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, mediaIdentityNames, plan.Source.ValueString(), id)...)
}

// Read downloads the media through a hash: media the API no longer has is
// removed from state (the next apply uploads it again); different bytes are
// recorded, so the plan replaces the upload.
func (r *mediaResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state mediaResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// First, so that state written before identity existed gets one
	// whichever way Read returns.
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, mediaIdentityNames, state.Source.ValueString(), state.ID.ValueString())...)
	if r.data != nil && r.data.client == nil {
		return // provider configuration unknown during plan: keep state
	}
	c := r.data.apiClient(&resp.Diagnostics, "read ezitxt_media")
	if c == nil {
		return
	}
	source, id := state.Source.ValueString(), state.ID.ValueString()
	dg, err := downloadDigest(ctx, c, source, id, nil)
	switch {
	case client.IsNotFound(err) && keepGoneWithoutFile(state, &resp.Diagnostics):
		return
	case client.IsNotFound(err):
		resp.Diagnostics.AddWarning("Media Expired or Removed",
			fmt.Sprintf("The API no longer has media %s of source %s (uploads expire). It is removed from state; the "+
				"next apply uploads it again.", id, source))
		resp.State.RemoveResource(ctx)
		return
	case err != nil:
		resp.Diagnostics.AddError("Unable to Read Media",
			fmt.Sprintf("Downloading media %s of source %s to check it failed.\n\n%s\n\nThe state is unchanged; try "+
				"again, or plan with -refresh=false to skip the check.", id, source, err))
		return
	}
	if !state.SHA256.IsNull() && state.SHA256.ValueString() != dg.SHA256 {
		resp.Diagnostics.AddWarning("Media Changed on the API",
			fmt.Sprintf("Media %s of source %s has SHA-256 %s on the API, not %s as recorded: the next apply uploads the "+
				"configured content again.", id, source, dg.SHA256, state.SHA256.ValueString()))
	}
	state.SHA256 = types.StringValue(dg.SHA256)
	state.SizeBytes = types.Int64Value(dg.Size)
	if slices.Contains(client.MediaMimeType("").Values(), dg.ContentType) {
		state.MimeType = types.StringValue(dg.ContentType)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// Update records in-place changes that upload nothing: a file moved with
// the same name and content, or the configuration adopted after import.
func (r *mediaResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan mediaResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, mediaIdentityNames, plan.Source.ValueString(), plan.ID.ValueString())...)
}

// Delete calls nothing: the API cannot delete media. The plan warned.
func (r *mediaResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}

func (r *mediaResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	source, id, ok := sourceImport(ctx, req, resp, "ezitxt_media", "media_id", mediaIdentityNames, [2]string{"1234567890", "abcd1234"})
	if !ok {
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("source"), source)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, mediaIdentityNames, source, id)...)
}
