// Package jsonw writes JSON strings the way JSON.stringify does, for
// everything Go hands the shim: the attach body, the evaluation, outcomes
// and requests are written without reflection, so the WASM carries no
// encoding/json (with reflect and fmt, about a third of its size).
// Strings are UTF-8, and invalid bytes become U+FFFD. (Package mapping has
// its own writer: its strings may hold lone UTF-16 surrogates, kept as
// WTF-8, which JSON.stringify writes as \uD800 escapes.)
package jsonw

import (
	"unicode/utf8"
	"unsafe"

	"rupt-actions-wasm/action/internal/swar"
)

const hexDigits = "0123456789abcdef"

// BytesString returns b as a string without copying it (the attach body is
// kilobytes, on every event); b must not be changed afterwards.
func BytesString(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// plain[c] is true for the bytes AppendString copies as they are: ASCII
// but controls, '"' and '\\'.
var plain = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// plainRun returns the index of the first byte of s[i:] that is not plain,
// or len(s), eight bytes at a time where it can: the attach body and the
// fingerprints are kilobytes of mostly plain text, on every event.
func plainRun(s string, i int) int {
	for len(s)-i >= 8 {
		x := swar.Load8(s, i)
		// A byte >= 0x80, a control (< 0x20), '"' or '\\' ends the run.
		if x&swar.Highs|swar.HasLess(x, 0x20)|swar.Has(x, '"')|swar.Has(x, '\\') != 0 {
			break
		}
		i += 8
	}
	for i < len(s) && plain[s[i]] {
		i++
	}
	return i
}

// AppendString appends s as a JSON string, escaped as JSON.stringify does;
// invalid UTF-8 becomes U+FFFD.
func AppendString(b []byte, s string) []byte {
	return append(appendContent(append(b, '"'), s), '"')
}

// appendContent appends s escaped as inside a JSON string, without quotes.
func appendContent(b []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); {
		i = plainRun(s, i)
		if i == len(s) {
			break
		}
		c := s[i]
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, "\ufffd"...)
			i++
			start = i
			continue
		}
		i += size
	}
	return append(b, s[start:]...)
}

// AppendField appends ,"key":"value" (or "key":"value" first in an object
// when first is true).
func AppendField(b []byte, first bool, key, value string) []byte {
	if !first {
		b = append(b, ',')
	}
	b = AppendString(b, key)
	b = append(b, ':')
	return AppendString(b, value)
}

// AppendBool appends true or false.
func AppendBool(b []byte, v bool) []byte {
	if v {
		return append(b, "true"...)
	}
	return append(b, "false"...)
}
