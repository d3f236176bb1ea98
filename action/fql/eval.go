package fql

import (
	"strings"
	"unicode/utf8"

	"rupt-actions-wasm/action/internal/jsnum"
	"rupt-actions-wasm/action/internal/rawjson"
)

// field is the event field a condition reads.
type field uint8

const (
	fieldNone field = iota
	fieldType
	fieldEvent
	fieldName
	fieldUserID
	fieldProperties
	fieldTraits
	fieldContext
	numFields
)

var fieldKeys = [numFields]string{"", "type", "event", "name", "userId", "properties", "traits", "context"}

// key is the field's key in the event.
func (f field) key() string { return fieldKeys[f] }

// isObject reports whether conditions on f take a path into the field.
func (f field) isObject() bool { return f >= fieldProperties }

// operator is a comparison of validate's validateValue.
type operator uint8

const (
	opNever operator = iota // any other operator token: never true
	opEquals
	opNotEquals
	opNumberEquals
	opNumberNotEquals
	opLess
	opLessOrEqual
	opGreater
	opGreaterOrEqual
	opContains
	opNotContains
	opStartsWith
	opNotStartsWith
	opEndsWith
	opNotEndsWith
	opExists
	opNotExists
	opIsTrue
	opIsFalse
)

// operatorOf maps the operator token of a comparison to its operator.
// validate switches on the token's text, so an identifier such as
// "contains" or "exists" in operator position works as that operator.
func operatorOf(s string) operator {
	switch s {
	case "=":
		return opEquals
	case "!=":
		return opNotEquals
	case "<":
		return opLess
	case "<=":
		return opLessOrEqual
	case ">":
		return opGreater
	case ">=":
		return opGreaterOrEqual
	case "number_equals":
		return opNumberEquals
	case "number_not_equals":
		return opNumberNotEquals
	case "contains":
		return opContains
	case "not_contains":
		return opNotContains
	case "starts_with":
		return opStartsWith
	case "not_starts_with":
		return opNotStartsWith
	case "ends_with":
		return opEndsWith
	case "not_ends_with":
		return opNotEndsWith
	case "exists":
		return opExists
	case "not_exists":
		return opNotExists
	case "is_true":
		return opIsTrue
	case "is_false":
		return opIsFalse
	}
	return opNever
}

type nodeKind uint8

const (
	kindUndefined nodeKind = iota // an empty "()": evaluating it throws
	kindGroup
	kindCond
)

// node is a group of conditions or a single condition.
type node struct {
	kind nodeKind

	// group
	or       bool
	children []*node // nil entries are empty groups

	// condition
	field         field
	path          []string // keys into the field, for properties/traits/context
	pathUndefined bool     // the path is empty: the value is undefined
	pathThrows    bool     // the path has no keys: get() throws
	op            operator
	expStr        string  // String(expected)
	expNum        float64 // Number(expected)
	lowSurrogate  uint16  // ends-with pattern starts with this lone low surrogate
}

// MatchResult reports whether the event, a parsed Segment event, satisfies
// the query, as Segment's validate(ast, event) does (an event for which
// validate throws does not match).
//
// The event is not validated: validate it once (rawjson.Valid) and test
// every query against the same parsed value; MatchResult does not
// allocate. A missing event or the JSON null never matches (validate
// throws on null); other non-object events have no fields. If an object
// has a key twice, the first value is used (JavaScript would use the
// last).
func (q *Query) MatchResult(event rawjson.Value) bool {
	if q == nil || q.root == nil || !event.Exists() || event.Kind == rawjson.Null {
		return false
	}
	e := evalCtx{res: event, object: event.IsObject()}
	ok, throws := e.eval(q.root)
	return ok && !throws
}

// Paths calls add with every path of the event the query can read (the
// value at its end is read whole), so that the shim can hand over only
// those parts of an event.
func (q *Query) Paths(add func(keys []string)) {
	if q == nil {
		return
	}
	var walk func(n *node)
	walk = func(n *node) {
		if n == nil {
			return
		}
		for _, c := range n.children {
			walk(c)
		}
		if n.kind == kindCond && n.field != fieldNone {
			add(append([]string{n.field.key()}, n.path...))
		}
	}
	walk(q.root)
}

// evalCtx evaluates one query against one event, reading each top-level
// field at most once.
type evalCtx struct {
	res     rawjson.Value
	object  bool
	fetched [numFields]bool
	fields  [numFields]rawjson.Value
}

func (e *evalCtx) top(f field) rawjson.Value {
	if !e.object {
		return rawjson.Value{}
	}
	if !e.fetched[f] {
		e.fields[f] = e.res.Get(f.key())
		e.fetched[f] = true
	}
	return e.fields[f]
}

