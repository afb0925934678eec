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

// faultEditBroadcastState rewrites the state file of c: edit gets the
// broadcast instance and its attributes.
func faultEditBroadcastState(t *testing.T, c *acctest.CLI, edit func(inst, attrs map[string]json.RawMessage)) {
	t.Helper()
	p := filepath.Join(c.Dir, "terraform.tfstate")
	raw, err := os.ReadFile(p) //nolint:gosec // G304: the test's own state file
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, rewriteInstance(t, raw, "ezitxt_broadcast", edit), 0o600); err != nil { //nolint:gosec // G703: the test's own state file
		t.Fatal(err)
	}
}

// faultStateEditCase is a hand edit of a broadcast's state and what the next
// plan must do.
type faultStateEditCase struct {
	name string
	edit func(t *testing.T, inst, attrs map[string]json.RawMessage)
	// planErr: the plan fails, and its output has each of want.
	planErr bool
	want    []string
	// resend: the numbers the next apply may send to (again).
	resend []string
	// refreshFalse: plan and apply with -refresh=false.
	refreshFalse bool
	// check, when set, checks results after the apply.
	check func(t *testing.T, results map[string]string)
}

// faultStateEditNumbers are the numbers of the broadcast edited.
var faultStateEditNumbers = []string{"+6422800001", "+6422800002", "+6422800003"}

// setResult sets results[number] to the raw JSON value v.
func setResult(t *testing.T, attrs map[string]json.RawMessage, number string, v json.RawMessage) {
	t.Helper()
	var results map[string]json.RawMessage
	if err := json.Unmarshal(attrs["results"], &results); err != nil {
		t.Fatal(err)
	}
	results[number] = v
	b, err := json.Marshal(results)
	if err != nil {
		t.Fatal(err)
	}
	attrs["results"] = b
}

// runStateEditCases applies a three-number broadcast, edits its state per
// case, and runs plan and apply, checking that no number with a recorded
// message is sent to again and that every failure names the broadcast.
func runStateEditCases(t *testing.T, cases []faultStateEditCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := acctest.New(t)
			c := e.AnyCLI(t, tfversion.Version1_5_0)
			faultWriteMain(t, c, faultNumbersConfig(e, faultStateEditNumbers, `
output "outcomes" {
  value = length(ezitxt_broadcast.test.results)
}
`))
			c.MustRun("apply", "-auto-approve")
			faultEditBroadcastState(t, c, func(inst, attrs map[string]json.RawMessage) { tc.edit(t, inst, attrs) })
			var flags []string
			if tc.refreshFalse {
				flags = append(flags, "-refresh=false")
			}
			out, err := c.Run(append([]string{"plan"}, flags...)...)
			faultNoInconsistency(t, out)
			if tc.planErr != (err != nil) {
				t.Errorf("plan error %v, want an error: %v", err, tc.planErr)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("the plan output lacks %q", w)
				}
			}
			if tc.planErr {
				return
			}
			out, err = c.Run(append([]string{"apply", "-auto-approve"}, flags...)...)
			faultNoInconsistency(t, out)
			if err != nil {
				t.Errorf("apply after the edit: %v", err)
			}
			for _, n := range faultStateEditNumbers {
				want := 1
				for _, r := range tc.resend {
					if r == n {
						want = 2
					}
				}
				if got := sendsTo(e.Mock, n); got != want {
					t.Errorf("%s was sent to %d times, want %d", n, got, want)
				}
			}
			if tc.check != nil {
				tc.check(t, faultResults(t, faultState(t, c)))
			}
		})
	}
}

// TestAccBroadcast_handEditedCurrentState: state of the current version (2)
// edited by hand in ways the provider never writes.
func TestAccBroadcast_handEditedCurrentState(t *testing.T) {
	t.Parallel()
	runStateEditCases(t, []faultStateEditCase{
		{name: "entry is an empty string", edit: func(t *testing.T, _, attrs map[string]json.RawMessage) {
			setResult(t, attrs, "+6422800002", json.RawMessage(`""`))
		}},
		{name: "entry without the space", edit: func(t *testing.T, _, attrs map[string]json.RawMessage) {
			setResult(t, attrs, "+6422800002", json.RawMessage(`"accepted"`))
		}},
		// A null entry is an outcome with no status, with or without a
		// refresh: the number is not sent to again.
		{name: "entry is null", edit: func(t *testing.T, _, attrs map[string]json.RawMessage) {
			setResult(t, attrs, "+6422800002", json.RawMessage(`null`))
		}},
		{name: "entry is null, -refresh=false", edit: func(t *testing.T, _, attrs map[string]json.RawMessage) {
			setResult(t, attrs, "+6422800002", json.RawMessage(`null`))
		}, refreshFalse: true},
		{name: "results is null", edit: func(_ *testing.T, _, attrs map[string]json.RawMessage) {
			attrs["results"] = json.RawMessage(`null`)
		}, resend: faultStateEditNumbers},
		{name: "results is empty", edit: func(_ *testing.T, _, attrs map[string]json.RawMessage) {
			attrs["results"] = json.RawMessage(`{}`)
		}, resend: faultStateEditNumbers},
		{name: "entry of a number not in destinations", edit: func(t *testing.T, _, attrs map[string]json.RawMessage) {
			setResult(t, attrs, "+6422899999", json.RawMessage(`"read 3fa85f64-5717-4562-b3fc-2c963f66afa6"`))
		}, want: []string{"Broadcast Forgets Removed Numbers", "+6422899999"},
			check: func(t *testing.T, results map[string]string) {
				if _, ok := results["+6422899999"]; ok {
					t.Errorf("results still has +6422899999 after the apply: %v", results)
				}
			}},
	})
}

