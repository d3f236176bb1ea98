//go:build js && wasm

package main

import (
	"encoding/binary"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"
)

// callExports drives the WebAssembly exports as jsbridge/src/exports.js
// does, checking that the addresses they hand out are the bridge's
// buffers, and returns the answer's JSON and texts.
func callExports(t *testing.T, op Op, n0, n1, n2 int32, args ...string) (string, []string) {
	t.Helper()
	n := 0
	for _, a := range args {
		n += 4 + len(a)
	}
	p := ruptInput(uint32(n))
	in := bridge.Input(n)
	if n > 0 {
		require.Equal(t, uintptr(p), uintptr(unsafe.Pointer(&in[0])), "rupt_input gives the input buffer's address")
	}
	at := 0
	for _, a := range args {
		binary.LittleEndian.PutUint32(in[at:], uint32(len(a)))
		at += 4 + copy(in[at+4:], a)
	}
	l := ruptCall(uint32(op), n0, n1, n2, uint32(n))
	out := bridge.Output()
	require.Equal(t, int(l), len(out))
	require.Equal(t, uintptr(ruptOutput()), uintptr(unsafe.Pointer(unsafe.SliceData(out))), "rupt_output gives the answer's address")
	return texts(t, out)
}

func TestExports(t *testing.T) {
	conf, _ := callExports(t, OpNamed("configure"), 0, 0, 0, settings)
	require.False(t, gjson.Get(conf, "error").Exists(), conf)
	id := int32(gjson.Get(conf, "id").Int())
	callExports(t, OpNamed("deviceSignals"), 0, 0, 0, `{}`, "")
	ev, parts := callExports(t, OpNamed("attachDevice"), id, 0, 0, `{"type":"page","userId":"u1"}`, `{"path":"/p","url":"https://s.example/p"}`)
	var held heldMembers
	bodies := held.bodies(ev, parts)
	require.Len(t, bodies, 1, ev)
	assert.Equal(t, "u1", gjson.Get(bodies[0], "user").String(), ev)
	got, _ := callExports(t, 99, 0, 0, 0)
	assert.Contains(t, got, "unknown operation")
	got, _ = callExports(t, OpNamed("attachDevice"), 12345, 0, 0)
	assert.Contains(t, got, "destination 12345 is not configured")
}
