package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/client"
)

// Importing a broadcast: the API has no broadcast object, only one message
// per number, and GET /messages does not say which number a message went
// to. The import ID therefore pairs each number with its message ID:
//
//	+6421000001=3fa85f64-5717-4562-b3fc-2c963f66afa6,+6421000002=...
//
// (the numbers and message IDs a POST /messages/broadcast answered). Every
// message is read back: an ID the API does not know fails the import, and
// each number's status is recorded. The content and source are not
// reported by the API, so, as for ezitxt_message, the first plan after
// import adopts the configuration in place and sends nothing, and warns
// about each difference between the configured content and what the API
// reports of the first message.

// broadcastImportExample is an import ID of the documented form.
const broadcastImportExample = "+6421000001=3fa85f64-5717-4562-b3fc-2c963f66afa6,+6421000002=497f6eca-6276-4993-bfeb-53cbbbba6f08"

// parseBroadcastImportID reads NUMBER=MESSAGE_ID pairs separated by commas
// into a map, with the numbers in the order given. It names the first pair
// that is not of that form.
func parseBroadcastImportID(id string) (map[string]string, []string, error) {
	pairs := map[string]string{}
	var numbers []string
	seenIDs := map[string]string{}
	for i, part := range strings.Split(id, ",") {
		part = strings.TrimSpace(part)
		number, msgID, ok := strings.Cut(part, "=")
		number, msgID = strings.TrimSpace(number), strings.TrimSpace(msgID)
		switch {
		case part == "":
			return nil, nil, fmt.Errorf("entry %d is empty", i+1)
		case !ok:
			return nil, nil, fmt.Errorf("entry %d, %q, is not NUMBER=MESSAGE_ID", i+1, part)
		case !client.ValidE164(number):
			return nil, nil, fmt.Errorf("entry %d: %q is not a phone number in E.164 format (such as +6421000001)", i+1, number)
		case !client.ValidUUID(msgID):
			return nil, nil, fmt.Errorf("entry %d: %q is not a message ID (a UUID)", i+1, msgID)
		}
		if _, dup := pairs[number]; dup {
			return nil, nil, fmt.Errorf("entry %d: %s is listed twice", i+1, number)
		}
		if other, dup := seenIDs[msgID]; dup {
			return nil, nil, fmt.Errorf("entry %d: message %s is given for both %s and %s", i+1, msgID, other, number)
		}
		pairs[number] = msgID
		seenIDs[msgID] = number
		numbers = append(numbers, number)
	}
	return pairs, numbers, nil
}

// ImportState adopts a broadcast sent outside this configuration, by its
// numbers and their message IDs (see parseBroadcastImportID).
func (r *broadcastResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	pairs, numbers, err := parseBroadcastImportID(req.ID)
	if err != nil {
		resp.Diagnostics.AddError("Invalid Import ID",
			fmt.Sprintf("Import an ezitxt_broadcast by its numbers and their message IDs, as NUMBER=MESSAGE_ID pairs "+
				"separated by commas, such as\n\n  %s\n\n(the destinations and message IDs the API answered the broadcast with); %s.",
				broadcastImportExample, err))
		return
	}
	results := make(map[string]deliveryResult, len(pairs))
	for number, id := range pairs {
		results[number] = deliveryResult{ID: id}
	}
	if r.data != nil && r.data.client != nil {
		ids := make([]string, 0, len(numbers))
		for _, n := range numbers {
			ids = append(ids, pairs[n])
		}
		found, missing, errs := getMessages(ctx, r.data.client, ids, r.data.concurrency())
		if len(errs) > 0 {
			resp.Diagnostics.AddError("Cannot Import Broadcast",
				fmt.Sprintf("Reading %d of the %d messages failed; nothing was imported. The first error:\n\n%s", len(errs), len(ids), errs[0]))
			return
		}
		if len(missing) > 0 {
			numberOf := make(map[string]string, len(pairs))
			for n, id := range pairs {
				numberOf[id] = n
			}
			var named []string
			for _, id := range missing {
				named = append(named, numberOf[id]+"="+id)
			}
			slices.Sort(named)
			resp.Diagnostics.AddError("Cannot Import Broadcast",
				fmt.Sprintf("The API knows no message for %d of the %d numbers: %s. Check the IDs; messages sent with another "+
					"account are not visible.", len(missing), len(ids), summarizeNumbers(named)))
			return
		}
		for number, res := range results {
			d := found[res.ID]
			res.Status = d.Status
			results[number] = res
		}
		// The content checks of the adopting plan compare the configuration
		// with the first message (all of a broadcast's carry the same content).
		resp.Diagnostics.Append(rememberImported(ctx, resp.Private, found[pairs[numbers[0]]])...)
	}
	dests := make([]string, len(numbers))
	copy(dests, numbers)
	destinations, d := types.ListValueFrom(ctx, types.StringType, dests)
	resp.Diagnostics.Append(d...)
	m := broadcastModel{ID: types.StringValue(newLocalID()), Destinations: destinations}
	resp.Diagnostics.Append(m.setResults(results)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
