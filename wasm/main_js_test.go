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

// call drives the WebAssembly exports as jsbridge/src/exports.js does,
// checking that the addresses they hand out are the bridge's buffers.
func call(t *testing.T, op Op, id, num int32, args ...string) string {
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
	l := ruptCall(uint32(op), id, num, uint32(n))
	out := bridge.Output()
	require.Equal(t, int(l), len(out))
	require.Equal(t, uintptr(ruptOutput()), uintptr(unsafe.Pointer(unsafe.StringData(out))), "rupt_output gives the answer's address")
	return out
}

func TestExports(t *testing.T) {
	conf := call(t, OpConfigure, 0, 0, settings)
	require.False(t, gjson.Get(conf, "error").Exists(), conf)
	id := int32(gjson.Get(conf, "id").Int())
	ev := call(t, OpAttachDevice, id, 0, `{"type":"page","userId":"u1"}`, `{"path":"/p","url":"https://s.example/p"}`)
	assert.Equal(t, "u1", gjson.Get(gjson.Get(ev, "requests.0.body").String(), "user").String(), ev)
	assert.Contains(t, call(t, 99, 0, 0), "unknown operation")
	assert.Contains(t, call(t, OpAttachDevice, 12345, 0), "destination 12345 is not configured")
}
