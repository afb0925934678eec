// Command ezitxt-mock serves the EZITXT mock API (internal/mockapi) over HTTP, for testing
// Terraform configurations and webhook receivers offline.
//
// The first line it prints on stdout is the API's base URL, such as
// http://127.0.0.1:8080/rest/wab/v1; one line per request goes to stderr unless -quiet. SIGINT
// or SIGTERM stop it gracefully (exit status 0). See internal/mockapi/README.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/mockapi"
	"github.com/ezitxt/terraform-provider-ezitxt/internal/templates"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// shutdownTimeout bounds the graceful shutdown.
const shutdownTimeout = 10 * time.Second

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// config is the command line.
type config struct {
	listen, username, password          string
	rateLimit                           float64
	rateBurst                           int
	ratePolicy                          bool
	faultSeed                           uint64
	fault5xx, fault429                  float64
	faultDropBefore, faultDropAfter     float64
	faultEndpoints                      string
	latency, latencyJitter              time.Duration
	mediaTTL                            time.Duration
	maxMediaBytes                       int64
	mediaDir                            string
	maxBroadcast                        int
	statusCallbackURL, replyCallbackURL string
	clockSpeed                          float64
	sources                             string
	quiet, showVersion                  bool
	templatesFile                       string
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("ezitxt-mock", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		_, _ = fmt.Fprintf(stderr, "Usage: ezitxt-mock [flags]\n\nServes the EZITXT WhatsApp Business Messaging API mock. The first line on stdout is the base URL.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	fs.StringVar(&c.listen, "listen", "127.0.0.1:8080", "address to listen on (`host:port`; port 0 picks a free port)")
	fs.StringVar(&c.username, "username", mockapi.DefaultUsername, "Basic auth username of the account")
	fs.StringVar(&c.password, "password", mockapi.DefaultPassword, "Basic auth password of the account")
	fs.StringVar(&c.sources, "sources", "", "comma-separated sources to register from the start (as if by POST /source)")
	fs.Float64Var(&c.rateLimit, "rate-limit", 0, "requests per second allowed per account (0: no limit)")
	fs.IntVar(&c.rateBurst, "rate-burst", 0, "rate limit burst (0: the rate rounded up)")
	fs.BoolVar(&c.ratePolicy, "rate-limit-policy", false, "state the rate limit in a RateLimit-Policy header on every answer (not in the API reference, which documents only Retry-After)")
	fs.Uint64Var(&c.faultSeed, "fault-seed", 1, "seed of the fault injection random source")
	fs.Float64Var(&c.fault5xx, "fault-5xx", 0, "probability of a 500, 502 or 503 before processing")
	fs.Float64Var(&c.fault429, "fault-429", 0, "probability of an injected 429 with Retry-After")
	fs.Float64Var(&c.faultDropBefore, "fault-drop-before", 0, "probability of closing the connection before processing")
	fs.Float64Var(&c.faultDropAfter, "fault-drop-after", 0, "probability of processing the request, then closing the connection without a response")
	fs.StringVar(&c.faultEndpoints, "fault-endpoints", "", `comma-separated endpoints faults apply to, such as "POST /messages,POST /messages/broadcast" (empty: all)`)
	fs.DurationVar(&c.latency, "latency", 0, "latency added to every request")
	fs.DurationVar(&c.latencyJitter, "latency-jitter", 0, "random extra latency, up to this much")
	fs.DurationVar(&c.mediaTTL, "media-ttl", mockapi.DefaultMediaTTL, "how long uploaded media lives, in mock time")
	fs.Int64Var(&c.maxMediaBytes, "max-media-bytes", 0, "size limit of every media type in bytes (0: WhatsApp's limits: images 5 MiB, audio and video 16 MiB, documents 100 MiB)")
	fs.StringVar(&c.mediaDir, "media-dir", "", "folder for uploads larger than 1 MiB (default: the system's temporary folder)")
	fs.IntVar(&c.maxBroadcast, "max-broadcast-destinations", mockapi.DefaultMaxBroadcastDestinations, "most numbers per broadcast request")
	fs.StringVar(&c.statusCallbackURL, "status-callback-url", "", "URL that receives a StatusCallback POST for every status change")
	fs.StringVar(&c.replyCallbackURL, "reply-callback-url", "", "URL that receives a ReplyCallback POST for every simulated reply")
	fs.Float64Var(&c.clockSpeed, "clock-speed", 1, "mock time per real time: 1 is real time, 0 freezes the clock (advance it through the admin API), 100 is 100x")
	fs.StringVar(&c.templatesFile, "templates", "", "JSON file listing the approved templates ({name, language, body, header, footer, buttons}); "+
		"a template send not declared there, or whose parameters do not fit, is accepted and then fails (default: template sends are not checked)")
	fs.BoolVar(&c.quiet, "quiet", false, "do not log requests (warnings are still logged)")
	fs.BoolVar(&c.showVersion, "version", false, "print the version and exit")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	return c, nil
}

// options turns the command line into mock options.
func (c config) options(logger *slog.Logger) (mockapi.Options, error) {
	for name, u := range map[string]string{"-status-callback-url": c.statusCallbackURL, "-reply-callback-url": c.replyCallbackURL} {
		if u == "" {
			continue
		}
		if parsed, err := url.Parse(u); err != nil || (parsed.Scheme != "http" && parsed.Scheme != "https") || parsed.Host == "" {
			return mockapi.Options{}, fmt.Errorf("%s %q: must be an absolute http or https URL", name, u)
		}
	}
	if c.username == "" || strings.Contains(c.username, ":") {
		return mockapi.Options{}, errors.New("-username must be non-empty and without a colon")
	}
	if c.password == "" {
		return mockapi.Options{}, errors.New("-password must be non-empty (as -username must)")
	}
	var sources []string
	for _, s := range strings.Split(c.sources, ",") {
		if s = strings.TrimSpace(s); s != "" {
			sources = append(sources, s)
		}
	}
	var endpoints []mockapi.Endpoint
	for _, e := range strings.Split(c.faultEndpoints, ",") {
		if e = strings.Join(strings.Fields(e), " "); e != "" {
			endpoints = append(endpoints, mockapi.Endpoint(e))
		}
	}
	var defs []templates.Definition
	if c.templatesFile != "" {
		data, err := os.ReadFile(c.templatesFile) //nolint:gosec // G304: the file the user named on the command line
		if err != nil {
			return mockapi.Options{}, fmt.Errorf("-templates: %w", err)
		}
		if defs, err = mockapi.ParseTemplates(data); err != nil {
			return mockapi.Options{}, fmt.Errorf("-templates %s: %w", c.templatesFile, err)
		}
	}
	return mockapi.Options{
		Templates: defs,
		Accounts: map[string]mockapi.Account{c.username: {
			Password: c.password, StatusCallbackURL: c.statusCallbackURL, ReplyCallbackURL: c.replyCallbackURL, Sources: sources,
		}},
		Clock:                    mockapi.ClockOptions{Speed: c.clockSpeed},
		MediaTTL:                 c.mediaTTL,
		MaxMediaBytes:            c.maxMediaBytes,
		MediaDir:                 c.mediaDir,
		MaxBroadcastDestinations: c.maxBroadcast,
		RateLimit:                mockapi.RateLimit{RequestsPerSecond: c.rateLimit, Burst: c.rateBurst, StatePolicy: c.ratePolicy},
		Faults: mockapi.Faults{
			Seed: c.faultSeed, Latency: c.latency, LatencyJitter: c.latencyJitter,
			ServerErrorRate: c.fault5xx, TooManyRequestsRate: c.fault429,
			DropBeforeRate: c.faultDropBefore, DropAfterRate: c.faultDropAfter, Endpoints: endpoints,
		},
		Logger: logger,
	}, nil
}

// run is the command: it returns the exit status (0 after a signal or ctx is done, 1 when the
// server fails, 2 for a bad command line).
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		_, _ = fmt.Fprintf(stderr, "ezitxt-mock: %v\n", err)
		return 2
	}
	if c.showVersion {
		_, _ = fmt.Fprintf(stdout, "ezitxt-mock %s\n", version)
		return 0
	}
	level := slog.LevelInfo
	if c.quiet {
		level = slog.LevelWarn
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	opts, err := c.options(logger)
	if err != nil {
		_, _ = fmt.Fprintf(stderr, "ezitxt-mock: %v\n", err)
		return 2
	}
	mock, err := mockapi.NewServer(opts)
	if err != nil {
		_, _ = fmt.Fprintf(stderr, "ezitxt-mock: %v\n", err)
		return 2
	}
	defer func() {
		if err := mock.Close(); err != nil {
			logger.Warn("cleanup failed", "error", err)
		}
	}()

	// Catch SIGINT and SIGTERM before the base URL is printed: a script may
	// stop the mock as soon as it has read the URL.
	sigCtx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", c.listen)
	if err != nil {
		_, _ = fmt.Fprintf(stderr, "ezitxt-mock: %v\n", err)
		return 1
	}
	base := "http://" + clientAddress(ln.Addr()) + mockapi.BasePath
	if _, err := fmt.Fprintln(stdout, base); err != nil {
		_ = ln.Close()
		_, _ = fmt.Fprintf(stderr, "ezitxt-mock: write the base URL: %v\n", err)
		return 1
	}
	if f, ok := stdout.(interface{ Sync() error }); ok {
		_ = f.Sync() // scripts wait for this line
	}
	logger.Info("serving the EZITXT mock API", "base_url", base, "admin", strings.TrimSuffix(base, mockapi.BasePath)+mockapi.AdminPrefix,
		"username", c.username, "version", version, "clock_speed", c.clockSpeed)
	if !isLoopback(ln.Addr()) {
		logger.Warn("listening beyond loopback: the admin API has no authentication", "address", ln.Addr().String())
	}

	srv := &http.Server{Handler: mock, ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelDebug)}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()

	select {
	case err := <-serveErr:
		logger.Error("server failed", "error", err)
		return 1
	case <-sigCtx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		logger.Warn("graceful shutdown incomplete", "error", err)
		_ = srv.Close()
	}
	logger.Info("stopped")
	return 0
}

// clientAddress is the address clients should use: the loopback address when the server
// listens on every interface.
func clientAddress(addr net.Addr) string {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok {
		return addr.String()
	}
	host := tcp.IP.String()
	if tcp.IP.IsUnspecified() {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, fmt.Sprint(tcp.Port))
}

func isLoopback(addr net.Addr) bool {
	tcp, ok := addr.(*net.TCPAddr)
	return ok && tcp.IP.IsLoopback()
}
