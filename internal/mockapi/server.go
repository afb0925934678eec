package mockapi

import (
	"bytes"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"mime"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/ezitxt/terraform-provider-ezitxt/api"
	"github.com/ezitxt/terraform-provider-ezitxt/internal/templates"
)

// BasePath is the path prefix of the API, as on the real service.
const BasePath = api.BasePath

// AdminPrefix is the path prefix of the admin API (no authentication).
const AdminPrefix = "/__admin/"

// The account of a mock created without Options.Accounts (and of the ezitxt-mock command).
const (
	DefaultUsername = "demo"
	DefaultPassword = "demo-password"
)

// Defaults of Options.
const (
	DefaultMaxBroadcastDestinations = 1000
	DefaultMaxBodyBytes             = 10 << 20
)

// Account is an API account of the mock.
type Account struct {
	// Password is the Basic auth password.
	Password string
	// StatusCallbackURL receives a StatusCallback for every status change of the account's
	// messages; ReplyCallbackURL a ReplyCallback for every simulated reply. Empty: none.
	StatusCallbackURL string
	ReplyCallbackURL  string
	// Sources are registered from the start (and again after Reset), as if by POST /source.
	Sources []string
}

// Options configures a Server. The zero value is a usable mock: one account demo /
// demo-password, a frozen clock, no faults, no rate limit.
type Options struct {
	// Accounts maps usernames to accounts. Empty: DefaultUsername with DefaultPassword.
	Accounts map[string]Account
	// Clock sets the start and speed of the mock clock.
	Clock ClockOptions
	// MediaTTL is how long media lives on the mock clock (default 720h).
	MediaTTL time.Duration
	// MaxMediaBytes, when positive, is the size limit of every media type instead of
	// DefaultMediaSizeLimits; MediaSizeLimits overrides single types (by mime type).
	MaxMediaBytes   int64
	MediaSizeLimits map[string]int64
	// MediaDir is where uploads larger than 1 MiB are spooled, in a folder of their own
	// (default: the system's temporary folder). Close removes it.
	MediaDir string
	// MaxBroadcastDestinations is the most numbers one broadcast request may carry (default 1000).
	MaxBroadcastDestinations int
	// MaxBodyBytes caps JSON request bodies (default 10 MiB); larger ones get a 413.
	MaxBodyBytes int64
	// RateLimit limits requests per account (zero: off).
	RateLimit RateLimit
	// Faults injects faults (zero: none).
	Faults Faults
	// Logger receives one line per API request at Info and problems at Warn (nil: no logs).
	Logger *slog.Logger
	// CallbackClient posts callbacks (default: a client with CallbackTimeout).
	CallbackClient *http.Client
	// CallbackTimeout bounds each callback POST (default 5s); CallbackWorkers is the size of
	// the pool that posts them (default 4).
	CallbackTimeout time.Duration
	CallbackWorkers int
	// Templates are the approved templates (see templates.go): a template send whose name and
	// language are not declared, or whose parameters do not fit, is accepted and then fails.
	// Nil: template sends are not checked.
	Templates []templates.Definition
	// DisableSpecValidation skips the check of requests against api/openapi.yaml (the mock's
	// own checks still apply). For benchmarks.
	DisableSpecValidation bool
}

