//go:build js && wasm

// Command wasm is the Go half of the Rupt (Actions) bundle. It exposes the
// API to the JS shim as one object, set on the global object the shim hands
// wasm_exec.js (a private scope, never window) under the name "ruptActions".
package main

import "syscall/js"

func main() {
	obj := js.Global().Get("Object").New()
	register(obj, NewAPI())
	js.Global().Set("ruptActions", obj)
	select {}
}

// register sets the API's methods on obj as JS functions.
func register(obj js.Value, api *API) {
	export(obj, "configure", func(a []js.Value) string { return api.Configure(str(a, 0)) })
	export(obj, "attachDevice", func(a []js.Value) string { return api.AttachDevice(num(a, 0), str(a, 1), str(a, 2)) })
	export(obj, "handleResponse", func(a []js.Value) string {
		return api.HandleResponse(num(a, 0), str(a, 1), num(a, 2), str(a, 3))
	})
	export(obj, "handleLive", func(a []js.Value) string { return api.HandleLive(num(a, 0), str(a, 1), str(a, 2)) })
	export(obj, "detach", func(a []js.Value) string { return api.Detach(num(a, 0)) })
	export(obj, "deviceSignals", func(a []js.Value) string { return api.DeviceSignals(str(a, 0), str(a, 1)) })
	export(obj, "fingerprint", func(a []js.Value) string { return api.Fingerprint(str(a, 0)) })
	export(obj, "stats", func([]js.Value) string { return api.Stats() })
	export(obj, "definition", func(a []js.Value) string { return api.Definition() })
}

// export sets obj[name] to a JS function running f. A panic in f, even
// while reading arguments, becomes an error answer: an unrecovered panic
// would end the Go program and fail every later call.
func export(obj js.Value, name string, f func(args []js.Value) string) {
	obj.Set(name, js.FuncOf(func(_ js.Value, args []js.Value) any {
		return guard(name, func() string { return f(args) })
	}))
}

// str reads argument i as a string ("" when absent or not a string).
func str(args []js.Value, i int) string {
	if i < len(args) && typeOf(args[i]) == js.TypeString {
		return args[i].String()
	}
	return ""
}

// num reads argument i as an int (0 when absent or not a number).
func num(args []js.Value, i int) int {
	if i < len(args) && typeOf(args[i]) == js.TypeNumber {
		return args[i].Int()
	}
	return 0
}

// typeOf is v.Type(), except that a JS type syscall/js does not know (a
// BigInt) is TypeUndefined instead of a panic.
func typeOf(v js.Value) (t js.Type) {
	defer func() {
		if recover() != nil {
			t = js.TypeUndefined
		}
	}()
	return v.Type()
}
