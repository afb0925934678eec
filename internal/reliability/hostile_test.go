package reliability

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/acctest"
	"github.com/ezitxt/terraform-provider-ezitxt/internal/mockapi"
	"github.com/ezitxt/terraform-provider-ezitxt/internal/provider"
)

// oneGB is the size of the hostile bodies: streamed from a generator,
// never held in memory by the server.
const oneGB = 1 << 30

// envHugeBodies turns on the 1 GB cases in a plain `go test` (they are
// always on with EZITXT_RELIABILITY=1).
const envHugeBodies = "EZITXT_HOSTILE_1GB"

// TestHostileServer configures the provider, at the protocol level as
// Terraform does, against servers that misbehave, and drives it through
// ReadDataSource, PlanResourceChange/ApplyResourceChange and ReadResource.
// Each case asserts the diagnostics a user would see (severity, summary,
// what the detail says), what is kept in state, and that nothing panics.
// The 1 GB cases also measure the heap (runtime.MemStats.HeapInuse, sampled
// every 2ms) above a baseline taken just before: it must stay bounded.
func TestHostileServer(t *testing.T) {
	huge := os.Getenv(envSuites) != "" || os.Getenv(envHugeBodies) != ""
	var (
		mu      sync.Mutex
		ran     int
		passed  int
		panics  int
		peaks   []string
		skipped int
	)
	count := func(t *testing.T) {
		mu.Lock()
		ran++
		mu.Unlock()
		t.Cleanup(func() {
			mu.Lock()
			defer mu.Unlock()
			if !t.Failed() {
				passed++
			}
		})
	}

	// The 1 GB cases run one at a time, none of the others alongside, so
	// that the heap measured is theirs.
	t.Run("1GB", func(t *testing.T) {
		for _, c := range hugeCases() {
			t.Run(c.name, func(t *testing.T) {
				if !huge {
					mu.Lock()
					skipped++
					mu.Unlock()
					t.Skipf("1 GB case skipped: set %s=1 or %s=1", envSuites, envHugeBodies)
				}
				count(t)
				var written atomic.Int64
				h := newHostile(t, c.handler(&written), nil)
				peak := measurePeak(t, func() {
					if r := h.call(c.op); r.panicked {
						mu.Lock()
						panics++
						mu.Unlock()
					} else {
						c.check(t, r)
					}
				})
				limit := c.heapLimit
				if peak > limit {
					t.Errorf("heap in use peaked %d MiB above the baseline, want at most %d MiB", peak>>20, limit>>20)
				}
				mu.Lock()
				peaks = append(peaks, fmt.Sprintf("%s: server wrote %d MiB, heap peak +%d MiB (limit %d MiB)",
					c.name, written.Load()>>20, peak>>20, limit>>20))
				mu.Unlock()
			})
		}
	})

	t.Run("case", func(t *testing.T) {
		for _, c := range hostileCases() {
			t.Run(c.name, func(t *testing.T) {
				t.Parallel()
				count(t)
				h := newHostile(t, c.handler, c.providerAttrs)
				r := h.call(c.op)
				if r.panicked {
					mu.Lock()
					panics++
					mu.Unlock()
					return
				}
				c.check(t, r, h)
			})
		}
	})
	figures(t, "hostile-server", "%d cases run (%d skipped), %d passed, panics %d; 1 GB bodies: %s",
		ran, skipped, passed, panics, strings.Join(peaks, "; "))
}

// hostile is a provider configured against a misbehaving server, and a
// second server that records what reaches it (the target of redirects).
type hostile struct {
	t     *testing.T
	p     *acctest.Protocol
	srv   *httptest.Server
	other *otherHost
	creds string
}

// otherHost is another host, which must never see the credentials.
type otherHost struct {
	*httptest.Server
	requests      atomic.Int64
	authorization atomic.Int64
}

