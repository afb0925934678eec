package provider_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/acctest"
)

// testSource is a number the source tests register; acctest.Source is
// registered on every mock from the start.
const testSource = "15550002222"

// sourceConfigWO registers testSource with a PIN from an ephemeral
// variable, the way users should pass it: the value then appears in no
// plan and no state, and the configuration holds only a reference.
func sourceConfigWO(e *acctest.Env, waba string, version int) string {
	return e.Config(fmt.Sprintf(`
variable "pin" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "ezitxt_source" "test" {
  source         = %q
  waba_id        = %q
  pin_wo         = var.pin
  pin_wo_version = %d
}`, testSource, waba, version))
}

func TestAccSource_writeOnlyPIN(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	waba := "waba" + randomDigitString(t, 12)
	pin1, pin2 := uniquePIN(t, waba), uniquePIN(t, waba)
	for pin2 == pin1 {
		pin2 = uniquePIN(t, waba)
	}
	id := testSource + "/" + waba
	addr := "ezitxt_source.test"

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				Config:          sourceConfigWO(e, waba, 1),
				ConfigVariables: config.Variables{"pin": config.StringVariable(pin1)},
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
						plancheck.ExpectKnownValue(addr, tfjsonpath.New("pin_wo"), knownvalue.Null()),
						expectSecretNotInPlan(pin1),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{expectSecretNotInPlan(pin1)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(id)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("pin_wo"), knownvalue.Null()),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("pin_wo_version"), knownvalue.Int64Exact(1)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("pin"), knownvalue.Null()),
					expectSecretNotInState(pin1),
				},
				Check: resource.ComposeTestCheckFunc(
					checkStateFilesWithout(waba, pin1),
					checkRegistration(e, waba, 1, true),
				),
			},
			{
				// No-op: refresh keeps the state, nothing is registered again.
				Config:          sourceConfigWO(e, waba, 1),
				ConfigVariables: config.Variables{"pin": config.StringVariable(pin1)},
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: checkRegistration(e, waba, 1, true),
			},
			{
				ResourceName:      addr,
				Config:            sourceConfigWO(e, waba, 1),
				ConfigVariables:   config.Variables{"pin": config.StringVariable(pin1)},
				ImportState:       true,
				ImportStateId:     id,
				ImportStateVerify: true,
				// The API cannot say which PIN a source has, so the version of
				// the write-only PIN cannot be imported.
				ImportStateVerifyIgnore: []string{"pin_wo_version"},
			},
			{
				// A new PIN, announced by a new version, registers again.
				Config:          sourceConfigWO(e, waba, 2),
				ConfigVariables: config.Variables{"pin": config.StringVariable(pin2)},
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionReplace),
						expectSecretNotInPlan(pin1), expectSecretNotInPlan(pin2),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("pin_wo_version"), knownvalue.Int64Exact(2)),
					expectSecretNotInState(pin2),
				},
				Check: resource.ComposeTestCheckFunc(
					checkStateFilesWithout(waba, pin1), checkStateFilesWithout(waba, pin2),
					checkRegistration(e, waba, 2, true),
				),
			},
		},
	})
}

func TestAccSource_legacyPINIsSensitive(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	waba := "waba" + randomDigitString(t, 12)
	addr := "ezitxt_source.test"
	cfg := e.Config(fmt.Sprintf(`
resource "ezitxt_source" "test" {
  source  = %q
  waba_id = %q
  pin     = "246810"
}`, testSource, waba))

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
						plancheck.ExpectSensitiveValue(addr, tfjsonpath.New("pin")),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectSensitiveValue(addr, tfjsonpath.New("pin")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("pin_wo_version"), knownvalue.Null()),
				},
				Check: checkRegistration(e, waba, 1, true),
			},
			{
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			{
				ResourceName:      addr,
				Config:            cfg,
				ImportState:       true,
				ImportStateId:     testSource + "/" + waba,
				ImportStateVerify: true,
				// The API cannot return the PIN.
				ImportStateVerifyIgnore: []string{"pin"},
			},
		},
	})
}

// TestAccSource_addPIN registers a number without a PIN, then with one:
// outside import, a PIN set for the first time registers again.
func TestAccSource_addPIN(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	waba := "waba" + randomDigitString(t, 12)
	pin := uniquePIN(t, waba)
	addr := "ezitxt_source.test"
	noPIN := e.Config(fmt.Sprintf(`
resource "ezitxt_source" "test" {
  source  = %q
  waba_id = %q
}`, testSource, waba))

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				Config: noPIN,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(testSource+"/"+waba)),
				},
				Check: checkRegistration(e, waba, 1, false),
			},
			{
				Config:          sourceConfigWO(e, waba, 1),
				ConfigVariables: config.Variables{"pin": config.StringVariable(pin)},
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionReplace)},
				},
				Check: checkRegistration(e, waba, 2, true),
			},
		},
	})
}

