// Command testsummary reads the event stream of `go test -json` on standard
// input and summarizes it for scripts/testacc.sh and scripts/reliability.sh:
// how many tests passed, failed and were skipped, why tests skipped, the
// FIGURES lines the suites print, and the output of the tests that failed.
// It keeps go test's own text: the log file holds the output of the events
// (what `go test -v` prints, but for the result lines of subtests, which are
// not indented), and go test's result line of each package (ok, FAIL) is
// printed as it is.
//
//	go test -json ./... 2>&1 | testsummary -log .build/x.log [-label NAME] [-figures FILE] [-fuzz]
//
// It exits 1 when a test or a package failed, or when the stream holds text
// that is not an event (a build error, a panic outside a test) and no
// package passed.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strings"
	"time"
)

// event is one line of `go test -json` (cmd/test2json).
type event struct {
	Action  string
	Package string
	Test    string
	Output  string
}

// summary is what a stream held.
type summary struct {
	passed, failed, skipped int
	// fuzzInputs and fuzzTargets count the passed inputs (subtests) and
	// targets of fuzz tests.
	fuzzInputs, fuzzTargets int
	skipReasons             map[string]int
	figures                 []string
	results                 []string // go test's result lines of the packages
	failures                []string // output of failed tests, in order
	pkgFailed, stray        bool     // a package failed; text that was no event
}

// logLine is a test's t.Log or t.Skip line as -v prints it: indented, with
// the file and line it came from.
var logLine = regexp.MustCompile(`^\s+[A-Za-z0-9_]+\.go:[0-9]+: (.*)$`)

// fuzzTarget is a fuzz test (with its seed inputs as subtests).
var fuzzTarget = regexp.MustCompile(`^Fuzz[A-Za-z0-9_]*(/|$)`)

// summarize reads events from r, writes the text of their output to log,
// and returns what they held.
func summarize(r io.Reader, log io.Writer) (summary, error) {
	s := summary{skipReasons: map[string]int{}}
	output := map[string][]string{} // test (package + name) -> its output lines
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		line := sc.Bytes()
		var e event
		if len(line) == 0 || line[0] != '{' || json.Unmarshal(line, &e) != nil {
			// Text that is not an event: a build error or a crash of the
			// test binary. Keep it where the failures are shown.
			s.stray = true
			s.failures = append(s.failures, string(line))
			if _, err := fmt.Fprintf(log, "%s\n", line); err != nil {
				return s, fmt.Errorf("writing the log: %w", err)
			}
			continue
		}
		if e.Output != "" {
			if _, err := io.WriteString(log, e.Output); err != nil {
				return s, fmt.Errorf("writing the log: %w", err)
			}
			out := strings.TrimRight(e.Output, "\n")
			if strings.HasPrefix(out, "FIGURES") {
				s.figures = append(s.figures, out)
			}
			key := e.Package + " " + e.Test
			output[key] = append(output[key], out)
		}
		switch {
		case e.Action == "build-output":
			s.failures = append(s.failures, strings.TrimRight(e.Output, "\n"))
		case e.Test == "" && (e.Action == "pass" || e.Action == "fail" || e.Action == "skip"):
			// The package's end: its last output line is go test's result line.
			if lines := output[e.Package+" "]; len(lines) > 0 {
				s.results = append(s.results, lines[len(lines)-1])
			}
			if e.Action == "fail" {
				s.pkgFailed = true
				s.failures = append(s.failures, output[e.Package+" "]...)
			}
		case e.Action == "pass":
			s.passed++
			if fuzzTarget.MatchString(e.Test) {
				if strings.Contains(e.Test, "/") {
					s.fuzzInputs++
				} else {
					s.fuzzTargets++
				}
			}
		case e.Action == "fail":
			s.failed++
			s.failures = append(s.failures, output[e.Package+" "+e.Test]...)
		case e.Action == "skip":
			s.skipped++
			for _, l := range output[e.Package+" "+e.Test] {
				if m := logLine.FindStringSubmatch(l); m != nil {
					s.skipReasons[m[1]]++
				}
			}
		}
		if e.Test != "" && (e.Action == "pass" || e.Action == "skip") {
			delete(output, e.Package+" "+e.Test)
		}
	}
	if err := sc.Err(); err != nil {
		return s, fmt.Errorf("reading the go test -json stream: %w", err)
	}
	return s, nil
}

