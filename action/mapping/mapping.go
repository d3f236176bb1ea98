package mapping

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Mapping is a compiled, validated mapping. It is immutable and safe for
// concurrent use.
type Mapping struct {
	root value
	// need is the part of an event the mapping can read (nil: all of it).
	need *need
}

const (
	// rootDirectiveKey is mapping-kit's ROOT_MAPPING_FIELD_KEY: a directive
	// under it receives the other fields as its "mapping".
	rootDirectiveKey = "__segment_internal_directive"

	maxPattern     = 10 // @replace pattern length (UTF-16 units)
	maxReplacement = 10 // @replace replacement length
	maxLiquid      = 1000

	// maxWork bounds the evaluation steps of one Apply, so that hostile
	// mappings (nested @arrayPath over big arrays) end with an error.
	maxWork = 1 << 20
	// maxString bounds the bytes of a computed string (JavaScript's own
	// limit is about 2^29 UTF-16 units).
	maxString = 1 << 24
	// maxInput bounds the mapping and event sizes.
	maxInput = 1 << 24
)

// Compile parses and validates a mapping (JSON text), as mapping-kit's
// transform does before evaluating. The result can be applied to many
// events. Errors are *Error values.
func Compile(mapping string) (*Mapping, error) {
	m, err := parseInput(mapping, "mapping", nil)
	if err != nil {
		return nil, err
	}
	root, err := mappingToProcess(m)
	if err != nil {
		return nil, finish(err)
	}
	vd := validator{}
	if err := vd.any(root); err != nil {
		return nil, finish(err)
	}
	freeze(root)
	return &Mapping{root: root, need: needOf(root)}, nil
}

// freeze settles the lazily computed state of a mapping's containers (JS
// key order, lookup indexes), so that Apply only reads them and a Mapping
// can be shared between goroutines.
func freeze(v value) {
	if v.k != kObj && v.k != kArr {
		return
	}
	if v.k == kObj {
		v.c.order()
		if len(v.c.keys) > indexThreshold && v.c.index == nil {
			v.c.rebuild()
		}
	}
	for _, e := range v.c.vals {
		freeze(e)
	}
}

// MustCompile is Compile for mappings known to be valid; it panics on error.
func MustCompile(mapping string) *Mapping {
	m, err := Compile(mapping)
	if err != nil {
		panic(err)
	}
	return m
}

// Apply evaluates the mapping on one event (the JSON text of a Segment
// event, which must be an object) and returns the payload as JSON text,
// byte for byte what JSON.stringify gives for mapping-kit's result.
//
// A mapping that is a single directive may evaluate to undefined (for
// example {"@path": "$.missing"}); JSON.stringify has no text for that, and
// Apply returns a nil slice and a nil error.
func (m *Mapping) Apply(event string) ([]byte, error) {
	p, err := m.Evaluate(event)
	if err != nil {
		return nil, err
	}
	b, ok := p.AppendJSON(make([]byte, 0, 256))
	if !ok {
		return nil, nil
	}
	return b, nil
}

// Transform compiles mapping and applies it to event in one step.
func Transform(mapping, event string) ([]byte, error) {
	m, err := Compile(mapping)
	if err != nil {
		return nil, err
	}
	return m.Apply(event)
}

func finish(err error) error {
	if e, ok := err.(*Error); ok {
		return e.finish()
	}
	return err
}

// parseInput parses a mapping or an event, building only the part n of it
// (nil: all of it).
func parseInput(b string, what string, n *need) (value, error) {
	return parseInputReusing(b, what, n, nil)
}

// parseInputReusing is parseInput with the scratch stacks of sc.
func parseInputReusing(b string, what string, n *need, sc *scratch) (value, error) {
	if len(b) > maxInput {
		return undef, unsupported("the " + what + " is larger than " + itoa(maxInput) + " bytes")
	}
	if !utf8.ValidString(b) {
		return undef, invalid("the " + what + " is not valid UTF-8")
	}
	v, err := parseReusing(b, n, sc)
	if err != nil {
		if e, ok := err.(*Error); ok {
			e.Msg = "the " + what + ": " + e.Msg
			return undef, e
		}
		return undef, invalid("the " + what + " is not valid JSON: " + err.Error())
	}
	return v, nil
}

//go:noinline
func itoa(i int) string { return strconv.Itoa(i) }

func quote(s string) string { return strconv.Quote(s) }

// objectKeys is Object.keys for any value, as strings; ok is false for
// null and undefined (Object.keys throws).
func objectKeys(v value) ([]string, bool) {
	switch v.k {
	case kUndef, kNull:
		return nil, false
	case kObj:
		return v.objKeys(), true
	case kArr:
		keys := make([]string, len(v.c.vals))
		for i := range keys {
			keys[i] = itoa(i)
		}
		return keys, true
	case kStr:
		keys := make([]string, utf16Len(v.s))
		for i := range keys {
			keys[i] = itoa(i)
		}
		return keys, true
	}
	return nil, true
}

// spread is {...v}: an object with v's own enumerable properties.
func spread(v value) value {
	out := newObj(0)
	assign(out.c, v)
	return out
}

