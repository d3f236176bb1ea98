package main

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"
)

const settings = `{"client_id":"cid","new_account_url":"https://e.com/new","logout_url":"https://e.com/out",
	"subscriptions":[{"name":"Attach Device","subscribe":"type = 'page'","partnerAction":"attach","enabled":true,
	"mapping":{"account":{"@path":"$.userId"},"email":{"@path":"$.properties.email"}}}]}`

func configure(t *testing.T, a *API, s string) int {
	t.Helper()
	got := a.Configure(s)
	require.False(t, gjson.Get(got, "error").Exists(), got)
	return int(gjson.Get(got, "id").Int())
}

func TestConfigureErrors(t *testing.T) {
	a := NewAPI()
	for _, s := range []string{"", "{", `{"new_account_url":"https://e.com"}`, `{"client_id":"c","new_account_url":"javascript:x"}`} {
		got := a.Configure(s)
		assert.True(t, gjson.Get(got, "error").Exists(), s)
	}
}

// attach runs AttachDevice as a shim that holds no members text, and
// returns the answer and the request bodies.
func attach(a *API, id int, event, device string) (string, []string) {
	ev, texts := a.AttachDevice(id, 0, event, device)
	var m heldMembers
	return ev, m.bodies(ev, texts)
}

// heldMembers is the device's members text a shim holds, by number.
type heldMembers struct {
	version int64
	text    string
}

// bodies rebuilds the request bodies of an attachDevice answer as the
// shim does (jsbridge/src/runtime.js): head + members + tail for each
// request, the members text taken from after the heads and tails when the
// answer carries one. It returns nil when the answer's texts do not fit
// that shape, or a request names a members text the shim does not hold.
func (h *heldMembers) bodies(ev string, texts []string) []string {
	reqs := gjson.Get(ev, "requests").Array()
	n := len(reqs)
	switch len(texts) {
	case 2 * n:
	case 2*n + 1:
		h.version, h.text = reqs[0].Get("members").Int(), texts[2*n]
	default:
		return nil
	}
	var out []string
	for i, r := range reqs {
		m := ""
		if v := r.Get("members").Int(); v != 0 {
			if v != h.version {
				return nil
			}
			m = h.text
		}
		out = append(out, texts[2*i]+m+texts[2*i+1])
	}
	return out
}

// The members text crosses when the shim does not hold the one the
// requests name, and only then.
func TestAttachDeviceSendsMembersOnce(t *testing.T) {
	a := NewAPI()
	id := configure(t, a, settings)
	a.DeviceSignals(`{"platform":{"value":"Linux"}}`, `{"math":{"a":1}}`)
	at := 0
	var held heldMembers
	call := func(have int64, user, storage string) (string, []string) {
		t.Helper()
		at += 5000
		ev, texts := a.AttachDevice(id, int(have), `{"type":"page","userId":"`+user+`"}`, `{"path":"/p","at":`+strconv.Itoa(at)+storage+`}`)
		return ev, texts
	}
	ev, texts := call(0, "u1", ``)
	require.Len(t, texts, 3, "head, tail, and the members the shim lacks")
	bodies := held.bodies(ev, texts)
	require.Len(t, bodies, 1)
	v := gjson.Get(ev, "requests.0.members").Int()
	require.NotZero(t, v)
	assert.Equal(t, 2048, len(gjson.Get(bodies[0], "fingerprint").String()))
	assert.True(t, gjson.Valid(bodies[0]), bodies[0])
	assert.Less(t, len(texts[0])+len(texts[1]), 300, "head and tail are small")

	ev, texts = call(v, "u2", ``)
	require.Len(t, texts, 2, "the shim holds it: not sent again")
	assert.Equal(t, v, gjson.Get(ev, "requests.0.members").Int())
	bodies = held.bodies(ev, texts)
	require.Len(t, bodies, 1)
	assert.Equal(t, "u2", gjson.Get(bodies[0], "user").String())

	ev, texts = call(v, "u3", `,"last_fingerprint":"lf"`)
	require.Len(t, texts, 3, "the last fingerprint changed the members")
	assert.NotEqual(t, v, gjson.Get(ev, "requests.0.members").Int())
	bodies = held.bodies(ev, texts)
	require.Len(t, bodies, 1)
	assert.Equal(t, "lf", gjson.Get(bodies[0], "last_fingerprint").String())

	_, texts = call(v, "u4", ``)
	require.Len(t, texts, 3, "a shim holding an older text gets the current one")
}

