package reliability

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/acctest"
)

// TestSecrets runs a full configuration (a source with a write-only PIN,
// media, a message, a broadcast, the three data sources) through the CLI
// with the provider as a built binary (dev_overrides), at TF_LOG=trace and
// TF_LOG_PROVIDER=trace, and then a plan with a wrong password (401). The
// password, the PIN and the Authorization header value must appear in none
// of the artefacts: the log files, the state files, the saved plan (every
// file inside it), the plan JSON, `terraform show -json`, and the CLI's
// output. The logs must hold the provider's own trace lines (its request
// bodies), or the check would prove nothing.
func TestSecrets(t *testing.T) {
	requireCLISuite(t)
	e := acctest.New(t)
	tf := terraformPath(t)
	bin := buildProvider(t)
	dir := t.TempDir()
	rcFile := filepath.Join(dir, "dev.tfrc")
	rc := fmt.Sprintf(`provider_installation {
  dev_overrides {
    %q = %q
  }
  direct {}
}
`, acctest.ProviderAddress, filepath.Dir(bin))
	if err := os.WriteFile(rcFile, []byte(rc), 0o600); err != nil {
		t.Fatal(err)
	}
	work := filepath.Join(dir, "work")
	if err := os.Mkdir(work, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(work, "main.tf"), []byte(secretsConfig(e)), 0o600); err != nil {
		t.Fatal(err)
	}

	pin := "739146"
	wrong := "wrong-pw-" + e.Password[len(e.Password)-8:]
	token := func(pw string) string { return base64.StdEncoding.EncodeToString([]byte(e.Username + ":" + pw)) }
	secrets := map[string]*regexp.Regexp{
		"password":            regexp.MustCompile(regexp.QuoteMeta(e.Password)),
		"Authorization value": regexp.MustCompile(regexp.QuoteMeta(token(e.Password))),
		// Not inside a longer word or number, such as a hex id, by chance.
		"PIN":                          regexp.MustCompile(`(^|[^0-9A-Za-z])` + pin + `([^0-9A-Za-z]|$)`),
		"wrong password":               regexp.MustCompile(regexp.QuoteMeta(wrong)),
		"wrong password's credentials": regexp.MustCompile(regexp.QuoteMeta(token(wrong))),
	}

	var artefacts []artefact
	logs := 0
	run := func(name, password string, wantFail bool, args ...string) string {
		t.Helper()
		logs++
		logPath := filepath.Join(dir, fmt.Sprintf("tf-%02d-%s.log", logs, name))
		cmd := exec.CommandContext(t.Context(), tf, args...) //nolint:gosec // G204: the CLI under test.
		cmd.Dir = work
		cmd.Env = append(cleanEnv(),
			"TF_CLI_CONFIG_FILE="+rcFile, "TF_LOG=trace", "TF_LOG_PROVIDER=trace", "TF_LOG_PATH="+logPath,
			"CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1",
			"EZITXT_USERNAME="+e.Username, "EZITXT_PASSWORD="+password, "TF_VAR_whatsapp_pin="+pin)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		var exitErr *exec.ExitError
		if err != nil && !errors.As(err, &exitErr) {
			t.Fatalf("terraform %s: %v", strings.Join(args, " "), err)
		}
		if (err != nil) != wantFail {
			t.Fatalf("terraform %s: error %v, want failure %v\n%s%s", strings.Join(args, " "), err, wantFail, stdout.String(), stderr.String())
		}
		artefacts = append(artefacts,
			artefact{"stdout of terraform " + name, stdout.Bytes()},
			artefact{"stderr of terraform " + name, stderr.Bytes()},
			readArtefact(t, "log of terraform "+name, logPath))
		return stdout.String() + stderr.String()
	}

	run("plan", e.Password, false, "plan", "-no-color", "-input=false", "-out=tfplan")
	artefacts = append(artefacts, zipArtefacts(t, "saved plan", filepath.Join(work, "tfplan"))...)
	planJSON := run("show-plan", e.Password, false, "show", "-no-color", "-json", "tfplan")
	run("apply", e.Password, false, "apply", "-no-color", "-input=false", "tfplan")
	run("show", e.Password, false, "show", "-no-color", "-json")
	run("plan-again", e.Password, false, "plan", "-no-color", "-input=false", "-detailed-exitcode")
	out401 := run("plan-401", wrong, true, "plan", "-no-color", "-input=false", "-refresh=true")
	artefacts = append(artefacts, readArtefact(t, "terraform.tfstate", filepath.Join(work, "terraform.tfstate")))
	if _, err := os.Stat(filepath.Join(work, "terraform.tfstate.backup")); err == nil {
		artefacts = append(artefacts, readArtefact(t, "terraform.tfstate.backup", filepath.Join(work, "terraform.tfstate.backup")))
	}

	// The checks must be able to fail: the secrets were used, the logs hold
	// the provider's trace lines, the plan JSON is there, the 401 happened.
	if !strings.Contains(planJSON, `"planned_values"`) {
		t.Errorf("terraform show -json tfplan printed no plan JSON")
	}
	if !regexp.MustCompile(`Unauthorized|401`).MatchString(out401) {
		t.Errorf("the plan with a wrong password did not fail with a 401:\n%s", out401)
	}
	st := e.Mock.Stats()
	if st.ByStatus[http.StatusUnauthorized] == 0 {
		t.Errorf("the mock answered no 401")
	}
	pinSent := false
	for _, s := range e.Mock.Sources() {
		pinSent = pinSent || (s.Source == secretsSource && s.PINSet)
	}
	if !pinSent {
		t.Errorf("the source was not registered with its PIN: the PIN check would prove nothing")
	}
	var providerTrace, bodyTrace, maskedPIN, logBytes int
	for _, a := range artefacts {
		if !strings.HasPrefix(a.name, "log of") {
			continue
		}
		logBytes += len(a.data)
		providerTrace += len(regexp.MustCompile(`\[TRACE\] provider\.terraform-provider-ezitxt`).FindAll(a.data, -1))
		bodyTrace += bytes.Count(a.data, []byte("API request body"))
		maskedPIN += bytes.Count(a.data, []byte(`\"pin\":\"***\"`))
	}
	if providerTrace == 0 || bodyTrace == 0 {
		t.Errorf("the logs hold %d provider TRACE lines and %d request bodies: the provider's logs did not reach TF_LOG_PATH", providerTrace, bodyTrace)
	}
	if maskedPIN == 0 {
		t.Errorf("no log holds the source registration's body with its PIN masked: the PIN check would prove nothing")
	}

	leaks := 0
	for _, a := range artefacts {
		for what, re := range secrets {
			if locs := re.FindAllIndex(a.data, -1); len(locs) > 0 {
				leaks += len(locs)
				at := locs[0][0]
				t.Errorf("%s: the %s appears %d times, first: %q", a.name, what, len(locs), a.data[max(0, at-80):min(len(a.data), at+80)])
			}
		}
	}
	figures(t, "secrets", "Terraform %s, provider binary via dev_overrides, TF_LOG=trace TF_LOG_PROVIDER=trace; %d artefacts scanned "+
		"(%d log files of %d MiB with %d provider TRACE lines, %d logged request bodies, %d with the PIN masked; CLI output, state, saved plan, plan JSON, show -json) "+
		"for %d secrets (password, Authorization value, PIN, and a wrong password with its Authorization value, used in a plan that got a 401); leaks %d",
		terraformVersion(t, tf), len(artefacts), logs, logBytes>>20, providerTrace, bodyTrace, maskedPIN, len(secrets), leaks)
}

