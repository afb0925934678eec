package client_test

import (
	"bytes"
	"context"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/client"
	"github.com/ezitxt/terraform-provider-ezitxt/internal/mockapi"
)

// The client against the mock, endpoint by endpoint: what one side sends
// the other must accept and answer as the contract says. The client's own
// tests check its requests against api/openapi.yaml; this checks that the two
// independent implementations of the contract work together.

const (
	e2eUser     = "e2e-user"
	e2ePassword = "e2e-password"
	e2eSource   = "15550002222"
)

func newMockClient(t *testing.T) (*client.Client, *mockapi.Server) {
	t.Helper()
	m := mockapi.New(mockapi.Options{Accounts: map[string]mockapi.Account{e2eUser: {Password: e2ePassword}}})
	srv := httptest.NewServer(m)
	t.Cleanup(func() {
		srv.Close()
		_ = m.Close()
	})
	c, err := client.New(client.Config{BaseURL: srv.URL + mockapi.BasePath, Username: e2eUser, Password: e2ePassword, UserAgent: "e2e-test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		st := m.Stats()
		if st.Duplicates != 0 || st.SpecRejections != 0 {
			t.Errorf("mock stats: %d duplicates, %d requests that passed the mock's checks but not the contract", st.Duplicates, st.SpecRejections)
		}
	})
	return c, m
}