// newHostile serves handler and configures the provider against it, with
// max_retries = 0 and request_timeout = 5s unless attrs say otherwise.
func newHostile(t *testing.T, handler http.Handler, attrs map[string]any) *hostile {
	t.Helper()
	other := &otherHost{}
	other.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		other.requests.Add(1)
		if r.Header.Get("Authorization") != "" {
			other.authorization.Add(1)
		}
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(other.Close)
	h := &hostile{t: t, other: other}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == mockapi.BasePath+"/other" {
			http.Redirect(w, r, other.URL+"/steal", http.StatusFound)
			return
		}
		ctx := context.WithValue(r.Context(), otherKey{}, other.URL)
		handler.ServeHTTP(w, r.WithContext(ctx))
	}))
	t.Cleanup(h.srv.Close)
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	e := &acctest.Env{
		URL: h.srv.URL + mockapi.BasePath, Username: "hostile-user", Password: "hostile-pw-" + hex.EncodeToString(b),
		Options: provider.Options{PollInterval: 20 * time.Millisecond},
	}
	h.creds = e.Password
	all := map[string]any{"max_retries": 0, "request_timeout": "5s"}
	for k, v := range attrs {
		all[k] = v
	}
	h.p = e.ProtocolWithProvider(t, all)
	return h
}

// otherKey carries the other host's URL to handlers, for redirects.
type otherKey struct{}

func otherURL(r *http.Request) string {
	s, _ := r.Context().Value(otherKey{}).(string)
	return s
}

// op is one provider operation: a data source read, a resource create
// (plan, then apply), a resource refresh, or an action invocation.
type op struct {
	kind string // "data", "create", "read" or "invoke" (an action)
	typ  string
	// attrs is the configuration (data, create) or the prior state (read).
	attrs map[string]any
}

// result is what an operation returned.
type result struct {
	diags    []*tfprotov6.Diagnostic
	state    map[string]tftypes.Value // nil: no state (removed or not created)
	panicked bool
}

func (h *hostile) call(o op) (r result) {
	t := h.t
	t.Helper()
	defer func() {
		if p := recover(); p != nil {
			r.panicked = true
			t.Errorf("the provider panicked: %v", p)
		}
	}()
	ctx := context.Background()
	switch o.kind {
	case "data":
		typ := h.p.Schema.DataSourceSchemas[o.typ].Block.ValueType()
		resp, err := h.p.Server.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{TypeName: o.typ, Config: h.value(typ, o.attrs)})
		if err != nil {
			t.Fatalf("ReadDataSource: %v", err)
		}
		return result{diags: resp.Diagnostics, state: h.attrs(typ, resp.State)}
	case "create":
		typ := h.p.Schema.ResourceSchemas[o.typ].Block.ValueType()
		cfg := h.value(typ, o.attrs)
		prior := h.value(typ, nil)
		plan, err := h.p.Server.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
			TypeName: o.typ, PriorState: prior, ProposedNewState: cfg, Config: cfg,
		})
		if err != nil {
			t.Fatalf("PlanResourceChange: %v", err)
		}
		if acctest.HasError(plan.Diagnostics) {
			t.Fatalf("PlanResourceChange: %s", acctest.FormatDiagnostics(plan.Diagnostics))
		}
		resp, err := h.p.Server.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{
			TypeName: o.typ, PriorState: prior, PlannedState: plan.PlannedState, Config: cfg, PlannedPrivate: plan.PlannedPrivate,
		})
		if err != nil {
			t.Fatalf("ApplyResourceChange: %v", err)
		}
		return result{diags: resp.Diagnostics, state: h.attrs(typ, resp.NewState)}
	case "invoke":
		inv := h.p.InvokeAction(o.typ, o.attrs)
		return result{diags: inv.Diagnostics}
	case "read":
		typ := h.p.Schema.ResourceSchemas[o.typ].Block.ValueType()
		resp, err := h.p.Server.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: o.typ, CurrentState: h.value(typ, o.attrs)})
		if err != nil {
			t.Fatalf("ReadResource: %v", err)
		}
		return result{diags: resp.Diagnostics, state: h.attrs(typ, resp.NewState)}
	}
	t.Fatalf("unknown operation %q", o.kind)
	return result{}
}

