package bench

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The test binary is the provider the wrapper runs in TestWrap.
func TestMain(m *testing.M) {
	if os.Getenv("BENCH_TEST_CHILD") == "1" {
		buf := make([]byte, 32<<20) // touch 32 MiB so the peak RSS shows it
		for i := range buf {
			buf[i] = byte(i)
		}
		_, _ = os.Stdout.WriteString("child " + strings.Join(os.Args[1:], " ") + "\n")
		os.Exit(3)
	}
	os.Exit(m.Run())
}

func TestWrap(t *testing.T) {
	dir := t.TempDir()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("BENCH_TEST_CHILD", "1")
	t.Setenv(EnvWrapProvider, self)
	t.Setenv(EnvWrapDir, dir)
	var stderr bytes.Buffer
	if code := Wrap([]string{"a", "b"}, &stderr); code != 3 {
		t.Errorf("exit status %d, want the child's 3; stderr %s", code, stderr.String())
	}
	u, err := ReadUsage(dir)
	if err != nil {
		t.Fatal(err)
	}
	if u.Measured != 1 || u.Unmeasured != 0 || u.PeakRSS < 32<<20 || u.CPU <= 0 {
		t.Errorf("usage = %+v, want one process of at least 32 MiB", u)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("records left behind: %v", entries)
	}
}

func TestWrapWithoutSettings(t *testing.T) {
	t.Setenv(EnvWrapProvider, "")
	var stderr bytes.Buffer
	if code := Wrap(nil, &stderr); code != 1 || !strings.Contains(stderr.String(), EnvWrapProvider) {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
}

func TestReadUsage(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for name, content := range map[string]string{
		"rss-1": "1048576 1000\n", "rss-2": "3145728 2000\n", "started-3": "", "other": "x",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	u, err := ReadUsage(dir)
	if err != nil {
		t.Fatal(err)
	}
	if u.PeakRSS != 3<<20 || u.CPU != 3000 || u.Measured != 2 || u.Unmeasured != 1 {
		t.Errorf("usage = %+v", u)
	}
	if _, err := os.Stat(filepath.Join(dir, "other")); err != nil {
		t.Error("ReadUsage removed a file that is not a record")
	}
	if err := os.WriteFile(filepath.Join(dir, "rss-4"), []byte("garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadUsage(dir); err == nil {
		t.Error("no error for a bad record")
	}
}