func TestClientAgainstMock(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, m := newMockClient(t)

	// POST /source, before which nothing can be sent.
	_, err := c.SendMessage(ctx, client.Message{To: "+6421000001", Source: e2eSource,
		Content: client.Content{Type: client.MessageTypeText, Text: &client.Text{Body: "too early"}}})
	if client.StatusCode(err) != 422 || !strings.Contains(err.Error(), e2eSource) {
		t.Fatalf("send from an unregistered source: got %v, want a 422 naming the source", err)
	}
	if err := c.RegisterSource(ctx, client.SourceRegistration{Source: e2eSource, WABAID: "987654321", PIN: "123456"}); err != nil {
		t.Fatalf("RegisterSource: %v", err)
	}
	if srcs := m.Sources(); len(srcs) != 1 || srcs[0].Source != e2eSource || !srcs[0].PINSet {
		t.Fatalf("mock sources after registration: %+v", srcs)
	}

	// POST /media and GET /media: the bytes and type make the round trip.
	logo := bytes.Repeat([]byte("\x89PNG fake image "), 4096)
	mediaID, err := c.UploadMedia(ctx, client.MediaUpload{
		Source: e2eSource, Filename: "logo.png", MimeType: client.MimeImagePNG, Size: int64(len(logo)),
		Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(logo)), nil },
	})
	if err != nil {
		t.Fatalf("UploadMedia: %v", err)
	}
	var got bytes.Buffer
	info, err := c.DownloadMedia(ctx, e2eSource, mediaID, &got)
	if err != nil {
		t.Fatalf("DownloadMedia: %v", err)
	}
	if !bytes.Equal(got.Bytes(), logo) || info.ContentType != string(client.MimeImagePNG) {
		t.Errorf("downloaded %d bytes of %q, want the %d uploaded bytes of image/png", got.Len(), info.ContentType, len(logo))
	}
	if _, err := c.DownloadMedia(ctx, e2eSource, "no-such-media", io.Discard); !client.IsNotFound(err) {
		t.Errorf("download of unknown media: got %v, want not found", err)
	}

	// POST /messages for each message type, then GET /messages.
	index := int32(0)
	scheduled := m.Now().Add(time.Hour)
	sends := []struct {
		name     string
		msg      client.Message
		wantType string
	}{
		{"text", client.Message{To: "+6421000001", Content: client.Content{Type: client.MessageTypeText,
			Text: &client.Text{Body: "Deploy finished"}}}, "text"},
		{"media", client.Message{To: "+6421000002", Content: client.Content{Type: client.MessageTypeMedia,
			Media: &client.Media{Type: client.MediaTypeImage, URL: "https://example.com/logo.png"}}}, "image"},
		{"template", client.Message{To: "+6421000003", Reference: "ref-1", Scheduled: &scheduled,
			Content: client.Content{Type: client.MessageTypeTemplate, Template: &client.Template{
				Name: "release", Language: "en_US", HeaderParams: []string{"v2"}, BodyParams: []string{"api", "prod"},
				Media:   &client.TemplateMedia{Type: "image", URL: "https://example.com/header.png"},
				Buttons: []client.TemplateButton{{Index: &index, Type: "quick_reply", Payload: "ack"}},
			}}}, "template"},
		{"raw", client.Message{To: "+6421000004", Content: client.Content{Type: client.MessageTypeRaw,
			Raw: &client.Raw{Version: "v19.0", Payload: `{"type":"text","text":{"body":"raw hello"}}`}}}, "text"},
	}
	for _, s := range sends {
		s.msg.Source = e2eSource
		res, err := c.SendMessage(ctx, s.msg)
		if err != nil {
			t.Fatalf("SendMessage %s: %v", s.name, err)
		}
		if res.Status != "accepted" || !client.ValidUUID(res.MessageID) {
			t.Errorf("SendMessage %s: %+v", s.name, res)
		}
		d, err := c.GetMessage(ctx, res.MessageID)
		if err != nil {
			t.Fatalf("GetMessage %s: %v", s.name, err)
		}
		if d.ID != res.MessageID || d.Status != "accepted" || d.Direction != "MT" || d.Type != s.wantType {
			t.Errorf("GetMessage %s: %+v, want type %s, accepted, MT", s.name, d, s.wantType)
		}
	}
	if _, err := c.GetMessage(ctx, "3fa85f64-5717-4562-b3fc-2c963f66afa6"); !client.IsNotFound(err) {
		t.Errorf("GetMessage of an unknown ID: got %v, want not found", err)
	}

	// Statuses move on with the mock's clock.
	m.Advance(time.Minute)
	d, err := c.GetMessage(ctx, firstSendID(t, m, "+6421000001"))
	if err != nil || d.Status != "read" {
		t.Errorf("a minute later the text message is %q (%v), want read", d.Status, err)
	}

	// POST /messages/broadcast: a number that is not on WhatsApp fails on its own.
	out, err := c.SendBroadcast(ctx, client.Broadcast{
		Destinations: []string{"+6421000005", mockapi.NumberNotWhatsApp, "+6421000006"}, Source: e2eSource,
		Content: client.Content{Type: client.MessageTypeText, Text: &client.Text{Body: "Maintenance tonight"}},
	})
	if err != nil {
		t.Fatalf("SendBroadcast: %v", err)
	}
	if out.AcceptedCount() != 2 || out.FailedCount() != 1 || len(out.Ambiguous)+len(out.NotSent) != 0 {
		t.Errorf("broadcast outcome: %+v, want 2 accepted, 1 failed", out)
	}
	for _, r := range out.Results {
		if r.Destination == mockapi.NumberNotWhatsApp && (!r.Failed() || r.Message == "") {
			t.Errorf("broadcast result for the test number: %+v, want failed with a reason", r)
		}
	}

	// PATCH /messages marks a customer's reply read; an unknown ID is a 404.
	reply, err := m.SimulateReply(mockapi.Reply{Account: e2eUser, From: "+6421000001", To: e2eSource, Text: "Thanks"})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.MarkRead(ctx, []string{reply.ID}); err != nil {
		t.Fatalf("MarkRead: %v", err)
	}
	if d, err := c.GetMessage(ctx, reply.ID); err != nil || d.Status != "read" || d.Direction != "MO" {
		t.Errorf("the reply after MarkRead: %+v (%v), want read, MO", d, err)
	}
	if err := c.MarkRead(ctx, []string{"3fa85f64-5717-4562-b3fc-2c963f66afa6"}); !client.IsNotFound(err) {
		t.Errorf("MarkRead of an unknown ID: got %v, want not found", err)
	}

	if n := len(m.Sends()); n != len(sends)+3 {
		t.Errorf("the mock recorded %d sends, want %d", n, len(sends)+3)
	}
}