// eval evaluates n. The second result reports that validate would throw a
// TypeError here, which fails the whole match.
func (e *evalCtx) eval(n *node) (ok, throws bool) {
	if n == nil || n.kind == kindUndefined {
		return false, true
	}
	if n.kind == kindGroup {
		for _, c := range n.children {
			ok, throws := e.eval(c)
			if throws {
				return false, true
			}
			if ok == n.or {
				return ok, false // some() found true, or every() found false
			}
		}
		return !n.or, false
	}
	var v jsValue
	switch {
	case !n.field.isObject():
		v = fromResult(e.top(n.field))
	case n.pathThrows:
		return false, true
	case n.pathUndefined:
		// v stays undefined
	default:
		v = fromResult(e.top(n.field))
		for _, k := range n.path {
			if v.falsy() {
				break // get() passes falsy values through: a=0 makes a.b 0
			}
			v = v.child(k)
		}
	}
	return n.test(v), false
}

// test is validate's validateValue for the value v.
func (n *node) test(v jsValue) bool {
	switch n.op {
	case opEquals:
		return v.kind == jsString && v.str == n.expStr
	case opNotEquals:
		return !(v.kind == jsString && v.str == n.expStr)
	case opNumberEquals:
		return v.kind == jsNumber && v.num == n.expNum
	case opNumberNotEquals:
		return v.kind == jsNumber && v.num != n.expNum
	case opLess:
		return v.kind == jsNumber && v.num < n.expNum
	case opLessOrEqual:
		return v.kind == jsNumber && v.num <= n.expNum
	case opGreater:
		return v.kind == jsNumber && v.num > n.expNum
	case opGreaterOrEqual:
		return v.kind == jsNumber && v.num >= n.expNum
	case opContains:
		return v.kind == jsString && strings.Contains(v.str, n.expStr)
	case opNotContains:
		return v.kind == jsString && !strings.Contains(v.str, n.expStr)
	case opStartsWith:
		return v.kind == jsString && strings.HasPrefix(v.str, n.expStr)
	case opNotStartsWith:
		return v.kind == jsString && !strings.HasPrefix(v.str, n.expStr)
	case opEndsWith:
		return v.kind == jsString && n.endsWith(v.str)
	case opNotEndsWith:
		return v.kind == jsString && !n.endsWith(v.str)
	case opExists:
		return v.kind != jsUndefined && v.kind != jsNull
	case opNotExists:
		return v.kind == jsUndefined || v.kind == jsNull
	case opIsTrue:
		return v.kind == jsBoolean && v.b
	case opIsFalse:
		return v.kind == jsBoolean && !v.b
	}
	return false
}

// endsWith is JavaScript's s.endsWith(expected), where expected may start
// with a lone low surrogate (left by match() dropping the first code unit
// of a character outside the Basic Multilingual Plane).
func (n *node) endsWith(s string) bool {
	if !strings.HasSuffix(s, n.expStr) {
		return false
	}
	if n.lowSurrogate == 0 {
		return true
	}
	pre := s[:len(s)-len(n.expStr)]
	if u, ok := lastSurrogate(pre); ok {
		return u == n.lowSurrogate
	}
	r, _ := utf8.DecodeLastRuneInString(pre)
	return r > 0xFFFF && 0xDC00+uint16((r-0x10000)&0x3FF) == n.lowSurrogate
}

// jsKind is the JavaScript type of a value read from the event.
type jsKind uint8

const (
	jsUndefined jsKind = iota
	jsNull
	jsBoolean
	jsNumber
	jsString
	jsObject
	jsArray
	jsBuiltin // a function or prototype object inherited from a built-in prototype
)

// jsValue is a value read from the event, with JavaScript semantics.
type jsValue struct {
	kind jsKind
	b    bool
	num  float64
	str  string // strings may hold a lone surrogate, encoded as in WTF-8
	raw  rawjson.Value
}

func fromResult(r rawjson.Value) jsValue {
	switch r.Kind {
	case rawjson.Null:
		if r.Exists() {
			return jsValue{kind: jsNull}
		}
	case rawjson.False:
		return jsValue{kind: jsBoolean}
	case rawjson.True:
		return jsValue{kind: jsBoolean, b: true}
	case rawjson.Number:
		return jsValue{kind: jsNumber, num: r.Num}
	case rawjson.String:
		return jsValue{kind: jsString, str: r.Str}
	case rawjson.Object:
		return jsValue{kind: jsObject, raw: r}
	case rawjson.Array:
		return jsValue{kind: jsArray, raw: r}
	}
	return jsValue{}
}

// falsy reports whether v is falsy in JavaScript.
func (v jsValue) falsy() bool {
	switch v.kind {
	case jsUndefined, jsNull:
		return true
	case jsBoolean:
		return !v.b
	case jsNumber:
		return v.num == 0 || v.num != v.num
	case jsString:
		return v.str == ""
	}
	return false
}

