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
	ev, err := parseInput(event, "event", m.need)
	if err != nil {
		return nil, err
	}
	if ev.k != kObj {
		return nil, finish(invalid("the event must be a JSON object, got " + article(ev.typeName())))
	}
	e := evaluator{}
	out, err := e.resolve(m.root, ev)
	if err != nil {
		return nil, finish(err)
	}
	b, ok := appendJSON(make([]byte, 0, 256), out)
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
	if len(b) > maxInput {
		return undef, unsupported("the " + what + " is larger than " + itoa(maxInput) + " bytes")
	}
	if !utf8.ValidString(b) {
		return undef, invalid("the " + what + " is not valid UTF-8")
	}
	v, err := parseNeeded(b, n)
	if err != nil {
		if e, ok := err.(*Error); ok {
			e.Msg = "the " + what + ": " + e.Msg
			return undef, e
		}
		return undef, invalid("the " + what + " is not valid JSON: " + err.Error())
	}
	return v, nil
}

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
			r, err := e.directive(name, opts, payload)
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

// field reads a directive option (a plain property of the options object).
func field(opts value, name string) value {
	v, _ := opts.c.get(name)
	return v
}

func (e *evaluator) directive(name string, opts, payload value) (value, error) {
	switch name {
	case "@path", "@template":
		p, err := e.resolve(opts, payload)
		if err != nil {
			return undef, err
		}
		if p.k != kStr {
			return undef, dirErr(name, "its value must be a string (like \"$.userId\") or a directive giving one, got "+article(p.typeName()))
		}
		if name == "@path" {
			return getPath(payload, stripDollarDot(p.s))
		}
		s, err := renderTemplate(p.s, payload)
		if err != nil {
			return undef, err
		}
		return e.stringResult(s)
	case "@literal":
		return e.resolve(opts, payload)
	case "@if":
		return e.ifDirective(opts, payload)
	case "@case":
		return e.caseDirective(opts, payload)
	case "@replace":
		return e.replaceDirective(opts, payload)
	case "@arrayPath":
		return e.arrayPath(opts, payload)
	case "@json":
		return e.jsonDirective(opts, payload)
	case "@flatten":
		return e.flattenDirective(opts, payload)
	case "@merge":
		return e.merge(opts, payload)
	case "@transform":
		return e.transformDirective(opts, payload)
	case "@excludeWhenNull":
		v, err := e.resolve(opts, payload)
		if err != nil || v.k == kNull {
			return undef, err
		}
		return e.cleanNulls(v)
	case "@liquid":
		if opts.k != kStr {
			return undef, dirErr(name, "the template must be a string")
		}
		if opts.s == "" {
			return emptyStr, nil
		}
		if utf16Len(opts.s) > maxLiquid {
			return undef, dirErr(name, "templates are limited to 1000 characters; shorten it")
		}
		s, err := renderLiquid(opts.s, payload)
		if err != nil {
			return undef, err
		}
		return e.stringResult(s)
	}
	return undef, dirErr(name, quote(name)+" is not a directive; use one of "+directiveList)
}

func needObject(name string, opts value, what string) error {
	if opts.k != kObj {
		return dirErr(name, "needs an object with "+what+", got "+article(opts.typeName()))
	}
	return nil
}

func (e *evaluator) ifDirective(opts, payload value) (value, error) {
	if err := needObject("@if", opts, `an "exists" or a "blank" key`); err != nil {
		return undef, err
	}
	exists, hasExists := opts.c.get("exists")
	blank, hasBlank := opts.c.get("blank")
	if !exists.truthy() && !blank.truthy() {
		return undef, dirErr("@if", `needs an "exists" or a "blank" key (with a truthy value); add one`)
	}
	cond := false
	switch {
	case hasExists:
		v, err := e.resolve(exists, payload)
		if err != nil {
			return undef, at(err, "exists")
		}
		cond = !v.nullish()
	case hasBlank:
		v, err := e.resolve(blank, payload)
		if err != nil {
			return undef, at(err, "blank")
		}
		cond = !v.nullish() && !looseEqualsEmpty(v)
	}
	then, hasThen := opts.c.get("then")
	els := field(opts, "else")
	switch {
	case cond && hasThen:
		v, err := e.resolve(then, payload)
		return v, at(err, "then")
	case !cond && els.truthy():
		v, err := e.resolve(els, payload)
		return v, at(err, "else")
	}
	return undef, nil
}

func (e *evaluator) caseDirective(opts, payload value) (value, error) {
	if err := needObject("@case", opts, `an "operator" key`); err != nil {
		return undef, err
	}
	op := field(opts, "operator")
	if !op.truthy() {
		return undef, dirErr("@case", `needs an "operator" key: "lower" or "upper"`)
	}
	raw := field(opts, "value")
	if !raw.truthy() {
		return undef, nil
	}
	v, err := e.resolve(raw, payload)
	if err != nil {
		return undef, at(err, "value")
	}
	if v.k != kStr {
		return v, nil
	}
	if op.k == kStr && op.s == "lower" {
		return e.stringResult(jsLower(v.s))
	}
	if op.k == kStr && op.s == "upper" {
		return e.stringResult(jsUpper(v.s))
	}
	return undef, at(dirErr("@case", `the operator must be "lower" or "upper"`), "operator")
}

