package client

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ezitxt/terraform-provider-ezitxt/api"
)

func TestValidators(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		valid func(string) bool
		good  []string
		bad   []string
	}{
		{"E164", ValidE164, []string{"+64123456789", "+12", "+123456789012345"}, []string{"", "64123456789", "+0123", "+1", "+1234567890123456", "+64 21", "+64123456789\n"}},
		{"Source", ValidSource, []string{"1", "1234567890", "102046588645210"}, []string{"", "0", "0123", "12a", "-1", " 1"}},
		{"UUID", ValidUUID, []string{"3fa85f64-5717-4562-b3fc-2c963f66afa6", "3FA85F64-5717-4562-B3FC-2C963F66AFA6"}, []string{"", "3fa85f64571745 62b3fc2c963f66afa6", "3fa85f64-5717-4562-b3fc-2c963f66afa", "{3fa85f64-5717-4562-b3fc-2c963f66afa6}"}},
		{"PIN", ValidPIN, []string{"000000", "123456"}, []string{"", "12345", "1234567", "12345a"}},
		{"MediaURL", ValidMediaURL, []string{"https://example.com/a.png", "http://x/y"}, []string{"", "/a.png", "ftp://x/y", "https://", "mailto:a@b"}},
		{"AbsoluteURL", ValidAbsoluteURL, []string{"https://example.com/a.png", "s3://bucket/key"}, []string{"", "/a.png", "a.png"}},
		{"JSON", ValidJSON, []string{`{}`, `{"type":"text"}`, `[1]`, `"s"`}, []string{"", "{", "{'a':1}"}},
	}
	for _, tt := range tests {
		for _, s := range tt.good {
			if !tt.valid(s) {
				t.Errorf("Valid%s(%q) = false", tt.name, s)
			}
		}
		for _, s := range tt.bad {
			if tt.valid(s) {
				t.Errorf("Valid%s(%q) = true", tt.name, s)
			}
		}
	}
	if E164Pattern.String() != `^\+[1-9][0-9]{1,14}$` || SourcePattern.String() != `^[1-9][0-9]*$` {
		t.Error("patterns differ from api/README.md")
	}
}

func TestValidateScheduled(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := ValidateScheduled(now.Add(time.Minute), now); err != nil {
		t.Error(err)
	}
	if err := ValidateScheduled(now.Add(MaxScheduleAhead), now); err != nil {
		t.Error(err)
	}
	if err := ValidateScheduled(now, now); err == nil || !strings.Contains(err.Error(), "not in the future") {
		t.Errorf("now: %v", err)
	}
	if err := ValidateScheduled(now.Add(MaxScheduleAhead+time.Second), now); err == nil || !strings.Contains(err.Error(), "60 days") {
		t.Errorf("too far: %v", err)
	}
}

func TestContentValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		content Content
		want    []string // field paths with problems
	}{
		{"text", Content{Type: MessageTypeText, Text: &Text{Body: "hi"}}, nil},
		{"inferred raw", Content{Raw: &Raw{Payload: `{"a":1}`}}, nil},
		{"empty", Content{}, []string{"type"}},
		{"ambiguous inference", Content{Text: &Text{Body: "a"}, Raw: &Raw{Payload: "{}"}}, []string{"type"}},
		{"unknown type", Content{Type: "sticker"}, []string{"type"}},
		{"type without object", Content{Type: MessageTypeMedia, Text: &Text{Body: "a"}}, []string{"media"}},
		{"empty body", Content{Type: MessageTypeText, Text: &Text{}}, []string{"text.body"}},
		{"bad media", Content{Type: MessageTypeMedia, Media: &Media{Type: "gif", URL: "/x"}}, []string{"media.type", "media.url"}},
		{"template missing", Content{Type: MessageTypeTemplate, Template: &Template{Media: &TemplateMedia{URL: "x"}}}, []string{"template.name", "template.language", "template.media.url"}},
		{"template media free", Content{Type: MessageTypeTemplate, Template: &Template{Name: "n", Language: "en", Media: &TemplateMedia{Type: "whatever"}}}, nil},
		{"raw not JSON", Content{Type: MessageTypeRaw, Raw: &Raw{Payload: "{"}}, []string{"raw.payload"}},
		{"raw empty", Content{Type: MessageTypeRaw, Raw: &Raw{}}, []string{"raw.payload"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.content.Validate()
			var got []string
			var ve *ValidationError
			if errors.As(err, &ve) {
				for _, f := range ve.Fields {
					got = append(got, f.Field)
				}
			} else if err != nil {
				t.Fatalf("err = %v", err)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("problems at %v, want %v (%v)", got, tt.want, err)
			}
		})
	}
}

// TestEnumValues compares the client's enums with the contract's
// (api/openapi.yaml), in its order.
func TestEnumValues(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		got  []string
		enum []string // schema, then properties
	}{
		{MessageType("").Values(), []string{"MessageCommon", "type"}},
		{MediaType("").Values(), []string{"MediaContent", "type"}},
		{MediaMimeType("").Values(), []string{"MediaMimeType"}},
		{MessageStatus("").Values(), []string{"MessageStatus"}},
		{Direction("").Values(), []string{"MessageDetails", "direction"}},
	} {
		want, err := api.Enum(tt.enum[0], tt.enum[1:]...)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(tt.got, want) {
			t.Errorf("%v: the client has %v, api/openapi.yaml %v", tt.enum, tt.got, want)
		}
	}
}

// A base URL with user-info is refused without quoting the password.
func TestBaseURLErrorsRedactUserInfo(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{
		"https://ops:hunter2@api.example.com/rest/wab/v1",
		"http://ops:hunter2@127.0.0.1:8080/rest/wab/v1",
		"http://ops:hunter2@127.0.0.1/%zz",     // does not parse
		"ftp://ops:hunter2@127.0.0.1/rest/wab", // another reason first
	} {
		err := ValidateBaseURL(raw)
		if err == nil {
			t.Errorf("%s accepted", raw)
			continue
		}
		if strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), "ops:") {
			t.Errorf("the error quotes the user-info: %v", err)
		}
		mustContain(t, err.Error(), "***@")
	}
	for raw, want := range map[string]string{
		"https://u:p@h/x?q=1":   "https://***@h/x?q=1",
		"https://h/x@y":         "https://h/x@y",
		"u:p@h":                 "***@h",
		"https://a@b:c@h/rest/": "https://***@h/rest/",
		"":                      "",
	} {
		if got := RedactURL(raw); got != want {
			t.Errorf("RedactURL(%q) = %q, want %q", raw, got, want)
		}
	}
}
