package mockapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ezitxt/terraform-provider-ezitxt/api"
)

// maxAdminBody caps admin request bodies.
const maxAdminBody = 1 << 20

type adminHandler func(s *Server, w http.ResponseWriter, r *http.Request)

// adminRoutes maps admin paths (after AdminPrefix) and methods to handlers.
var adminRoutes = map[string]map[string]adminHandler{
	"":              {http.MethodGet: (*Server).adminIndex},
	"sends":         {http.MethodGet: (*Server).adminSends},
	"duplicates":    {http.MethodGet: (*Server).adminDuplicates},
	"messages/":     {http.MethodGet: (*Server).adminMessage}, // messages/{id}
	"stats":         {http.MethodGet: (*Server).adminStats},
	"requests":      {http.MethodGet: (*Server).adminRequests},
	"clock":         {http.MethodGet: (*Server).adminClock, http.MethodPut: (*Server).adminSetClock},
	"clock/advance": {http.MethodPost: (*Server).adminAdvance},
	"faults":        {http.MethodGet: (*Server).adminFaults, http.MethodPut: (*Server).adminSetFaults},
	"ratelimit":     {http.MethodGet: (*Server).adminRateLimit, http.MethodPut: (*Server).adminSetRateLimit},
	"replies":       {http.MethodPost: (*Server).adminReply},
	"reset":         {http.MethodPost: (*Server).adminReset},
	"sources":       {http.MethodGet: (*Server).adminSources},
	"media":         {http.MethodGet: (*Server).adminMedia},
	"openapi.yaml":  {http.MethodGet: (*Server).adminOpenAPI},
}

// serveAdmin serves the admin API: JSON in and out, errors in the {message, statusCode, error}
// shape, no authentication, no faults, no rate limit.
func (s *Server) serveAdmin(w http.ResponseWriter, r *http.Request) {
	rest := strings.TrimPrefix(strings.TrimPrefix(r.URL.Path, strings.TrimSuffix(AdminPrefix, "/")), "/")
	key := rest
	if strings.HasPrefix(rest, "messages/") {
		key = "messages/"
	}
	methods, ok := adminRoutes[key]
	if !ok {
		writeError(w, http.StatusNotFound, "no admin endpoint %s; GET %s lists them", r.URL.Path, AdminPrefix)
		return
	}
	// A page in a browser can send a cross-origin POST without asking first (a "simple request",
	// such as a form post), and the admin API has no authentication: refuse changes that come
	// from another origin. curl and scripts send no Origin header.
	if origin := r.Header.Get("Origin"); origin != "" && r.Method != http.MethodGet && r.Method != http.MethodHead &&
		origin != "http://"+r.Host && origin != "https://"+r.Host {
		writeError(w, http.StatusForbidden, "admin requests from a web page of another origin (%s) are refused", origin)
		return
	}
	h, ok := methods[r.Method]
	if !ok {
		allowed := make([]string, 0, len(methods))
		for m := range methods {
			allowed = append(allowed, m)
		}
		slices.Sort(allowed)
		w.Header().Set("Allow", strings.Join(allowed, ", "))
		writeError(w, http.StatusMethodNotAllowed, "method %s is not allowed on %s; use %s", r.Method, r.URL.Path, strings.Join(allowed, ", "))
		return
	}
	h(s, w, r)
}

// adminBodyTypes are the Content-Types an admin body is read as JSON with: JSON itself, and
// application/x-www-form-urlencoded, which `curl -d '{...}'` sends when no -H 'Content-Type' is
// given. No Content-Type at all is read as JSON too.
var adminBodyTypes = []string{"application/json", "application/x-www-form-urlencoded"}

// decodeAdmin reads a JSON admin body into v, rejecting unknown fields. It answers 400 or 415
// and returns false when it cannot.
func decodeAdmin(w http.ResponseWriter, r *http.Request, v any) bool {
	if ct := r.Header.Get("Content-Type"); ct != "" && !slices.ContainsFunc(adminBodyTypes, func(t string) bool {
		return strings.HasPrefix(strings.ToLower(ct), t)
	}) {
		writeError(w, http.StatusUnsupportedMediaType, "Content-Type must be application/json (or what curl -d sends), got %q", ct)
		return false
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxAdminBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			writeError(w, http.StatusBadRequest, "a JSON body is required")
		} else if isTooLarge(err) {
			writeError(w, http.StatusRequestEntityTooLarge, "the body is larger than %s", formatBytes(maxAdminBody))
		} else {
			writeError(w, http.StatusBadRequest, "invalid JSON body: %v", err)
		}
		return false
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		writeError(w, http.StatusBadRequest, "invalid JSON body: data after the JSON value")
		return false
	}
	return true
}