// value converts attrs (nil: a null object) into a DynamicValue of typ.
func (h *hostile) value(typ tftypes.Type, attrs map[string]any) *tfprotov6.DynamicValue {
	h.t.Helper()
	var v tftypes.Value
	if attrs == nil {
		v = tftypes.NewValue(typ, nil)
	} else {
		var err error
		if v, err = acctest.Value(typ, attrs); err != nil {
			h.t.Fatal(err)
		}
	}
	dv, err := tfprotov6.NewDynamicValue(typ, v)
	if err != nil {
		h.t.Fatal(err)
	}
	return &dv
}

// attrs decodes a state; nil when it is null (no state).
func (h *hostile) attrs(typ tftypes.Type, dv *tfprotov6.DynamicValue) map[string]tftypes.Value {
	h.t.Helper()
	if dv == nil {
		return nil
	}
	v, err := dv.Unmarshal(typ)
	if err != nil {
		h.t.Fatal(err)
	}
	if v.IsNull() {
		return nil
	}
	out := map[string]tftypes.Value{}
	if err := v.As(&out); err != nil {
		h.t.Fatal(err)
	}
	return out
}

// str returns a state attribute as a string ("" when null or absent).
func str(state map[string]tftypes.Value, name string) string {
	var s string
	if v, ok := state[name]; ok && v.IsKnown() && !v.IsNull() {
		_ = v.As(&s)
	}
	return s
}

const hostileMessageID = "3fa85f64-5717-4562-b3fc-2c963f66afa6"

var (
	readMessage   = op{kind: "data", typ: "ezitxt_message", attrs: map[string]any{"id": hostileMessageID}}
	createMessage = op{kind: "create", typ: "ezitxt_message", attrs: map[string]any{
		"source": acctest.Source, "to": "+6421000001", "text": map[string]any{"body": "Deploy finished"},
	}}
	refreshMessage = op{kind: "read", typ: "ezitxt_message", attrs: map[string]any{
		"id": hostileMessageID, "source": acctest.Source, "to": "+6421000001", "text": map[string]any{"body": "Deploy finished"},
		"status": "accepted", "timestamp": 1,
	}}
	createBroadcast = op{kind: "create", typ: "ezitxt_broadcast", attrs: map[string]any{
		"source": acctest.Source, "destinations": []string{"+6421000001", "+6421000002"}, "text": map[string]any{"body": "Deploy finished"},
	}}
	createMedia = op{kind: "create", typ: "ezitxt_media", attrs: map[string]any{
		"source": acctest.Source, "content_base64": "aGVsbG8=", "mime_type": "text/plain",
	}}
	markRead  = op{kind: "invoke", typ: "ezitxt_mark_read", attrs: map[string]any{"message_ids": []string{hostileMessageID}}}
	readMedia = func(include bool) op {
		return op{kind: "data", typ: "ezitxt_media", attrs: map[string]any{"source": acctest.Source, "media_id": "m1", "include_content": include}}
	}
	refreshMedia = op{kind: "read", typ: "ezitxt_media", attrs: map[string]any{
		"id": "m1", "source": acctest.Source, "content_base64": "aGVsbG8=", "mime_type": "text/plain", "filename": "media.txt",
		"sha256": "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", "size_bytes": 5,
	}}
)

