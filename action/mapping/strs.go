package mapping

import (
	"strings"
	"unicode/utf8"

	"rupt-actions-wasm/action/internal/jsnum"
)

// JavaScript strings are sequences of UTF-16 code units. We keep them as
// WTF-8: UTF-8, plus lone surrogates encoded like any other code point in
// three bytes (0xED 0xA0..0xBF 0x80..0xBF). A surrogate pair is always
// stored as the 4-byte UTF-8 form of its code point (see joinSurrogates).

// decodeWTF8 decodes the code point at s[i:]. Bad bytes decode as U+FFFD,
// one byte at a time (inputs are checked to be UTF-8 before parsing, so
// this only guards against internal misuse).
func decodeWTF8(s string, i int) (rune, int) {
	c := s[i]
	if c < utf8.RuneSelf {
		return rune(c), 1
	}
	if c == 0xED && i+2 < len(s) && s[i+1] >= 0xA0 && s[i+1] <= 0xBF && s[i+2]&0xC0 == 0x80 {
		return rune(c&0x0F)<<12 | rune(s[i+1]&0x3F)<<6 | rune(s[i+2]&0x3F), 3
	}
	r, n := utf8.DecodeRuneInString(s[i:])
	return r, n
}

//go:noinline
func isSurrogate(r rune) bool     { return r >= 0xD800 && r <= 0xDFFF }
func isHighSurrogate(r rune) bool { return r >= 0xD800 && r <= 0xDBFF }
func isLowSurrogate(r rune) bool  { return r >= 0xDC00 && r <= 0xDFFF }

// appendWTF8 appends a code point, including lone surrogates.
func appendWTF8(dst []byte, r rune) []byte {
	if isSurrogate(r) {
		return append(dst, 0xED, byte(0x80|(r>>6)&0x3F), byte(0x80|r&0x3F))
	}
	return utf8.AppendRune(dst, r)
}

// hasSurrogate reports whether s may hold a lone surrogate.
func hasSurrogate(s string) bool {
	for i := strings.IndexByte(s, 0xED); i >= 0 && i+1 < len(s); {
		if s[i+1] >= 0xA0 {
			return true
		}
		j := strings.IndexByte(s[i+1:], 0xED)
		if j < 0 {
			return false
		}
		i += 1 + j
	}
	return false
}

// joinSurrogates rewrites a high surrogate followed by a low surrogate as
// the code point they encode, as JavaScript sees them after concatenation.
func joinSurrogates(s string) string {
	if !hasSurrogate(s) {
		return s
	}
	var b []byte
	last := 0
	for i := 0; i < len(s); {
		r, n := decodeWTF8(s, i)
		if isHighSurrogate(r) && n == 3 && i+n < len(s) {
			r2, n2 := decodeWTF8(s, i+n)
			if isLowSurrogate(r2) && n2 == 3 {
				if b == nil {
					b = make([]byte, 0, len(s))
				}
				b = append(b, s[last:i]...)
				b = utf8.AppendRune(b, 0x10000+(r-0xD800)<<10+(r2-0xDC00))
				i += n + n2
				last = i
				continue
			}
		}
		i += n
	}
	if b == nil {
		return s
	}
	return string(append(b, s[last:]...))
}

// utf16Len is a string's JavaScript length.
//
// Not inlined: a call costs less download than a copy at each of its
// many call sites (bench/results/2026-12-05-liquid.md).
//
//go:noinline
func utf16Len(s string) int {
	n := 0
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c < 0x80:
			i++
		case c < 0xE0:
			i += 2
		case c < 0xF0:
			i += 3
		default:
			i += 4
			n++ // a pair of code units
		}
		n++
	}
	return n
}

// toUnits converts a string to UTF-16 code units.
func toUnits(s string) []uint16 {
	u := make([]uint16, 0, len(s))
	for i := 0; i < len(s); {
		r, n := decodeWTF8(s, i)
		i += n
		if r >= 0x10000 {
			r -= 0x10000
			u = append(u, uint16(0xD800+(r>>10)), uint16(0xDC00+r&0x3FF))
		} else {
			u = append(u, uint16(r))
		}
	}
	return u
}

