package main

import "strconv"

// Op is one API method the shim can call through the bridge. The numbers
// are part of the contract with jsbridge/src/exports.js (TestOpsMatchShim
// keeps the two lists equal).
type Op uint32

// The operations, in the order of exports.js's OPS list.
const (
	OpConfigure Op = iota + 1
	OpAttachDevice
	OpHandleResponse
	OpHandleLive
	OpDetach
	OpDeviceSignals
	OpFingerprint
	OpStats
	OpDefinition
)

// opNames names each Op as the shim's API method of that name.
var opNames = [...]string{
	OpConfigure:      "configure",
	OpAttachDevice:   "attachDevice",
	OpHandleResponse: "handleResponse",
	OpHandleLive:     "handleLive",
	OpDetach:         "detach",
	OpDeviceSignals:  "deviceSignals",
	OpFingerprint:    "fingerprint",
	OpStats:          "stats",
	OpDefinition:     "definition",
}

// maxArgs is the most string arguments an operation takes.
const maxArgs = 4

// maxKeptInput is the largest input buffer kept between calls.
const maxKeptInput = 1 << 20

// Bridge carries calls between the shim and the API through two buffers in
// linear memory, so that a call is a plain WebAssembly function call: the
// shim writes the string arguments into the input buffer (each as a 4-byte
// little-endian length and its UTF-8 bytes), calls Call with the integer
// arguments, and reads the answer (UTF-8 JSON) that Bridge keeps alive
// until the next call.
type Bridge struct {
	api *API
	in  []byte
	out string
}

// NewBridge returns a Bridge over api.
func NewBridge(api *API) *Bridge { return &Bridge{api: api} }

// Input returns the input buffer, at least n bytes long. The slice stays
// valid until the next Input call (Go's heap does not move).
func (b *Bridge) Input(n int) []byte {
	if n < 0 {
		n = 0
	}
	if cap(b.in) < n {
		b.in = make([]byte, n, n+n/4+64)
	}
	b.in = b.in[:n]
	return b.in
}

// Call runs op on the first n bytes of the input buffer and the integer
// arguments id and num (a destination id, an HTTP status). The answer is
// also kept in b until the next call, for the shim to read.
func (b *Bridge) Call(op Op, id, num int32, n int) string {
	name := "call"
	if int(op) < len(opNames) && opNames[op] != "" {
		name = opNames[op]
	}
	b.out = guard(name, func() string {
		var a [maxArgs]string
		if err := splitArgs(b.in, n, &a); err != "" {
			return errorJSON(name + ": " + err)
		}
		api, i := b.api, int(id)
		switch op {
		case OpConfigure:
			return api.Configure(a[0])
		case OpAttachDevice:
			return api.AttachDevice(i, a[0], a[1])
		case OpHandleResponse:
			return api.HandleResponse(i, a[0], int(num), a[1])
		case OpHandleLive:
			return api.HandleLive(i, a[0], a[1])
		case OpDetach:
			return api.Detach(i)
		case OpDeviceSignals:
			return api.DeviceSignals(a[0], a[1])
		case OpFingerprint:
			return api.Fingerprint(a[0])
		case OpStats:
			return api.Stats()
		case OpDefinition:
			return api.Definition()
		}
		return errorJSON("unknown operation " + strconv.FormatUint(uint64(op), 10) + ": rupt-actions.js and rupt-actions.wasm are from different releases")
	})
	if cap(b.in) > maxKeptInput {
		b.in = nil // let a rare huge argument go; the next call allocates again
	}
	return b.out
}

// Output is the answer of the last call.
func (b *Bridge) Output() string { return b.out }

// splitArgs reads the length-prefixed strings in in[:n] into a.
func splitArgs(in []byte, n int, a *[maxArgs]string) string {
	if n < 0 || n > len(in) {
		return "argument bytes out of range"
	}
	p := in[:n]
	for k := 0; len(p) > 0; k++ {
		if k == maxArgs {
			return "too many arguments"
		}
		if len(p) < 4 {
			return "truncated argument length"
		}
		l := uint32(p[0]) | uint32(p[1])<<8 | uint32(p[2])<<16 | uint32(p[3])<<24 // little-endian; encoding/binary would bring reflect
		p = p[4:]
		if uint64(l) > uint64(len(p)) {
			return "argument longer than the input"
		}
		a[k] = string(p[:l])
		p = p[l:]
	}
	return ""
}
