package provider_test

import (
	"errors"
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/acctest"
	"github.com/ezitxt/terraform-provider-ezitxt/internal/mockapi"
)

const messageAddr = "ezitxt_message.test"

// messageConfig is an ezitxt_message "test" from acctest.Source with body
// (the attributes besides source, HCL).
func messageConfig(e *acctest.Env, body string) string {
	return e.Config(fmt.Sprintf(`
resource "ezitxt_message" "test" {
  source = %q
%s
}`, acctest.Source, body))
}

// uuidRe matches a message ID.
var uuidRe = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

func TestAccMessage_text(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	cfg := messageConfig(e, `
  to   = "+6421000001"
  text = { body = "Deploy finished" }`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(messageAddr, plancheck.ResourceActionCreate),
					plancheck.ExpectUnknownValue(messageAddr, tfjsonpath.New("id")),
					plancheck.ExpectUnknownValue(messageAddr, tfjsonpath.New("status")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(messageAddr, tfjsonpath.New("id"), knownvalue.StringRegexp(uuidRe)),
					statecheck.ExpectKnownValue(messageAddr, tfjsonpath.New("status"), knownvalue.StringExact("accepted")),
					statecheck.ExpectKnownValue(messageAddr, tfjsonpath.New("timestamp"), knownvalue.NotNull()),
				},
			},
			{
				// A second plan (with refresh) sends nothing and changes nothing.
				Config:           cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				// Import by message ID gives the same computed attributes; the
				// inputs are not returned by the API.
				ResourceName:            messageAddr,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"source", "to", "text", "timestamp"},
			},
		},
	})
	expectSends(t, e.Mock, 1)
	s := e.Mock.Sends()[0]
	if s.Destination != "+6421000001" || s.Type != "text" || s.Source != acctest.Source {
		t.Errorf("send = %+v, want a text to +6421000001 from %s", s, acctest.Source)
	}
	if body := sendBody(t, s); fmt.Sprint(body["text"]) != "map[body:Deploy finished]" {
		t.Errorf("text sent = %v", body["text"])
	}
}

// TestAccMessage_contentKnownOnlyAtApply: content objects and lists that come
// from another resource's attribute are unknown at plan; the plan goes
// through (it failed with "Value Conversion Error" before) and apply sends
// each message once, for messages and a broadcast, with a data source and
// outputs reading them, then a plan with no changes. (count, not for_each:
// plugin-testing's state checks do not take for_each addresses.)
func TestAccMessage_contentKnownOnlyAtApply(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	cfg := e.Config(fmt.Sprintf(`
resource "terraform_data" "content" {
  input = {
    text    = { body = "Deploy finished" }
    media   = { type = "image", url = "https://example.com/banner.png" }
    buttons = [{ index = 0, type = "quick_reply", payload = "ack" }]
    params  = ["v1.4.2", "production"]
  }
}

resource "ezitxt_message" "text" {
  source = %[1]q
  to     = "+6421000001"
  text   = terraform_data.content.output.text
}

resource "ezitxt_message" "template" {
  count    = 2
  source   = %[1]q
  to       = format("+642100000%%d", count.index + 2)
  template = {
    name        = "deploy_finished"
    language    = "en_US"
    body_params = terraform_data.content.output.params
    media       = terraform_data.content.output.media
    buttons     = terraform_data.content.output.buttons
  }
}

resource "ezitxt_broadcast" "team" {
  source       = %[1]q
  destinations = ["+6421000004", "+6421000005"]
  template = {
    name        = "deploy_finished"
    language    = "en_US"
    body_params = terraform_data.content.output.params
    buttons     = terraform_data.content.output.buttons
  }
}

data "ezitxt_message" "text" {
  id = ezitxt_message.text.id
}

output "text_type" {
  value = data.ezitxt_message.text.type
}

output "button_payload" {
  value = ezitxt_message.template[1].template.buttons[0].payload
}
`, acctest.Source))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("ezitxt_message.text", plancheck.ResourceActionCreate),
					plancheck.ExpectUnknownValue("ezitxt_message.text", tfjsonpath.New("text")),
					plancheck.ExpectUnknownValue("ezitxt_broadcast.team", tfjsonpath.New("template").AtMapKey("buttons")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("ezitxt_message.text", tfjsonpath.New("text").AtMapKey("body"), knownvalue.StringExact("Deploy finished")),
					statecheck.ExpectKnownOutputValue("button_payload", knownvalue.StringExact("ack")),
					statecheck.ExpectKnownValue("ezitxt_broadcast.team", tfjsonpath.New("accepted_count"), knownvalue.Int64Exact(2)),
					statecheck.ExpectKnownOutputValue("text_type", knownvalue.StringExact("text")),
				},
			},
			{
				Config:           cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
	expectSends(t, e.Mock, 5)
}

