package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/bench"
)

// Benchmarks of the broadcast's helpers on 10,000 numbers, the size make
// bench's broadcast scenario runs: converting the destinations list and the
// results map between framework values and Go, and planning which numbers
// to send to.
//
//	go test ./internal/provider/ -run '^$' -bench 'Broadcast(Distinct|Results|Split)' -benchmem

const benchNumbers = 10000

func benchDestinations(b *testing.B) (types.List, []string) {
	b.Helper()
	numbers := make([]string, benchNumbers)
	elems := make([]attr.Value, benchNumbers)
	for i := range numbers {
		numbers[i] = fmt.Sprintf("+6422%07d", i)
		elems[i] = types.StringValue(numbers[i])
	}
	s, d := types.ListValue(types.StringType, elems)
	if d.HasError() {
		b.Fatal(d)
	}
	return s, numbers
}

func benchResults(numbers []string) map[string]deliveryResult {
	out := make(map[string]deliveryResult, len(numbers))
	for i, n := range numbers {
		out[n] = deliveryResult{ID: fmt.Sprintf("00000000-0000-4000-8000-%012d", i), Status: "accepted"}
	}
	return out
}

func BenchmarkBroadcastDistinctStrings(b *testing.B) {
	s, _ := benchDestinations(b)
	b.ReportAllocs()
	for b.Loop() {
		if got := distinctStrings(s.Elements()); len(got) != benchNumbers {
			b.Fatal(len(got))
		}
	}
}

func BenchmarkBroadcastResultsValue(b *testing.B) {
	_, numbers := benchDestinations(b)
	results := benchResults(numbers)
	b.ReportAllocs()
	for b.Loop() {
		if v, d := resultsValue(results, numbers); d.HasError() || v.counts.accepted != benchNumbers {
			b.Fatal(d, v.counts)
		}
	}
}

func BenchmarkBroadcastReadResults(b *testing.B) {
	_, numbers := benchDestinations(b)
	v, d := resultsValue(benchResults(numbers), numbers)
	if d.HasError() {
		b.Fatal(d)
	}
	b.ReportAllocs()
	for b.Loop() {
		if got := readResults(v.results); len(got) != benchNumbers {
			b.Fatal(len(got))
		}
	}
}

func BenchmarkBroadcastSplitDestinations(b *testing.B) {
	_, numbers := benchDestinations(b)
	results := benchResults(numbers[:benchNumbers/2])
	b.ReportAllocs()
	for b.Loop() {
		pending, _ := splitDestinations(numbers, results)
		if len(pending) != benchNumbers/2 {
			b.Fatal(len(pending))
		}
		_ = keepResults(results, numbers)
	}
}

// make bench computes the floor of a broadcast refresh from the number of
// statuses the provider reads at once: keep the two equal.
func TestBenchRefreshConcurrency(t *testing.T) {
	t.Parallel()
	if bench.RefreshConcurrency != defaultConcurrency {
		t.Errorf("bench.RefreshConcurrency = %d, provider defaultConcurrency = %d: update internal/bench", bench.RefreshConcurrency, defaultConcurrency)
	}
}
