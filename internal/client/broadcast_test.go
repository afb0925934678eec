package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func numbers(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("+6421%07d", i)
	}
	return out
}

func textBroadcast(dests []string) Broadcast {
	return Broadcast{Destinations: dests, Source: testSource, Content: Content{Type: MessageTypeText, Text: &Text{Body: "Hello"}}}
}

// broadcastRequest decodes a broadcast body.
func broadcastRequest(t *testing.T, r *http.Request) (map[string]any, []string) {
	t.Helper()
	if r.Method != http.MethodPost || r.URL.Path != basePath+"/messages/broadcast" || r.URL.RawQuery != "" {
		t.Errorf("request = %s %s", r.Method, r.URL)
	}
	body, _ := readJSONBody(t, r).(map[string]any)
	var dests []string
	list, _ := body["destination"].([]any)
	for _, d := range list {
		s, _ := d.(string)
		dests = append(dests, s)
	}
	return body, dests
}

// acceptAll answers a batch, every number accepted, in request order.
func acceptAll(w http.ResponseWriter, dests []string) {
	type entry struct {
		Destination string `json:"destination"`
		ID          string `json:"id"`
		Status      string `json:"status"`
	}
	out := make([]entry, len(dests))
	for i, d := range dests {
		out[i] = entry{Destination: d, ID: fmt.Sprintf("00000000-0000-4000-8000-%012d", i), Status: "accepted"}
	}
	b, _ := json.Marshal(out)
	writeJSON(w, http.StatusAccepted, string(b))
}

func TestSendBroadcastBody(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, func(w http.ResponseWriter, r *http.Request) {
		body, dests := broadcastRequest(t, r)
		assertJSON(t, body, `{"destination":["+64123456789","+64223456788"],"source":"1234567890","type":"text",
			"text":{"body":"Hello"},"reference":"r1"}`)
		writeJSON(w, http.StatusAccepted, `[{"destination":"`+dests[0]+`","id":"3fa85f64-5717-4562-b3fc-2c963f66afa6","status":"accepted"},
			{"destination":"`+dests[1]+`","id":"6fa85f64-5717-4562-b3fc-2c963f66afa6","status":"failed","message":"not on WhatsApp"}]`)
	})
	c, _ := newTestClient(t, a.url())
	b := textBroadcast([]string{"+64123456789", "+64223456788", "+64123456789"}) // a duplicate is sent once
	b.Reference = "r1"
	out, err := c.SendBroadcast(t.Context(), b)
	if err != nil {
		t.Fatal(err)
	}
	want := []BroadcastResult{
		{Destination: "+64123456789", ID: "3fa85f64-5717-4562-b3fc-2c963f66afa6", Status: "accepted"},
		{Destination: "+64223456788", ID: "6fa85f64-5717-4562-b3fc-2c963f66afa6", Status: "failed", Message: "not on WhatsApp"},
	}
	if !slices.Equal(out.Results, want) || len(out.Ambiguous)+len(out.NotSent) != 0 {
		t.Errorf("outcome = %+v", out)
	}
	if out.AcceptedCount() != 1 || out.FailedCount() != 1 {
		t.Errorf("counts = %d accepted, %d failed", out.AcceptedCount(), out.FailedCount())
	}
}

func TestSendBroadcastBatches(t *testing.T) {
	t.Parallel()
	all := numbers(2500)
	var batches atomic.Int64
	var sizes [3]atomic.Int64
	a := newTestAPI(t, func(w http.ResponseWriter, r *http.Request) {
		_, dests := broadcastRequest(t, r)
		i := batches.Add(1)
		if i <= 3 {
			sizes[i-1].Store(int64(len(dests)))
		}
		acceptAll(w, dests)
	})
	c, _ := newTestClient(t, a.url())
	out, err := c.SendBroadcast(t.Context(), textBroadcast(all))
	if err != nil {
		t.Fatal(err)
	}
	if batches.Load() != 3 || sizes[0].Load() != 1000 || sizes[1].Load() != 1000 || sizes[2].Load() != 500 {
		t.Errorf("batches %d of sizes %d %d %d", batches.Load(), sizes[0].Load(), sizes[1].Load(), sizes[2].Load())
	}
	if len(out.Results) != 2500 || out.AcceptedCount() != 2500 {
		t.Fatalf("results = %d", len(out.Results))
	}
	for i, r := range out.Results {
		if r.Destination != all[i] {
			t.Fatalf("result %d is for %s, want %s", i, r.Destination, all[i])
		}
	}
}