func (o Options) withDefaults() (Options, error) {
	if len(o.Accounts) == 0 {
		o.Accounts = map[string]Account{DefaultUsername: {Password: DefaultPassword}}
	} else {
		o.Accounts = maps.Clone(o.Accounts)
	}
	for name, acc := range o.Accounts {
		if name == "" || strings.Contains(name, ":") {
			return o, fmt.Errorf("account name %q: must be non-empty and without a colon", name)
		}
		if acc.Password == "" {
			return o, fmt.Errorf("account %q: the password must not be empty", name)
		}
	}
	o.MediaSizeLimits = maps.Clone(o.MediaSizeLimits)
	for t := range o.MediaSizeLimits {
		if !slices.Contains(MediaMimeTypes, t) {
			return o, fmt.Errorf("media size limit for %q: not one of %v", t, MediaMimeTypes)
		}
	}
	if o.MediaTTL <= 0 {
		o.MediaTTL = DefaultMediaTTL
	}
	if o.MaxBroadcastDestinations <= 0 {
		o.MaxBroadcastDestinations = DefaultMaxBroadcastDestinations
	}
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if o.CallbackTimeout <= 0 {
		o.CallbackTimeout = DefaultCallbackTimeout
	}
	if o.CallbackWorkers <= 0 {
		o.CallbackWorkers = DefaultCallbackWorkers
	}
	if o.CallbackClient == nil {
		o.CallbackClient = &http.Client{Timeout: o.CallbackTimeout}
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if err := o.Faults.Validate(); err != nil {
		return o, fmt.Errorf("faults: %w", err)
	}
	if err := o.RateLimit.Validate(); err != nil {
		return o, err
	}
	if err := ValidateTemplates(o.Templates); err != nil {
		return o, fmt.Errorf("templates: %w", err)
	}
	return o, nil
}

// Server is the mock EZITXT API: an http.Handler serving every endpoint under BasePath and the
// admin API under AdminPrefix, in memory, safe for concurrent use. Create it with New or
// NewServer and Close it when done.
type Server struct {
	opts      Options
	log       *slog.Logger
	clock     *clock
	faults    *faultInjector
	limiter   *rateLimiter
	recorder  *recorder
	callbacks *dispatcher
	templates *templateRegistry

	mu sync.RWMutex // guards st
	st *store

	mediaDirMu   sync.Mutex
	mediaDirPath string

	bgMu     sync.Mutex // guards the background loop
	bgStop   chan struct{}
	bgDone   chan struct{}
	isClosed bool
}

// New returns a mock configured by opts. It panics when opts are invalid (see NewServer).
func New(opts Options) *Server {
	s, err := NewServer(opts)
	if err != nil {
		panic("mockapi: " + err.Error())
	}
	return s
}

// NewServer returns a mock configured by opts, or an error naming the invalid option.
func NewServer(opts Options) (*Server, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	s := &Server{
		opts:      o,
		log:       o.Logger,
		clock:     newClock(o.Clock, time.Now),
		faults:    newFaultInjector(o.Faults),
		limiter:   newRateLimiter(o.RateLimit, time.Now),
		recorder:  newRecorder(),
		callbacks: newDispatcher(o.CallbackClient, o.CallbackWorkers, o.CallbackTimeout, o.Logger),
		st:        newStore(),
		templates: newTemplateRegistry(o.Templates),
	}
	s.preregister()
	if o.Clock.Speed > 0 {
		s.startBackground()
	}
	return s, nil
}

func (s *Server) preregister() {
	now := s.clock.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	for name, acc := range s.opts.Accounts {
		for _, src := range acc.Sources {
			s.registerLocked(name, src, "preregistered", false, now)
		}
	}
}

// route is an operation of the API.
type route struct {
	endpoint Endpoint
	jsonBody bool
	handle   func(*Server, *call)
}

var routes = map[string]map[string]route{
	"/messages": {
		http.MethodPost:  {EndpointSendMessage, true, (*Server).handleSendMessage},
		http.MethodGet:   {EndpointGetMessage, false, (*Server).handleGetMessage},
		http.MethodPatch: {EndpointMarkRead, true, (*Server).handleMarkRead},
	},
	"/messages/broadcast": {
		http.MethodPost: {EndpointBroadcast, true, (*Server).handleBroadcast},
	},
	"/media": {
		http.MethodPost: {EndpointUploadMedia, false, (*Server).handleUploadMedia},
		http.MethodGet:  {EndpointGetMedia, false, (*Server).handleGetMedia},
	},
	"/source": {
		http.MethodPost: {EndpointRegisterSource, true, (*Server).handleRegisterSource},
	},
}

// lookupRoute finds the operation of a request; for a known path with another method it
// returns the allowed methods instead.
func lookupRoute(method, path string) (*route, string) {
	rest, ok := strings.CutPrefix(path, BasePath)
	if !ok {
		return nil, ""
	}
	methods, ok := routes[rest]
	if !ok {
		return nil, ""
	}
	if rt, ok := methods[method]; ok {
		return &rt, ""
	}
	allowed := slices.Sorted(maps.Keys(methods))
	return nil, strings.Join(allowed, ", ")
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	setSecurityHeaders(w.Header())
	if r.URL.Path+"/" == AdminPrefix || strings.HasPrefix(r.URL.Path, AdminPrefix) {
		s.recorder.adminRequest()
		s.serveAdmin(w, r)
		return
	}

	rec := Request{Time: time.Now(), MockTime: s.clock.Now(), Method: r.Method, Path: r.URL.RequestURI(), Endpoint: EndpointUnknown}
	sw := &statusWriter{ResponseWriter: w}
	// finish records the request once. A dropped connection is recorded
	// before it is dropped: the client sees the drop at once, and whoever
	// reads the stats after it must find the request there.
	recorded := false
	finish := func() {
		if recorded {
			return
		}
		recorded = true
		rec.Duration = time.Since(rec.Time)
		s.recorder.record(rec)
		s.logRequest(rec)
	}
	defer finish()

	rt, allowed := lookupRoute(r.Method, r.URL.Path)
	if rt == nil {
		if allowed != "" {
			sw.Header().Set("Allow", allowed)
			writeError(sw, http.StatusMethodNotAllowed, "method %s is not allowed on %s; use %s", r.Method, r.URL.Path, allowed)
		} else {
			writeError(sw, http.StatusNotFound, "no endpoint at %s: the API serves /messages, /messages/broadcast, /media and /source under %s", r.URL.Path, BasePath)
		}
		rec.Status = sw.status
		return
	}
	rec.Endpoint = rt.endpoint

	plan := s.faults.plan(rt.endpoint)
	if plan.latency > 0 {
		rec.Latency = plan.latency
		sleep(r, plan.latency)
	}
	rec.Fault = plan.kind
	switch plan.kind {
	case FaultDropBefore:
		rec.Dropped = true
		finish()
		dropConnection(w)
		return
	case FaultServerError:
		if plan.status == http.StatusServiceUnavailable {
			sw.Header().Set("Retry-After", "1")
		}
		writeError(sw, plan.status, "injected fault: %d %s before processing; nothing was done", plan.status, http.StatusText(plan.status))
		rec.Status = sw.status
		return
	case FaultTooManyRequests:
		writeTooManyRequests(sw, s.faults.retryAfter(), "injected fault: too many requests; nothing was done")
		rec.Status = sw.status
		return
	case FaultDropAfter:
		discard := &discardWriter{header: make(http.Header)}
		s.serveAPI(discard, r, rt, &rec)
		rec.Status, rec.Dropped = discard.status, true
		finish()
		dropConnection(w)
		return
	}
	s.serveAPI(sw, r, rt, &rec)
	rec.Status = sw.status
}

// serveAPI authenticates, rate-limits, reads the body and runs the operation.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request, rt *route, rec *Request) {
	account, problem := s.authenticate(r)
	if problem != "" {
		w.Header().Set("WWW-Authenticate", `Basic realm="EZITXT", charset="UTF-8"`)
		writeError(w, http.StatusUnauthorized, "%s", problem)
		return
	}
	rec.Account = account
	cfg := s.limiter.get()
	if p := cfg.policy(); p != "" {
		w.Header().Set(PolicyHeader, p)
	}
	if ok, wait := s.limiter.allow(account); !ok {
		s.recorder.rateLimit()
		writeTooManyRequests(w, wait, "rate limit of %g requests per second (burst %g) exceeded for account %s; retry after the time in Retry-After", cfg.RequestsPerSecond, cfg.burst(), account)
		return
	}
	c := &call{s: s, w: w, r: r, account: account, now: rec.MockTime}
	if rt.jsonBody && !c.readJSON() {
		return
	}
	rt.handle(s, c)
}

