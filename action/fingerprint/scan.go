package fingerprint

import (
	"bytes"
	"strconv"
	"unicode/utf8"

	"rupt-actions-wasm/action/internal/jsnum"
)

// container is one object or array of a document, in document (pre-)order.
type container struct {
	start int32 // offset of '{' or '['
	end   int32 // offset just past the matching '}' or ']'
	next  int32 // index of the first container after this one's subtree
	count int32 // members of an object, elements of an array
}

// document is validated JSON text plus an index of its containers, so that
// a whole object or array can be skipped in O(1).
type document struct {
	data  []byte
	ctrs  []container
	canon bool       // the text is exactly what JSON.stringify(JSON.parse(text)) gives
	keys  [][2]int32 // scratch: key spans of the objects being scanned
	table []int32    // scratch: hasDuplicate's hash table
}

// load validates signals and indexes it. Text that is not already in the
// JSON.stringify form is rewritten into it first (see canonicalize), so the
// returned document is always canonical.
func load(signals []byte) (*document, error) {
	if len(signals) > MaxInputSize {
		return nil, ErrTooLarge
	}
	d := &document{data: signals}
	if err := d.parse(); err != nil {
		return nil, err
	}
	if d.canon {
		return d, nil
	}
	c := &document{data: canonicalize(signals)}
	if err := c.parse(); err != nil || !c.canon {
		return nil, errInternal
	}
	return c, nil
}

func (d *document) syntaxError(off int, msg string) error {
	return &SyntaxError{Offset: off, msg: msg}
}

// parse validates d.data as one JSON text (RFC 8259, as JSON.parse accepts
// it, plus the requirement of valid UTF-8), builds d.ctrs and sets d.canon.
func (d *document) parse() error {
	d.canon = true
	d.ctrs = make([]container, 0, 16+len(d.data)/2048) // real signals: ~70 per 127 KB
	i := d.ws(0)
	i, err := d.value(i, 0)
	if err != nil {
		return err
	}
	i = d.ws(i)
	if i != len(d.data) {
		return d.syntaxError(i, "data after the JSON value")
	}
	d.keys, d.table = nil, nil
	return nil
}

// ws skips JSON whitespace, which JSON.stringify never writes.
func (d *document) ws(i int) int {
	for i < len(d.data) {
		switch d.data[i] {
		case ' ', '\t', '\n', '\r':
			d.canon = false
			i++
		default:
			return i
		}
	}
	return i
}

func (d *document) value(i, depth int) (int, error) {
	if i >= len(d.data) {
		return i, d.syntaxError(i, "unexpected end of input")
	}
	switch c := d.data[i]; {
	case c == '{' || c == '[':
		if depth >= MaxDepth {
			return i, ErrTooDeep
		}
		return d.container(i, depth)
	case c == '"':
		return d.str(i)
	case c == 't':
		return d.literal(i, "true")
	case c == 'f':
		return d.literal(i, "false")
	case c == 'n':
		return d.literal(i, "null")
	case c == '-' || (c >= '0' && c <= '9'):
		return d.number(i)
	}
	return i, d.syntaxError(i, "unexpected character")
}

func (d *document) literal(i int, lit string) (int, error) {
	if !bytes.HasPrefix(d.data[i:], []byte(lit)) {
		return i, d.syntaxError(i, "invalid literal")
	}
	return i + len(lit), nil
}

