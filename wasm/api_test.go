package main

import (
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

func TestAttachDeviceRoundTrip(t *testing.T) {
	a := NewAPI()
	id := configure(t, a, settings)
	ev := a.AttachDevice(id, `{"type":"page","userId":"u1","properties":{"email":"x@e.com"}}`, `{"path":"/p","url":"https://s.example/p","fingerprint":"fp"}`)
	require.Equal(t, int64(1), gjson.Get(ev, "requests.#").Int(), ev)
	body := gjson.Get(ev, "requests.0.body").String()
	assert.Equal(t, "u1", gjson.Get(body, "user").String())
	assert.Equal(t, "x@e.com", gjson.Get(body, "email").String())
	assert.Equal(t, "/p", gjson.Get(body, "page").String())

	ctx := gjson.Get(ev, "requests.0.context").Raw
	out := a.HandleResponse(id, ctx, 200, `{"suspended":true,"access":"acc"}`)
	assert.Equal(t, "https://suspended.sabl.app/access/acc?referrer=s.example", gjson.Get(out, "navigate").String(), out)
	assert.Equal(t, "fp", gjson.Get(out, "store_fingerprint").String())

	live := a.HandleLive(id, `{"action":"logout"}`, "https://s.example/p")
	assert.Equal(t, "https://e.com/out", gjson.Get(live, "navigate").String())
}

func TestAttachDeviceLogoutHandOff(t *testing.T) {
	a := NewAPI()
	id := configure(t, a, settings)
	ev := a.AttachDevice(id, `{"type":"page","userId":"u1"}`, `{"url":"https://s.example/p?rupt_action=logout"}`)
	assert.Equal(t, int64(0), gjson.Get(ev, "requests.#").Int())
	assert.Equal(t, "https://e.com/out", gjson.Get(ev, "outcome.navigate").String())
	assert.True(t, gjson.Get(ev, "outcome.skip").Bool())
}

func TestUnknownDestinationAndBadInput(t *testing.T) {
	a := NewAPI()
	assert.Contains(t, a.AttachDevice(7, `{}`, `{}`), "not configured")
	id := configure(t, a, settings)
	assert.Contains(t, a.AttachDevice(id, `{}`, `not json`), "device context is not valid")
	assert.Contains(t, a.HandleResponse(id, `[`, 200, `{}`), "attach context is not valid")
	assert.Contains(t, a.AttachDevice(id, `[1]`, `{}`), "not a JSON object")
}

func TestGuardRecoversAndLaterCallsWork(t *testing.T) {
	a := NewAPI()
	got := guard("boom", func() string { panic("forced") })
	assert.Contains(t, gjson.Get(got, "error").String(), "internal error in boom: forced")
	configure(t, a, settings)
}

func TestDefinition(t *testing.T) {
	d := NewAPI().Definition()
	assert.Equal(t, "actions-rupt", gjson.Get(d, "slug").String())
	assert.Equal(t, int64(5), gjson.Get(d, "actions.0.fields.#").Int())
}

func TestDetachRoundTrip(t *testing.T) {
	a := NewAPI()
	id := configure(t, a, settings)
	assert.JSONEq(t, `{"request":null}`, a.Detach(id))
	a.DeviceSignals(`{}`, "")
	ev := a.AttachDevice(id, `{"type":"page","userId":"u1"}`, `{"path":"/p"}`)
	ctx := gjson.Get(ev, "requests.0.context").Raw
	a.HandleResponse(id, ctx, 200, `{"device_id":"dev_9","access":"acc_9","attached_devices":1,"default_device_limit":3}`)
	got := a.Detach(id)
	assert.Equal(t, "https://api.rupt.dev/v2/device/dev_9/detach", gjson.Get(got, "request.url").String(), got)
	assert.JSONEq(t, `{"user":"u1"}`, gjson.Get(got, "request.body").String())
	assert.Contains(t, a.Detach(99), "not configured")
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
		ev := a.AttachDevice(id, `{"type":"page","userId":"u1"}`, `{"path":"`+path+`"}`)
		body := gjson.Get(ev, "requests.0.body").String()
		assert.Equal(t, fp, gjson.Get(body, "fingerprint").String())
		assert.JSONEq(t, `{"platform":{"value":"Linux"}}`, gjson.Get(body, "signals").Raw)
	}
	// A device context of its own wins.
	ev := a.AttachDevice(id, `{"type":"page","userId":"u1"}`, `{"path":"/c","fingerprint":"own","signals":{"x":1}}`)
	body := gjson.Get(ev, "requests.0.body").String()
	assert.Equal(t, "own", gjson.Get(body, "fingerprint").String())
	assert.JSONEq(t, `{"x":1}`, gjson.Get(body, "signals").Raw)
}

// TestNothingIsCollectedUntilAnEventAttaches: before the signals are
// handed over, an event that attaches answers needs_device (and records
// nothing), one that does not attach answers as usual; after the site's
// logout the signals are dropped and asked for again.
func TestNothingIsCollectedUntilAnEventAttaches(t *testing.T) {
	a := NewAPI()
	id := configure(t, a, settings)
	anon := a.AttachDevice(id, `{"type":"page","anonymousId":"x"}`, `{"path":"/p"}`)
	assert.False(t, gjson.Get(anon, "needs_device").Exists(), anon)
	assert.Equal(t, int64(1), gjson.Get(anon, "skipped.#").Int(), anon)

	signedIn := `{"type":"page","userId":"u1"}`
	ev := a.AttachDevice(id, signedIn, `{"path":"/p"}`)
	assert.True(t, gjson.Get(ev, "needs_device").Bool(), ev)
	assert.False(t, gjson.Get(ev, "requests").Exists(), ev)

	a.DeviceSignals(`{"platform":{"value":"Linux"}}`, `{"math":{"a":1}}`)
	ev = a.AttachDevice(id, signedIn, `{"path":"/p"}`)
	require.Equal(t, int64(1), gjson.Get(ev, "requests.#").Int(), ev)
	body := gjson.Get(ev, "requests.0.body").String()
	assert.Len(t, gjson.Get(body, "fingerprint").String(), 2048)
	assert.True(t, gjson.Get(body, "signals").IsObject())

	a.Detach(id)
	ev = a.AttachDevice(id, signedIn, `{"path":"/p"}`)
	assert.True(t, gjson.Get(ev, "needs_device").Bool(), "after the logout the signals are asked for again: %s", ev)

	// Signals that failed to collect still open the gate: the attach is
	// sent without them.
	a.DeviceSignals("", "")
	ev = a.AttachDevice(id, signedIn, `{"path":"/q"}`)
	require.Equal(t, int64(1), gjson.Get(ev, "requests.#").Int(), ev)
	assert.False(t, gjson.Get(gjson.Get(ev, "requests.0.body").String(), "signals").Exists())
}

func TestStats(t *testing.T) {
	got := NewAPI().Stats()
	assert.Greater(t, gjson.Get(got, "sys").Int(), int64(0), got)
	assert.Greater(t, gjson.Get(got, "heap_alloc").Int(), int64(0), got)
	assert.Greater(t, gjson.Get(got, "next_gc").Int(), int64(0), got)
	assert.True(t, gjson.Get(got, "num_gc").Exists(), got)
}
