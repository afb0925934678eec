package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"time"
)

// Broadcast is one message to send to many numbers with SendBroadcast.
type Broadcast struct {
	// Destinations are E.164 numbers; duplicates are sent to once.
	Destinations []string
	// Source is the sending WhatsApp Business phone number id.
	Source string
	// Scheduled, when set, delays the messages (in the future, at most 60 days ahead).
	Scheduled *time.Time
	// Reference is an optional reference of the caller's, echoed in status callbacks.
	Reference string
	// Content is what is sent.
	Content Content
}

// BroadcastResult is the service's answer for one destination of a broadcast.
type BroadcastResult struct {
	// Destination is the number, E.164.
	Destination string
	// ID is the message id for this destination (failed entries carry one too).
	ID string
	// Status is "accepted" or "failed".
	Status string
	// Message explains a failure.
	Message string
}

// Failed reports whether the service refused this destination.
func (r BroadcastResult) Failed() bool { return r.Status == string(StatusFailed) }

// BroadcastOutcome is what became of each destination of a broadcast. Every destination is in
// exactly one of its lists.
type BroadcastOutcome struct {
	// Results holds every destination the service answered for, accepted or failed, in the
	// order sent.
	Results []BroadcastResult
	// Ambiguous are destinations of a batch whose outcome is unknown: they MAY HAVE BEEN SENT.
	Ambiguous []string
	// NotSent are destinations never attempted, because the request was invalid or an earlier
	// batch failed; sending to them again cannot duplicate anything.
	NotSent []string
}

// AcceptedCount returns the number of results the service accepted.
func (o BroadcastOutcome) AcceptedCount() int { return len(o.Results) - o.FailedCount() }

// FailedCount returns the number of results the service refused.
func (o BroadcastOutcome) FailedCount() int {
	n := 0
	for _, r := range o.Results {
		if r.Failed() {
			n++
		}
	}
	return n
}

// SendBroadcast sends a message to many numbers: POST /messages/broadcast, in batches of
// Config.BroadcastBatchSize destinations sent one after the other. Each batch is retried only
// when the service certainly did not process it (see SendMessage).
//
// When a batch's outcome is unknown, SendBroadcast stops: that batch's numbers go to Ambiguous,
// the rest to NotSent, and the error is an *AmbiguousSendError saying how many numbers are
// affected. When a batch fails otherwise (a 400, for instance), it and the rest go to NotSent.
// The outcome is returned with the error either way, so the answers already received are kept.
func (c *Client) SendBroadcast(ctx context.Context, b Broadcast) (BroadcastOutcome, error) {
	const op = "POST /messages/broadcast"
	dests := make([]string, 0, len(b.Destinations))
	seen := make(map[string]bool, len(b.Destinations))
	var p problems
	if len(b.Destinations) == 0 {
		p.add("destination", CodeRequired, "at least one destination number is required")
	}
	for i, d := range b.Destinations {
		p.checkE164("destination["+strconv.Itoa(i)+"]", d)
		if !seen[d] {
			seen[d] = true
			dests = append(dests, d)
		}
	}
	w := newWireMessage(&p, b.Source, b.Scheduled, b.Reference, b.Content)
	if err := p.err(op); err != nil {
		return BroadcastOutcome{NotSent: dests}, err
	}

	var out BroadcastOutcome
	total := (len(dests) + c.batchSize - 1) / c.batchSize
	for i := 0; i < total; i++ {
		start := i * c.batchSize
		batch := dests[start:min(start+c.batchSize, len(dests))]
		rest := dests[start+len(batch):]
		where := fmt.Sprintf("broadcast batch %d of %d (%d numbers)", i+1, total, len(batch))

		w.Destination = batch
		results, err := c.sendBatch(ctx, w, batch)
		out.Results = append(out.Results, results...)
		var amb *AmbiguousSendError
		switch {
		case errors.As(err, &amb):
			out.Ambiguous = append(out.Ambiguous, amb.Destinations...)
			out.NotSent = append(out.NotSent, rest...)
			amb.NotSent = len(rest)
			return out, fmt.Errorf("%s: %w", where, err)
		case err != nil:
			annotateDestinations(err, batch)
			out.NotSent = append(append(out.NotSent, batch...), rest...)
			return out, fmt.Errorf("%s failed, and %d numbers were not sent to: %w", where, len(batch)+len(rest), err)
		}
	}
	return out, nil
}

