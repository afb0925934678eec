package provider_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"math/big"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/acctest"
	"github.com/ezitxt/terraform-provider-ezitxt/internal/client"
	"github.com/ezitxt/terraform-provider-ezitxt/internal/mockapi"
)

const mediaAddr = "ezitxt_media.test"

func mediaFileConfig(e *acctest.Env, file string) string {
	return e.Config(fmt.Sprintf(`
resource "ezitxt_media" "test" {
  source = %q
  file   = %q
}`, acctest.Source, file))
}

func TestAccMedia_file(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "logo.png")
	moved := filepath.Join(dir, "assets", "logo.png")
	v1, v2 := pngBytes("first logo"), pngBytes("second logo, a little longer")
	writeMediaFile(t, file, v1)

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				Config: mediaFileConfig(e, file),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(mediaAddr, plancheck.ResourceActionCreate),
						// Checked and inferred from the name at plan time; what
						// the file holds is recorded by the upload.
						plancheck.ExpectUnknownValue(mediaAddr, tfjsonpath.New("sha256")),
						plancheck.ExpectUnknownValue(mediaAddr, tfjsonpath.New("size_bytes")),
						plancheck.ExpectKnownValue(mediaAddr, tfjsonpath.New("mime_type"), knownvalue.StringExact("image/png")),
						plancheck.ExpectKnownValue(mediaAddr, tfjsonpath.New("filename"), knownvalue.StringExact("logo.png")),
						plancheck.ExpectUnknownValue(mediaAddr, tfjsonpath.New("id")),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(mediaAddr, tfjsonpath.New("id"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue(mediaAddr, tfjsonpath.New("sha256"), knownvalue.StringExact(sha256Hex(v1))),
				},
				Check: checkMockMedia(e, 1, v1, "image/png", "logo.png"),
			},
			{
				Config: mediaFileConfig(e, file),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			{
				ResourceName:      mediaAddr,
				Config:            mediaFileConfig(e, file),
				ImportState:       true,
				ImportStateIdFunc: mediaImportID,
				ImportStateVerify: true,
				// The API returns the bytes and their type, not where they
				// came from nor the name they were uploaded under.
				ImportStateVerifyIgnore: []string{"file", "filename"},
			},
			{
				// Moved with the same name and content: recorded, not uploaded.
				PreConfig: func() { moveMediaFile(t, file, moved) },
				Config:    mediaFileConfig(e, moved),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(mediaAddr, plancheck.ResourceActionUpdate)},
				},
				Check: checkMockMedia(e, 1, v1, "image/png", "logo.png"),
			},
			{
				// New content under the same path: seen at plan time, uploaded again.
				PreConfig: func() { writeMediaFile(t, moved, v2) },
				Config:    mediaFileConfig(e, moved),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(mediaAddr, plancheck.ResourceActionReplace),
						plancheck.ExpectUnknownValue(mediaAddr, tfjsonpath.New("sha256")),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(mediaAddr, tfjsonpath.New("sha256"), knownvalue.StringExact(sha256Hex(v2))),
					statecheck.ExpectKnownValue(mediaAddr, tfjsonpath.New("size_bytes"), knownvalue.Int64Exact(int64(len(v2)))),
				},
				Check: checkMockMedia(e, 2, v2, "image/png", "logo.png"),
			},
			{
				// The upload expires: refresh forgets it and apply uploads again.
				PreConfig: func() { e.Mock.Advance(mockapi.DefaultMediaTTL + time.Hour) },
				Config:    mediaFileConfig(e, moved),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(mediaAddr, plancheck.ResourceActionCreate)},
				},
				Check: checkMockMedia(e, 3, v2, "image/png", "logo.png"),
			},
			{
				Config: mediaFileConfig(e, moved),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
}