func TestClientAgainstMockWrongPassword(t *testing.T) {
	t.Parallel()
	_, m := newMockClient(t)
	srv := httptest.NewServer(m)
	t.Cleanup(srv.Close)
	c, err := client.New(client.Config{BaseURL: srv.URL + mockapi.BasePath, Username: e2eUser, Password: "wrong"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetMessage(context.Background(), "3fa85f64-5717-4562-b3fc-2c963f66afa6")
	if !client.IsUnauthorized(err) || strings.Contains(err.Error(), "wrong") {
		t.Errorf("wrong password: got %v, want a 401 that does not repeat the password", err)
	}
}

// firstSendID returns the ID of the first message the mock accepted for to.
func firstSendID(t *testing.T, m *mockapi.Server, to string) string {
	t.Helper()
	for _, s := range m.Sends() {
		if s.Destination == to {
			return s.ID
		}
	}
	t.Fatalf("the mock has no send to %s", to)
	return ""
}

// A base URL without the API's path (/rest/wab/v1) reaches the mock's host but
// no endpoint: its 404 says so. That is a configuration error on every read
// and send, naming base_url and quoting the server, never "not found".
func TestClientAgainstMockWithoutBasePath(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	m := mockapi.New(mockapi.Options{Accounts: map[string]mockapi.Account{e2eUser: {Password: e2ePassword, Sources: []string{e2eSource}}}})
	srv := httptest.NewServer(m)
	t.Cleanup(func() {
		srv.Close()
		_ = m.Close()
	})
	c, err := client.New(client.Config{BaseURL: srv.URL, Username: e2eUser, Password: e2ePassword, MaxRetries: 0})
	if err != nil {
		t.Fatal(err)
	}
	const id = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
	text := client.Content{Type: client.MessageTypeText, Text: &client.Text{Body: "hello"}}
	calls := map[string]func() error{
		"GetMessage": func() error { _, err := c.GetMessage(ctx, id); return err },
		"MarkRead":   func() error { return c.MarkRead(ctx, []string{id}) },
		"DownloadMedia": func() error {
			_, err := c.DownloadMedia(ctx, e2eSource, "media-1", io.Discard)
			return err
		},
		"UploadMedia": func() error {
			_, err := c.UploadMedia(ctx, client.MediaUpload{Source: e2eSource, Filename: "a.txt", MimeType: client.MimeTextPlain, Size: 2,
				Open: func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader("hi")), nil }})
			return err
		},
		"SendMessage": func() error {
			_, err := c.SendMessage(ctx, client.Message{To: "+6421000001", Source: e2eSource, Content: text})
			return err
		},
		"SendBroadcast": func() error {
			_, err := c.SendBroadcast(ctx, client.Broadcast{Destinations: []string{"+6421000001", "+6421000002"}, Source: e2eSource, Content: text})
			return err
		},
		"RegisterSource": func() error {
			return c.RegisterSource(ctx, client.SourceRegistration{Source: e2eSource, WABAID: "987654321"})
		},
	}
	for name, call := range calls {
		err := call()
		if err == nil || client.IsNotFound(err) || client.IsAmbiguous(err) {
			t.Errorf("%s: err = %v; want a wrong-endpoint error, not a not found or an unknown outcome", name, err)
			continue
		}
		mustContainAll(t, name, err.Error(), "404 Not Found", "no endpoint at /", "base_url", `"`+srv.URL+`"`, client.DefaultBaseURL)
	}
	if st := m.Stats(); st.Sends != 0 {
		t.Errorf("the mock accepted %d sends", st.Sends)
	}
}

func mustContainAll(t *testing.T, what, s string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(s, p) {
			t.Errorf("%s: %q\ndoes not contain %q", what, s, p)
		}
	}
}
