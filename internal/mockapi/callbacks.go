package mockapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Callback defaults.
const (
	DefaultCallbackTimeout = 5 * time.Second
	DefaultCallbackWorkers = 4
	// maxPendingCallbacks bounds the callback queue; callbacks beyond it are dropped and counted
	// as failed.
	maxPendingCallbacks = 1 << 20
)

// StatusCallback is the body POSTed to an account's status callback URL.
type StatusCallback struct {
	ID        string `json:"id"`
	Reference string `json:"reference"`
	Status    string `json:"status"`
}

// ReplyCallback is the body POSTed to an account's reply callback URL.
type ReplyCallback struct {
	ID          string       `json:"id"`
	Source      string       `json:"source"`
	Destination string       `json:"destination"`
	Content     ReplyContent `json:"content"`
}

// ReplyContent is the content of a reply (ReplyCallbackContent in the reference).
type ReplyContent struct {
	Type     string       `json:"type"`
	Audio    *ReplyMedia  `json:"audio,omitempty"`
	Button   *ReplyButton `json:"button,omitempty"`
	Document *ReplyMedia  `json:"document,omitempty"`
	Image    *ReplyMedia  `json:"image,omitempty"`
	Sticker  *ReplyMedia  `json:"sticker,omitempty"`
	Text     *ReplyText   `json:"text,omitempty"`
	Video    *ReplyMedia  `json:"video,omitempty"`
}

// ReplyMedia is a media object of a reply.
type ReplyMedia struct {
	Caption  string `json:"caption,omitempty"`
	Filename string `json:"filename,omitempty"`
	SHA256   string `json:"sha256,omitempty"`
	ID       string `json:"id,omitempty"`
	MimeType string `json:"mime_type,omitempty"`
}

// ReplyButton is a button press of a reply.
type ReplyButton struct {
	Payload string `json:"payload,omitempty"`
	Text    string `json:"text,omitempty"`
}

// ReplyText is a text reply.
type ReplyText struct {
	Body       string `json:"body"`
	PreviewURL string `json:"preview_url,omitempty"`
}

// CallbackStats counts callbacks.
type CallbackStats struct {
	// Delivered got a 2xx answer.
	Delivered int64 `json:"delivered"`
	// Failed got another status, an error or a timeout, or were dropped from a full queue.
	Failed int64 `json:"failed"`
	// Pending are queued or in flight.
	Pending int64 `json:"pending"`
}

// callbackJob is one POST.
type callbackJob struct {
	url  string
	body []byte
	kind string // "status" or "reply", for logs
	key  string // message id: jobs with the same key are delivered in order
}

// dispatcher POSTs callbacks from a fixed pool of workers. Jobs of one message always go to the
// same worker, so they arrive in order. Enqueueing never blocks.
type dispatcher struct {
	client  *http.Client
	timeout time.Duration
	log     *slog.Logger

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	queues []*jobQueue

	mu      sync.Mutex // guards started and closed
	started bool
	closed  bool

	pending   atomic.Int64
	delivered atomic.Int64
	failed    atomic.Int64
}

type jobQueue struct {
	mu     sync.Mutex
	jobs   []callbackJob
	signal chan struct{}
}

func newDispatcher(client *http.Client, workers int, timeout time.Duration, log *slog.Logger) *dispatcher {
	ctx, cancel := context.WithCancel(context.Background())
	d := &dispatcher{client: client, timeout: timeout, log: log, ctx: ctx, cancel: cancel}
	d.queues = make([]*jobQueue, workers)
	for i := range d.queues {
		d.queues[i] = &jobQueue{signal: make(chan struct{}, 1)}
	}
	return d
}

// enqueue queues a job; the workers start on first use. Jobs after close are ignored.
func (d *dispatcher) enqueue(job callbackJob) {
	if !d.ensureStarted() {
		return
	}
	if d.pending.Add(1) > maxPendingCallbacks {
		d.pending.Add(-1)
		d.failed.Add(1)
		d.log.Warn("callback queue full: callback dropped", "kind", job.kind, "message_id", job.key)
		return
	}
	h := fnv.New32a()
	_, _ = h.Write([]byte(job.key))
	q := d.queues[int(h.Sum32()&0x7fffffff)%len(d.queues)]
	q.mu.Lock()
	q.jobs = append(q.jobs, job)
	q.mu.Unlock()
	select {
	case q.signal <- struct{}{}:
	default:
	}
}

// ensureStarted starts the workers on first use; it reports false once the dispatcher is closed.
func (d *dispatcher) ensureStarted() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return false
	}
	if !d.started {
		d.started = true
		for _, q := range d.queues {
			d.wg.Add(1)
			go d.work(q)
		}
	}
	return true
}

func (d *dispatcher) work(q *jobQueue) {
	defer d.wg.Done()
	for {
		q.mu.Lock()
		var job callbackJob
		ok := len(q.jobs) > 0
		if ok {
			job = q.jobs[0]
			q.jobs[0] = callbackJob{}
			q.jobs = q.jobs[1:]
		}
		q.mu.Unlock()
		if !ok {
			select {
			case <-q.signal:
				continue
			case <-d.ctx.Done():
				return
			}
		}
		d.deliver(job)
		d.pending.Add(-1)
	}
}

