package mockapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// MaxSchedule is how far ahead a message can be scheduled: 60 days of 24 hours.
const MaxSchedule = 60 * 24 * time.Hour

// maxReportedErrors bounds the entries of one 400 response.
const maxReportedErrors = 100

var (
	e164Pattern   = regexp.MustCompile(`^\+[1-9][0-9]{1,14}$`)
	sourcePattern = regexp.MustCompile(`^[1-9][0-9]*$`)
	uuidPattern   = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	pinPattern    = regexp.MustCompile(`^[0-9]{6}$`)
)

// Descriptions shared by several checks.
const (
	descE164   = "must be an E.164 number such as +6421000001: a plus sign and up to 15 digits, the first not 0"
	descSource = "must be a WhatsApp business phone number id: digits only, not starting with 0, such as 1234567890"
	descUUID   = "must be a message id in UUID format such as 3fa85f64-5717-4562-b3fc-2c963f66afa6"
)

// Message types of a send request.
var messageTypes = []string{"text", "template", "media", "raw"}

// Media types of a media message.
var mediaTypes = []string{"audio", "document", "image", "video"}

// detailTypes are the MessageDetails types a raw payload's own type can take.
var detailTypes = []string{"text", "template", "media", "image", "audio", "video", "document"}

// checker collects the problems of one request, in the order they are found.
type checker struct {
	errs []FieldError
}

func (c *checker) add(field, code, format string, args ...any) {
	if len(c.errs) < maxReportedErrors {
		c.errs = append(c.errs, FieldError{Field: field, Code: code, Description: fmt.Sprintf(format, args...)})
	}
}

func (c *checker) ok() bool { return len(c.errs) == 0 }

// object is a JSON object decoded with UseNumber, with its path in the request.
type object struct {
	fields map[string]any
	path   string
}

func (o object) at(key string) string {
	if o.path == "" {
		return key
	}
	return o.path + "." + key
}

