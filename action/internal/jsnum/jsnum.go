// Package jsnum is the one Go copy of the JavaScript (ECMAScript) number
// semantics that action/fql, action/mapping, action/fingerprint and action
// share, so that each is written and tested once:
//
//   - String and Append: String(n), Number::toString in radix 10, which
//     JSON.stringify also uses for finite numbers;
//   - ToNumber: Number(s), StringToNumber;
//   - IsSpace: the white space Number(s) skips and String.prototype.trim
//     removes (WhiteSpace and LineTerminator);
//   - ArrayIndex: whether a property key is an array index, the canonical
//     numeric keys that JavaScript orders first in every object.
package jsnum

import (
	"math"
	"strconv"
)

// String returns String(f) as JavaScript computes it: the shortest digits
// that round-trip, plain for 1e-7 <= |f| < 1e21, exponent notation
// ("1e+21", "1.5e-7") otherwise; "NaN", "Infinity", "-Infinity"; -0 is "0".
func String(f float64) string { return string(Append(nil, f)) }

// Append appends String(f) to dst.
func Append(dst []byte, f float64) []byte {
	switch {
	case f != f:
		return append(dst, "NaN"...)
	case f == 0:
		return append(dst, '0')
	case math.IsInf(f, 1):
		return append(dst, "Infinity"...)
	case math.IsInf(f, -1):
		return append(dst, "-Infinity"...)
	}
	if f < 0 {
		dst = append(dst, '-')
		f = -f
	}
	if f < 1e15 && f == math.Trunc(f) {
		return strconv.AppendInt(dst, int64(f), 10)
	}
	var buf [32]byte
	e := strconv.AppendFloat(buf[:0], f, 'e', -1, 64) // d.ddde±xx
	var digits [24]byte
	nd := 0
	i := 0
	for ; i < len(e) && e[i] != 'e'; i++ {
		if e[i] != '.' {
			digits[nd] = e[i]
			nd++
		}
	}
	exp, _ := strconv.Atoi(string(e[i+1:]))
	d := digits[:nd]
	n := exp + 1 // position of the decimal point
	k := nd
	switch {
	case k <= n && n <= 21:
		dst = append(dst, d...)
		for j := 0; j < n-k; j++ {
			dst = append(dst, '0')
		}
	case 0 < n && n <= 21:
		dst = append(dst, d[:n]...)
		dst = append(dst, '.')
		dst = append(dst, d[n:]...)
	case -6 < n && n <= 0:
		dst = append(dst, '0', '.')
		for j := 0; j < -n; j++ {
			dst = append(dst, '0')
		}
		dst = append(dst, d...)
	default:
		dst = append(dst, d[0])
		if k > 1 {
			dst = append(dst, '.')
			dst = append(dst, d[1:]...)
		}
		dst = append(dst, 'e')
		if n-1 >= 0 {
			dst = append(dst, '+')
		}
		dst = strconv.AppendInt(dst, int64(n-1), 10)
	}
	return dst
}
