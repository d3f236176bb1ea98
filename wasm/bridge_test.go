package main

import (
	"encoding/binary"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"
)

// frame writes args into b's input buffer as the shim does and returns
// their length in bytes.
func frame(b *Bridge, args ...string) int {
	n := 0
	for _, a := range args {
		n += 4 + len(a)
	}
	in := b.Input(n)
	at := 0
	for _, a := range args {
		binary.LittleEndian.PutUint32(in[at:], uint32(len(a)))
		at += 4 + copy(in[at+4:], a)
	}
	return n
}

func TestBridgeRoundTrip(t *testing.T) {
	b := NewBridge(NewAPI())
	conf := b.Call(OpConfigure, 0, 0, frame(b, settings))
	require.False(t, gjson.Get(conf, "error").Exists(), conf)
	id := int32(gjson.Get(conf, "id").Int())
	assert.Contains(t, b.Call(OpDeviceSignals, 0, 0, frame(b, `{}`, "")), `"fingerprint"`)

	ev := b.Call(OpAttachDevice, id, 0, frame(b, `{"type":"page","userId":"u1"}`, `{"path":"/p","url":"https://s.example/p"}`))
	require.Equal(t, ev, b.Output(), "the answer stays readable after the call")
	req := gjson.Get(ev, "requests.0")
	require.True(t, req.Exists(), ev)
	assert.Equal(t, "u1", gjson.Get(req.Get("body").String(), "user").String())

	got := b.Call(OpHandleResponse, id, 200, frame(b, req.Get("context").Raw, `{"device_id":"d1","access":"a1","attached_devices":1,"default_device_limit":3}`))
	assert.False(t, gjson.Get(got, "error").Exists(), got)
	assert.Contains(t, gjson.Get(got, "listen").String(), "/v2/access/device/d1/listen")

	assert.Contains(t, b.Call(OpDetach, id, 0, frame(b)), `/v2/device/d1/detach`)
	assert.True(t, gjson.Get(b.Call(OpStats, 0, 0, frame(b)), "sys").Exists())
	assert.Equal(t, "Rupt", gjson.Get(b.Call(OpDefinition, 0, 0, frame(b)), "name").String())
}

func TestBridgeBadCalls(t *testing.T) {
	b := NewBridge(NewAPI())
	for _, c := range []struct {
		name string
		op   Op
		in   []byte
		n    int
		want string
	}{
		{"unknown op", 99, nil, 0, "unknown operation 99"},
		{"op zero", 0, nil, 0, "unknown operation 0"},
		{"n beyond the buffer", OpConfigure, []byte{1, 0, 0, 0, 'x'}, 6, "argument bytes out of range"},
		{"negative n", OpConfigure, nil, -1, "argument bytes out of range"},
		{"truncated length", OpConfigure, []byte{1, 0}, 2, "truncated argument length"},
		{"length beyond the input", OpConfigure, []byte{9, 0, 0, 0, 'x'}, 5, "argument longer than the input"},
		{"too many arguments", OpStats, []byte{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 20, "too many arguments"},
		{"no arguments", OpConfigure, nil, 0, "settings"},
		{"unconfigured id", OpAttachDevice, nil, 0, "destination 0 is not configured"},
	} {
		in := b.Input(len(c.in))
		copy(in, c.in)
		got := b.Call(c.op, 0, 0, c.n)
		assert.Contains(t, gjson.Get(got, "error").String(), c.want, c.name)
	}
}

// TestBridgeRecoversPanics: a panic inside an operation is an error answer
// and the bridge keeps working (in js/wasm an unrecovered panic would end
// the program).
func TestBridgeRecoversPanics(t *testing.T) {
	broken := NewBridge(nil) // every API method panics on the nil API
	got := broken.Call(OpConfigure, 0, 0, frame(broken, settings))
	assert.Contains(t, gjson.Get(got, "error").String(), "internal error in configure")
	b := NewBridge(NewAPI())
	assert.False(t, gjson.Get(b.Call(OpConfigure, 0, 0, frame(b, settings)), "error").Exists())
}

func TestBridgeDropsHugeInput(t *testing.T) {
	b := NewBridge(NewAPI())
	n := frame(b, strings.Repeat(" ", 2<<20))
	b.Call(OpConfigure, 0, 0, n)
	assert.Zero(t, cap(b.in), "a huge input buffer is not kept")
	frame(b, "{}")
	assert.Equal(t, 6, len(b.Input(6)))
}

// TestOpsMatchShim: the operation numbers are the shim's OPS list.
func TestOpsMatchShim(t *testing.T) {
	src, err := os.ReadFile("../jsbridge/src/exports.js")
	require.NoError(t, err)
	m := regexp.MustCompile(`export const OPS = \[([^\]]*)\]`).FindSubmatch(src)
	require.NotNil(t, m, "OPS list in exports.js")
	var js []string
	for _, q := range regexp.MustCompile(`'([A-Za-z]+)'`).FindAllSubmatch(m[1], -1) {
		js = append(js, string(q[1]))
	}
	assert.Equal(t, opNames[1:], js)
}
