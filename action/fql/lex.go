package fql

import "unicode/utf8"

// The lexer follows the design of text/template/parse: a lexer value holds
// the input and the current position, and each state function scans one kind
// of token, emits it and returns the next state. The scanning rules copy
// @segment/fql-ts 1.10.1 (the lexer behind parseFql), quirks included; they
// are noted where they matter.

// itemType identifies the kind of a token.
type itemType int

const (
	itemEOF         itemType = iota // end of input; its JavaScript value is "eos"
	itemIdent                       // field names, true, false, contains, ...
	itemDot                         // .
	itemOperator                    // = != < <= > >= !
	itemConditional                 // and, or (lower case only)
	itemString                      // "..." or '...'
	itemNumber                      // 12, -3.5, also "-" alone
	itemNull                        // null
	itemBrackLeft                   // [
	itemBrackRight                  // ]
	itemParenLeft                   // (
	itemParenRight                  // )
	itemComma                       // ,
)

// item is one token. For strings val is the text between the quotes and
// quote is the quote character; for every other kind val is the token's
// value as fql-ts reports it.
type item struct {
	typ   itemType
	pos   int // byte offset of the token in the query
	val   string
	quote byte
}

const (
	eof = -1
	// maxLiteral is fql-ts's limit on the length (in UTF-16 code units) of
	// an identifier, a string's content and a number after its first
	// character: reaching it is an error.
	maxLiteral = 100000
)

type lexer struct {
	input string
	start int // start of the current token
	pos   int // current position
	items []item
	err   *SyntaxError
}

// stateFn is a lexer state: it scans from l.pos and returns the next state,
// or nil when lexing is over.
type stateFn func(*lexer) stateFn

// lex splits input into tokens ending with an itemEOF, or returns the first
// lexical error.
func lex(input string) ([]item, *SyntaxError) {
	l := &lexer{input: input, items: make([]item, 0, 8)}
	for state := stateFn(lexAny); state != nil; {
		state = state(l)
	}
	if l.err != nil {
		return nil, l.err
	}
	return l.items, nil
}

// next consumes and returns the next rune, or eof at the end of the input
// (without moving).
func (l *lexer) next() rune {
	if l.pos >= len(l.input) {
		return eof
	}
	r, w := utf8.DecodeRuneInString(l.input[l.pos:])
	l.pos += w
	return r
}

// peek returns the next rune without consuming it.
func (l *lexer) peek() rune {
	if l.pos >= len(l.input) {
		return eof
	}
	r, _ := utf8.DecodeRuneInString(l.input[l.pos:])
	return r
}

// emit records an item that starts at l.start.
//
// Not inlined, nor is errorf: the lexer calls them at 17 and 11 places,
// and each inlined copy of the append or the allocation costs the .wasm
// about 200 bytes, for a lexer that runs only when settings arrive.
//
//go:noinline
func (l *lexer) emit(t itemType, val string) {
	l.items = append(l.items, item{typ: t, pos: l.start, val: val})
}

// errorf stops the lexer with a syntax error at pos.
//
//go:noinline
func (l *lexer) errorf(pos int, msg string) stateFn {
	l.err = &SyntaxError{Query: l.input, Offset: pos, Msg: msg}
	return nil
}

// accept consumes s if the input continues with s followed by a
// terminator, and reports whether it did. Otherwise it restores the
// position, except when it runs into the end of the input: fql-ts then
// keeps the characters it consumed, which is why "name = an" compares the
// name with "a".
func (l *lexer) accept(s string) bool {
	save := l.pos
	units := 0
	same := true
	for units < len(s) {
		r := l.next()
		if r == eof {
			return false
		}
		if r >= utf8.RuneSelf || byte(r) != s[units] {
			same = false
		}
		units += utf16Len(r)
		if isTerminator(r) {
			same = false
			break
		}
	}
	if same && units == len(s) && isTerminator(l.peek()) {
		return true
	}
	l.pos = save
	return false
}

// lexAny scans the start of a token.
func lexAny(l *lexer) stateFn {
	for {
		l.start = l.pos
		r := l.next()
		switch {
		case r == eof:
			l.emit(itemEOF, "eos")
			return nil
		case r == ' ' || r == '\t' || r == '\n':
			continue // '\r' is not white space for fql-ts
		case r == '!':
			if p := l.peek(); isAlpha(p) || p == '(' {
				l.emit(itemOperator, "!")
				return lexAny
			}
			return lexWord
		case isAlpha(r) || r == '=' || r == '<' || r == '>' || r == '\\' || r == '_':
			return lexWord
		case isDigit(r) || r == '-' || r == '+':
			return lexNumber
		case r == '"' || r == '\'':
			return lexString
		case r == '.':
			l.emit(itemDot, ".")
		case r == '[':
			l.emit(itemBrackLeft, "[")
		case r == ']':
			l.emit(itemBrackRight, "]")
		case r == ',':
			l.emit(itemComma, ",")
		case r == '(':
			l.emit(itemParenLeft, "(")
		case r == ')':
			l.emit(itemParenRight, ")")
		default:
			return l.errorf(l.start, "invalid character "+quoteRune(r))
		}
		return lexAny
	}
}

