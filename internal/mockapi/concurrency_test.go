package mockapi

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// Many clients at once, over HTTP, against every endpoint: run with -race.
func TestConcurrentClients(t *testing.T) {
	t.Parallel()
	s, hs := newHTTPMock(t, Options{})
	const clients, perClient = 50, 20
	var wg sync.WaitGroup
	var mu sync.Mutex
	ids := map[string]bool{}
	errs := make(chan error, clients)
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := hs.Client()
			doReq := func(method, path, ct string, body []byte) (int, []byte, error) {
				req, err := http.NewRequestWithContext(t.Context(), method, hs.URL+BasePath+path, bytes.NewReader(body))
				if err != nil {
					return 0, nil, err
				}
				req.SetBasicAuth(DefaultUsername, DefaultPassword)
				if ct != "" {
					req.Header.Set("Content-Type", ct)
				}
				resp, err := client.Do(req)
				if err != nil {
					return 0, nil, err
				}
				defer func() { _ = resp.Body.Close() }()
				b, err := io.ReadAll(resp.Body)
				return resp.StatusCode, b, err
			}
			for i := range perClient {
				to := fmt.Sprintf("+64210%03d%03d", c, i)
				body := `{"to":"` + to + `","source":"` + testSource + `","type":"text","text":{"body":"hi"}}`
				status, b, err := doReq(http.MethodPost, "/messages", "application/json", []byte(body))
				if err != nil || status != http.StatusAccepted {
					errs <- fmt.Errorf("send: %d %s: %w", status, b, err)
					return
				}
				var resp SendResponse
				if err := jsonUnmarshal(b, &resp); err != nil {
					errs <- err
					return
				}
				mu.Lock()
				ids[resp.MessageID] = true
				mu.Unlock()
				if status, b, err = doReq(http.MethodGet, "/messages?id="+resp.MessageID, "", nil); err != nil || status != http.StatusOK {
					errs <- fmt.Errorf("get: %d %s: %w", status, b, err)
					return
				}
				switch i % 5 {
				case 1:
					status, b, err = doReq(http.MethodPatch, "/messages", "application/json", []byte(`{"message_id":["`+resp.MessageID+`"]}`))
				case 2:
					status, b, err = doReq(http.MethodPost, "/messages/broadcast", "application/json", []byte(broadcastBody(5, c*1000+i*10)))
				case 3:
					status, b, err = doReq(http.MethodPost, "/source", "application/json", []byte(fmt.Sprintf(`{"source":"%d","waba_id":"w"}`, c+1)))
				case 4:
					ct, mp := multipartBody(t, part{"file", "a.txt", "text/plain", []byte(strings.Repeat("x", i+1))})
					status, b, err = doReq(http.MethodPost, "/media?source="+testSource, ct, mp)
				default:
					s.Advance(0)
					status = http.StatusOK
				}
				if err != nil || status >= 300 {
					errs <- fmt.Errorf("request %d of client %d: %d %s: %w", i, c, status, b, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	st := s.Stats()
	wantSends := clients*perClient + clients*(perClient/5)*5
	if len(ids) != clients*perClient || st.Sends != int64(wantSends) || st.Duplicates != 0 || st.SpecRejections != 0 {
		t.Fatalf("%d ids, stats %+v; want %d sends", len(ids), st, wantSends)
	}
	if st.Requests != int64(clients*perClient*2+clients*perClient*4/5) {
		t.Fatalf("%d requests", st.Requests)
	}
}

// Faults, rate limits, callbacks and admin calls at once: nothing races.
func TestConcurrentEverything(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t, http.StatusOK)
	s := newMock(t, Options{
		Accounts:  map[string]Account{DefaultUsername: {Password: DefaultPassword, Sources: []string{testSource}, StatusCallbackURL: rc.URL}},
		Faults:    Faults{Seed: 5, ServerErrorRate: 0.2, TooManyRequestsRate: 0.1},
		RateLimit: RateLimit{RequestsPerSecond: 1e6, Burst: 1000},
	})
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 30 {
				switch (g + i) % 6 {
				case 0:
					do(s, http.MethodPost, "/messages", sendBody)
				case 1:
					s.Advance(OffsetSubmitted)
				case 2:
					_ = s.Stats()
					_ = s.Sends()
					_ = s.Requests()
				case 3:
					_ = s.SetFaults(Faults{Seed: uint64(i), ServerErrorRate: 0.1})
				case 4:
					admin(s, http.MethodGet, "sends", "")
				case 5:
					_, _ = s.SimulateReply(Reply{From: "+6421000001", To: testSource, Text: "x"})
				}
			}
		}()
	}
	wg.Wait()
	s.Advance(OffsetRead)
	flush(t, s)
}
