package client

import (
	"strings"
	"testing"
	"time"
)

func TestParseRFC3339(t *testing.T) {
	t.Parallel()
	want := time.Date(2026, 12, 23, 20, 0, 0, 0, time.UTC)
	for _, s := range []string{
		"2026-12-23T20:00:00Z", "2026-12-23t20:00:00z", "2026-12-23T20:00:00z", "2026-12-24T09:00:00+13:00",
		"2026-12-24t09:00:00+13:00", "2026-12-23T20:00:00.000Z", "2026-12-23T06:30:00-13:30",
	} {
		got, err := ParseRFC3339(s)
		if err != nil || !got.Equal(want) {
			t.Errorf("ParseRFC3339(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	for s, wantErr := range map[string]string{
		"2026-12-24T09:00:00+24:00": "out of range",
		"2026-12-24T09:00:00+13:60": "out of range",
		"2026-12-24T09:00:00":       "not an RFC 3339 date-time",
		"2026-12-24 09:00:00Z":      "not an RFC 3339 date-time",
		"2026-12-24T09:00Z":         "not an RFC 3339 date-time",
		"2026-13-24T09:00:00Z":      "month out of range",
		"2026-12-24T25:00:00Z":      "hour out of range",
		"":                          "not an RFC 3339 date-time",
	} {
		_, err := ParseRFC3339(s)
		if err == nil || !strings.Contains(err.Error(), wantErr) || strings.Contains(err.Error(), "2006") {
			t.Errorf("ParseRFC3339(%q) = %v, want an error with %q and no Go layout", s, err, wantErr)
		}
	}
}
