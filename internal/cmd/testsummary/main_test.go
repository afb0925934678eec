package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// stream is a go test -json stream (as test2json writes it) of a package
// with a passing fuzz target, a skipped test, a failed test and a FIGURES
// line, and of a package without tests.
const stream = `{"Action":"start","Package":"ex/a"}
{"Action":"run","Package":"ex/a","Test":"FuzzParse"}
{"Action":"output","Package":"ex/a","Test":"FuzzParse","Output":"=== RUN   FuzzParse\n"}
{"Action":"run","Package":"ex/a","Test":"FuzzParse/seed#0"}
{"Action":"output","Package":"ex/a","Test":"FuzzParse/seed#0","Output":"    --- PASS: FuzzParse/seed#0 (0.00s)\n"}
{"Action":"pass","Package":"ex/a","Test":"FuzzParse/seed#0"}
{"Action":"output","Package":"ex/a","Test":"FuzzParse","Output":"--- PASS: FuzzParse (0.00s)\n"}
{"Action":"pass","Package":"ex/a","Test":"FuzzParse"}
{"Action":"run","Package":"ex/a","Test":"TestAccOne"}
{"Action":"output","Package":"ex/a","Test":"TestAccOne","Output":"=== RUN   TestAccOne\n"}
{"Action":"output","Package":"ex/a","Test":"TestAccOne","Output":"    one_test.go:12: needs actions: skipped on this CLI\n"}
{"Action":"output","Package":"ex/a","Test":"TestAccOne","Output":"--- SKIP: TestAccOne (0.00s)\n"}
{"Action":"skip","Package":"ex/a","Test":"TestAccOne"}
{"Action":"run","Package":"ex/a","Test":"TestSoak"}
{"Action":"output","Package":"ex/a","Test":"TestSoak","Output":"FIGURES soak: 300 sends, 0 duplicates\n"}
{"Action":"output","Package":"ex/a","Test":"TestSoak","Output":"    soak_test.go:40: want 1 send, got 2\n"}
{"Action":"output","Package":"ex/a","Test":"TestSoak","Output":"--- FAIL: TestSoak (1.00s)\n"}
{"Action":"fail","Package":"ex/a","Test":"TestSoak"}
{"Action":"output","Package":"ex/a","Output":"FAIL\n"}
{"Action":"output","Package":"ex/a","Output":"FAIL\tex/a\t1.234s\n"}
{"Action":"fail","Package":"ex/a"}
{"Action":"output","Package":"ex/b","Output":"?   \tex/b\t[no test files]\n"}
{"Action":"skip","Package":"ex/b"}
`

func TestSummary(t *testing.T) {
	dir := t.TempDir()
	logName, figures := filepath.Join(dir, "x.log"), filepath.Join(dir, "figures.txt")
	var out bytes.Buffer
	err := run(strings.NewReader(stream), &out, []string{"-log", logName, "-label", "tofu", "-figures", figures, "-fuzz"})
	if !errors.Is(err, errFailed) {
		t.Fatalf("run: got error %v, want errFailed", err)
	}
	got := out.String()
	for _, want := range []string{
		"FAIL\tex/a\t1.234s\n", // go test's own result lines
		"?   \tex/b\t[no test files]\n",
		"    tofu: FAILED in 0s: 2 passed, 1 failed, 1 skipped (log: " + logName + ")\n",
		"      skipped:       1 needs actions: skipped on this CLI\n",
		"--- FAIL: TestSoak (1.00s)\n", // the failure's output
		"    soak_test.go:40: want 1 send, got 2\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("summary lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "=== RUN   TestAccOne") {
		t.Errorf("summary shows the output of a test that did not fail:\n%s", got)
	}
	log, err := os.ReadFile(logName) //nolint:gosec // G304: the test's temporary folder
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(log), "=== RUN   FuzzParse\n    --- PASS: FuzzParse/seed#0 (0.00s)\n") ||
		!strings.HasSuffix(string(log), "FAIL\tex/a\t1.234s\n?   \tex/b\t[no test files]\n") {
		t.Errorf("the log is not the text go test -v prints:\n%s", log)
	}
	fig, err := os.ReadFile(figures) //nolint:gosec // G304: the test's temporary folder
	if err != nil {
		t.Fatal(err)
	}
	wantFig := "FIGURES soak: 300 sends, 0 duplicates\n" +
		"FIGURES fuzz-corpus: 1 seed and testdata/fuzz inputs of 1 fuzz targets passed (they also run in make test)\n"
	if string(fig) != wantFig {
		t.Errorf("figures:\n%s\nwant:\n%s", fig, wantFig)
	}
}

// A stream with text that is no event and no package result (a build
// error) fails, and the text is shown.
func TestSummaryBuildError(t *testing.T) {
	var out bytes.Buffer
	err := run(strings.NewReader("# ex/a\na.go:3:1: syntax error\n"), &out, []string{"-log", filepath.Join(t.TempDir(), "x.log")})
	if !errors.Is(err, errFailed) {
		t.Fatalf("run: got error %v, want errFailed", err)
	}
	if got := out.String(); !strings.Contains(got, "    FAILED in 0s (log: ") || !strings.Contains(got, "a.go:3:1: syntax error") {
		t.Errorf("summary:\n%s", got)
	}
}
