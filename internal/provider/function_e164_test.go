package provider_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/acctest"
	"github.com/ezitxt/terraform-provider-ezitxt/internal/provider"
)

func TestFunctionE164(t *testing.T) {
	for _, tc := range []struct {
		number string
		region any
		want   string
	}{
		// The forms of issue 15.
		{"(415) 555-2671", "US", "+14155552671"},
		{"021 000 001", "NZ", "+6421000001"},
		{"0064 21 000 001", "NZ", "+6421000001"},
		{"+64-21-000-001", nil, "+6421000001"},
		// A country code wins over the default region; region case and
		// an empty region are accepted.
		{"+64 21 000 001", "US", "+6421000001"},
		{"415.555.2671", "us", "+14155552671"},
		{"+1 (415) 555-2671", "", "+14155552671"},
		{"tel:+1-415-555-2671", nil, "+14155552671"},
		{"011 64 21 000 001", "US", "+6421000001"},
		{"+44 20 7946 0958", nil, "+442079460958"},
	} {
		got, ferr := callFunction(t, "e164", tc.number, tc.region)
		if ferr != nil || got != tc.want {
			t.Errorf("e164(%q, %v) = %v, %v; want %q", tc.number, tc.region, got, ferr, tc.want)
		}
	}
}

func TestFunctionE164_errors(t *testing.T) {
	for _, tc := range []struct {
		number    string
		region    any
		arg       int64
		fragments []string
	}{
		{"0064 21 000 001", nil, 0, []string{`number "0064 21 000 001" has no country code`, "default_region"}},
		{"415 555 2671", nil, 0, []string{`number "415 555 2671" has no country code`}},
		{"12345", "US", 0, []string{`number "12345"`, "not a valid phone number of region US (+1)"}},
		{"+15550100001", nil, 0, []string{`number "+15550100001"`, "not a valid phone number"}},
		{"call me", "US", 0, []string{`number "call me" is not a phone number`}},
		{"", "NZ", 0, []string{"number is empty"}},
		{"+1 415 555 2671 ext. 12", nil, 0, []string{"has an extension (12)"}},
		{"+6421000001", "XX", 1, []string{`default_region "XX" is not an ISO 3166-1 alpha-2 region code`}},
		{"+6421000001", "New Zealand", 1, []string{`default_region "New Zealand"`}},
	} {
		got, ferr := callFunction(t, "e164", tc.number, tc.region)
		if got != nil {
			t.Errorf("e164(%q, %v) = %v, want an error", tc.number, tc.region, got)
			continue
		}
		wantFuncError(t, ferr, tc.arg, tc.fragments...)
	}
}

func TestFunctionPhoneValid(t *testing.T) {
	for _, tc := range []struct {
		number string
		region any
		want   bool
	}{
		{"(415) 555-2671", "US", true},
		{"+64-21-000-001", nil, true},
		{"0064 21 000 001", "NZ", true},
		{"0064 21 000 001", nil, false},
		{"12345", "US", false},
		{"", nil, false},
		{"not a number", "NZ", false},
		{"+15550100001", nil, false},
		{"+1 415 555 2671 ext. 12", nil, false},
	} {
		got, ferr := callFunction(t, "phone_valid", tc.number, tc.region)
		if ferr != nil || got != tc.want {
			t.Errorf("phone_valid(%q, %v) = %v, %v; want %v", tc.number, tc.region, got, ferr, tc.want)
		}
	}
	// A region that does not exist is a configuration mistake, not data.
	_, ferr := callFunction(t, "phone_valid", "+6421000001", "ZZZ")
	wantFuncError(t, ferr, 1, `default_region "ZZZ"`)
}

func TestFunctionPhoneRegion(t *testing.T) {
	for _, tc := range []struct {
		number string
		region any
		want   string
	}{
		{"+6421000001", nil, "NZ"},
		{"(415) 555-2671", "US", "US"},
		{"+1 613 555 2671", nil, "CA"}, // +1 is shared: the number's own region
		{"020 7946 0958", "GB", "GB"},
	} {
		got, ferr := callFunction(t, "phone_region", tc.number, tc.region)
		if ferr != nil || got != tc.want {
			t.Errorf("phone_region(%q, %v) = %v, %v; want %q", tc.number, tc.region, got, ferr, tc.want)
		}
	}
	_, ferr := callFunction(t, "phone_region", "12345", "US")
	wantFuncError(t, ferr, 0, `number "12345"`)
}

