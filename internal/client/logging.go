package client

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"log/slog"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Logging goes to Config.Logger (the provider writes it to Terraform's logs, module
// "provider.ezitxt_client"): requests, answers and retry decisions at slog.LevelDebug,
// an unknown send outcome at slog.LevelWarn, request and answer JSON bodies at LevelTrace.
//
// Secrets are kept out in two lines of defence, before an entry reaches the logger. First, what
// is logged is chosen: the Authorization header is never a field, JSON bodies are logged only
// after every "pin" and "password" value is replaced, and media bytes are never logged (only file
// name, type and size). Second, every entry is masked: the values of fields named like secrets,
// and every occurrence of the password, the Basic token (base64 of user:password) or the PIN of
// the call as a whole value, in field values and messages alike. A whole value is not part of a
// longer word: masking a one-letter password inside every word that contains the letter would
// tell what the password is.
const (
	// maxLoggedBody bounds a body logged at TRACE.
	maxLoggedBody = 16 << 10
	mask          = "***"
)

// LevelTrace is the level of the client's most detailed entries (request and answer bodies),
// below slog.LevelDebug.
const LevelTrace = slog.LevelDebug - 4

// Logger receives the client's log entries; *slog.Logger is one. Log gets the entry's fields as
// slog's key-value pairs ("http_method", "GET", ...), in the order of their keys. Enabled is asked
// before an entry is built, so that one nobody writes costs nothing.
type Logger interface {
	Enabled(ctx context.Context, level slog.Level) bool
	Log(ctx context.Context, level slog.Level, msg string, args ...any)
}

// maskedFieldKeys are field names whose values are always replaced.
var maskedFieldKeys = []string{"authorization", "password", "pin", "http_request_header_authorization"}

// secretStrings returns the non-empty secrets, longest first (so that no secret is left partly
// visible by masking a shorter one inside it first).
func secretStrings(vals ...string) []string {
	out := make([]string, 0, len(vals))
	for _, v := range vals {
		if v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	slices.SortFunc(out, func(a, b string) int { return cmp.Compare(len(b), len(a)) })
	return out
}

// secretPattern matches any of secrets (longest first) as a whole value: where a secret begins
// or ends with a letter, digit or underscore, the text around it must not continue the word.
// It is nil without secrets.
func secretPattern(secrets []string) *regexp.Regexp {
	if len(secrets) == 0 {
		return nil
	}
	alts := make([]string, len(secrets))
	for i, sec := range secrets {
		p := regexp.QuoteMeta(sec)
		if isWordByte(sec[0]) {
			p = `\b` + p
		}
		if isWordByte(sec[len(sec)-1]) {
			p += `\b`
		}
		alts[i] = "(?:" + p + ")"
	}
	return regexp.MustCompile(strings.Join(alts, "|"))
}

func isWordByte(b byte) bool {
	return b == '_' || ('0' <= b && b <= '9') || ('a' <= b && b <= 'z') || ('A' <= b && b <= 'Z')
}

// emit masks an entry of cl and hands it to the logger, if it writes entries of level.
func (cl *call) emit(ctx context.Context, level slog.Level, msg string, f map[string]any) {
	if !cl.logger.Enabled(ctx, level) {
		return
	}
	keys := slices.Sorted(maps.Keys(f))
	args := make([]any, 0, 2*len(keys))
	for _, k := range keys {
		v := f[k]
		if slices.Contains(maskedFieldKeys, k) {
			v = mask
		} else if s, ok := v.(string); ok && cl.logMask != nil {
			v = cl.logMask.ReplaceAllLiteralString(s, mask)
		}
		args = append(args, k, v)
	}
	if cl.logMask != nil {
		msg = cl.logMask.ReplaceAllLiteralString(msg, mask)
	}
	cl.logger.Log(ctx, level, msg, args...)
}

// secretsPattern matches the client's secrets and extra ones as whole values.
func (c *Client) secretsPattern(extra ...string) *regexp.Regexp {
	if len(extra) == 0 {
		return c.secretsRE
	}
	return secretPattern(secretStrings(append(slices.Clone(c.secrets), extra...)...))
}

// redact replaces the client's secrets and extra ones in s, as whole values.
func (c *Client) redact(s string, extra ...string) string {
	if re := c.secretsPattern(extra...); re != nil {
		return re.ReplaceAllLiteralString(s, mask)
	}
	return s
}

func callFields(cl *call, attempt int) map[string]any {
	f := map[string]any{
		"http_method": cl.method,
		"http_path":   cl.target(),
		"attempt":     attempt,
	}
	for k, v := range cl.logFields {
		f[k] = v
	}
	return f
}

// logRequest logs an attempt about to be made; its JSON body at TRACE with secrets masked.
func logRequest(ctx context.Context, cl *call, attempt int, req *http.Request) {
	if cl.quiet {
		return
	}
	f := callFields(cl, attempt)
	f["http_url"] = req.URL.Redacted()
	f["http_request_content_length"] = req.ContentLength
	for name := range req.Header {
		key := "http_request_header_" + strings.ReplaceAll(strings.ToLower(name), "-", "_")
		if strings.EqualFold(name, "Authorization") {
			f[key] = mask
			continue
		}
		f[key] = req.Header.Get(name)
	}
	cl.emit(ctx, slog.LevelDebug, "Sending API request", f)
	if cl.jsonBody != nil {
		logBody(ctx, cl, "API request body", cl.jsonBody)
	}
}

// logResponse logs the status line of an answer.
func logResponse(ctx context.Context, cl *call, attempt int, resp *http.Response, d time.Duration) {
	if cl.quiet {
		return
	}
	f := callFields(cl, attempt)
	f["http_status"] = resp.StatusCode
	f["duration_ms"] = d.Milliseconds()
	f["http_response_content_type"] = resp.Header.Get("Content-Type")
	f["http_response_content_length"] = resp.ContentLength
	if id := requestID(resp.Header); id != "" {
		f["request_id"] = id
	}
	if ra := resp.Header.Get("Retry-After"); ra != "" {
		f["retry_after"] = ra
	}
	cl.emit(ctx, slog.LevelDebug, "Received API response", f)
}

// logBody logs a JSON body at TRACE, with the values of "pin" and "password" replaced. Bodies
// that are not JSON are not logged.
func logBody(ctx context.Context, cl *call, msg string, body []byte) {
	if cl.quiet || !cl.logger.Enabled(ctx, LevelTrace) {
		return
	}
	f := map[string]any{"http_method": cl.method, "http_path": cl.target()}
	masked, ok := maskJSON(body)
	if !ok {
		f["body_bytes"] = len(body)
		cl.emit(ctx, LevelTrace, msg+" (not JSON, not logged)", f)
		return
	}
	if len(masked) > maxLoggedBody {
		masked = masked[:maxLoggedBody] + "…"
	}
	f["body"] = masked
	cl.emit(ctx, LevelTrace, msg, f)
}

// maskJSON re-encodes a JSON text with the value of every "pin" and "password" key replaced.
func maskJSON(body []byte) (string, bool) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return "", false
	}
	out, err := json.Marshal(maskValue(v))
	if err != nil {
		return "", false
	}
	return string(out), true
}

