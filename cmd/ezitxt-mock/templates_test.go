package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestTemplatesFlag(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	good := filepath.Join(dir, "templates.json")
	if err := os.WriteFile(good, []byte(`[{"name":"order_shipped","language":"en_US","body":"Hi {{1}}, order {{2}} has shipped."}]`), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := parseFlags([]string{"-templates", good}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	o, err := c.options(nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Templates) != 1 || o.Templates[0].Name != "order_shipped" {
		t.Fatalf("templates %+v", o.Templates)
	}
	// Without the flag, template sends are not checked.
	c, _ = parseFlags(nil, io.Discard)
	if o, _ := c.options(nil); o.Templates != nil {
		t.Fatalf("templates without the flag: %+v", o.Templates)
	}

	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`[{"name":"x","language":"en","body":"{{2}}"}]`), 0o600); err != nil {
		t.Fatal(err)
	}
	for file, want := range map[string]string{
		bad:                          "-templates " + bad + ": templates[0].body has placeholders up to {{2}} but not {{1}}",
		filepath.Join(dir, "nofile"): "-templates: open",
	} {
		var stdout, stderr bytes.Buffer
		if got := run(t.Context(), []string{"-listen", "127.0.0.1:0", "-templates", file}, &stdout, &stderr); got != 2 || !strings.Contains(stderr.String(), want) {
			t.Errorf("-templates %s: exit %d, stderr %q; want 2 and %q", file, got, stderr.String(), want)
		}
	}
}