// lexWord scans an operator, a conditional, null or an identifier; the
// first character is already consumed.
func lexWord(l *lexer) stateFn {
	switch c := l.input[l.start]; c {
	case '=':
		l.emit(itemOperator, "=")
	case '!':
		if !l.accept("=") {
			return l.errorf(l.start, `expected "=" and a space after "!"`)
		}
		l.emit(itemOperator, "!=")
	case '<', '>':
		if l.accept("=") {
			l.emit(itemOperator, string(c)+"=")
		} else {
			l.emit(itemOperator, string(c))
		}
	case 'a':
		if !l.accept("nd") {
			return lexIdent
		}
		l.emit(itemConditional, "and")
	case 'o':
		if !l.accept("r") {
			return lexIdent
		}
		l.emit(itemConditional, "or")
	case 'n':
		if !l.accept("ull") {
			return lexIdent
		}
		l.emit(itemNull, "null")
	default:
		return lexIdent
	}
	return lexAny
}

// lexIdent scans an identifier whose first character (a letter, '_' or
// '\\') is at l.start. A backslash escapes any following character.
func lexIdent(l *lexer) stateFn {
	from := l.pos // l.start+1, or the end of the input after accept's quirk
	escaped := false
	r := rune(l.input[l.start])
	for n := 0; ; {
		if r == '\\' {
			if l.peek() == eof {
				return l.errorf(l.pos-1, `expected a character after "\" but the query ends`)
			}
			escPos := l.pos
			r = l.next()
			escaped = true
			if r > 0xFFFF {
				// fql-ts escapes a single UTF-16 code unit, which leaves
				// half a surrogate pair behind.
				return l.errorf(escPos, "cannot escape "+quoteRune(r)+" (outside the Basic Multilingual Plane)")
			}
		}
		n++
		if n >= maxLiteral {
			return l.errorf(l.start, "identifier is too long")
		}
		if !isIdentChar(l.peek()) {
			break
		}
		r = l.next()
	}
	if p := l.peek(); !(p == eof || isTerminator(p) || p == '.' || p == '(' || p == '=' || p == '!') {
		return l.errorf(l.pos, "unexpected "+quoteRune(p)+" after identifier (add a space?)")
	}
	val := l.input[l.start:l.pos]
	if from != l.start+1 {
		val = l.input[l.start : l.start+1]
	}
	if escaped {
		val = unescapeIdent(val)
	}
	l.emit(itemIdent, val)
	return lexAny
}

// unescapeIdent removes the backslash of each escape in an identifier.
func unescapeIdent(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b = append(b, s[i])
	}
	return string(b)
}

// lexNumber scans a number whose first character (a digit, '-' or '+') is
// at l.start. Only digits and one '.' follow; nothing checks what comes
// after, so "5abc" is the number 5 then the identifier abc.
func lexNumber(l *lexer) stateFn {
	decimal := false
	for n := 0; ; {
		p := l.peek()
		if !isDigit(p) && p != '.' {
			break
		}
		l.next()
		n++
		if p == '.' {
			if isTerminator(l.peek()) {
				return l.errorf(l.pos-1, "number ends with a decimal point")
			}
			if decimal {
				return l.errorf(l.pos-1, "number has two decimal points")
			}
			decimal = true
		}
		if n >= maxLiteral {
			return l.errorf(l.start, "number is too long")
		}
	}
	l.emit(itemNumber, l.input[l.start:l.pos])
	return lexAny
}

// lexString scans a string whose opening quote is at l.start. There are no
// escapes. fql-ts consumes the closing quote only when a terminator follows
// it; otherwise the closing quote also opens the next string, so `"a"b` is
// the string "a" then an unterminated string.
func lexString(l *lexer) stateFn {
	q := l.input[l.start]
	units := 0
	for l.peek() != rune(q) {
		r := l.next()
		if r == eof {
			return l.errorf(l.start, "unterminated string")
		}
		units += utf16Len(r)
		if units >= maxLiteral {
			return l.errorf(l.start, "string is too long")
		}
	}
	content := l.input[l.start+1 : l.pos]
	l.accept(string(q))
	l.items = append(l.items, item{typ: itemString, pos: l.start, val: content, quote: q})
	return lexAny
}

// isAlpha reports whether r is an ASCII letter (fql-ts tests /[a-z]/i on a
// single UTF-16 code unit, which matches only ASCII letters).
func isAlpha(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
}

func isDigit(r rune) bool {
	return r >= '0' && r <= '9'
}

func isIdentChar(r rune) bool {
	return isAlpha(r) || isDigit(r) || r == '_' || r == '-' || r == '\\'
}

// isTerminator reports whether r may follow and, or, null, a closing quote
// or a two-character operator.
func isTerminator(r rune) bool {
	return r == eof || r == ' ' || r == '\t' || r == '\n' || r == ',' || r == ']' || r == ')'
}

// utf16Len is the number of UTF-16 code units of r.
func utf16Len(r rune) int {
	if r > 0xFFFF {
		return 2
	}
	return 1
}

func quoteRune(r rune) string {
	if r == eof {
		return "end of query"
	}
	return quoteString(string(r))
}
