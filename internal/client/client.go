// Package client is a plain Go client for the EZITXT WhatsApp Business Messaging API v1.3.1
// (https://new.eziapi.com/rest/wab/v1). It knows nothing of Terraform: the provider builds one
// Client in Configure and shares it, and the Client is safe for concurrent use.
//
// Every call takes a context and makes one or more attempts bounded by Config.MaxRetries. Which
// failures are retried depends on whether the request is safe to repeat (see retry.go): sends
// (POST /messages and POST /messages/broadcast) are only repeated when the server certainly did
// not process them, and otherwise fail with an *AmbiguousSendError, so that no message is ever
// sent twice by the client.
package client

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"time"
)

// Defaults applied by New to zero (or, for MaxRetries, negative) Config fields.
const (
	// DefaultBaseURL is the production API.
	DefaultBaseURL = "https://new.eziapi.com/rest/wab/v1"
	// DefaultMaxRetries is the number of retries when Config.MaxRetries is negative.
	DefaultMaxRetries = 3
	// DefaultRequestTimeout is the per-attempt timeout when Config.RequestTimeout is 0.
	DefaultRequestTimeout = 30 * time.Second
	// DefaultMaxRetryWait caps any single wait between attempts when Config.MaxRetryWait is 0.
	DefaultMaxRetryWait = 60 * time.Second
	// DefaultBroadcastBatchSize is the number of destinations per broadcast request when
	// Config.BroadcastBatchSize is 0. It is the mock's default limit per request.
	DefaultBroadcastBatchSize = 1000
	// DefaultUserAgent is sent when Config.UserAgent is empty.
	DefaultUserAgent = "terraform-provider-ezitxt (+https://registry.terraform.io/providers/ezitxt/ezitxt)"
)

// Limits of the client.
const (
	maxJSONBody     = 1 << 20 // bytes of a JSON answer read at most
	maxUserAgentLen = 1024
)

// Config configures a Client. Only Username and Password are required.
type Config struct {
	// BaseURL of the API; DefaultBaseURL when empty. It must be absolute; http:// is allowed
	// only for loopback hosts (localhost, 127.0.0.0/8, ::1), such as a local mock.
	BaseURL string
	// Username and Password are the HTTP Basic credentials of the EZITXT account.
	Username, Password string
	// MaxRetries is the number of retries after the first attempt for throttled (429) or
	// transient failures. 0 means no retries; a negative value means DefaultMaxRetries.
	MaxRetries int
	// RequestTimeout bounds each attempt; DefaultRequestTimeout when 0. For media uploads and
	// downloads it is an idle timeout: a transfer that makes no progress for that long is aborted.
	RequestTimeout time.Duration
	// MaxRetryWait caps any single wait between attempts, including one the server asks for
	// with Retry-After; DefaultMaxRetryWait when 0.
	MaxRetryWait time.Duration
	// UserAgent is sent with every request, e.g.
	// "terraform-provider-ezitxt/1.2.3 (+https://registry.terraform.io/providers/ezitxt/ezitxt)";
	// DefaultUserAgent when empty.
	UserAgent string
	// HTTPClient, when set, is used instead of the client's own (a copy of it is made, whose
	// redirect policy is replaced: the client never follows redirects). Meant for tests; the
	// default has its own *http.Transport (never http.DefaultTransport), with dial, TLS and
	// idle timeouts and enough idle connections for 32 concurrent callers.
	HTTPClient *http.Client
	// BroadcastBatchSize is the number of destinations sent per broadcast request;
	// DefaultBroadcastBatchSize when 0.
	BroadcastBatchSize int
	// Sleep, when set, replaces the wait between attempts (for tests). It must return
	// ctx.Err() if ctx is done.
	Sleep func(ctx context.Context, d time.Duration) error
	// Logger receives the client's log entries (see Logger), with secrets already masked; a
	// *slog.Logger is one. Nil logs nothing, and no entry is built.
	Logger Logger
}

// Client calls the EZITXT API. Create it with New; it is safe for concurrent use.
type Client struct {
	base       *url.URL
	authHeader string // "Basic " + base64(username:password)
	secrets    []string
	secretsRE  *regexp.Regexp // secrets as whole values (see secretPattern)
	maxRetries int
	timeout    time.Duration
	maxWait    time.Duration
	userAgent  string
	hc         *http.Client
	batchSize  int
	sleep      func(ctx context.Context, d time.Duration) error
	now        func() time.Time
	gate       *gate  // paces requests to the account's rate limit
	logger     Logger // nil: log nothing
}

