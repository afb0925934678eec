package mockapi

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

const sendBody = `{"to":"+6421000001","source":"` + testSource + `","type":"text","text":{"body":"hi"}}`

func TestFaultServerError(t *testing.T) {
	t.Parallel()
	s := newMock(t, Options{Faults: Faults{Seed: 1, ServerErrorRate: 1}})
	seen := map[int]bool{}
	for range 60 {
		rec := do(s, http.MethodPost, "/messages", sendBody)
		seen[rec.Code] = true
		msg := wantError(t, rec, rec.Code)
		if !strings.Contains(msg, "injected fault") {
			t.Errorf("error %q", msg)
		}
		if rec.Code == http.StatusServiceUnavailable && rec.Header().Get("Retry-After") != "1" {
			t.Errorf("503 without Retry-After")
		}
	}
	if !seen[500] || !seen[502] || !seen[503] || len(seen) != 3 {
		t.Fatalf("statuses %v, want 500, 502 and 503", seen)
	}
	if st := s.Stats(); st.Sends != 0 || st.Faults[FaultServerError] != 60 || st.Requests != 60 {
		t.Fatalf("stats %+v: injected errors must happen before processing", st)
	}
}

func TestFaultTooManyRequests(t *testing.T) {
	t.Parallel()
	for retryAfter, want := range map[time.Duration]string{0: "1", 2500 * time.Millisecond: "3"} {
		s := newMock(t, Options{Faults: Faults{TooManyRequestsRate: 1, RetryAfter: retryAfter}})
		rec := do(s, http.MethodPost, "/messages", sendBody)
		wantError(t, rec, http.StatusTooManyRequests)
		if got := rec.Header().Get("Retry-After"); got != want {
			t.Errorf("Retry-After = %q, want %q", got, want)
		}
		if st := s.Stats(); st.Sends != 0 || st.Faults[FaultTooManyRequests] != 1 || st.RateLimited != 0 {
			t.Errorf("stats %+v", st)
		}
	}
}

func TestFaultDropBefore(t *testing.T) {
	t.Parallel()
	s, hs := newHTTPMock(t, Options{Faults: Faults{DropBeforeRate: 1}})
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, hs.URL+BasePath+"/messages", strings.NewReader(sendBody))
	req.SetBasicAuth(DefaultUsername, DefaultPassword)
	req.Header.Set("Content-Type", "application/json")
	resp, err := hs.Client().Do(req)
	if err == nil {
		_ = resp.Body.Close()
		t.Fatalf("got a response (%d), want a dropped connection", resp.StatusCode)
	}
	if len(s.Sends()) != 0 {
		t.Fatal("dropped before processing, yet the send was recorded")
	}
	reqs := s.Requests()
	if len(reqs) != 1 || !reqs[0].Dropped || reqs[0].Status != 0 || reqs[0].Fault != FaultDropBefore {
		t.Fatalf("requests %+v", reqs)
	}
	if st := s.Stats(); st.ByStatus[0] != 1 || st.Faults[FaultDropBefore] != 1 {
		t.Fatalf("stats %+v", st)
	}
}

// The request is processed and recorded, but the client gets no response: the case a client
// must not retry for sends.
func TestFaultDropAfterRecordsTheSend(t *testing.T) {
	t.Parallel()
	s, hs := newHTTPMock(t, Options{Faults: Faults{DropAfterRate: 1}})
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, hs.URL+BasePath+"/messages", strings.NewReader(sendBody))
	req.SetBasicAuth(DefaultUsername, DefaultPassword)
	req.Header.Set("Content-Type", "application/json")
	resp, err := hs.Client().Do(req)
	if err == nil {
		_ = resp.Body.Close()
		t.Fatalf("got a response (%d), want a dropped connection", resp.StatusCode)
	}
	sends := s.Sends()
	if len(sends) != 1 {
		t.Fatalf("%d sends, want 1: the request was processed before the drop", len(sends))
	}
	if _, ok := s.Message(sends[0].ID); !ok {
		t.Fatal("the message of the dropped response is not stored")
	}
	reqs := s.Requests()
	if len(reqs) != 1 || !reqs[0].Dropped || reqs[0].Status != http.StatusAccepted || reqs[0].Fault != FaultDropAfter {
		t.Fatalf("requests %+v", reqs)
	}
	if st := s.Stats(); st.ByStatus[0] != 1 || st.Faults[FaultDropAfter] != 1 {
		t.Fatalf("stats %+v", st)
	}
}

// Without a hijackable connection (HTTP/2, recorders) a drop aborts the handler.
func TestDropWithoutHijackAborts(t *testing.T) {
	t.Parallel()
	s := newMock(t, Options{Faults: Faults{DropBeforeRate: 1}})
	defer func() {
		if v := recover(); v != http.ErrAbortHandler { //nolint:errorlint // recover returns the value as is
			t.Fatalf("recovered %v, want http.ErrAbortHandler", v)
		}
		if s.Stats().Faults[FaultDropBefore] != 1 {
			t.Fatal("the drop was not recorded")
		}
	}()
	do(s, http.MethodPost, "/messages", sendBody)
}

