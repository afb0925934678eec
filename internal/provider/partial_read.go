package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/vmihailenco/msgpack/v5"
	"github.com/vmihailenco/msgpack/v5/msgpcode"
)

// A refresh of a 10,000-number ezitxt_broadcast reads and writes a handful
// of top-level attributes, yet the framework's ReadResource decodes the
// whole state into values, walks it twice (NullifyCollectionBlocks,
// NullifyWriteOnlyAttributes) and encodes it again: about 0.15 s of
// provider CPU per refresh and per plan, on the path between Terraform
// reading the state and the first status read. A partialReader refreshes
// straight from the msgpack state Terraform sends: it decodes only the
// attributes it asks for, and the response is the same bytes, or the same
// bytes with the changed attributes spliced in.

// partialReader is a resource whose Read works on a few top-level
// attributes. readPartial does what Read does, through st.
type partialReader interface {
	readPartial(ctx context.Context, data *providerData, st *partialState) diag.Diagnostics
}

// partialReaders are the resources the protocol server refreshes itself,
// by type name, with the model type of their schema.
var partialReaders = map[string]struct {
	reader partialReader
	typ    func() *modelType
}{
	"ezitxt_broadcast": {&broadcastResource{}, broadcastType},
}

// ReadResource refreshes a partialReader's state without the framework
// when the provider is configured with a client and the request carries
// only state and the provider's own private state (no identity, no provider
// meta, no framework keys such as the one it sets on import); anything else
// goes to the framework, which also defers reads when the provider
// configuration is not known yet.
func (s *protocolServer) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	pr, ok := partialReaders[req.TypeName]
	data := s.configured()
	if !ok || data == nil || data.client == nil || req.CurrentState == nil || len(req.CurrentState.MsgPack) == 0 ||
		req.CurrentIdentity != nil || req.ProviderMeta != nil || !providerPrivateOnly(req.Private) {
		return s.frameworkServer.ReadResource(ctx, req)
	}
	st, err := parsePartialState(req.CurrentState.MsgPack, pr.typ())
	if err != nil {
		return s.frameworkServer.ReadResource(ctx, req) // the framework says what is wrong with it
	}
	diags := pr.reader.readPartial(ctx, data, st)
	resp := &tfprotov6.ReadResourceResponse{Private: req.Private, Diagnostics: protocolDiagnostics(diags)}
	if diags.HasError() {
		// As the framework does: the state as it was, with the error.
		resp.NewState = req.CurrentState
		return resp, nil
	}
	state, d := st.encode()
	if d != nil {
		resp.Diagnostics = append(resp.Diagnostics, d)
		resp.NewState = req.CurrentState
		return resp, nil
	}
	resp.NewState = &tfprotov6.DynamicValue{MsgPack: state}
	return resp, nil
}

// providerPrivateOnly reports whether private state is empty or holds only
// the provider's keys, as the framework encodes them (a JSON object of
// base64 strings; its own keys start with a dot).
func providerPrivateOnly(private []byte) bool {
	if len(private) == 0 {
		return true
	}
	var keys map[string][]byte
	if json.Unmarshal(private, &keys) != nil {
		return false
	}
	for k, v := range keys {
		if strings.HasPrefix(k, ".") || !utf8.Valid(v) || !json.Valid(v) {
			return false
		}
	}
	return true
}

// configured returns the data of the provider's last ConfigureProvider, or
// nil before it.
func (s *protocolServer) configured() *providerData {
	if s.provider == nil {
		return nil
	}
	return s.provider.configured.Load()
}

// partialState is a resource's state in msgpack (an object is a map from
// attribute names to values) with each top-level attribute's bytes found,
// and the attributes set since.
type partialState struct {
	raw     []byte
	typ     *modelType
	names   []string          // in the order of raw
	values  map[string][]byte // the encoded value of each attribute, within raw
	changed map[string][]byte // the new encoded values
}