func TestAttachDeviceRoundTrip(t *testing.T) {
	a := NewAPI()
	conf := a.Configure(settings)
	id := int(gjson.Get(conf, "id").Int())
	require.NotZero(t, id, conf)
	// Every attach's url, method and headers come once, with configure.
	assert.JSONEq(t, `{"url":"https://api.rupt.dev/v2/device/attach","method":"POST","headers":{"Authorization":"Basic cid:","Content-Type":"application/json"}}`, gjson.Get(conf, "attach").Raw)
	a.DeviceSignals(`{"platform":{"value":"Linux"}}`, `{"math":{"a":1}}`)
	ev, bodies := attach(a, id, `{"type":"page","userId":"u1","properties":{"email":"x@e.com"}}`, `{"path":"/p","url":"https://s.example/p","at":5}`)
	require.Equal(t, int64(1), gjson.Get(ev, "requests.#").Int(), ev)
	require.Len(t, bodies, 1, "one body per request, beside the answer")
	assert.NotContains(t, ev, "x@e.com", "the answer does not carry the body")
	assert.JSONEq(t, `{"id":1,"members":1,"subscription":"Attach Device"}`, gjson.Get(ev, "requests.0").Raw, "the request is named, its head is configure's")
	body := bodies[0]
	assert.Equal(t, "u1", gjson.Get(body, "user").String())
	assert.Equal(t, "x@e.com", gjson.Get(body, "email").String())
	assert.Equal(t, "/p", gjson.Get(body, "page").String())
	fp := gjson.Get(body, "fingerprint").String()
	require.Len(t, fp, 2048)

	// Rupt's answer comes back with the attach's id only.
	attachID := int(gjson.Get(ev, "requests.0.id").Int())
	out := a.HandleResponse(id, attachID, 200, `{"suspended":true,"access":"acc"}`, "")
	assert.Equal(t, "https://suspended.sabl.app/access/acc?referrer=s.example", gjson.Get(out, "navigate").String(), out)
	assert.Equal(t, fp, gjson.Get(out, "store_fingerprint").String())
	assert.Contains(t, a.HandleResponse(id, attachID, 200, `{}`, ""), "not in flight", "answered once")

	live := a.HandleLive(id, `{"action":"logout"}`, "https://s.example/p")
	assert.Equal(t, "https://e.com/out", gjson.Get(live, "navigate").String())
}

func TestAttachDeviceRetry(t *testing.T) {
	a := NewAPI()
	id := configure(t, a, settings)
	a.DeviceSignals("", "")
	ev, _ := attach(a, id, `{"type":"page","userId":"u1"}`, `{"path":"/p"}`)
	attachID := int(gjson.Get(ev, "requests.0.id").Int())
	out := a.HandleResponse(id, attachID, 503, "", "2")
	assert.Equal(t, int64(2000), gjson.Get(out, "retry_in").Int(), out)
	out = a.HandleResponse(id, attachID, 200, `{"device_id":"d","access":"a","attached_devices":1,"default_device_limit":2}`, "")
	assert.Contains(t, gjson.Get(out, "listen").String(), "/v2/access/device/d/listen", out)
}

