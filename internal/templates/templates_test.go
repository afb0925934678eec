package templates

import (
	"reflect"
	"strings"
	"testing"
)

func ptr(s string) *string { return &s }

func shipped() Definition {
	return Definition{
		Name: "order_shipped", Language: "en_US",
		Header: &Header{Text: "Order {{1}}"},
		Body:   "Hi {{1}}, order {{2}} has shipped. Track it: {{3}}",
		Footer: "Reply STOP to opt out",
		Buttons: []Button{
			{Type: ButtonQuickReply, Text: "Thanks"},
			{Type: ButtonURL, Text: "Track", URL: "https://example.com/track/{{1}}"},
			{Type: ButtonPhoneNumber, Text: "Call us"},
		},
	}
}

func TestPlaceholders(t *testing.T) {
	for _, tc := range []struct {
		text string
		n    int
		bad  string
	}{
		{"no placeholders", 0, ""},
		{"{{1}}", 1, ""},
		{"{{2}} before {{1}}, {{1}} again", 2, ""},
		{"Hi {{1}} and {{3}}", 0, "not {{2}}"},
		{"Hi {{2}}", 0, "not {{1}}"},
		{"Hi {{0}}", 0, "the placeholder {{0}}"},
		{"Hi {{name}}", 0, "the placeholder {{name}}"},
		{"Hi {{ 1 }}", 0, "without spaces"},
	} {
		n, p := Placeholders(tc.text, "body")
		switch {
		case tc.bad == "" && (p != nil || n != tc.n):
			t.Errorf("%q: got %d, %v; want %d", tc.text, n, p, tc.n)
		case tc.bad != "" && (p == nil || !strings.Contains(p.Message, tc.bad)):
			t.Errorf("%q: got %d, %v; want a problem with %q", tc.text, n, p, tc.bad)
		}
	}
}

func TestFill(t *testing.T) {
	p, ps := shipped().Fill(Values{
		Header: []string{"A-17"}, Body: []string{"Ana", "A-17", "tomorrow"},
		Buttons: []*string{ptr("thanks-A-17"), ptr("A-17"), nil},
	})
	if len(ps) > 0 {
		t.Fatalf("problems: %v", ps)
	}
	zero, one := 0, 1
	want := Params{
		Name: "order_shipped", Language: "en_US",
		HeaderParams: []string{"A-17"}, BodyParams: []string{"Ana", "A-17", "tomorrow"},
		Buttons: []ButtonParam{{Index: &zero, Type: ButtonQuickReply, Payload: "thanks-A-17"}, {Index: &one, Type: ButtonURL, Payload: "A-17"}},
	}
	if !reflect.DeepEqual(p, want) {
		t.Fatalf("got %+v\nwant %+v", p, want)
	}
	if m := shipped().Match(p); m != nil {
		t.Fatalf("the filled parameters do not match their own definition: %v", m)
	}
}

func TestFillMediaHeader(t *testing.T) {
	d := Definition{Name: "invoice", Language: "en", Header: &Header{Format: FormatDocument}, Body: "Your invoice"}
	p, ps := d.Fill(Values{HeaderMediaURL: "https://example.com/i.pdf"})
	if len(ps) > 0 || p.Media == nil || *p.Media != (Media{Type: "document", URL: "https://example.com/i.pdf"}) || p.BodyParams != nil {
		t.Fatalf("got %+v, %v", p, ps)
	}
	_, ps = d.Fill(Values{})
	wantProblem(t, ps, "values.header_media_url", "the header is a document; values.header_media_url is not set")
}

func wantProblem(t *testing.T, ps []Problem, path, fragment string) {
	t.Helper()
	if len(ps) != 1 || ps[0].Path != path || !strings.Contains(ps[0].Message, fragment) {
		t.Fatalf("want one problem at %s with %q, got %+v", path, fragment, ps)
	}
}

