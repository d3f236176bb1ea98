package fingerprint

import (
	"bytes"
	"unicode/utf8"
)

// compareKeys compares two raw key contents (between the quotes, escapes
// included) by their UTF-16 code units, as Array.prototype.sort does by
// default. This differs from Go's byte (code point) order when a character
// above U+FFFF (a surrogate pair, D800–DBFF first) meets one in
// U+E000–U+FFFF: JavaScript sorts "\U0001F600" before "\uFF01".
func compareKeys(a, b []byte) int {
	if bytes.IndexByte(a, '\\') < 0 && bytes.IndexByte(b, '\\') < 0 {
		return compareUTF8AsUTF16(a, b)
	}
	ia, ib := units{s: a}, units{s: b}
	for {
		ua, oka := ia.next()
		ub, okb := ib.next()
		switch {
		case !oka && !okb:
			return 0
		case !oka:
			return -1
		case !okb:
			return 1
		case ua != ub:
			if ua < ub {
				return -1
			}
			return 1
		}
	}
}

// compareUTF8AsUTF16 compares valid UTF-8 strings by UTF-16 code units.
func compareUTF8AsUTF16(a, b []byte) int {
	n := min(len(a), len(b))
	i := 0
	for i < n && a[i] == b[i] {
		i++
	}
	if i == n {
		switch {
		case len(a) < len(b):
			return -1
		case len(a) > len(b):
			return 1
		}
		return 0
	}
	if a[i] < 0x80 && b[i] < 0x80 {
		if a[i] < b[i] {
			return -1
		}
		return 1
	}
	// Both runes start at the same offset, as the prefix is shared.
	for i > 0 && !utf8.RuneStart(a[i]) {
		i--
	}
	ra, _ := utf8.DecodeRune(a[i:])
	rb, _ := utf8.DecodeRune(b[i:])
	ua, ub := firstUnit(ra), firstUnit(rb)
	if ua == ub { // two astral runes with the same high surrogate
		ua, ub = ra, rb
	}
	if ua < ub {
		return -1
	}
	return 1
}

// firstUnit is the first UTF-16 code unit of r.
func firstUnit(r rune) rune {
	if r >= 0x10000 {
		return 0xd800 + (r-0x10000)>>10
	}
	return r
}

// units iterates over the UTF-16 code units of a raw (escaped, valid) JSON
// string content.
type units struct {
	s       []byte
	i       int
	pending rune // a low surrogate still to return, or 0
}

func (u *units) next() (rune, bool) {
	if u.pending != 0 {
		r := u.pending
		u.pending = 0
		return r, true
	}
	if u.i >= len(u.s) {
		return 0, false
	}
	c := u.s[u.i]
	if c < 0x80 && c != '\\' {
		u.i++
		return rune(c), true
	}
	if c != '\\' {
		r, size := utf8.DecodeRune(u.s[u.i:])
		u.i += size
		if r >= 0x10000 {
			r -= 0x10000
			u.pending = 0xdc00 + r&0x3ff
			return 0xd800 + r>>10, true
		}
		return r, true
	}
	e := u.s[u.i+1]
	u.i += 2
	switch e {
	case 'b':
		return '\b', true
	case 'f':
		return '\f', true
	case 'n':
		return '\n', true
	case 'r':
		return '\r', true
	case 't':
		return '\t', true
	case 'u':
		r := u4(u.s[u.i:])
		u.i += 4
		return r, true
	}
	return rune(e), true // '"', '\\', '/'
}