// assign copies v's own enumerable properties into c (one source of
// Object.assign or of an object spread).
func assign(c *container, v value) int {
	switch v.k {
	case kObj:
		keys := v.objKeys()
		for i, k := range keys {
			c.set(k, v.c.vals[i])
		}
		return len(keys)
	case kArr:
		for i, e := range v.c.vals {
			c.set(itoa(i), e)
		}
		return len(v.c.vals)
	case kStr:
		n := 0
		for i := 0; i < len(v.s); {
			r, sz := decodeWTF8(v.s, i)
			i += sz
			if r >= 0x10000 {
				r -= 0x10000
				c.set(itoa(n), str(string(appendWTF8(nil, 0xD800+r>>10))))
				c.set(itoa(n+1), str(string(appendWTF8(nil, 0xDC00+r&0x3FF))))
				n += 2
			} else {
				c.set(itoa(n), str(v.s[i-sz:i]))
				n++
			}
		}
		return n
	}
	return 0
}

// mappingToProcess is mapping-kit's getMappingToProcess: the mapping is
// spread into a fresh object, unless it has the root directive key.
func mappingToProcess(m value) (value, error) {
	if m.k == kNull || m.k == kUndef {
		return undef, invalid("the mapping must be an object, got " + m.typeName())
	}
	if m.k != kObj {
		if m.k == kStr && len(m.s) > maxWork {
			return undef, unsupported("a top-level string mapping longer than " + itoa(maxWork) + " bytes")
		}
		return spread(m), nil
	}
	inner, ok := m.c.get(rootDirectiveKey)
	if !ok {
		return m, nil
	}
	customer := newObj(0)
	for i, k := range m.objKeys() {
		if k != rootDirectiveKey {
			customer.c.set(k, m.c.vals[i])
		}
	}
	keys, ok := objectKeys(inner)
	if !ok {
		return undef, at(invalid("the root directive must be an object holding one directive, got "+inner.typeName()), rootDirectiveKey)
	}
	if len(keys) > 1 {
		return undef, at(invalid("the root mapping must only have a single directive object"), rootDirectiveKey)
	}
	var rd value
	if len(keys) == 1 {
		rd, _ = property(inner, keys[0])
	}
	if !rd.truthy() || (rd.k != kObj && rd.k != kArr) {
		return undef, at(invalid("the root directive must be an object"), rootDirectiveKey)
	}
	if rd.k == kArr {
		return inner, nil // the "mapping" property set on an array is never seen
	}
	// rootDirective.mapping = customerMappings, on copies.
	rd2 := spread(rd)
	rd2.c.set("mapping", customer)
	switch inner.k {
	case kObj:
		inner2 := spread(inner)
		inner2.c.set(keys[0], rd2)
		return inner2, nil
	default: // a one-element array
		return newArr([]value{rd2}), nil
	}
}

// evaluator holds the state of one evaluation.
type evaluator struct {
	work int
}

func (e *evaluator) spend(n int) error {
	e.work += n
	if e.work > maxWork {
		return unsupported("the mapping needs more than " + itoa(maxWork) + " evaluation steps for this event; simplify it")
	}
	return nil
}

// stringResult accounts for a computed string: its length is limited,
// and every 64 bytes count as an evaluation step.
func (e *evaluator) stringResult(s string) (value, error) {
	if err := checkLen(s); err != nil {
		return undef, err
	}
	if err := e.spend(len(s) / 64); err != nil {
		return undef, err
	}
	return str(s), nil
}

func checkLen(s string) error {
	if len(s) > maxString {
		return unsupported("a computed string is longer than " + itoa(maxString) + " bytes")
	}
	return nil
}

// directiveName returns the directive an object runs (isDirective and
// runDirective): it has an @-key and no others except "_metadata".
func directiveName(m value) (string, bool) {
	name := ""
	for _, k := range m.objKeys() {
		if strings.HasPrefix(k, "@") {
			if name == "" {
				name = k
			}
		} else if k != "_metadata" {
			return "", false
		}
	}
	return name, name != ""
}

// resolve evaluates a mapping value against a payload.
func (e *evaluator) resolve(m, payload value) (value, error) {
	if err := e.spend(1); err != nil {
		return undef, err
	}
	switch m.k {
	case kArr:
		out := make([]value, len(m.c.vals))
		for i, v := range m.c.vals {
			r, err := e.resolve(v, payload)
			if err != nil {
				return undef, at(err, itoa(i))
			}
			out[i] = r
		}
		return newArr(out), nil
	case kObj:
		if name, ok := directiveName(m); ok {
			opts, _ := m.c.get(name)
			r, err := e.directive(name, opts, payload, m.c.path)
			if err != nil {
				return undef, at(inDirective(err, name), name)
			}
			return r, nil
		}
		keys := m.objKeys()
		out := newObj(len(keys))
		for i, k := range keys {
			r, err := e.resolve(m.c.vals[i], payload)
			if err != nil {
				return undef, at(err, k)
			}
			out.c.set(k, r)
		}
		return out, nil
	}
	return m, nil
}
