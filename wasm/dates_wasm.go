//go:build js && wasm

package main

import (
	"unsafe"

	"rupt-actions-wasm/action/mapping"
)

// browserDates is the date filters' mapping.DateHost in the browser.
type browserDates struct{ out []byte }

// ruptDate asks the shim (jsbridge/src/dates.js) about the date requested
// by the JSON in[:inLen]; the shim writes its answer into out[:outCap]
// when it fits, and returns its length either way.
//
//go:wasmimport rupt date
func ruptDate(in unsafe.Pointer, inLen uint32, out unsafe.Pointer, outCap uint32) uint32

func (h *browserDates) Date(in mapping.DateInput) (mapping.DateParts, error) {
	req, ok := dateRequest(in)
	if !ok {
		return mapping.DateParts{}, nil
	}
	for {
		if cap(h.out) == 0 {
			h.out = make([]byte, 0, 512)
		}
		out := h.out[:cap(h.out)]
		n := ruptDate(unsafe.Pointer(unsafe.SliceData(req)), uint32(len(req)), unsafe.Pointer(unsafe.SliceData(out)), uint32(len(out)))
		if int(n) <= len(out) {
			return dateParts(out[:n])
		}
		h.out = make([]byte, 0, n)
	}
}