// ok reports whether the run passed.
func (s summary) ok() bool {
	return s.failed == 0 && !s.pkgFailed && (!s.stray || len(s.results) > 0)
}

// maxFailureLines bounds the failure output printed (the log has all).
const maxFailureLines = 200

// report prints the summary: go test's result lines, then the script's
// summary line (with label: counts; without: only the result), the skip
// reasons and, on failure, the output of what failed.
func (s summary) report(w io.Writer, label, logName string, took time.Duration) error {
	var b strings.Builder
	result := "ok"
	if !s.ok() {
		result = "FAILED"
	}
	for _, l := range s.results {
		b.WriteString(l + "\n")
	}
	secs := int(took.Seconds())
	if label != "" {
		fmt.Fprintf(&b, "    %s: %s in %ds: %d passed, %d failed, %d skipped (log: %s)\n",
			label, result, secs, s.passed, s.failed, s.skipped, logName)
	} else {
		fmt.Fprintf(&b, "    %s in %ds (log: %s)\n", result, secs, logName)
	}
	reasons := make([]string, 0, len(s.skipReasons))
	for r := range s.skipReasons {
		reasons = append(reasons, r)
	}
	sort.Strings(reasons)
	for _, r := range reasons {
		fmt.Fprintf(&b, "      skipped: %7d %s\n", s.skipReasons[r], r)
	}
	if result != "ok" {
		lines := s.failures
		if len(lines) > maxFailureLines {
			lines = lines[:maxFailureLines]
		}
		for _, l := range lines {
			b.WriteString(l + "\n")
		}
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("writing the summary: %w", err)
	}
	return nil
}

func main() {
	err := run(os.Stdin, os.Stdout, os.Args[1:])
	if err != nil && !errors.Is(err, errFailed) {
		fmt.Fprintln(os.Stderr, "testsummary:", err)
	}
	if err != nil {
		os.Exit(1)
	}
}

// errFailed is returned when the tests failed (the summary says how).
var errFailed = errors.New("tests failed")

func run(stdin io.Reader, stdout io.Writer, args []string) error {
	fs := flag.NewFlagSet("testsummary", flag.ContinueOnError)
	logName := fs.String("log", "", "file to write the text of the output to (as go test -v prints it); required")
	label := fs.String("label", "", "name of the run: print the counts of passed, failed and skipped tests")
	figuresName := fs.String("figures", "", "file to append the FIGURES lines to")
	fuzz := fs.Bool("fuzz", false, "append a FIGURES line counting the fuzz inputs and targets that passed")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("parsing flags: %w", err)
	}
	if *logName == "" {
		return errors.New("-log is required")
	}
	start := time.Now()
	logFile, err := os.Create(*logName) //nolint:gosec // G304: the log file the script names
	if err != nil {
		return fmt.Errorf("creating the log: %w", err)
	}
	log := bufio.NewWriter(logFile)
	s, err := summarize(stdin, log)
	if ferr := log.Flush(); err == nil && ferr != nil {
		err = fmt.Errorf("writing the log: %w", ferr)
	}
	if cerr := logFile.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("closing the log: %w", cerr)
	}
	if err != nil {
		return err
	}
	if *figuresName != "" {
		figures := s.figures
		if *fuzz {
			figures = append(figures, fmt.Sprintf("FIGURES fuzz-corpus: %d seed and testdata/fuzz inputs of %d fuzz "+
				"targets passed (they also run in make test)", s.fuzzInputs, s.fuzzTargets))
		}
		if err := appendLines(*figuresName, figures); err != nil {
			return err
		}
	}
	if err := s.report(stdout, *label, *logName, time.Since(start)); err != nil {
		return err
	}
	if !s.ok() {
		return errFailed
	}
	return nil
}

func appendLines(name string, lines []string) error {
	f, err := os.OpenFile(name, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644) //nolint:gosec // G302, G304: the figures file the script names, readable like the logs
	if err != nil {
		return fmt.Errorf("opening the figures file: %w", err)
	}
	for _, l := range lines {
		if _, err := fmt.Fprintln(f, l); err != nil {
			_ = f.Close()
			return fmt.Errorf("writing the figures file: %w", err)
		}
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("closing the figures file: %w", err)
	}
	return nil
}
