package mapping

import (
	"math"
	"strconv"
	"strings"

	"rupt-actions-wasm/action/internal/jsnum"
)

// This file is the @liquid subset (listed in the package doc): a small
// Liquid engine agreeing with liquidjs 10.30.1 as actions-core configures
// it (ownPropertyOnly, lenient variables and filters, some tags and
// filters disabled). Anything outside the subset is an ErrUnsupported
// error, never a guess.

const liquidMemoryLimit = 1e8

type lqNodeKind uint8

const (
	lqText lqNodeKind = iota
	lqOutput
	lqIf
)

type lqNode struct {
	kind     lqNodeKind
	text     string
	expr     *lqExpr
	branches []lqBranch
	els      []lqNode
}

type lqBranch struct {
	cond   *lqExpr
	negate bool // unless
	body   []lqNode
}

// lqExpr is an expression in postfix form, then filters.
type lqExpr struct {
	postfix []lqItem
	filters []lqFilter
}

type lqItem struct {
	op      string // operator, or "" for an operand
	operand lqOperand
}

type lqOperandKind uint8

const (
	lqConst lqOperandKind = iota
	lqPath
)

type lqOperand struct {
	kind lqOperandKind
	val  value   // constant (kLiquidNil for nil/null)
	path []lqKey // variable path
}

type lqKey struct {
	s     string
	n     float64
	isNum bool
}

type lqFilter struct {
	name string
	args []lqOperand
	err  error // raised when the filter runs, as liquidjs does
}

// kLiquidNil is liquidjs's nil literal (a NullDrop), which compares
// differently from null.
const kLiquidNil kind = 100

func lqUnsupported(msg string) error {
	return &Error{Directive: "@liquid", Msg: msg + "; this is outside the supported Liquid subset (see the package doc)", kind: ErrUnsupported}
}

func lqInvalid(msg string) error {
	return &Error{Directive: "@liquid", Msg: msg, kind: ErrInvalid}
}

// isLqBlank is liquidjs's BLANK character class.
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
			toks = append(toks, lqDelimited(s, lqIf, p, end))
			p = end
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

func (t lqToken) text(s string) string {
	b, e := t.begin+t.cutL, t.end-t.cutR
	if b >= e {
		return ""
	}
	return s[b:e]
}

// Tags liquidjs knows: disabled ones throw, others are outside the subset.
func lqTagStatus(name string) error {
	switch name {
	case "case", "for", "include", "layout", "render", "tablerow":
		return lqInvalid(`the tag "` + name + `" is disabled in Segment's Liquid`)
	case "assign", "capture", "comment", "decrement", "increment", "cycle", "block", "raw", "break", "continue", "echo", "liquid", "#":
		return lqUnsupported(`the tag "` + name + `" is not supported`)
	}
	return lqInvalid(`the tag "` + name + `" does not exist; use if/elsif/else/endif or unless/else/endunless`)
}

type lqParser struct {
	src  string
	toks []lqToken
	i    int
}

// tagName splits a tag's content into name and arguments.
func tagName(content string) (string, string) {
	if strings.HasPrefix(content, "#") {
		return "#", content[1:]
	}
	j := 0
	for j < len(content) {
		r, n := decodeWTF8(content, j)
		if !isLqWord(r) {
			break
		}
		j += n
	}
	return content[:j], jsTrimLqBlank(content[j:])
}

func jsTrimLqBlank(s string) string {
	for len(s) > 0 {
		r, n := decodeWTF8(s, 0)
		if !isLqBlank(r) {
			break
		}
		s = s[n:]
	}
	return s
}

// block parses nodes until one of the stop tags; it returns the stop tag
// met ("" at the end of input).
func (p *lqParser) block(stops ...string) ([]lqNode, string, string, error) {
	var nodes []lqNode
	for p.i < len(p.toks) {
		t := p.toks[p.i]
		p.i++
		switch t.kind {
		case lqText:
			if s := t.text(p.src); s != "" {
				nodes = append(nodes, lqNode{kind: lqText, text: s})
			}
		case lqOutput:
			e, err := parseLqExpr(t.content)
			if err != nil {
				return nil, "", "", err
			}
			nodes = append(nodes, lqNode{kind: lqOutput, expr: e})
		default:
			name, args := tagName(t.content)
			if name == "" {
				return nil, "", "", lqInvalid("a tag needs a name")
			}
			for _, s := range stops {
				if name == s {
					return nodes, name, args, nil
				}
			}
			switch name {
			case "if", "unless":
				n, err := p.conditional(name, args)
				if err != nil {
					return nil, "", "", err
				}
				nodes = append(nodes, n)
			case "elsif", "else", "endif", "endunless":
				return nil, "", "", lqInvalid(`the tag "` + name + `" has no matching opening tag`)
			default:
				return nil, "", "", lqTagStatus(name)
			}
		}
	}
	return nodes, "", "", nil
}