func (e *evaluator) replaceDirective(opts, payload value) (value, error) {
	if err := needObject("@replace", opts, `a "pattern" key`); err != nil {
		return undef, err
	}
	pattern := field(opts, "pattern")
	if !pattern.truthy() {
		return undef, dirErr("@replace", `needs a non-empty "pattern" key`)
	}
	def := func(name string, d value) value {
		v := field(opts, name)
		if v.nullish() {
			return d
		}
		return v
	}
	replacement := def("replacement", emptyStr)
	pattern2 := field(opts, "pattern2")
	replacement2 := field(opts, "replacement2")
	if pattern2.truthy() && replacement2.nullish() {
		replacement2 = emptyStr
	}
	ignorecase := def("ignorecase", vFalse)
	global := def("global", vTrue)
	raw := field(opts, "value")
	if !raw.truthy() {
		return undef, nil
	}
	v, err := e.resolve(raw, payload)
	if err != nil {
		return undef, at(err, "value")
	}
	if v.k == kBool || v.k == kNum {
		v = str(toString(v))
	}
	if v.k != kStr || pattern.k != kStr || replacement.k != kStr || ignorecase.k != kBool || global.k != kBool {
		return emptyStr, nil
	}
	out, err := jsReplace(v.s, pattern.s, replacement.s, global.n != 0, ignorecase.n != 0)
	if err != nil {
		return undef, err
	}
	if pattern2.k == kStr && pattern2.s != "" && replacement2.k == kStr {
		if out, err = jsReplace(out, pattern2.s, replacement2.s, global.n != 0, ignorecase.n != 0); err != nil {
			return undef, err
		}
	}
	return e.stringResult(out)
}

func (e *evaluator) arrayPath(opts, payload value) (value, error) {
	if opts.k != kArr {
		return undef, dirErr("@arrayPath", "expects an array [path, itemShape], got "+article(opts.typeName()))
	}
	var path, shape value
	if len(opts.c.vals) > 0 {
		path = opts.c.vals[0]
	}
	if len(opts.c.vals) > 1 {
		shape = opts.c.vals[1]
	}
	var root value
	var err error
	if path.k == kStr {
		root, err = getPath(payload, stripDollarDot(path.s))
	} else {
		root, err = e.resolve(path, payload)
	}
	if err != nil {
		return undef, at(err, "0")
	}
	if (root.k != kObj && root.k != kArr) || shape.k != kObj || len(shape.c.keys) == 0 {
		return root, nil
	}
	items := []value{root}
	if root.k == kArr {
		items = root.c.vals
	}
	out := make([]value, len(items))
	for i, item := range items {
		r, err := e.resolve(shape, item)
		if err != nil {
			return undef, at(err, "1")
		}
		out[i] = r
	}
	return newArr(out), nil
}

func (e *evaluator) jsonDirective(opts, payload value) (value, error) {
	if err := needObject("@json", opts, `a "value" key`); err != nil {
		return undef, err
	}
	mode := field(opts, "mode")
	if !mode.truthy() {
		return undef, dirErr("@json", `needs a "mode" key: "encode" or "decode"`)
	}
	raw := field(opts, "value")
	if !raw.truthy() {
		return undef, dirErr("@json", `needs a "value" key with a truthy value`)
	}
	v, err := e.resolve(raw, payload)
	if err != nil {
		return undef, at(err, "value")
	}
	if mode.k != kStr {
		return undef, nil
	}
	switch mode.s {
	case "encode":
		b, ok := appendJSON(nil, v)
		if !ok {
			return undef, nil
		}
		return e.stringResult(string(b))
	case "decode":
		if v.k != kStr {
			return v, nil
		}
		d, err := parseJSON(v.s)
		if err != nil {
			if isSyntax(err) {
				return v, nil
			}
			return undef, err
		}
		if err := e.spend(len(v.s) / 16); err != nil {
			return undef, err
		}
		return d, nil
	}
	return undef, nil
}

func (e *evaluator) flattenDirective(opts, payload value) (value, error) {
	if err := needObject("@flatten", opts, `a "separator" key`); err != nil {
		return undef, err
	}
	rawSep := field(opts, "separator")
	if !rawSep.truthy() {
		return undef, dirErr("@flatten", `needs a non-empty "separator" key`)
	}
	sep, err := e.resolve(rawSep, payload)
	if err != nil {
		return undef, at(err, "separator")
	}
	if sep.k != kStr {
		return undef, at(dirErr("@flatten", "the separator must be a string"), "separator")
	}
	v, err := e.resolve(field(opts, "value"), payload)
	if err != nil {
		return undef, at(err, "value")
	}
	out := newObj(0)
	if err := e.flatten(out.c, v, "", sep.s, field(opts, "omitArrays").truthy()); err != nil {
		return undef, err
	}
	return out, nil
}

