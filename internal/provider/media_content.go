package provider

// The content of an ezitxt_media upload: where it comes from (file or
// content_base64), its digest, size, mime type and file name, worked out at
// plan time and again as it is uploaded.

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"unicode"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/client"
)

// mediaExtensions maps file name extensions to the API's media mime types.
// The first extension of each type is the one a default file name gets.
var mediaExtensions = []struct {
	ext  string
	mime client.MediaMimeType
}{
	{".png", client.MimeImagePNG},
	{".jpg", client.MimeImageJPEG},
	{".jpeg", client.MimeImageJPEG},
	{".txt", client.MimeTextPlain},
	{".pdf", client.MimePDF},
	{".mp3", client.MimeAudioMP3},
	{".mp4", client.MimeVideoMP4},
}

// extensionList renders the extensions inference knows, for descriptions.
func extensionList() string {
	exts := make([]string, 0, len(mediaExtensions))
	for _, e := range mediaExtensions {
		exts = append(exts, e.ext)
	}
	return codeList(exts)
}

// resolveMedia fills in the unknown sha256 (only with hash: a file is then
// read whole), size_bytes, mime_type and filename of m from its content.
// Problems are attribute errors: a file that is not a regular file or cannot
// be read, invalid base64, empty content, a type that cannot be inferred or
// is not one the API takes.
func resolveMedia(ctx context.Context, m *mediaResourceModel, hash bool) diag.Diagnostics {
	var diags diag.Diagnostics
	if !m.SHA256.IsUnknown() && !m.SizeBytes.IsUnknown() && !m.MimeType.IsUnknown() && !m.Filename.IsUnknown() {
		return diags
	}
	dg, head, diags := localContent(ctx, *m, hash)
	if diags.HasError() {
		return diags
	}
	if dg.SHA256 != "" {
		m.SHA256 = types.StringValue(dg.SHA256)
	}
	m.SizeBytes = types.Int64Value(dg.Size)
	if m.MimeType.IsUnknown() {
		mt, detected, ok := inferMime(m.File.ValueString(), head)
		if !ok {
			diags.AddAttributeError(path.Root("mime_type"), "Cannot Infer Media Mime Type", inferFailure(*m, detected))
			return diags
		}
		m.MimeType = types.StringValue(string(mt))
	}
	if m.Filename.IsUnknown() {
		m.Filename = types.StringValue(defaultFilename(m.File.ValueString(), client.MediaMimeType(m.MimeType.ValueString())))
	}
	return diags
}

// localContent hashes the configured content and returns its first bytes for
// content sniffing. Without hash, a file is only looked at: its size and
// first bytes, no SHA-256.
func localContent(ctx context.Context, m mediaResourceModel, hash bool) (mediaDigest, []byte, diag.Diagnostics) {
	var diags diag.Diagnostics
	var dg mediaDigest
	var head []byte
	if !m.ContentBase64.IsNull() {
		b, err := base64.StdEncoding.DecodeString(m.ContentBase64.ValueString())
		if err != nil {
			diags.AddAttributeError(path.Root("content_base64"), "Invalid Base64 Content", base64Problem(err))
			return dg, nil, diags
		}
		dg, head = bytesDigest(b), b[:min(len(b), sniffLen)]
		if dg.Size == 0 {
			diags.AddAttributeError(path.Root("content_base64"), "Empty Media Content",
				"content_base64 decodes to no bytes; the API does not take empty media. Give the content to upload.")
		}
		return dg, head, diags
	}
	name := m.File.ValueString()
	var err error
	if hash {
		dg, head, err = fileDigest(ctx, name)
	} else {
		dg, head, err = fileHead(ctx, name)
	}
	switch {
	case errors.Is(err, errNotRegular):
		diags.AddAttributeError(path.Root("file"), "Media File Is Not a Regular File",
			fmt.Sprintf("%s. Only a regular file can be uploaded: a device such as /dev/zero or /dev/urandom never "+
				"ends, and a named pipe has no content until something writes to it. Point file at a regular file, "+
				"or give small generated content with content_base64.", err))
		return dg, nil, diags
	case err != nil && ctx.Err() != nil:
		diags.AddAttributeError(path.Root("file"), "Reading Media File Stopped",
			fmt.Sprintf("Reading the file %q given in file was stopped: %s.", name, withoutPath(err)))
		return dg, nil, diags
	case err != nil:
		diags.AddAttributeError(path.Root("file"), "Cannot Read Media File",
			fmt.Sprintf("The file %q given in file cannot be read: %s.\n\nCheck the path: a relative path is relative "+
				"to the directory Terraform runs in; use path.module to point into a module, such as "+
				"\"${path.module}/logo.png\".", name, withoutPath(err)))
		return dg, nil, diags
	}
	if dg.Size == 0 {
		diags.AddAttributeError(path.Root("file"), "Empty Media File",
			fmt.Sprintf("The file %q given in file is empty; the API does not take empty media.", name))
	}
	return dg, head, diags
}