// wantDiag fails t unless diags hold a diagnostic of severity with summary
// whose detail holds every fragment (whitespace-insensitive).
func wantDiag(t *testing.T, diags []*tfprotov6.Diagnostic, severity tfprotov6.DiagnosticSeverity, summary string, fragments ...string) {
	t.Helper()
	for _, d := range diags {
		if d.Severity != severity || d.Summary != summary {
			continue
		}
		if re := diagRe(fragments...); !re.MatchString(d.Detail) {
			t.Errorf("%q: detail does not match %s:\n%s", summary, re, d.Detail)
		}
		return
	}
	t.Errorf("want a %s %q, got %s", severity, summary, acctest.FormatDiagnostics(diags))
}

// wantNoErrors fails t when diags hold an error.
func wantNoErrors(t *testing.T, diags []*tfprotov6.Diagnostic) {
	t.Helper()
	if acctest.HasError(diags) {
		t.Errorf("want no error, got %s", acctest.FormatDiagnostics(diags))
	}
}

// hugeCase is a 1 GB body.
type hugeCase struct {
	name      string
	handler   func(written *atomic.Int64) http.Handler
	op        op
	check     func(t *testing.T, r result)
	heapLimit uint64
}

// hugeBody answers status with contentType and prefix followed by 1 GB of
// 'a', written from one 32 KiB buffer until done or the client hangs up.
// withLength sets Content-Length, as a file download would.
func hugeBody(status int, contentType, prefix string, withLength bool, written *atomic.Int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", contentType)
		if withLength {
			w.Header().Set("Content-Length", strconv.Itoa(len(prefix)+oneGB))
		}
		w.WriteHeader(status)
		n, err := io.WriteString(w, prefix)
		written.Add(int64(n))
		if err != nil {
			return
		}
		chunk := []byte(strings.Repeat("a", 32<<10))
		for left := oneGB; left > 0; left -= len(chunk) {
			n, err := w.Write(chunk[:min(len(chunk), left)])
			written.Add(int64(n))
			if err != nil {
				return
			}
		}
	})
}

func hugeCases() []hugeCase {
	return []hugeCase{
		{
			name: "status_read_json",
			handler: func(w *atomic.Int64) http.Handler {
				return hugeBody(http.StatusOK, "application/json", `{"id":"`, false, w)
			},
			op: readMessage,
			check: func(t *testing.T, r result) {
				wantDiag(t, r.diags, tfprotov6.DiagnosticSeverityError, "Unable to Read Message", "Reading message "+hostileMessageID+" failed", "larger than 1048576 bytes")
			},
			heapLimit: 32 << 20,
		},
		{
			name: "send_answer",
			handler: func(w *atomic.Int64) http.Handler {
				return hugeBody(http.StatusAccepted, "application/json", `{"message_id":"`, false, w)
			},
			op: createMessage,
			check: func(t *testing.T, r result) {
				// The send may have been accepted: kept with status unknown,
				// a warning, no error (an error would taint and resend).
				wantNoErrors(t, r.diags)
				wantDiag(t, r.diags, tfprotov6.DiagnosticSeverityWarning, "Outcome of Send Unknown", "MAY HAVE BEEN SENT", "terraform apply -replace=")
				if str(r.state, "status") != "unknown" || str(r.state, "id") != "" {
					t.Errorf("state status %q id %q, want status unknown and no id", str(r.state, "status"), str(r.state, "id"))
				}
			},
			heapLimit: 32 << 20,
		},
		{
			name: "media_data_source",
			handler: func(w *atomic.Int64) http.Handler {
				return hugeBody(http.StatusOK, "application/pdf", "", true, w)
			},
			op: readMedia(false),
			check: func(t *testing.T, r result) {
				// Media has no size limit: the whole gigabyte is streamed
				// through the hash.
				wantNoErrors(t, r.diags)
				if v := r.state["size_bytes"]; !v.Equal(tftypes.NewValue(tftypes.Number, oneGBNumber())) {
					t.Errorf("size_bytes = %v, want %d", v, oneGB)
				}
			},
			heapLimit: 32 << 20,
		},
		{
			name: "media_include_content",
			handler: func(w *atomic.Int64) http.Handler {
				return hugeBody(http.StatusOK, "application/pdf", "", true, w)
			},
			op: readMedia(true),
			check: func(t *testing.T, r result) {
				wantDiag(t, r.diags, tfprotov6.DiagnosticSeverityError, "Media Too Large to Include", "larger than 16 MiB", "Remove include_content")
			},
			// 16 MiB of content become 21.3 MiB of base64 in a growing buffer.
			heapLimit: 96 << 20,
		},
		{
			name: "media_refresh",
			handler: func(w *atomic.Int64) http.Handler {
				return hugeBody(http.StatusOK, "text/plain", "", false, w)
			},
			op: refreshMedia,
			check: func(t *testing.T, r result) {
				wantNoErrors(t, r.diags)
				wantDiag(t, r.diags, tfprotov6.DiagnosticSeverityWarning, "Media Changed on the API", "the next apply uploads the configured content again")
			},
			heapLimit: 32 << 20,
		},
	}
}

