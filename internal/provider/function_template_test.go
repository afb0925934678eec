package provider_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/acctest"
	"github.com/ezitxt/terraform-provider-ezitxt/internal/mockapi"
)

// orderShipped is the definition of issue 17's example.
func orderShipped() map[string]any {
	return map[string]any{"name": "order_shipped", "language": "en_US", "body": "Hi {{1}}, order {{2}} has shipped."}
}

// fullTemplate has every part: a text header, a footer and all button kinds.
func fullTemplate() map[string]any {
	return map[string]any{
		"name": "delivery_update", "language": "pt_BR",
		"header": map[string]any{"text": "Pedido {{1}}"},
		"body":   "Olá {{1}}, seu pedido {{2}} chega {{3}}.",
		"footer": "Responda SAIR para cancelar",
		"buttons": []any{
			map[string]any{"type": "quick_reply", "text": "Obrigado"},
			map[string]any{"type": "url", "text": "Rastrear", "url": "https://example.com/t/{{1}}"},
			map[string]any{"type": "phone_number", "text": "Ligar"},
		},
	}
}

func TestFunctionTemplate(t *testing.T) {
	got, ferr := callFunction(t, "template", orderShipped(), map[string]any{"body": []any{"Ana", "A-17"}})
	if ferr != nil {
		t.Fatal(ferr.Text)
	}
	want := map[string]any{
		"name": "order_shipped", "language": "en_US", "body_params": []any{"Ana", "A-17"},
		"header_params": nil, "media": nil, "buttons": nil,
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %#v\nwant %#v", got, want)
	}

	// Unicode values pass through unchanged; numbers are taken as text.
	got, ferr = callFunction(t, "template", fullTemplate(), map[string]any{
		"header":  []any{"Nº 17 🚚"},
		"body":    []any{"Zoë 明", 1017, "amanhã"},
		"buttons": []any{"obrigado-17", "Ａ/17", nil},
	})
	if ferr != nil {
		t.Fatal(ferr.Text)
	}
	want = map[string]any{
		"name": "delivery_update", "language": "pt_BR",
		"header_params": []any{"Nº 17 🚚"}, "body_params": []any{"Zoë 明", "1017", "amanhã"}, "media": nil,
		"buttons": []any{
			map[string]any{"index": 0.0, "type": "quick_reply", "payload": "obrigado-17"},
			map[string]any{"index": 1.0, "type": "url", "payload": "Ａ/17"},
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %#v\nwant %#v", got, want)
	}

	// A media header takes the URL; a template without placeholders takes null or {}.
	doc := map[string]any{"name": "invoice", "language": "en", "header": map[string]any{"format": "document"}, "body": "Your invoice is attached."}
	got, ferr = callFunction(t, "template", doc, map[string]any{"header_media_url": "https://example.com/invoice.pdf"})
	if ferr != nil {
		t.Fatal(ferr.Text)
	}
	if m, _ := got.(map[string]any)["media"].(map[string]any); !reflect.DeepEqual(m, map[string]any{"type": "document", "url": "https://example.com/invoice.pdf"}) {
		t.Fatalf("media: %#v", got)
	}
	plain := map[string]any{"name": "hello_world", "language": "en_US", "body": "Hello World"}
	for _, vals := range []any{nil, map[string]any{}} {
		got, ferr = callFunction(t, "template", plain, vals)
		if m, ok := got.(map[string]any); ferr != nil || !ok || m["body_params"] != nil {
			t.Fatalf("template(hello_world, %v) = %#v, %v", vals, got, ferr)
		}
	}
}

func TestFunctionTemplate_mismatch(t *testing.T) {
	fullValues := func() map[string]any {
		return map[string]any{"header": []any{"17"}, "body": []any{"a", "b", "c"}, "buttons": []any{nil, "A-17"}}
	}
	for name, tc := range map[string]struct {
		def       map[string]any
		values    func() map[string]any
		fragments []string
	}{
		"issue example": {orderShipped(), func() map[string]any { return map[string]any{"body": []any{"Ana"}} },
			[]string{`values do not fit the template "order_shipped" (en_US)`, "body has 2 placeholders ({{1}}..{{2}}); values.body has 1"}},
		"body missing": {orderShipped(), func() map[string]any { return map[string]any{} },
			[]string{"body has 2 placeholders ({{1}}..{{2}}); values.body has 0"}},
		"body too many": {fullTemplate(), func() map[string]any { v := fullValues(); v["body"] = []any{"a", "b", "c", "d"}; return v },
			[]string{"body has 3 placeholders ({{1}}..{{3}}); values.body has 4"}},
		"header count": {fullTemplate(), func() map[string]any { v := fullValues(); delete(v, "header"); return v },
			[]string{"header has 1 placeholder ({{1}}); values.header has 0"}},
		"header on plain template": {orderShipped(), func() map[string]any { return map[string]any{"body": []any{"a", "b"}, "header": []any{"x"}} },
			[]string{"the template has no header; values.header has 1"}},
		"media header without url": {map[string]any{"name": "promo", "language": "en", "header": map[string]any{"format": "image"}, "body": "Sale"},
			func() map[string]any { return nil }, []string{"the header is an image; values.header_media_url is not set"}},
		"media url not absolute": {map[string]any{"name": "promo", "language": "en", "header": map[string]any{"format": "video"}, "body": "Sale"},
			func() map[string]any { return map[string]any{"header_media_url": "promo.mp4"} }, []string{`values.header_media_url is "promo.mp4"`}},
		"url suffix missing": {fullTemplate(), func() map[string]any { v := fullValues(); v["buttons"] = []any{"thanks"}; return v },
			[]string{`buttons[1] ("Rastrear") is a url button whose URL ends in {{1}}; values.buttons[1] is not set: give the URL suffix`}},
		"phone button value": {fullTemplate(), func() map[string]any { v := fullValues(); v["buttons"] = []any{nil, "A", "+1"}; return v },
			[]string{"values.buttons[2]", "phone_number button, which takes no value"}},
		"too many buttons": {fullTemplate(), func() map[string]any { v := fullValues(); v["buttons"] = []any{nil, "A", nil, "x"}; return v },
			[]string{"the template has 3 buttons; values.buttons has 4 entries"}},
		"null body value": {orderShipped(), func() map[string]any { return map[string]any{"body": []any{"a", nil}} },
			[]string{"values.body[1] is null"}},
		"typo in values": {orderShipped(), func() map[string]any { return map[string]any{"bdy": []any{"a", "b"}} },
			[]string{"values has bdy, which it cannot have"}},
		"values not an object": {orderShipped(), func() map[string]any { return map[string]any{"body": "Ana"} },
			[]string{"values.body must be a list, not a string"}},
	} {
		t.Run(name, func(t *testing.T) {
			for _, fn := range []string{"template", "template_preview"} {
				var vals any
				if v := tc.values(); v != nil {
					vals = v
				}
				got, ferr := callFunction(t, fn, tc.def, vals)
				if got != nil {
					t.Fatalf("%s = %#v, want an error", fn, got)
				}
				wantFuncError(t, ferr, 1, tc.fragments...)
			}
		})
	}
}

func TestFunctionTemplate_definitionErrors(t *testing.T) {
	with := func(change func(map[string]any)) map[string]any {
		d := fullTemplate()
		change(d)
		return d
	}
	for name, tc := range map[string]struct {
		def       any
		fragments []string
	}{
		"null":            {nil, []string{"definition is null"}},
		"not an object":   {"order_shipped", []string{"definition must be an object, not a string"}},
		"no name":         {with(func(d map[string]any) { delete(d, "name") }), []string{"definition.name is required"}},
		"empty language":  {with(func(d map[string]any) { d["language"] = "" }), []string{"definition.language is empty"}},
		"no body":         {with(func(d map[string]any) { delete(d, "body") }), []string{"definition.body is required"}},
		"gap":             {with(func(d map[string]any) { d["body"] = "{{1}} and {{3}}" }), []string{"definition.body has placeholders up to {{3}} but not {{2}}: number them from {{1}} without gaps"}},
		"start at 2":      {with(func(d map[string]any) { d["body"] = "Hi {{2}}" }), []string{"but not {{1}}"}},
		"named":           {with(func(d map[string]any) { d["body"] = "Hi {{first_name}}" }), []string{"the placeholder {{first_name}}"}},
		"header gap":      {with(func(d map[string]any) { d["header"] = map[string]any{"text": "{{2}}"} }), []string{"definition.header.text has placeholders up to {{2}}"}},
		"header format":   {with(func(d map[string]any) { d["header"] = map[string]any{"format": "sticker"} }), []string{`definition.header.format is "sticker"`}},
		"footer variable": {with(func(d map[string]any) { d["footer"] = "Hi {{1}}" }), []string{"definition.footer has a placeholder"}},
		"button type":     {with(func(d map[string]any) { d["buttons"] = []any{map[string]any{"type": "otp", "text": "x"}} }), []string{`definition.buttons[0].type is "otp"`}},
		"url middle": {with(func(d map[string]any) {
			d["buttons"] = []any{map[string]any{"type": "url", "text": "x", "url": "https://x.example/{{1}}/y"}}
		}), []string{"one placeholder, {{1}}, and only at its end"}},
		"typo":        {with(func(d map[string]any) { d["bodytext"] = "x" }), []string{"definition has bodytext, which it cannot have"}},
		"number name": {with(func(d map[string]any) { d["name"] = 7 }), []string{"definition.name must be a string, not a number"}},
	} {
		t.Run(name, func(t *testing.T) {
			got, ferr := callFunction(t, "template", tc.def, map[string]any{})
			if got != nil {
				t.Fatalf("got %#v, want an error", got)
			}
			wantFuncError(t, ferr, 0, tc.fragments...)
		})
	}
}

func TestFunctionTemplate_unknownValues(t *testing.T) {
	// A value known only after apply: the counts are still checked at plan
	// time, and only what is made from that value is unknown in the result
	// (so that the template attribute is a known object with an unknown
	// parameter, as the resources' models take it).
	got, ferr := callFunction(t, "template", orderShipped(), map[string]any{"body": []any{"Ana", unknown{}}})
	want := map[string]any{"name": "order_shipped", "language": "en_US", "body_params": []any{"Ana", "(unknown)"},
		"header_params": nil, "media": nil, "buttons": nil}
	if ferr != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("got %#v, %v; want %#v", got, ferr, want)
	}
	_, ferr = callFunction(t, "template", orderShipped(), map[string]any{"body": []any{unknown{}}})
	wantFuncError(t, ferr, 1, "body has 2 placeholders ({{1}}..{{2}}); values.body has 1")
	got, ferr = callFunction(t, "template_preview", fullTemplate(),
		map[string]any{"header": []any{"17"}, "body": []any{unknown{}, "A-17", "x"}, "buttons": []any{nil, unknown{}}})
	wantPreview := map[string]any{"header": "Pedido 17", "body": "(unknown)", "footer": "Responda SAIR para cancelar", "buttons": []any{
		map[string]any{"type": "quick_reply", "text": "Obrigado", "url": nil},
		map[string]any{"type": "url", "text": "Rastrear", "url": "(unknown)"},
		map[string]any{"type": "phone_number", "text": "Ligar", "url": nil},
	}}
	if ferr != nil || !reflect.DeepEqual(got, wantPreview) {
		t.Fatalf("preview: got %#v, %v; want %#v", got, ferr, wantPreview)
	}
	image := map[string]any{"name": "n", "language": "en", "header": map[string]any{"format": "image"}, "body": "b"}
	got, ferr = callFunction(t, "template", image, map[string]any{"header_media_url": unknown{}})
	if m, ok := got.(map[string]any); ferr != nil || !ok || !reflect.DeepEqual(m["media"], map[string]any{"type": "image", "url": "(unknown)"}) {
		t.Fatalf("unknown media URL: got %#v, %v", got, ferr)
	}

	// What cannot be counted yet is not checked yet: an unknown list, an
	// unknown values or definition argument, a definition text not known.
	unknownList := tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, tftypes.UnknownValue)
	unknownAll := tftypes.NewValue(tftypes.DynamicPseudoType, tftypes.UnknownValue)
	for name, args := range map[string][2]any{
		"values.body":     {orderShipped(), map[string]any{"body": unknownList}},
		"values":          {orderShipped(), unknownAll},
		"definition":      {unknownAll, map[string]any{"body": []any{"Ana"}}},
		"definition.body": {map[string]any{"name": "n", "language": "en", "body": unknown{}}, map[string]any{"body": []any{"Ana"}}},
	} {
		for _, fn := range []string{"template", "template_preview"} {
			if got, ferr := callFunction(t, fn, args[0], args[1]); ferr != nil || got != "(unknown)" {
				t.Errorf("%s with unknown %s: got %#v, %v; want an unknown result", fn, name, got, ferr)
			}
		}
	}
	// Known parts are still checked next to unknown ones.
	_, ferr = callFunction(t, "template", orderShipped(), map[string]any{"body": []any{"Ana"}, "header": unknownList})
	wantFuncError(t, ferr, 1, "values.body has 1")
}