func TestAccMessage_media(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{{
			Config: messageConfig(e, `
  to        = "+6421000002"
  reference = "release-42"
  media = {
    type = "document"
    url  = "https://example.com/release-notes.pdf"
  }`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(messageAddr, tfjsonpath.New("status"), knownvalue.StringExact("accepted")),
			},
		}},
	})
	expectSends(t, e.Mock, 1)
	s := e.Mock.Sends()[0]
	body := sendBody(t, s)
	if s.Type != "media" || s.Reference != "release-42" ||
		fmt.Sprint(body["media"]) != "map[type:document url:https://example.com/release-notes.pdf]" {
		t.Errorf("send = %+v, body %v", s, body)
	}
	if m, ok := e.Mock.Message(s.ID); !ok || m.Details.Type != "document" {
		t.Errorf("mock message %s: %+v", s.ID, m.Details)
	}
}

func TestAccMessage_template(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{{
			Config: messageConfig(e, `
  to = "+6421000003"
  template = {
    name          = "deploy_finished"
    language      = "en_US"
    header_params = ["api"]
    body_params   = ["v1.4.2", "production"]
    media         = { type = "image", url = "https://example.com/banner.png" }
    buttons = [
      { index = 0, type = "quick_reply", payload = "ack" },
      { index = 1, type = "url", payload = "deploys/42" },
    ]
  }`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(messageAddr, tfjsonpath.New("template").AtMapKey("buttons").AtSliceIndex(0).AtMapKey("index"),
					knownvalue.Int32Exact(0)),
			},
		}},
	})
	expectSends(t, e.Mock, 1)
	body := sendBody(t, e.Mock.Sends()[0])
	tpl, ok := body["template"].(map[string]any)
	if !ok {
		t.Fatalf("no template in %v", body)
	}
	want := map[string]string{
		"name": "deploy_finished", "language": "en_US", "header_params": "[api]", "body_params": "[v1.4.2 production]",
		"media":   "map[type:image url:https://example.com/banner.png]",
		"buttons": "[map[index:0 payload:ack type:quick_reply] map[index:1 payload:deploys/42 type:url]]",
	}
	for k, v := range want {
		if got := fmt.Sprint(tpl[k]); got != v {
			t.Errorf("template.%s sent = %s, want %s", k, got, v)
		}
	}
}