func (p *lqParser) conditional(name, args string) (lqNode, error) {
	cond, err := parseLqExpr(args)
	if err != nil {
		return lqNode{}, err
	}
	n := lqNode{kind: lqIf}
	if name == "unless" {
		body, stop, rest, err := p.block("else", "endunless", "elsif")
		if err != nil {
			return n, err
		}
		n.branches = append(n.branches, lqBranch{cond: cond, negate: true, body: body})
		switch stop {
		case "":
			return n, lqInvalid("{% unless %} is not closed with {% endunless %}")
		case "elsif":
			return n, lqUnsupported("elsif inside unless is not supported")
		case "else":
			if rest != "" {
				return n, lqUnsupported("else with arguments is not supported")
			}
			els, stop, rest, err := p.block("else", "endunless", "elsif")
			if err != nil {
				return n, err
			}
			if stop != "endunless" {
				if stop == "" {
					return n, lqInvalid("{% unless %} is not closed with {% endunless %}")
				}
				return n, lqUnsupported(stop + " after else inside unless is not supported")
			}
			if rest != "" {
				return n, lqUnsupported("endunless with arguments is not supported")
			}
			n.els = els
		case "endunless":
			if rest != "" {
				return n, lqUnsupported("endunless with arguments is not supported")
			}
		}
		return n, nil
	}
	body, stop, rest, err := p.block("elsif", "else", "endif")
	if err != nil {
		return n, err
	}
	n.branches = append(n.branches, lqBranch{cond: cond, body: body})
	for {
		switch stop {
		case "":
			return n, lqInvalid("{% if %} is not closed with {% endif %}")
		case "endif":
			if rest != "" {
				return n, lqInvalid("endif takes no arguments")
			}
			return n, nil
		case "elsif":
			c, err := parseLqExpr(rest)
			if err != nil {
				return n, err
			}
			body, stop, rest, err = p.block("elsif", "else", "endif")
			if err != nil {
				return n, err
			}
			n.branches = append(n.branches, lqBranch{cond: c, body: body})
		case "else":
			if rest != "" {
				return n, lqInvalid("else takes no arguments")
			}
			n.els, stop, rest, err = p.block("elsif", "else", "endif")
			if err != nil {
				return n, err
			}
			if stop == "elsif" || stop == "else" {
				return n, lqInvalid(stop + " after else")
			}
			if stop == "" {
				return n, lqInvalid("{% if %} is not closed with {% endif %}")
			}
			if rest != "" {
				return n, lqInvalid("endif takes no arguments")
			}
			return n, nil
		}
	}
}

// ------------------------------------------------------------ expressions

type lqLexer struct {
	s string
	p int
}

func (l *lqLexer) skipBlank() {
	for l.p < len(l.s) {
		r, n := decodeWTF8(l.s, l.p)
		if !isLqBlank(r) {
			return
		}
		l.p += n
	}
}

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

func isIdentStart(c byte) bool {
	return c == '_' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}

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

func (l *lqLexer) noProps() error {
	if l.p < len(l.s) && (l.s[l.p] == '.' || l.s[l.p] == '[') {
		return lqUnsupported("properties of literals are not supported")
	}
	return nil
}