func parsePartialState(raw []byte, typ *modelType) (*partialState, error) {
	dec := msgpack.NewDecoder(bytes.NewReader(raw))
	n, err := dec.DecodeMapLen()
	if err != nil {
		return nil, err
	}
	if n < 0 {
		return nil, errors.New("the state is null")
	}
	st := &partialState{raw: raw, typ: typ, values: make(map[string][]byte, n), changed: map[string][]byte{}}
	for range n {
		name, err := dec.DecodeString()
		if err != nil {
			return nil, err
		}
		v, err := dec.DecodeRaw()
		if err != nil {
			return nil, fmt.Errorf("attribute %q: %w", name, err)
		}
		if _, ok := typ.attrs[name]; !ok {
			return nil, fmt.Errorf("unknown attribute %q", name)
		}
		st.names = append(st.names, name)
		st.values[name] = v
	}
	if len(st.values) != len(typ.attrs) {
		return nil, fmt.Errorf("%d attributes, the schema has %d", len(st.values), len(typ.attrs))
	}
	return st, nil
}

// partialGet decodes the top-level attribute name of st, whose value type
// is T (types.String, types.Int64...).
func partialGet[T attr.Value](ctx context.Context, st *partialState, name string) (T, diag.Diagnostics) {
	var zero T
	var diags diag.Diagnostics
	mt := st.typ.attrs[name]
	if mt == nil {
		diags.AddError("Unable to Read State", fmt.Sprintf("The state has no attribute %q. This is a bug in the provider; please report it.", name))
		return zero, diags
	}
	tv, err := (&tfprotov6.DynamicValue{MsgPack: st.values[name]}).Unmarshal(mt.tf)
	if err != nil {
		diags.AddAttributeError(path.Root(name), "Unable to Read State", err.Error())
		return zero, diags
	}
	v, err := mt.attr.ValueFromTerraform(ctx, tv)
	if err != nil {
		diags.AddAttributeError(path.Root(name), "Unable to Read State", err.Error())
		return zero, diags
	}
	t, ok := v.(T)
	if !ok {
		diags.AddAttributeError(path.Root(name), "Unable to Read State",
			fmt.Sprintf("The attribute holds a %T, not a %T. This is a bug in the provider; please report it.", v, zero))
	}
	return t, diags
}

// set replaces the top-level attribute name with v.
func (st *partialState) set(ctx context.Context, name string, v attr.Value) diag.Diagnostics {
	var diags diag.Diagnostics
	mt := st.typ.attrs[name]
	if mt == nil {
		diags.AddError("Unable to Write State", fmt.Sprintf("The state has no attribute %q. This is a bug in the provider; please report it.", name))
		return diags
	}
	if !v.Type(ctx).Equal(mt.attr) {
		diags.AddAttributeError(path.Root(name), "Unable to Write State",
			fmt.Sprintf("A value of type %s for an attribute of type %s. This is a bug in the provider; please report it.", v.Type(ctx), mt.attr))
		return diags
	}
	tv, err := v.ToTerraformValue(ctx)
	if err == nil {
		var dv tfprotov6.DynamicValue
		dv, err = tfprotov6.NewDynamicValue(mt.tf, tv)
		st.changed[name] = dv.MsgPack
	}
	if err != nil {
		diags.AddAttributeError(path.Root(name), "Unable to Write State", err.Error())
	}
	return diags
}

