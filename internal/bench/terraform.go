package bench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// ProviderVersion is the version the benchmark installs the provider as.
const ProviderVersion = "0.0.1"

// OldCommit is the commit of the provider the suite compares with (the
// last one before its schema economies), installed as version OldVersion.
const (
	OldCommit  = "8c6fb2b"
	OldVersion = "0.0.1-old" // exact constraints pick it; Terraform skips 0.0.0
)

// Toolchain is what the benchmark built: the provider, its measuring
// wrapper installed in a filesystem mirror, and the mock.
type Toolchain struct {
	// Terraform is the CLI binary.
	Terraform string
	// Provider is the real provider binary; the wrapper runs it.
	Provider string
	// NullProvider is the do-nothing provider ezitxt/benchnull.
	NullProvider string
	// OldProvider is the provider built from OldCommit.
	OldProvider string
	// Mock is the ezitxt-mock binary.
	Mock string
	// CLIConfig is the CLI configuration file that installs the provider
	// (the wrapper) from the mirror.
	CLIConfig string
	// Work is the benchmark's folder.
	Work string
}

// Build builds the provider, ezitxt-mock and the wrapper from the module in
// root into work, and installs the wrapper in a filesystem mirror as version
// ProviderVersion of ezitxt/ezitxt, for registry.terraform.io and
// registry.opentofu.org alike.
func Build(ctx context.Context, root, work, terraform string) (*Toolchain, error) {
	tc := &Toolchain{
		Terraform:    terraform,
		Provider:     filepath.Join(work, "bin", "terraform-provider-ezitxt"),
		NullProvider: filepath.Join(work, "bin", "terraform-provider-benchnull"),
		OldProvider:  filepath.Join(work, "bin", "terraform-provider-ezitxt-"+OldCommit),
		Mock:         filepath.Join(work, "bin", "ezitxt-mock"),
		CLIConfig:    filepath.Join(work, "cli.tfrc"),
		Work:         work,
	}
	wrapper := filepath.Join(work, "bin", "rsswrap")
	for _, b := range []struct{ out, pkg string }{
		{tc.Provider, "."},
		{tc.Mock, "./cmd/ezitxt-mock"},
		{tc.NullProvider, "./internal/cmd/bench/nullprovider"},
		{wrapper, "./internal/cmd/bench/rsswrap"},
	} {
		cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-o", b.out, b.pkg) //nolint:gosec // building this module
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("go build %s: %w\n%s", b.pkg, err, out)
		}
	}
	if err := buildOld(ctx, root, filepath.Join(filepath.Dir(work), "bench-cache"), tc.OldProvider); err != nil {
		return nil, err
	}
	mirror := filepath.Join(work, "mirror")
	platform := runtime.GOOS + "_" + runtime.GOARCH
	data, err := os.ReadFile(wrapper) //nolint:gosec // built above
	if err != nil {
		return nil, err
	}
	for _, host := range []string{"registry.terraform.io", "registry.opentofu.org"} {
		for _, tv := range [][2]string{{"ezitxt", ProviderVersion}, {"benchnull", ProviderVersion}, {"ezitxt", OldVersion}} {
			typ, version := tv[0], tv[1]
			dir := filepath.Join(mirror, host, "ezitxt", typ, version, platform)
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return nil, err
			}
			bin := filepath.Join(dir, "terraform-provider-"+typ+"_v"+version)
			if err := os.WriteFile(bin, data, 0o755); err != nil { //nolint:gosec // an executable
				return nil, err
			}
		}
	}
	rc := fmt.Sprintf(`provider_installation {
  filesystem_mirror {
    path    = %q
    include = ["registry.terraform.io/ezitxt/*", "registry.opentofu.org/ezitxt/*"]
  }
}
`, mirror)
	if err := os.WriteFile(tc.CLIConfig, []byte(rc), 0o600); err != nil {
		return nil, err
	}
	return tc, nil
}

// buildOld builds the provider of OldCommit into out, from a git worktree
// of that commit, keeping the binary in cache (a folder per commit) for
// the next run: the repository's history is all it needs.
func buildOld(ctx context.Context, root, cache, out string) error {
	cached := filepath.Join(cache, "ezitxt-"+OldCommit, "terraform-provider-ezitxt")
	if _, err := os.Stat(cached); err != nil {
		tree := filepath.Join(cache, "worktree-"+OldCommit)
		git := func(args ...string) error {
			cmd := exec.CommandContext(ctx, "git", args...) //nolint:gosec // git on this repository
			cmd.Dir = root
			if b, err := cmd.CombinedOutput(); err != nil {
				return fmt.Errorf("git %s: %w\n%s", strings.Join(args, " "), err, b)
			}
			return nil
		}
		_ = git("worktree", "remove", "--force", tree)
		_ = os.RemoveAll(tree)
		if err := git("worktree", "add", "--detach", tree, OldCommit); err != nil {
			return err
		}
		cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-o", cached, ".") //nolint:gosec // building that commit
		cmd.Dir = tree
		b, err := cmd.CombinedOutput()
		if rerr := git("worktree", "remove", "--force", tree); rerr != nil && err == nil {
			err = rerr
		}
		if err != nil {
			return fmt.Errorf("go build at %s: %w\n%s", OldCommit, err, b)
		}
	}
	data, err := os.ReadFile(cached) //nolint:gosec // built above
	if err != nil {
		return err
	}
	return os.WriteFile(out, data, 0o755) //nolint:gosec // an executable
}

// Dir is a Terraform working directory with its own configuration and state.
type Dir struct {
	tc   *Toolchain
	Path string
	rss  string
	// provider is the binary the wrapper runs: the ezitxt provider, or the
	// do-nothing one.
	provider string
}

