package provider

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/client"
)

func TestClientLoggerFollowsEnvironment(t *testing.T) {
	t.Parallel()
	for env, off := range map[string]bool{"off": true, " OFF ": true, "Off": true, "": false, "debug": false, "TRACE": false} {
		got := clientLogger(func(name string) string {
			if name == clientLogLevelEnv {
				return env
			}
			return ""
		})
		if (got == nil) != off {
			t.Errorf("%s=%q: logger %v, want none: %v", clientLogLevelEnv, env, got, off)
		}
	}
}

// TestClientLogsToTflog: the client's entries reach tflog's subsystem
// ezitxt_client at their levels, masked of the password; with the
// subsystem switched off (as main.go does when nobody reads the logs),
// retries and answers behave as ever and nothing at all is written, not
// even tflog's warnings about a subsystem that was never set up.
func TestClientLogsToTflog(t *testing.T) {
	t.Parallel()
	const password = "s3cret-pw"
	const id = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
	for _, env := range []string{"", "off"} {
		var calls atomic.Int64
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if calls.Add(1) == 1 {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusServiceUnavailable)
				_, _ = w.Write([]byte(`{"message":"Whatsapp Cloud API error","statusCode":503,"error":"busy, ` + password + `"}`))
				return
			}
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"id":"` + id + `","status":"read"}`))
		}))
		t.Cleanup(srv.Close)
		c, err := client.New(client.Config{BaseURL: srv.URL + "/rest/wab/v1", Username: "user", Password: password, MaxRetries: 1,
			Logger: clientLogger(func(string) string { return env })})
		if err != nil {
			t.Fatal(err)
		}
		var logs bytes.Buffer
		d, err := c.GetMessage(tflogtest.RootLogger(context.Background(), &logs), id)
		if err != nil || d.Status != "read" || calls.Load() != 2 {
			t.Fatalf("%q: GetMessage = %+v, %v after %d requests", env, d, err, calls.Load())
		}
		if env == "off" {
			if logs.Len() != 0 {
				t.Errorf("log entries written with the subsystem off:\n%s", logs.String())
			}
			continue
		}
		if strings.Contains(logs.String(), password) {
			t.Errorf("the password reached the logs:\n%s", logs.String())
		}
		entries, err := tflogtest.MultilineJSONDecode(&logs)
		if err != nil {
			t.Fatal(err)
		}
		levels := map[string]string{}
		for _, e := range entries {
			if e["@module"] == "provider.ezitxt_client" {
				msg, _ := e["@message"].(string)
				levels[msg], _ = e["@level"].(string)
			}
		}
		for msg, level := range map[string]string{"Sending API request": "debug", "Retrying API request": "debug",
			"API error response": "debug", "API response body": "trace"} {
			if levels[msg] != level {
				t.Errorf("entry %q at level %q, want %q (entries: %v)", msg, levels[msg], level, levels)
			}
		}
	}
}
