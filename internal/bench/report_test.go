package bench

import (
	"bytes"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/mockapi"
)

func TestMedian(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   []float64
		want float64
	}{
		{[]float64{3}, 3},
		{[]float64{5, 1, 3}, 3},
		{[]float64{4, 1, 3, 2}, 2.5},
	} {
		if got := Median(tc.in); got != tc.want {
			t.Errorf("Median(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
	if !math.IsNaN(Median(nil)) {
		t.Error("Median(nil) is not NaN")
	}
	in := []float64{3, 1, 2}
	Median(in)
	if in[0] != 3 {
		t.Error("Median sorted its argument")
	}
}

func TestRatiosAndSums(t *testing.T) {
	t.Parallel()
	if got := Ratios([]float64{2, 3, 4}, []float64{1, 0, 2}); len(got) != 2 || got[0] != 2 || got[1] != 2 {
		t.Errorf("Ratios = %v, want [2 2] (the pair with a zero skipped)", got)
	}
	if got := Sums([]float64{1, 2}, []float64{3, 4, 5}); len(got) != 2 || got[0] != 4 || got[1] != 6 {
		t.Errorf("Sums = %v", got)
	}
}

func TestBudgets(t *testing.T) {
	t.Parallel()
	f := Sampled("s", "apply", Seconds, []float64{2, 1, 3})
	if f.Value != 2 || f.Min != 1 || f.Max != 3 || f.N != 3 {
		t.Fatalf("figure = %+v", f)
	}
	if f.With(Max(2, "")).Failed(false) || !f.With(Max(1.9, "")).Failed(false) {
		t.Error("at-most budget misjudged")
	}
	if f.With(Min(2, "")).Failed(false) || !f.With(Min(2.1, "")).Failed(false) {
		t.Error("at-least budget misjudged")
	}
	if !Single("s", "x", Count, math.NaN()).With(Max(1, "")).Failed(false) {
		t.Error("a missing value met its budget")
	}
	if !(Figure{Scenario: "s", Name: "scenario", Err: "boom"}).Failed(false) {
		t.Error("a figure with an error did not fail")
	}
	if (Figure{Scenario: "s", Name: "no budget", Value: 1e9}).Failed(false) {
		t.Error("a figure without a budget failed")
	}
	target := f.With(Max(1, "").AsTarget())
	if target.Failed(false) || !target.Failed(true) {
		t.Error("a missed target fails only when strict")
	}
	if !strings.Contains(target.Line(), "target <= 1.000s  not met") {
		t.Errorf("line %q", target.Line())
	}
}

func TestReportLines(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	r := NewReport(&out)
	r.Add(
		Sampled("overhead/200", "ratio", Ratio, []float64{1.2, 1.1, 1.4}).With(Max(1.3, "why")),
		Sampled("media/200MiB", "peak", MiB, []float64{70}).With(Max(64, "")),
		Single("broadcast/10000", "state size", Bytes, 2090971),
	)
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d lines:\n%s", len(lines), out.String())
	}
	for i, want := range [][]string{
		{"overhead/200", "ratio", "1.200x", "[min 1.100x, max 1.400x, n=3]", "budget <= 1.300x (why)", "ok"},
		{"media/200MiB", "70.0MiB", "budget <= 64.0MiB", "MISSED"},
		{"broadcast/10000", "state size", "2090971B"},
	} {
		for _, part := range want {
			if !strings.Contains(lines[i], part) {
				t.Errorf("line %d %q lacks %q", i, lines[i], part)
			}
		}
	}
	if missed := r.Missed(); len(missed) != 1 || missed[0].Scenario != "media/200MiB" {
		t.Errorf("missed = %+v", missed)
	}
}

func TestSendWindow(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	reqs := []mockapi.Request{
		{Time: t0.Add(time.Second), Endpoint: mockapi.EndpointSendMessage, Status: 429},
		{Time: t0, Endpoint: mockapi.EndpointGetMessage, Status: 200},
		{Time: t0.Add(2 * time.Second), Endpoint: mockapi.EndpointSendMessage, Status: 202},
		{Time: t0.Add(5 * time.Second), Endpoint: mockapi.EndpointSendMessage, Status: 202},
		{Time: t0.Add(6 * time.Second), Endpoint: mockapi.EndpointSendMessage, Status: 429},
	}
	if w, ok := sendWindow(reqs); !ok || w != 4*time.Second {
		t.Errorf("window = %v, %v; want 4s (first send to last accepted one)", w, ok)
	}
	if _, ok := sendWindow(reqs[:2]); ok {
		t.Error("a window without accepted sends")
	}
}

func TestAchievableWindow(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	// An unlimited apply that sends 100 requests 1 ms apart, then slows to
	// 20 more 100 ms apart.
	var free []time.Time
	at := t0
	for k := range 120 {
		if k > 0 {
			at = at.Add(map[bool]time.Duration{true: time.Millisecond, false: 100 * time.Millisecond}[k < 100])
		}
		free = append(free, at)
	}
	// Against 50/s with a burst of 50, the 100th send waits for its token
	// until 1 s, and the slow ones after it take 100 ms each: 3 s.
	if got := achievableWindow(free, 50, 50); got < 2999*time.Millisecond || got > 3001*time.Millisecond {
		t.Errorf("window = %v, want 3s", got)
	}
	// Without a limit worth the name, the machine's own pace: 2.099 s.
	if got := achievableWindow(free, 1e6, 1); got < 2098*time.Millisecond || got > 2100*time.Millisecond {
		t.Errorf("window = %v, want 2.099s", got)
	}
	if got := achievableWindow(free[:1], 50, 50); got != 0 {
		t.Errorf("one send: window = %v, want 0", got)
	}
}
