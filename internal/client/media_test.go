package client

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// readUpload checks a media upload request and returns its file part's name, type and content.
func readUpload(t *testing.T, r *http.Request) (filename, contentType string, content []byte) {
	t.Helper()
	if r.Method != http.MethodPost || r.URL.Path != basePath+"/media" || r.URL.RawQuery != "source="+testSource {
		t.Errorf("request = %s %s", r.Method, r.URL)
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "multipart/form-data" {
		t.Errorf("Content-Type = %q", r.Header.Get("Content-Type"))
	}
	mr, err := r.MultipartReader()
	if err != nil {
		t.Fatalf("multipart: %v", err)
	}
	part, err := mr.NextPart()
	if err != nil {
		t.Fatalf("first part: %v", err)
	}
	if part.FormName() != "file" {
		t.Errorf("part name = %q, want file", part.FormName())
	}
	content, err = io.ReadAll(part)
	if err != nil {
		t.Errorf("reading the part: %v", err)
	}
	if _, err := mr.NextPart(); !errors.Is(err, io.EOF) {
		t.Errorf("more than one part: %v", err)
	}
	return part.FileName(), part.Header.Get("Content-Type"), content
}

func TestUploadMedia(t *testing.T) {
	t.Parallel()
	content := []byte("%PDF-1.4 pretend\x00\x01binary")
	for _, size := range []int64{int64(len(content)), -1} {
		t.Run(fmt.Sprintf("size %d", size), func(t *testing.T) {
			t.Parallel()
			a := newTestAPI(t, func(w http.ResponseWriter, r *http.Request) {
				if size >= 0 && r.ContentLength <= size {
					t.Errorf("Content-Length = %d, want the exact multipart length", r.ContentLength)
				}
				if size < 0 && (r.ContentLength != -1 || len(r.TransferEncoding) == 0) {
					t.Errorf("unknown size: Content-Length %d, Transfer-Encoding %v", r.ContentLength, r.TransferEncoding)
				}
				name, ct, got := readUpload(t, r)
				if name != `menu "v2".pdf` || ct != "application/pdf" || !bytes.Equal(got, content) {
					t.Errorf("part = %q %q %q", name, ct, got)
				}
				writeJSON(w, http.StatusOK, `{"id":"abcd1234xyz"}`)
			})
			c, _ := newTestClient(t, a.url())
			id, err := c.UploadMedia(t.Context(), MediaUpload{
				Source: testSource, Filename: `menu "v2".pdf`, MimeType: MimePDF, Size: size,
				Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(content)), nil },
			})
			if err != nil || id != "abcd1234xyz" {
				t.Fatalf("UploadMedia = %q, %v", id, err)
			}
		})
	}
}

// countingSource produces size bytes on demand, counting how many it has produced.
type countingSource struct {
	size     int64
	produced atomic.Int64
	closed   atomic.Bool
}

func (s *countingSource) Read(p []byte) (int, error) {
	rest := s.size - s.produced.Load()
	if rest <= 0 {
		return 0, io.EOF
	}
	n := min(int64(len(p)), rest)
	for i := range p[:n] {
		p[i] = byte(i)
	}
	s.produced.Add(n)
	return int(n), nil
}

func (s *countingSource) Close() error { s.closed.Store(true); return nil }

// TestUploadMediaStreams proves that the client does not buffer the file: when the server has
// read the first MiB of the part, the client has produced far less than the whole file.
func TestUploadMediaStreams(t *testing.T) {
	t.Parallel()
	const size = 64 << 20
	src := &countingSource{size: size}
	var producedAtFirstMiB, received atomic.Int64
	a := newTestAPI(t, func(w http.ResponseWriter, r *http.Request) {
		mr, err := r.MultipartReader()
		if err != nil {
			t.Fatal(err)
		}
		part, err := mr.NextPart()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.ReadFull(part, make([]byte, 1<<20)); err != nil {
			t.Fatal(err)
		}
		producedAtFirstMiB.Store(src.produced.Load())
		n, _ := io.Copy(io.Discard, part)
		received.Store(1<<20 + n)
		writeJSON(w, http.StatusOK, `{"id":"big"}`)
	})
	c, _ := newTestClient(t, a.url())
	id, err := c.UploadMedia(t.Context(), MediaUpload{
		Source: testSource, Filename: "big.mp4", MimeType: MimeVideoMP4, Size: size,
		Open: func() (io.ReadCloser, error) { return src, nil },
	})
	if err != nil || id != "big" {
		t.Fatalf("UploadMedia = %q, %v", id, err)
	}
	if got := producedAtFirstMiB.Load(); got >= size/2 {
		t.Errorf("the client had read %d of %d bytes when the server had 1 MiB: the upload is buffered", got, size)
	}
	if received.Load() != size || !src.closed.Load() {
		t.Errorf("received %d bytes, closed %v", received.Load(), src.closed.Load())
	}
}

func TestUploadMediaReopensForEachAttempt(t *testing.T) {
	t.Parallel()
	var n atomic.Int64
	a := newTestAPI(t, func(w http.ResponseWriter, r *http.Request) {
		_, _, got := readUpload(t, r)
		if string(got) != "hello" {
			t.Errorf("content = %q", got)
		}
		if n.Add(1) == 1 {
			apiError(w, http.StatusServiceUnavailable, "busy")
			return
		}
		writeJSON(w, http.StatusOK, `{"id":"m2"}`)
	})
	c, s := newTestClient(t, a.url())
	var opens atomic.Int64
	id, err := c.UploadMedia(t.Context(), MediaUpload{
		Source: testSource, Filename: "a.txt", MimeType: MimeTextPlain, Size: 5,
		Open: func() (io.ReadCloser, error) {
			opens.Add(1)
			return io.NopCloser(strings.NewReader("hello")), nil
		},
	})
	if err != nil || id != "m2" {
		t.Fatalf("UploadMedia = %q, %v", id, err)
	}
	if opens.Load() != 2 || len(s.get()) != 1 {
		t.Errorf("opens %d, waits %v", opens.Load(), s.get())
	}
}

