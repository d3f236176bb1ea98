package mapping

import (
	"errors"
	"math"
	"strconv"
	"unicode/utf8"

	"rupt-actions-wasm/action/internal/jsnum"
	"rupt-actions-wasm/action/internal/limits"
	"rupt-actions-wasm/action/internal/swar"
)

// maxDepth bounds the nesting of parsed JSON (mapping, event, @json decode).
// It is lower than the destination's limit on other input: the parser and
// the evaluator recurse through several calls per level, and in js/wasm each
// is a frame on the JavaScript engine's stack (see limits.MaxMappingDepth).
const maxDepth = limits.MaxMappingDepth

// errSyntax marks JSON that JSON.parse would reject.
var errSyntax = errors.New("invalid JSON")

// parser is a JSON.parse-compatible reader. Strings without escapes share
// the input's memory.
type parser struct {
	s     string
	i     int
	depth int
	// hard is set when the input is valid JSON that we still refuse
	// (too deep, or a "__proto__" key): errors that JSON.parse would not raise.
	hard error
	// keys and vals are scratch stacks for the objects and arrays being
	// read, so that each gets exactly-sized slices.
	keys []string
	vals []value
}

// parseJSON parses s like JSON.parse. Errors wrapping errSyntax are ones
// JSON.parse would throw too; others are our own limits.
func parseJSON(s string) (value, error) { return parseNeeded(s, nil) }

// parseNeeded is parseJSON building only the part n of the value (see
// need); it accepts and rejects exactly the texts parseJSON does.
func parseNeeded(s string, n *need) (value, error) { return parseReusing(s, n, nil) }

// scratch is a parser's scratch stacks, kept between parses (by an
// EventParser) so that each event does not grow new ones.
type scratch struct {
	keys []string
	vals []value
}

// parseReusing is parseNeeded with the scratch stacks of sc (nil: new ones).
func parseReusing(s string, n *need, sc *scratch) (value, error) {
	p := parser{s: s}
	if sc != nil {
		p.keys, p.vals = sc.keys[:0], sc.vals[:0]
		defer func() {
			// Keep the room, not what the event's values referred to.
			clear(p.keys[:cap(p.keys)])
			clear(p.vals[:cap(p.vals)])
			sc.keys, sc.vals = p.keys[:0], p.vals[:0]
		}()
	}
	p.skipWS()
	v, err := p.valueOf(n)
	if err != nil {
		if p.hard != nil {
			return undef, p.hard
		}
		return undef, err
	}
	p.skipWS()
	if p.i != len(p.s) {
		return undef, p.syntax("unexpected text after the JSON value")
	}
	return v, nil
}

//go:noinline
func (p *parser) syntax(msg string) error {
	return &jsonError{msg: msg, off: p.i}
}

// isSyntax reports whether err is a JSON syntax error (which JSON.parse
// throws too).
func isSyntax(err error) bool {
	_, ok := err.(*jsonError)
	return ok
}

type jsonError struct {
	msg string
	off int
}

func (e *jsonError) Error() string {
	return "invalid JSON at byte " + strconv.Itoa(e.off) + ": " + e.msg
}

func (e *jsonError) Unwrap() error { return errSyntax }

func (p *parser) skipWS() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *parser) value() (value, error) { return p.valueOf(nil) }

// valueOf reads a value of which n is needed (see need): nil, all of it;
// skipAll, none (checked, then dropped: the result is undefined).
func (p *parser) valueOf(n *need) (value, error) {
	if p.i >= len(p.s) {
		return undef, p.syntax("unexpected end of input")
	}
	switch c := p.s[p.i]; {
	case c == '{':
		return p.object(n)
	case c == '[':
		if n != skipAll {
			n = nil // paths into arrays are rare: keep arrays whole
		}
		return p.array(n)
	case c == '"':
		s, err := p.str()
		if err != nil {
			return undef, err
		}
		return str(s), nil
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	case c == 't':
		return p.word("true", vTrue)
	case c == 'f':
		return p.word("false", vFalse)
	case c == 'n':
		return p.word("null", null)
	}
	return undef, p.syntax("unexpected character")
}

func (p *parser) word(w string, v value) (value, error) {
	if len(p.s)-p.i >= len(w) && p.s[p.i:p.i+len(w)] == w {
		p.i += len(w)
		return v, nil
	}
	return undef, p.syntax("unexpected character")
}

func (p *parser) enter() error {
	p.depth++
	if p.depth > maxDepth {
		p.hard = unsupported("JSON nested more than " + strconv.Itoa(maxDepth) + " levels deep is not supported; flatten the data")
		return p.hard
	}
	return nil
}

