package mapping

import (
	"strings"

	"rupt-actions-wasm/action/internal/jsnum"
)

// Lexing of @liquid templates: liquidjs's character classes, the
// top-level tokens (text, {{ output }}, {% tag %}, with "-" whitespace
// control), and the scanner for expressions (operators, names, quoted
// strings, numbers) that liquid_parse.go builds on.

// isLqBlank is liquidjs's BLANK character class.
//
//go:noinline
func isLqBlank(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', ' ', 0xA0, 0x1680, 0x180E, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
		return true
	}
	return r >= 0x2000 && r <= 0x200A
}

// isLqWord is liquidjs's isWord for one character.
func isLqWord(r rune) bool {
	if r >= 128 {
		return !isLqBlank(r) && r != 0x201C && r != 0x201D
	}
	return r == '-' || r == '_' || r == '?' || ('0' <= r && r <= '9') || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z')
}

// lqToken is a top-level token.
type lqToken struct {
	_            [0]func()  // not comparable: no equality function in the download
	kind         lqNodeKind // lqText, lqOutput, or lqIf for any tag
	begin, end   int
	content      string // tags and outputs: trimmed content
	trimL, trimR bool   // tags and outputs: "-" markers
	cutL, cutR   int    // text: bytes trimmed by neighbours
}

// lqTokenize splits a template into text, {{ output }} and {% tag %}
// tokens, as liquidjs's tokenizer does, and applies the "-" whitespace
// control to the neighbouring text.
func lqTokenize(s string) ([]lqToken, error) {
	var toks []lqToken
	for p := 0; p < len(s); {
		switch {
		case strings.HasPrefix(s[p:], "{%"):
			i := strings.Index(s[p+1:], "%}")
			if i < 0 {
				return nil, lqNotClosed("tag", s[p:])
			}
			end := p + 1 + i + 2
			t := lqDelimited(s, lqIf, p, end)
			toks = append(toks, t)
			p = end
			if name, _ := tagName(t.content); name == "raw" {
				var err error
				if toks, p, err = lqRaw(s, p, toks); err != nil {
					return nil, err
				}
			}
		case strings.HasPrefix(s[p:], "{{"):
			end := -1
			for q := p; q < len(s); {
				if c := s[q]; c == '"' || c == '\'' {
					q++
					escaped := false
					for q < len(s) {
						q++
						if s[q-1] == c && !escaped {
							break
						}
						if escaped {
							escaped = false
						} else if s[q-1] == '\\' {
							escaped = true
						}
					}
					continue
				}
				q++
				if q >= 2 && s[q-2] == '}' && s[q-1] == '}' {
					end = q
					break
				}
			}
			if end < 0 {
				return nil, lqNotClosed("output", s[p:])
			}
			toks = append(toks, lqDelimited(s, lqOutput, p, end))
			p = end
		default:
			q := p
			for q < len(s) && !strings.HasPrefix(s[q:], "{%") && !strings.HasPrefix(s[q:], "{{") {
				q++
			}
			toks = append(toks, lqToken{kind: lqText, begin: p, end: q})
			p = q
		}
	}
	// Whitespace control: "-" trims the neighbouring text's blanks.
	for i, t := range toks {
		if t.kind == lqText {
			continue
		}
		if t.trimL && i > 0 && toks[i-1].kind == lqText {
			prev := &toks[i-1]
			j := prev.end
			for j > 0 {
				k := j - 1
				for k > 0 && s[k]&0xC0 == 0x80 && j-k < 4 {
					k--
				}
				r, n := decodeWTF8(s, k)
				if k+n != j || !isLqBlank(r) {
					break
				}
				j = k
			}
			prev.cutR = prev.end - j
		}
		if t.trimR && i+1 < len(toks) && toks[i+1].kind == lqText {
			next := &toks[i+1]
			j := next.begin
			for j < len(s) {
				r, n := decodeWTF8(s, j)
				if !isLqBlank(r) {
					break
				}
				j += n
			}
			next.cutL = j - next.begin
		}
	}
	return toks, nil
}

// lqNotClosed is liquidjs's error for an unclosed tag or output: what
// follows, as JSON, cut to 32 UTF-16 units.
func lqNotClosed(what, rest string) error {
	if u := toUnits(rest); len(u) > 32 {
		rest = fromUnits(u[:29]) + "..."
	}
	return lqInvalid(what + " " + string(appendQuoted(nil, rest)) + " not closed")
}

