package provider_test

import (
	"reflect"
	"testing"
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
		if got, ferr = callFunction(t, "template", plain, vals); ferr != nil || got.(map[string]any)["body_params"] != nil {
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
	// time, the result is unknown.
	got, ferr := callFunction(t, "template", orderShipped(), map[string]any{"body": []any{"Ana", unknown{}}})
	if ferr != nil || got != "(unknown)" {
		t.Fatalf("got %#v, %v; want an unknown result", got, ferr)
	}
	_, ferr = callFunction(t, "template", orderShipped(), map[string]any{"body": []any{unknown{}}})
	wantFuncError(t, ferr, 1, "body has 2 placeholders ({{1}}..{{2}}); values.body has 1")
	got, ferr = callFunction(t, "template_preview", orderShipped(), map[string]any{"body": []any{unknown{}, "A-17"}})
	if ferr != nil || got != "(unknown)" {
		t.Fatalf("preview: got %#v, %v; want an unknown result", got, ferr)
	}
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
	if ferr != nil || got.(map[string]any)["header"] != nil || got.(map[string]any)["body"] != "Sale today" {
		t.Fatalf("media header preview: %#v, %v", got, ferr)
	}
}
