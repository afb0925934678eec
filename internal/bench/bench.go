// Package bench is the provider's benchmark suite (make bench): it drives the
// installed Terraform CLI, as a subprocess, against the provider built from
// this module and an out-of-process ezitxt-mock, runs each scenario several
// times, and reports medians, ratios and the noise seen (min and max), each
// against its budget. Figures are measured side by side with do-nothing
// baselines in the same run, alternating A B C A B C ..., so that machine
// noise hits all of them: terraform_data (Terraform alone) and the
// resources of a do-nothing provider on the same plugin framework with the
// same schemas (internal/cmd/bench/nullprovider).
//
// The provider's peak memory is measured honestly, as a separate process:
// Terraform starts a small wrapper (internal/cmd/bench/rsswrap, see Wrap) where it
// expects the provider, and the wrapper runs the real provider as its child
// and records the child's peak RSS and CPU time when it exits.
//
// See README.md for the scenarios, the budgets and how to run it.
package bench

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"
)

// Sizes are the counts of one run of the suite.
type Sizes struct {
	Name string
	// Overhead is the number of resources of the overhead scenario,
	// Latency of the latency-bound one, Broadcast the broadcast's numbers,
	// RateLimited the messages sent under the rate limit, SmallBurst the
	// messages sent under each limit with a small burst, LimitedRefresh the
	// numbers of the broadcast refreshed under one, MediaMiB the size of the
	// media file, PlanChange the numbers of the broadcast whose change is
	// planned (and whose state is upgraded).
	Overhead, Latency, Broadcast, RateLimited, SmallBurst, LimitedRefresh, MediaMiB, PlanChange int
	// Runs is the number of measured runs of the overhead and latency
	// scenarios (each after one warm-up run); HeavyRuns of the others.
	Runs, HeavyRuns int
}

// Full are the sizes of make bench; Small those of make bench-ci. The
// broadcast stays at 3,000 numbers in Small: below that, the fixed cost of
// a refresh (process start, state handling) is a large part of a budget
// that scales with the number of status reads, and a run on an idle
// machine missed it at 1,000 (0.50s against 0.47s) while meeting it at full
// size.
var (
	Full  = Sizes{Name: "full", Overhead: 200, Latency: 500, Broadcast: 10000, RateLimited: 1000, SmallBurst: 200, LimitedRefresh: 1000, MediaMiB: 200, PlanChange: 1000, Runs: 5, HeavyRuns: 3}
	Small = Sizes{Name: "small", Overhead: 50, Latency: 100, Broadcast: 3000, RateLimited: 500, SmallBurst: 100, LimitedRefresh: 300, MediaMiB: 20, PlanChange: 1000, Runs: 3, HeavyRuns: 3}
)

// Fixed parameters of the scenarios.
const (
	// Parallelism is Terraform's default -parallelism.
	Parallelism = 10
	// SendLatency is the mock latency of the latency-bound scenario.
	SendLatency = 20 * time.Millisecond
	// BroadcastLatency is the mock latency of the broadcast scenario.
	BroadcastLatency = 5 * time.Millisecond
	// RefreshConcurrency is how many statuses the provider reads at once
	// when it refreshes a broadcast (provider.defaultConcurrency; a test in
	// internal/provider keeps the two equal).
	RefreshConcurrency = 16
	// RateLimit is the mock's limit in the rate-limit scenario, requests
	// per second, with a burst of as many.
	RateLimit = 50
	// SmallBurstRate is the mock's limit in the small-burst scenario,
	// requests per second, with each of SmallBursts.
	SmallBurstRate = 10
	// LimitedRefreshRate and LimitedRefreshBurst are the mock's limit while
	// the small-burst scenario refreshes a broadcast.
	LimitedRefreshRate  = 20
	LimitedRefreshBurst = 5
	// Source is the sending number registered on the mock.
	Source = "15550001111"
)

