package provider_test

import (
	"testing"
)

func TestFunctionE164(t *testing.T) {
	for _, tc := range []struct {
		number string
		region any
		want   string
	}{
		// The forms of issue 15.
		{"(415) 555-2671", "US", "+14155552671"},
		{"021 000 001", "NZ", "+6421000001"},
		{"0064 21 000 001", "NZ", "+6421000001"},
		{"+64-21-000-001", nil, "+6421000001"},
		// A country code wins over the default region; region case and
		// an empty region are accepted.
		{"+64 21 000 001", "US", "+6421000001"},
		{"415.555.2671", "us", "+14155552671"},
		{"+1 (415) 555-2671", "", "+14155552671"},
		{"tel:+1-415-555-2671", nil, "+14155552671"},
		{"011 64 21 000 001", "US", "+6421000001"},
		{"+44 20 7946 0958", nil, "+442079460958"},
	} {
		got, ferr := callFunction(t, "e164", tc.number, tc.region)
		if ferr != nil || got != tc.want {
			t.Errorf("e164(%q, %v) = %v, %v; want %q", tc.number, tc.region, got, ferr, tc.want)
		}
	}
}

func TestFunctionE164_errors(t *testing.T) {
	for _, tc := range []struct {
		number    string
		region    any
		arg       int64
		fragments []string
	}{
		{"0064 21 000 001", nil, 0, []string{`number "0064 21 000 001" has no country code`, "default_region"}},
		{"415 555 2671", nil, 0, []string{`number "415 555 2671" has no country code`}},
		{"12345", "US", 0, []string{`number "12345"`, "not a valid phone number of region US (+1)"}},
		{"+15550100001", nil, 0, []string{`number "+15550100001"`, "not a valid phone number"}},
		{"call me", "US", 0, []string{`number "call me" is not a phone number`}},
		{"", "NZ", 0, []string{"number is empty"}},
		{"+1 415 555 2671 ext. 12", nil, 0, []string{"has an extension (12)"}},
		{"+6421000001", "XX", 1, []string{`default_region "XX" is not an ISO 3166-1 alpha-2 region code`}},
		{"+6421000001", "New Zealand", 1, []string{`default_region "New Zealand"`}},
	} {
		got, ferr := callFunction(t, "e164", tc.number, tc.region)
		if got != nil {
			t.Errorf("e164(%q, %v) = %v, want an error", tc.number, tc.region, got)
			continue
		}
		wantFuncError(t, ferr, tc.arg, tc.fragments...)
	}
}

func TestFunctionPhoneValid(t *testing.T) {
	for _, tc := range []struct {
		number string
		region any
		want   bool
	}{
		{"(415) 555-2671", "US", true},
		{"+64-21-000-001", nil, true},
		{"0064 21 000 001", "NZ", true},
		{"0064 21 000 001", nil, false},
		{"12345", "US", false},
		{"", nil, false},
		{"not a number", "NZ", false},
		{"+15550100001", nil, false},
		{"+1 415 555 2671 ext. 12", nil, false},
	} {
		got, ferr := callFunction(t, "phone_valid", tc.number, tc.region)
		if ferr != nil || got != tc.want {
			t.Errorf("phone_valid(%q, %v) = %v, %v; want %v", tc.number, tc.region, got, ferr, tc.want)
		}
	}
	// A region that does not exist is a configuration mistake, not data.
	_, ferr := callFunction(t, "phone_valid", "+6421000001", "ZZZ")
	wantFuncError(t, ferr, 1, `default_region "ZZZ"`)
}

func TestFunctionPhoneRegion(t *testing.T) {
	for _, tc := range []struct {
		number string
		region any
		want   string
	}{
		{"+6421000001", nil, "NZ"},
		{"(415) 555-2671", "US", "US"},
		{"+1 613 555 2671", nil, "CA"}, // +1 is shared: the number's own region
		{"020 7946 0958", "GB", "GB"},
	} {
		got, ferr := callFunction(t, "phone_region", tc.number, tc.region)
		if ferr != nil || got != tc.want {
			t.Errorf("phone_region(%q, %v) = %v, %v; want %q", tc.number, tc.region, got, ferr, tc.want)
		}
	}
	_, ferr := callFunction(t, "phone_region", "12345", "US")
	wantFuncError(t, ferr, 0, `number "12345"`)
}
