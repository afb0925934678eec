package provider

import (
	"context"
	"fmt"
	"math/big"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/templates"
)

var _ function.Function = templateFunction{}

// NewTemplateFunction returns provider::ezitxt::template.
func NewTemplateFunction() function.Function { return templateFunction{} }

// templateFunction fills a declared template with values into the object the
// template content attribute takes, failing when they do not fit.
type templateFunction struct{}

func (templateFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "template"
}

// templateParameters are the parameters of template and template_preview.
func templateParameters() []function.Parameter {
	return []function.Parameter{
		function.DynamicParameter{
			Name: "definition",
			// Called with values not known yet, so that counts are checked
			// at plan time whenever they are known (OpenTofu does not call a
			// function with a partly unknown argument otherwise).
			AllowUnknownValues: true,
			MarkdownDescription: "The approved template, declared once in code (or read with `jsondecode(file(...))` from " +
				"the JSON file `ezitxt-mock -templates` takes), as an object with: `name` and `language` (as approved, " +
				"such as `en_US`); `body`, text with placeholders `{{1}}`..`{{n}}` numbered from 1 without gaps; " +
				"optional `header`, either `{ text = \"...\" }` with placeholders or `{ format = \"image\" }` (or " +
				"`\"video\"`, `\"document\"`); optional `footer`, fixed text; optional `buttons`, a list of " +
				"`{ type = \"quick_reply\" | \"url\" | \"phone_number\", text = \"label\", url = \"https://...\" }` " +
				"where a `url` may end in `{{1}}`.",
		},
		function.DynamicParameter{
			Name:               "values",
			AllowNullValue:     true,
			AllowUnknownValues: true,
			MarkdownDescription: "What fills the placeholders, as an object with: `body`, a list of one value per body " +
				"placeholder, in order; `header`, the same for a text header; `header_media_url`, the URL of the media " +
				"of an image, video or document header; `buttons`, a list with one entry per button, in the " +
				"definition's order: the payload of a `quick_reply` button, the suffix that replaces `{{1}}` in a " +
				"`url` button's URL, `null` for buttons that take nothing. Numbers and bools are taken as text. " +
				"Omit what the template does not use; `null` or `{}` for a template without placeholders.",
		},
	}
}

func (templateFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Build a template message from a declared approved template",
		MarkdownDescription: "Returns the object the `template` attribute of `ezitxt_message`, `ezitxt_broadcast` and the " +
			"`ezitxt_send_message` action takes (`name`, `language`, `header_params`, `body_params`, `media`, " +
			"`buttons`), after checking `values` against `definition` at plan time. A mismatch that WhatsApp would " +
			"only report after the send, as a `failed` status, fails the plan instead, naming the part and both " +
			"counts, such as `body has 3 placeholders ({{1}}..{{3}}); values.body has 2`. The rules: one value per " +
			"placeholder of the body and of a text header; `header_media_url` for a media header; a suffix for every " +
			"`url` button whose URL ends in `{{1}}`; no value for a `phone_number` button.",
		Parameters: templateParameters(),
		Return:     function.ObjectReturn{AttributeTypes: templateResultTypes},
	}
}

var (
	templateMediaTypes  = map[string]attr.Type{"type": types.StringType, "url": types.StringType}
	templateButtonTypes = map[string]attr.Type{"index": types.Int64Type, "type": types.StringType, "payload": types.StringType}
	// templateResultTypes is the shape of the template content attribute (see contentSpecs).
	templateResultTypes = map[string]attr.Type{
		"name":          types.StringType,
		"language":      types.StringType,
		"header_params": types.ListType{ElemType: types.StringType},
		"body_params":   types.ListType{ElemType: types.StringType},
		"media":         types.ObjectType{AttrTypes: templateMediaTypes},
		"buttons":       types.ListType{ElemType: types.ObjectType{AttrTypes: templateButtonTypes}},
	}
)

func (templateFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	def, vals, state, ferr := templateArguments(ctx, req)
	if ferr != nil || state == argsUncheckable {
		resp.Error = ferr
		if ferr == nil {
			resp.Error = resp.Result.Set(ctx, types.ObjectUnknown(templateResultTypes))
		}
		return
	}
	params, problems := def.Fill(vals)
	if len(problems) > 0 {
		resp.Error = problemsError(def, problems)
		return
	}
	if state == argsUnknownList {
		resp.Error = resp.Result.Set(ctx, types.ObjectUnknown(templateResultTypes))
		return
	}
	media := types.ObjectNull(templateMediaTypes)
	if params.Media != nil {
		media = types.ObjectValueMust(templateMediaTypes, map[string]attr.Value{
			"type": types.StringValue(params.Media.Type), "url": resultString(params.Media.URL),
		})
	}
	buttonType := types.ObjectType{AttrTypes: templateButtonTypes}
	buttons := types.ListNull(buttonType)
	if len(params.Buttons) > 0 {
		elems := make([]attr.Value, len(params.Buttons))
		for i, b := range params.Buttons {
			elems[i] = types.ObjectValueMust(templateButtonTypes, map[string]attr.Value{
				"index": types.Int64Value(int64(*b.Index)), "type": types.StringValue(b.Type), "payload": resultString(b.Payload),
			})
		}
		buttons = types.ListValueMust(buttonType, elems)
	}
	resp.Error = resp.Result.Set(ctx, types.ObjectValueMust(templateResultTypes, map[string]attr.Value{
		"name":          types.StringValue(params.Name),
		"language":      types.StringValue(params.Language),
		"header_params": stringListOrNull(params.HeaderParams),
		"body_params":   stringListOrNull(params.BodyParams),
		"media":         media,
		"buttons":       buttons,
	}))
}