func TestAttachDeviceLogoutHandOff(t *testing.T) {
	a := NewAPI()
	id := configure(t, a, settings)
	ev, bodies := attach(a, id, `{"type":"page","userId":"u1"}`, `{"url":"https://s.example/p?rupt_action=logout"}`)
	assert.Empty(t, bodies)
	assert.Equal(t, int64(0), gjson.Get(ev, "requests.#").Int())
	assert.False(t, gjson.Get(ev, "needs_device").Exists(), "a hand-off needs no device signals")
	assert.Equal(t, "https://e.com/out", gjson.Get(ev, "outcome.navigate").String())
	assert.True(t, gjson.Get(ev, "outcome.skip").Bool())
	anon, _ := attach(a, id, `{"type":"page"}`, `{"url":"https://s.example/p?rupt_action=logout"}`)
	assert.False(t, gjson.Get(anon, "outcome").Exists(), "an event that does not attach does not hand off: %s", anon)
}

func TestUnknownDestinationAndBadInput(t *testing.T) {
	a := NewAPI()
	ev, _ := attach(a, 7, `{}`, `{}`)
	assert.Contains(t, ev, "not configured")
	id := configure(t, a, settings)
	ev, _ = attach(a, id, `{}`, `not json`)
	assert.Contains(t, ev, "device context is not valid")
	assert.Contains(t, a.HandleResponse(id, 12345, 200, `{}`, ""), "attach 12345 is not in flight")
	ev, _ = attach(a, id, `[1]`, `{}`)
	assert.Contains(t, ev, "it must be a JSON object, got an array")
	assert.Contains(t, a.HandleResponse(99, 1, 200, `{}`, ""), "not configured")
}

func TestDetachRoundTrip(t *testing.T) {
	a := NewAPI()
	id := configure(t, a, settings)
	got, texts := a.Detach(id)
	assert.JSONEq(t, `{"request":null}`, got)
	assert.Empty(t, texts)
	a.DeviceSignals(`{}`, "")
	ev, _ := attach(a, id, `{"type":"page","userId":"u1"}`, `{"path":"/p"}`)
	a.HandleResponse(id, int(gjson.Get(ev, "requests.0.id").Int()), 200, `{"device_id":"dev_9","access":"acc_9","attached_devices":1,"default_device_limit":3}`, "")
	got, texts = a.Detach(id)
	assert.Equal(t, "https://api.rupt.dev/v2/device/dev_9/detach", gjson.Get(got, "request.url").String(), got)
	require.Len(t, texts, 1)
	assert.JSONEq(t, `{"user":"u1"}`, texts[0])
	got, _ = a.Detach(99)
	assert.Contains(t, got, "not configured")
}

func TestDeviceSignalsAreSentWithEveryAttach(t *testing.T) {
	a := NewAPI()
	id := configure(t, a, settings)
	assert.Contains(t, a.DeviceSignals(`[1]`, ""), "legacy signals")
	assert.Contains(t, a.DeviceSignals("", `{`), "fingerprint")
	got := a.DeviceSignals(`{"platform":{"value":"Linux"}}`, `{"device":{"isChromiumBrowser":true},"math":{"a":1}}`)
	fp := gjson.Get(got, "fingerprint").String()
	require.Len(t, fp, 2048, got)
	for _, path := range []string{"/a", "/b"} {
		_, bodies := attach(a, id, `{"type":"page","userId":"u1"}`, `{"path":"`+path+`"}`)
		require.Len(t, bodies, 1)
		assert.Equal(t, fp, gjson.Get(bodies[0], "fingerprint").String())
		assert.JSONEq(t, `{"platform":{"value":"Linux"}}`, gjson.Get(bodies[0], "signals").Raw)
	}
	// A device context cannot bring signals or a fingerprint of its own.
	_, bodies := attach(a, id, `{"type":"page","userId":"u1"}`, `{"path":"/c","fingerprint":"own","signals":{"x":1}}`)
	require.Len(t, bodies, 1)
	assert.Equal(t, fp, gjson.Get(bodies[0], "fingerprint").String())
}

