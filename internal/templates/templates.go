// Package templates is the model of an approved WhatsApp template as users
// declare it in code: its text with numbered placeholders, its header, footer
// and buttons. It checks that a definition is well formed, fills it with
// values into the parameters a template send carries, renders the text a
// recipient reads, and tells whether the parameters of a send fit it.
//
// The provider's template and template_preview functions and the mock's
// -templates option share it, so that a mismatch the functions catch at plan
// time is exactly what the mock fails a raw send for. It is plain Go: no
// Terraform types, no HTTP.
package templates

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Header formats. A text header has placeholders; a media header is filled
// with a media URL at send time.
const (
	FormatText     = "text"
	FormatImage    = "image"
	FormatVideo    = "video"
	FormatDocument = "document"
)

// MediaFormats are the header formats that carry media.
var MediaFormats = []string{FormatImage, FormatVideo, FormatDocument}

// Button types.
const (
	ButtonQuickReply  = "quick_reply"
	ButtonURL         = "url"
	ButtonPhoneNumber = "phone_number"
)

// ButtonTypes are the button types a definition may use.
var ButtonTypes = []string{ButtonQuickReply, ButtonURL, ButtonPhoneNumber}

// Definition is an approved template: the JSON shape of the mock's
// -templates file and the object the provider functions take.
type Definition struct {
	Name     string   `json:"name"`
	Language string   `json:"language"`
	Header   *Header  `json:"header,omitempty"`
	Body     string   `json:"body"`
	Footer   string   `json:"footer,omitempty"`
	Buttons  []Button `json:"buttons,omitempty"`
}

// Header is a template's header: text with placeholders, or a media format.
type Header struct {
	// Format is image, video or document for a media header; empty or text for a text header.
	Format string `json:"format,omitempty"`
	// Text is the text of a text header.
	Text string `json:"text,omitempty"`
}

// IsMedia reports whether the header carries media.
func (h *Header) IsMedia() bool { return h != nil && slices.Contains(MediaFormats, h.Format) }

// Button is a template button.
type Button struct {
	// Type is quick_reply, url or phone_number.
	Type string `json:"type"`
	// Text is the button's label.
	Text string `json:"text"`
	// URL is the target of a url button; it may end in {{1}}, filled with a suffix at send time.
	URL string `json:"url,omitempty"`
}

// hasSuffix reports whether b is a url button whose URL ends in {{1}}.
func (b Button) hasSuffix() bool { return b.Type == ButtonURL && strings.HasSuffix(b.URL, "{{1}}") }

// Values fill a definition.
type Values struct {
	Body   []string
	Header []string
	// HeaderMediaURL is the media shown by a media header.
	HeaderMediaURL string
	// Buttons give, per button index, the quick-reply payload or the URL suffix; nil: none.
	Buttons []*string
	// Unknown names the parts not known yet ("body", "header", "header_media_url", "buttons"),
	// which are not checked.
	Unknown map[string]bool
}

// Params are the parameters of a template send: the API's template object.
type Params struct {
	Name         string
	Language     string
	HeaderParams []string
	BodyParams   []string
	Media        *Media
	Buttons      []ButtonParam
}

// Media is the header media of a send.
type Media struct {
	Type string
	URL  string
}

// ButtonParam parameterises one button of a send.
type ButtonParam struct {
	// Index is nil when the send leaves it out.
	Index   *int
	Type    string
	Payload string
}

// Preview is the text a recipient reads.
type Preview struct {
	// Header is the filled text header; empty for none or a media header.
	Header string
	Body   string
	Footer string
	// Buttons are the button labels, with each url button's URL filled in.
	Buttons []PreviewButton
}

// PreviewButton is one button as shown.
type PreviewButton struct {
	Type, Text, URL string
}

// Problem is one way a definition is malformed or values do not fit it.
// Path names the part (such as "definition.header.format" or "values.body");
// Message says what is wrong and how to fix it, naming both sides.
type Problem struct {
	Path    string
	Message string
}

// String returns the message.
func (p Problem) String() string { return p.Message }

var (
	// placeholderToken matches anything written as a placeholder, well formed or not.
	placeholderToken = regexp.MustCompile(`\{\{\s*([^{}]*?)\s*\}\}`)
	positiveInt      = regexp.MustCompile(`^[1-9][0-9]{0,3}$`)
)