// lqRaw reads what follows a raw tag at p as liquidjs's tokenizer does:
// the text up to a "{%" whose first word is "endraw" (so "{%- endraw"
// does not close it), then that endraw tag, whose end is the first "%}"
// after it.
func lqRaw(s string, p int, toks []lqToken) ([]lqToken, int, error) {
	left := -1
	next := func() {
		i := strings.Index(s[p:], "{%")
		left = p + i
		p = left + 2
		if i < 0 {
			left, p = -1, len(s)
		}
	}
	for begin := p; ; begin = p {
		next()
	scan:
		for p < len(s) {
			l := lqLexer{s: s, p: p}
			l.skipBlank()
			w := l.p
			for l.wordAt(l.p) {
				_, n := decodeWTF8(s, l.p)
				l.p += n
			}
			if p = l.p; s[w:p] != "endraw" {
				next()
				continue
			}
			for ; p <= len(s); p++ {
				if strings.HasSuffix(s[:p], "%}") {
					if begin == left {
						return append(toks, lqDelimited(s, lqIf, begin, p)), p, nil
					}
					toks = append(toks, lqToken{kind: lqText, begin: begin, end: left})
					p = left
					break scan
				}
				if strings.HasSuffix(s[:p], "{%") {
					break
				}
			}
		}
		if p >= len(s) {
			return nil, 0, lqInvalid("raw is not closed with {% endraw %}")
		}
	}
}

// lqDelimited is the token for s[begin:end], an output or a tag with its
// delimiters: its "-" markers and its content without blanks.
func lqDelimited(s string, kind lqNodeKind, begin, end int) lqToken {
	t := lqToken{kind: kind, begin: begin, end: end}
	cb, ce := begin+2, end-2
	t.trimL = cb < len(s) && s[cb] == '-'
	t.trimR = ce-1 >= 0 && s[ce-1] == '-'
	l, r := cb, ce
	if t.trimL {
		l++
	}
	if t.trimR {
		r--
	}
	for l < r {
		c, n := decodeWTF8(s, l)
		if !isLqBlank(c) {
			break
		}
		l += n
	}
	for r > l {
		k := r - 1
		for k > l && s[k]&0xC0 == 0x80 && r-k < 4 {
			k--
		}
		c, n := decodeWTF8(s, k)
		if k+n != r || !isLqBlank(c) {
			break
		}
		r = k
	}
	if l < r {
		t.content = s[l:r]
	}
	return t
}

// text is a text token's content, less what whitespace control cut.
func (t lqToken) text(s string) string {
	b, e := t.begin+t.cutL, t.end-t.cutR
	if b >= e {
		return ""
	}
	return s[b:e]
}

// lqLexer reads an expression (the inside of {{ }} or a tag's arguments);
// p is the cursor, a byte offset into s.
type lqLexer struct {
	s string
	p int
}

// skipBlank moves the cursor past blanks.
func (l *lqLexer) skipBlank() {
	for l.p < len(l.s) {
		r, n := decodeWTF8(l.s, l.p)
		if !isLqBlank(r) {
			return
		}
		l.p += n
	}
}

// peekRune is the character off bytes after the cursor, or -1 at the end.
func (l *lqLexer) peekRune(off int) rune {
	if l.p+off >= len(l.s) {
		return -1
	}
	r, _ := decodeWTF8(l.s, l.p+off)
	return r
}

// wordAt reports whether a word character starts at byte i.
func (l *lqLexer) wordAt(i int) bool {
	if i >= len(l.s) {
		return false
	}
	r, _ := decodeWTF8(l.s, i)
	return isLqWord(r)
}

// operator matches liquidjs's operator trie at the cursor.
func (l *lqLexer) operator() string {
	rest := l.s[l.p:]
	for _, op := range [...]string{"contains", "and", "not", "or", ">=", "<=", "==", "!=", ">", "<"} {
		if strings.HasPrefix(rest, op) {
			if op[0] >= 'a' && l.wordAt(l.p+len(op)) {
				continue
			}
			return op
		}
	}
	return ""
}

// word reads liquidjs's identifier after blanks: word characters,
// possibly none.
func (l *lqLexer) word() string {
	l.skipBlank()
	start := l.p
	for l.wordAt(l.p) {
		_, n := decodeWTF8(l.s, l.p)
		l.p += n
	}
	return l.s[start:l.p]
}

// lqLiterals are the literal words and their values: nil and null are
// liquidjs's NullDrop, empty and blank its EmptyDrop and BlankDrop.
var lqLiterals = [...]struct {
	w string
	v value
}{{"true", vTrue}, {"false", vFalse}, {"nil", value{k: kLiquidNil}}, {"null", value{k: kLiquidNil}},
	{"empty", value{k: kLiquidEmpty}}, {"blank", value{k: kLiquidBlank}}}

