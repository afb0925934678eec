package provider

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The framework's Get and Set (tfsdk.State.Get, Plan.Get, State.Set...)
// convert between Terraform values and model structs by reflection, and in
// v1.19.0 that reflection compiles a regular expression for every tfsdk tag
// of every struct on every call (internal/reflect.isValidFieldName). For
// ezitxt_message that was most of the provider's own CPU per resource: in
// BenchmarkMessageProtocol, Get and Set took 2.0 s of the 2.6 s spent in
// Create and Read, 0.9 s of it compiling the same pattern.
//
// getModel and setModel do the same conversion for this provider's models
// with the struct layout and the schema's types worked out once. They
// support what the models use: attr.Value fields (types.String, custom
// string types...), pointers to structs for nested objects (nil is null),
// slices for lists, and embedded structs; a model that uses anything else
// is a bug that TestModelConversionMatchesTheFramework catches. The message
// and broadcast resources use them: their calls come by the hundred (one per
// message) or carry the largest values. The other resources, data sources
// and actions keep the framework's Get and Set.

// modelType is a schema type with what conversions need worked out once:
// its Terraform type and, for objects and collections, the types within.
type modelType struct {
	attr  attr.Type
	tf    tftypes.Type
	attrs map[string]*modelType // object attributes
	elem  *modelType            // list, set or map elements
}

func newModelType(ctx context.Context, t attr.Type) *modelType {
	mt := &modelType{attr: t, tf: t.TerraformType(ctx)}
	switch t := t.(type) {
	case attr.TypeWithAttributeTypes:
		mt.attrs = make(map[string]*modelType, len(t.AttributeTypes()))
		for name, at := range t.AttributeTypes() {
			mt.attrs[name] = newModelType(ctx, at)
		}
	case attr.TypeWithElementType:
		mt.elem = newModelType(ctx, t.ElementType())
	}
	return mt
}

// resourceModelType is the model type of a resource's schema, worked out on
// first use.
func resourceModelType(r resource.Resource) func() *modelType {
	return sync.OnceValue(func() *modelType {
		ctx := context.Background()
		var resp resource.SchemaResponse
		r.Schema(ctx, resource.SchemaRequest{}, &resp)
		return newModelType(ctx, resp.Schema.Type())
	})
}

// modelField is a tfsdk-tagged field of a model struct, by index path
// (embedded structs' fields are promoted).
type modelField struct {
	name  string
	index []int
}

var (
	attrValueType = reflect.TypeFor[attr.Value]()
	modelFields   sync.Map // reflect.Type → []modelField
)

func fieldsOf(t reflect.Type) []modelField {
	if f, ok := modelFields.Load(t); ok {
		if fields, ok := f.([]modelField); ok {
			return fields
		}
	}
	var fields []modelField
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("tfsdk")
		switch {
		case tag == "-":
		case tag == "" && f.Anonymous && f.Type.Kind() == reflect.Struct:
			for _, inner := range fieldsOf(f.Type) {
				fields = append(fields, modelField{name: inner.name, index: append([]int{i}, inner.index...)})
			}
		case tag != "" && f.IsExported():
			fields = append(fields, modelField{name: tag, index: []int{i}})
		}
	}
	modelFields.Store(t, fields)
	return fields
}

// getModel sets *target (a pointer to a model struct) from raw, which must
// hold no unknown value where the model cannot (a nested object or a list):
// state, and plans at apply.
func getModel(ctx context.Context, raw tftypes.Value, mt *modelType, target any) diag.Diagnostics {
	_, diags := decodeInto(ctx, raw, mt, target, false)
	return diags
}

// getPlanModel is getModel for plans, whose nested objects and lists may be
// unknown until apply (content from another resource's attribute): those
// are left nil, and unknown reports that some were.
func getPlanModel(ctx context.Context, raw tftypes.Value, mt *modelType, target any) (unknown bool, diags diag.Diagnostics) {
	return decodeInto(ctx, raw, mt, target, true)
}

func decodeInto(ctx context.Context, raw tftypes.Value, mt *modelType, target any, lenient bool) (bool, diag.Diagnostics) {
	dst := reflect.ValueOf(target)
	if dst.Kind() != reflect.Pointer || dst.IsNil() {
		return false, modelDiag(fmt.Errorf("target is %T, not a pointer to a model", target))
	}
	d := modelDecoder{lenient: lenient}
	err := d.decode(ctx, raw, mt, dst.Elem())
	return d.unknown, modelDiag(err)
}

// setModel is the value of model (a model struct or a pointer to one).
func setModel(ctx context.Context, mt *modelType, model any) (tftypes.Value, diag.Diagnostics) {
	v, err := encodeModel(ctx, mt, reflect.ValueOf(model))
	return v, modelDiag(err)
}