// New validates cfg, applies the defaults and returns a Client.
func New(cfg Config) (*Client, error) {
	base, err := parseBaseURL(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	switch {
	case cfg.Username == "":
		return nil, errors.New("username is required (provider attribute username or EZITXT_USERNAME)")
	case strings.Contains(cfg.Username, ":"):
		return nil, errors.New("username must not contain a colon: HTTP Basic authentication cannot carry it")
	case cfg.Password == "":
		return nil, errors.New("password is required (provider attribute password or EZITXT_PASSWORD)")
	case cfg.RequestTimeout < 0:
		return nil, fmt.Errorf("request_timeout must not be negative, got %s", cfg.RequestTimeout)
	case cfg.MaxRetryWait < 0:
		return nil, fmt.Errorf("max retry wait must not be negative, got %s", cfg.MaxRetryWait)
	case cfg.BroadcastBatchSize < 0:
		return nil, fmt.Errorf("broadcast batch size must not be negative, got %d", cfg.BroadcastBatchSize)
	case len(cfg.UserAgent) > maxUserAgentLen || strings.ContainsAny(cfg.UserAgent, "\r\n\x00"):
		return nil, fmt.Errorf("user agent must be a single line of at most %d bytes", maxUserAgentLen)
	}

	token := base64.StdEncoding.EncodeToString([]byte(cfg.Username + ":" + cfg.Password))
	c := &Client{
		base:       base,
		authHeader: "Basic " + token,
		secrets:    secretStrings(cfg.Password, token),
		secretsRE:  secretPattern(secretStrings(cfg.Password, token)),
		maxRetries: cfg.MaxRetries,
		timeout:    cfg.RequestTimeout,
		maxWait:    cfg.MaxRetryWait,
		userAgent:  cfg.UserAgent,
		batchSize:  cfg.BroadcastBatchSize,
		sleep:      cfg.Sleep,
		now:        time.Now,
		gate:       newGate(),
		logger:     cfg.Logger,
	}
	if c.maxRetries < 0 {
		c.maxRetries = DefaultMaxRetries
	}
	if c.timeout == 0 {
		c.timeout = DefaultRequestTimeout
	}
	if c.maxWait == 0 {
		c.maxWait = DefaultMaxRetryWait
	}
	if c.userAgent == "" {
		c.userAgent = DefaultUserAgent
	}
	if c.batchSize == 0 {
		c.batchSize = DefaultBroadcastBatchSize
	}
	if c.sleep == nil {
		c.sleep = sleepContext
	}
	if cfg.HTTPClient != nil {
		hc := *cfg.HTTPClient
		c.hc = &hc
	} else {
		c.hc = &http.Client{Transport: newTransport()}
	}
	c.hc.CheckRedirect = noRedirects
	return c, nil
}

// BaseURL returns the base URL the client sends requests to, without a trailing slash.
func (c *Client) BaseURL() string { return c.base.String() }

// parseBaseURL checks a base URL: absolute, https (http only for loopback hosts), no
// credentials, query or fragment.
func parseBaseURL(raw string) (*url.URL, error) {
	if raw == "" {
		raw = DefaultBaseURL
	}
	shown := RedactURL(raw) // never quote a password
	u, err := url.Parse(raw)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // its text quotes the whole URL
		}
		return nil, fmt.Errorf("invalid base_url %q: %w", shown, err)
	}
	bad := func(why string) (*url.URL, error) {
		return nil, fmt.Errorf("invalid base_url %q: %s (expected e.g. %s)", shown, why, DefaultBaseURL)
	}
	switch {
	case !u.IsAbs() || u.Host == "":
		return bad("it must be an absolute URL with a host")
	case u.User != nil:
		return bad("it must not contain credentials; use username and password")
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return bad("it must not have a query or fragment")
	case u.Scheme == "https":
	case u.Scheme == "http":
		if !isLoopback(u.Hostname()) {
			return bad("http:// is allowed only for loopback hosts (localhost, 127.0.0.0/8, ::1); use https://")
		}
	default:
		return bad("the scheme must be https")
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u, nil
}

