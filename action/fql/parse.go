package fql

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"rupt-actions-wasm/action/internal/jsnum"
)

// SyntaxError is returned by Parse for a query that Segment's parseFql
// rejects (Segment then never matches the subscription).
type SyntaxError struct {
	Query  string // the query as given to Parse
	Offset int    // byte offset in Query where the problem is, or -1
	Msg    string // what is wrong
}

// Error formats the error as `fql: <Msg> at offset <Offset> in "<Query>"`;
// a very long query is shortened.
func (e *SyntaxError) Error() string {
	s := "fql: " + e.Msg
	if e.Offset >= 0 {
		s += " at offset " + strconv.Itoa(e.Offset)
	}
	return s + " in " + quoteString(shorten(e.Query, e.Offset))
}

// shorten cuts q to about 100 bytes around offset.
func shorten(q string, offset int) string {
	const max = 100
	if len(q) <= max {
		return q
	}
	start := 0
	if offset > max/2 {
		start = offset - max/2
	}
	end := start + max
	if end > len(q) {
		end = len(q)
		start = end - max
	}
	for start > 0 && !utf8.RuneStart(q[start]) {
		start--
	}
	for end < len(q) && !utf8.RuneStart(q[end]) {
		end++
	}
	s := q[start:end]
	if start > 0 {
		s = "…" + s
	}
	if end < len(q) {
		s += "…"
	}
	return s
}

func quoteString(s string) string {
	return strconv.Quote(s)
}

// Query is a parsed subscription query. It is immutable and safe for
// concurrent use.
type Query struct {
	src  string
	root *node // always a group
}

// String returns the query's source text.
func (q *Query) String() string {
	if q == nil {
		return ""
	}
	return q.src
}

// Parse parses a subscription query once; evaluate many times.
//
// Parse fails exactly when Segment's parseFql fails. A query that
// parseFql accepts while silently dropping parts of it (a negated group, an
// unknown field, a stray ")") is accepted the same way.
func Parse(src string) (*Query, error) {
	return parse(src, false)
}

// parse parses src; with oracleQuotes it keeps the quotes of single-quoted
// strings as parseFql does, instead of the deliberate difference.
func parse(src string, oracleQuotes bool) (*Query, error) {
	if !utf8.ValidString(src) {
		off := 0
		for off < len(src) {
			r, w := utf8.DecodeRuneInString(src[off:])
			if r == utf8.RuneError && w == 1 {
				break
			}
			off += w
		}
		return nil, &SyntaxError{Query: src, Offset: off, Msg: "invalid UTF-8"}
	}
	toks, lerr := lex(src)
	if lerr != nil {
		return nil, lerr
	}
	p := &parser{src: src, oracleQuotes: oracleQuotes}
	n, count, err := p.parseTokens(joinDotted(toks))
	if err != nil {
		return nil, err
	}
	if n == nil {
		if count > 0 {
			return nil, p.errorf(-1, "query has only empty parentheses")
		}
		return nil, p.errorf(-1, "query has no conditions")
	}
	if n.kind != kindGroup {
		n = &node{kind: kindGroup, children: []*node{n}}
	}
	return &Query{src: src, root: n}, nil
}

// joinDotted merges each identifier, ".", identifier run into one
// identifier, as parseFql's normalize does: properties.a.b becomes one
// token. Anything else after a dot (a number, "and", a string) stays apart,
// so properties.0 is the identifier properties, a dot and a number.
func joinDotted(toks []item) []item {
	out := make([]item, 0, len(toks))
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.typ == itemIdent {
			j := i
			for j+2 < len(toks) && toks[j+1].typ == itemDot && toks[j+2].typ == itemIdent {
				j += 2
			}
			if j > i {
				var b strings.Builder
				for k := i; k <= j; k += 2 {
					if k > i {
						b.WriteByte('.')
					}
					b.WriteString(toks[k].val)
				}
				t.val = b.String()
				i = j
			}
		}
		out = append(out, t)
	}
	return out
}

type parser struct {
	src          string
	oracleQuotes bool
}

// errorf returns a syntax error at pos. Not inlined, nor is jsValue: like
// the lexer's (lex.go), they are called at many places of code that runs
// only when settings arrive, and inlined copies only cost the .wasm bytes.
//
//go:noinline
func (p *parser) errorf(pos int, msg string) *SyntaxError {
	return &SyntaxError{Query: p.src, Offset: pos, Msg: msg}
}

// tokens is a queue of tokens; once it is empty, take reports false (the
// oracle's "undefined"), which is different from an itemEOF token.
type tokens struct {
	list []item
	i    int
}

func (ts *tokens) take() (item, bool) {
	if ts.i >= len(ts.list) {
		return item{}, false
	}
	t := ts.list[ts.i]
	ts.i++
	return t, true
}

