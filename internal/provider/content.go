package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-jsontypes/jsontypes"
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
			same: sameMedia,
			objV: []validator.Object{mediaSourceValidator{}},
			desc: "A media message: an image, audio, video or document, fetched from a `url` or uploaded with " +
				"`ezitxt_media` (`media_id`). Set exactly one of `text`, `media`, `template` or `raw`.",
			children: map[string]inputSpec{
				"type": {kind: kindString, required: true,
					desc: "The kind of media: " + codeList(mediaTypes) + ".",
					strV: []validator.String{stringvalidator.OneOf(mediaTypes...)}},
				"url": {kind: kindString,
					desc: "Absolute `http://` or `https://` URL the media is fetched from. Exactly one of `url` and `media_id`.",
					strV: []validator.String{absoluteHTTPURL}},
				"media_id": {kind: kindString,
					desc: "The `id` of an `ezitxt_media` uploaded for the same `source`, such as `ezitxt_media.logo.id`. " +
						"Exactly one of `url` and `media_id`. The message is sent as a WhatsApp Cloud API payload that " +
						"names the upload (`{\"type\": \"image\", \"image\": {\"id\": \"...\"}}`). Uploads expire: a new " +
						"upload (a new ID) never sends a message already sent again; it is recorded in place, and the plan " +
						"says so in a warning.",
					strV: []validator.String{mediaID}},
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
			kind:     kindObject,
			same:     sameRawSend,
			deferred: rawPendingAtPlan,
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
	Type    types.String `tfsdk:"type"`
	URL     types.String `tfsdk:"url"`
	MediaID types.String `tfsdk:"media_id"`
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
	case c.Media != nil && !c.Media.MediaID.IsNull():
		return uploadedMediaContent(client.MediaType(c.Media.Type.ValueString()), c.Media.MediaID.ValueString())
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

// uploadedMediaContent is a media message for an upload: the API's media
// message takes only a url, so it is sent as the raw WhatsApp Cloud API
// message that names the upload by id, {"type": T, T: {"id": ID}}.
func uploadedMediaContent(t client.MediaType, id string) client.Content {
	payload, _ := json.Marshal(map[string]any{ // a map of strings always marshals
		"type":    string(t),
		string(t): map[string]string{"id": id},
	})
	return client.Content{Type: client.MessageTypeRaw, Raw: &client.Raw{Payload: string(payload)}}
}

// sameMedia reports whether two media content objects send the same
// message: the same type and url, and each naming an upload by media_id.
// Which upload does not matter: uploads expire and are uploaded again under a
// new ID, and that must never send a message that was already sent.
func sameMedia(state, plan attr.Value) bool {
	sa, ok1 := objectAttributes(state)
	pa, ok2 := objectAttributes(plan)
	if !ok1 || !ok2 {
		return false
	}
	return sa["type"].Equal(pa["type"]) && sa["url"].Equal(pa["url"]) &&
		!sa["media_id"].IsNull() && !pa["media_id"].IsNull()
}

// mediaIDChanged reports whether a planned media content object names
// another upload than the one in state (see sameMedia), and which.
func mediaIDChanged(state, plan attr.Value) (from, to string, changed bool) {
	sa, ok1 := objectAttributes(state)
	pa, ok2 := objectAttributes(plan)
	if !ok1 || !ok2 || !sameMedia(state, plan) || sa["media_id"].Equal(pa["media_id"]) {
		return "", "", false
	}
	from, _ = stringOf(sa["media_id"])
	to, known := stringOf(pa["media_id"])
	if !known {
		to = "(known after apply)"
	}
	return from, to, true
}

// objectAttributes returns the attributes of a known, non-null object.
func objectAttributes(v attr.Value) (map[string]attr.Value, bool) {
	o, ok := v.(basetypes.ObjectValuable)
	if !ok || v.IsNull() || v.IsUnknown() {
		return nil, false
	}
	ov, diags := o.ToObjectValue(context.Background())
	if diags.HasError() {
		return nil, false
	}
	return ov.Attributes(), true
}

// maxPayloadDepth bounds the nesting of raw.payload, far above what real
// WhatsApp payloads use (an interactive list message is about 7 deep).
const maxPayloadDepth = 64

// jsonDepth returns how deeply objects and arrays nest in JSON text (the
// brackets outside strings), without parsing it: 0 for a scalar.
func jsonDepth(s string) int {
	depth, deepest := 0, 0
	inString, escaped := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case inString && escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case inString && c == '"':
			inString = false
		case inString:
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			depth++
			deepest = max(deepest, depth)
		case c == '}' || c == ']':
			depth--
		}
	}
	return deepest
}