func TestSendBroadcastAmbiguousBatchStops(t *testing.T) {
	t.Parallel()
	all := numbers(2500)
	var batches atomic.Int64
	a := newTestAPI(t, func(w http.ResponseWriter, r *http.Request) {
		_, dests := broadcastRequest(t, r)
		if batches.Add(1) == 2 {
			apiError(w, http.StatusInternalServerError, "internal server error message")
			return
		}
		acceptAll(w, dests)
	})
	c, s := newTestClient(t, a.url())
	out, err := c.SendBroadcast(t.Context(), textBroadcast(all))
	var amb *AmbiguousSendError
	if !errors.As(err, &amb) {
		t.Fatalf("err = %v, want *AmbiguousSendError", err)
	}
	if batches.Load() != 2 || len(s.get()) != 0 {
		t.Errorf("batches sent = %d, waits %v", batches.Load(), s.get())
	}
	if len(out.Results) != 1000 || out.Results[999].Destination != all[999] {
		t.Errorf("results = %d", len(out.Results))
	}
	if !slices.Equal(out.Ambiguous, all[1000:2000]) || !slices.Equal(out.NotSent, all[2000:]) {
		t.Errorf("ambiguous %d, not sent %d", len(out.Ambiguous), len(out.NotSent))
	}
	if len(amb.Destinations) != 1000 || amb.NotSent != 500 {
		t.Errorf("AmbiguousSendError = %d destinations, %d not sent", len(amb.Destinations), amb.NotSent)
	}
	mustContain(t, err.Error(), "broadcast batch 2 of 3 (1000 numbers)", "the message to 1000 numbers (+64210001000, +64210001001, +64210001002 and 997 more) MAY HAVE BEEN SENT",
		"500 further numbers were not sent to", "Before applying again")
}

func TestSendBroadcastRejectedBatch(t *testing.T) {
	t.Parallel()
	all := numbers(2500)
	var batches atomic.Int64
	a := newTestAPI(t, func(w http.ResponseWriter, r *http.Request) {
		_, dests := broadcastRequest(t, r)
		if batches.Add(1) == 2 {
			writeJSON(w, http.StatusBadRequest, `{"errors":[{"field":"destination[3]","code":"invalid_value","description":"not a mobile number"}]}`)
			return
		}
		acceptAll(w, dests)
	})
	c, _ := newTestClient(t, a.url())
	out, err := c.SendBroadcast(t.Context(), textBroadcast(all))
	if StatusCode(err) != http.StatusBadRequest || IsAmbiguous(err) {
		t.Fatalf("err = %v", err)
	}
	mustContain(t, err.Error(), "broadcast batch 2 of 3 (1000 numbers) failed, and 1500 numbers were not sent to",
		"destination[3] = +64210001003 (invalid_value): not a mobile number")
	if len(out.Results) != 1000 || len(out.Ambiguous) != 0 || !slices.Equal(out.NotSent, all[1000:]) {
		t.Errorf("outcome: %d results, %d ambiguous, %d not sent", len(out.Results), len(out.Ambiguous), len(out.NotSent))
	}
}