func TestFaultLatency(t *testing.T) {
	t.Parallel()
	s := newMock(t, Options{Faults: Faults{Seed: 3, Latency: 5 * time.Millisecond, LatencyJitter: 5 * time.Millisecond}})
	for range 5 {
		sendText(t, s, "+6421000001", "")
	}
	for _, r := range s.Requests() {
		if r.Latency < 5*time.Millisecond || r.Latency > 10*time.Millisecond {
			t.Errorf("latency %v outside [5ms, 10ms]", r.Latency)
		}
	}
	if got := s.Stats().Faults[FaultLatency]; got != 5 {
		t.Fatalf("latency faults = %d, want 5", got)
	}
}

// A request whose client goes away stops waiting.
func TestFaultLatencyHonoursCancellation(t *testing.T) {
	t.Parallel()
	s := newMock(t, Options{Faults: Faults{Latency: time.Hour}})
	r := apiRequest(http.MethodGet, "/messages?id=3fa85f64-5717-4562-b3fc-2c963f66afa6", "")
	ctx, cancel := contextWithCancel(r)
	cancel()
	serve(s, r.WithContext(ctx))
	if got := s.Requests()[0].Latency; got != time.Hour {
		t.Fatalf("latency %v", got)
	}
}

func TestFaultsAreReproducible(t *testing.T) {
	t.Parallel()
	cfg := Faults{Seed: 42, ServerErrorRate: 0.1, TooManyRequestsRate: 0.1, DropBeforeRate: 0.1, DropAfterRate: 0.1, Latency: time.Millisecond, LatencyJitter: time.Millisecond, LatencyRate: 0.5}
	run := func(cfg Faults) []faultPlan {
		f := newFaultInjector(cfg)
		plans := make([]faultPlan, 2000)
		for i := range plans {
			plans[i] = f.plan(EndpointSendMessage)
		}
		return plans
	}
	a, b := run(cfg), run(cfg)
	counts := map[FaultKind]int{}
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("plan %d differs between runs: %+v vs %+v", i, a[i], b[i])
		}
		counts[a[i].kind]++
	}
	for _, k := range []FaultKind{FaultServerError, FaultTooManyRequests, FaultDropBefore, FaultDropAfter} {
		if counts[k] < 120 || counts[k] > 280 { // 10% of 2000, loosely
			t.Errorf("%s: %d of 2000", k, counts[k])
		}
	}
	cfg.Seed = 43
	c := run(cfg)
	same := 0
	for i := range a {
		if a[i] == c[i] {
			same++
		}
	}
	if same == len(a) {
		t.Fatal("another seed gave the same faults")
	}
}

func TestFaultEndpointFilter(t *testing.T) {
	t.Parallel()
	s := newMock(t, Options{Faults: Faults{ServerErrorRate: 1, Endpoints: SendEndpoints}})
	wantError(t, do(s, http.MethodGet, "/messages?id=3fa85f64-5717-4562-b3fc-2c963f66afa6", ""), http.StatusNotFound)
	wantStatus(t, do(s, http.MethodPost, "/source", `{"source":"1","waba_id":"2"}`), http.StatusOK)
	if rec := do(s, http.MethodPost, "/messages", sendBody); rec.Code < 500 {
		t.Fatalf("send not faulted: %d", rec.Code)
	}
	if rec := do(s, http.MethodPost, "/messages/broadcast", sendBody); rec.Code < 500 {
		t.Fatalf("broadcast not faulted: %d", rec.Code)
	}
}

func TestFaultsValidate(t *testing.T) {
	t.Parallel()
	bad := []Faults{
		{ServerErrorRate: -0.1},
		{DropAfterRate: 1.5},
		{ServerErrorRate: 0.5, TooManyRequestsRate: 0.3, DropBeforeRate: 0.3},
		{Latency: -time.Second},
		{Endpoints: []Endpoint{"GET /nothing"}},
	}
	s := newMock(t, Options{})
	for _, f := range bad {
		if err := s.SetFaults(f); err == nil {
			t.Errorf("SetFaults(%+v) accepted", f)
		}
	}
	good := Faults{Seed: 9, ServerErrorRate: 0.5, DropAfterRate: 0.5, Endpoints: []Endpoint{EndpointGetMedia}}
	if err := s.SetFaults(good); err != nil {
		t.Fatal(err)
	}
	if got := s.Faults(); got.Seed != 9 || got.DropAfterRate != 0.5 || len(got.Endpoints) != 1 {
		t.Fatalf("Faults() = %+v", got)
	}
	var joined interface{ Unwrap() []error }
	if err := (Faults{ServerErrorRate: 2, Latency: -1}).Validate(); !errors.As(err, &joined) || len(joined.Unwrap()) != 3 {
		t.Fatalf("Validate should report every problem: %v", err)
	}
}

func TestRetryAfterSeconds(t *testing.T) {
	t.Parallel()
	for d, want := range map[time.Duration]int64{0: 1, time.Millisecond: 1, time.Second: 1, 1001 * time.Millisecond: 2, time.Minute: 60} {
		if got := retryAfterSeconds(d); got != want {
			t.Errorf("retryAfterSeconds(%v) = %d, want %d", d, got, want)
		}
	}
}