// TestAccMessage_raw sends a raw payload written with jsonencode, rewrites
// it as a heredoc with other whitespace and key order (an update in place
// that sends nothing), then changes its content (a replacement).
func TestAccMessage_raw(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	encoded := messageConfig(e, `
  to = "+6421000004"
  raw = {
    version = "v19.0"
    payload = jsonencode({
      type        = "interactive"
      interactive = { type = "button", body = { text = "Approve the deploy?" } }
    })
  }`)
	heredoc := messageConfig(e, `
  to = "+6421000004"
  raw = {
    version = "v19.0"
    payload = <<-EOT
      {
        "type": "interactive",
        "interactive": {
          "type": "button",
          "body": { "text": "Approve the deploy?" }
        }
      }
    EOT
  }`)
	changed := messageConfig(e, `
  to = "+6421000004"
  raw = {
    version = "v19.0"
    payload = jsonencode({
      type        = "interactive"
      interactive = { type = "button", body = { text = "Approve the rollback?" } }
    })
  }`)
	ids := statecheck.CompareValue(compare.ValuesSame())
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				Config:            encoded,
				ConfigStateChecks: []statecheck.StateCheck{ids.AddStateValue(messageAddr, tfjsonpath.New("id"))},
			},
			{
				Config: heredoc,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(messageAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{ids.AddStateValue(messageAddr, tfjsonpath.New("id"))},
			},
			{
				Config:           heredoc,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				Config: changed,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(messageAddr, plancheck.ResourceActionReplace),
					expectReplacedPaths(messageAddr, "raw"),
				}},
			},
		},
	})
	expectSends(t, e.Mock, 2)
	body := sendBody(t, e.Mock.Sends()[0])
	raw, _ := body["raw"].(map[string]any)
	if raw["version"] != "v19.0" || raw["payload"] != `{"interactive":{"body":{"text":"Approve the deploy?"},"type":"button"},"type":"interactive"}` {
		t.Errorf("raw sent = %v", raw)
	}
}

// TestAccMessage_scheduled schedules a message, then writes the same
// instant with another offset: an update in place that sends nothing.
func TestAccMessage_scheduled(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	at := time.Now().Add(2 * time.Hour).Truncate(time.Second)
	cfg := func(s string) string {
		return messageConfig(e, fmt.Sprintf(`
  to        = "+6421000005"
  text      = { body = "Maintenance starts in one hour" }
  scheduled = %q`, s))
	}
	utc := at.UTC().Format(time.RFC3339)
	nz := at.In(time.FixedZone("NZDT", 13*3600)).Format(time.RFC3339)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				Config: cfg(utc),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(messageAddr, tfjsonpath.New("scheduled"), knownvalue.StringExact(utc)),
					statecheck.ExpectKnownValue(messageAddr, tfjsonpath.New("status"), knownvalue.StringExact("accepted")),
				},
			},
			{
				Config: cfg(nz),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(messageAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(messageAddr, tfjsonpath.New("scheduled"), knownvalue.StringExact(nz)),
				},
			},
			{
				// An hour later the schedule is still accepted by the mock clock.
				PreConfig: func() { e.Mock.Advance(time.Hour) },
				Config:    cfg(nz),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
			},
		},
	})
	expectSends(t, e.Mock, 1)
	if s := e.Mock.Sends()[0]; !s.Scheduled.Equal(at) {
		t.Errorf("scheduled sent = %s, want %s", s.Scheduled, at)
	}
}

// TestAccMessage_scheduleOutOfRange: a schedule in the past or more than 60
// days ahead fails the plan on the scheduled attribute, and nothing reaches
// the API.
func TestAccMessage_scheduleOutOfRange(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	cfg := func(at time.Time) string {
		return messageConfig(e, fmt.Sprintf(`
  to        = "+6421000006"
  text      = { body = "Hello" }
  scheduled = %q`, at.UTC().Format(time.RFC3339)))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				Config:      cfg(time.Now().Add(-time.Hour)),
				ExpectError: diagRe("Error: Scheduled Time In The Past", `scheduled = "`, "Attribute scheduled:", "is not in the future", "Set a later time"),
			},
			{
				Config:      cfg(time.Now().Add(61 * 24 * time.Hour)),
				ExpectError: diagRe("Error: Scheduled Time Too Far Ahead", `scheduled = "`, "more than 60 days ahead", "choose an earlier time"),
			},
		},
	})
	if n := e.Requests(); n != 0 {
		t.Errorf("%d requests reached the mock, want 0", n)
	}
}

