package provider_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/acctest"
	"github.com/ezitxt/terraform-provider-ezitxt/internal/mockapi"
)

// faultRewriteBroadcast answers the broadcast requests after the first with
// the mock's answer passed through edit (entries as decoded JSON objects).
func faultRewriteBroadcast(p *faultProxy, edit func(entries []map[string]any) []map[string]any) func(int, http.ResponseWriter, *http.Request) bool {
	return func(n int, w http.ResponseWriter, r *http.Request) bool {
		if n < 2 {
			return false
		}
		rec := p.forward(r, readBody(r))
		if rec.Code != http.StatusAccepted {
			writeRecorded(w, rec, nil)
			return true
		}
		var entries []map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &entries); err != nil {
			panic(err)
		}
		b, err := json.Marshal(edit(entries))
		if err != nil {
			panic(err)
		}
		writeRecorded(w, rec, b)
		return true
	}
}

// TestAccBroadcast_oddOutcomes: the API answers numbers added to a broadcast
// with outcomes the reference allows but the mock never gives: a reason
// with leading and trailing spaces, a newline and unicode; no status; a
// failed entry without an ID; status frozen; and (second case) entries
// without their destination, matched by position as the reference's
// example answer has them; and (third case) an answer that leaves one
// number out. The apply is consistent with the plan, each entry reads
// back, the documented split() idiom, a data source and outputs work, and
// the next plan is empty.
func TestAccBroadcast_oddOutcomes(t *testing.T) {
	t.Parallel()
	const reason = "  not on\nWhatsApp — ünïcödé ✓ 😀  "
	first := []string{"+6422900001", "+6422900002"}
	added := []string{"+6422900003", "+6422900004", "+6422900005", "+6422900006"}
	for _, tc := range []struct {
		name  string
		edit  func(entries []map[string]any) []map[string]any
		check func(t *testing.T, results map[string]string)
	}{
		{name: "odd fields", edit: func(entries []map[string]any) []map[string]any {
			for _, e := range entries {
				switch e["destination"] {
				case "+6422900003":
					e["status"], e["message"] = "failed", reason
				case "+6422900004":
					delete(e, "status")
				case "+6422900005":
					e["status"], e["message"] = "failed", "blocked"
					delete(e, "id")
				case "+6422900006":
					e["status"] = "frozen"
				}
			}
			return entries
		}, check: func(t *testing.T, results map[string]string) {
			t.Helper()
			if v := results["+6422900003"]; !strings.HasPrefix(v, "failed ") || !strings.HasSuffix(v, " "+reason) {
				t.Errorf("results[+6422900003] = %q, want failed, the ID and the reason as given", v)
			}
			if v := results["+6422900005"]; v != "failed  blocked" {
				t.Errorf("results[+6422900005] = %q, want %q", v, "failed  blocked")
			}
		}},
		{name: "no destinations in the answer", edit: func(entries []map[string]any) []map[string]any {
			for _, e := range entries {
				delete(e, "destination")
			}
			return entries
		}, check: func(t *testing.T, results map[string]string) {
			t.Helper()
			for _, n := range added {
				if !strings.HasPrefix(results[n], "accepted ") {
					t.Errorf("results[%s] = %q, want accepted", n, results[n])
				}
			}
		}},
		{name: "one number left out", edit: func(entries []map[string]any) []map[string]any {
			var out []map[string]any
			for _, e := range entries {
				if e["destination"] != "+6422900004" {
					out = append(out, e)
				}
			}
			return out
		}, check: func(t *testing.T, results map[string]string) {
			t.Helper()
			if v := results["+6422900004"]; !strings.HasPrefix(v, "unknown  ") {
				t.Errorf("results[+6422900004] = %q, want unknown (left out of the answer)", v)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := acctest.New(t)
			p := newFaultProxy(t, e)
			c := e.AnyCLI(t, tfversion.Version1_5_0)
			faultWriteMain(t, c, faultNumbersConfig(e, first, faultNeighbours))
			c.MustRun("apply", "-auto-approve")
			p.set(faultRewriteBroadcast(p, tc.edit))
			faultWriteMain(t, c, faultNumbersConfig(e, append(append([]string{}, first...), added...), faultNeighbours+faultForEach+`
output "reasons" {
  value = { for n, v in ezitxt_broadcast.test.results : n => join(" ", slice(split(" ", v), 2, length(split(" ", v)))) if length(split(" ", v)) > 2 }
}
`))
			faultMustApply(t, c, "apply", "-auto-approve")
			s := faultState(t, c)
			results := faultResults(t, s)
			if len(results) != 6 {
				t.Errorf("%d results, want 6: %v", len(results), results)
			}
			tc.check(t, results)
			if tc.name != "odd fields" { // there the answer drops an ID on purpose
				if _, err := sendsInState(s, e.Mock.Sends()); err != nil {
					t.Errorf("%v", err)
				}
			}
			p.set(nil)
			faultEmptyPlan(t, c, "plan after the apply")
			c.MustRun("apply", "-refresh-only", "-auto-approve")
			t.Logf("results after a refresh: %q", faultResults(t, faultState(t, c)))
			faultNoDoubleSends(t, e.Mock)
			if got := e.Mock.Stats().ByEndpoint[mockapi.EndpointBroadcast]; got != 2 {
				t.Errorf("%d broadcast requests, want 2", got)
			}
			c.MustRun("destroy", "-auto-approve")
		})
	}
}
