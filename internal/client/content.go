package client

import (
	"fmt"
	"slices"
	"strconv"
)

// MessageType is the kind of content of a message: the API's `type` field.
type MessageType string

// The message types of the reference.
const (
	MessageTypeText     MessageType = "text"
	MessageTypeTemplate MessageType = "template"
	MessageTypeMedia    MessageType = "media"
	MessageTypeRaw      MessageType = "raw"
)

// MessageTypeValues lists every MessageType.
func MessageTypeValues() []MessageType {
	return []MessageType{MessageTypeText, MessageTypeTemplate, MessageTypeMedia, MessageTypeRaw}
}

// Values lists every MessageType as strings, for validators.
func (MessageType) Values() []string { return stringsOf(MessageTypeValues()) }

// MediaType is the kind of a media message: the API's `media.type` field.
type MediaType string

// The media types of the reference.
const (
	MediaTypeAudio    MediaType = "audio"
	MediaTypeDocument MediaType = "document"
	MediaTypeImage    MediaType = "image"
	MediaTypeVideo    MediaType = "video"
)

// MediaTypeValues lists every MediaType.
func MediaTypeValues() []MediaType {
	return []MediaType{MediaTypeAudio, MediaTypeDocument, MediaTypeImage, MediaTypeVideo}
}

// Values lists every MediaType as strings, for validators.
func (MediaType) Values() []string { return stringsOf(MediaTypeValues()) }

// MediaMimeType is a mime type the API accepts for media uploads (the reference's MediaMimeType).
type MediaMimeType string

// The media mime types of the reference.
const (
	MimeImagePNG  MediaMimeType = "image/png"
	MimeImageJPEG MediaMimeType = "image/jpeg"
	MimeTextPlain MediaMimeType = "text/plain"
	MimePDF       MediaMimeType = "application/pdf"
	MimeAudioMP3  MediaMimeType = "audio/mp3"
	MimeVideoMP4  MediaMimeType = "video/mp4"
)

// MediaMimeTypeValues lists every MediaMimeType.
func MediaMimeTypeValues() []MediaMimeType {
	return []MediaMimeType{MimeImagePNG, MimeImageJPEG, MimeTextPlain, MimePDF, MimeAudioMP3, MimeVideoMP4}
}

// Values lists every MediaMimeType as strings, for validators.
func (MediaMimeType) Values() []string { return stringsOf(MediaMimeTypeValues()) }