// providerFor is the provider binary the wrapper runs for a configuration:
// the do-nothing provider, the one of OldCommit, or this tree's.
func (tc *Toolchain) providerFor(mainTF string) string {
	switch {
	case strings.Contains(mainTF, "ezitxt/benchnull"):
		return tc.NullProvider
	case strings.Contains(mainTF, fmt.Sprintf("version = %q", OldVersion)):
		return tc.OldProvider
	}
	return tc.Provider
}

// NewDir creates the working directory name with the files given (name to
// content) and runs terraform init in it.
func (tc *Toolchain) NewDir(ctx context.Context, name string, files map[string]string) (*Dir, error) {
	d := &Dir{tc: tc, Path: filepath.Join(tc.Work, name), rss: filepath.Join(tc.Work, name+".rss"), provider: tc.providerFor(files["main.tf"])}
	for _, p := range []string{d.Path, d.rss} {
		if err := os.RemoveAll(p); err != nil {
			return nil, err
		}
		if err := os.MkdirAll(p, 0o750); err != nil {
			return nil, err
		}
	}
	for f, content := range files {
		if err := os.WriteFile(filepath.Join(d.Path, f), []byte(content), 0o600); err != nil {
			return nil, err
		}
	}
	if r := d.Run(ctx, "init"); r.Err != nil {
		return nil, r.Err
	}
	return d, nil
}

// Result is the outcome of one terraform command.
type Result struct {
	Wall time.Duration
	// Usage is that of the provider processes the command started.
	Usage
	// TotalCPU is the CPU time of the command and of all it started.
	TotalCPU time.Duration
	// ExitCode is the command's exit status.
	ExitCode int
	// Err is set when the command failed (beyond the exit codes allowed).
	Err error
}

// Run runs terraform with args in the directory, timing it. Exit status 0 is
// success, and also 2 for a plan with -detailed-exitcode (the caller checks
// ExitCode). On failure Err holds the end of the output.
func (d *Dir) Run(ctx context.Context, args ...string) Result {
	full := append(append([]string{"-chdir=" + d.Path}, args...), "-input=false", "-no-color")
	cmd := exec.CommandContext(ctx, d.tc.Terraform, full...) //nolint:gosec // the CLI under benchmark
	cmd.Env = d.env()
	// On cancellation, interrupt Terraform so that it stops its providers.
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 30 * time.Second
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	r := Result{Wall: time.Since(start)}
	if cmd.ProcessState != nil {
		r.TotalCPU = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		r.ExitCode = ee.ExitCode()
	}
	detailed := false
	for _, a := range args {
		detailed = detailed || a == "-detailed-exitcode"
	}
	if err != nil && (!detailed || r.ExitCode != 2) {
		r.Err = fmt.Errorf("terraform %s: %w\n%s", strings.Join(args, " "), err, tail(out.String(), 40))
	}
	_ = os.WriteFile(filepath.Join(d.Path, "last-"+args[0]+".log"), out.Bytes(), 0o600)
	u, uerr := ReadUsage(d.rss)
	r.Usage = u
	switch {
	case uerr != nil && r.Err == nil:
		r.Err = fmt.Errorf("reading the provider's memory records: %w", uerr)
	case u.Unmeasured > 0 && r.Err == nil:
		r.Err = fmt.Errorf("terraform %s: %d provider processes ended without a memory record (killed?)", strings.Join(args, " "), u.Unmeasured)
	}
	return r
}

// Rewrite replaces the directory's files and runs terraform init -upgrade,
// switching providers (the state stays).
func (d *Dir) Rewrite(ctx context.Context, files map[string]string) error {
	d.provider = d.tc.providerFor(files["main.tf"])
	for f, content := range files {
		if err := os.WriteFile(filepath.Join(d.Path, f), []byte(content), 0o600); err != nil {
			return err
		}
	}
	return d.Run(ctx, "init", "-upgrade").Err
}

// Output is the output of the directory's last command named cmd.
func (d *Dir) Output(cmd string) (string, error) {
	b, err := os.ReadFile(filepath.Join(d.Path, "last-"+cmd+".log")) //nolint:gosec // the benchmark's own log
	return string(b), err
}

// Forget removes the state, so that the next apply creates everything.
func (d *Dir) Forget() error {
	for _, f := range []string{"terraform.tfstate", "terraform.tfstate.backup"} {
		if err := os.Remove(filepath.Join(d.Path, f)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return nil
}

// StateSize returns the size of terraform.tfstate in bytes.
func (d *Dir) StateSize() (int64, error) {
	fi, err := os.Stat(filepath.Join(d.Path, "terraform.tfstate"))
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}

// env is the command's environment: the benchmark's, without anything that
// would change how Terraform finds or logs providers, plus the CLI config
// and the wrapper's settings.
func (d *Dir) env() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch {
		case k == "TF_CLI_CONFIG_FILE", k == "TF_REATTACH_PROVIDERS", k == "TF_PLUGIN_CACHE_DIR",
			strings.HasPrefix(k, "TF_LOG"), k == "TF_ACC", strings.HasPrefix(k, "EZITXT_"):
			continue
		}
		env = append(env, kv)
	}
	return append(env,
		"TF_CLI_CONFIG_FILE="+d.tc.CLIConfig,
		"TF_IN_AUTOMATION=1",
		"CHECKPOINT_DISABLE=1",
		EnvWrapProvider+"="+d.provider,
		EnvWrapDir+"="+d.rss,
	)
}

// tail returns the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
