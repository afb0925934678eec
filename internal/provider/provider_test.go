package provider

import (
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/client"
)

func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestResolveSettings(t *testing.T) {
	t.Parallel()
	full := providerModel{
		BaseURL:        types.StringValue("https://api.example.com/rest/wab/v1"),
		Username:       types.StringValue("cfg-user"),
		Password:       types.StringValue("cfg-pass"),
		MaxRetries:     types.Int64Value(5),
		RequestTimeout: types.StringValue("45s"),
	}
	empty := providerModel{
		BaseURL: types.StringNull(), Username: types.StringNull(), Password: types.StringNull(),
		MaxRetries: types.Int64Null(), RequestTimeout: types.StringNull(),
	}
	allEnv := map[string]string{
		EnvBaseURL: "http://127.0.0.1:8080/rest/wab/v1", EnvUsername: "env-user", EnvPassword: "env-pass",
		EnvMaxRetries: "7", EnvRequestTimeout: "2m",
	}

	tests := []struct {
		name     string
		cfg      providerModel
		env      map[string]string
		want     settings
		problems []string // attributes with a problem, in order
		detail   string   // a fragment every problem's detail must contain
	}{
		{
			name: "configuration only",
			cfg:  full,
			want: settings{baseURL: "https://api.example.com/rest/wab/v1", username: "cfg-user", password: "cfg-pass",
				maxRetries: 5, requestTimeout: 45 * time.Second},
		},
		{
			name: "environment only",
			cfg:  empty,
			env:  allEnv,
			want: settings{baseURL: "http://127.0.0.1:8080/rest/wab/v1", username: "env-user", password: "env-pass",
				maxRetries: 7, requestTimeout: 2 * time.Minute},
		},
		{
			name: "configuration wins over environment",
			cfg:  full,
			env:  allEnv,
			want: settings{baseURL: "https://api.example.com/rest/wab/v1", username: "cfg-user", password: "cfg-pass",
				maxRetries: 5, requestTimeout: 45 * time.Second},
		},
		{
			name: "defaults",
			cfg:  empty,
			env:  map[string]string{EnvUsername: "u", EnvPassword: "p"},
			want: settings{baseURL: client.DefaultBaseURL, username: "u", password: "p",
				maxRetries: defaultMaxRetries, requestTimeout: defaultRequestTimeout},
		},
		{
			name:     "missing credentials name attribute and variable",
			cfg:      empty,
			problems: []string{"username", "password"},
			detail:   "EZITXT_",
		},
		{
			name:     "plain http to a remote host is refused",
			cfg:      empty,
			env:      map[string]string{EnvBaseURL: "http://api.example.com/rest/wab/v1", EnvUsername: "u", EnvPassword: "p"},
			problems: []string{"base_url"},
			detail:   EnvBaseURL,
		},
		{
			name:     "bad retries in the environment",
			cfg:      empty,
			env:      map[string]string{EnvMaxRetries: "lots", EnvUsername: "u", EnvPassword: "p"},
			problems: []string{"max_retries"},
			detail:   EnvMaxRetries,
		},
		{
			name:     "bad timeout in the environment",
			cfg:      empty,
			env:      map[string]string{EnvRequestTimeout: "soon", EnvUsername: "u", EnvPassword: "p"},
			problems: []string{"request_timeout"},
			detail:   EnvRequestTimeout,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, problems := resolveSettings(tc.cfg, env(tc.env))
			var attrs []string
			for _, p := range problems {
				attrs = append(attrs, p.attr)
				if !strings.Contains(p.detail, tc.detail) {
					t.Errorf("problem on %s: detail %q does not mention %q", p.attr, p.detail, tc.detail)
				}
			}
			if strings.Join(attrs, ",") != strings.Join(tc.problems, ",") {
				t.Fatalf("problems on %v, want %v", attrs, tc.problems)
			}
			if len(tc.problems) == 0 && got != tc.want {
				t.Errorf("settings = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestUnknownAttributes(t *testing.T) {
	t.Parallel()
	cfg := providerModel{
		BaseURL: types.StringNull(), Username: types.StringUnknown(), Password: types.StringUnknown(),
		MaxRetries: types.Int64Null(), RequestTimeout: types.StringNull(),
	}
	if got := strings.Join(unknownAttributes(cfg), ","); got != "username,password" {
		t.Errorf("unknownAttributes = %q", got)
	}
}