// Placeholders returns how many placeholders text has, numbered {{1}}..{{n}},
// or a problem with the text of part when they are not numbered from 1
// without gaps. A placeholder may appear more than once.
func Placeholders(text, part string) (int, *Problem) {
	seen := map[int]bool{}
	n := 0
	for _, m := range placeholderToken.FindAllStringSubmatch(text, -1) {
		if !positiveInt.MatchString(m[1]) || m[0] != "{{"+m[1]+"}}" {
			return 0, &Problem{Path: part, Message: fmt.Sprintf(
				"%s has the placeholder %s: placeholders are numbers from 1 in double braces, such as {{1}}, without spaces", part, m[0])}
		}
		i, _ := strconv.Atoi(m[1])
		seen[i] = true
		n = max(n, i)
	}
	var missing []string
	for i := 1; i <= n; i++ {
		if !seen[i] {
			missing = append(missing, fmt.Sprintf("{{%d}}", i))
		}
	}
	if len(missing) > 0 {
		return 0, &Problem{Path: part, Message: fmt.Sprintf(
			"%s has placeholders up to {{%d}} but not %s: number them from {{1}} without gaps", part, n, strings.Join(missing, ", "))}
	}
	return n, nil
}

// countText describes n placeholders: "no placeholders", "1 placeholder ({{1}})",
// "3 placeholders ({{1}}..{{3}})".
func countText(n int) string {
	switch n {
	case 0:
		return "no placeholders"
	case 1:
		return "1 placeholder ({{1}})"
	}
	return fmt.Sprintf("%d placeholders ({{1}}..{{%d}})", n, n)
}

// fill replaces {{i}} with vs[i-1].
func fill(text string, vs []string) string {
	return placeholderToken.ReplaceAllStringFunc(text, func(tok string) string {
		i, err := strconv.Atoi(strings.Trim(tok, "{}"))
		if err != nil || i < 1 || i > len(vs) {
			return tok
		}
		return vs[i-1]
	})
}

// counts are a well-formed definition's placeholder counts.
type counts struct {
	header, body int
}

// Check returns the problems of a malformed definition, with paths under
// prefix (such as "definition").
func (d Definition) Check(prefix string) []Problem {
	var ps []Problem
	_, ps = d.check(prefix)
	return ps
}

func (d Definition) check(prefix string) (counts, []Problem) {
	var ps []Problem
	var c counts
	at := func(p string) string { return prefix + "." + p }
	add := func(p, format string, args ...any) {
		ps = append(ps, Problem{Path: at(p), Message: fmt.Sprintf(format, args...)})
	}
	if strings.TrimSpace(d.Name) == "" {
		add("name", "%s is empty: give the name of the approved template, such as \"order_shipped\"", at("name"))
	}
	if strings.TrimSpace(d.Language) == "" {
		add("language", "%s is empty: give the template's language code, such as \"en_US\"", at("language"))
	}
	if strings.TrimSpace(d.Body) == "" {
		add("body", "%s is empty: give the template's body text, with placeholders {{1}}..{{n}}", at("body"))
	} else if n, p := Placeholders(d.Body, at("body")); p != nil {
		ps = append(ps, *p)
	} else {
		c.body = n
	}
	if h := d.Header; h != nil {
		switch {
		case h.Format == "" || h.Format == FormatText:
			if h.Text == "" {
				add("header", "%s has no text: give text = \"...\" for a text header, or format = %s for a media header",
					at("header"), quoteList(MediaFormats))
			} else if n, p := Placeholders(h.Text, at("header.text")); p != nil {
				ps = append(ps, *p)
			} else {
				c.header = n
			}
		case !h.IsMedia():
			add("header.format", "%s is %q: use %s for a media header, or leave it out and give text for a text header",
				at("header.format"), h.Format, quoteList(MediaFormats))
		case h.Text != "":
			add("header.text", "%s is set but the header's format is %q: a media header has no text; remove one of them",
				at("header.text"), h.Format)
		}
	}
	if d.Footer != "" && placeholderToken.MatchString(d.Footer) {
		add("footer", "%s has a placeholder: WhatsApp template footers are fixed text", at("footer"))
	}
	for i, b := range d.Buttons {
		bp := fmt.Sprintf("buttons[%d]", i)
		if !slices.Contains(ButtonTypes, b.Type) {
			add(bp+".type", "%s is %q: use %s", at(bp+".type"), b.Type, quoteList(ButtonTypes))
			continue
		}
		if strings.TrimSpace(b.Text) == "" {
			add(bp+".text", "%s is empty: give the button's label", at(bp+".text"))
		}
		switch {
		case b.Type != ButtonURL && b.URL != "":
			add(bp+".url", "%s is set on a %s button: only url buttons have a URL", at(bp+".url"), b.Type)
		case b.Type == ButtonURL:
			ps = append(ps, checkButtonURL(b.URL, at(bp+".url"))...)
		}
	}
	return c, ps
}