func (l *lqLexer) operand() (lqOperand, error) {
	l.skipBlank()
	if l.p >= len(l.s) {
		return lqOperand{}, lqUnsupported("expected a value")
	}
	rest := l.s[l.p:]
	for _, lit := range [...]string{"true", "false", "nil", "null", "empty", "blank"} {
		if strings.HasPrefix(rest, lit) && !l.wordAt(l.p+len(lit)) {
			l.p += len(lit)
			var v value
			switch lit {
			case "true":
				v = vTrue
			case "false":
				v = vFalse
			case "nil", "null":
				v = value{k: kLiquidNil}
			default:
				return lqOperand{}, lqUnsupported(`"empty" and "blank" are not supported`)
			}
			return lqOperand{kind: lqConst, val: v}, l.noProps()
		}
	}
	c := l.s[l.p]
	if c == '"' || c == '\'' {
		s, err := l.quoted()
		if err != nil {
			return lqOperand{}, err
		}
		return lqOperand{kind: lqConst, val: str(s)}, l.noProps()
	}
	if f, ok, err := l.number(); err != nil {
		return lqOperand{}, err
	} else if ok {
		return lqOperand{kind: lqConst, val: num(f)}, nil
	}
	name, err := l.ident()
	if err != nil {
		return lqOperand{}, err
	}
	switch name {
	case "and", "or", "not", "contains":
		return lqOperand{}, lqUnsupported("operator words as variable names are not supported")
	}
	op := lqOperand{kind: lqPath, path: []lqKey{{s: name}}}
	for l.p < len(l.s) {
		switch {
		case l.s[l.p] == '.' && l.peekRune(1) != '.':
			l.p++
			k, err := l.ident()
			if err != nil {
				return lqOperand{}, err
			}
			op.path = append(op.path, lqKey{s: k})
		case l.s[l.p] == '[':
			l.p++
			l.skipBlank()
			if l.p >= len(l.s) {
				return lqOperand{}, lqUnsupported("unclosed [")
			}
			var key lqKey
			if c := l.s[l.p]; c == '"' || c == '\'' {
				s, err := l.quoted()
				if err != nil {
					return lqOperand{}, err
				}
				key = lqKey{s: s}
			} else {
				f, ok, err := l.number()
				if err != nil || !ok || f != math.Trunc(f) {
					return lqOperand{}, lqUnsupported("only quoted keys and integer indexes are supported in [...]")
				}
				key = lqKey{n: f, isNum: true}
			}
			l.skipBlank()
			if l.p >= len(l.s) || l.s[l.p] != ']' {
				return lqOperand{}, lqUnsupported("expected ]")
			}
			l.p++
			op.path = append(op.path, key)
		default:
			return op, nil
		}
	}
	return op, nil
}

func lqPrecedence(op string) int {
	if op == "and" || op == "or" {
		return 0
	}
	return 2
}

// parseLqExpr parses an expression with filters (liquidjs's
// readFilteredValue), insisting on the whole input.
func parseLqExpr(s string) (*lqExpr, error) {
	l := &lqLexer{s: s}
	e := &lqExpr{}
	var ops []string
	expectOperand := true
	for {
		l.skipBlank()
		if op := l.operator(); op != "" {
			if expectOperand {
				return nil, lqUnsupported("unexpected operator " + quote(op))
			}
			if op == "not" {
				return nil, lqUnsupported(`the "not" operator is not supported`)
			}
			l.p += len(op)
			for len(ops) > 0 && lqPrecedence(ops[len(ops)-1]) > lqPrecedence(op) {
				e.postfix = append(e.postfix, lqItem{op: ops[len(ops)-1]})
				ops = ops[:len(ops)-1]
			}
			ops = append(ops, op)
			expectOperand = true
			continue
		}
		if !expectOperand || l.p >= len(l.s) || l.s[l.p] == '|' {
			break
		}
		o, err := l.operand()
		if err != nil {
			return nil, err
		}
		e.postfix = append(e.postfix, lqItem{operand: o})
		expectOperand = false
	}
	if len(e.postfix) == 0 {
		if len(ops) == 0 {
			return nil, lqInvalid("an output or condition needs a value")
		}
		return nil, lqUnsupported("missing operand")
	}
	if expectOperand {
		return nil, lqUnsupported("missing operand after an operator")
	}
	for i := len(ops) - 1; i >= 0; i-- {
		e.postfix = append(e.postfix, lqItem{op: ops[i]})
	}
	for {
		l.skipBlank()
		if l.p >= len(l.s) {
			return e, nil
		}
		if l.s[l.p] != '|' {
			return nil, lqUnsupported("unexpected text " + quote(l.s[l.p:]))
		}
		l.p++
		l.skipBlank()
		start := l.p
		for l.wordAt(l.p) {
			_, n := decodeWTF8(l.s, l.p)
			l.p += n
		}
		name := l.s[start:l.p]
		if name == "" {
			return nil, lqUnsupported("expected a filter name")
		}
		f := lqFilter{name: name}
		l.skipBlank()
		if l.p < len(l.s) && l.s[l.p] == ':' {
			for {
				l.p++
				a, err := l.operand()
				if err != nil {
					return nil, err
				}
				l.skipBlank()
				if l.p < len(l.s) && l.s[l.p] == ':' {
					return nil, lqUnsupported("named filter arguments are not supported")
				}
				f.args = append(f.args, a)
				if l.p < len(l.s) && l.s[l.p] == ',' {
					continue
				}
				break
			}
			if l.p < len(l.s) && l.s[l.p] != '|' {
				return nil, lqUnsupported("unexpected text " + quote(l.s[l.p:]))
			}
		} else if l.p < len(l.s) && l.s[l.p] != '|' {
			return nil, lqUnsupported("unexpected text " + quote(l.s[l.p:]))
		}
		f.err = checkFilter(f)
		e.filters = append(e.filters, f)
	}
}

