package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/client"
)

var _ datasource.DataSourceWithConfigure = (*messageDataSource)(nil)

// NewMessageDataSource returns the ezitxt_message data source.
func NewMessageDataSource() datasource.DataSource { return &messageDataSource{} }

type messageDataSource struct {
	data *providerData
}

type messageDataModel struct {
	ID         types.String `tfsdk:"id"`
	Status     types.String `tfsdk:"status"`
	Timestamp  types.Int64  `tfsdk:"timestamp"`
	Direction  types.String `tfsdk:"direction"`
	Type       types.String `tfsdk:"type"`
	Attributes types.Object `tfsdk:"attributes"`
}

var (
	attributesMediaAttrTypes = map[string]attr.Type{"id": types.StringType, "type": types.StringType}
	attributesButtonType     = types.ObjectType{AttrTypes: map[string]attr.Type{"text": types.StringType}}
	messageAttributesTypes   = map[string]attr.Type{
		"header":  types.StringType,
		"body":    types.StringType,
		"footer":  types.StringType,
		"media":   types.ObjectType{AttrTypes: attributesMediaAttrTypes},
		"buttons": types.ListType{ElemType: attributesButtonType},
	}
)

func (d *messageDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_message"
}

func (d *messageDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Looks up one message by ID: its delivery status and what it contained. Use it to gate a " +
			"pipeline on delivery or to publish a status as an output. For many messages at once use `ezitxt_messages`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "The message ID, a UUID such as the `id` of an `ezitxt_message`. An empty ID, the `id` " +
					"of a message whose send has an unknown outcome, is not looked up: `status` is then `unknown` and the " +
					"other attributes are null, so that configurations reading such a message keep working.",
				Validators: []validator.String{messageIDValidator},
			},
			"status":    schema.StringAttribute{Computed: true, MarkdownDescription: statusDescription},
			"timestamp": schema.Int64Attribute{Computed: true, MarkdownDescription: "Unix time, in seconds, of the latest status change."},
			"direction": schema.StringAttribute{Computed: true, MarkdownDescription: "`MT` for a message sent to a customer, `MO` for a customer's reply."},
			"type": schema.StringAttribute{Computed: true,
				MarkdownDescription: "Kind of message: `text`, `template`, or for media the media type (`image`, `audio`, `video`, `document`)."},
			"attributes": schema.SingleNestedAttribute{
				Computed:            true,
				MarkdownDescription: "What the message contained, as far as the API reports it.",
				Attributes: map[string]schema.Attribute{
					"header": schema.StringAttribute{Computed: true, MarkdownDescription: "For a template message, its header as the API reports it, not the filled-in header text: " +
						"`ezitxt-mock` reports the header parameters sent, joined with spaces (the API reference does not define it)."},
					"body": schema.StringAttribute{Computed: true, MarkdownDescription: "The body as the API reports it, which depends on the `type`: for `text`, the text sent; " +
						"for `template`, the body parameters sent, joined with spaces, or the template name when there are none (what `ezitxt-mock` " +
						"reports; the API reference does not define it), " +
						"**not** the text recipients read, which the API does not report: compute that with " +
						"[`provider::ezitxt::template_preview`](../functions/template_preview.md) from the template's definition and the same values; " +
						"for a media message, null, or the caption of media sent as a `raw` payload; for a customer's reply (`direction = \"MO\"`), " +
						"the reply's text, the text of the button pressed, or the caption of the media sent. Null when the API reports none."},
					"footer": schema.StringAttribute{Computed: true, MarkdownDescription: "Footer text of a template message."},
					"media": schema.SingleNestedAttribute{Computed: true, MarkdownDescription: "Media of the message, if any.",
						Attributes: map[string]schema.Attribute{
							"id":   schema.StringAttribute{Computed: true, MarkdownDescription: "Media ID."},
							"type": schema.StringAttribute{Computed: true, MarkdownDescription: "Media type, such as `image`."},
						}},
					"buttons": schema.ListNestedAttribute{Computed: true, MarkdownDescription: "Buttons of the message, if any.",
						NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
							"text": schema.StringAttribute{Computed: true, MarkdownDescription: "Button text."},
						}}},
				},
			},
		},
	}
}