// encode returns the state with the attributes set since parsing (the bytes
// parsed when none was), or an error diagnostic.
func (st *partialState) encode() ([]byte, *tfprotov6.Diagnostic) {
	if len(st.changed) == 0 {
		return st.raw, nil
	}
	fail := func(err error) *tfprotov6.Diagnostic {
		return &tfprotov6.Diagnostic{Severity: tfprotov6.DiagnosticSeverityError, Summary: "Unable to Encode Refreshed State",
			Detail: err.Error() + "\n\nThis is a bug in the provider; please report it."}
	}
	var buf bytes.Buffer
	buf.Grow(len(st.raw))
	enc := msgpack.NewEncoder(&buf)
	if err := enc.EncodeMapLen(len(st.names)); err != nil {
		return nil, fail(err)
	}
	for _, name := range st.names {
		if err := enc.EncodeString(name); err != nil {
			return nil, fail(err)
		}
		v, ok := st.changed[name]
		if !ok {
			v = st.values[name]
		}
		buf.Write(v)
	}
	return buf.Bytes(), nil
}

// protocolDiagnostics converts diagnostics for a protocol response.
func protocolDiagnostics(diags diag.Diagnostics) []*tfprotov6.Diagnostic {
	var out []*tfprotov6.Diagnostic
	for _, d := range diags {
		pd := &tfprotov6.Diagnostic{Summary: d.Summary(), Detail: d.Detail(), Severity: tfprotov6.DiagnosticSeverityWarning}
		if d.Severity() == diag.SeverityError {
			pd.Severity = tfprotov6.DiagnosticSeverityError
		}
		if wp, ok := d.(diag.DiagnosticWithPath); ok {
			pd.Attribute = attributePath(wp.Path())
		}
		out = append(out, pd)
	}
	return out
}

// attributePath converts a framework path to a protocol one.
func attributePath(p path.Path) *tftypes.AttributePath {
	ap := tftypes.NewAttributePath()
	for _, step := range p.Steps() {
		switch s := step.(type) {
		case path.PathStepAttributeName:
			ap = ap.WithAttributeName(string(s))
		case path.PathStepElementKeyInt:
			ap = ap.WithElementKeyInt(int(s))
		case path.PathStepElementKeyString:
			ap = ap.WithElementKeyString(string(s))
		default:
			return ap // a set element: the path up to it
		}
	}
	return ap
}

// stringMap decodes the top-level attribute name, a map of strings, from
// its msgpack bytes without framework values (null: an empty map; a null
// element: "").
func (st *partialState) stringMap(name string) (map[string]string, error) {
	raw, ok := st.values[name]
	if !ok {
		return nil, fmt.Errorf("the state has no attribute %q", name)
	}
	dec := msgpack.NewDecoder(bytes.NewReader(raw))
	n, err := dec.DecodeMapLen()
	if err != nil {
		return nil, fmt.Errorf("%s is not a map of strings: %w", name, err)
	}
	out := make(map[string]string, max(n, 0))
	for range n {
		k, err := dec.DecodeString()
		if err != nil {
			return nil, fmt.Errorf("%s is not a map of strings: %w", name, err)
		}
		if code, err := dec.PeekCode(); err == nil && code == msgpcode.Nil {
			if err := dec.Skip(); err != nil {
				return nil, fmt.Errorf("%s[%q]: %w", name, k, err)
			}
			out[k] = ""
			continue
		}
		v, err := dec.DecodeString()
		if err != nil {
			return nil, fmt.Errorf("%s[%q] is not a string: %w", name, k, err)
		}
		out[k] = v
	}
	return out, nil
}

// setStringMap replaces the top-level attribute name, a map of strings,
// with m, encoded as Terraform encodes it (keys sorted, for the same bytes
// each time).
func (st *partialState) setStringMap(name string, m map[string]string) error {
	if _, ok := st.typ.attrs[name]; !ok {
		return fmt.Errorf("the state has no attribute %q", name)
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var buf bytes.Buffer
	enc := msgpack.NewEncoder(&buf)
	if err := enc.EncodeMapLen(len(keys)); err != nil {
		return err
	}
	for _, k := range keys {
		if err := enc.EncodeString(k); err != nil {
			return err
		}
		if err := enc.EncodeString(m[k]); err != nil {
			return err
		}
	}
	st.changed[name] = buf.Bytes()
	return nil
}