func TestSendBroadcastRateLimitedBatchIsRetried(t *testing.T) {
	t.Parallel()
	var requests atomic.Int64
	a := newTestAPI(t, func(w http.ResponseWriter, r *http.Request) {
		_, dests := broadcastRequest(t, r)
		if requests.Add(1) == 2 {
			w.Header().Set("Retry-After", "2")
			apiError(w, http.StatusTooManyRequests, "slow down")
			return
		}
		acceptAll(w, dests)
	})
	c, s := newTestClient(t, a.url(), func(cfg *Config) { cfg.BroadcastBatchSize = 2 })
	out, err := c.SendBroadcast(t.Context(), textBroadcast(numbers(5)))
	if err != nil || len(out.Results) != 5 {
		t.Fatalf("outcome %+v, %v", out, err)
	}
	// The batch waited for the Retry-After; later ones may wait for the
	// pace learned from it (see learner).
	if w := s.get(); requests.Load() != 4 || len(w) == 0 || w[0] != 2*time.Second {
		t.Errorf("requests %d, waits %v", requests.Load(), w)
	}
}

func TestSendBroadcastMatchesEntries(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, answer    string
		wantResults     int
		wantAmbiguous   []string
		wantFirstResult BroadcastResult
	}{
		{
			name:            "by position when destinations are absent",
			answer:          `[{"id":"a","status":"accepted"},{"id":"b","status":"failed","message":"m"},{"id":"c","status":"accepted"}]`,
			wantResults:     3,
			wantFirstResult: BroadcastResult{Destination: "+64210000000", ID: "a", Status: "accepted"},
		},
		{
			name:            "out of order, by destination",
			answer:          `[{"destination":"+64210000002","id":"c"},{"destination":"+64210000000","id":"a"},{"destination":"+64210000001","id":"b"}]`,
			wantResults:     3,
			wantFirstResult: BroadcastResult{Destination: "+64210000000", ID: "a"},
		},
		{
			name:            "entries missing",
			answer:          `[{"destination":"+64210000000","id":"a","status":"accepted"}]`,
			wantResults:     1,
			wantAmbiguous:   []string{"+64210000001", "+64210000002"},
			wantFirstResult: BroadcastResult{Destination: "+64210000000", ID: "a", Status: "accepted"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := newTestAPI(t, func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, http.StatusAccepted, tt.answer) })
			c, _ := newTestClient(t, a.url())
			out, err := c.SendBroadcast(t.Context(), textBroadcast(numbers(3)))
			if (len(tt.wantAmbiguous) > 0) != IsAmbiguous(err) || (err != nil && !IsAmbiguous(err)) {
				t.Fatalf("err = %v", err)
			}
			if len(out.Results) != tt.wantResults || out.Results[0] != tt.wantFirstResult || !slices.Equal(out.Ambiguous, tt.wantAmbiguous) {
				t.Errorf("outcome = %+v", out)
			}
			if err != nil {
				mustContain(t, err.Error(), "does not mention 2 of its 3 numbers", "+64210000001")
			}
		})
	}
}

func TestSendBroadcastUnreadableAnswerIsAmbiguous(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, http.StatusAccepted, `{"not":"an array"}`) })
	c, _ := newTestClient(t, a.url())
	out, err := c.SendBroadcast(t.Context(), textBroadcast(numbers(2)))
	if !IsAmbiguous(err) || !slices.Equal(out.Ambiguous, numbers(2)) {
		t.Fatalf("outcome %+v, err %v", out, err)
	}
}

func TestSendBroadcastValidation(t *testing.T) {
	t.Parallel()
	c, _ := newTestClient(t, "http://127.0.0.1:1")
	out, err := c.SendBroadcast(t.Context(), textBroadcast([]string{"+64210000000", "021 000", "+64210000000"}))
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("err = %v", err)
	}
	mustContain(t, err.Error(), `destination[1] (invalid_format): "021 000" is not an E.164 phone number`)
	if len(out.NotSent) != 2 || len(out.Results) != 0 {
		t.Errorf("outcome = %+v", out)
	}
	_, err = c.SendBroadcast(t.Context(), textBroadcast(nil))
	if !strings.Contains(fmt.Sprint(err), "destination (required)") {
		t.Errorf("err = %v", err)
	}
}