func (e *evaluator) flatten(out *container, v value, prefix, sep string, omitArrays bool) error {
	if err := e.spend(1); err != nil {
		return err
	}
	if v.k == kObj || (v.k == kArr && !omitArrays) {
		var keys []string
		if v.k == kObj {
			keys = v.objKeys()
		}
		for i, child := range v.c.vals {
			var key string
			if keys != nil {
				key = keys[i]
			} else {
				key = itoa(i)
			}
			if prefix != "" {
				key = joinSurrogates(prefix + sep + key)
				if err := checkLen(key); err != nil {
					return err
				}
				if err := e.spend(len(key) / 64); err != nil {
					return err
				}
			}
			if err := e.flatten(out, child, key, sep, omitArrays); err != nil {
				return err
			}
		}
		return nil
	}
	if prefix == "__proto__" {
		return protoKeyError()
	}
	out.set(prefix, v)
	return nil
}

func (e *evaluator) merge(opts, payload value) (value, error) {
	if err := needObject("@merge", opts, `an "objects" key and a "direction" key`); err != nil {
		return undef, err
	}
	rawDir := field(opts, "direction")
	if !rawDir.truthy() {
		return undef, dirErr("@merge", `needs a "direction" key: "left" or "right"`)
	}
	dir, err := e.resolve(rawDir, payload)
	if err != nil {
		return undef, at(err, "direction")
	}
	objects := field(opts, "objects")
	if !objects.truthy() {
		return undef, dirErr("@merge", `needs an "objects" key`)
	}
	if objects.k != kArr {
		return undef, at(dirErr("@merge", `"objects" must be an array`), "objects")
	}
	vals := make([]value, len(objects.c.vals))
	for i, o := range objects.c.vals {
		r, err := e.resolve(o, payload)
		if err != nil {
			return undef, at(at(err, itoa(i)), "objects")
		}
		vals[i] = r
	}
	if dir.k == kStr && dir.s == "left" {
		for i, j := 0, len(vals)-1; i < j; i, j = i+1, j-1 {
			vals[i], vals[j] = vals[j], vals[i]
		}
	}
	out := newObj(0)
	for _, v := range vals {
		if v.k == kStr {
			// Strings spread into one key per character: count first.
			if err := e.spend(len(v.s)); err != nil {
				return undef, err
			}
		}
		if err := e.spend(assign(out.c, v)); err != nil {
			return undef, err
		}
	}
	return out, nil
}

func (e *evaluator) transformDirective(opts, payload value) (value, error) {
	if err := needObject("@transform", opts, `an "apply" key and a "mapping" key`); err != nil {
		return undef, err
	}
	mapping := field(opts, "mapping")
	if !mapping.truthy() {
		return undef, dirErr("@transform", `needs a "mapping" key`)
	}
	apply := field(opts, "apply")
	if !apply.truthy() {
		return undef, dirErr("@transform", `needs an "apply" key`)
	}
	if apply.k != kObj {
		return undef, at(dirErr("@transform", `"apply" must be an object`), "apply")
	}
	if payload.k == kUndef {
		payload = newObj(0) // transform(mapping, data = {})
	}
	if payload.k != kObj {
		return undef, dirErr("@transform", "the data it applies to must be an object, got "+article(payload.typeName()))
	}
	root, err := mappingToProcess(apply)
	if err != nil {
		return undef, at(err, "apply")
	}
	vd := validator{}
	if err := vd.any(root); err != nil {
		return undef, at(err, "apply")
	}
	next, err := e.resolve(root, payload)
	if err != nil {
		return undef, at(err, "apply")
	}
	if next, err = e.removeUndefined(next); err != nil {
		return undef, at(err, "apply")
	}
	r, err := e.resolve(mapping, next)
	return r, at(err, "mapping")
}

// removeUndefined drops undefined properties, recursively.
func (e *evaluator) removeUndefined(v value) (value, error) {
	switch v.k {
	case kArr:
		if err := e.spend(len(v.c.vals)); err != nil {
			return undef, err
		}
		out := make([]value, len(v.c.vals))
		for i, x := range v.c.vals {
			r, err := e.removeUndefined(x)
			if err != nil {
				return undef, err
			}
			out[i] = r
		}
		return newArr(out), nil
	case kObj:
		keys := v.objKeys()
		if err := e.spend(len(keys)); err != nil {
			return undef, err
		}
		out := newObj(len(keys))
		for i, k := range keys {
			if x := v.c.vals[i]; x.k != kUndef {
				r, err := e.removeUndefined(x)
				if err != nil {
					return undef, err
				}
				out.c.set(k, r)
			}
		}
		return out, nil
	}
	return v, nil
}

// cleanNulls is @excludeWhenNull: null properties become undefined, in
// nested objects too (not inside arrays).
func (e *evaluator) cleanNulls(v value) (value, error) {
	if v.k != kObj {
		return v, nil
	}
	keys := v.objKeys()
	if err := e.spend(len(keys)); err != nil {
		return undef, err
	}
	out := newObj(len(keys))
	for i, k := range keys {
		x := v.c.vals[i]
		switch x.k {
		case kNull:
			x = undef
		case kObj:
			var err error
			if x, err = e.cleanNulls(x); err != nil {
				return undef, err
			}
		}
		out.c.set(k, x)
	}
	return out, nil
}