func checkButtonURL(raw, path string) []Problem {
	if raw == "" {
		return []Problem{{Path: path, Message: fmt.Sprintf("%s is empty: a url button needs the URL it opens, which may end in {{1}}", path)}}
	}
	base := strings.TrimSuffix(raw, "{{1}}")
	if placeholderToken.MatchString(base) {
		return []Problem{{Path: path, Message: fmt.Sprintf(
			"%s is %q: a button URL may have one placeholder, {{1}}, and only at its end", path, raw)}}
	}
	if u, err := url.Parse(base); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return []Problem{{Path: path, Message: fmt.Sprintf("%s is %q: it must be an absolute http:// or https:// URL", path, raw)}}
	}
	return nil
}

// Fill checks values against the definition and returns the parameters of
// the send. Paths of problems start with "definition" and "values".
func (d Definition) Fill(v Values) (Params, []Problem) {
	c, ps := d.check("definition")
	if len(ps) > 0 {
		return Params{}, ps
	}
	ps = d.fits(c, v)
	if len(ps) > 0 {
		return Params{}, ps
	}
	p := Params{Name: d.Name, Language: d.Language}
	if c.header > 0 {
		p.HeaderParams = slices.Clone(v.Header)
	}
	if c.body > 0 {
		p.BodyParams = slices.Clone(v.Body)
	}
	if d.Header.IsMedia() {
		p.Media = &Media{Type: d.Header.Format, URL: v.HeaderMediaURL}
	}
	for i, val := range v.Buttons {
		if val == nil || *val == "" {
			continue
		}
		idx := i
		p.Buttons = append(p.Buttons, ButtonParam{Index: &idx, Type: d.Buttons[i].Type, Payload: *val})
	}
	return p, nil
}

// Preview checks values against the definition and returns the text a
// recipient reads.
func (d Definition) Preview(v Values) (Preview, []Problem) {
	c, ps := d.check("definition")
	if len(ps) > 0 {
		return Preview{}, ps
	}
	if ps = d.fits(c, v); len(ps) > 0 {
		return Preview{}, ps
	}
	out := Preview{Body: fill(d.Body, v.Body), Footer: d.Footer}
	if d.Header != nil && !d.Header.IsMedia() {
		out.Header = fill(d.Header.Text, v.Header)
	}
	for i, b := range d.Buttons {
		pb := PreviewButton{Type: b.Type, Text: b.Text}
		if b.Type == ButtonURL {
			pb.URL = b.URL
			if b.hasSuffix() && i < len(v.Buttons) && v.Buttons[i] != nil {
				pb.URL = strings.TrimSuffix(b.URL, "{{1}}") + *v.Buttons[i]
			}
		}
		out.Buttons = append(out.Buttons, pb)
	}
	return out, nil
}

