package mapping

import (
	"math"
	"math/rand/v2"
	"strings"

	"rupt-actions-wasm/action/internal/jsnum"
)

// The number and array work of the @liquid filters (liquid_filters.go):
// math, slices, where, and JSON with indentation.

// lqPromise stands for the pending Promise the browser build's sha256 and
// hmac_sha256 return: an object without properties that prints as
// "[object Promise]" (see toString).
var lqPromise = value{k: kObj, c: &container{}}

// lqMath is a math filter on x, with liquidjs's toNumber (+v || 0) of the
// arguments given; an argument not given is undefined, NaN in the
// arithmetic.
func lqMath(id int, x float64, args []value) float64 {
	y := math.NaN()
	if len(args) > 0 {
		y = lqNum(args[0])
	}
	switch id {
	case lqFAbs:
		return math.Abs(x)
	case lqFCeil:
		return math.Ceil(x)
	case lqFFloor:
		return math.Floor(x)
	case lqFAtLeast, lqFAtMost:
		for _, a := range args {
			if a := lqNum(a); (id == lqFAtLeast) == (a > x) {
				x = a
			}
		}
		return x
	case lqFMinus:
		return x - y
	case lqFPlus:
		return x + y
	case lqFTimes:
		return x * y
	case lqFModulo:
		return math.Mod(math.Mod(x, y)+y, y)
	case lqFDividedBy:
		x /= y
		if len(args) > 1 && lqNum(args[1]) != 0 {
			x = math.Floor(x)
		}
		return x
	}
	// round: to y decimals by moving the decimal point in the number's
	// JavaScript string form, halves away from zero.
	if y != y {
		y = 0
	}
	s := lqShift(math.Abs(x), y)
	if !(s <= 1<<53-1) {
		return x
	}
	f := math.Floor(s)
	if s-f >= 0.5 {
		f++
	}
	f = lqShift(f, -y)
	if x < 0 {
		return -f
	}
	return f
}

// lqSlice is liquidjs's slice of an array or of a string's code points.
func lqSlice(x value, a [2]value, hasLength bool) (value, error) {
	empty := emptyStr
	if x.k == kArr || x.nullish() {
		empty = newArr(nil)
		if x.nullish() {
			return empty, nil
		}
	}
	var s string
	size := 0
	if x.k == kArr {
		size = len(x.c.vals)
	} else {
		s = lqString(x)
		size = lqCodePoints(s)
	}
	begin, length := jsNumber(a[0]), 1.0
	if a[1].k != kUndef {
		length = jsNumber(a[1])
	}
	// A string begin stays a string in liquidjs's arithmetic: it is
	// concatenated, not added (slice: "1" on an array ends at "11").
	bs := a[0].s
	if begin < 0 {
		bs = itoa(size) + bs
		begin += float64(size)
		if a[0].k == kStr {
			begin = jsnum.ToNumber(bs)
		}
	}
	if begin < 0 || length < 0 {
		return empty, nil
	}
	if length > liquidMemoryLimit {
		return undef, lqInvalid("memory alloc limit exceeded")
	}
	if x.k == kArr {
		end := begin + length
		if a[0].k == kStr {
			l := "1"
			if hasLength {
				l = lqString(a[1])
			}
			end = jsnum.ToNumber(bs + l)
		}
		i, j := relIndex(begin, size), relIndex(end, size)
		return newArr(append([]value(nil), x.c.vals[i:max(i, j)]...)), nil
	}
	i := lqAdvance(s, 0, begin)
	return str(s[i:lqAdvance(s, i, length)]), nil
}

// where keeps the items whose property (a dotted path, read as a variable
// in the item's scope) is truthy, or equals the expected value.
func (r *lqRenderer) where(x value, args []value) (value, error) {
	var p, exp value
	if len(args) > 0 {
		p = args[0]
	}
	if len(args) > 1 {
		exp = args[1]
	}
	ps := lqString(p)
	var keys []lqKey
	for _, k := range strings.Split(ps, ".") {
		if k == "" && ps != "" || strings.ContainsAny(k, "[]") {
			return undef, lqUnsupported("where with a property path other than a.b.c")
		}
		keys = append(keys, lqKey{s: k})
	}
	var out []value
	for _, it := range lqToArray(x) {
		y := undef
		if ps != "" {
			y = lqLookup(it, keys)
		}
		if exp.k == kUndef && lqTruthy(y) || exp.k != kUndef && lqEquals(y, exp) {
			out = append(out, it)
		}
	}
	return newArr(out), r.use(len(out))
}