// isLoopback reports whether host is localhost or a loopback IP address.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// newTransport returns the client's own transport. It speaks HTTP/1.1 only: Go's HTTP/1.1
// transport replays a request by itself only when nothing of it was written, or when it is
// idempotent (GET, or an Idempotency-Key header, which this client never sets); see
// (*persistConn).shouldRetryRequest in net/http. Its HTTP/2 transport also replays a request
// after a peer's PROTOCOL_ERROR stream reset, which does not prove that the server did not
// process it. HTTP/1.1 therefore keeps the promise that a send is never repeated after any of
// it reached the server.
func newTransport() *http.Transport {
	dialer := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}
	t := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           dialer.DialContext,
		TLSClientConfig:       &tls.Config{MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout:   10 * time.Second,
		MaxIdleConns:          64,
		MaxIdleConnsPerHost:   32,
		IdleConnTimeout:       90 * time.Second,
		ExpectContinueTimeout: time.Second,
		Protocols:             new(http.Protocols),
	}
	t.Protocols.SetHTTP1(true)
	return t
}

// noRedirects makes the http.Client return a 3xx as it is, which the client turns into an
// error naming where it pointed. No redirect is ever followed, so the Authorization header never
// goes anywhere but to the base URL's host.
func noRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// sleepContext waits for d, or until ctx is done.
func sleepContext(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// call describes one API request, made in one or more attempts by do.
type call struct {
	method string
	path   string     // relative to the base URL, such as "/messages"
	query  url.Values // may be nil
	// send is true for requests that send messages: they are retried only when the server
	// certainly did not process them.
	send bool
	// destinations are the numbers a send goes to, named in an *AmbiguousSendError.
	destinations []string
	// jsonBody is the JSON request body, or nil.
	jsonBody []byte
	// openBody, when set, returns a streamed request body and its length (-1 when unknown);
	// it is called once per attempt.
	openBody    func() (io.ReadCloser, int64, error)
	contentType string // of openBody's body
	accept      string
	// stream makes the request timeout an idle timeout (media transfers).
	stream bool
	// notFoundHint replaces the generic hint of a 404.
	notFoundHint string
	// secrets are more strings to mask in logs, such as a PIN.
	secrets []string
	// logFields are logged with the request.
	logFields map[string]any
	// quiet skips logging: the client has no logger.
	quiet bool
	// logger and logMask are the client's logger and the pattern of the secrets its entries
	// are masked of (the client's and this call's).
	logger  Logger
	logMask *regexp.Regexp
}

// tooLargeHint says what to do about a 413, fitting what was sent: a file, or a JSON body.
func (cl *call) tooLargeHint() string {
	if cl.jsonBody == nil {
		return hintTooLarge
	}
	hint := fmt.Sprintf("The service refused the request of %d bytes as too large; shorten the message (its text, template values or raw payload)", len(cl.jsonBody))
	if len(cl.destinations) > 1 {
		hint += " or send it to fewer numbers per request"
	}
	return hint + "."
}

// op names the request for errors and logs: "POST /messages".
func (cl *call) op() string { return cl.method + " " + cl.path }

// target is the path with its query, as shown in errors: "/media?media_id=x&source=1".
func (cl *call) target() string {
	if len(cl.query) == 0 {
		return cl.path
	}
	return cl.path + "?" + cl.query.Encode()
}

// handler consumes a 2xx answer. body is resp.Body, wrapped to track progress; ctx is the
// attempt's context.
type handler func(ctx context.Context, resp *http.Response, body io.Reader) error

// attemptResult is the outcome of one attempt.
type attemptResult struct {
	err     error
	retry   bool          // the request may be repeated
	wait    time.Duration // wait the server asked for (used when hasWait)
	hasWait bool
	// throttled is set for a 429: the account's rate limit, which every
	// request of the client waits for (see gate).
	throttled bool
}

// do makes the request described by cl, retrying as the policy allows, and hands a 2xx answer
// to handle. It is the only place requests are made.
func (c *Client) do(ctx context.Context, cl *call, handle handler) error {
	if c.logger == nil {
		cl.quiet = true
	} else {
		cl.logger, cl.logMask = c.logger, c.secretsPattern(cl.secrets...)
	}
	var waited time.Time // the throttling deadline this call already waited for
	for attempt := 1; ; attempt++ {
		d, probe, err := c.gate.enter(ctx, c, waited)
		if err != nil {
			return fmt.Errorf("%s: %w", cl.op(), err)
		} else if d > 0 {
			logThrottled(ctx, cl, attempt, d)
		}
		res := c.attempt(ctx, cl, attempt, handle)
		if probe {
			c.gate.answered()
		}
		if res.err == nil {
			return nil
		}
		if !res.retry {
			if IsAmbiguous(res.err) {
				logAmbiguous(ctx, cl, attempt, res.err)
			}
			return withAttempts(res.err, attempt)
		}
		wait := c.backoff(attempt)
		if res.hasWait {
			wait = min(max(res.wait, 0), c.maxWait)
		}
		if res.throttled {
			// The limit is the account's: hold every request of the client
			// until the wait is over, not only this one (even when this one
			// gives up below), and pace them afterwards.
			now := c.now()
			waited = now.Add(wait)
			c.gate.throttled(now, wait)
		}
		if attempt > c.maxRetries {
			logRetriesExhausted(ctx, cl, attempt, res.err)
			return withAttempts(res.err, attempt)
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
			logRetryAbandoned(ctx, cl, attempt, wait, res.err)
			return fmt.Errorf("%w (not retried: waiting %s would pass the deadline)", withAttempts(res.err, attempt), wait)
		}
		logRetry(ctx, cl, attempt, wait, res.err)
		if err := c.sleep(ctx, wait); err != nil {
			return fmt.Errorf("%s: cancelled while waiting to retry (%w) after: %w", cl.op(), err, withAttempts(res.err, attempt))
		}
		if res.throttled {
			c.gate.release(waited)
		}
	}
}

// withAttempts records in err how many attempts were made.
func withAttempts(err error, attempts int) error {
	var ae *APIError
	if errors.As(err, &ae) && !IsAmbiguous(err) {
		ae.Attempts = attempts
	}
	var te *TransportError
	if errors.As(err, &te) {
		te.Attempts = attempts
	}
	return err
}

// attempt makes one attempt of cl.
func (c *Client) attempt(ctx context.Context, cl *call, n int, handle handler) attemptResult {
	if err := ctx.Err(); err != nil {
		return attemptResult{err: fmt.Errorf("%s: %w", cl.op(), err)}
	}
	actx, touch, stop := c.attemptContext(ctx, cl.stream)
	defer stop()

	req, err := c.newRequest(actx, cl, touch)
	if err != nil {
		return attemptResult{err: err}
	}
	var wrote atomic.Bool
	entered := c.now() // the request left the gate just now
	req = req.WithContext(httptrace.WithClientTrace(actx, &httptrace.ClientTrace{
		WroteHeaders: func() {
			wrote.Store(true)
			c.gate.wrote(c.now().Sub(entered))
		},
	}))

	logRequest(ctx, cl, n, req)
	start := time.Now()
	resp, err := c.hc.Do(req)
	if err != nil {
		return c.transportFailure(ctx, actx, cl, err, wrote.Load())
	}
	defer func() { _ = resp.Body.Close() }()
	logResponse(ctx, cl, n, resp, time.Since(start))
	c.gate.observe(c.now(), resp.Header)
	c.gate.sample(entered, resp.StatusCode != http.StatusTooManyRequests)
	body := &progressReader{r: resp.Body, touch: touch}

	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		err := handle(actx, resp, body)
		if err == nil {
			return attemptResult{}
		}
		err = describeFailure(ctx, actx, err)
		if cl.send {
			return attemptResult{err: ambiguous(cl, fmt.Errorf("the service accepted the request (status %d) but its answer could not be read: %w", resp.StatusCode, err))}
		}
		var re *ResponseError
		switch {
		case errors.As(err, &re):
			return attemptResult{err: err} // a malformed answer will not improve
		case ctx.Err() != nil:
			return attemptResult{err: fmt.Errorf("%s: %w", cl.op(), err)}
		case cl.stream:
			// Part of the stream may already have been handed on: not repeatable here.
			return attemptResult{err: &TransportError{Op: cl.op(), Err: err}}
		}
		return attemptResult{err: &TransportError{Op: cl.op(), Err: err}, retry: true}
	}
	return c.errorResponse(ctx, cl, n, resp, body)
}

