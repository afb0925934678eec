package provider_test

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/acctest"
	"github.com/ezitxt/terraform-provider-ezitxt/internal/client"
)

func TestAccMediaDataSource(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	content := pngBytes("a logo to look up")
	cfg := e.Config(fmt.Sprintf(`
resource "ezitxt_media" "test" {
  source         = %q
  content_base64 = %q
}

data "ezitxt_media" "digest" {
  source   = ezitxt_media.test.source
  media_id = ezitxt_media.test.id
}

data "ezitxt_media" "content" {
  source          = ezitxt_media.test.source
  media_id        = ezitxt_media.test.id
  include_content = true
}`, acctest.Source, base64.StdEncoding.EncodeToString(content)))

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{{
			Config: cfg,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.CompareValuePairs("data.ezitxt_media.digest", tfjsonpath.New("sha256"), mediaAddr, tfjsonpath.New("sha256"), compare.ValuesSame()),
				statecheck.CompareValuePairs("data.ezitxt_media.digest", tfjsonpath.New("media_id"), mediaAddr, tfjsonpath.New("id"), compare.ValuesSame()),
				statecheck.ExpectKnownValue("data.ezitxt_media.digest", tfjsonpath.New("sha256"), knownvalue.StringExact(sha256Hex(content))),
				statecheck.ExpectKnownValue("data.ezitxt_media.digest", tfjsonpath.New("size_bytes"), knownvalue.Int64Exact(int64(len(content)))),
				statecheck.ExpectKnownValue("data.ezitxt_media.digest", tfjsonpath.New("mime_type"), knownvalue.StringExact("image/png")),
				// Content only when asked.
				statecheck.ExpectKnownValue("data.ezitxt_media.digest", tfjsonpath.New("content_base64"), knownvalue.Null()),
				statecheck.ExpectKnownValue("data.ezitxt_media.content", tfjsonpath.New("content_base64"),
					knownvalue.StringExact(base64.StdEncoding.EncodeToString(content))),
				statecheck.CompareValuePairs("data.ezitxt_media.content", tfjsonpath.New("sha256"), mediaAddr, tfjsonpath.New("sha256"), compare.ValuesSame()),
			},
		}},
	})
}

func TestAccMediaDataSource_notFound(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{{
			Config: e.Config(fmt.Sprintf(`
data "ezitxt_media" "test" {
  source   = %q
  media_id = "no-such-media"
}`, acctest.Source)),
			ExpectError: regexp.MustCompile(`Media Not Found(?s:.*)media_id\s+= "no-such-media"(?s:.*)` + errorText(`The API has no media no-such-media for source`).String()),
		}},
	})
}

// TestAccMediaDataSource_tooLargeToInclude reads media larger than the
// include_content limit: the digest works, the content is refused.
func TestAccMediaDataSource_tooLargeToInclude(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	content := bytes.Repeat([]byte("sixteen mebibytes and then some\n"), (16<<20)/32+1)
	id := uploadDirect(t, e, content, client.MimeTextPlain, "big.txt")
	cfg := func(include bool) string {
		return e.Config(fmt.Sprintf(`
data "ezitxt_media" "test" {
  source          = %q
  media_id        = %q
  include_content = %t
}`, acctest.Source, id, include))
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				Config: cfg(false),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.ezitxt_media.test", tfjsonpath.New("size_bytes"), knownvalue.Int64Exact(int64(len(content)))),
					statecheck.ExpectKnownValue("data.ezitxt_media.test", tfjsonpath.New("sha256"), knownvalue.StringExact(sha256Hex(content))),
				},
			},
			{
				Config:      cfg(true),
				ExpectError: regexp.MustCompile(`Media Too Large to Include(?s:.*)include_content\s+= true`),
			},
		},
	})
}