func (s *Server) adminIndex(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"api":   BasePath,
		"admin": AdminPrefix,
		"endpoints": []string{
			"GET /__admin/sends?account=&destination=&kind=&body=true",
			"GET /__admin/duplicates",
			"GET /__admin/messages/{id}",
			"GET /__admin/stats",
			"GET /__admin/requests?limit=100",
			"GET /__admin/clock",
			"PUT /__admin/clock {\"speed\": 100}",
			"POST /__admin/clock/advance {\"by\": \"1h30m\"}",
			"GET /__admin/faults",
			"PUT /__admin/faults",
			"GET /__admin/ratelimit",
			"PUT /__admin/ratelimit {\"requests_per_second\": 5, \"burst\": 10}",
			"POST /__admin/replies {\"from\": \"+6421000001\", \"to\": \"1234567890\", \"text\": \"hi\"}",
			"POST /__admin/reset",
			"GET /__admin/sources",
			"GET /__admin/media",
			"GET /__admin/openapi.yaml",
			"GET, PUT [definitions], DELETE /__admin/templates",
		},
	})
}

func (s *Server) adminSends(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	withBody := q.Get("body") == "true" || q.Get("body") == "1"
	sends := s.Sends()
	out := make([]Send, 0, len(sends))
	for _, snd := range sends {
		if (q.Has("account") && snd.Account != q.Get("account")) ||
			(q.Has("destination") && snd.Destination != q.Get("destination")) ||
			(q.Has("kind") && string(snd.Kind) != q.Get("kind")) {
			continue
		}
		if !withBody {
			snd.Body = nil
		}
		out = append(out, snd)
	}
	writeJSON(w, http.StatusOK, map[string]any{"count": len(out), "sends": out})
}

func (s *Server) adminDuplicates(w http.ResponseWriter, _ *http.Request) {
	d := s.Duplicates()
	if d == nil {
		d = []Duplicate{} // [] rather than null: what the guide shows and jq users expect
	}
	writeJSON(w, http.StatusOK, map[string]any{"count": len(d), "duplicates": d})
}

func (s *Server) adminMessage(w http.ResponseWriter, r *http.Request) {
	id := strings.TrimPrefix(r.URL.Path, AdminPrefix+"messages/")
	m, ok := s.Message(id)
	if !ok {
		writeError(w, http.StatusNotFound, "message %q not found", id)
		return
	}
	writeJSON(w, http.StatusOK, m)
}

func (s *Server) adminStats(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, s.Stats())
}

func (s *Server) adminRequests(w http.ResponseWriter, r *http.Request) {
	reqs := s.Requests()
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			writeError(w, http.StatusBadRequest, "limit must be a non-negative integer, got %q", v)
			return
		}
		reqs = reqs[max(0, len(reqs)-n):]
	}
	writeJSON(w, http.StatusOK, map[string]any{"count": len(reqs), "requests": reqs})
}

// clockJSON is the admin view of the clock.
type clockJSON struct {
	Now      time.Time `json:"now"`
	Unix     int64     `json:"unix"`
	Speed    float64   `json:"speed"`
	Advanced string    `json:"advanced"`
}

func (s *Server) writeClock(w http.ResponseWriter) {
	st := s.Clock()
	writeJSON(w, http.StatusOK, clockJSON{Now: st.Now, Unix: st.Now.Unix(), Speed: st.Speed, Advanced: st.Advanced.String()})
}

func (s *Server) adminClock(w http.ResponseWriter, _ *http.Request) { s.writeClock(w) }

func (s *Server) adminSetClock(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Speed *float64 `json:"speed"`
	}
	if !decodeAdmin(w, r, &in) {
		return
	}
	if in.Speed == nil || *in.Speed < 0 {
		writeError(w, http.StatusBadRequest, "speed is required and must not be negative (0 freezes the clock, 1 is real time)")
		return
	}
	s.SetClockSpeed(*in.Speed)
	s.writeClock(w)
}

func (s *Server) adminAdvance(w http.ResponseWriter, r *http.Request) {
	var in struct {
		By string `json:"by"`
	}
	if !decodeAdmin(w, r, &in) {
		return
	}
	d, err := time.ParseDuration(in.By)
	if err != nil || d < 0 {
		writeError(w, http.StatusBadRequest, "by must be a non-negative Go duration such as \"90s\" or \"1h30m\", got %q", in.By)
		return
	}
	s.Advance(d)
	s.writeClock(w)
}

func (s *Server) adminFaults(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, s.Faults())
}

