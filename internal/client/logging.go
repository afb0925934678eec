package client

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// Logging goes to tflog's subsystem "ezitxt_client" (module "provider.ezitxt_client"): requests,
// answers and retry decisions at DEBUG, request and answer JSON bodies at TRACE. Its level
// follows the provider's (TF_LOG, TF_LOG_PROVIDER) unless TF_LOG_PROVIDER_EZITXT_CLIENT sets one.
//
// Secrets are kept out in two lines of defence. First, what is logged is chosen: the
// Authorization header is never a field, JSON bodies are logged only after every "pin" and
// "password" value is replaced, and media bytes are never logged (only file name, type and
// size). Second, tflog masks, on every entry of the subsystem: the values of fields named like
// secrets, and every occurrence of the password, the Basic token (base64 of user:password) or the
// PIN of the call as a whole value, in field values and messages alike. A whole value is not part
// of a longer word: masking a one-letter password inside every word that contains the letter
// would tell what the password is.
const (
	logSubsystem = "ezitxt_client"
	logLevelEnv  = "TF_LOG_PROVIDER_EZITXT_CLIENT"
	// maxLoggedBody bounds a body logged at TRACE.
	maxLoggedBody = 16 << 10
	mask          = "***"
)

// maskedFieldKeys are field names whose values tflog always replaces.
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

// logsOff reports whether the client's subsystem is switched off by its environment variable
// (main.go sets it to off when nobody reads the provider's logs). tflog would then drop every
// entry anyway; the client skips building them, which costs more CPU per request than the
// request itself against a nearby server.
func logsOff(getenv func(string) string) bool {
	return strings.EqualFold(strings.TrimSpace(getenv(logLevelEnv)), "off")
}

// logContext returns ctx with the client's logging subsystem, its masks, and extra secrets of
// this call (such as a PIN) masked too.
func (c *Client) logContext(ctx context.Context, extra ...string) context.Context {
	ctx = tflog.NewSubsystem(ctx, logSubsystem, tflog.WithLevelFromEnv(logLevelEnv))
	ctx = tflog.SubsystemMaskFieldValuesWithFieldKeys(ctx, logSubsystem, maskedFieldKeys...)
	if re := c.secretsPattern(extra...); re != nil {
		ctx = tflog.SubsystemMaskAllFieldValuesRegexes(ctx, logSubsystem, re)
		ctx = tflog.SubsystemMaskMessageRegexes(ctx, logSubsystem, re)
	}
	return ctx
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
	tflog.SubsystemDebug(ctx, logSubsystem, "Sending API request", f)
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
	tflog.SubsystemDebug(ctx, logSubsystem, "Received API response", f)
}

// logBody logs a JSON body at TRACE, with the values of "pin" and "password" replaced. Bodies
// that are not JSON are not logged.
func logBody(ctx context.Context, cl *call, msg string, body []byte) {
	if cl.quiet || !tflog.SubsystemIsTrace(ctx, logSubsystem) {
		return
	}
	f := map[string]any{"http_method": cl.method, "http_path": cl.target()}
	masked, ok := maskJSON(body)
	if !ok {
		f["body_bytes"] = len(body)
		tflog.SubsystemTrace(ctx, logSubsystem, msg+" (not JSON, not logged)", f)
		return
	}
	if len(masked) > maxLoggedBody {
		masked = masked[:maxLoggedBody] + "…"
	}
	f["body"] = masked
	tflog.SubsystemTrace(ctx, logSubsystem, msg, f)
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
	tflog.SubsystemDebug(ctx, logSubsystem, "Retrying API request", f)
}

// logRetriesExhausted logs that a retryable failure is final because retries are used up.
func logRetriesExhausted(ctx context.Context, cl *call, attempt int, cause error) {
	if cl.quiet {
		return
	}
	f := callFields(cl, attempt)
	f["error"] = cause.Error()
	tflog.SubsystemDebug(ctx, logSubsystem, "Giving up on API request: retries exhausted", f)
}

// logRetryAbandoned logs that a retry would pass the context's deadline.
func logRetryAbandoned(ctx context.Context, cl *call, attempt int, wait time.Duration, cause error) {
	if cl.quiet {
		return
	}
	f := callFields(cl, attempt)
	f["retry_in"] = wait.String()
	f["error"] = cause.Error()
	tflog.SubsystemDebug(ctx, logSubsystem, "Giving up on API request: the wait would pass the deadline", f)
}

// logAmbiguous warns that a send's outcome is unknown.
func logAmbiguous(ctx context.Context, cl *call, attempt int, cause error) {
	if cl.quiet {
		return
	}
	f := callFields(cl, attempt)
	f["destinations"] = len(cl.destinations)
	f["error"] = cause.Error()
	tflog.SubsystemWarn(ctx, logSubsystem, "Send outcome unknown: not retried, the message may have been sent", f)
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
	tflog.SubsystemDebug(ctx, logSubsystem, "API error response", f)
}
