package provider_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/acctest"
	"github.com/ezitxt/terraform-provider-ezitxt/internal/mockapi"
)

// TestAccBroadcast_upgradeFromJSONResults: state of a broadcast written by
// the provider before results became a map (schema version 1, results one
// JSON string) is upgraded by the next plan, through the CLI, with a data
// source, an output and a for_each reading results: the plan is empty,
// nothing is sent, a refresh keeps every message ID, and a later change
// sends to the new number only.
func TestAccBroadcast_upgradeFromJSONResults(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	c := e.AnyCLI(t, tfversion.Version1_5_0)
	config := func(numbers string) string {
		return `
variable "numbers" {
  default = ` + numbers + `
}

resource "ezitxt_broadcast" "b" {
  source       = "` + acctest.Source + `"
  destinations = var.numbers
  text         = { body = "Upgraded" }
}

data "ezitxt_messages" "sent" {
  ids = [for v in values(ezitxt_broadcast.b.results) : split(" ", v)[1]]
}

resource "terraform_data" "per_number" {
  for_each = toset(var.numbers)
  input    = split(" ", ezitxt_broadcast.b.results[each.key])[1]
}

output "statuses" {
  value = { for n, v in ezitxt_broadcast.b.results : n => data.ezitxt_messages.sent.messages[split(" ", v)[1]].status }
}
`
	}
	c.WriteConfig(config(`["+6422300001", "+6422300002", "+6422300003"]`))
	c.MustRun("apply", "-auto-approve")
	statePath := filepath.Join(c.Dir, "terraform.tfstate")
	raw, err := os.ReadFile(statePath) //nolint:gosec // G304: the state file in the test's temporary folder
	if err != nil {
		t.Fatal(err)
	}
	// Write it back as version 1 kept it.
	ids := map[string]string{}
	v1 := rewriteInstance(t, raw, "ezitxt_broadcast", func(inst map[string]json.RawMessage, attrs map[string]json.RawMessage) {
		var results map[string]string
		if err := json.Unmarshal(attrs["results"], &results); err != nil {
			t.Fatal(err)
		}
		type entry struct {
			ID     string `json:"id"`
			Status string `json:"status"`
		}
		old := map[string]entry{}
		for n, v := range results {
			status, id, _ := strings.Cut(v, " ")
			old[n] = entry{ID: id, Status: status}
			ids[n] = id
		}
		text, err := json.Marshal(old)
		if err != nil {
			t.Fatal(err)
		}
		if attrs["results"], err = json.Marshal(string(text)); err != nil {
			t.Fatal(err)
		}
		inst["schema_version"] = json.RawMessage("1")
	})
	if len(ids) != 3 {
		t.Fatalf("state has %d results, want 3", len(ids))
	}
	if err := os.WriteFile(statePath, v1, 0o600); err != nil { //nolint:gosec // G703: the state file in the test's temporary folder
		t.Fatal(err)
	}
	sends := e.Mock.Stats().ByEndpoint[mockapi.EndpointBroadcast]

	if out, err := c.Run("plan", "-detailed-exitcode"); err != nil {
		t.Fatalf("the plan after the upgrade is not empty or failed: %v\n%s", err, out)
	}
	c.MustRun("apply", "-refresh-only", "-auto-approve")
	raw, err = os.ReadFile(statePath) //nolint:gosec // G304: the state file in the test's temporary folder
	if err != nil {
		t.Fatal(err)
	}
	rewriteInstance(t, raw, "ezitxt_broadcast", func(inst map[string]json.RawMessage, attrs map[string]json.RawMessage) {
		var version int
		var results map[string]string
		if err := json.Unmarshal(inst["schema_version"], &version); err != nil || version != 2 {
			t.Errorf("schema_version %s after the refresh, want 2", inst["schema_version"])
		}
		if err := json.Unmarshal(attrs["results"], &results); err != nil {
			t.Fatalf("results after the upgrade: %v (%s)", err, attrs["results"])
		}
		for n, id := range ids {
			if _, got, _ := strings.Cut(results[n], " "); got != id {
				t.Errorf("results[%s] = %q, want the message ID %s kept", n, results[n], id)
			}
		}
	})
	if got := e.Mock.Stats().ByEndpoint[mockapi.EndpointBroadcast]; got != sends {
		t.Errorf("%d broadcast requests after the upgrade, want none", got-sends)
	}

	// A number added later is the only one sent to.
	c.WriteConfig(config(`["+6422300001", "+6422300002", "+6422300003", "+6422300004"]`))
	out := c.MustRun("apply", "-auto-approve")
	if !strings.Contains(out, "+6422300004") {
		t.Errorf("the apply does not name the number added:\n%s", out)
	}
	expectSends(t, e.Mock, 4)
	if out, err := c.Run("plan", "-detailed-exitcode", "-refresh=false"); err != nil {
		t.Fatalf("plan after the change: %v\n%s", err, out)
	}
	c.MustRun("destroy", "-auto-approve")
}

// rewriteInstance returns the state file raw with edit applied to the first
// instance of the first resource of type typ (the instance's fields and its
// attributes).
func rewriteInstance(t *testing.T, raw []byte, typ string, edit func(inst, attrs map[string]json.RawMessage)) []byte {
	t.Helper()
	return rewriteState(t, raw, "type", typ, edit)
}

// rewriteState returns the state file raw with edit applied to the first
// instance of the first resource whose field key ("type" or "name") is value.
func rewriteState(t *testing.T, raw []byte, key, value string, edit func(inst, attrs map[string]json.RawMessage)) []byte {
	t.Helper()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	var doc map[string]json.RawMessage
	var resources []map[string]json.RawMessage
	must(json.Unmarshal(raw, &doc))
	must(json.Unmarshal(doc["resources"], &resources))
	found := false
	for _, r := range resources {
		var v string
		must(json.Unmarshal(r[key], &v))
		if v != value {
			continue
		}
		var instances []map[string]json.RawMessage
		var attrs map[string]json.RawMessage
		must(json.Unmarshal(r["instances"], &instances))
		must(json.Unmarshal(instances[0]["attributes"], &attrs))
		edit(instances[0], attrs)
		var err error
		instances[0]["attributes"], err = json.Marshal(attrs)
		must(err)
		r["instances"], err = json.Marshal(instances)
		must(err)
		found = true
		break
	}
	if !found {
		t.Fatalf("the state has no resource whose %s is %q", key, value)
	}
	var err error
	doc["resources"], err = json.Marshal(resources)
	must(err)
	out, err := json.Marshal(doc)
	must(err)
	return out
}
