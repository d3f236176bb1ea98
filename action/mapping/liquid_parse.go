package mapping

import (
	"math"
	"strings"
)

// Parsing of @liquid templates into the tree of liquid.go: the block
// structure and its tags (if/elsif/else, unless/else; every other liquidjs
// tag is refused by lqTagStatus), and expressions: operands, operators in
// postfix form, and filters with their arguments (checked by checkFilter in
// liquid_filters.go).

// lqParser builds the tree of a template from its tokens; i is the next
// token.
type lqParser struct {
	src  string
	toks []lqToken
	i    int
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
			n := lqNode{text: lqWord(args)}
			var err error
			switch name {
			case "if", "unless":
				n, err = p.conditional(name, args)
			case "assign":
				// {% assign name = value | filters %}
				n.kind = lqAssign
				rest := jsTrimLqBlank(args[len(n.text):])
				switch {
				case n.text == "":
					err = lqInvalid("expected variable name")
				case !strings.HasPrefix(rest, "="):
					err = lqInvalid(`expected "="`)
				default:
					n.expr, err = parseLqExpr(jsTrimLqBlank(rest[1:]))
				}
			case "echo":
				if args == "" {
					continue
				}
				n.kind = lqOutput
				n.expr, err = parseLqExpr(args)
			case "increment", "decrement":
				n.kind = lqIncrement
				if name == "decrement" {
					n.kind = lqDecrement
				}
			case "capture":
				n.kind = lqCapture
				if n.text == "" {
					if args == "" || args[0] != '"' && args[0] != '\'' {
						return nil, "", "", lqInvalid("invalid capture name")
					}
					if n.text, err = (&lqLexer{s: args}).quoted(); err != nil {
						return nil, "", "", err
					}
				}
				n.els, err = p.until("endcapture", "capture")
			case "raw", "comment":
				// raw renders the tokens up to endraw as written; a
				// comment skips them.
				i := p.i
				if _, err = p.until("end"+name, name); err == nil && name == "raw" && p.i-1 > i {
					nodes = append(nodes, lqNode{kind: lqText, text: p.src[p.toks[i].begin:p.toks[p.i-2].end]})
				}
				if err != nil {
					return nil, "", "", err
				}
				continue
			case "#":
				// An inline comment: every line must start with "#".
				for _, line := range strings.Split(args, "\n")[1:] {
					if line = jsTrim(line); line != "" && line[0] != '#' {
						return nil, "", "", lqInvalid("every line of an inline comment must start with a '#' character")
					}
				}
				continue
			case "liquid":
				// One tag per line, parsed like a template of tags.
				var toks []lqToken
				for i := 0; i < len(args); {
					j := strings.IndexByte(args[i:], '\n') + 1
					if j == 0 {
						j = len(args) - i
					}
					t := lqDelimited("  "+args[i:i+j]+"  ", lqIf, 0, j+4)
					if t.content != "" {
						if name, _ := tagName(t.content); name == "" {
							return nil, "", "", lqInvalid("illegal liquid tag syntax")
						}
						t.begin, t.end = i, i+j
						toks = append(toks, t)
					}
					i += j
				}
				sub := lqParser{src: args, toks: toks}
				body, stop, _, err := sub.block()
				if err == nil && stop != "" {
					err = lqTagStatus(stop)
				}
				if err != nil {
					return nil, "", "", err
				}
				nodes = append(nodes, body...)
				continue
			case "elsif", "else", "endif", "endunless":
				err = lqInvalid(`tag "` + name + `" not found`)
			default:
				err = lqTagStatus(name)
			}
			if err != nil {
				return nil, "", "", err
			}
			nodes = append(nodes, n)
		}
	}
	return nodes, "", "", nil
}

// conditional parses an if or unless tag, whose arguments are args, up to
// its end tag.
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

// until parses the body of a block tag up to its end tag.
func (p *lqParser) until(end, name string) ([]lqNode, error) {
	if name == "raw" || name == "comment" {
		// Their tokens are not parsed, only skipped.
		for p.i < len(p.toks) {
			t := p.toks[p.i]
			p.i++
			if n, _ := tagName(t.content); t.kind == lqIf && n == end {
				return nil, nil
			}
		}
	} else if body, stop, _, err := p.block(end); err != nil || stop != "" {
		return body, err
	}
	return nil, lqInvalid("tag {% " + name + " %} not closed")
}

// lqWord is the word (liquidjs's readIdentifier) that starts s.
func lqWord(s string) string {
	l := lqLexer{s: s}
	for l.wordAt(l.p) {
		_, n := decodeWTF8(s, l.p)
		l.p += n
	}
	return s[:l.p]
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

// jsTrimLqBlank removes leading blanks.
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

// lqTagStatus is the error for a tag the engine does not parse: the tags
// actions-core disables, liquidjs tags outside the subset, and names
// liquidjs does not know.
func lqTagStatus(name string) error {
	switch name {
	case "case", "for", "include", "layout", "render", "tablerow":
		return lqInvalid(`tag "` + name + `" is disabled`)
	case "cycle", "block", "break", "continue":
		return lqUnsupported(`the tag "` + name + `" is not supported`)
	}
	return lqInvalid(`tag "` + name + `" not found`)
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
				l.skipBlank()
				if l.p < len(l.s) && l.s[l.p] != ',' && l.s[l.p] != '|' {
					// An argument, or a named one ("key: value").
					start := l.p
					a, err := l.operand()
					if err != nil {
						return nil, err
					}
					key := l.s[start:l.p]
					l.skipBlank()
					if l.p < len(l.s) && l.s[l.p] == ':' {
						l.p++
						if a, err = l.operand(); err != nil {
							return nil, err
						}
						a.key = key
						l.skipBlank()
					}
					f.args = append(f.args, a)
				}
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
		f.err = checkFilter(&f)
		e.filters = append(e.filters, f)
	}
}

// lqPrecedence orders the binary operators: comparisons and contains bind
// tighter than and/or.
func lqPrecedence(op string) int {
	if op == "and" || op == "or" {
		return 0
	}
	return 2
}

// operand reads a literal or a variable path.
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
