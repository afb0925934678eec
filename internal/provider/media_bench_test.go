package provider_test

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/acctest"
	"github.com/ezitxt/terraform-provider-ezitxt/internal/mockapi"
)

// Environment variables of BenchmarkMediaUpload200MB.
const (
	// envBenchMediaMB overrides the file size in MiB (default 200).
	envBenchMediaMB = "EZITXT_BENCH_MEDIA_MB"
	// envBenchMockBin is a prebuilt ezitxt-mock to run; by default the
	// benchmark builds ./cmd/ezitxt-mock into its temporary folder.
	envBenchMockBin = "EZITXT_MOCK_BIN"
	// benchPeakLimit is the most memory the provider may use for it.
	benchPeakLimit = 64 << 20
)

// BenchmarkMediaUpload200MB uploads a 200 MiB file through the ezitxt_media
// resource as Terraform drives it, over the plugin protocol: validate, plan
// (ModifyPlan hashes the file), apply (Create uploads it), refresh (Read
// downloads and hashes it) and a second plan, against ezitxt-mock run as a
// separate process (spooling to disk), so that only the provider's memory is
// measured. It reports the provider process's peak Go heap (sampled with
// runtime.ReadMemStats every 2ms) and peak resident set size (VmHWM of
// /proc/self/status, reset just before the measured part), and fails when
// the peak RSS (or, without /proc, the peak heap) reaches 64 MiB. It is not a
// timed assertion; the time per operation is printed for information only.
//
//	go test ./internal/provider/ -run '^$' -bench '^BenchmarkMediaUpload200MB$' -benchtime 1x
func BenchmarkMediaUpload200MB(b *testing.B) {
	size := int64(200) << 20
	if v := os.Getenv(envBenchMediaMB); v != "" {
		mb, err := strconv.Atoi(v)
		if err != nil || mb <= 0 {
			b.Fatalf("%s=%q: want a positive whole number of MiB", envBenchMediaMB, v)
		}
		size = int64(mb) << 20
	}
	dir := b.TempDir()
	file := filepath.Join(dir, "launch.mp4")
	writeRandomFile(b, file, size)
	url := startMockProcess(b, dir, size)

	env := &acctest.Env{URL: url, Username: mockapi.DefaultUsername, Password: mockapi.DefaultPassword}
	p := env.Protocol(b)
	typ := p.Schema.ResourceSchemas["ezitxt_media"].Block.ValueType()
	cfg := protoValue(b, typ, map[string]any{"source": acctest.Source, "file": file})

	runtime.GC()
	resetPeakRSS()
	before, _ := procStatus("VmRSS")
	sampler := startHeapSampler(2 * time.Millisecond)
	b.ResetTimer()
	var phases []string
	for range b.N {
		phases = uploadThroughProtocol(b, p, typ, cfg, size)
	}
	b.StopTimer()
	peakHeap, sys := sampler.stop()
	rss, rssOK := procStatus("VmHWM")

	b.ReportMetric(float64(peakHeap)/(1<<20), "peak-heap-MiB")
	if rssOK {
		b.ReportMetric(float64(rss)/(1<<20), "peak-rss-MiB")
	}
	b.Logf("file %d MiB; provider process: peak Go heap in use %.1f MiB, Go memory from the OS %.1f MiB, peak RSS %s (%.1f MiB before); %s",
		size>>20, float64(peakHeap)/(1<<20), float64(sys)/(1<<20), rssText(rss, rssOK), float64(before)/(1<<20), strings.Join(phases, ", "))
	peak, what := peakHeap, "peak Go heap"
	if rssOK {
		peak, what = rss, "peak RSS"
	}
	if peak >= benchPeakLimit {
		b.Errorf("%s of the provider process is %.1f MiB for a %d MiB file, want under %d MiB: something buffers the content",
			what, float64(peak)/(1<<20), size>>20, benchPeakLimit>>20)
	}
}