func TestUploadMediaFailures(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		apiError(w, http.StatusRequestEntityTooLarge, "file too large")
	})
	c, _ := newTestClient(t, a.url())
	open := func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader("hello")), nil }

	_, err := c.UploadMedia(t.Context(), MediaUpload{Source: testSource, MimeType: MimeImagePNG, Size: -1, Open: open})
	if StatusCode(err) != http.StatusRequestEntityTooLarge {
		t.Fatalf("err = %v", err)
	}
	mustContain(t, err.Error(), "POST /media?source=1234567890: 413", "file too large", "smaller file")
	requests := a.requests.Load()

	// A file whose size changed is not retried.
	_, err = c.UploadMedia(t.Context(), MediaUpload{Source: testSource, MimeType: MimeImagePNG, Size: 10, Open: open})
	mustContain(t, fmt.Sprint(err), "changed while uploading", "5 bytes, not 10")
	_, err = c.UploadMedia(t.Context(), MediaUpload{Source: testSource, MimeType: MimeImagePNG, Size: 3, Open: open})
	mustContain(t, fmt.Sprint(err), "longer than 3 bytes")
	var te *TransportError
	if !errors.As(err, &te) || te.Attempts != 1 {
		t.Errorf("a size mismatch was retried: %v", err)
	}

	// A file that cannot be opened is not retried.
	boom := errors.New("permission denied")
	_, err = c.UploadMedia(t.Context(), MediaUpload{Source: testSource, MimeType: MimeImagePNG, Size: -1,
		Open: func() (io.ReadCloser, error) { return nil, boom }})
	if !errors.Is(err, boom) {
		t.Errorf("err = %v", err)
	}

	// Invalid input is not sent.
	_, err = c.UploadMedia(t.Context(), MediaUpload{Source: "x", Filename: "a\nb", MimeType: "image/gif", Size: -2})
	mustContain(t, fmt.Sprint(err), "source (invalid_format)", "mime_type (invalid_value)", "filename (invalid_format)",
		"size (out_of_range)", "file (required)")
	if got := a.requests.Load(); got > requests+2 {
		t.Errorf("requests = %d, want at most %d", got, requests+2)
	}
}

func TestDownloadMedia(t *testing.T) {
	t.Parallel()
	content := bytes.Repeat([]byte{0x89, 'P', 'N', 'G'}, 300_000)
	a := newTestAPI(t, func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if r.Method != http.MethodGet || r.URL.Path != basePath+"/media" || q.Get("media_id") != "abcd1234xyz" ||
			q.Get("source") != testSource || len(q) != 2 {
			t.Errorf("request = %s %s", r.Method, r.URL)
		}
		w.Header().Set("Content-Type", "image/png")
		_, _ = w.Write(content)
	})
	c, _ := newTestClient(t, a.url())
	var buf bytes.Buffer
	info, err := c.DownloadMedia(t.Context(), testSource, "abcd1234xyz", &buf)
	if err != nil {
		t.Fatal(err)
	}
	if info != (MediaInfo{ContentType: "image/png", Size: int64(len(content))}) || !bytes.Equal(buf.Bytes(), content) {
		t.Errorf("info = %+v, %d bytes", info, buf.Len())
	}
}

func TestDownloadMediaNotFound(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, func(w http.ResponseWriter, _ *http.Request) {
		apiError(w, http.StatusNotFound, "not found error message")
	})
	c, _ := newTestClient(t, a.url())
	var buf bytes.Buffer
	_, err := c.DownloadMedia(t.Context(), testSource, "gone", &buf)
	if !IsNotFound(err) || buf.Len() != 0 {
		t.Fatalf("err = %v, %d bytes written", err, buf.Len())
	}
	mustContain(t, err.Error(), "GET /media?media_id=gone&source=1234567890: 404 Not Found", "expired", "upload it again")
}

// TestDownloadMediaIdleTimeout: a transfer that makes progress may take longer than the request
// timeout; one that stalls is aborted and, being partly written, not retried.
func TestDownloadMediaIdleTimeout(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	a := newTestAPI(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "video/mp4")
		rc := http.NewResponseController(w)
		if r.URL.Query().Get("media_id") == "slow" {
			for range 8 {
				_, _ = w.Write([]byte("chunk"))
				_ = rc.Flush()
				time.Sleep(50 * time.Millisecond)
			}
			return
		}
		_, _ = w.Write([]byte("partial"))
		_ = rc.Flush()
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	t.Cleanup(func() { close(release) })
	c, _ := newTestClient(t, a.url(), func(cfg *Config) { cfg.RequestTimeout = 300 * time.Millisecond })

	var buf bytes.Buffer
	info, err := c.DownloadMedia(t.Context(), testSource, "slow", &buf)
	if err != nil || info.Size != 40 {
		t.Fatalf("slow but steady download: %+v, %v", info, err)
	}

	c, _ = newTestClient(t, a.url(), func(cfg *Config) { cfg.RequestTimeout = 30 * time.Millisecond })
	buf.Reset()
	requests := a.requests.Load()
	_, err = c.DownloadMedia(t.Context(), testSource, "stall", &buf)
	if err == nil || errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	mustContain(t, err.Error(), "GET /media", "no progress for 30ms (request_timeout)")
	if a.requests.Load() != requests+1 || buf.String() != "partial" {
		t.Errorf("a partly written download was retried (%d requests, %q)", a.requests.Load()-requests, buf.String())
	}
}
