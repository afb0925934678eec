package client

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The retry policy, in one place.
//
//   - 429 Too Many Requests is retried for every request, sends included: a throttled request
//     was certainly not processed. The wait is the server's Retry-After (seconds or an HTTP
//     date), capped by Config.MaxRetryWait; without it, exponential backoff with jitter.
//   - 500, 502, 503 and 504, and failures that got no answer at all (refused or dropped
//     connections, timeouts), are retried with exponential backoff and jitter only for requests
//     that are safe to repeat: GET /messages, GET /media, PATCH /messages, POST /source and
//     POST /media (see "Safe to repeat" in api/README.md).
//   - Sends (POST /messages, POST /messages/broadcast) are retried only on a 429 or when the
//     request failed before any byte of it was written (connection refused, DNS, TLS). Whether
//     anything was written is known from net/http/httptrace: WroteHeaders has not fired. Any
//     other failure of a send (a 5xx, a reset or a timeout after writing, an answer that cannot
//     be read) ends with an *AmbiguousSendError and no retry.
//   - Failures that a retry cannot fix (certificate errors, an unknown host, a redirect, any
//     other 4xx) are not retried.
//
// Retries are bounded by Config.MaxRetries and by the context: a retry whose wait would pass
// the context's deadline is not attempted.

// backoffBase is the first backoff; each further retry doubles it, up to Config.MaxRetryWait.
const backoffBase = time.Second

// backoff returns the wait before retry number n (1 for the first retry): exponential, capped by
// the maximum wait, with "equal jitter" (half fixed, half random) so that concurrent callers
// spread out.
func (c *Client) backoff(n int) time.Duration {
	d := c.maxWait
	if n < 32 {
		d = min(backoffBase<<(n-1), c.maxWait)
	}
	half := d / 2
	if half <= 0 {
		return d
	}
	return half + rand.N(half+1) //nolint:gosec // jitter needs no cryptographic randomness
}

// transientStatus reports whether a status is a transient server failure, worth retrying when
// the request is safe to repeat.
func transientStatus(code int) bool {
	switch code {
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// maxRetryAfter bounds the Retry-After values parsed, before the cap of Config.MaxRetryWait.
const maxRetryAfter = 24 * time.Hour

// parseRetryAfter reads a Retry-After header: delay seconds or an HTTP date. It reports false
// when the header is absent or unreadable. A date in the past means no wait.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseUint(v, 10, 64); err == nil {
		if secs > uint64(maxRetryAfter/time.Second) {
			return maxRetryAfter, true
		}
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now)
		return min(max(d, 0), maxRetryAfter), true
	}
	return 0, false
}

// permanentTransportError reports whether a failure to get an answer will not go away by
// retrying: certificate problems, a host that does not exist, a server that does not speak TLS,
// a file that changed while uploading.
func permanentTransportError(err error) bool {
	var (
		certErr      *tls.CertificateVerificationError
		unknownAuth  x509.UnknownAuthorityError
		hostnameErr  x509.HostnameError
		certInvalid  x509.CertificateInvalidError
		recordHeader tls.RecordHeaderError
		dnsErr       *net.DNSError
		sizeChanged  *sizeChangedError
	)
	switch {
	case errors.As(err, &sizeChanged):
		return true
	case errors.As(err, &certErr), errors.As(err, &unknownAuth), errors.As(err, &hostnameErr),
		errors.As(err, &certInvalid), errors.As(err, &recordHeader):
		return true
	case errors.As(err, &dnsErr):
		return dnsErr.IsNotFound
	}
	return false
}