// container scans an object or array starting at d.data[i].
func (d *document) container(i, depth int) (int, error) {
	ci := len(d.ctrs)
	d.ctrs = append(d.ctrs, container{start: int32(i)})
	obj := d.data[i] == '{'
	closing := byte(']')
	if obj {
		closing = '}'
	}
	keyBase := len(d.keys)
	lastIndex := int64(-1)
	seenName := false
	count := 0
	i = d.ws(i + 1)
	if i < len(d.data) && d.data[i] == closing {
		i++
	} else {
		for {
			if obj {
				if i >= len(d.data) || d.data[i] != '"' {
					return i, d.syntaxError(i, "expected a string key")
				}
				ks := i + 1
				var err error
				if i, err = d.str(i); err != nil {
					return i, err
				}
				ke := i - 1
				// JSON.stringify writes array-index keys first, ascending.
				if idx, ok := jsnum.ArrayIndex(d.data[ks:ke]); ok {
					if seenName || int64(idx) <= lastIndex {
						d.canon = false
					}
					lastIndex = int64(idx)
				} else {
					seenName = true
				}
				if d.canon {
					d.keys = append(d.keys, [2]int32{int32(ks), int32(ke)})
				}
				i = d.ws(i)
				if i >= len(d.data) || d.data[i] != ':' {
					return i, d.syntaxError(i, "expected ':'")
				}
				i = d.ws(i + 1)
			}
			var err error
			if i, err = d.value(i, depth+1); err != nil {
				return i, err
			}
			count++
			i = d.ws(i)
			if i >= len(d.data) {
				return i, d.syntaxError(i, "unexpected end of input")
			}
			if d.data[i] == ',' {
				i = d.ws(i + 1)
				continue
			}
			if d.data[i] != closing {
				return i, d.syntaxError(i, "expected ',' or a closing bracket")
			}
			i++
			break
		}
	}
	if obj && d.canon && d.hasDuplicate(d.keys[keyBase:]) {
		d.canon = false // JSON.parse keeps the last value, at the first position
	}
	d.keys = d.keys[:keyBase]
	d.ctrs[ci].end = int32(i)
	d.ctrs[ci].count = int32(count)
	d.ctrs[ci].next = int32(len(d.ctrs))
	return i, nil
}

// hasDuplicate reports whether two of the keys are equal. In the canonical
// form equal keys have equal bytes, so an open-addressing table of FNV-1a
// hashes of the raw bytes finds duplicates in linear time.
func (d *document) hasDuplicate(keys [][2]int32) bool {
	data := d.data
	if len(keys) < 2 {
		return false
	}
	if len(keys) <= 8 {
		for a := 1; a < len(keys); a++ {
			ka := data[keys[a][0]:keys[a][1]]
			for b := 0; b < a; b++ {
				if bytes.Equal(ka, data[keys[b][0]:keys[b][1]]) {
					return true
				}
			}
		}
		return false
	}
	size := 16
	for size < 2*len(keys) {
		size <<= 1
	}
	if cap(d.table) < size {
		d.table = make([]int32, size)
	} else {
		d.table = d.table[:size]
		clear(d.table)
	}
	mask := uint32(size - 1)
	for i, k := range keys {
		key := data[k[0]:k[1]]
		h := uint32(2166136261)
		for _, c := range key {
			h = (h ^ uint32(c)) * 16777619
		}
		for slot := h & mask; ; slot = (slot + 1) & mask {
			at := d.table[slot]
			if at == 0 {
				d.table[slot] = int32(i + 1)
				break
			}
			if o := keys[at-1]; bytes.Equal(key, data[o[0]:o[1]]) {
				return true
			}
		}
	}
	return false
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

func isLowerHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')
}

func hexVal(c byte) rune {
	switch {
	case c >= '0' && c <= '9':
		return rune(c - '0')
	case c >= 'a' && c <= 'f':
		return rune(c-'a') + 10
	default:
		return rune(c-'A') + 10
	}
}

// u4 decodes the 4 hex digits at p (already validated).
func u4(p []byte) rune {
	return hexVal(p[0])<<12 | hexVal(p[1])<<8 | hexVal(p[2])<<4 | hexVal(p[3])
}

// uEscape reports whether d.data[i:] starts with a valid \uXXXX escape and
// returns its code unit.
func uEscape(data []byte, i int) (rune, bool) {
	if i+6 > len(data) || data[i] != '\\' || data[i+1] != 'u' ||
		!isHex(data[i+2]) || !isHex(data[i+3]) || !isHex(data[i+4]) || !isHex(data[i+5]) {
		return 0, false
	}
	return u4(data[i+2:]), true
}

