package provider_test

import (
	"fmt"
	"testing"

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