func (d *dispatcher) deliver(job callbackJob) {
	ctx, cancel := context.WithTimeout(d.ctx, d.timeout)
	defer cancel()
	err := func() error {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, job.url, bytes.NewReader(job.body))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("User-Agent", "ezitxt-mock")
		resp, err := d.client.Do(req)
		if err != nil {
			return err
		}
		defer func() { _ = resp.Body.Close() }()
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		if resp.StatusCode < 200 || resp.StatusCode > 299 {
			return fmt.Errorf("answered %s", resp.Status)
		}
		return nil
	}()
	if err != nil {
		d.failed.Add(1)
		d.log.Warn("callback failed", "kind", job.kind, "message_id", job.key, "url", job.url, "error", err)
		return
	}
	d.delivered.Add(1)
}

// drop forgets every queued job (Reset).
func (d *dispatcher) drop() {
	for _, q := range d.queues {
		q.mu.Lock()
		n := len(q.jobs)
		q.jobs = nil
		q.mu.Unlock()
		d.pending.Add(-int64(n))
	}
}

// idle tells whether no job is queued or in flight.
func (d *dispatcher) idle() bool { return d.pending.Load() <= 0 }

func (d *dispatcher) stats() CallbackStats {
	return CallbackStats{Delivered: d.delivered.Load(), Failed: d.failed.Load(), Pending: max(d.pending.Load(), 0)}
}

func (d *dispatcher) resetCounters() {
	d.delivered.Store(0)
	d.failed.Store(0)
}

// close stops the workers; queued jobs are dropped.
func (d *dispatcher) close() {
	d.mu.Lock()
	d.closed = true
	d.mu.Unlock()
	d.cancel()
	d.wg.Wait()
	d.drop()
}

// dueQueue is a min-heap of messages by the time their next status change falls due.
type dueQueue []dueEntry

type dueEntry struct {
	at  time.Time
	msg *message
}

func (q *dueQueue) push(e dueEntry) {
	*q = append(*q, e)
	h := *q
	for i := len(h) - 1; i > 0; {
		parent := (i - 1) / 2
		if !h[i].at.Before(h[parent].at) {
			break
		}
		h[i], h[parent] = h[parent], h[i]
		i = parent
	}
}

func (q *dueQueue) pop() dueEntry {
	h := *q
	top := h[0]
	last := len(h) - 1
	h[0] = h[last]
	h[last] = dueEntry{}
	h = h[:last]
	for i := 0; ; {
		smallest, l, r := i, 2*i+1, 2*i+2
		if l < len(h) && h[l].at.Before(h[smallest].at) {
			smallest = l
		}
		if r < len(h) && h[r].at.Before(h[smallest].at) {
			smallest = r
		}
		if smallest == i {
			break
		}
		h[i], h[smallest] = h[smallest], h[i]
		i = smallest
	}
	*q = h
	return top
}

// statusCallbackURL returns the status callback URL of an account, or "".
func (s *Server) statusCallbackURL(account string) string {
	return s.opts.Accounts[account].StatusCallbackURL
}

// trackLocked notes the message's status changes still to report, if its account has a status
// callback URL. s.mu must be held.
func (s *Server) trackLocked(m *message, now time.Time) {
	if m.direction != DirectionMT || s.statusCallbackURL(m.account) == "" {
		return
	}
	s.notifyLocked(m, now)
}

// notifyLocked reports the status changes of m reached by now, in order, and queues it for the
// next one. s.mu must be held.
func (s *Server) notifyLocked(m *message, now time.Time) {
	steps := m.timeline()
	url := s.statusCallbackURL(m.account)
	for m.notified < len(steps) && !steps[m.notified].At.After(now) {
		if m.notified > 0 { // the first step, acceptance, is the API's answer itself
			body, _ := json.Marshal(StatusCallback{ID: m.id, Reference: m.reference, Status: steps[m.notified].Status})
			s.callbacks.enqueue(callbackJob{url: url, body: body, kind: "status", key: m.id})
		}
		m.notified++
	}
	m.dueAt = time.Time{}
	if m.notified < len(steps) {
		m.dueAt = steps[m.notified].At
		s.st.due.push(dueEntry{at: m.dueAt, msg: m})
	}
}

// pumpCallbacks reports every status change that fell due by mock time now.
func (s *Server) pumpCallbacks(now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for len(s.st.due) > 0 && !s.st.due[0].at.After(now) {
		e := s.st.due.pop()
		if !e.at.Equal(e.msg.dueAt) {
			continue // superseded (the message was marked read)
		}
		s.notifyLocked(e.msg, now)
	}
}

// FlushCallbacks waits until every status change reached by the current mock time has been
// POSTed (or has failed), or ctx is done.
func (s *Server) FlushCallbacks(ctx context.Context) error {
	s.pumpCallbacks(s.clock.Now())
	t := time.NewTicker(5 * time.Millisecond)
	defer t.Stop()
	for !s.callbacks.idle() {
		select {
		case <-ctx.Done():
			return fmt.Errorf("callbacks still pending: %w", ctx.Err())
		case <-t.C:
		}
	}
	return nil
}
