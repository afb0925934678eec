package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/client"
)

func TestSameInstant(t *testing.T) {
	t.Parallel()
	rfc := func(s string) attr.Value { return scheduledDateTime{StringValue: types.StringValue(s)} }
	tests := []struct {
		name        string
		state, plan attr.Value
		want        bool
	}{
		{"same text", rfc("2026-12-24T09:00:00Z"), rfc("2026-12-24T09:00:00Z"), true},
		{"other offset", rfc("2026-12-24T09:00:00+13:00"), rfc("2026-12-23T20:00:00Z"), true},
		{"fraction of a second written out", rfc("2026-12-24T09:00:00Z"), rfc("2026-12-24T09:00:00.000Z"), true},
		{"another instant", rfc("2026-12-24T09:00:00Z"), rfc("2026-12-24T09:00:01Z"), false},
		{"same wall time, other offset", rfc("2026-12-24T09:00:00+13:00"), rfc("2026-12-24T09:00:00Z"), false},
		{"plain strings", types.StringValue("2026-12-24T09:00:00Z"), types.StringValue("2026-12-24T10:00:00+01:00"), true},
		{"null plan", rfc("2026-12-24T09:00:00Z"), scheduledDateTime{StringValue: types.StringNull()}, false},
		{"null state", scheduledDateTime{StringValue: types.StringNull()}, rfc("2026-12-24T09:00:00Z"), false},
		{"unknown plan", rfc("2026-12-24T09:00:00Z"), scheduledDateTime{StringValue: types.StringUnknown()}, false},
		{"not a time", types.StringValue("tomorrow"), types.StringValue("tomorrow"), false},
		{"lower-case t and z (RFC 3339 allows them)", rfc("2026-12-24t09:00:00z"), rfc("2026-12-24T09:00:00Z"), true},
		{"offset +24:00 (RFC 3339 does not allow it)", rfc("2026-12-24T09:00:00+24:00"), rfc("2026-12-23T09:00:00Z"), false},
		{"not a string", types.Int64Value(1), types.Int64Value(1), false},
	}
	for _, tt := range tests {
		if got := sameInstant(tt.state, tt.plan); got != tt.want {
			t.Errorf("%s: sameInstant(%s, %s) = %v, want %v", tt.name, tt.state, tt.plan, got, tt.want)
		}
	}
}

// rawObject is a value of the raw content attribute.
func rawObject(version, payload attr.Value) types.Object {
	return types.ObjectValueMust(map[string]attr.Type{"version": types.StringType, "payload": types.StringType},
		map[string]attr.Value{"version": version, "payload": payload})
}

