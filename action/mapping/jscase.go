package mapping

import (
	"unicode"
	"unicode/utf8"
)

//go:generate node testdata/gen-case-tables.mjs
//go:generate go run gen_case_tables.go

// caseException is a code point whose JavaScript case mapping differs from
// Go's unicode package (special casing like ß → SS, or a newer Unicode).
type caseException struct {
	r  rune
	to string
}

func findException(tab []caseException, r rune) (string, bool) {
	lo, hi := 0, len(tab)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if tab[m].r < r {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(tab) && tab[lo].r == r {
		return tab[lo].to, true
	}
	return "", false
}

func inRanges(tab []uint32, r rune) bool {
	lo, hi := 0, len(tab)/2
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if tab[2*m+1] < uint32(r) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo < len(tab)/2 && tab[2*lo] <= uint32(r)
}

// jsUpper is String.prototype.toUpperCase.
func jsUpper(s string) string {
	i := 0
	for i < len(s) && s[i] < utf8.RuneSelf && !('a' <= s[i] && s[i] <= 'z') {
		i++
	}
	if i == len(s) {
		return s
	}
	b := make([]byte, 0, len(s)+4)
	b = append(b, s[:i]...)
	for i < len(s) {
		r, n := decodeWTF8(s, i)
		i += n
		switch {
		case r < utf8.RuneSelf:
			if 'a' <= r && r <= 'z' {
				r -= 'a' - 'A'
			}
			b = append(b, byte(r))
		case isSurrogate(r):
			b = appendWTF8(b, r)
		default:
			if to, ok := findException(upperExceptions[:], r); ok {
				b = append(b, to...)
			} else {
				b = utf8.AppendRune(b, unicode.ToUpper(r))
			}
		}
	}
	return string(b)
}

// jsLower is String.prototype.toLowerCase, including the final-sigma rule.
func jsLower(s string) string {
	i := 0
	for i < len(s) && s[i] < utf8.RuneSelf && !('A' <= s[i] && s[i] <= 'Z') {
		i++
	}
	if i == len(s) {
		return s
	}
	b := make([]byte, 0, len(s)+4)
	b = append(b, s[:i]...)
	for i < len(s) {
		start := i
		r, n := decodeWTF8(s, i)
		i += n
		switch {
		case r < utf8.RuneSelf:
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			b = append(b, byte(r))
		case isSurrogate(r):
			b = appendWTF8(b, r)
		case r == 0x03A3 && finalSigma(s, start, i):
			b = utf8.AppendRune(b, 0x03C2)
		default:
			if to, ok := findException(lowerExceptions[:], r); ok {
				b = append(b, to...)
			} else {
				b = utf8.AppendRune(b, unicode.ToLower(r))
			}
		}
	}
	return string(b)
}

// finalSigma reports whether the capital sigma at s[start:end] ends a word:
// preceded by a cased letter and not followed by one, skipping
// case-ignorable characters on both sides.
func finalSigma(s string, start, end int) bool {
	before := false
	for j := start; j > 0; {
		k := j - 1
		for k > 0 && s[k]&0xC0 == 0x80 && j-k < 4 {
			k--
		}
		r, _ := decodeWTF8(s, k)
		j = k
		if inRanges(caseIgnorableRanges[:], r) {
			continue
		}
		before = inRanges(casedRanges[:], r)
		break
	}
	if !before {
		return false
	}
	for j := end; j < len(s); {
		r, n := decodeWTF8(s, j)
		j += n
		if inRanges(caseIgnorableRanges[:], r) {
			continue
		}
		return !inRanges(casedRanges[:], r)
	}
	return true
}
