package provider

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
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
)

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

// mimeByExtension maps file extensions to the API's media mime types.
var mimeByExtension = map[string]client.MediaMimeType{
	".png":  client.MimeImagePNG,
	".jpg":  client.MimeImageJPEG,
	".jpeg": client.MimeImageJPEG,
	".txt":  client.MimeTextPlain,
	".pdf":  client.MimePDF,
	".mp3":  client.MimeAudioMP3,
	".mp4":  client.MimeVideoMP4,
}

func (r *mediaResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_media"
}

func (r *mediaResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	mimeTypes := client.MediaMimeType("").Values()
	resp.Schema = schema.Schema{
		MarkdownDescription: "Uploads a media file (an image, audio, video or document) for use in messages.\n\n" +
			"The provider hashes the file at plan time: when its content changes, the plan replaces the upload. Refresh " +
			"downloads the media and compares it: media the API no longer has (uploads expire) is removed from state, so " +
			"the next apply uploads it again, and different bytes show as a change. Uploads and downloads are streamed, " +
			"so memory use does not grow with the file size. The API cannot delete media: destroy only removes it from " +
			"state, and the upload expires on its own.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The media ID the API assigned, for use in messages.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"source": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "The WhatsApp Business phone number ID to upload for, registered with `ezitxt_source`.",
				Validators:          []validator.String{sourceValidator},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"file": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Path of a local file to upload. Exactly one of `file` and `content_base64`. Renaming the " +
					"file without changing its content does not upload again.",
				Validators: []validator.String{notEmptyValidator},
			},
			"content_base64": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "The content to upload, base64-encoded, for small files generated in configuration. Exactly one of `file` and `content_base64`.",
				Validators:          []validator.String{notEmptyValidator},
			},
			"filename": schema.StringAttribute{
				Optional: true,
				Computed: true,
				MarkdownDescription: "File name sent with the upload. Defaults to the base name of `file`, or `media` with " +
					"the extension of `mime_type` for `content_base64`.",
				Validators: []validator.String{notEmptyValidator},
			},
			"mime_type": schema.StringAttribute{
				Optional: true,
				Computed: true,
				MarkdownDescription: "Mime type of the media: " + codeList(mimeTypes) + ". Inferred from the file " +
					"name's extension, or else from the content, when omitted.",
				Validators: []validator.String{stringvalidator.OneOf(mimeTypes...)},
			},
			"sha256": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Hex SHA-256 of the content. A change replaces the upload.",
			},
			"size_bytes": schema.Int64Attribute{
				Computed:            true,
				MarkdownDescription: "Size of the content in bytes.",
			},
		},
	}
}

func (r *mediaResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{
		resourcevalidator.ExactlyOneOf(path.MatchRoot("file"), path.MatchRoot("content_base64")),
	}
}