// authenticate checks Basic credentials; it returns the account or what is wrong.
func (s *Server) authenticate(r *http.Request) (string, string) {
	user, pass, ok := r.BasicAuth()
	if !ok {
		return "", "missing or malformed credentials: send Authorization: Basic base64(username:password)"
	}
	acc, known := s.opts.Accounts[user]
	// Compare even for unknown users so that timing tells nothing.
	match := subtle.ConstantTimeCompare([]byte(pass), []byte(acc.Password)) == 1
	if !known || !match {
		return "", "invalid username or password"
	}
	return user, ""
}

func (s *Server) logRequest(rec Request) {
	attrs := []any{"method", rec.Method, "path", rec.Path, "status", rec.Status, "duration", rec.Duration.Round(time.Microsecond)}
	if rec.Account != "" {
		attrs = append(attrs, "account", rec.Account)
	}
	if rec.Fault != "" {
		attrs = append(attrs, "fault", string(rec.Fault))
	}
	if rec.Latency > 0 {
		attrs = append(attrs, "latency", rec.Latency)
	}
	if rec.Dropped {
		attrs = append(attrs, "dropped", true)
	}
	s.log.Info("request", attrs...)
}

// call is one API request being handled.
type call struct {
	s       *Server
	w       http.ResponseWriter
	r       *http.Request
	account string
	now     time.Time // mock time when the request arrived
	body    []byte
}

