package bench

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
)

// Unit says how a figure's values are printed.
type Unit string

// Units of figures.
const (
	Seconds Unit = "s"
	Ratio   Unit = "x"
	MiB     Unit = "MiB"
	Bytes   Unit = "B"
	PerSec  Unit = "/s"
	MiBps   Unit = "MiB/s"
	Percent Unit = "%"
	Count   Unit = ""
)

// Budget bounds a figure: its value must be at most (AtMost) or at least
// (!AtMost) Limit.
type Budget struct {
	AtMost bool
	Limit  float64
	// Why says where the limit comes from, such as "1.3 x floor 2.4s".
	Why string
	// Target marks a limit against Terraform alone or a nominal figure
	// (not a floor measured in the same run), which the machine may not
	// allow any provider to meet: it is printed, and enforced only with
	// -strict.
	Target bool
}

// Max is a budget of at most limit.
func Max(limit float64, why string) *Budget { return &Budget{AtMost: true, Limit: limit, Why: why} }

// Min is a budget of at least limit.
func Min(limit float64, why string) *Budget { return &Budget{Limit: limit, Why: why} }

// AsTarget makes the budget a target (see Budget.Target).
func (b *Budget) AsTarget() *Budget {
	c := *b
	c.Target = true
	return &c
}

// Met reports whether v is within the budget.
func (b *Budget) Met(v float64) bool {
	if math.IsNaN(v) {
		return false
	}
	if b.AtMost {
		return v <= b.Limit
	}
	return v >= b.Limit
}

// Figure is one line of the report: a value (the median of its samples, or
// a value derived from other medians), the noise seen (min and max), and an
// optional budget.
type Figure struct {
	Scenario string
	Name     string
	Unit     Unit
	Value    float64
	// Min and Max are the extremes of the samples (or of the per-run
	// values a derived figure was computed from); N is how many there were.
	Min, Max float64
	N        int
	Budget   *Budget
	// Err, when set, makes the figure fail whatever its value (a failed
	// apply, a plan that was not empty).
	Err string
}

// Sampled returns a figure of the median of samples, with their extremes.
func Sampled(scenario, name string, unit Unit, samples []float64) Figure {
	f := Figure{Scenario: scenario, Name: name, Unit: unit, Value: math.NaN(), Min: math.NaN(), Max: math.NaN(), N: len(samples)}
	if len(samples) > 0 {
		f.Value = Median(samples)
		f.Min, f.Max = slices.Min(samples), slices.Max(samples)
	}
	return f
}

// Single returns a figure of one value.
func Single(scenario, name string, unit Unit, v float64) Figure {
	return Figure{Scenario: scenario, Name: name, Unit: unit, Value: v, Min: math.NaN(), Max: math.NaN(), N: 1}
}

// With sets the figure's budget.
func (f Figure) With(b *Budget) Figure {
	f.Budget = b
	return f
}

// withTarget makes the figure's budget a target.
func (f Figure) withTarget() Figure {
	if f.Budget != nil {
		f.Budget = f.Budget.AsTarget()
	}
	return f
}

// Failed reports whether the figure misses its budget or carries an error.
// A missed target counts only when strict.
func (f Figure) Failed(strict bool) bool {
	return f.Err != "" || (f.Budget != nil && !f.Budget.Met(f.Value) && (strict || !f.Budget.Target))
}

// Median returns the median of xs (the mean of the two middle values for an
// even count); NaN when xs is empty.
func Median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// Ratios returns a[i]/b[i] for each pair (the runs of an A B A B ...
// alternation); pairs with a zero b are skipped.
func Ratios(a, b []float64) []float64 {
	out := make([]float64, 0, min(len(a), len(b)))
	for i := range min(len(a), len(b)) {
		if b[i] != 0 {
			out = append(out, a[i]/b[i])
		}
	}
	return out
}

// Sums returns a[i]+b[i] for each i.
func Sums(a, b []float64) []float64 {
	out := make([]float64, 0, min(len(a), len(b)))
	for i := range min(len(a), len(b)) {
		out = append(out, a[i]+b[i])
	}
	return out
}

// format prints a value in its unit.
func format(v float64, u Unit) string {
	switch {
	case math.IsNaN(v):
		return "-"
	case u == Seconds:
		return fmt.Sprintf("%.3fs", v)
	case u == Ratio:
		return fmt.Sprintf("%.3fx", v)
	case u == MiB:
		return fmt.Sprintf("%.1fMiB", v)
	case u == Bytes:
		return fmt.Sprintf("%.0fB", v)
	case u == PerSec:
		return fmt.Sprintf("%.1f/s", v)
	case u == MiBps:
		return fmt.Sprintf("%.1fMiB/s", v)
	case u == Percent:
		return fmt.Sprintf("%.1f%%", v)
	}
	return fmt.Sprintf("%.0f", v)
}

// Line renders the figure as one line of the report.
func (f Figure) Line() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-11s %-44s %12s", f.Scenario, f.Name, format(f.Value, f.Unit))
	if f.N > 1 && !math.IsNaN(f.Min) {
		fmt.Fprintf(&b, "  [min %s, max %s, n=%d]", format(f.Min, f.Unit), format(f.Max, f.Unit), f.N)
	}
	if f.Budget != nil {
		op := ">="
		if f.Budget.AtMost {
			op = "<="
		}
		kind, verdict := "budget", "ok"
		switch {
		case f.Budget.Met(f.Value):
		case f.Budget.Target:
			verdict = "not met"
		default:
			verdict = "MISSED"
		}
		if f.Budget.Target {
			kind = "target"
		}
		fmt.Fprintf(&b, "  %s %s %s", kind, op, format(f.Budget.Limit, f.Unit))
		if f.Budget.Why != "" {
			fmt.Fprintf(&b, " (%s)", f.Budget.Why)
		}
		fmt.Fprintf(&b, "  %s", verdict)
	}
	if f.Err != "" {
		fmt.Fprintf(&b, "  FAILED: %s", f.Err)
	}
	return b.String()
}

// Report collects figures, printing each as it is added.
type Report struct {
	w       io.Writer
	Figures []Figure
	// Strict makes missed targets fail too.
	Strict bool
}

// NewReport returns a report that prints to w.
func NewReport(w io.Writer) *Report { return &Report{w: w} }

// Add records and prints figures.
func (r *Report) Add(fs ...Figure) {
	for _, f := range fs {
		r.Figures = append(r.Figures, f)
		_, _ = fmt.Fprintln(r.w, f.Line())
	}
}

// Missed returns the figures that missed their budget (or, when strict,
// their target) or failed.
func (r *Report) Missed() []Figure {
	var out []Figure
	for _, f := range r.Figures {
		if f.Failed(r.Strict) {
			out = append(out, f)
		}
	}
	return out
}
