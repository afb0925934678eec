package provider

import (
	"strings"
	"testing"
)

func TestParseBroadcastImportID(t *testing.T) {
	t.Parallel()
	const a, b = "3fa85f64-5717-4562-b3fc-2c963f66afa6", "497f6eca-6276-4993-bfeb-53cbbbba6f08"
	pairs, numbers, err := parseBroadcastImportID(" +6421000002=" + b + " , +6421000001 = " + a)
	if err != nil || len(pairs) != 2 || pairs["+6421000001"] != a || pairs["+6421000002"] != b ||
		strings.Join(numbers, " ") != "+6421000002 +6421000001" {
		t.Fatalf("parse = %v %v %v, want both pairs in the order given", pairs, numbers, err)
	}
	for id, want := range map[string]string{
		"":                                       "entry 1 is empty",
		"+6421000001=" + a + ",":                 "entry 2 is empty",
		"+6421000001:" + a:                       `entry 1, "+6421000001:` + a + `", is not NUMBER=MESSAGE_ID`,
		"6421000001=" + a:                        `entry 1: "6421000001" is not a phone number in E.164 format (such as +6421000001)`,
		"+6421000001=abc":                        `entry 1: "abc" is not a message ID (a UUID)`,
		"+6421000001=" + a + ",+6421000001=" + b: "entry 2: +6421000001 is listed twice",
		"+6421000001=" + a + ",+6421000002=" + a: "entry 2: message " + a + " is given for both +6421000001 and +6421000002",
	} {
		if _, _, err := parseBroadcastImportID(id); err == nil || err.Error() != want {
			t.Errorf("parse(%q) error = %v, want %q", id, err, want)
		}
	}
}