func TestFunctionTemplatePreview(t *testing.T) {
	got, ferr := callFunction(t, "template_preview", orderShipped(), map[string]any{"body": []any{"Ana", "A-17"}})
	if ferr != nil {
		t.Fatal(ferr.Text)
	}
	want := map[string]any{"header": nil, "body": "Hi Ana, order A-17 has shipped.", "footer": nil, "buttons": []any{}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %#v\nwant %#v", got, want)
	}

	got, ferr = callFunction(t, "template_preview", fullTemplate(), map[string]any{
		"header":  []any{"Nº 17 🚚"},
		"body":    []any{"Zoë 明", "{{2}}", "amanhã"},
		"buttons": []any{nil, "Ａ/17"},
	})
	if ferr != nil {
		t.Fatal(ferr.Text)
	}
	want = map[string]any{
		"header": "Pedido Nº 17 🚚",
		// A value that looks like a placeholder is shown as given, not filled again.
		"body":   "Olá Zoë 明, seu pedido {{2}} chega amanhã.",
		"footer": "Responda SAIR para cancelar",
		"buttons": []any{
			map[string]any{"type": "quick_reply", "text": "Obrigado", "url": nil},
			map[string]any{"type": "url", "text": "Rastrear", "url": "https://example.com/t/Ａ/17"},
			map[string]any{"type": "phone_number", "text": "Ligar", "url": nil},
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %#v\nwant %#v", got, want)
	}

	// A media header shows no header text.
	got, ferr = callFunction(t, "template_preview",
		map[string]any{"name": "promo", "language": "en", "header": map[string]any{"format": "image"}, "body": "Sale {{1}}"},
		map[string]any{"body": []any{"today"}, "header_media_url": "https://example.com/p.png"})
	if m, ok := got.(map[string]any); ferr != nil || !ok || m["header"] != nil || m["body"] != "Sale today" {
		t.Fatalf("media header preview: %#v, %v", got, ferr)
	}
}

// orderShippedHCL is issue 17's template, declared in locals, with a text
// header and a URL button whose URL ends in {{1}}.
const orderShippedHCL = `
locals {
  order_shipped = {
    name     = "order_shipped"
    language = "en_US"
    header   = { text = "Order {{1}}" }
    body     = "Hi {{1}}, order {{2}} has shipped."
    footer   = "Reply STOP to opt out"
    buttons = [
      { type = "quick_reply", text = "Thanks" },
      { type = "url", text = "Track", url = "https://shop.example.com/track/{{1}}" },
    ]
  }
}
`

// declaredOrderShipped is the same template as the mock's -templates file has it.
func declaredOrderShipped(t *testing.T) acctest.Option {
	t.Helper()
	defs, err := mockapi.ParseTemplates([]byte(`[{"name": "order_shipped", "language": "en_US",
	  "header": {"text": "Order {{1}}"}, "body": "Hi {{1}}, order {{2}} has shipped.", "footer": "Reply STOP to opt out",
	  "buttons": [{"type": "quick_reply", "text": "Thanks"}, {"type": "url", "text": "Track", "url": "https://shop.example.com/track/{{1}}"}]}]`))
	if err != nil {
		t.Fatal(err)
	}
	return func(o *mockapi.Options) { o.Templates = defs }
}

// TestAccFunctionTemplate_planMismatch: values that do not fit the declared
// template fail the plan, naming the part and both counts, and nothing
// reaches the mock; for a message, a broadcast and an output alike.
func TestAccFunctionTemplate_planMismatch(t *testing.T) {
	t.Parallel()
	e := acctest.New(t, declaredOrderShipped(t))
	issue := `
locals {
  t = { name = "order_shipped", language = "en_US", body = "Hi {{1}}, order {{2}} has shipped." }
}
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.Factories(),
		TerraformVersionChecks:   functionsCLI,
		Steps: []resource.TestStep{
			{
				Config: e.Config(issue + fmt.Sprintf(`
resource "ezitxt_message" "test" {
  source   = %q
  to       = "+6421000001"
  template = provider::ezitxt::template(local.t, { body = ["Ana"] })
}`, acctest.Source)),
				ExpectError: diagRe(`values do not fit the template "order_shipped" (en_US):`,
					"body has 2 placeholders ({{1}}..{{2}}); values.body has 1"),
			},
			{
				Config: e.Config(orderShippedHCL + fmt.Sprintf(`
resource "ezitxt_broadcast" "test" {
  source       = %q
  destinations = ["+6421000001", "+6421000002"]
  template     = provider::ezitxt::template(local.order_shipped, { header = ["A-17"], body = ["Ana", "A-17"] })
}`, acctest.Source)),
				ExpectError: diagRe(`buttons[1] ("Track") is a url button whose URL ends in {{1}}; values.buttons[1] is not set: give the URL suffix`),
			},
			{
				Config: e.Config(issue + `
output "preview" {
  value = provider::ezitxt::template_preview(local.t, { body = ["Ana", "A-17", "extra"] }).body
}`),
				ExpectError: diagRe("body has 2 placeholders ({{1}}..{{2}}); values.body has 3"),
			},
		},
	})
	if n := e.Requests(); n != 0 {
		t.Fatalf("%d requests reached the mock, want none", n)
	}
}

// TestAccFunctionTemplate_sendsAndRead: with matching values, apply sends
// exactly the parameters given, the mock (with the template declared) moves
// the message to read, the preview output shows the text, and a data source
// reads the message; the next plan is empty.
func TestAccFunctionTemplate_sendsAndRead(t *testing.T) {
	t.Parallel()
	e := acctest.New(t, declaredOrderShipped(t), fastClock)
	cfg := e.Config(orderShippedHCL + fmt.Sprintf(`
locals {
  values = { header = ["A-17"], body = ["Zoë", "A-17"], buttons = [null, "A-17?lang=pt"] }
}

resource "ezitxt_message" "test" {
  source          = %[1]q
  to              = "+6421000001"
  template        = provider::ezitxt::template(local.order_shipped, local.values)
  wait_for_status = "read"
  wait_timeout    = "1m"
}

resource "ezitxt_broadcast" "test" {
  source       = %[1]q
  destinations = ["+6421000002", "+6421000003"]
  template     = provider::ezitxt::template(local.order_shipped, local.values)
}

data "ezitxt_message" "test" {
  id = ezitxt_message.test.id
}

output "preview" {
  value = provider::ezitxt::template_preview(local.order_shipped, local.values)
}

output "read_status" {
  value = data.ezitxt_message.test.status
}
`, acctest.Source))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.Factories(),
		TerraformVersionChecks:   functionsCLI,
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(messageAddr, tfjsonpath.New("status"), knownvalue.StringExact("read")),
					statecheck.ExpectKnownOutputValue("read_status", knownvalue.StringExact("read")),
					statecheck.ExpectKnownValue(broadcastAddr, tfjsonpath.New("accepted_count"), knownvalue.Int64Exact(2)),
					statecheck.ExpectKnownOutputValue("preview", knownvalue.ObjectExact(map[string]knownvalue.Check{
						"header": knownvalue.StringExact("Order A-17"),
						"body":   knownvalue.StringExact("Hi Zoë, order A-17 has shipped."),
						"footer": knownvalue.StringExact("Reply STOP to opt out"),
						"buttons": knownvalue.ListExact([]knownvalue.Check{
							knownvalue.ObjectExact(map[string]knownvalue.Check{"type": knownvalue.StringExact("quick_reply"), "text": knownvalue.StringExact("Thanks"), "url": knownvalue.Null()}),
							knownvalue.ObjectExact(map[string]knownvalue.Check{"type": knownvalue.StringExact("url"), "text": knownvalue.StringExact("Track"),
								"url": knownvalue.StringExact("https://shop.example.com/track/A-17?lang=pt")}),
						}),
					})),
					mockCheck(func() error { return checkTemplateSends(e, 3) }),
				},
			},
			{
				Config:           cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
	expectSends(t, e.Mock, 3)
	e.Mock.Advance(mockapi.OffsetRead)
	for _, s := range e.Mock.Sends() {
		if m, _ := e.Mock.Message(s.ID); m.Status != mockapi.StatusRead || m.FailureReason != "" {
			t.Errorf("message to %s: %s %q, want read", s.Destination, m.Status, m.FailureReason)
		}
	}
}

// checkTemplateSends checks that the mock received want template sends,
// each with exactly the parameters the function built.
func checkTemplateSends(e *acctest.Env, want int) error {
	sends := e.Mock.Sends()
	if len(sends) != want {
		return fmt.Errorf("mock accepted %d sends, want %d", len(sends), want)
	}
	const wantTemplate = `{"body_params":["Zoë","A-17"],"buttons":[{"index":1,"payload":"A-17?lang=pt","type":"url"}],` +
		`"header_params":["A-17"],"language":"en_US","name":"order_shipped"}`
	for _, s := range sends {
		var body struct {
			Type     string         `json:"type"`
			Template map[string]any `json:"template"`
		}
		if err := json.Unmarshal(s.Body, &body); err != nil {
			return err
		}
		got, _ := json.Marshal(body.Template)
		if body.Type != "template" || string(got) != wantTemplate {
			return fmt.Errorf("send to %s: type %s, template %s; want %s", s.Destination, body.Type, got, wantTemplate)
		}
	}
	return nil
}

// TestAccFunctionTemplate_rawMismatchFails: the same mismatch sent through a
// raw template block (no function) is accepted, then the mock moves the
// message to failed and wait_for_status reports it.
func TestAccFunctionTemplate_rawMismatchFails(t *testing.T) {
	t.Parallel()
	e := acctest.New(t, declaredOrderShipped(t), fastClock)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.Factories(),
		TerraformVersionChecks:   functionsCLI,
		Steps: []resource.TestStep{{
			Config: messageConfig(e, `
  to = "+6421000001"
  template = {
    name          = "order_shipped"
    language      = "en_US"
    header_params = ["A-17"]
    body_params   = ["Ana"]
    buttons       = [{ index = 1, type = "url", payload = "A-17" }]
  }
  wait_for_status = "read"
  wait_timeout    = "1m"`),
			ExpectError: diagRe("Error: Message Delivery Failed", `ended with status "failed" while waiting for "read"`),
		}},
	})
	expectSends(t, e.Mock, 1)
	m, _ := e.Mock.Message(e.Mock.Sends()[0].ID)
	if m.Status != mockapi.StatusFailed || !strings.Contains(m.FailureReason, "body has 2 placeholders ({{1}}..{{2}}); body_params has 1") {
		t.Fatalf("mock message: %s, %q", m.Status, m.FailureReason)
	}
}

// TestAccFunctionTemplatePreview_output is issue 17's preview: an output of
// template_preview(...).body, with no resources.
func TestAccFunctionTemplatePreview_output(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.Factories(),
		TerraformVersionChecks:   functionsCLI,
		Steps: []resource.TestStep{{
			Config: e.Config(`
locals {
  t = { name = "order_shipped", language = "en_US", body = "Hi {{1}}, order {{2}} has shipped." }
}

output "preview" {
  value = provider::ezitxt::template_preview(local.t, { body = ["Ana", "A-17"] }).body
}`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("preview", knownvalue.StringExact("Hi Ana, order A-17 has shipped.")),
			},
		}},
	})
}

// TestAccFunctionTemplate_guideExample applies the "Templates as code"
// guide's example against a mock that declares the example's own
// templates.json (as `ezitxt-mock -templates templates.json` does): every
// send fits, so every message is read.
func TestAccFunctionTemplate_guideExample(t *testing.T) {
	t.Parallel()
	src := filepath.Join("..", "..", "examples", "guides", "templates-as-code")
	data, err := os.ReadFile(filepath.Join(src, "templates.json")) //nolint:gosec // G304: the repository's own example
	if err != nil {
		t.Fatal(err)
	}
	defs, err := mockapi.ParseTemplates(data)
	if err != nil {
		t.Fatalf("the example's templates.json: %v", err)
	}
	e := acctest.New(t, func(o *mockapi.Options) { o.Templates = defs }, fastClock)
	dir := t.TempDir()
	for _, f := range []string{"main.tf", "templates.json"} {
		b, err := os.ReadFile(filepath.Join(src, f)) //nolint:gosec // G304: the repository's own example
		if err != nil {
			t.Fatal(err)
		}
		if f == "main.tf" {
			// terraform-plugin-testing serves the provider as hashicorp/ezitxt
			// on TF_ACC_PROVIDER_HOST (as it declares it for inline configs).
			host := os.Getenv("TF_ACC_PROVIDER_HOST")
			if host == "" {
				host = "registry.terraform.io"
			}
			b = []byte(strings.Replace(string(b), `source = "ezitxt/ezitxt"`, `source = "`+host+`/hashicorp/ezitxt"`, 1))
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o600); err != nil { //nolint:gosec // G703: a fixed file name in the test's temporary folder
			t.Fatal(err)
		}
	}
	tfvars := fmt.Sprintf("source_number_id = %q\n", acctest.Source)
	if err := os.WriteFile(filepath.Join(dir, "terraform.tfvars"), []byte(tfvars), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "provider.tf"), []byte(e.ProviderConfig()), 0o600); err != nil {
		t.Fatal(err)
	}
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks: functionsCLI,
		Steps: []resource.TestStep{{
			ProtoV6ProviderFactories: e.Factories(),
			ConfigDirectory:          config.StaticDirectory(dir),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValueAtPath("shipped_preview", tfjsonpath.New("body"),
					knownvalue.StringExact("Hi Zoë, order A-1017 has shipped and arrives tomorrow.")),
				statecheck.ExpectKnownOutputValue("shipped_preview_pt_br",
					knownvalue.StringExact("Olá Zoë, o pedido A-1017 foi enviado e chega tomorrow.")),
				statecheck.ExpectKnownValue("ezitxt_broadcast.maintenance", tfjsonpath.New("accepted_count"), knownvalue.Int64Exact(2)),
			},
		}},
	})
	expectSends(t, e.Mock, 3)
	e.Mock.Advance(mockapi.OffsetRead)
	for _, s := range e.Mock.Sends() {
		if m, _ := e.Mock.Message(s.ID); m.Status != mockapi.StatusRead {
			t.Errorf("message to %s: %s (%s), want read", s.Destination, m.Status, m.FailureReason)
		}
	}
}

// TestAccFunctionTemplate_action: the ezitxt_send_message action takes the
// function's result too (Terraform 1.14 and later): a fitting template is
// sent with exactly its parameters and read; a mismatch fails the plan and
// nothing is sent.
func TestAccFunctionTemplate_action(t *testing.T) {
	t.Parallel()
	e := acctest.New(t, declaredOrderShipped(t), fastClock)
	cfg := func(values string) string {
		return e.Config(orderShippedHCL + fmt.Sprintf(`
resource "terraform_data" "shipment" {
  input = "A-17"
  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.ezitxt_send_message.shipped]
    }
  }
}

