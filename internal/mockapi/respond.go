package mockapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// Validation error codes of the APIErrorResponse shape (400), as chosen in api/README.md.
const (
	CodeRequired      = "required"       // a required field is missing, null or empty
	CodeInvalidFormat = "invalid_format" // wrong JSON type, pattern or format
	CodeInvalidValue  = "invalid_value"  // not one of the allowed values
	CodeOutOfRange    = "out_of_range"   // a number or time outside its bounds
	CodeTooLarge      = "too_large"      // a value larger than allowed
	CodeTooMany       = "too_many"       // more array entries than allowed
	CodeInvalidJSON   = "invalid_json"   // not parseable as JSON
)

// APIErrorMessage is the constant `message` of the {message, statusCode, error} error shape, as in
// every example of the reference. The `error` field says what is wrong.
const APIErrorMessage = "Whatsapp Cloud API error"

// FieldError is one entry of a 400 response: {"field", "code", "description"}.
type FieldError struct {
	// Field is a JSON path such as "text.body", "destination[3]" or "scheduled", a query
	// parameter name, or "" for the request body as a whole.
	Field string `json:"field"`
	// Code is one of the Code constants.
	Code string `json:"code"`
	// Description says what is wrong and what is expected.
	Description string `json:"description"`
}

// ValidationErrorResponse is the body of every 400: the reference's APIErrorResponse schema.
type ValidationErrorResponse struct {
	Errors []FieldError `json:"errors"`
}

// ErrorResponse is the body of every other error (401, 404, 413, 415, 422, 429, 5xx).
type ErrorResponse struct {
	Message    string `json:"message"`
	StatusCode int    `json:"statusCode"`
	Error      string `json:"error"`
}

// securityHeaders are set on every response, errors and admin responses included.
var securityHeaders = [...][2]string{
	{"Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"},
	{"Strict-Transport-Security", "max-age=31536000; includeSubDomains"},
	{"Cache-Control", "no-store"},
	{"X-Frame-Options", "DENY"},
	{"X-Content-Type-Options", "nosniff"},
}

// SecurityHeaders returns the names and values of the security headers the mock sets on every
// response.
func SecurityHeaders() map[string]string {
	m := make(map[string]string, len(securityHeaders))
	for _, h := range securityHeaders {
		m[h[0]] = h[1]
	}
	return m
}

func setSecurityHeaders(h http.Header) {
	for _, kv := range securityHeaders {
		h.Set(kv[0], kv[1])
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil { // only for values the mock builds itself: a bug
		status = http.StatusInternalServerError
		body = []byte(`{"message":"` + APIErrorMessage + `","statusCode":500,"error":"encoding the response failed"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)+1))
	w.WriteHeader(status)
	_, _ = w.Write(append(body, '\n'))
}

// writeError writes the {message, statusCode, error} shape.
func writeError(w http.ResponseWriter, status int, format string, args ...any) {
	writeJSON(w, status, ErrorResponse{Message: APIErrorMessage, StatusCode: status, Error: fmt.Sprintf(format, args...)})
}

// writeValidation writes a 400 in the APIErrorResponse shape.
func writeValidation(w http.ResponseWriter, errs []FieldError) {
	writeJSON(w, http.StatusBadRequest, ValidationErrorResponse{Errors: errs})
}

// writeTooManyRequests writes a 429 with an integer Retry-After of at least one second.
func writeTooManyRequests(w http.ResponseWriter, retryAfter time.Duration, format string, args ...any) {
	w.Header().Set("Retry-After", strconv.FormatInt(retryAfterSeconds(retryAfter), 10))
	writeError(w, http.StatusTooManyRequests, format, args...)
}

// retryAfterSeconds rounds d up to whole seconds, at least 1.
func retryAfterSeconds(d time.Duration) int64 {
	secs := int64((d + time.Second - 1) / time.Second)
	return max(secs, 1)
}
