// Command bench is the provider's benchmark suite, make bench: it runs the
// installed Terraform CLI against the provider built from this module and
// ezitxt-mock, prints every figure with its budget, one per line, and exits 1
// when a budget is missed (2 when the benchmark itself could not run).
//
//	go run ./internal/cmd/bench                      # full size (make bench)
//	go run ./internal/cmd/bench -scale small         # reduced counts (make bench-ci)
//	go run ./internal/cmd/bench -only overhead,media # some scenarios
//
// See internal/bench for the scenarios and budgets.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/bench"
)

func main() {
	os.Exit(run())
}

func run() int {
	scale := flag.String("scale", envOr("BENCH_SCALE", "full"), "sizes: full or small (BENCH_SCALE)")
	only := flag.String("only", envOr("BENCH_ONLY", ""), "comma-separated scenarios to run (BENCH_ONLY): "+strings.Join(bench.Scenarios, ", "))
	tf := flag.String("terraform", envOr("BENCH_TERRAFORM", "terraform"), "the Terraform CLI (BENCH_TERRAFORM)")
	work := flag.String("work", ".build/bench", "working folder (emptied first)")
	runs := flag.Int("runs", 0, "measured runs of the overhead and latency scenarios (0: the scale's)")
	heavyRuns := flag.Int("heavy-runs", 0, "measured runs of the other scenarios (0: the scale's)")
	strict := flag.Bool("strict", os.Getenv("BENCH_STRICT") != "", "fail on missed targets too: limits against Terraform alone or nominal figures (BENCH_STRICT)")
	flag.Parse()

	sizes := bench.Full
	switch *scale {
	case "full":
	case "small":
		sizes = bench.Small
	default:
		fmt.Fprintf(os.Stderr, "bench: -scale %q: want full or small\n", *scale)
		return 2
	}
	if *runs > 0 {
		sizes.Runs = *runs
	}
	if *heavyRuns > 0 {
		sizes.HeavyRuns = *heavyRuns
	}
	cli, err := exec.LookPath(*tf)
	if err != nil {
		fmt.Fprintf(os.Stderr, "bench: %v\n", err)
		return 2
	}
	root, err := os.Getwd()
	if err != nil {
		fmt.Fprintf(os.Stderr, "bench: %v\n", err)
		return 2
	}
	w, err := filepath.Abs(*work)
	if err != nil {
		fmt.Fprintf(os.Stderr, "bench: %v\n", err)
		return 2
	}
	var scenarios []string
	for _, s := range strings.Split(*only, ",") {
		if s = strings.TrimSpace(s); s != "" {
			scenarios = append(scenarios, s)
		}
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	rep, err := bench.Run(ctx, bench.Config{Root: root, Work: w, Terraform: cli, Sizes: sizes, Only: scenarios, Out: os.Stdout, Strict: *strict})
	if err != nil {
		fmt.Fprintf(os.Stderr, "bench: %v\n", err)
		return 2
	}
	if missed := rep.Missed(); len(missed) > 0 {
		fmt.Printf("\n%d of %d figures missed their budget or failed:\n", len(missed), len(rep.Figures))
		for _, f := range missed {
			fmt.Println(f.Line())
		}
		return 1
	}
	targets := 0
	for _, f := range rep.Figures {
		if f.Budget != nil && f.Budget.Target && !f.Budget.Met(f.Value) {
			targets++
		}
	}
	fmt.Printf("\nall %d figures within budget (%d targets not met; -strict fails on them)\n", len(rep.Figures), targets)
	return 0
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