// newRequest builds the request of one attempt, opening a streamed body afresh.
func (c *Client) newRequest(ctx context.Context, cl *call, touch func()) (*http.Request, error) {
	u := *c.base
	u.Path += cl.path
	u.RawQuery = cl.query.Encode()

	var body io.Reader
	length := int64(-1)
	switch {
	case cl.openBody != nil:
		rc, n, err := cl.openBody()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", cl.op(), err)
		}
		body = &progressReadCloser{progressReader{r: rc, touch: touch}, rc}
		length = n
	case cl.jsonBody != nil:
		body = bytes.NewReader(cl.jsonBody)
	}
	req, err := http.NewRequestWithContext(ctx, cl.method, u.String(), body)
	if err != nil {
		if rc, ok := body.(io.Closer); ok {
			_ = rc.Close()
		}
		return nil, fmt.Errorf("%s: %w", cl.op(), err)
	}
	if cl.openBody != nil {
		req.ContentLength = length
	}
	req.Header.Set("Authorization", c.authHeader)
	req.Header.Set("User-Agent", c.userAgent)
	accept := cl.accept
	if accept == "" {
		accept = "application/json"
	}
	req.Header.Set("Accept", accept)
	switch {
	case cl.openBody != nil:
		req.Header.Set("Content-Type", cl.contentType)
	case cl.jsonBody != nil:
		req.Header.Set("Content-Type", "application/json")
	}
	return req, nil
}

