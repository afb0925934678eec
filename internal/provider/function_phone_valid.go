package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ function.Function = phoneValidFunction{}

// NewPhoneValidFunction returns provider::ezitxt::phone_valid.
func NewPhoneValidFunction() function.Function { return phoneValidFunction{} }

// phoneValidFunction tells whether e164 accepts a number, without failing.
type phoneValidFunction struct{}

func (phoneValidFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "phone_valid"
}

func (phoneValidFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Whether a phone number is valid",
		MarkdownDescription: "Returns `true` when `e164(number, default_region)` would succeed, and `false` when it would " +
			"fail because of the number, so that it can be used in a variable's `validation` block or to filter a list " +
			"with a `for` expression. An unknown `default_region` still fails the call: that is a mistake in the " +
			"configuration, not in the data.",
		Parameters: phoneParameters(),
		Return:     function.BoolReturn{},
	}
}

func (phoneValidFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var number string
	var region types.String
	resp.Error = req.Arguments.Get(ctx, &number, &region)
	if resp.Error != nil {
		return
	}
	_, ferr := parsePhone(number, region)
	if ferr != nil && ferr.FunctionArgument != nil && *ferr.FunctionArgument == 1 {
		resp.Error = ferr
		return
	}
	resp.Error = resp.Result.Set(ctx, ferr == nil)
}
