package mockapi

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestRateLimit(t *testing.T) {
	t.Parallel()
	s := newMock(t, Options{
		Accounts: map[string]Account{
			DefaultUsername: {Password: DefaultPassword, Sources: []string{testSource}},
			"other":         {Password: "pw"},
		},
		RateLimit: RateLimit{RequestsPerSecond: 0.01, Burst: 3},
	})
	get := apiRequest(http.MethodGet, "/messages?id=3fa85f64-5717-4562-b3fc-2c963f66afa6", "")
	for range 3 {
		wantStatus(t, serve(s, get.Clone(t.Context())), http.StatusNotFound)
	}
	rec := serve(s, get.Clone(t.Context()))
	msg := wantError(t, rec, http.StatusTooManyRequests)
	retry, err := strconv.Atoi(rec.Header().Get("Retry-After"))
	if err != nil || retry < 1 || retry > 100 {
		t.Fatalf("Retry-After = %q; error %q", rec.Header().Get("Retry-After"), msg)
	}
	other := get.Clone(t.Context())
	other.SetBasicAuth("other", "pw")
	wantStatus(t, serve(s, other), http.StatusNotFound) // buckets are per account

	unauth := get.Clone(t.Context())
	unauth.SetBasicAuth(DefaultUsername, "wrong")
	wantError(t, serve(s, unauth), http.StatusUnauthorized) // authentication comes first

	if st := s.Stats(); st.RateLimited != 1 || st.ByStatus[http.StatusTooManyRequests] != 1 {
		t.Fatalf("stats %+v", st)
	}
	if err := s.SetRateLimit(RateLimit{}); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, serve(s, get.Clone(t.Context())), http.StatusNotFound) // off
	if err := s.SetRateLimit(RateLimit{RequestsPerSecond: -1}); err == nil {
		t.Fatal("negative rate accepted")
	}
}

func TestTokenBucket(t *testing.T) {
	t.Parallel()
	wall := &fakeReal{now: time.Unix(0, 0)}
	l := newRateLimiter(RateLimit{RequestsPerSecond: 2}, wall.Now) // burst defaults to 2
	for i := range 2 {
		if ok, _ := l.allow("a"); !ok {
			t.Fatalf("request %d refused", i)
		}
	}
	ok, wait := l.allow("a")
	if ok || wait != 500*time.Millisecond {
		t.Fatalf("third request: ok=%v wait=%v, want refused for 500ms", ok, wait)
	}
	wall.Add(250 * time.Millisecond)
	if ok, wait := l.allow("a"); ok || wait != 250*time.Millisecond {
		t.Fatalf("after 250ms: ok=%v wait=%v", ok, wait)
	}
	wall.Add(250 * time.Millisecond)
	if ok, _ := l.allow("a"); !ok {
		t.Fatal("refused after the refill")
	}
	wall.Add(time.Hour)
	for i := range 2 { // the bucket holds at most the burst
		if ok, _ := l.allow("a"); !ok {
			t.Fatalf("request %d after a long pause refused", i)
		}
	}
	if ok, _ := l.allow("a"); ok {
		t.Fatal("bucket grew beyond its burst")
	}
	l.set(RateLimit{RequestsPerSecond: 1e-30, Burst: 1})
	l.allow("a")
	if _, wait := l.allow("a"); retryAfterSeconds(wait) != 1<<31-1 {
		t.Fatalf("a tiny rate gives Retry-After %d", retryAfterSeconds(wait))
	}
}

func TestRateLimitBurstDefault(t *testing.T) {
	t.Parallel()
	for rate, want := range map[float64]float64{0.5: 1, 1: 1, 2.5: 3, 10: 10} {
		if got := (RateLimit{RequestsPerSecond: rate}).burst(); got != want {
			t.Errorf("burst for %v/s = %v, want %v", rate, got, want)
		}
	}
}

// With StatePolicy, every answer of a rate-limited account states the limit
// in RateLimit-Policy; without a limit, or by default (the reference has no
// such header), there is none.
func TestRateLimitPolicyHeader(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		limit RateLimit
		want  string
	}{
		{RateLimit{StatePolicy: true}, ""},
		{RateLimit{RequestsPerSecond: 10, Burst: 1}, ""},
		{RateLimit{RequestsPerSecond: 10, Burst: 1, StatePolicy: true}, `"account";q=10;w=1;burst=1`},
		{RateLimit{RequestsPerSecond: 20, StatePolicy: true}, `"account";q=20;w=1;burst=20`},
		{RateLimit{RequestsPerSecond: 2.5, Burst: 5, StatePolicy: true}, `"account";q=5;w=2;burst=5`},
		{RateLimit{RequestsPerSecond: 0.01, Burst: 3, StatePolicy: true}, `"account";q=1;w=100;burst=3`},
	} {
		s := newMock(t, Options{RateLimit: tt.limit})
		get := apiRequest(http.MethodGet, "/messages?id=3fa85f64-5717-4562-b3fc-2c963f66afa6", "")
		for range 2 { // an answer and, for the smallest limits, a 429
			if got := serve(s, get.Clone(t.Context())).Header().Get(PolicyHeader); got != tt.want {
				t.Errorf("%+v: %s = %q, want %q", tt.limit, PolicyHeader, got, tt.want)
			}
		}
	}
}

// An account needs a password, as it needs a name.
func TestAccountWithoutPasswordRefused(t *testing.T) {
	t.Parallel()
	if _, err := NewServer(Options{Accounts: map[string]Account{"ops": {}}}); err == nil || !strings.Contains(err.Error(), `account "ops": the password must not be empty`) {
		t.Fatalf("NewServer with an empty password: %v", err)
	}
}
