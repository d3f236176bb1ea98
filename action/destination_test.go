package action

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"
)

func presetSettings(extra string) string {
	return `{"client_id":"cid","new_account_url":"https://example.com/new","subscriptions":[
		{"name":"Attach Device","subscribe":"` + jsonEscape(PresetSubscribe) + `","partnerAction":"attach","enabled":true,"mapping":` + PresetMapping + `}` + extra + `]}`
}

func jsonEscape(s string) string {
	b := []byte{}
	for _, c := range []byte(s) {
		if c == '"' || c == '\\' {
			b = append(b, '\\')
		}
		b = append(b, c)
	}
	return string(b)
}

const pageEvent = `{"type":"page","userId":"acct-1","properties":{"path":"/watch","email":"prop@example.com"},
	"context":{"page":{"path":"/watch","url":"https://site.example/watch"},"traits":{"email":"trait@example.com"}}}`

func TestPresetMatchesPageEvents(t *testing.T) {
	d, err := New(presetSettings(""))
	require.NoError(t, err)
	require.Empty(t, d.Problems)
	ev := d.Evaluate(pageEvent, Device{Path: "/elsewhere", Fingerprint: "fp"})
	require.Len(t, ev.Requests, 1)
	body := ev.Requests[0].Body()
	assert.Equal(t, "acct-1", gjson.Get(body, "user").String())
	assert.Equal(t, "trait@example.com", gjson.Get(body, "email").String(), "context.traits.email wins")
	assert.Equal(t, "/watch", gjson.Get(body, "page").String())
	assert.Equal(t, "Attach Device", ev.Requests[0].Subscription)

	track := d.Evaluate(`{"type":"track","userId":"acct-1","event":"Played"}`, Device{})
	assert.Equal(t, 0, track.Matched)
	assert.Empty(t, track.Requests)
}

func TestEmailFallsBackToProperties(t *testing.T) {
	d, err := New(presetSettings(""))
	require.NoError(t, err)
	ev := d.Evaluate(`{"type":"page","userId":"a","properties":{"email":"prop@example.com"}}`, Device{})
	require.Len(t, ev.Requests, 1)
	assert.Equal(t, "prop@example.com", gjson.Get(ev.Requests[0].Body(), "email").String())
}

func TestBadSubscriptionDoesNotStopTheOthers(t *testing.T) {
	extra := `,{"name":"bad query","subscribe":"((type = \"page\"))","partnerAction":"attach","enabled":true,"mapping":{}}` +
		`,{"name":"bad mapping","subscribe":"type = \"page\"","partnerAction":"attach","enabled":true,"mapping":{"account":{"@path":42}}}` +
		`,{"name":"disabled","subscribe":"type = \"page\"","partnerAction":"attach","enabled":false,"mapping":{"account":"x"}}` +
		`,{"name":"other action","subscribe":"type = \"page\"","partnerAction":"identify","mapping":{"account":"x"}}`
	d, err := New(presetSettings(extra))
	require.NoError(t, err)
	require.Len(t, d.Problems, 2)
	assert.Equal(t, "bad query", d.Problems[0].Subscription)
	assert.Equal(t, "bad mapping", d.Problems[1].Subscription)
	assert.Equal(t, 1, d.Active())
	ev := d.Evaluate(pageEvent, Device{})
	assert.Len(t, ev.Requests, 1)
}

func TestEventWithoutAccountIsSkipped(t *testing.T) {
	d, err := New(presetSettings(""))
	require.NoError(t, err)
	ev := d.Evaluate(`{"type":"page","anonymousId":"anon"}`, Device{})
	assert.Equal(t, 1, ev.Matched)
	assert.Empty(t, ev.Requests)
	require.Len(t, ev.Skipped, 1)
	assert.Contains(t, ev.Skipped[0].Error, "no account")
}