func indexPath(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// get returns the value of key and whether it is present (null included).
func (o object) get(key string) (any, bool) {
	v, ok := o.fields[key]
	return v, ok
}

// present reports whether key holds a usable value: a missing required key is reported, and
// so is null, which the contract allows nowhere (optional fields are omitted, not null).
func (c *checker) present(o object, key string, required bool) (any, bool) {
	v, ok := o.get(key)
	switch {
	case !ok && required:
		c.add(o.at(key), CodeRequired, "is required")
	case ok && v == nil && required:
		c.add(o.at(key), CodeRequired, "is required, not null")
	case ok && v == nil:
		c.add(o.at(key), CodeInvalidFormat, "must not be null: omit the field instead")
	}
	return v, ok && v != nil
}

// str returns the string at key. A missing required key, or a value of another JSON type, is
// reported; present tells whether a string was found.
func (c *checker) str(o object, key string, required bool) (s string, found bool) {
	v, ok := c.present(o, key, required)
	if !ok {
		return "", false
	}
	s, isString := v.(string)
	if !isString {
		c.add(o.at(key), CodeInvalidFormat, "must be a string, not %s", jsonKind(v))
		return "", false
	}
	return s, true
}

// nonEmpty returns the string at key, reporting it when missing or empty.
func (c *checker) nonEmpty(o object, key string) (string, bool) {
	s, ok := c.str(o, key, true)
	if ok && s == "" {
		c.add(o.at(key), CodeRequired, "must not be empty")
		return "", false
	}
	return s, ok
}

// obj returns the object at key.
func (c *checker) obj(o object, key string, required bool, requiredWhy string) (object, bool) {
	if _, ok := o.get(key); !ok && required {
		c.add(o.at(key), CodeRequired, "is required%s", requiredWhy)
		return object{}, false
	}
	v, ok := c.present(o, key, required)
	if !ok {
		return object{}, false
	}
	m, isObject := v.(map[string]any)
	if !isObject {
		c.add(o.at(key), CodeInvalidFormat, "must be an object, not %s", jsonKind(v))
		return object{}, false
	}
	return object{fields: m, path: o.at(key)}, true
}

// arr returns the array at key.
func (c *checker) arr(o object, key string, required bool) ([]any, bool) {
	v, ok := c.present(o, key, required)
	if !ok {
		return nil, false
	}
	a, isArray := v.([]any)
	if !isArray {
		c.add(o.at(key), CodeInvalidFormat, "must be an array, not %s", jsonKind(v))
		return nil, false
	}
	return a, true
}

// strings returns the array of strings at key (optional).
func (c *checker) strings(o object, key string) []string {
	a, ok := c.arr(o, key, false)
	if !ok {
		return nil
	}
	out := make([]string, 0, len(a))
	for i, v := range a {
		s, isString := v.(string)
		if !isString {
			c.add(indexPath(o.at(key), i), CodeInvalidFormat, "must be a string, not %s", jsonKind(v))
			continue
		}
		out = append(out, s)
	}
	return out
}

// oneOf checks that s is one of allowed.
func (c *checker) oneOf(field, s string, allowed []string) bool {
	if slices.Contains(allowed, s) {
		return true
	}
	c.add(field, CodeInvalidValue, "must be one of %s, not %q", strings.Join(allowed, ", "), s)
	return false
}

func (c *checker) e164(field, s string) bool {
	if e164Pattern.MatchString(s) {
		return true
	}
	c.add(field, CodeInvalidFormat, descE164)
	return false
}

func (c *checker) source(field, s string) bool {
	if sourcePattern.MatchString(s) {
		return true
	}
	c.add(field, CodeInvalidFormat, descSource)
	return false
}

func (c *checker) httpURL(field, s string) bool {
	if isHTTPURL(s) {
		return true
	}
	c.add(field, CodeInvalidFormat, "must be an absolute http or https URL such as https://example.com/logo.png")
	return false
}

// absoluteURL checks a URL the reference types only as string(url): any
// absolute URL (api/README.md: template.media.url).
func (c *checker) absoluteURL(field, s string) bool {
	if u, err := url.Parse(s); err == nil && u.IsAbs() && !strings.ContainsFunc(s, unicode.IsSpace) {
		return true
	}
	c.add(field, CodeInvalidFormat, "must be an absolute URL such as https://example.com/header.png")
	return false
}

func isHTTPURL(s string) bool {
	if strings.ContainsFunc(s, unicode.IsSpace) {
		return false
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return false
	}
	scheme := strings.ToLower(u.Scheme)
	return (scheme == "http" || scheme == "https") && strings.HasPrefix(strings.ToLower(s), scheme+"://")
}

// int32At checks the optional integer at key.
func (c *checker) int32At(o object, key string) {
	v, ok := c.present(o, key, false)
	if !ok {
		return
	}
	n, isNumber := v.(json.Number)
	if !isNumber {
		c.add(o.at(key), CodeInvalidFormat, "must be an integer, not %s", jsonKind(v))
		return
	}
	f, err := strconv.ParseFloat(n.String(), 64)
	switch {
	case err != nil && !errors.Is(err, strconv.ErrRange):
		c.add(o.at(key), CodeInvalidFormat, "must be an integer")
	case err != nil || f < math.MinInt32 || f > math.MaxInt32:
		c.add(o.at(key), CodeOutOfRange, "must be a 32-bit integer (between %d and %d)", math.MinInt32, math.MaxInt32)
	case f != math.Trunc(f):
		c.add(o.at(key), CodeInvalidFormat, "must be an integer, not %s", n)
	}
}

// jsonKind names the JSON type of a decoded value, for messages.
func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case json.Number, float64:
		return "a number"
	case string:
		return "a string"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	default:
		return fmt.Sprintf("%T", v)
	}
}

// decodeObject parses a JSON request body that must be one object.
func decodeObject(body []byte) (object, *FieldError) {
	if len(bytes.TrimSpace(body)) == 0 {
		return object{}, &FieldError{Code: CodeInvalidJSON, Description: "the request body is empty; expected a JSON object"}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return object{}, &FieldError{Code: CodeInvalidJSON, Description: "the request body is not valid JSON: " + describeJSONError(err, body)}
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return object{}, &FieldError{Code: CodeInvalidJSON, Description: "the request body has data after its JSON value; send exactly one JSON object"}
	}
	m, ok := v.(map[string]any)
	if !ok {
		return object{}, &FieldError{Code: CodeInvalidFormat, Description: "the request body must be a JSON object, not " + jsonKind(v)}
	}
	return object{fields: m}, nil
}

func describeJSONError(err error, body []byte) string {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return fmt.Sprintf("%s (at byte %d)", syn.Error(), syn.Offset)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return fmt.Sprintf("unexpected end of input after %d bytes", len(body))
	}
	return err.Error()
}

// messageInput is a validated send request.
type messageInput struct {
	destinations []string
	source       string
	typ          string
	reference    string
	scheduled    time.Time
	canonical    []byte // the content object of the type, re-encoded with sorted keys
	detailType   string
	attrs        Attributes
	failure      string // set by Server.send: why a template send will fail, or ""
}

