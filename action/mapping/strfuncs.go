package mapping

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"rupt-actions-wasm/action/internal/jsnum"
)

// renderTemplate is @template: "{{{path}}}" placeholders first, then
// "{{path}}" ones (the first pass may create new ones). A placeholder is
// "{{" + one or more characters other than "}" + "}}"; its trimmed
// content is a get() path into the payload; null and undefined render as
// "", everything else as String(value).
func renderTemplate(tpl string, payload value) (string, error) {
	s, err := replacePlaceholders(tpl, "{{{", "}}}", payload)
	if err != nil {
		return "", err
	}
	return replacePlaceholders(s, "{{", "}}", payload)
}

func replacePlaceholders(s, open, close string, payload value) (string, error) {
	var b []byte
	last := 0
	for i := 0; i < len(s); {
		j := strings.Index(s[i:], open)
		if j < 0 {
			break
		}
		j += i
		k := j + len(open)
		end := k
		for end < len(s) && s[end] != '}' {
			end++
		}
		if end == k || !strings.HasPrefix(s[end:], close) {
			i = j + 1
			continue
		}
		v, err := getPath(payload, jsTrim(s[k:end]))
		if err != nil {
			return "", err
		}
		if b == nil {
			b = make([]byte, 0, len(s)+16)
		}
		b = append(b, s[last:j]...)
		switch v.k {
		case kUndef, kNull:
		case kStr:
			b = append(b, v.s...)
		case kNum:
			b = jsnum.Append(b, v.n)
		case kArr:
			b = appendJoin(b, v, ",")
		default:
			b = append(b, toString(v)...)
		}
		if len(b) > maxString {
			return "", checkLen(string(b))
		}
		i = end + len(close)
		last = i
	}
	if b == nil {
		return s, nil
	}
	return joinSurrogates(string(append(b, s[last:]...))), nil
}

// jsReplace is mapping-kit's performReplace: value.replace(new
// RegExp(escaped pattern, flags), replacement). The pattern is matched
// literally; "i" compares UTF-16 code units after the RegExp
// Canonicalize (simple upper-casing); the replacement honours $$, $&, $`
// and $' (there are no capture groups, so $1 or $<x> stay as typed).
func jsReplace(value, pattern, replacement string, global, icase bool) (string, error) {
	if utf16Len(pattern) > maxPattern {
		return "", dirErr("@replace", `the "pattern" must be at most 10 characters`)
	}
	if utf16Len(replacement) > maxReplacement {
		return "", dirErr("@replace", `the "replacement" must be at most 10 characters`)
	}
	v := toUnits(value)
	p := toUnits(pattern)
	r := toUnits(replacement)
	if icase {
		p = append([]uint16(nil), p...)
		for i := range p {
			p[i] = canonicalize(p[i])
		}
	}
	var out []uint16
	last := 0
	found := false
	for i := 0; i+len(p) <= len(v); {
		match := true
		for j, pu := range p {
			u := v[i+j]
			if u != pu && (!icase || canonicalize(u) != pu) {
				match = false
				break
			}
		}
		if !match {
			i++
			continue
		}
		found = true
		out = append(out, v[last:i]...)
		end := i + len(p)
		for j := 0; j < len(r); j++ {
			if r[j] != '$' || j+1 >= len(r) {
				out = append(out, r[j])
				continue
			}
			switch r[j+1] {
			case '$':
				out = append(out, '$')
			case '&':
				out = append(out, v[i:end]...)
			case '`':
				out = append(out, v[:i]...)
			case '\'':
				out = append(out, v[end:]...)
			default:
				out = append(out, '$')
				continue
			}
			j++
		}
		if len(out) > maxString {
			return "", checkLen(strings.Repeat(" ", maxString+1))
		}
		last = end
		i = end
		if !global {
			break
		}
	}
	if !found {
		return value, nil
	}
	out = append(out, v[last:]...)
	return fromUnits(out), nil
}

// canonicalize is the RegExp Canonicalize of a code unit for
// case-insensitive, non-unicode patterns.
func canonicalize(u uint16) uint16 {
	if u < utf8.RuneSelf {
		if 'a' <= u && u <= 'z' {
			return u - ('a' - 'A')
		}
		return u
	}
	if isSurrogate(rune(u)) {
		return u
	}
	var up rune
	if to, ok := findException(upperExceptions[:], rune(u)); ok {
		r, n := utf8.DecodeRuneInString(to)
		if n != len(to) {
			return u // more than one code point
		}
		up = r
	} else {
		up = unicode.ToUpper(rune(u))
	}
	if up > 0xFFFF || up < utf8.RuneSelf {
		return u
	}
	return uint16(up)
}
