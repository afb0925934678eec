package mockapi

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// BroadcastResult is one entry of the POST /messages/broadcast response.
type BroadcastResult struct {
	Destination string `json:"destination"`
	ID          string `json:"id"`
	Status      string `json:"status"`
	Message     string `json:"message,omitempty"`
}

// SendResponse is the body of a 202 from POST /messages.
type SendResponse struct {
	MessageID string `json:"message_id"`
	Status    string `json:"status"`
}

// handleRegisterSource serves POST /source: registering again updates the source.
func (s *Server) handleRegisterSource(c *call) {
	body, ok := c.decodeBody()
	if !ok {
		return
	}
	in, errs := parseSource(body)
	if !c.passes(errs) {
		return
	}
	s.mu.Lock()
	s.registerLocked(c.account, in.source, in.wabaID, in.pin != "", c.now)
	s.mu.Unlock()
	c.w.Header().Set("Content-Length", "0")
	c.w.WriteHeader(http.StatusOK)
}

func (s *Server) registerLocked(account, source, wabaID string, pinSet bool, now time.Time) {
	key := sourceKey{account: account, source: source}
	info := s.st.sources[key]
	if info == nil {
		info = &SourceInfo{Account: account, Source: source}
		s.st.sources[key] = info
	}
	info.WABAID, info.PINSet, info.RegisteredAt = wabaID, pinSet, now
	info.Registrations++
}

func (s *Server) sourceRegistered(account, source string) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.st.sources[sourceKey{account: account, source: source}] != nil
}

func unregisteredSource(source string) string {
	return fmt.Sprintf(`source %s is not registered for this account: register it first with POST /source {"source": %q, "waba_id": "<WhatsApp Business Account id>"}`, source, source)
}

func notWhatsApp(number string) string {
	return number + " is not a WhatsApp account"
}

// handleSendMessage serves POST /messages.
func (s *Server) handleSendMessage(c *call) { s.send(c, false) }

// handleBroadcast serves POST /messages/broadcast.
func (s *Server) handleBroadcast(c *call) { s.send(c, true) }

func (s *Server) send(c *call, broadcast bool) {
	body, ok := c.decodeBody()
	if !ok {
		return
	}
	in, errs := parseMessage(body, c.now, broadcast, s.opts.MaxBroadcastDestinations)
	if !c.passes(errs) {
		return
	}
	in.failure = s.templateFailure(&in)
	kind := KindSingle
	if broadcast {
		kind = KindBroadcast
	}
	ids := make([]string, len(in.destinations))
	for i := range ids {
		ids[i] = newUUID()
	}
	results := make([]BroadcastResult, len(in.destinations))

	s.mu.Lock()
	if s.st.sources[sourceKey{account: c.account, source: in.source}] == nil {
		s.mu.Unlock()
		writeError(c.w, http.StatusUnprocessableEntity, "%s", unregisteredSource(in.source))
		return
	}
	if !broadcast && in.destinations[0] == NumberNotWhatsApp {
		s.mu.Unlock()
		writeError(c.w, http.StatusUnprocessableEntity, "%s", notWhatsApp(NumberNotWhatsApp))
		return
	}
	for i, dest := range in.destinations {
		m := s.acceptLocked(c, &in, ids[i], dest, kind)
		results[i] = BroadcastResult{Destination: dest, ID: m.id, Status: m.statusAt(c.now).Status}
		if m.fate == fateUndeliverable {
			results[i].Message = notWhatsApp(dest)
		}
	}
	s.mu.Unlock()
	if in.failure != "" {
		s.log.Info("template send accepted; it will fail", "reason", in.failure, "messages", len(results))
	}

	if broadcast {
		writeJSON(c.w, http.StatusAccepted, results)
		return
	}
	writeJSON(c.w, http.StatusAccepted, SendResponse{MessageID: results[0].ID, Status: StatusAccepted})
}

// acceptLocked stores a message to dest and records the send. s.mu must be held.
func (s *Server) acceptLocked(c *call, in *messageInput, id, dest string, kind SendKind) *message {
	m := &message{
		id:          id,
		kind:        kind,
		account:     c.account,
		direction:   DirectionMT,
		source:      in.source,
		destination: dest,
		reference:   in.reference,
		detailType:  in.detailType,
		attrs:       in.attrs,
		acceptedAt:  c.now,
		scheduled:   in.scheduled,
		startAt:     c.now,
		fate:        fateOf(dest),
		body:        c.body,
	}
	if !in.scheduled.IsZero() {
		m.startAt = in.scheduled
	}
	if in.failure != "" && m.fate != fateUndeliverable {
		m.fate, m.reason = fateTemplateFails, in.failure
	}
	s.st.messages[id] = m
	send := Send{
		ID: id, Kind: kind, Account: c.account, Source: in.source, Destination: dest, Type: in.typ,
		Reference: in.reference, Scheduled: in.scheduled, Status: m.statusAt(c.now).Status, Time: c.now, Body: c.body,
	}
	if m.fate != fateUndeliverable {
		key := duplicateKey(c.account, in.source, dest, in.typ, in.canonical, in.scheduled, in.reference)
		if first, seen := s.st.dupIndex[key]; seen {
			send.DuplicateOf = first
			s.st.duplicates = append(s.st.duplicates, Duplicate{
				ID: id, OriginalID: first, Kind: kind, Account: c.account, Source: in.source,
				Destination: dest, Type: in.typ, Time: c.now,
			})
		} else {
			s.st.dupIndex[key] = id
		}
	}
	s.st.sends = append(s.st.sends, send)
	s.trackLocked(m, c.now)
	return m
}

// handleGetMessage serves GET /messages?id=UUID.
func (s *Server) handleGetMessage(c *call) {
	var ck checker
	id := ck.queryParam(c.r.URL.Query(), "id", uuidPattern, descUUID)
	if !c.passes(ck.errs) {
		return
	}
	s.mu.RLock()
	m := s.st.messages[strings.ToLower(id)]
	var details MessageDetails
	found := m != nil && m.account == c.account
	if found {
		details = m.details(c.now)
	}
	s.mu.RUnlock()
	if !found {
		writeError(c.w, http.StatusNotFound, "message %s not found", id)
		return
	}
	writeJSON(c.w, http.StatusOK, details)
}

// handleMarkRead serves PATCH /messages: every id must be known, then all move to read.
func (s *Server) handleMarkRead(c *call) {
	body, ok := c.decodeBody()
	if !ok {
		return
	}
	ids, errs := parseMarkRead(body)
	if !c.passes(errs) {
		return
	}
	s.mu.Lock()
	var missing []string
	seenMissing := make(map[string]bool)
	found := make([]*message, 0, len(ids))
	for _, id := range ids {
		m := s.st.messages[id]
		if m == nil || m.account != c.account {
			if !seenMissing[id] {
				seenMissing[id] = true
				missing = append(missing, id)
			}
			continue
		}
		found = append(found, m)
	}
	if len(missing) > 0 {
		s.mu.Unlock()
		writeError(c.w, http.StatusNotFound, "messages not found: %s; nothing was changed", listSome(missing, 20))
		return
	}
	for _, m := range found {
		if m.statusAt(c.now).Status == StatusRead {
			continue
		}
		m.readAt = c.now
		if m.notified > 0 { // tracked for status callbacks
			s.notifyLocked(m, c.now)
		}
	}
	s.mu.Unlock()
	c.w.Header().Set("Content-Length", "0")
	c.w.WriteHeader(http.StatusOK)
}

// listSome joins the first n items and says how many more there are.
func listSome(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(items[:n], ", "), len(items)-n)
}
