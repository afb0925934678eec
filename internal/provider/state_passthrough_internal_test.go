package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// TestJSONConforms: a value passes through only when its JSON kind is its
// type's at every level; the string-array scan agrees with decoding.
func TestJSONConforms(t *testing.T) {
	t.Parallel()
	strings := tftypes.List{ElementType: tftypes.String}
	obj := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"body": tftypes.String, "n": tftypes.Number}}
	for _, tc := range []struct {
		raw  string
		typ  tftypes.Type
		want bool
	}{
		{`"x"`, tftypes.String, true},
		{`null`, tftypes.String, true},
		{`7`, tftypes.String, false},
		{`-7.5`, tftypes.Number, true},
		{`"7"`, tftypes.Number, false},
		{`true`, tftypes.Bool, true},
		{`[]`, strings, true},
		{` [ "a" , null,"b\"]" , "c\\"]`, strings, true},
		{`["a\\",7]`, strings, false},
		{`["a", ["b"]]`, strings, false},
		{`["a", {"b":1}]`, strings, false},
		{`{"a":"x"}`, strings, false},
		{`[["a"],null]`, tftypes.List{ElementType: strings}, true},
		{`[["a"],[1]]`, tftypes.Set{ElementType: strings}, false},
		{`{"a":"x","b":null}`, tftypes.Map{ElementType: tftypes.String}, true},
		{`{"a":1}`, tftypes.Map{ElementType: tftypes.String}, false},
		{`{}`, tftypes.Map{ElementType: tftypes.String}, true},
		{` { "a\"}" : "x:\"y" , "b" :null ,"c":"" } `, tftypes.Map{ElementType: tftypes.String}, true},
		{`{"a":"x","b":{"c":"d"}}`, tftypes.Map{ElementType: tftypes.String}, false},
		{`{"a":"x","b":["c"]}`, tftypes.Map{ElementType: tftypes.String}, false},
		{`{"a":"x","b":true}`, tftypes.Map{ElementType: tftypes.String}, false},
		{`"{}"`, tftypes.Map{ElementType: tftypes.String}, false},
		{`["a"]`, tftypes.Map{ElementType: tftypes.String}, false},
		{`{"body":"x"}`, obj, true},
		{`{"body":"x","n":"1"}`, obj, false},
		{`{"body":"x","extra":1}`, obj, false},
		{`[1]`, tftypes.Tuple{ElementTypes: []tftypes.Type{tftypes.Number}}, false},
		{`"x"`, tftypes.DynamicPseudoType, false},
	} {
		if got := jsonConforms([]byte(tc.raw), tc.typ); got != tc.want {
			t.Errorf("jsonConforms(%s, %s) = %t, want %t", tc.raw, tc.typ, got, tc.want)
		}
	}
}
