package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// FrameworkServer returns the plugin framework's server inside a server of
// NewProtocol6Server, for tests that hold the provider's own RPCs against
// the framework's.
func FrameworkServer(s tfprotov6.ProviderServer) tfprotov6.ProviderServer {
	ps, ok := s.(*protocolServer)
	if !ok {
		panic(fmt.Sprintf("%T is not the provider's protocol server", s))
	}
	return ps.frameworkServer
}

// RandomValue is randomValue, for tests outside the package.
var RandomValue = randomValue

// JSONToMsgpack is jsonToMsgpack.
var JSONToMsgpack = jsonToMsgpack

// PassesThrough reports whether UpgradeResourceState returns req's state
// without the framework.
func PassesThrough(s tfprotov6.ProviderServer, req *tfprotov6.UpgradeResourceStateRequest) bool {
	ps, ok := s.(*protocolServer)
	return ok && ps.currentState(context.Background(), req) != nil
}
