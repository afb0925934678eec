package provider_test

// Helpers of the tests of ezitxt_broadcast under faults and odd state:
// a proxy between the provider and the mock that acts on chosen broadcast
// requests, and CLI helpers that read the state and write configurations
// with their own provider block.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/acctest"
	"github.com/ezitxt/terraform-provider-ezitxt/internal/mockapi"
)

// faultProxy forwards every request to the mock, except that act, when set,
// is called for each POST /messages/broadcast with its number (1 for the
// first broadcast request the proxy saw) and may answer it itself.
type faultProxy struct {
	mock *mockapi.Server
	mu   sync.Mutex
	n    int
	act  func(n int, w http.ResponseWriter, r *http.Request) bool
	// get, when set, is called for each GET /messages and may answer it.
	get func(w http.ResponseWriter, r *http.Request) bool
}

// newFaultProxy puts a proxy in front of e's mock: e.URL points at it.
func newFaultProxy(t *testing.T, e *acctest.Env) *faultProxy {
	t.Helper()
	p := &faultProxy{mock: e.Mock}
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	e.URL = srv.URL + mockapi.BasePath
	return p
}

func (p *faultProxy) set(act func(n int, w http.ResponseWriter, r *http.Request) bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.act = act
}

func (p *faultProxy) setGet(get func(w http.ResponseWriter, r *http.Request) bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.get = get
}

func (p *faultProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/messages/broadcast") {
		p.mu.Lock()
		p.n++
		n, act := p.n, p.act
		p.mu.Unlock()
		if act != nil && act(n, w, r) {
			return
		}
	}
	if r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/messages") {
		p.mu.Lock()
		get := p.get
		p.mu.Unlock()
		if get != nil && get(w, r) {
			return
		}
	}
	p.mock.ServeHTTP(w, r)
}

// readBody reads r's body, so that it can be forwarded after the client
// has gone.
func readBody(r *http.Request) []byte {
	b, _ := io.ReadAll(r.Body)
	return b
}

// forward has the mock handle r, with body, and returns its answer without
// sending it, even when the client has gone.
func (p *faultProxy) forward(r *http.Request, body []byte) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	r2 := r.Clone(context.WithoutCancel(r.Context()))
	r2.Body = io.NopCloser(bytes.NewReader(body))
	r2.ContentLength = int64(len(body))
	p.mock.ServeHTTP(rec, r2)
	return rec
}

// drop closes the client's connection without an answer.
func drop(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	}
	_ = conn.Close()
}

// answer500 answers 500 in the API's error shape.
func answer500(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusInternalServerError)
	_, _ = w.Write([]byte(`{"message":"Whatsapp Cloud API error","statusCode":500,"error":"internal server error message"}`))
}

// answer429 answers 429 with Retry-After: 1.
func answer429(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Retry-After", "1")
	w.WriteHeader(http.StatusTooManyRequests)
	_, _ = w.Write([]byte(`{"message":"Whatsapp Cloud API error","statusCode":429,"error":"too many requests error message"}`))
}