// secretsSource is the number TestSecrets registers with a PIN.
const secretsSource = "15550003333"

func secretsConfig(e *acctest.Env) string {
	return fmt.Sprintf(`terraform {
  required_providers {
    ezitxt = { source = %q }
  }
}

# Credentials come from EZITXT_USERNAME and EZITXT_PASSWORD.
provider "ezitxt" {
  base_url = %q
}

variable "whatsapp_pin" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "ezitxt_source" "s" {
  source         = %q
  waba_id        = "102290129340398"
  pin_wo         = var.whatsapp_pin
  pin_wo_version = 1
}

resource "ezitxt_media" "logo" {
  source         = ezitxt_source.s.source
  content_base64 = base64encode("reliability secrets check")
  mime_type      = "text/plain"
}

resource "ezitxt_message" "m" {
  source = ezitxt_source.s.source
  to     = "+6421000101"
  text   = { body = "Deploy finished" }
}

resource "ezitxt_broadcast" "b" {
  source       = ezitxt_source.s.source
  destinations = ["+6421000102", "+6421000103"]
  template     = { name = "deploy_finished", language = "en_US", body_params = ["v1"] }
}

data "ezitxt_message" "m" {
  id = ezitxt_message.m.id
}

data "ezitxt_messages" "b" {
  ids = [for v in values(ezitxt_broadcast.b.results) : split(" ", v)[1]]
}

data "ezitxt_media" "logo" {
  source          = ezitxt_media.logo.source
  media_id        = ezitxt_media.logo.id
  include_content = true
}

output "status" {
  value = data.ezitxt_message.m.status
}
`, strings.TrimPrefix(acctest.ProviderAddress, "registry.terraform.io/"), e.URL, secretsSource)
}

