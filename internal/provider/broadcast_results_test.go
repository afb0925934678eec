package provider_test

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// resultsPath is the path of a broadcast's results (a JSON string).
var resultsPath = tfjsonpath.New("results")

// resultsCheck checks the per-number outcomes of a results JSON string.
type resultsCheck struct {
	desc string
	fn   func(map[string]map[string]any) error
}

func (c resultsCheck) CheckValue(v any) error {
	s, ok := v.(string)
	if !ok {
		return fmt.Errorf("results is %T, not a JSON string", v)
	}
	var m map[string]map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return fmt.Errorf("results is not a JSON object of outcomes: %w", err)
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
		var m map[string]struct {
			ID string `json:"id"`
		}
		s, _ := r.AttributeValues["results"].(string)
		if err := json.Unmarshal([]byte(s), &m); err != nil {
			resp.Error = fmt.Errorf("results: %w", err)
			return
		}
		got := m[c.number].ID
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