// uploadThroughProtocol makes the calls Terraform makes for an
// ezitxt_media of cfg created, refreshed and planned again, checks the
// answers, and returns how long each phase took.
func uploadThroughProtocol(b *testing.B, p *acctest.Protocol, typ tftypes.Type, cfg *tfprotov6.DynamicValue, size int64) []string {
	b.Helper()
	ctx := context.Background()
	null := protoValue(b, typ, nil)
	var phases []string
	timed := func(name string, f func() []*tfprotov6.Diagnostic) {
		start := time.Now()
		diags := f()
		if acctest.HasError(diags) {
			b.Fatalf("%s: %s", name, acctest.FormatDiagnostics(diags))
		}
		phases = append(phases, fmt.Sprintf("%s %.1fs", name, time.Since(start).Seconds()))
	}

	timed("validate", func() []*tfprotov6.Diagnostic {
		resp, err := p.Server.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: "ezitxt_media", Config: cfg})
		mustBench(b, err)
		return resp.Diagnostics
	})
	var planned *tfprotov6.DynamicValue
	timed("plan (look)", func() []*tfprotov6.Diagnostic {
		resp, err := p.Server.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
			TypeName: "ezitxt_media", PriorState: null, ProposedNewState: cfg, Config: cfg,
		})
		mustBench(b, err)
		planned = resp.PlannedState
		return resp.Diagnostics
	})
	var created *tfprotov6.DynamicValue
	timed("apply (upload)", func() []*tfprotov6.Diagnostic {
		resp, err := p.Server.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{
			TypeName: "ezitxt_media", PriorState: null, PlannedState: planned, Config: cfg,
		})
		mustBench(b, err)
		created = resp.NewState
		return resp.Diagnostics
	})
	var refreshed *tfprotov6.DynamicValue
	timed("refresh (download)", func() []*tfprotov6.Diagnostic {
		resp, err := p.Server.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: "ezitxt_media", CurrentState: created})
		mustBench(b, err)
		refreshed = resp.NewState
		return resp.Diagnostics
	})
	timed("plan again (hash)", func() []*tfprotov6.Diagnostic {
		resp, err := p.Server.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
			TypeName: "ezitxt_media", PriorState: refreshed, ProposedNewState: refreshed, Config: cfg,
		})
		mustBench(b, err)
		if len(resp.RequiresReplace) > 0 {
			b.Errorf("the second plan replaces %v", resp.RequiresReplace)
		}
		return resp.Diagnostics
	})

	st := attrsOf(b, typ, refreshed)
	if st["size_bytes"] != strconv.FormatInt(size, 10) || st["mime_type"] != "video/mp4" || st["id"] == "<null>" {
		b.Fatalf("refreshed state %v: want %d bytes of video/mp4 with an id", st, size)
	}
	// The upload records the hash of what it sent.
	if cr := attrsOf(b, typ, created); cr["sha256"] != st["sha256"] || cr["sha256"] == "<unknown>" {
		b.Fatalf("created with sha256 %s, the API has %s", cr["sha256"], st["sha256"])
	}
	return phases
}

func mustBench(b *testing.B, err error) {
	b.Helper()
	if err != nil {
		b.Fatal(err)
	}
}

// attrsOf is protoAttrs for a testing.TB.
func attrsOf(b *testing.B, typ tftypes.Type, dv *tfprotov6.DynamicValue) map[string]string {
	b.Helper()
	m, err := decodeProtoAttrs(typ, dv)
	if err != nil {
		b.Fatal(err)
	}
	return m
}

// writeRandomFile writes size pseudo-random bytes, 1 MiB at a time.
func writeRandomFile(b *testing.B, name string, size int64) {
	b.Helper()
	f, err := os.Create(name) //nolint:gosec // the benchmark's own temporary file
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.NewChaCha8([32]byte{'e', 'z', 'i', 't', 'x', 't'})
	if _, err := io.CopyN(f, rng, size); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
}

// startMockProcess runs ezitxt-mock as a separate process with the media
// size limit raised and uploads spooled under dir, and returns its base URL.
// It stops the process when b ends.
func startMockProcess(b *testing.B, dir string, size int64) string {
	b.Helper()
	bin := os.Getenv(envBenchMockBin)
	if bin == "" {
		bin = filepath.Join(dir, "ezitxt-mock")
		build := exec.CommandContext(b.Context(), "go", "build", "-o", bin, "github.com/ezitxt/terraform-provider-ezitxt/cmd/ezitxt-mock") //nolint:gosec // bin is the benchmark's temporary folder
		if out, err := build.CombinedOutput(); err != nil {
			b.Fatalf("building ezitxt-mock: %v\n%s", err, out)
		}
	}
	mediaDir := filepath.Join(dir, "mock-media")
	if err := os.Mkdir(mediaDir, 0o750); err != nil {
		b.Fatal(err)
	}
	// b.Context is cancelled when the benchmark ends: the mock then gets an
	// interrupt, and is killed if it has not stopped 10s later.
	p, err := mockapi.StartProcess(b.Context(), bin, "-sources", acctest.Source,
		"-max-media-bytes", strconv.FormatInt(size+1<<20, 10), "-media-dir", mediaDir)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		if err := p.Stop(); err != nil {
			b.Logf("ezitxt-mock stopped: %v", err)
		}
	})
	return p.URL
}

// heapSampler records the peak of runtime.MemStats.HeapInuse.
type heapSampler struct {
	mu   sync.Mutex
	peak uint64
	sys  uint64
	done chan struct{}
	wg   sync.WaitGroup
}

func startHeapSampler(every time.Duration) *heapSampler {
	s := &heapSampler{done: make(chan struct{})}
	s.sample()
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-s.done:
				return
			case <-t.C:
				s.sample()
			}
		}
	}()
	return s
}

func (s *heapSampler) sample() {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	s.mu.Lock()
	s.peak = max(s.peak, m.HeapInuse)
	s.sys = max(s.sys, m.Sys)
	s.mu.Unlock()
}

// stop ends sampling and returns the peak heap in use and the peak of the
// memory the Go runtime obtained from the OS.
func (s *heapSampler) stop() (peak, sys uint64) {
	close(s.done)
	s.wg.Wait()
	s.sample()
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.peak, s.sys
}

// resetPeakRSS resets the process's VmHWM to its current RSS (Linux).
func resetPeakRSS() {
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// procStatus returns a memory field of /proc/self/status, such as VmHWM
// (the peak resident set size) or VmRSS, in bytes (Linux).
func procStatus(field string) (uint64, bool) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			kb, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10, err == nil
		}
	}
	return 0, false
}

func rssText(rss uint64, ok bool) string {
	if !ok {
		return "unavailable"
	}
	return fmt.Sprintf("%.1f MiB", float64(rss)/(1<<20))
}
