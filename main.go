// Command terraform-provider-ezitxt is the Terraform and OpenTofu provider for
// the EZITXT WhatsApp Business Messaging API.
package main

import (
	"flag"
	"log"
	"os"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/logenv"
	"github.com/ezitxt/terraform-provider-ezitxt/internal/provider"
)

// version is set at build time with -ldflags "-X main.version=1.2.3".
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers such as delve")
	flag.Parse()
	if !debug {
		logenv.QuietUnread(os.Getenv, os.Setenv, unreadLogLevels...)
	}
	tuneGC(os.Getenv)

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
// the plugin SDK and of this provider (including the API client's
// subsystem), all set to off when nobody reads the provider's logs.
var unreadLogLevels = append([]string{"TF_LOG_PROVIDER_EZITXT", "TF_LOG_PROVIDER_EZITXT_CLIENT"}, logenv.SDKLevels...)
