package mapping

import (
	"rupt-actions-wasm/action/internal/jsnum"
	"rupt-actions-wasm/action/internal/stable"
)

// kind is the JavaScript type of a value.
type kind uint8

const (
	kUndef kind = iota // undefined: a missing value
	kNull
	kBool
	kNum
	kStr
	kArr
	kObj
)

// value is a JavaScript value as mapping-kit sees it: JSON data plus
// undefined. Strings are WTF-8: UTF-8 that may also hold lone UTF-16
// surrogates (from JSON escapes like "\ud800"), so that every JavaScript
// string has exactly one representation.
type value struct {
	_ [0]func() // not comparable: no equality function in the download
	k kind
	n float64    // number; 1 or 0 for booleans
	s string     // string
	c *container // array or object
}

// container holds the elements of an array (vals) or the properties of an
// object (keys and vals, in insertion order; see ordered for JS order).
type container struct {
	keys []string
	vals []value
	// index maps keys to positions once an object is large.
	index map[string]int
	// unsorted is set when an array-index key ("0", "17") was added: JS
	// lists those first, in ascending numeric order.
	unsorted bool
	// named and lastIndex track whether appending keeps JS order.
	named     bool
	lastIndex int64
	// path is set on a {"@path": "literal"} of a compiled mapping: the
	// path, split (splitLiteralPaths).
	path *splitKeys
}

var (
	undef    = value{}
	null     = value{k: kNull}
	vTrue    = value{k: kBool, n: 1}
	vFalse   = value{k: kBool}
	emptyStr = value{k: kStr}
)

func num(f float64) value  { return value{k: kNum, n: f} }
func str(s string) value   { return value{k: kStr, s: s} }
func boolean(b bool) value { return value{k: kBool, n: b2f(b)} }

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

//go:noinline
func newArr(vals []value) value { return value{k: kArr, c: &container{vals: vals}} }

//go:noinline
func newObj(capacity int) value {
	c := &container{}
	if capacity > 0 {
		c.keys = make([]string, 0, capacity)
		c.vals = make([]value, 0, capacity)
	}
	return value{k: kObj, c: c}
}

// truthy is JavaScript's ToBoolean.
//
// Not inlined: a call costs less download than a copy at each of its
// many call sites (bench/results/2026-12-05-liquid.md).
//
//go:noinline
func (v value) truthy() bool {
	switch v.k {
	case kBool:
		return v.n != 0
	case kNum:
		return v.n != 0 && v.n == v.n
	case kStr:
		return v.s != ""
	case kArr, kObj:
		return true
	}
	return false
}

func (v value) nullish() bool { return v.k == kUndef || v.k == kNull }

// typeName is Object.prototype.toString's tag, lower-cased (realTypeOf).
//
//go:noinline
func (v value) typeName() string {
	switch v.k {
	case kNull:
		return "null"
	case kBool:
		return "boolean"
	case kNum:
		return "number"
	case kStr:
		return "string"
	case kArr:
		return "array"
	case kObj:
		return "object"
	}
	return "undefined"
}

const indexThreshold = 12

func (c *container) find(key string) int {
	if c.index != nil {
		if i, ok := c.index[key]; ok {
			return i
		}
		return -1
	}
	if len(c.keys) > indexThreshold {
		c.rebuild()
		return c.find(key)
	}
	for i, k := range c.keys {
		if k == key {
			return i
		}
	}
	return -1
}

func (c *container) rebuild() {
	c.index = make(map[string]int, len(c.keys))
	for i, k := range c.keys {
		c.index[k] = i
	}
}

// get returns an own property and whether it exists.
//
//go:noinline
func (c *container) get(key string) (value, bool) {
	if i := c.find(key); i >= 0 {
		return c.vals[i], true
	}
	return undef, false
}

