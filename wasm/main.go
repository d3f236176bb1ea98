//go:build js && wasm

// Command wasm is the Go half of the Rupt (Actions) bundle. It exports the
// API as WebAssembly functions (go:wasmexport) that pass UTF-8 text
// through linear memory; jsbridge/src/exports.js turns them back into the
// methods the shim calls. Built for the host, it prints the contract the
// shim is built with instead (main_host.go). It does not use syscall/js: a call is a plain
// WebAssembly call (well under a microsecond) instead of a hand-off to a
// goroutine through wasm_exec.js's event loop (about 16 µs).
package main

import (
	"runtime"
	"unsafe"

	"rupt-actions-wasm/action/mapping"
)

var bridge = NewBridge(NewAPI())

func main() {
	// The @liquid date filters ask the browser (dates_wasm.go).
	mapping.Dates = &browserDates{}
	// The exports need a running Go program: block forever without
	// ending it. The runtime pauses and returns to JS here.
	select {}
}

// ruptInput returns the address of an input buffer of at least n bytes.
//
//go:wasmexport rupt_input
func ruptInput(n uint32) uint32 {
	in := bridge.Input(int(n))
	if cap(in) == 0 {
		return 0
	}
	return uint32(uintptr(unsafe.Pointer(unsafe.SliceData(in[:cap(in)]))))
}

// ruptCall runs operation op on the first n input bytes and the integer
// arguments n0..n2, and returns the answer's length in bytes;
// ruptOutput gives its address.
//
//go:wasmexport rupt_call
func ruptCall(op uint32, n0, n1, n2 int32, n uint32) uint32 {
	out := bridge.Call(Op(op), n0, n1, n2, int(n))
	if calls++; calls%yieldEvery != 0 {
		return uint32(len(out))
	}
	// Give the garbage collector's goroutines a turn. Go runs them only
	// when the running goroutine yields, and an exported call never does;
	// without this, a cycle begun during one call may not finish for
	// thousands of calls, and everything allocated meanwhile counts as
	// live: the hostile run's heap grew past WebAssembly's 4 GB. Once
	// every yieldEvery calls is enough for the collector (the hostile run
	// checks the heap stays within twice its goal), and the yield, a trip
	// through the scheduler, is then off most calls: the cheapest call
	// fell from about 2.9 to 2.3 µs in Chromium.
	runtime.Gosched()
	return uint32(len(out))
}

// calls counts the exported calls, so that ruptCall yields once every
// yieldEvery of them.
var calls uint32

// yieldEvery is how many exported calls run between two yields.
const yieldEvery = 16

// ruptOutput returns the address of the last call's answer.
//
//go:wasmexport rupt_output
func ruptOutput() uint32 {
	return uint32(uintptr(unsafe.Pointer(unsafe.SliceData(bridge.Output()))))
}