func (p *parser) object(n *need) (value, error) {
	if err := p.enter(); err != nil {
		return undef, err
	}
	p.i++ // {
	base, vbase := len(p.keys), len(p.vals)
	defer func() { p.keys, p.vals = p.keys[:base], p.vals[:vbase] }()
	p.skipWS()
	if p.i < len(p.s) && p.s[p.i] == '}' {
		p.i++
		p.depth--
		if n == skipAll {
			return undef, nil
		}
		return newObj(0), nil
	}
	var big *container // for objects with many keys
	for {
		p.skipWS()
		if p.i >= len(p.s) || p.s[p.i] != '"' {
			return undef, p.syntax("expected a string key")
		}
		k, err := p.str()
		if err != nil {
			return undef, err
		}
		p.skipWS()
		if p.i >= len(p.s) || p.s[p.i] != ':' {
			return undef, p.syntax("expected ':'")
		}
		p.i++
		p.skipWS()
		kn, want := n, true
		if n != nil {
			kn, want = n.child(k)
			if !want {
				kn = skipAll
			}
		}
		v, err := p.valueOf(kn)
		if err != nil {
			return undef, err
		}
		if k == "__proto__" {
			p.hard = protoKeyError()
			return undef, p.hard
		}
		switch {
		case !want:
		case big != nil:
			big.set(k, v)
		case len(p.keys)-base >= 32:
			big = &container{}
			for j := base; j < len(p.keys); j++ {
				big.set(p.keys[j], p.vals[vbase+j-base])
			}
			big.set(k, v)
		default:
			dup := false
			for j := base; j < len(p.keys); j++ {
				if p.keys[j] == k {
					p.vals[vbase+j-base] = v // JSON.parse: the last value, in the first place
					dup = true
					break
				}
			}
			if !dup {
				p.keys = append(p.keys, k)
				p.vals = append(p.vals, v)
			}
		}
		p.skipWS()
		if p.i >= len(p.s) {
			return undef, p.syntax("unexpected end of input")
		}
		if p.s[p.i] == ',' {
			p.i++
			continue
		}
		if p.s[p.i] == '}' {
			p.i++
			p.depth--
			if n == skipAll {
				return undef, nil
			}
			if big != nil {
				return value{k: kObj, c: big}, nil
			}
			n := len(p.keys) - base
			c := newContainer(n)
			copy(c.keys, p.keys[base:])
			copy(c.vals, p.vals[vbase:])
			c.track()
			return value{k: kObj, c: c}, nil
		}
		return undef, p.syntax("expected ',' or '}'")
	}
}

func (p *parser) array(n *need) (value, error) {
	if err := p.enter(); err != nil {
		return undef, err
	}
	p.i++ // [
	base := len(p.vals)
	defer func() { p.vals = p.vals[:base] }()
	p.skipWS()
	if p.i < len(p.s) && p.s[p.i] == ']' {
		p.i++
		p.depth--
		if n == skipAll {
			return undef, nil
		}
		return newArr(nil), nil
	}
	for {
		p.skipWS()
		v, err := p.valueOf(n)
		if err != nil {
			return undef, err
		}
		if n != skipAll {
			p.vals = append(p.vals, v)
		}
		p.skipWS()
		if p.i >= len(p.s) {
			return undef, p.syntax("unexpected end of input")
		}
		if p.s[p.i] == ',' {
			p.i++
			continue
		}
		if p.s[p.i] == ']' {
			p.i++
			p.depth--
			if n == skipAll {
				return undef, nil
			}
			vals := make([]value, len(p.vals)-base)
			copy(vals, p.vals[base:])
			return newArr(vals), nil
		}
		return undef, p.syntax("expected ',' or ']'")
	}
}

func (p *parser) number() (value, error) {
	start := p.i
	if p.s[p.i] == '-' {
		p.i++
	}
	digits := func() int {
		n := 0
		for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
			p.i++
			n++
		}
		return n
	}
	if p.i < len(p.s) && p.s[p.i] == '0' {
		p.i++
	} else if digits() == 0 {
		return undef, p.syntax("bad number")
	}
	if p.i < len(p.s) && p.s[p.i] == '.' {
		p.i++
		if digits() == 0 {
			return undef, p.syntax("bad number")
		}
	}
	if p.i < len(p.s) && (p.s[p.i] == 'e' || p.s[p.i] == 'E') {
		p.i++
		if p.i < len(p.s) && (p.s[p.i] == '+' || p.s[p.i] == '-') {
			p.i++
		}
		if digits() == 0 {
			return undef, p.syntax("bad number")
		}
	}
	f, err := strconv.ParseFloat(p.s[start:p.i], 64)
	if err != nil {
		// Only a range error is possible: JS gives ±Infinity or ±0 too,
		// which ParseFloat returns alongside the error.
		if ne, ok := err.(*strconv.NumError); !ok || ne.Err != strconv.ErrRange {
			return undef, p.syntax("bad number")
		}
	}
	return num(f), nil
}