// modelError is a conversion error at a path within the model; the path is
// put together on the way out, so that conversions that succeed build none.
type modelError struct {
	steps []any // attribute names (string) and list indexes (int), outermost first
	msg   string
}

func (e *modelError) Error() string { return e.msg }

func modelErr(format string, args ...any) error {
	return &modelError{msg: fmt.Sprintf(format, args...)}
}

// within puts a step in front of err's path.
func within(step any, err error) error {
	var me *modelError
	if !errors.As(err, &me) {
		me = &modelError{msg: err.Error()}
	}
	me.steps = append([]any{step}, me.steps...)
	return me
}

func modelDiag(err error) diag.Diagnostics {
	var diags diag.Diagnostics
	if err == nil {
		return diags
	}
	detail := fmt.Sprintf("%s. This is a bug in the provider: please report it.", err)
	var me *modelError
	if !errors.As(err, &me) || len(me.steps) == 0 {
		diags.AddError("Value Conversion Error", detail)
		return diags
	}
	p := path.Empty()
	for _, step := range me.steps {
		switch step := step.(type) {
		case string:
			p = p.AtName(step)
		case int:
			p = p.AtListIndex(step)
		}
	}
	diags.AddAttributeError(p, "Value Conversion Error", detail)
	return diags
}

type modelDecoder struct {
	lenient bool // unknown objects and lists decode as nil
	unknown bool // and some did
}

func (d *modelDecoder) decode(ctx context.Context, v tftypes.Value, mt *modelType, dst reflect.Value) error {
	if reflect.PointerTo(dst.Type()).Implements(attrValueType) && !dst.Type().Implements(attrValueType) {
		return modelErr("%s implements attr.Value on its pointer only", dst.Type())
	}
	if dst.Type().Implements(attrValueType) {
		val, err := mt.attr.ValueFromTerraform(ctx, v)
		if err != nil {
			return modelErr("%s", err)
		}
		rv := reflect.ValueOf(val)
		if !rv.Type().AssignableTo(dst.Type()) {
			return modelErr("a %s cannot hold a %s", dst.Type(), rv.Type())
		}
		dst.Set(rv)
		return nil
	}
	if !v.IsKnown() && d.lenient && (dst.Kind() == reflect.Pointer || dst.Kind() == reflect.Slice) {
		dst.SetZero()
		d.unknown = true
		return nil
	}
	switch dst.Kind() {
	case reflect.Pointer:
		if v.IsNull() {
			dst.SetZero()
			return nil
		}
		if !v.IsKnown() {
			return modelErr("the value is unknown, and a %s cannot hold an unknown value", dst.Type())
		}
		p := reflect.New(dst.Type().Elem())
		if err := d.decode(ctx, v, mt, p.Elem()); err != nil {
			return err
		}
		dst.Set(p)
		return nil
	case reflect.Slice:
		if v.IsNull() {
			dst.SetZero()
			return nil
		}
		if !v.IsKnown() || mt.elem == nil {
			return modelErr("a %s cannot hold %s", dst.Type(), v)
		}
		var elems []tftypes.Value
		if err := v.As(&elems); err != nil {
			return modelErr("%s", err)
		}
		s := reflect.MakeSlice(dst.Type(), len(elems), len(elems))
		for i, e := range elems {
			if err := d.decode(ctx, e, mt.elem, s.Index(i)); err != nil {
				return within(i, err)
			}
		}
		dst.Set(s)
		return nil
	case reflect.Struct:
		if mt.attrs == nil || !v.IsKnown() || v.IsNull() {
			return modelErr("a %s cannot hold %s", dst.Type(), v)
		}
		var attrs map[string]tftypes.Value
		if err := v.As(&attrs); err != nil {
			return modelErr("%s", err)
		}
		fields := fieldsOf(dst.Type())
		if len(fields) != len(attrs) {
			return modelErr("%s has %d fields for %d attributes", dst.Type(), len(fields), len(attrs))
		}
		for _, f := range fields {
			av, ok := attrs[f.name]
			if !ok {
				return modelErr("no attribute %q for %s", f.name, dst.Type())
			}
			if err := d.decode(ctx, av, mt.attrs[f.name], dst.FieldByIndex(f.index)); err != nil {
				return within(f.name, err)
			}
		}
		return nil
	}
	return modelErr("models cannot hold a %s", dst.Type())
}

