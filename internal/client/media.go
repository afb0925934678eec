package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"slices"
	"strings"
	"unicode"
)

// DefaultMediaFilename is the file name sent when MediaUpload.Filename is empty.
const DefaultMediaFilename = "file"

// MediaUpload describes a file to upload with UploadMedia.
type MediaUpload struct {
	// Source is the WhatsApp Business phone number id the media belongs to.
	Source string
	// Filename is the file name sent with the upload; DefaultMediaFilename when empty.
	Filename string
	// MimeType is the media's type, one of the MediaMimeType values; it is the Content-Type
	// of the file part.
	MimeType MediaMimeType
	// Size is the file's size in bytes, or -1 when unknown (the upload is then chunked). When
	// known, a file that turns out longer or shorter fails the upload.
	Size int64
	// Open returns the file's content. It is called once per attempt, and the content is
	// streamed: it is never held in memory whole. The client closes what it returns.
	Open func() (io.ReadCloser, error)
}

// MediaInfo describes downloaded media.
type MediaInfo struct {
	// ContentType is the Content-Type the service sent, the mime type of the upload.
	ContentType string
	// Size is the number of bytes written.
	Size int64
}

// UploadMedia uploads a file: POST /media?source=S, a multipart/form-data body with one part
// named "file". It returns the media id. A second upload only makes a second media id, so the
// call is retried after transient failures, opening the file again for each attempt.
//
// The body is streamed: the multipart framing (boundary, part headers, closing boundary) is
// made once by a multipart.Writer, and each attempt sends it around the file's content through
// an io.MultiReader. This gives the same bytes as a multipart.Writer behind an io.Pipe, without
// a goroutine, and with an exact Content-Length when the size is known.
func (c *Client) UploadMedia(ctx context.Context, u MediaUpload) (string, error) {
	const op = "POST /media"
	if u.Filename == "" {
		u.Filename = DefaultMediaFilename
	}
	var p problems
	p.checkSource(u.Source)
	if !slices.Contains(MediaMimeTypeValues(), u.MimeType) {
		p.add("mime_type", CodeInvalidValue, fmt.Sprintf("%q is not one of %v", u.MimeType, MediaMimeType("").Values()))
	}
	if strings.IndexFunc(u.Filename, unicode.IsControl) >= 0 {
		p.add("filename", CodeInvalidFormat, "the file name must not contain control characters")
	}
	if u.Size < -1 {
		p.add("size", CodeOutOfRange, "the size must be -1 (unknown) or the number of bytes")
	}
	if u.Open == nil {
		p.add("file", CodeRequired, "no content to upload")
	}
	if err := p.err(op); err != nil {
		return "", err
	}

	prefix, suffix, contentType, err := multipartFraming(u.Filename, string(u.MimeType))
	if err != nil {
		return "", fmt.Errorf("%s: %w", op, err)
	}
	openBody := func() (io.ReadCloser, int64, error) {
		f, err := u.Open()
		if err != nil {
			return nil, 0, fmt.Errorf("opening %s: %w", u.Filename, err)
		}
		var content io.Reader = f
		length := int64(-1)
		if u.Size >= 0 {
			content = &exactReader{r: f, want: u.Size, name: u.Filename}
			length = int64(len(prefix)) + u.Size + int64(len(suffix))
		}
		return &multiReadCloser{
			Reader: io.MultiReader(bytes.NewReader(prefix), content, bytes.NewReader(suffix)),
			Closer: f,
		}, length, nil
	}

	var id string
	err = c.doJSON(ctx, &call{
		method:      http.MethodPost,
		path:        "/media",
		query:       url.Values{"source": {u.Source}},
		openBody:    openBody,
		contentType: contentType,
		stream:      true,
		logFields:   map[string]any{"source": u.Source, "media_filename": u.Filename, "media_mime_type": string(u.MimeType), "media_size_bytes": u.Size},
	}, maxJSONBody, func(data []byte) (err error) {
		id, err = decodeMediaID(data)
		return err
	})
	return id, err
}

