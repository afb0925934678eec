package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ function.Function = templatePreviewFunction{}

// NewTemplatePreviewFunction returns provider::ezitxt::template_preview.
func NewTemplatePreviewFunction() function.Function { return templatePreviewFunction{} }

// templatePreviewFunction renders the text a recipient of a template reads.
type templatePreviewFunction struct{}

func (templatePreviewFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "template_preview"
}

var (
	previewButtonTypes = map[string]attr.Type{"type": types.StringType, "text": types.StringType, "url": types.StringType}
	previewTypes       = map[string]attr.Type{
		"header":  types.StringType,
		"body":    types.StringType,
		"footer":  types.StringType,
		"buttons": types.ListType{ElemType: types.ObjectType{AttrTypes: previewButtonTypes}},
	}
)

func (templatePreviewFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "The text a recipient of a template message reads",
		MarkdownDescription: "Returns the template's text with `values` filled in, for outputs and review: `header` " +
			"(`null` for no header or a media header), `body`, `footer` (`null` when there is none) and `buttons`, a " +
			"list of `{ type, text, url }` with each `url` button's suffix filled in (`url` is `null` for other " +
			"buttons). It checks `values` against `definition` by the same rules as `template`, and fails the " +
			"same way on a mismatch.",
		Parameters: templateParameters(),
		Return:     function.ObjectReturn{AttributeTypes: previewTypes},
	}
}

func (templatePreviewFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	def, vals, state, ferr := templateArguments(ctx, req)
	if ferr != nil || state == argsUncheckable {
		resp.Error = ferr
		if ferr == nil {
			resp.Error = resp.Result.Set(ctx, types.ObjectUnknown(previewTypes))
		}
		return
	}
	pv, problems := def.Preview(vals)
	if len(problems) > 0 {
		resp.Error = problemsError(def, problems)
		return
	}
	if state == argsUnknownList {
		resp.Error = resp.Result.Set(ctx, types.ObjectUnknown(previewTypes))
		return
	}
	orNull := func(s string) types.String {
		if s == "" {
			return types.StringNull()
		}
		return resultString(s)
	}
	buttonType := types.ObjectType{AttrTypes: previewButtonTypes}
	buttons := types.ListValueMust(buttonType, []attr.Value{})
	if len(pv.Buttons) > 0 {
		elems := make([]attr.Value, len(pv.Buttons))
		for i, b := range pv.Buttons {
			elems[i] = types.ObjectValueMust(previewButtonTypes, map[string]attr.Value{
				"type": types.StringValue(b.Type), "text": types.StringValue(b.Text), "url": orNull(b.URL),
			})
		}
		buttons = types.ListValueMust(buttonType, elems)
	}
	resp.Error = resp.Result.Set(ctx, types.ObjectValueMust(previewTypes, map[string]attr.Value{
		"header":  orNull(pv.Header),
		"body":    resultString(pv.Body),
		"footer":  orNull(pv.Footer),
		"buttons": buttons,
	}))
}