// transportFailure classifies a request that got no answer.
func (c *Client) transportFailure(ctx, actx context.Context, cl *call, err error, wrote bool) attemptResult {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	err = describeFailure(ctx, actx, err)
	if cl.send && wrote {
		return attemptResult{err: ambiguous(cl, fmt.Errorf("no answer after the request was sent: %w", err))}
	}
	if ctx.Err() != nil {
		return attemptResult{err: fmt.Errorf("%s: %w", cl.op(), err)}
	}
	te := &TransportError{Op: cl.op(), Err: err, NothingSent: cl.send}
	return attemptResult{err: te, retry: !permanentTransportError(err)}
}

// describeFailure replaces the error of a cancelled attempt by its cause: the caller's context
// (wrapped, so that errors.Is(err, context.Canceled) holds) or the request timeout.
func describeFailure(ctx, actx context.Context, err error) error {
	if cerr := ctx.Err(); cerr != nil {
		if errors.Is(err, cerr) {
			return err
		}
		return fmt.Errorf("%w (%w)", cerr, err)
	}
	var te *timeoutError
	if cause := context.Cause(actx); errors.As(cause, &te) {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, te) {
			return te // net/http reports the cause itself: say it once
		}
		return fmt.Errorf("%w: %w", te, err)
	}
	return err
}

// errorResponse turns a non-2xx answer into an *APIError and decides whether to retry.
func (c *Client) errorResponse(ctx context.Context, cl *call, n int, resp *http.Response, body io.Reader) attemptResult {
	data, truncated := readCapped(body, maxErrorBody)
	ae := &APIError{
		StatusCode: resp.StatusCode,
		Method:     cl.method,
		Path:       cl.target(),
		RequestID:  requestID(resp.Header),
		Hint:       defaultHint(resp.StatusCode),
	}
	apiShape := parseErrorBody(ae, data, truncated)
	c.redactError(ae, cl.secrets...)
	switch {
	case resp.StatusCode != http.StatusNotFound:
	case !apiNotFound(ae, apiShape):
		ae.WrongEndpoint = true
		ae.Hint = wrongEndpointHint(c.BaseURL())
	case cl.notFoundHint != "":
		ae.Hint = cl.notFoundHint
	}
	if resp.StatusCode == http.StatusRequestEntityTooLarge {
		ae.Hint = cl.tooLargeHint()
	}
	if loc, err := resp.Location(); err == nil && resp.StatusCode >= 300 && resp.StatusCode < 400 {
		loc.User = nil
		ae.Location = sanitizeText(loc.String(), maxFieldText)
	}
	ra, hasRA := parseRetryAfter(resp.Header.Get("Retry-After"), c.now())
	ae.RetryAfter = ra
	logErrorResponse(ctx, cl, n, ae)

	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		// Throttled: certainly not processed, whatever the request.
		return attemptResult{err: ae, retry: true, wait: ra, hasWait: hasRA, throttled: true}
	case resp.StatusCode >= 500 && cl.send:
		ae.Hint = ""
		return attemptResult{err: ambiguous(cl, ae)}
	case transientStatus(resp.StatusCode):
		return attemptResult{err: ae, retry: true, wait: ra, hasWait: hasRA}
	}
	return attemptResult{err: ae}
}

