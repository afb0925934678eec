package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Limits on what an error keeps of a server's answer.
const (
	maxErrorBody      = 64 << 10 // bytes of an error response read at most
	maxErrorText      = 2 << 10  // bytes of a non-JSON error body kept in the error
	maxFieldText      = 256      // bytes kept of each field of a FieldError
	maxFieldErrors    = 100      // field errors kept
	maxRenderedFields = 20       // field errors rendered by Error()
)

// FieldError is one entry of the API's validation error shape
// `{"errors": [{"field", "code", "description"}]}`, or a problem the client found itself.
type FieldError struct {
	// Field is the JSON path of the field, such as "text.body" or "destination[3]".
	Field string `json:"field"`
	// Code is the kind of problem: "required", "invalid_format", "invalid_value", ...
	Code string `json:"code"`
	// Description is the server's (or the client's) explanation.
	Description string `json:"description"`
	// Value, when the client knows it, is the value at Field, such as the phone number a
	// broadcast's "destination[3]" refers to. The server does not send it.
	Value string `json:"-"`
}

// String renders the field error as `field = value (code): description`.
func (f FieldError) String() string {
	var b strings.Builder
	b.WriteString(f.Field)
	if f.Value != "" {
		b.WriteString(" = ")
		b.WriteString(f.Value)
	}
	if f.Code != "" {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString("(" + f.Code + ")")
	}
	if f.Description != "" {
		if b.Len() > 0 {
			b.WriteString(": ")
		}
		b.WriteString(f.Description)
	}
	return b.String()
}

func writeFieldErrors(b *strings.Builder, fields []FieldError) {
	for i, f := range fields {
		if i == maxRenderedFields {
			fmt.Fprintf(b, "; and %d more", len(fields)-i)
			break
		}
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(f.String())
	}
}

// APIError is an error answer of the API: any status the client did not expect, with either
// of the reference's error bodies (`{message, statusCode, error}` or `{errors: [...]}`) or a
// body that is not JSON (kept, printable, up to 2 KiB).
type APIError struct {
	// StatusCode is the HTTP status of the response.
	StatusCode int
	// Method and Path name the request, such as "POST" and "/messages"; Path is relative to the
	// base URL and may carry the query (never credentials).
	Method, Path string
	// Message is the server's "message" field (for example "Whatsapp Cloud API error").
	Message string
	// Detail is the server's "error" field, or the text of a body that is not JSON.
	Detail string
	// Fields are the entries of an `{errors: [...]}` body.
	Fields []FieldError
	// RetryAfter is the wait the server asked for in Retry-After (0 when absent).
	RetryAfter time.Duration
	// RequestID is the server's request id header, when it sent one; useful to support.
	RequestID string
	// Location is where a redirect (3xx) pointed; the client never follows redirects.
	Location string
	// Attempts is how many times the request was made before giving up (1 when not retried).
	Attempts int
	// Hint says what the user can do about it.
	Hint string
	// WrongEndpoint is set for a 404 that is not the API's own answer (the reference's
	// `{message: "Whatsapp Cloud API error", statusCode, error}` about the object asked for):
	// something other than the EZITXT API answered at this path, so base_url is most likely
	// wrong. IsNotFound is false for it: nothing is known about the object.
	WrongEndpoint bool
}

// Error renders one message a user can act on: what failed, the status, the server's words,
// each field error, and what to do.
func (e *APIError) Error() string {
	var b strings.Builder
	if e.Method != "" || e.Path != "" {
		b.WriteString(strings.TrimSpace(e.Method + " " + e.Path))
		b.WriteString(": ")
	}
	b.WriteString(strconv.Itoa(e.StatusCode))
	if t := http.StatusText(e.StatusCode); t != "" {
		b.WriteString(" " + t)
	}
	if e.Location != "" {
		b.WriteString(": redirected to " + e.Location)
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if e.Detail != "" && e.Detail != e.Message {
		b.WriteString(": " + e.Detail)
	}
	if len(e.Fields) > 0 {
		b.WriteString(": ")
		writeFieldErrors(&b, e.Fields)
	}
	if e.RequestID != "" {
		b.WriteString(" (request id " + e.RequestID + ")")
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, ". Gave up after %d attempts", e.Attempts)
	}
	if e.Hint != "" {
		b.WriteString(". " + e.Hint)
	}
	return b.String()
}

