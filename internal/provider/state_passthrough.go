package provider

import (
	"bytes"
	"context"
	"encoding/json"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// stateShape is what state stored at a resource's current schema version
// has at its top level.
type stateShape struct {
	version int64
	names   map[string]bool // attributes and blocks
	typ     tftypes.Type
}

// UpgradeResourceState returns state stored at the current schema version
// as Terraform sent it, transcoded to msgpack, which Terraform and OpenTofu
// decode with the schema as they decode the JSON. Terraform calls this before every
// read and plan of every resource; the framework's own passthrough decodes
// the JSON into values and encodes them again, about 0.1 s for a
// 10,000-number broadcast. State whose top-level names are not exactly the
// schema's (written by another provider version without a version change),
// state from older versions and flatmap state go to the framework, which
// drops unknown names and runs the state upgraders. So does state with a
// value whose JSON kind is not its type's (edited by hand): Terraform would
// report the error decoding it without the resource's address, the
// framework reports it with the address and what to do.
func (s *protocolServer) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	if raw := s.currentState(ctx, req); raw != nil {
		// As msgpack, which Terraform decodes several times faster than
		// JSON (state_msgpack.go); as JSON should the transcoding fail.
		if shape, ok := s.stateShape(ctx, req.TypeName); ok {
			if mp, err := jsonToMsgpack(raw, shape.typ); err == nil {
				return &tfprotov6.UpgradeResourceStateResponse{UpgradedState: &tfprotov6.DynamicValue{MsgPack: mp}}, nil
			}
		}
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
	obj, ok := shape.typ.(tftypes.Object)
	if !ok {
		return nil
	}
	for name, v := range top {
		if at, ok := obj.AttributeTypes[name]; !ok || !shape.names[name] || !jsonConforms(v, at) {
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
			shape := stateShape{version: sch.Version, names: map[string]bool{}, typ: sch.ValueType()}
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

// jsonConforms reports whether the JSON value raw has the kind of type t at
// every level: a string for a string, a number for a number, an array of
// conforming elements for a list or set, an object of conforming values
// for a map and of the object's attributes only for an object, or null.
// It is stricter than Terraform's decoding (which also takes a string for a
// number): what it refuses goes to the framework.
func jsonConforms(raw json.RawMessage, t tftypes.Type) bool {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return false
	}
	if raw[0] == 'n' {
		return string(raw) == "null"
	}
	switch t := t.(type) {
	case tftypes.List:
		return arrayConforms(raw, t.ElementType)
	case tftypes.Set:
		return arrayConforms(raw, t.ElementType)
	case tftypes.Map:
		if t.ElementType.Is(tftypes.String) {
			return stringObject(raw)
		}
		return objectConforms(raw, func(string) (tftypes.Type, bool) { return t.ElementType, true })
	case tftypes.Object:
		return objectConforms(raw, func(k string) (tftypes.Type, bool) { at, ok := t.AttributeTypes[k]; return at, ok })
	}
	switch {
	case t.Is(tftypes.String):
		return raw[0] == '"'
	case t.Is(tftypes.Number):
		return raw[0] == '-' || (raw[0] >= '0' && raw[0] <= '9')
	case t.Is(tftypes.Bool):
		return raw[0] == 't' || raw[0] == 'f'
	}
	return false // tuples, dynamic values: the framework decodes them
}

// arrayConforms reports whether raw is an array of values conforming to
// elem.
func arrayConforms(raw json.RawMessage, elem tftypes.Type) bool {
	if raw[0] != '[' {
		return false
	}
	if elem.Is(tftypes.String) {
		return stringArray(raw)
	}
	var elems []json.RawMessage
	if json.Unmarshal(raw, &elems) != nil {
		return false
	}
	for _, e := range elems {
		if !jsonConforms(e, elem) {
			return false
		}
	}
	return true
}

// objectConforms reports whether raw is an object whose every value
// conforms to the type valueType gives for its key.
func objectConforms(raw json.RawMessage, valueType func(key string) (tftypes.Type, bool)) bool {
	var values map[string]json.RawMessage
	if raw[0] != '{' || json.Unmarshal(raw, &values) != nil {
		return false
	}
	for k, v := range values {
		vt, ok := valueType(k)
		if !ok || !jsonConforms(v, vt) {
			return false
		}
	}
	return true
}

// stringArray reports whether the valid JSON array raw holds only strings
// and nulls, without decoding it (a broadcast's destinations: 10,000 of
// them take 5 ms to decode, 0.1 ms to scan).
func stringArray(raw []byte) bool {
	i := 1 // past '['
	for {
		for i < len(raw) && (raw[i] == ' ' || raw[i] == '\t' || raw[i] == '\n' || raw[i] == '\r' || raw[i] == ',') {
			i++
		}
		if i >= len(raw) {
			return false
		}
		switch raw[i] {
		case ']':
			return true
		case 'n':
			i += len("null")
		case '"':
			for i++; i < len(raw) && raw[i] != '"'; i++ {
				if raw[i] == '\\' {
					i++
				}
			}
			i++
		default:
			return false
		}
	}
}

// stringObject reports whether the valid JSON value raw is an object whose
// values are all strings or nulls, without decoding it (a broadcast's
// results: 10,000 entries).
func stringObject(raw []byte) bool {
	if len(raw) == 0 || raw[0] != '{' {
		return false
	}
	i := 1
	skipSpace := func() {
		for i < len(raw) && (raw[i] == ' ' || raw[i] == '\t' || raw[i] == '\n' || raw[i] == '\r') {
			i++
		}
	}
	skipString := func() bool { // at '"': past the closing quote
		if i >= len(raw) || raw[i] != '"' {
			return false
		}
		for i++; i < len(raw) && raw[i] != '"'; i++ {
			if raw[i] == '\\' {
				i++
			}
		}
		i++
		return i <= len(raw)
	}
	for {
		skipSpace()
		if i < len(raw) && raw[i] == ',' {
			i++
			skipSpace()
		}
		if i >= len(raw) {
			return false
		}
		if raw[i] == '}' {
			return true
		}
		if !skipString() {
			return false
		}
		skipSpace()
		if i >= len(raw) || raw[i] != ':' {
			return false
		}
		i++
		skipSpace()
		switch {
		case i < len(raw) && raw[i] == '"':
			if !skipString() {
				return false
			}
		case i+4 <= len(raw) && string(raw[i:i+4]) == "null":
			i += 4
		default:
			return false
		}
	}
}
