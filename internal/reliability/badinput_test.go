package reliability

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/acctest"
	"github.com/ezitxt/terraform-provider-ezitxt/internal/provider"
)

// TestBadInput is the one table of invalid configurations: the provider
// block, every resource, data source and action. Each configuration must
// fail at validate or plan time with an error diagnostic that names the
// attribute (Terraform shows the attribute's line, or the detail names it)
// and says how to fix it; no request may reach the mock (each case has a
// private one) and the provider must not panic.
//
// Provider, resource and data source cases run through the CLI with
// terraform-plugin-testing (TF_ACC=1 and EZITXT_RELIABILITY=1). Action cases
// run at the protocol level in every `go test` (ValidateActionConfig, then
// PlanAction as Terraform does), and through the CLI as well when it is
// Terraform 1.14 or later.
//
// Controls are valid configurations at the limits the reference sets (an
// int32 button index, 1,001 broadcast destinations, which are batched):
// they must plan without error and without a request, which shows that the
// suite's limits are no stricter than the reference.
func TestBadInput(t *testing.T) {
	t.Parallel()
	cli := os.Getenv(envSuites) != "" && os.Getenv("TF_ACC") != ""
	var tally badTally
	var emptyFile string
	if cli {
		emptyFile = filepath.Join(t.TempDir(), "empty.png")
		if err := os.WriteFile(emptyFile, nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cases := badInputCases(emptyFile)
	checkTable(t, cases)

	t.Run("case", func(t *testing.T) {
		for _, tc := range cases {
			switch {
			case tc.action != "":
				t.Run(tc.name+"/protocol", func(t *testing.T) {
					t.Parallel()
					tally.run(t, tc, "protocol", func(t *testing.T) int64 { return runActionProtocol(t, tc) })
				})
				t.Run(tc.name+"/cli", func(t *testing.T) {
					if !cli {
						tally.skip("cli-action")
						t.Skipf("action case through the CLI skipped: set TF_ACC=1 and %s=1", envSuites)
					}
					t.Parallel()
					tally.run(t, tc, "cli-action", func(t *testing.T) int64 { return runActionCLI(t, tc) })
				})
			default:
				t.Run(tc.name, func(t *testing.T) {
					if !cli {
						tally.skip("cli")
						t.Skipf("CLI case skipped: set TF_ACC=1 and %s=1", envSuites)
					}
					t.Parallel()
					tally.run(t, tc, "cli", func(t *testing.T) int64 { return runConfigCLI(t, tc) })
				})
			}
		}
	})
	how := "actions at the protocol level only (set TF_ACC=1 and " + envSuites + "=1 for the CLI)"
	if cli {
		how = "through Terraform " + terraformVersion(t, terraformPath(t)) + " and, for actions, the protocol level"
	}
	figures(t, "bad-input", "%s; %s", how, tally.String(cases))
}

// badCase is one invalid configuration (or, with control, a valid one at a
// limit).
type badCase struct {
	name string
	// kind is what the case is about: provider, ezitxt_source, ..., for the
	// figures.
	kind string
	// providerAttrs, when set, replace or (with a nil value) remove
	// attributes of the provider block.
	providerAttrs map[string]any
	// hcl is the configuration after the provider block.
	hcl string
	// action and actionCfg make an action case: the action type and its
	// configuration (attributes left out are null).
	action    string
	actionCfg map[string]any
	// path is, for action cases, where the error must be: an attribute path
	// as acctest.DiagnosticPath renders it (alternatives separated by "|":
	// an element of a set or of a list).
	path string
	// want are fragments the error output must show, in order: the summary,
	// the attribute (as Terraform shows its line, or as the detail names
	// it), and what to do.
	want []string
	// control marks a valid configuration at a limit: it must plan cleanly.
	control bool
}

// msg wraps an ezitxt_message from acctest.Source around body.
func msg(body string) string {
	return fmt.Sprintf("resource \"ezitxt_message\" \"bad\" {\n  source = %q\n%s\n}\n", acctest.Source, body)
}

// bcast wraps an ezitxt_broadcast from acctest.Source around body.
func bcast(body string) string {
	return fmt.Sprintf("resource \"ezitxt_broadcast\" \"bad\" {\n  source = %q\n%s\n}\n", acctest.Source, body)
}

func block(kind, typ, body string) string {
	return fmt.Sprintf("%s %q \"bad\" {\n%s\n}\n", kind, typ, body)
}

// send is a valid ezitxt_send_message configuration with changes: a nil
// value removes the attribute.
func send(changes map[string]any) map[string]any {
	cfg := map[string]any{"source": acctest.Source, "to": "+6421000001", "text": map[string]any{"body": "Deploy finished"}}
	for k, v := range changes {
		if v == nil {
			delete(cfg, k)
			continue
		}
		cfg[k] = v
	}
	return cfg
}

const (
	textBody  = `  to = "+6421000001"` + "\n"
	textHello = `  text = { body = "Hello" }`
	uuid      = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
)

func badInputCases(emptyFile string) []badCase {
	past := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	farAhead := time.Now().Add(61 * 24 * time.Hour).UTC().Format(time.RFC3339)
	later := time.Now().Add(2 * time.Hour).UTC().Format(time.RFC3339)
	e164 := "E.164 format: a plus sign, the country code and the number"
	sourceFix := "must be the WhatsApp Business phone number ID: digits only, not starting with 0"
	anyMsg := msg(textBody + textHello)

	cases := []badCase{
		// The provider block. Errors name the attribute and its
		// environment variable.
		{name: "provider/base_url_ftp", kind: "provider", providerAttrs: map[string]any{"base_url": "ftp://127.0.0.1/rest/wab/v1"}, hcl: anyMsg,
			want: []string{"Invalid EZITXT Base URL", `base_url = "ftp://127.0.0.1/rest/wab/v1"`, "the scheme must be https (expected e.g. https://new.eziapi.com/rest/wab/v1)"}},
		{name: "provider/base_url_plain_http", kind: "provider", providerAttrs: map[string]any{"base_url": "http://api.example.com/rest/wab/v1"}, hcl: anyMsg,
			want: []string{"Invalid EZITXT Base URL", `base_url = "http://api.example.com/rest/wab/v1"`, "https"}},
		{name: "provider/base_url_relative", kind: "provider", providerAttrs: map[string]any{"base_url": "rest/wab/v1"}, hcl: anyMsg,
			want: []string{"Invalid EZITXT Base URL", `base_url = "rest/wab/v1"`, "absolute"}},
		{name: "provider/base_url_credentials", kind: "provider", providerAttrs: map[string]any{"base_url": "https://u:p@api.example.com/rest/wab/v1"}, hcl: anyMsg, //nolint:gosec // G101: a made-up URL with credentials, to be refused.
			want: []string{"Invalid EZITXT Base URL", `base_url`, "credentials"}},
		{name: "provider/max_retries_too_many", kind: "provider", providerAttrs: map[string]any{"max_retries": 11}, hcl: anyMsg,
			want: []string{"Invalid Attribute Value", "max_retries = 11", "must be between 0 and 10"}},
		{name: "provider/max_retries_negative", kind: "provider", providerAttrs: map[string]any{"max_retries": -1}, hcl: anyMsg,
			want: []string{"Invalid Attribute Value", "max_retries = -1", "must be between 0 and 10"}},
		{name: "provider/max_retries_fraction", kind: "provider", providerAttrs: map[string]any{"max_retries": 2.5}, hcl: anyMsg,
			want: []string{"Configuration Read Error", "max_retries = 2.5", "is not an integer"}},
		{name: "provider/request_timeout_no_unit", kind: "provider", providerAttrs: map[string]any{"request_timeout": "30"}, hcl: anyMsg,
			want: []string{"Invalid Duration", `request_timeout = "30"`, "use a number with a unit, such as 30s or 2m"}},
		{name: "provider/request_timeout_zero", kind: "provider", providerAttrs: map[string]any{"request_timeout": "0s"}, hcl: anyMsg,
			want: []string{"Invalid Duration", `request_timeout = "0s"`, "must be more than 0s"}},
		{name: "provider/request_timeout_too_long", kind: "provider", providerAttrs: map[string]any{"request_timeout": "11m"}, hcl: anyMsg,
			want: []string{"Invalid Duration", `request_timeout = "11m"`, "at most 10m0s"}},
		{name: "provider/username_missing", kind: "provider", providerAttrs: map[string]any{"username": nil}, hcl: anyMsg,
			want: []string{"Missing EZITXT Username", "Set username in the provider block or the EZITXT_USERNAME environment variable"}},
		{name: "provider/password_missing", kind: "provider", providerAttrs: map[string]any{"password": nil}, hcl: anyMsg,
			want: []string{"Missing EZITXT Password", "Set the EZITXT_PASSWORD environment variable"}},
		{name: "provider/password_empty", kind: "provider", providerAttrs: map[string]any{"password": ""}, hcl: anyMsg,
			want: []string{"Missing EZITXT Password", "EZITXT_PASSWORD"}},

		// ezitxt_source.
		{name: "source/source_leading_zero", kind: "ezitxt_source", hcl: block("resource", "ezitxt_source", `  source = "0123456"
  waba_id = "102290129340398"`), want: []string{"Invalid Attribute Value Match", `source = "0123456"`, sourceFix}},
		{name: "source/source_letters", kind: "ezitxt_source", hcl: block("resource", "ezitxt_source", `  source = "+6421000001"
  waba_id = "102290129340398"`), want: []string{"Invalid Attribute Value Match", `source = "+6421000001"`, sourceFix}},
		{name: "source/waba_id_empty", kind: "ezitxt_source", hcl: block("resource", "ezitxt_source", `  source = "1234567890"
  waba_id = ""`), want: []string{"Invalid Attribute Value Length", `waba_id = ""`, "Attribute waba_id string length must be at least 1"}},
		{name: "source/waba_id_missing", kind: "ezitxt_source", hcl: block("resource", "ezitxt_source", `  source = "1234567890"`),
			want: []string{"Missing required argument", `The argument "waba_id" is required`}},
		{name: "source/pin_wo_five_digits", kind: "ezitxt_source", hcl: block("resource", "ezitxt_source", `  source = "1234567890"
  waba_id = "102290129340398"
  pin_wo = "12345"
  pin_wo_version = 1`), want: []string{"Invalid Attribute Value", "pin_wo", "Attribute pin_wo must be exactly 6 digits"}},
		{name: "source/pin_wo_letters", kind: "ezitxt_source", hcl: block("resource", "ezitxt_source", `  source = "1234567890"
  waba_id = "102290129340398"
  pin_wo = "12a456"
  pin_wo_version = 1`), want: []string{"Invalid Attribute Value", "pin_wo", "must be exactly 6 digits"}},
		{name: "source/pin_wo_without_version", kind: "ezitxt_source", hcl: block("resource", "ezitxt_source", `  source = "1234567890"
  waba_id = "102290129340398"
  pin_wo = "123456"`), want: []string{"Invalid Attribute Combination", "pin_wo", `Attribute "pin_wo_version" must be specified when "pin_wo" is specified`}},
		{name: "source/pin_wo_version_without_pin", kind: "ezitxt_source", hcl: block("resource", "ezitxt_source", `  source = "1234567890"
  waba_id = "102290129340398"
  pin_wo_version = 1`), want: []string{"Invalid Attribute Combination", "pin_wo_version = 1", `Attribute "pin_wo" must be specified when "pin_wo_version" is specified`}},
		{name: "source/pin_wo_version_fraction", kind: "ezitxt_source", hcl: block("resource", "ezitxt_source", `  source = "1234567890"
  waba_id = "102290129340398"
  pin_wo = "123456"
  pin_wo_version = 1.5`), want: []string{"Configuration Read Error", "pin_wo_version = 1.5", "is not an integer"}},
		{name: "source/pin_and_pin_wo", kind: "ezitxt_source", hcl: block("resource", "ezitxt_source", `  source = "1234567890"
  waba_id = "102290129340398"
  pin = "123456"
  pin_wo = "123456"
  pin_wo_version = 1`), want: []string{"Invalid Attribute Combination", "pin_wo", `Attribute "pin" cannot be specified when "pin_wo" is specified`}},
		{name: "source/pin_seven_digits", kind: "ezitxt_source", hcl: block("resource", "ezitxt_source", `  source = "1234567890"
  waba_id = "102290129340398"
  pin = "1234567"`), want: []string{"Invalid Attribute Value", "pin", "Attribute pin must be exactly 6 digits"}},

		// ezitxt_media.
		{name: "media/no_content", kind: "ezitxt_media", hcl: block("resource", "ezitxt_media", `  source = "15550001111"`),
			want: []string{"Missing Attribute Configuration", `resource "ezitxt_media" "bad"`, "Exactly one of these attributes must be configured: [file,content_base64]"}},
		{name: "media/file_and_content", kind: "ezitxt_media", hcl: block("resource", "ezitxt_media", `  source = "15550001111"
  file = "logo.png"
  content_base64 = "aGVsbG8="`), want: []string{"Invalid Attribute Combination", `file = "logo.png"`, "Exactly one of these attributes must be configured: [file,content_base64]"}},
		{name: "media/content_not_base64", kind: "ezitxt_media", hcl: block("resource", "ezitxt_media", `  source = "15550001111"
  content_base64 = "not base64!"
  mime_type = "text/plain"`), want: []string{"Invalid Base64 Content", `content_base64 = "not base64!"`, "Produce it with base64encode() or filebase64()"}},
		{name: "media/content_empty", kind: "ezitxt_media", hcl: block("resource", "ezitxt_media", `  source = "15550001111"
  content_base64 = ""
  mime_type = "text/plain"`), want: []string{"Invalid Attribute Value Length", `content_base64 = ""`, "string length must be at least 1"}},
		{name: "media/file_missing", kind: "ezitxt_media", hcl: block("resource", "ezitxt_media", `  source = "15550001111"
  file = "/nonexistent/logo.png"`), want: []string{"Cannot Read Media File", `file = "/nonexistent/logo.png"`, "Check the path", "path.module"}},
		{name: "media/file_is_directory", kind: "ezitxt_media", hcl: block("resource", "ezitxt_media", `  source = "15550001111"
  file = path.module`), want: []string{"Media File Is Not a Regular File", "file = path.module", "is a directory, not a regular file", "Point file at a regular file"}},
		{name: "media/file_empty", kind: "ezitxt_media", hcl: block("resource", "ezitxt_media", fmt.Sprintf(`  source = "15550001111"
  file = %q`, emptyFile)), want: []string{"Empty Media File", "file = ", "is empty; the API does not take empty media"}},
		{name: "media/mime_type_unknown", kind: "ezitxt_media", hcl: block("resource", "ezitxt_media", `  source = "15550001111"
  content_base64 = "aGVsbG8="
  mime_type = "image/gif"`), want: []string{"Invalid Attribute Value Match", `mime_type = "image/gif"`, `value must be one of:`, `"image/png"`}},
		{name: "media/type_not_inferable", kind: "ezitxt_media", hcl: block("resource", "ezitxt_media", `  source = "15550001111"
  content_base64 = "AAECAwQFBgcICQ=="`), want: []string{"Cannot Infer Media Mime Type", "content_base64", "set mime_type"}},
		{name: "media/filename_control_char", kind: "ezitxt_media", hcl: block("resource", "ezitxt_media", `  source = "15550001111"
  content_base64 = "aGVsbG8="
  mime_type = "text/plain"
  filename = "a\nb.txt"`), want: []string{"Invalid File Name", "filename", "must not contain control characters"}},
		{name: "media/source_zero", kind: "ezitxt_media", hcl: block("resource", "ezitxt_media", `  source = "0"
  content_base64 = "aGVsbG8="
  mime_type = "text/plain"`), want: []string{"Invalid Attribute Value Match", `source = "0"`, sourceFix}},
		{name: "media/file_empty_string", kind: "ezitxt_media", hcl: block("resource", "ezitxt_media", `  source = "15550001111"
  file = ""`), want: []string{"Invalid Attribute Value Length", `file = ""`, "string length must be at least 1"}},

		// ezitxt_message.
		{name: "message/to_without_plus", kind: "ezitxt_message", hcl: msg(`  to = "6421000001"` + "\n" + textHello),
			want: []string{"Invalid Attribute Value Match", `to = "6421000001"`, e164}},
		{name: "message/to_country_code_zero", kind: "ezitxt_message", hcl: msg(`  to = "+0421000001"` + "\n" + textHello),
			want: []string{"Invalid Attribute Value Match", `to = "+0421000001"`, e164}},
		{name: "message/to_sixteen_digits", kind: "ezitxt_message", hcl: msg(`  to = "+1234567890123456"` + "\n" + textHello),
			want: []string{"Invalid Attribute Value Match", `to = "+1234567890123456"`, "at most 15 digits"}},
		{name: "message/to_missing", kind: "ezitxt_message", hcl: msg(textHello),
			want: []string{"Missing required argument", `The argument "to" is required`}},
		{name: "message/no_content", kind: "ezitxt_message", hcl: msg(textBody),
			want: []string{"Missing Message Content", "Set exactly one of text, media, template or raw", `text = { body = "Deploy finished" }`}},
		{name: "message/text_and_media", kind: "ezitxt_message", hcl: msg(textBody + textHello + "\n" + `  media = { type = "image", url = "https://example.com/a.png" }`),
			want: []string{"Conflicting Message Content", "media = {", "Keep one and remove the others"}},
		{name: "message/template_and_raw", kind: "ezitxt_message", hcl: msg(textBody + `  template = { name = "t", language = "en" }
  raw = { payload = "{}" }`), want: []string{"Conflicting Message Content", "raw = {", "template, raw are all set. Keep one"}},
		{name: "message/text_body_empty", kind: "ezitxt_message", hcl: msg(textBody + `  text = { body = "" }`),
			want: []string{"Invalid Attribute Value Length", "Attribute text.body string length must be at least 1"}},
		{name: "message/text_body_missing", kind: "ezitxt_message", hcl: msg(textBody + `  text = {}`),
			want: []string{"Incorrect attribute value type", "text = {}", `attribute "body" is required`}},
		{name: "message/media_type_unknown", kind: "ezitxt_message", hcl: msg(textBody + `  media = { type = "sticker", url = "https://example.com/a.png" }`),
			want: []string{"Invalid Attribute Value Match", `Attribute media.type value must be one of: ["audio" "document" "image" "video"], got: "sticker"`}},
		{name: "message/media_url_ftp", kind: "ezitxt_message", hcl: msg(textBody + `  media = { type = "image", url = "ftp://example.com/a.png" }`),
			want: []string{"Invalid URL", "Attribute media.url must be an absolute http:// or https:// URL"}},
		{name: "message/media_url_relative", kind: "ezitxt_message", hcl: msg(textBody + `  media = { type = "image", url = "a.png" }`),
			want: []string{"Invalid URL", "Attribute media.url must be an absolute http:// or https:// URL"}},
		{name: "message/template_name_empty", kind: "ezitxt_message", hcl: msg(textBody + `  template = { name = "", language = "en_US" }`),
			want: []string{"Invalid Attribute Value Length", "Attribute template.name string length must be at least 1"}},
		{name: "message/template_language_empty", kind: "ezitxt_message", hcl: msg(textBody + `  template = { name = "deploy", language = "" }`),
			want: []string{"Invalid Attribute Value Length", "Attribute template.language string length must be at least 1"}},
		{name: "message/template_media_url_not_absolute", kind: "ezitxt_message", hcl: msg(textBody + `  template = {
    name     = "deploy"
    language = "en_US"
    media    = { type = "image", url = "banner.png" }
  }`), want: []string{"Invalid URL", "Attribute template.media.url must be an absolute URL, such as https://example.com/banner.png"}},
		{name: "message/template_button_index_beyond_int32", kind: "ezitxt_message", hcl: msg(textBody + `  template = {
    name     = "deploy"
    language = "en_US"
    buttons  = [{ index = 2147483648, type = "quick_reply", payload = "ack" }]
  }`), want: []string{"Configuration Read Error", "index = 2147483648", "cannot be represented as a 32-bit integer"}},
		{name: "message/template_button_index_fraction", kind: "ezitxt_message", hcl: msg(textBody + `  template = {
    name     = "deploy"
    language = "en_US"
    buttons  = [{ index = 1.5, type = "quick_reply", payload = "ack" }]
  }`), want: []string{"Configuration Read Error", "index = 1.5", "is not an integer"}},
		{name: "message/raw_payload_not_json", kind: "ezitxt_message", hcl: msg(textBody + `  raw = { payload = "{not json" }`),
			want: []string{"Invalid JSON Payload", "Attribute raw.payload must be JSON text", "Write it with jsonencode()"}},
		{name: "message/raw_payload_missing", kind: "ezitxt_message", hcl: msg(textBody + `  raw = { version = "v19.0" }`),
			want: []string{"Incorrect attribute value type", "raw = {", `attribute "payload" is required`}},
		{name: "message/scheduled_not_rfc3339", kind: "ezitxt_message", hcl: msg(textBody + textHello + "\n" + `  scheduled = "tomorrow 9am"`),
			want: []string{"Invalid Scheduled Time", `scheduled = "tomorrow 9am"`, "Attribute scheduled must be an RFC 3339 date and time", `2026-12-24T09:00:00+13:00`, `got: "tomorrow 9am"`}},
		{name: "message/scheduled_past", kind: "ezitxt_message", hcl: msg(textBody + textHello + "\n" + `  scheduled = "` + past + `"`),
			want: []string{"Scheduled Time In The Past", `scheduled = "` + past + `"`, "Set a later time, or remove scheduled to send immediately"}},
		{name: "message/scheduled_beyond_60_days", kind: "ezitxt_message", hcl: msg(textBody + textHello + "\n" + `  scheduled = "` + farAhead + `"`),
			want: []string{"Scheduled Time Too Far Ahead", `scheduled = "` + farAhead + `"`, "at most 60 days ahead; choose an earlier time"}},
		{name: "message/wait_for_status_unknown", kind: "ezitxt_message", hcl: msg(textBody + textHello + "\n" + `  wait_for_status = "delivered"`),
			want: []string{"Invalid Attribute Value Match", `wait_for_status = "delivered"`, "value must be one of:", `"read"`}},
		{name: "message/wait_timeout_no_unit", kind: "ezitxt_message", hcl: msg(textBody + textHello + "\n" + `  wait_for_status = "sent"` + "\n" + `  wait_timeout = "5"`),
			want: []string{"Invalid Duration", "Attribute wait_timeout is not a duration: use a number with a unit, such as 30s or 2m", `got: "5"`}},
		{name: "message/source_empty", kind: "ezitxt_message", hcl: `resource "ezitxt_message" "bad" {
  source = ""
  to     = "+6421000001"
  text   = { body = "Hello" }
}`, want: []string{"Invalid Attribute Value Match", `source = ""`, sourceFix}},
		{name: "message/unknown_argument", kind: "ezitxt_message", hcl: msg(textBody + textHello + "\n" + `  body = "Hello"`),
			want: []string{"Unsupported argument", `body = "Hello"`, `An argument named "body" is not expected here`}},

		// ezitxt_broadcast.
		{name: "broadcast/destinations_empty", kind: "ezitxt_broadcast", hcl: bcast(`  destinations = []` + "\n" + textHello),
			want: []string{"Invalid Attribute Value", "destinations = []", "Attribute destinations", "must contain at least 1 elements, got: 0"}},
		{name: "broadcast/destination_invalid", kind: "ezitxt_broadcast", hcl: bcast(`  destinations = ["+6421000001", "021 000 002"]` + "\n" + textHello),
			want: []string{"Invalid Attribute Value Match", `destinations = ["+6421000001", "021 000 002"]`, "Attribute destinations[", "must be a phone number in " + e164, "got: 021 000 002"}},
		{name: "broadcast/destinations_missing", kind: "ezitxt_broadcast", hcl: bcast(textHello),
			want: []string{"Missing required argument", `The argument "destinations" is required`}},
		{name: "broadcast/no_content", kind: "ezitxt_broadcast", hcl: bcast(`  destinations = ["+6421000001"]`),
			want: []string{"Missing Message Content", "Set exactly one of text, media, template or raw"}},
		{name: "broadcast/media_and_raw", kind: "ezitxt_broadcast", hcl: bcast(`  destinations = ["+6421000001"]
  media = { type = "image", url = "https://example.com/a.png" }
  raw   = { payload = "{}" }`), want: []string{"Conflicting Message Content", "raw", "Keep one and remove the others"}},
		{name: "broadcast/scheduled_past", kind: "ezitxt_broadcast", hcl: bcast(`  destinations = ["+6421000001"]` + "\n" + textHello + "\n" + `  scheduled = "` + past + `"`),
			want: []string{"Scheduled Time In The Past", "scheduled", "Set a later time"}},
		{name: "broadcast/scheduled_beyond_60_days", kind: "ezitxt_broadcast", hcl: bcast(`  destinations = ["+6421000001"]` + "\n" + textHello + "\n" + `  scheduled = "` + farAhead + `"`),
			want: []string{"Scheduled Time Too Far Ahead", "scheduled", "choose an earlier time"}},
		{name: "broadcast/raw_payload_not_json", kind: "ezitxt_broadcast", hcl: bcast(`  destinations = ["+6421000001"]
  raw = { payload = "[1, 2" }`), want: []string{"Invalid JSON Payload", "Attribute raw.payload must be JSON text", "Write it with jsonencode()"}},
		{name: "broadcast/media_type_unknown", kind: "ezitxt_broadcast", hcl: bcast(`  destinations = ["+6421000001"]
  media = { type = "gif", url = "https://example.com/a.gif" }`), want: []string{"Invalid Attribute Value Match", `Attribute media.type value must be one of: ["audio" "document" "image" "video"], got: "gif"`}},
		{name: "broadcast/source_letters", kind: "ezitxt_broadcast", hcl: `resource "ezitxt_broadcast" "bad" {
  source       = "main"
  destinations = ["+6421000001"]
  text         = { body = "Hello" }
}`, want: []string{"Invalid Attribute Value Match", `source = "main"`, sourceFix}},

		// Data sources.
		{name: "data_message/id_not_uuid", kind: "data.ezitxt_message", hcl: block("data", "ezitxt_message", `  id = "42"`),
			want: []string{"Invalid Attribute Value Match", `id = "42"`, "must be a message ID in UUID format, such as 3fa85f64"}},
		{name: "data_message/id_missing", kind: "data.ezitxt_message", hcl: block("data", "ezitxt_message", ``),
			want: []string{"Missing required argument", `The argument "id" is required`}},
		{name: "data_messages/ids_empty", kind: "data.ezitxt_messages", hcl: block("data", "ezitxt_messages", `  ids = []`),
			want: []string{"Invalid Attribute Value", "ids = []", "Attribute ids", "must contain at least 1 elements, got: 0"}},
		{name: "data_messages/id_not_uuid", kind: "data.ezitxt_messages", hcl: block("data", "ezitxt_messages", `  ids = ["`+uuid+`", "msg-1"]`),
			want: []string{"Invalid Attribute Value Match", `ids = ["` + uuid + `", "msg-1"]`, "Attribute ids[", "must be a message ID in UUID format", `got: "msg-1"`}},
		{name: "data_media/source_zero_prefix", kind: "data.ezitxt_media", hcl: block("data", "ezitxt_media", `  source = "01"
  media_id = "m1"`), want: []string{"Invalid Attribute Value Match", `source = "01"`, sourceFix}},
		{name: "data_media/media_id_empty", kind: "data.ezitxt_media", hcl: block("data", "ezitxt_media", `  source = "15550001111"
  media_id = ""`), want: []string{"Invalid Attribute Value Length", `media_id = ""`, "string length must be at least 1"}},
		{name: "data_media/include_content_not_bool", kind: "data.ezitxt_media", hcl: block("data", "ezitxt_media", `  source = "15550001111"
  media_id = "m1"
  include_content = "maybe"`), want: []string{"Incorrect attribute value type", `include_content = "maybe"`, "a bool is required"}},

		// ezitxt_send_message: the errors must be at the attribute.
		{name: "send_message/no_recipient", kind: "ezitxt_send_message", action: "ezitxt_send_message", actionCfg: send(map[string]any{"to": nil}),
			path: "to", want: []string{"Missing Recipient", "set to = \"+6421000001\" to send one message, or destinations"}},
		{name: "send_message/to_and_destinations", kind: "ezitxt_send_message", action: "ezitxt_send_message",
			actionCfg: send(map[string]any{"destinations": []string{"+6421000002"}}),
			path:      "destinations", want: []string{"Conflicting Recipients", "Set to for one message or destinations for a broadcast, not both"}},
		{name: "send_message/to_invalid", kind: "ezitxt_send_message", action: "ezitxt_send_message", actionCfg: send(map[string]any{"to": "021 000 001"}),
			path: "to", want: []string{"Invalid Attribute Value Match", "Attribute to must be a phone number in " + e164}},
		{name: "send_message/destinations_empty", kind: "ezitxt_send_message", action: "ezitxt_send_message",
			actionCfg: send(map[string]any{"to": nil, "destinations": []string{}}),
			path:      "destinations", want: []string{"Invalid Attribute Value", "Attribute destinations", "must contain at least 1 elements, got: 0"}},
		{name: "send_message/destination_invalid", kind: "ezitxt_send_message", action: "ezitxt_send_message",
			actionCfg: send(map[string]any{"to": nil, "destinations": []string{"+6421000001", "6421000002"}}),
			path:      `destinations["6421000002"]|destinations[1]`, want: []string{"Invalid Attribute Value Match", e164, "got: 6421000002"}},
		{name: "send_message/no_content", kind: "ezitxt_send_message", action: "ezitxt_send_message", actionCfg: send(map[string]any{"text": nil}),
			path: "", want: []string{"Missing Message Content", "Set exactly one of text, media, template or raw, for example"}},
		{name: "send_message/text_and_template", kind: "ezitxt_send_message", action: "ezitxt_send_message",
			actionCfg: send(map[string]any{"template": map[string]any{"name": "deploy", "language": "en_US"}}),
			path:      "template", want: []string{"Conflicting Message Content", "Keep one and remove the others"}},
		{name: "send_message/scheduled_past", kind: "ezitxt_send_message", action: "ezitxt_send_message", actionCfg: send(map[string]any{"scheduled": past}),
			path: "scheduled", want: []string{"Scheduled Time In The Past", "Set a later time, or remove scheduled to send immediately"}},
		{name: "send_message/scheduled_beyond_60_days", kind: "ezitxt_send_message", action: "ezitxt_send_message", actionCfg: send(map[string]any{"scheduled": farAhead}),
			path: "scheduled", want: []string{"Scheduled Time Too Far Ahead", "choose an earlier time"}},
		{name: "send_message/scheduled_not_rfc3339", kind: "ezitxt_send_message", action: "ezitxt_send_message", actionCfg: send(map[string]any{"scheduled": "next monday"}),
			path: "scheduled", want: []string{"Invalid Scheduled Time", "Attribute scheduled must be an RFC 3339 date and time", `got: "next monday"`}},
		{name: "send_message/wait_beyond_schedule", kind: "ezitxt_send_message", action: "ezitxt_send_message",
			actionCfg: send(map[string]any{"scheduled": later, "wait_for_status": "read"}),
			path:      "wait_for_status", want: []string{"Wait Cannot Succeed Before Scheduled Time", "Remove wait_for_status, set it to \"accepted\", or raise timeouts.invoke"}},
		{name: "send_message/wait_for_status_unknown", kind: "ezitxt_send_message", action: "ezitxt_send_message", actionCfg: send(map[string]any{"wait_for_status": "delivered"}),
			path: "wait_for_status", want: []string{"Invalid Attribute Value Match", "Attribute wait_for_status value must be one of"}},
		{name: "send_message/raw_payload_not_json", kind: "ezitxt_send_message", action: "ezitxt_send_message",
			actionCfg: send(map[string]any{"text": nil, "raw": map[string]any{"payload": "{"}}),
			path:      `raw["payload"]`, want: []string{"Invalid JSON Payload", "Write it with jsonencode()"}},
		{name: "send_message/media_type_unknown", kind: "ezitxt_send_message", action: "ezitxt_send_message",
			actionCfg: send(map[string]any{"text": nil, "media": map[string]any{"type": "sticker", "url": "https://example.com/a.webp"}}),
			path:      "media.type", want: []string{"Invalid Attribute Value Match", "value must be one of"}},
		{name: "send_message/timeouts_invoke_no_unit", kind: "ezitxt_send_message", action: "ezitxt_send_message",
			actionCfg: send(map[string]any{"wait_for_status": "sent", "timeouts": map[string]any{"invoke": "10"}}),
			path:      `timeouts["invoke"]`, want: []string{"Invalid Duration", "Attribute timeouts.invoke is not a duration: use a number with a unit, such as 30s or 2m", `got: "10"`}},
		{name: "send_message/source_invalid", kind: "ezitxt_send_message", action: "ezitxt_send_message", actionCfg: send(map[string]any{"source": "0"}),
			path: "source", want: []string{"Invalid Attribute Value Match", sourceFix}},
		{name: "send_message/text_body_empty", kind: "ezitxt_send_message", action: "ezitxt_send_message", actionCfg: send(map[string]any{"text": map[string]any{"body": ""}}),
			path: "text.body", want: []string{"Invalid Attribute Value Length", "string length must be at least 1"}},

		// ezitxt_mark_read.
		{name: "mark_read/ids_empty", kind: "ezitxt_mark_read", action: "ezitxt_mark_read", actionCfg: map[string]any{"message_ids": []string{}},
			path: "message_ids", want: []string{"Invalid Attribute Value", "Attribute message_ids", "must contain at least 1 elements, got: 0"}},
		{name: "mark_read/id_not_uuid", kind: "ezitxt_mark_read", action: "ezitxt_mark_read", actionCfg: map[string]any{"message_ids": []string{uuid, "42"}},
			path: `message_ids["42"]|message_ids[1]`, want: []string{"Invalid Attribute Value Match", "must be a message ID in UUID format", `got: "42"`}},

		// Controls: valid at the limits the reference sets.
		{name: "control/button_index_max_int32", kind: "control", control: true, hcl: msg(textBody + `  template = {
    name     = "deploy"
    language = "en_US"
    buttons  = [{ index = 2147483647, type = "quick_reply", payload = "ack" }]
  }`)},
		{name: "control/broadcast_10001_destinations", kind: "control", control: true,
			hcl: bcast(`  destinations = slice(flatten([for a in range(11) : [for b in range(1000) : format("+6429%02d%04d", a, b)]]), 0, 10001)` +
				"\n" + textHello)},
	}
	return cases
}

// checkTable checks the table itself: unique names, at least one way to
// fail for each case.
func checkTable(t *testing.T, cases []badCase) {
	t.Helper()
	seen := map[string]bool{}
	for _, tc := range cases {
		if seen[tc.name] {
			t.Fatalf("duplicate case %q", tc.name)
		}
		seen[tc.name] = true
		if !tc.control && len(tc.want) < 2 && tc.action == "" {
			t.Fatalf("case %q: want at least the summary and the attribute or fix", tc.name)
		}
	}
}

// providerBlock renders the env's provider block with changes.
func providerBlock(e *acctest.Env, changes map[string]any) string {
	attrs := map[string]any{"base_url": e.URL, "username": e.Username, "password": e.Password}
	for k, v := range changes {
		if v == nil {
			delete(attrs, k)
			continue
		}
		attrs[k] = v
	}
	return "provider \"ezitxt\" {\n" + hclBody(attrs) + "}\n"
}

// runConfigCLI plans tc's configuration through the CLI and returns how many
// requests reached the mock.
func runConfigCLI(t *testing.T, tc badCase) int64 {
	for name, env := range map[string]string{"username": provider.EnvUsername, "password": provider.EnvPassword} {
		if v, set := tc.providerAttrs[name]; set && v == nil && os.Getenv(env) != "" {
			t.Skipf("%s is set in the environment, so the provider block needs no %s", env, name)
		}
	}
	e := acctest.New(t)
	cfg := providerBlock(e, tc.providerAttrs) + "\n" + tc.hcl
	step := resource.TestStep{Config: cfg}
	if tc.control {
		step.PlanOnly = true
		step.ExpectNonEmptyPlan = true
	} else {
		step.ExpectError = diagRe(tc.want...)
	}
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: e.Factories(), Steps: []resource.TestStep{step}})
	return e.Requests()
}