// validateContent checks that exactly one content attribute is configured.
// Unknown values are given the benefit of the doubt until they are known.
func validateContent(_ context.Context, cfg tfsdk.Config) diag.Diagnostics {
	var diags diag.Diagnostics
	var set []string
	for _, name := range contentAttributes {
		v, ok := attrValue(cfg.Raw, name)
		if !ok || !v.IsKnown() {
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
	a, errA := client.ParseRFC3339(s)
	b, errB := client.ParseRFC3339(p)
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

// sameRawSend is the replacement rule of raw: a payload that means the
// same, or that names another upload and nothing else new (see
// withoutMediaID), sends nothing; uploads expire and are made again under a
// new ID, and that must never send a message that was already sent.
func sameRawSend(state, plan attr.Value) bool {
	if sameRaw(state, plan) {
		return true
	}
	sa, ok1 := objectAttributes(state)
	pa, ok2 := objectAttributes(plan)
	if !ok1 || !ok2 || !sa["version"].Equal(pa["version"]) {
		return false
	}
	so, ok1 := decodeJSONString(sa["payload"])
	po, ok2 := decodeJSONString(pa["payload"])
	if !ok1 || !ok2 {
		return false
	}
	from, to := withoutMediaID(so), withoutMediaID(po)
	return from != "" && to != "" && reflect.DeepEqual(so, po)
}

// decodeJSONString decodes a known string value holding JSON.
func decodeJSONString(v attr.Value) (any, bool) {
	s, ok := stringOf(v)
	if !ok {
		return nil, false
	}
	var doc any
	if json.Unmarshal([]byte(s), &doc) != nil {
		return nil, false
	}
	return doc, true
}

// sendSpecs are the inputs every send has besides its destination and
// content: source, schedule and reference.
func sendSpecs() map[string]inputSpec {
	return map[string]inputSpec{
		"source": {kind: kindString, required: true, strV: []validator.String{sourceValidator},
			desc: "The WhatsApp Business phone number ID to send from, registered with `ezitxt_source`."},
		"scheduled": {kind: kindString, stringType: scheduleType{}, same: sameInstant, strV: []validator.String{scheduleFormat},
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

// warnMediaReupload warns, on a plan that keeps a sent message or broadcast
// (what names it), when media.media_id names another upload: the new ID is
// recorded in place and nothing is sent (see sameMedia).
func warnMediaReupload(ctx context.Context, state tfsdk.State, plan tfsdk.Plan, what, resourceType string, diags *diag.Diagnostics) {
	var s, p attr.Value
	if state.GetAttribute(ctx, path.Root("media"), &s).HasError() || plan.GetAttribute(ctx, path.Root("media"), &p).HasError() {
		return
	}
	from, to, changed := mediaIDChanged(s, p)
	if !changed {
		return
	}
	diags.AddAttributeWarning(path.Root("media").AtName("media_id"), "New Media Upload Is Not Sent",
		fmt.Sprintf("media.media_id changes from %s to %s, as when an ezitxt_media is uploaded again after its upload "+
			"expired. %s was already sent with media %s and is not sent again: apply only records the new ID, and the "+
			"API keeps what was sent (data source ezitxt_message, attributes.media.id). To send it again with the new "+
			"upload, run: terraform apply -replace=<address of this %s>.", from, to, what, from, resourceType))
}

// A raw payload of a message already sent that is not known until apply
// (jsonencode of something computed, typically the id of an ezitxt_media
// being uploaded again after its upload expired) does not replace the
// message at plan time: a replacement would send it again, and an expired
// upload must never do that. The plan updates in place and says so
// (warnRawAtApply). During apply Terraform plans again with the payload
// known: one that means the same or names only another upload
// (sameRawSend) is then recorded without sending (checkRawAtApply warns);
// any other change makes that plan a replacement, which Terraform refuses
// as inconsistent with the first plan, so the apply stops and nothing is
// sent.

// rawPendingAtPlan reports whether a planned raw object of a message that
// was sent with a raw payload is not wholly known yet.
func rawPendingAtPlan(state, plan attr.Value) bool {
	if state == nil || state.IsNull() || state.IsUnknown() || plan == nil || plan.IsNull() {
		return false
	}
	if plan.IsUnknown() {
		return true
	}
	pa, ok := objectAttributes(plan)
	return ok && (pa["payload"].IsUnknown() || pa["version"].IsUnknown())
}

// warnRawAtApply warns, on a plan that keeps a sent message or broadcast
// (what names it), when its raw payload is decided during apply.
func warnRawAtApply(ctx context.Context, state tfsdk.State, plan tfsdk.Plan, what, resourceType string, diags *diag.Diagnostics) {
	var s, p attr.Value
	if state.GetAttribute(ctx, path.Root("raw"), &s).HasError() || plan.GetAttribute(ctx, path.Root("raw"), &p).HasError() ||
		!rawPendingAtPlan(s, p) {
		return
	}
	diags.AddAttributeWarning(path.Root("raw").AtName("payload"), "Raw Payload Known Only During Apply",
		fmt.Sprintf("%s was already sent, and its raw.payload is computed during apply (for example from the id of an "+
			"ezitxt_media that is being uploaded again because its upload expired). Apply does not send it again: if the "+
			"payload then means the same or names only another upload, it is recorded without sending; if anything else "+
			"changed, apply stops with Terraform's \"Provider produced inconsistent final plan\" error and sends nothing. "+
			"To send a new payload on purpose, run: terraform apply -replace=<address of this %s>.", what, resourceType))
}

// checkRawAtApply is Update's half of rawPendingAtPlan and sameRawSend:
// with both payloads known, it says when the new one names another upload
// (recorded, not sent), and refuses any other change (which the plan should
// have made a replacement) without sending.
func checkRawAtApply(state, plan contentModel, what, resourceType string) diag.Diagnostics {
	var diags diag.Diagnostics
	if state.Raw == nil || plan.Raw == nil || sameRaw(rawContentObject(state.Raw), rawContentObject(plan.Raw)) {
		return diags
	}
	if !sameRawSend(rawContentObject(state.Raw), rawContentObject(plan.Raw)) {
		diags.AddAttributeError(path.Root("raw").AtName("payload"), "Sent Message Content Changed",
			fmt.Sprintf("raw.payload differs from what %s was sent with, beyond the media upload it names. A sent message "+
				"cannot be edited, and nothing was sent; the state is unchanged. To send the new payload, run: "+
				"terraform apply -replace=<address of this %s>.", what, resourceType))
		return diags
	}
	so, _ := decodeJSONString(state.Raw.Payload)
	po, _ := decodeJSONString(plan.Raw.Payload)
	from, to := withoutMediaID(so), withoutMediaID(po)
	diags.AddAttributeWarning(path.Root("raw").AtName("payload"), "New Media Upload Is Not Sent",
		fmt.Sprintf("raw.payload now names media %s instead of %s, as when an ezitxt_media is uploaded again after its "+
			"upload expired. %s was already sent with media %s and is not sent again: apply only records the new payload. "+
			"To send it again with the new upload, run: terraform apply -replace=<address of this %s>.", to, from, what, from, resourceType))
	return diags
}

// rawContentObject is a raw content model as the object value of its attribute.
func rawContentObject(r *rawModel) attr.Value {
	v, _ := types.ObjectValue(map[string]attr.Type{"version": types.StringType, "payload": types.StringType},
		map[string]attr.Value{"version": r.Version, "payload": r.Payload})
	return v
}

// withoutMediaID removes, from a decoded media payload ({"type": "image",
// "image": {"id": "...", ...}}), the id of the upload it names, and returns
// that id ("" when the payload names no upload).
func withoutMediaID(doc any) string {
	m, ok := doc.(map[string]any)
	if !ok {
		return ""
	}
	typ, _ := m["type"].(string)
	media, ok := m[typ].(map[string]any)
	if !ok || !slices.Contains([]string{"image", "audio", "video", "document", "sticker"}, typ) {
		return ""
	}
	id, _ := media["id"].(string)
	delete(media, "id")
	return id
}