// v1Results turns the state's results map into version 1's JSON string,
// then lets edit change the decoded entries (or replace the string with
// text when edit returns it).
func v1Results(edit func(entries map[string]map[string]any) (text string, raw bool)) func(*testing.T, map[string]json.RawMessage, map[string]json.RawMessage) {
	return func(t *testing.T, inst, attrs map[string]json.RawMessage) {
		t.Helper()
		var results map[string]string
		if err := json.Unmarshal(attrs["results"], &results); err != nil {
			t.Fatal(err)
		}
		entries := map[string]map[string]any{}
		for n, v := range results {
			status, id, _ := strings.Cut(v, " ")
			entries[n] = map[string]any{"id": id, "status": status}
		}
		text, raw := edit(entries)
		if !raw {
			b, err := json.Marshal(entries)
			if err != nil {
				t.Fatal(err)
			}
			text = string(b)
		}
		b, err := json.Marshal(text)
		if err != nil {
			t.Fatal(err)
		}
		attrs["results"] = b
		inst["schema_version"] = json.RawMessage("1")
	}
}

// TestAccBroadcast_oddVersion1State: state of schema version 1 (results one JSON
// string) in forms version 1 never wrote but a hand edit or another tool
// could leave, upgraded by the next plan through the CLI.
func TestAccBroadcast_oddVersion1State(t *testing.T) {
	t.Parallel()
	str := func(s string) func(*testing.T, map[string]json.RawMessage, map[string]json.RawMessage) {
		return v1Results(func(map[string]map[string]any) (string, bool) { return s, true })
	}
	runStateEditCases(t, []faultStateEditCase{
		// "" and "{}" and "null" mean no outcome recorded, as version 1
		// read them: every number is sent to again.
		{name: "empty string", edit: str(""), resend: faultStateEditNumbers},
		{name: "empty object", edit: str("{}"), resend: faultStateEditNumbers},
		{name: "JSON null", edit: str("null"), resend: faultStateEditNumbers},
		{name: "invalid JSON", edit: str(`{"+6422800001": {"id": "x"`), planErr: true,
			want: []string{"Cannot Upgrade State", "is not the JSON object of per-number outcomes", "restore it from a backup"}},
		{name: "entry is not an object", edit: str(`{"+6422800001": "accepted"}`), planErr: true,
			want: []string{"Cannot Upgrade State"}},
		{name: "entries with extra fields", edit: v1Results(func(es map[string]map[string]any) (string, bool) {
			for _, e := range es {
				e["timestamp"] = 1796608723
				e["destination"] = "ignored"
			}
			return "", false
		})},
		{name: "entry is null", edit: v1Results(func(es map[string]map[string]any) (string, bool) {
			es["+6422800002"] = nil
			return "", false
		}), check: func(t *testing.T, results map[string]string) {
			t.Helper()
			t.Logf("results[+6422800002] after upgrading a null entry: %q", results["+6422800002"])
		}},
		{name: "reason with newline and unicode", edit: v1Results(func(es map[string]map[string]any) (string, bool) {
			es["+6422800002"]["status"] = "failed"
			es["+6422800002"]["error"] = "line one\nline two — ünïcödé ✓ 😀"
			return "", false
		}), check: func(t *testing.T, results map[string]string) {
			t.Helper()
			if !strings.HasPrefix(results["+6422800002"], "failed ") || !strings.HasSuffix(results["+6422800002"], " line one\nline two — ünïcödé ✓ 😀") {
				t.Errorf("results[+6422800002] = %q, want the reason kept", results["+6422800002"])
			}
		}},
		{name: "results null in state", edit: func(_ *testing.T, inst, attrs map[string]json.RawMessage) {
			attrs["results"] = json.RawMessage("null")
			inst["schema_version"] = json.RawMessage("1")
		}, resend: faultStateEditNumbers},
		{name: "version 0, a map of objects without failed", edit: func(t *testing.T, inst, attrs map[string]json.RawMessage) {
			var results map[string]string
			if err := json.Unmarshal(attrs["results"], &results); err != nil {
				t.Fatal(err)
			}
			v0 := map[string]map[string]any{}
			for n, v := range results {
				status, id, _ := strings.Cut(v, " ")
				v0[n] = map[string]any{"id": id, "status": status, "error": nil}
			}
			b, err := json.Marshal(v0)
			if err != nil {
				t.Fatal(err)
			}
			attrs["results"] = b
			delete(attrs, "failed")
			inst["schema_version"] = json.RawMessage("0")
		}},
	})
}