// TestFunctionNullArgumentAsOpenTofuSends: OpenTofu sends a null argument
// as an empty DynamicValue (no msgpack, no JSON); the provider's server reads
// it as null, for string and dynamic parameters alike.
func TestFunctionNullArgumentAsOpenTofuSends(t *testing.T) {
	ctx := context.Background()
	server, err := provider.NewProtocol6Server("test", provider.Options{})()
	if err != nil {
		t.Fatal(err)
	}
	number, err := tfprotov6.NewDynamicValue(tftypes.String, tftypes.NewValue(tftypes.String, "+64-21-000-001"))
	if err != nil {
		t.Fatal(err)
	}
	for _, empty := range []*tfprotov6.DynamicValue{nil, {}} {
		resp, err := server.CallFunction(ctx, &tfprotov6.CallFunctionRequest{Name: "e164", Arguments: []*tfprotov6.DynamicValue{&number, empty}})
		if err != nil || resp.Error != nil {
			t.Fatalf("e164 with an empty null argument: %v %+v", err, resp.Error)
		}
		got, err := resp.Result.Unmarshal(tftypes.String)
		if err != nil || !got.Equal(tftypes.NewValue(tftypes.String, "+6421000001")) {
			t.Fatalf("e164 = %v, %v", got, err)
		}
	}
	def, err := tfprotov6.NewDynamicValue(tftypes.DynamicPseudoType, tval(map[string]any{"name": "hello_world", "language": "en_US", "body": "Hello"}))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := server.CallFunction(ctx, &tfprotov6.CallFunctionRequest{Name: "template", Arguments: []*tfprotov6.DynamicValue{&def, {}}})
	if err != nil || resp.Error != nil {
		t.Fatalf("template with empty null values: %v %+v", err, resp.Error)
	}
}

// functionsCLI are the CLIs with provider functions: Terraform 1.8 and
// later, OpenTofu 1.7 and later (both report 1.8+ here).
var functionsCLI = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_8_0)}

// TestAccFunctionE164_csvBroadcast: a messy contact list read with
// csvdecode, filtered with phone_valid, normalised with e164 and sent as one
// broadcast; the numbers' regions as an output; a second plan is empty.
func TestAccFunctionE164_csvBroadcast(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	csv, err := filepath.Abs(filepath.Join("testdata", t.Name(), "contacts.csv"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := e.Config(fmt.Sprintf(`
locals {
  contacts = csvdecode(file(%q))
  valid    = [for c in local.contacts : c if provider::ezitxt::phone_valid(c.phone, c.country)]
  numbers  = toset([for c in local.valid : provider::ezitxt::e164(c.phone, c.country)])
}

resource "ezitxt_broadcast" "test" {
  source       = %q
  destinations = local.numbers
  text         = { body = "Our office moves on Monday." }
}

output "numbers" {
  value = sort(local.numbers)
}

output "skipped" {
  value = [for c in local.contacts : c.name if !provider::ezitxt::phone_valid(c.phone, c.country)]
}

output "regions" {
  value = { for n in local.numbers : n => provider::ezitxt::phone_region(n, null) }
}
`, csv, acctest.Source))
	want := []string{"+14155552671", "+14155552672", "+6421000001", "+6421000002", "+6421000003"}
	wantList := make([]knownvalue.Check, len(want))
	for i, n := range want {
		wantList[i] = knownvalue.StringExact(n)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.Factories(),
		TerraformVersionChecks:   functionsCLI,
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("numbers", knownvalue.ListExact(wantList)),
					statecheck.ExpectKnownOutputValue("skipped", knownvalue.ListExact([]knownvalue.Check{
						knownvalue.StringExact("Finn O'Brien"), knownvalue.StringExact("Gus"),
					})),
					statecheck.ExpectKnownOutputValue("regions", knownvalue.MapExact(map[string]knownvalue.Check{
						"+14155552671": knownvalue.StringExact("US"), "+14155552672": knownvalue.StringExact("US"),
						"+6421000001": knownvalue.StringExact("NZ"), "+6421000002": knownvalue.StringExact("NZ"),
						"+6421000003": knownvalue.StringExact("NZ"),
					})),
					statecheck.ExpectKnownValue(broadcastAddr, tfjsonpath.New("accepted_count"), knownvalue.Int64Exact(5)),
					mockCheck(func() error {
						got := sendCounts(e.Mock.Sends())
						if len(got) != len(want) {
							return fmt.Errorf("mock sends %v, want one to each of %v", got, want)
						}
						for _, n := range want {
							if got[n] != 1 {
								return fmt.Errorf("mock sends %v, want one to each of %v", got, want)
							}
						}
						return nil
					}),
				},
			},
			{
				Config:           cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
	expectSends(t, e.Mock, 5)
}

// TestAccFunctionE164_planErrors: an invalid number given to e164 fails the
// plan naming the number, and phone_valid works in a variable's validation
// block; nothing reaches the mock.
func TestAccFunctionE164_planErrors(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.Factories(),
		TerraformVersionChecks:   functionsCLI,
		Steps: []resource.TestStep{
			{
				Config: e.Config(fmt.Sprintf(`
resource "ezitxt_message" "test" {
  source = %q
  to     = provider::ezitxt::e164("021 000 001", null)
  text   = { body = "Hi" }
}`, acctest.Source)),
				ExpectError: diagRe(`number "021 000 001" has no country code`, "default_region"),
			},
			{
				Config: e.Config(`
variable "on_call" {
  type    = list(string)
  default = ["+64 21 000 001", "021 999"]
  validation {
    condition     = alltrue([for n in var.on_call : provider::ezitxt::phone_valid(n, "NZ")])
    error_message = "Every on_call number must be a valid phone number."
  }
}

output "on_call" {
  value = [for n in var.on_call : provider::ezitxt::e164(n, "NZ")]
}`),
				ExpectError: diagRe("Every on_call number must be a valid phone number."),
			},
		},
	})
	if n := e.Requests(); n != 0 {
		t.Fatalf("%d requests reached the mock, want none", n)
	}
}
