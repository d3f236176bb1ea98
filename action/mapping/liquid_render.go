package mapping

import "rupt-actions-wasm/action/internal/jsnum"

// Rendering of a parsed @liquid template: text, outputs and conditionals,
// liquidjs's stringification of values, and its memory limit.

// lqRenderer renders one template against one payload (its scope),
// counting the memory liquidjs would.
type lqRenderer struct {
	scope  value
	memory float64
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
func lqString(v value) string {
	v = toValue(v)
	if v.k == kStr {
		return v.s
	}
	return string(appendLqString(nil, v))
}
