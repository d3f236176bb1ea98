package jsnum

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestArrayIndex(t *testing.T) {
	for _, c := range []struct {
		key  string
		want uint32
		ok   bool
	}{
		{"0", 0, true}, {"7", 7, true}, {"42", 42, true}, {"4294967294", MaxArrayIndex, true},
		{"4294967295", 0, false}, {"9999999999", 0, false}, {"10000000000", 0, false},
		{"", 0, false}, {"00", 0, false}, {"01", 0, false}, {"-1", 0, false}, {"+1", 0, false},
		{"1.0", 0, false}, {"1e3", 0, false}, {" 1", 0, false}, {"1 ", 0, false}, {"0x1", 0, false},
		{"a", 0, false}, {"length", 0, false}, {"١", 0, false}, {"0000000001", 0, false},
	} {
		n, ok := ArrayIndex(c.key)
		assert.Equal(t, c.ok, ok, "%q", c.key)
		assert.Equal(t, c.want, n, "%q", c.key)
		n, ok = ArrayIndex([]byte(c.key))
		assert.Equal(t, c.ok, ok, "[]byte %q", c.key)
		assert.Equal(t, c.want, n, "[]byte %q", c.key)
	}
}