// set creates or overwrites an own data property (CreateDataProperty): an
// existing key keeps its place.
func (c *container) set(key string, v value) {
	if i := c.find(key); i >= 0 {
		c.vals[i] = v
		return
	}
	if n, ok := jsnum.ArrayIndex(key); ok {
		if c.named || int64(n) < c.lastIndex {
			c.unsorted = true
		}
		c.lastIndex = max(c.lastIndex, int64(n))
	} else {
		c.named = true
	}
	c.keys = append(c.keys, key)
	c.vals = append(c.vals, v)
	if c.index != nil {
		c.index[key] = len(c.keys) - 1
	}
}

// track sets the ordering state after keys were filled in directly.
func (c *container) track() {
	for _, k := range c.keys {
		if n, ok := jsnum.ArrayIndex(k); ok {
			if c.named || int64(n) < c.lastIndex {
				c.unsorted = true
			}
			c.lastIndex = max(c.lastIndex, int64(n))
		} else {
			c.named = true
		}
	}
}

// order puts the keys in JavaScript's own-property order: array indices
// ascending, then the other keys in insertion order.
func (c *container) order() {
	if !c.unsorted {
		return
	}
	c.unsorted = false
	var idx byIndex
	keys := make([]string, 0, len(c.keys))
	vals := make([]value, 0, len(c.vals))
	for i, k := range c.keys {
		if n, ok := jsnum.ArrayIndex(k); ok {
			idx = append(idx, indexEntry{n, k, c.vals[i]})
		}
	}
	stable.Sort(idx)
	for _, e := range idx {
		keys = append(keys, e.k)
		vals = append(vals, e.v)
	}
	for i, k := range c.keys {
		if _, ok := jsnum.ArrayIndex(k); !ok {
			keys = append(keys, k)
			vals = append(vals, c.vals[i])
		}
	}
	c.keys, c.vals = keys, vals
	if c.index != nil {
		c.rebuild()
	}
}

// indexEntry is a member whose key is an array index, n.
type indexEntry struct {
	n uint32
	k string
	v value
}

// byIndex sorts members by their array index.
type byIndex []indexEntry

func (s byIndex) Len() int           { return len(s) }
func (s byIndex) Less(i, j int) bool { return s[i].n < s[j].n }
func (s byIndex) Swap(i, j int)      { s[i], s[j] = s[j], s[i] }

// objKeys returns an object's keys in JS order (Object.keys).
func (v value) objKeys() []string {
	v.c.order()
	return v.c.keys
}

// toString is JavaScript's String(v) for data values.
func toString(v value) string {
	switch v.k {
	case kUndef:
		return "undefined"
	case kNull:
		return "null"
	case kBool:
		if v.n != 0 {
			return "true"
		}
		return "false"
	case kNum:
		return jsnum.String(v.n)
	case kStr:
		return v.s
	case kArr:
		return string(appendJoin(nil, v, ","))
	}
	if v.c == lqPromise.c {
		return "[object Promise]"
	}
	return "[object Object]"
}

// appendJoin is Array.prototype.join: null and undefined elements are empty.
func appendJoin(dst []byte, v value, sep string) []byte {
	for i, e := range v.c.vals {
		if i > 0 {
			dst = append(dst, sep...)
		}
		switch e.k {
		case kUndef, kNull:
		case kArr:
			dst = appendJoin(dst, e, ",")
		case kNum:
			dst = jsnum.Append(dst, e.n)
		default:
			dst = append(dst, toString(e)...)
		}
	}
	return dst
}

// looseEqualsEmpty is JavaScript's `v == ”` for a non-nullish v.
func looseEqualsEmpty(v value) bool {
	switch v.k {
	case kStr:
		return v.s == ""
	case kNum:
		return v.n == 0
	case kBool:
		return v.n == 0
	case kArr:
		return arrayJoinsEmpty(v)
	}
	return false
}

func arrayJoinsEmpty(v value) bool {
	if len(v.c.vals) > 1 {
		return false // a separator is printed
	}
	if len(v.c.vals) == 0 {
		return true
	}
	e := v.c.vals[0]
	switch e.k {
	case kUndef, kNull:
		return true
	case kStr:
		return e.s == ""
	case kArr:
		return arrayJoinsEmpty(e)
	}
	return false
}
