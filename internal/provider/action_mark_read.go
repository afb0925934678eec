package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
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
	MessageIDs types.List `tfsdk:"message_ids"`
}

func (a *markReadAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_mark_read"
}

func (a *markReadAction) Schema(_ context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Marks messages as read (`PATCH /messages`), typically customers' replies once a pipeline " +
			"has handled them. Requires Terraform 1.14 or later. Marking a message read twice is harmless.\n\n" +
			"The API marks nothing when one of the IDs is unknown to it, so the action then narrows the request down: " +
			"every known message is marked, and each unknown ID is reported as its own error. Each message marked is " +
			"reported as progress, for at most the first 100.",
		Attributes: map[string]schema.Attribute{
			"message_ids": schema.ListAttribute{
				ElementType:         types.StringType,
				Required:            true,
				MarkdownDescription: "IDs (UUIDs) of the messages to mark as read, such as the `id` of `ezitxt_message` or of a reply. Order does not matter and an ID listed twice is marked once. An empty ID, the `id` of a message whose send has an unknown outcome, cannot be marked: it is skipped with a warning.",
				Validators:          []validator.List{listvalidator.SizeAtLeast(1), listvalidator.ValueStringsAre(messageIDValidator)},
			},
		},
	}
}

func (a *markReadAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// Invoke marks all IDs in one request. When the API answers 404 (an unknown
// ID fails the request whole and changes nothing), the IDs are split in
// halves and each half is marked on its own, down to single IDs: the known
// messages get marked with a few requests and each unknown ID gets its own
// error.
func (a *markReadAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var m markReadModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	c := a.data.apiClient(&resp.Diagnostics, "invoke ezitxt_mark_read")
	if resp.Diagnostics.HasError() {
		return
	}
	ids := distinctStrings(m.MessageIDs.Elements())
	if i, ok := firstIndexes(m.MessageIDs.Elements())[""]; ok {
		// The id of a send whose outcome is unknown: nothing to mark.
		ids = slices.DeleteFunc(ids, func(id string) bool { return id == "" })
		resp.Diagnostics.AddAttributeWarning(path.Root("message_ids").AtListIndex(i), "Message of Unknown Outcome",
			"An ID is empty: the id of a message whose send has an unknown outcome (status \"unknown\"), which has no ID "+
				"because the connection failed before the API answered. It cannot be marked read and is skipped; the other "+
				"messages are marked.")
		if len(ids) == 0 {
			return
		}
	}
	r := &markReader{c: c, send: resp.SendProgress, diags: &resp.Diagnostics, index: firstIndexes(m.MessageIDs.Elements())}
	r.mark(ctx, ids)
	r.reportUnknown(len(ids))
	switch {
	case r.marked == len(ids):
		resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf("marked %d messages as read", r.marked)})
	case r.marked > 0:
		resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf("marked %d of %d messages as read", r.marked, len(ids))})
	}
}

// markReader marks IDs as read, narrowing a refused request down to the IDs
// at fault.
type markReader struct {
	c      *client.Client
	send   func(action.InvokeProgressEvent)
	diags  *diag.Diagnostics
	index  map[string]int // where each ID first appears in message_ids, for error paths
	marked int
	// markedIDs are the IDs the API marked; unknown are those it answered 404 for on their own,
	// with that answer. Unknown IDs are reported once the whole list is done, so that each
	// error can say exactly what was and was not marked.
	markedIDs []string
	unknown   []unknownID
}

type unknownID struct {
	id  string
	err error
}

func (r *markReader) mark(ctx context.Context, ids []string) {
	err := r.c.MarkRead(ctx, ids)
	switch {
	case err == nil:
		for _, id := range ids {
			if r.marked < maxProgressMessages {
				r.send(action.InvokeProgressEvent{Message: fmt.Sprintf("message %s: marked as read", id)})
			}
			r.marked++
		}
		r.markedIDs = append(r.markedIDs, ids...)
	case client.IsNotFound(err) && len(ids) > 1:
		half := len(ids) / 2
		r.mark(ctx, ids[:half])
		r.mark(ctx, ids[half:])
	case client.IsNotFound(err):
		r.unknown = append(r.unknown, unknownID{id: ids[0], err: err})
	default:
		r.diags.AddAttributeError(path.Root("message_ids"), "Unable to Mark Messages Read",
			fmt.Sprintf("Marking %d messages as read failed, and they may not have been marked: %s.\n\n%s\n\n"+
				"Marking read twice is harmless: invoke the action again once the problem is fixed.",
				len(ids), summarizeNumbers(ids), err))
	}
}

// reportUnknown adds one error per unknown ID, saying which of the total IDs were marked. The
// API's answer is quoted without the client's hint for a refused list ("nothing was changed"),
// which is true of that one request only: the action went on to mark the other IDs.
func (r *markReader) reportUnknown(total int) {
	marked := "None of the messages was marked as read."
	if len(r.markedIDs) > 0 {
		marked = fmt.Sprintf("Marked as read: %d of %d messages (%s).", len(r.markedIDs), total, summarizeNumbers(r.markedIDs))
	}
	for _, u := range r.unknown {
		answer := u.err.Error()
		var ae *client.APIError
		if errors.As(u.err, &ae) {
			bare := *ae
			bare.Hint = ""
			answer = bare.Error()
		}
		r.diags.AddAttributeError(path.Root("message_ids").AtListIndex(r.index[u.id]), "Message Not Found",
			fmt.Sprintf("The API does not know message %s, so it was not marked as read. %s Check the ID: it must be a "+
				"message of this account, sent or received. Remove it from message_ids.\n\n"+
				"The API's answer to the request that carried this ID alone (that request changed nothing): %s", u.id, marked, answer))
	}
}

// firstIndexes maps each string of a list to the index of its first
// occurrence.
func firstIndexes(elems []attr.Value) map[string]int {
	out := make(map[string]int, len(elems))
	for i, v := range elems {
		if s, ok := stringOf(v); ok {
			if _, seen := out[s]; !seen {
				out[s] = i
			}
		}
	}
	return out
}
