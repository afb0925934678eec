package provider

import (
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

// TestImportDifferences: each rule of the comparison between an imported
// message's details and the configured content, and that only what the
// API reports unambiguously is compared.
func TestImportDifferences(t *testing.T) {
	t.Parallel()
	s := types.StringValue
	text := func(body string) contentModel { return contentModel{Text: &textModel{Body: s(body)}} }
	media := func(typ, url string) contentModel { return contentModel{Media: &mediaModel{Type: s(typ), URL: s(url)}} }
	raw := func(payload string) contentModel { return contentModel{Raw: &rawModel{Payload: s(payload)}} }
	template := contentModel{Template: &templateModel{Name: s("deploy"), Language: s("en_US")}}
	mt := func(typ, body string) importedDetails { return importedDetails{Type: typ, Direction: "MT", Body: body} }
	for _, tt := range []struct {
		name    string
		content contentModel
		api     importedDetails
		want    []string
	}{
		{"text matches", text("Hi"), mt("text", "Hi"), nil},
		{"text body differs", text("Hi"), mt("text", "Bye"),
			[]string{`text.body: the API reports "Bye", the configuration has "Hi"`}},
		{"text is a template", text("Hi"), mt("template", "deploy"),
			[]string{`type: the API reports a "template" message, the configuration sets text`}},
		{"reply", text("Hi"), importedDetails{Type: "text", Direction: "MO", Body: "Hi"},
			[]string{`direction: the API reports "MO", a customer's reply, not a message sent through the API`}},
		{"unknown body not compared", contentModel{Text: &textModel{Body: types.StringUnknown()}}, mt("text", "Bye"), nil},
		{"template matches whatever its body", template, mt("template", "rendered text"), nil},
		{"template is a text", template, mt("text", "Hi"),
			[]string{`type: the API reports a "text" message, the configuration sets template`}},
		{"media matches", media("image", "https://example.com/a.png"),
			importedDetails{Type: "image", Direction: "MT", MediaID: "https://example.com/a.png", MediaType: "image"}, nil},
		{"media reported by the generic type", media("image", "https://example.com/a.png"), mt("media", ""), nil},
		{"media of another type", media("image", "https://example.com/a.png"), mt("video", ""),
			[]string{`type: the API reports a "video" message, the configuration sets media of type "image"`}},
		{"media of another URL", media("image", "https://example.com/a.png"),
			importedDetails{Type: "image", Direction: "MT", MediaID: "https://example.com/b.png"},
			[]string{`media.url: the API reports "https://example.com/b.png", the configuration has "https://example.com/a.png"`}},
		{"media id that is not a URL is not compared", media("image", "https://example.com/a.png"),
			importedDetails{Type: "image", Direction: "MT", MediaID: "1234567890"}, nil},
		{"raw without a type is not compared", raw(`{"foo":1}`), mt("template", ""), nil},
		{"raw text matches", raw(`{"type":"text","text":{"body":"Hi"}}`), mt("text", "Hi"), nil},
		{"raw text body differs", raw(`{"type":"text","text":{"body":"Hi"}}`), mt("text", "Bye"),
			[]string{`raw.payload text.body: the API reports "Bye", the configuration has "Hi"`}},
		{"raw of another type", raw(`{"type":"image","image":{"id":"m1"}}`), mt("text", "Hi"),
			[]string{`type: the API reports a "text" message, the configuration sets raw.payload of type "image"`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := importDifferences(tt.content, tt.api); !slices.Equal(got, tt.want) {
				t.Errorf("importDifferences = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestStatusReached: status_reached is null without wait_for_status,
// unknown while either is unknown, and false for an unknown outcome and
// failures.
func TestStatusReached(t *testing.T) {
	t.Parallel()
	s := types.StringValue
	for _, tt := range []struct {
		status, wait types.String
		want         types.Bool
	}{
		{s("read"), types.StringNull(), types.BoolNull()},
		{s("accepted"), types.StringUnknown(), types.BoolUnknown()},
		{types.StringUnknown(), s("sent"), types.BoolUnknown()},
		{s("accepted"), s("sent"), types.BoolValue(false)},
		{s("sent"), s("sent"), types.BoolValue(true)},
		{s("read"), s("sent"), types.BoolValue(true)},
		{s("frozen"), s("accepted"), types.BoolValue(true)},
		{s(statusUnknown), s("accepted"), types.BoolValue(false)},
		{s("failed"), s("accepted"), types.BoolValue(false)},
	} {
		if got := statusReached(tt.status, tt.wait); !got.Equal(tt.want) {
			t.Errorf("statusReached(%s, %s) = %s, want %s", tt.status, tt.wait, got, tt.want)
		}
	}
}
