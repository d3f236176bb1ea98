// Package rawjson is a small, read-only JSON reader that works on the raw
// text: it validates a JSON text, finds members of objects by key and walks
// objects and arrays, handing back values that point into the input instead
// of building a tree.
//
// It exists to replace github.com/tidwall/gjson in the WebAssembly build.
// gjson registers its stock path modifiers in an init-time map, which keeps
// encoding/json, reflect and fmt (about 600 KB of wasm code) alive in every
// binary, while the actions only use a small subset of it: Valid, Parse,
// Get with plain dotted keys, and ForEach. This package provides that subset
// and imports nothing but strconv and unicode/utf8.
//
// Valid is strict (RFC 8259). Parse, Get, ForEach and Len assume their input
// has passed Valid; on other input they never panic and always terminate,
// but what they return is unspecified (usually Undefined).
//
// Values keep their raw text: Raw of every value, and Str of a string
// without escape sequences, are substrings of the input, so reading a value
// does not allocate unless a string has to be unescaped.
package rawjson

import (
	"strconv"
	"unicode/utf8"

	"rupt-actions-wasm/action/internal/swar"
)

// Kind is the JSON kind of a Value.
type Kind uint8

// The kinds of Value. The zero Kind is Undefined.
const (
	Undefined Kind = iota // no value: a missing key, index, or invalid input
	Null                  // null
	False                 // false
	True                  // true
	Number                // a number
	String                // a string
	Object                // an object
	Array                 // an array
)

var kindNames = [...]string{"undefined", "null", "false", "true", "number", "string", "object", "array"}

// String returns the lower-case name of k ("undefined", "null", "false",
// "true", "number", "string", "object", "array"), or "kind(N)" for a value
// that is none of the constants.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Value is one JSON value inside a larger JSON text; it keeps the raw text.
// The zero Value is Undefined.
type Value struct {
	_    [0]func() // not comparable: no equality function in the download
	Kind Kind
	Raw  string  // the exact JSON text of the value ("" when Undefined)
	Str  string  // for String: the decoded string
	Num  float64 // for Number: strconv.ParseFloat(Raw, 64); ±Inf when out of range like JS
}

// Exists reports whether v is a value (its Kind is not Undefined).
func (v Value) Exists() bool { return v.Kind != Undefined }

// IsObject reports whether v is a JSON object.
func (v Value) IsObject() bool { return v.Kind == Object }

// IsArray reports whether v is a JSON array.
func (v Value) IsArray() bool { return v.Kind == Array }