func TestAccMedia_contentBase64(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	body := func(text string) string {
		return e.Config(fmt.Sprintf(`
resource "ezitxt_media" "test" {
  source         = %q
  content_base64 = base64encode(%q)
}`, acctest.Source, text))
	}
	v1, v2 := "Release notes\nversion 1\n", "Release notes\nversion 2\n"

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				Config: body(v1),
				ConfigStateChecks: []statecheck.StateCheck{
					// No file name: the type is sniffed from the content.
					statecheck.ExpectKnownValue(mediaAddr, tfjsonpath.New("mime_type"), knownvalue.StringExact("text/plain")),
					statecheck.ExpectKnownValue(mediaAddr, tfjsonpath.New("filename"), knownvalue.StringExact("media.txt")),
					statecheck.ExpectKnownValue(mediaAddr, tfjsonpath.New("sha256"), knownvalue.StringExact(sha256Hex([]byte(v1)))),
					statecheck.ExpectKnownValue(mediaAddr, tfjsonpath.New("size_bytes"), knownvalue.Int64Exact(int64(len(v1)))),
				},
				Check: checkMockMedia(e, 1, []byte(v1), "text/plain", "media.txt"),
			},
			{
				Config: body(v1),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			{
				ResourceName:            mediaAddr,
				Config:                  body(v1),
				ImportState:             true,
				ImportStateIdFunc:       mediaImportID,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"content_base64", "filename"},
			},
			{
				Config: body(v2),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(mediaAddr, plancheck.ResourceActionReplace)},
				},
				Check: checkMockMedia(e, 2, []byte(v2), "text/plain", "media.txt"),
			},
		},
	})
}

// TestAccMedia_explicitTypeAndName uploads a file whose type cannot be
// inferred, under another name.
func TestAccMedia_explicitTypeAndName(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	file := filepath.Join(t.TempDir(), "report.bin")
	content := append([]byte("%PDF-1.7\n"), randomMediaBytes(t, 2048)...)
	writeMediaFile(t, file, content)
	cfg := func(mime string) string {
		return e.Config(fmt.Sprintf(`
resource "ezitxt_media" "test" {
  source    = %q
  file      = %q
  filename  = "Q3 report.pdf"
  mime_type = %q
}`, acctest.Source, file, mime))
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				Config: cfg("application/pdf"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(mediaAddr, tfjsonpath.New("mime_type"), knownvalue.StringExact("application/pdf")),
					statecheck.ExpectKnownValue(mediaAddr, tfjsonpath.New("filename"), knownvalue.StringExact("Q3 report.pdf")),
				},
				Check: checkMockMedia(e, 1, content, "application/pdf", "Q3 report.pdf"),
			},
			{
				Config: cfg("application/pdf"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			{
				// Another type is another upload.
				Config: cfg("text/plain"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(mediaAddr, plancheck.ResourceActionReplace)},
				},
				Check: checkMockMedia(e, 2, content, "text/plain", "Q3 report.pdf"),
			},
		},
	})
}

// TestAccMedia_contentKnownAtApply takes the content from a resource that
// is replaced: the content is unknown at plan time, so the plan replaces the
// upload and Create hashes and infers what the plan could not.
func TestAccMedia_contentKnownAtApply(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	cfg := func(text string) string {
		return e.Config(fmt.Sprintf(`
resource "terraform_data" "notes" {
  input = %q
}

resource "ezitxt_media" "test" {
  source         = %q
  content_base64 = base64encode(terraform_data.notes.output)
}`, text, acctest.Source))
	}
	v1, v2 := "generated notes 1", "generated notes 2"

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				Config: cfg(v1),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectUnknownValue(mediaAddr, tfjsonpath.New("sha256")),
						plancheck.ExpectUnknownValue(mediaAddr, tfjsonpath.New("mime_type")),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(mediaAddr, tfjsonpath.New("sha256"), knownvalue.StringExact(sha256Hex([]byte(v1)))),
					statecheck.ExpectKnownValue(mediaAddr, tfjsonpath.New("mime_type"), knownvalue.StringExact("text/plain")),
					statecheck.ExpectKnownValue(mediaAddr, tfjsonpath.New("filename"), knownvalue.StringExact("media.txt")),
				},
				Check: checkMockMedia(e, 1, []byte(v1), "text/plain", "media.txt"),
			},
			{
				Config: cfg(v1),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			{
				Config: cfg(v2),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(mediaAddr, plancheck.ResourceActionReplace)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(mediaAddr, tfjsonpath.New("sha256"), knownvalue.StringExact(sha256Hex([]byte(v2)))),
				},
				Check: checkMockMedia(e, 2, []byte(v2), "text/plain", "media.txt"),
			},
		},
	})
}

