package mockapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// part is one part of a multipart body.
type part struct {
	name, filename, contentType string
	data                        []byte
}

func multipartBody(t testing.TB, parts ...part) (string, []byte) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, p := range parts {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=%q`, p.name, p.filename))
		if p.contentType != "" {
			h.Set("Content-Type", p.contentType)
		}
		w, err := mw.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write(p.data)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return mw.FormDataContentType(), buf.Bytes()
}

func uploadRequest(t testing.TB, source string, parts ...part) *http.Request {
	t.Helper()
	ct, body := multipartBody(t, parts...)
	r := apiRequest(http.MethodPost, "/media?source="+source, "")
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.ContentLength = int64(len(body))
	r.Header.Set("Content-Type", ct)
	return r
}

func upload(t testing.TB, s http.Handler, mimeType string, data []byte) string {
	t.Helper()
	rec := serve(s, uploadRequest(t, testSource, part{"file", "f", mimeType, data}))
	wantStatus(t, rec, http.StatusOK)
	id := decode[map[string]string](t, rec)["id"]
	if id == "" {
		t.Fatalf("no id in %s", rec.Body.String())
	}
	return id
}

func sha(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

func TestMediaRoundTrip(t *testing.T) {
	t.Parallel()
	s := newMock(t, Options{})
	data := []byte("\x89PNG\r\n\x1a\n fake image")
	id := upload(t, s, "image/png", data)

	rec := do(s, http.MethodGet, "/media?media_id="+id+"&source="+testSource, "")
	wantStatus(t, rec, http.StatusOK)
	if !bytes.Equal(rec.Body.Bytes(), data) || rec.Header().Get("Content-Type") != "image/png" || rec.Header().Get("Content-Length") != strconv.Itoa(len(data)) {
		t.Fatalf("GET /media = %q %v", rec.Body.Bytes(), rec.Header())
	}
	info := s.Media()
	if len(info) != 1 || info[0].ID != id || info[0].SHA256 != sha(data) || info[0].Size != int64(len(data)) ||
		info[0].MimeType != "image/png" || info[0].OnDisk || !info[0].ExpiresAt.Equal(testStart.Add(DefaultMediaTTL)) || info[0].Filename != "f" {
		t.Fatalf("media = %+v", info)
	}
}

func TestMediaLargeUploadIsSpooledToDisk(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s, hs := newHTTPMock(t, Options{MediaDir: dir})
	data := bytes.Repeat([]byte("%PDF-1.7 0123456789abcdef"), 3<<20/25)
	ct, body := multipartBody(t, part{"file", "report.pdf", "application/pdf", data})
	status, respBody := httpDo(t, hs, http.MethodPost, "/media?source="+testSource, ct, bytes.NewReader(body))
	if status != http.StatusOK {
		t.Fatalf("upload: %d", status)
	}
	id := decodeBody[map[string]string](t, respBody)["id"]
	info := s.Media()[0]
	if !info.OnDisk || info.SHA256 != sha(data) || info.Size != int64(len(data)) || info.Filename != "report.pdf" {
		t.Fatalf("media = %+v", info)
	}
	if files := filesUnder(t, dir); files != 1 {
		t.Fatalf("%d spooled files, want 1", files)
	}

	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, hs.URL+BasePath+"/media?media_id="+id+"&source="+testSource, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.SetBasicAuth(DefaultUsername, DefaultPassword)
	resp, err := hs.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil || !bytes.Equal(got, data) || resp.Header.Get("Content-Type") != "application/pdf" || resp.ContentLength != int64(len(data)) {
		t.Fatalf("download: %v, %d bytes, %v", err, len(got), resp.Header)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if files := filesUnder(t, dir); files != 0 {
		t.Fatalf("%d files left after Close", files)
	}
}

// httpDo sends an authenticated request to the test server and returns the status and body.
func httpDo(t testing.TB, hs *httptest.Server, method, path, contentType string, body io.Reader) (int, io.Reader) {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), method, hs.URL+BasePath+path, body)
	if err != nil {
		t.Fatal(err)
	}
	req.SetBasicAuth(DefaultUsername, DefaultPassword)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := hs.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, bytes.NewReader(b)
}

func filesUnder(t testing.TB, dir string) int {
	t.Helper()
	n := 0
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() {
			sub, err := os.ReadDir(dir + "/" + e.Name())
			if err != nil {
				t.Fatal(err)
			}
			n += len(sub)
		} else {
			n++
		}
	}
	return n
}

func TestMediaNotFound(t *testing.T) {
	t.Parallel()
	s := newMock(t, Options{Accounts: map[string]Account{
		DefaultUsername: {Password: DefaultPassword, Sources: []string{testSource, "777"}},
		"other":         {Password: "pw", Sources: []string{testSource}},
	}})
	id := upload(t, s, "text/plain", []byte("hello"))
	for name, r := range map[string]*http.Request{
		"unknown id":    apiRequest(http.MethodGet, "/media?media_id=nope&source="+testSource, ""),
		"other source":  apiRequest(http.MethodGet, "/media?media_id="+id+"&source=777", ""),
		"other account": apiRequest(http.MethodGet, "/media?media_id="+id+"&source="+testSource, ""),
	} {
		if name == "other account" {
			r.SetBasicAuth("other", "pw")
		}
		if msg := wantError(t, serve(s, r), http.StatusNotFound); !strings.Contains(msg, "not found") {
			t.Errorf("%s: %q", name, msg)
		}
	}
}

func TestMediaExpires(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := newMock(t, Options{MediaTTL: time.Hour, MediaDir: dir})
	small := upload(t, s, "image/jpeg", []byte("jpeg"))
	large := upload(t, s, "video/mp4", bytes.Repeat([]byte("v"), 2<<20))
	get := func(id string) *httptest.ResponseRecorder {
		return do(s, http.MethodGet, "/media?media_id="+id+"&source="+testSource, "")
	}
	s.Advance(time.Hour - time.Second)
	wantStatus(t, get(small), http.StatusOK)
	wantStatus(t, get(large), http.StatusOK)
	s.Advance(time.Second)
	wantError(t, get(small), http.StatusNotFound)
	wantError(t, get(large), http.StatusNotFound)
	if len(s.Media()) != 0 || filesUnder(t, dir) != 0 {
		t.Fatalf("expired media kept: %+v, %d files", s.Media(), filesUnder(t, dir))
	}
}

func TestMediaSizeLimits(t *testing.T) {
	t.Parallel()
	def := newMock(t, Options{})
	custom := newMock(t, Options{MaxMediaBytes: 1000, MediaSizeLimits: map[string]int64{"text/plain": 10}})
	tests := []struct {
		name   string
		s      *Server
		mime   string
		size   int
		status int
	}{
		{"png at limit", def, "image/png", 5 << 20, http.StatusOK},
		{"png over limit", def, "image/png", 5<<20 + 1, http.StatusRequestEntityTooLarge},
		{"mp3 over limit", def, "audio/mp3", 16<<20 + 1, http.StatusRequestEntityTooLarge},
		{"custom max", custom, "application/pdf", 1000, http.StatusOK},
		{"custom max exceeded", custom, "application/pdf", 1001, http.StatusRequestEntityTooLarge},
		{"per-type override", custom, "text/plain", 11, http.StatusRequestEntityTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := serve(tt.s, uploadRequest(t, testSource, part{"file", "f", tt.mime, bytes.Repeat([]byte("x"), tt.size)}))
			if tt.status == http.StatusOK {
				wantStatus(t, rec, tt.status)
				return
			}
			if msg := wantError(t, rec, tt.status); !strings.Contains(msg, tt.mime) {
				t.Errorf("error %q does not name the type", msg)
			}
		})
	}
	r := uploadRequest(t, testSource, part{"file", "f", "image/png", []byte("x")})
	r.ContentLength = 200 << 20
	wantError(t, serve(def, r), http.StatusRequestEntityTooLarge)
}

func TestMediaUploadValidation(t *testing.T) {
	t.Parallel()
	s := newMock(t, Options{})
	file := part{"file", "a.png", "image/png", []byte("png")}
	tests := []struct {
		name        string
		parts       []part
		field, code string
	}{
		{"unsupported type", []part{{"file", "a.gif", "image/gif", []byte("gif")}}, "file", CodeInvalidValue},
		{"no part content type", []part{{"file", "a", "", []byte("x")}}, "file", CodeInvalidValue},
		{"no file part", []part{{"other", "a", "text/plain", []byte("x")}}, "file", CodeRequired},
		{"no parts", nil, "file", CodeRequired},
		{"two files", []part{file, file}, "file", CodeTooMany},
		{"empty file", []part{{"file", "a.png", "image/png", nil}}, "file", CodeRequired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			wantFieldError(t, serve(s, uploadRequest(t, testSource, tt.parts...)), tt.field, tt.code)
		})
	}
	if n := len(s.Media()); n != 0 {
		t.Fatalf("%d media stored from invalid uploads", n)
	}
	wantStatus(t, serve(s, uploadRequest(t, testSource, part{"note", "", "text/plain", []byte("ignored")}, file)), http.StatusOK)
}

func TestMediaMalformedMultipart(t *testing.T) {
	t.Parallel()
	s := newMock(t, Options{})
	ct, body := multipartBody(t, part{"file", "a.png", "image/png", bytes.Repeat([]byte("x"), 1000)})
	for name, b := range map[string][]byte{
		"truncated":         body[:len(body)/2],
		"no closing":        body[:len(body)-8],
		"garbage":           []byte("this is not multipart"),
		"wrong boundary":    bytes.ReplaceAll(body, []byte("--"), []byte("~~")),
		"truncated headers": body[:40],
	} {
		r := uploadRequest(t, testSource, part{"file", "a.png", "image/png", []byte("x")})
		r.Body = io.NopCloser(bytes.NewReader(b))
		r.ContentLength = int64(len(b))
		r.Header.Set("Content-Type", ct)
		rec := serve(s, r)
		if rec.Code != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400; %s", name, rec.Code, rec.Body.String())
		}
	}
}

func TestMediaUploadContentTypeAndSource(t *testing.T) {
	t.Parallel()
	s := newMock(t, Options{})
	r := uploadRequest(t, testSource, part{"file", "a.png", "image/png", []byte("x")})
	r.Header.Set("Content-Type", "application/json")
	wantError(t, serve(s, r), http.StatusUnsupportedMediaType)
	r = uploadRequest(t, testSource, part{"file", "a.png", "image/png", []byte("x")})
	r.Header.Set("Content-Type", "multipart/form-data")
	wantError(t, serve(s, r), http.StatusUnsupportedMediaType)
	msg := wantError(t, serve(s, uploadRequest(t, "999", part{"file", "a.png", "image/png", []byte("x")})), http.StatusUnprocessableEntity)
	if !strings.Contains(msg, "999") || !strings.Contains(msg, "POST /source") {
		t.Errorf("422 error %q", msg)
	}
}

// A 64 MiB upload and download through the handler allocate a small fraction of that: the
// mock streams.
func TestMediaMemoryStaysFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("uploads 64 MiB")
	}
	s := newMock(t, Options{MaxMediaBytes: 100 << 20, MediaDir: t.TempDir()})
	const size = 64 << 20
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	want := sha256.New()
	go func() {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="file"; filename="big.mp4"`)
		h.Set("Content-Type", "video/mp4")
		w, _ := mw.CreatePart(h)
		chunk := bytes.Repeat([]byte("0123456789abcdef"), 4096)
		for written := 0; written < size; written += len(chunk) {
			_, _ = w.Write(chunk)
			_, _ = want.Write(chunk)
		}
		_ = mw.Close()
		_ = pw.Close()
	}()
	r := apiRequest(http.MethodPost, "/media?source="+testSource, "")
	r.Body = pr
	r.ContentLength = -1
	r.Header.Set("Content-Type", mw.FormDataContentType())

	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	rec := serve(s, r)
	wantStatus(t, rec, http.StatusOK)
	id := decode[map[string]string](t, rec)["id"]
	dl := &hashingWriter{header: http.Header{}, h: sha256.New()}
	s.ServeHTTP(dl, apiRequest(http.MethodGet, "/media?media_id="+id+"&source="+testSource, ""))
	runtime.ReadMemStats(&after)

	if dl.status != http.StatusOK || dl.n != size || hex.EncodeToString(dl.h.Sum(nil)) != hex.EncodeToString(want.Sum(nil)) {
		t.Fatalf("download: status %d, %d bytes", dl.status, dl.n)
	}
	if s.Media()[0].SHA256 != hex.EncodeToString(want.Sum(nil)) {
		t.Fatal("sha256 of the upload is wrong")
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > size/4 {
		t.Fatalf("moving %d MiB allocated %d MiB", size>>20, alloc>>20)
	}
}

// hashingWriter is a ResponseWriter that hashes and discards the body.
type hashingWriter struct {
	header http.Header
	status int
	n      int64
	h      hash.Hash
}

func (w *hashingWriter) Header() http.Header { return w.header }
func (w *hashingWriter) WriteHeader(s int)   { w.status = s }
func (w *hashingWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	w.n += int64(len(p))
	return w.h.Write(p)
}

func TestFormatBytes(t *testing.T) {
	t.Parallel()
	for n, want := range map[int64]string{5 << 20: "5 MiB", 2048: "2 KiB", 1000: "1000 bytes", 5<<20 + 1: "5242881 bytes"} {
		if got := formatBytes(n); got != want {
			t.Errorf("formatBytes(%d) = %q, want %q", n, got, want)
		}
	}
}
