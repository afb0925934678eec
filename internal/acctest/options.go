package acctest

import "github.com/ezitxt/terraform-provider-ezitxt/internal/mockapi"

// ClockSpeed makes the mock's clock run speed times faster than real time,
// for tests that wait for delivery statuses: at 1000, a message is read
// (mockapi.OffsetRead, 30s of mock time) within about 30ms.
func ClockSpeed(speed float64) Option {
	return func(o *mockapi.Options) { o.Clock.Speed = speed }
}