func maskValue(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, val := range t {
			if strings.EqualFold(k, "pin") || strings.EqualFold(k, "password") {
				t[k] = mask
				continue
			}
			t[k] = maskValue(val)
		}
	case []any:
		for i, val := range t {
			t[i] = maskValue(val)
		}
	}
	return v
}

// logRetry logs a retry decision.
func logRetry(ctx context.Context, cl *call, attempt int, wait time.Duration, cause error) {
	if cl.quiet {
		return
	}
	f := callFields(cl, attempt)
	f["retry_in"] = wait.String()
	f["error"] = cause.Error()
	cl.emit(ctx, slog.LevelDebug, "Retrying API request", f)
}

// logRetriesExhausted logs that a retryable failure is final because retries are used up.
func logRetriesExhausted(ctx context.Context, cl *call, attempt int, cause error) {
	if cl.quiet {
		return
	}
	f := callFields(cl, attempt)
	f["error"] = cause.Error()
	cl.emit(ctx, slog.LevelDebug, "Giving up on API request: retries exhausted", f)
}

// logRetryAbandoned logs that a retry would pass the context's deadline.
func logRetryAbandoned(ctx context.Context, cl *call, attempt int, wait time.Duration, cause error) {
	if cl.quiet {
		return
	}
	f := callFields(cl, attempt)
	f["retry_in"] = wait.String()
	f["error"] = cause.Error()
	cl.emit(ctx, slog.LevelDebug, "Giving up on API request: the wait would pass the deadline", f)
}

// logAmbiguous warns that a send's outcome is unknown.
func logAmbiguous(ctx context.Context, cl *call, attempt int, cause error) {
	if cl.quiet {
		return
	}
	f := callFields(cl, attempt)
	f["destinations"] = len(cl.destinations)
	f["error"] = cause.Error()
	cl.emit(ctx, slog.LevelWarn, "Send outcome unknown: not retried, the message may have been sent", f)
}

// logErrorResponse logs what the server said in an error answer (already redacted).
func logErrorResponse(ctx context.Context, cl *call, attempt int, ae *APIError) {
	if cl.quiet {
		return
	}
	f := callFields(cl, attempt)
	f["http_status"] = ae.StatusCode
	f["error_message"] = ae.Message
	f["error_detail"] = ae.Detail
	f["error_fields"] = len(ae.Fields)
	cl.emit(ctx, slog.LevelDebug, "API error response", f)
}
