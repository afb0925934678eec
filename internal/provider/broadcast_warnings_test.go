package provider_test

import (
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/acctest"
)

// TestProtocolBroadcast_manyRemovedAndListedTwice: twelve numbers removed
// are summarized (the first ten, sorted, and "2 more"); a new number listed
// twice is named and counted once.
func TestProtocolBroadcast_manyRemovedAndListedTwice(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	d := newResourceDriver(t, e, "ezitxt_broadcast")
	var numbers []string
	for i := 12; i >= 0; i-- { // reverse order: the warning sorts them
		numbers = append(numbers, fmt.Sprintf("+64219007%02d", i))
	}
	state, _ := d.create(textBroadcast(numbers, "hello"))
	expectSends(t, e.Mock, 13)
	cfg := textBroadcast([]string{"+6421900799", "+6421900700", "+6421900799"}, "hello")
	plan := d.plan(state, cfg)
	expectWarning(t, plan.Diagnostics, "Broadcast Sends to Numbers Not Sent to Yet",
		"1 number has no outcome yet: +6421900799. Apply sends the broadcast ", " to it.",
		"The other number has an outcome already",
		"12 numbers are removed from destinations: +6421900701, +6421900702, +6421900703, +6421900704, +6421900705, "+
			"+6421900706, +6421900707, +6421900708, +6421900709, +6421900710 and 2 more.")
}

// TestProtocolBroadcast_newNumbersAfterTheSchedule: numbers added to a
// broadcast whose scheduled time has passed receive it at once, and the
// plan says so, with the count in words that agree with it.
func TestProtocolBroadcast_newNumbersAfterTheSchedule(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	start := time.Now()
	var late atomic.Bool // the provider's clock, 3 hours on once set
	e.Options.Now = func() time.Time {
		if late.Load() {
			return time.Now().Add(3 * time.Hour)
		}
		return time.Now()
	}
	d := newResourceDriver(t, e, "ezitxt_broadcast")
	at := start.Add(2 * time.Hour).UTC().Format(time.RFC3339)
	scheduled := func(numbers ...string) map[string]any {
		cfg := textBroadcast(numbers, "hello")
		cfg["scheduled"] = at
		return cfg
	}
	state, diags := d.create(scheduled("+6421900040"))
	if acctest.HasError(diags) {
		t.Fatal(acctest.FormatDiagnostics(diags))
	}
	plan := d.plan(state, scheduled("+6421900040", "+6421900041"))
	for _, dg := range plan.Diagnostics {
		if dg.Summary == "New Destinations Are Sent Immediately" {
			t.Errorf("warned before the scheduled time: %s", dg.Detail)
		}
	}
	late.Store(true)
	plan = d.plan(state, scheduled("+6421900040", "+6421900041"))
	expectWarning(t, plan.Diagnostics, "New Destinations Are Sent Immediately",
		"which has passed, so 1 number not sent to yet receives it as soon as it is applied.")
	plan = d.plan(state, scheduled("+6421900040", "+6421900041", "+6421900042"))
	expectWarning(t, plan.Diagnostics, "New Destinations Are Sent Immediately",
		"so 2 numbers not sent to yet receive it as soon as it is applied.")
	expectSends(t, e.Mock, 1)
}