func hexVal(c byte) rune {
	switch {
	case c >= '0' && c <= '9':
		return rune(c - '0')
	case c >= 'a' && c <= 'f':
		return rune(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return rune(c-'A') + 10
	}
	return -1
}

func (p *parser) str() (string, error) {
	p.i++ // opening quote
	start := p.i
	// Eight bytes at a time while none is '"', '\\' or a control
	// character: most of an event is plain string text.
	for len(p.s)-p.i >= 8 {
		x := swar.Load8(p.s, p.i)
		if swar.Has(x, '"')|swar.Has(x, '\\')|swar.HasLess(x, 0x20) != 0 {
			break
		}
		p.i += 8
	}
	for p.i < len(p.s) {
		c := p.s[p.i]
		if c == '"' {
			s := p.s[start:p.i]
			p.i++
			return s, nil
		}
		if c == '\\' {
			break
		}
		if c < 0x20 {
			return "", p.syntax("control character in string")
		}
		p.i++
	}
	if p.i >= len(p.s) {
		return "", p.syntax("unterminated string")
	}
	b := make([]byte, 0, p.i-start+16)
	b = append(b, p.s[start:p.i]...)
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == '"':
			p.i++
			return joinSurrogates(string(b)), nil
		case c < 0x20:
			return "", p.syntax("control character in string")
		case c != '\\':
			b = append(b, c)
			p.i++
			continue
		}
		p.i++
		if p.i >= len(p.s) {
			break
		}
		e := p.s[p.i]
		p.i++
		switch e {
		case '"', '\\', '/':
			b = append(b, e)
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'u':
			if len(p.s)-p.i < 4 {
				return "", p.syntax("bad \\u escape")
			}
			var r rune
			for j := 0; j < 4; j++ {
				h := hexVal(p.s[p.i+j])
				if h < 0 {
					return "", p.syntax("bad \\u escape")
				}
				r = r<<4 | h
			}
			p.i += 4
			b = appendWTF8(b, r)
		default:
			return "", p.syntax("bad escape")
		}
	}
	return "", p.syntax("unterminated string")
}

// appendJSON appends JSON.stringify(v). It reports false when v is
// undefined (JSON.stringify returns undefined then).
func appendJSON(dst []byte, v value) ([]byte, bool) {
	switch v.k {
	case kUndef:
		return dst, false
	case kNull:
		return append(dst, "null"...), true
	case kBool:
		if v.n != 0 {
			return append(dst, "true"...), true
		}
		return append(dst, "false"...), true
	case kNum:
		if math.IsInf(v.n, 0) || v.n != v.n {
			return append(dst, "null"...), true
		}
		return jsnum.Append(dst, v.n), true
	case kStr:
		return appendQuoted(dst, v.s), true
	case kArr:
		dst = append(dst, '[')
		for i, e := range v.c.vals {
			if i > 0 {
				dst = append(dst, ',')
			}
			var ok bool
			if dst, ok = appendJSON(dst, e); !ok {
				dst = append(dst, "null"...)
			}
		}
		return append(dst, ']'), true
	}
	dst = append(dst, '{')
	keys := v.objKeys()
	first := true
	for i, k := range keys {
		e := v.c.vals[i]
		if e.k == kUndef {
			continue
		}
		if !first {
			dst = append(dst, ',')
		}
		first = false
		dst = appendQuoted(dst, k)
		dst = append(dst, ':')
		dst, _ = appendJSON(dst, e)
	}
	return append(dst, '}'), true
}

const hexDigits = "0123456789abcdef"

// appendQuoted is JSON.stringify for a string (well-formed: lone
// surrogates are escaped).
func appendQuoted(dst []byte, s string) []byte {
	dst = append(dst, '"')
	last := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, n := decodeWTF8(s, i)
			if !isSurrogate(r) || n != 3 {
				i += n
				continue
			}
			dst = append(dst, s[last:i]...)
			dst = append(dst, '\\', 'u', hexDigits[r>>12], hexDigits[r>>8&0xF], hexDigits[r>>4&0xF], hexDigits[r&0xF])
			i += n
			last = i
			continue
		}
		dst = append(dst, s[last:i]...)
		switch c {
		case '"', '\\':
			dst = append(dst, '\\', c)
		case '\b':
			dst = append(dst, '\\', 'b')
		case '\f':
			dst = append(dst, '\\', 'f')
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			dst = append(dst, '\\', 't')
		default:
			dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
		}
		i++
		last = i
	}
	dst = append(dst, s[last:]...)
	return append(dst, '"')
}

// smallObject is a container with room for a few members in the same
// allocation: most objects an event's mappings read (the event itself,
// properties, context, traits) keep only a few members, and one
// allocation instead of three is a measurable share of an event's cost in
// WebAssembly.
type smallObject struct {
	c    container
	keys [4]string
	vals [4]value
}

// newContainer returns a container holding n zero members.
func newContainer(n int) *container {
	if n <= len(smallObject{}.keys) {
		o := &smallObject{}
		o.c.keys, o.c.vals = o.keys[:n:n], o.vals[:n:n]
		return &o.c
	}
	return &container{keys: make([]string, n), vals: make([]value, n)}
}
