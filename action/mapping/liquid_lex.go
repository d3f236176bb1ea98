package mapping

import (
	"strconv"
	"strings"
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
				return nil, lqInvalid("a {% tag is not closed with %}")
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
				return nil, lqInvalid("an {{ output is not closed with }}")
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

// isIdentStart reports whether c may start a variable name.
func isIdentStart(c byte) bool {
	return c == '_' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}

// isIdentChar reports whether c may continue a variable name.
func isIdentChar(c byte) bool {
	return isIdentStart(c) || c == '-' || ('0' <= c && c <= '9')
}

// ident reads [A-Za-z_][A-Za-z0-9_-]*, refusing other word characters.
func (l *lqLexer) ident() (string, error) {
	start := l.p
	if l.p >= len(l.s) || !isIdentStart(l.s[l.p]) {
		return "", lqUnsupported("expected a variable name")
	}
	for l.p < len(l.s) && isIdentChar(l.s[l.p]) {
		l.p++
	}
	if l.wordAt(l.p) {
		return "", lqUnsupported("unusual characters in a variable name")
	}
	return l.s[start:l.p], nil
}

// quoted reads a quoted string (either quote, no escapes).
func (l *lqLexer) quoted() (string, error) {
	q := l.s[l.p]
	end := strings.IndexByte(l.s[l.p+1:], q)
	if end < 0 {
		return "", lqUnsupported("unterminated string")
	}
	content := l.s[l.p+1 : l.p+1+end]
	if strings.IndexByte(content, '\\') >= 0 {
		return "", lqUnsupported("backslashes in strings are not supported")
	}
	l.p += end + 2
	return content, nil
}

// number reads [+-]?digits(.digits)?.
func (l *lqLexer) number() (float64, bool, error) {
	start := l.p
	q := l.p
	if q < len(l.s) && (l.s[q] == '-' || l.s[q] == '+') {
		q++
	}
	d := q
	for q < len(l.s) && l.s[q] >= '0' && l.s[q] <= '9' {
		q++
	}
	if q == d {
		return 0, false, nil
	}
	if q < len(l.s) && l.s[q] == '.' {
		q++
		f := q
		for q < len(l.s) && l.s[q] >= '0' && l.s[q] <= '9' {
			q++
		}
		if q == f {
			return 0, false, lqUnsupported("unusual number")
		}
	}
	if q < len(l.s) && (l.s[q] == '.' || l.s[q] == '[' || l.wordAt(q)) {
		return 0, false, lqUnsupported("unusual number")
	}
	f, err := strconv.ParseFloat(l.s[start:q], 64)
	if err != nil {
		return 0, false, lqUnsupported("unusual number")
	}
	l.p = q
	return f, true, nil
}

// noProps refuses a property access on the literal just read.
func (l *lqLexer) noProps() error {
	if l.p < len(l.s) && (l.s[l.p] == '.' || l.s[l.p] == '[') {
		return lqUnsupported("properties of literals are not supported")
	}
	return nil
}