func TestFitRules(t *testing.T) {
	ok := Values{Header: []string{"A-17"}, Body: []string{"Ana", "A-17", "x"}, Buttons: []*string{nil, ptr("A-17")}}
	for name, tc := range map[string]struct {
		change   func(*Values)
		path     string
		fragment string
	}{
		"body count": {func(v *Values) { v.Body = v.Body[:2] }, "values.body",
			"body has 3 placeholders ({{1}}..{{3}}); values.body has 2"},
		"body too many": {func(v *Values) { v.Body = append(v.Body, "more") }, "values.body",
			"body has 3 placeholders ({{1}}..{{3}}); values.body has 4"},
		"header count": {func(v *Values) { v.Header = nil }, "values.header",
			"header has 1 placeholder ({{1}}); values.header has 0"},
		"media url on text header": {func(v *Values) { v.HeaderMediaURL = "https://x.example/a.png" }, "values.header_media_url",
			"no media header"},
		"url suffix missing": {func(v *Values) { v.Buttons = nil }, "values.buttons[1]",
			`buttons[1] ("Track") is a url button whose URL ends in {{1}}; values.buttons[1] is not set`},
		"url suffix empty": {func(v *Values) { v.Buttons = []*string{nil, ptr("")} }, "values.buttons[1]", "is not set"},
		"phone button value": {func(v *Values) { v.Buttons = []*string{nil, ptr("A"), ptr("+1")} }, "values.buttons[2]",
			"phone_number button, which takes no value"},
		"too many buttons": {func(v *Values) { v.Buttons = []*string{nil, ptr("A"), nil, nil} }, "values.buttons",
			"the template has 3 buttons; values.buttons has 4 entries"},
	} {
		t.Run(name, func(t *testing.T) {
			v := ok
			v.Buttons = append([]*string(nil), ok.Buttons...)
			tc.change(&v)
			_, ps := shipped().Fill(v)
			wantProblem(t, ps, tc.path, tc.fragment)
			_, ps = shipped().Preview(v)
			wantProblem(t, ps, tc.path, tc.fragment)
		})
	}
}

func TestDefinitionRules(t *testing.T) {
	for name, tc := range map[string]struct {
		change   func(*Definition)
		path     string
		fragment string
	}{
		"name":          {func(d *Definition) { d.Name = "" }, "definition.name", "is empty"},
		"language":      {func(d *Definition) { d.Language = " " }, "definition.language", "is empty"},
		"body":          {func(d *Definition) { d.Body = "" }, "definition.body", "is empty"},
		"body gap":      {func(d *Definition) { d.Body = "{{1}} {{3}}" }, "definition.body", "not {{2}}"},
		"header gap":    {func(d *Definition) { d.Header.Text = "{{2}}" }, "definition.header.text", "not {{1}}"},
		"header format": {func(d *Definition) { d.Header = &Header{Format: "gif"} }, "definition.header.format", `is "gif"`},
		"header empty":  {func(d *Definition) { d.Header = &Header{} }, "definition.header", "has no text"},
		"media text":    {func(d *Definition) { d.Header = &Header{Format: "image", Text: "x"} }, "definition.header.text", "has no text"},
		"footer":        {func(d *Definition) { d.Footer = "{{1}}" }, "definition.footer", "fixed text"},
		"button type":   {func(d *Definition) { d.Buttons[0].Type = "copy_code" }, "definition.buttons[0].type", `is "copy_code"`},
		"button text":   {func(d *Definition) { d.Buttons[0].Text = "" }, "definition.buttons[0].text", "is empty"},
		"url missing":   {func(d *Definition) { d.Buttons[1].URL = "" }, "definition.buttons[1].url", "is empty"},
		"url middle":    {func(d *Definition) { d.Buttons[1].URL = "https://x.example/{{1}}/y" }, "definition.buttons[1].url", "only at its end"},
		"url relative":  {func(d *Definition) { d.Buttons[1].URL = "/track/{{1}}" }, "definition.buttons[1].url", "absolute"},
		"url on reply":  {func(d *Definition) { d.Buttons[0].URL = "https://x.example" }, "definition.buttons[0].url", "only url buttons"},
	} {
		t.Run(name, func(t *testing.T) {
			d := shipped()
			d.Header = &Header{Text: d.Header.Text}
			d.Buttons = append([]Button(nil), d.Buttons...)
			tc.change(&d)
			_, ps := d.Fill(Values{})
			if len(ps) == 0 || ps[0].Path != tc.path || !strings.Contains(ps[0].Message, tc.fragment) {
				t.Fatalf("want first problem at %s with %q, got %+v", tc.path, tc.fragment, ps)
			}
		})
	}
}