// stringsOf converts enum values to strings.
func stringsOf[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// Content is the content of a message or broadcast: Type names which one of the other fields is
// used; the others are ignored (and not sent). When Type is empty and exactly one field is set,
// that field's type is used.
type Content struct {
	// Type selects the content; see MessageType.
	Type MessageType
	// Text is used when Type is "text".
	Text *Text
	// Media is used when Type is "media".
	Media *Media
	// Template is used when Type is "template".
	Template *Template
	// Raw is used when Type is "raw".
	Raw *Raw
}

// Text is the content of a text message.
type Text struct {
	// Body is the text; it must not be empty.
	Body string `json:"body"`
}

// Media is the content of a media message.
type Media struct {
	// Type is one of the MediaType values.
	Type MediaType `json:"type"`
	// URL is an absolute http(s) URL the service fetches the media from.
	URL string `json:"url"`
}

// Template is the content of a template message.
type Template struct {
	// Name of the approved template; required.
	Name string `json:"name"`
	// Language of the template, such as "en_US"; required.
	Language string `json:"language"`
	// HeaderParams fill the template's header placeholders.
	HeaderParams []string `json:"header_params,omitempty"`
	// BodyParams fill the template's body placeholders.
	BodyParams []string `json:"body_params,omitempty"`
	// Media is the template's header media, if any.
	Media *TemplateMedia `json:"media,omitempty"`
	// Buttons parameterise the template's buttons.
	Buttons []TemplateButton `json:"buttons,omitempty"`
}

// TemplateMedia is a template's header media; both fields are free strings in the reference,
// URL an absolute URL when given.
type TemplateMedia struct {
	// Type of the media, such as "image".
	Type string `json:"type,omitempty"`
	// URL of the media.
	URL string `json:"url,omitempty"`
}

// TemplateButton parameterises one button of a template.
type TemplateButton struct {
	// Index of the button in the template (int32); nil leaves it out, so that 0 can be sent.
	Index *int32 `json:"index,omitempty"`
	// Type of the button, such as "quick_reply" or "url".
	Type string `json:"type,omitempty"`
	// Payload of the button.
	Payload string `json:"payload,omitempty"`
}

// Raw is a message given as a WhatsApp Cloud API payload.
type Raw struct {
	// Version of the payload format; optional.
	Version string `json:"version,omitempty"`
	// Payload is JSON text, sent as a string (not as an object).
	Payload string `json:"payload"`
}

// resolvedType returns the type of the content, inferring it when Type is empty and exactly one
// content field is set.
func (c Content) resolvedType() MessageType {
	if c.Type != "" {
		return c.Type
	}
	var found []MessageType
	if c.Text != nil {
		found = append(found, MessageTypeText)
	}
	if c.Media != nil {
		found = append(found, MessageTypeMedia)
	}
	if c.Template != nil {
		found = append(found, MessageTypeTemplate)
	}
	if c.Raw != nil {
		found = append(found, MessageTypeRaw)
	}
	if len(found) == 1 {
		return found[0]
	}
	return ""
}

// Validate checks the content against the rules of the API (see api/README.md), returning a
// *ValidationError naming each field by its JSON path ("text.body", "media.url", ...).
func (c Content) Validate() error {
	var p problems
	c.check(&p)
	return p.err("")
}

func (c Content) check(p *problems) {
	switch t := c.resolvedType(); t {
	case "":
		p.add("type", CodeRequired, "exactly one content (text, media, template or raw) is required")
	case MessageTypeText:
		switch {
		case c.Text == nil:
			p.add("text", CodeRequired, "type is text but no text content was given")
		case c.Text.Body == "":
			p.add("text.body", CodeRequired, "the text body must not be empty")
		}
	case MessageTypeMedia:
		if c.Media == nil {
			p.add("media", CodeRequired, "type is media but no media content was given")
			return
		}
		if !slices.Contains(MediaType("").Values(), string(c.Media.Type)) {
			p.add("media.type", CodeInvalidValue, fmt.Sprintf("%q is not one of %v", c.Media.Type, MediaType("").Values()))
		}
		if !ValidMediaURL(c.Media.URL) {
			p.add("media.url", CodeInvalidFormat, fmt.Sprintf("%q is not an absolute http(s) URL", c.Media.URL))
		}
	case MessageTypeTemplate:
		if c.Template == nil {
			p.add("template", CodeRequired, "type is template but no template content was given")
			return
		}
		if c.Template.Name == "" {
			p.add("template.name", CodeRequired, "the template name must not be empty")
		}
		if c.Template.Language == "" {
			p.add("template.language", CodeRequired, "the template language must not be empty")
		}
		if m := c.Template.Media; m != nil && m.URL != "" && !ValidAbsoluteURL(m.URL) {
			p.add("template.media.url", CodeInvalidFormat, fmt.Sprintf("%q is not an absolute URL", m.URL))
		}
	case MessageTypeRaw:
		switch {
		case c.Raw == nil:
			p.add("raw", CodeRequired, "type is raw but no raw content was given")
		case c.Raw.Payload == "":
			p.add("raw.payload", CodeRequired, "the raw payload must not be empty")
		case !ValidJSON(c.Raw.Payload):
			p.add("raw.payload", CodeInvalidJSON, "the raw payload must be JSON text")
		}
	default:
		p.add("type", CodeInvalidValue, fmt.Sprintf("%s is not one of %v", strconv.Quote(string(t)), MessageType("").Values()))
	}
}

// wireContent is the content part of a message body as the API expects it: `type` and the one
// object of that name.
type wireContent struct {
	Type     MessageType `json:"type"`
	Text     *Text       `json:"text,omitempty"`
	Media    *Media      `json:"media,omitempty"`
	Template *Template   `json:"template,omitempty"`
	Raw      *Raw        `json:"raw,omitempty"`
}

// wire returns the content to send: only the object its type names. Call after Validate.
func (c Content) wire() wireContent {
	w := wireContent{Type: c.resolvedType()}
	switch w.Type {
	case MessageTypeText:
		w.Text = c.Text
	case MessageTypeMedia:
		w.Media = c.Media
	case MessageTypeTemplate:
		w.Template = c.Template
	case MessageTypeRaw:
		w.Raw = c.Raw
	}
	return w
}
