// Package swar tests eight bytes of a string at a time ("SIMD within a
// register"): the JSON reader and writer scan kilobytes of mostly plain
// string text on every event, and a word at a time is several times
// faster than a byte loop, notably in WebAssembly.
package swar

// Ones and Highs are the bytes 0x01 and 0x80 repeated in a word.
const (
	Ones  = 0x0101010101010101
	Highs = 0x8080808080808080
)

// Load8 returns s[i:i+8] as a little-endian word; s must hold 8 bytes at i.
func Load8(s string, i int) uint64 {
	t := s[i : i+8]
	return uint64(t[0]) | uint64(t[1])<<8 | uint64(t[2])<<16 | uint64(t[3])<<24 |
		uint64(t[4])<<32 | uint64(t[5])<<40 | uint64(t[6])<<48 | uint64(t[7])<<56
}

// HasZero is non-zero if and only if a byte of x is zero.
func HasZero(x uint64) uint64 { return (x - Ones) &^ x & Highs }

// Has is non-zero if and only if a byte of x is c.
func Has(x uint64, c byte) uint64 { return HasZero(x ^ (Ones * uint64(c))) }

// HasLess is non-zero if and only if a byte of x is below n (n ≤ 128). A
// borrow can flag a byte that is not below n only after one that is.
func HasLess(x uint64, n byte) uint64 { return (x - Ones*uint64(n)) &^ x & Highs }
