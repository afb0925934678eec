package provider

import "github.com/hashicorp/terraform-plugin-go/tfprotov6"

// FrameworkServer returns the plugin framework's server inside a server of
// NewProtocol6Server, for tests that hold the provider's own RPCs against
// the framework's.
func FrameworkServer(s tfprotov6.ProviderServer) tfprotov6.ProviderServer {
	return s.(*protocolServer).frameworkServer
}
