package provider

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"testing/iotest"
	"time"
)

func hexSum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func TestFileDigest(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, size := range []int{1, sniffLen - 1, sniffLen, sniffLen + 1, 3 << 20} {
		b := bytes.Repeat([]byte("0123456789abcdef"), size/16+1)[:size]
		name := filepath.Join(dir, "f")
		if err := os.WriteFile(name, b, 0o600); err != nil {
			t.Fatal(err)
		}
		dg, head, err := fileDigest(t.Context(), name)
		if err != nil {
			t.Fatalf("size %d: %v", size, err)
		}
		if dg.SHA256 != hexSum(b) || dg.Size != int64(size) {
			t.Errorf("size %d: digest %+v, want %s and %d", size, dg, hexSum(b), size)
		}
		if want := b[:min(size, sniffLen)]; !bytes.Equal(head, want) {
			t.Errorf("size %d: head of %d bytes, want the first %d", size, len(head), len(want))
		}
	}

	empty := filepath.Join(dir, "empty")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if dg, head, err := fileDigest(t.Context(), empty); err != nil || dg.Size != 0 || len(head) != 0 || dg.SHA256 != hexSum(nil) {
		t.Errorf("empty file: %+v %q %v", dg, head, err)
	}
	if _, _, err := fileDigest(t.Context(), filepath.Join(dir, "missing")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v, want not exist", err)
	}
	if _, _, err := fileDigest(t.Context(), dir); err == nil || !strings.Contains(err.Error(), "directory") {
		t.Errorf("directory: %v, want an error naming it a directory", err)
	}
}

func TestBytesDigest(t *testing.T) {
	t.Parallel()
	if dg := bytesDigest([]byte("hello")); dg.SHA256 != hexSum([]byte("hello")) || dg.Size != 5 {
		t.Errorf("bytesDigest = %+v", dg)
	}
}

func TestMediaType(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"image/png":                 "image/png",
		"text/plain; charset=utf-8": "text/plain",
		"Text/Plain ; charset=x":    "text/plain",
		"video/mp4;":                "video/mp4",
		"":                          "",
	} {
		if got := mediaType(in); got != want {
			t.Errorf("mediaType(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestHashingReader(t *testing.T) {
	t.Parallel()
	content := bytes.Repeat([]byte("x"), 10000)
	r := newHashingReader(io.NopCloser(iotest.HalfReader(bytes.NewReader(content))))
	if _, err := io.CopyN(io.Discard, r, 100); err != nil {
		t.Fatal(err)
	}
	if _, whole := r.digest(); whole {
		t.Error("digest claims the whole content after a partial read")
	}
	if _, err := io.Copy(io.Discard, r); err != nil {
		t.Fatal(err)
	}
	dg, whole := r.digest()
	if !whole || dg.SHA256 != hexSum(content) || dg.Size != int64(len(content)) {
		t.Errorf("digest %+v (whole %t), want %s and %d", dg, whole, hexSum(content), len(content))
	}
}

func TestLimitWriter(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	w := &limitWriter{w: &buf, left: 10}
	if n, err := w.Write([]byte("12345")); n != 5 || err != nil {
		t.Fatalf("first write: %d %v", n, err)
	}
	if n, err := w.Write([]byte("67890")); n != 5 || err != nil {
		t.Fatalf("write up to the limit: %d %v", n, err)
	}
	if _, err := w.Write([]byte("!")); !errors.Is(err, errContentTooLarge) {
		t.Errorf("write past the limit: %v, want errContentTooLarge", err)
	}
	if buf.String() != "1234567890" {
		t.Errorf("written %q", buf.String())
	}
}

// TestFileDigestRefusesSpecialFiles: a device or a FIFO as the media file
// used to hang plan forever (/dev/zero and /dev/urandom never end; opening a
// FIFO blocks until a writer comes). They are refused before being opened,
// by both the hashing and the look-only reads, well within the deadline.
func TestFileDigestRefusesSpecialFiles(t *testing.T) {
	t.Parallel()
	fifo := filepath.Join(t.TempDir(), "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatalf("mkfifo: %v", err)
	}
	for _, tc := range []struct{ name, want string }{
		{"/dev/zero", "character device"},
		{"/dev/urandom", "character device"},
		{fifo, "named pipe (FIFO)"},
		{t.TempDir(), "directory"},
	} {
		for _, read := range []struct {
			name string
			f    func(context.Context, string) (mediaDigest, []byte, error)
		}{{"fileDigest", fileDigest}, {"fileHead", fileHead}} {
			ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
			done := make(chan error, 1)
			go func() {
				_, _, err := read.f(ctx, tc.name)
				done <- err
			}()
			select {
			case err := <-done:
				if !errors.Is(err, errNotRegular) || !strings.Contains(err.Error(), tc.want) {
					t.Errorf("%s(%s) = %v, want %q and errNotRegular", read.name, tc.name, err, tc.want)
				}
			case <-time.After(10 * time.Second):
				t.Errorf("%s(%s) did not return: it hangs", read.name, tc.name)
			}
			cancel()
		}
	}
}

// TestFileDigestHonoursCancellation: hashing a large regular file stops at
// once when the context is cancelled (Ctrl-C during plan).
func TestFileDigestHonoursCancellation(t *testing.T) {
	t.Parallel()
	name := filepath.Join(t.TempDir(), "big")
	if err := os.WriteFile(name, bytes.Repeat([]byte{1}, 4<<20), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, _, err := fileDigest(ctx, name); !errors.Is(err, context.Canceled) {
		t.Errorf("fileDigest with a cancelled context = %v, want context.Canceled", err)
	}
	// A reader that cancels after the first read: the copy stops after it.
	ctx, cancel = context.WithCancel(t.Context())
	defer cancel()
	f, err := os.Open(name) //nolint:gosec // G304: a file the test wrote
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	r := ctxReader{ctx: ctx, r: readHook{r: f, after: cancel}}
	n, err := io.Copy(io.Discard, r)
	if !errors.Is(err, context.Canceled) || n >= 4<<20 {
		t.Errorf("copy through ctxReader = %d bytes, %v; want it stopped with context.Canceled", n, err)
	}
}

type readHook struct {
	r     io.Reader
	after func()
}

func (h readHook) Read(p []byte) (int, error) {
	n, err := h.r.Read(p)
	h.after()
	return n, err
}