// liquidjs's filter names; the ones our subset implements are in
// lqFilters.
var lqKnownFilters = strings.Fields(`escape xml_escape escape_once newline_to_br strip_html abs at_least at_most
ceil divided_by floor minus plus modulo times round url_decode url_encode cgi_escape uri_escape slugify join last
first reverse sort sort_natural size map sum compact concat push unshift pop shift slice where reject where_exp
reject_exp group_by group_by_exp has has_exp find_index find_index_exp find find_exp uniq sample date
date_to_xmlschema date_to_rfc822 date_to_string date_to_long_string append prepend lstrip downcase upcase remove
remove_first remove_last rstrip split strip strip_newlines squish capitalize replace replace_first replace_last
truncate truncatewords normalize_whitespace number_of_words array_to_sentence_string base64_encode base64_decode
sha256 hmac_sha256 default raw jsonify to_integer json inspect type`)

// Filters actions-core replaces with ones that throw.
var lqDisabledFilters = strings.Fields(`array_to_sentence_string concat find find_exp find_index find_index_exp
group_by group_by_exp has has_exp map newline_to_br reject reject_exp reverse sort sort_natural uniq where_exp type`)

func checkFilter(f lqFilter) error {
	switch f.name {
	case "upcase", "downcase", "capitalize", "size", "strip_newlines", "replace", "replace_first", "remove",
		"remove_first", "split", "join", "first", "last":
		return nil
	case "append", "prepend":
		if len(f.args) != 1 {
			return lqInvalid(f.name + " takes exactly one argument")
		}
		return nil
	case "default":
		if len(f.args) > 1 {
			return lqUnsupported("default takes one argument here")
		}
		return nil
	case "strip", "lstrip", "rstrip":
		if len(f.args) > 0 {
			return lqUnsupported(f.name + " with characters to strip is not supported")
		}
		return nil
	}
	for _, d := range lqDisabledFilters {
		if f.name == d {
			return lqInvalid(`the filter "` + f.name + `" is disabled in Segment's Liquid`)
		}
	}
	for _, k := range lqKnownFilters {
		if f.name == k {
			return lqUnsupported(`the filter "` + f.name + `" is not supported`)
		}
	}
	if objectProto(f.name) {
		return lqUnsupported(`the filter name "` + f.name + `" is not supported`)
	}
	return nil // liquidjs passes values through unknown filters
}

// -------------------------------------------------------------- rendering

type lqRenderer struct {
	scope  value
	memory float64
}

func renderLiquid(tpl string, payload value) (string, error) {
	toks, err := lqTokenize(tpl)
	if err != nil {
		return "", err
	}
	p := lqParser{src: tpl, toks: toks}
	nodes, _, _, err := p.block()
	if err != nil {
		return "", err
	}
	r := lqRenderer{scope: payload}
	var b []byte
	b, err = r.render(b, nodes)
	if err != nil {
		return "", err
	}
	s := joinSurrogates(string(b))
	return s, checkLen(s)
}

func (r *lqRenderer) use(n int) error {
	if n > 0 {
		r.memory += float64(n)
		if r.memory > liquidMemoryLimit {
			return lqInvalid("memory alloc limit exceeded")
		}
	}
	return nil
}