// TestNothingIsCollectedUntilAnEventAttaches: before the signals are
// handed over, an event that attaches answers needs_device (and records
// nothing), one that does not attach answers as usual; after the site's
// logout the signals are dropped and asked for again.
func TestNothingIsCollectedUntilAnEventAttaches(t *testing.T) {
	a := NewAPI()
	id := configure(t, a, settings)
	anon, _ := attach(a, id, `{"type":"page","anonymousId":"x"}`, `{"path":"/p"}`)
	assert.False(t, gjson.Get(anon, "needs_device").Exists(), anon)
	assert.Equal(t, int64(1), gjson.Get(anon, "skipped.#").Int(), anon)

	signedIn := `{"type":"page","userId":"u1"}`
	ev, bodies := attach(a, id, signedIn, `{"path":"/p"}`)
	assert.True(t, gjson.Get(ev, "needs_device").Bool(), ev)
	assert.False(t, gjson.Get(ev, "requests").Exists(), ev)
	assert.Empty(t, bodies)

	a.DeviceSignals(`{"platform":{"value":"Linux"}}`, `{"math":{"a":1}}`)
	ev, bodies = attach(a, id, signedIn, `{"path":"/p"}`)
	require.Equal(t, int64(1), gjson.Get(ev, "requests.#").Int(), ev)
	assert.Len(t, gjson.Get(bodies[0], "fingerprint").String(), 2048)
	assert.True(t, gjson.Get(bodies[0], "signals").IsObject())

	a.Detach(id)
	ev, _ = attach(a, id, signedIn, `{"path":"/p"}`)
	assert.True(t, gjson.Get(ev, "needs_device").Bool(), "after the logout the signals are asked for again: %s", ev)

	// Signals that failed to collect still open the gate: the attach is
	// sent without them.
	a.DeviceSignals("", "")
	ev, bodies = attach(a, id, signedIn, `{"path":"/q"}`)
	require.Equal(t, int64(1), gjson.Get(ev, "requests.#").Int(), ev)
	assert.False(t, gjson.Get(bodies[0], "signals").Exists())
}

func TestStats(t *testing.T) {
	got := NewAPI().Stats()
	assert.Greater(t, gjson.Get(got, "sys").Int(), int64(0), got)
	assert.Greater(t, gjson.Get(got, "heap_alloc").Int(), int64(0), got)
	assert.Greater(t, gjson.Get(got, "next_gc").Int(), int64(0), got)
	assert.True(t, gjson.Get(got, "num_gc").Exists(), got)
}

// The device context carries a storage value only when it changed: Go
// keeps the last one it was sent, until the site's logout.
func TestAttachDeviceKeepsStorageValues(t *testing.T) {
	a := NewAPI()
	id := configure(t, a, settings)
	a.DeviceSignals(`{"platform":{"value":"Linux"}}`, `{"math":{"a":1}}`)
	at := 0
	send := func(user, storage string) string {
		t.Helper()
		at += 5000
		ev, bodies := attach(a, id, `{"type":"page","userId":"`+user+`"}`, `{"path":"/p","url":"https://s.example/p","at":`+strconv.Itoa(at)+storage+`}`)
		require.Len(t, bodies, 1, ev)
		return bodies[0]
	}
	b := send("u1", `,"last_fingerprint":"lf1","last_challenge":"ch1"`)
	assert.Equal(t, "lf1", gjson.Get(b, "last_fingerprint").String())
	b = send("u2", ``)
	assert.Equal(t, "lf1", gjson.Get(b, "last_fingerprint").String(), "left out: kept")
	assert.Equal(t, "ch1", gjson.Get(b, "last_challenge").String(), "left out: kept")
	b = send("u3", `,"last_challenge":null`)
	assert.Equal(t, "lf1", gjson.Get(b, "last_fingerprint").String())
	assert.False(t, gjson.Get(b, "last_challenge").Exists(), "null clears")
	a.Detach(id)
	a.DeviceSignals(`{"platform":{"value":"Linux"}}`, `{"math":{"a":1}}`)
	b = send("u4", ``)
	assert.False(t, gjson.Get(b, "last_fingerprint").Exists(), "the site's logout drops the copy")
}
