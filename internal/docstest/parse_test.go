package docstest

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestParse: fences, markers, continuation lines, comments and console prompts are read the way
// TestDocs relies on. It runs in plain go test.
func TestParse(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	md := strings.Join([]string{
		"<!-- docstest: workdir examples/x -->",
		"```sh",
		"# a comment",
		"echo one \\",
		"  two",
		"",
		"echo three   # trailing comment",
		"```",
		"<!-- docstest: server -->",
		"```shell",
		"ezitxt-mock",
		"```",
		"<!-- docstest: skip needs the internet -->",
		"",
		"```bash",
		"curl https://example.com",
		"```",
		"```console",
		"$ terraform version",
		"Terraform v1.11.4",
		"```",
		"```terraform",
		"resource \"x\" \"y\" {}",
		"```",
		"   ```sh",
		"   indented in a list",
		"   ```",
	}, "\n")
	if err := os.WriteFile(filepath.Join(root, "doc.md"), []byte(md), 0o600); err != nil {
		t.Fatal(err)
	}
	d, err := parse(root, "doc.md")
	if err != nil {
		t.Fatal(err)
	}
	if d.workdir != "examples/x" {
		t.Errorf("workdir = %q", d.workdir)
	}
	want := []block{
		{file: "doc.md", line: 2, commands: []string{"echo one \\\n  two", "echo three   # trailing comment"}},
		{file: "doc.md", line: 10, commands: []string{"ezitxt-mock"}, server: true},
		{file: "doc.md", line: 15, commands: []string{"curl https://example.com"}, skip: "needs the internet"},
		{file: "doc.md", line: 18, commands: []string{"terraform version"}},
		{file: "doc.md", line: 25, commands: []string{"indented in a list"}},
	}
	if len(d.blocks) != len(want) {
		t.Fatalf("got %d blocks, want %d: %+v", len(d.blocks), len(want), d.blocks)
	}
	for i, w := range want {
		g := d.blocks[i]
		if g.line != w.line || g.server != w.server || g.skip != w.skip || !slices.Equal(g.commands, w.commands) {
			t.Errorf("block %d = %+v, want %+v", i, g, w)
		}
	}
}

// TestParseRefusesSkipWithoutReason: every exception says why.
func TestParseRefusesSkipWithoutReason(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "doc.md"), []byte("<!-- docstest: skip -->\n```sh\ntrue\n```\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := parse(root, "doc.md"); err == nil || !strings.Contains(err.Error(), "must say why") {
		t.Fatalf("err = %v", err)
	}
}

// TestExceptions: the listed exceptions match only their files and commands.
func TestExceptions(t *testing.T) {
	t.Parallel()
	if exceptionFor("docs/resources/message.md", "terraform import ezitxt_message.a 1") == "" {
		t.Error("resource import not excepted")
	}
	if exceptionFor("docs/guides/testing-offline-with-ezitxt-mock.md", "terraform import ezitxt_message.a 1") != "" {
		t.Error("an import in a guide excepted")
	}
	if exceptionFor("README.md", "make demo") != "" {
		t.Error("make demo excepted")
	}
}
