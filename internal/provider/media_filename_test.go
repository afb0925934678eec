package provider_test

import (
	"path/filepath"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/acctest"
)

// TestAccMedia_otherControlCharactersInFileName: DEL and the C1 control
// NEL (U+0085) become "_" in the default filename like a line break; the
// line separator U+2028, not a control character, is kept. Renaming the
// file to a name with other control characters at the same places (same
// content) updates file in place: no second upload.
func TestAccMedia_otherControlCharactersInFileName(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	dir := t.TempDir()
	first := filepath.Join(dir, "logo\x7f\u0085\u2028.png")
	renamed := filepath.Join(dir, "logo\t\n\u2028.png")
	content := pngBytes("a logo with DEL and NEL in its name")
	writeMediaFile(t, first, content)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				Config: mediaWithNeighbours(e, first),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(mediaAddr, tfjsonpath.New("filename"), knownvalue.StringExact("logo__\u2028.png")),
					statecheck.ExpectKnownOutputValueAtPath("uploaded", tfjsonpath.New("same"), knownvalue.Bool(true)),
				},
				Check: checkMockMedia(e, 1, content, "image/png", "logo__\u2028.png"),
			},
			{
				PreConfig: func() { moveMediaFile(t, first, renamed) },
				Config:    mediaWithNeighbours(e, renamed),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(mediaAddr, plancheck.ResourceActionUpdate),
				}},
				Check: checkMockMedia(e, 1, content, "image/png", "logo__\u2028.png"),
			},
			{
				Config: mediaWithNeighbours(e, renamed),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
			},
		},
	})
}
