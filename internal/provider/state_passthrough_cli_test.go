package provider_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/acctest"
)

// TestAccBroadcast_stateEditedWithWrongKind: state edited by hand so that
// results holds an object fails the next plan with a diagnostic that names
// the resource and says what to do, as before state passed through, not
// with Terraform's bare ".results: string is required"; a second
// broadcast beside it is untouched, and the plan passes once the state is
// put back.
func TestAccBroadcast_stateEditedWithWrongKind(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	c := e.AnyCLI(t, tfversion.Version1_5_0)
	c.WriteConfig(`
resource "ezitxt_broadcast" "edited" {
  source       = "` + acctest.Source + `"
  destinations = ["+6422100001", "+6422100002"]
  text         = { body = "Edited by hand" }
}

resource "ezitxt_broadcast" "other" {
  source       = "` + acctest.Source + `"
  destinations = ["+6422100003"]
  text         = { body = "Left alone" }
}

output "accepted" {
  value = ezitxt_broadcast.edited.accepted_count + ezitxt_broadcast.other.accepted_count
}
`)
	c.MustRun("apply", "-auto-approve")
	statePath := filepath.Join(c.Dir, "terraform.tfstate")
	good, err := os.ReadFile(statePath)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(good, &doc); err != nil {
		t.Fatal(err)
	}
	for _, r := range doc["resources"].([]any) {
		r := r.(map[string]any)
		if r["name"] != "edited" {
			continue
		}
		attrs := r["instances"].([]any)[0].(map[string]any)["attributes"].(map[string]any)
		var results map[string]any
		if err := json.Unmarshal([]byte(attrs["results"].(string)), &results); err != nil {
			t.Fatal(err)
		}
		attrs["results"] = results // an object where a JSON string belongs
	}
	edited, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(statePath, edited, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := c.Run("plan")
	if err == nil {
		t.Fatalf("plan with results edited into an object succeeded:\n%s", out)
	}
	for _, want := range []string{"Unable to Read Previously Saved State", "ezitxt_broadcast.edited", "manually modified"} {
		if !strings.Contains(out, want) {
			t.Errorf("plan output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "with ezitxt_broadcast.other") {
		t.Errorf("the error names the broadcast left alone:\n%s", out)
	}
	if err := os.WriteFile(statePath, good, 0o600); err != nil {
		t.Fatal(err)
	}
	c.MustRun("plan", "-detailed-exitcode")
	c.MustRun("destroy", "-auto-approve")
}
