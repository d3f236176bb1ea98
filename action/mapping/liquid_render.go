package mapping

import "rupt-actions-wasm/action/internal/jsnum"

// Rendering of a parsed @liquid template: text, outputs and conditionals,
// liquidjs's stringification of values, and its memory limit.

// lqRenderer renders one template against one payload (its scope),
// counting the memory liquidjs would.
type lqRenderer struct {
	scope  value
	memory float64
	// vars are what assign and capture set (liquidjs's scopes, looked up
	// first); counters what increment and decrement set (written into
	// the scope object itself in liquidjs, so they shadow its keys).
	vars, counters map[string]value
	cycles         map[string]int // the next candidate of each cycle
	stop           bool           // break or continue ran
}

// set stores v under name in *m.
func set(m *map[string]value, name string, v value) {
	if *m == nil {
		*m = map[string]value{}
	}
	(*m)[name] = v
}

// use counts n UTF-16 units against liquidMemoryLimit.
//
// Not inlined: a call costs less download than a copy at each of its
// many call sites (bench/results/2026-12-05-liquid.md).
//
//go:noinline
func (r *lqRenderer) use(n int) error {
	if n > 0 {
		r.memory += float64(n)
		if r.memory > liquidMemoryLimit {
			return lqInvalid("memory alloc limit exceeded")
		}
	}
	return nil
}

// render appends the rendering of nodes to b.
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
		case lqAssign, lqCapture:
			var v value
			var err error
			if n.kind == lqAssign {
				v, err = r.eval(n.expr)
			} else {
				var c []byte
				c, err = r.render(nil, n.els)
				v = str(string(c))
			}
			if err != nil {
				return nil, err
			}
			set(&r.vars, n.text, v)
		case lqIncrement, lqDecrement:
			v, ok := r.counters[n.text]
			if !ok {
				v, _ = ownProperty(r.scope, n.text)
			}
			if v.k != kNum {
				v = num(0)
			}
			d := num(v.n + 1)
			if n.kind == lqDecrement {
				d.n -= 2
				v = d
			}
			set(&r.counters, n.text, d)
			b = jsnum.Append(b, v.n)
		case lqBreak:
			r.stop = true
		case lqCycle:
			// liquidjs keys a cycle's position by its group and the
			// source of its candidates, and prints a truthy value only.
			g := undef
			var err error
			if n.group != nil {
				if g, err = r.operand(n.group); err != nil {
					return nil, err
				}
			}
			key := "cycle:" + toString(toValue(g)) + ":" + n.text
			if r.cycles == nil {
				r.cycles = map[string]int{}
			}
			i := r.cycles[key]
			r.cycles[key] = (i + 1) % len(n.cands)
			v, err := r.eval(n.cands[i])
			if err != nil {
				return nil, err
			}
			if v = toValue(v); v.truthy() {
				b = appendLqString(b, v)
			}
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
			return nil, lqCheckLen(string(b))
		}
		if r.stop {
			break
		}
	}
	return b, nil
}

// lqCheckLen refuses a string past maxString as liquidjs refuses what
// passes its memory limit: an error of the template (liquidjs would get
// further, up to 1e8 units counted over the render, before it refused;
// this implementation stops at 16 MiB a string).
func lqCheckLen(s string) error {
	if len(s) > maxString {
		return lqInvalid("memory alloc limit exceeded: a computed string is longer than " + itoa(maxString) + " bytes, this implementation's limit")
	}
	return nil
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

// lqString is appendLqString as a string.
//
//go:noinline
func lqString(v value) string {
	v = toValue(v)
	if v.k == kStr {
		return v.s
	}
	return string(appendLqString(nil, v))
}
