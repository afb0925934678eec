package mockapi

import (
	"slices"
	"testing"

	"github.com/ezitxt/terraform-provider-ezitxt/api"
)

// TestEnumsMatchContract compares the mock's lists of allowed values with
// the contract's (api/openapi.yaml), in its order, so that the values are
// written once, there.
func TestEnumsMatchContract(t *testing.T) {
	t.Parallel()
	statuses := []string{StatusAccepted, StatusSubmitted, StatusSent, StatusReceived, StatusRead,
		StatusFrozen, StatusRejected, StatusFailed, StatusDead, StatusExpired}
	codes := []string{CodeRequired, CodeInvalidFormat, CodeInvalidValue, CodeOutOfRange, CodeTooLarge, CodeTooMany, CodeInvalidJSON}
	for _, tt := range []struct {
		got  []string
		enum []string // schema, then properties
	}{
		{MediaMimeTypes, []string{"MediaMimeType"}},
		{messageTypes, []string{"MessageCommon", "type"}},
		{messageTypes, []string{"Message", "type"}},
		{messageTypes, []string{"BroadcastMessage", "type"}},
		{mediaTypes, []string{"MediaContent", "type"}},
		{detailTypes, []string{"MessageDetails", "type"}},
		{replyTypes, []string{"ReplyCallbackContent", "type"}},
		{statuses, []string{"MessageStatus"}},
		{codes, []string{"APIError", "code"}},
		{[]string{DirectionMT, DirectionMO}, []string{"MessageDetails", "direction"}},
	} {
		want, err := api.Enum(tt.enum[0], tt.enum[1:]...)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(tt.got, want) {
			t.Errorf("%v: the mock has %v, api/openapi.yaml %v", tt.enum, tt.got, want)
		}
	}
}
