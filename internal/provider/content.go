package provider

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-jsontypes/jsontypes"
	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/client"
)

// This file holds the message content model shared by ezitxt_message,
// ezitxt_broadcast and the ezitxt_send_message action: the schema of the
// four content attributes (described once in inputSpec and rendered for
// resource and action schemas in schemaspec.go), their Go models, the
// conversion to client.Content, and the plan-time rule that exactly one of
// them is set.

// contentAttributes are the content attribute names, one per message type.
var contentAttributes = []string{"text", "media", "template", "raw"}

func contentSpecs() map[string]inputSpec {
	mediaTypes := stringsOf(client.MediaTypeValues())
	return map[string]inputSpec{
		"text": {
			kind: kindObject,
			desc: "A text message. Set exactly one of `text`, `media`, `template` or `raw`.",
			children: map[string]inputSpec{
				"body": {kind: kindString, required: true, desc: "The text of the message.",
					strV: []validator.String{notEmptyValidator}},
			},
		},
		"media": {
			kind: kindObject,
			desc: "A media message: an image, audio, video or document fetched from a URL. Set exactly one of `text`, `media`, `template` or `raw`.",
			children: map[string]inputSpec{
				"type": {kind: kindString, required: true,
					desc: "The kind of media: " + codeList(mediaTypes) + ".",
					strV: []validator.String{stringvalidator.OneOf(mediaTypes...)}},
				"url": {kind: kindString, required: true,
					desc: "Absolute `http://` or `https://` URL the media is fetched from.",
					strV: []validator.String{absoluteHTTPURL}},
			},
		},
		"template": {
			kind: kindObject,
			desc: "A pre-approved WhatsApp template message. Set exactly one of `text`, `media`, `template` or `raw`.",
			children: map[string]inputSpec{
				"name": {kind: kindString, required: true, desc: "Name of the approved template.",
					strV: []validator.String{notEmptyValidator}},
				"language": {kind: kindString, required: true, desc: "Language code of the template, such as `en_US`.",
					strV: []validator.String{notEmptyValidator}},
				"header_params": {kind: kindStringList, desc: "Values for the template's header placeholders, in order."},
				"body_params":   {kind: kindStringList, desc: "Values for the template's body placeholders, in order."},
				"media": {kind: kindObject, desc: "Media for a template whose header is an image, video or document.",
					children: map[string]inputSpec{
						"type": {kind: kindString, desc: "The kind of header media, such as `image` or `document`."},
						"url": {kind: kindString, desc: "Absolute URL of the header media, such as `https://example.com/banner.png`.",
							strV: []validator.String{templateMediaURL}},
					}},
				"buttons": {kind: kindObjectList, desc: "Parameters for the template's buttons.",
					children: map[string]inputSpec{
						// The reference types index as int32 and sets no bounds: the
						// attribute's type is the only limit.
						"index":   {kind: kindInt32, desc: "Position of the button in the template, from 0."},
						"type":    {kind: kindString, desc: "Button kind, such as `quick_reply` or `url`."},
						"payload": {kind: kindString, desc: "Payload returned when a quick-reply button is pressed, or the URL suffix of a URL button."},
					}},
			},
		},
		"raw": {
			kind: kindObject,
			same: sameRaw,
			desc: "A raw WhatsApp Cloud API message payload, for message kinds the other attributes do not cover. " +
				"Set exactly one of `text`, `media`, `template` or `raw`.",
			children: map[string]inputSpec{
				"version": {kind: kindString, desc: "WhatsApp Cloud API version the payload is written for, such as `v19.0`."},
				"payload": {kind: kindString, required: true, strV: []validator.String{jsonText},
					desc: "The payload as JSON text, usually written with `jsonencode({...})`. Differences in whitespace " +
						"or key order are not changes."},
			},
		},
	}
}

// Go models of the content attributes. Pointers are nil when the attribute
// is not set.
type contentModel struct {
	Text     *textModel     `tfsdk:"text"`
	Media    *mediaModel    `tfsdk:"media"`
	Template *templateModel `tfsdk:"template"`
	Raw      *rawModel      `tfsdk:"raw"`
}

type textModel struct {
	Body types.String `tfsdk:"body"`
}

type mediaModel struct {
	Type types.String `tfsdk:"type"`
	URL  types.String `tfsdk:"url"`
}

type templateModel struct {
	Name         types.String          `tfsdk:"name"`
	Language     types.String          `tfsdk:"language"`
	HeaderParams []types.String        `tfsdk:"header_params"`
	BodyParams   []types.String        `tfsdk:"body_params"`
	Media        *templateMediaModel   `tfsdk:"media"`
	Buttons      []templateButtonModel `tfsdk:"buttons"`
}

type templateMediaModel struct {
	Type types.String `tfsdk:"type"`
	URL  types.String `tfsdk:"url"`
}

type templateButtonModel struct {
	Index   types.Int32  `tfsdk:"index"`
	Type    types.String `tfsdk:"type"`
	Payload types.String `tfsdk:"payload"`
}

type rawModel struct {
	Version types.String `tfsdk:"version"`
	Payload types.String `tfsdk:"payload"`
}