func TestBadEvents(t *testing.T) {
	d, err := New(presetSettings(""))
	require.NoError(t, err)
	for _, e := range []string{``, `[]`, `"page"`, `{"type":`, "\xff"} {
		ev := d.Evaluate(e, Device{})
		assert.Empty(t, ev.Requests, e)
		assert.NotEmpty(t, ev.Problems, e)
	}
}

func TestNewRejectsBadSettings(t *testing.T) {
	_, err := New(`{"client_id":"","new_account_url":"x"}`)
	require.Error(t, err)
}

func TestDefinitionJSON(t *testing.T) {
	d := gjson.ParseBytes(DefinitionJSON())
	assert.Equal(t, "Rupt", d.Get("name").String())
	assert.Equal(t, "actions-rupt", d.Get("slug").String())
	assert.Equal(t, "device", d.Get("mode").String())
	var segment []string
	for _, s := range d.Get("settings").Array() {
		if s.Get("segment").Bool() {
			segment = append(segment, s.Get("key").String())
		}
	}
	assert.Equal(t, []string{"client_id", "logout_url", "new_account_url", "success_url", "suspended_url"}, segment)
	assert.Equal(t, []string{"client_id", "new_account_url"}, keysWhere(d.Get("settings"), "required"))
	fields := d.Get("actions.0.fields")
	assert.Equal(t, int64(5), fields.Get("#").Int())
	assert.Equal(t, []string{"account"}, keysWhere(fields, "required"))
	assert.Equal(t, `{"@path":"$.userId"}`, fields.Get("0.default").Raw)
	assert.Equal(t, "Attach Device", d.Get("presets.0.name").String())
	assert.Equal(t, "type = 'page'", d.Get("presets.0.subscribe").String())
}

func keysWhere(list gjson.Result, flag string) []string {
	var out []string
	for _, s := range list.Array() {
		if s.Get(flag).Bool() {
			out = append(out, s.Get("key").String())
		}
	}
	return out
}

// Example shows one page event going through the preset subscription.
func Example() {
	d, err := New(`{"client_id":"my-client","new_account_url":"https://example.com/join",
		"subscriptions":[{"name":"Attach Device","subscribe":"type = 'page'","partnerAction":"attach","enabled":true,
		"mapping":{"account":{"@path":"$.userId"}}}]}`)
	if err != nil {
		panic(err)
	}
	ev := d.Evaluate(`{"type":"page","userId":"acct-42","context":{"page":{"path":"/watch"}}}`, Device{})
	r := ev.Requests[0]
	fmt.Println(r.Method, r.URL)
	fmt.Println(r.Headers["Authorization"])
	fmt.Println(gjson.Get(r.Body(), "user"), gjson.Get(r.Body(), "page"))
	// Output:
	// POST https://api.rupt.dev/v2/device/attach
	// Basic my-client:
	// acct-42 /watch
}

// clock is the shim's clock for a test: each evaluation passes its time
// as the event's arrival (Device.At).
type clock struct{ at float64 }

func (c *clock) advance(ms float64) { c.at += ms }
func (c *clock) dev() Device        { return Device{At: c.at} }
func newClock() *clock              { return &clock{at: 1000} }

// requests counts the attaches an event makes at dev.
func requests(d *Destination, dev Device, e string) int { return len(d.Evaluate(e, dev).Requests) }
func pageView(user, path string) string {
	return `{"type":"page","userId":"` + user + `","context":{"page":{"path":"` + path + `"}}}`
}

func TestEveryPageViewAttaches(t *testing.T) {
	d, err := New(presetSettings(""))
	require.NoError(t, err)
	c := newClock()
	first := d.Evaluate(pageView("a", "/1"), c.dev())
	require.Len(t, first.Requests, 1)
	d.HandleAttach(first.Requests[0].ID, 200, okAnswer, "")
	c.advance(DuplicateWindow)
	assert.Equal(t, 1, requests(d, c.dev(), pageView("a", "/1")), "the same path viewed again later attaches again")
	assert.Equal(t, 1, requests(d, c.dev(), pageView("a", "/2")), "another path attaches")
	assert.Equal(t, 1, requests(d, c.dev(), pageView("b", "/1")), "another account attaches")
}

