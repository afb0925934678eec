package provider_test

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/acctest"
	"github.com/ezitxt/terraform-provider-ezitxt/internal/mockapi"
)

// uploadedMediaConfig sends an uploaded ezitxt_media as a message and as a
// broadcast, with a data source reading the message back and an output.
func uploadedMediaConfig(e *acctest.Env, file string, destinations ...string) string {
	list := ""
	for _, d := range destinations {
		list += fmt.Sprintf("%q, ", d)
	}
	return e.Config(fmt.Sprintf(`
resource "ezitxt_media" "logo" {
  source = %[1]q
  file   = %[2]q
}

resource "ezitxt_message" "logo" {
  source = %[1]q
  to     = "+6421000001"
  media = {
    type     = "image"
    media_id = ezitxt_media.logo.id
  }
}

resource "ezitxt_broadcast" "logo" {
  source       = %[1]q
  destinations = [%[3]s]
  media = {
    type     = "image"
    media_id = ezitxt_media.logo.id
  }
}

data "ezitxt_message" "logo" {
  id = ezitxt_message.logo.id
}

output "sent" {
  value = {
    type     = data.ezitxt_message.logo.type
    media_id = data.ezitxt_message.logo.attributes.media.id
  }
}`, acctest.Source, file, list))
}

// TestAccMessage_uploadedMedia: a message and a broadcast use an uploaded
// ezitxt_media through media.media_id (before, only a raw payload could, found
// by reading the API reference). When the upload expires (the mock's 30-day
// TTL), the next apply uploads it again under a new ID; before, every message
// naming the old ID in a raw payload was replaced, i.e. sent again. Now the
// new ID is recorded in place with a warning, and nothing is sent; numbers
// added to the broadcast later get the new upload.
func TestAccMessage_uploadedMedia(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	file := filepath.Join(t.TempDir(), "logo.png")
	writeMediaFile(t, file, pngBytes("company logo"))
	var firstID string
	mediaID := func(s *terraform.State) string { return s.RootModule().Resources["ezitxt_media.logo"].Primary.ID }
	sentWith := func(number, id string) resource.TestCheckFunc {
		return func(*terraform.State) error {
			for _, s := range e.Mock.Sends() {
				if s.Destination != number {
					continue
				}
				body := sendBody(t, s)
				raw, _ := body["raw"].(map[string]any)
				if want := fmt.Sprintf(`{"image":{"id":%q},"type":"image"}`, id); s.Type != "raw" || raw["payload"] != want {
					return fmt.Errorf("send to %s: type %s, raw %v; want the raw payload %s", number, s.Type, raw, want)
				}
				return nil
			}
			return fmt.Errorf("no send to %s", number)
		}
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				Config: uploadedMediaConfig(e, file, "+6421000002", "+6421000003"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValueAtPath("sent", tfjsonpath.New("type"), knownvalue.StringExact("image")),
				},
				Check: resource.ComposeTestCheckFunc(
					func(s *terraform.State) error {
						firstID = mediaID(s)
						return resource.TestCheckResourceAttr("ezitxt_message.logo", "media.media_id", firstID)(s)
					},
					resource.TestCheckResourceAttrPair("data.ezitxt_message.logo", "attributes.media.id", "ezitxt_media.logo", "id"),
					func(s *terraform.State) error { return sentWith("+6421000001", firstID)(s) },
					func(s *terraform.State) error { return sentWith("+6421000003", firstID)(s) },
				),
			},
			{
				// 30 days later the upload has expired: refresh drops it,
				// apply uploads it again, and nothing is sent.
				PreConfig: func() { e.Mock.Advance(mockapi.DefaultMediaTTL + time.Hour) },
				Config:    uploadedMediaConfig(e, file, "+6421000002", "+6421000003"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("ezitxt_media.logo", plancheck.ResourceActionCreate),
					plancheck.ExpectResourceAction("ezitxt_message.logo", plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction("ezitxt_broadcast.logo", plancheck.ResourceActionUpdate),
					plancheck.ExpectUnknownValue("ezitxt_message.logo", tfjsonpath.New("media").AtMapKey("media_id")),
				}},
				Check: resource.ComposeTestCheckFunc(
					func(s *terraform.State) error {
						if id := mediaID(s); id == firstID {
							return fmt.Errorf("media id %s did not change: the upload was not renewed", id)
						}
						expectSends(t, e.Mock, 3)
						return nil
					},
					resource.TestCheckResourceAttrPair("ezitxt_message.logo", "media.media_id", "ezitxt_media.logo", "id"),
					resource.TestCheckResourceAttrPair("ezitxt_broadcast.logo", "media.media_id", "ezitxt_media.logo", "id"),
					// The API keeps what was sent.
					func(s *terraform.State) error {
						return resource.TestCheckResourceAttr("data.ezitxt_message.logo", "attributes.media.id", firstID)(s)
					},
				),
			},
			{
				Config: uploadedMediaConfig(e, file, "+6421000002", "+6421000003"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
			},
			{
				// A number added later gets the upload as it is now.
				Config: uploadedMediaConfig(e, file, "+6421000002", "+6421000003", "+6421000004"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("ezitxt_broadcast.logo", plancheck.ResourceActionUpdate),
				}},
				Check: func(s *terraform.State) error {
					expectSends(t, e.Mock, 4)
					return sentWith("+6421000004", mediaID(s))(s)
				},
			},
		},
	})
	expectSends(t, e.Mock, 4)
}