action "ezitxt_send_message" "shipped" {
  config {
    source          = %q
    to              = "+6421000001"
    template        = provider::ezitxt::template(local.order_shipped, %s)
    wait_for_status = "read"
  }
}
`, acctest.Source, values))
	}
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   actionsCLI,
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				Config:      cfg(`{ header = ["A-17"], body = ["Zoë"], buttons = [null, "A-17?lang=pt"] }`),
				ExpectError: diagRe("body has 2 placeholders ({{1}}..{{2}}); values.body has 1"),
			},
			{
				Config: cfg(`{ header = ["A-17"], body = ["Zoë", "A-17"], buttons = [null, "A-17?lang=pt"] }`),
				ConfigStateChecks: []statecheck.StateCheck{
					mockCheck(func() error { return checkTemplateSends(e, 1) }),
				},
			},
		},
	})
	m, _ := e.Mock.Message(e.Mock.Sends()[0].ID)
	if m.Status != mockapi.StatusRead {
		t.Fatalf("message %s (%s), want read", m.Status, m.FailureReason)
	}
}

// TestAccFunctionTemplate_unknownAtPlan: a value known only after apply (an
// ID of another message) still has its count checked at plan time, on
// Terraform and OpenTofu; when it fits, the message is planned with that
// parameter known after apply and sent with the real value.
func TestAccFunctionTemplate_unknownAtPlan(t *testing.T) {
	t.Parallel()
	e := acctest.New(t, declaredOrderShipped(t))
	cfg := func(body string) string {
		return e.Config(orderShippedHCL + fmt.Sprintf(`