// artefact is a file or output scanned for secrets.
type artefact struct {
	name string
	data []byte
}

func readArtefact(t *testing.T, name, path string) artefact {
	t.Helper()
	b, err := os.ReadFile(path) //nolint:gosec // G304: a file this test made.
	if err != nil {
		t.Fatalf("reading %s: %v", name, err)
	}
	return artefact{name, b}
}

// zipArtefacts returns every file inside a saved plan (a zip archive), and
// the archive itself.
func zipArtefacts(t *testing.T, name, path string) []artefact {
	t.Helper()
	out := []artefact{readArtefact(t, name, path)}
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatalf("opening %s: %v", name, err)
	}
	defer func() { _ = zr.Close() }()
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		_ = rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, artefact{name + ": " + f.Name, b})
	}
	return out
}

// cleanEnv is the test's environment without Terraform and EZITXT
// settings, which the runs set themselves.
func cleanEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "TF_") || strings.HasPrefix(kv, "EZITXT_") {
			continue
		}
		out = append(out, kv)
	}
	return out
}

// terraformPath is the CLI under test: TF_ACC_TERRAFORM_PATH, or terraform
// on PATH, as for terraform-plugin-testing.
func terraformPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("TF_ACC_TERRAFORM_PATH"); p != "" {
		return p
	}
	p, err := exec.LookPath("terraform")
	if err != nil {
		t.Fatalf("no Terraform CLI: set TF_ACC_TERRAFORM_PATH or put terraform on PATH (%v)", err)
	}
	return p
}

func terraformVersion(t *testing.T, tf string) string {
	t.Helper()
	out, err := exec.CommandContext(context.Background(), tf, "version").Output() //nolint:gosec // G204: the CLI under test.
	if err != nil {
		t.Fatalf("%s version: %v", tf, err)
	}
	first, _, _ := strings.Cut(string(out), "\n")
	return strings.TrimPrefix(strings.TrimSpace(first), "Terraform v")
}

// buildProvider builds the provider binary for dev_overrides, as `make
// install` would.
func buildProvider(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "terraform-provider-ezitxt")
	cmd := exec.CommandContext(t.Context(), "go", "build", "-o", bin, "github.com/ezitxt/terraform-provider-ezitxt") //nolint:gosec // G204: fixed arguments.
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building the provider: %v\n%s", err, out)
	}
	return bin
}
