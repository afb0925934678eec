package client

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// rfc3339Pattern is the date-time production of RFC 3339, section 5.6: "T" and "Z" in either
// case, fractional seconds, and a numeric offset of two-digit hours and minutes.
var rfc3339Pattern = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$`)

// ParseRFC3339 parses an RFC 3339 date-time, as the reference's string(date-time) fields are.
// Unlike time.Parse with time.RFC3339, it accepts the lower-case "t" and "z" that RFC 3339
// allows, and refuses an offset whose hours exceed 23 or minutes exceed 59 ("+24:00"), which
// RFC 3339 does not allow. The error says what is wrong in words, without Go layouts.
func ParseRFC3339(s string) (time.Time, error) {
	m := rfc3339Pattern.FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, fmt.Errorf("%q is not an RFC 3339 date-time: it must read YYYY-MM-DDThh:mm:ss, "+
			"optionally with fractional seconds, then Z or an offset such as +13:00", s)
	}
	if m[3] != "" {
		h, _ := strconv.Atoi(m[3]) // two digits by the pattern
		mm, _ := strconv.Atoi(m[4])
		if h > 23 || mm > 59 {
			return time.Time{}, fmt.Errorf("%q has the offset %s%s:%s, out of range: RFC 3339 offsets run from -23:59 to +23:59",
				s, m[2][:1], m[3], m[4])
		}
	}
	upper := strings.ToUpper(s)
	t, err := time.Parse(time.RFC3339Nano, upper)
	if err != nil {
		// The form is right, so a field is out of range (month 13, 25 o'clock, February 30).
		return time.Time{}, fmt.Errorf("%q is not a valid date and time: %s", s, fieldProblem(err))
	}
	return t, nil
}

// fieldProblem words a time.Parse range error without its Go layout.
func fieldProblem(err error) string {
	var pe *time.ParseError
	if errors.As(err, &pe) && pe.Message != "" {
		return strings.TrimPrefix(pe.Message, ": ")
	}
	return "a field is out of range"
}
