package provider

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/vmihailenco/msgpack/v5"
	"github.com/vmihailenco/msgpack/v5/msgpcode"
)

// Terraform decodes the state a provider returns from UpgradeResourceState
// with the schema's type: from JSON, 61 ms for a 10,000-number broadcast
// (its destinations and results), from msgpack 8 ms (cty's decoders,
// measured in-process). The passthrough therefore returns state stored at
// the current version as msgpack, transcoded here from the JSON Terraform
// sent without building values: a few milliseconds.

// jsonToMsgpack transcodes raw, a JSON value that jsonConforms accepted for
// t, into the msgpack encoding of a value of type t that Terraform decodes
// as it decodes the JSON: the same strings, numbers, nulls and collections,
// and every attribute of an object (null where the JSON has none).
func jsonToMsgpack(raw []byte, t tftypes.Type) ([]byte, error) {
	tc := transcoder{src: raw}
	var buf bytes.Buffer
	buf.Grow(len(raw))
	if err := tc.value(&buf, t); err != nil {
		return nil, err
	}
	tc.space()
	if tc.i != len(tc.src) {
		return nil, fmt.Errorf("JSON state: unexpected %q at offset %d", tc.src[tc.i], tc.i)
	}
	return buf.Bytes(), nil
}

type transcoder struct {
	src []byte
	i   int
}

var errJSONEnd = errors.New("JSON state: unexpected end")

func (tc *transcoder) space() {
	for tc.i < len(tc.src) {
		switch tc.src[tc.i] {
		case ' ', '\t', '\n', '\r':
			tc.i++
		default:
			return
		}
	}
}

// value transcodes the JSON value at tc.i, of type t, onto out.
func (tc *transcoder) value(out *bytes.Buffer, t tftypes.Type) error {
	tc.space()
	if tc.i >= len(tc.src) {
		return errJSONEnd
	}
	if tc.src[tc.i] == 'n' {
		if !bytes.HasPrefix(tc.src[tc.i:], []byte("null")) {
			return fmt.Errorf("JSON state: unexpected %q at offset %d", tc.src[tc.i], tc.i)
		}
		tc.i += len("null")
		out.WriteByte(msgpcode.Nil)
		return nil
	}
	switch t := t.(type) {
	case tftypes.List:
		return tc.array(out, t.ElementType)
	case tftypes.Set:
		return tc.array(out, t.ElementType)
	case tftypes.Map:
		return tc.mapValue(out, t.ElementType)
	case tftypes.Object:
		return tc.object(out, t.AttributeTypes)
	}
	switch {
	case t.Is(tftypes.String):
		s, err := tc.str()
		if err != nil {
			return err
		}
		writeString(out, s)
		return nil
	case t.Is(tftypes.Number):
		enc := msgpack.NewEncoder(out)
		start := tc.i
		for tc.i < len(tc.src) && bytes.IndexByte([]byte("+-.eE0123456789"), tc.src[tc.i]) >= 0 {
			tc.i++
		}
		if !json.Valid(tc.src[start:tc.i]) {
			return fmt.Errorf("JSON state: a number is required at offset %d", start)
		}
		text := string(tc.src[start:tc.i])
		if n, err := strconv.ParseInt(text, 10, 64); err == nil {
			return enc.EncodeInt(n)
		}
		// Any other number as its text, which cty parses exactly (as it
		// parses the JSON).
		return enc.EncodeString(text)
	case t.Is(tftypes.Bool):
		switch {
		case bytes.HasPrefix(tc.src[tc.i:], []byte("true")):
			tc.i += len("true")
			out.WriteByte(msgpcode.True)
			return nil
		case bytes.HasPrefix(tc.src[tc.i:], []byte("false")):
			tc.i += len("false")
			out.WriteByte(msgpcode.False)
			return nil
		}
	}
	return fmt.Errorf("JSON state: a value of type %s cannot be transcoded at offset %d", t, tc.i)
}

// str reads the JSON string at tc.i: its bytes in the JSON when it has no
// escape, else a copy.
func (tc *transcoder) str() ([]byte, error) {
	if tc.i >= len(tc.src) || tc.src[tc.i] != '"' {
		return nil, fmt.Errorf("JSON state: a string is required at offset %d", tc.i)
	}
	start, escaped := tc.i, false
	for tc.i++; tc.i < len(tc.src) && tc.src[tc.i] != '"'; tc.i++ {
		if tc.src[tc.i] == '\\' {
			escaped = true
			tc.i++
		}
	}
	if tc.i >= len(tc.src) {
		return nil, errJSONEnd
	}
	tc.i++
	if !escaped && utf8.Valid(tc.src[start+1:tc.i-1]) {
		return tc.src[start+1 : tc.i-1], nil
	}
	// Escapes, or bytes that are not UTF-8, which JSON decoding replaces
	// with U+FFFD: decoded as Terraform decodes them.
	var s string
	err := json.Unmarshal(tc.src[start:tc.i], &s)
	return []byte(s), err
}