// Hints per status, used when the request has no more specific one.
const (
	hintBadRequest    = "The service rejected the request as invalid; correct the fields named above."
	hintUnauthorized  = "Check the username and password (provider attributes username and password, or EZITXT_USERNAME and EZITXT_PASSWORD)."
	hintForbidden     = "The account lacks permission for this operation; ask EZITXT to enable it for your account."
	hintNotFound      = "Not found; check the id, the source and base_url."
	hintTooLarge      = "The file is too large for the service; use a smaller file (WhatsApp limits images to 5 MB, audio and video to 16 MB, documents to 100 MB)."
	hintUnsupported   = "The media type is not supported; use one of image/png, image/jpeg, text/plain, application/pdf, audio/mp3, video/mp4."
	hintUnprocessable = "The service could not process the request; for example, a source must be registered (ezitxt_source) before messages or media use it."
	hintRateLimited   = "Rate limited by the service. Requests are paced to the limit, which is learned from the first 429s when the API does not state it; raise max_retries (up to 10) to give that more room."
	hintServer        = "The EZITXT service had a problem; try again later."
	hintRedirect      = "The client does not follow redirects; check that base_url points at the EZITXT API (" + DefaultBaseURL + ")."
)

// wrongEndpointHint is the hint of a 404 that is not the API's own answer: it names base_url
// (as the client uses it) and what it must be.
func wrongEndpointHint(base string) string {
	return fmt.Sprintf("This answer is not the EZITXT API's: the server at base_url %q has no such endpoint, "+
		"so base_url is most likely wrong (nothing is known about the object asked for). base_url must be the "+
		"API's base URL including its path, such as %s; set it in the provider attribute base_url or EZITXT_BASE_URL.",
		base, DefaultBaseURL)
}

// apiErrorMessage is the `message` of the API's {message, statusCode, error} error shape: the
// same in every example of the reference.
const apiErrorMessage = "Whatsapp Cloud API error"

// endpointWords are phrases of a 404 that speak of the path rather than of an object: a server
// (or a proxy, or the mock) that has no such endpoint, even if it answers in the API's shape.
var endpointWords = []string{"endpoint", "route", "cannot get ", "cannot post ", "cannot patch ", "no handler"}

// apiNotFound reports whether a 404 is the API's own answer that the object asked for does not
// exist: the reference's {message, statusCode, error} shape with its message, the status in the
// body (when given) 404, and words about the object, not about the path.
func apiNotFound(e *APIError, apiShape bool) bool {
	if !apiShape || e.StatusCode != http.StatusNotFound {
		return false
	}
	detail := strings.ToLower(e.Detail)
	for _, w := range endpointWords {
		if strings.Contains(detail, w) {
			return false
		}
	}
	return true
}

func defaultHint(status int) string {
	switch {
	case status == http.StatusBadRequest:
		return hintBadRequest
	case status == http.StatusUnauthorized:
		return hintUnauthorized
	case status == http.StatusForbidden:
		return hintForbidden
	case status == http.StatusNotFound:
		return hintNotFound
	case status == http.StatusRequestEntityTooLarge:
		return hintTooLarge
	case status == http.StatusUnsupportedMediaType:
		return hintUnsupported
	case status == http.StatusUnprocessableEntity:
		return hintUnprocessable
	case status == http.StatusTooManyRequests:
		return hintRateLimited
	case status >= 500:
		return hintServer
	case status >= 300 && status < 400:
		return hintRedirect
	}
	return ""
}

// requestIDHeaders are response headers that may carry the server's request id.
var requestIDHeaders = []string{"X-Request-Id", "X-Correlation-Id", "X-Amzn-Requestid", "X-Amzn-Trace-Id", "Traceparent"}

func requestID(h http.Header) string {
	for _, k := range requestIDHeaders {
		if v := h.Get(k); v != "" {
			return sanitizeText(v, maxFieldText)
		}
	}
	return ""
}

