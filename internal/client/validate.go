package client

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// Patterns for the identifiers the API accepts, as this project reads the reference (see
// api/README.md). The provider uses the same expressions for plan-time validation, so each rule
// lives in one place; String() gives the expression.
var (
	// E164Pattern matches an E.164 phone number: a plus sign and up to 15 digits, the first not 0.
	E164Pattern = regexp.MustCompile(`^\+[1-9][0-9]{1,14}$`)
	// SourcePattern matches a WhatsApp Business phone number id ("source"), the pattern the
	// reference gives for POST /media.
	SourcePattern = regexp.MustCompile(`^[1-9][0-9]*$`)
	// UUIDPattern matches a UUID in its canonical 8-4-4-4-12 hexadecimal form, either case.
	UUIDPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	// PINPattern matches the optional two-factor PIN of a source registration: exactly 6 digits.
	PINPattern = regexp.MustCompile(`^[0-9]{6}$`)
)

// MaxScheduleAhead is how far in the future a message may be scheduled: 60 days of 24 hours,
// measured by the server's clock when the request arrives.
const MaxScheduleAhead = 60 * 24 * time.Hour

// Validation codes used in FieldError.Code, the same words the API uses in its 400 responses.
const (
	CodeRequired      = "required"
	CodeInvalidFormat = "invalid_format"
	CodeInvalidValue  = "invalid_value"
	CodeOutOfRange    = "out_of_range"
	CodeTooLarge      = "too_large"
	CodeTooMany       = "too_many"
	CodeInvalidJSON   = "invalid_json"
)

// ValidateBaseURL checks a base URL as New does: absolute, https (http:// only for loopback
// hosts: localhost, 127.0.0.0/8, ::1), without credentials, query or fragment. An empty URL
// stands for DefaultBaseURL.
func ValidateBaseURL(raw string) error {
	_, err := parseBaseURL(raw)
	return err
}

// RedactURL returns raw with any user-info (`user:password@`) of its authority replaced by
// "***@", so that it can be quoted in errors and logs. It works on text that does not parse as
// a URL too.
func RedactURL(raw string) string {
	rest, prefix := raw, ""
	if i := strings.Index(raw, "//"); i >= 0 {
		prefix, rest = raw[:i+2], raw[i+2:]
	}
	authority := rest
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		authority = rest[:i]
	}
	at := strings.LastIndex(authority, "@")
	if at < 0 {
		return raw
	}
	return prefix + mask + rest[at:]
}

// ValidE164 reports whether s is an E.164 phone number as the API accepts it (E164Pattern).
func ValidE164(s string) bool { return E164Pattern.MatchString(s) }

// ValidSource reports whether s is a valid source, a WhatsApp Business phone number id (SourcePattern).
func ValidSource(s string) bool { return SourcePattern.MatchString(s) }

// ValidUUID reports whether s is a UUID such as a message id (UUIDPattern).
func ValidUUID(s string) bool { return UUIDPattern.MatchString(s) }

// ValidPIN reports whether s is a 6-digit registration PIN (PINPattern).
func ValidPIN(s string) bool { return PINPattern.MatchString(s) }

// ValidMediaURL reports whether s is an absolute http or https URL with a host, as media.url
// must be.
func ValidMediaURL(s string) bool {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return false
	}
	return u.Scheme == "http" || u.Scheme == "https"
}

// ValidAbsoluteURL reports whether s is an absolute URL (it has a scheme), as template.media.url
// must be when given.
func ValidAbsoluteURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.IsAbs()
}

// ValidJSON reports whether s is a JSON text, as raw.payload must be.
func ValidJSON(s string) bool { return json.Valid([]byte(s)) }

// ValidateScheduled checks a schedule time against now as the API will: strictly in the
// future and at most MaxScheduleAhead ahead. The server's clock decides in the end, so the
// client does not apply this check itself; the provider uses it at plan time.
func ValidateScheduled(t, now time.Time) error {
	switch {
	case !t.After(now):
		return fmt.Errorf("scheduled time %s is not in the future", t.Format(time.RFC3339))
	case t.Sub(now) > MaxScheduleAhead:
		return fmt.Errorf("scheduled time %s is more than 60 days ahead (latest allowed: %s)",
			t.Format(time.RFC3339), now.Add(MaxScheduleAhead).Format(time.RFC3339))
	}
	return nil
}

// ValidationError reports request fields the client rejected before sending anything: no
// request was made, so nothing was sent.
type ValidationError struct {
	// Op names the request that was not made, such as "POST /messages".
	Op string
	// Fields lists each problem, with the JSON path of the field as the API would name it.
	Fields []FieldError
}

// Error renders every problem in one message.
func (e *ValidationError) Error() string {
	var b strings.Builder
	if e.Op != "" {
		b.WriteString(e.Op)
		b.WriteString(": ")
	}
	b.WriteString("invalid request, nothing was sent: ")
	writeFieldErrors(&b, e.Fields)
	return b.String()
}

// problems collects field errors while validating a request.
type problems []FieldError

func (p *problems) add(field, code, description string) {
	*p = append(*p, FieldError{Field: field, Code: code, Description: description})
}

// err returns a *ValidationError for op when there were problems, or nil.
func (p problems) err(op string) error {
	if len(p) == 0 {
		return nil
	}
	return &ValidationError{Op: op, Fields: p}
}

// checkSource checks the "source" field.
func (p *problems) checkSource(source string) {
	const field = "source"
	switch {
	case source == "":
		p.add(field, CodeRequired, "a source (WhatsApp Business phone number id) is required")
	case !ValidSource(source):
		p.add(field, CodeInvalidFormat, fmt.Sprintf("%q is not a phone number id: it must be digits only, not starting with 0 (%s)", source, SourcePattern.String()))
	}
}

// checkE164 checks a destination number at field.
func (p *problems) checkE164(field, number string) {
	switch {
	case number == "":
		p.add(field, CodeRequired, "a destination phone number is required")
	case !ValidE164(number):
		p.add(field, CodeInvalidFormat, fmt.Sprintf("%q is not an E.164 phone number such as +64211234567", number))
	}
}
