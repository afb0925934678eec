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
// results holds a string (the JSON text version 1 of the schema kept, but
// without that version's number) fails the next plan with a diagnostic that
// names the resource and says what to do, as before state passed through,
// not with Terraform's bare ".results: map of string required"; a second
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
	good, err := os.ReadFile(filepath.Join(c.Dir, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	edited := editState(t, good, "edited", func(attrs map[string]json.RawMessage) {
		var results map[string]string
		if err := json.Unmarshal(attrs["results"], &results); err != nil {
			t.Fatal(err)
		}
		text, err := json.Marshal(results)
		if err != nil {
			t.Fatal(err)
		}
		attrs["results"], err = json.Marshal(string(text)) // a string where the map belongs
		if err != nil {
			t.Fatal(err)
		}
	})
	if err := os.WriteFile(filepath.Join(c.Dir, "terraform.tfstate"), edited, 0o600); err != nil { //nolint:gosec // G703: the test's own state file
		t.Fatal(err)
	}
	out, err := c.Run("plan")
	if err == nil {
		t.Fatalf("plan with results edited into a string succeeded:\n%s", out)
	}
	for _, want := range []string{"Unable to Read Previously Saved State", "ezitxt_broadcast.edited", "manually modified"} {
		if !strings.Contains(out, want) {
			t.Errorf("plan output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "with ezitxt_broadcast.other") {
		t.Errorf("the error names the broadcast left alone:\n%s", out)
	}
	if err := os.WriteFile(filepath.Join(c.Dir, "terraform.tfstate"), good, 0o600); err != nil { //nolint:gosec // G703: the state file in the test's temporary folder
		t.Fatal(err)
	}
	c.MustRun("plan", "-detailed-exitcode")
	c.MustRun("destroy", "-auto-approve")
}

// editState returns the state file raw with edit applied to the attributes
// of the first instance of the resource named name.
func editState(t *testing.T, raw []byte, name string, edit func(map[string]json.RawMessage)) []byte {
	t.Helper()
	return rewriteState(t, raw, "name", name, func(_, attrs map[string]json.RawMessage) { edit(attrs) })
}