func (r *lqRenderer) render(b []byte, nodes []lqNode) ([]byte, error) {
	for _, n := range nodes {
		switch n.kind {
		case lqText:
			b = append(b, n.text...)
		case lqOutput:
			v, err := r.eval(n.expr)
			if err != nil {
				return nil, err
			}
			b = appendLqString(b, v)
		case lqIf:
			done := false
			for _, br := range n.branches {
				v, err := r.eval(br.cond)
				if err != nil {
					return nil, err
				}
				if lqTruthy(v) != br.negate {
					if b, err = r.render(b, br.body); err != nil {
						return nil, err
					}
					done = true
					break
				}
			}
			if !done {
				var err error
				if b, err = r.render(b, n.els); err != nil {
					return nil, err
				}
			}
		}
		if len(b) > maxString {
			return nil, checkLen(string(b))
		}
	}
	return b, nil
}

// toValue turns the nil literal into null.
func toValue(v value) value {
	if v.k == kLiquidNil {
		return null
	}
	return v
}

func lqTruthy(v value) bool {
	v = toValue(v)
	return !(v.k == kUndef || v.k == kNull || (v.k == kBool && v.n == 0))
}

// appendLqString is liquidjs's stringify.
func appendLqString(b []byte, v value) []byte {
	v = toValue(v)
	switch v.k {
	case kUndef, kNull:
		return b
	case kStr:
		return append(b, v.s...)
	case kArr:
		for _, e := range v.c.vals {
			b = appendLqString(b, e)
		}
		return b
	case kNum:
		return jsnum.Append(b, v.n)
	}
	return append(b, toString(v)...)
}

func lqString(v value) string {
	v = toValue(v)
	if v.k == kStr {
		return v.s
	}
	return string(appendLqString(nil, v))
}

func (r *lqRenderer) operand(o lqOperand) value {
	if o.kind == lqConst {
		return o.val
	}
	// liquidjs looks the first name up in the payload when the payload
	// has it (as an own property: ownPropertyOnly), and otherwise in its
	// empty globals object, where only "size" (0 keys) is defined.
	first := o.path[0]
	v, own := ownProperty(r.scope, first.s)
	if !own && first.s == "size" {
		v = num(0)
	}
	for _, k := range o.path[1:] {
		v = lqProperty(v, k)
	}
	return v
}

// ownProperty is hasOwnProperty + [[Get]] for our values.
func ownProperty(v value, key string) (value, bool) {
	switch v.k {
	case kObj:
		return v.c.get(key)
	case kArr:
		if n, ok := isArrayIndex(key); ok && int(n) < len(v.c.vals) {
			return v.c.vals[n], true
		}
		if key == "length" {
			return num(float64(len(v.c.vals))), true
		}
	case kStr:
		if n, ok := isArrayIndex(key); ok {
			if u, ok := codeUnitAt(v.s, int(n)); ok {
				return str(u), true
			}
		}
		if key == "length" {
			return num(float64(utf16Len(v.s))), true
		}
	}
	return undef, false
}

// lqProperty is liquidjs's Context.readProperty (ownPropertyOnly).
func lqProperty(obj value, key lqKey) value {
	obj = toValue(obj)
	if obj.nullish() {
		return obj
	}
	if obj.k == kArr && key.isNum {
		idx := key.n
		if idx < 0 {
			idx += float64(len(obj.c.vals))
		}
		if idx >= 0 && idx < float64(len(obj.c.vals)) && idx == math.Trunc(idx) {
			return obj.c.vals[int(idx)]
		}
		return undef
	}
	ks := key.s
	if key.isNum {
		ks = jsnum.String(key.n)
	}
	v, _ := ownProperty(obj, ks)
	switch ks {
	case "size":
		if s, ok := ownProperty(obj, "size"); ok {
			return s
		}
		switch obj.k {
		case kArr:
			return num(float64(len(obj.c.vals)))
		case kStr:
			return num(float64(utf16Len(obj.s)))
		case kObj:
			return num(float64(len(obj.c.keys)))
		}
		return undef
	case "first", "last":
		if obj.k == kArr {
			if len(obj.c.vals) == 0 {
				return undef
			}
			if ks == "first" {
				return obj.c.vals[0]
			}
			return obj.c.vals[len(obj.c.vals)-1]
		}
	}
	return v
}

