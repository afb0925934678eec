package provider_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/acctest"
	"github.com/ezitxt/terraform-provider-ezitxt/internal/client"
	"github.com/ezitxt/terraform-provider-ezitxt/internal/mockapi"
	ezprovider "github.com/ezitxt/terraform-provider-ezitxt/internal/provider"
)

// identityCLI gates tests that need resource identity: Terraform 1.12 and
// later, OpenTofu 1.12 and later.
var identityCLI = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)}

// identityConfig manages a source, a media file and a message that all
// exist on the API already, with import blocks that name them by identity,
// as a user adopting objects created outside Terraform writes it.
func identityConfig(e *acctest.Env, waba, file, mediaID, messageID string) string {
	return e.Config(fmt.Sprintf(`
import {
  to       = ezitxt_source.support
  identity = { source = %[1]q, waba_id = %[2]q }
}

import {
  to       = ezitxt_media.logo
  identity = { source = %[1]q, id = %[4]q }
}

import {
  to       = ezitxt_message.welcome
  identity = { id = %[5]q }
}

resource "ezitxt_source" "support" {
  source  = %[1]q
  waba_id = %[2]q
}

resource "ezitxt_media" "logo" {
  source = ezitxt_source.support.source
  file   = %[3]q
}

resource "ezitxt_message" "welcome" {
  source = ezitxt_source.support.source
  to     = "+6421000031"
  text   = { body = "Welcome aboard" }
}

data "ezitxt_message" "welcome" {
  id = ezitxt_message.welcome.id
}

output "welcome_status" {
  value = data.ezitxt_message.welcome.status
}
`, acctest.Source, waba, file, mediaID, messageID))
}

// TestAccIdentity_importBlocks adopts a source, a media upload and a message
// made outside Terraform through import blocks with identity: nothing is
// registered, uploaded or sent, every identity is in state, and the plan
// after is empty.
func TestAccIdentity_importBlocks(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	content := pngBytes("identity logo")
	file := filepath.Join(t.TempDir(), "logo.png")
	writeMediaFile(t, file, content)
	waba := "waba" + randomDigitString(t, 10)
	registerDirect(t, e, acctest.Source, waba)
	mediaID := uploadDirect(t, e, content, client.MimeImagePNG, "logo.png")
	messageID := sendText(t, e, "+6421000031", "Welcome aboard")
	before := e.Mock.Stats()

	cfg := identityConfig(e, waba, file, mediaID, messageID)
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   identityCLI,
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity("ezitxt_source.support", map[string]knownvalue.Check{
						"source": knownvalue.StringExact(acctest.Source), "waba_id": knownvalue.StringExact(waba),
					}),
					statecheck.ExpectIdentity("ezitxt_media.logo", map[string]knownvalue.Check{
						"source": knownvalue.StringExact(acctest.Source), "id": knownvalue.StringExact(mediaID),
					}),
					statecheck.ExpectIdentity("ezitxt_message.welcome", map[string]knownvalue.Check{
						"id": knownvalue.StringExact(messageID),
					}),
					statecheck.ExpectKnownValue("ezitxt_media.logo", tfjsonpath.New("sha256"), knownvalue.StringExact(sha256Hex(content))),
					statecheck.ExpectKnownOutputValue("welcome_status", knownvalue.NotNull()),
				},
			},
			{
				Config:           cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
	after := e.Mock.Stats()
	for _, ep := range []mockapi.Endpoint{mockapi.EndpointRegisterSource, mockapi.EndpointUploadMedia, mockapi.EndpointSendMessage} {
		if after.ByEndpoint[ep] != before.ByEndpoint[ep] {
			t.Errorf("%s: %d requests during import, want none", ep, after.ByEndpoint[ep]-before.ByEndpoint[ep])
		}
	}
	expectSends(t, e.Mock, 1)
}

// createdConfig creates a source, a media upload and a message.
func createdConfig(e *acctest.Env, waba, file string) string {
	return e.Config(fmt.Sprintf(`
resource "ezitxt_source" "support" {
  source  = %[1]q
  waba_id = %[2]q
}

resource "ezitxt_media" "logo" {
  source = ezitxt_source.support.source
  file   = %[3]q
}

resource "ezitxt_message" "welcome" {
  source = ezitxt_source.support.source
  to     = "+6421000032"
  text   = { body = "Hello" }
}
`, testSource, waba, file))
}

// TestAccIdentity_setOnCreate checks the identity written by create, and
// imports each resource again by that identity (plugin-testing's import
// block with identity): the planned identity is the same.
func TestAccIdentity_setOnCreate(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	file := filepath.Join(t.TempDir(), "logo.png")
	writeMediaFile(t, file, pngBytes("created"))
	waba := "waba" + randomDigitString(t, 10)
	cfg := createdConfig(e, waba, file)
	importStep := func(addr string, nonEmpty bool) resource.TestStep {
		return resource.TestStep{
			Config: cfg, ResourceName: addr,
			ImportState: true, ImportStateKind: resource.ImportBlockWithResourceIdentity,
			// Media and message imports adopt the configuration in place (the
			// API reports neither the file nor the message's inputs).
			ExpectNonEmptyPlan: nonEmpty,
		}
	}
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   identityCLI,
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity("ezitxt_source.support", map[string]knownvalue.Check{
						"source": knownvalue.StringExact(testSource), "waba_id": knownvalue.StringExact(waba),
					}),
					statecheck.ExpectIdentityValueMatchesStateAtPath("ezitxt_media.logo", tfjsonpath.New("id"), tfjsonpath.New("id")),
					statecheck.ExpectIdentityValueMatchesStateAtPath("ezitxt_media.logo", tfjsonpath.New("source"), tfjsonpath.New("source")),
					statecheck.ExpectIdentityValueMatchesStateAtPath("ezitxt_message.welcome", tfjsonpath.New("id"), tfjsonpath.New("id")),
				},
			},
			importStep("ezitxt_source.support", false),
			importStep("ezitxt_media.logo", true),
			importStep("ezitxt_message.welcome", true),
		},
	})
	expectSends(t, e.Mock, 1)
}