// writeRecorded sends a recorded answer, with body in place of its own when
// body is not nil.
func writeRecorded(w http.ResponseWriter, rec *httptest.ResponseRecorder, body []byte) {
	for k, vs := range rec.Header() {
		if k == "Content-Length" {
			continue
		}
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	if body == nil {
		body = rec.Body.Bytes()
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(body)
}

// faultWriteMain writes main.tf with the required_providers block and hcl
// (which has its own provider block).
func faultWriteMain(t *testing.T, c *acctest.CLI, hcl string) {
	t.Helper()
	src := fmt.Sprintf("terraform {\n  required_providers {\n    ezitxt = { source = %q }\n  }\n}\n", "ezitxt/ezitxt") + hcl
	if err := os.WriteFile(filepath.Join(c.Dir, "main.tf"), []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
}

// faultState returns the state as `show -json` gives it.
func faultState(t *testing.T, c *acctest.CLI) *tfjson.State {
	t.Helper()
	out, err := c.Run("show", "-json")
	if err != nil {
		t.Fatalf("show -json: %v\n%s", err, out)
	}
	// Run returns stdout then stderr; the JSON is the first line.
	line, _, _ := strings.Cut(out, "\n")
	var s tfjson.State
	if err := json.Unmarshal([]byte(line), &s); err != nil {
		t.Fatalf("show -json: %v\n%s", err, out)
	}
	return &s
}

// faultBroadcast returns the attributes of the broadcast at address.
func faultBroadcast(t *testing.T, s *tfjson.State, address string) map[string]any {
	t.Helper()
	if s.Values == nil || s.Values.RootModule == nil {
		t.Fatalf("empty state")
	}
	for _, r := range s.Values.RootModule.Resources {
		if r.Address == address {
			return r.AttributeValues
		}
	}
	t.Fatalf("%s not in state", address)
	return nil
}

// faultResults returns the results map of the broadcast at broadcastAddr.
func faultResults(t *testing.T, s *tfjson.State) map[string]string {
	t.Helper()
	raw, _ := faultBroadcast(t, s, broadcastAddr)["results"].(map[string]any)
	out := make(map[string]string, len(raw))
	for k, v := range raw {
		str, ok := v.(string)
		if !ok {
			t.Fatalf("results[%s] is %T", k, v)
		}
		out[k] = str
	}
	return out
}

// faultCount returns a number attribute of the broadcast at broadcastAddr.
func faultCount(t *testing.T, s *tfjson.State, name string) int64 {
	t.Helper()
	switch v := faultBroadcast(t, s, broadcastAddr)[name].(type) {
	case json.Number:
		n, err := v.Int64()
		if err != nil {
			t.Fatal(err)
		}
		return n
	case float64:
		return int64(v)
	}
	t.Fatalf("%s is %T", name, faultBroadcast(t, s, broadcastAddr)[name])
	return 0
}

// faultNoDoubleSends fails t when a number was sent to more than once or the
// mock recorded a duplicate.
func faultNoDoubleSends(t *testing.T, m *mockapi.Server) {
	t.Helper()
	per := map[string]int{}
	for _, s := range m.Sends() {
		per[s.Destination]++
	}
	var twice []string
	for n, k := range per {
		if k > 1 {
			twice = append(twice, fmt.Sprintf("%s×%d", n, k))
		}
	}
	sort.Strings(twice)
	if len(twice) > 0 {
		t.Errorf("%d numbers were sent to more than once: %v", len(twice), twice[:min(10, len(twice))])
	}
	if d := m.Duplicates(); len(d) > 0 {
		t.Errorf("the mock recorded %d duplicate sends", len(d))
	}
}

// faultNoInconsistency fails t when out has Terraform's complaint about a
// provider result that contradicts the plan.
func faultNoInconsistency(t *testing.T, out string) {
	t.Helper()
	for _, bad := range []string{"inconsistent result", "Provider produced invalid", "produced an unexpected new value"} {
		if strings.Contains(out, bad) {
			t.Errorf("the output has %q:\n%s", bad, out)
		}
	}
}

// faultMustApply runs terraform apply with args, fails the test when the
// apply fails (what names the step), checks that the output has no
// "inconsistent result" error and returns the output.
func faultMustApply(t *testing.T, c *acctest.CLI, what string, args ...string) string {
	t.Helper()
	out, err := c.Run(append([]string{"apply"}, args...)...)
	faultNoInconsistency(t, out)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return out
}

// faultEmptyPlan checks that terraform plan with args plans no change (what
// names the step in the error).
func faultEmptyPlan(t *testing.T, c *acctest.CLI, what string, args ...string) {
	t.Helper()
	if out, err := c.Run(append([]string{"plan", "-detailed-exitcode"}, args...)...); err != nil {
		t.Errorf("%s: %v\n%s", what, err, out)
	}
}
