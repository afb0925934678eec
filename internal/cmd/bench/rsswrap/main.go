// Command rsswrap stands in for the provider binary during make bench: it
// runs the real provider as its child and records the child's peak resident
// set size when it exits (see bench.Wrap).
package main

import (
	"os"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/bench"
)

func main() {
	os.Exit(bench.Wrap(os.Args[1:], os.Stderr))
}