// TestAccSource_importAdoptsPIN imports a source registered outside
// Terraform: the plan is empty without a PIN, a PIN configured afterwards is
// recorded in place without a request, and a new version then registers it.
func TestAccSource_importAdoptsPIN(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	waba := "waba" + randomDigitString(t, 12)
	pin := uniquePIN(t, waba)
	id := testSource + "/" + waba
	addr := "ezitxt_source.test"
	noPIN := e.Config(fmt.Sprintf(`
resource "ezitxt_source" "test" {
  source  = %q
  waba_id = %q
}`, testSource, waba))

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				ResourceName:       addr,
				Config:             noPIN,
				ImportState:        true,
				ImportStateId:      id,
				ImportStatePersist: true,
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					if len(states) != 1 || states[0].Attributes["source"] != testSource || states[0].Attributes["waba_id"] != waba {
						return fmt.Errorf("imported %d states: %v", len(states), states)
					}
					return nil
				},
			},
			{
				Config: noPIN,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			{
				Config:          sourceConfigWO(e, waba, 1),
				ConfigVariables: config.Variables{"pin": config.StringVariable(pin)},
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("pin_wo_version"), knownvalue.Int64Exact(1)),
				},
				Check: func(*terraform.State) error {
					if n := e.Requests(); n != 0 {
						return fmt.Errorf("adopting the PIN made %d API requests, want none", n)
					}
					return nil
				},
			},
			{
				// Adopted: the next change of version registers with the PIN.
				Config:          sourceConfigWO(e, waba, 2),
				ConfigVariables: config.Variables{"pin": config.StringVariable(pin)},
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionReplace)},
				},
				Check: checkRegistration(e, waba, 1, true),
			},
		},
	})
}

func TestAccSource_invalidConfig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body string
		want       *regexp.Regexp
	}{
		{
			name: "source pattern",
			body: `source = "0123"
  waba_id = "1"`,
			want: errorText(`Attribute source must be the WhatsApp Business phone number ID: digits only, not starting with 0`),
		},
		{
			name: "source with a plus sign",
			body: `source = "+15550002222"
  waba_id = "1"`,
			want: errorText(`Attribute source must be the WhatsApp Business phone number ID`),
		},
		{
			name: "empty waba_id",
			body: `source = "15550002222"
  waba_id = ""`,
			want: errorText(`Attribute waba_id string length must be at least 1`),
		},
		{
			name: "5-digit write-only PIN",
			body: `source = "15550002222"
  waba_id = "1"
  pin_wo = "13579"
  pin_wo_version = 1`,
			want: errorText(`Attribute pin_wo must be exactly 6 digits; the value given is not shown`),
		},
		{
			name: "5-digit legacy PIN",
			body: `source = "15550002222"
  waba_id = "1"
  pin = "13579"`,
			want: errorText(`Attribute pin must be exactly 6 digits`),
		},
		{
			name: "pin and pin_wo together",
			body: `source = "15550002222"
  waba_id = "1"
  pin = "135790"
  pin_wo = "135790"
  pin_wo_version = 1`,
			want: errorText(`Attribute "pin" cannot be specified when "pin_wo" is specified`),
		},
		{
			name: "pin_wo without version",
			body: `source = "15550002222"
  waba_id = "1"
  pin_wo = "135790"`,
			want: errorText(`Attribute "pin_wo_version" must be specified when "pin_wo" is specified`),
		},
		{
			name: "version without pin_wo",
			body: `source = "15550002222"
  waba_id = "1"
  pin_wo_version = 1`,
			want: errorText(`Attribute "pin_wo" must be specified when "pin_wo_version" is specified`),
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := acctest.New(t)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: e.Factories(),
				Steps: []resource.TestStep{{
					Config:      e.Config("resource \"ezitxt_source\" \"test\" {\n  " + tc.body + "\n}"),
					ExpectError: tc.want,
				}},
			})
			if n := e.Requests(); n != 0 {
				t.Errorf("an invalid configuration made %d API requests, want none", n)
			}
		})
	}
}

// TestSourceProtocol_destroyWarns checks, at the protocol level, that a
// destroy plan says the source stays registered.
func TestSourceProtocol_destroyWarns(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	p := e.Protocol(t)
	diags := planDestroy(t, p, "ezitxt_source", map[string]any{
		"id": testSource + "/1", "source": testSource, "waba_id": "1",
	})
	wantWarning(t, diags, "Destroying a Source Does Not Unregister It", testSource+"/1")
	if n := e.Requests(); n != 0 {
		t.Errorf("planning a destroy made %d API requests, want none", n)
	}
}

// planDestroy plans the destroy of a resource with the given prior state,
// as terraform plan -destroy does, and returns the diagnostics.
func planDestroy(t *testing.T, p *acctest.Protocol, typeName string, state map[string]any) []*tfprotov6.Diagnostic {
	t.Helper()
	typ := p.Schema.ResourceSchemas[typeName].Block.ValueType()
	prior := protoValue(t, typ, state)
	null := protoValue(t, typ, nil)
	resp, err := p.Server.PlanResourceChange(context.Background(), &tfprotov6.PlanResourceChangeRequest{
		TypeName: typeName, PriorState: prior, ProposedNewState: null, Config: null,
	})
	if err != nil {
		t.Fatalf("PlanResourceChange: %v", err)
	}
	return resp.Diagnostics
}

