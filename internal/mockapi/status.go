package mockapi

import "time"

// Message statuses (the StatusCallback and MessageDetails enum of the reference).
const (
	StatusAccepted  = "accepted"
	StatusSubmitted = "submitted"
	StatusSent      = "sent"
	StatusReceived  = "received"
	StatusRead      = "read"
	StatusFrozen    = "frozen"
	StatusRejected  = "rejected"
	StatusFailed    = "failed"
	StatusDead      = "dead"
	StatusExpired   = "expired"
)

// Offsets of the status changes of a message, in mock time, after it was accepted or, for a
// scheduled message, after its scheduled time. A scheduled message stays accepted until then.
const (
	OffsetSubmitted = 1 * time.Second
	OffsetSent      = 3 * time.Second
	OffsetReceived  = 6 * time.Second // also when the failed, expired and dead test numbers end
	OffsetRead      = 30 * time.Second
)

// Test numbers: well-formed E.164 numbers (from the fictional 555-01xx block) whose messages end
// in a given way. Every other number goes accepted → submitted → sent → received → read.
const (
	// NumberFails ends failed: accepted → submitted → sent → failed.
	NumberFails = "+15550100001"
	// NumberRejected ends rejected: accepted → rejected (at OffsetSubmitted).
	NumberRejected = "+15550100002"
	// NumberExpires ends expired: accepted → submitted → sent → expired.
	NumberExpires = "+15550100003"
	// NumberDead ends dead: accepted → submitted → sent → dead.
	NumberDead = "+15550100004"
	// NumberNeverRead stops at received: accepted → submitted → sent → received, never read.
	NumberNeverRead = "+15550100005"
	// NumberNotWhatsApp is not a WhatsApp account: a single send to it is a 422; in a broadcast
	// its entry comes back with status failed, an id and a message while the others are accepted.
	NumberNotWhatsApp = "+15550100009"
)

// fate is how a message's life goes.
type fate uint8

const (
	fateDelivered     fate = iota // … → received → read
	fateNeverRead                 // … → received
	fateFails                     // … → sent → failed
	fateRejected                  // accepted → rejected
	fateExpires                   // … → sent → expired
	fateDead                      // … → sent → dead
	fateUndeliverable             // failed from the start (NumberNotWhatsApp in a broadcast)
	fateInbound                   // an MO reply: received from the start
	fateTemplateFails             // accepted → failed: the template is not declared or does not fit
)

// pathStep is a status change at an offset from the message's start time.
type pathStep struct {
	offset time.Duration
	status string
}

var fatePaths = [...][]pathStep{
	fateDelivered:     {{OffsetSubmitted, StatusSubmitted}, {OffsetSent, StatusSent}, {OffsetReceived, StatusReceived}, {OffsetRead, StatusRead}},
	fateNeverRead:     {{OffsetSubmitted, StatusSubmitted}, {OffsetSent, StatusSent}, {OffsetReceived, StatusReceived}},
	fateFails:         {{OffsetSubmitted, StatusSubmitted}, {OffsetSent, StatusSent}, {OffsetReceived, StatusFailed}},
	fateRejected:      {{OffsetSubmitted, StatusRejected}},
	fateExpires:       {{OffsetSubmitted, StatusSubmitted}, {OffsetSent, StatusSent}, {OffsetReceived, StatusExpired}},
	fateDead:          {{OffsetSubmitted, StatusSubmitted}, {OffsetSent, StatusSent}, {OffsetReceived, StatusDead}},
	fateUndeliverable: nil,
	fateInbound:       nil,
	fateTemplateFails: {{OffsetSubmitted, StatusFailed}},
}

// fateOf returns the fate of an MT message to number.
func fateOf(number string) fate {
	switch number {
	case NumberFails:
		return fateFails
	case NumberRejected:
		return fateRejected
	case NumberExpires:
		return fateExpires
	case NumberDead:
		return fateDead
	case NumberNeverRead:
		return fateNeverRead
	case NumberNotWhatsApp:
		return fateUndeliverable
	default:
		return fateDelivered
	}
}

// StatusChange is one step of a message's history.
type StatusChange struct {
	Status string    `json:"status"`
	At     time.Time `json:"at"`
}

// timeline returns every status change of m, past and future, in order. It is derived from the
// message's fate, start time and read mark: no per-message timers.
func (m *message) timeline() []StatusChange {
	first := StatusAccepted
	switch m.fate {
	case fateUndeliverable:
		first = StatusFailed
	case fateInbound:
		first = StatusReceived
	}
	path := fatePaths[m.fate]
	steps := make([]StatusChange, 0, len(path)+2)
	steps = append(steps, StatusChange{Status: first, At: m.acceptedAt})
	for _, p := range path {
		at := m.startAt.Add(p.offset)
		if !m.readAt.IsZero() && at.After(m.readAt) {
			break
		}
		steps = append(steps, StatusChange{Status: p.status, At: at})
	}
	if !m.readAt.IsZero() && steps[len(steps)-1].Status != StatusRead {
		steps = append(steps, StatusChange{Status: StatusRead, At: m.readAt})
	}
	return steps
}

// statusAt returns the status of m at mock time now and when it took that status.
func (m *message) statusAt(now time.Time) StatusChange {
	steps := m.timeline()
	cur := steps[0]
	for _, s := range steps[1:] {
		if s.At.After(now) {
			break
		}
		cur = s
	}
	return cur
}