func TestIdenticalAttachWithinTwoSecondsIsSentOnce(t *testing.T) {
	d, err := New(presetSettings(""))
	require.NoError(t, err)
	c := newClock()
	first := d.Evaluate(pageView("a", "/1"), c.dev())
	require.Len(t, first.Requests, 1)
	assert.NotZero(t, first.Requests[0].ID, "an attach in flight has an id")
	c.advance(DuplicateWindow - 1)
	again := d.Evaluate(pageView("a", "/1"), c.dev())
	assert.Empty(t, again.Requests)
	require.Len(t, again.Skipped, 1)
	assert.Contains(t, again.Skipped[0].Error, "identical attach")

	// Only identical attaches count: another email is another attach.
	withEmail := `{"type":"page","userId":"a","context":{"page":{"path":"/1"},"traits":{"email":"x@example.com"}}}`
	assert.Equal(t, 1, requests(d, c.dev(), withEmail))
	// Still in flight after the window: not sent again until Rupt answers.
	c.advance(3600e3)
	assert.Equal(t, 0, requests(d, c.dev(), pageView("a", "/1")))
	o := d.HandleAttach(first.Requests[0].ID, 200, okAnswer, "")
	require.Empty(t, o.Error)
	assert.Equal(t, 1, requests(d, c.dev(), pageView("a", "/1")), "answered and older than the window")
}

func TestFailedOrRetriedAttach(t *testing.T) {
	d, err := New(presetSettings(""))
	require.NoError(t, err)
	c := newClock()
	// A failed attach is not held against the next identical one.
	first := d.Evaluate(pageView("c", "/1"), c.dev()).Requests[0]
	require.NotEmpty(t, d.HandleAttach(first.ID, 400, "", "").Error)
	assert.Equal(t, 1, requests(d, c.dev(), pageView("c", "/1")))
	// A retry pending is still in flight.
	r := d.Evaluate(pageView("e", "/1"), c.dev()).Requests[0]
	require.NotZero(t, d.HandleAttach(r.ID, 503, "", "").RetryIn)
	assert.Equal(t, 0, requests(d, c.dev(), pageView("e", "/1")))
	// An id that is not in flight changes nothing.
	assert.Contains(t, d.HandleAttach(9999, 400, "", "").Error, "not in flight")
	assert.Equal(t, 0, requests(d, c.dev(), pageView("e", "/1")))
}

// TestRetriesCountAndAnswerOnce: the destination counts an attach's sends
// (Rupt's answers say when to stop retrying) and takes one final answer.
func TestRetriesCountAndAnswerOnce(t *testing.T) {
	d, err := New(presetSettings(""))
	require.NoError(t, err)
	r := d.Evaluate(pageEvent, Device{URL: "https://s.example/w"}).Requests[0]
	o := d.HandleAttach(r.ID, 503, "", "7")
	assert.Equal(t, 7000, o.RetryIn, "Retry-After is honoured")
	for range MaxRetries - 1 {
		require.NotZero(t, d.HandleAttach(r.ID, 0, "", "").RetryIn)
	}
	o = d.HandleAttach(r.ID, 503, "", "")
	assert.Zero(t, o.RetryIn, "no more than MaxRetries retries")
	assert.Contains(t, o.Error, "HTTP 503")
	assert.Contains(t, d.HandleAttach(r.ID, 200, okAnswer, "").Error, "not in flight", "an attach is answered once")

	// The decision uses the event's page URL (the suspended fallback names its host).
	r = d.Evaluate(pageEvent, Device{URL: "https://s.example/w"}).Requests[0]
	o = d.HandleAttach(r.ID, 200, `{"suspended":true,"access":"acc"}`, "")
	assert.Equal(t, "https://suspended.sabl.app/access/acc?referrer=s.example", o.Navigate)
}