func (r *lqRenderer) eval(e *lqExpr) (value, error) {
	var stack []value
	for _, it := range e.postfix {
		if it.op == "" {
			stack = append(stack, r.operand(it.operand))
			continue
		}
		if len(stack) < 2 {
			return undef, lqUnsupported("malformed expression")
		}
		lv, rv := stack[len(stack)-2], stack[len(stack)-1]
		stack = stack[:len(stack)-2]
		res, err := lqBinary(it.op, lv, rv)
		if err != nil {
			return undef, err
		}
		stack = append(stack, boolean(res))
	}
	v := stack[0]
	for _, f := range e.filters {
		if f.err != nil {
			return undef, f.err
		}
		args := make([]value, len(f.args))
		for i, a := range f.args {
			args[i] = r.operand(a)
		}
		var err error
		if v, err = r.filter(f.name, v, args); err != nil {
			return undef, err
		}
	}
	return v, nil
}

func lqBinary(op string, l, r value) (bool, error) {
	switch op {
	case "==":
		return lqEquals(l, r), nil
	case "!=":
		return !lqEquals(l, r), nil
	case "and":
		return lqTruthy(l) && lqTruthy(r), nil
	case "or":
		return lqTruthy(l) || lqTruthy(r), nil
	case "contains":
		l = toValue(l)
		switch l.k {
		case kArr:
			for _, e := range l.c.vals {
				if lqEquals(e, r) {
					return true, nil
				}
			}
			return false, nil
		case kStr:
			return jsIndexOf(l.s, toString(toValue(r))) >= 0, nil
		}
		return false, nil
	}
	if l.k == kLiquidNil || r.k == kLiquidNil {
		return false, nil
	}
	var lt bool
	var ok bool
	switch op {
	case "<":
		lt, ok = jsLess(l, r)
		return ok && lt, nil
	case ">":
		lt, ok = jsLess(r, l)
		return ok && lt, nil
	case "<=":
		lt, ok = jsLess(r, l)
		return ok && !lt, nil
	case ">=":
		lt, ok = jsLess(l, r)
		return ok && !lt, nil
	}
	return false, lqUnsupported("unknown operator " + op)
}

func lqEquals(l, r value) bool {
	if l.k == kLiquidNil {
		return toValue(r).nullish()
	}
	if r.k == kLiquidNil {
		return l.nullish()
	}
	if l.k == kArr {
		if r.k != kArr || len(l.c.vals) != len(r.c.vals) {
			return false
		}
		for i := range l.c.vals {
			if !lqEquals(l.c.vals[i], r.c.vals[i]) {
				return false
			}
		}
		return true
	}
	return strictEquals(l, r)
}

// strictEquals is JavaScript's ===.
func strictEquals(l, r value) bool {
	if l.k != r.k {
		return false
	}
	switch l.k {
	case kUndef, kNull:
		return true
	case kBool, kNum:
		return l.n == r.n
	case kStr:
		return l.s == r.s
	}
	return l.c == r.c
}

// jsLess is the abstract relational comparison l < r; ok is false when
// the answer is undefined (NaN).
func jsLess(l, r value) (lt, ok bool) {
	l, r = toPrimitive(l), toPrimitive(r)
	if l.k == kStr && r.k == kStr {
		return compareUnits(l.s, r.s) < 0, true
	}
	a, b := toNumber(l), toNumber(r)
	if a != a || b != b {
		return false, false
	}
	return a < b, true
}

func toPrimitive(v value) value {
	if v.k == kArr || v.k == kObj {
		return str(toString(v))
	}
	return v
}

// toNumber is JavaScript's ToNumber for primitives.
func toNumber(v value) float64 {
	switch v.k {
	case kNull:
		return 0
	case kBool, kNum:
		return v.n
	case kStr:
		return stringToNumber(v.s)
	}
	return math.NaN()
}

