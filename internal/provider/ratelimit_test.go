package provider_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/acctest"
	"github.com/ezitxt/terraform-provider-ezitxt/internal/mockapi"
)

// 30 messages (10 at 2/s) at Terraform's default parallelism against a limit of 10
// requests per second with a burst of 1 or 2, and of 2 per second, read back
// by a data source: the apply succeeds, each message is sent once, and a
// later plan is empty; with the limit stated in a RateLimit-Policy header
// and with Retry-After only (as the reference documents the API: the client
// learns the pace). On 8c6fb2b the client released every request held by a
// 429 at once into a bucket of one token, and sends ran out of retries
// ("Unable to Send Message"); before the learner, so did they without the
// header.
func TestAccSmallBurstRateLimit(t *testing.T) {
	t.Parallel()
	for _, limit := range []mockapi.RateLimit{
		{RequestsPerSecond: 10, Burst: 1, StatePolicy: true},
		{RequestsPerSecond: 10, Burst: 1},
		{RequestsPerSecond: 10, Burst: 2},
		{RequestsPerSecond: 2, Burst: 1},
	} {
		t.Run(fmt.Sprintf("%g/s burst %d stated %v", limit.RequestsPerSecond, limit.Burst, limit.StatePolicy), func(t *testing.T) {
			t.Parallel()
			testAccSmallBurstRateLimit(t, limit)
		})
	}
}

func testAccSmallBurstRateLimit(t *testing.T, limit mockapi.RateLimit) {
	n := int(3 * limit.RequestsPerSecond) // every command reads them all again: keep it to seconds
	if n < 10 {
		n = 10
	}
	e := acctest.New(t, func(o *mockapi.Options) { o.RateLimit = limit })
	config := e.Config(fmt.Sprintf(`
resource "ezitxt_message" "m" {
  count  = %d
  source = %q
  to     = format("+6421600%%03d", count.index)
  text   = { body = "Release ${count.index} is out" }
}

data "ezitxt_messages" "sent" {
  ids = ezitxt_message.m[*].id
}

output "statuses" {
  value = join(",", distinct([for id in ezitxt_message.m[*].id : data.ezitxt_messages.sent.messages[id].status]))
}
`, n, acctest.Source))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				Config: config,
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr("data.ezitxt_messages.sent", "messages.%", fmt.Sprint(n)),
					resource.TestCheckResourceAttr("data.ezitxt_messages.sent", "not_found.#", "0"),
					resource.TestCheckOutput("statuses", "accepted"),
				),
			},
			{Config: config, PlanOnly: true},
		},
	})
	st := e.Mock.Stats()
	if st.Sends != int64(n) || st.Duplicates != 0 {
		t.Errorf("mock: %d sends (want %d), %d duplicates", st.Sends, n, st.Duplicates)
	}
	t.Logf("%d requests refused by the rate limit", st.RateLimited)
}