// toClient converts the configured content into the client's form. It
// assumes validation has passed: exactly one attribute is set.
func (c contentModel) toClient() client.Content {
	switch {
	case c.Text != nil:
		return client.Content{Type: client.MessageTypeText, Text: &client.Text{Body: c.Text.Body.ValueString()}}
	case c.Media != nil:
		return client.Content{Type: client.MessageTypeMedia, Media: &client.Media{
			Type: client.MediaType(c.Media.Type.ValueString()), URL: c.Media.URL.ValueString(),
		}}
	case c.Template != nil:
		t := &client.Template{
			Name:         c.Template.Name.ValueString(),
			Language:     c.Template.Language.ValueString(),
			HeaderParams: stringValues(c.Template.HeaderParams),
			BodyParams:   stringValues(c.Template.BodyParams),
		}
		if m := c.Template.Media; m != nil {
			t.Media = &client.TemplateMedia{Type: m.Type.ValueString(), URL: m.URL.ValueString()}
		}
		for _, b := range c.Template.Buttons {
			t.Buttons = append(t.Buttons, client.TemplateButton{
				Index: b.Index.ValueInt32Pointer(), Type: b.Type.ValueString(), Payload: b.Payload.ValueString(),
			})
		}
		return client.Content{Type: client.MessageTypeTemplate, Template: t}
	case c.Raw != nil:
		return client.Content{Type: client.MessageTypeRaw, Raw: &client.Raw{
			Version: c.Raw.Version.ValueString(), Payload: c.Raw.Payload.ValueString(),
		}}
	}
	return client.Content{}
}

// validateContent checks that exactly one content attribute is configured.
// Unknown values are given the benefit of the doubt until they are known.
func validateContent(ctx context.Context, cfg tfsdk.Config) diag.Diagnostics {
	var diags diag.Diagnostics
	var set []string
	for _, name := range contentAttributes {
		var v attr.Value
		diags.Append(cfg.GetAttribute(ctx, path.Root(name), &v)...)
		if diags.HasError() {
			return diags
		}
		if v.IsUnknown() {
			return diags
		}
		if !v.IsNull() {
			set = append(set, name)
		}
	}
	switch len(set) {
	case 0:
		diags.AddError("Missing Message Content",
			"Set exactly one of text, media, template or raw, for example: text = { body = \"Deploy finished\" }.")
	case 1:
	default:
		diags.AddAttributeError(path.Root(set[1]), "Conflicting Message Content",
			fmt.Sprintf("Only one of text, media, template or raw may be set, but %s are all set. Keep one and remove the others.",
				strings.Join(set, ", ")))
	}
	return diags
}

func stringValues(vs []types.String) []string {
	if vs == nil {
		return nil
	}
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.ValueString()
	}
	return out
}

func stringsOf[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	sort.Strings(out)
	return out
}

// codeList renders values as `a`, `b` or `c` for descriptions.
func codeList(vs []string) string {
	quoted := make([]string, len(vs))
	for i, v := range vs {
		quoted[i] = "`" + v + "`"
	}
	switch len(quoted) {
	case 0:
		return ""
	case 1:
		return quoted[0]
	}
	return strings.Join(quoted[:len(quoted)-1], ", ") + " or " + quoted[len(quoted)-1]
}

// sameInstant reports whether two RFC 3339 strings name the same instant, so
// that rewriting a schedule with another offset is not a new send.
func sameInstant(state, plan attr.Value) bool {
	s, ok1 := stringOf(state)
	p, ok2 := stringOf(plan)
	if !ok1 || !ok2 {
		return false
	}
	a, errA := time.Parse(time.RFC3339, s)
	b, errB := time.Parse(time.RFC3339, p)
	return errA == nil && errB == nil && a.Equal(b)
}

// stringOf returns the text of a known, non-null string value of any string
// type.
func stringOf(v attr.Value) (string, bool) {
	sv, ok := v.(basetypes.StringValuable)
	if !ok || v.IsNull() || v.IsUnknown() {
		return "", false
	}
	s, diags := sv.ToStringValue(context.Background())
	if diags.HasError() {
		return "", false
	}
	return s.ValueString(), true
}

// sameRaw reports whether two raw content objects carry the same version
// and semantically equal JSON payloads.
func sameRaw(state, plan attr.Value) bool {
	so, ok1 := state.(basetypes.ObjectValuable)
	po, ok2 := plan.(basetypes.ObjectValuable)
	if !ok1 || !ok2 || state.IsNull() || plan.IsNull() || state.IsUnknown() || plan.IsUnknown() {
		return false
	}
	sv, d1 := so.ToObjectValue(context.Background())
	pv, d2 := po.ToObjectValue(context.Background())
	if d1.HasError() || d2.HasError() {
		return false
	}
	sa, pa := sv.Attributes(), pv.Attributes()
	if !sa["version"].Equal(pa["version"]) {
		return false
	}
	ss, ok1 := stringOf(sa["payload"])
	ps, ok2 := stringOf(pa["payload"])
	if !ok1 || !ok2 {
		return false
	}
	equal, diags := jsontypes.NewNormalizedValue(ss).StringSemanticEquals(context.Background(), jsontypes.NewNormalizedValue(ps))
	return equal && !diags.HasError()
}

// sendSpecs are the inputs every send has besides its destination and
// content: source, schedule and reference.
func sendSpecs() map[string]inputSpec {
	return map[string]inputSpec{
		"source": {kind: kindString, required: true, strV: []validator.String{sourceValidator},
			desc: "The WhatsApp Business phone number ID to send from, registered with `ezitxt_source`."},
		"scheduled": {kind: kindString, stringType: timetypes.RFC3339Type{}, same: sameInstant,
			desc: "When to deliver, as an RFC 3339 time such as `2026-12-24T09:00:00+13:00`: in the future and at most " +
				"60 days ahead when the message is sent. Omit to send immediately. Writing the same instant with another " +
				"offset is not a change."},
		"reference": {kind: kindString,
			desc: "Your own reference for the message, returned in status callbacks."},
	}
}

// toSpec is the destination of a single message.
func toSpec(required bool) inputSpec {
	return inputSpec{kind: kindString, required: required, strV: []validator.String{e164Validator},
		desc: "The recipient's phone number in E.164 format, such as `+6421000001`."}
}
