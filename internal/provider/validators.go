package provider

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/client"
)

// The format rules of the API reference, as plan-time validators. The
// patterns themselves live in the client so that the client, the provider
// and the mock's tests agree on one definition.
var (
	e164Validator = stringvalidator.RegexMatches(client.E164Pattern,
		"must be a phone number in E.164 format: a plus sign, the country code and the number, at most 15 digits, such as +6421000001")
	sourceValidator = stringvalidator.RegexMatches(client.SourcePattern,
		"must be the WhatsApp Business phone number ID: digits only, not starting with 0, such as 1234567890")
	notEmptyValidator = stringvalidator.LengthAtLeast(1)
)

// stringRule is a plan-time rule for a string attribute, the one mechanism
// of the provider's own string validators. A known value that ok refuses
// (or, for a rule without ok, for which check returns an error) gets the
// error summary (or the Summary of check's error, if it has one), with the
// detail "Attribute <path> <problem>, got: <value>." (the problem is desc,
// or check's error), unless detail writes it. The diagnostic is reported at
// cliPath.
type stringRule struct {
	summary, desc string
	ok            func(string) bool
	check         func(string) error
	detail        func(p path.Path, value string, problem error) string
}

var _ validator.String = stringRule{}

func (r stringRule) Description(context.Context) string { return r.desc }

func (r stringRule) MarkdownDescription(ctx context.Context) string { return r.Description(ctx) }

func (r stringRule) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	value := req.ConfigValue.ValueString()
	var problem error
	switch {
	case r.ok != nil && r.ok(value):
		return
	case r.ok != nil:
		problem = errors.New(r.desc)
	default:
		if problem = r.check(value); problem == nil {
			return
		}
	}
	summary := r.summary
	var titled interface{ Summary() string }
	if errors.As(problem, &titled) {
		summary = titled.Summary()
	}
	detail := fmt.Sprintf("Attribute %s %s, got: %q.", req.Path, problem, value)
	if r.detail != nil {
		detail = r.detail(req.Path, value, problem)
	}
	resp.Diagnostics.AddAttributeError(cliPath(req.Path), summary, detail)
}

// pinValidator is the rule of a source's PIN, a secret: its error never
// repeats the value (a mistyped PIN is still close to the PIN).
var pinValidator = stringRule{
	summary: "Invalid Attribute Value",
	desc:    "must be exactly 6 digits",
	ok:      client.PINPattern.MatchString,
	detail: func(p path.Path, _ string, problem error) string {
		return fmt.Sprintf("Attribute %s %s; the value given is not shown because it is secret.", p, problem)
	},
}

// messageIDValidator is the rule of the data sources' message IDs: a UUID,
// or "", the id of a message whose send has an unknown outcome. Reading
// such a message by reference must work (and say "unknown"): refusing ""
// would fail every later plan, apply and destroy of the configuration.
var messageIDValidator = stringRule{
	summary: "Invalid Attribute Value Match",
	desc: "must be a message ID in UUID format, such as 3fa85f64-5717-4562-b3fc-2c963f66afa6 (or \"\", the id of a " +
		"message whose send has an unknown outcome)",
	ok: func(s string) bool { return s == "" || client.ValidUUID(s) },
}

// cliPath is the path to report a diagnostic on p at, so that every CLI
// shows the line of the value. Terraform up to 1.15 and OpenTofu 1.12 find
// the source of a path only through blocks, so for an attribute of a nested
// object, such as raw.payload, they show the first line of the resource.
// Written as an index into the object, raw["payload"], the same attribute is
// found by all of them (they look up string keys in object expressions).
// Other paths are returned as they are.
func cliPath(p path.Path) path.Path {
	steps := p.Steps()
	if len(steps) != 2 {
		return p
	}
	parent, ok1 := steps[0].(path.PathStepAttributeName)
	child, ok2 := steps[1].(path.PathStepAttributeName)
	if !ok1 || !ok2 {
		return p
	}
	return path.Root(string(parent)).AtMapKey(string(child))
}

// absoluteHTTPURL requires an absolute http or https URL (media.url, which
// the API fetches).
var absoluteHTTPURL = stringRule{
	summary: "Invalid URL",
	desc:    "must be an absolute http:// or https:// URL, such as https://example.com/logo.png",
	ok: func(s string) bool {
		u, err := url.Parse(s)
		return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
	},
}

// templateMediaURL requires template.media.url to be an absolute URL
// (client.ValidAbsoluteURL). The project reads the reference's string(url)
// as any absolute URL here, unlike media.url, which the API fetches over
// http(s) (see api/README.md).
var templateMediaURL = stringRule{
	summary: "Invalid URL",
	desc:    "must be an absolute URL, such as https://example.com/banner.png",
	ok:      client.ValidAbsoluteURL,
}

// fileName refuses control characters, which cannot be sent in the
// upload's Content-Disposition header.
var fileName = stringRule{
	summary: "Invalid File Name",
	desc:    "must not contain control characters such as line breaks or tabs",
	ok:      func(s string) bool { return strings.IndexFunc(s, unicode.IsControl) < 0 },
}

// baseURLRule applies the client's rules for the API base URL at plan
// time: absolute, https, or http only for a loopback host.
var baseURLRule = stringRule{
	summary: "Invalid EZITXT Base URL",
	desc:    "must be an absolute https:// URL; http:// is allowed only for loopback hosts such as 127.0.0.1 or localhost",
	check:   client.ValidateBaseURL,
	detail: func(_ path.Path, value string, problem error) string {
		return fmt.Sprintf("The base URL %q cannot be used: %s.", value, problem)
	},
}

