package mockapi

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"
)

// receiver records the callbacks POSTed to it.
type receiver struct {
	*httptest.Server
	status int // answer, 200 by default

	mu     sync.Mutex
	bodies [][]byte
	types  []string
	notify chan struct{}
}

func newReceiver(t *testing.T, status int) *receiver {
	t.Helper()
	rc := &receiver{status: status, notify: make(chan struct{}, 1)}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		rc.bodies = append(rc.bodies, body)
		rc.types = append(rc.types, r.Header.Get("Content-Type"))
		rc.mu.Unlock()
		select {
		case rc.notify <- struct{}{}:
		default:
		}
		w.WriteHeader(rc.status)
	}))
	t.Cleanup(rc.Close)
	return rc
}

func (rc *receiver) statuses(t *testing.T) []StatusCallback {
	t.Helper()
	rc.mu.Lock()
	defer rc.mu.Unlock()
	out := make([]StatusCallback, 0, len(rc.bodies))
	for _, b := range rc.bodies {
		var cb StatusCallback
		if err := json.Unmarshal(b, &cb); err != nil {
			t.Fatalf("callback body %q: %v", b, err)
		}
		out = append(out, cb)
	}
	return out
}

// byMessage groups status callbacks by message id, in arrival order.
func byMessage(cbs []StatusCallback) map[string][]string {
	out := map[string][]string{}
	for _, cb := range cbs {
		out[cb.ID] = append(out[cb.ID], cb.Status)
	}
	return out
}

func flush(t *testing.T, s *Server) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	if err := s.FlushCallbacks(ctx); err != nil {
		t.Fatal(err)
	}
}

func callbackMock(t *testing.T, statusURL, replyURL string) *Server {
	t.Helper()
	return newMock(t, Options{Accounts: map[string]Account{DefaultUsername: {
		Password: DefaultPassword, Sources: []string{testSource}, StatusCallbackURL: statusURL, ReplyCallbackURL: replyURL,
	}}})
}

func TestStatusCallbacks(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t, http.StatusOK)
	s := callbackMock(t, rc.URL+"/dlr", "")
	id := sendText(t, s, "+6421000001", `,"reference":"ref-abc123"`)
	flush(t, s)
	if n := len(rc.statuses(t)); n != 0 {
		t.Fatalf("%d callbacks before any status change", n)
	}
	s.Advance(OffsetSent)
	flush(t, s)
	s.Advance(time.Hour)
	flush(t, s)
	got := rc.statuses(t)
	want := []StatusCallback{
		{ID: id, Reference: "ref-abc123", Status: StatusSubmitted},
		{ID: id, Reference: "ref-abc123", Status: StatusSent},
		{ID: id, Reference: "ref-abc123", Status: StatusReceived},
		{ID: id, Reference: "ref-abc123", Status: StatusRead},
	}
	if !slices.Equal(got, want) {
		t.Fatalf("callbacks = %+v\nwant %+v", got, want)
	}
	if rc.types[0] != "application/json" {
		t.Errorf("Content-Type = %q", rc.types[0])
	}
	if st := s.Stats().Callbacks; st.Delivered != 4 || st.Failed != 0 || st.Pending != 0 {
		t.Fatalf("callback stats %+v", st)
	}
}

// Callbacks of each message arrive in order, whatever the mix of messages, fates, schedules
// and advances.
func TestStatusCallbacksInOrderPerMessage(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t, http.StatusOK)
	s := callbackMock(t, rc.URL, "")
	numbers := []string{"+6421000001", NumberFails, NumberRejected, NumberExpires, NumberDead, NumberNeverRead}
	want := map[string][]string{}
	paths := map[string][]string{
		"+6421000001":   {StatusSubmitted, StatusSent, StatusReceived, StatusRead},
		NumberFails:     {StatusSubmitted, StatusSent, StatusFailed},
		NumberRejected:  {StatusRejected},
		NumberExpires:   {StatusSubmitted, StatusSent, StatusExpired},
		NumberDead:      {StatusSubmitted, StatusSent, StatusDead},
		NumberNeverRead: {StatusSubmitted, StatusSent, StatusReceived},
	}
	for i := range 60 {
		n := numbers[i%len(numbers)]
		extra := ""
		if i%5 == 0 {
			extra = `,"scheduled":"` + s.Now().Add(time.Duration(i+1)*time.Second).Format(time.RFC3339) + `"`
		}
		want[sendText(t, s, n, extra)] = paths[n]
		s.Advance(time.Duration(i%4) * 700 * time.Millisecond)
	}
	s.Advance(2 * time.Minute)
	flush(t, s)
	if got := byMessage(rc.statuses(t)); len(got) != len(want) {
		t.Fatalf("callbacks for %d messages, want %d", len(got), len(want))
	} else {
		for id, w := range want {
			if !slices.Equal(got[id], w) {
				t.Errorf("%s: %v, want %v", id, got[id], w)
			}
		}
	}
}

func TestStatusCallbacksOfScheduledMessage(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t, http.StatusOK)
	s := callbackMock(t, rc.URL, "")
	sendText(t, s, "+6421000001", `,"scheduled":"`+testStart.Add(time.Hour).Format(time.RFC3339)+`"`)
	s.Advance(59 * time.Minute)
	flush(t, s)
	if n := len(rc.statuses(t)); n != 0 {
		t.Fatalf("%d callbacks before the scheduled time", n)
	}
	s.Advance(time.Minute + OffsetSent)
	flush(t, s)
	if got := rc.statuses(t); len(got) != 2 || got[1].Status != StatusSent {
		t.Fatalf("callbacks %+v", got)
	}
}

