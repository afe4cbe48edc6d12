package metadata

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"strings"
	"unicode/utf8"
)

// Bounds on a metadata document from the network (conformance EDGE-35).
const (
	// MaxBytes is the largest document Parse accepts and Client fetches
	// by default.
	MaxBytes = 1 << 20
	// MaxDepth is the deepest nesting of objects and arrays Parse accepts.
	MaxDepth = 100
)

// Parse decodes a metadata document strictly. It rejects, with ErrMalformed:
// invalid UTF-8, a byte order mark, anything but a single JSON object,
// trailing data, nesting deeper than MaxDepth, a member name that appears
// twice (no last-wins ambiguity), and a known member of the wrong type
// (issuer: 5, token_endpoint: []). Member names match exactly, never
// case-insensitively; unknown members are ignored and null counts as absent.
// A document larger than MaxBytes gets ErrTooLarge.
//
// Parse checks shape only; call Validate for the rules of RFC 8414 §2.
func Parse(data []byte) (*Metadata, error) {
	if len(data) > MaxBytes {
		return nil, ErrTooLarge
	}
	if bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		return nil, fmt.Errorf("%w: byte order mark", ErrMalformed)
	}
	if !utf8.Valid(data) {
		return nil, fmt.Errorf("%w: invalid UTF-8", ErrMalformed)
	}
	if err := checkStructure(data); err != nil {
		return nil, err
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(data, &members); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	var m Metadata
	v := reflect.ValueOf(&m).Elem()
	t := v.Type()
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		raw, ok := members[name]
		if !ok || string(raw) == "null" {
			continue
		}
		if err := json.Unmarshal(raw, v.Field(i).Addr().Interface()); err != nil {
			return nil, fmt.Errorf("%w: %s has the wrong type", ErrMalformed, name)
		}
	}
	return &m, nil
}

// frame is one open object or array during checkStructure.
type frame struct {
	object  bool
	wantKey bool
	keys    map[string]struct{}
}

// checkStructure walks data token by token: one object, nothing after it,
// depth at most MaxDepth, no member name twice in one object.
func checkStructure(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var stack []frame
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return fmt.Errorf("%w: unexpected end of input", ErrMalformed)
		}
		if err != nil {
			return fmt.Errorf("%w: %v", ErrMalformed, err)
		}
		top := len(stack) - 1
		if top < 0 && tok != json.Delim('{') {
			return fmt.Errorf("%w: not a JSON object", ErrMalformed)
		}
		if top >= 0 && stack[top].object && stack[top].wantKey && tok != json.Delim('}') {
			key, _ := tok.(string)
			if _, dup := stack[top].keys[key]; dup {
				return fmt.Errorf("%w: duplicate member %q", ErrMalformed, key)
			}
			if stack[top].keys == nil {
				stack[top].keys = make(map[string]struct{})
			}
			stack[top].keys[key] = struct{}{}
			stack[top].wantKey = false
			continue
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			if len(stack) >= MaxDepth {
				return fmt.Errorf("%w: nested deeper than %d", ErrMalformed, MaxDepth)
			}
			stack = append(stack, frame{object: tok == json.Delim('{'), wantKey: true})
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:top]
		}
		// A value ended: its parent object now expects a key, or, at the
		// top level, the input must end here.
		if len(stack) == 0 {
			if _, err := dec.Token(); err != io.EOF {
				return fmt.Errorf("%w: data after the object", ErrMalformed)
			}
			return nil
		}
		if stack[len(stack)-1].object {
			stack[len(stack)-1].wantKey = true
		}
	}
}
