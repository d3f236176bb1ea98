//go:build !(js && wasm)

package main

import "os"

// On the host the command prints the contract the shim is built with
// (contractJSON): `go run ./wasm` is how jsbridge/build.mjs learns the
// operation table and the names Go decides.
func main() {
	os.Stdout.Write(append(contractJSON(), '\n'))
}
