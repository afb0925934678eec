package provider

import (
	"context"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/client"
	"github.com/ezitxt/terraform-provider-ezitxt/internal/mockapi"
)

// waitEnv is a mock with the default account and a client of it.
func waitEnv(t *testing.T, speed float64) (*mockapi.Server, *client.Client) {
	t.Helper()
	m, err := mockapi.NewServer(mockapi.Options{
		Accounts: map[string]mockapi.Account{"u": {Password: "p", Sources: []string{"15550001111"}}},
		Clock:    mockapi.ClockOptions{Speed: speed},
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(m)
	t.Cleanup(func() { srv.Close(); _ = m.Close() })
	c, err := client.New(client.Config{BaseURL: srv.URL + mockapi.BasePath, Username: "u", Password: "p"})
	if err != nil {
		t.Fatal(err)
	}
	return m, c
}

func waitTestSend(t *testing.T, c *client.Client, to string) string {
	t.Helper()
	res, err := c.SendMessage(context.Background(), client.Message{
		To: to, Source: "15550001111", Content: client.Content{Text: &client.Text{Body: "hi"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return res.MessageID
}

// TestWaitForStatuses waits, on a mock clock 1000 times faster than real
// time, for messages that reach the target, end in failure, or stop short
// of it.
func TestWaitForStatuses(t *testing.T) {
	t.Parallel()
	_, c := waitEnv(t, 1000)
	ok1, ok2 := waitTestSend(t, c, "+6421000001"), waitTestSend(t, c, "+6421000002")
	failed := waitTestSend(t, c, mockapi.NumberFails)
	neverRead := waitTestSend(t, c, mockapi.NumberNeverRead)

	var changes []string
	seen := func(id string, d client.MessageDetails) {
		if id == ok1 {
			changes = append(changes, d.Status)
		}
	}
	out, err := waitForStatuses(context.Background(), c, []string{ok1, ok2, failed}, client.StatusRead, 10*time.Millisecond, 2, seen)
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Pending) != 0 || !slices.Equal(out.Failed, []string{failed}) {
		t.Errorf("pending %v failed %v, want none and [%s]", out.Pending, out.Failed, failed)
	}
	if out.Last[ok1].Status != "read" || out.Last[ok2].Status != "read" || out.Last[failed].Status != "failed" {
		t.Errorf("last statuses: %v %v %v", out.Last[ok1].Status, out.Last[ok2].Status, out.Last[failed].Status)
	}
	// Statuses are reported once each, in delivery order.
	if len(changes) == 0 || changes[len(changes)-1] != "read" || !slices.IsSortedFunc(changes, func(a, b string) int {
		return client.MessageStatus(a).Order() - client.MessageStatus(b).Order()
	}) || len(slices.Compact(slices.Clone(changes))) != len(changes) {
		t.Errorf("status changes seen: %v", changes)
	}

	// A message that stops at received never reaches read: the wait ends
	// with the context and leaves it pending, without an error.
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	out, err = waitForStatuses(ctx, c, []string{neverRead}, client.StatusRead, 10*time.Millisecond, 1, nil)
	if err != nil || !slices.Equal(out.Pending, []string{neverRead}) || len(out.Failed) != 0 {
		t.Errorf("never read: pending %v failed %v err %v", out.Pending, out.Failed, err)
	}
	// A later target than reached counts: "sent" is reached by a read message.
	out, err = waitForStatuses(context.Background(), c, []string{ok1}, client.StatusSent, 10*time.Millisecond, 1, nil)
	if err != nil || len(out.Pending)+len(out.Failed) != 0 {
		t.Errorf("sent after read: %+v %v", out, err)
	}
}

// TestWaitForStatuses_notVisible: an ID the API does not know (yet) is
// polled again, not an error, until the context ends.
func TestWaitForStatuses_notVisible(t *testing.T) {
	t.Parallel()
	_, c := waitEnv(t, 0)
	const id = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	out, err := waitForStatuses(ctx, c, []string{id}, client.StatusAccepted, 10*time.Millisecond, 1, nil)
	if err != nil || !slices.Equal(out.Pending, []string{id}) {
		t.Errorf("pending %v err %v, want [%s] and nil", out.Pending, err, id)
	}
}

// TestWaitForStatuses_error: an API error other than 404 stops the wait.
func TestWaitForStatuses_error(t *testing.T) {
	t.Parallel()
	m, c := waitEnv(t, 0)
	id := waitTestSend(t, c, "+6421000003")
	if err := m.SetFaults(mockapi.Faults{Seed: 1, ServerErrorRate: 1, Endpoints: []mockapi.Endpoint{mockapi.EndpointGetMessage}}); err != nil {
		t.Fatal(err)
	}
	c0, err := client.New(client.Config{BaseURL: c.BaseURL(), Username: "u", Password: "p", MaxRetries: 0})
	if err != nil {
		t.Fatal(err)
	}
	out, err := waitForStatuses(context.Background(), c0, []string{id}, client.StatusRead, time.Millisecond, 1, nil)
	if err == nil || client.StatusCode(err) < 500 || !slices.Equal(out.Pending, []string{id}) {
		t.Errorf("err %v pending %v, want a 5xx error and the message pending", err, out.Pending)
	}
}