// strPlain[c] is true for the bytes that may appear in a JSON string as they
// are and need no attention: not '"', not '\\' and not a control character.
// Bytes >= 0x80 are accepted whether or not they form valid UTF-8.
var strPlain = func() (t [256]bool) {
	for c := 0x20; c < 256; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// strSkip[c] is true for the bytes a scan of a string that is assumed
// valid can step over: all but '"' and '\\'.
var strSkip = func() (t [256]bool) {
	for c := range t {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// inert[c] is true for the bytes a scan for the end of an object or array
// can step over: all but quotes and brackets.
var inert = func() (t [256]bool) {
	for c := range t {
		switch c {
		case '"', '{', '[', '}', ']':
		default:
			t[c] = true
		}
	}
	return t
}()

// Strings are scanned eight bytes at a time where possible (package swar),
// which is several times faster than a byte loop, notably in WebAssembly.

// plainEnd returns the index of the first '"' or '\\' in s[i:], or len(s).
func plainEnd(s string, i int) int {
	for len(s)-i >= 8 {
		x := swar.Load8(s, i)
		if swar.Has(x, '"')|swar.Has(x, '\\') != 0 {
			break
		}
		i += 8
	}
	for i < len(s) && strSkip[s[i]] {
		i++
	}
	return i
}

func skipWS(s string, i int) int {
	for i < len(s) {
		switch s[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

func isDigit(c byte) bool { return c-'0' < 10 }

// Valid reports whether s is one strict RFC 8259 JSON text: a single value
// with optional whitespace (space, tab, line feed, carriage return) around
// it and nothing else. Strings may not contain raw control characters
// (< 0x20) and only the escapes \" \\ \/ \b \f \n \r \t and \uXXXX; numbers
// must match -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?.
//
// Like gjson.Valid (and encoding/json.Valid), Valid does not check that
// strings are valid UTF-8: bytes >= 0x80 are accepted as they are, and
// Str hands them back unchanged.
//
// Valid does not recurse: nesting depth is only limited by memory (one bit
// per open container), so deeply nested input cannot overflow the stack.
func Valid(s string) bool {
	ok, _ := valid(s, -1)
	return ok
}

// ValidLimit is Valid for input that may not nest containers more than
// maxDepth deep (an empty [] or {} counts as a level): it reports false,
// with tooDeep true, as soon as the scan opens a container deeper than
// that, before reading further.
func ValidLimit(s string, maxDepth int) (ok, tooDeep bool) {
	return valid(s, maxDepth)
}

// valid is Valid, with a depth limit when maxDepth >= 0.
func valid(s string, maxDepth int) (ok, tooDeep bool) {
	// open has one bit per open container: 1 for an object, 0 for an array.
	// The first 256 levels need no allocation.
	var small [4]uint64
	open := small[:]
	depth := 0
	i := skipWS(s, 0)
	for {
		// A value starts at i.
		if i >= len(s) {
			return false, false
		}
		switch c := s[i]; c {
		case '{', '[':
			if depth == maxDepth { // an empty container counts as a level too
				return false, true
			}
			j := skipWS(s, i+1)
			if j < len(s) && s[j] == c+2 { // '}' == '{'+2, ']' == '['+2
				i = j + 1 // empty: a complete value, nothing to remember
				break
			}
			w, bit := depth>>6, uint64(1)<<(depth&63)
			if w == len(open) {
				open = append(open, 0)
			}
			if c == '{' {
				open[w] |= bit
				if j = validKey(s, j); j < 0 {
					return false, false
				}
			} else {
				open[w] &^= bit
			}
			depth++
			i = j
			continue
		case '"':
			if i = validString(s, i+1); i < 0 {
				return false, false
			}
		case 't':
			if !hasLit(s, i, "true") {
				return false, false
			}
			i += 4
		case 'f':
			if !hasLit(s, i, "false") {
				return false, false
			}
			i += 5
		case 'n':
			if !hasLit(s, i, "null") {
				return false, false
			}
			i += 4
		default:
			if i = validNumber(s, i); i < 0 {
				return false, false
			}
		}
		// A value ends at i: close containers until a ',' asks for the
		// next value.
	after:
		for {
			i = skipWS(s, i)
			if depth == 0 {
				return i == len(s), false
			}
			if i >= len(s) {
				return false, false
			}
			d := depth - 1
			obj := open[d>>6]>>(d&63)&1 != 0
			switch s[i] {
			case ',':
				i = skipWS(s, i+1)
				if obj {
					if i = validKey(s, i); i < 0 {
						return false, false
					}
				}
				break after
			case '}':
				if !obj {
					return false, false
				}
			case ']':
				if obj {
					return false, false
				}
			default:
				return false, false
			}
			i++
			depth--
		}
	}
}

func hasLit(s string, i int, lit string) bool {
	return len(s)-i >= len(lit) && s[i:i+len(lit)] == lit
}

// validKey checks `"key" :` followed by optional whitespace at s[i:] and
// returns the index after it, or -1.
func validKey(s string, i int) int {
	if i >= len(s) || s[i] != '"' {
		return -1
	}
	if i = validString(s, i+1); i < 0 {
		return -1
	}
	i = skipWS(s, i)
	if i >= len(s) || s[i] != ':' {
		return -1
	}
	return skipWS(s, i+1)
}

// validString checks the rest of a string whose opening quote is just
// before s[i] and returns the index after the closing quote, or -1.
func validString(s string, i int) int {
	for {
		for len(s)-i >= 8 {
			// Stop at a word holding '"', '\\' or a byte < 0x20.
			x := swar.Load8(s, i)
			if swar.Has(x, '"')|swar.Has(x, '\\')|swar.HasLess(x, 0x20) != 0 {
				break
			}
			i += 8
		}
		for i < len(s) && strPlain[s[i]] {
			i++
		}
		if i >= len(s) {
			return -1
		}
		switch s[i] {
		case '"':
			return i + 1
		case '\\':
			if i+1 >= len(s) {
				return -1
			}
			switch s[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if _, ok := hex4(s, i+2); !ok {
					return -1
				}
				i += 6
			default:
				return -1
			}
		default: // a control character
			return -1
		}
	}
}

// validNumber checks the number starting at s[i] and returns the index
// after it, or -1. Whatever follows is the caller's business.
func validNumber(s string, i int) int {
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i >= len(s):
		return -1
	case s[i] == '0':
		i++
	case isDigit(s[i]):
		for i++; i < len(s) && isDigit(s[i]); i++ {
		}
	default:
		return -1
	}
	if i < len(s) && s[i] == '.' {
		i++
		if i >= len(s) || !isDigit(s[i]) {
			return -1
		}
		for i++; i < len(s) && isDigit(s[i]); i++ {
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if i >= len(s) || !isDigit(s[i]) {
			return -1
		}
		for i++; i < len(s) && isDigit(s[i]); i++ {
		}
	}
	return i
}

// hex4 decodes the four hex digits at s[i:i+4].
func hex4(s string, i int) (rune, bool) {
	if i < 0 || len(s)-i < 4 {
		return 0, false
	}
	var r rune
	for _, c := range []byte(s[i : i+4]) {
		switch {
		case c-'0' < 10:
			c -= '0'
		case c-'a' < 6:
			c -= 'a' - 10
		case c-'A' < 6:
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// Parse returns the value of the JSON text s, which it assumes to be valid
// (call Valid first). Leading whitespace is skipped; trailing whitespace is
// not part of Raw. Parse returns Undefined if s is empty or only whitespace.
//
// Parse does not scan an object or array: Raw is the rest of s without
// trailing whitespace, which is the exact value when s is valid.
func Parse(s string) Value {
	i := skipWS(s, 0)
	if i >= len(s) {
		return Value{}
	}
	if c := s[i]; c == '{' || c == '[' {
		end := len(s)
		for end > i+1 {
			switch s[end-1] {
			case ' ', '\t', '\n', '\r':
				end--
				continue
			}
			break
		}
		k := Object
		if c == '[' {
			k = Array
		}
		return Value{Kind: k, Raw: s[i:end]}
	}
	v, _ := valueAt(s, i)
	return v
}

// numChar[c] is true for the bytes of a JSON number; scalar[c] for those of
// a number or a literal (true, false, null).
var numChar, scalar = func() (num, sc [256]bool) {
	for _, c := range []byte("0123456789+-.eE") {
		num[c], sc[c] = true, true
	}
	for c := 'a'; c <= 'z'; c++ {
		sc[c] = true
	}
	return num, sc
}()

// valueAt returns the value starting at s[i] and the index after it. It
// returns Undefined and i when no value starts there.
func valueAt(s string, i int) (Value, int) {
	if i < 0 || i >= len(s) {
		return Value{}, i
	}
	switch c := s[i]; c {
	case '{', '[':
		end := skipContainer(s, i+1)
		k := Object
		if c == '[' {
			k = Array
		}
		return Value{Kind: k, Raw: s[i:end]}, end
	case '"':
		end, esc := scanString(s, i+1)
		if end < 0 {
			return Value{}, i
		}
		str := s[i+1 : end-1]
		if esc {
			str = unescape(str)
		}
		return Value{Kind: String, Raw: s[i:end], Str: str}, end
	case 't':
		if hasLit(s, i, "true") {
			return Value{Kind: True, Raw: s[i : i+4]}, i + 4
		}
	case 'f':
		if hasLit(s, i, "false") {
			return Value{Kind: False, Raw: s[i : i+5]}, i + 5
		}
	case 'n':
		if hasLit(s, i, "null") {
			return Value{Kind: Null, Raw: s[i : i+4]}, i + 4
		}
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		j := i + 1
		for j < len(s) && numChar[s[j]] {
			j++
		}
		raw := s[i:j]
		// On valid JSON the only possible error is ErrRange, where
		// ParseFloat returns ±Inf (or 0 for underflow), as JavaScript does.
		f, _ := strconv.ParseFloat(raw, 64)
		return Value{Kind: Number, Raw: raw, Num: f}, j
	}
	return Value{}, i
}

// scanString finds the end of a string whose opening quote is just before
// s[i]: it returns the index after the closing quote (or -1 when there is
// none) and whether the string contains a backslash.
func scanString(s string, i int) (end int, esc bool) {
	for {
		// Most strings are short: a byte loop for the first 16 bytes,
		// then words (calls are dear in WebAssembly).
		lim := min(len(s), i+16)
		for i < lim && strSkip[s[i]] {
			i++
		}
		if i == lim {
			i = plainEnd(s, i)
		}
		if i >= len(s) {
			return -1, esc
		}
		if s[i] == '"' {
			return i + 1, esc
		}
		esc = true
		i += 2
	}
}

// scanKey is scanString for short strings such as keys: a byte loop small
// enough to be inlined, which saves a call per member.
func scanKey(s string, i int) (end int, esc bool) {
	for {
		for i < len(s) && strSkip[s[i]] {
			i++
		}
		if i >= len(s) {
			return -1, esc
		}
		if s[i] == '"' {
			return i + 1, esc
		}
		esc = true
		i += 2
	}
}

// skipContainer returns the index after the '}' or ']' that closes the
// object or array whose opening bracket is just before s[i], or len(s) when
// it is not closed. It counts brackets without checking that they match.
func skipContainer(s string, i int) int {
	depth := 1
	for {
		for i < len(s) && inert[s[i]] {
			i++
		}
		if i >= len(s) {
			return len(s)
		}
		c := s[i]
		i++
		switch c {
		case '"':
			for { // as in scanString
				lim := min(len(s), i+16)
				for i < lim && strSkip[s[i]] {
					i++
				}
				if i == lim {
					i = plainEnd(s, i)
				}
				if i >= len(s) || s[i] == '"' {
					break
				}
				i += 2
			}
			i++
		case '{', '[':
			depth++
		case '}', ']':
			if depth--; depth == 0 {
				return i
			}
		}
	}
}

// skipValue returns the index after the value starting at s[i], or -1 when
// no value starts there.
func skipValue(s string, i int) int {
	if i >= len(s) {
		return -1
	}
	switch s[i] {
	case '{', '[':
		return skipContainer(s, i+1)
	case '"':
		end, _ := scanString(s, i+1)
		return end
	}
	j := i
	for j < len(s) && scalar[s[j]] {
		j++
	}
	if j == i {
		return -1
	}
	return j
}

// Get returns the value at path below v. The path is one or more keys
// separated by '.'; each key is taken literally (no wildcards, escapes or
// array indexes), so a key containing '.' cannot be reached, "" is the
// empty key and "a..b" has an empty key in the middle. For each key, if the
// current value is an object, Get moves to the first member with that key
// (JavaScript's JSON.parse would keep the last one; gjson, whose behaviour
// the callers were written against, takes the first); otherwise the result
// is Undefined. Keys are compared after unescaping.
//
// With duplicate keys, Get only looks under the first member: for
// {"a":{},"a":{"b":1}}, Get("a.b") is Undefined, whereas gjson.Get would go
// on to the second "a" and find 1.
//
// Only the value at the end of the path is delimited exactly, so Get reads
// as little of the intermediate objects as it can.
func (v Value) Get(path string) Value {
	if v.Kind != Object {
		return Value{}
	}
	s, i := v.Raw, 0
	for {
		// s[i] is the '{' of the current object.
		seg := len(path)
		for j := 0; j < len(path); j++ {
			if path[j] == '.' {
				seg = j
				break
			}
		}
		key := path[:seg]
		i = skipWS(s, i+1)
		for {
			if i >= len(s) || s[i] != '"' {
				return Value{}
			}
			end, esc := scanKey(s, i+1)
			if end < 0 {
				return Value{}
			}
			k := s[i+1 : end-1]
			if i = skipWS(s, end); i >= len(s) || s[i] != ':' {
				return Value{}
			}
			i = skipWS(s, i+1)
			if k == key || esc && unescapedEquals(k, key) {
				break
			}
			switch {
			case i >= len(s):
				return Value{}
			case s[i] == '"':
				if i, _ = scanString(s, i+1); i < 0 {
					return Value{}
				}
			case s[i] == '{' || s[i] == '[':
				i = skipContainer(s, i+1)
			default:
				j := i
				for j < len(s) && scalar[s[j]] {
					j++
				}
				if j == i {
					return Value{}
				}
				i = j
			}
			if i = skipWS(s, i); i >= len(s) || s[i] != ',' {
				return Value{}
			}
			i = skipWS(s, i+1)
		}
		if seg == len(path) {
			r, _ := valueAt(s, i)
			return r
		}
		if i >= len(s) || s[i] != '{' {
			return Value{}
		}
		path = path[seg+1:]
	}
}

// ForEach calls fn for each member of an object, in order, with the key as
// a String value (key.Str is the decoded key, key.Raw the quoted text), or
// for each element of an array with an Undefined key. It stops when fn
// returns false. It does nothing for other kinds.
func (v Value) ForEach(fn func(key, val Value) bool) {
	if v.Kind != Object && v.Kind != Array {
		return
	}
	s := v.Raw
	i := skipWS(s, 1)
	for i < len(s) {
		var key Value
		if v.Kind == Object {
			if s[i] != '"' {
				return
			}
			end, esc := scanKey(s, i+1)
			if end < 0 {
				return
			}
			key = Value{Kind: String, Raw: s[i:end], Str: s[i+1 : end-1]}
			if esc {
				key.Str = unescape(key.Str)
			}
			if i = skipWS(s, end); i >= len(s) || s[i] != ':' {
				return
			}
			i = skipWS(s, i+1)
		} else if s[i] == ']' {
			return
		}
		if i >= len(s) {
			return
		}
		// Strings and containers are the common cases: read them here,
		// which saves a call (calls are dear in WebAssembly).
		var val Value
		var end int
		switch s[i] {
		case '"':
			var esc bool
			if end, esc = scanString(s, i+1); end < 0 {
				return
			}
			val = Value{Kind: String, Raw: s[i:end], Str: s[i+1 : end-1]}
			if esc {
				val.Str = unescape(val.Str)
			}
		case '{':
			end = skipContainer(s, i+1)
			val = Value{Kind: Object, Raw: s[i:end]}
		case '[':
			end = skipContainer(s, i+1)
			val = Value{Kind: Array, Raw: s[i:end]}
		default:
			if val, end = valueAt(s, i); val.Kind == Undefined {
				return
			}
		}
		if !fn(key, val) {
			return
		}
		if i = skipWS(s, end); i >= len(s) || s[i] != ',' {
			return
		}
		i = skipWS(s, i+1)
	}
}

// Len returns the number of members of an object or elements of an array,
// and 0 for other kinds.
func (v Value) Len() int {
	if v.Kind != Object && v.Kind != Array {
		return 0
	}
	s := v.Raw
	n := 0
	i := skipWS(s, 1)
	for i < len(s) {
		if v.Kind == Object {
			if s[i] != '"' {
				return n
			}
			end, _ := scanKey(s, i+1)
			if end < 0 {
				return n
			}
			if i = skipWS(s, end); i >= len(s) || s[i] != ':' {
				return n
			}
			i = skipWS(s, i+1)
		} else if s[i] == ']' {
			return n
		}
		if i = skipValue(s, i); i < 0 {
			return n
		}
		n++
		if i = skipWS(s, i); i >= len(s) || s[i] != ',' {
			return n
		}
		i = skipWS(s, i+1)
	}
	return n
}

// unescape decodes the escape sequences in the contents of a JSON string
// (the text between the quotes).
func unescape(s string) string {
	// The decoded text is never longer than s.
	if len(s) <= 64 {
		var buf [64]byte
		return string(appendUnescaped(buf[:0], s))
	}
	return string(appendUnescaped(make([]byte, 0, len(s)), s))
}

// unescapedEquals reports whether the contents of a JSON string s decode to
// want, without allocating for short keys.
func unescapedEquals(s, want string) bool {
	if len(want) > len(s) {
		return false
	}
	if len(s) <= 128 {
		var buf [128]byte
		return string(appendUnescaped(buf[:0], s)) == want
	}
	return string(appendUnescaped(nil, s)) == want
}

// appendUnescaped appends the decoded contents of a JSON string s to dst,
// as JSON.parse would decode it, converted to UTF-8: a \uD8xx\uDCxx pair of
// escapes becomes one code point; a surrogate escape that is not part of a
// pair becomes U+FFFD (after a high surrogate that is not followed by a
// low one, the next escape is decoded on its own); other bytes, including
// invalid UTF-8, are copied as they are. A malformed escape (only in
// invalid input) is copied as it is.
func appendUnescaped(dst []byte, s string) []byte {
	for i := 0; i < len(s); {
		if s[i] != '\\' {
			j := i + 1
			for j < len(s) && s[j] != '\\' {
				j++
			}
			dst = append(dst, s[i:j]...)
			i = j
			continue
		}
		if i+1 >= len(s) {
			return append(dst, '\\')
		}
		c := s[i+1]
		switch c {
		case '"', '\\', '/':
		case 'b':
			c = '\b'
		case 'f':
			c = '\f'
		case 'n':
			c = '\n'
		case 'r':
			c = '\r'
		case 't':
			c = '\t'
		case 'u':
			r, ok := hex4(s, i+2)
			if !ok {
				dst = append(dst, '\\')
				i++
				continue
			}
			i += 6
			if r >= 0xD800 && r < 0xE000 {
				lo := rune(-1)
				if r < 0xDC00 && len(s)-i >= 6 && s[i] == '\\' && s[i+1] == 'u' {
					lo, _ = hex4(s, i+2)
				}
				if lo >= 0xDC00 && lo < 0xE000 {
					r = 0x10000 + (r-0xD800)<<10 + (lo - 0xDC00)
					i += 6
				} else {
					r = utf8.RuneError
				}
			}
			dst = utf8.AppendRune(dst, r)
			continue
		default:
			dst = append(dst, '\\')
			i++
			continue
		}
		dst = append(dst, c)
		i += 2
	}
	return dst
}
