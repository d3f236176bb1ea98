package mapping

import (
	"math"

	"rupt-actions-wasm/action/internal/jsnum"
)

// Evaluation of @liquid expressions: variable lookup (own properties
// only, as actions-core configures liquidjs), the size/first/last
// properties, the operators, and the JavaScript equality, truthiness and
// comparisons liquidjs inherits.

// eval evaluates an expression as liquidjs does: its postfix form on a
// stack where a missing operand is undefined and the result is the
// bottom of the stack; then its filters in order.
func (r *lqRenderer) eval(e *lqExpr) (value, error) {
	var st []value
	pop := func() value {
		v := undef
		if n := len(st); n > 0 {
			v, st = st[n-1], st[:n-1]
		}
		return v
	}
	for _, it := range e.postfix {
		if it.op == "" {
			v, err := r.operand(it.operand)
			if err != nil {
				return undef, err
			}
			st = append(st, v)
			continue
		}
		rv := pop()
		if it.op == "not" {
			st = append(st, boolean(!lqTruthy(rv)))
		} else {
			st = append(st, boolean(lqBinary(it.op, pop(), rv)))
		}
	}
	v := pop()
	if len(st) > 0 {
		v = st[0]
	}
	for _, f := range e.filters {
		if f.err != nil {
			return undef, f.err
		}
		args := make([]value, len(f.args))
		for i, a := range f.args {
			x, err := r.operand(a)
			if err != nil {
				return undef, err
			}
			if args[i] = x; a.key != "" {
				// liquidjs passes a named argument as [name, value].
				args[i] = newArr([]value{str(a.key), x})
			}
		}
		var err error
		if v, err = r.filter(f.id, v, args); err != nil {
			return undef, err
		}
	}
	return v, nil
}

// operand is the value of a literal, a range or a path.
func (r *lqRenderer) operand(o *lqOperand) (value, error) {
	switch o.kind {
	case lqConst:
		return o.val, nil
	case lqRange:
		lo, err := r.operand(o.lo)
		hi, err2 := r.operand(o.hi)
		if err == nil {
			err = err2
		}
		l, h := jsNumber(lo), jsNumber(hi)
		if d := h - l + 1; err == nil && d > liquidMemoryLimit {
			err = lqInvalid("memory alloc limit exceeded")
		} else if err == nil && d > 0 {
			err = r.use(int(d))
		}
		if err == nil && h-l+1 > 1<<20 {
			// liquidjs allows up to its memory limit (1e8 numbers).
			err = lqUnsupported("a range of more than 2^20 numbers")
		}
		var vals []value
		for f := l; err == nil && f < h+1; f++ {
			vals = append(vals, num(f))
		}
		return newArr(vals), err
	}
	keys := make([]lqKey, len(o.path))
	for i, k := range o.path {
		if keys[i] = k; k.dyn != nil {
			v, err := r.operand(k.dyn)
			if err != nil {
				return undef, err
			}
			if v = toValue(v); v.k == kNum {
				keys[i] = lqKey{n: v.n, isNum: true}
			} else {
				keys[i] = lqKey{s: toString(v)}
			}
		}
	}
	if o.base != nil {
		v, err := r.operand(o.base)
		for _, k := range keys {
			v = lqProperty(v, k)
		}
		return v, err
	}
	// liquidjs looks a name up in the scopes assign and capture write,
	// then in the scope object (where increment writes), then in the
	// payload.
	name := keys[0].s
	if keys[0].isNum {
		name = jsnum.String(keys[0].n)
	}
	for _, m := range [...]map[string]value{r.vars, r.counters} {
		if v, ok := m[name]; ok {
			for _, k := range keys[1:] {
				v = lqProperty(v, k)
			}
			return v, nil
		}
	}
	keys[0].s = name
	return lqLookup(r.scope, keys), nil
}

// lqLookup is the value of a variable path in scope. liquidjs looks the
// first name up in the scope when the scope has it (as an own property:
// ownPropertyOnly), and otherwise in its empty globals object, where only
// "size" (0 keys) is defined.
func lqLookup(scope value, path []lqKey) value {
	first := path[0]
	v, own := ownProperty(scope, first.s)
	if !own && first.s == "size" {
		v = num(0)
	}
	for _, k := range path[1:] {
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
		if n, ok := jsnum.ArrayIndex(key); ok && int(n) < len(v.c.vals) {
			return v.c.vals[n], true
		}
		if key == "length" {
			return num(float64(len(v.c.vals))), true
		}
	case kStr:
		if n, ok := jsnum.ArrayIndex(key); ok {
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
	if obj.nullish() || obj.k >= kLiquidNil {
		return undef // a drop's missing property is undefined too
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

// lqBinary applies a binary operator as liquidjs does.
func lqBinary(op string, l, r value) bool {
	switch op {
	case "==":
		return lqEquals(l, r)
	case "!=":
		return !lqEquals(l, r)
	case "and":
		return lqTruthy(l) && lqTruthy(r)
	case "or":
		return lqTruthy(l) || lqTruthy(r)
	case "contains":
		l = toValue(l)
		switch l.k {
		case kArr:
			for _, e := range l.c.vals {
				if lqEquals(e, r) {
					return true
				}
			}
		case kStr:
			return jsIndexOf(l.s, toString(toValue(r))) >= 0
		}
		return false
	}
	// The drops are never greater or less than anything.
	if l.k >= kLiquidNil || r.k >= kLiquidNil {
		return false
	}
	var lt, ok bool
	switch op {
	case "<":
		lt, ok = jsLess(l, r)
		return ok && lt
	case ">":
		lt, ok = jsLess(r, l)
		return ok && lt
	case "<=":
		lt, ok = jsLess(r, l)
	default: // >=
		lt, ok = jsLess(l, r)
	}
	return ok && !lt
}

// lqEquals is liquidjs's equality: a drop decides (nil equals null and
// undefined; empty equals "", [] and {}; blank also false, nil and
// whitespace), arrays compare element by element, anything else with ===.
func lqEquals(l, r value) bool {
	if r.k >= kLiquidNil && l.k < kLiquidNil {
		l, r = r, l
	}
	x := toValue(r)
	switch l.k {
	case kLiquidNil:
		return x.nullish()
	case kLiquidBlank:
		if r.k == kBool && r.n == 0 || x.nullish() {
			return true
		}
		if r.k == kStr {
			return jsTrim(r.s) == ""
		}
		fallthrough
	case kLiquidEmpty:
		switch {
		case r.k == kLiquidEmpty || r.k == kLiquidBlank:
			return false
		case x.k == kStr:
			return x.s == ""
		case x.k == kArr || x.k == kObj:
			return len(x.c.vals) == 0
		}
		return false
	case kArr:
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

// toPrimitive is JavaScript's ToPrimitive for our values: arrays and
// objects become their String().
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
		return jsnum.ToNumber(v.s)
	}
	return math.NaN()
}

// toValue is liquidjs's toValue for the literal drops: nil is null,
// empty and blank are "".
//
// Not inlined: a call costs less download than a copy at each of its
// many call sites (bench/results/2026-12-05-liquid.md).
//
//go:noinline
func toValue(v value) value {
	switch v.k {
	case kLiquidNil:
		return null
	case kLiquidEmpty, kLiquidBlank:
		return emptyStr
	}
	return v
}

// lqTruthy is liquidjs's truthiness: only false, null, undefined and nil
// are false.
func lqTruthy(v value) bool {
	v = toValue(v)
	return !(v.k == kUndef || v.k == kNull || (v.k == kBool && v.n == 0))
}