// multipartFraming returns what goes before and after the file's bytes in a multipart body
// with one part named "file", and the body's Content-Type.
func multipartFraming(filename, mimeType string) (prefix, suffix []byte, contentType string, err error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename="%s"`, quoteEscaper.Replace(filename)))
	h.Set("Content-Type", mimeType)
	if _, err := mw.CreatePart(h); err != nil {
		return nil, nil, "", err
	}
	prefix = bytes.Clone(buf.Bytes())
	buf.Reset()
	if err := mw.Close(); err != nil {
		return nil, nil, "", err
	}
	return prefix, bytes.Clone(buf.Bytes()), mw.FormDataContentType(), nil
}

// quoteEscaper escapes a quoted parameter value, as mime/multipart does for CreateFormFile.
var quoteEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`)

// multiReadCloser reads the multipart body and closes the file.
type multiReadCloser struct {
	io.Reader
	io.Closer
}

// exactReader fails when the file is not of the size announced: it changed since it was measured.
type exactReader struct {
	r    io.Reader
	want int64
	got  int64
	name string
}

func (e *exactReader) Read(p []byte) (int, error) {
	if e.got >= e.want {
		// Ask for one byte more, to notice a file that grew.
		var one [1]byte
		n, err := e.r.Read(one[:])
		if n > 0 {
			return 0, &sizeChangedError{fmt.Sprintf("%s changed while uploading: it is longer than %d bytes", e.name, e.want)}
		}
		if err == nil {
			return 0, nil
		}
		return 0, err
	}
	if rest := e.want - e.got; int64(len(p)) > rest {
		p = p[:rest]
	}
	n, err := e.r.Read(p)
	e.got += int64(n)
	if errors.Is(err, io.EOF) && e.got < e.want {
		return n, &sizeChangedError{fmt.Sprintf("%s changed while uploading: it has %d bytes, not %d", e.name, e.got, e.want)}
	}
	return n, err
}

// decodeMediaID reads the answer of POST /media: {"id": "..."}.
func decodeMediaID(data []byte) (string, error) {
	var out struct {
		ID *string `json:"id"`
	}
	if err := json.Unmarshal(data, &out); err != nil {
		return "", fmt.Errorf("invalid JSON: %w", err)
	}
	if out.ID == nil || *out.ID == "" {
		return "", errors.New(`the answer has no media "id"`)
	}
	return *out.ID, nil
}

// DownloadMedia streams media to w: GET /media?media_id=M&source=S. Media that does not exist
// or has expired is an error for which IsNotFound is true. The request is retried after
// transient failures only until the first byte was written to w; RequestTimeout is an idle
// timeout for the transfer.
func (c *Client) DownloadMedia(ctx context.Context, source, mediaID string, w io.Writer) (MediaInfo, error) {
	const op = "GET /media"
	var p problems
	p.checkSource(source)
	if mediaID == "" {
		p.add("media_id", CodeRequired, "a media id is required")
	}
	if err := p.err(op); err != nil {
		return MediaInfo{}, err
	}
	var info MediaInfo
	err := c.do(ctx, &call{
		method:       http.MethodGet,
		path:         "/media",
		query:        url.Values{"media_id": {mediaID}, "source": {source}},
		accept:       "*/*",
		stream:       true,
		notFoundHint: "The media does not exist or has expired (media expires some time after upload); upload it again.",
		logFields:    map[string]any{"source": source, "media_id": mediaID},
	}, func(_ context.Context, resp *http.Response, body io.Reader) error {
		info.ContentType = resp.Header.Get("Content-Type")
		n, err := io.Copy(w, body)
		info.Size = n
		if err != nil {
			return fmt.Errorf("transfer interrupted after %d bytes: %w", n, err)
		}
		return nil
	})
	return info, err
}
