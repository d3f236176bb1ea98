package mapping

import (
	"strconv"
	"strings"

	"rupt-actions-wasm/action/internal/jsnum"
)

// This file is actions-core's get(obj, path): the "JSONPath" of @path,
// @arrayPath and @template. It is not real JSONPath: "$." is removed once
// (by the directives), the rest is split on ".", on "[" before a quote or
// digit, and on "]"s after one; quotes are dropped; empty segments are
// skipped. Each step is `prev && prev[key]`, so a falsy value (0, "",
// false, null) is returned as is by any further step.

// stripDollarDot removes the first "$." anywhere in the path
// (String.prototype.replace with a string pattern).
func stripDollarDot(p string) string {
	if i := strings.Index(p, "$."); i >= 0 {
		return p[:i] + p[i+2:]
	}
	return p
}

func isQuoteOrDigit(c byte) bool {
	return c == '"' || c == '\'' || (c >= '0' && c <= '9')
}

// splitPath splits a path into property keys.
func splitPath(path string, keys []string) []string {
	start := 0
	for i := 0; i <= len(path); {
		// end is where a segment that started at start ends, or -1.
		end, next := -1, i+1
		switch {
		case i == len(path):
			end = i
		case path[i] == '[' && i+1 < len(path) && isQuoteOrDigit(path[i+1]), path[i] == '.':
			end = i
		case path[i] == ']' && i > 0 && isQuoteOrDigit(path[i-1]):
			end = i
			for next = i; next < len(path) && path[next] == ']'; next++ {
			}
		}
		if end >= 0 {
			keys = appendSegment(keys, path[start:end])
			start = next
		}
		i = next
	}
	return keys
}

// appendSegment appends a path segment, without its quotes, unless it is
// empty.
func appendSegment(keys []string, seg string) []string {
	if seg == "" {
		return keys
	}
	if strings.ContainsAny(seg, `'"`) {
		b := make([]byte, 0, len(seg))
		for j := 0; j < len(seg); j++ {
			if seg[j] != '\'' && seg[j] != '"' {
				b = append(b, seg[j])
			}
		}
		seg = string(b)
	}
	return append(keys, seg)
}

// getPath evaluates a path against a value.
func getPath(v value, path string) (value, error) {
	if path == "" || path == "." {
		return v, nil
	}
	var buf [8]string
	return walkKeys(v, splitPath(path, buf[:0]), 0)
}

// walkKeys reads the keys of a split path from v, one step at a time.
// Bit i of plain says that keys[i] is a plain key (isPlainKey).
func walkKeys(v value, keys []string, plain uint64) (value, error) {
	for i, key := range keys {
		if !v.truthy() {
			return v, nil
		}
		if i < 64 && plain&(1<<i) != 0 {
			// What property gives for a plain key, without its checks.
			if v.k == kObj {
				v, _ = v.c.get(key)
			} else {
				v = undef
			}
			continue
		}
		var err error
		if v, err = property(v, key); err != nil {
			return undef, err
		}
	}
	return v, nil
}

// isPlainKey reports whether property(v, key) is v's own member key, or
// undefined, whatever v is: key is no array index, not "length" and no
// built-in a path step could reach. Most keys of real paths are plain
// ("userId", "traits", "email"), and knowing it at Compile spares each
// event the lookups in the lists of built-ins when the data lacks a key.
func isPlainKey(key string) bool {
	_, index := jsnum.ArrayIndex(key)
	return !index && key != "length" && !protoName(objectProtoNames+arrayProtoNames+stringProtoNames+numberProtoNames, key)
}

// splitKeys is a literal @path or @arrayPath path ("$.a.b" as written in
// the mapping) split into its keys, or whole when the path reads the value
// itself; bit i of plain is set when keys[i] is plain (isPlainKey).
type splitKeys struct {
	keys  []string
	plain uint64
	whole bool
}

// read is getPath(v, path) for the path that was split.
func (p *splitKeys) read(v value) (value, error) {
	if p.whole {
		return v, nil
	}
	return walkKeys(v, p.keys, p.plain)
}

// property is v[key] for a truthy v. Keys that JavaScript would find on
// a prototype (a method such as "toString", or "constructor") are
// refused: the oracle returns JavaScript functions there, which JSON
// cannot carry.
func property(v value, key string) (value, error) {
	switch v.k {
	case kObj:
		if e, ok := v.c.get(key); ok {
			return e, nil
		}
	case kArr:
		if n, ok := jsnum.ArrayIndex(key); ok {
			if int(n) < len(v.c.vals) {
				return v.c.vals[n], nil
			}
			return undef, nil
		}
		if key == "length" {
			return num(float64(len(v.c.vals))), nil
		}
		if protoName(arrayProtoNames, key) {
			return undef, protoError(v, key)
		}
	case kStr:
		if n, ok := jsnum.ArrayIndex(key); ok {
			if u, ok := codeUnitAt(v.s, int(n)); ok {
				return str(u), nil
			}
			return undef, nil
		}
		if key == "length" {
			return num(float64(utf16Len(v.s))), nil
		}
		if protoName(stringProtoNames, key) {
			return undef, protoError(v, key)
		}
	case kNum:
		if protoName(numberProtoNames, key) {
			return undef, protoError(v, key)
		}
	case kBool:
		if key == "constructor" || key == "toString" || key == "valueOf" {
			return undef, protoError(v, key)
		}
	}
	if protoName(objectProtoNames, key) {
		return undef, protoError(v, key)
	}
	return undef, nil
}

func protoError(v value, key string) error {
	return unsupported("the path step " + strconv.Quote(key) + " reaches a JavaScript built-in of " + article(v.typeName()) +
		", not event data (Segment would return a function or a prototype here); use a key the event has")
}

// The built-in methods and properties a path step could reach, by the
// type of the value stepped on, each name between spaces. A lookup scans
// a string instead of switching over a hundred names: path steps reach
// these only when the data lacks the key, and the switch cost kilobytes
// of download.
const (
	objectProtoNames = " __defineGetter__ __defineSetter__ __lookupGetter__ __lookupSetter__ __proto__ constructor hasOwnProperty isPrototypeOf propertyIsEnumerable toLocaleString toString valueOf "
	arrayProtoNames  = " at concat copyWithin entries every fill filter find findIndex findLast findLastIndex flat flatMap forEach includes indexOf join keys lastIndexOf map pop push reduce reduceRight reverse shift slice some sort splice toReversed toSorted toSpliced unshift values with "
	stringProtoNames = " anchor at big blink bold charAt charCodeAt codePointAt concat endsWith fixed fontcolor fontsize includes indexOf isWellFormed italics lastIndexOf link localeCompare match matchAll normalize padEnd padStart repeat replace replaceAll search slice small split startsWith strike sub substr substring sup toLocaleLowerCase toLocaleUpperCase toLowerCase toUpperCase toWellFormed trim trimEnd trimLeft trimRight trimStart "
	numberProtoNames = " toExponential toFixed toPrecision "
)

// protoName reports whether key is one of names, without allocating (a
// path step runs it whenever the data lacks a key).
func protoName(names, key string) bool {
	if key == "" || strings.IndexByte(key, ' ') >= 0 {
		return false
	}
	for i := 0; ; {
		j := strings.Index(names[i:], key)
		if j < 0 {
			return false
		}
		if i += j; names[i-1] == ' ' && names[i+len(key)] == ' ' {
			return true
		}
		i++
	}
}
