package provider

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
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
	pinValidator      = secretPatternValidator{re: client.PINPattern, desc: "must be exactly 6 digits"}
	notEmptyValidator = stringvalidator.LengthAtLeast(1)
)

// secretPatternValidator is stringvalidator.RegexMatches for secrets: its
// error never repeats the value (a mistyped PIN is still close to the PIN).
type secretPatternValidator struct {
	re   *regexp.Regexp
	desc string
}

var _ validator.String = secretPatternValidator{}

func (v secretPatternValidator) Description(context.Context) string { return v.desc }

func (v secretPatternValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v secretPatternValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() || v.re.MatchString(req.ConfigValue.ValueString()) {
		return
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Invalid Attribute Value",
		fmt.Sprintf("Attribute %s %s; the value given is not shown because it is secret.", req.Path, v.desc))
}

// stringRule is a plan-time rule for a string attribute: a known value for
// which ok is false gets the error summary, with the detail "Attribute
// <path> <desc>, got: <value>.". It is for rules whose value may be shown.
type stringRule struct {
	summary, desc string
	ok            func(string) bool
}

var _ validator.String = stringRule{}

func (r stringRule) Description(context.Context) string { return r.desc }

func (r stringRule) MarkdownDescription(ctx context.Context) string { return r.Description(ctx) }

func (r stringRule) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() || r.ok(req.ConfigValue.ValueString()) {
		return
	}
	resp.Diagnostics.AddAttributeError(cliPath(req.Path), r.summary,
		fmt.Sprintf("Attribute %s %s, got: %q.", req.Path, r.desc, req.ConfigValue.ValueString()))
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

// baseURLValidator applies the client's rules for the API base URL at plan
// time: absolute, https, or http only for a loopback host.
type baseURLValidator struct{}

var _ validator.String = baseURLValidator{}

func (baseURLValidator) Description(context.Context) string {
	return "must be an absolute https:// URL; http:// is allowed only for loopback hosts such as 127.0.0.1 or localhost"
}

func (v baseURLValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v baseURLValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := client.ValidateBaseURL(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid EZITXT Base URL",
			fmt.Sprintf("The base URL %q cannot be used: %s.", req.ConfigValue.ValueString(), err))
	}
}

// durationValidator requires a Go duration string between 0 (exclusive) and
// max (inclusive).
type durationValidator struct {
	max time.Duration
}

var _ validator.String = durationValidator{}

func (v durationValidator) Description(context.Context) string {
	return fmt.Sprintf("must be a duration such as 30s or 2m, more than 0s and at most %s", v.max)
}

func (v durationValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v durationValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := parseTimeout(req.ConfigValue.ValueString(), v.max); err != nil {
		resp.Diagnostics.AddAttributeError(cliPath(req.Path), "Invalid Duration",
			fmt.Sprintf("Attribute %s %s, got: %q.", req.Path, err, req.ConfigValue.ValueString()))
	}
}

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
var timeoutValidator = durationValidator{max: maxWaitTimeout}

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