func stringListOrNull(vs []string) types.List {
	if len(vs) == 0 {
		return types.ListNull(types.StringType)
	}
	elems := make([]attr.Value, len(vs))
	for i, v := range vs {
		elems[i] = resultString(v)
	}
	return types.ListValueMust(types.StringType, elems)
}

// problemsError is the function error for definition or values problems:
// one message naming the template, every problem, and the argument at fault.
func problemsError(def templates.Definition, problems []templates.Problem) *function.FuncError {
	arg := int64(1)
	intro := fmt.Sprintf("values do not fit the template %q (%s): ", def.Name, def.Language)
	if strings.HasPrefix(problems[0].Path, "definition") {
		arg, intro = 0, "definition is not a valid template: "
	}
	msgs := make([]string, len(problems))
	for i, p := range problems {
		msgs[i] = p.Message
	}
	// Terraform ends the message with a full stop.
	return function.NewArgumentFuncError(arg, intro+strings.Join(msgs, "; "))
}

// argsState says what can be done with decoded arguments.
type argsState int

const (
	argsKnown argsState = iota
	// argsUnknownText: some values are not known yet (they read as
	// unknownText), but every count is: check them, and return a result whose
	// strings made from them are unknown.
	argsUnknownText
	// argsUnknownList: a list of the values is not known yet: check the
	// other parts, and return an unknown result.
	argsUnknownList
	// argsUncheckable: a part of the definition, or a list or object of the
	// values, is not known yet: return an unknown result without checks
	// (they run when it is known, at the latest during apply).
	argsUncheckable
)

// templateArguments decodes the definition and values arguments.
func templateArguments(ctx context.Context, req function.RunRequest) (templates.Definition, templates.Values, argsState, *function.FuncError) {
	var defArg, valArg types.Dynamic
	if ferr := req.Arguments.Get(ctx, &defArg, &valArg); ferr != nil {
		return templates.Definition{}, templates.Values{}, argsKnown, ferr
	}
	d := &decoder{arg: 0}
	def := d.definition(plain(defArg))
	if d.err != nil {
		return def, templates.Values{}, argsKnown, d.err
	}
	v := &decoder{arg: 1}
	vals := v.values(plain(valArg))
	switch {
	case v.err != nil:
		return def, vals, argsKnown, v.err
	case d.unknown || v.shapeUnknown:
		return def, vals, argsUncheckable, nil
	case vals.Unknown["body"] || vals.Unknown["header"] || vals.Unknown["buttons"]:
		return def, vals, argsUnknownList, nil
	case v.unknown:
		return def, vals, argsUnknownText, nil
	}
	return def, vals, argsKnown, nil
}

// unknownValue stands for a value not known yet in a plain tree.
type unknownValue struct{}

// unknownText stands for a string not known yet in decoded values: a
// result string that contains it is unknown.
const unknownText = "\x00(known after apply)\x00"

// resultString is s as a result value: unknown when made from a value not
// known yet.
func resultString(s string) types.String {
	if strings.Contains(s, unknownText) {
		return types.StringUnknown()
	}
	return types.StringValue(s)
}

// plain converts a framework value into nil, string, *big.Float, bool,
// []any, map[string]any or unknownValue{}.
func plain(v attr.Value) any {
	if v == nil || v.IsNull() {
		return nil
	}
	if v.IsUnknown() {
		return unknownValue{}
	}
	switch t := v.(type) {
	case basetypes.DynamicValue:
		return plain(t.UnderlyingValue())
	case basetypes.StringValue:
		return t.ValueString()
	case basetypes.NumberValue:
		return t.ValueBigFloat()
	case basetypes.BoolValue:
		return t.ValueBool()
	case basetypes.ObjectValue:
		return plainMap(t.Attributes())
	case basetypes.MapValue:
		return plainMap(t.Elements())
	case basetypes.TupleValue:
		return plainList(t.Elements())
	case basetypes.ListValue:
		return plainList(t.Elements())
	case basetypes.SetValue:
		return plainList(t.Elements())
	}
	return v.String()
}

func plainMap(in map[string]attr.Value) map[string]any {
	out := make(map[string]any, len(in))
	for k, v := range in {
		out[k] = plain(v)
	}
	return out
}

func plainList(in []attr.Value) []any {
	out := make([]any, len(in))
	for i, v := range in {
		out[i] = plain(v)
	}
	return out
}

// decoder reads a plain tree into the template model; the first problem
// becomes an argument error that names its path.
type decoder struct {
	arg int64
	err *function.FuncError
	// unknown: some value is not known yet; shapeUnknown: a list or object
	// is not known yet, so that counts cannot be checked.
	unknown, shapeUnknown bool
}