// fits checks values against a well-formed definition with counts c.
func (d Definition) fits(c counts, v Values) []Problem {
	var ps []Problem
	add := func(path, format string, args ...any) {
		ps = append(ps, Problem{Path: path, Message: fmt.Sprintf(format, args...)})
	}
	if len(v.Body) != c.body && !v.Unknown["body"] {
		add("values.body", "body has %s; values.body has %d", countText(c.body), len(v.Body))
	}
	switch {
	case d.Header.IsMedia():
		if len(v.Header) > 0 {
			add("values.header", "the header is %s %s, which has no placeholders; values.header has %d: give the media as values.header_media_url instead",
				article(d.Header.Format), d.Header.Format, len(v.Header))
		}
		if v.Unknown["header_media_url"] {
			break
		}
		if v.HeaderMediaURL == "" {
			add("values.header_media_url", "the header is %s %s; values.header_media_url is not set: give the absolute URL of the %s to show",
				article(d.Header.Format), d.Header.Format, d.Header.Format)
		} else if u, err := url.Parse(v.HeaderMediaURL); err != nil || !u.IsAbs() || u.Host == "" {
			add("values.header_media_url", "values.header_media_url is %q: it must be an absolute URL such as https://example.com/banner.png", v.HeaderMediaURL)
		}
	default:
		if len(v.Header) != c.header && !v.Unknown["header"] {
			what := "header has " + countText(c.header)
			if d.Header == nil {
				what = "the template has no header"
			}
			add("values.header", "%s; values.header has %d", what, len(v.Header))
		}
		if v.HeaderMediaURL != "" || v.Unknown["header_media_url"] {
			add("values.header_media_url", "values.header_media_url is set but the template has no media header; remove it")
		}
	}
	if v.Unknown["buttons"] {
		return ps
	}
	if len(v.Buttons) > len(d.Buttons) {
		add("values.buttons", "the template has %d buttons; values.buttons has %d entries: give one per button, in order, null where a button takes no value",
			len(d.Buttons), len(v.Buttons))
	}
	for i, b := range d.Buttons {
		var val *string
		if i < len(v.Buttons) {
			val = v.Buttons[i]
		}
		given := val != nil && *val != ""
		bp := fmt.Sprintf("values.buttons[%d]", i)
		switch {
		case b.hasSuffix() && !given:
			add(bp, "buttons[%d] (%q) is a url button whose URL ends in {{1}}; %s is not set: give the URL suffix", i, b.Text, bp)
		case given && b.Type == ButtonPhoneNumber:
			add(bp, "%s is %q but buttons[%d] (%q) is a phone_number button, which takes no value: use null", bp, *val, i, b.Text)
		case given && b.Type == ButtonURL && !b.hasSuffix():
			add(bp, "%s is %q but the URL of buttons[%d] (%q) has no {{1}} to fill: use null", bp, *val, i, b.Text)
		}
	}
	return ps
}

// Match tells whether the parameters of a send fit the definition: it
// returns nil when they do, or the reasons they do not, in the terms of the
// API's template object (body_params, header_params, media, buttons).
func (d Definition) Match(p Params) []string {
	c, ps := d.check("template")
	if len(ps) > 0 {
		out := make([]string, len(ps))
		for i, pr := range ps {
			out[i] = "the declared template is malformed: " + pr.Message
		}
		return out
	}
	var out []string
	add := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	if len(p.BodyParams) != c.body {
		add("body has %s; body_params has %d", countText(c.body), len(p.BodyParams))
	}
	if len(p.HeaderParams) != c.header {
		what := "header has " + countText(c.header)
		if d.Header == nil {
			what = "the template has no header"
		}
		add("%s; header_params has %d", what, len(p.HeaderParams))
	}
	switch {
	case d.Header.IsMedia() && (p.Media == nil || p.Media.URL == ""):
		add("the header is %s %s; media.url is not set", article(d.Header.Format), d.Header.Format)
	case d.Header.IsMedia() && p.Media.Type != "" && p.Media.Type != d.Header.Format:
		add("the header is %s %s; media.type is %q", article(d.Header.Format), d.Header.Format, p.Media.Type)
	case !d.Header.IsMedia() && p.Media != nil:
		add("the template has no media header; media is set")
	}
	given := map[int]string{}
	for i, b := range p.Buttons {
		if b.Index == nil {
			add("buttons[%d] has no index", i)
			continue
		}
		idx := *b.Index
		if idx < 0 || idx >= len(d.Buttons) {
			add("buttons[%d] has index %d; the template has %d buttons (indexes 0..%d)", i, idx, len(d.Buttons), len(d.Buttons)-1)
			continue
		}
		if _, dup := given[idx]; dup {
			add("buttons[%d] repeats index %d", i, idx)
			continue
		}
		given[idx] = b.Payload
		def := d.Buttons[idx]
		switch {
		case b.Type != "" && b.Type != def.Type:
			add("buttons[%d] has type %q; button %d is a %s button", i, b.Type, idx, def.Type)
		case def.Type == ButtonPhoneNumber:
			add("buttons[%d] parameterises button %d, a phone_number button, which takes no parameter", i, idx)
		case def.Type == ButtonURL && !def.hasSuffix():
			add("buttons[%d] parameterises button %d, whose URL has no {{1}}", i, idx)
		}
	}
	for i, b := range d.Buttons {
		if b.hasSuffix() && given[i] == "" {
			add("button %d (%q) is a url button whose URL ends in {{1}}; no button parameter with index %d gives its suffix", i, b.Text, i)
		}
	}
	return out
}

func article(word string) string {
	if word != "" && strings.ContainsRune("aeiou", rune(word[0])) {
		return "an"
	}
	return "a"
}

func quoteList(vs []string) string {
	q := make([]string, len(vs))
	for i, v := range vs {
		q[i] = strconv.Quote(v)
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}
