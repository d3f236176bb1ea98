package mapping

import (
	"math"

	"rupt-actions-wasm/action/internal/jsnum"
)

// Evaluation of @liquid expressions: variable lookup (own properties
// only, as actions-core configures liquidjs), the size/first/last
// properties, the operators, and the JavaScript equality, truthiness and
// comparisons liquidjs inherits.

// eval evaluates an expression: its operators, then its filters in order.
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
			if args[i] = r.operand(a); a.key != "" {
				// liquidjs passes a named argument as [name, value].
				args[i] = newArr([]value{str(a.key), args[i]})
			}
		}
		var err error
		if v, err = r.filter(f.id, v, args); err != nil {
			return undef, err
		}
	}
	return v, nil
}

// operand is the value of a literal or a variable path in the scope.
func (r *lqRenderer) operand(o lqOperand) value {
	if o.kind == lqConst {
		return o.val
	}
	for _, m := range [...]map[string]value{r.vars, r.counters} {
		if v, ok := m[o.path[0].s]; ok {
			for _, k := range o.path[1:] {
				v = lqProperty(v, k)
			}
			return v
		}
	}
	return lqLookup(r.scope, o.path)
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

// lqBinary applies a binary operator as liquidjs does.
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

// lqEquals is liquidjs's equality: nil equals null and undefined, arrays
// compare element by element, anything else with ===.
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

// toValue turns the nil literal into null.
//
// Not inlined: a call costs less download than a copy at each of its
// many call sites (bench/results/2026-12-05-liquid.md).
//
//go:noinline
func toValue(v value) value {
	if v.k == kLiquidNil {
		return null
	}
	return v
}

// lqTruthy is liquidjs's truthiness: only false, null, undefined and nil
// are false.
func lqTruthy(v value) bool {
	v = toValue(v)
	return !(v.k == kUndef || v.k == kNull || (v.k == kBool && v.n == 0))
}