func (d *messageDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *messageDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m messageDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	c := d.data.apiClient(&resp.Diagnostics, "read data.ezitxt_message")
	if resp.Diagnostics.HasError() {
		return
	}
	if m.ID.ValueString() == "" {
		// The id of a send whose outcome is unknown: nothing to look up.
		m.Status = types.StringValue(statusUnknown)
		m.Timestamp, m.Direction, m.Type = types.Int64Null(), types.StringNull(), types.StringNull()
		m.Attributes = types.ObjectNull(messageAttributesTypes)
		resp.Diagnostics.AddAttributeWarning(path.Root("id"), "Message of Unknown Outcome", unknownIDDetail(1))
		resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
		return
	}
	details, err := c.GetMessage(ctx, m.ID.ValueString())
	switch {
	case client.IsNotFound(err):
		resp.Diagnostics.AddAttributeError(path.Root("id"), "Message Not Found",
			fmt.Sprintf("The API knows no message %s. Check the ID; messages sent with another account are not visible.%s",
				m.ID.ValueString(), destroyHint))
		return
	case err != nil:
		resp.Diagnostics.AddError("Unable to Read Message", fmt.Sprintf("Reading message %s failed.\n\n%s", m.ID.ValueString(), err))
		return
	}
	m.Status = types.StringValue(details.Status)
	m.Timestamp = types.Int64Value(details.Timestamp)
	m.Direction = types.StringValue(details.Direction)
	m.Type = types.StringValue(details.Type)
	var diags diag.Diagnostics
	m.Attributes, diags = attributesValue(details.Attributes)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// statusDescription documents the status values shared by the data sources.
const statusDescription = "Delivery status: `accepted`, `submitted`, `sent`, `received`, `read`, `frozen`, or a failure: " +
	"`failed`, `rejected`, `dead`, `expired`. `unknown` for the empty ID of a message whose send has an unknown outcome."

// destroyHint ends the not-found errors of data sources, which Terraform
// also reads in the refresh that precedes destroy.
const destroyHint = "\n\nThis data source is read on every plan, including the one terraform destroy makes first, so this " +
	"error stops destroy too. To destroy the configuration as it is, run terraform destroy -refresh=false (it reads no " +
	"data source; destroying messages and media only forgets them). To keep the configuration, remove the data source " +
	"or give it an ID the API knows."

// unknownIDDetail explains an empty message ID given to a data source.
func unknownIDDetail(n int) string {
	what := "The ID is empty"
	if n > 1 {
		what = fmt.Sprintf("%d of the IDs are empty", n)
	}
	return what + ": an ezitxt_message or ezitxt_broadcast number whose send has an unknown outcome (status " +
		"\"unknown\") has no ID, because the connection failed before the API answered. There is nothing to look up, " +
		"so the status reads \"unknown\". See the resource's own warning for how to resolve it."
}

// attributesValue converts the API's message attributes; empty strings
// become null so that absent fields read as absent.
func attributesValue(a client.MessageAttributes) (types.Object, diag.Diagnostics) {
	var diags diag.Diagnostics
	media := types.ObjectNull(attributesMediaAttrTypes)
	if a.Media != nil {
		var d diag.Diagnostics
		media, d = types.ObjectValue(attributesMediaAttrTypes, map[string]attr.Value{
			"id": optionalString(a.Media.ID), "type": optionalString(a.Media.Type),
		})
		diags.Append(d...)
	}
	buttons := types.ListNull(attributesButtonType)
	if a.Buttons != nil {
		elems := make([]attr.Value, 0, len(a.Buttons))
		for _, b := range a.Buttons {
			o, d := types.ObjectValue(attributesButtonType.AttrTypes, map[string]attr.Value{"text": optionalString(b.Text)})
			diags.Append(d...)
			elems = append(elems, o)
		}
		var d diag.Diagnostics
		buttons, d = types.ListValue(attributesButtonType, elems)
		diags.Append(d...)
	}
	obj, d := types.ObjectValue(messageAttributesTypes, map[string]attr.Value{
		"header": optionalString(a.Header), "body": optionalString(a.Body), "footer": optionalString(a.Footer),
		"media": media, "buttons": buttons,
	})
	diags.Append(d...)
	return obj, diags
}

func optionalString(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}