func TestStatusCallbackOnMarkRead(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t, http.StatusOK)
	s := callbackMock(t, rc.URL, "")
	id := sendText(t, s, "+6421000001", "")
	s.Advance(OffsetSubmitted)
	wantStatus(t, do(s, http.MethodPatch, "/messages", `{"message_id":["`+id+`"]}`), http.StatusOK)
	wantStatus(t, do(s, http.MethodPatch, "/messages", `{"message_id":["`+id+`"]}`), http.StatusOK)
	s.Advance(time.Hour)
	flush(t, s)
	if got := byMessage(rc.statuses(t))[id]; !slices.Equal(got, []string{StatusSubmitted, StatusRead}) {
		t.Fatalf("callbacks %v, want submitted then one read", got)
	}
}

// A broadcast of many numbers gets every callback without a goroutine per message.
func TestStatusCallbacksForBroadcast(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t, http.StatusOK)
	s := callbackMock(t, rc.URL, "")
	body := broadcastBody(500, 0)
	wantStatus(t, do(s, http.MethodPost, "/messages/broadcast", body), http.StatusAccepted)
	s.Advance(OffsetRead)
	flush(t, s)
	if got := len(rc.statuses(t)); got != 2000 {
		t.Fatalf("%d callbacks, want 2000", got)
	}
}

func TestFailedCallbacksAreCountedAndNeverBlock(t *testing.T) {
	t.Parallel()
	failing := newReceiver(t, http.StatusInternalServerError)
	s := callbackMock(t, failing.URL, "")
	sendText(t, s, "+6421000001", "")
	s.Advance(OffsetSent)
	flush(t, s)
	if st := s.Stats().Callbacks; st.Failed != 2 || st.Delivered != 0 {
		t.Fatalf("stats %+v", st)
	}

	release := make(chan struct{})
	hanging := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { <-release }))
	t.Cleanup(hanging.Close)
	t.Cleanup(func() { close(release) })
	s2 := newMock(t, Options{
		Accounts:        map[string]Account{DefaultUsername: {Password: DefaultPassword, Sources: []string{testSource}, StatusCallbackURL: hanging.URL}},
		CallbackTimeout: 50 * time.Millisecond, CallbackWorkers: 1,
	})
	for range 20 { // the API keeps answering while every callback hangs
		sendText(t, s2, "+6421000001", "")
		s2.Advance(OffsetRead)
	}
	flush(t, s2)
	if st := s2.Stats().Callbacks; st.Failed != 80 {
		t.Fatalf("stats %+v, want 80 failed", st)
	}

	s3 := callbackMock(t, "http://127.0.0.1:1/unreachable", "")
	sendText(t, s3, "+6421000001", "")
	s3.Advance(OffsetSubmitted)
	flush(t, s3)
	if st := s3.Stats().Callbacks; st.Failed != 1 {
		t.Fatalf("stats %+v", st)
	}
}

// As mock time flows by itself, callbacks go out without Advance.
func TestStatusCallbacksWithFlowingClock(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t, http.StatusOK)
	s := newMock(t, Options{
		Accounts: map[string]Account{DefaultUsername: {Password: DefaultPassword, Sources: []string{testSource}, StatusCallbackURL: rc.URL}},
		Clock:    ClockOptions{Speed: 1000},
	})
	id := sendText(t, s, "+6421000001", "")
	deadline := time.After(30 * time.Second)
	for {
		if got := byMessage(rc.statuses(t))[id]; len(got) == 4 {
			if !slices.Equal(got, []string{StatusSubmitted, StatusSent, StatusReceived, StatusRead}) {
				t.Fatalf("callbacks %v", got)
			}
			return
		}
		select {
		case <-rc.notify:
		case <-time.After(50 * time.Millisecond):
		case <-deadline:
			t.Fatalf("callbacks so far: %v", rc.statuses(t))
		}
	}
}

func TestNoCallbacksWithoutURL(t *testing.T) {
	t.Parallel()
	s := newMock(t, Options{})
	sendText(t, s, "+6421000001", "")
	s.Advance(time.Hour)
	flush(t, s)
	s.mu.RLock()
	queued := len(s.st.due)
	s.mu.RUnlock()
	if st := s.Stats().Callbacks; st != (CallbackStats{}) || queued != 0 {
		t.Fatalf("stats %+v, %d queued", st, queued)
	}
}

func TestDueQueueOrders(t *testing.T) {
	t.Parallel()
	var q dueQueue
	offsets := []int{5, 1, 9, 3, 3, 7, 0, 8, 2, 6, 4}
	for _, o := range offsets {
		q.push(dueEntry{at: testStart.Add(time.Duration(o) * time.Second)})
	}
	prev := time.Time{}
	for range offsets {
		e := q.pop()
		if e.at.Before(prev) {
			t.Fatalf("popped %v after %v", e.at, prev)
		}
		prev = e.at
	}
	if len(q) != 0 {
		t.Fatal("queue not empty")
	}
}

func TestDispatcherAfterClose(t *testing.T) {
	t.Parallel()
	s := newMock(t, Options{})
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s.callbacks.enqueue(callbackJob{url: "http://127.0.0.1:1", key: "x"})
	if st := s.callbacks.stats(); st.Pending != 0 {
		t.Fatalf("job queued after Close: %+v", st)
	}
}