// redactError removes the credentials from what the server said, should it echo them.
func (c *Client) redactError(ae *APIError, extra ...string) {
	ae.Message = c.redact(ae.Message, extra...)
	ae.Detail = c.redact(ae.Detail, extra...)
	for i := range ae.Fields {
		ae.Fields[i].Field = c.redact(ae.Fields[i].Field, extra...)
		ae.Fields[i].Code = c.redact(ae.Fields[i].Code, extra...)
		ae.Fields[i].Description = c.redact(ae.Fields[i].Description, extra...)
	}
}

// ambiguous wraps the cause of a send's unknown outcome.
func ambiguous(cl *call, cause error) error {
	return &AmbiguousSendError{Op: cl.op(), Destinations: cl.destinations, Cause: cause}
}

// readCapped reads at most limit bytes of r, reporting whether there was more. What is left is
// not read: closing the body then drops the connection rather than reading a hostile body.
func readCapped(r io.Reader, limit int64) ([]byte, bool) {
	data, _ := io.ReadAll(io.LimitReader(r, limit+1))
	if int64(len(data)) > limit {
		return data[:limit], true
	}
	return data, false
}

// timeoutError is the cause of an attempt cancelled by the request timeout.
type timeoutError struct {
	d    time.Duration
	idle bool
}

func (e *timeoutError) Error() string {
	if e.idle {
		return fmt.Sprintf("no progress for %s (request_timeout)", e.d)
	}
	return fmt.Sprintf("no complete answer within %s (request_timeout)", e.d)
}

// Timeout marks the error as a timeout, as net.Error does.
func (e *timeoutError) Timeout() bool { return true }

// attemptContext returns the context of one attempt, a function to call on progress, and one
// to call when the attempt is over. The request timeout bounds the whole attempt, or, for
// streams, each wait for progress.
func (c *Client) attemptContext(ctx context.Context, idle bool) (context.Context, func(), func()) {
	if !idle {
		actx, cancel := context.WithTimeoutCause(ctx, c.timeout, &timeoutError{d: c.timeout})
		return actx, func() {}, cancel
	}
	actx, cancel := context.WithCancelCause(ctx)
	cause := &timeoutError{d: c.timeout, idle: true}
	t := time.AfterFunc(c.timeout, func() { cancel(cause) })
	return actx, func() { t.Reset(c.timeout) }, func() { t.Stop(); cancel(nil) }
}

// progressReader calls touch whenever bytes go through it.
type progressReader struct {
	r     io.Reader
	touch func()
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	if n > 0 {
		p.touch()
	}
	return n, err
}

// progressReadCloser is a progressReader that closes the underlying body.
type progressReadCloser struct {
	progressReader
	c io.Closer
}

func (p *progressReadCloser) Close() error { return p.c.Close() }

// doJSON makes the request described by cl and decodes its JSON answer, of at most limit
// bytes, with decode. With a nil decode the answer is not used (nor checked).
func (c *Client) doJSON(ctx context.Context, cl *call, limit int64, decode func([]byte) error) error {
	return c.do(ctx, cl, func(ctx context.Context, resp *http.Response, body io.Reader) error {
		if decode == nil {
			_, _ = io.Copy(io.Discard, io.LimitReader(body, maxErrorBody))
			return nil
		}
		ct := resp.Header.Get("Content-Type")
		bad := func(err error) error {
			return &ResponseError{Op: cl.op(), StatusCode: resp.StatusCode, ContentType: sanitizeText(ct, maxFieldText), Err: err}
		}
		if !isJSONContentType(ct) {
			return bad(errors.New("expected Content-Type application/json"))
		}
		data, err := io.ReadAll(io.LimitReader(body, limit+1))
		if err != nil {
			return fmt.Errorf("reading the answer: %w", err)
		}
		if int64(len(data)) > limit {
			return bad(fmt.Errorf("the answer is larger than %d bytes", limit))
		}
		logBody(ctx, cl, "API response body", data)
		if err := decode(data); err != nil {
			return bad(err)
		}
		return nil
	})
}

// isJSONContentType reports whether a Content-Type is JSON: application/json or any +json type.
func isJSONContentType(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return false
	}
	return mt == "application/json" || (strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json"))
}

// marshalBody encodes a JSON request body.
func marshalBody(op string, v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("%s: encoding the request: %w", op, err)
	}
	return b, nil
}
