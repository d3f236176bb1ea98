package main

import (
	"strconv"

	"rupt-actions-wasm/action"
)

// contractJSON is what the JS shim must agree on with this side, written
// into the bundle at build time (jsbridge/build.mjs reads it from
// `go run ./wasm` on the host, see main_host.go), so that Go is its one
// source: the operations, in the order that numbers them; the plugin
// names; and the names and max-age of what Rupt's SDK stores on the device.
func contractJSON() []byte {
	b := []byte(`{"ops":[`)
	for i, o := range ops {
		if i > 0 {
			b = append(b, ',')
		}
		b = action.AppendQuote(b, o.name)
	}
	b = append(b, ']')
	for _, f := range [...]struct{ k, v string }{
		{"pluginName", action.PluginName},
		{"factoryName", action.PluginFactoryName},
		{"cookieLastBlockingAccess", action.CookieLastBlockingAccess},
		{"cookieLastChallenge", action.CookieLastChallenge},
		{"keyLastFingerprint", action.KeyLastFingerprint},
	} {
		b = action.AppendQuote(append(b, ','), f.k)
		b = action.AppendQuote(append(b, ':'), f.v)
	}
	b = strconv.AppendInt(append(b, `,"cookieMaxAge":`...), action.CookieMaxAge, 10)
	return append(b, '}')
}
