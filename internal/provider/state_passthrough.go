package provider

import (
	"context"
	"encoding/json"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// stateShape is what state stored at a resource's current schema version
// has at its top level.
type stateShape struct {
	version int64
	names   map[string]bool // attributes and blocks
}

// UpgradeResourceState returns state stored at the current schema version
// as Terraform sent it, in JSON, which Terraform and OpenTofu decode with
// the schema just as they decode msgpack. Terraform calls this before every
// read and plan of every resource; the framework's own passthrough decodes
// the JSON into values and encodes them again, about 0.1 s for a
// 10,000-number broadcast. State whose top-level names are not exactly the
// schema's (written by another provider version without a version change),
// state from older versions and flatmap state go to the framework, which
// drops unknown names and runs the state upgraders.
func (s *protocolServer) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	if raw := s.currentState(ctx, req); raw != nil {
		return &tfprotov6.UpgradeResourceStateResponse{UpgradedState: &tfprotov6.DynamicValue{JSON: raw}}, nil
	}
	return s.frameworkServer.UpgradeResourceState(ctx, req)
}

// currentState returns the raw state of req when it is JSON of an object
// with exactly the top-level names of the current schema version of its
// resource type, and nil otherwise.
func (s *protocolServer) currentState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) []byte {
	if req == nil || req.RawState == nil || len(req.RawState.JSON) == 0 || len(req.RawState.Flatmap) > 0 {
		return nil
	}
	shape, ok := s.stateShape(ctx, req.TypeName)
	if !ok || req.Version != shape.version {
		return nil
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(req.RawState.JSON, &top); err != nil || len(top) != len(shape.names) {
		return nil
	}
	for name := range top {
		if !shape.names[name] {
			return nil
		}
	}
	return req.RawState.JSON
}

// stateShape returns the current state shape of a resource type, from the
// provider's schema (read once).
func (s *protocolServer) stateShape(ctx context.Context, typeName string) (stateShape, bool) {
	s.shapesOnce.Do(func() {
		s.shapes = map[string]stateShape{}
		resp, err := s.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
		if err != nil || resp == nil {
			return
		}
		for name, sch := range resp.ResourceSchemas {
			if sch == nil || sch.Block == nil {
				continue
			}
			shape := stateShape{version: sch.Version, names: map[string]bool{}}
			for _, a := range sch.Block.Attributes {
				shape.names[a.Name] = true
			}
			for _, b := range sch.Block.BlockTypes {
				shape.names[b.TypeName] = true
			}
			s.shapes[name] = shape
		}
	})
	shape, ok := s.shapes[typeName]
	return shape, ok
}
