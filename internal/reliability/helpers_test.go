package reliability

import (
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// envSuites turns on the suites that drive a CLI (with TF_ACC=1).
const envSuites = "EZITXT_RELIABILITY"

// requireCLISuite skips t unless the CLI-driven suites are asked for.
func requireCLISuite(t *testing.T) {
	t.Helper()
	if os.Getenv(envSuites) == "" || os.Getenv("TF_ACC") == "" {
		t.Skipf("reliability suite skipped: set TF_ACC=1 and %s=1 to run it (make reliability)", envSuites)
	}
}

// figures prints a suite's final figures on a line of their own, so that
// `make reliability` can show them whatever else the run printed.
func figures(t *testing.T, suite, format string, args ...any) {
	t.Helper()
	line := fmt.Sprintf("FIGURES %s: %s", suite, fmt.Sprintf(format, args...))
	t.Log(line)
	_, _ = fmt.Fprintln(os.Stdout, line)
}

// hcl renders a Go value as an HCL expression: strings, bools, ints,
// []string, []any, and map[string]any as an object (keys sorted).
func hcl(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case string:
		return hclString(v)
	case bool:
		return fmt.Sprint(v)
	case int, int32, int64, float64:
		return fmt.Sprint(v)
	case []string:
		parts := make([]string, len(v))
		for i, s := range v {
			parts[i] = hclString(s)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case []any:
		parts := make([]string, len(v))
		for i, s := range v {
			parts[i] = hcl(s)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		return "{\n" + hclBody(v) + "}"
	}
	panic(fmt.Sprintf("hcl: unsupported %T", v))
}

// hclBody renders the attributes of a block, one per line.
func hclBody(m map[string]any) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "  %s = %s\n", k, hcl(m[k]))
	}
	return b.String()
}

// hclString quotes s for HCL: Go's quoting, with template sequences escaped.
func hclString(s string) string {
	q := fmt.Sprintf("%q", s)
	q = strings.ReplaceAll(q, "${", "$${")
	return strings.ReplaceAll(q, "%{", "%%{")
}

// diagRe matches the fragments in order, each with any whitespace (and the
// box-drawing margin Terraform puts before wrapped diagnostic lines) where
// the fragment has a space.
func diagRe(fragments ...string) *regexp.Regexp {
	quoted := make([]string, len(fragments))
	for i, f := range fragments {
		words := strings.Fields(f)
		for j, w := range words {
			words[j] = regexp.QuoteMeta(w)
		}
		quoted[i] = strings.Join(words, `[\s│]+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(quoted, `.*`))
}