// runActionCLI plans tc's action, triggered by a terraform_data, through a
// CLI with actions; it skips below Terraform 1.14.
func runActionCLI(t *testing.T, tc badCase) int64 {
	e := acctest.New(t)
	cfg := e.Config(fmt.Sprintf(`
action %q "bad" {
  config {
%s  }
}

resource "terraform_data" "trigger" {
  input = "1"

  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.%s.bad]
    }
  }
}
`, tc.action, indent(hclBody(tc.actionCfg), "  "), tc.action))
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		ProtoV6ProviderFactories: e.Factories(),
		Steps:                    []resource.TestStep{{Config: cfg, ExpectError: diagRe(tc.want...)}},
	})
	return e.Requests()
}

func indent(s, prefix string) string {
	lines := strings.SplitAfter(s, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = prefix + l
		}
	}
	return strings.Join(lines, "")
}

// runActionProtocol validates and plans tc's action as Terraform does:
// ValidateActionConfig, and PlanAction only when validation passed. Exactly
// one error is expected, at tc.path, whose summary and detail hold tc.want.
func runActionProtocol(t *testing.T, tc badCase) int64 {
	e := acctest.New(t)
	p := e.Protocol(t)
	before := e.Requests() // configuring makes no request, but be exact
	diags := p.ValidateAction(tc.action, tc.actionCfg)
	if !acctest.HasError(diags) {
		diags = append(diags, p.PlanAction(tc.action, tc.actionCfg)...)
	}
	errs := acctest.Errors(diags)
	if len(errs) != 1 {
		t.Fatalf("want exactly one error at %q, got %s", tc.path, acctest.FormatDiagnostics(diags))
	}
	d := errs[0]
	if got := acctest.DiagnosticPath(d); !slices.Contains(strings.Split(tc.path, "|"), got) {
		t.Errorf("error %q is at %q, want %q", d.Summary, got, tc.path)
	}
	if tc.path == "" && !strings.Contains(d.Detail, "text") {
		t.Errorf("error %q has no attribute path, and its detail does not name the attribute to set: %s", d.Summary, d.Detail)
	}
	text := d.Summary + "\n" + d.Detail
	if re := diagRe(tc.want...); !re.MatchString(text) {
		t.Errorf("error does not match %s:\n%s", re, text)
	}
	return e.Requests() - before
}