// sendBatch sends one batch. Destinations the service answered for are returned even when the
// answer leaves some out; those are then reported in an *AmbiguousSendError.
func (c *Client) sendBatch(ctx context.Context, w wireMessage, batch []string) ([]BroadcastResult, error) {
	const op = "POST /messages/broadcast"
	body, err := marshalBody(op, w)
	if err != nil {
		return nil, err
	}
	cl := &call{
		method:       http.MethodPost,
		path:         "/messages/broadcast",
		send:         true,
		destinations: batch,
		jsonBody:     body,
		logFields:    map[string]any{"source": w.Source, "message_type": string(w.Type), "destination_count": len(batch)},
	}
	var entries []BroadcastResult
	limit := max(int64(maxJSONBody), int64(len(batch))*4096)
	err = c.doJSON(ctx, cl, limit, func(data []byte) (err error) {
		entries, err = decodeBroadcastResults(data)
		return err
	})
	if err != nil {
		return nil, err
	}
	results, missing := matchBroadcastResults(batch, entries)
	if len(missing) > 0 {
		return results, &AmbiguousSendError{
			Op:           op,
			Destinations: missing,
			Cause:        fmt.Errorf("the service accepted the batch but its answer does not mention %d of its %d numbers", len(missing), len(batch)),
		}
	}
	return results, nil
}

// decodeBroadcastResults reads the answer of POST /messages/broadcast: an array of
// {destination, id, status, message}.
func decodeBroadcastResults(data []byte) ([]BroadcastResult, error) {
	var entries []struct {
		Destination string `json:"destination"`
		ID          string `json:"id"`
		Status      string `json:"status"`
		Message     string `json:"message"`
	}
	if err := json.Unmarshal(data, &entries); err != nil {
		return nil, fmt.Errorf("invalid JSON (expected an array of results): %w", err)
	}
	out := make([]BroadcastResult, len(entries))
	for i, e := range entries {
		out[i] = BroadcastResult(e)
	}
	return out, nil
}

// matchBroadcastResults pairs the service's entries with the batch's numbers, by their
// destination, or by position when entries lack it and the counts agree (entries come back in
// request order). It returns results in batch order, and the numbers left without an entry.
func matchBroadcastResults(batch []string, entries []BroadcastResult) ([]BroadcastResult, []string) {
	byDest := make(map[string]BroadcastResult, len(entries))
	for i, e := range entries {
		if e.Destination == "" && len(entries) == len(batch) {
			e.Destination = batch[i]
		}
		if _, dup := byDest[e.Destination]; e.Destination != "" && !dup {
			byDest[e.Destination] = e
		}
	}
	results := make([]BroadcastResult, 0, len(batch))
	var missing []string
	for _, d := range batch {
		if e, ok := byDest[d]; ok {
			results = append(results, e)
		} else {
			missing = append(missing, d)
		}
	}
	return results, missing
}

var destinationField = regexp.MustCompile(`^destination\[(\d+)\]$`)

// annotateDestinations names the number behind each "destination[i]" field error of a batch.
func annotateDestinations(err error, batch []string) {
	var ae *APIError
	if !errors.As(err, &ae) {
		return
	}
	for i, f := range ae.Fields {
		if m := destinationField.FindStringSubmatch(f.Field); m != nil {
			if n, convErr := strconv.Atoi(m[1]); convErr == nil && n < len(batch) {
				ae.Fields[i].Value = batch[n]
			}
		}
	}
}