func (s *Server) adminSetFaults(w http.ResponseWriter, r *http.Request) {
	var f Faults
	if !decodeAdmin(w, r, &f) {
		return
	}
	if err := s.SetFaults(f); err != nil {
		writeError(w, http.StatusBadRequest, "%v", err)
		return
	}
	writeJSON(w, http.StatusOK, s.Faults())
}

func (s *Server) adminRateLimit(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, s.RateLimit())
}

func (s *Server) adminSetRateLimit(w http.ResponseWriter, r *http.Request) {
	var l RateLimit
	if !decodeAdmin(w, r, &l) {
		return
	}
	if err := s.SetRateLimit(l); err != nil {
		writeError(w, http.StatusBadRequest, "%v", err)
		return
	}
	writeJSON(w, http.StatusOK, s.RateLimit())
}

func (s *Server) adminReply(w http.ResponseWriter, r *http.Request) {
	var in Reply
	if !decodeAdmin(w, r, &in) {
		return
	}
	m, err := s.SimulateReply(in)
	if err != nil {
		writeError(w, http.StatusBadRequest, "%v", err)
		return
	}
	writeJSON(w, http.StatusCreated, m)
}

func (s *Server) adminReset(w http.ResponseWriter, _ *http.Request) {
	s.Reset()
	writeJSON(w, http.StatusOK, map[string]string{"status": "reset"})
}

func (s *Server) adminSources(w http.ResponseWriter, _ *http.Request) {
	src := s.Sources()
	writeJSON(w, http.StatusOK, map[string]any{"count": len(src), "sources": src})
}

func (s *Server) adminMedia(w http.ResponseWriter, _ *http.Request) {
	m := s.Media()
	writeJSON(w, http.StatusOK, map[string]any{"count": len(m), "media": m})
}

func (s *Server) adminOpenAPI(w http.ResponseWriter, _ *http.Request) {
	doc := api.YAML()
	w.Header().Set("Content-Type", "application/yaml")
	w.Header().Set("Content-Length", strconv.Itoa(len(doc)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(doc)
}

// faultsJSON is the JSON form of Faults, with durations as Go duration strings.
type faultsJSON struct {
	Seed                uint64     `json:"seed"`
	Latency             string     `json:"latency,omitempty"`
	LatencyJitter       string     `json:"latency_jitter,omitempty"`
	LatencyRate         float64    `json:"latency_rate,omitempty"`
	ServerErrorRate     float64    `json:"server_error_rate"`
	TooManyRequestsRate float64    `json:"too_many_requests_rate"`
	DropBeforeRate      float64    `json:"drop_before_rate"`
	DropAfterRate       float64    `json:"drop_after_rate"`
	RetryAfter          string     `json:"retry_after,omitempty"`
	Endpoints           []Endpoint `json:"endpoints,omitempty"`
}

// MarshalJSON encodes durations as strings such as "150ms".
func (f Faults) MarshalJSON() ([]byte, error) {
	str := func(d time.Duration) string {
		if d == 0 {
			return ""
		}
		return d.String()
	}
	return json.Marshal(faultsJSON{
		Seed: f.Seed, Latency: str(f.Latency), LatencyJitter: str(f.LatencyJitter), LatencyRate: f.LatencyRate,
		ServerErrorRate: f.ServerErrorRate, TooManyRequestsRate: f.TooManyRequestsRate,
		DropBeforeRate: f.DropBeforeRate, DropAfterRate: f.DropAfterRate,
		RetryAfter: str(f.RetryAfter), Endpoints: f.Endpoints,
	})
}

// UnmarshalJSON decodes the form MarshalJSON writes; unknown fields are an error.
func (f *Faults) UnmarshalJSON(data []byte) error {
	var in faultsJSON
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return err
	}
	parse := func(name, v string) (time.Duration, error) {
		if v == "" {
			return 0, nil
		}
		d, err := time.ParseDuration(v)
		if err != nil {
			return 0, fmt.Errorf("%s: %w", name, err)
		}
		return d, nil
	}
	var errs [3]error
	var out Faults
	out.Latency, errs[0] = parse("latency", in.Latency)
	out.LatencyJitter, errs[1] = parse("latency_jitter", in.LatencyJitter)
	out.RetryAfter, errs[2] = parse("retry_after", in.RetryAfter)
	if err := errors.Join(errs[:]...); err != nil {
		return err
	}
	out.Seed, out.LatencyRate = in.Seed, in.LatencyRate
	out.ServerErrorRate, out.TooManyRequestsRate = in.ServerErrorRate, in.TooManyRequestsRate
	out.DropBeforeRate, out.DropAfterRate = in.DropBeforeRate, in.DropAfterRate
	out.Endpoints = in.Endpoints
	*f = out
	return nil
}