func TestPreviewUnicode(t *testing.T) {
	pv, ps := shipped().Preview(Values{
		Header: []string{"Nº 17 🚚"}, Body: []string{"Zoë", "Ａ-17", "明天 {{2}}"},
		Buttons: []*string{nil, ptr("ä/17"), nil},
	})
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	want := Preview{
		Header: "Order Nº 17 🚚",
		// A value that looks like a placeholder is not filled again.
		Body:   "Hi Zoë, order Ａ-17 has shipped. Track it: 明天 {{2}}",
		Footer: "Reply STOP to opt out",
		Buttons: []PreviewButton{{Type: "quick_reply", Text: "Thanks"}, {Type: "url", Text: "Track", URL: "https://example.com/track/ä/17"},
			{Type: "phone_number", Text: "Call us"}},
	}
	if !reflect.DeepEqual(pv, want) {
		t.Fatalf("got %+v\nwant %+v", pv, want)
	}
}

func TestMatch(t *testing.T) {
	zero, one, two, five := 0, 1, 2, 5
	good := Params{Name: "order_shipped", Language: "en_US", HeaderParams: []string{"A"}, BodyParams: []string{"a", "b", "c"},
		Buttons: []ButtonParam{{Index: &one, Type: "url", Payload: "A-17"}}}
	if m := shipped().Match(good); m != nil {
		t.Fatalf("good params: %v", m)
	}
	for name, tc := range map[string]struct {
		change   func(*Params)
		fragment string
	}{
		"body":          {func(p *Params) { p.BodyParams = p.BodyParams[:2] }, "body has 3 placeholders ({{1}}..{{3}}); body_params has 2"},
		"header":        {func(p *Params) { p.HeaderParams = nil }, "header has 1 placeholder ({{1}}); header_params has 0"},
		"media":         {func(p *Params) { p.Media = &Media{Type: "image", URL: "https://x.example/a.png"} }, "no media header; media is set"},
		"no suffix":     {func(p *Params) { p.Buttons = nil }, "button 1 (\"Track\") is a url button whose URL ends in {{1}}"},
		"index range":   {func(p *Params) { p.Buttons = append(p.Buttons, ButtonParam{Index: &five, Payload: "x"}) }, "has index 5; the template has 3 buttons"},
		"phone button":  {func(p *Params) { p.Buttons = append(p.Buttons, ButtonParam{Index: &two, Payload: "x"}) }, "phone_number button"},
		"type mismatch": {func(p *Params) { p.Buttons = append(p.Buttons, ButtonParam{Index: &zero, Type: "url", Payload: "x"}) }, `has type "url"; button 0 is a quick_reply button`},
		"no index":      {func(p *Params) { p.Buttons = append(p.Buttons, ButtonParam{Payload: "x"}) }, "has no index"},
		"repeat":        {func(p *Params) { p.Buttons = append(p.Buttons, ButtonParam{Index: &one, Payload: "x"}) }, "repeats index 1"},
	} {
		t.Run(name, func(t *testing.T) {
			p := good
			p.Buttons = append([]ButtonParam(nil), good.Buttons...)
			tc.change(&p)
			m := shipped().Match(p)
			if len(m) != 1 || !strings.Contains(m[0], tc.fragment) {
				t.Fatalf("want one reason with %q, got %q", tc.fragment, m)
			}
		})
	}
	media := Definition{Name: "n", Language: "en", Header: &Header{Format: "image"}, Body: "b"}
	if m := media.Match(Params{}); len(m) != 1 || !strings.Contains(m[0], "the header is an image; media.url is not set") {
		t.Fatalf("media header without media: %q", m)
	}
	if m := media.Match(Params{Media: &Media{Type: "video", URL: "https://x.example/v.mp4"}}); len(m) != 1 || !strings.Contains(m[0], `media.type is "video"`) {
		t.Fatalf("media of another type: %q", m)
	}
}
