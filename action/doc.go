// Package action is the Rupt (Actions) destination for Segment's Analytics.js,
// in pure Go: the destination definition, settings, the Attach Device action
// and the decisions taken on Rupt's answers. It has no syscall/js dependency,
// so every decision is tested natively; the wasm/ bridge exposes it to the
// browser shim in jsbridge/.
package action
