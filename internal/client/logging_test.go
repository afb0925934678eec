package client

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

// TestLogsCarryNoSecrets runs every endpoint, with a 401, retries, an ambiguous send and a
// server that echoes the credentials, under a TRACE logger, and checks that the password, the
// Basic token and the PIN appear nowhere in the logs, nor in the errors.
func TestLogsCarryNoSecrets(t *testing.T) {
	t.Parallel()
	const pin = "482913"
	token := base64.StdEncoding.EncodeToString([]byte(testUser + ":" + testPassword))
	mediaBytes := "MEDIA-BYTES-" + strings.Repeat("z", 100)
	var calls atomic.Int64
	a := newTestAPI(t, func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		body, _ := io.ReadAll(r.Body)
		echo := r.Header.Get("Authorization") + " " + testPassword + " " + string(body)
		switch {
		case r.URL.Path == basePath+"/source" && n == 1:
			w.Header().Set("Retry-After", "0")
			apiError(w, http.StatusTooManyRequests, "slow down: "+echo)
		case r.URL.Path == basePath+"/source":
			w.WriteHeader(http.StatusOK)
		case r.Method == http.MethodGet && r.URL.Path == basePath+"/messages":
			apiError(w, http.StatusUnauthorized, "who are you? "+echo)
		case r.Method == http.MethodPatch:
			apiError(w, http.StatusServiceUnavailable, echo)
		case r.URL.Path == basePath+"/messages":
			apiError(w, http.StatusInternalServerError, echo)
		case r.Method == http.MethodPost && r.URL.Path == basePath+"/media":
			writeJSON(w, http.StatusOK, `{"id":"m1"}`)
		case r.URL.Path == basePath+"/media":
			w.Header().Set("Content-Type", "image/png")
			_, _ = io.WriteString(w, mediaBytes)
		default:
			t.Errorf("unexpected %s %s", r.Method, r.URL)
		}
	})
	var logs bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &logs)
	c, _ := newTestClient(t, a.url(), func(cfg *Config) { cfg.MaxRetries = 1 })

	var errs []error
	errs = append(errs, c.RegisterSource(ctx, SourceRegistration{Source: testSource, WABAID: "1", PIN: pin}))
	_, err := c.GetMessage(ctx, testMessageID)
	errs = append(errs, err)
	errs = append(errs, c.MarkRead(ctx, []string{testMessageID}))
	_, err = c.SendMessage(ctx, textMessage("+64211234567"))
	errs = append(errs, err)
	_, err = c.UploadMedia(ctx, MediaUpload{Source: testSource, Filename: "a.png", MimeType: MimeImagePNG, Size: int64(len(mediaBytes)),
		Open: func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(mediaBytes)), nil }})
	errs = append(errs, err)
	_, err = c.DownloadMedia(ctx, testSource, "m1", io.Discard)
	errs = append(errs, err)

	if errs[0] != nil || !IsUnauthorized(errs[1]) || errs[2] == nil || !IsAmbiguous(errs[3]) || errs[4] != nil || errs[5] != nil {
		t.Fatalf("unexpected outcomes: %v", errs)
	}
	out := logs.String()
	for name, secret := range map[string]string{"password": testPassword, "basic token": token, "PIN": pin, "media bytes": "MEDIA-BYTES"} {
		if strings.Contains(out, secret) {
			t.Errorf("the %s appears in the logs", name)
		}
		for _, err := range errs {
			if err != nil && strings.Contains(err.Error(), secret) {
				t.Errorf("the %s appears in an error: %v", name, err)
			}
		}
	}
	// The logs are there, at the expected levels, with the expected fields.
	entries, err := tflogtest.MultilineJSONDecode(&logs)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range entries {
		if e["@module"] != "provider.ezitxt_client" {
			continue
		}
		msg, _ := e["@message"].(string)
		seen[msg] = true
		if body, _ := e["body"].(string); msg == "API request body" && strings.Contains(body, `"pin"`) && !strings.Contains(body, `"pin":"***"`) {
			t.Errorf("unmasked pin in %v", body)
		}
		if e["http_request_header_authorization"] != nil && e["http_request_header_authorization"] != "***" {
			t.Errorf("authorization header logged: %v", e["http_request_header_authorization"])
		}
	}
	for _, msg := range []string{"Sending API request", "Received API response", "API request body", "API response body",
		"API error response", "Retrying API request", "Giving up on API request: retries exhausted",
		"Send outcome unknown: not retried, the message may have been sent"} {
		if !seen[msg] {
			t.Errorf("no %q entry in the logs", msg)
		}
	}
	if !strings.Contains(out, `"http_status":401`) || !strings.Contains(out, `\"pin\":\"***\"`) {
		t.Error("expected fields missing from the logs")
	}
}

