package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/nyaruka/phonenumbers"
)

var _ function.Function = e164Function{}

// NewE164Function returns provider::ezitxt::e164.
func NewE164Function() function.Function { return e164Function{} }

// e164Function normalises a phone number as people write it to E.164.
type e164Function struct{}

func (e164Function) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "e164"
}

// phoneParameters are the parameters of the phone-number functions.
func phoneParameters() []function.Parameter {
	return []function.Parameter{
		function.StringParameter{
			Name: "number",
			MarkdownDescription: "A phone number as people write it: `(415) 555-2671`, `021 000 001`, `0064 21 000 001`, " +
				"`+64-21-000-001`, `tel:+1-415-555-2671`. Spaces, dots, dashes and brackets are ignored.",
		},
		function.StringParameter{
			Name:           "default_region",
			AllowNullValue: true,
			MarkdownDescription: "The ISO 3166-1 alpha-2 region (such as `US` or `NZ`, in any case) whose national format " +
				"and international call prefix `number` may be written in. `null` or `\"\"` when every number starts with " +
				"`+` and a country code. A number with a country code keeps its own country whatever this says.",
		},
	}
}

func (e164Function) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Normalise a phone number to E.164",
		MarkdownDescription: "Returns `number` in the E.164 form that `to` and `destinations` take, such as `+14155552671`, " +
			"parsed and checked with [libphonenumber](https://github.com/nyaruka/phonenumbers)'s metadata. " +
			"`e164(\"(415) 555-2671\", \"US\")` is `\"+14155552671\"`; `e164(\"0064 21 000 001\", \"NZ\")` and " +
			"`e164(\"+64-21-000-001\", null)` are `\"+6421000001\"`.\n\n" +
			"A number that is not a valid number of its region (wrong length, unassigned range, fictional " +
			"`555-01xx` numbers such as the mock's test numbers), that has an extension, or that is national " +
			"while `default_region` is null, fails the call with an error naming the number. Use " +
			"`phone_valid` to test a number without failing.",
		Parameters: phoneParameters(),
		Return:     function.StringReturn{},
	}
}

func (e164Function) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	runPhone(ctx, req, resp, func(n *phonenumbers.PhoneNumber) string { return phonenumbers.Format(n, phonenumbers.E164) })
}

// runPhone is the Run of e164 and phone_region: it reads (number,
// default_region), parses and checks the number (see parsePhone), and
// returns what result makes of it.
func runPhone(ctx context.Context, req function.RunRequest, resp *function.RunResponse, result func(*phonenumbers.PhoneNumber) string) {
	var number string
	var region types.String
	resp.Error = req.Arguments.Get(ctx, &number, &region)
	if resp.Error != nil {
		return
	}
	n, ferr := parsePhone(number, region)
	if ferr != nil {
		resp.Error = ferr
		return
	}
	resp.Error = resp.Result.Set(ctx, result(n))
}

// parsePhone parses number in defaultRegion and checks that it is a valid
// number WhatsApp could reach: an error names the argument at fault.
func parsePhone(number string, defaultRegion types.String) (*phonenumbers.PhoneNumber, *function.FuncError) {
	region := strings.ToUpper(strings.TrimSpace(defaultRegion.ValueString()))
	if region != "" && !phonenumbers.GetSupportedRegions()[region] {
		return nil, function.NewArgumentFuncError(1, fmt.Sprintf(
			"default_region %q is not an ISO 3166-1 alpha-2 region code with a phone numbering plan: use one such as \"US\" or \"NZ\", or null",
			defaultRegion.ValueString()))
	}
	if strings.TrimSpace(number) == "" {
		return nil, function.NewArgumentFuncError(0, "number is empty: give a phone number such as \"+6421000001\"")
	}
	n, err := phonenumbers.Parse(number, region)
	if err != nil {
		if region == "" && !strings.HasPrefix(strings.TrimSpace(strings.TrimPrefix(number, "tel:")), "+") {
			return nil, function.NewArgumentFuncError(0, fmt.Sprintf(
				"number %q has no country code: write it with + and the country code, such as \"+6421000001\", or give default_region, such as \"NZ\"",
				number))
		}
		return nil, function.NewArgumentFuncError(0, fmt.Sprintf("number %q is not a phone number: %s", number, err))
	}
	if ext := n.GetExtension(); ext != "" {
		return nil, function.NewArgumentFuncError(0, fmt.Sprintf(
			"number %q has an extension (%s), which a WhatsApp number cannot have: remove it", number, ext))
	}
	if !phonenumbers.IsValidNumber(n) {
		where := "any region"
		if r := phonenumbers.GetRegionCodeForCountryCode(int(n.GetCountryCode())); r != "" && r != "ZZ" {
			where = fmt.Sprintf("region %s (+%d)", r, n.GetCountryCode())
		}
		return nil, function.NewArgumentFuncError(0, fmt.Sprintf(
			"number %q (read as %s) is not a valid phone number of %s: check its digits and default_region",
			number, phonenumbers.Format(n, phonenumbers.E164), where))
	}
	return n, nil
}