// stringToNumber is JavaScript's StringToNumber.
func stringToNumber(s string) float64 {
	s = jsTrim(s)
	if s == "" {
		return 0
	}
	switch s {
	case "Infinity", "+Infinity":
		return math.Inf(1)
	case "-Infinity":
		return math.Inf(-1)
	}
	if len(s) > 2 && s[0] == '0' {
		base := 0
		switch s[1] {
		case 'x', 'X':
			base = 16
		case 'o', 'O':
			base = 8
		case 'b', 'B':
			base = 2
		}
		if base != 0 {
			f := 0.0
			for i := 2; i < len(s); i++ {
				d := hexVal(s[i])
				if d < 0 || int(d) >= base {
					return math.NaN()
				}
				f = f*float64(base) + float64(d)
			}
			return f
		}
	}
	// StrDecimalLiteral: [+-] (digits [. digits] | . digits) [e [+-] digits]
	i := 0
	if s[i] == '+' || s[i] == '-' {
		i++
	}
	digits := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			digits++
		}
	}
	if digits == 0 {
		return math.NaN()
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		e := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == e {
			return math.NaN()
		}
	}
	if i != len(s) {
		return math.NaN()
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); !ok || ne.Err != strconv.ErrRange {
			return math.NaN()
		}
	}
	return f
}

// compareUnits compares strings by UTF-16 code units.
func compareUnits(a, b string) int {
	ua, ub := toUnits(a), toUnits(b)
	for i := 0; i < len(ua) && i < len(ub); i++ {
		if ua[i] != ub[i] {
			if ua[i] < ub[i] {
				return -1
			}
			return 1
		}
	}
	return len(ua) - len(ub)
}

// jsIndexOf is String.prototype.indexOf (in code units; -1 if absent).
func jsIndexOf(s, sub string) int {
	if !hasSurrogate(s) && !hasSurrogate(sub) {
		i := strings.Index(s, sub)
		if i < 0 {
			return -1
		}
		return utf16Len(s[:i])
	}
	us, usub := toUnits(s), toUnits(sub)
	return unitIndex(us, usub, 0)
}

func unitIndex(s, sub []uint16, from int) int {
outer:
	for i := from; i+len(sub) <= len(s); i++ {
		for j := range sub {
			if s[i+j] != sub[j] {
				continue outer
			}
		}
		return i
	}
	return -1
}

// jsSplit is String.prototype.split with a string separator.
func jsSplit(s, sep string) []string {
	u, us := toUnits(s), toUnits(sep)
	if len(us) == 0 && len(u) > maxWork {
		return nil // callers check lqSplitTooBig first
	}
	var parts []string
	if len(us) == 0 {
		for _, c := range u {
			parts = append(parts, fromUnits([]uint16{c}))
		}
		return parts
	}
	last := 0
	for {
		i := unitIndex(u, us, last)
		if i < 0 {
			break
		}
		parts = append(parts, fromUnits(u[last:i]))
		last = i + len(us)
	}
	return append(parts, fromUnits(u[last:]))
}

// lqSplitTooBig refuses to split a huge string into single characters.
func lqSplitTooBig(s, sep string) error {
	if sep == "" && len(s) > maxWork {
		return lqUnsupported("splitting a string of more than " + itoa(maxWork) + " bytes into characters")
	}
	return nil
}

// jsReplaceFirst is str.replace(pattern, () => replacement).
func jsReplaceFirst(s, pattern, replacement string) string {
	u, up := toUnits(s), toUnits(pattern)
	i := unitIndex(u, up, 0)
	if i < 0 {
		return s
	}
	return joinSurrogates(fromUnits(u[:i]) + replacement + fromUnits(u[i+len(up):]))
}

func joinStrings(parts []string, sep string) string {
	return joinSurrogates(strings.Join(parts, sep))
}