func encodeModel(ctx context.Context, mt *modelType, src reflect.Value) (tftypes.Value, error) {
	if val, ok := src.Interface().(attr.Value); ok {
		// The framework's check: a value of another type (a map of numbers
		// where the schema has one of strings) is a bug, null or not.
		if t := val.Type(ctx); t == nil || !t.TerraformType(ctx).Equal(mt.tf) {
			return tftypes.Value{}, modelErr("a %T of type %v where the schema has a %s", val, t, mt.tf)
		}
		switch {
		case val.IsNull():
			return tftypes.NewValue(mt.tf, nil), nil
		case val.IsUnknown():
			return tftypes.NewValue(mt.tf, tftypes.UnknownValue), nil
		}
		v, err := val.ToTerraformValue(ctx)
		if err != nil {
			return tftypes.Value{}, modelErr("%s", err)
		}
		if !v.Type().Equal(mt.tf) {
			return tftypes.Value{}, modelErr("a %s where the schema has a %s", v.Type(), mt.tf)
		}
		return v, nil
	}
	switch src.Kind() {
	case reflect.Pointer:
		if src.IsNil() {
			return tftypes.NewValue(mt.tf, nil), nil
		}
		return encodeModel(ctx, mt, src.Elem())
	case reflect.Slice:
		if src.IsNil() {
			return tftypes.NewValue(mt.tf, nil), nil
		}
		if mt.elem == nil {
			return tftypes.Value{}, modelErr("a %s where the schema has a %s", src.Type(), mt.tf)
		}
		elems := make([]tftypes.Value, src.Len())
		for i := range elems {
			e, err := encodeModel(ctx, mt.elem, src.Index(i))
			if err != nil {
				return tftypes.Value{}, within(i, err)
			}
			elems[i] = e
		}
		return tftypes.NewValue(mt.tf, elems), nil
	case reflect.Struct:
		if mt.attrs == nil {
			return tftypes.Value{}, modelErr("a %s where the schema has a %s", src.Type(), mt.tf)
		}
		fields := fieldsOf(src.Type())
		if len(fields) != len(mt.attrs) {
			return tftypes.Value{}, modelErr("%s has %d fields for %d attributes", src.Type(), len(fields), len(mt.attrs))
		}
		vals := make(map[string]tftypes.Value, len(fields))
		for _, f := range fields {
			amt, ok := mt.attrs[f.name]
			if !ok {
				return tftypes.Value{}, modelErr("no attribute %q for %s", f.name, src.Type())
			}
			v, err := encodeModel(ctx, amt, src.FieldByIndex(f.index))
			if err != nil {
				return tftypes.Value{}, within(f.name, err)
			}
			vals[f.name] = v
		}
		return tftypes.NewValue(mt.tf, vals), nil
	}
	return tftypes.Value{}, modelErr("models cannot hold a %s", src.Type())
}

// setStateModel sets a state to the value of model.
func setStateModel(ctx context.Context, s *tfsdk.State, mt *modelType, model any) diag.Diagnostics {
	v, diags := setModel(ctx, mt, model)
	if !diags.HasError() {
		s.Raw = v
	}
	return diags
}

// rawEqual is tftypes.Value.Equal for two values of one schema type, without
// that walk's allocation of a path per value (about 160 allocations for a
// message: most of the provider's own work in a no-op plan).
func rawEqual(a, b tftypes.Value) bool {
	if a.Type() == nil || b.Type() == nil || !a.Type().Equal(b.Type()) {
		return a.Equal(b)
	}
	return sameValue(a, b)
}

func sameValue(a, b tftypes.Value) bool {
	switch {
	case !a.IsKnown() || !b.IsKnown():
		return a.IsKnown() == b.IsKnown()
	case a.IsNull() || b.IsNull():
		return a.IsNull() == b.IsNull()
	}
	switch t := a.Type().(type) {
	case tftypes.Object:
		for name := range t.AttributeTypes {
			av, aok := attrValue(a, name)
			bv, bok := attrValue(b, name)
			if aok != bok || (aok && !sameValue(av, bv)) {
				return false
			}
		}
		return true
	case tftypes.List, tftypes.Tuple:
		var ae, be []tftypes.Value
		if a.As(&ae) != nil || b.As(&be) != nil || len(ae) != len(be) {
			return false
		}
		for i := range ae {
			if !sameValue(ae[i], be[i]) {
				return false
			}
		}
		return true
	case tftypes.Map:
		var am, bm map[string]tftypes.Value
		if a.As(&am) != nil || b.As(&bm) != nil || len(am) != len(bm) {
			return false
		}
		for k, av := range am {
			bv, ok := bm[k]
			if !ok || !sameValue(av, bv) {
				return false
			}
		}
		return true
	}
	switch {
	case a.Type().Is(tftypes.String):
		var as, bs string
		return a.As(&as) == nil && b.As(&bs) == nil && as == bs
	case a.Type().Is(tftypes.Bool):
		var ab, bb bool
		return a.As(&ab) == nil && b.As(&bb) == nil && ab == bb
	}
	return a.Equal(b) // numbers, sets, dynamic values
}

// attrValue is the attribute name of a known object value.
func attrValue(v tftypes.Value, name string) (tftypes.Value, bool) {
	a, err := v.ApplyTerraform5AttributePathStep(tftypes.AttributeName(name))
	if err != nil {
		return tftypes.Value{}, false
	}
	av, ok := a.(tftypes.Value)
	return av, ok
}