resource "ezitxt_message" "first" {
  source = %[1]q
  to     = "+6421000001"
  text   = { body = "Your order is packed." }
}

resource "ezitxt_message" "test" {
  source   = %[1]q
  to       = "+6421000001"
  template = provider::ezitxt::template(local.order_shipped, { header = ["A-17"], body = %[2]s, buttons = [null, "A-17"] })
}
`, acctest.Source, body))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.Factories(),
		TerraformVersionChecks:   functionsCLI,
		Steps: []resource.TestStep{
			{
				Config:      cfg(`[ezitxt_message.first.id]`),
				ExpectError: diagRe("body has 2 placeholders ({{1}}..{{2}}); values.body has 1"),
			},
			{
				Config: cfg(`["Ana", ezitxt_message.first.id]`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectKnownValue(messageAddr, tfjsonpath.New("template").AtMapKey("body_params").AtSliceIndex(0), knownvalue.StringExact("Ana")),
					plancheck.ExpectUnknownValue(messageAddr, tfjsonpath.New("template").AtMapKey("body_params").AtSliceIndex(1)),
				}},
				ConfigStateChecks: []statecheck.StateCheck{mockCheck(func() error {
					sends := e.Mock.Sends()
					if len(sends) != 2 {
						return fmt.Errorf("mock accepted %d sends, want 2", len(sends))
					}
					var body struct {
						Template struct {
							BodyParams []string `json:"body_params"`
						} `json:"template"`
					}
					if err := json.Unmarshal(sends[1].Body, &body); err != nil {
						return err
					}
					if got := body.Template.BodyParams; len(got) != 2 || got[0] != "Ana" || got[1] != sends[0].ID {
						return fmt.Errorf("body_params %q, want [Ana %s]", got, sends[0].ID)
					}
					return nil
				})},
			},
		},
	})
}
