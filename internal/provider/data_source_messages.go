package provider

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/client"
)

var _ datasource.DataSourceWithConfigure = (*messagesDataSource)(nil)

// NewMessagesDataSource returns the ezitxt_messages data source.
func NewMessagesDataSource() datasource.DataSource { return &messagesDataSource{} }

type messagesDataSource struct {
	data *providerData
}

type messagesDataModel struct {
	IDs      types.List `tfsdk:"ids"`
	Messages types.Map  `tfsdk:"messages"`
	NotFound types.List `tfsdk:"not_found"`
}

var messageSummaryType = types.ObjectType{AttrTypes: map[string]attr.Type{
	"status":    types.StringType,
	"timestamp": types.Int64Type,
	"direction": types.StringType,
	"type":      types.StringType,
}}

func (d *messagesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_messages"
}

func (d *messagesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Looks up the status of many messages at once, with a bounded number of requests in flight. " +
			"IDs the API does not know are listed in `not_found` instead of failing the read, so a dashboard of statuses " +
			"keeps working when old messages are purged.",
		Attributes: map[string]schema.Attribute{
			// A list, not a set: sets of thousands of elements are compared in
			// quadratic time by terraform-plugin-go (see ezitxt_broadcast).
			"ids": schema.ListAttribute{
				ElementType: types.StringType,
				Required:    true,
				MarkdownDescription: "Message IDs (UUIDs) to look up, for example " +
					"`[for v in values(ezitxt_broadcast.x.results) : split(\" \", v)[1]]`. Order does not matter and an ID " +
					"listed twice is looked up once. An empty ID, the `id` of a message whose send has an unknown outcome, " +
					"is not looked up: `messages[\"\"]` then has `status = \"unknown\"`, so that " +
					"`messages[ezitxt_message.x.id].status` works for every message.",
				Validators: []validator.List{listvalidator.SizeAtLeast(1), listvalidator.ValueStringsAre(messageIDValidator)},
			},
			"messages": schema.MapNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The messages found, keyed by ID; with the key `\"\"` (status `unknown`, other attributes null) when an ID is empty.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"status":    schema.StringAttribute{Computed: true, MarkdownDescription: statusDescription},
					"timestamp": schema.Int64Attribute{Computed: true, MarkdownDescription: "Unix time, in seconds, of the latest status change."},
					"direction": schema.StringAttribute{Computed: true, MarkdownDescription: "`MT` or `MO`."},
					"type":      schema.StringAttribute{Computed: true, MarkdownDescription: "Kind of message, as in `ezitxt_message`."},
				}},
			},
			"not_found": schema.ListAttribute{
				ElementType:         types.StringType,
				Computed:            true,
				MarkdownDescription: "The IDs the API does not know, sorted.",
			},
		},
	}
}

func (d *messagesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *messagesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m messagesDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	c := d.data.apiClient(&resp.Diagnostics, "read data.ezitxt_messages")
	if resp.Diagnostics.HasError() {
		return
	}
	ids := distinctStrings(m.IDs.Elements())
	// "" is the id of a send whose outcome is unknown: nothing to look up.
	empty := 0
	for _, v := range m.IDs.Elements() {
		if s, ok := stringOf(v); ok && s == "" {
			empty++
		}
	}
	if empty > 0 {
		ids = slices.DeleteFunc(ids, func(id string) bool { return id == "" })
		resp.Diagnostics.AddAttributeWarning(path.Root("ids"), "Messages of Unknown Outcome", unknownIDDetail(empty))
	}
	found, notFound, errs := getMessages(ctx, c, ids, d.data.concurrency())
	if len(errs) > 0 {
		resp.Diagnostics.AddError("Unable to Read Messages",
			fmt.Sprintf("Reading %d of the messages failed; the first error:\n\n%s", len(errs), errs[0]))
		return
	}
	elems := make(map[string]attr.Value, len(found))
	for id, det := range found {
		o, diags := types.ObjectValue(messageSummaryType.AttrTypes, map[string]attr.Value{
			"status": types.StringValue(det.Status), "timestamp": types.Int64Value(det.Timestamp),
			"direction": types.StringValue(det.Direction), "type": types.StringValue(det.Type),
		})
		resp.Diagnostics.Append(diags...)
		elems[id] = o
	}
	if empty > 0 {
		o, diags := types.ObjectValue(messageSummaryType.AttrTypes, map[string]attr.Value{
			"status": types.StringValue(statusUnknown), "timestamp": types.Int64Null(),
			"direction": types.StringNull(), "type": types.StringNull(),
		})
		resp.Diagnostics.Append(diags...)
		elems[""] = o
	}
	var diags diag.Diagnostics
	m.Messages, diags = types.MapValue(messageSummaryType, elems)
	resp.Diagnostics.Append(diags...)
	m.NotFound, diags = types.ListValueFrom(ctx, types.StringType, notFound)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// getMessages reads ids with at most concurrency requests in flight. It
// returns the messages found, the sorted IDs not found, and other errors.
func getMessages(ctx context.Context, c *client.Client, ids []string, concurrency int) (map[string]client.MessageDetails, []string, []error) {
	var (
		mu       sync.Mutex
		found    = make(map[string]client.MessageDetails, len(ids))
		notFound = []string{}
		errs     []error
	)
	forEachLimited(ids, concurrency, func(id string) {
		det, err := c.GetMessage(ctx, id)
		mu.Lock()
		defer mu.Unlock()
		switch {
		case client.IsNotFound(err):
			notFound = append(notFound, id)
		case err != nil:
			errs = append(errs, fmt.Errorf("message %s: %w", id, err))
		default:
			found[id] = det
		}
	})
	slices.Sort(notFound)
	return found, notFound, errs
}