// readJSON checks the Content-Type and reads the body (capped), answering 415, 413 or 400 when
// it cannot. The body stays readable in c.r for the contract check.
func (c *call) readJSON() bool {
	ct := c.r.Header.Get("Content-Type")
	if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
		writeError(c.w, http.StatusUnsupportedMediaType, "Content-Type must be application/json, got %q", ct)
		return false
	}
	limit := c.s.opts.MaxBodyBytes
	if c.r.ContentLength > limit {
		writeError(c.w, http.StatusRequestEntityTooLarge, "the request body is %d bytes; at most %s are allowed", c.r.ContentLength, formatBytes(limit))
		return false
	}
	body, err := io.ReadAll(http.MaxBytesReader(c.w, c.r.Body, limit))
	if err != nil {
		if isTooLarge(err) {
			writeError(c.w, http.StatusRequestEntityTooLarge, "the request body is larger than %s", formatBytes(limit))
		} else {
			writeValidation(c.w, []FieldError{{Code: CodeInvalidJSON, Description: "reading the request body failed: " + err.Error()}})
		}
		return false
	}
	c.body = body
	c.r.Body = io.NopCloser(bytes.NewReader(body))
	c.r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	return true
}

// decodeBody parses the JSON body as one object, answering 400 when it cannot.
func (c *call) decodeBody() (object, bool) {
	obj, problem := decodeObject(c.body)
	if problem != nil {
		writeValidation(c.w, []FieldError{*problem})
		return object{}, false
	}
	return obj, true
}

// passes answers 400 and returns false when the mock's own checks found problems (errs) or,
// those passed, when the request does not conform to api/openapi.yaml.
func (c *call) passes(errs []FieldError) bool {
	if len(errs) > 0 {
		writeValidation(c.w, errs)
		return false
	}
	if c.s.opts.DisableSpecValidation {
		return true
	}
	err := api.ValidateRequest(c.r)
	if err == nil {
		return true
	}
	field, reason := "", err.Error()
	var ve *api.ValidationError
	if errors.As(err, &ve) {
		field, reason = ve.Field, ve.Reason
	}
	c.s.recorder.specRejection()
	c.s.log.Warn("request passed the mock's checks but not api/openapi.yaml", "path", c.r.URL.Path, "field", field, "reason", reason)
	writeValidation(c.w, []FieldError{{Field: field, Code: CodeInvalidValue, Description: "does not conform to the API contract: " + reason}})
	return false
}

// statusWriter remembers the status written through it.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *statusWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// discardWriter takes a response that will never be sent (FaultDropAfter).
type discardWriter struct {
	header http.Header
	status int
}

func (w *discardWriter) Header() http.Header { return w.header }

func (w *discardWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}

func (w *discardWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return len(p), nil
}

// Now returns the current mock time.
func (s *Server) Now() time.Time { return s.clock.Now() }

// Advance moves the mock clock forward by d, sends the status callbacks that fell due and
// expires media, and returns the new mock time.
func (s *Server) Advance(d time.Duration) time.Time {
	now := s.clock.Advance(d)
	s.pumpCallbacks(now)
	s.expireMedia(now)
	return now
}

// Clock describes the mock clock.
func (s *Server) Clock() ClockState { return s.clock.state() }

// SetClockSpeed changes how fast mock time flows (0 freezes it).
func (s *Server) SetClockSpeed(speed float64) {
	s.clock.SetSpeed(speed)
	if speed > 0 {
		s.startBackground()
	}
}

// Sends returns every send the mock accepted, in order.
func (s *Server) Sends() []Send {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return slices.Clone(s.st.sends)
}

// Duplicates returns the accepted sends that repeat an earlier one, in order.
func (s *Server) Duplicates() []Duplicate {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return slices.Clone(s.st.duplicates)
}

// Message returns a message (sent or reply) at the current mock time.
func (s *Server) Message(id string) (Message, bool) {
	now := s.clock.Now()
	s.mu.RLock()
	defer s.mu.RUnlock()
	m, ok := s.st.messages[strings.ToLower(id)]
	if !ok {
		return Message{}, false
	}
	return m.view(now), true
}

// Requests returns the API requests received, oldest first (at most the latest 100,000).
func (s *Server) Requests() []Request { return s.recorder.requestsLog() }

// Stats returns the counters.
func (s *Server) Stats() Stats {
	var st Stats
	s.recorder.fill(&st)
	s.mu.RLock()
	st.Sends = int64(len(s.st.sends))
	st.Duplicates = int64(len(s.st.duplicates))
	st.Messages = len(s.st.messages)
	st.Media = len(s.st.media)
	st.Sources = len(s.st.sources)
	s.mu.RUnlock()
	st.Callbacks = s.callbacks.stats()
	return st
}

