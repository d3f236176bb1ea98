package fingerprint

import (
	"math"
	"unicode/utf8"

	"rupt-actions-wasm/action/internal/jsnum"
	"rupt-actions-wasm/action/internal/stable"
)

// appendJSNumber appends f as JSON.stringify writes a number: JavaScript's
// String(f), except that ±Infinity and NaN are "null".
func appendJSNumber(dst []byte, f float64) []byte {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return append(dst, "null"...)
	}
	return jsnum.Append(dst, f)
}

// canonicalize returns JSON.stringify(JSON.parse(text)) for valid JSON text:
// no whitespace; strings re-escaped as JSON.stringify escapes them; numbers
// reprinted as JavaScript prints them (overflow becomes null, -0 becomes 0);
// duplicate keys collapsed the way JSON.parse collapses them (the last value,
// at the first key's position); array-index keys moved first, ascending, as
// in every JavaScript object. It is the slow path, used only for text that a
// browser's JSON.stringify did not produce.
func canonicalize(text []byte) []byte {
	c := canonicalizer{data: text}
	return c.value(make([]byte, 0, len(text)))
}

type canonicalizer struct {
	data []byte
	i    int
}

func (c *canonicalizer) ws() {
	for c.i < len(c.data) {
		switch c.data[c.i] {
		case ' ', '\t', '\n', '\r':
			c.i++
		default:
			return
		}
	}
}

// value appends the canonical form of the (validated) value at c.i.
func (c *canonicalizer) value(dst []byte) []byte {
	c.ws()
	switch ch := c.data[c.i]; {
	case ch == '{':
		return c.object(dst)
	case ch == '[':
		c.i++
		dst = append(dst, '[')
		c.ws()
		if c.data[c.i] == ']' {
			c.i++
			return append(dst, ']')
		}
		for {
			dst = c.value(dst)
			c.ws()
			if c.data[c.i] == ']' {
				c.i++
				return append(dst, ']')
			}
			c.i++ // ','
			dst = append(dst, ',')
		}
	case ch == '"':
		return c.str(dst)
	case ch == 't':
		c.i += 4
		return append(dst, "true"...)
	case ch == 'f':
		c.i += 5
		return append(dst, "false"...)
	case ch == 'n':
		c.i += 4
		return append(dst, "null"...)
	default:
		start := c.i
		for c.i < len(c.data) {
			ch := c.data[c.i]
			if (ch >= '0' && ch <= '9') || ch == '-' || ch == '+' || ch == '.' || ch == 'e' || ch == 'E' {
				c.i++
				continue
			}
			break
		}
		return appendNumber(dst, c.data[start:c.i])
	}
}

type canonMember struct {
	key   []byte // canonical key, with quotes
	val   []byte // canonical value
	index int64  // array index, or -1
}

func (c *canonicalizer) object(dst []byte) []byte {
	c.i++ // '{'
	var members []canonMember
	var pos map[string]int // for large objects; small ones are searched
	c.ws()
	if c.data[c.i] == '}' {
		c.i++
		return append(dst, '{', '}')
	}
	for {
		c.ws()
		key := c.str(nil)
		c.ws()
		c.i++ // ':'
		val := c.value(nil)
		at := -1
		if pos != nil {
			if i, ok := pos[string(key)]; ok {
				at = i
			}
		} else {
			for i := range members {
				if string(members[i].key) == string(key) {
					at = i
					break
				}
			}
		}
		if at >= 0 {
			members[at].val = val // JSON.parse: the last value, at the first position
		} else {
			idx := int64(-1)
			if n, ok := jsnum.ArrayIndex(key[1 : len(key)-1]); ok {
				idx = int64(n)
			}
			members = append(members, canonMember{key: key, val: val, index: idx})
			if pos == nil && len(members) > 16 {
				pos = make(map[string]int, 2*len(members))
				for i, m := range members {
					pos[string(m.key)] = i
				}
			} else if pos != nil {
				pos[string(key)] = len(members) - 1
			}
		}
		c.ws()
		if c.data[c.i] == '}' {
			c.i++
			break
		}
		c.i++ // ','
	}
	// Array-index keys first, ascending; then the others in creation order.
	stable.Sort(indexFirst(members))
	dst = append(dst, '{')
	for n, m := range members {
		if n > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, m.key...)
		dst = append(dst, ':')
		dst = append(dst, m.val...)
	}
	return append(dst, '}')
}

// str appends the canonical form of the (validated) string at c.i: the
// string is decoded to UTF-16 code units and re-escaped as JSON.stringify
// does (QuoteJSONString, with well-formed lone-surrogate escapes).
func (c *canonicalizer) str(dst []byte) []byte {
	data := c.data
	i := c.i + 1
	dst = append(dst, '"')
	for {
		ch := data[i]
		switch {
		case ch == '"':
			c.i = i + 1
			return append(dst, '"')
		case ch != '\\':
			if ch < 0x80 {
				dst = append(dst, ch)
				i++
			} else {
				_, size := utf8.DecodeRune(data[i:])
				dst = append(dst, data[i:i+size]...)
				i += size
			}
		default:
			e := data[i+1]
			i += 2
			var u rune
			switch e {
			case 'b':
				u = '\b'
			case 'f':
				u = '\f'
			case 'n':
				u = '\n'
			case 'r':
				u = '\r'
			case 't':
				u = '\t'
			case 'u':
				u = u4(data[i:])
				i += 4
				if u >= 0xd800 && u <= 0xdbff {
					if lo, ok := uEscape(data, i); ok && lo >= 0xdc00 && lo <= 0xdfff {
						dst = utf8.AppendRune(dst, 0x10000+(u-0xd800)<<10+(lo-0xdc00))
						i += 6
						continue
					}
				}
			default: // '"', '\\', '/'
				u = rune(e)
			}
			dst = appendUnit(dst, u)
		}
	}
}

// appendUnit appends one UTF-16 code unit (not part of a surrogate pair) as
// JSON.stringify writes it inside a string.
func appendUnit(dst []byte, u rune) []byte {
	switch u {
	case '"':
		return append(dst, '\\', '"')
	case '\\':
		return append(dst, '\\', '\\')
	case '\b':
		return append(dst, '\\', 'b')
	case '\f':
		return append(dst, '\\', 'f')
	case '\n':
		return append(dst, '\\', 'n')
	case '\r':
		return append(dst, '\\', 'r')
	case '\t':
		return append(dst, '\\', 't')
	}
	if u < 0x20 || (u >= 0xd800 && u <= 0xdfff) {
		return append(dst, '\\', 'u',
			hexDigits[u>>12&0xf], hexDigits[u>>8&0xf], hexDigits[u>>4&0xf], hexDigits[u&0xf])
	}
	return utf8.AppendRune(dst, u)
}