// measurePeak runs f and returns how far HeapInuse rose above what it was
// just before, sampling every 2ms.
func measurePeak(t *testing.T, f func()) uint64 {
	t.Helper()
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	base := ms.HeapInuse
	var peak atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		var ms runtime.MemStats
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	f()
	close(stop)
	<-done
	if p := peak.Load(); p > base {
		return p - base
	}
	return 0
}

// hostileCase is a misbehaving server and what the user must be told.
type hostileCase struct {
	name          string
	handler       http.Handler
	providerAttrs map[string]any
	op            op
	check         func(t *testing.T, r result, h *hostile)
}

// respond answers status with contentType (none when "") and body.
func respond(status int, contentType, body string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body) //nolint:gosec // G705: a test server's canned answer.
	})
}

// redirect sends every request to the other host, keeping the method (307).
func redirect(status int) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", otherURL(r)+"/steal"+r.URL.Path)
		w.WriteHeader(status)
	})
}

// drip answers 200 and then one byte every interval until the client goes
// away (or 30 s pass).
func drip(contentType, first string, interval time.Duration) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(http.StatusOK)
		_, _ = io.WriteString(w, first)
		fl, _ := w.(http.Flusher)
		deadline := time.After(30 * time.Second)
		tick := time.NewTicker(interval)
		defer tick.Stop()
		for {
			if fl != nil {
				fl.Flush()
			}
			select {
			case <-r.Context().Done():
				return
			case <-deadline:
				return
			case <-tick.C:
				if _, err := io.WriteString(w, " "); err != nil {
					return
				}
			}
		}
	})
}

// noCredentialsElsewhere checks that the other host saw no Authorization.
func noCredentialsElsewhere(t *testing.T, h *hostile) {
	t.Helper()
	if n := h.other.authorization.Load(); n != 0 {
		t.Errorf("the other host received the Authorization header %d times", n)
	}
	if n := h.other.requests.Load(); n != 0 {
		t.Errorf("the redirect was followed: the other host received %d requests", n)
	}
}

// noSecrets checks that no diagnostic repeats the password.
func noSecrets(t *testing.T, r result, h *hostile) {
	t.Helper()
	for _, d := range r.diags {
		if strings.Contains(d.Detail, h.creds) || strings.Contains(d.Summary, h.creds) {
			t.Errorf("a diagnostic repeats the password: %q", d.Summary)
		}
	}
}

