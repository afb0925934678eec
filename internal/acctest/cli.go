package acctest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
)

// ProviderAddress is the address the CLI helper serves the provider under.
const ProviderAddress = "registry.terraform.io/ezitxt/ezitxt"

// CLI runs a Terraform CLI in a working directory of its own against this
// env's provider, served in-process and attached with TF_REATTACH_PROVIDERS
// as terraform-plugin-testing does. It is for what terraform-plugin-testing
// cannot drive: `terraform apply -invoke=action...`, and reading the CLI's
// output, where action progress is shown.
type CLI struct {
	t *testing.T
	e *Env
	// Path is the CLI binary; Version its version.
	Path    string
	Version *version.Version
	// Dir is the working directory.
	Dir string
	// OpenTofu is true when the CLI is OpenTofu (see AnyCLI); address is the
	// provider address it resolves ezitxt/ezitxt to.
	OpenTofu bool
	address  string
}

// CLI returns a CLI helper for TF_ACC_TERRAFORM_PATH, or terraform on PATH.
// Like resource.Test, it skips t without TF_ACC; it also skips t, saying
// why, when the CLI is OpenTofu or a Terraform older than minVersion.
func (e *Env) CLI(t *testing.T, minVersion *version.Version) *CLI {
	t.Helper()
	return e.newCLI(t, minVersion, false)
}

// AnyCLI is CLI that also takes OpenTofu (of any version), for tests of
// what every CLI must do.
func (e *Env) AnyCLI(t *testing.T, minTerraform *version.Version) *CLI {
	t.Helper()
	return e.newCLI(t, minTerraform, true)
}

func (e *Env) newCLI(t *testing.T, minVersion *version.Version, allowTofu bool) *CLI {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("Acceptance tests skipped unless env 'TF_ACC' set")
	}
	path := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if path == "" {
		var err error
		if path, err = exec.LookPath("terraform"); err != nil {
			t.Fatalf("no Terraform CLI: set TF_ACC_TERRAFORM_PATH or put terraform on PATH (%v)", err)
		}
	}
	// The CLI under test is the one the test run names, as for
	// terraform-plugin-testing.
	out, err := exec.CommandContext(t.Context(), path, "version").Output() //nolint:gosec // G204: see above.
	if err != nil {
		t.Fatalf("%s version: %v", path, err)
	}
	first, _, _ := strings.Cut(string(out), "\n")
	raw, isTerraform := strings.CutPrefix(strings.TrimSpace(first), "Terraform v")
	if rawTofu, isTofu := strings.CutPrefix(strings.TrimSpace(first), "OpenTofu v"); isTofu && allowTofu {
		v, err := version.NewVersion(rawTofu)
		if err != nil {
			t.Fatalf("%s version %q: %v", path, first, err)
		}
		return &CLI{t: t, e: e, Path: path, Version: v, Dir: t.TempDir(), OpenTofu: true,
			address: "registry.opentofu.org/" + strings.TrimPrefix(ProviderAddress, "registry.terraform.io/")}
	}
	if !isTerraform {
		t.Skipf("%s is not Terraform (%q), which this test needs: skipping test", path, first)
	}
	v, err := version.NewVersion(raw)
	if err != nil {
		t.Fatalf("%s version %q: %v", path, first, err)
	}
	if v.LessThan(minVersion) {
		t.Skipf("Terraform CLI version %s is below minimum version %s: skipping test", v, minVersion)
	}
	return &CLI{t: t, e: e, Path: path, Version: v, Dir: t.TempDir(), address: ProviderAddress}
}

// WriteConfig writes main.tf: the required_providers and provider blocks,
// then body.
func (c *CLI) WriteConfig(body string) {
	c.t.Helper()
	hcl := fmt.Sprintf(`terraform {
  required_providers {
    ezitxt = { source = %q }
  }
}
`, strings.TrimPrefix(ProviderAddress, "registry.terraform.io/")) + c.e.Config(body)
	if err := os.WriteFile(filepath.Join(c.Dir, "main.tf"), []byte(hcl), 0o600); err != nil {
		c.t.Fatal(err)
	}
}