// TestAccMedia_importAdopts imports media uploaded outside Terraform: the
// configuration that matches it is recorded in place, without an upload.
func TestAccMedia_importAdopts(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	content := pngBytes("uploaded by hand")
	file := filepath.Join(t.TempDir(), "banner.png")
	writeMediaFile(t, file, content)
	id := uploadDirect(t, e, content, client.MimeImagePNG, "banner.png")

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				ResourceName:       mediaAddr,
				Config:             mediaFileConfig(e, file),
				ImportState:        true,
				ImportStateId:      acctest.Source + "/" + id,
				ImportStatePersist: true,
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					if len(states) != 1 {
						return fmt.Errorf("imported %d states, want 1", len(states))
					}
					a := states[0].Attributes
					if a["id"] != id || a["sha256"] != sha256Hex(content) || a["mime_type"] != "image/png" || a["size_bytes"] != fmt.Sprint(len(content)) {
						return fmt.Errorf("imported attributes %v", a)
					}
					return nil
				},
			},
			{
				Config: mediaFileConfig(e, file),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(mediaAddr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(mediaAddr, tfjsonpath.New("id"), knownvalue.StringExact(id)),
					statecheck.ExpectKnownValue(mediaAddr, tfjsonpath.New("filename"), knownvalue.StringExact("banner.png")),
				},
				Check: checkMockMedia(e, 1, content, "image/png", "banner.png"),
			},
			{
				Config: mediaFileConfig(e, file),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
}

func TestAccMedia_invalidConfig(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	files := map[string][]byte{
		"logo.png":  pngBytes("logo"),
		"blob.bin":  append([]byte{0, 1, 2, 3, 0xfe, 0xff}, randomMediaBytes(t, 600)...),
		"anim.gif":  append([]byte("GIF89a"), randomMediaBytes(t, 100)...),
		"empty.txt": nil,
	}
	for name, b := range files {
		writeMediaFile(t, filepath.Join(dir, name), b)
	}
	path := func(name string) string { return fmt.Sprintf("%q", filepath.Join(dir, name)) }

	tests := []struct {
		name, body string
		want       *regexp.Regexp
	}{
		{
			name: "file and content_base64",
			body: `file = ` + path("logo.png") + `
  content_base64 = "aGk="`,
			want: errorText(`Exactly one of these attributes must be configured: [file,content_base64]`),
		},
		{
			name: "neither file nor content_base64",
			body: `mime_type = "image/png"`,
			want: errorText(`Exactly one of these attributes must be configured: [file,content_base64]`),
		},
		{
			name: "unknown mime_type",
			body: `file = ` + path("anim.gif") + `
  mime_type = "image/gif"`,
			want: errorText(`Attribute mime_type value must be one of: ["image/png" "image/jpeg" "text/plain" "application/pdf" "audio/mp3" "video/mp4"], got: "image/gif"`),
		},
		{
			name: "type not inferable",
			body: `file = ` + path("blob.bin"),
			want: regexp.MustCompile(`Cannot Infer Media Mime Type(?s:.*)` + errorText(`cannot be told from its name or content`).String() +
				`(?s:.*)` + errorText(`set mime_type`).String()),
		},
		{
			name: "type the API does not take",
			body: `file = ` + path("anim.gif"),
			want: errorText(`looks like image/gif, which the API does not take`),
		},
		{
			name: "missing file",
			body: `file = ` + path("missing.png"),
			want: regexp.MustCompile(`Cannot Read Media File(?s:.*)` + regexp.QuoteMeta(`file = `+path("missing.png"))),
		},
		{
			name: "empty file",
			body: `file = ` + path("empty.txt"),
			want: errorText(`Empty Media File`),
		},
		{
			name: "invalid base64",
			body: `content_base64 = "not base64!"`,
			want: regexp.MustCompile(`Invalid Base64 Content(?s:.*)content_base64 = "not base64!"`),
		},
		{
			name: "bad source",
			body: `file = ` + path("logo.png"),
			want: errorText(`Attribute source must be the WhatsApp Business phone number ID`),
		},
		{
			name: "control character in filename",
			body: `file = ` + path("logo.png") + `
  filename = "logo\n.png"`,
			want: errorText(`Attribute filename must not contain control characters`),
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := acctest.New(t)
			source := acctest.Source
			if tc.name == "bad source" {
				source = "0015550001111"
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: e.Factories(),
				Steps: []resource.TestStep{{
					Config:      e.Config(fmt.Sprintf("resource \"ezitxt_media\" \"test\" {\n  source = %q\n  %s\n}", source, tc.body)),
					ExpectError: tc.want,
				}},
			})
			if n := e.Requests(); n != 0 {
				t.Errorf("an invalid configuration made %d API requests, want none", n)
			}
		})
	}
}

