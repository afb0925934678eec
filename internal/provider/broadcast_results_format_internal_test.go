package provider

import (
	"regexp"
	"slices"
	"testing"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/client"
)

// TestBroadcast_resultsDescriptionStatuses: the examples of a results entry in
// its description ("such as `STATUS ID`") use a status the API reports
// (or the provider's own "unknown"), since users match on it.
func TestBroadcast_resultsDescriptionStatuses(t *testing.T) {
	t.Parallel()
	example := regexp.MustCompile("`([a-z]+) [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`")
	known := append(client.MessageStatus("").Values(), statusUnknown)
	matches := example.FindAllStringSubmatch(resultsDescription, -1)
	if len(matches) == 0 {
		t.Fatal("the description of results has no example entry")
	}
	for _, m := range matches {
		if !slices.Contains(known, m[1]) {
			t.Errorf("the description of results gives the example %s, whose status %q the API never reports (statuses: %v)", m[0], m[1], known)
		}
	}
}

// TestBroadcast_resultTextRoundTripsAPIValues: an entry reads back as the API
// answered it, whatever its reason holds. (A status or an ID with a space
// would not: the API reports IDs as UUIDs and statuses from a fixed list.)
func TestBroadcast_resultTextRoundTripsAPIValues(t *testing.T) {
	t.Parallel()
	for _, r := range []deliveryResult{
		{Status: "", ID: "3fa85f64-5717-4562-b3fc-2c963f66afa6"},
		{Status: "failed", ID: "", Error: "blocked"},
		{Status: "failed", ID: "", Error: ""},
		{Status: "failed", ID: "x", Error: " leading space"},
		{Status: "failed", ID: "x", Error: "line\nbreak ✓"},
	} {
		if got := parseResult(r.text()); got != r {
			t.Errorf("parseResult(%q) = %+v, want %+v", r.text(), got, r)
		}
	}
}