func TestOneAttachPerMatchingSubscription(t *testing.T) {
	// Two subscriptions match a page view: each attaches with its own
	// mapping; a third whose attach is identical to the first is sent once.
	extra := `,{"name":"with metadata","subscribe":"type = \"page\"","partnerAction":"attach","enabled":true,"mapping":{"account":{"@path":"$.userId"},"metadata":{"plan":"pro"}}}` +
		`,{"name":"same as preset","subscribe":"type = \"page\"","partnerAction":"attach","enabled":true,"mapping":` + PresetMapping + `}` +
		`,{"name":"track","subscribe":"type = \"track\"","partnerAction":"attach","enabled":true,"mapping":{"account":{"@path":"$.userId"}}}`
	d, err := New(presetSettings(extra))
	require.NoError(t, err)
	ev := d.Evaluate(pageEvent, Device{})
	assert.Equal(t, 3, ev.Matched)
	require.Len(t, ev.Requests, 2)
	assert.Equal(t, "Attach Device", ev.Requests[0].Subscription)
	assert.Equal(t, "with metadata", ev.Requests[1].Subscription)
	assert.JSONEq(t, `{"plan":"pro"}`, gjson.Get(ev.Requests[1].Body(), "metadata").Raw)
	require.Len(t, ev.Skipped, 1)
	assert.Equal(t, "same as preset", ev.Skipped[0].Subscription)
	// Every track event of a signed-in user attaches (distinct pages here).
	for i := range 3 {
		e := `{"type":"track","event":"Played","userId":"acct-1","context":{"page":{"path":"/t` + strconv.Itoa(i) + `"}}}`
		assert.Len(t, d.Evaluate(e, Device{}).Requests, 1)
	}
}

func TestDisabledSubscriptions(t *testing.T) {
	for _, enabled := range []string{``, `"enabled":false,`, `"enabled":"true",`, `"enabled":1,`, `"enabled":null,`} {
		d, err := New(`{"client_id":"cid","new_account_url":"https://example.com/new","subscriptions":[{"name":"s","subscribe":"type = \"page\"","partnerAction":"attach",` + enabled + `"mapping":{"account":{"@path":"$.userId"}}}]}`)
		require.NoError(t, err, enabled)
		assert.Equal(t, 0, d.Active(), "a subscription runs only when enabled is true: %s", enabled)
	}
}

func TestLogoutHandOffOnlyWhenAttaching(t *testing.T) {
	d, err := New(presetSettings("") + ``)
	require.NoError(t, err)
	d.Settings.LogoutURL = "https://example.com/out"
	logoutPage := Device{URL: "https://site.example/w?rupt_action=logout"}
	// Anonymous, or an event no subscription wants: nothing at all.
	for _, e := range []string{`{"type":"page","anonymousId":"x"}`, `{"type":"track","userId":"a"}`} {
		ev := d.Evaluate(e, logoutPage)
		assert.Nil(t, ev.Outcome, e)
		assert.Empty(t, ev.Requests, e)
	}
	ev := d.Evaluate(pageEvent, logoutPage)
	assert.Empty(t, ev.Requests)
	require.NotNil(t, ev.Outcome)
	assert.Equal(t, "https://example.com/out", ev.Outcome.Navigate)
	assert.Equal(t, 1, requests(d, Device{}, pageEvent), "the hand-off records nothing")
}

func TestSignalsPendingAsksForTheDevice(t *testing.T) {
	d, err := New(presetSettings(""))
	require.NoError(t, err)
	anon := d.Evaluate(`{"type":"page","anonymousId":"x"}`, Device{SignalsPending: true})
	assert.False(t, anon.NeedsDevice, "an event that does not attach needs no device")
	ev := d.Evaluate(pageEvent, Device{SignalsPending: true})
	assert.True(t, ev.NeedsDevice)
	assert.Empty(t, ev.Requests)
	assert.Contains(t, string(ev.AppendJSON(nil)), `"needs_device":true`)
	assert.Len(t, d.Evaluate(pageEvent, Device{}).Requests, 1, "nothing was recorded while pending")
}

