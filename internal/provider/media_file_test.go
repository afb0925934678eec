package provider_test

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/acctest"
)

// hclQuote quotes s as an HCL string, with \u escapes for the control
// characters (Go's %q writes \x7f, which HCL does not read).
func hclQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteRune('\\')
			b.WriteRune(r)
		case r < 0x20 || (r >= 0x7f && r < 0xa0):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// editFile is a pre-apply plan check that writes a file: the test runner
// saves the plan (terraform plan -out), runs the checks, then applies the
// saved plan, so this edits the file between plan -out and apply.
type editFile struct {
	t    *testing.T
	name string
	b    []byte
}

func (e editFile) CheckPlan(context.Context, plancheck.CheckPlanRequest, *plancheck.CheckPlanResponse) {
	writeMediaFile(e.t, e.name, e.b)
}

// mediaWithNeighbours is an ezitxt_media with what a configuration reads of
// it: a data source and an output.
func mediaWithNeighbours(e *acctest.Env, file string) string {
	return e.Config(fmt.Sprintf(`
resource "ezitxt_media" "test" {
  source = %q
  file   = %s
}

data "ezitxt_media" "check" {
  source   = ezitxt_media.test.source
  media_id = ezitxt_media.test.id
}

output "uploaded" {
  value = {
    id     = ezitxt_media.test.id
    sha256 = ezitxt_media.test.sha256
    same   = data.ezitxt_media.check.sha256 == ezitxt_media.test.sha256
  }
}`, acctest.Source, hclQuote(file)))
}

// TestAccMedia_fileEditedBetweenPlanAndApply: a file edited between
// `terraform plan -out` and applying that plan made Terraform stop with
// "Provider produced inconsistent final plan ... This is a bug in the
// provider", for a first upload and for a replacement alike. A planned upload
// now promises no content-derived value: apply uploads the file as it is,
// records what it sent, and the API, the data source, the output and the
// next plan agree.
func TestAccMedia_fileEditedBetweenPlanAndApply(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	file := filepath.Join(t.TempDir(), "logo.png")
	v1, v2, v3, v4 := pngBytes("planned logo"), pngBytes("logo edited after plan -out"),
		pngBytes("second logo, planned"), pngBytes("second logo, edited after plan -out, longer")
	writeMediaFile(t, file, v1)
	uploaded := func(b []byte) []statecheck.StateCheck {
		return []statecheck.StateCheck{
			statecheck.ExpectKnownValue(mediaAddr, tfjsonpath.New("sha256"), knownvalue.StringExact(sha256Hex(b))),
			statecheck.ExpectKnownValue(mediaAddr, tfjsonpath.New("size_bytes"), knownvalue.Int64Exact(int64(len(b)))),
			statecheck.ExpectKnownOutputValueAtPath("uploaded", tfjsonpath.New("same"), knownvalue.Bool(true)),
		}
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				Config: mediaWithNeighbours(e, file),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(mediaAddr, plancheck.ResourceActionCreate),
					editFile{t, file, v2},
				}},
				ConfigStateChecks: uploaded(v2),
				Check:             checkMockMedia(e, 1, v2, "image/png", "logo.png"),
			},
			{
				Config: mediaWithNeighbours(e, file),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
			},
			{
				// A change of content plans a replacement; the file changes
				// again before the saved plan is applied.
				PreConfig: func() { writeMediaFile(t, file, v3) },
				Config:    mediaWithNeighbours(e, file),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(mediaAddr, plancheck.ResourceActionReplace),
					editFile{t, file, v4},
				}},
				ConfigStateChecks: uploaded(v4),
				Check:             checkMockMedia(e, 2, v4, "image/png", "logo.png"),
			},
			{
				Config: mediaWithNeighbours(e, file),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
			},
		},
	})
}

// TestAccMedia_specialFile: file = "/dev/zero", "/dev/urandom" or a FIFO hung
// plan forever. They are refused at plan time, on the file attribute.
func TestAccMedia_specialFile(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	fifo := filepath.Join(t.TempDir(), "pipe.png")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatalf("mkfifo: %v", err)
	}
	var steps []resource.TestStep
	for _, tc := range []struct{ file, kind string }{
		{"/dev/zero", `a\s+character\s+device`},
		{"/dev/urandom", `a\s+character\s+device`},
		{fifo, `a\s+named\s+pipe\s+\(FIFO\)`}, // Terraform wraps the line anywhere
	} {
		steps = append(steps, resource.TestStep{
			Config: mediaWithNeighbours(e, tc.file),
			ExpectError: regexp.MustCompile(`(?s)Media File Is Not a Regular File.*with ezitxt_media.test.*` +
				regexp.QuoteMeta(`"`+tc.file+`"`) + `\s+is\s+` + tc.kind + `,\s+not\s+a\s+regular\s+file`),
		})
	}
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: e.Factories(), Steps: steps})
}

// TestAccMedia_controlCharacterInFileName: a file whose name holds a line
// break or a tab failed at apply, after the plan, because the upload's
// Content-Disposition header cannot carry them. The default filename now
// has "_" for them; the upload, the data source, the output and the next
// plan agree.
func TestAccMedia_controlCharacterInFileName(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	file := filepath.Join(t.TempDir(), "logo\nnew\t.png")
	content := pngBytes("a logo with an odd file name")
	writeMediaFile(t, file, content)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				Config: mediaWithNeighbours(e, file),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(mediaAddr, tfjsonpath.New("filename"), knownvalue.StringExact("logo_new_.png")),
					statecheck.ExpectKnownOutputValueAtPath("uploaded", tfjsonpath.New("same"), knownvalue.Bool(true)),
				},
				Check: checkMockMedia(e, 1, content, "image/png", "logo_new_.png"),
			},
			{
				Config: mediaWithNeighbours(e, file),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
			},
		},
	})
}
