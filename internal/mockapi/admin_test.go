package mockapi

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// admin calls the admin API.
func admin(s http.Handler, method, path, body string) *httptest.ResponseRecorder {
	var r *http.Request
	if body == "" {
		r = httptest.NewRequestWithContext(context.Background(), method, AdminPrefix+path, nil)
	} else {
		r = httptest.NewRequestWithContext(context.Background(), method, AdminPrefix+path, strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
	}
	return serve(s, r)
}

// sendList is the body of GET /__admin/sends.
type sendList struct {
	Count int    `json:"count"`
	Sends []Send `json:"sends"`
}

func TestAdminIndex(t *testing.T) {
	t.Parallel()
	s := newMock(t, Options{})
	for _, path := range []string{"", "/__admin"} {
		r := httptest.NewRequestWithContext(context.Background(), http.MethodGet, AdminPrefix+path, nil)
		if path != "" {
			r = httptest.NewRequestWithContext(context.Background(), http.MethodGet, path, nil)
		}
		rec := serve(s, r)
		wantStatus(t, rec, http.StatusOK)
		if !strings.Contains(rec.Body.String(), "clock/advance") {
			t.Fatalf("index %s", rec.Body.String())
		}
	}
}

func TestAdminSendsAndMessages(t *testing.T) {
	t.Parallel()
	s := newMock(t, Options{})
	id := sendText(t, s, "+6421000001", "")
	sendText(t, s, "+6421000001", "")
	wantStatus(t, do(s, http.MethodPost, "/messages/broadcast", broadcastBody(3, 0)), http.StatusAccepted)

	sends := decode[sendList](t, admin(s, http.MethodGet, "sends", ""))
	if sends.Count != 5 || sends.Sends[0].ID != id || sends.Sends[0].Body != nil || sends.Sends[1].DuplicateOf != id {
		t.Fatalf("sends %+v", sends)
	}
	filtered := decode[sendList](t, admin(s, http.MethodGet, "sends?kind=broadcast&body=true", ""))
	if filtered.Count != 3 || len(filtered.Sends[0].Body) == 0 {
		t.Fatalf("filtered %+v", filtered)
	}
	if n := decode[sendList](t, admin(s, http.MethodGet, "sends?destination=%2B6421000001&account=demo", "")).Count; n != 2 {
		t.Fatalf("by destination: %d", n)
	}

	dups := decode[struct {
		Count      int         `json:"count"`
		Duplicates []Duplicate `json:"duplicates"`
	}](t, admin(s, http.MethodGet, "duplicates", ""))
	if dups.Count != 1 || dups.Duplicates[0].OriginalID != id {
		t.Fatalf("duplicates %+v", dups)
	}

	m := decode[Message](t, admin(s, http.MethodGet, "messages/"+id, ""))
	if m.ID != id || m.Status != StatusAccepted || m.Details.ID != id || len(m.Upcoming) != 4 {
		t.Fatalf("message %+v", m)
	}
	wantError(t, admin(s, http.MethodGet, "messages/nope", ""), http.StatusNotFound)
}

func TestAdminClock(t *testing.T) {
	t.Parallel()
	s := newMock(t, Options{})
	id := sendText(t, s, "+6421000001", "")
	c := decode[clockJSON](t, admin(s, http.MethodPost, "clock/advance", `{"by":"1h30m"}`))
	if !c.Now.Equal(testStart.Add(90*time.Minute)) || c.Advanced != "1h30m0s" || c.Unix != c.Now.Unix() {
		t.Fatalf("clock %+v", c)
	}
	if got := details(t, s, id).Status; got != StatusRead {
		t.Fatalf("status after advance %s", got)
	}
	if c := decode[clockJSON](t, admin(s, http.MethodGet, "clock", "")); !c.Now.Equal(testStart.Add(90 * time.Minute)) {
		t.Fatalf("GET clock %+v", c)
	}
	for _, body := range []string{`{"by":"soon"}`, `{"by":"-1h"}`, `{}`, `{"by":"1h","extra":1}`, `{"by":`, ``, `{"by":"1h"} {}`} {
		wantError(t, admin(s, http.MethodPost, "clock/advance", body), http.StatusBadRequest)
	}
	if c := decode[clockJSON](t, admin(s, http.MethodPut, "clock", `{"speed":100}`)); c.Speed != 100 {
		t.Fatalf("speed %+v", c)
	}
	wantError(t, admin(s, http.MethodPut, "clock", `{"speed":-1}`), http.StatusBadRequest)
	wantError(t, admin(s, http.MethodPut, "clock", `{}`), http.StatusBadRequest)
	admin(s, http.MethodPut, "clock", `{"speed":0}`)
}

func TestAdminFaultsAndRateLimit(t *testing.T) {
	t.Parallel()
	s := newMock(t, Options{})
	body := `{"seed":7,"latency":"150ms","latency_jitter":"50ms","server_error_rate":0.1,"too_many_requests_rate":0.1,"drop_before_rate":0.05,"drop_after_rate":0.05,"retry_after":"2s","endpoints":["POST /messages"]}`
	rec := admin(s, http.MethodPut, "faults", body)
	wantStatus(t, rec, http.StatusOK)
	f := s.Faults()
	if f.Seed != 7 || f.Latency != 150*time.Millisecond || f.LatencyJitter != 50*time.Millisecond || f.RetryAfter != 2*time.Second ||
		f.DropAfterRate != 0.05 || len(f.Endpoints) != 1 || f.Endpoints[0] != EndpointSendMessage {
		t.Fatalf("faults %+v", f)
	}
	var round map[string]any
	if err := json.Unmarshal(admin(s, http.MethodGet, "faults", "").Body.Bytes(), &round); err != nil || round["latency"] != "150ms" || round["seed"] != float64(7) {
		t.Fatalf("GET faults %v %v", round, err)
	}
	for _, bad := range []string{`{"server_error_rate":2}`, `{"latency":"fast"}`, `{"latencyy":"1s"}`, `{"endpoints":["GET /x"]}`, `[]`} {
		wantError(t, admin(s, http.MethodPut, "faults", bad), http.StatusBadRequest)
	}
	wantStatus(t, admin(s, http.MethodPut, "faults", `{}`), http.StatusOK)
	if s.Faults().ServerErrorRate != 0 {
		t.Fatal("faults not cleared")
	}

	l := decode[RateLimit](t, admin(s, http.MethodPut, "ratelimit", `{"requests_per_second":5,"burst":10}`))
	if l != (RateLimit{RequestsPerSecond: 5, Burst: 10}) || s.RateLimit() != l {
		t.Fatalf("rate limit %+v", l)
	}
	if got := decode[RateLimit](t, admin(s, http.MethodGet, "ratelimit", "")); got != l {
		t.Fatalf("GET ratelimit %+v", got)
	}
	wantError(t, admin(s, http.MethodPut, "ratelimit", `{"requests_per_second":-5}`), http.StatusBadRequest)
}

func TestAdminRepliesSourcesMediaStats(t *testing.T) {
	t.Parallel()
	s := newMock(t, Options{})
	rec := admin(s, http.MethodPost, "replies", `{"from":"+6421000001","to":"`+testSource+`","text":"hi there"}`)
	wantStatus(t, rec, http.StatusCreated)
	m := decode[Message](t, rec)
	if got := details(t, s, m.ID); got.Attributes.Body != "hi there" || got.Direction != DirectionMO {
		t.Fatalf("reply %+v", got)
	}
	// The answer names the customer as source and the business number as destination, as the
	// ReplyCallback in its body does (the reference's ReplyCallback shape).
	var cb ReplyCallback
	if err := json.Unmarshal(m.Body, &cb); err != nil {
		t.Fatal(err)
	}
	if m.Source != "+6421000001" || m.Destination != testSource || cb.Source != m.Source || cb.Destination != m.Destination {
		t.Fatalf("reply answered source/destination %s/%s, its body %s/%s; want +6421000001/%s in both", m.Source, m.Destination, cb.Source, cb.Destination, testSource)
	}
	rec = admin(s, http.MethodPost, "replies", `{"from":"+6421000001","to":"`+testSource+`","content":{"type":"image","image":{"id":"m1","mime_type":"image/png"}}}`)
	wantStatus(t, rec, http.StatusCreated)
	wantError(t, admin(s, http.MethodPost, "replies", `{"from":"x","to":"1","text":"hi"}`), http.StatusBadRequest)

	src := decode[struct {
		Sources []SourceInfo `json:"sources"`
	}](t, admin(s, http.MethodGet, "sources", ""))
	if len(src.Sources) != 1 || src.Sources[0].Source != testSource {
		t.Fatalf("sources %+v", src)
	}
	upload(t, s, "text/plain", []byte("hello"))
	media := decode[struct {
		Count int         `json:"count"`
		Media []MediaInfo `json:"media"`
	}](t, admin(s, http.MethodGet, "media", ""))
	if media.Count != 1 || media.Media[0].MimeType != "text/plain" {
		t.Fatalf("media %+v", media)
	}
	st := decode[Stats](t, admin(s, http.MethodGet, "stats", ""))
	if st.Requests != 2 || st.Messages != 2 || st.Media != 1 || st.AdminRequests != 6 {
		t.Fatalf("stats %+v", st)
	}
	reqs := decode[struct {
		Count    int       `json:"count"`
		Requests []Request `json:"requests"`
	}](t, admin(s, http.MethodGet, "requests?limit=1", ""))
	if reqs.Count != 1 || reqs.Requests[0].Endpoint != EndpointUploadMedia {
		t.Fatalf("requests %+v", reqs)
	}
	wantError(t, admin(s, http.MethodGet, "requests?limit=x", ""), http.StatusBadRequest)
}

func TestAdminReset(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := newMock(t, Options{MediaDir: dir, Faults: Faults{Latency: time.Millisecond}})
	id := sendText(t, s, "+6421000001", "")
	upload(t, s, "application/pdf", make([]byte, 2<<20))
	wantStatus(t, do(s, http.MethodPost, "/source", `{"source":"42","waba_id":"w"}`), http.StatusOK)
	_ = s.SetFaults(Faults{ServerErrorRate: 1})
	s.Advance(time.Hour)

	wantStatus(t, admin(s, http.MethodPost, "reset", ""), http.StatusOK)
	st := s.Stats()
	if st.Requests != 0 || st.Sends != 0 || st.Messages != 0 || st.Media != 0 || st.Sources != 1 || len(s.Requests()) != 0 {
		t.Fatalf("stats after reset %+v", st)
	}
	if !s.Now().Equal(testStart) || s.Faults().ServerErrorRate != 0 || s.Faults().Latency != time.Millisecond {
		t.Fatalf("clock %v faults %+v after reset", s.Now(), s.Faults())
	}
	if _, ok := s.Message(id); ok {
		t.Fatal("message survived reset")
	}
	if filesUnder(t, dir) != 0 {
		t.Fatal("spooled media survived reset")
	}
	sendText(t, s, "+6421000001", "") // the preregistered source is back
}

func TestAdminErrors(t *testing.T) {
	t.Parallel()
	s := newMock(t, Options{})
	wantError(t, admin(s, http.MethodGet, "nothing", ""), http.StatusNotFound)
	rec := admin(s, http.MethodDelete, "stats", "")
	wantError(t, rec, http.StatusMethodNotAllowed)
	if rec.Header().Get("Allow") != "GET" {
		t.Errorf("Allow = %q", rec.Header().Get("Allow"))
	}
	r := httptest.NewRequestWithContext(context.Background(), http.MethodPost, AdminPrefix+"clock/advance", strings.NewReader(`{"by":"1s"}`))
	r.Header.Set("Content-Type", "text/plain")
	wantError(t, serve(s, r), http.StatusUnsupportedMediaType)
	r = httptest.NewRequestWithContext(context.Background(), http.MethodPost, AdminPrefix+"clock/advance", strings.NewReader(`{"by":"`+strings.Repeat("1", 2<<20)+`"}`))
	wantError(t, serve(s, r), http.StatusRequestEntityTooLarge)
	if s.Stats().Requests != 0 {
		t.Fatal("admin requests counted as API requests")
	}
}

// TestAdminCurlDefaults: the admin API takes a JSON body with the Content-Type that curl -d sends
// by default, as the documented `curl -X POST -d '{"by":"30s"}' …/clock/advance` does; a page of
// another origin in a browser cannot use that to change the mock.
func TestAdminCurlDefaults(t *testing.T) {
	t.Parallel()
	s := newMock(t, Options{})
	post := func(method, path, body string, header map[string]string) *httptest.ResponseRecorder {
		r := httptest.NewRequestWithContext(context.Background(), method, "http://127.0.0.1:8080"+AdminPrefix+path, strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded") // curl -d
		for k, v := range header {
			r.Header.Set(k, v)
		}
		return serve(s, r)
	}
	if rec := post(http.MethodPost, "clock/advance", `{"by":"30s"}`, nil); rec.Code != http.StatusOK {
		t.Fatalf("POST clock/advance as curl -d sends it: %d %s", rec.Code, rec.Body)
	}
	if got := s.Now(); !got.Equal(testStart.Add(30 * time.Second)) {
		t.Errorf("clock = %s, want %s", got, testStart.Add(30*time.Second))
	}
	if rec := post(http.MethodPut, "clock", `{"speed":100}`, nil); rec.Code != http.StatusOK || s.Clock().Speed != 100 {
		t.Errorf("PUT clock as curl -d sends it: %d %s", rec.Code, rec.Body)
	}
	if rec := post(http.MethodPut, "faults", `{"seed":7,"server_error_rate":0.1}`, nil); rec.Code != http.StatusOK || s.Faults().ServerErrorRate != 0.1 {
		t.Errorf("PUT faults as curl -d sends it: %d %s", rec.Code, rec.Body)
	}
	if rec := post(http.MethodPost, "replies", `{"from":"+6421000001","to":"1234567890","text":"Yes please"}`, nil); rec.Code != http.StatusCreated {
		t.Errorf("POST replies as curl -d sends it: %d %s", rec.Code, rec.Body)
	}
	// Still JSON: a form body is a 400 that says so.
	if rec := post(http.MethodPost, "clock/advance", `by=30s`, nil); rec.Code != http.StatusBadRequest ||
		!strings.Contains(rec.Body.String(), "invalid JSON body") {
		t.Errorf("form-encoded body: %d %s", rec.Code, rec.Body)
	}
	// Another origin (a web page in the user's browser) cannot change the mock; its own origin can.
	rec := post(http.MethodPost, "clock/advance", `{"by":"1h"}`, map[string]string{"Origin": "https://evil.example"})
	wantError(t, rec, http.StatusForbidden)
	if !strings.Contains(rec.Body.String(), "https://evil.example") {
		t.Errorf("403 does not name the origin: %s", rec.Body)
	}
	wantError(t, post(http.MethodPost, "reset", "", map[string]string{"Origin": "http://localhost:3000"}), http.StatusForbidden)
	if got := s.Clock().Advanced; got != 30*time.Second {
		t.Errorf("a cross-origin request advanced the clock: advanced %s, want 30s", got)
	}
	if rec := post(http.MethodPost, "clock/advance", `{"by":"1s"}`, map[string]string{"Origin": "http://127.0.0.1:8080"}); rec.Code != http.StatusOK {
		t.Errorf("same origin: %d %s", rec.Code, rec.Body)
	}
}

func TestAdminOpenAPI(t *testing.T) {
	t.Parallel()
	s := newMock(t, Options{})
	rec := admin(s, http.MethodGet, "openapi.yaml", "")
	wantStatus(t, rec, http.StatusOK)
	body, _ := io.ReadAll(rec.Body)
	if !strings.HasPrefix(string(body), "openapi: 3.0.3") || rec.Header().Get("Content-Type") != "application/yaml" {
		t.Fatalf("openapi.yaml: %.40q %v", body, rec.Header())
	}
}
