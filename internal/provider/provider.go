// Package provider implements the EZITXT Terraform provider on the plugin framework.
package provider

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/client"
)

// Environment variables read by the provider block.
const (
	EnvBaseURL        = "EZITXT_BASE_URL"
	EnvUsername       = "EZITXT_USERNAME"
	EnvPassword       = "EZITXT_PASSWORD"
	EnvMaxRetries     = "EZITXT_MAX_RETRIES"
	EnvRequestTimeout = "EZITXT_REQUEST_TIMEOUT"
)

const (
	defaultMaxRetries     = 3
	maxMaxRetries         = 10
	defaultRequestTimeout = 30 * time.Second
	maxRequestTimeout     = 10 * time.Minute
	// defaultConcurrency bounds how many status look-ups a single resource or
	// data source runs at once (broadcast refresh, ezitxt_messages).
	defaultConcurrency = 16
	// defaultPollInterval is the first wait between status polls of
	// wait_for_status; later waits back off up to maxPollInterval.
	defaultPollInterval = 1 * time.Second
	maxPollInterval     = 15 * time.Second
)

// Options holds what tests inject instead of the real world: the HTTP client
// the API client uses, the clock plan-time checks compare schedules with, and
// the polling interval of wait_for_status.
type Options struct {
	HTTPClient   *http.Client
	Now          func() time.Time
	PollInterval time.Duration
	Concurrency  int
}

// New returns the provider constructor that main.go serves.
func New(version string) func() provider.Provider {
	return NewWithOptions(version, Options{})
}

// NewWithOptions returns a provider constructor with injected dependencies.
func NewWithOptions(version string, opts Options) func() provider.Provider {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.PollInterval <= 0 {
		opts.PollInterval = defaultPollInterval
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = defaultConcurrency
	}
	return func() provider.Provider {
		return &ezitxtProvider{version: version, opts: opts}
	}
}

var (
	_ provider.Provider            = (*ezitxtProvider)(nil)
	_ provider.ProviderWithActions = (*ezitxtProvider)(nil)

	_ provider.ProviderWithFunctions = (*ezitxtProvider)(nil)
)

type ezitxtProvider struct {
	version string
	opts    Options

	// configured is the data of the last Configure, for the RPCs the
	// protocol server answers itself (partial_read.go).
	configured atomic.Pointer[providerData]
}

type providerModel struct {
	BaseURL        types.String `tfsdk:"base_url"`
	Username       types.String `tfsdk:"username"`
	Password       types.String `tfsdk:"password"`
	MaxRetries     types.Int64  `tfsdk:"max_retries"`
	RequestTimeout types.String `tfsdk:"request_timeout"`
}

func (p *ezitxtProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "ezitxt"
	resp.Version = p.version
}

func (p *ezitxtProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The EZITXT provider manages WhatsApp Business sources, media and messages " +
			"through the [EZITXT WhatsApp Business Messaging API](https://new.eziapi.com/rest/wab/v1). " +
			"Every setting can also come from an environment variable; a value in the configuration wins.",
		Attributes: map[string]schema.Attribute{
			"base_url": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("Base URL of the API, including the `/rest/wab/v1` path. "+
					"Defaults to `%s`, or the `%s` environment variable. `http://` is accepted only for "+
					"loopback hosts such as a local `ezitxt-mock`.", client.DefaultBaseURL, EnvBaseURL),
				Optional:   true,
				Validators: []validator.String{baseURLRule},
			},
			"username": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("API username. Required here or in the `%s` environment variable.", EnvUsername),
				Optional:            true,
			},
			"password": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("API password. Required here or in the `%s` environment variable "+
					"(preferred: it keeps the secret out of configuration files). Never written to state or logs.", EnvPassword),
				Optional:  true,
				Sensitive: true,
			},
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("How many times a throttled (429) or transiently failed request is "+
					"retried, from 0 to %d. Sends are retried only when the API certainly did not process them. "+
					"A rate limit the API does not state is learned from the first 429s, which takes some of these "+
					"retries: do not set 0 when the account is throttled. "+
					"Defaults to %d, or the `%s` environment variable.", maxMaxRetries, defaultMaxRetries, EnvMaxRetries),
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(0, maxMaxRetries)},
			},
			"request_timeout": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("How long one request may take, as a Go duration such as `30s` or `2m` "+
					"(at most %s). For media transfers it is the longest pause without progress. Defaults to `%s`, "+
					"or the `%s` environment variable.", maxRequestTimeout, defaultRequestTimeout, EnvRequestTimeout),
				Optional:   true,
				Validators: []validator.String{durationRule(maxRequestTimeout)},
			},
		},
	}
}

// settings is the provider block resolved against the environment.
type settings struct {
	baseURL, username, password string
	maxRetries                  int
	requestTimeout              time.Duration
}

