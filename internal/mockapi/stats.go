package mockapi

import (
	"maps"
	"sync"
	"time"
)

// Endpoint names an operation of the API, as "METHOD /path" under the base path.
type Endpoint string

// Endpoints of the API, and the names the mock gives requests outside it.
const (
	EndpointSendMessage    Endpoint = "POST /messages"
	EndpointBroadcast      Endpoint = "POST /messages/broadcast"
	EndpointGetMessage     Endpoint = "GET /messages"
	EndpointMarkRead       Endpoint = "PATCH /messages"
	EndpointUploadMedia    Endpoint = "POST /media"
	EndpointGetMedia       Endpoint = "GET /media"
	EndpointRegisterSource Endpoint = "POST /source"
	// EndpointUnknown is any other path or method (answered 404 or 405).
	EndpointUnknown Endpoint = "unknown"
)

// APIEndpoints lists the endpoints of the API.
var APIEndpoints = []Endpoint{
	EndpointSendMessage, EndpointBroadcast, EndpointGetMessage, EndpointMarkRead,
	EndpointUploadMedia, EndpointGetMedia, EndpointRegisterSource,
}

// SendEndpoints are the endpoints that send messages (useful as Faults.Endpoints).
var SendEndpoints = []Endpoint{EndpointSendMessage, EndpointBroadcast}

// Request is one API request the mock received (admin requests are not recorded).
type Request struct {
	// Time is the real time the request arrived; MockTime the mock time.
	Time     time.Time `json:"time"`
	MockTime time.Time `json:"mock_time"`
	Method   string    `json:"method"`
	// Path is the URL path and query.
	Path     string   `json:"path"`
	Endpoint Endpoint `json:"endpoint"`
	// Account is the authenticated username, or "".
	Account string `json:"account,omitempty"`
	// Status is the status the mock produced; 0 when it dropped the connection before
	// processing. With Dropped and a non-zero Status the request was processed but the client
	// got no response (FaultDropAfter).
	Status  int  `json:"status"`
	Dropped bool `json:"dropped,omitempty"`
	// Fault is the injected fault, if any (latency is reported in Latency).
	Fault    FaultKind     `json:"fault,omitempty"`
	Latency  time.Duration `json:"latency,omitempty"`
	Duration time.Duration `json:"duration"`
}

// statusSeen is the status the client saw: 0 when the connection was dropped.
func (r Request) statusSeen() int {
	if r.Dropped {
		return 0
	}
	return r.Status
}

// Stats are the mock's counters since it was created or reset.
type Stats struct {
	// Requests counts API requests (every path except the admin API), whatever their fate.
	Requests int64 `json:"requests"`
	// AdminRequests counts requests to the admin API.
	AdminRequests int64 `json:"admin_requests"`
	// ByEndpoint counts API requests per endpoint.
	ByEndpoint map[Endpoint]int64 `json:"by_endpoint"`
	// ByStatus counts API requests per status the client received (0: connection dropped).
	ByStatus map[int]int64 `json:"by_status"`
	// ByEndpointStatus counts API requests per endpoint and status received.
	ByEndpointStatus map[Endpoint]map[int]int64 `json:"by_endpoint_status"`
	// Faults counts injected faults by kind.
	Faults map[FaultKind]int64 `json:"faults"`
	// RateLimited counts requests refused by the rate limit (not injected 429s).
	RateLimited int64 `json:"rate_limited"`
	// Sends counts accepted sends, one per destination (failed broadcast entries included).
	Sends int64 `json:"sends"`
	// Duplicates counts accepted sends equal to an earlier one (see Send.DuplicateOf).
	Duplicates int64 `json:"duplicates"`
	// SpecRejections counts requests that passed the mock's own checks but not openapi.yaml
	// (answered 400). Non-zero means the mock's checks miss a rule of the contract.
	SpecRejections int64 `json:"spec_rejections"`
	// Messages, Media and Sources are the numbers of stored objects.
	Messages int `json:"messages"`
	Media    int `json:"media"`
	Sources  int `json:"sources"`
	// Callbacks counts status and reply callbacks.
	Callbacks CallbackStats `json:"callbacks"`
}

// maxRequestLog bounds the request log: the oldest half is dropped when it is full.
const maxRequestLog = 100_000

// recorder keeps the request log and counters. Safe for concurrent use.
type recorder struct {
	mu               sync.Mutex
	log              []Request
	requests         int64
	admin            int64
	byEndpoint       map[Endpoint]int64
	byStatus         map[int]int64
	byEndpointStatus map[Endpoint]map[int]int64
	faults           map[FaultKind]int64
	rateLimited      int64
	specRejections   int64
}

func newRecorder() *recorder {
	r := &recorder{}
	r.reset()
	return r
}

func (r *recorder) reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.log = nil
	r.requests, r.admin, r.rateLimited, r.specRejections = 0, 0, 0, 0
	r.byEndpoint = make(map[Endpoint]int64)
	r.byStatus = make(map[int]int64)
	r.byEndpointStatus = make(map[Endpoint]map[int]int64)
	r.faults = make(map[FaultKind]int64)
}

func (r *recorder) record(req Request) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.log) >= maxRequestLog {
		r.log = append(make([]Request, 0, maxRequestLog), r.log[len(r.log)/2:]...)
	}
	r.log = append(r.log, req)
	r.requests++
	r.byEndpoint[req.Endpoint]++
	status := req.statusSeen()
	r.byStatus[status]++
	if r.byEndpointStatus[req.Endpoint] == nil {
		r.byEndpointStatus[req.Endpoint] = make(map[int]int64)
	}
	r.byEndpointStatus[req.Endpoint][status]++
	if req.Fault != "" {
		r.faults[req.Fault]++
	}
	if req.Latency > 0 {
		r.faults[FaultLatency]++
	}
}

func (r *recorder) adminRequest() {
	r.mu.Lock()
	r.admin++
	r.mu.Unlock()
}

func (r *recorder) rateLimit() {
	r.mu.Lock()
	r.rateLimited++
	r.mu.Unlock()
}

func (r *recorder) specRejection() {
	r.mu.Lock()
	r.specRejections++
	r.mu.Unlock()
}

func (r *recorder) requestsLog() []Request {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Request(nil), r.log...)
}

// fill copies the counters into st.
func (r *recorder) fill(st *Stats) {
	r.mu.Lock()
	defer r.mu.Unlock()
	st.Requests = r.requests
	st.AdminRequests = r.admin
	st.ByEndpoint = maps.Clone(r.byEndpoint)
	st.ByStatus = maps.Clone(r.byStatus)
	st.ByEndpointStatus = make(map[Endpoint]map[int]int64, len(r.byEndpointStatus))
	for e, m := range r.byEndpointStatus {
		st.ByEndpointStatus[e] = maps.Clone(m)
	}
	st.Faults = maps.Clone(r.faults)
	st.RateLimited = r.rateLimited
	st.SpecRejections = r.specRejections
}