// TestAccMedia_unregisteredSource uploads from a source the account has
// not registered: the API's refusal reaches the user with what to do, and
// nothing is stored.
func TestAccMedia_unregisteredSource(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{{
			Config: e.Config(`
resource "ezitxt_media" "test" {
  source         = "15550009999"
  content_base64 = base64encode("hello")
}`),
			ExpectError: regexp.MustCompile(`Unable to Upload Media(?s:.*)` + errorText(`source 15550009999 is not registered`).String() +
				`(?s:.*)` + errorText(`Nothing was stored in state`).String()),
		}},
	})
	if n := e.Mock.Stats().ByEndpointStatus[mockapi.EndpointUploadMedia][422]; n != 1 {
		t.Errorf("mock refused %d uploads with 422, want 1", n)
	}
}

// TestMediaProtocol_refreshSeesChangedBytes gives Read a state whose hash
// does not match the bytes the API has: refresh records the API's, with a
// warning, and the next plan replaces the upload with the configured file.
func TestMediaProtocol_refreshSeesChangedBytes(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	p := e.Protocol(t)
	ctx := context.Background()
	local := []byte("the configured notes\n")
	onAPI := []byte("other bytes under the same media id\n")
	file := filepath.Join(t.TempDir(), "notes.txt")
	writeMediaFile(t, file, local)
	id := uploadDirect(t, e, onAPI, client.MimeTextPlain, "notes.txt")
	typ := p.Schema.ResourceSchemas["ezitxt_media"].Block.ValueType()

	prior := map[string]any{
		"id": id, "source": acctest.Source, "file": file, "filename": "notes.txt", "mime_type": "text/plain",
		"sha256": sha256Hex(local), "size_bytes": len(local),
	}
	read, err := p.Server.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: "ezitxt_media", CurrentState: protoValue(t, typ, prior)})
	if err != nil || acctest.HasError(read.Diagnostics) {
		t.Fatalf("ReadResource: %v %s", err, acctest.FormatDiagnostics(read.Diagnostics))
	}
	wantWarning(t, read.Diagnostics, "Media Changed on the API", sha256Hex(onAPI))
	refreshed := protoAttrs(t, typ, read.NewState)
	if refreshed["sha256"] != sha256Hex(onAPI) || refreshed["size_bytes"] != fmt.Sprint(len(onAPI)) {
		t.Fatalf("refreshed state %v: want the API's sha256 %s and size %d", refreshed, sha256Hex(onAPI), len(onAPI))
	}

	cfg := protoValue(t, typ, map[string]any{"source": acctest.Source, "file": file})
	proposed := map[string]any{
		"id": id, "source": acctest.Source, "file": file, "filename": "notes.txt", "mime_type": "text/plain",
		"sha256": refreshed["sha256"], "size_bytes": len(onAPI),
	}
	plan, err := p.Server.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
		TypeName: "ezitxt_media", PriorState: read.NewState, Config: cfg, ProposedNewState: protoValue(t, typ, proposed),
	})
	if err != nil || acctest.HasError(plan.Diagnostics) {
		t.Fatalf("PlanResourceChange: %v %s", err, acctest.FormatDiagnostics(plan.Diagnostics))
	}
	if len(plan.RequiresReplace) != 1 || !plan.RequiresReplace[0].Equal(tftypes.NewAttributePath().WithAttributeName("sha256")) {
		t.Errorf("RequiresReplace = %v, want [sha256]", plan.RequiresReplace)
	}
	// The upload records what it sends: the plan promises no hash that an
	// edit of the file before apply would break.
	if planned := protoAttrs(t, typ, plan.PlannedState); planned["sha256"] != "<unknown>" {
		t.Errorf("planned sha256 %s, want unknown until the upload", planned["sha256"])
	}
}

