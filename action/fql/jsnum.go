package fql

import (
	"math"
	"strconv"
	"strings"
)

// This file holds the few JavaScript number conversions the oracle relies
// on: Number(string) (ToNumber) and String(number) (Number::toString).

// jsToNumber converts s the way JavaScript's Number(s) does.
func jsToNumber(s string) float64 {
	s = trimJSSpace(s)
	if s == "" {
		return 0
	}
	if len(s) > 2 && s[0] == '0' {
		switch s[1] | 0x20 {
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

// isDecimalLiteral reports whether s is a JavaScript StrUnsignedDecimalLiteral
// without the Infinity form: digits, an optional fraction and an optional
// exponent, with at least one digit before the exponent.
func isDecimalLiteral(s string) bool {
	i, digits := 0, 0
	for i < len(s) && isDigit(rune(s[i])) {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && isDigit(rune(s[i])) {
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
		for i < len(s) && isDigit(rune(s[i])) {
			i++
			exp++
		}
		if exp == 0 {
			return false
		}
	}
	return i == len(s)
}

// radixToNumber converts the digits of a 0x, 0o or 0b literal (bits per
// digit 4, 3 or 1) to the nearest float64, or NaN if a digit is invalid.
func radixToNumber(digits string, bits uint) float64 {
	if digits == "" {
		return math.NaN()
	}
	base := byte(1) << bits
	if bits == 4 {
		for i := 0; i < len(digits); i++ {
			if hexVal(digits[i]) < 0 {
				return math.NaN()
			}
		}
		f, _ := strconv.ParseFloat("0x"+digits+"p0", 64)
		return f
	}
	// Re-express the value in hexadecimal, so that strconv does the
	// correctly rounded conversion.
	var bin []byte
	for i := 0; i < len(digits); i++ {
		d := digits[i] - '0'
		if digits[i] < '0' || d >= base {
			return math.NaN()
		}
		for b := int(bits) - 1; b >= 0; b-- {
			bin = append(bin, '0'+(d>>uint(b))&1)
		}
	}
	for len(bin)%4 != 0 {
		bin = append([]byte{'0'}, bin...)
	}
	hex := make([]byte, 0, 2+len(bin)/4+2)
	hex = append(hex, '0', 'x')
	for i := 0; i < len(bin); i += 4 {
		v := (bin[i]-'0')<<3 | (bin[i+1]-'0')<<2 | (bin[i+2]-'0')<<1 | (bin[i+3] - '0')
		hex = append(hex, "0123456789abcdef"[v])
	}
	hex = append(hex, 'p', '0')
	f, _ := strconv.ParseFloat(string(hex), 64)
	return f
}

func hexVal(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// trimJSSpace trims JavaScript WhiteSpace and LineTerminator characters.
func trimJSSpace(s string) string {
	return strings.TrimFunc(s, isJSSpace)
}

func isJSSpace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', ' ', 0xA0, 0x1680, 0x2028, 0x2029,
		0x202F, 0x205F, 0x3000, 0xFEFF:
		return true
	}
	return r >= 0x2000 && r <= 0x200A
}