// wireError holds both error shapes of the reference at once.
type wireError struct {
	Message    json.RawMessage `json:"message"`
	StatusCode json.RawMessage `json:"statusCode"`
	Error      json.RawMessage `json:"error"`
	Errors     []struct {
		Field       json.RawMessage `json:"field"`
		Code        json.RawMessage `json:"code"`
		Description json.RawMessage `json:"description"`
	} `json:"errors"`
}

// parseErrorBody fills the server's words into e from an error body: either JSON shape of the
// reference, or any other body as printable text. It reports whether the body is the API's own
// {message, statusCode, error} shape: message "Whatsapp Cloud API error", statusCode (when given)
// the status of the response, and error a string.
func parseErrorBody(e *APIError, body []byte, truncated bool) (apiShape bool) {
	var w wireError
	if err := json.Unmarshal(body, &w); err == nil && (w.Message != nil || w.Error != nil || w.Errors != nil) {
		var msg, detail string
		var code int
		apiShape = w.Errors == nil &&
			json.Unmarshal(w.Message, &msg) == nil && strings.EqualFold(strings.TrimSpace(msg), apiErrorMessage) &&
			json.Unmarshal(w.Error, &detail) == nil &&
			(w.StatusCode == nil || (json.Unmarshal(w.StatusCode, &code) == nil && code == e.StatusCode))
		e.Message = jsonText(w.Message, maxErrorText)
		e.Detail = jsonText(w.Error, maxErrorText)
		for i, f := range w.Errors {
			if i == maxFieldErrors {
				e.Fields = append(e.Fields, FieldError{Description: fmt.Sprintf("%d more errors not shown", len(w.Errors)-i)})
				break
			}
			e.Fields = append(e.Fields, FieldError{
				Field:       jsonText(f.Field, maxFieldText),
				Code:        jsonText(f.Code, maxFieldText),
				Description: jsonText(f.Description, maxFieldText),
			})
		}
		return apiShape
	}
	e.Detail = sanitizeText(string(body), maxErrorText)
	if truncated && e.Detail != "" && !strings.HasSuffix(e.Detail, "…") {
		e.Detail += "…"
	}
	return false
}

// jsonText renders a JSON value as text: a string as itself, anything else compacted.
func jsonText(raw json.RawMessage, limit int) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return sanitizeText(s, limit)
	}
	return sanitizeText(string(raw), limit)
}

// sanitizeText makes s safe to show: valid UTF-8, no control characters, whitespace collapsed,
// at most limit bytes (cut at a rune boundary, marked with an ellipsis).
func sanitizeText(s string, limit int) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		if unicode.IsSpace(r) || !unicode.IsPrint(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		if b.Len()+utf8.RuneLen(r) > limit {
			b.WriteString("…")
			break
		}
		b.WriteRune(r)
	}
	return b.String()
}

// AmbiguousSendError reports a send whose outcome is unknown: the request reached the server
// (or may have), but no clear answer came back: a 5xx, a dropped connection, a timeout or a
// cancellation after the request was written, or an acceptance whose answer could not be read.
// The message MAY HAVE BEEN SENT. The client never retries such a send.
type AmbiguousSendError struct {
	// Op names the request, such as "POST /messages".
	Op string
	// Destinations are the numbers the message may have been sent to.
	Destinations []string
	// NotSent counts the numbers of a broadcast that were never attempted because of this failure.
	NotSent int
	// Cause is what went wrong.
	Cause error
}

// Error says the message may have been sent, to whom, and how to check before applying again.
func (e *AmbiguousSendError) Error() string {
	var b strings.Builder
	if e.Op != "" {
		b.WriteString(e.Op + ": ")
	}
	b.WriteString("the outcome is unknown: ")
	switch len(e.Destinations) {
	case 0:
		b.WriteString("the message MAY HAVE BEEN SENT")
	case 1:
		b.WriteString("the message to " + e.Destinations[0] + " MAY HAVE BEEN SENT")
	default:
		fmt.Fprintf(&b, "the message to %d numbers (%s) MAY HAVE BEEN SENT", len(e.Destinations), listSome(e.Destinations, 3))
	}
	if e.Cause != nil {
		b.WriteString(" (" + e.Cause.Error() + ")")
	}
	b.WriteString(". It was not retried, so that nobody receives it twice.")
	if e.NotSent > 0 {
		fmt.Fprintf(&b, " %d further numbers were not sent to.", e.NotSent)
	}
	b.WriteString(" Before applying again, check whether it arrived (ask the recipient, or look for it in the EZITXT account's message history or your status callback logs); if it did not arrive, send it again deliberately.")
	return b.String()
}

