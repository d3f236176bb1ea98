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
		{"name":"Attach Device","subscribe":"` + jsonEscape(PresetSubscribe) + `","partnerAction":"attach","mapping":` + PresetMapping + `}` + extra + `]}`
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
	body := ev.Requests[0].Body
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
	assert.Equal(t, "prop@example.com", gjson.Get(ev.Requests[0].Body, "email").String())
}

func TestBadSubscriptionDoesNotStopTheOthers(t *testing.T) {
	extra := `,{"name":"bad query","subscribe":"((type = \"page\"))","partnerAction":"attach","mapping":{}}` +
		`,{"name":"bad mapping","subscribe":"type = \"page\"","partnerAction":"attach","mapping":{"account":{"@path":42}}}` +
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
		"subscriptions":[{"name":"Attach Device","subscribe":"type = 'page'","partnerAction":"attach",
		"mapping":{"account":{"@path":"$.userId"}}}]}`)
	if err != nil {
		panic(err)
	}
	ev := d.Evaluate(`{"type":"page","userId":"acct-42","context":{"page":{"path":"/watch"}}}`, Device{})
	r := ev.Requests[0]
	fmt.Println(r.Method, r.URL)
	fmt.Println(r.Headers["Authorization"])
	fmt.Println(gjson.Get(r.Body, "user"), gjson.Get(r.Body, "page"))
	// Output:
	// POST https://api.rupt.dev/v2/device/attach
	// Basic my-client:
	// acct-42 /watch
}

func TestAttachOncePerAccountAndPage(t *testing.T) {
	d, err := New(presetSettings(""))
	require.NoError(t, err)
	ev := func(user, path string) Evaluation {
		return d.Evaluate(`{"type":"page","userId":"`+user+`","context":{"page":{"path":"`+path+`"}}}`, Device{})
	}
	require.Len(t, ev("a", "/1").Requests, 1)
	again := ev("a", "/1")
	assert.Empty(t, again.Requests)
	require.Len(t, again.Skipped, 1)
	assert.Contains(t, again.Skipped[0].Error, "already attached")
	assert.Len(t, ev("a", "/2").Requests, 1, "another path attaches")
	assert.Len(t, ev("b", "/1").Requests, 1, "another account attaches")

	// A failed attach may be sent again with the next page view.
	first := ev("c", "/1").Requests[0]
	o := d.HandleAttach(first.Context, 400, "")
	require.NotEmpty(t, o.Error)
	assert.Len(t, ev("c", "/1").Requests, 1)
	// A retry in flight is still counted as sent.
	r := ev("e", "/1").Requests[0]
	require.NotZero(t, d.HandleAttach(r.Context, 503, "").RetryIn)
	assert.Empty(t, ev("e", "/1").Requests)
}

func TestDetach(t *testing.T) {
	d, err := New(presetSettings(""))
	require.NoError(t, err)
	_, err = d.Detach()
	assert.ErrorContains(t, err, "no attached device")

	req := d.Evaluate(pageEvent, Device{}).Requests[0]
	o := d.HandleAttach(req.Context, 200, okAnswer)
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

func TestSentRecordIsBounded(t *testing.T) {
	d, err := New(presetSettings(""))
	require.NoError(t, err)
	for i := 0; i < 3*maxSent; i++ {
		ev := d.Evaluate(`{"type":"page","userId":"u`+strconv.Itoa(i)+`","context":{"page":{"path":"/p"}}}`, Device{})
		require.Len(t, ev.Requests, 1)
		assert.LessOrEqual(t, len(d.sent), maxSent)
	}
}