// parseMessage validates the body of POST /messages (broadcast false) or POST
// /messages/broadcast (broadcast true) at mock time now.
func parseMessage(body object, now time.Time, broadcast bool, maxDestinations int) (messageInput, []FieldError) {
	var c checker
	var in messageInput
	if broadcast {
		in.destinations = c.broadcastDestinations(body, maxDestinations)
	} else if to, ok := c.singleDestination(body); ok {
		in.destinations = []string{to}
	}
	if s, ok := c.str(body, "source", true); ok {
		if c.source("source", s) {
			in.source = s
		}
	}
	if t, ok := c.str(body, "type", true); ok && c.oneOf("type", t, messageTypes) {
		in.typ = t
		if content, ok := c.obj(body, t, true, fmt.Sprintf(" when type is %q", t)); ok {
			c.content(&in, content)
			if c.ok() {
				in.canonical, _ = json.Marshal(content.fields) // map keys come out sorted
			}
		}
	}
	if s, ok := c.str(body, "scheduled", false); ok {
		in.scheduled = c.schedule("scheduled", s, now)
	}
	in.reference, _ = c.str(body, "reference", false)
	return in, c.errs
}

func (c *checker) singleDestination(body object) (string, bool) {
	_, toGiven := body.get("to")
	_, destGiven := body.get("destination")
	to, hasTo := c.str(body, "to", false)
	dest, hasDest := c.str(body, "destination", false)
	if !toGiven && !destGiven {
		c.add("to", CodeRequired, "is required: the recipient's E.164 number such as +6421000001 (or give it as destination)")
		return "", false
	}
	okTo := hasTo && c.e164("to", to)
	okDest := hasDest && c.e164("destination", dest)
	switch {
	case okTo && okDest && to != dest:
		c.add("destination", CodeInvalidValue, "differs from to (%s); give the recipient once, in to", to)
		return "", false
	case okTo:
		return to, true
	case okDest:
		return dest, true
	}
	return "", false
}

func (c *checker) broadcastDestinations(body object, maxDestinations int) []string {
	list, ok := c.arr(body, "destination", true)
	if !ok {
		return nil
	}
	switch {
	case len(list) == 0:
		c.add("destination", CodeRequired, "must list at least one E.164 number")
		return nil
	case len(list) > maxDestinations:
		c.add("destination", CodeTooMany, "has %d numbers; at most %d are allowed per request: send larger lists in batches", len(list), maxDestinations)
		return nil
	}
	out := make([]string, 0, len(list))
	for i, v := range list {
		s, isString := v.(string)
		switch {
		case !isString:
			c.add(indexPath("destination", i), CodeInvalidFormat, "must be a string, not %s", jsonKind(v))
		case c.e164(indexPath("destination", i), s):
			out = append(out, s)
		}
	}
	return out
}

// schedule parses an RFC 3339 time that must lie in (now, now+MaxSchedule].
func (c *checker) schedule(field, s string, now time.Time) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		c.add(field, CodeInvalidFormat, "must be an RFC 3339 date-time such as 2030-01-02T15:04:05Z")
		return time.Time{}
	}
	switch limit := now.Add(MaxSchedule); {
	case !t.After(now):
		c.add(field, CodeOutOfRange, "must be in the future: the server time is %s", now.Format(time.RFC3339))
	case t.After(limit):
		c.add(field, CodeOutOfRange, "must be at most 60 days ahead: no later than %s", limit.Format(time.RFC3339))
	default:
		return t.UTC()
	}
	return time.Time{}
}

// content validates the content object of in.typ and derives the MessageDetails type and
// attributes from it.
func (c *checker) content(in *messageInput, o object) {
	switch in.typ {
	case "text":
		if body, ok := c.nonEmpty(o, "body"); ok {
			in.detailType, in.attrs = "text", Attributes{Body: body}
		}
	case "media":
		typ, okType := c.str(o, "type", true)
		okType = okType && c.oneOf(o.at("type"), typ, mediaTypes)
		u, okURL := c.str(o, "url", true)
		okURL = okURL && c.httpURL(o.at("url"), u)
		if okType && okURL {
			in.detailType, in.attrs = typ, Attributes{Media: &MediaRef{ID: u, Type: typ}}
		}
	case "template":
		c.template(in, o)
	case "raw":
		c.raw(in, o)
	}
}

