//go:build js && wasm

package main

import (
	"syscall/js"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"
)

// TestPanicDoesNotEndTheProgram calls a function that panics through the JS
// boundary, then proves later calls still work.
func TestPanicDoesNotEndTheProgram(t *testing.T) {
	obj := js.Global().Get("Object").New()
	register(obj, NewAPI())
	export(obj, "boom", func([]js.Value) string { panic("forced") })

	got := obj.Call("boom").String()
	assert.Contains(t, gjson.Get(got, "error").String(), "internal error in boom: forced")

	conf := obj.Call("configure", `{"client_id":"c","new_account_url":"https://e.com","subscriptions":[{"subscribe":"type = \"page\"","partnerAction":"attach","mapping":{"account":{"@path":"$.userId"}}}]}`).String()
	require.False(t, gjson.Get(conf, "error").Exists(), conf)
	id := int(gjson.Get(conf, "id").Int())

	ev := obj.Call("attachDevice", id, `{"type":"page","userId":"u1"}`, `{"path":"/p","url":"https://s.example/p"}`).String()
	require.False(t, gjson.Get(ev, "error").Exists(), ev)
	assert.Equal(t, "u1", gjson.Get(gjson.Get(ev, "requests.0.body").String(), "user").String())
}

// TestWrongArgumentTypes: JS callers may pass anything; answers are errors.
func TestWrongArgumentTypes(t *testing.T) {
	obj := js.Global().Get("Object").New()
	register(obj, NewAPI())
	bigint := js.Global().Get("BigInt").Invoke(10)
	for _, args := range [][]any{nil, {1}, {js.Null()}, {js.Undefined(), "x"}, {map[string]any{"a": 1}}, {bigint, bigint, bigint}} {
		got := obj.Call("configure", args...).String()
		assert.True(t, gjson.Get(got, "error").Exists(), got)
		assert.NotContains(t, got, "internal error", "no recovered panic")
		got = obj.Call("attachDevice", args...).String()
		assert.True(t, gjson.Get(got, "error").Exists(), got)
	}
}
