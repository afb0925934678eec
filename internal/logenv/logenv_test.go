package logenv

import (
	"maps"
	"testing"
)

func TestQuietUnread(t *testing.T) {
	t.Parallel()
	levels := append([]string{"TF_LOG_PROVIDER_X"}, SDKLevels...)
	off := map[string]string{}
	for _, name := range levels {
		off[name] = "off"
	}
	for _, tc := range []struct {
		name string
		env  map[string]string
		want map[string]string // variables set
	}{
		{"no logging asked for", map[string]string{}, off},
		{"TF_LOG off", map[string]string{"TF_LOG": "OFF"}, off},
		{"TF_LOG off with spaces", map[string]string{"TF_LOG": " off "}, off},
		{"TF_LOG_PROVIDER off wins over TF_LOG", map[string]string{"TF_LOG": "trace", "TF_LOG_PROVIDER": "off"}, off},
		{"only core logs", map[string]string{"TF_LOG_CORE": "trace"}, off},
		{"TF_LOG", map[string]string{"TF_LOG": "debug"}, map[string]string{}},
		{"TF_LOG json", map[string]string{"TF_LOG": "JSON"}, map[string]string{}},
		{"TF_LOG_PROVIDER", map[string]string{"TF_LOG_PROVIDER": "trace"}, map[string]string{}},
		{"TF_LOG_PROVIDER wins over TF_LOG off", map[string]string{"TF_LOG": "off", "TF_LOG_PROVIDER": "info"}, map[string]string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			set := map[string]string{}
			QuietUnread(func(k string) string { return tc.env[k] }, func(k, v string) error { set[k] = v; return nil }, levels...)
			if !maps.Equal(set, tc.want) {
				t.Errorf("with %v: set %v, want %v", tc.env, set, tc.want)
			}
		})
	}
}