// fromUnits converts UTF-16 code units back to a (WTF-8) string.
func fromUnits(u []uint16) string {
	b := make([]byte, 0, len(u))
	for i := 0; i < len(u); i++ {
		r := rune(u[i])
		if isHighSurrogate(r) && i+1 < len(u) && isLowSurrogate(rune(u[i+1])) {
			r = 0x10000 + (r-0xD800)<<10 + (rune(u[i+1]) - 0xDC00)
			i++
		}
		b = appendWTF8(b, r)
	}
	return string(b)
}

// codeUnitAt is s[i] in JavaScript: a one-unit string.
func codeUnitAt(s string, idx int) (string, bool) {
	n := 0
	for i := 0; i < len(s); {
		r, sz := decodeWTF8(s, i)
		if r >= 0x10000 {
			if idx == n || idx == n+1 {
				r -= 0x10000
				unit := rune(0xD800 + (r >> 10))
				if idx == n+1 {
					unit = 0xDC00 + r&0x3FF
				}
				return string(appendWTF8(nil, unit)), true
			}
			n += 2
		} else {
			if idx == n {
				return s[i : i+sz], true
			}
			n++
		}
		i += sz
	}
	return "", false
}

// jsTrimLeft is String.prototype.trimStart.
func jsTrimLeft(s string) string {
	i := 0
	for i < len(s) {
		r, n := decodeWTF8(s, i)
		if !jsnum.IsSpace(r) {
			break
		}
		i += n
	}
	return s[i:]
}

// jsTrimRight is String.prototype.trimEnd.
func jsTrimRight(s string) string {
	j := len(s)
	for j > 0 {
		k := j - 1
		for k > 0 && s[k]&0xC0 == 0x80 && j-k < 4 {
			k--
		}
		r, n := decodeWTF8(s, k)
		if k+n != j || !jsnum.IsSpace(r) {
			break
		}
		j = k
	}
	return s[:j]
}

// jsTrim is String.prototype.trim.
func jsTrim(s string) string { return jsTrimRight(jsTrimLeft(s)) }

// compareUnits compares strings by UTF-16 code units.
func compareUnits(a, b string) int {
	ua, ub := toUnits(a), toUnits(b)
	for i := 0; i < len(ua) && i < len(ub); i++ {
		if ua[i] != ub[i] {
			if ua[i] < ub[i] {
				return -1
			}
			return 1
		}
	}
	return len(ua) - len(ub)
}

// jsIndexOf is String.prototype.indexOf (in code units; -1 if absent).
func jsIndexOf(s, sub string) int {
	if !hasSurrogate(s) && !hasSurrogate(sub) {
		i := strings.Index(s, sub)
		if i < 0 {
			return -1
		}
		return utf16Len(s[:i])
	}
	us, usub := toUnits(s), toUnits(sub)
	return unitIndex(us, usub, 0)
}

// unitIndex is the index of sub in s at or after from, in code units, or -1.
func unitIndex(s, sub []uint16, from int) int {
outer:
	for i := from; i+len(sub) <= len(s); i++ {
		for j := range sub {
			if s[i+j] != sub[j] {
				continue outer
			}
		}
		return i
	}
	return -1
}

// jsSplit is String.prototype.split with a string separator.
func jsSplit(s, sep string) []string {
	u, us := toUnits(s), toUnits(sep)
	if len(us) == 0 && len(u) > maxWork {
		return nil // callers check lqSplitTooBig first
	}
	var parts []string
	if len(us) == 0 {
		for _, c := range u {
			parts = append(parts, fromUnits([]uint16{c}))
		}
		return parts
	}
	last := 0
	for {
		i := unitIndex(u, us, last)
		if i < 0 {
			break
		}
		parts = append(parts, fromUnits(u[last:i]))
		last = i + len(us)
	}
	return append(parts, fromUnits(u[last:]))
}

// jsReplaceFirst is str.replace(pattern, () => replacement).
func jsReplaceFirst(s, pattern, replacement string) string {
	u, up := toUnits(s), toUnits(pattern)
	i := unitIndex(u, up, 0)
	if i < 0 {
		return s
	}
	return joinSurrogates(fromUnits(u[:i]) + replacement + fromUnits(u[i+len(up):]))
}

// joinStrings is parts.join(sep).
func joinStrings(parts []string, sep string) string {
	return joinSurrogates(strings.Join(parts, sep))
}