func TestIncludePageFollowsJavaScriptTruthiness(t *testing.T) {
	for _, tc := range []struct {
		mapping string
		page    bool
	}{
		{`{}`, true}, {`{"include_page":true}`, true}, {`{"include_page":"yes"}`, true}, {`{"include_page":1}`, true},
		{`{"include_page":{}}`, true}, {`{"include_page":{"@path":"$.missing"}}`, true},
		{`{"include_page":false}`, false}, {`{"include_page":null}`, false}, {`{"include_page":0}`, false}, {`{"include_page":""}`, false},
	} {
		m := `{"account":{"@path":"$.userId"},` + tc.mapping[1:]
		if tc.mapping == `{}` {
			m = `{"account":{"@path":"$.userId"}}`
		}
		d, err := New(`{"client_id":"cid","new_account_url":"https://example.com/new","subscriptions":[{"name":"s","subscribe":"type = \"page\"","partnerAction":"attach","enabled":true,"mapping":` + m + `}]}`)
		require.NoError(t, err, tc.mapping)
		ev := d.Evaluate(pageEvent, Device{})
		require.Len(t, ev.Requests, 1, tc.mapping)
		assert.Equal(t, tc.page, gjson.Get(ev.Requests[0].Body(), "page").Exists(), tc.mapping)
	}
}

func TestDetach(t *testing.T) {
	d, err := New(presetSettings(""))
	require.NoError(t, err)
	_, err = d.Detach()
	assert.ErrorContains(t, err, "no attached device")

	req := d.Evaluate(pageEvent, Device{}).Requests[0]
	o := d.HandleAttach(req.ID, 200, okAnswer, "")
	require.Empty(t, o.Error)
	det, err := d.Detach()
	require.NoError(t, err)
	assert.Equal(t, "https://api.rupt.dev/v2/device/dev_1/detach", det.URL)
	assert.Equal(t, "POST", det.Method)
	assert.Equal(t, "Basic cid:", det.Headers["Authorization"])
	assert.JSONEq(t, `{"user":"acct-1"}`, det.Body)

	_, err = d.Detach()
	assert.Error(t, err, "the device is forgotten after a detach")
	assert.Len(t, d.Evaluate(pageEvent, Device{}).Requests, 1, "signing in again attaches again")
}

func TestRecentRecordIsBounded(t *testing.T) {
	d, err := New(presetSettings(""))
	require.NoError(t, err)
	c := newClock()
	for i := 0; i < 3*maxRecent; i++ {
		ev := d.Evaluate(pageView("u"+strconv.Itoa(i), "/p"), c.dev())
		require.Len(t, ev.Requests, 1)
		d.HandleAttach(ev.Requests[0].ID, 200, okAnswer, "")
		c.advance(10)
		assert.LessOrEqual(t, len(d.recent.byKey), 2*maxRecent)
	}
	assert.Empty(t, d.recent.inFlight)
	// Answers that never come back do not grow it without bound either.
	for i := 0; i < 10*maxRecent; i++ {
		require.Len(t, d.Evaluate(pageView("v"+strconv.Itoa(i), "/p"), c.dev()).Requests, 1)
		assert.LessOrEqual(t, len(d.recent.byKey), 4*maxRecent)
		assert.LessOrEqual(t, len(d.recent.inFlight), 4*maxRecent)
	}
}

// TestDetachSendsTheUserTheAttachSent: an account with a lone surrogate is
// detached as the very text the attach sent.
func TestDetachSendsTheUserTheAttachSent(t *testing.T) {
	d, err := New(presetSettings(""))
	require.NoError(t, err)
	r := d.Evaluate(`{"type":"page","userId":"a\udc07b"}`, Device{}).Requests[0]
	require.Contains(t, r.Body(), `"user":"a\udc07b"`)
	d.HandleAttach(r.ID, 200, okAnswer, "")
	det, err := d.Detach()
	require.NoError(t, err)
	assert.Equal(t, `{"user":"a\udc07b"}`, det.Body)
}
