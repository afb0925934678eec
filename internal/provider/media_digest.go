package provider

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"mime"
	"os"
	"strings"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/client"
)

// sniffLen is how many leading bytes content sniffing looks at
// (http.DetectContentType reads at most 512).
const sniffLen = 512

// mediaDigest is what the provider knows of a media file's bytes.
type mediaDigest struct {
	SHA256 string
	Size   int64
	// ContentType is the media type the API reported, without parameters
	// (downloads only).
	ContentType string
}

// fileDigest hashes a local file as a stream, so memory stays flat whatever
// its size, and returns its first sniffLen bytes for content sniffing. The
// file is read once; ctx stops the reading (a plan interrupted with Ctrl-C).
// Anything but a regular file is refused before it is opened: a device such
// as /dev/zero never ends, and opening a FIFO blocks until a writer comes.
func fileDigest(ctx context.Context, name string) (mediaDigest, []byte, error) {
	f, err := openRegular(name)
	if err != nil {
		return mediaDigest{}, nil, err
	}
	defer func() { _ = f.Close() }()
	r := ctxReader{ctx: ctx, r: f}
	head := make([]byte, sniffLen)
	n, err := io.ReadFull(r, head)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		return mediaDigest{}, nil, fmt.Errorf("reading %s: %w", name, err)
	}
	head = head[:n]
	h := sha256.New()
	_, _ = h.Write(head) // a hash never fails to write
	rest, err := io.Copy(h, r)
	if err != nil {
		return mediaDigest{}, nil, fmt.Errorf("reading %s: %w", name, err)
	}
	return mediaDigest{SHA256: hex.EncodeToString(h.Sum(nil)), Size: int64(n) + rest}, head, nil
}

// fileHead looks at a local file without hashing it: its size and its first
// sniffLen bytes. It refuses what fileDigest refuses.
func fileHead(ctx context.Context, name string) (mediaDigest, []byte, error) {
	f, err := openRegular(name)
	if err != nil {
		return mediaDigest{}, nil, err
	}
	defer func() { _ = f.Close() }()
	fi, err := f.Stat()
	if err != nil {
		return mediaDigest{}, nil, fmt.Errorf("reading %s: %w", name, err)
	}
	head := make([]byte, sniffLen)
	n, err := io.ReadFull(ctxReader{ctx: ctx, r: f}, head)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		return mediaDigest{}, nil, fmt.Errorf("reading %s: %w", name, err)
	}
	return mediaDigest{Size: fi.Size()}, head[:n], nil
}

// errNotRegular is the error of openRegular for anything but a regular file.
var errNotRegular = errors.New("not a regular file")

// openRegular opens name for reading if it is a regular file (or a symbolic
// link to one). It looks before it opens, so that a FIFO or a device is never
// opened, and checks after, so that the file opened is the one looked at.
func openRegular(name string) (*os.File, error) {
	fi, err := os.Stat(name)
	if err != nil {
		return nil, err
	}
	if err := regularFile(name, fi); err != nil {
		return nil, err
	}
	f, err := os.Open(name) //nolint:gosec // reading the file the user configured is the point
	if err != nil {
		return nil, err
	}
	opened, err := f.Stat()
	if err == nil && !os.SameFile(fi, opened) {
		err = fmt.Errorf("%s was replaced while it was opened", name)
	}
	if err != nil {
		_ = f.Close()
		return nil, err
	}
	return f, nil
}

// regularFile explains why fi, the file at name, is not a regular file.
func regularFile(name string, fi os.FileInfo) error {
	m := fi.Mode()
	kind := "a special file (" + m.Type().String() + ")"
	switch {
	case m.IsRegular():
		return nil
	case m.IsDir():
		kind = "a directory"
	case m&os.ModeNamedPipe != 0:
		kind = "a named pipe (FIFO)"
	case m&os.ModeSocket != 0:
		kind = "a socket"
	case m&os.ModeCharDevice != 0:
		kind = "a character device"
	case m&os.ModeDevice != 0:
		kind = "a block device"
	}
	return fmt.Errorf("%q is %s, %w", name, kind, errNotRegular)
}

// ctxReader stops reading once ctx is done, so that hashing or uploading a
// large file ends promptly when Terraform is interrupted.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, fmt.Errorf("stopped: %w", err)
	}
	return c.r.Read(p)
}

// bytesDigest hashes bytes held in memory (content_base64).
func bytesDigest(b []byte) mediaDigest {
	sum := sha256.Sum256(b)
	return mediaDigest{SHA256: hex.EncodeToString(sum[:]), Size: int64(len(b))}
}

// downloadDigest streams a media file from the API through a hash, and also
// into also when it is not nil. Nothing is buffered whole. The resource's
// refresh and the data source share it.
func downloadDigest(ctx context.Context, c *client.Client, source, mediaID string, also io.Writer) (mediaDigest, error) {
	h := sha256.New()
	var w io.Writer = h
	if also != nil {
		w = io.MultiWriter(h, also)
	}
	counter := &countingWriter{w: w}
	info, err := c.DownloadMedia(ctx, source, mediaID, counter)
	if err != nil {
		return mediaDigest{}, err
	}
	return mediaDigest{SHA256: hex.EncodeToString(h.Sum(nil)), Size: counter.n, ContentType: mediaType(info.ContentType)}, nil
}

// mediaType returns a Content-Type without its parameters, lower case:
// "text/plain; charset=utf-8" is "text/plain".
func mediaType(contentType string) string {
	if mt, _, err := mime.ParseMediaType(contentType); err == nil {
		return mt
	}
	mt, _, _ := strings.Cut(contentType, ";")
	return strings.ToLower(strings.TrimSpace(mt))
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// hashingReader hashes what is read through it and notes when it reached
// the end, so an upload can report what it actually sent.
type hashingReader struct {
	rc  io.ReadCloser
	h   hash.Hash
	n   int64
	eof bool
}

func newHashingReader(rc io.ReadCloser) *hashingReader {
	return &hashingReader{rc: rc, h: sha256.New()}
}

func (r *hashingReader) Read(p []byte) (int, error) {
	n, err := r.rc.Read(p)
	_, _ = r.h.Write(p[:n]) // a hash never fails to write
	r.n += int64(n)
	if errors.Is(err, io.EOF) {
		r.eof = true
	}
	return n, err
}

func (r *hashingReader) Close() error { return r.rc.Close() }

// digest returns the hash of everything read, and whether the reader got to
// the end: only then is it the digest of the whole content.
func (r *hashingReader) digest() (mediaDigest, bool) {
	return mediaDigest{SHA256: hex.EncodeToString(r.h.Sum(nil)), Size: r.n}, r.eof
}

// errContentTooLarge is what limitWriter fails with.
var errContentTooLarge = errors.New("content larger than the inline limit")

// limitWriter fails with errContentTooLarge once more than left bytes are
// written.
type limitWriter struct {
	w    io.Writer
	left int64
}

func (l *limitWriter) Write(p []byte) (int, error) {
	if int64(len(p)) > l.left {
		return 0, errContentTooLarge
	}
	l.left -= int64(len(p))
	return l.w.Write(p)
}