// value reads an operand as liquidjs's readValue does: a literal, a
// quoted string, a number or a range, then properties (.name or [value]);
// or a variable path. It returns nil when there is no operand at the
// cursor.
func (l *lqLexer) value() (*lqOperand, error) {
	l.skipBlank()
	var o *lqOperand
	for _, lit := range lqLiterals {
		if strings.HasPrefix(l.s[l.p:], lit.w) && !l.wordAt(l.p+len(lit.w)) {
			l.p += len(lit.w)
			o = &lqOperand{val: lit.v}
			break
		}
	}
	if o != nil || l.p >= len(l.s) {
	} else if c := l.s[l.p]; c == '"' || c == '\'' {
		o = &lqOperand{val: str(l.quoted())}
	} else if f, ok := l.number(); ok {
		o = &lqOperand{val: num(f)}
	} else if c == '(' {
		// A range, (low..high).
		l.p++
		lo, err := l.value()
		if err == nil && lo == nil {
			err = lqInvalid("unexpected token, value expected")
		}
		if err != nil {
			return nil, err
		}
		l.skipBlank()
		if !strings.HasPrefix(l.s[l.p:], "..") {
			return nil, lqInvalid("invalid range syntax")
		}
		l.p += 2
		hi, err := l.value()
		if err == nil && hi == nil {
			err = lqInvalid("unexpected token, value expected")
		}
		if err != nil {
			return nil, err
		}
		l.skipBlank()
		if l.p >= len(l.s) || l.s[l.p] != ')' {
			return nil, lqInvalid("invalid range syntax")
		}
		l.p++
		o = &lqOperand{kind: lqRange, lo: lo, hi: hi}
	}
	var keys []lqKey
	for l.p < len(l.s) {
		if l.s[l.p] == '[' {
			l.p++
			k, err := l.value()
			if err != nil {
				return nil, err
			}
			if k == nil {
				k = &lqOperand{val: emptyStr}
			}
			i := strings.IndexByte(l.s[l.p:], ']')
			if i < 0 {
				return nil, lqInvalid("[ not closed")
			}
			l.p += i + 1
			keys = append(keys, lqKey{dyn: k})
			continue
		}
		if o == nil && keys == nil {
			if w := l.word(); w != "" {
				keys = append(keys, lqKey{s: w})
				continue
			}
		}
		if l.p < len(l.s) && l.s[l.p] == '.' && (l.p+1 == len(l.s) || l.s[l.p+1] != '.') {
			l.p++
			if w := l.word(); w != "" {
				keys = append(keys, lqKey{s: w})
				continue
			}
		}
		break
	}
	if keys == nil {
		return o, nil
	}
	return &lqOperand{kind: lqPath, base: o, path: keys}, nil
}

// quoted reads a quoted string as liquidjs does: to the next unescaped
// quote or the end, then its escapes (\n and the like, \uXXXX, octal;
// any other escaped character is itself).
func (l *lqLexer) quoted() string {
	q := l.s[l.p]
	start := l.p
	l.p++
	for esc := false; l.p < len(l.s); {
		c := l.s[l.p]
		l.p++
		if c == q && !esc {
			break
		}
		esc = !esc && c == '\\'
	}
	raw := l.s[start+1 : l.p]
	if l.p-start >= 2 {
		raw = raw[:len(raw)-1] // the closing quote, or the last character
	} else {
		raw = ""
	}
	var b []byte
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c != '\\' || i+1 == len(raw) {
			b = append(b, c)
			continue
		}
		i++
		c = raw[i]
		if j := strings.IndexByte("bfnrtv", c); j >= 0 {
			b = append(b, "\b\f\n\r\t\v"[j])
		} else if c == 'u' || c >= '0' && c <= '7' {
			n, base, max := 0, 16, 4
			if c != 'u' {
				base, max = 8, 3
				i--
			}
			for k := 0; k < max && i+1 < len(raw) && hexVal(raw[i+1]) >= 0 && int(hexVal(raw[i+1])) < base; k++ {
				i++
				n = n*base + int(hexVal(raw[i]))
			}
			b = appendWTF8(b, rune(n))
		} else {
			b = append(b, c)
		}
	}
	return joinSurrogates(string(b))
}

// number reads a number as liquidjs does: a sign, digits with at most one
// ".", and no word character after.
func (l *lqLexer) number() (float64, bool) {
	q := l.p
	if q < len(l.s) && (l.s[q] == '-' || l.s[q] == '+') {
		q++
	}
	digits, dot := false, false
	for ; q < len(l.s); q++ {
		if c := l.s[q]; c >= '0' && c <= '9' {
			digits = true
		} else if c == '.' && (q+1 == len(l.s) || l.s[q+1] != '.') {
			if dot || !digits {
				return 0, false
			}
			dot = true
		} else {
			break
		}
	}
	if !digits || l.wordAt(q) {
		return 0, false
	}
	f := jsnum.ToNumber(strings.TrimSuffix(l.s[l.p:q], "."))
	l.p = q
	return f, true
}
