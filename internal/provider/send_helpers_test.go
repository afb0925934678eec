package provider_test

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/acctest"
	"github.com/ezitxt/terraform-provider-ezitxt/internal/client"
	"github.com/ezitxt/terraform-provider-ezitxt/internal/mockapi"
)

// This file holds the helpers of the message, broadcast and data source
// acceptance tests: error regexps that survive Terraform's line wrapping,
// plan and state checks that look at what the mock received, and a client
// to send messages outside Terraform.

// diagRe matches a diagnostic whose words appear in order, whatever
// Terraform's wrapping puts between them (newlines and the "│" gutter).
func diagRe(parts ...string) *regexp.Regexp {
	quoted := make([]string, len(parts))
	for i, p := range parts {
		words := strings.Fields(p)
		for j, w := range words {
			words[j] = regexp.QuoteMeta(w)
		}
		quoted[i] = strings.Join(words, `[\s│]+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(quoted, `.*`))
}

// sendsTo counts the sends the mock accepted for number.
func sendsTo(m *mockapi.Server, number string) int {
	n := 0
	for _, s := range m.Sends() {
		if s.Destination == number {
			n++
		}
	}
	return n
}

// sendBody decodes the request body of a send.
func sendBody(t *testing.T, s mockapi.Send) map[string]any {
	t.Helper()
	var body map[string]any
	if err := json.Unmarshal(s.Body, &body); err != nil {
		t.Fatalf("send %s: body is not JSON: %v", s.ID, err)
	}
	return body
}

// expectSends fails t unless the mock accepted exactly want sends and no
// duplicate.
func expectSends(t *testing.T, m *mockapi.Server, want int) {
	t.Helper()
	if got := len(m.Sends()); got != want {
		t.Errorf("mock accepted %d sends, want %d", got, want)
	}
	if d := m.Duplicates(); len(d) > 0 {
		t.Errorf("mock recorded %d duplicate sends, want none: first %+v", len(d), d[0])
	}
}

// apiClient is a client of e's mock, to send and read messages outside
// Terraform.
func apiClient(t *testing.T, e *acctest.Env) *client.Client {
	t.Helper()
	c, err := client.New(client.Config{BaseURL: e.URL, Username: e.Username, Password: e.Password, MaxRetries: 0})
	if err != nil {
		t.Fatalf("client: %v", err)
	}
	return c
}

// sendText sends a text message outside Terraform and returns its ID.
func sendText(t *testing.T, e *acctest.Env, to, body string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	res, err := apiClient(t, e).SendMessage(ctx, client.Message{
		To: to, Source: acctest.Source, Content: client.Content{Text: &client.Text{Body: body}},
	})
	if err != nil {
		t.Fatalf("sending outside Terraform: %v", err)
	}
	return res.MessageID
}

// fastClock makes mock time run 1000 times faster than real time, so that a
// message is read (30 s of mock time) within about 30 ms.
func fastClock(o *mockapi.Options) { o.Clock.Speed = 1000 }

// checkFunc adapts a function to plancheck.PlanCheck.
type planCheckFunc func(p *tfjson.Plan) error

func (f planCheckFunc) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	resp.Error = f(req.Plan)
}

// stateCheckFunc adapts a function to statecheck.StateCheck.
type stateCheckFunc func(s *tfjson.State) error

func (f stateCheckFunc) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = f(req.State)
}

// resourceChange finds the planned change of address.
func resourceChange(p *tfjson.Plan, address string) (*tfjson.ResourceChange, error) {
	for _, rc := range p.ResourceChanges {
		if rc.Address == address {
			return rc, nil
		}
	}
	return nil, fmt.Errorf("%s is not in the plan", address)
}

// expectTaintedReplace checks that address is tainted in the prior state
// and planned for replacement, and that its prior values satisfy prior.
func expectTaintedReplace(address string, prior func(values map[string]any) error) plancheck.PlanCheck {
	return planCheckFunc(func(p *tfjson.Plan) error {
		rc, err := resourceChange(p, address)
		if err != nil {
			return err
		}
		if !rc.Change.Actions.Replace() {
			return fmt.Errorf("%s: planned %v, want a replacement", address, rc.Change.Actions)
		}
		if p.PriorState == nil || p.PriorState.Values == nil || p.PriorState.Values.RootModule == nil {
			return fmt.Errorf("%s: the plan has no prior state", address)
		}
		for _, r := range p.PriorState.Values.RootModule.Resources {
			if r.Address != address {
				continue
			}
			if !r.Tainted {
				return fmt.Errorf("%s: not tainted in the prior state", address)
			}
			return prior(r.AttributeValues)
		}
		return fmt.Errorf("%s is not in the prior state", address)
	})
}

// expectReplacedPaths checks that the replacement of address is forced by
// exactly the given top-level attributes.
func expectReplacedPaths(address string, attrs ...string) plancheck.PlanCheck {
	return planCheckFunc(func(p *tfjson.Plan) error {
		rc, err := resourceChange(p, address)
		if err != nil {
			return err
		}
		var got []string
		for _, path := range rc.Change.ReplacePaths {
			if steps, ok := path.([]any); ok && len(steps) > 0 {
				got = append(got, fmt.Sprint(steps[0]))
			}
		}
		slices.Sort(got)
		got = slices.Compact(got)
		want := slices.Clone(attrs)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			return fmt.Errorf("%s: replacement forced by %v, want %v", address, got, want)
		}
		return nil
	})
}

// outputMap returns a map(string) output of the state.
func outputMap(s *tfjson.State, name string) map[string]string {
	out := map[string]string{}
	if s == nil || s.Values == nil || s.Values.Outputs[name] == nil {
		return out
	}
	m, _ := s.Values.Outputs[name].Value.(map[string]any)
	for k, v := range m {
		out[k] = fmt.Sprint(v)
	}
	return out
}