func TestMediaProtocol_destroyWarns(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	p := e.Protocol(t)
	diags := planDestroy(t, p, "ezitxt_media", map[string]any{"id": "media-123", "source": acctest.Source, "file": "logo.png"})
	wantWarning(t, diags, "Destroying Media Does Not Delete It", "media-123")
	if n := e.Requests(); n != 0 {
		t.Errorf("planning a destroy made %d API requests, want none", n)
	}
}

// protoAttrs decodes a protocol value of an object into its attributes'
// string forms (null is "<null>").
func protoAttrs(t *testing.T, typ tftypes.Type, dv *tfprotov6.DynamicValue) map[string]string {
	t.Helper()
	m, err := decodeProtoAttrs(typ, dv)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func decodeProtoAttrs(typ tftypes.Type, dv *tfprotov6.DynamicValue) (map[string]string, error) {
	v, err := dv.Unmarshal(typ)
	if err != nil {
		return nil, fmt.Errorf("unmarshal: %w", err)
	}
	var m map[string]tftypes.Value
	if err := v.As(&m); err != nil {
		return nil, fmt.Errorf("as object: %w", err)
	}
	out := make(map[string]string, len(m))
	for k, av := range m {
		switch {
		case av.IsNull():
			out[k] = "<null>"
		case !av.IsKnown():
			out[k] = "<unknown>"
		case av.Type().Is(tftypes.String):
			var s string
			if err := av.As(&s); err != nil {
				return nil, err
			}
			out[k] = s
		case av.Type().Is(tftypes.Number):
			var n big.Float
			if err := av.As(&n); err != nil {
				return nil, err
			}
			out[k] = n.Text('f', -1)
		default:
			out[k] = av.String()
		}
	}
	return out, nil
}

// checkMockMedia checks that the mock accepted uploads uploads in all, and
// that the media in mediaAddr's state holds content with the given type and
// file name.
func checkMockMedia(e *acctest.Env, uploads int64, content []byte, mime, filename string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		if n := e.Mock.Stats().ByEndpointStatus[mockapi.EndpointUploadMedia][200]; n != uploads {
			return fmt.Errorf("mock accepted %d uploads, want %d", n, uploads)
		}
		r, ok := s.RootModule().Resources[mediaAddr]
		if !ok {
			return fmt.Errorf("%s not in state", mediaAddr)
		}
		for _, m := range e.Mock.Media() {
			if m.ID != r.Primary.ID {
				continue
			}
			if m.SHA256 != sha256Hex(content) || m.Size != int64(len(content)) || m.MimeType != mime || m.Filename != filename {
				return fmt.Errorf("media %s on the mock: %+v; want sha256 %s, %d bytes, %s, %q", m.ID, m, sha256Hex(content), len(content), mime, filename)
			}
			return nil
		}
		return fmt.Errorf("the mock has no media %s", r.Primary.ID)
	}
}

// mediaImportID is the import ID of mediaAddr: <source>/<media_id>.
func mediaImportID(s *terraform.State) (string, error) {
	r, ok := s.RootModule().Resources[mediaAddr]
	if !ok {
		return "", fmt.Errorf("%s not in state", mediaAddr)
	}
	return r.Primary.Attributes["source"] + "/" + r.Primary.ID, nil
}

// uploadDirect uploads content with the API client, as something other than
// Terraform would, and returns the media id.
func uploadDirect(t *testing.T, e *acctest.Env, content []byte, mime client.MediaMimeType, filename string) string {
	t.Helper()
	c, err := client.New(client.Config{BaseURL: e.URL, Username: e.Username, Password: e.Password})
	if err != nil {
		t.Fatal(err)
	}
	id, err := c.UploadMedia(context.Background(), client.MediaUpload{
		Source: acctest.Source, Filename: filename, MimeType: mime, Size: int64(len(content)),
		Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(content)), nil },
	})
	if err != nil {
		t.Fatalf("uploading: %v", err)
	}
	return id
}

// pngBytes returns bytes that start like a PNG file.
func pngBytes(text string) []byte {
	return append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR"), text...)
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func randomMediaBytes(t testing.TB, n int) []byte {
	t.Helper()
	b, err := hex.DecodeString(randomHexString(t, n))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func writeMediaFile(t testing.TB, name string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func moveMediaFile(t testing.TB, from, to string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(to), 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(from, to); err != nil {
		t.Fatal(err)
	}
}
