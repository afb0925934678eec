package provider

import (
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/client"
)

// providerData is what Configure hands to every resource, data source and
// action: the API client built once, and the injected clock and timings.
type providerData struct {
	client *client.Client
	opts   Options
	// unknown lists provider attributes whose values were not known when the
	// provider was configured (they depend on other resources); client is
	// nil then.
	unknown []string
}

// providerDataFrom checks the value a Configure method received. A nil value
// means the provider is not configured yet (validation, early plan) and is
// not an error.
func providerDataFrom(v any, diags *diag.Diagnostics) *providerData {
	if v == nil {
		return nil
	}
	d, ok := v.(*providerData)
	if !ok {
		diags.AddError("Unexpected Provider Data",
			fmt.Sprintf("Expected *providerData, got %T. This is a bug in the provider; please report it.", v))
		return nil
	}
	return d
}

// apiClient returns the client, or adds an error saying why there is none.
// what names the operation, e.g. "send ezitxt_message".
func (d *providerData) apiClient(diags *diag.Diagnostics, what string) *client.Client {
	switch {
	case d == nil:
		diags.AddError("Provider Not Configured",
			fmt.Sprintf("Cannot %s because the ezitxt provider has not been configured. This is a bug in the provider or in Terraform; please report it.", what))
		return nil
	case d.client == nil:
		diags.AddError("Provider Configuration Not Known Yet",
			fmt.Sprintf("Cannot %s because the provider block's %s depends on values that are known only after apply. "+
				"Set them from variables or environment variables, or apply the resources they depend on first (terraform apply -target=...).",
				what, strings.Join(d.unknown, ", ")))
		return nil
	}
	return d.client
}

// now is the clock plan-time checks use.
func (d *providerData) now() time.Time {
	if d == nil || d.opts.Now == nil {
		return time.Now()
	}
	return d.opts.Now()
}

// concurrency bounds parallel status look-ups.
func (d *providerData) concurrency() int {
	if d == nil || d.opts.Concurrency <= 0 {
		return defaultConcurrency
	}
	return d.opts.Concurrency
}

// pollInterval is the first wait between status polls.
func (d *providerData) pollInterval() time.Duration {
	if d == nil || d.opts.PollInterval <= 0 {
		return defaultPollInterval
	}
	return d.opts.PollInterval
}
