package mapping

// This file and the liquid_*.go files are @liquid: a Liquid engine that
// agrees with liquidjs 10.30.1's browser build as actions-core configures
// it (ownPropertyOnly, lenient variables and filters, some tags and
// filters disabled; see the package doc). What is not implemented yet is
// an ErrUnsupported error, never a guess.
//
// The engine is split as text/template's is, one stage per file:
//
//   - liquid.go: the entry point (renderLiquid), the syntax tree, errors;
//   - liquid_lex.go: characters and tokens, of templates ({{ }}, {% %},
//     text, whitespace control) and of expressions;
//   - liquid_parse.go: tags into the tree and expressions (operators in
//     postfix form) with their filters;
//   - liquid_eval.go: evaluating expressions: variables, properties,
//     operators, comparisons with JavaScript's semantics;
//   - liquid_render.go: rendering the tree, the variables tags set, output
//     stringification, the memory limit;
//   - liquid_filters.go: the filters by name, which liquidjs filters are
//     disabled or not implemented, and running one;
//   - liquid_text.go and liquid_values.go: the filters' work on strings,
//     and on numbers and arrays.

// renderLiquid renders the @liquid template tpl with payload as its scope,
// as actions-core's liquidjs engine.parseAndRenderSync does: tokenize,
// parse, render.
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
	return s, lqCheckLen(s)
}

// liquidMemoryLimit is liquidjs's memoryLimit as actions-core sets it: how
// much the filters may create in one render (string lengths, counted in
// UTF-16 units).
const liquidMemoryLimit = 1e8

// lqNodeKind is the kind of a node of a parsed template.
type lqNodeKind uint8

const (
	lqText lqNodeKind = iota
	lqOutput
	lqIf
	lqAssign    // {% assign text = expr %}
	lqCapture   // {% capture text %}els{% endcapture %}
	lqIncrement // {% increment text %}
	lqDecrement // {% decrement text %}
	lqBreak     // {% break %} or {% continue %}: stop rendering
	lqCycle     // {% cycle group: cands... %}; text is the candidates' source
)

// lqNode is one node of a parsed template: text, an {{ output }} (or
// echo), an if/unless with its branches and else body, or a tag that sets
// a variable (named by text).
type lqNode struct {
	kind     lqNodeKind
	text     string
	expr     *lqExpr
	branches []lqBranch
	els      []lqNode
	group    *lqOperand
	cands    []*lqExpr
}

// lqBranch is one condition of an if (if or elsif) or an unless, and the
// body rendered when it holds.
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

// lqItem is one entry of an expression's postfix form.
type lqItem struct {
	op      string // operator, or "" for an operand
	operand *lqOperand
}

// lqOperandKind tells a constant operand from a variable path and a
// range.
type lqOperandKind uint8

const (
	lqConst lqOperandKind = iota
	lqPath
	lqRange
)

// lqOperand is a literal, a range (lo..hi), or a path: properties of a
// variable (a.b["c"][0]) or of a base literal or range ("abc".size).
type lqOperand struct {
	key    string // a named filter argument's name ("key: value")
	kind   lqOperandKind
	val    value   // constant
	path   []lqKey // path
	base   *lqOperand
	lo, hi *lqOperand // range
}

// lqKey is one step of a path: a name, or a value in brackets.
type lqKey struct {
	s     string
	n     float64
	isNum bool
	dyn   *lqOperand // [value], evaluated when the path is
}

// lqFilter is one "| name: args" of an expression.
type lqFilter struct {
	id   int // in lqFilterNames; 0 for a name liquidjs does not define
	name string
	args []*lqOperand
	err  error // raised when the filter runs, as liquidjs does
}

// The kinds of liquidjs's literal drops, which compare differently from
// the values they print as: nil and null (NullDrop, printed as null),
// empty (EmptyDrop) and blank (BlankDrop), printed as "".
const (
	kLiquidNil kind = 100 + iota
	kLiquidEmpty
	kLiquidBlank
)

// lqUnsupported is the error for a template using what is not
// implemented (see the package doc).
//
//go:noinline
func lqUnsupported(msg string) error {
	return &Error{Directive: "@liquid", Msg: msg + "; not implemented here (see the package doc)", kind: ErrUnsupported}
}

// lqInvalid is the error for a template liquidjs itself rejects (or, as
// actions-core configures it, throws on).
//
//go:noinline
func lqInvalid(msg string) error {
	return &Error{Directive: "@liquid", Msg: msg, kind: ErrInvalid}
}
