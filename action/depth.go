package action

import (
	"errors"
	"strconv"
)

// MaxDepth bounds how deeply JSON input may nest. Reading JSON here does
// not recurse, but what is done with it may (a mapping walks the event, a
// payload is copied into the attach body and parsed again by the browser),
// and in js/wasm a deep enough recursion overflows the browser's call
// stack, which would end the Go program. So nesting is counted first, and
// anything deeper than a real event, setting or answer is refused with a
// clear error.
const MaxDepth = 512

// CheckDepth returns an error when raw nests arrays and objects deeper
// than MaxDepth (strings are skipped; the JSON need not be valid).
func CheckDepth(raw []byte, what string) error {
	depth := 0
	for i := 0; i < len(raw); i++ {
		switch raw[i] {
		case '"':
			for i++; i < len(raw) && raw[i] != '"'; i++ {
				if raw[i] == '\\' {
					i++
				}
			}
		case '[', '{':
			depth++
			if depth > MaxDepth {
				return errors.New(what + " nests deeper than " + strconv.Itoa(MaxDepth) + " levels")
			}
		case ']', '}':
			depth--
		}
	}
	return nil
}
