//go:build js && wasm

// Command floor is the size baseline of the benchmarks: a Go syscall/js
// program whose only work is one gjson.Get, the least a Go WASM using this
// project's JSON library can weigh. bench builds it with the same flags as
// dist/rupt-actions.wasm and compares the two.
package main

import (
	"syscall/js"

	"github.com/tidwall/gjson"
)

func main() {
	in := js.Global().Get("floorInput")
	var doc string
	if in.Type() == js.TypeString {
		doc = in.String()
	}
	js.Global().Set("floorOutput", gjson.Get(doc, "a.b").String())
}