// TestAccMessage_invalidConfig: each rule of the reference is checked at
// plan time, on the attribute concerned, before any request.
func TestAccMessage_invalidConfig(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	steps := []struct{ body, err string }{
		{`to = "+6421000007"`, "Missing Message Content|Set exactly one of text, media, template or raw"},
		{`to = "+6421000007"
  text  = { body = "a" }
  media = { type = "image", url = "https://example.com/a.png" }`, `Conflicting Message Content|media = {|Keep one and remove the others`},
		{`to = "6421000007"
  text = { body = "a" }`, `Invalid Attribute Value Match|to = "6421000007"|E.164`},
		{`to = "+6421000007"
  text = { body = "" }`, `Invalid Attribute Value Length|Attribute text.body string length must be at least 1`},
		{`to = "+6421000007"
  media = { type = "sticker", url = "https://example.com/a.png" }`, `Invalid Attribute Value Match|media.type|value must be one of`},
		{`to = "+6421000007"
  media = { type = "image", url = "example.com/a.png" }`, `Invalid URL|media.url`},
		{`to = "+6421000007"
  template = { name = "t", language = "en", media = { url = "/relative.png" } }`, `Invalid URL|template.media.url`},
		{`to = "+6421000007"
  raw = { payload = "{not json" }`, `Invalid JSON Payload|Attribute raw.payload must be JSON text|invalid character`},
		{`to = "+6421000007"
  text      = { body = "a" }
  scheduled = "tomorrow"`, `Invalid Scheduled Time|scheduled = "tomorrow"`},
		{`to = "+6421000007"
  text            = { body = "a" }
  wait_for_status = "delivered"`, `Invalid Attribute Value Match|wait_for_status|value must be one of`},
	}
	var ts []resource.TestStep
	for _, s := range steps {
		ts = append(ts, resource.TestStep{Config: messageConfig(e, s.body), ExpectError: diagRe(splitBar(s.err)...)})
	}
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: e.Factories(), Steps: ts})
	if n := e.Requests(); n != 0 {
		t.Errorf("%d requests reached the mock, want 0", n)
	}
}

// splitBar splits "a|b" into its parts, for diagRe.
func splitBar(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '|' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// TestAccMessage_waitForRead waits, on a mock clock running 1000 times
// faster than real time, until the message is read.
func TestAccMessage_waitForRead(t *testing.T) {
	t.Parallel()
	e := acctest.New(t, fastClock)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{{
			Config: messageConfig(e, `
  to              = "+6421000008"
  text            = { body = "Please confirm" }
  wait_for_status = "read"
  wait_timeout    = "1m"`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(messageAddr, tfjsonpath.New("status"), knownvalue.StringExact("read")),
			},
		}},
	})
	expectSends(t, e.Mock, 1)
}

// TestAccMessage_waitFailed: a number whose message ends failed makes the
// apply fail, keeps the message ID in state and taints the resource, so the
// next plan replaces it (and says why).
func TestAccMessage_waitFailed(t *testing.T) {
	t.Parallel()
	e := acctest.New(t, fastClock)
	cfg := messageConfig(e, fmt.Sprintf(`
  to              = %q
  text            = { body = "Please confirm" }
  wait_for_status = "read"`, mockapi.NumberFails))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				Config:      cfg,
				ExpectError: diagRe("Error: Message Delivery Failed", `ended with status "failed" while waiting for "read"`, "marked tainted"),
			},
			{
				Config:             cfg,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPreRefresh: []plancheck.PlanCheck{
					expectTaintedReplace(messageAddr, func(before map[string]any) error {
						sends := e.Mock.Sends()
						if len(sends) != 1 || before["id"] != sends[0].ID || before["status"] != "failed" {
							return fmt.Errorf("prior state id=%v status=%v, want the sent message %v, failed", before["id"], before["status"], sends)
						}
						return nil
					}),
				}},
			},
		},
	})
	expectSends(t, e.Mock, 1)
}

