package main

import (
	"runtime"
	"strconv"
	"strings"
)

// Op is the number of an operation: its index in ops, plus one.
type Op uint32

// call is one operation's arguments: up to three integers (a destination
// id, an attach id, an HTTP status) and up to maxArgs strings.
type call struct {
	n [3]int
	s [maxArgs]string
}

// ops is the operation table, the one list of what the shim can call. The
// shim gets the names in this order at build time (see contract.go), so
// an operation's number means the same on both sides. Each answers JSON,
// and some also texts that leave Go as their own outputs (request bodies).
var ops = [...]struct {
	name string
	run  func(a *API, c *call) (string, []string)
}{
	{"configure", func(a *API, c *call) (string, []string) { return a.Configure(c.s[0]), nil }},
	{"attachDevice", func(a *API, c *call) (string, []string) { return a.AttachDevice(c.n[0], c.n[1], c.s[0], c.s[1]) }},
	{"handleResponse", func(a *API, c *call) (string, []string) {
		return a.HandleResponse(c.n[0], c.n[1], c.n[2], c.s[0], c.s[1]), nil
	}},
	{"handleLive", func(a *API, c *call) (string, []string) { return a.HandleLive(c.n[0], c.s[0], c.s[1]), nil }},
	{"detach", func(a *API, c *call) (string, []string) { return a.Detach(c.n[0]) }},
	{"deviceSignals", func(a *API, c *call) (string, []string) { return a.DeviceSignals(c.s[0], c.s[1]), nil }},
	{"stats", func(a *API, _ *call) (string, []string) { return a.Stats(), nil }},
}

// OpNamed returns the number of the operation called name, or 0.
func OpNamed(name string) Op {
	for i, o := range ops {
		if o.name == name {
			return Op(i + 1)
		}
	}
	return 0
}

// maxArgs is the most string arguments an operation takes.
const maxArgs = 2

// maxKept is the largest input or output buffer kept between calls.
const maxKept = 1 << 20

// Bridge carries calls between the shim and the API through two buffers in
// linear memory, so that a call is a plain WebAssembly function call: the
// shim writes the string arguments into the input buffer, calls Call with
// the integer arguments, and reads the answer from the output buffer,
// which Bridge keeps until the next call.
//
// The input holds the strings framed: each a 4-byte little-endian length
// and its UTF-8 bytes (a string from JS may hold any character). The
// answer is its texts joined by NUL bytes, so that the shim decodes it
// with one TextDecoder call and splits it: its first text is JSON, and
// request bodies (JSON) follow it. JSON has no raw NUL (it is escaped in
// strings), and Call checks it.
type Bridge struct {
	api *API
	in  []byte
	out []byte
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
// arguments, and returns the answer (its texts joined by NUL bytes), which stays in b (Output)
// until the next call. It is the one place that recovers a panic: in
// js/wasm an unrecovered panic ends the Go program, and every later call
// would fail.
func (b *Bridge) Call(op Op, n0, n1, n2 int32, n int) []byte {
	if cap(b.out) > maxKept {
		b.out = nil // let a rare huge answer go
	}
	b.out = b.out[:0]
	json, texts := b.run(op, &call{n: [3]int{int(n0), int(n1), int(n2)}}, n)
	// The JSON answer never holds a raw NUL (JSON escapes it); bodies are
	// JSON too, and checked.
	for _, t := range texts {
		if strings.IndexByte(t, 0) >= 0 {
			json, texts = `{"error":"internal error: a request body holds a NUL byte"}`, nil
		}
	}
	b.out = append(b.out, json...)
	for _, t := range texts {
		b.out = append(append(b.out, 0), t...)
	}
	if cap(b.in) > maxKept {
		b.in = nil // let a rare huge argument go; the next call allocates again
	}
	return b.out
}

func (b *Bridge) run(op Op, c *call, n int) (json string, texts []string) {
	if op == 0 || int(op) > len(ops) {
		return errorJSON("unknown operation " + strconv.FormatUint(uint64(op), 10) + ": rupt-actions.js and rupt-actions.wasm are from different releases"), nil
	}
	o := ops[op-1]
	defer func() {
		if r := recover(); r != nil {
			json, texts = errorJSON(panicMessage(o.name, r)), nil
		}
	}()
	if err := splitArgs(b.in, n, &c.s); err != "" {
		return errorJSON(o.name + ": " + err), nil
	}
	return o.run(b.api, c)
}

// panicMessage says what panicked, with Go's stack.
func panicMessage(name string, r any) string {
	msg := "internal error in " + name + ": "
	switch v := r.(type) {
	case error:
		msg += v.Error()
	case string:
		msg += v
	default:
		msg += "panic"
	}
	// runtime.Stack, not runtime/debug: that package brings fmt and os.
	stack := make([]byte, 8<<10)
	return msg + "\n" + string(stack[:runtime.Stack(stack, false)])
}

// Output is the answer of the last call: its texts joined by NUL bytes.
func (b *Bridge) Output() []byte { return b.out }

// splitArgs reads the framed strings in in[:n] into a.
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
		l := uint32(p[0]) | uint32(p[1])<<8 | uint32(p[2])<<16 | uint32(p[3])<<24
		p = p[4:]
		if uint64(l) > uint64(len(p)) {
			return "argument longer than the input"
		}
		a[k] = string(p[:l])
		p = p[l:]
	}
	return ""
}
