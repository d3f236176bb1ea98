package swar

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestAgainstByteLoop: every test agrees with a byte-by-byte loop on every
// word made of a few interesting bytes in every position.
func TestAgainstByteLoop(t *testing.T) {
	bytes := []byte{0, 1, 0x1f, 0x20, '"', '\\', 'a', 0x7f, 0x80, 0xff}
	word := make([]byte, 8)
	for i := range word {
		word[i] = 'x'
	}
	for pos := 0; pos < 8; pos++ {
		for _, b := range bytes {
			word[pos] = b
			x := Load8(string(word), 0)
			has := func(f func(byte) bool) bool {
				for _, c := range word {
					if f(c) {
						return true
					}
				}
				return false
			}
			assert.Equal(t, has(func(c byte) bool { return c == 0 }), HasZero(x) != 0, "%q", word)
			assert.Equal(t, has(func(c byte) bool { return c == '"' }), Has(x, '"') != 0, "%q", word)
			assert.Equal(t, has(func(c byte) bool { return c < 0x20 }), HasLess(x, 0x20) != 0, "%q", word)
			word[pos] = 'x'
		}
	}
	assert.Equal(t, uint64(0x0807060504030201), Load8("\x01\x02\x03\x04\x05\x06\x07\x08", 0))
}