// mimeFromName reports whether inferMime takes the type of file from its
// name, not from its content.
func mimeFromName(file string) bool {
	ext := strings.ToLower(filepath.Ext(file))
	for _, e := range mediaExtensions {
		if e.ext == ext {
			return true
		}
	}
	return false
}

// inferMime infers the mime type from the file name's extension, or else by
// sniffing the content. detected is what sniffing found, for the error when
// it is not a type the API takes.
func inferMime(file string, head []byte) (mt client.MediaMimeType, detected string, ok bool) {
	ext := strings.ToLower(filepath.Ext(file))
	for _, e := range mediaExtensions {
		if e.ext == ext {
			return e.mime, "", true
		}
	}
	detected = mediaType(http.DetectContentType(head))
	switch detected {
	case "audio/mpeg":
		return client.MimeAudioMP3, detected, true
	case "text/plain":
		return client.MimeTextPlain, detected, true
	}
	if slices.Contains(client.MediaMimeType("").Values(), detected) {
		return client.MediaMimeType(detected), detected, true
	}
	return "", detected, false
}

// inferFailure explains why no mime type could be inferred, and what to do.
func inferFailure(m mediaResourceModel, detected string) string {
	accepted := strings.Join(client.MediaMimeType("").Values(), ", ")
	what := "content_base64"
	if !m.File.IsNull() {
		what = fmt.Sprintf("the file %q", m.File.ValueString())
	}
	if detected == "" || detected == "application/octet-stream" {
		return fmt.Sprintf("The type of %s cannot be told from its name or content. The API takes %s: if the content is "+
			"one of those, set mime_type.", what, accepted)
	}
	return fmt.Sprintf("The content of %s looks like %s, which the API does not take. The API takes %s: convert the "+
		"content, or set mime_type if it is in fact one of those.", what, detected, accepted)
}

// withoutPath is the text of a file error without the path it names, which
// the message quotes already: printed raw, a path's control characters
// would reach the terminal.
func withoutPath(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Op + ": " + pe.Err.Error()
	}
	return err.Error()
}

// defaultFilename is the base name of file, or for content_base64 "media"
// with the usual extension of the mime type. Control characters in the base
// name (a file name may hold a line break) become "_": the upload's
// Content-Disposition header cannot carry them.
func defaultFilename(file string, mt client.MediaMimeType) string {
	if file != "" {
		return strings.Map(func(r rune) rune {
			if unicode.IsControl(r) {
				return '_'
			}
			return r
		}, filepath.Base(file))
	}
	for _, e := range mediaExtensions {
		if e.mime == mt {
			return "media" + e.ext
		}
	}
	return "media"
}

func base64Problem(err error) string {
	return fmt.Sprintf("content_base64 is not valid standard base64 (%s). Produce it with base64encode() or "+
		"filebase64(), or use file for a local file.", err)
}

func describeContent(m mediaResourceModel) string {
	if !m.File.IsNull() {
		return fmt.Sprintf("%q", m.File.ValueString())
	}
	return "content_base64"
}

// hashingOpener opens the configured content for each upload attempt and
// hashes what the last attempt read.
type hashingOpener struct {
	ctx   context.Context
	model mediaResourceModel
	last  *hashingReader
}

func (h *hashingOpener) open() (io.ReadCloser, error) {
	var rc io.ReadCloser
	if !h.model.ContentBase64.IsNull() {
		b, err := base64.StdEncoding.DecodeString(h.model.ContentBase64.ValueString())
		if err != nil {
			return nil, err
		}
		rc = io.NopCloser(bytes.NewReader(b))
	} else {
		f, err := openRegular(h.model.File.ValueString())
		if err != nil {
			return nil, err
		}
		rc = struct {
			io.Reader
			io.Closer
		}{ctxReader{ctx: h.ctx, r: f}, f}
	}
	h.last = newHashingReader(rc)
	return h.last, nil
}

func (h *hashingOpener) digest() (mediaDigest, bool) {
	if h.last == nil {
		return mediaDigest{}, false
	}
	return h.last.digest()
}