// Unwrap returns the cause.
func (e *AmbiguousSendError) Unwrap() error { return e.Cause }

// listSome renders up to n items of list, then how many more there are.
func listSome(list []string, n int) string {
	if len(list) <= n {
		return strings.Join(list, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(list[:n], ", "), len(list)-n)
}

// IsAmbiguous reports whether err (or an error it wraps) is an *AmbiguousSendError.
func IsAmbiguous(err error) bool {
	var a *AmbiguousSendError
	return errors.As(err, &a)
}

// StatusCode returns the HTTP status of the *APIError in err's chain, or 0 when there is none.
func StatusCode(err error) int {
	var a *APIError
	if errors.As(err, &a) {
		return a.StatusCode
	}
	return 0
}

// IsNotFound reports whether err is the API's answer 404 Not Found for the object asked for, as
// for expired media or an unknown message id. A 404 that is not the API's own answer (a wrong
// base_url: see APIError.WrongEndpoint) is not: it says nothing about the object.
func IsNotFound(err error) bool {
	var a *APIError
	return errors.As(err, &a) && a.StatusCode == http.StatusNotFound && !a.WrongEndpoint
}

// IsUnauthorized reports whether err is an API answer 401 Unauthorized (bad credentials).
func IsUnauthorized(err error) bool { return StatusCode(err) == http.StatusUnauthorized }

// IsRateLimited reports whether err is an API answer 429 Too Many Requests (retries exhausted).
func IsRateLimited(err error) bool { return StatusCode(err) == http.StatusTooManyRequests }

// TransportError reports a request that got no HTTP answer: the connection failed, broke, or
// timed out. For a send it only appears when nothing was written (the message was certainly not
// sent); otherwise the send fails with an *AmbiguousSendError.
type TransportError struct {
	// Op names the request, such as "GET /messages".
	Op string
	// Attempts is how many times the request was made.
	Attempts int
	// Err is the last failure.
	Err error
	// NothingSent is true for a send that failed before any of it was written: the message
	// was certainly not sent.
	NothingSent bool
}

// Error names the request, the failure and what to check.
func (e *TransportError) Error() string {
	var b strings.Builder
	b.WriteString(e.Op + ": request failed: " + e.Err.Error())
	if e.NothingSent {
		b.WriteString(" (the request was not sent, so no message went out)")
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, ". Gave up after %d attempts", e.Attempts)
	}
	b.WriteString(". Check base_url, network access and proxy settings; if the service is slow, raise request_timeout.")
	return b.String()
}

// Unwrap returns the last failure.
func (e *TransportError) Unwrap() error { return e.Err }

// ResponseError reports a success status whose answer could not be used: a wrong Content-Type,
// JSON that does not parse, a body over the size limit, or fields missing.
type ResponseError struct {
	// Op names the request, such as "POST /media".
	Op string
	// StatusCode is the HTTP status of the response.
	StatusCode int
	// ContentType is the response's Content-Type.
	ContentType string
	// Err says what is wrong with the answer.
	Err error
}

// Error names the request and what is wrong with the answer.
func (e *ResponseError) Error() string {
	return fmt.Sprintf("%s: unusable answer (status %d, Content-Type %q): %v; check that base_url points at the EZITXT API",
		e.Op, e.StatusCode, e.ContentType, e.Err)
}

// Unwrap returns what is wrong with the answer.
func (e *ResponseError) Unwrap() error { return e.Err }

// sizeChangedError reports an upload whose file is not of the size announced; retrying cannot help.
type sizeChangedError struct{ msg string }

func (e *sizeChangedError) Error() string { return e.msg }
