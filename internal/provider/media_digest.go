package provider

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/client"
)

// mediaDigest is what the provider knows of a media file's bytes.
type mediaDigest struct {
	SHA256      string
	Size        int64
	ContentType string
}

// fileDigest hashes a local file as a stream, so memory stays flat
// whatever its size.
func fileDigest(name string) (mediaDigest, error) {
	f, err := os.Open(name) //nolint:gosec // reading the file the user configured is the point
	if err != nil {
		return mediaDigest{}, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return mediaDigest{}, fmt.Errorf("reading %s: %w", name, err)
	}
	return mediaDigest{SHA256: hex.EncodeToString(h.Sum(nil)), Size: n}, nil
}

// bytesDigest hashes bytes held in memory (content_base64).
func bytesDigest(b []byte) mediaDigest {
	sum := sha256.Sum256(b)
	return mediaDigest{SHA256: hex.EncodeToString(sum[:]), Size: int64(len(b))}
}

// downloadDigest streams a media file from the API through a hash, and
// also into also when it is not nil. Nothing is buffered whole.
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
	return mediaDigest{SHA256: hex.EncodeToString(h.Sum(nil)), Size: counter.n, ContentType: info.ContentType}, nil
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
	r.h.Write(p[:n])
	r.n += int64(n)
	if errors.Is(err, io.EOF) {
		r.eof = true
	}
	return n, err
}

func (r *hashingReader) Close() error { return r.rc.Close() }

func (r *hashingReader) digest() mediaDigest {
	return mediaDigest{SHA256: hex.EncodeToString(r.h.Sum(nil)), Size: r.n}
}