// writeString writes s as a msgpack str, as msgpack.Encoder.EncodeString
// does.
func writeString(out *bytes.Buffer, s []byte) {
	n := len(s)
	switch {
	case n < 32:
		out.WriteByte(msgpcode.FixedStrLow | byte(n))
	case n <= math.MaxUint8:
		out.Write([]byte{msgpcode.Str8, byte(n)})
	default:
		_ = msgpack.NewEncoder(out).EncodeString(string(s)) // a bytes.Buffer does not fail
		return
	}
	out.Write(s)
}

// elements calls each for every element of the JSON array or object at
// tc.i (with the key of an object's member), and returns how many there
// were.
func (tc *transcoder) elements(open, closing byte, each func(key []byte) error) (int, error) {
	if tc.i >= len(tc.src) || tc.src[tc.i] != open {
		return 0, fmt.Errorf("JSON state: %q is required at offset %d", open, tc.i)
	}
	tc.i++
	n := 0
	for {
		tc.space()
		if tc.i >= len(tc.src) {
			return 0, errJSONEnd
		}
		if tc.src[tc.i] == closing {
			tc.i++
			return n, nil
		}
		if n > 0 {
			if tc.src[tc.i] != ',' {
				return 0, fmt.Errorf("JSON state: ',' is required at offset %d", tc.i)
			}
			tc.i++
			tc.space()
		}
		var key []byte
		if open == '{' {
			k, err := tc.str()
			if err != nil {
				return 0, err
			}
			tc.space()
			if tc.i >= len(tc.src) || tc.src[tc.i] != ':' {
				return 0, fmt.Errorf("JSON state: ':' is required at offset %d", tc.i)
			}
			tc.i++
			key = k
		}
		if err := each(key); err != nil {
			return 0, err
		}
		n++
	}
}

func (tc *transcoder) array(out *bytes.Buffer, elem tftypes.Type) error {
	var body bytes.Buffer
	n, err := tc.elements('[', ']', func([]byte) error { return tc.value(&body, elem) })
	if err != nil {
		return err
	}
	if err := msgpack.NewEncoder(out).EncodeArrayLen(n); err != nil {
		return err
	}
	_, err = out.Write(body.Bytes())
	return err
}

func (tc *transcoder) mapValue(out *bytes.Buffer, elem tftypes.Type) error {
	var body bytes.Buffer
	n, err := tc.elements('{', '}', func(key []byte) error {
		writeString(&body, key)
		return tc.value(&body, elem)
	})
	if err != nil {
		return err
	}
	if err := msgpack.NewEncoder(out).EncodeMapLen(n); err != nil {
		return err
	}
	_, err = out.Write(body.Bytes())
	return err
}

// object writes every attribute of attrs, null where the JSON has none (a
// msgpack object must have them all; JSON decoding takes a missing one for
// null).
func (tc *transcoder) object(out *bytes.Buffer, attrs map[string]tftypes.Type) error {
	values := make(map[string][]byte, len(attrs))
	_, err := tc.elements('{', '}', func(k []byte) error {
		key := string(k)
		at, ok := attrs[key]
		if !ok {
			return fmt.Errorf("JSON state: unsupported attribute %q", key)
		}
		var v bytes.Buffer
		if err := tc.value(&v, at); err != nil {
			return err
		}
		values[key] = v.Bytes()
		return nil
	})
	if err != nil {
		return err
	}
	names := make([]string, 0, len(attrs))
	for name := range attrs {
		names = append(names, name)
	}
	slices.Sort(names)
	enc := msgpack.NewEncoder(out)
	if err := enc.EncodeMapLen(len(names)); err != nil {
		return err
	}
	for _, name := range names {
		if err := enc.EncodeString(name); err != nil {
			return err
		}
		v, ok := values[name]
		if !ok {
			if err := enc.EncodeNil(); err != nil {
				return err
			}
			continue
		}
		out.Write(v)
	}
	return nil
}
