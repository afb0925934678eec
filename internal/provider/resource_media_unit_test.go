package provider

import (
	"context"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/client"
)

func TestInferMime(t *testing.T) {
	t.Parallel()
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR")
	tests := []struct {
		name         string
		file         string
		head         []byte
		want         client.MediaMimeType
		wantDetected string
		ok           bool
	}{
		{"extension wins over content", "logo.png", []byte("plain text"), client.MimeImagePNG, "", true},
		{"upper-case extension", "PHOTO.JPEG", nil, client.MimeImageJPEG, "", true},
		{"jpg", "a/b/photo.jpg", nil, client.MimeImageJPEG, "", true},
		{"txt", "notes.txt", nil, client.MimeTextPlain, "", true},
		{"pdf", "report.pdf", nil, client.MimePDF, "", true},
		{"mp3", "jingle.mp3", nil, client.MimeAudioMP3, "", true},
		{"mp4", "clip.mp4", nil, client.MimeVideoMP4, "", true},
		{"sniffed png", "", png, client.MimeImagePNG, "image/png", true},
		{"sniffed text", "README", []byte("hello, world\n"), client.MimeTextPlain, "text/plain", true},
		{"sniffed pdf", "report.bin", []byte("%PDF-1.7\n"), client.MimePDF, "application/pdf", true},
		{"sniffed mp3 is audio/mp3", "", []byte("ID3\x03\x00\x00\x00\x00\x00\x00"), client.MimeAudioMP3, "audio/mpeg", true},
		{"gif is not taken", "anim.gif", []byte("GIF89a......"), "", "image/gif", false},
		{"binary cannot be told", "blob.bin", []byte{0, 1, 2, 0xfe, 0xff}, "", "application/octet-stream", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, detected, ok := inferMime(tc.file, tc.head)
			if got != tc.want || ok != tc.ok || detected != tc.wantDetected {
				t.Errorf("inferMime(%q) = %q, %q, %t; want %q, %q, %t", tc.file, got, detected, ok, tc.want, tc.wantDetected, tc.ok)
			}
		})
	}
}

func TestInferFailure(t *testing.T) {
	t.Parallel()
	m := mediaResourceModel{File: types.StringValue("anim.gif"), ContentBase64: types.StringNull()}
	if got := inferFailure(m, "image/gif"); !strings.Contains(got, `"anim.gif" looks like image/gif, which the API does not take`) {
		t.Errorf("unsupported type: %q", got)
	}
	m = mediaResourceModel{File: types.StringNull(), ContentBase64: types.StringValue("AAEC")}
	if got := inferFailure(m, "application/octet-stream"); !strings.Contains(got, "content_base64 cannot be told") || !strings.Contains(got, "set mime_type") {
		t.Errorf("unknown type: %q", got)
	}
}

func TestDefaultFilename(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file string
		mime client.MediaMimeType
		want string
	}{
		{"/srv/assets/logo.png", client.MimeImagePNG, "logo.png"},
		{"report", client.MimePDF, "report"},
		{"/srv/assets/logo\nnew\t.png", client.MimeImagePNG, "logo_new_.png"},
		{"", client.MimeImageJPEG, "media.jpg"},
		{"", client.MimeTextPlain, "media.txt"},
		{"", client.MimeVideoMP4, "media.mp4"},
		{"", "application/x-other", "media"},
	}
	for _, tc := range tests {
		if got := defaultFilename(tc.file, tc.mime); got != tc.want {
			t.Errorf("defaultFilename(%q, %q) = %q, want %q", tc.file, tc.mime, got, tc.want)
		}
	}
}

// TestMediaExtensionsCoverAPI checks that every mime type of the reference
// can be inferred from an extension, and that no extension maps elsewhere.
func TestMediaExtensionsCoverAPI(t *testing.T) {
	t.Parallel()
	covered := map[client.MediaMimeType]bool{}
	for _, e := range mediaExtensions {
		covered[e.mime] = true
	}
	for _, mt := range client.MediaMimeTypeValues() {
		if !covered[mt] {
			t.Errorf("no extension infers %s", mt)
		}
	}
	if len(covered) != len(client.MediaMimeTypeValues()) {
		t.Errorf("extensions map to %d types, the API has %d", len(covered), len(client.MediaMimeTypeValues()))
	}
}

// TestSourceAndMediaDescriptions checks that every attribute of the source
// and media resources and of the media data source is described.
func TestSourceAndMediaDescriptions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, r := range []resource.Resource{NewSourceResource(), NewMediaResource()} {
		var resp resource.SchemaResponse
		r.Schema(ctx, resource.SchemaRequest{}, &resp)
		var meta resource.MetadataResponse
		r.Metadata(ctx, resource.MetadataRequest{ProviderTypeName: "ezitxt"}, &meta)
		if resp.Schema.MarkdownDescription == "" {
			t.Errorf("%s has no description", meta.TypeName)
		}
		for name, a := range resp.Schema.Attributes {
			if a.GetMarkdownDescription() == "" {
				t.Errorf("%s.%s has no description", meta.TypeName, name)
			}
		}
	}
	var resp datasource.SchemaResponse
	NewMediaDataSource().Schema(ctx, datasource.SchemaRequest{}, &resp)
	if resp.Schema.MarkdownDescription == "" {
		t.Error("data source ezitxt_media has no description")
	}
	for name, a := range resp.Schema.Attributes {
		if a.GetMarkdownDescription() == "" {
			t.Errorf("data source ezitxt_media.%s has no description", name)
		}
	}
}

// A file that cannot be read is named once, quoted: its control characters
// (an escape sequence, a line break) do not reach the terminal raw through
// the error that names the path again (red-team pass).
func TestLocalContentErrorQuotesThePath(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, name := range []string{"x\x1b[31mRED\x1b[0m.png", "line\nbreak.png"} {
		for _, hash := range []bool{true, false} {
			m := mediaResourceModel{File: types.StringValue(filepath.Join(dir, name))}
			_, _, diags := localContent(t.Context(), m, hash)
			if !diags.HasError() {
				t.Fatalf("%q: no error for a missing file", name)
			}
			d := diags.Errors()[0].Detail()
			if strings.ContainsRune(d, '\x1b') || strings.Count(d, "\n") != 2 || !strings.Contains(d, "no such file or directory") {
				t.Errorf("%q (hash %v): detail prints the path raw:\n%s", name, hash, d)
			}
		}
	}
	fifo := filepath.Join(dir, "pipe\x1b.png")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	_, _, diags := localContent(t.Context(), mediaResourceModel{File: types.StringValue(fifo)}, true)
	if !diags.HasError() || strings.ContainsRune(diags.Errors()[0].Detail(), '\x1b') {
		t.Errorf("a FIFO's error prints its path raw: %v", diags)
	}
}