// durationRule requires a Go duration string between 0 (exclusive) and max
// (inclusive).
func durationRule(maxDuration time.Duration) stringRule {
	return stringRule{
		summary: "Invalid Duration",
		desc:    fmt.Sprintf("must be a duration such as 30s or 2m, more than 0s and at most %s", maxDuration),
		check: func(s string) error {
			_, err := parseTimeout(s, maxDuration)
			return err
		},
	}
}

// base64Text requires standard base64, so that terraform validate already
// catches a content_base64 that cannot be decoded.
var base64Text = stringRule{
	summary: "Invalid Base64 Content",
	desc:    "must be standard base64, as base64encode() and filebase64() produce",
	check: func(s string) error {
		_, err := base64.StdEncoding.DecodeString(s)
		return err
	},
	detail: func(_ path.Path, _ string, problem error) string { return base64Problem(problem) },
}

// jsonTextDesc is what jsonText requires.
const jsonTextDesc = "must be JSON text, such as the result of jsonencode({...})"

// jsonText requires raw.payload to be JSON text, nested at most
// maxPayloadDepth deep. The payload is a plain string, not
// jsontypes.Normalized, so that the error names the attribute; a rewrite
// with other whitespace or key order is told from a change by sameRaw.
var jsonText = stringRule{
	summary: "Invalid JSON Payload",
	desc:    jsonTextDesc,
	check: func(s string) error {
		if depth := jsonDepth(s); depth > maxPayloadDepth {
			// Checked first: Terraform's plan display of such a value takes
			// time quadratic in its depth, and nothing would be gained by
			// parsing it.
			return payloadTooDeep(depth)
		}
		var doc any
		return json.Unmarshal([]byte(s), &doc)
	},
	detail: func(p path.Path, _ string, problem error) string {
		if errors.As(problem, new(payloadTooDeep)) {
			return fmt.Sprintf("Attribute %s %s. Check how the payload is built.", p, problem)
		}
		return fmt.Sprintf("Attribute %s %s: %s. Write it with jsonencode() to be sure it is valid.", p, jsonTextDesc, problem)
	},
}

// payloadTooDeep is jsonText's problem with a payload nested this deep.
type payloadTooDeep int

func (d payloadTooDeep) Error() string {
	return fmt.Sprintf("nests objects and arrays %d levels deep; at most %d are accepted (WhatsApp message "+
		"payloads use fewer than 10)", int(d), maxPayloadDepth)
}

// Summary is the summary of its diagnostic.
func (payloadTooDeep) Summary() string { return "JSON Payload Nested Too Deeply" }

// checkSchedule reports, on p, a scheduled time the API would refuse: not
// in the future, or more than 60 days ahead (client.ValidateScheduled). It
// is called only when a send is planned: a schedule already in state may
// lie in the past.
func checkSchedule(p path.Path, scheduled, now time.Time) (summary, detail string, ok bool) {
	err := client.ValidateScheduled(scheduled, now)
	switch {
	case err == nil:
		return "", "", true
	case !scheduled.After(now):
		return "Scheduled Time In The Past",
			fmt.Sprintf("Attribute %s: %s (it is now %s). Set a later time, or remove %s to send immediately.",
				p, err, now.UTC().Format(time.RFC3339), p), false
	default:
		return "Scheduled Time Too Far Ahead",
			fmt.Sprintf("Attribute %s: %s. The API accepts schedules at most 60 days ahead; choose an earlier time.", p, err), false
	}
}

// maxWaitTimeout bounds the timeouts of wait_for_status.
const maxWaitTimeout = 24 * time.Hour

// timeoutValidator checks a duration of a timeouts attribute, with an error
// that names the attribute (the timeouts library's does not) and is shown on
// the line of the value (see cliPath).
var timeoutValidator = durationRule(maxWaitTimeout)

// mediaID requires a media id as the API returns them: no spaces, slashes or
// control characters (it is sent inside a payload and used in URLs).
var mediaID = stringRule{
	summary: "Invalid Media ID",
	desc:    "must be the id of an uploaded ezitxt_media, such as ezitxt_media.logo.id: not empty, without spaces or slashes",
	ok: func(s string) bool {
		return s != "" && strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) || r == '/' }) < 0
	},
}

// mediaSourceValidator requires a media content object to name its media in
// exactly one way: a url the API fetches, or the media_id of an upload.
type mediaSourceValidator struct{}

var _ validator.Object = mediaSourceValidator{}

func (mediaSourceValidator) Description(context.Context) string {
	return "must set exactly one of url and media_id"
}

func (v mediaSourceValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v mediaSourceValidator) ValidateObject(ctx context.Context, req validator.ObjectRequest, resp *validator.ObjectResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	attrs := req.ConfigValue.Attributes()
	var set []string
	for _, name := range []string{"url", "media_id"} {
		a, ok := attrs[name]
		switch {
		case !ok:
		case a.IsUnknown():
			return
		case !a.IsNull():
			set = append(set, name)
		}
	}
	if len(set) == 1 {
		return
	}
	got := "neither"
	if len(set) > 1 {
		got = "both"
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Invalid Media Content",
		fmt.Sprintf("Attribute %s %s, got %s. For an upload: media = { type = \"image\", media_id = ezitxt_media.logo.id }; "+
			"for media the API fetches: media = { type = \"image\", url = \"https://example.com/logo.png\" }.",
			req.Path, v.Description(ctx), got))
}