// resolveSettings merges configuration and environment (configuration wins)
// and reports every problem as one diagnostic on the attribute concerned,
// naming its environment variable.
func resolveSettings(cfg providerModel, getenv func(string) string) (settings, []attrProblem) {
	var problems []attrProblem
	s := settings{maxRetries: defaultMaxRetries, requestTimeout: defaultRequestTimeout, baseURL: client.DefaultBaseURL}

	pick := func(v types.String, env string) string {
		if !v.IsNull() && !v.IsUnknown() {
			return v.ValueString()
		}
		return getenv(env)
	}

	if v := pick(cfg.BaseURL, EnvBaseURL); v != "" {
		s.baseURL = v
	}
	if err := client.ValidateBaseURL(s.baseURL); err != nil {
		problems = append(problems, attrProblem{"base_url", "Invalid EZITXT Base URL",
			fmt.Sprintf("The base URL from base_url or %s cannot be used: %s.", EnvBaseURL, err)})
	}

	s.username = pick(cfg.Username, EnvUsername)
	if s.username == "" {
		problems = append(problems, attrProblem{"username", "Missing EZITXT Username",
			fmt.Sprintf("Set username in the provider block or the %s environment variable.", EnvUsername)})
	}
	s.password = pick(cfg.Password, EnvPassword)
	if s.password == "" {
		problems = append(problems, attrProblem{"password", "Missing EZITXT Password",
			fmt.Sprintf("Set the %s environment variable (preferred) or password in the provider block.", EnvPassword)})
	}

	switch {
	case !cfg.MaxRetries.IsNull() && !cfg.MaxRetries.IsUnknown():
		s.maxRetries = int(cfg.MaxRetries.ValueInt64())
	case getenv(EnvMaxRetries) != "":
		n, err := strconv.Atoi(getenv(EnvMaxRetries))
		if err != nil || n < 0 || n > maxMaxRetries {
			problems = append(problems, attrProblem{"max_retries", "Invalid EZITXT Max Retries",
				fmt.Sprintf("%s=%q is not a whole number from 0 to %d. Fix or unset it, or set max_retries in the provider block.",
					EnvMaxRetries, getenv(EnvMaxRetries), maxMaxRetries)})
		} else {
			s.maxRetries = n
		}
	}

	if v := pick(cfg.RequestTimeout, EnvRequestTimeout); v != "" {
		d, err := parseTimeout(v, maxRequestTimeout)
		if err != nil {
			problems = append(problems, attrProblem{"request_timeout", "Invalid EZITXT Request Timeout",
				fmt.Sprintf("The request timeout %q (from request_timeout or %s) %s.", v, EnvRequestTimeout, err)})
		} else {
			s.requestTimeout = d
		}
	}
	return s, problems
}

// attrProblem is a configuration problem tied to one provider attribute.
type attrProblem struct {
	attr, summary, detail string
}

func parseTimeout(v string, upper time.Duration) (time.Duration, error) {
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, fmt.Errorf("is not a duration: use a number with a unit, such as 30s or 2m")
	}
	if d <= 0 || d > upper {
		return 0, fmt.Errorf("must be more than 0s and at most %s", upper)
	}
	return d, nil
}

func (p *ezitxtProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}

	if unknown := unknownAttributes(cfg); len(unknown) > 0 {
		// The block depends on values known only after apply. Terraform can
		// defer the work; older CLIs plan without a client: resources keep
		// their state, data sources say what is missing.
		if req.ClientCapabilities.DeferralAllowed {
			resp.Deferred = &provider.Deferred{Reason: provider.DeferredReasonProviderConfigUnknown}
			return
		}
		data := &providerData{opts: p.opts, unknown: unknown}
		resp.DataSourceData, resp.ResourceData, resp.ActionData = data, data, data
		p.configured.Store(data)
		return
	}

	s, problems := resolveSettings(cfg, os.Getenv)
	for _, pr := range problems {
		resp.Diagnostics.AddAttributeError(path.Root(pr.attr), pr.summary, pr.detail)
	}
	if resp.Diagnostics.HasError() {
		return
	}

	c, err := client.New(client.Config{
		BaseURL:        s.baseURL,
		Username:       s.username,
		Password:       s.password,
		MaxRetries:     s.maxRetries,
		RequestTimeout: s.requestTimeout,
		UserAgent:      fmt.Sprintf("terraform-provider-ezitxt/%s (+https://registry.terraform.io/providers/ezitxt/ezitxt)", p.version),
		HTTPClient:     p.opts.HTTPClient,
		Logger:         clientLogger(os.Getenv),
	})
	if err != nil {
		resp.Diagnostics.AddError("Unable to Create EZITXT API Client", err.Error())
		return
	}
	tflog.Debug(ctx, "configured EZITXT client", map[string]any{
		"base_url": s.baseURL, "max_retries": s.maxRetries, "request_timeout": s.requestTimeout.String(),
	})

	data := &providerData{client: c, opts: p.opts}
	resp.DataSourceData, resp.ResourceData, resp.ActionData = data, data, data
	p.configured.Store(data)
}

func unknownAttributes(cfg providerModel) []string {
	var out []string
	for _, a := range []struct {
		name    string
		unknown bool
	}{
		{"base_url", cfg.BaseURL.IsUnknown()},
		{"username", cfg.Username.IsUnknown()},
		{"password", cfg.Password.IsUnknown()},
		{"max_retries", cfg.MaxRetries.IsUnknown()},
		{"request_timeout", cfg.RequestTimeout.IsUnknown()},
	} {
		if a.unknown {
			out = append(out, a.name)
		}
	}
	return out
}

func (p *ezitxtProvider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{NewSourceResource, NewMediaResource, NewMessageResource, NewBroadcastResource}
}

func (p *ezitxtProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{NewMessageDataSource, NewMessagesDataSource, NewMediaDataSource}
}

func (p *ezitxtProvider) Actions(_ context.Context) []func() action.Action {
	return []func() action.Action{NewSendMessageAction, NewMarkReadAction}
}

// Functions are pure: they need no provider configuration or credentials.
func (p *ezitxtProvider) Functions(_ context.Context) []func() function.Function {
	return []func() function.Function{
		NewE164Function, NewPhoneValidFunction, NewPhoneRegionFunction, NewTemplateFunction, NewTemplatePreviewFunction,
	}
}