func (d *decoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = function.NewArgumentFuncError(d.arg, fmt.Sprintf(format, args...))
	}
}

func kindOf(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case *big.Float:
		return "a number"
	case bool:
		return "a bool"
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return "null"
}

// object returns v as an object whose attributes are all among allowed.
func (d *decoder) object(path string, v any, allowed ...string) (map[string]any, bool) {
	switch t := v.(type) {
	case unknownValue:
		d.unknown, d.shapeUnknown = true, true
		return nil, false
	case map[string]any:
		var extra []string
		for k := range t {
			if !slices.Contains(allowed, k) {
				extra = append(extra, k)
			}
		}
		if len(extra) > 0 {
			sort.Strings(extra)
			d.fail("%s has %s, which it cannot have: its attributes are %s", path, strings.Join(extra, ", "), strings.Join(allowed, ", "))
			return nil, false
		}
		return t, true
	}
	d.fail("%s must be an object, not %s", path, kindOf(v))
	return nil, false
}

// str reads a string attribute; with text, numbers and bools are taken as
// their text. Unknown strings read as placeholder text, so that presence and
// counts are still checked.
func (d *decoder) str(path string, v any, required, text bool) string {
	switch t := v.(type) {
	case nil:
		if required {
			d.fail("%s is required", path)
		}
		return ""
	case unknownValue:
		d.unknown = true
		return unknownText
	case string:
		return t
	case *big.Float:
		if text {
			return t.Text('f', -1)
		}
	case bool:
		if text {
			return fmt.Sprint(t)
		}
	}
	d.fail("%s must be a string, not %s", path, kindOf(v))
	return ""
}

// list reads an optional list: nil when it is absent or unknown.
func (d *decoder) list(path string, v any) []any {
	switch t := v.(type) {
	case nil:
		return nil
	case unknownValue:
		d.unknown, d.shapeUnknown = true, true
		return nil
	case []any:
		return t
	}
	d.fail("%s must be a list, not %s", path, kindOf(v))
	return nil
}

func (d *decoder) definition(v any) templates.Definition {
	var def templates.Definition
	if v == nil {
		d.fail("definition is null: give the template as an object with name, language and body")
		return def
	}
	o, ok := d.object("definition", v, "name", "language", "header", "body", "footer", "buttons")
	if !ok {
		return def
	}
	def.Name = d.str("definition.name", o["name"], true, false)
	def.Language = d.str("definition.language", o["language"], true, false)
	def.Body = d.str("definition.body", o["body"], true, false)
	def.Footer = d.str("definition.footer", o["footer"], false, false)
	if o["header"] != nil {
		if h, ok := d.object("definition.header", o["header"], "format", "text"); ok {
			def.Header = &templates.Header{
				Format: d.str("definition.header.format", h["format"], false, false),
				Text:   d.str("definition.header.text", h["text"], false, false),
			}
		}
	}
	buttons := d.list("definition.buttons", o["buttons"])
	for i, b := range buttons {
		p := fmt.Sprintf("definition.buttons[%d]", i)
		if bo, ok := d.object(p, b, "type", "text", "url"); ok {
			def.Buttons = append(def.Buttons, templates.Button{
				Type: d.str(p+".type", bo["type"], true, false),
				Text: d.str(p+".text", bo["text"], true, false),
				URL:  d.str(p+".url", bo["url"], false, false),
			})
		}
	}
	return def
}

func (d *decoder) values(v any) templates.Values {
	var vals templates.Values
	if v == nil {
		return vals
	}
	o, ok := d.object("values", v, "body", "header", "header_media_url", "buttons")
	if !ok {
		return vals
	}
	for _, name := range []string{"body", "header", "buttons"} {
		if _, isUnknown := o[name].(unknownValue); isUnknown {
			if vals.Unknown == nil {
				vals.Unknown = map[string]bool{}
			}
			vals.Unknown[name] = true // its count is not checked; the result is unknown
			d.unknown = true
			o[name] = nil
		}
	}
	texts := func(name string) []string {
		items := d.list("values."+name, o[name])
		var out []string
		for i, it := range items {
			p := fmt.Sprintf("values.%s[%d]", name, i)
			if it == nil {
				d.fail("%s is null: give every placeholder a value", p)
				continue
			}
			out = append(out, d.str(p, it, true, true))
		}
		return out
	}
	vals.Body = texts("body")
	vals.Header = texts("header")
	vals.HeaderMediaURL = d.str("values.header_media_url", o["header_media_url"], false, false)
	if vals.HeaderMediaURL == unknownText {
		if vals.Unknown == nil {
			vals.Unknown = map[string]bool{}
		}
		vals.Unknown["header_media_url"] = true // its URL is checked when known
	}
	buttons := d.list("values.buttons", o["buttons"])
	for i, b := range buttons {
		if b == nil {
			vals.Buttons = append(vals.Buttons, nil)
			continue
		}
		s := d.str(fmt.Sprintf("values.buttons[%d]", i), b, true, true)
		vals.Buttons = append(vals.Buttons, &s)
	}
	return vals
}