// Budgets, each a ratio to a floor measured in the same run where it is one.
// A budget marked as a target (AsTarget: against Terraform alone, or a
// nominal limit that the machine may not reach) is printed and enforced
// only with -strict.
const (
	// OverheadBudget bounds ezitxt / benchnull_message wall time (the
	// do-nothing provider with the same schema).
	OverheadBudget = 1.1
	// OverheadOldBudget bounds ezitxt / ezitxt at OldCommit wall time.
	OverheadOldBudget = 0.92
	// LatencyBudget bounds apply / floor, the floor being the sends'
	// latency at Terraform's parallelism plus the apply of as many
	// terraform_data (a target) or benchnull resources.
	LatencyBudget = 1.3
	// BroadcastApplyMax bounds the broadcast's apply, in seconds.
	BroadcastApplyMax = 10.0
	// RefreshBudget bounds a broadcast's refresh / the same status reads
	// by a bare net/http client at the provider's concurrency.
	RefreshBudget = 1.6
	// RefreshOldBudget bounds a broadcast's refresh / the same by the
	// provider at OldCommit.
	RefreshOldBudget = 0.7
	// BroadcastPlanBudget bounds a broadcast's no-op plan / that of a
	// terraform_data holding the same destinations.
	BroadcastPlanBudget = 1.25
	// BroadcastStateMax bounds the broadcast's state, in bytes (1.3 MB).
	BroadcastStateMax = 1.3e6
	// BroadcastRSSMax bounds the provider's memory for the broadcast.
	BroadcastRSSMax = 150 << 20
	// PlanLinesMax bounds the lines of the plan of a 1-in-1-out change to
	// a broadcast, from "Terraform will perform" to "Plan:".
	PlanLinesMax = 40
	// RateUseMin is the least share, in percent, of the shortest send
	// window that the limit and the machine's own pace allow (a budget),
	// and of the rate the limit allows (a target: at 1,000 messages this
	// machine's Terraform sends slower than the limit for most of an apply).
	RateUseMin = 90.0
	// MediaRSSMax bounds the provider's memory for the 200 MB media.
	MediaRSSMax = 64 << 20

	mib = float64(1 << 20)
)

// Scenarios lists the scenario names, in the order they run.
var Scenarios = []string{"overhead", "latency", "broadcast", "chunked", "planchange", "upgrade", "ratelimit", "smallburst", "media"}

// SmallBursts are the bursts of the small-burst scenario.
var SmallBursts = []int{1, 2, 5}

// Config configures Run.
type Config struct {
	// Root is the module's root folder; Work the benchmark's folder
	// (emptied first); Terraform the CLI binary.
	Root, Work, Terraform string
	Sizes                 Sizes
	// Only lists the scenarios to run; all when empty.
	Only []string
	// Out receives the report.
	Out io.Writer
	// Strict fails on missed targets too (see Budget.Target).
	Strict bool
}

// Run builds everything, runs the scenarios and returns the report. The
// error is about the benchmark itself; missed budgets are in the report.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	for _, s := range cfg.Only {
		if !slices.Contains(Scenarios, s) {
			return nil, fmt.Errorf("unknown scenario %q (scenarios: %s)", s, strings.Join(Scenarios, ", "))
		}
	}
	if err := os.RemoveAll(cfg.Work); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(cfg.Work, 0o750); err != nil {
		return nil, err
	}
	logf(cfg.Out, "building the provider, ezitxt-mock and the memory wrapper into %s", cfg.Work)
	tc, err := Build(ctx, cfg.Root, cfg.Work, cfg.Terraform)
	if err != nil {
		return nil, err
	}
	s := &suite{tc: tc, sz: cfg.Sizes, out: cfg.Out, rep: NewReport(cfg.Out)}
	s.rep.Strict = cfg.Strict
	logf(cfg.Out, "sizes %q; %s; %d CPUs; load average %s", cfg.Sizes.Name, cliVersion(ctx, cfg.Terraform), numCPU(), loadAvg())
	for _, name := range Scenarios {
		if len(cfg.Only) > 0 && !slices.Contains(cfg.Only, name) {
			continue
		}
		run := map[string]func(context.Context) ([]Figure, error){
			"overhead": s.overhead, "latency": s.latency, "broadcast": s.broadcast, "chunked": s.chunked, "planchange": s.planChange, "upgrade": s.upgrade,
			"ratelimit": s.rateLimit, "smallburst": s.smallBurst, "media": s.media,
		}[name]
		logf(cfg.Out, "scenario %s (load average %s)", name, loadAvg())
		start := time.Now()
		figs, err := run(ctx)
		if err != nil {
			figs = append(figs, Figure{Scenario: name, Name: "scenario", Err: oneLine(err)})
			_, _ = fmt.Fprintf(cfg.Out, "%v\n", err)
		}
		s.rep.Add(figs...)
		logf(cfg.Out, "scenario %s took %s (load average %s)", name, time.Since(start).Round(time.Second), loadAvg())
		if ctx.Err() != nil {
			return s.rep, ctx.Err()
		}
	}
	return s.rep, nil
}

type suite struct {
	tc  *Toolchain
	sz  Sizes
	out io.Writer
	rep *Report
}

// logf prints a comment line of the report.
func logf(w io.Writer, format string, args ...any) {
	_, _ = fmt.Fprintf(w, "# "+format+"\n", args...)
}

// oneLine keeps the first line of an error for the figure, the rest is
// printed above it.
func oneLine(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}

func secs(d time.Duration) float64 { return d.Seconds() }
