package mockapi

import (
	"net/http"
	"slices"
	"testing"
	"time"
)

// checkpoint is the status expected at an offset of mock time after acceptance.
type checkpoint struct {
	at     time.Duration
	status string
}

func TestLifecycle(t *testing.T) {
	t.Parallel()
	const eps = time.Millisecond
	tests := []struct {
		number string
		want   []checkpoint
	}{
		{"+6421000001", []checkpoint{{0, StatusAccepted}, {OffsetSubmitted - eps, StatusAccepted}, {OffsetSubmitted, StatusSubmitted}, {OffsetSent, StatusSent}, {OffsetReceived, StatusReceived}, {OffsetRead - eps, StatusReceived}, {OffsetRead, StatusRead}, {1000 * time.Hour, StatusRead}}},
		{NumberFails, []checkpoint{{OffsetSubmitted, StatusSubmitted}, {OffsetSent, StatusSent}, {OffsetReceived, StatusFailed}, {time.Hour, StatusFailed}}},
		{NumberRejected, []checkpoint{{OffsetSubmitted - eps, StatusAccepted}, {OffsetSubmitted, StatusRejected}, {time.Hour, StatusRejected}}},
		{NumberExpires, []checkpoint{{OffsetSent, StatusSent}, {OffsetReceived, StatusExpired}, {time.Hour, StatusExpired}}},
		{NumberDead, []checkpoint{{OffsetSent, StatusSent}, {OffsetReceived, StatusDead}, {time.Hour, StatusDead}}},
		{NumberNeverRead, []checkpoint{{OffsetReceived, StatusReceived}, {1000 * time.Hour, StatusReceived}}},
	}
	for _, tt := range tests {
		t.Run(tt.number, func(t *testing.T) {
			t.Parallel()
			s := newMock(t, Options{})
			id := sendText(t, s, tt.number, "")
			elapsed := time.Duration(0)
			for _, cp := range tt.want {
				s.Advance(cp.at - elapsed)
				elapsed = cp.at
				d := details(t, s, id)
				if d.Status != cp.status {
					t.Fatalf("at +%v: status %s, want %s", cp.at, d.Status, cp.status)
				}
			}
		})
	}
}

// The timestamp is the time of the latest status change, not of the request.
func TestLifecycleTimestamps(t *testing.T) {
	t.Parallel()
	s := newMock(t, Options{})
	id := sendText(t, s, "+6421000001", "")
	s.Advance(OffsetSent + 2*time.Second)
	if got, want := details(t, s, id).Timestamp, testStart.Add(OffsetSent).Unix(); got != want {
		t.Fatalf("timestamp = %d, want %d", got, want)
	}
	m, _ := s.Message(id)
	wantHistory := []string{StatusAccepted, StatusSubmitted, StatusSent}
	var history, upcoming []string
	for _, h := range m.History {
		history = append(history, h.Status)
	}
	for _, h := range m.Upcoming {
		upcoming = append(upcoming, h.Status)
	}
	if !slices.Equal(history, wantHistory) || !slices.Equal(upcoming, []string{StatusReceived, StatusRead}) {
		t.Fatalf("history %v upcoming %v", history, upcoming)
	}
	if m.Timestamp != testStart.Add(OffsetSent) || m.Status != StatusSent {
		t.Fatalf("message = %+v", m)
	}
}

func TestScheduledMessageWaitsForItsTime(t *testing.T) {
	t.Parallel()
	s := newMock(t, Options{})
	scheduled := testStart.Add(48 * time.Hour)
	id := sendText(t, s, "+6421000001", `,"scheduled":"`+scheduled.Format(time.RFC3339)+`"`)
	for _, cp := range []checkpoint{
		{time.Hour, StatusAccepted},
		{48*time.Hour + OffsetSubmitted - time.Millisecond, StatusAccepted},
		{48*time.Hour + OffsetSubmitted, StatusSubmitted},
		{48*time.Hour + OffsetRead, StatusRead},
	} {
		s.Advance(testStart.Add(cp.at).Sub(s.Now()))
		d := details(t, s, id)
		if d.Status != cp.status {
			t.Fatalf("at +%v: %s, want %s", cp.at, d.Status, cp.status)
		}
	}
	if got := details(t, s, id).Timestamp; got != scheduled.Add(OffsetRead).Unix() {
		t.Fatalf("timestamp %d, want %d", got, scheduled.Add(OffsetRead).Unix())
	}
	m, _ := s.Message(id)
	if !m.Scheduled.Equal(scheduled) {
		t.Fatalf("scheduled = %v", m.Scheduled)
	}
}

// The 60-day limit is measured on the mock clock.
func TestScheduleLimitFollowsTheMockClock(t *testing.T) {
	t.Parallel()
	s := newMock(t, Options{})
	later := testStart.Add(MaxSchedule + time.Hour).Format(time.RFC3339)
	body := `{"to":"+6421000001","source":"` + testSource + `","type":"text","text":{"body":"hi"},"scheduled":"` + later + `"}`
	wantFieldError(t, do(s, http.MethodPost, "/messages", body), "scheduled", CodeOutOfRange)
	s.Advance(2 * time.Hour)
	wantStatus(t, do(s, http.MethodPost, "/messages", body), http.StatusAccepted)
	s.Advance(MaxSchedule)
	wantFieldError(t, do(s, http.MethodPost, "/messages", body), "scheduled", CodeOutOfRange) // now in the past
}

// Marking read ends the lifecycle; a failed message marked read reads read (api/README.md).
func TestMarkReadStopsTheLifecycle(t *testing.T) {
	t.Parallel()
	s := newMock(t, Options{})
	a := sendText(t, s, "+6421000001", "")
	f := sendText(t, s, NumberFails, "")
	s.Advance(OffsetSubmitted)
	wantStatus(t, do(s, http.MethodPatch, "/messages", `{"message_id":["`+a+`"]}`), http.StatusOK)
	s.Advance(OffsetRead)
	if got := details(t, s, a).Status; got != StatusRead {
		t.Fatalf("status %s, want read", got)
	}
	m, _ := s.Message(a)
	if len(m.History) != 3 || m.History[2].Status != StatusRead || len(m.Upcoming) != 0 {
		t.Fatalf("history %+v upcoming %+v", m.History, m.Upcoming)
	}
	wantStatus(t, do(s, http.MethodPatch, "/messages", `{"message_id":["`+f+`"]}`), http.StatusOK)
	if got := details(t, s, f).Status; got != StatusRead {
		t.Fatalf("failed message marked read: %s", got)
	}
}

func TestFateOf(t *testing.T) {
	t.Parallel()
	for number, want := range map[string]fate{
		"+6421000001": fateDelivered, NumberFails: fateFails, NumberRejected: fateRejected, NumberExpires: fateExpires,
		NumberDead: fateDead, NumberNeverRead: fateNeverRead, NumberNotWhatsApp: fateUndeliverable, "+15550100006": fateDelivered,
	} {
		if got := fateOf(number); got != want {
			t.Errorf("fateOf(%s) = %d, want %d", number, got, want)
		}
	}
}
