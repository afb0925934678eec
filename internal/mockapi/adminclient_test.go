package mockapi

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestAdminClient drives a mock behind a real HTTP server through the typed
// admin client and checks each call against the server's own view.
func TestAdminClient(t *testing.T) {
	t.Parallel()
	s, hs := newHTTPMock(t, Options{})
	ctx := context.Background()
	admin := NewAdminClient(AdminURL(hs.URL + BasePath))
	if want := hs.URL + "/__admin"; admin.URL != want {
		t.Fatalf("AdminURL = %q, want %q", admin.URL, want)
	}

	now, err := admin.AdvanceClock(ctx, 90*time.Minute)
	if err != nil {
		t.Fatalf("AdvanceClock: %v", err)
	}
	if want := testStart.Add(90 * time.Minute); !now.Equal(want) || !s.Clock().Now.Equal(want) {
		t.Errorf("clock after AdvanceClock: client %v, server %v, want %v", now, s.Clock().Now, want)
	}

	if err := admin.SetRateLimit(ctx, 7, 3); err != nil {
		t.Fatalf("SetRateLimit: %v", err)
	}
	if rl := s.RateLimit(); rl.RequestsPerSecond != 7 || rl.Burst != 3 {
		t.Errorf("rate limit after SetRateLimit = %+v, want 7/s burst 3", rl)
	}

	resp := do(s, http.MethodPost, "/messages", `{"to":"+6421000001","source":"`+testSource+`","type":"text","text":{"body":"hi"}}`)
	if resp.Code != http.StatusAccepted && resp.Code != http.StatusOK {
		t.Fatalf("send: %d %s", resp.Code, resp.Body)
	}
	st, err := admin.Stats(ctx)
	if err != nil {
		t.Fatalf("Stats: %v", err)
	}
	if st.Sends != 1 || st.Requests != 1 {
		t.Errorf("Stats = %d sends, %d requests; want 1, 1", st.Sends, st.Requests)
	}
	sends, err := admin.Sends(ctx)
	if err != nil || len(sends) != 1 || sends[0].Destination != "+6421000001" {
		t.Errorf("Sends = %+v, %v; want the one send to +6421000001", sends, err)
	}
	reqs, err := admin.Requests(ctx, 10)
	if err != nil || len(reqs) != 1 || reqs[0].Method != http.MethodPost {
		t.Errorf("Requests = %+v, %v; want the one POST", reqs, err)
	}

	if err := admin.Reset(ctx); err != nil {
		t.Fatalf("Reset: %v", err)
	}
	if st, _ := admin.Stats(ctx); st.Sends != 0 {
		t.Errorf("after Reset: %d sends, want 0", st.Sends)
	}

	// An error answer quotes the mock.
	err = admin.Do(ctx, http.MethodPost, "/clock/advance", map[string]string{"by": "soon"}, nil)
	if err == nil || !strings.Contains(err.Error(), "400") || !strings.Contains(err.Error(), "non-negative Go duration") {
		t.Errorf("bad duration: error %v, want the mock's 400 quoted", err)
	}
}

// TestStartProcess runs the ezitxt-mock command as a process, talks to it,
// and stops it; a binary that exits at once is reported as such.
func TestStartProcess(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds ezitxt-mock")
	}
	bin := filepath.Join(t.TempDir(), "ezitxt-mock")
	build := exec.CommandContext(t.Context(), "go", "build", "-o", bin, "github.com/ezitxt/terraform-provider-ezitxt/cmd/ezitxt-mock") //nolint:gosec // the test's own temporary folder
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building ezitxt-mock: %v\n%s", err, out)
	}
	p, err := StartProcess(t.Context(), bin, "-sources", testSource)
	if err != nil {
		t.Fatalf("StartProcess: %v", err)
	}
	if !strings.HasPrefix(p.URL, "http://127.0.0.1:") || !strings.HasSuffix(p.URL, BasePath) {
		t.Errorf("URL = %q, want a loopback URL ending in %s", p.URL, BasePath)
	}
	st, err := p.Admin.Stats(t.Context())
	if err != nil || st.Sources != 1 {
		t.Errorf("Stats = %+v, %v; want the one source given by flag", st, err)
	}
	if err := p.Stop(); err != nil {
		t.Errorf("Stop: %v, want a clean stop", err)
	}
	if err := p.Stop(); err != nil {
		t.Errorf("second Stop: %v", err)
	}
	select {
	case <-p.Done():
	default:
		t.Error("Done not closed after Stop")
	}

	if _, err := StartProcess(t.Context(), bin, "-no-such-flag"); err == nil || !strings.Contains(err.Error(), "exited before printing its URL") {
		t.Errorf("StartProcess with a bad flag: %v, want it to say the mock exited", err)
	}
	if _, err := StartProcess(t.Context(), filepath.Join(t.TempDir(), "missing")); err == nil || !os.IsNotExist(unwrapAll(err)) {
		t.Errorf("StartProcess of a missing binary: %v, want not-exist", err)
	}
}

func unwrapAll(err error) error {
	for {
		u, ok := err.(interface{ Unwrap() error })
		if !ok || u.Unwrap() == nil {
			return err
		}
		err = u.Unwrap()
	}
}
