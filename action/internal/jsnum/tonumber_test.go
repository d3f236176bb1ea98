package jsnum

import (
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestStringOfToNumber(t *testing.T) {
	// Expected values from node: String(Number(s)).
	for in, want := range map[string]string{
		"0": "0", "-0": "0", "1": "1", "-1": "-1", "0.1": "0.1", "1e21": "1e+21", "1e-7": "1e-7",
		"123456789012345678901234": "1.2345678901234569e+23", "0.000001": "0.000001", "0.0000001": "1e-7",
		"1.5": "1.5", "100": "100", "1234567.125": "1234567.125", "5e-324": "5e-324",
		"1.7976931348623157e308": "1.7976931348623157e+308", "2e308": "Infinity",
		"12345678901234567890": "12345678901234567000", "1e20": "100000000000000000000",
		"1.2345e-7": "1.2345e-7", "-1.5e300": "-1.5e+300", "-2e308": "-Infinity", "x": "NaN",
	} {
		assert.Equal(t, want, String(ToNumber(in)), in)
	}
}

func TestToNumber(t *testing.T) {
	// Expected values from node: Number(s).
	nan := math.NaN()
	for in, want := range map[string]float64{
		"": 0, " ": 0, "42": 42, " 42 ": 42, "\t\n42\r\v\f": 42, "\u00a042\u3000": 42, "\ufeff42": 42,
		"\u180e42": nan, "0x1F": 31, "0X1f": 31, "0x": nan, "0xg": nan, "-0x1F": nan, "0o17": 15,
		"0O17": 15, "0o8": nan, "0b101": 5, "0B11": 3, "0b2": nan, "1e3": 1000, "1E3": 1000, "1e": nan,
		"1e+": nan, ".5": 0.5, "5.": 5, ".": nan, "+.5": 0.5, "-.5e1": -5, "+5": 5, "-5": -5, "--5": nan,
		"Infinity": math.Inf(1), "-Infinity": math.Inf(-1), "+Infinity": math.Inf(1), "infinity": nan,
		"inf": nan, "NaN": nan, "1_000": nan, "1,5": nan, "12abc": nan,
		"00012": 12, "1e400": math.Inf(1), "-1e400": math.Inf(-1), "1e-400": 0, "true": nan, "null": nan,
		"١٢": nan,

		"0x1fffffffffffffffffff":       1.5111572745182865e+23,
		"0b" + strings.Repeat("1", 70): 1.1805916207174113e+21,
		"0o" + strings.Repeat("7", 30): 1.2379400392853803e+27,

		// Correctly rounded past 2^53, as V8 does (summing digit by digit
		// in float64 gives ...383e+70, ...157e+21 and ...235e+62).
		"0x30ea010521f7550cf659befe4c7d26ea2c4931be4c726504121874c196e":            2.1099534974363387e+70,
		"0b1110000010000110011011001000010101110100000001011001010000010101100101": 1.0354392340357158e+21,
		"0o0767317464721571621614172736350613202010756725236041623560523606425245": 2.0223535247562352e+62,

		// Surrounding white space of every kind; a lone surrogate (WTF-8)
		// or invalid UTF-8 is not white space.
		"\u1680\u2000\u200a\u2028\u2029\u202f\u205f 7 \u3000": 7, "\xed\xa0\x807": nan, "7\xff": nan,
		"-0": math.Copysign(0, -1), " -0x1": nan, "0x-1": nan, "+0x1": nan, "1e+5": 1e5, "1e-5": 1e-5,
	} {
		got := ToNumber(in)
		if math.IsNaN(want) {
			assert.True(t, math.IsNaN(got), "%q: got %v", in, got)
		} else {
			assert.Equal(t, want, got, in)
			assert.Equal(t, math.Signbit(want), math.Signbit(got), "sign of %q", in)
		}
	}
}

func TestIsSpace(t *testing.T) {
	// The WhiteSpace and LineTerminator code points of ECMAScript 2024
	// (Unicode 15's Space_Separator, plus TAB VT FF ZWNBSP LF CR LS PS).
	want := map[rune]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true,
		0xA0: true, 0x1680: true, 0x2028: true, 0x2029: true, 0x202F: true, 0x205F: true, 0x3000: true, 0xFEFF: true}
	for r := rune(0x2000); r <= 0x200A; r++ {
		want[r] = true
	}
	for r := rune(0); r <= 0x10FFFF+1; r++ {
		assert.Equal(t, want[r], IsSpace(r), "%U", r)
	}
	for _, r := range []rune{0x180E, 0x200B, 0x85, 0x1C, 0xFFFD, -1} {
		assert.False(t, IsSpace(r), "%U", r)
	}
}