// SetFaults replaces the fault configuration and reseeds the random source.
func (s *Server) SetFaults(f Faults) error {
	if err := f.Validate(); err != nil {
		return err
	}
	s.faults.set(f)
	return nil
}

// Faults returns the fault configuration.
func (s *Server) Faults() Faults { return s.faults.get() }

// SetRateLimit replaces the rate limit; every bucket starts full.
func (s *Server) SetRateLimit(l RateLimit) error {
	if err := l.Validate(); err != nil {
		return err
	}
	s.limiter.set(l)
	return nil
}

// RateLimit returns the rate limit.
func (s *Server) RateLimit() RateLimit { return s.limiter.get() }

// RegisterSource registers source for account, as POST /source would.
func (s *Server) RegisterSource(account, source, wabaID string) error {
	if _, ok := s.opts.Accounts[account]; !ok {
		return fmt.Errorf("unknown account %q", account)
	}
	if !sourcePattern.MatchString(source) {
		return fmt.Errorf("source %q: %s", source, descSource)
	}
	now := s.clock.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.registerLocked(account, source, wabaID, false, now)
	return nil
}

// Sources returns the registered sources, by account and source.
func (s *Server) Sources() []SourceInfo {
	s.mu.RLock()
	out := make([]SourceInfo, 0, len(s.st.sources))
	for _, info := range s.st.sources {
		out = append(out, *info)
	}
	s.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool {
		if out[i].Account != out[j].Account {
			return out[i].Account < out[j].Account
		}
		return out[i].Source < out[j].Source
	})
	return out
}

// Media returns the stored media that has not expired, oldest first.
func (s *Server) Media() []MediaInfo {
	now := s.clock.Now()
	s.mu.RLock()
	out := make([]MediaInfo, 0, len(s.st.media))
	for _, m := range s.st.media {
		if now.Before(m.ExpiresAt) {
			out = append(out, m.MediaInfo)
		}
	}
	s.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool {
		if !out[i].CreatedAt.Equal(out[j].CreatedAt) {
			return out[i].CreatedAt.Before(out[j].CreatedAt)
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// Reset forgets everything: sources (except Options' ones), messages, sends, media, counters,
// queued callbacks; the clock, faults and rate limit return to Options.
func (s *Server) Reset() {
	s.mu.Lock()
	paths := s.st.mediaPaths()
	s.st = newStore()
	s.mu.Unlock()
	removeFiles(paths)
	s.callbacks.drop()
	s.callbacks.resetCounters()
	s.clock.reset(s.opts.Clock)
	s.faults.set(s.opts.Faults)
	s.limiter.set(s.opts.RateLimit)
	s.recorder.reset()
	s.templates.reset()
	s.preregister()
}

// Close stops the background work (clock ticks, callback workers) and removes spooled media.
// The Server must not serve requests afterwards. It is safe to call more than once.
func (s *Server) Close() error {
	s.bgMu.Lock()
	s.isClosed = true
	stop, done := s.bgStop, s.bgDone
	s.bgStop = nil
	s.bgMu.Unlock()
	if stop != nil {
		close(stop)
		<-done
	}
	s.callbacks.close()
	s.mu.Lock()
	paths := s.st.mediaPaths()
	clear(s.st.media)
	s.mu.Unlock()
	removeFiles(paths)
	s.mediaDirMu.Lock()
	defer s.mediaDirMu.Unlock()
	if s.mediaDirPath != "" {
		if err := removeAll(s.mediaDirPath); err != nil {
			return fmt.Errorf("mockapi: remove media folder: %w", err)
		}
		s.mediaDirPath = ""
	}
	return nil
}

func (st *store) mediaPaths() []string {
	var paths []string
	for _, m := range st.media {
		if m.path != "" {
			paths = append(paths, m.path)
		}
	}
	return paths
}

// tick is the period of the background loop that runs while the clock flows.
const tick = 20 * time.Millisecond

// startBackground starts the loop that sends status callbacks and expires media as mock time
// flows by itself.
func (s *Server) startBackground() {
	s.bgMu.Lock()
	defer s.bgMu.Unlock()
	if s.isClosed || s.bgStop != nil {
		return
	}
	s.bgStop, s.bgDone = make(chan struct{}), make(chan struct{})
	go s.background(s.bgStop, s.bgDone)
}

func (s *Server) background(stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	t := time.NewTicker(tick)
	defer t.Stop()
	for i := 0; ; i++ {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		now := s.clock.Now()
		s.pumpCallbacks(now)
		if i%50 == 0 {
			s.expireMedia(now)
		}
	}
}