// fieldHeads maps the part of an identifier before its first dot to the
// field it names. Names of Object.prototype members map to fieldNone:
// parseFql looks heads up in a plain object, finds them, consumes the
// operator and value tokens and then adds no condition.
var fieldHeads = map[string]field{
	"type":       fieldType,
	"event":      fieldEvent,
	"name":       fieldName,
	"userId":     fieldUserID,
	"properties": fieldProperties,
	"traits":     fieldTraits,
	"context":    fieldContext,

	"constructor":          fieldNone,
	"__defineGetter__":     fieldNone,
	"__defineSetter__":     fieldNone,
	"hasOwnProperty":       fieldNone,
	"__lookupGetter__":     fieldNone,
	"__lookupSetter__":     fieldNone,
	"isPrototypeOf":        fieldNone,
	"propertyIsEnumerable": fieldNone,
	"toString":             fieldNone,
	"valueOf":              fieldNone,
	"__proto__":            fieldNone,
	"toLocaleString":       fieldNone,
}

// parseTokens parses one sequence of conditions (the whole query, or the
// inside of a pair of parentheses followed by an itemEOF). It returns nil
// when the sequence holds no condition or only an empty group, and the
// number of conditions and groups read.
//
// The rules are parseFql's: conditions are read left to right, anything
// that does not start a condition is skipped, and the sequence is combined
// with the last "and"/"or" seen (default "and"), whatever came before.
func (p *parser) parseTokens(list []item) (*node, int, *SyntaxError) {
	ts := &tokens{list: list}
	var nodes []*node
	or := false
	for {
		t, ok := ts.take()
		if !ok || t.typ == itemEOF {
			break
		}
		switch t.typ {
		case itemIdent:
			head, _, _ := strings.Cut(t.val, ".")
			if f, known := fieldHeads[head]; known {
				op, ok := ts.take()
				if !ok {
					return nil, 0, p.errorf(t.pos, "missing operator after "+quoteString(t.val))
				}
				val, ok := ts.take()
				if !ok {
					return nil, 0, p.errorf(t.pos, "missing value after "+quoteString(t.val+" "+p.jsValue(op)))
				}
				if f != fieldNone {
					nodes = append(nodes, p.condition(f, t, op, val))
				}
			} else if t.val == "contains" || t.val == "match" {
				n, err := p.function(t, ts, false)
				if err != nil {
					return nil, 0, err
				}
				if n != nil {
					nodes = append(nodes, n)
				}
			}
		case itemOperator:
			// "!" negates only contains() and match(); before anything
			// else (a group, a comparison) it is dropped.
			if t.val != "!" {
				continue
			}
			if ts.i >= len(ts.list) {
				return nil, 0, p.errorf(t.pos, `nothing after "!"`)
			}
			if f := ts.list[ts.i]; f.typ == itemIdent && (f.val == "contains" || f.val == "match") {
				ts.i++
				n, err := p.function(f, ts, true)
				if err != nil {
					return nil, 0, err
				}
				if n != nil {
					nodes = append(nodes, n)
				}
			}
		case itemParenLeft:
			// The group ends at the next ")" token, whatever it belongs
			// to; a "(" inside a group can therefore never be closed.
			end := -1
			for j := ts.i; j < len(ts.list); j++ {
				if ts.list[j].typ == itemParenRight {
					end = j
					break
				}
			}
			if end < 0 {
				if len(list) > 0 && list[len(list)-1].pos == -1 {
					return nil, 0, p.errorf(t.pos, `nested "(" (parentheses cannot nest)`)
				}
				return nil, 0, p.errorf(t.pos, `unclosed "("`)
			}
			group := make([]item, 0, end-ts.i+1)
			group = append(group, ts.list[ts.i:end]...)
			group = append(group, item{typ: itemEOF, pos: -1, val: "eos"})
			n, _, err := p.parseTokens(group)
			if err != nil {
				return nil, 0, err
			}
			nodes = append(nodes, n) // nil (empty group) fails when evaluated
			ts.i = end + 1
		case itemConditional:
			or = t.val == "or"
		}
	}
	switch len(nodes) {
	case 0:
		return nil, 0, nil
	case 1:
		return nodes[0], 1, nil
	}
	return &node{kind: kindGroup, or: or, children: nodes}, len(nodes), nil
}

// jsValue is the token's value as fql-ts reports it (strings keep their
// quotes), except that with the deliberate difference a single-quoted
// string reads as double-quoted.
//
//go:noinline
func (p *parser) jsValue(t item) string {
	if t.typ != itemString {
		return t.val
	}
	q := string(t.quote)
	if !p.oracleQuotes {
		q = `"`
	}
	return q + t.val + q
}

