package main

import (
	"strconv"
	"strings"
	"testing"

	"github.com/tidwall/gjson"
)

// BenchmarkAttachDeviceCall is one page event through the bridge as the
// shim makes it: the event and the small device context (the location and
// time) framed into the input buffer, the call, the answer, and
// Rupt's answer handed back.
func BenchmarkAttachDeviceCall(b *testing.B) {
	br := NewBridge(NewAPI())
	conf, _ := splitTexts(br.Call(OpNamed("configure"), 0, 0, 0, frame(br, settings)))
	id := int32(gjson.Get(conf, "id").Int())
	br.Call(OpNamed("deviceSignals"), 0, 0, 0, frame(br, `{"platform":{"value":"Linux x86_64"},"fonts":{"value":["Arial"]}}`, `{"a":1}`))
	attach, answer := OpNamed("attachDevice"), OpNamed("handleResponse")
	const ok = `{"success":true,"attached_devices":1,"device_id":"d","default_device_limit":3,"access":"a"}`
	i := 0
	var members int32
	b.ReportAllocs()
	for b.Loop() {
		i++
		event := `{"type":"page","userId":"u` + strconv.Itoa(i) + `","anonymousId":"anon-123","properties":{"path":"/watch","url":"https://s.example/watch","title":"Watch","referrer":""},` +
			`"context":{"page":{"path":"/watch","url":"https://s.example/watch","title":"Watch","referrer":"","search":""},"userAgent":"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36","locale":"en-US",` +
			`"library":{"name":"analytics.js","version":"next-1.84.3"},"traits":{"email":"a@b.example"}},"messageId":"ajs-next-1733400000000-abc","timestamp":"2026-12-05T15:00:00.000Z","integrations":{},"sentAt":null}`
		// The shim sends a storage value only when it changed: the last
		// fingerprint crosses with the first event, and Go keeps it.
		stored := ""
		if i == 1 {
			stored = `,"last_fingerprint":"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"`
		}
		device := `{"path":"/watch","url":"https://s.example/watch","at":` + strconv.Itoa(i*2500) + stored + `}`
		// The shim holds the members text it was sent last.
		ev, _ := splitTexts(br.Call(attach, id, members, 0, frame(br, event, device)))
		attachID := int32(gjson.Get(ev, "requests.0.id").Int())
		if attachID == 0 {
			b.Fatal(ev)
		}
		members = int32(gjson.Get(ev, "requests.0.members").Int())
		br.Call(answer, id, attachID, 200, frame(br, ok, ""))
	}
}

// splitTexts splits an answer into its JSON and the texts after it, as
// the shim does (at NUL bytes).
func splitTexts(out []byte) (string, []string) {
	all := strings.Split(string(out), "\x00")
	return all[0], all[1:]
}