// badTally counts what the suite ran, by way and by kind.
type badTally struct {
	mu       sync.Mutex
	ran      map[string]int
	passed   map[string]int
	skipped  map[string]int
	kinds    map[string]int
	requests atomic.Int64
	panics   atomic.Int64
	failed   []string
}

func (b *badTally) skip(way string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.skipped == nil {
		b.skipped = map[string]int{}
	}
	b.skipped[way]++
}

// run runs one way of a case, counting it, its requests, and a panic.
func (b *badTally) run(t *testing.T, tc badCase, way string, f func(t *testing.T) int64) {
	t.Helper()
	b.mu.Lock()
	if b.ran == nil {
		b.ran, b.passed, b.kinds = map[string]int{}, map[string]int{}, map[string]int{}
	}
	b.ran[way]++
	b.mu.Unlock()
	t.Cleanup(func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		if t.Skipped() {
			b.ran[way]--
			if b.skipped == nil {
				b.skipped = map[string]int{}
			}
			b.skipped[way]++
			return
		}
		if t.Failed() {
			b.failed = append(b.failed, tc.name+"/"+way)
			return
		}
		b.passed[way]++
		if way != "cli-action" {
			b.kinds[tc.kind]++
		}
	})
	defer func() {
		if r := recover(); r != nil {
			b.panics.Add(1)
			t.Errorf("panic: %v", r)
		}
	}()
	n := f(t)
	b.requests.Add(n)
	if n != 0 {
		t.Errorf("%d requests reached the mock from an invalid configuration, want 0", n)
	}
}