// child is v[key] for a truthy v.
func (v jsValue) child(key string) jsValue {
	switch v.kind {
	case jsObject:
		var found rawjson.Value
		v.raw.ForEach(func(k, val rawjson.Value) bool {
			if k.Str == key {
				found = val
				return false
			}
			return true
		})
		if found.Exists() {
			return fromResult(found)
		}
	case jsArray:
		if key == "length" {
			n := 0
			v.raw.ForEach(func(_, _ rawjson.Value) bool { n++; return true })
			return jsValue{kind: jsNumber, num: float64(n)}
		}
		if idx, ok := jsnum.ArrayIndex(key); ok {
			var found rawjson.Value
			i := 0
			v.raw.ForEach(func(_, val rawjson.Value) bool {
				if i == int(idx) {
					found = val
					return false
				}
				i++
				return true
			})
			return fromResult(found)
		}
		if arrayProto[key] {
			return jsValue{kind: jsBuiltin}
		}
	case jsString:
		if key == "length" {
			return jsValue{kind: jsNumber, num: float64(utf16Count(v.str))}
		}
		if idx, ok := jsnum.ArrayIndex(key); ok {
			if s, ok := codeUnitAt(v.str, int(idx)); ok {
				return jsValue{kind: jsString, str: s}
			}
			return jsValue{}
		}
		if stringProto[key] {
			return jsValue{kind: jsBuiltin}
		}
	case jsNumber:
		if numberProto[key] {
			return jsValue{kind: jsBuiltin}
		}
	case jsBoolean:
		if booleanProto[key] {
			return jsValue{kind: jsBuiltin}
		}
	case jsBuiltin:
		// Members of built-in functions and prototypes are not modelled.
		return jsValue{}
	}
	if objectProto[key] {
		return jsValue{kind: jsBuiltin}
	}
	return jsValue{}
}

// nextUnit decodes the character at s[i]: its size in bytes, its length in
// UTF-16 code units and its code point (a lone surrogate encoded as in
// WTF-8 decodes to the surrogate).
func nextUnit(s string, i int) (size, units int, r rune) {
	if u, ok := surrogateAt(s, i); ok {
		return 3, 1, rune(u)
	}
	r, size = utf8.DecodeRuneInString(s[i:])
	return size, utf16Len(r), r
}

func surrogateAt(s string, i int) (uint16, bool) {
	if i+2 < len(s) && s[i] == 0xED && s[i+1] >= 0xA0 && s[i+1] <= 0xBF && s[i+2] >= 0x80 && s[i+2] <= 0xBF {
		return 0xD000 | uint16(s[i+1]&0x3F)<<6 | uint16(s[i+2]&0x3F), true
	}
	return 0, false
}

func lastSurrogate(s string) (uint16, bool) {
	if len(s) < 3 {
		return 0, false
	}
	return surrogateAt(s, len(s)-3)
}

// utf16Count is JavaScript's s.length.
func utf16Count(s string) int {
	n := 0
	for i := 0; i < len(s); {
		size, units, _ := nextUnit(s, i)
		i += size
		n += units
	}
	return n
}

// codeUnitAt is JavaScript's s[idx]: one UTF-16 code unit as a string.
func codeUnitAt(s string, idx int) (string, bool) {
	for i, u := 0, 0; i < len(s); {
		size, units, r := nextUnit(s, i)
		if idx < u+units {
			if units == 1 {
				return s[i : i+size], true
			}
			hi := 0xD800 + uint16((r-0x10000)>>10)
			lo := 0xDC00 + uint16((r-0x10000)&0x3FF)
			if idx == u {
				return wtf8(hi), true
			}
			return wtf8(lo), true
		}
		i += size
		u += units
	}
	return "", false
}

func wtf8(u uint16) string {
	return string([]byte{0xE0 | byte(u>>12), 0x80 | byte(u>>6)&0x3F, 0x80 | byte(u)&0x3F})
}

func set(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// Members of the built-in prototypes (Node.js 20), reachable through a path
// such as properties.price.toFixed; the values are functions.
var (
	objectProto = set("constructor", "__defineGetter__", "__defineSetter__", "hasOwnProperty",
		"__lookupGetter__", "__lookupSetter__", "isPrototypeOf", "propertyIsEnumerable",
		"toString", "valueOf", "__proto__", "toLocaleString")
	arrayProto = set("constructor", "at", "concat", "copyWithin", "fill", "find", "findIndex",
		"findLast", "findLastIndex", "lastIndexOf", "pop", "push", "reverse", "shift", "unshift",
		"slice", "sort", "splice", "includes", "indexOf", "join", "keys", "entries", "values",
		"forEach", "filter", "flat", "flatMap", "map", "every", "some", "reduce", "reduceRight",
		"toLocaleString", "toString", "toReversed", "toSorted", "toSpliced", "with")
	stringProto = set("constructor", "anchor", "at", "big", "blink", "bold", "charAt",
		"charCodeAt", "codePointAt", "concat", "endsWith", "fontcolor", "fontsize", "fixed",
		"includes", "indexOf", "isWellFormed", "italics", "lastIndexOf", "link", "localeCompare",
		"match", "matchAll", "normalize", "padEnd", "padStart", "repeat", "replace", "replaceAll",
		"search", "slice", "small", "split", "strike", "sub", "substr", "substring", "sup",
		"startsWith", "toString", "toWellFormed", "trim", "trimStart", "trimLeft", "trimEnd",
		"trimRight", "toLocaleLowerCase", "toLocaleUpperCase", "toLowerCase", "toUpperCase",
		"valueOf")
	numberProto  = set("constructor", "toExponential", "toFixed", "toPrecision", "toString", "valueOf", "toLocaleString")
	booleanProto = set("constructor", "toString", "valueOf")
)
