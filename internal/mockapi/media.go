package mockapi

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

// MediaMimeTypes are the media types POST /media takes (the reference's MediaMimeType).
var MediaMimeTypes = []string{"image/png", "image/jpeg", "text/plain", "application/pdf", "audio/mp3", "video/mp4"}

// DefaultMediaSizeLimits are WhatsApp Cloud API's limits, which the mock applies by default:
// images 5 MiB, audio and video 16 MiB, documents 100 MiB.
var DefaultMediaSizeLimits = map[string]int64{
	"image/png":       5 << 20,
	"image/jpeg":      5 << 20,
	"audio/mp3":       16 << 20,
	"video/mp4":       16 << 20,
	"application/pdf": 100 << 20,
	"text/plain":      100 << 20,
}

// DefaultMediaTTL is how long uploaded media lives on the mock clock.
const DefaultMediaTTL = 720 * time.Hour

// spillThreshold is the size above which an upload is streamed to a temporary file.
const spillThreshold = 1 << 20

// multipartOverhead is what a multipart body may carry beyond the file itself.
const multipartOverhead = 1 << 20

// mediaObject is an uploaded file. Small ones live in memory, larger ones in a temporary file.
type mediaObject struct {
	MediaInfo
	data []byte
	path string
}

// MediaInfo describes uploaded media.
type MediaInfo struct {
	ID        string    `json:"id"`
	Account   string    `json:"account"`
	Source    string    `json:"source"`
	MimeType  string    `json:"mime_type"`
	Filename  string    `json:"filename,omitempty"`
	Size      int64     `json:"size_bytes"`
	SHA256    string    `json:"sha256"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
	// OnDisk tells whether the bytes were spooled to a temporary file.
	OnDisk bool `json:"on_disk"`
}

// open returns the media's bytes.
func (m *mediaObject) open() (io.ReadCloser, error) {
	if m.path == "" {
		return io.NopCloser(bytes.NewReader(m.data)), nil
	}
	return os.Open(m.path)
}

// mediaLimit returns the largest upload allowed for a mime type.
func (s *Server) mediaLimit(mimeType string) int64 {
	if n, ok := s.opts.MediaSizeLimits[mimeType]; ok {
		return n
	}
	if s.opts.MaxMediaBytes > 0 {
		return s.opts.MaxMediaBytes
	}
	return DefaultMediaSizeLimits[mimeType]
}

// largestMediaLimit is the largest limit of any type: the bound on a whole upload request.
func (s *Server) largestMediaLimit() int64 {
	var n int64
	for _, t := range MediaMimeTypes {
		n = max(n, s.mediaLimit(t))
	}
	return n
}

// handleUploadMedia serves POST /media?source=S (multipart/form-data, one part named file).
func (s *Server) handleUploadMedia(c *call) {
	mt, params, err := mime.ParseMediaType(c.r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		writeError(c.w, http.StatusUnsupportedMediaType, "Content-Type must be multipart/form-data with a boundary, with the file in a part named file; got %q", c.r.Header.Get("Content-Type"))
		return
	}
	var ck checker
	source := ck.queryParam(c.r.URL.Query(), "source", sourcePattern, descSource)
	if !c.passes(ck.errs) {
		return
	}
	if !s.sourceRegistered(c.account, source) {
		writeError(c.w, http.StatusUnprocessableEntity, "%s", unregisteredSource(source))
		return
	}
	maxBody := s.largestMediaLimit() + multipartOverhead
	if c.r.ContentLength > maxBody {
		writeError(c.w, http.StatusRequestEntityTooLarge, "the upload is %d bytes; media may be at most %s (%s)", c.r.ContentLength, formatBytes(s.largestMediaLimit()), s.describeLimits())
		return
	}
	body := http.MaxBytesReader(c.w, c.r.Body, maxBody)
	obj, status, problem := s.readUpload(multipart.NewReader(body, params["boundary"]))
	if problem != nil {
		if status == http.StatusBadRequest {
			writeValidation(c.w, []FieldError{*problem})
		} else {
			writeError(c.w, status, "%s", problem.Description)
		}
		return
	}
	obj.ID = newMediaID()
	obj.Account, obj.Source = c.account, source
	obj.CreatedAt = c.now
	obj.ExpiresAt = c.now.Add(s.opts.MediaTTL)
	s.mu.Lock()
	s.st.media[obj.ID] = obj
	s.mu.Unlock()
	writeJSON(c.w, http.StatusOK, map[string]string{"id": obj.ID})
}

// readUpload reads the multipart body. On failure it returns the status (400 or 413) and the
// problem, and leaves nothing behind.
func (s *Server) readUpload(mr *multipart.Reader) (*mediaObject, int, *FieldError) {
	var obj *mediaObject
	fail := func(status int, code, format string, args ...any) (*mediaObject, int, *FieldError) {
		if obj != nil && obj.path != "" {
			_ = os.Remove(obj.path)
		}
		return nil, status, &FieldError{Field: "file", Code: code, Description: fmt.Sprintf(format, args...)}
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if isTooLarge(err) {
				return fail(http.StatusRequestEntityTooLarge, CodeTooLarge, "the upload is larger than %s (%s)", formatBytes(s.largestMediaLimit()), s.describeLimits())
			}
			return fail(http.StatusBadRequest, CodeInvalidFormat, "the multipart body is malformed or truncated: %v", err)
		}
		if part.FormName() != "file" {
			_, err := io.Copy(io.Discard, part) // other parts are ignored; the body size is capped
			_ = part.Close()
			if err != nil {
				return fail(statusOfReadError(err), CodeInvalidFormat, "the multipart body is malformed or truncated: %v", err)
			}
			continue
		}
		if obj != nil {
			_ = part.Close()
			return fail(http.StatusBadRequest, CodeTooMany, "only one part named file is allowed")
		}
		mimeType, err := partMimeType(part)
		if err != nil {
			_ = part.Close()
			return fail(http.StatusBadRequest, CodeInvalidValue, "%v", err)
		}
		obj, err = s.spool(part, mimeType)
		if obj != nil {
			obj.Filename = part.FileName()
		}
		_ = part.Close()
		if err != nil {
			var tooBig *mediaTooLargeError
			switch {
			case errors.As(err, &tooBig) || isTooLarge(err):
				return fail(http.StatusRequestEntityTooLarge, CodeTooLarge, "the %s file is larger than %s, the limit for that type (%s)", mimeType, formatBytes(s.mediaLimit(mimeType)), s.describeLimits())
			case errors.Is(err, errSpool):
				return fail(http.StatusInsufficientStorage, CodeTooLarge, "the mock could not store the upload: %v", err)
			default:
				return fail(http.StatusBadRequest, CodeInvalidFormat, "the multipart body is malformed or truncated: %v", err)
			}
		}
	}
	if obj == nil {
		return fail(http.StatusBadRequest, CodeRequired, "a part named file is required")
	}
	if obj.Size == 0 {
		return fail(http.StatusBadRequest, CodeRequired, "the file is empty")
	}
	return obj, http.StatusOK, nil
}

func partMimeType(part *multipart.Part) (string, error) {
	raw := part.Header.Get("Content-Type")
	allowed := strings.Join(MediaMimeTypes, ", ")
	if raw == "" {
		return "", fmt.Errorf("the file part has no Content-Type; set it to the media type, one of %s", allowed)
	}
	mt, _, err := mime.ParseMediaType(raw)
	if err != nil || !slices.Contains(MediaMimeTypes, mt) {
		return "", fmt.Errorf("the file's Content-Type %q is not supported; use one of %s", raw, allowed)
	}
	return mt, nil
}

func statusOfReadError(err error) int {
	if isTooLarge(err) {
		return http.StatusRequestEntityTooLarge
	}
	return http.StatusBadRequest
}

func isTooLarge(err error) bool {
	var maxErr *http.MaxBytesError
	return errors.As(err, &maxErr)
}

type mediaTooLargeError struct{ limit int64 }

func (e *mediaTooLargeError) Error() string { return "media larger than " + formatBytes(e.limit) }

// errSpool marks failures of the mock's own storage.
var errSpool = errors.New("temporary storage failed")

// spool copies r into memory, or into a temporary file once it grows past spillThreshold,
// hashing as it goes, and fails with *mediaTooLargeError beyond the type's limit.
func (s *Server) spool(r io.Reader, mimeType string) (*mediaObject, error) {
	limit := s.mediaLimit(mimeType)
	w := &spoolWriter{hash: sha256.New(), threshold: spillThreshold, dirFn: s.mediaDir}
	n, err := io.CopyBuffer(w, io.LimitReader(r, limit+1), make([]byte, 256<<10))
	if err == nil && n > limit {
		err = &mediaTooLargeError{limit: limit}
	}
	if err == nil && w.file != nil {
		err = w.file.Close()
		if err != nil {
			err = fmt.Errorf("%w: %w", errSpool, err)
		}
	}
	if err != nil {
		w.discard()
		return nil, err
	}
	obj := &mediaObject{MediaInfo: MediaInfo{MimeType: mimeType, Size: n, SHA256: hex.EncodeToString(w.hash.Sum(nil))}}
	if w.file != nil {
		obj.path, obj.OnDisk = w.file.Name(), true
	} else {
		obj.data = bytes.Clone(w.buf.Bytes())
	}
	return obj, nil
}

// spoolWriter keeps the first threshold bytes in memory and moves everything to a temporary
// file when more arrive.
type spoolWriter struct {
	hash      hash.Hash
	threshold int
	dirFn     func() (string, error)
	buf       bytes.Buffer
	file      *os.File
}

func (w *spoolWriter) Write(p []byte) (int, error) {
	_, _ = w.hash.Write(p)
	if w.file == nil && w.buf.Len()+len(p) <= w.threshold {
		return w.buf.Write(p)
	}
	if w.file == nil {
		dir, err := w.dirFn()
		if err != nil {
			return 0, fmt.Errorf("%w: %w", errSpool, err)
		}
		f, err := os.CreateTemp(dir, "media-*")
		if err != nil {
			return 0, fmt.Errorf("%w: %w", errSpool, err)
		}
		w.file = f
		if _, err := f.Write(w.buf.Bytes()); err != nil {
			return 0, fmt.Errorf("%w: %w", errSpool, err)
		}
		w.buf = bytes.Buffer{}
	}
	n, err := w.file.Write(p)
	if err != nil {
		err = fmt.Errorf("%w: %w", errSpool, err)
	}
	return n, err
}

func (w *spoolWriter) discard() {
	if w.file != nil {
		_ = w.file.Close()
		_ = os.Remove(w.file.Name())
	}
}

// mediaDir returns the folder for spooled media, creating it on first use.
func (s *Server) mediaDir() (string, error) {
	s.mediaDirMu.Lock()
	defer s.mediaDirMu.Unlock()
	if s.mediaDirPath == "" {
		dir, err := os.MkdirTemp(s.opts.MediaDir, "ezitxt-mock-media-")
		if err != nil {
			return "", err
		}
		s.mediaDirPath = dir
	}
	return s.mediaDirPath, nil
}

// handleGetMedia serves GET /media?media_id=M&source=S: the bytes, streamed.
func (s *Server) handleGetMedia(c *call) {
	var ck checker
	q := c.r.URL.Query()
	id := ck.queryParam(q, "media_id", nil, "")
	source := ck.queryParam(q, "source", sourcePattern, descSource)
	if !c.passes(ck.errs) {
		return
	}
	s.mu.RLock()
	obj := s.st.media[id]
	found := obj != nil && obj.Account == c.account && obj.Source == source && c.now.Before(obj.ExpiresAt)
	var rc io.ReadCloser
	var err error
	if found {
		rc, err = obj.open() // opened under the lock, so an expiry sweep cannot remove it first
	}
	s.mu.RUnlock()
	if !found || err != nil {
		writeError(c.w, http.StatusNotFound, "media %q not found for source %s: unknown, expired (media lives %s), or uploaded from another source", id, source, s.opts.MediaTTL)
		return
	}
	defer func() { _ = rc.Close() }()
	h := c.w.Header()
	h.Set("Content-Type", obj.MimeType)
	h.Set("Content-Length", strconv.FormatInt(obj.Size, 10))
	c.w.WriteHeader(http.StatusOK)
	if _, err := io.CopyBuffer(c.w, rc, make([]byte, 256<<10)); err != nil {
		s.log.Debug("media download interrupted", "media_id", id, "error", err)
	}
}

// expireMedia removes media whose time is up and deletes their files.
func (s *Server) expireMedia(now time.Time) {
	var paths []string
	s.mu.Lock()
	for id, m := range s.st.media {
		if !now.Before(m.ExpiresAt) {
			delete(s.st.media, id)
			if m.path != "" {
				paths = append(paths, m.path)
			}
		}
	}
	s.mu.Unlock()
	removeFiles(paths)
}

func removeFiles(paths []string) {
	for _, p := range paths {
		_ = os.Remove(p)
	}
}

func (s *Server) describeLimits() string {
	parts := make([]string, 0, len(MediaMimeTypes))
	for _, t := range MediaMimeTypes {
		parts = append(parts, t+" "+formatBytes(s.mediaLimit(t)))
	}
	return "limits: " + strings.Join(parts, ", ")
}

func formatBytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + " MiB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return strconv.FormatInt(n>>10, 10) + " KiB"
	default:
		return strconv.FormatInt(n, 10) + " bytes"
	}
}

func removeAll(dir string) error { return os.RemoveAll(dir) }