func (b *badTally) String(cases []badCase) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	total, passed := 0, 0
	for way, n := range b.ran {
		total += n
		passed += b.passed[way]
	}
	invalid := 0
	for _, tc := range cases {
		if !tc.control {
			invalid++
		}
	}
	kinds := make([]string, 0, len(b.kinds))
	for k, n := range b.kinds {
		kinds = append(kinds, fmt.Sprintf("%s %d", k, n))
	}
	sort.Strings(kinds)
	ways := []string{}
	for _, w := range []string{"cli", "protocol", "cli-action"} {
		if b.ran[w] > 0 || b.skipped[w] > 0 {
			ways = append(ways, fmt.Sprintf("%s %d/%d passed (%d skipped)", w, b.passed[w], b.ran[w], b.skipped[w]))
		}
	}
	s := fmt.Sprintf("%d cases in the table (%d invalid configurations, %d controls); %d runs, %d passed, %d failed; %s; passed by kind: %s; "+
		"requests from invalid configurations %d; panics %d",
		len(cases), invalid, len(cases)-invalid, total, passed, len(b.failed), strings.Join(ways, ", "), strings.Join(kinds, ", "),
		b.requests.Load(), b.panics.Load())
	if len(b.failed) > 0 {
		sort.Strings(b.failed)
		s += "; FAILED: " + strings.Join(b.failed, ", ")
	}
	return s
}
