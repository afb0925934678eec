// Command terraform-provider-ezitxt is the Terraform and OpenTofu provider for
// the EZITXT WhatsApp Business Messaging API.
package main

import (
	"flag"
	"log"
	"os"
	"strings"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/provider"
)

// version is set at build time with -ldflags "-X main.version=1.2.3".
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers such as delve")
	flag.Parse()
	if !debug {
		quietUnreadLogs(os.Getenv, os.Setenv)
	}

	// providerserver.Serve, with the provider's own server (see provider.NewProtocol6Server).
	server, err := provider.NewProtocol6Server(version, provider.Options{})()
	if err != nil {
		log.Fatal(err.Error())
	}
	var serveOpts []tf6server.ServeOpt
	if debug {
		serveOpts = append(serveOpts, tf6server.WithManagedDebug())
	}
	err = tf6server.Serve("registry.terraform.io/ezitxt/ezitxt", func() tfprotov6.ProviderServer { return server }, serveOpts...)
	if err != nil {
		log.Fatal(err.Error())
	}
}

// unreadLogLevels are the environment variables that set the log levels of
// the plugin SDK (protocol and framework) and of this provider (including
// the API client's subsystem).
var unreadLogLevels = []string{
	"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK",
	"TF_LOG_PROVIDER_EZITXT", "TF_LOG_PROVIDER_EZITXT_CLIENT",
}

// quietUnreadLogs turns the provider's logging off when Terraform (or
// OpenTofu) will throw it away: it shows provider logs only when
// TF_LOG_PROVIDER, or else TF_LOG, names a level other than off. The plugin
// SDK logs every request at TRACE by default, and Terraform parses each line
// the provider writes before dropping it; make bench measured that as about
// a third of the CPU time the provider and Terraform spend per resource.
func quietUnreadLogs(getenv func(string) string, setenv func(string, string) error) {
	level := getenv("TF_LOG_PROVIDER")
	if level == "" {
		level = getenv("TF_LOG")
	}
	if level != "" && !strings.EqualFold(strings.TrimSpace(level), "off") {
		return
	}
	for _, name := range unreadLogLevels {
		_ = setenv(name, "off")
	}
}