// lqNum is liquidjs's toNumber: +value || 0.
//
//go:noinline
func lqNum(v value) float64 {
	f := jsNumber(v)
	if f != f || f == 0 {
		return 0
	}
	return f
}

// jsNumber is JavaScript's Number(v) for our values (undefined is NaN).
func jsNumber(v value) float64 {
	return toNumber(toPrimitive(toValue(v)))
}

// lqShift multiplies n by 10^e through its string form, as liquidjs's
// shiftDecimal does (a fractional e gives NaN).
func lqShift(n, e float64) float64 {
	s, p := jsnum.String(n), 0.0
	if i := strings.IndexByte(s, 'e'); i >= 0 {
		s, p = s[:i], jsnum.ToNumber(s[i+1:])
	}
	return jsnum.ToNumber(s + "e" + jsnum.String(p+e))
}

// relIndex is Array.prototype.slice's reading of an index: truncated,
// from the end when negative, clamped to [0, n].
func relIndex(f float64, n int) int {
	if f != f {
		return 0
	}
	f = math.Trunc(f)
	if f < 0 {
		f += float64(n)
	}
	return int(math.Max(0, math.Min(f, float64(n))))
}

// lqToArray is liquidjs's toArray: nil is empty, a non-array one item.
func lqToArray(v value) []value {
	v = toValue(v)
	switch v.k {
	case kUndef, kNull:
		return nil
	case kArr:
		return v.c.vals
	}
	return []value{v}
}

// appendJSONIndent is JSON.stringify(v, null, ind): appendJSON when ind
// is empty; nl is the line break and indentation of the enclosing level.
func appendJSONIndent(dst []byte, v value, ind, nl string) ([]byte, bool) {
	if ind == "" || (v.k != kArr && v.k != kObj) {
		return appendJSON(dst, v)
	}
	open, close := byte('['), byte(']')
	var keys []string
	n := len(v.c.vals)
	if v.k == kObj {
		open, close = '{', '}'
		keys = v.objKeys()
	}
	dst = append(dst, open)
	first := true
	for i := 0; i < n; i++ {
		e := v.c.vals[i]
		if keys != nil && e.k == kUndef {
			continue
		}
		if !first {
			dst = append(dst, ',')
		}
		first = false
		dst = append(dst, nl+ind...)
		if keys != nil {
			dst = append(appendQuoted(dst, keys[i]), ':', ' ')
		}
		var ok bool
		if dst, ok = appendJSONIndent(dst, e, ind, nl+ind); !ok {
			dst = append(dst, "null"...)
		}
	}
	if !first {
		dst = append(dst, nl...)
	}
	return append(dst, close), true
}

// sample is liquidjs's sample: count members of x (an array, or the code
// points of its text) in a random order, or one of them when count is 1
// or not given (nothing from an empty x). The order is random in liquidjs
// too (it sorts with Math.random), so no two runs are compared.
func (r *lqRenderer) sample(x, count value) (value, error) {
	if x.nullish() {
		return newArr(nil), nil
	}
	var items []value
	if x.k == kArr {
		items = append(items, x.c.vals...)
		if err := r.use(len(items)); err != nil {
			return undef, err
		}
	} else {
		s := lqString(x)
		if err := r.use(utf16Len(s)); err != nil {
			return undef, err
		}
		for _, c := range s {
			items = append(items, str(string(c)))
		}
	}
	for i := len(items) - 1; i > 0; i-- { // Fisher-Yates
		j := int(rand.Uint64() % uint64(i+1))
		items[i], items[j] = items[j], items[i]
	}
	if count.k == kUndef || count.k == kNum && count.n == 1 {
		if len(items) == 0 {
			return undef, nil
		}
		return items[0], nil
	}
	return newArr(items[:relIndex(jsNumber(count), len(items))]), nil
}
