package jsnum

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

// The expected strings are what String(n) prints in Node 20.
func TestString(t *testing.T) {
	tenth, fifth := 0.1, 0.2 // variables: constants would add exactly
	for _, c := range []struct {
		f    float64
		want string
	}{
		{0, "0"}, {math.Copysign(0, -1), "0"}, {1, "1"}, {-42, "-42"}, {1.5, "1.5"},
		{tenth + fifth, "0.30000000000000004"}, {1e21, "1e+21"}, {1e20, "100000000000000000000"},
		{123456789012345680000, "123456789012345680000"}, {1e-7, "1e-7"}, {1.5e-7, "1.5e-7"},
		{0.000001, "0.000001"}, {-1e-7, "-1e-7"}, {5e-324, "5e-324"}, {math.MaxFloat64, "1.7976931348623157e+308"},
		{1e15, "1000000000000000"}, {123e-20, "1.23e-18"}, {2.5e21, "2.5e+21"},
		{math.NaN(), "NaN"}, {math.Inf(1), "Infinity"}, {math.Inf(-1), "-Infinity"},
	} {
		assert.Equal(t, c.want, String(c.f), "%v", c.f)
		assert.Equal(t, "x"+c.want, string(Append([]byte("x"), c.f)))
	}
}