// literal is parseFql's getTokenValue: the value a token stands for.
func (p *parser) literal(t item) jsLiteral {
	switch t.typ {
	case itemString:
		if t.quote == '"' || !p.oracleQuotes {
			return stringLiteral(t.val)
		}
		// parseFql strips double quotes only.
		return stringLiteral(p.jsValue(t))
	case itemNumber:
		n := jsnum.ToNumber(t.val)
		return jsLiteral{str: jsnum.String(n), num: n}
	case itemIdent:
		switch t.val {
		case "true":
			return jsLiteral{str: "true", num: 1}
		case "false":
			return jsLiteral{str: "false", num: 0}
		}
	}
	return stringLiteral(t.val)
}

// jsLiteral is an expected value: String(value) and Number(value).
type jsLiteral struct {
	str string
	num float64
}

func stringLiteral(s string) jsLiteral {
	return jsLiteral{str: s, num: jsnum.ToNumber(s)}
}

// condition builds the condition for "<ident> <op> <val>".
func (p *parser) condition(f field, ident, opTok, valTok item) *node {
	op, val := p.jsValue(opTok), p.jsValue(valTok)
	n := &node{kind: kindCond, field: f, op: operatorOf(op)}
	switch {
	case f == fieldType || f == fieldEvent:
		// No special forms: "type = null" compares with the string "null".
	case op == "!=" && val == "null":
		n.op = opExists
	case op == "=" && val == "null":
		n.op = opNotExists
	case f == fieldName:
	case op == "=" && val == "true":
		n.op = opIsTrue
	case op == "=" && val == "false":
		n.op = opIsFalse
	case f == fieldUserID:
	case op == "=" && valTok.typ == itemNumber:
		n.op = opNumberEquals
	case op == "!=" && valTok.typ == itemNumber:
		n.op = opNumberNotEquals
	}
	if f.isObject() {
		// The value keeps its type: Number(true) is 1 for "<".
		n.expect(p.literal(valTok))
		n.setPath(f, ident.val)
	} else {
		n.expect(stringLiteral(p.literal(valTok).str))
	}
	return n
}

// function parses contains(field, value) or match(field, pattern); fn is
// the function's name token, already consumed. The tokens are taken
// blindly, without checking they are "(", "," and ")". It returns nil when
// the first argument names no supported field (type included).
func (p *parser) function(fn item, ts *tokens, negate bool) (*node, *SyntaxError) {
	ts.take() // "("
	nameTok, ok := ts.take()
	if !ok {
		return nil, p.errorf(fn.pos, fn.val+"() is missing a 1st argument")
	}
	ts.take() // ","
	valTok, ok := ts.take()
	if !ok {
		return nil, p.errorf(fn.pos, fn.val+"() is missing a 2nd argument")
	}
	ts.take() // ")"

	n := &node{kind: kindCond}
	name := p.jsValue(nameTok)
	switch {
	case name == "event":
		n.field = fieldEvent
	case name == "name":
		n.field = fieldName
	case name == "userId":
		n.field = fieldUserID
	case strings.HasPrefix(name, "properties"):
		n.field = fieldProperties
	case strings.HasPrefix(name, "traits"):
		n.field = fieldTraits
	case strings.HasPrefix(name, "context"):
		n.field = fieldContext
	default:
		return nil, nil
	}
	if n.field.isObject() {
		n.setPath(n.field, name)
	}
	value := p.literal(valTok).str
	if fn.val == "contains" {
		n.op = opContains
		if negate {
			n.op = opNotContains
		}
		n.expect(stringLiteral(value))
		return n, nil
	}
	// match(): a pattern ending in "*" is a prefix; anything else is a
	// suffix after dropping its first character (UTF-16 code unit).
	if strings.HasSuffix(p.jsValue(valTok), `*"`) {
		n.op = opStartsWith
		if negate {
			n.op = opNotStartsWith
		}
		_, w := utf8.DecodeLastRuneInString(value)
		n.expect(stringLiteral(value[:len(value)-w]))
		return n, nil
	}
	n.op = opEndsWith
	if negate {
		n.op = opNotEndsWith
	}
	r, w := utf8.DecodeRuneInString(value)
	if r > 0xFFFF {
		// Dropping one code unit leaves the low surrogate in front.
		n.lowSurrogate = 0xDC00 + uint16((r-0x10000)&0x3FF)
	}
	n.expect(stringLiteral(value[w:]))
	return n, nil
}

// setPath sets the path of a properties/traits/context condition from the
// identifier, as lodash-like get(event[field], path) splits it.
func (n *node) setPath(f field, ident string) {
	path := strings.TrimPrefix(ident, f.key()+".")
	if path == "" {
		n.pathUndefined = true
		return
	}
	n.path = strings.FieldsFunc(path, func(r rune) bool { return r == '.' || r == '[' || r == ']' })
	if len(n.path) == 0 {
		n.pathThrows = true // parseFql's get() calls reduce on null
	}
}

func (n *node) expect(v jsLiteral) {
	n.expStr = v.str
	n.expNum = v.num
}