// protoValue converts a Go value (see acctest.Value) into a protocol value.
func protoValue(t testing.TB, typ tftypes.Type, v any) *tfprotov6.DynamicValue {
	t.Helper()
	tv, err := acctest.Value(typ, v)
	if err != nil {
		t.Fatalf("value: %v", err)
	}
	dv, err := tfprotov6.NewDynamicValue(typ, tv)
	if err != nil {
		t.Fatalf("dynamic value: %v", err)
	}
	return &dv
}

func wantWarning(t *testing.T, diags []*tfprotov6.Diagnostic, summary, detailPart string) {
	t.Helper()
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityWarning && d.Summary == summary && strings.Contains(d.Detail, detailPart) {
			return
		}
	}
	t.Errorf("no warning %q mentioning %q in %s", summary, detailPart, acctest.FormatDiagnostics(diags))
}

// checkRegistration checks what the mock knows of testSource: registered
// registrations times, with or without a PIN.
func checkRegistration(e *acctest.Env, waba string, registrations int, pinSet bool) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for _, s := range e.Mock.Sources() {
			if s.Source != testSource {
				continue
			}
			if s.WABAID != waba || s.Registrations != registrations || s.PINSet != pinSet {
				return fmt.Errorf("mock has source %s with waba_id %q, %d registrations, PIN set %t; want %q, %d, %t",
					s.Source, s.WABAID, s.Registrations, s.PINSet, waba, registrations, pinSet)
			}
			return nil
		}
		return fmt.Errorf("mock has no source %s", testSource)
	}
}

// expectSecretNotInState fails when secret appears anywhere in the state
// as terraform show -json renders it.
func expectSecretNotInState(secret string) statecheck.StateCheck { return secretStateCheck{secret} }

type secretStateCheck struct{ secret string }

func (c secretStateCheck) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = secretIn("state JSON", req.State, c.secret)
}

// expectSecretNotInPlan fails when secret appears anywhere in the plan as
// terraform show -json renders it.
func expectSecretNotInPlan(secret string) plancheck.PlanCheck { return secretPlanCheck{secret} }

type secretPlanCheck struct{ secret string }

func (c secretPlanCheck) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	resp.Error = secretIn("plan JSON", req.Plan, c.secret)
}

func secretIn(what string, v any, secret string) error {
	if v == nil {
		return fmt.Errorf("no %s to check", what)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encoding the %s: %w", what, err)
	}
	if bytes.Contains(b, []byte(secret)) {
		return fmt.Errorf("the %s contains the secret %q: %s", what, secret, b)
	}
	return nil
}

// checkStateFilesWithout searches the raw state files (terraform.tfstate and
// its backup) of the test's working directory, the one whose state holds
// marker, for secret. plugin-testing keeps working directories under
// TF_ACC_TEMP_DIR (default: the system's temporary folder) as
// plugintest*/work*.
func checkStateFilesWithout(marker, secret string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		base := os.Getenv("TF_ACC_TEMP_DIR")
		if base == "" {
			base = os.TempDir()
		}
		files, err := filepath.Glob(filepath.Join(base, "plugintest*", "work*", "terraform.tfstate*"))
		if err != nil {
			return err
		}
		found := 0
		for _, f := range files {
			b, err := os.ReadFile(f) //nolint:gosec // test files under the temporary folder
			if err != nil || !bytes.Contains(b, []byte(marker)) {
				continue // another test's, possibly being removed
			}
			found++
			if bytes.Contains(b, []byte(secret)) {
				return fmt.Errorf("the state file %s contains the secret %q", f, secret)
			}
		}
		if found == 0 {
			return fmt.Errorf("found no state file holding %q under %s", marker, base)
		}
		return nil
	}
}

// uniquePIN returns a random 6-digit PIN that is not part of avoid, so that
// finding it in JSON cannot be a coincidence with the test's other values.
func uniquePIN(t testing.TB, avoid ...string) string {
	t.Helper()
	for {
		pin := randomDigitString(t, 6)
		clash := strings.Contains(testSource, pin) || strings.Contains(acctest.Source, pin)
		for _, a := range avoid {
			clash = clash || strings.Contains(a, pin)
		}
		if !clash {
			return pin
		}
	}
}

func randomDigitString(t testing.TB, n int) string {
	t.Helper()
	var b strings.Builder
	for range n {
		d, err := rand.Int(rand.Reader, big.NewInt(10))
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString(d.String())
	}
	return b.String()
}

func randomHexString(t testing.TB, n int) string {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// errorText matches text in Terraform's error output, where long lines are
// wrapped: any run of spaces in text matches any run of white space.
func errorText(text string) *regexp.Regexp {
	parts := strings.Fields(text)
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	return regexp.MustCompile(strings.Join(parts, `\s+`))
}
