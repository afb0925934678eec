package provider

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/client"
)

// maxInlineContent caps include_content: the bytes end up in state, which
// is no place for large files.
const maxInlineContent = 16 << 20

var _ datasource.DataSourceWithConfigure = (*mediaDataSource)(nil)

// NewMediaDataSource returns the ezitxt_media data source.
func NewMediaDataSource() datasource.DataSource { return &mediaDataSource{} }

type mediaDataSource struct {
	data *providerData
}

type mediaDataModel struct {
	Source         types.String `tfsdk:"source"`
	MediaID        types.String `tfsdk:"media_id"`
	IncludeContent types.Bool   `tfsdk:"include_content"`
	ID             types.String `tfsdk:"id"`
	SHA256         types.String `tfsdk:"sha256"`
	SizeBytes      types.Int64  `tfsdk:"size_bytes"`
	MimeType       types.String `tfsdk:"mime_type"`
	ContentBase64  types.String `tfsdk:"content_base64"`
}

func (d *mediaDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_media"
}

func (d *mediaDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads an uploaded media file: its SHA-256, size and mime type, and its bytes only when asked. " +
			"The file is streamed and hashed, so its size does not matter unless `include_content` is set.",
		Attributes: map[string]schema.Attribute{
			"source": schema.StringAttribute{Required: true, Validators: []validator.String{sourceValidator},
				MarkdownDescription: "The WhatsApp Business phone number ID the media belongs to."},
			"media_id": schema.StringAttribute{Required: true, Validators: []validator.String{notEmptyValidator},
				MarkdownDescription: "The media ID, such as the `id` of an `ezitxt_media` or of a media reply."},
			"include_content": schema.BoolAttribute{Optional: true,
				MarkdownDescription: "Also return the bytes in `content_base64` (at most 16 MiB; they are stored in state). Defaults to `false`."},
			"id":         schema.StringAttribute{Computed: true, MarkdownDescription: "`<source>/<media_id>`."},
			"sha256":     schema.StringAttribute{Computed: true, MarkdownDescription: "Hex SHA-256 of the bytes."},
			"size_bytes": schema.Int64Attribute{Computed: true, MarkdownDescription: "Size in bytes."},
			"mime_type":  schema.StringAttribute{Computed: true, MarkdownDescription: "Mime type the API reports, such as `image/png`."},
			"content_base64": schema.StringAttribute{Computed: true,
				MarkdownDescription: "The bytes, base64-encoded, when `include_content` is `true`; null otherwise."},
		},
	}
}

func (d *mediaDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *mediaDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m mediaDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	c := d.data.apiClient(&resp.Diagnostics, "read data.ezitxt_media")
	if resp.Diagnostics.HasError() {
		return
	}
	source, id := m.Source.ValueString(), m.MediaID.ValueString()

	var content strings.Builder
	var enc io.WriteCloser
	var sink io.Writer
	if m.IncludeContent.ValueBool() {
		enc = base64.NewEncoder(base64.StdEncoding, &content)
		sink = &limitWriter{w: enc, left: maxInlineContent}
	}
	dg, err := downloadDigest(ctx, c, source, id, sink)
	switch {
	case errors.Is(err, errContentTooLarge):
		resp.Diagnostics.AddAttributeError(path.Root("include_content"), "Media Too Large to Include",
			fmt.Sprintf("Media %s is larger than 16 MiB, too large to keep in state. Remove include_content and use sha256 and size_bytes.", id))
		return
	case client.IsNotFound(err):
		resp.Diagnostics.AddAttributeError(path.Root("media_id"), "Media Not Found",
			fmt.Sprintf("The API has no media %s for source %s. Media expires some time after upload (30 days on the mock); upload it again.%s",
				id, source, destroyHint))
		return
	case err != nil:
		resp.Diagnostics.AddError("Unable to Read Media", fmt.Sprintf("Downloading media %s failed.\n\n%s", id, err))
		return
	}
	m.ID = types.StringValue(source + "/" + id)
	m.SHA256 = types.StringValue(dg.SHA256)
	m.SizeBytes = types.Int64Value(dg.Size)
	m.MimeType = types.StringValue(dg.ContentType)
	m.ContentBase64 = types.StringNull()
	if enc != nil {
		_ = enc.Close() // flushes the last base64 block into a strings.Builder: cannot fail
		m.ContentBase64 = types.StringValue(content.String())
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