func TestMaskJSON(t *testing.T) {
	t.Parallel()
	got, ok := maskJSON([]byte(`{"source":"1","pin":"123456","nested":[{"Password":"x","n":1.50}]}`))
	if !ok || got != `{"nested":[{"Password":"***","n":1.50}],"pin":"***","source":"1"}` {
		t.Errorf("maskJSON = %s, %v", got, ok)
	}
	if _, ok := maskJSON([]byte("--boundary")); ok {
		t.Error("non-JSON accepted")
	}
}

func TestSecretStrings(t *testing.T) {
	t.Parallel()
	got := secretStrings("ab", "", "abcd", "ab", "xyz")
	if strings.Join(got, ",") != "abcd,xyz,ab" {
		t.Errorf("secretStrings = %v", got)
	}
}

func TestLogsOff(t *testing.T) {
	t.Parallel()
	for env, want := range map[string]bool{"off": true, " OFF ": true, "Off": true, "": false, "debug": false, "TRACE": false} {
		if got := logsOff(func(string) string { return env }); got != want {
			t.Errorf("logsOff(%q) = %v, want %v", env, got, want)
		}
	}
}

// TestNoLogEntriesWhenSubsystemOff: with the client's subsystem switched off
// (as main.go does when nobody reads the logs), requests, retries, a 429
// hold, an error answer and an ambiguous send still behave as ever and
// write nothing at all, not even tflog's warnings about a subsystem that was
// never set up.
func TestNoLogEntriesWhenSubsystemOff(t *testing.T) {
	t.Setenv(logLevelEnv, "off")
	var calls atomic.Int64
	a := newTestAPI(t, func(w http.ResponseWriter, r *http.Request) {
		switch n := calls.Add(1); {
		case n == 1:
			w.Header().Set("Retry-After", "0")
			apiError(w, http.StatusTooManyRequests, "slow down")
		case n == 2:
			apiError(w, http.StatusServiceUnavailable, "busy")
		case r.Method == http.MethodGet:
			writeJSON(w, http.StatusOK, `{"id":"`+testMessageID+`","status":"read"}`)
		default:
			apiError(w, http.StatusInternalServerError, "lost")
		}
	})
	var logs bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &logs)
	c, _ := newTestClient(t, a.url(), func(cfg *Config) { cfg.MaxRetries = 2 })
	if !c.logsOff {
		t.Fatal("the client did not see its subsystem switched off")
	}
	det, err := c.GetMessage(ctx, testMessageID)
	if err != nil || det.Status != "read" || calls.Load() != 3 {
		t.Fatalf("GetMessage = %+v, %v after %d requests; want status read after 3", det, err, calls.Load())
	}
	if _, err := c.SendMessage(ctx, textMessage("+64211234567")); !IsAmbiguous(err) {
		t.Fatalf("SendMessage error = %v, want an ambiguous send", err)
	}
	if logs.Len() != 0 {
		t.Errorf("log entries written with the subsystem off:\n%s", logs.String())
	}
}

// Secrets are masked as whole values only: a one-letter password is not
// masked inside every word containing that letter (which would tell what it
// is), in errors and in logs alike; as a whole value it is.
func TestShortPasswordMaskedAsWholeValueOnly(t *testing.T) {
	t.Parallel()
	a := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, pw, _ := r.BasicAuth()
		apiError(w, http.StatusUnauthorized, "invalid username or password: got "+pw+" (\""+pw+"\") for user")
	}))
	t.Cleanup(a.Close)
	var logs bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &logs)
	c, err := New(Config{BaseURL: a.URL + basePath, Username: "user", Password: "e", MaxRetries: 0})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetMessage(ctx, testMessageID)
	if !IsUnauthorized(err) {
		t.Fatal(err)
	}
	mustContain(t, err.Error(), `Whatsapp Cloud API error: invalid username or password: got *** ("***") for user`)
	mustContain(t, logs.String(), `invalid username or password: got *** (\"***\") for user`, "Whatsapp Cloud API error")
	if strings.Contains(logs.String(), "***rror") || strings.Contains(err.Error(), "***rror") {
		t.Errorf("masked inside words:\nerror: %v\nlogs: %s", err, logs.String())
	}
}

func TestSecretPattern(t *testing.T) {
	t.Parallel()
	re := secretPattern(secretStrings("e", "s3cr3t-Pa55w0rd!", "dXNlcjpl", "!x"))
	for in, want := range map[string]string{
		"error e E e.":                       "error *** E ***.",
		"pw=s3cr3t-Pa55w0rd! end":            "pw=*** end",
		"s3cr3t-Pa55w0rd!!":                  "***!",
		"Basic dXNlcjpl":                     "Basic ***",
		"dXNlcjplX":                          "dXNlcjplX",
		"a!x b":                              "a*** b",
		"e":                                  "***",
		"user:e@host":                        "user:***@host",
		"username, userE, e_mail, e1, 1e, é": "username, userE, e_mail, e1, 1e, é",
	} {
		if got := re.ReplaceAllLiteralString(in, mask); got != want {
			t.Errorf("%q -> %q, want %q", in, got, want)
		}
	}
}
