package provider_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// resultsPath is the path of a broadcast's results (a map of "STATUS ID" strings).
var resultsPath = tfjsonpath.New("results")

// acceptedRe matches an accepted number's entry in results.
var acceptedRe = regexp.MustCompile(`^accepted [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// resultsCheck checks the per-number outcomes of results.
type resultsCheck struct {
	desc string
	fn   func(map[string]map[string]any) error
}

// decodeResults reads results as state checks and plan JSON give it (a map
// of "STATUS ID[ REASON]" strings) into fields: id, status, and error when
// there is a reason.
func decodeResults(v any) (map[string]map[string]any, error) {
	entries, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("results is %T, not a map", v)
	}
	out := make(map[string]map[string]any, len(entries))
	for number, e := range entries {
		s, ok := e.(string)
		if !ok {
			return nil, fmt.Errorf("results[%s] is %T, not a string", number, e)
		}
		parts := strings.SplitN(s, " ", 3)
		if len(parts) < 2 {
			return nil, fmt.Errorf("results[%s] = %q, not STATUS ID", number, s)
		}
		out[number] = map[string]any{"status": parts[0], "id": parts[1]}
		if len(parts) == 3 {
			out[number]["error"] = parts[2]
		}
	}
	return out, nil
}

func (c resultsCheck) CheckValue(v any) error {
	m, err := decodeResults(v)
	if err != nil {
		return err
	}
	return c.fn(m)
}

func (c resultsCheck) String() string { return c.desc }

// resultsSize checks that results has n entries.
func resultsSize(n int) knownvalue.Check {
	return resultsCheck{desc: fmt.Sprintf("%d results", n), fn: func(m map[string]map[string]any) error {
		if len(m) != n {
			return fmt.Errorf("results has %d entries, want %d", len(m), n)
		}
		return nil
	}}
}

// resultField checks one field of one number's result (a field left out is
// nil, which knownvalue.Null accepts).
func resultField(number, field string, check knownvalue.Check) knownvalue.Check {
	return resultsCheck{desc: fmt.Sprintf("results[%s].%s %s", number, field, check), fn: func(m map[string]map[string]any) error {
		r, ok := m[number]
		if !ok {
			return fmt.Errorf("results has no entry for %s", number)
		}
		if err := check.CheckValue(r[field]); err != nil {
			return fmt.Errorf("results[%s].%s: %w", number, field, err)
		}
		return nil
	}}
}

// sameResultID is a state check that the message ID of number stays the
// one it had at the first check.
type sameResultID struct {
	number string
	id     *string
}

func newSameResultID(number string) sameResultID {
	return sameResultID{number: number, id: new(string)}
}

func (c sameResultID) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	if req.State == nil || req.State.Values == nil {
		resp.Error = fmt.Errorf("no state")
		return
	}
	for _, r := range req.State.Values.RootModule.Resources {
		if r.Address != broadcastAddr {
			continue
		}
		m, err := decodeResults(r.AttributeValues["results"])
		if err != nil {
			resp.Error = err
			return
		}
		got, _ := m[c.number]["id"].(string)
		switch {
		case got == "":
			resp.Error = fmt.Errorf("results has no message ID for %s", c.number)
		case *c.id == "":
			*c.id = got
		case got != *c.id:
			resp.Error = fmt.Errorf("the message ID of %s changed from %s to %s", c.number, *c.id, got)
		}
		return
	}
	resp.Error = fmt.Errorf("%s not in state", broadcastAddr)
}
