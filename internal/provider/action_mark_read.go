package provider

import (
	"context"
	"fmt"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/client"
)

var _ action.ActionWithConfigure = (*markReadAction)(nil)

// NewMarkReadAction returns the ezitxt_mark_read action.
func NewMarkReadAction() action.Action { return &markReadAction{} }

type markReadAction struct {
	data *providerData
}

type markReadModel struct {
	MessageIDs types.Set `tfsdk:"message_ids"`
}

func (a *markReadAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_mark_read"
}

func (a *markReadAction) Schema(_ context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Marks messages as read, typically customers' replies once a pipeline has handled them. " +
			"Requires Terraform 1.14 or later. Marking a message read twice is harmless.",
		Attributes: map[string]schema.Attribute{
			"message_ids": schema.SetAttribute{
				ElementType:         types.StringType,
				Required:            true,
				MarkdownDescription: "IDs (UUIDs) of the messages to mark as read.",
				Validators:          []validator.Set{setvalidator.SizeAtLeast(1), setvalidator.ValueStringsAre(uuidValidator)},
			},
		},
	}
}

func (a *markReadAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// Invoke marks all IDs in one request. When the API refuses the batch (an
// unknown ID fails it whole), each ID is marked on its own so that the good
// ones are marked and every failure gets its own error.
func (a *markReadAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var m markReadModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	c := a.data.apiClient(&resp.Diagnostics, "invoke ezitxt_mark_read")
	if resp.Diagnostics.HasError() {
		return
	}
	ids := setStrings(m.MessageIDs)
	err := c.MarkRead(ctx, ids)
	if err == nil {
		resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf("marked %d messages as read", len(ids))})
		return
	}
	if len(ids) == 1 || client.StatusCode(err) < 400 || client.StatusCode(err) >= 500 {
		resp.Diagnostics.AddError("Unable to Mark Messages Read", fmt.Sprintf("Marking %d messages as read failed.\n\n%s", len(ids), err))
		return
	}

	var mu sync.Mutex
	forEachLimited(ids, a.data.concurrency(), func(id string) {
		err := c.MarkRead(ctx, []string{id})
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("message_ids"), "Unable to Mark Message Read",
				fmt.Sprintf("Message %s: %s", id, err))
			return
		}
		resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf("%s: marked as read", id)})
	})
}