// str scans the string starting at the quote d.data[i] and returns the offset
// after its closing quote. It checks the escapes against the ones
// JSON.stringify writes: \" \\ \b \f \n \r \t, \u00xx for the other control
// characters and \udxxx for lone surrogates, lowercase; everything else is
// written literally.
func (d *document) str(i int) (int, error) {
	data := d.data
	i++
	for {
		// Fast path over plain ASCII.
		for i < len(data) {
			c := data[i]
			if c < 0x20 || c == '"' || c == '\\' || c >= 0x80 {
				break
			}
			i++
		}
		if i >= len(data) {
			return i, d.syntaxError(i, "unterminated string")
		}
		c := data[i]
		switch {
		case c == '"':
			return i + 1, nil
		case c < 0x20:
			return i, d.syntaxError(i, "control character in string")
		case c >= 0x80:
			r, size := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && size <= 1 {
				return i, d.syntaxError(i, "invalid UTF-8")
			}
			i += size
		default: // backslash
			if i+1 >= len(data) {
				return i, d.syntaxError(i, "unterminated string")
			}
			switch data[i+1] {
			case '"', '\\', 'b', 'f', 'n', 'r', 't':
				i += 2
			case '/':
				d.canon = false
				i += 2
			case 'u':
				u, ok := uEscape(data, i)
				if !ok {
					return i, d.syntaxError(i, "invalid \\u escape")
				}
				if d.canon {
					lower := isLowerHex(data[i+2]) && isLowerHex(data[i+3]) && isLowerHex(data[i+4]) && isLowerHex(data[i+5])
					switch {
					case !lower:
						d.canon = false
					case u < 0x20:
						if u == '\b' || u == '\t' || u == '\n' || u == '\f' || u == '\r' {
							d.canon = false
						}
					case u >= 0xdc00 && u <= 0xdfff:
						// A lone low surrogate (a paired one fails at its high half).
					case u >= 0xd800 && u <= 0xdbff:
						if lo, ok := uEscape(data, i+6); ok && lo >= 0xdc00 && lo <= 0xdfff {
							d.canon = false // a pair: JSON.stringify writes it as UTF-8
						}
					default:
						d.canon = false
					}
				}
				i += 6
			default:
				return i, d.syntaxError(i, "invalid escape")
			}
		}
	}
}

// number validates the JSON number at d.data[i] and checks that it is
// written as JSON.stringify writes that double.
func (d *document) number(i int) (int, error) {
	data := d.data
	start := i
	if data[i] == '-' {
		i++
	}
	if i >= len(data) {
		return i, d.syntaxError(i, "invalid number")
	}
	switch {
	case data[i] == '0':
		i++
	case data[i] >= '1' && data[i] <= '9':
		for i < len(data) && data[i] >= '0' && data[i] <= '9' {
			i++
		}
	default:
		return i, d.syntaxError(i, "invalid number")
	}
	simple := true
	if i < len(data) && data[i] == '.' {
		simple = false
		i++
		j := i
		for i < len(data) && data[i] >= '0' && data[i] <= '9' {
			i++
		}
		if i == j {
			return i, d.syntaxError(i, "invalid number")
		}
	}
	if i < len(data) && (data[i] == 'e' || data[i] == 'E') {
		simple = false
		i++
		if i < len(data) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		j := i
		for i < len(data) && data[i] >= '0' && data[i] <= '9' {
			i++
		}
		if i == j {
			return i, d.syntaxError(i, "invalid number")
		}
	}
	if !d.canon {
		return i, nil
	}
	raw := data[start:i]
	// Integers of up to 15 digits are exact doubles printed as they are,
	// except -0, which JSON.stringify prints as 0.
	if simple && len(raw) <= 16 && !(len(raw) == 2 && raw[0] == '-' && raw[1] == '0') {
		digits := len(raw)
		if raw[0] == '-' {
			digits--
		}
		if digits <= 15 {
			return i, nil
		}
	}
	var buf [32]byte
	if !bytes.Equal(appendNumber(buf[:0], raw), raw) {
		d.canon = false
	}
	return i, nil
}

// appendNumber appends JSON.stringify(JSON.parse(raw)) for a valid JSON
// number raw: ECMAScript Number::toString, or null for ±Infinity.
func appendNumber(dst, raw []byte) []byte {
	f, err := strconv.ParseFloat(string(raw), 64)
	if err != nil { // only range errors are possible here: ±Infinity
		return append(dst, "null"...)
	}
	return appendJSNumber(dst, f)
}
