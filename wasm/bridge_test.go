package main

import (
	"encoding/binary"
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

// texts splits an answer as the shim does (at NUL bytes): the JSON, then
// the texts.
func texts(t *testing.T, out []byte) (string, []string) {
	t.Helper()
	require.NotEmpty(t, out, "an answer has its JSON")
	all := strings.Split(string(out), "\x00")
	return all[0], all[1:]
}

func op(t *testing.T, name string) Op {
	t.Helper()
	o := OpNamed(name)
	require.NotZero(t, o, name)
	return o
}

func TestBridgeRoundTrip(t *testing.T) {
	b := NewBridge(NewAPI())
	conf, _ := texts(t, b.Call(op(t, "configure"), 0, 0, 0, frame(b, settings)))
	require.False(t, gjson.Get(conf, "error").Exists(), conf)
	id := int32(gjson.Get(conf, "id").Int())
	got, _ := texts(t, b.Call(op(t, "deviceSignals"), 0, 0, 0, frame(b, `{}`, "")))
	assert.Contains(t, got, `"fingerprint"`)

	out := b.Call(op(t, "attachDevice"), id, 0, 0, frame(b, `{"type":"page","userId":"u1"}`, `{"path":"/p","url":"https://s.example/p"}`))
	require.Equal(t, out, b.Output(), "the answer stays readable after the call")
	ev, parts := texts(t, out)
	req := gjson.Get(ev, "requests.0")
	require.True(t, req.Exists(), ev)
	var held heldMembers
	bodies := held.bodies(ev, parts)
	require.Len(t, bodies, 1, "head, tail and the members text: %q", parts)
	assert.Equal(t, "u1", gjson.Get(bodies[0], "user").String())

	got, _ = texts(t, b.Call(op(t, "handleResponse"), id, int32(req.Get("id").Int()), 200,
		frame(b, `{"device_id":"d1","access":"a1","attached_devices":1,"default_device_limit":3}`, "")))
	assert.False(t, gjson.Get(got, "error").Exists(), got)
	assert.Contains(t, gjson.Get(got, "listen").String(), "/v2/access/device/d1/listen")

	det, detBodies := texts(t, b.Call(op(t, "detach"), id, 0, 0, frame(b)))
	assert.Contains(t, det, `/v2/device/d1/detach`)
	assert.Equal(t, []string{`{"user":"u1"}`}, detBodies)
	got, _ = texts(t, b.Call(op(t, "stats"), 0, 0, 0, frame(b)))
	assert.True(t, gjson.Get(got, "sys").Exists())
}

func TestBridgeBadCalls(t *testing.T) {
	b := NewBridge(NewAPI())
	configure, stats := op(t, "configure"), op(t, "stats")
	for _, c := range []struct {
		name string
		op   Op
		in   []byte
		n    int
		want string
	}{
		{"unknown op", 99, nil, 0, "unknown operation 99"},
		{"op zero", 0, nil, 0, "unknown operation 0"},
		{"n beyond the buffer", configure, []byte{1, 0, 0, 0, 'x'}, 6, "argument bytes out of range"},
		{"negative n", configure, nil, -1, "argument bytes out of range"},
		{"truncated length", configure, []byte{1, 0}, 2, "truncated argument length"},
		{"length beyond the input", configure, []byte{9, 0, 0, 0, 'x'}, 5, "argument longer than the input"},
		{"too many arguments", stats, []byte{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 12, "too many arguments"},
		{"no arguments", configure, nil, 0, "settings"},
		{"unconfigured id", op(t, "attachDevice"), nil, 0, "destination 0 is not configured"},
	} {
		in := b.Input(len(c.in))
		copy(in, c.in)
		got, rest := texts(t, b.Call(c.op, 0, 0, 0, c.n))
		assert.Contains(t, gjson.Get(got, "error").String(), c.want, c.name)
		assert.Empty(t, rest, c.name)
	}
}

// TestBridgeRecoversPanics: a panic inside an operation is an error answer
// and the bridge keeps working (in js/wasm an unrecovered panic would end
// the program).
func TestBridgeRecoversPanics(t *testing.T) {
	broken := NewBridge(nil) // every API method panics on the nil API
	got, _ := texts(t, broken.Call(op(t, "configure"), 0, 0, 0, frame(broken, settings)))
	assert.Contains(t, gjson.Get(got, "error").String(), "internal error in configure")
	got, _ = texts(t, broken.Call(op(t, "configure"), 0, 0, 0, frame(broken, settings)))
	assert.Contains(t, gjson.Get(got, "error").String(), "internal error in configure", "and again: the bridge still answers")
	b := NewBridge(NewAPI())
	got, _ = texts(t, b.Call(op(t, "configure"), 0, 0, 0, frame(b, settings)))
	assert.False(t, gjson.Get(got, "error").Exists())
}

func TestBridgeDropsHugeBuffers(t *testing.T) {
	b := NewBridge(NewAPI())
	n := frame(b, strings.Repeat(" ", 2<<20))
	b.Call(op(t, "configure"), 0, 0, 0, n)
	assert.Zero(t, cap(b.in), "a huge input buffer is not kept")
	frame(b, "{}")
	assert.Equal(t, 6, len(b.Input(6)))
	b.out = make([]byte, 0, 2<<20)
	b.Call(op(t, "stats"), 0, 0, 0, frame(b))
	assert.Less(t, cap(b.out), 2<<20, "a huge output buffer is not kept")
}

// TestContract: the contract the shim is built with lists the operations in
// the table's order and the names Go decides.
func TestContract(t *testing.T) {
	c := gjson.ParseBytes(contractJSON())
	require.True(t, c.IsObject(), string(contractJSON()))
	var names []string
	for _, o := range c.Get("ops").Array() {
		names = append(names, o.String())
	}
	require.Len(t, names, len(ops))
	for i, n := range names {
		assert.Equal(t, Op(i+1), OpNamed(n), n)
	}
	assert.Equal(t, "Rupt attach", c.Get("pluginName").String())
	assert.Equal(t, "Rupt (Actions)", c.Get("factoryName").String())
	assert.Equal(t, "rpt_last_fp", c.Get("keyLastFingerprint").String())
	assert.Equal(t, int64(31536000), c.Get("cookieMaxAge").Int())
}

// TestAnswerTextsHaveNoNUL: NUL separates an answer's texts, so none may
// hold one: a NUL in the event (and so in the request body) or in an
// error message arrives escaped, and the answer splits into exactly the
// texts the call gives.
func TestAnswerTextsHaveNoNUL(t *testing.T) {
	b := NewBridge(NewAPI())
	conf, _ := texts(t, b.Call(op(t, "configure"), 0, 0, 0, frame(b, settings)))
	id := int32(gjson.Get(conf, "id").Int())
	texts(t, b.Call(op(t, "deviceSignals"), 0, 0, 0, frame(b, `{"a":"\u0000"}`, "")))
	out := b.Call(op(t, "attachDevice"), id, 0, 0, frame(b, `{"type":"page","userId":"u\u0000v","properties":{"email":"a\u0000@b.co"}}`, `{"path":"/\u0000","url":"https://s.example/p"}`))
	ev, parts := texts(t, out)
	require.True(t, gjson.Valid(ev), ev)
	require.Len(t, parts, 3, "head, tail and the members text: %q", parts)
	var held heldMembers
	bodies := held.bodies(ev, parts)
	require.Len(t, bodies, 1)
	require.True(t, gjson.Valid(bodies[0]), bodies[0])
	assert.Equal(t, "u\x00v", gjson.Get(bodies[0], "user").String())
	assert.Contains(t, bodies[0], `u\u0000v`)

	bad, rest := texts(t, b.Call(op(t, "configure"), 0, 0, 0, frame(b, "{\"client_id\":\"\x00\"")))
	assert.Empty(t, rest)
	assert.True(t, gjson.Valid(bad), bad)
	assert.True(t, gjson.Get(bad, "error").Exists(), bad)
}