func (r *lqRenderer) filter(name string, v value, args []value) (value, error) {
	arg := func(i int) value {
		if i < len(args) {
			return args[i]
		}
		return undef
	}
	switch name {
	case "upcase", "downcase", "capitalize", "strip", "lstrip", "rstrip", "strip_newlines":
		s := lqString(v)
		if err := r.use(utf16Len(s)); err != nil {
			return undef, err
		}
		switch name {
		case "upcase":
			return str(jsUpper(s)), nil
		case "downcase":
			return str(jsLower(s)), nil
		case "capitalize":
			return str(capitalize(s)), nil
		case "strip":
			return str(jsTrim(s)), nil
		case "lstrip":
			return str(jsTrimLeft(s)), nil
		case "rstrip":
			return str(jsTrimRight(s)), nil
		default:
			s = strings.ReplaceAll(s, "\r\n", "")
			return str(strings.ReplaceAll(s, "\n", "")), nil
		}
	case "default":
		x := toValue(v)
		if x.k == kArr {
			if len(x.c.vals) > 0 {
				return v, nil
			}
			return arg(0), nil
		}
		if x.k == kStr {
			if x.s != "" {
				return v, nil
			}
			return arg(0), nil
		}
		if !lqTruthy(x) {
			return arg(0), nil
		}
		return v, nil
	case "append", "prepend":
		l, a := lqString(v), lqString(arg(0))
		if err := r.use(utf16Len(l) + utf16Len(a)); err != nil {
			return undef, err
		}
		if name == "prepend" {
			l, a = a, l
		}
		s := joinSurrogates(l + a)
		return str(s), checkLen(s)
	case "size":
		switch v.k {
		case kStr:
			return num(float64(utf16Len(v.s))), nil
		case kArr:
			return num(float64(len(v.c.vals))), nil
		case kObj:
			if l, ok := v.c.get("length"); ok && l.truthy() {
				return l, nil
			}
		}
		return num(0), nil
	case "replace", "remove":
		s, pat := lqString(v), lqString(arg(0))
		rep := ""
		if name == "replace" {
			rep = lqString(arg(1))
		}
		if err := lqSplitTooBig(s, pat); err != nil {
			return undef, err
		}
		parts := jsSplit(s, pat)
		if utf16Len(s) == 0 && pat == "" {
			parts = nil
		}
		if err := r.use(utf16Len(s) + (len(parts)-1)*(utf16Len(rep)-utf16Len(pat))); err != nil {
			return undef, err
		}
		out := joinStrings(parts, rep)
		return str(out), checkLen(out)
	case "replace_first", "remove_first":
		s, pat := lqString(v), lqString(arg(0))
		rep := ""
		if name == "replace_first" {
			rep = lqString(arg(1))
		}
		if err := r.use(utf16Len(s) + utf16Len(pat) + utf16Len(rep)); err != nil {
			return undef, err
		}
		return str(jsReplaceFirst(s, pat, rep)), nil
	case "split":
		s := lqString(v)
		if err := r.use(utf16Len(s)); err != nil {
			return undef, err
		}
		var parts []string
		if s != "" || lqString(arg(0)) != "" {
			if err := lqSplitTooBig(s, lqString(arg(0))); err != nil {
				return undef, err
			}
			parts = jsSplit(s, lqString(arg(0)))
		} else {
			parts = nil // "".split("") is []
		}
		for len(parts) > 0 && parts[len(parts)-1] == "" {
			parts = parts[:len(parts)-1]
		}
		vals := make([]value, len(parts))
		for i, p := range parts {
			vals[i] = str(p)
		}
		return newArr(vals), nil
	case "join":
		x := toValue(v)
		var items []value
		switch x.k {
		case kUndef, kNull:
		case kArr:
			items = x.c.vals
		default:
			items = []value{x}
		}
		sep := " "
		if a := toValue(arg(0)); !a.nullish() {
			sep = lqString(a)
		}
		out := string(appendJoin(nil, newArr(items), sep))
		out = joinSurrogates(out)
		if err := r.use(utf16Len(out)); err != nil {
			return undef, err
		}
		return str(out), checkLen(out)
	case "first", "last":
		x := toValue(v)
		switch x.k {
		case kArr:
			if len(x.c.vals) == 0 {
				return undef, nil
			}
			if name == "first" {
				return x.c.vals[0], nil
			}
			return x.c.vals[len(x.c.vals)-1], nil
		case kStr:
			if x.s == "" {
				return emptyStr, nil
			}
			i := 0
			if name == "last" {
				i = utf16Len(x.s) - 1
			}
			u, _ := codeUnitAt(x.s, i)
			return str(u), nil
		case kObj:
			if l, ok := x.c.get("length"); ok && l.k == kNum {
				return undef, lqUnsupported(name + " of an object with a numeric length")
			}
		}
		return emptyStr, nil
	}
	return v, nil // unknown to liquidjs: passed through
}

// capitalize upper-cases the first code unit and lower-cases the rest.
func capitalize(s string) string {
	if s == "" {
		return s
	}
	r, n := decodeWTF8(s, 0)
	if r >= 0x10000 {
		// charAt(0) is a lone high surrogate: unchanged; the rest starts
		// with the low surrogate.
		u := toUnits(s)
		return joinSurrogates(fromUnits(u[:1]) + jsLower(fromUnits(u[1:])))
	}
	return joinSurrogates(jsUpper(s[:n]) + jsLower(s[n:]))
}