func (c *checker) template(in *messageInput, o object) {
	name, _ := c.nonEmpty(o, "name")
	c.nonEmpty(o, "language")
	header := c.strings(o, "header_params")
	body := c.strings(o, "body_params")
	attrs := Attributes{Header: strings.Join(header, " "), Body: strings.Join(body, " ")}
	if attrs.Body == "" {
		attrs.Body = name
	}
	if media, ok := c.obj(o, "media", false, ""); ok {
		typ, _ := c.str(media, "type", false)
		u, hasURL := c.str(media, "url", false)
		if hasURL {
			c.absoluteURL(media.at("url"), u)
		}
		if typ != "" || u != "" {
			attrs.Media = &MediaRef{ID: u, Type: typ}
		}
	}
	if buttons, ok := c.arr(o, "buttons", false); ok {
		for i, v := range buttons {
			path := indexPath(o.at("buttons"), i)
			m, isObject := v.(map[string]any)
			if !isObject {
				c.add(path, CodeInvalidFormat, "must be an object, not %s", jsonKind(v))
				continue
			}
			b := object{fields: m, path: path}
			c.int32At(b, "index")
			typ, _ := c.str(b, "type", false)
			payload, _ := c.str(b, "payload", false)
			text := payload
			if text == "" {
				text = typ
			}
			attrs.Buttons = append(attrs.Buttons, ButtonDetail{Text: text})
		}
	}
	in.detailType, in.attrs = "template", attrs
}

func (c *checker) raw(in *messageInput, o object) {
	c.str(o, "version", false)
	payload, ok := c.nonEmpty(o, "payload")
	if !ok {
		return
	}
	var doc any
	if err := json.Unmarshal([]byte(payload), &doc); err != nil {
		c.add(o.at("payload"), CodeInvalidJSON, "must be a JSON document in a string: %s", describeJSONError(err, []byte(payload)))
		return
	}
	in.detailType, in.attrs = "text", Attributes{}
	fields, _ := doc.(map[string]any)
	if t, _ := fields["type"].(string); slices.Contains(detailTypes, t) {
		in.detailType = t
	}
	if text, _ := fields["text"].(map[string]any); text != nil {
		in.attrs.Body, _ = text["body"].(string)
	}
	if media, _ := fields[in.detailType].(map[string]any); media != nil && in.detailType != "text" {
		id, _ := media["id"].(string)
		if id == "" {
			id, _ = media["link"].(string)
		}
		in.attrs.Media = &MediaRef{ID: id, Type: in.detailType}
		in.attrs.Body, _ = media["caption"].(string)
	}
}

// sourceInput is a validated POST /source body.
type sourceInput struct {
	source, wabaID, pin string
}

func parseSource(body object) (sourceInput, []FieldError) {
	var c checker
	var in sourceInput
	if s, ok := c.str(body, "source", true); ok && c.source("source", s) {
		in.source = s
	}
	in.wabaID, _ = c.nonEmpty(body, "waba_id")
	if pin, ok := c.str(body, "pin", false); ok {
		if pinPattern.MatchString(pin) {
			in.pin = pin
		} else {
			c.add("pin", CodeInvalidFormat, "must be exactly 6 digits")
		}
	}
	return in, c.errs
}

// parseMarkRead validates the body of PATCH /messages.
func parseMarkRead(body object) ([]string, []FieldError) {
	var c checker
	list, ok := c.arr(body, "message_id", true)
	if !ok {
		return nil, c.errs
	}
	if len(list) == 0 {
		c.add("message_id", CodeRequired, "must list at least one message id")
	}
	ids := make([]string, 0, len(list))
	for i, v := range list {
		s, isString := v.(string)
		switch {
		case !isString:
			c.add(indexPath("message_id", i), CodeInvalidFormat, "must be a string, not %s", jsonKind(v))
		case !uuidPattern.MatchString(s):
			c.add(indexPath("message_id", i), CodeInvalidFormat, descUUID)
		default:
			ids = append(ids, strings.ToLower(s))
		}
	}
	return ids, c.errs
}

// queryParam checks a required query parameter against pattern.
func (c *checker) queryParam(q url.Values, name string, pattern *regexp.Regexp, desc string) string {
	v := q.Get(name)
	if v == "" {
		c.add(name, CodeRequired, "query parameter %s is required", name)
		return ""
	}
	if pattern != nil && !pattern.MatchString(v) {
		c.add(name, CodeInvalidFormat, "%s", desc)
		return ""
	}
	return v
}
