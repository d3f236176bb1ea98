package mapping

import "strings"

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
					n.text = (&lqLexer{s: args}).quoted()
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
			case "break", "continue":
				n.kind = lqBreak
			case "block":
				// Outside a layout, a block renders its body.
				body, err := p.until("endblock", name)
				if err != nil {
					return nil, "", "", err
				}
				nodes = append(nodes, body...)
				continue
			case "cycle":
				n, err = lqParseCycle(args)
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
// its end tag. As in liquidjs, if rejects an elsif after else, a second
// else and arguments to else or endif; unless ignores an elsif after
// else and what follows a second else.
func (p *lqParser) conditional(name, args string) (lqNode, error) {
	n := lqNode{kind: lqIf}
	cond, stop, elses := args, "", 0
	for {
		var c *lqExpr
		var err error
		if stop != "else" && elses == 0 {
			if c, err = parseLqExpr(cond); err != nil {
				return n, err
			}
		}
		body, s, rest, err := p.block("elsif", "else", "end"+name)
		if err != nil {
			return n, err
		}
		switch {
		case c != nil:
			n.branches = append(n.branches, lqBranch{cond: c, negate: name == "unless" && stop == "", body: body})
		case stop == "else" && elses == 1:
			n.els = body
		}
		stop, cond = s, rest
		switch {
		case stop == "":
			return n, lqInvalid("tag {% " + name + " %} not closed")
		case name == "if" && stop != "elsif" && rest != "":
			return n, lqInvalid("unexpected " + quote(rest))
		case stop == "end"+name:
			return n, nil
		case name == "if" && elses > 0:
			return n, lqInvalid("unexpected " + stop + " after else")
		case stop == "else":
			elses++
		}
	}
}

// lqParseCycle parses a cycle tag's arguments: an optional "group:",
// then filtered values separated by commas.
func lqParseCycle(args string) (lqNode, error) {
	n := lqNode{kind: lqCycle}
	l := &lqLexer{s: args}
	g, err := l.value()
	if l.skipBlank(); err == nil && g != nil && l.p < len(args) && args[l.p] == ':' {
		n.group = g
		l.p++
	} else {
		l.p = 0
	}
	var texts []string
	for l.p < len(args) {
		start := l.p
		e, err := l.filtered()
		if err != nil {
			return n, err
		}
		n.cands = append(n.cands, e)
		texts = append(texts, args[start:l.p])
		i := strings.IndexByte(args[l.p:], ',')
		if i < 0 {
			break
		}
		l.p += i + 1
	}
	if n.cands == nil {
		return n, lqInvalid("empty candidates")
	}
	n.text = strings.Join(texts, ",")
	return n, nil
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
// actions-core disables and names liquidjs does not know.
func lqTagStatus(name string) error {
	switch name {
	case "case", "for", "include", "layout", "render", "tablerow":
		return lqInvalid(`tag "` + name + `" is disabled`)
	}
	return lqInvalid(`tag "` + name + `" not found`)
}

// parseLqExpr parses an expression with filters, as liquidjs's
// readFilteredValue does; what follows it (after a "," or ")") is ignored.
func parseLqExpr(s string) (*lqExpr, error) {
	return (&lqLexer{s: s}).filtered()
}

// filtered reads operators and operands in any order (liquidjs puts them
// in postfix form by precedence and evaluates whatever results), then
// filters up to the end, a "," or a ")".
func (l *lqLexer) filtered() (*lqExpr, error) {
	e := &lqExpr{}
	var ops []string
	for {
		l.skipBlank()
		if op := l.operator(); op != "" {
			l.p += len(op)
			for len(ops) > 0 && lqPrecedence(ops[len(ops)-1]) > lqPrecedence(op) {
				e.postfix = append(e.postfix, lqItem{op: ops[len(ops)-1]})
				ops = ops[:len(ops)-1]
			}
			ops = append(ops, op)
			continue
		}
		o, err := l.value()
		if err != nil {
			return nil, err
		}
		if o == nil {
			break
		}
		e.postfix = append(e.postfix, lqItem{operand: o})
	}
	for i := len(ops) - 1; i >= 0; i-- {
		e.postfix = append(e.postfix, lqItem{op: ops[i]})
	}
	if len(e.postfix) == 0 {
		return nil, lqInvalid("invalid value expression: " + quote(l.s[l.p:]))
	}
	for {
		l.skipBlank()
		if l.p >= len(l.s) || l.s[l.p] == ')' || l.s[l.p] == ',' {
			return e, nil
		}
		if l.s[l.p] != '|' {
			return nil, lqInvalid(`expected "|" before filter`)
		}
		l.p++
		f := lqFilter{name: l.word()}
		if f.name == "" {
			if l.p < len(l.s) {
				return nil, lqInvalid("expected filter name")
			}
			return e, nil
		}
		l.skipBlank()
		if l.p < len(l.s) && l.s[l.p] == ':' {
			for {
				l.p++
				// An argument, a named one ("key: value"), or none.
				start := l.p
				a, err := l.value()
				if err != nil {
					return nil, err
				}
				l.skipBlank()
				if a != nil && l.p < len(l.s) && l.s[l.p] == ':' {
					key := jsTrimLqBlank(l.s[start:l.p])
					l.p++
					if a, err = l.value(); err != nil {
						return nil, err
					}
					if a == nil {
						a = &lqOperand{val: undef}
					}
					a.key = key
					l.skipBlank()
				}
				if a != nil {
					f.args = append(f.args, a)
				}
				if l.p < len(l.s) && l.s[l.p] != ',' && l.s[l.p] != '|' && l.s[l.p] != ')' {
					return nil, lqInvalid("unexpected character " + quote(l.s[l.p:]))
				}
				if l.p >= len(l.s) || l.s[l.p] != ',' {
					break
				}
			}
		} else if l.p < len(l.s) && l.s[l.p] != '|' && l.s[l.p] != ')' && l.s[l.p] != ',' {
			return nil, lqInvalid(`expected ":" after filter name`)
		}
		f.err = checkFilter(&f)
		e.filters = append(e.filters, f)
	}
}

// lqPrecedence orders the operators: comparisons and contains bind
// tighter than not, which binds tighter than and/or.
func lqPrecedence(op string) int {
	switch op {
	case "and", "or":
		return 0
	case "not":
		return 1
	}
	return 2
}
