package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/mockapi"
)

// TestMain lets the test binary act as the command: the SIGTERM test re-executes it.
func TestMain(m *testing.M) {
	if os.Getenv("EZITXT_MOCK_AS_COMMAND") == "1" {
		os.Args = append([]string{"ezitxt-mock"}, strings.Fields(os.Getenv("EZITXT_MOCK_ARGS"))...)
		main()
		return
	}
	os.Exit(m.Run())
}

// get sends a GET with the default credentials and returns the status and body.
func get(t *testing.T, url string) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.SetBasicAuth(mockapi.DefaultUsername, mockapi.DefaultPassword)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// syncBuffer is a bytes.Buffer safe for a writer and a reader in different goroutines.
type syncBuffer struct {
	ch  chan struct{}
	buf bytes.Buffer
}

func newSyncBuffer() *syncBuffer { return &syncBuffer{ch: make(chan struct{}, 1)} }

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.ch <- struct{}{}
	defer func() { <-b.ch }()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.ch <- struct{}{}
	defer func() { <-b.ch }()
	return b.buf.String()
}

func TestRunServesUntilCancelled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	pr, pw := io.Pipe()
	stderr := newSyncBuffer()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"-listen", "127.0.0.1:0", "-sources", "1234567890", "-clock-speed", "0"}, pw, stderr)
		_ = pw.Close()
	}()
	base, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	base = strings.TrimSpace(base)
	if !strings.HasPrefix(base, "http://127.0.0.1:") || !strings.HasSuffix(base, mockapi.BasePath) {
		t.Fatalf("first line %q is not the base URL", base)
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()

	if status, body := get(t, base+"/messages?id=3fa85f64-5717-4562-b3fc-2c963f66afa6"); status != http.StatusNotFound {
		t.Fatalf("GET /messages: %d %s", status, body)
	}
	admin := strings.TrimSuffix(base, mockapi.BasePath) + mockapi.AdminPrefix
	if status, body := get(t, admin+"sources"); status != http.StatusOK || !strings.Contains(body, "1234567890") {
		t.Fatalf("admin sources: %d %s", status, body)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("exit status %d; stderr:\n%s", code, stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("run did not return after cancellation")
	}
	logs := stderr.String()
	if !strings.Contains(logs, "msg=request") || !strings.Contains(logs, "status=404") || !strings.Contains(logs, "msg=stopped") {
		t.Fatalf("stderr:\n%s", logs)
	}
}

// The built command prints the base URL first, serves, and exits 0 on SIGTERM.
func TestCommandStopsOnSIGTERM(t *testing.T) {
	t.Parallel()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(t.Context(), exe) //nolint:gosec // re-executes this test binary as the command
	cmd.Env = append(os.Environ(), "EZITXT_MOCK_AS_COMMAND=1", "EZITXT_MOCK_ARGS=-listen 127.0.0.1:0 -quiet")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		_ = cmd.Process.Kill()
		t.Fatalf("reading the first line: %v", err)
	}
	base := strings.TrimSpace(line)
	if status, body := get(t, base+"/messages?id=nope"); status != http.StatusBadRequest {
		t.Fatalf("GET: %d %s", status, body)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			t.Fatalf("exit status %d; stderr:\n%s", exit.ExitCode(), stderr.String())
		}
		t.Fatal(err)
	}
	if strings.Contains(stderr.String(), "msg=request") {
		t.Fatalf("-quiet still logs requests:\n%s", stderr.String())
	}
}

func TestFlags(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args       []string
		wantStatus int
		wantOut    string
	}{
		{[]string{"-version"}, 0, "ezitxt-mock dev"},
		{[]string{"-help"}, 0, ""},
		{[]string{"-nope"}, 2, ""},
		{[]string{"extra"}, 2, ""},
		{[]string{"-fault-5xx", "0.8", "-fault-drop-after", "0.8"}, 2, ""},
		{[]string{"-fault-endpoints", "GET /nothing"}, 2, ""},
		{[]string{"-status-callback-url", "not a url"}, 2, ""},
		{[]string{"-reply-callback-url", "ftp://x"}, 2, ""},
		{[]string{"-rate-limit", "-1"}, 2, ""},
		{[]string{"-username", "a:b"}, 2, ""},
		{[]string{"-password", ""}, 2, ""},
		{[]string{"-listen", "256.0.0.1:http"}, 1, ""},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		if got := run(t.Context(), tt.args, &stdout, &stderr); got != tt.wantStatus {
			t.Errorf("%v: exit %d, want %d; stderr %s", tt.args, got, tt.wantStatus, stderr.String())
		}
		if !strings.Contains(stdout.String(), tt.wantOut) {
			t.Errorf("%v: stdout %q", tt.args, stdout.String())
		}
	}
}

func TestOptionsFromFlags(t *testing.T) {
	t.Parallel()
	c, err := parseFlags([]string{
		"-username", "ops", "-password", "pw", "-sources", "1, 2", "-rate-limit", "5", "-rate-burst", "7",
		"-fault-seed", "9", "-fault-5xx", "0.1", "-fault-429", "0.2", "-fault-drop-before", "0.05", "-fault-drop-after", "0.05",
		"-fault-endpoints", "POST  /messages,POST /messages/broadcast", "-latency", "10ms", "-latency-jitter", "5ms",
		"-media-ttl", "1h", "-max-media-bytes", "1000", "-status-callback-url", "http://127.0.0.1:9/dlr",
		"-reply-callback-url", "https://example.com/mo", "-clock-speed", "10", "-max-broadcast-destinations", "50",
	}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	o, err := c.options(nil)
	if err != nil {
		t.Fatal(err)
	}
	acc := o.Accounts["ops"]
	if acc.Password != "pw" || len(acc.Sources) != 2 || acc.Sources[1] != "2" || acc.StatusCallbackURL != "http://127.0.0.1:9/dlr" || acc.ReplyCallbackURL != "https://example.com/mo" {
		t.Fatalf("account %+v", acc)
	}
	f := o.Faults
	if f.Seed != 9 || f.ServerErrorRate != 0.1 || f.TooManyRequestsRate != 0.2 || f.DropBeforeRate != 0.05 || f.DropAfterRate != 0.05 ||
		f.Latency != 10*time.Millisecond || f.LatencyJitter != 5*time.Millisecond || len(f.Endpoints) != 2 || f.Endpoints[0] != mockapi.EndpointSendMessage {
		t.Fatalf("faults %+v", f)
	}
	if o.RateLimit != (mockapi.RateLimit{RequestsPerSecond: 5, Burst: 7}) || o.MediaTTL != time.Hour || o.MaxMediaBytes != 1000 ||
		o.Clock.Speed != 10 || o.MaxBroadcastDestinations != 50 {
		t.Fatalf("options %+v", o)
	}
	mock, err := mockapi.NewServer(o)
	if err != nil {
		t.Fatal(err)
	}
	if err := mock.Close(); err != nil {
		t.Fatal(err)
	}
}
