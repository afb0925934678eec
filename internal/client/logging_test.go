package client

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// traceLogger is a plain *slog.Logger writing JSON lines of every level to buf.
func traceLogger(buf *bytes.Buffer) *slog.Logger {
	return slog.New(slog.NewJSONHandler(buf, &slog.HandlerOptions{Level: LevelTrace}))
}

// decodeEntries decodes the JSON lines of traceLogger.
func decodeEntries(t *testing.T, buf []byte) []map[string]any {
	t.Helper()
	var entries []map[string]any
	dec := json.NewDecoder(bytes.NewReader(buf))
	for dec.More() {
		var e map[string]any
		if err := dec.Decode(&e); err != nil {
			t.Fatal(err)
		}
		entries = append(entries, e)
	}
	return entries
}

// TestLogsCarryNoSecrets runs every endpoint, with a 401, retries, an ambiguous send and a
// server that echoes the credentials, with a plain slog logger at TRACE, and checks that the
// password, the Basic token and the PIN appear nowhere in the logs, nor in the errors, and that
// the entries are there with their levels and fields.
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
	ctx := context.Background()
	c, _ := newTestClient(t, a.url(), func(cfg *Config) { cfg.MaxRetries = 1; cfg.Logger = traceLogger(&logs) })

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
	levels := map[string]string{}
	for _, e := range decodeEntries(t, logs.Bytes()) {
		msg, _ := e["msg"].(string)
		levels[msg], _ = e["level"].(string)
		if body, _ := e["body"].(string); msg == "API request body" && strings.Contains(body, `"pin"`) && !strings.Contains(body, `"pin":"***"`) {
			t.Errorf("unmasked pin in %v", body)
		}
		if e["http_request_header_authorization"] != nil && e["http_request_header_authorization"] != "***" {
			t.Errorf("authorization header logged: %v", e["http_request_header_authorization"])
		}
	}
	for msg, level := range map[string]string{"Sending API request": "DEBUG", "Received API response": "DEBUG",
		"API request body": "DEBUG-4", "API response body": "DEBUG-4", "API error response": "DEBUG",
		"Retrying API request": "DEBUG", "Giving up on API request: retries exhausted": "DEBUG",
		"Send outcome unknown: not retried, the message may have been sent": "WARN"} {
		if levels[msg] != level {
			t.Errorf("entry %q at level %q, want %q", msg, levels[msg], level)
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

// TestNoLogEntriesBelowLoggerLevel: with a logger that writes nothing below
// INFO, and with none at all (the provider's logs switched off), requests,
// retries, a 429 hold, an error answer and an ambiguous send still behave as
// ever; no DEBUG or TRACE entry is built for the first, and only the WARN of
// the unknown send outcome is written.
func TestNoLogEntriesBelowLoggerLevel(t *testing.T) {
	t.Parallel()
	for _, withLogger := range []bool{true, false} {
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
		logger := &countingLogger{Logger: slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo}))}
		c, _ := newTestClient(t, a.url(), func(cfg *Config) {
			cfg.MaxRetries = 2
			if withLogger {
				cfg.Logger = logger
			}
		})
		ctx := context.Background()
		det, err := c.GetMessage(ctx, testMessageID)
		if err != nil || det.Status != "read" || calls.Load() != 3 {
			t.Fatalf("GetMessage = %+v, %v after %d requests; want status read after 3", det, err, calls.Load())
		}
		if _, err := c.SendMessage(ctx, textMessage("+64211234567")); !IsAmbiguous(err) {
			t.Fatalf("SendMessage error = %v, want an ambiguous send", err)
		}
		entries := decodeEntries(t, logs.Bytes())
		if !withLogger {
			if len(entries) != 0 || logger.logged.Load() != 0 {
				t.Errorf("entries written without a logger: %v", entries)
			}
			continue
		}
		if len(entries) != 1 || entries[0]["level"] != "WARN" || logger.logged.Load() != 1 {
			t.Errorf("want only the WARN of the unknown outcome, built once; got %d built: %v", logger.logged.Load(), entries)
		}
	}
}

// countingLogger counts the entries handed to Log.
type countingLogger struct {
	*slog.Logger
	logged atomic.Int64
}

func (l *countingLogger) Log(ctx context.Context, level slog.Level, msg string, args ...any) {
	l.logged.Add(1)
	l.Logger.Log(ctx, level, msg, args...)
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
	ctx := context.Background()
	c, err := New(Config{BaseURL: a.URL + basePath, Username: "user", Password: "e", MaxRetries: 0, Logger: traceLogger(&logs)})
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