func TestSameRaw(t *testing.T) {
	t.Parallel()
	s := types.StringValue
	compact := rawObject(s("v19.0"), s(`{"interactive":{"body":{"text":"Approve?"},"type":"button"},"type":"interactive"}`))
	rawTypes := compact.AttributeTypes(context.Background())
	tests := []struct {
		name        string
		state, plan attr.Value
		want        bool
	}{
		{"same text", compact, compact, true},
		{"other whitespace and key order", compact, rawObject(s("v19.0"), s("{\n  \"type\": \"interactive\",\n  \"interactive\": {\n    \"type\": \"button\",\n    \"body\": { \"text\": \"Approve?\" }\n  }\n}\n")), true},
		{"another value", compact, rawObject(s("v19.0"), s(`{"interactive":{"body":{"text":"Reject?"},"type":"button"},"type":"interactive"}`)), false},
		{"another version", compact, rawObject(s("v20.0"), compact.Attributes()["payload"]), false},
		{"version removed", compact, rawObject(types.StringNull(), compact.Attributes()["payload"]), false},
		{"both versions null", rawObject(types.StringNull(), s(`[1, 2]`)), rawObject(types.StringNull(), s(`[1,2]`)), true},
		{"array order matters", rawObject(types.StringNull(), s(`[1,2]`)), rawObject(types.StringNull(), s(`[2,1]`)), false},
		// Numbers compare as written (jsontypes decodes them with UseNumber).
		{"number written otherwise", rawObject(types.StringNull(), s(`{"n":1}`)), rawObject(types.StringNull(), s(`{"n":1.0}`)), false},
		{"not JSON", rawObject(types.StringNull(), s(`{`)), rawObject(types.StringNull(), s(`{ `)), false},
		{"null plan", compact, types.ObjectNull(rawTypes), false},
		{"unknown plan", compact, types.ObjectUnknown(rawTypes), false},
		{"unknown payload", compact, rawObject(s("v19.0"), types.StringUnknown()), false},
	}
	for _, tt := range tests {
		if got := sameRaw(tt.state, tt.plan); got != tt.want {
			t.Errorf("%s: sameRaw = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// messageSchemaValue returns the schema of ezitxt_message and a value of it
// with the given top-level attributes set (every other null).
func messageSchemaValue(t *testing.T, set map[string]tftypes.Value) (rschema.Schema, tftypes.Value) {
	t.Helper()
	ctx := context.Background()
	var sr resource.SchemaResponse
	NewMessageResource().Schema(ctx, resource.SchemaRequest{}, &sr)
	typ, ok := sr.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		t.Fatal("the schema is not an object")
	}
	vals := make(map[string]tftypes.Value, len(typ.AttributeTypes))
	for name, at := range typ.AttributeTypes {
		vals[name] = tftypes.NewValue(at, nil)
		if v, ok := set[name]; ok {
			vals[name] = v
		}
	}
	return sr.Schema, tftypes.NewValue(typ, vals)
}

// messageSchemaConfig returns a configuration of ezitxt_message with the
// given top-level attributes set (every other null).
func messageSchemaConfig(t *testing.T, set map[string]tftypes.Value) tfsdk.Config {
	t.Helper()
	s, v := messageSchemaValue(t, set)
	return tfsdk.Config{Schema: s, Raw: v}
}

func TestValidateContent(t *testing.T) {
	t.Parallel()
	textType := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"body": tftypes.String}}
	mediaType := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"type": tftypes.String, "url": tftypes.String, "media_id": tftypes.String}}
	text := tftypes.NewValue(textType, map[string]tftypes.Value{"body": tftypes.NewValue(tftypes.String, "hi")})
	media := tftypes.NewValue(mediaType, map[string]tftypes.Value{
		"type": tftypes.NewValue(tftypes.String, "image"), "url": tftypes.NewValue(tftypes.String, "https://example.com/a.png"),
		"media_id": tftypes.NewValue(tftypes.String, nil),
	})
	tests := []struct {
		name    string
		set     map[string]tftypes.Value
		summary string // "" for no diagnostic
		path    string
	}{
		{"none", nil, "Missing Message Content", ""},
		{"one", map[string]tftypes.Value{"text": text}, "", ""},
		{"two", map[string]tftypes.Value{"text": text, "media": media}, "Conflicting Message Content", "media"},
		{"unknown", map[string]tftypes.Value{"text": tftypes.NewValue(textType, tftypes.UnknownValue)}, "", ""},
		{"one known, one unknown", map[string]tftypes.Value{"text": text, "media": tftypes.NewValue(mediaType, tftypes.UnknownValue)}, "", ""},
	}
	for _, tt := range tests {
		diags := validateContent(context.Background(), messageSchemaConfig(t, tt.set))
		switch {
		case tt.summary == "" && len(diags) > 0:
			t.Errorf("%s: unexpected %v", tt.name, diags)
		case tt.summary != "" && (len(diags) != 1 || diags[0].Summary() != tt.summary):
			t.Errorf("%s: got %v, want one %q", tt.name, diags, tt.summary)
		case tt.path != "":
			wp, ok := diags[0].(diag.DiagnosticWithPath)
			if !ok || !wp.Path().Equal(path.Root(tt.path)) {
				t.Errorf("%s: diagnostic not on %s: %v", tt.name, tt.path, diags[0])
			}
		}
	}
}

func TestContentValidators(t *testing.T) {
	t.Parallel()
	p := path.Root("template").AtName("media").AtName("url")
	tests := []struct {
		v       validator.String
		value   string
		wantErr string // "" for valid
	}{
		{templateMediaURL, "https://example.com/banner.png", ""},
		{templateMediaURL, "ftp://files.example.com/banner.png", ""}, // any absolute URL: no stricter than the reference
		{templateMediaURL, "/banner.png", "Attribute template.media.url must be an absolute URL"},
		{templateMediaURL, "banner.png", "must be an absolute URL"},
		{absoluteHTTPURL, "https://example.com/logo.png", ""},
		{absoluteHTTPURL, "ftp://files.example.com/logo.png", "must be an absolute http:// or https:// URL"},
		{absoluteHTTPURL, "https:///logo.png", "must be an absolute http:// or https:// URL"},
		{fileName, "logo v2.png", ""},
		{fileName, "logo\nv2.png", "must not contain control characters"},
		{jsonText, `{"type":"text","text":{"body":"hi"}}`, ""},
		{jsonText, `[1, 2]`, ""},
		{jsonText, `{"type":`, "must be JSON text"},
		{jsonText, ``, "must be JSON text"},
	}
	for _, tt := range tests {
		var resp validator.StringResponse
		tt.v.ValidateString(context.Background(), validator.StringRequest{Path: p, ConfigValue: types.StringValue(tt.value)}, &resp)
		switch {
		case tt.wantErr == "" && resp.Diagnostics.HasError():
			t.Errorf("%T(%q): unexpected %v", tt.v, tt.value, resp.Diagnostics)
		case tt.wantErr != "" && (!resp.Diagnostics.HasError() || !strings.Contains(resp.Diagnostics[0].Detail(), tt.wantErr)):
			t.Errorf("%T(%q): got %v, want an error containing %q", tt.v, tt.value, resp.Diagnostics, tt.wantErr)
		}
		// Null and unknown values are not checked.
		for _, v := range []types.String{types.StringNull(), types.StringUnknown()} {
			var r validator.StringResponse
			tt.v.ValidateString(context.Background(), validator.StringRequest{Path: p, ConfigValue: v}, &r)
			if r.Diagnostics.HasError() {
				t.Errorf("%T(%s): %v", tt.v, v, r.Diagnostics)
			}
		}
	}
}