// TestAccMessage_mediaIDValidation: media takes exactly one of url and
// media_id, and a media_id that cannot be one, at plan time on the attribute.
func TestAccMessage_mediaIDValidation(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	cfg := func(media string) string {
		return e.Config(fmt.Sprintf(`
resource "ezitxt_message" "m" {
  source = %q
  to     = "+6421000001"
  media  = %s
}`, acctest.Source, media))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				Config:      cfg(`{ type = "image", url = "https://example.com/a.png", media_id = "abc" }`),
				ExpectError: diagRe("Invalid Media Content", "media must set exactly one of url and media_id, got both", "media_id = ezitxt_media.logo.id"),
			},
			{
				Config:      cfg(`{ type = "image" }`),
				ExpectError: diagRe("Invalid Media Content", "media must set exactly one of url and media_id, got neither"),
			},
			{
				Config:      cfg(`{ type = "image", media_id = "abc/def" }`),
				ExpectError: diagRe("Invalid Media ID", "media.media_id must be the id of an uploaded ezitxt_media", `got: "abc/def"`),
			},
		},
	})
	expectSends(t, e.Mock, 0)
}

// TestAccMessage_uploadedMediaPlanText reads the plan a user reviews after
// an upload expired: the message is updated in place (not "must be
// replaced"), media_id is shown going to "(known after apply)", and a warning
// says that nothing is sent and how to send it again deliberately.
func TestAccMessage_uploadedMediaPlanText(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	cli := e.CLI(t, version.Must(version.NewVersion("1.0.0")))
	file := filepath.Join(t.TempDir(), "logo.png")
	writeMediaFile(t, file, pngBytes("company logo"))
	body := strings.SplitN(uploadedMediaConfig(e, file, "+6421000002"), "\n\n", 2)[1] // without the provider block
	cli.WriteConfig(body)
	cli.MustRun("init")
	cli.MustRun("apply", "-auto-approve")
	e.Mock.Advance(mockapi.DefaultMediaTTL + time.Hour)

	out := cli.MustRun("plan")
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`ezitxt_message\.logo will be updated in-place`),
		regexp.MustCompile(`ezitxt_broadcast\.logo will be updated in-place`),
		regexp.MustCompile(`~ media_id\s+= "[^"]+" -> \(known after apply\)`),
		diagRe("Warning: New Media Upload Is Not Sent", "was already sent with media", "is not sent again",
			"terraform apply -replace=<address of this ezitxt_message>"),
		regexp.MustCompile(`Plan: 1 to add, 2 to change, 0 to destroy`),
	} {
		if !want.MatchString(out) {
			t.Errorf("the plan does not show %s:\n%s", want, out)
		}
	}
	if strings.Contains(out, "must be replaced") {
		t.Errorf("the plan replaces a sent message:\n%s", out)
	}
	cli.MustRun("apply", "-auto-approve")
	expectSends(t, e.Mock, 2)
	cli.MustRun("destroy", "-auto-approve")
	expectSends(t, e.Mock, 2)
}

// TestSendMessageActionProtocol_uploadedMedia: the action takes media_id
// through the shared content model and sends the raw payload naming the
// upload, to one number and to a broadcast.
func TestSendMessageActionProtocol_uploadedMedia(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	p := e.Protocol(t)
	id := uploadDirect(t, e, pngBytes("logo"), "image/png", "logo.png")
	media := map[string]any{"type": "image", "media_id": id}
	for _, cfg := range []map[string]any{
		sendConfig(map[string]any{"text": nil, "media": media}),
		sendConfig(map[string]any{"text": nil, "media": media, "to": nil, "destinations": []string{"+6421000002", "+6421000003"}}),
	} {
		wantNoDiags(t, "ValidateActionConfig", p.ValidateAction(sendMessageType, cfg))
		wantNoDiags(t, "InvokeAction", p.InvokeAction(sendMessageType, cfg).Diagnostics)
	}
	sends := e.Mock.Sends()
	if len(sends) != 3 {
		t.Fatalf("mock recorded %d sends, want 3", len(sends))
	}
	want := fmt.Sprintf(`{"image":{"id":%q},"type":"image"}`, id)
	for _, s := range sends {
		raw, _ := sendBody(t, s)["raw"].(map[string]any)
		if s.Type != "raw" || raw["payload"] != want {
			t.Errorf("send to %s: type %s, raw %v; want the raw payload %s", s.Destination, s.Type, raw, want)
		}
		if m, ok := e.Mock.Message(s.ID); !ok || m.Details.Attributes.Media == nil || m.Details.Attributes.Media.ID != id {
			t.Errorf("message %s on the mock: %+v, want media %s", s.ID, m.Details, id)
		}
	}
}
