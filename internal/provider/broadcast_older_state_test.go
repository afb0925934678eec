package provider_test

import (
	"encoding/json"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/acctest"
)

// TestBroadcast_upgradeOlderAttributeSets: states as older releases wrote them,
// with fewer attributes than the schema versions' prior schemas (which the
// upgraders derive from the current schema): version 0 from before
// unknown_count and unsent_count (8316a12), and version 1 with a media
// object from before media.media_id. Each upgrades, with the counts derived
// from results.
func TestBroadcast_upgradeOlderAttributeSets(t *testing.T) {
	t.Parallel()
	v0 := map[string]any{
		"id": "5c1e4a8e-0000-4000-8000-000000000001", "source": acctest.Source,
		"destinations": []string{"+6421000001", "+6421000002"},
		"text":         map[string]any{"body": "hi"},
		"results": map[string]any{
			"+6421000001": map[string]any{"id": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "status": "read", "error": nil},
		},
		"accepted_count": 1, "failed_count": 0,
	}
	got := upgradeFrom(t, "ezitxt_broadcast", 0, v0)
	for name, want := range map[string]int64{"accepted_count": 1, "unknown_count": 0, "unsent_count": 1} {
		if !got[name].Equal(tftypes.NewValue(tftypes.Number, want)) {
			t.Errorf("version 0 without the newer counts: %s = %v, want %d", name, got[name], want)
		}
	}
	v1Results, err := json.Marshal(map[string]any{"+6421000001": map[string]any{"id": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "status": "sent"}})
	if err != nil {
		t.Fatal(err)
	}
	v1 := map[string]any{
		"id": "5c1e4a8e-0000-4000-8000-000000000002", "source": acctest.Source,
		"destinations":   []string{"+6421000001"},
		"media":          map[string]any{"type": "image", "url": "https://example.com/a.png"},
		"results":        string(v1Results),
		"failed":         map[string]any{},
		"accepted_count": 1, "failed_count": 0, "unknown_count": 0, "unsent_count": 0,
	}
	got = upgradeFrom(t, "ezitxt_broadcast", 1, v1)
	var results map[string]tftypes.Value
	if err := got["results"].As(&results); err != nil || upStr(t, results["+6421000001"]) != "sent 3fa85f64-5717-4562-b3fc-2c963f66afa6" {
		t.Errorf("version 1 with media from before media_id: results %v (%v)", got["results"], err)
	}
}
