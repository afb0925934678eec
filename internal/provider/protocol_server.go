package provider

import (
	"context"
	"fmt"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// NewProtocol6Server returns the constructor of the provider's protocol 6
// server, which main.go serves and the acceptance tests attach to: the
// plugin framework's server, with four RPCs of its own (see protocolServer).
//
// Why CallFunction: OpenTofu (1.12.6 at least) sends a null argument of a function parameter
// that allows null as an empty DynamicValue rather than an encoded null
// (internal/plugin6/grpc_provider.go skips the encoding), which the framework
// refuses with "DynamicValue had no JSON or msgpack data set": without this,
// provider::ezitxt::e164("+64-21-000-001", null) fails on OpenTofu. Terraform
// sends an encoded null, which passes through unchanged.
func NewProtocol6Server(version string, opts Options) func() (tfprotov6.ProviderServer, error) {
	return func() (tfprotov6.ProviderServer, error) {
		p := NewWithOptions(version, opts)()
		s, err := providerserver.NewProtocol6WithError(p)()
		if err != nil {
			return nil, err
		}
		full, ok := s.(frameworkServer)
		if !ok {
			return nil, fmt.Errorf("the plugin framework's server %T lacks RPCs the provider needs", s)
		}
		ep, _ := p.(*ezitxtProvider)
		return &protocolServer{frameworkServer: full, provider: ep}, nil
	}
}

// frameworkServer is every RPC the framework's server implements, so that
// the wrapper keeps the optional ones (actions, list resources, state
// stores) that tf6server finds by type assertion.
type frameworkServer interface {
	tfprotov6.ProviderServerWithActions //nolint:staticcheck // SA1019: actions are served only through this interface until they join ProviderServer.
	tfprotov6.ListResourceServer
	tfprotov6.StateStoreServer
}

// protocolServer is the framework's server with four RPCs of its own:
// CallFunction encodes empty arguments as nulls of their parameter's type,
// UpgradeResourceState passes state at the current version through
// (state_passthrough.go), ReadResource refreshes large resources without
// decoding their whole state (partial_read.go), and PlanResourceChange
// answers the plan of an unchanged broadcast itself (noop_plan.go).
type protocolServer struct {
	frameworkServer
	provider *ezitxtProvider

	once   sync.Once
	params map[string]functionParams

	shapesOnce sync.Once
	shapes     map[string]stateShape
}

// functionParams are the parameter types of a function.
type functionParams struct {
	params   []tftypes.Type
	variadic tftypes.Type
}

var _ tfprotov6.ProviderServerWithActions = (*protocolServer)(nil) //nolint:staticcheck // SA1019: see frameworkServer.

func (s *protocolServer) CallFunction(ctx context.Context, req *tfprotov6.CallFunctionRequest) (*tfprotov6.CallFunctionResponse, error) {
	for i, arg := range req.Arguments {
		if arg != nil && (arg.MsgPack != nil || arg.JSON != nil) {
			continue
		}
		typ := s.paramType(ctx, req.Name, i)
		if typ == nil {
			continue // not a parameter: the framework reports the count
		}
		null, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, nil))
		if err != nil {
			return nil, fmt.Errorf("encoding a null argument %d of %s: %w", i, req.Name, err)
		}
		req.Arguments[i] = &null
	}
	return s.frameworkServer.CallFunction(ctx, req)
}

// paramType returns the type of argument i of function name, or nil.
func (s *protocolServer) paramType(ctx context.Context, name string, i int) tftypes.Type {
	s.once.Do(func() {
		s.params = map[string]functionParams{}
		resp, err := s.GetFunctions(ctx, &tfprotov6.GetFunctionsRequest{})
		if err != nil || resp == nil {
			return
		}
		for n, f := range resp.Functions {
			var fp functionParams
			for _, p := range f.Parameters {
				fp.params = append(fp.params, p.Type)
			}
			if f.VariadicParameter != nil {
				fp.variadic = f.VariadicParameter.Type
			}
			s.params[n] = fp
		}
	})
	fp := s.params[name]
	if i < len(fp.params) {
		return fp.params[i]
	}
	return fp.variadic
}