// TestAccMessage_import adopts a message sent outside Terraform: the plan
// after import updates in place and nothing is sent.
func TestAccMessage_import(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	id := sendText(t, e, "+6421000009", "Sent by hand")
	cfg := messageConfig(e, `
  to   = "+6421000009"
  text = { body = "Sent by hand" }`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				Config:      cfg,
				ImportState: true, ResourceName: messageAddr, ImportStateId: "3fa85f64-5717-4562-b3fc-2c963f66afa6",
				ExpectError: diagRe("Cannot Import Message", "knows no message 3fa85f64-5717-4562-b3fc-2c963f66afa6"),
			},
			{
				Config:      cfg,
				ImportState: true, ResourceName: messageAddr, ImportStateId: "not-a-uuid",
				ExpectError: diagRe("Invalid Import ID", "UUID"),
			},
			{
				Config:             cfg,
				ImportState:        true,
				ResourceName:       messageAddr,
				ImportStateId:      id,
				ImportStatePersist: true,
				ImportStateCheck: func(s []*terraform.InstanceState) error {
					if len(s) != 1 || s[0].ID != id || s[0].Attributes["status"] != "accepted" {
						return errors.New("imported state lacks the message's id or status")
					}
					return nil
				},
			},
			{
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(messageAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(messageAddr, tfjsonpath.New("id"), knownvalue.StringExact(id)),
					statecheck.ExpectKnownValue(messageAddr, tfjsonpath.New("to"), knownvalue.StringExact("+6421000009")),
				},
			},
			{
				// Once adopted, a change of input is a new send again.
				Config: messageConfig(e, `
  to   = "+6421000009"
  text = { body = "Sent by Terraform" }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(messageAddr, plancheck.ResourceActionReplace),
				}},
			},
		},
	})
	expectSends(t, e.Mock, 2)
}

// TestAccMessage_replaceOnEveryInput: each input of a sent message plans a
// replacement forced by that input; wait_for_status and wait_timeout update in
// place.
func TestAccMessage_replaceOnEveryInput(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	const other = "15550002222"
	if err := e.Mock.RegisterSource(e.Username, other, "waba-2"); err != nil {
		t.Fatal(err)
	}
	later := time.Now().Add(3 * time.Hour).UTC().Format(time.RFC3339)
	cfg := func(source, body string) string {
		return e.Config(fmt.Sprintf(`
resource "ezitxt_message" "test" {
  source = %q
%s
}`, source, body))
	}
	replace := func(c string, attrs ...string) resource.TestStep {
		return resource.TestStep{Config: c, ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
			plancheck.ExpectResourceAction(messageAddr, plancheck.ResourceActionReplace),
			expectReplacedPaths(messageAddr, attrs...),
		}}}
	}
	update := func(c string) resource.TestStep {
		return resource.TestStep{Config: c, ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
			plancheck.ExpectResourceAction(messageAddr, plancheck.ResourceActionUpdate),
		}}}
	}
	const text = `
  to   = "+6421000010"
  text = { body = "one" }`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{Config: cfg(acctest.Source, text)},
			replace(cfg(other, text), "source"),
			replace(cfg(other, `
  to   = "+6421000011"
  text = { body = "one" }`), "to"),
			replace(cfg(other, `
  to   = "+6421000011"
  text = { body = "two" }`), "text"),
			replace(cfg(other, `
  to    = "+6421000011"
  media = { type = "image", url = "https://example.com/a.png" }`), "text", "media"),
			replace(cfg(other, `
  to       = "+6421000011"
  template = { name = "hello", language = "en" }`), "media", "template"),
			replace(cfg(other, `
  to       = "+6421000011"
  template = { name = "hello", language = "en", buttons = [{ index = 0, payload = "x" }] }`), "template"),
			replace(cfg(other, `
  to  = "+6421000011"
  raw = { payload = jsonencode({ type = "text", text = { body = "raw" } }) }`), "template", "raw"),
			replace(cfg(other, `
  to  = "+6421000011"
  raw = { version = "v20.0", payload = jsonencode({ type = "text", text = { body = "raw" } }) }`), "raw"),
			replace(cfg(other, fmt.Sprintf(`
  to        = "+6421000011"
  raw       = { version = "v20.0", payload = jsonencode({ type = "text", text = { body = "raw" } }) }
  scheduled = %q`, later)), "scheduled"),
			replace(cfg(other, fmt.Sprintf(`
  to        = "+6421000011"
  raw       = { version = "v20.0", payload = jsonencode({ type = "text", text = { body = "raw" } }) }
  scheduled = %q
  reference = "ref-1"`, later)), "reference"),
			update(cfg(other, fmt.Sprintf(`
  to              = "+6421000011"
  raw             = { version = "v20.0", payload = jsonencode({ type = "text", text = { body = "raw" } }) }
  scheduled       = %q
  reference       = "ref-1"
  wait_for_status = "accepted"
  wait_timeout    = "2m"`, later))),
		},
	})
	// One send for the first step and one per replacement; none for the update.
	expectSends(t, e.Mock, 11)
}

// TestAccMessage_forgotten: when the API no longer knows a message, refresh
// keeps it in state (with a warning) and nothing is sent again.
func TestAccMessage_forgotten(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	cfg := messageConfig(e, `
  to   = "+6421000012"
  text = { body = "Deploy finished" }`)
	ids := statecheck.CompareValue(compare.ValuesSame())
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				Config:            cfg,
				ConfigStateChecks: []statecheck.StateCheck{ids.AddStateValue(messageAddr, tfjsonpath.New("id"))},
			},
			{
				// Reset forgets every message (and the send counters).
				PreConfig: e.Mock.Reset,
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					ids.AddStateValue(messageAddr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(messageAddr, tfjsonpath.New("status"), knownvalue.StringExact("accepted")),
				},
			},
		},
	})
	st := e.Mock.Stats()
	if st.Sends != 0 || st.ByEndpoint[mockapi.EndpointGetMessage] == 0 {
		t.Errorf("after the API forgot the message: %d sends (want 0), %d reads (want some)", st.Sends, st.ByEndpoint[mockapi.EndpointGetMessage])
	}
}

// TestAccMessage_droppedSend: the connection drops after the mock accepted
// the send. The provider cannot know whether it was sent, so it records the
// message with status unknown and no ID, and never sends it again by itself.
func TestAccMessage_droppedSend(t *testing.T) {
	t.Parallel()
	e := acctest.New(t, func(o *mockapi.Options) {
		o.Faults = mockapi.Faults{Seed: 1, DropAfterRate: 1, Endpoints: []mockapi.Endpoint{mockapi.EndpointSendMessage}}
	})
	cfg := messageConfig(e, `
  to   = "+6421000013"
  text = { body = "Deploy finished" }`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(messageAddr, tfjsonpath.New("status"), knownvalue.StringExact("unknown")),
					statecheck.ExpectKnownValue(messageAddr, tfjsonpath.New("id"), knownvalue.StringExact("")),
				},
			},
			{
				// The faults are gone; the next apply still sends nothing.
				PreConfig: func() { _ = e.Mock.SetFaults(mockapi.Faults{}) },
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
			},
		},
	})
	expectSends(t, e.Mock, 1)
	st := e.Mock.Stats()
	if st.Faults[mockapi.FaultDropAfter] != 1 || st.ByEndpoint[mockapi.EndpointSendMessage] != 1 {
		t.Errorf("send requests = %d, drop_after faults = %d; want 1 and 1 (no retry)",
			st.ByEndpoint[mockapi.EndpointSendMessage], st.Faults[mockapi.FaultDropAfter])
	}
}
