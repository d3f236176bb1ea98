// What the shim shares with Go, decided on the Go side and written into
// the bundle at build time (jsbridge/build.mjs runs `go run ./wasm`, which
// prints wasm/contract.go's contractJSON): the operation table, the plugin
// names, and the names and max-age of what Rupt's SDK stores on the device.
export const CONTRACT = __RUPT_CONTRACT__
