package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/nyaruka/phonenumbers"
)

var _ function.Function = phoneRegionFunction{}

// NewPhoneRegionFunction returns provider::ezitxt::phone_region.
func NewPhoneRegionFunction() function.Function { return phoneRegionFunction{} }

// phoneRegionFunction returns the region a number belongs to.
type phoneRegionFunction struct{}

func (phoneRegionFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "phone_region"
}

func (phoneRegionFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "The region of a phone number",
		MarkdownDescription: "Returns the ISO 3166-1 alpha-2 region a valid phone number belongs to, such as `\"NZ\"` for " +
			"`+6421000001` or `\"CA\"` for `+16135552671` (numbers of a shared country code such as +1 get their own " +
			"region), for routing contacts to the source or template of their country. Fails like `e164` for a number " +
			"that is not valid.",
		Parameters: phoneParameters(),
		Return:     function.StringReturn{},
	}
}

func (phoneRegionFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	runPhone(ctx, req, resp, phonenumbers.GetRegionCodeForNumber)
}
