package jsnum

import (
	"math"
	"strconv"
	"strings"
)

// ToNumber converts s as JavaScript's Number(s) does (StringToNumber):
// surrounding white space (IsSpace) is ignored; an empty or blank string is
// 0; "0x", "0o" and "0b" literals (either case, no sign) are read in their
// radix; otherwise a decimal literal with an optional sign, fraction and
// exponent, or "Infinity" with an optional sign. Anything else is NaN.
// Results are correctly rounded; values beyond the float64 range are ±Inf
// or ±0, as in JavaScript.
func ToNumber(s string) float64 {
	s = strings.TrimFunc(s, IsSpace)
	if s == "" {
		return 0
	}
	if len(s) > 2 && s[0] == '0' {
		switch s[1] | 0x20 { // lower case
		case 'x':
			return radixToNumber(s[2:], 4)
		case 'o':
			return radixToNumber(s[2:], 3)
		case 'b':
			return radixToNumber(s[2:], 1)
		}
	}
	body := s
	neg := false
	if body[0] == '+' || body[0] == '-' {
		neg = body[0] == '-'
		body = body[1:]
	}
	if body == "Infinity" {
		if neg {
			return math.Inf(-1)
		}
		return math.Inf(1)
	}
	if !isDecimalLiteral(body) {
		return math.NaN()
	}
	// The syntax is checked above, so the only possible error is a range
	// error, for which ParseFloat returns the correctly signed infinity or
	// zero, as JavaScript does.
	f, _ := strconv.ParseFloat(s, 64)
	return f
}

// IsSpace reports whether r is JavaScript white space: WhiteSpace or
// LineTerminator, the characters Number(s) skips around a number and
// String.prototype.trim removes. U+180E is not one of them (it was before
// Unicode 6.3).
func IsSpace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', ' ', 0xA0, 0x1680, 0x2028, 0x2029,
		0x202F, 0x205F, 0x3000, 0xFEFF:
		return true
	}
	return r >= 0x2000 && r <= 0x200A
}

// isDecimalLiteral reports whether s is a StrUnsignedDecimalLiteral without
// the Infinity form: digits, an optional fraction and an optional exponent,
// with at least one digit before the exponent.
func isDecimalLiteral(s string) bool {
	i, digits := 0, 0
	for i < len(s) && isDigit(s[i]) {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && isDigit(s[i]) {
			i++
			digits++
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		exp := 0
		for i < len(s) && isDigit(s[i]) {
			i++
			exp++
		}
		if exp == 0 {
			return false
		}
	}
	return i == len(s)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// radixToNumber converts the digits of a 0x, 0o or 0b literal (bits per
// digit 4, 3 or 1) to the nearest float64, or NaN if a digit is invalid.
func radixToNumber(digits string, bits uint) float64 {
	if digits == "" {
		return math.NaN()
	}
	if bits == 4 {
		for i := 0; i < len(digits); i++ {
			if !isHex(digits[i]) {
				return math.NaN()
			}
		}
		f, _ := strconv.ParseFloat("0x"+digits+"p0", 64)
		return f
	}
	// Re-express the value in hexadecimal, so that strconv does the
	// correctly rounded conversion: the bits, most significant first,
	// left-padded with zeros to whole hex digits.
	base := byte(1) << bits
	n := len(digits) * int(bits)
	pad := (4 - n%4) % 4
	hex := make([]byte, 0, 2+(n+pad)/4+2)
	hex = append(hex, '0', 'x')
	var acc byte
	nacc := pad
	for i := 0; i < len(digits); i++ {
		d := digits[i] - '0'
		if digits[i] < '0' || d >= base {
			return math.NaN()
		}
		for b := int(bits) - 1; b >= 0; b-- {
			acc = acc<<1 | (d>>uint(b))&1
			if nacc++; nacc == 4 {
				hex = append(hex, "0123456789abcdef"[acc])
				acc, nacc = 0, 0
			}
		}
	}
	hex = append(hex, 'p', '0')
	f, _ := strconv.ParseFloat(string(hex), 64)
	return f
}

func isHex(c byte) bool {
	return isDigit(c) || ('a' <= c && c <= 'f') || ('A' <= c && c <= 'F')
}
