package provider

import (
	"context"
	"time"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/client"
)

// waitStatuses are the values wait_for_status accepts, in delivery order.
var waitStatuses = []string{
	string(client.StatusAccepted), string(client.StatusSubmitted), string(client.StatusSent),
	string(client.StatusReceived), string(client.StatusRead),
}

// statusUnknown is the status recorded for a send whose outcome is unknown
// (the connection failed after the request was written). Such a record is
// kept so that the message is never sent again without the user deciding to.
const statusUnknown = "unknown"

// waitOutcome is where a wait for statuses ended.
type waitOutcome struct {
	// Last holds the last details read per message ID.
	Last map[string]client.MessageDetails
	// Failed lists the IDs that ended in a failure status.
	Failed []string
	// Pending lists the IDs that had not reached the target when the wait
	// ran out of time.
	Pending []string
}

// waitForStatuses polls the messages ids until each reaches target (or a
// later status in delivery order) or ends in a failure status, or until ctx
// ends, which leaves the rest in Pending. Polls back off from first up to
// maxPollInterval and run at most concurrency at a time. A 404 right after
// sending means the message is not visible yet and is polled again. seen,
// if not nil, is called whenever a message's status changes, for progress
// reporting. An error other than the end of ctx stops the wait.
func waitForStatuses(ctx context.Context, c *client.Client, ids []string, target client.MessageStatus, first time.Duration,
	concurrency int, seen func(id string, d client.MessageDetails)) (waitOutcome, error) {
	out := waitOutcome{Last: map[string]client.MessageDetails{}}
	pending := ids
	wait := first
	for len(pending) > 0 {
		found, _, errs := getMessages(ctx, c, pending, concurrency)
		// Record what was read even when the wait is about to end.
		var still []string
		for _, id := range pending {
			d, ok := found[id]
			if !ok {
				still = append(still, id) // not visible yet, or not read
				continue
			}
			if prev, seenBefore := out.Last[id]; (!seenBefore || prev.Status != d.Status) && seen != nil {
				seen(id, d)
			}
			out.Last[id] = d
			st := client.MessageStatus(d.Status)
			switch {
			case st.IsFailure():
				out.Failed = append(out.Failed, id)
			case st.Reached(target):
			default:
				still = append(still, id)
			}
		}
		pending = still
		switch {
		case len(pending) == 0:
			return out, nil
		case isDone(ctx):
			// The time is up: the rest are pending, which is not an error.
			out.Pending = pending
			return out, nil
		case len(errs) > 0:
			out.Pending = pending
			return out, errs[0]
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			out.Pending = pending
			return out, nil
		case <-timer.C:
		}
		wait = min(wait*3/2, maxPollInterval)
	}
	return out, nil
}

// isDone reports whether ctx has ended.
func isDone(ctx context.Context) bool {
	select {
	case <-ctx.Done():
		return true
	default:
		return false
	}
}