// TestContentToClient checks the conversion of each content type, and that
// a button index of 0 is sent (not left out as a zero value).
func TestContentToClient(t *testing.T) {
	t.Parallel()
	s := types.StringValue
	c := contentModel{Template: &templateModel{
		Name: s("t"), Language: s("en"),
		HeaderParams: []types.String{s("h")},
		Media:        &templateMediaModel{Type: s("image"), URL: s("https://example.com/a.png")},
		Buttons:      []templateButtonModel{{Index: types.Int32Value(0), Type: s("url"), Payload: s("p")}, {Index: types.Int32Null()}},
	}}
	got := c.toClient()
	if got.Type != client.MessageTypeTemplate || got.Template == nil || got.Template.Media == nil || len(got.Template.Buttons) != 2 {
		t.Fatalf("toClient = %+v", got)
	}
	if i := got.Template.Buttons[0].Index; i == nil || *i != 0 {
		t.Errorf("button 0 index = %v, want 0", i)
	}
	if got.Template.Buttons[1].Index != nil {
		t.Errorf("button 1 index = %v, want nil (null)", *got.Template.Buttons[1].Index)
	}
	if got.Template.BodyParams != nil {
		t.Errorf("body params = %v, want nil", got.Template.BodyParams)
	}
	if err := got.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
	for _, c := range []contentModel{
		{Text: &textModel{Body: s("hi")}},
		{Media: &mediaModel{Type: s("video"), URL: s("https://example.com/a.mp4")}},
		{Raw: &rawModel{Version: types.StringNull(), Payload: s(`{"type":"text"}`)}},
	} {
		if err := c.toClient().Validate(); err != nil {
			t.Errorf("%+v: %v", c.toClient(), err)
		}
	}
}

func TestCodeList(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"": "", "a": "`a`", "a b": "`a` or `b`", "a b c": "`a`, `b` or `c`"} {
		if got := codeList(strings.Fields(in)); got != want {
			t.Errorf("codeList(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestJSONDepth(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]int{
		`"text"`: 0, `1`: 0, `{}`: 1, `[[]]`: 2, `{"a":[{"b":1}]}`: 3,
		`{"a":"[[[[{{{"}`: 1, `{"a":"\"[[["}`: 1, `{"a":"\\","b":[1]}`: 2,
		strings.Repeat("[", 10000) + strings.Repeat("]", 10000): 10000,
	} {
		if got := jsonDepth(s); got != want {
			t.Errorf("jsonDepth(%.40s) = %d, want %d", s, got, want)
		}
	}
}

func TestSameMedia(t *testing.T) {
	t.Parallel()
	s, n, u := types.StringValue, types.StringNull(), types.StringUnknown()
	media := func(typ, url, id types.String) types.Object {
		return types.ObjectValueMust(map[string]attr.Type{"type": types.StringType, "url": types.StringType, "media_id": types.StringType},
			map[string]attr.Value{"type": typ, "url": url, "media_id": id})
	}
	tests := []struct {
		name        string
		state, plan attr.Value
		want        bool
	}{
		{"upload renewed, new ID known", media(s("image"), n, s("a")), media(s("image"), n, s("b")), true},
		{"upload renewed, ID known after apply", media(s("image"), n, s("a")), media(s("image"), n, u), true},
		{"another type", media(s("image"), n, s("a")), media(s("document"), n, s("a")), false},
		{"from upload to url", media(s("image"), n, s("a")), media(s("image"), s("https://example.com/a.png"), n), false},
		{"another url", media(s("image"), s("https://example.com/a.png"), n), media(s("image"), s("https://example.com/b.png"), n), false},
		{"removed", media(s("image"), n, s("a")), types.ObjectNull(media(n, n, n).AttributeTypes(context.Background())), false},
	}
	for _, tt := range tests {
		if got := sameMedia(tt.state, tt.plan); got != tt.want {
			t.Errorf("%s: sameMedia = %v, want %v", tt.name, got, tt.want)
		}
	}
	c := contentModel{Media: &mediaModel{Type: s("video"), URL: n, MediaID: s("m-1")}}.toClient()
	if c.Type != client.MessageTypeRaw || c.Raw == nil || c.Raw.Payload != `{"type":"video","video":{"id":"m-1"}}` || c.Raw.Version != "" {
		t.Errorf("toClient of media_id = %+v %+v, want the raw payload naming the upload", c, c.Raw)
	}
}