// reattachConfig is an entry of TF_REATTACH_PROVIDERS.
type reattachConfig struct {
	Protocol        string
	ProtocolVersion int
	Pid             int
	Test            bool
	Addr            struct{ Network, String string }
}

// cliFlags are the flags Run adds to a command: -no-color where it is taken,
// and -input=false for the commands that could prompt.
func cliFlags(command string) []string {
	switch command {
	case "version", "state": // state's flags follow its subcommand (state rm -no-color ...)
		return nil
	case "init", "plan", "apply", "destroy", "refresh", "import":
		return []string{"-no-color", "-input=false"}
	}
	return []string{"-no-color"}
}

// Run runs the CLI with args (-no-color and -input=false are added where
// Terraform takes them) and returns its output, stdout then stderr. The
// provider is a fresh instance for each run, as under terraform-plugin-testing.
func (c *CLI) Run(args ...string) (string, error) {
	c.t.Helper()
	ctx, cancel := context.WithCancel(c.t.Context())
	defer cancel()

	server, err := c.e.Factories()["ezitxt"]()
	if err != nil {
		c.t.Fatalf("provider server: %v", err)
	}
	reattachCh := make(chan *plugin.ReattachConfig)
	closeCh := make(chan struct{})
	served := make(chan error, 1)
	go func() {
		served <- tf6server.Serve(c.address, func() tfprotov6.ProviderServer { return server },
			tf6server.WithDebug(ctx, reattachCh, closeCh),
			tf6server.WithGoPluginLogger(hclog.NewNullLogger()),
			// Provider logs go to the test log, filtered by TF_LOG and
			// TF_ACC_LOG as under terraform-plugin-testing.
			tf6server.WithLoggingSink(c.t),
			tf6server.WithoutLogStderrOverride())
	}()
	var rc *plugin.ReattachConfig
	select {
	case rc = <-reattachCh:
	case err := <-served:
		c.t.Fatalf("serving the provider: %v", err)
	}
	entry := reattachConfig{Protocol: string(rc.Protocol), ProtocolVersion: rc.ProtocolVersion, Pid: rc.Pid, Test: rc.Test}
	entry.Addr.Network, entry.Addr.String = rc.Addr.Network(), rc.Addr.String()
	reattach, err := json.Marshal(map[string]reattachConfig{c.address: entry})
	if err != nil {
		c.t.Fatal(err)
	}

	if len(args) > 0 {
		args = append(append([]string{args[0]}, cliFlags(args[0])...), args[1:]...)
	}
	cmd := exec.CommandContext(ctx, c.Path, args...) //nolint:gosec // G204: the CLI under test, with the test's arguments.
	cmd.Dir = c.Dir
	cmd.Env = append(os.Environ(), "TF_REATTACH_PROVIDERS="+string(reattach), "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	cancel()
	<-closeCh
	out := stdout.String() + stderr.String()
	c.t.Logf("terraform %s:\n%s", strings.Join(args, " "), indent(out))
	var exitErr *exec.ExitError
	if runErr != nil && !errors.As(runErr, &exitErr) {
		c.t.Fatalf("running %s: %v", c.Path, runErr)
	}
	return out, runErr
}

// MustRun is Run that fails t when the command fails.
func (c *CLI) MustRun(args ...string) string {
	c.t.Helper()
	out, err := c.Run(args...)
	if err != nil {
		c.t.Fatalf("terraform %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

func indent(s string) string {
	var b strings.Builder
	sc := bufio.NewScanner(strings.NewReader(s))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for sc.Scan() {
		b.WriteString("    ")
		b.WriteString(sc.Text())
		b.WriteByte('\n')
	}
	return b.String()
}
