package provider

import (
	"context"
	"fmt"
	"reflect"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
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

// getModel sets *target (a pointer to a model struct) from raw.
func getModel(ctx context.Context, raw tftypes.Value, mt *modelType, target any) diag.Diagnostics {
	dst := reflect.ValueOf(target)
	if dst.Kind() != reflect.Pointer || dst.IsNil() {
		return modelDiag(fmt.Errorf("target is %T, not a pointer to a model", target))
	}
	return modelDiag(decodeModel(ctx, raw, mt, dst.Elem(), "the resource"))
}

// setModel is the value of model (a model struct or a pointer to one).
func setModel(ctx context.Context, mt *modelType, model any) (tftypes.Value, diag.Diagnostics) {
	v, err := encodeModel(ctx, mt, reflect.ValueOf(model), "the resource")
	return v, modelDiag(err)
}

func modelDiag(err error) diag.Diagnostics {
	var diags diag.Diagnostics
	if err != nil {
		diags.AddError("Value Conversion Error", fmt.Sprintf("%s. This is a bug in the provider: please report it.", err))
	}
	return diags
}

func decodeModel(ctx context.Context, v tftypes.Value, mt *modelType, dst reflect.Value, at string) error {
	if reflect.PointerTo(dst.Type()).Implements(attrValueType) && !dst.Type().Implements(attrValueType) {
		return fmt.Errorf("%s: %s implements attr.Value on its pointer only", at, dst.Type())
	}
	if dst.Type().Implements(attrValueType) {
		val, err := mt.attr.ValueFromTerraform(ctx, v)
		if err != nil {
			return fmt.Errorf("%s: %w", at, err)
		}
		rv := reflect.ValueOf(val)
		if !rv.Type().AssignableTo(dst.Type()) {
			return fmt.Errorf("%s: a %s cannot hold a %s", at, dst.Type(), rv.Type())
		}
		dst.Set(rv)
		return nil
	}
	switch dst.Kind() {
	case reflect.Pointer:
		if v.IsNull() {
			dst.SetZero()
			return nil
		}
		if !v.IsKnown() {
			return fmt.Errorf("%s is unknown, and a %s cannot hold an unknown value", at, dst.Type())
		}
		p := reflect.New(dst.Type().Elem())
		if err := decodeModel(ctx, v, mt, p.Elem(), at); err != nil {
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
			return fmt.Errorf("%s: a %s cannot hold %s", at, dst.Type(), v)
		}
		var elems []tftypes.Value
		if err := v.As(&elems); err != nil {
			return fmt.Errorf("%s: %w", at, err)
		}
		s := reflect.MakeSlice(dst.Type(), len(elems), len(elems))
		for i, e := range elems {
			if err := decodeModel(ctx, e, mt.elem, s.Index(i), fmt.Sprintf("%s[%d]", at, i)); err != nil {
				return err
			}
		}
		dst.Set(s)
		return nil
	case reflect.Struct:
		if mt.attrs == nil || !v.IsKnown() || v.IsNull() {
			return fmt.Errorf("%s: a %s cannot hold %s", at, dst.Type(), v)
		}
		var attrs map[string]tftypes.Value
		if err := v.As(&attrs); err != nil {
			return fmt.Errorf("%s: %w", at, err)
		}
		fields := fieldsOf(dst.Type())
		if len(fields) != len(attrs) {
			return fmt.Errorf("%s: %s has %d fields for %d attributes", at, dst.Type(), len(fields), len(attrs))
		}
		for _, f := range fields {
			av, ok := attrs[f.name]
			if !ok {
				return fmt.Errorf("%s: no attribute %q for %s", at, f.name, dst.Type())
			}
			if err := decodeModel(ctx, av, mt.attrs[f.name], dst.FieldByIndex(f.index), at+"."+f.name); err != nil {
				return err
			}
		}
		return nil
	}
	return fmt.Errorf("%s: models cannot hold a %s", at, dst.Type())
}

func encodeModel(ctx context.Context, mt *modelType, src reflect.Value, at string) (tftypes.Value, error) {
	if val, ok := src.Interface().(attr.Value); ok {
		switch {
		case val.IsNull():
			return tftypes.NewValue(mt.tf, nil), nil
		case val.IsUnknown():
			return tftypes.NewValue(mt.tf, tftypes.UnknownValue), nil
		}
		v, err := val.ToTerraformValue(ctx)
		if err != nil {
			return tftypes.Value{}, fmt.Errorf("%s: %w", at, err)
		}
		if !v.Type().Equal(mt.tf) {
			return tftypes.Value{}, fmt.Errorf("%s: a %s where the schema has a %s", at, v.Type(), mt.tf)
		}
		return v, nil
	}
	switch src.Kind() {
	case reflect.Pointer:
		if src.IsNil() {
			return tftypes.NewValue(mt.tf, nil), nil
		}
		return encodeModel(ctx, mt, src.Elem(), at)
	case reflect.Slice:
		if src.IsNil() {
			return tftypes.NewValue(mt.tf, nil), nil
		}
		if mt.elem == nil {
			return tftypes.Value{}, fmt.Errorf("%s: a %s where the schema has a %s", at, src.Type(), mt.tf)
		}
		elems := make([]tftypes.Value, src.Len())
		for i := range elems {
			e, err := encodeModel(ctx, mt.elem, src.Index(i), fmt.Sprintf("%s[%d]", at, i))
			if err != nil {
				return tftypes.Value{}, err
			}
			elems[i] = e
		}
		return tftypes.NewValue(mt.tf, elems), nil
	case reflect.Struct:
		if mt.attrs == nil {
			return tftypes.Value{}, fmt.Errorf("%s: a %s where the schema has a %s", at, src.Type(), mt.tf)
		}
		fields := fieldsOf(src.Type())
		if len(fields) != len(mt.attrs) {
			return tftypes.Value{}, fmt.Errorf("%s: %s has %d fields for %d attributes", at, src.Type(), len(fields), len(mt.attrs))
		}
		vals := make(map[string]tftypes.Value, len(fields))
		for _, f := range fields {
			amt, ok := mt.attrs[f.name]
			if !ok {
				return tftypes.Value{}, fmt.Errorf("%s: no attribute %q for %s", at, f.name, src.Type())
			}
			v, err := encodeModel(ctx, amt, src.FieldByIndex(f.index), at+"."+f.name)
			if err != nil {
				return tftypes.Value{}, err
			}
			vals[f.name] = v
		}
		return tftypes.NewValue(mt.tf, vals), nil
	}
	return tftypes.Value{}, fmt.Errorf("%s: models cannot hold a %s", at, src.Type())
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