func (r *mediaResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan hashes the configured content, infers what was left out, and
// plans a replacement when the content, mime type or file name changed.
func (r *mediaResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		resp.Diagnostics.AddWarning("Destroying Media Does Not Delete It",
			"The EZITXT API cannot delete media: the upload is only removed from Terraform state and expires on its own.")
		return
	}
	var plan mediaResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if plan.File.IsUnknown() || plan.ContentBase64.IsUnknown() {
		return // hashed once the content is known
	}

	dg, sniff, diags := localContent(plan)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.SHA256 = types.StringValue(dg.SHA256)
	plan.SizeBytes = types.Int64Value(dg.Size)

	if plan.MimeType.IsUnknown() {
		mime, ok := inferMime(plan.File.ValueString(), sniff)
		if !ok {
			resp.Diagnostics.AddAttributeError(path.Root("mime_type"), "Cannot Infer Mime Type",
				fmt.Sprintf("The media type of %s cannot be told from its name or content. Set mime_type to one of %s.",
					describeContent(plan), strings.Join(client.MediaMimeType("").Values(), ", ")))
			return
		}
		plan.MimeType = types.StringValue(string(mime))
	}
	if plan.Filename.IsUnknown() {
		plan.Filename = types.StringValue(defaultFilename(plan.File.ValueString(), client.MediaMimeType(plan.MimeType.ValueString())))
	}

	if !req.State.Raw.IsNull() {
		var state mediaResourceModel
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		if !state.SHA256.Equal(plan.SHA256) {
			resp.RequiresReplace.Append(path.Root("sha256"))
		}
		if !state.MimeType.IsNull() && !state.MimeType.Equal(plan.MimeType) {
			resp.RequiresReplace.Append(path.Root("mime_type"))
		}
		// An imported upload has no file name in state: adopt the configured one.
		if !state.Filename.IsNull() && !state.Filename.Equal(plan.Filename) {
			resp.RequiresReplace.Append(path.Root("filename"))
		}
		if len(resp.RequiresReplace) == 0 {
			plan.ID = state.ID
		}
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// localContent hashes the configured content and returns up to 512 bytes of
// it for content sniffing. A file that cannot be read is an error on file.
func localContent(m mediaResourceModel) (mediaDigest, []byte, diag.Diagnostics) {
	var diags diag.Diagnostics
	if !m.ContentBase64.IsNull() {
		b, err := base64.StdEncoding.DecodeString(m.ContentBase64.ValueString())
		if err != nil {
			diags.AddAttributeError(path.Root("content_base64"), "Invalid Base64 Content",
				fmt.Sprintf("content_base64 is not valid base64 (%s). Produce it with base64encode() or filebase64().", err))
			return mediaDigest{}, nil, diags
		}
		return bytesDigest(b), b[:min(len(b), 512)], diags
	}
	name := m.File.ValueString()
	dg, err := fileDigest(name)
	if err != nil {
		diags.AddAttributeError(path.Root("file"), "Cannot Read Media File",
			fmt.Sprintf("The file %q cannot be read: %s. Check the path; relative paths are relative to the directory Terraform runs in "+
				"(use path.module to point into a module).", name, err))
		return mediaDigest{}, nil, diags
	}
	head := make([]byte, 512)
	f, err := os.Open(name) //nolint:gosec // the configured file
	if err == nil {
		n, _ := io.ReadFull(f, head)
		head = head[:n]
		_ = f.Close()
	}
	return dg, head, diags
}

// inferMime infers the mime type from the file name, or else by sniffing.
func inferMime(file string, head []byte) (client.MediaMimeType, bool) {
	if m, ok := mimeByExtension[strings.ToLower(filepath.Ext(file))]; ok {
		return m, true
	}
	sniffed, _, _ := strings.Cut(http.DetectContentType(head), ";")
	switch sniffed {
	case "audio/mpeg":
		return client.MimeAudioMP3, true
	case "text/plain":
		return client.MimeTextPlain, true
	}
	if slices.Contains(client.MediaMimeType("").Values(), sniffed) {
		return client.MediaMimeType(sniffed), true
	}
	return "", false
}

func defaultFilename(file string, mime client.MediaMimeType) string {
	if file != "" {
		return filepath.Base(file)
	}
	for ext, m := range mimeByExtension {
		if m == mime && ext != ".jpeg" {
			return "media" + ext
		}
	}
	return "media"
}

func describeContent(m mediaResourceModel) string {
	if !m.File.IsNull() {
		return fmt.Sprintf("%q", m.File.ValueString())
	}
	return "content_base64"
}

func (r *mediaResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan mediaResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	c := r.data.apiClient(&resp.Diagnostics, "upload ezitxt_media")
	if resp.Diagnostics.HasError() {
		return
	}
	// The content may have changed since plan: hash what is uploaded.
	hr := &hashingOpener{model: plan}
	id, err := c.UploadMedia(ctx, client.MediaUpload{
		Source:   plan.Source.ValueString(),
		Filename: plan.Filename.ValueString(),
		MimeType: client.MediaMimeType(plan.MimeType.ValueString()),
		Size:     plan.SizeBytes.ValueInt64(),
		Open:     hr.open,
	})
	if err != nil {
		resp.Diagnostics.AddError("Unable to Upload Media", fmt.Sprintf("Uploading %s failed.\n\n%s", describeContent(plan), err))
		return
	}
	plan.ID = types.StringValue(id)
	if dg, ok := hr.digest(); ok && dg.SHA256 != plan.SHA256.ValueString() {
		resp.Diagnostics.AddWarning("Media Content Changed During Apply",
			fmt.Sprintf("%s changed between plan and apply: the upload %s has SHA-256 %s, not the planned %s. "+
				"The next refresh records what was uploaded.", describeContent(plan), id, dg.SHA256, plan.SHA256.ValueString()))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// hashingOpener opens the configured content for each upload attempt and
// hashes what the last attempt read.
type hashingOpener struct {
	model mediaResourceModel
	last  *hashingReader
}

func (h *hashingOpener) open() (io.ReadCloser, error) {
	var rc io.ReadCloser
	if !h.model.ContentBase64.IsNull() {
		b, err := base64.StdEncoding.DecodeString(h.model.ContentBase64.ValueString())
		if err != nil {
			return nil, err
		}
		rc = io.NopCloser(bytes.NewReader(b))
	} else {
		f, err := os.Open(h.model.File.ValueString())
		if err != nil {
			return nil, err
		}
		rc = f
	}
	h.last = newHashingReader(rc)
	return h.last, nil
}

func (h *hashingOpener) digest() (mediaDigest, bool) {
	if h.last == nil || !h.last.eof {
		return mediaDigest{}, false
	}
	return h.last.digest(), true
}

func (r *mediaResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state mediaResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if r.data != nil && r.data.client == nil {
		return // provider configuration unknown during plan: keep state
	}
	c := r.data.apiClient(&resp.Diagnostics, "read ezitxt_media")
	if c == nil {
		return
	}
	dg, err := downloadDigest(ctx, c, state.Source.ValueString(), state.ID.ValueString(), nil)
	switch {
	case client.IsNotFound(err):
		resp.Diagnostics.AddWarning("Media Expired or Removed",
			fmt.Sprintf("The API no longer has media %s (uploads expire). It is removed from state; the next apply uploads it again.",
				state.ID.ValueString()))
		resp.State.RemoveResource(ctx)
		return
	case err != nil:
		resp.Diagnostics.AddError("Unable to Read Media", fmt.Sprintf("Downloading media %s failed.\n\n%s", state.ID.ValueString(), err))
		return
	}
	state.SHA256 = types.StringValue(dg.SHA256)
	state.SizeBytes = types.Int64Value(dg.Size)
	if mime, _, _ := strings.Cut(dg.ContentType, ";"); slices.Contains(client.MediaMimeType("").Values(), mime) {
		state.MimeType = types.StringValue(mime)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// Update records in-place changes that upload nothing: a renamed file with
// the same content, or the configuration adopted after import.
func (r *mediaResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan mediaResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *mediaResource) Delete(_ context.Context, _ resource.DeleteRequest, _ *resource.DeleteResponse) {
	// Nothing to call: the API cannot delete media. The plan warned.
}

func (r *mediaResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	source, id, ok := strings.Cut(req.ID, "/")
	if !ok || !client.ValidSource(source) || id == "" || strings.Contains(id, "/") {
		resp.Diagnostics.AddError("Invalid Import ID",
			fmt.Sprintf("Import an ezitxt_media as <source>/<media_id>, such as 1234567890/abcd1234; got %q.", req.ID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("source"), source)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
}
