// Package acctest is the acceptance-test harness: every test gets its own
// mock API on a loopback httptest server and provider factories bound to it,
// so acceptance tests run in parallel through the real CLI without sharing
// anything.
package acctest

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/mockapi"
	"github.com/ezitxt/terraform-provider-ezitxt/internal/provider"
)

// Source is the WhatsApp Business phone number ID registered on every test
// mock from the start, so message tests need no ezitxt_source.
const Source = "15550001111"

// Env is one test's private world.
type Env struct {
	Mock *mockapi.Server
	// URL is the API base URL, including /rest/wab/v1.
	URL string
	// Username and Password are the mock account's credentials. The password
	// is random so that leak checks cannot match something else by chance.
	Username, Password string
	// Options are the provider's injected options (fast polling in tests).
	Options provider.Options
}

// Option adjusts the mock's options before it starts.
type Option func(*mockapi.Options)

// New starts a mock for t and stops it when t ends.
func New(t testing.TB, opts ...Option) *Env {
	t.Helper()
	e := &Env{Username: "acc-user", Password: "acc-pw-" + randomHex(12)}
	mo := mockapi.Options{
		Accounts: map[string]mockapi.Account{e.Username: {Password: e.Password, Sources: []string{Source}}},
	}
	for _, o := range opts {
		o(&mo)
	}
	m, err := mockapi.NewServer(mo)
	if err != nil {
		t.Fatalf("starting the mock: %v", err)
	}
	srv := httptest.NewServer(m)
	t.Cleanup(func() {
		srv.Close()
		_ = m.Close()
	})
	e.Mock = m
	e.URL = srv.URL + mockapi.BasePath
	e.Options = provider.Options{PollInterval: 20 * time.Millisecond}
	return e
}

// ProviderConfig is the provider block for this env.
func (e *Env) ProviderConfig() string {
	return fmt.Sprintf(`
provider "ezitxt" {
  base_url = %q
  username = %q
  password = %q
}
`, e.URL, e.Username, e.Password)
}

// Config prefixes a configuration with the provider block.
func (e *Env) Config(body string) string {
	return e.ProviderConfig() + "\n" + strings.TrimSpace(body) + "\n"
}

// Factories returns the ProtoV6ProviderFactories of a resource.TestCase.
func (e *Env) Factories() map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"ezitxt": provider.NewProtocol6Server("test", e.Options),
	}
}

// ProviderServer returns a provider server for protocol-level tests.
func (e *Env) ProviderServer(t testing.TB) tfprotov6.ProviderServer {
	t.Helper()
	s, err := provider.NewProtocol6Server("test", e.Options)()
	if err != nil {
		t.Fatalf("provider server: %v", err)
	}
	return s
}

// Requests returns how many API requests reached the mock.
func (e *Env) Requests() int64 { return e.Mock.Stats().Requests }

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