func hostileCases() []hostileCase {
	readFails := func(fragments ...string) func(t *testing.T, r result, h *hostile) {
		return func(t *testing.T, r result, h *hostile) {
			wantDiag(t, r.diags, tfprotov6.DiagnosticSeverityError, "Unable to Read Message",
				append([]string{"Reading message " + hostileMessageID + " failed."}, fragments...)...)
			noSecrets(t, r, h)
		}
	}
	// sendUnknown: the server may have processed the send, so the message
	// is kept with status unknown and a warning, never resent on its own.
	sendUnknown := func(fragments ...string) func(t *testing.T, r result, h *hostile) {
		return func(t *testing.T, r result, h *hostile) {
			wantNoErrors(t, r.diags)
			wantDiag(t, r.diags, tfprotov6.DiagnosticSeverityWarning, "Outcome of Send Unknown",
				append(append([]string{"MAY HAVE BEEN SENT"}, fragments...), "terraform apply -replace=")...)
			if str(r.state, "status") != "unknown" || str(r.state, "id") != "" {
				t.Errorf("state status %q id %q, want status unknown and no id", str(r.state, "status"), str(r.state, "id"))
			}
			noSecrets(t, r, h)
		}
	}
	// sendRefused: the server certainly did not process the send: an error,
	// no state, so the next apply tries again.
	sendRefused := func(fragments ...string) func(t *testing.T, r result, h *hostile) {
		return func(t *testing.T, r result, h *hostile) {
			wantDiag(t, r.diags, tfprotov6.DiagnosticSeverityError, "Unable to Send Message",
				append([]string{"the API did not accept the message, so it was not sent; the next apply tries again"}, fragments...)...)
			if r.state != nil {
				t.Errorf("a refused send left state: %v", r.state)
			}
			noSecrets(t, r, h)
		}
	}
	return []hostileCase{
		{name: "invalid_json_read", op: readMessage,
			handler: respond(http.StatusOK, "application/json", `{"id": "`+hostileMessageID+`", "status": `),
			check:   readFails("GET /messages", "invalid JSON")},
		{name: "invalid_json_send", op: createMessage,
			handler: respond(http.StatusAccepted, "application/json", `{"message_id": `),
			check:   sendUnknown("POST /messages", "invalid JSON")},
		{name: "invalid_json_error_body", op: readMessage,
			handler: respond(http.StatusBadRequest, "application/json", `{"errors": [{"field": "id", `),
			check:   readFails("GET /messages", "400 Bad Request")},
		{name: "html_instead_of_json", op: readMessage,
			handler: respond(http.StatusOK, "text/html", "<html><body>Welcome to the captive portal</body></html>"),
			check:   readFails("expected Content-Type application/json")},
		{name: "no_content_type", op: readMessage,
			handler: respond(http.StatusOK, "", `{"id":"`+hostileMessageID+`","status":"read"}`),
			check:   readFails("expected Content-Type application/json")},
		{name: "xml_on_send", op: createMessage,
			handler: respond(http.StatusAccepted, "application/xml", `<ok/>`),
			check:   sendUnknown("expected Content-Type application/json")},
		{name: "slow_drip_read", op: readMessage, providerAttrs: map[string]any{"request_timeout": "1s"},
			handler: drip("application/json", `{"id":`, 100*time.Millisecond),
			check:   readFails("no complete answer within 1s (request_timeout)")},
		{name: "slow_drip_send", op: createMessage, providerAttrs: map[string]any{"request_timeout": "1s"},
			handler: drip("application/json", `{"message_id":`, 100*time.Millisecond),
			check:   sendUnknown("request_timeout")},
		{name: "slow_drip_media", op: readMedia(false), providerAttrs: map[string]any{"request_timeout": "1s"},
			handler: drip("application/pdf", "%PDF", 3*time.Second),
			check: func(t *testing.T, r result, h *hostile) {
				wantDiag(t, r.diags, tfprotov6.DiagnosticSeverityError, "Unable to Read Media", "Downloading media m1 failed", "no progress for 1s (request_timeout)")
			}},
		{name: "redirect_read", op: readMessage, handler: redirect(http.StatusFound),
			check: func(t *testing.T, r result, h *hostile) {
				readFails("302 Found", "redirected to "+h.other.URL+"/steal", "does not follow redirects", "base_url")(t, r, h)
				noCredentialsElsewhere(t, h)
			}},
		{name: "redirect_send_307", op: createMessage, handler: redirect(http.StatusTemporaryRedirect),
			check: func(t *testing.T, r result, h *hostile) {
				sendRefused("307 Temporary Redirect", "redirected to "+h.other.URL+"/steal", "does not follow redirects")(t, r, h)
				noCredentialsElsewhere(t, h)
			}},
		{name: "redirect_refresh_308", op: refreshMessage, handler: redirect(http.StatusPermanentRedirect),
			check: func(t *testing.T, r result, h *hostile) {
				wantDiag(t, r.diags, tfprotov6.DiagnosticSeverityError, "Unable to Read Message", "308 Permanent Redirect", "does not follow redirects")
				noCredentialsElsewhere(t, h)
			}},
		{name: "redirect_media_download", op: readMedia(false), handler: redirect(http.StatusFound),
			check: func(t *testing.T, r result, h *hostile) {
				wantDiag(t, r.diags, tfprotov6.DiagnosticSeverityError, "Unable to Read Media", "302 Found", "does not follow redirects")
				noCredentialsElsewhere(t, h)
			}},
		{name: "teapot_read", op: readMessage, handler: respond(http.StatusTeapot, "text/plain", "I'm a teapot"),
			check: readFails("418 I'm a teapot")},
		{name: "teapot_send", op: createMessage, handler: respond(http.StatusTeapot, "", ""),
			check: sendRefused("418 I'm a teapot")},
		{name: "found_without_location_read", op: readMessage, handler: respond(http.StatusFound, "", ""),
			check: readFails("302 Found")},
		{name: "found_without_location_send", op: createMessage, handler: respond(http.StatusFound, "", ""),
			check: sendRefused("302 Found")},
		{name: "no_content_on_read", op: readMessage, handler: respond(http.StatusNoContent, "", ""),
			check: readFails("GET /messages")},
		{name: "refresh_teapot_keeps_message", op: refreshMessage, handler: respond(http.StatusTeapot, "", ""),
			check: func(t *testing.T, r result, h *hostile) {
				// An error, and the prior state untouched (Terraform keeps
				// it): never removed, so never resent.
				wantDiag(t, r.diags, tfprotov6.DiagnosticSeverityError, "Unable to Read Message", "418 I'm a teapot")
			}},
		{name: "echoed_credentials", op: readMessage,
			handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				u, p, _ := r.BasicAuth()
				respond(http.StatusUnauthorized, "application/json",
					fmt.Sprintf(`{"message":"Whatsapp Cloud API error","statusCode":401,"error":"bad credentials %s:%s (%s)"}`, u, p, r.Header.Get("Authorization"))).ServeHTTP(w, r)
			}),
			check: readFails("401 Unauthorized")},
		{name: "invalid_json_broadcast", op: createBroadcast,
			handler: respond(http.StatusAccepted, "application/json", `[{"destination": "+6421000001", "id": `),
			check: func(t *testing.T, r result, h *hostile) {
				// Both numbers may have been sent to: both recorded unknown,
				// never sent to again on their own; a warning, no error.
				wantNoErrors(t, r.diags)
				wantDiag(t, r.diags, tfprotov6.DiagnosticSeverityWarning, "Outcome of Some Sends Unknown",
					"invalid JSON", "recorded with status \"unknown\"")
				results := broadcastResults(t, r.state)
				if len(results) != 2 {
					t.Fatalf("results = %v, want an entry for each number", results)
				}
				for number, v := range results {
					if v.Status != "unknown" {
						t.Errorf("results[%s] = %v, want status unknown", number, v)
					}
				}
				noSecrets(t, r, h)
			}},
		{name: "broadcast_answer_missing_number", op: createBroadcast,
			handler: respond(http.StatusAccepted, "application/json",
				`[{"destination":"+6421000001","id":"`+hostileMessageID+`","status":"accepted"}]`),
			check: func(t *testing.T, r result, h *hostile) {
				// The answer says nothing of +6421000002: it may have been
				// sent, so it must not be left pending (the next apply would
				// send to it again).
				wantNoErrors(t, r.diags)
				wantDiag(t, r.diags, tfprotov6.DiagnosticSeverityWarning, "Outcome of Some Sends Unknown",
					"+6421000002 MAY HAVE BEEN SENT", "answer does not mention 1 of its 2 numbers")
				results := broadcastResults(t, r.state)
				for number, want := range map[string][2]string{
					"+6421000001": {"accepted", hostileMessageID}, "+6421000002": {"unknown", ""},
				} {
					entry, ok := results[number]
					if !ok {
						t.Errorf("results[%s] missing: the next apply would send to it again", number)
						continue
					}
					if got := [2]string{entry.Status, entry.ID}; got != want {
						t.Errorf("results[%s] = status %q id %q, want %q %q", number, got[0], got[1], want[0], want[1])
					}
				}
			}},
		{name: "redirect_upload", op: createMedia, handler: redirect(http.StatusTemporaryRedirect),
			check: func(t *testing.T, r result, h *hostile) {
				wantDiag(t, r.diags, tfprotov6.DiagnosticSeverityError, "Unable to Upload Media", "307 Temporary Redirect", "does not follow redirects", "Nothing was stored in state")
				if r.state != nil {
					t.Errorf("a refused upload left state: %v", r.state)
				}
				noCredentialsElsewhere(t, h)
			}},
		{name: "redirect_mark_read", op: markRead, handler: redirect(http.StatusFound),
			check: func(t *testing.T, r result, h *hostile) {
				wantDiag(t, r.diags, tfprotov6.DiagnosticSeverityError, "Unable to Mark Messages Read", "302 Found", "does not follow redirects", "invoke the action again")
				noCredentialsElsewhere(t, h)
			}},
		{name: "no_answer", op: readMessage, providerAttrs: map[string]any{"request_timeout": "1s"},
			handler: http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
				select {
				case <-r.Context().Done():
				case <-time.After(30 * time.Second):
				}
			}),
			check: readFails("no complete answer within 1s (request_timeout)")},
		{name: "server_error_broadcast", op: createBroadcast, handler: respond(http.StatusBadGateway, "text/html", "<html>Bad Gateway</html>"),
			check: func(t *testing.T, r result, h *hostile) {
				wantNoErrors(t, r.diags)
				wantDiag(t, r.diags, tfprotov6.DiagnosticSeverityWarning, "Outcome of Some Sends Unknown", "502 Bad Gateway", "not sent again on their own")
				noSecrets(t, r, h)
			}},
		{name: "truncated_connection", op: readMessage,
			handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.Header().Set("Content-Length", "1000")
				w.WriteHeader(http.StatusOK)
				_, _ = io.WriteString(w, `{"id":"`)
			}),
			check: readFails("GET /messages")},
	}
}

func oneGBNumber() *big.Float { return big.NewFloat(oneGB) }

// broadcastResults decodes a broadcast's results (a map of "STATUS ID"
// strings) from state.
func broadcastResults(t *testing.T, state map[string]tftypes.Value) map[string]struct{ ID, Status string } {
	t.Helper()
	var m map[string]tftypes.Value
	if v, ok := state["results"]; !ok || v.As(&m) != nil {
		t.Fatalf("results = %v, want a map of strings", state["results"])
	}
	out := make(map[string]struct{ ID, Status string }, len(m))
	for number, v := range m {
		var s string
		if err := v.As(&s); err != nil {
			t.Fatalf("results[%s] = %v: %v", number, v, err)
		}
		status, id, _ := strings.Cut(s, " ")
		id, _, _ = strings.Cut(id, " ")
		out[number] = struct{ ID, Status string }{id, status}
	}
	return out
}
