//go:build js && wasm

// Command runtime is the Go runtime alone: a js/wasm program that does
// nothing and stays alive, as the bundle's Go program does. bench reports
// it as context for the size figure: no Go WASM can weigh less.
package main

func main() { select {} }
