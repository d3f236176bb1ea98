//go:build js && wasm

// Command wasm is the Go half of the Rupt (Actions) bundle. It exposes the
// API to the JS shim as one object, set on the global object the shim hands
// wasm_exec.js (a private scope, never window) under the name "ruptActions".
package main

import "syscall/js"

func main() {
	api := NewAPI()
	str := func(args []js.Value, i int) string {
		if i < len(args) && args[i].Type() == js.TypeString {
			return args[i].String()
		}
		return ""
	}
	num := func(args []js.Value, i int) int {
		if i < len(args) && args[i].Type() == js.TypeNumber {
			return args[i].Int()
		}
		return 0
	}
	obj := js.Global().Get("Object").New()
	set := func(name string, f func(args []js.Value) string) {
		obj.Set(name, js.FuncOf(func(_ js.Value, args []js.Value) (ret any) {
			// A panic here (while reading arguments) must not end the program.
			defer func() {
				if recover() != nil {
					ret = errorJSON("internal error in " + name)
				}
			}()
			return f(args)
		}))
	}
	set("configure", func(a []js.Value) string { return api.Configure(str(a, 0)) })
	set("attachDevice", func(a []js.Value) string { return api.AttachDevice(num(a, 0), str(a, 1), str(a, 2)) })
	set("handleResponse", func(a []js.Value) string {
		return api.HandleResponse(num(a, 0), str(a, 1), num(a, 2), str(a, 3))
	})
	set("handleLive", func(a []js.Value) string { return api.HandleLive(num(a, 0), str(a, 1), str(a, 2)) })
	set("fingerprint", func(a []js.Value) string { return api.Fingerprint(str(a, 0)) })
	set("definition", func(a []js.Value) string { return api.Definition() })
	js.Global().Set("ruptActions", obj)
	select {}
}