// TestAccIdentity_filledOnRefresh: state written by a release without
// identity gets one on the first refresh, with nothing planned or sent.
func TestAccIdentity_filledOnRefresh(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	file := filepath.Join(t.TempDir(), "logo.png")
	writeMediaFile(t, file, pngBytes("old release"))
	waba := "waba" + randomDigitString(t, 10)
	cfg := createdConfig(e, waba, file)
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks: identityCLI,
		Steps: []resource.TestStep{
			{
				// The provider as released before identity.
				ProtoV6ProviderFactories: map[string]func() (tfprotov6.ProviderServer, error){
					"ezitxt": providerserver.NewProtocol6WithError(noIdentityProvider{ezprovider.NewWithOptions("test", e.Options)()}),
				},
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					stateCheckFunc(func(s *tfjson.State) error {
						for _, r := range s.Values.RootModule.Resources {
							if len(r.IdentityValues) > 0 {
								return fmt.Errorf("%s has identity %v from the provider without identity", r.Address, r.IdentityValues)
							}
						}
						return nil
					}),
				},
			},
			{
				ProtoV6ProviderFactories: e.Factories(),
				Config:                   cfg,
				ConfigPlanChecks:         resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity("ezitxt_source.support", map[string]knownvalue.Check{
						"source": knownvalue.StringExact(testSource), "waba_id": knownvalue.StringExact(waba),
					}),
					statecheck.ExpectIdentityValueMatchesStateAtPath("ezitxt_media.logo", tfjsonpath.New("id"), tfjsonpath.New("id")),
					statecheck.ExpectIdentityValueMatchesStateAtPath("ezitxt_message.welcome", tfjsonpath.New("id"), tfjsonpath.New("id")),
				},
			},
		},
	})
	expectSends(t, e.Mock, 1)
}

// TestAccIdentity_invalidImport: an identity that names nothing valid is
// refused with the form expected, before any request.
func TestAccIdentity_invalidImport(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   identityCLI,
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				Config: e.Config(`
import {
  to       = ezitxt_message.x
  identity = { id = "not-a-uuid" }
}

resource "ezitxt_message" "x" {
  source = "` + acctest.Source + `"
  to     = "+6421000033"
  text   = { body = "x" }
}`),
				ExpectError: diagRe("Invalid Import Identity", "identity", `id = "3fa85f64-5717-4562-b3fc-2c963f66afa6"`),
			},
			{
				Config: e.Config(`
import {
  to       = ezitxt_source.x
  identity = { source = "0123", waba_id = "987654321" }
}

resource "ezitxt_source" "x" {
  source  = "123"
  waba_id = "987654321"
}`),
				ExpectError: diagRe("Invalid Import Identity", "waba_id"),
			},
		},
	})
	expectSends(t, e.Mock, 0)
}

// registerDirect registers a source outside Terraform.
func registerDirect(t *testing.T, e *acctest.Env, source, waba string) {
	t.Helper()
	if err := apiClient(t, e).RegisterSource(context.Background(), client.SourceRegistration{Source: source, WABAID: waba}); err != nil {
		t.Fatalf("registering outside Terraform: %v", err)
	}
}

// noIdentityProvider serves the provider's resources without identity, as
// the releases before it did, to write state that has none.
type noIdentityProvider struct{ provider.Provider }

func (p noIdentityProvider) Resources(ctx context.Context) []func() fwresource.Resource {
	var out []func() fwresource.Resource
	for _, f := range p.Provider.Resources(ctx) {
		out = append(out, func() fwresource.Resource { return withoutIdentity{f()} })
	}
	return out
}

// withoutIdentity hides a resource's identity and keeps everything else the
// source, media and message resources implement.
type withoutIdentity struct{ fwresource.Resource }

var (
	_ fwresource.ResourceWithConfigure        = withoutIdentity{}
	_ fwresource.ResourceWithModifyPlan       = withoutIdentity{}
	_ fwresource.ResourceWithValidateConfig   = withoutIdentity{}
	_ fwresource.ResourceWithConfigValidators = withoutIdentity{}
)

func (w withoutIdentity) Configure(ctx context.Context, req fwresource.ConfigureRequest, resp *fwresource.ConfigureResponse) {
	if r, ok := w.Resource.(fwresource.ResourceWithConfigure); ok {
		r.Configure(ctx, req, resp)
	}
}

func (w withoutIdentity) ModifyPlan(ctx context.Context, req fwresource.ModifyPlanRequest, resp *fwresource.ModifyPlanResponse) {
	if r, ok := w.Resource.(fwresource.ResourceWithModifyPlan); ok {
		r.ModifyPlan(ctx, req, resp)
	}
}

func (w withoutIdentity) ValidateConfig(ctx context.Context, req fwresource.ValidateConfigRequest, resp *fwresource.ValidateConfigResponse) {
	if r, ok := w.Resource.(fwresource.ResourceWithValidateConfig); ok {
		r.ValidateConfig(ctx, req, resp)
	}
}

func (w withoutIdentity) ConfigValidators(ctx context.Context) []fwresource.ConfigValidator {
	if r, ok := w.Resource.(fwresource.ResourceWithConfigValidators); ok {
		return r.ConfigValidators(ctx)
	}
	return nil
}
