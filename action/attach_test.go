package action

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"

	"rupt-actions-wasm/action/internal/jsnum"
)

func testSettings(t *testing.T, extra string) *Settings {
	t.Helper()
	raw := `{"client_id":"cid","new_account_url":"https://example.com/new"` + extra + `}`
	s, err := ParseSettings(raw)
	require.NoError(t, err)
	return &s
}

func TestBuildAttach(t *testing.T) {
	s := testSettings(t, `,"logout_url":"https://example.com/out"`)
	dev := Device{
		Signals:            mustSignals(t, `{"fonts":{"value":["Arial"]}}`),
		Fingerprint:        "fp-now",
		LastFingerprint:    "fp-before",
		LastBlockingAccess: "acc_1",
		LastChallenge:      "ch_1",
		Path:               "/seen-at-arrival",
		URL:                "https://site.example/seen-at-arrival",
	}
	payload := `{"account":"acct-1","email":"a@example.com","phone":"+100","metadata":{"plan":"gold"}}`
	event := `{"type":"page","context":{"page":{"path":"/from-event"}}}`
	req, err := BuildAttach(s, []byte(payload), event, dev)
	require.NoError(t, err)
	assert.Equal(t, "https://api.rupt.dev/v2/device/attach", req.URL)
	assert.Equal(t, "POST", req.Method)
	assert.Equal(t, map[string]string{"Content-Type": "application/json", "Authorization": "Basic cid:"}, req.Headers)
	assert.JSONEq(t, `{
		"user": "acct-1",
		"signals": {"fonts":{"value":["Arial"]}},
		"fingerprint": "fp-now",
		"last_fingerprint": "fp-before",
		"metadata": {"plan":"gold"},
		"callbacks": {"on_challenge": false, "limit_exceeded": false},
		"redirects": {"new_account": true, "logout": true},
		"last_blocking_access": "acc_1",
		"last_challenge": "ch_1",
		"client": "javascript",
		"version": "2.24.1",
		"page": "/from-event",
		"email": "a@example.com",
		"phone": "+100"
	}`, req.Body)
	assert.Equal(t, AttachContext{Account: "acct-1", Fingerprint: "fp-now", Page: "/from-event", URL: dev.URL}, req.Context)
}

func TestBuildAttachMinimal(t *testing.T) {
	s := testSettings(t, `,"api_base":"https://rupt.example.com"`)
	req, err := BuildAttach(s, []byte(`{"account":42}`), `{"type":"page"}`, Device{Path: "/arrival"})
	require.NoError(t, err)
	assert.Equal(t, "https://rupt.example.com/v2/device/attach", req.URL)
	assert.JSONEq(t, `{"user":"42","callbacks":{"on_challenge":false,"limit_exceeded":false},
		"redirects":{"new_account":true,"logout":false},"client":"javascript","version":"2.24.1","page":"/arrival"}`, req.Body)
}

func TestBuildAttachIncludePageOff(t *testing.T) {
	s := testSettings(t, "")
	req, err := BuildAttach(s, []byte(`{"account":"a","include_page":false}`), `{"context":{"page":{"path":"/x"}}}`, Device{})
	require.NoError(t, err)
	assert.False(t, gjson.Get(req.Body, "page").Exists())
	assert.Empty(t, req.Context.Page, "the context names the page sent")
}

func TestBuildAttachIgnoresWrongTypes(t *testing.T) {
	s := testSettings(t, "")
	for _, payload := range []string{
		`{"account":"a","email":{"x":1},"phone":true,"metadata":"m"}`,
		`{"account":"a","email":["x@e.com"],"phone":null,"metadata":["m"]}`,
		`{"account":"a","email":"","phone":"","metadata":null}`,
		`{"account":"a","email":false,"phone":{"n":1},"metadata":42}`,
	} {
		req, err := BuildAttach(s, []byte(payload), `{}`, Device{})
		require.NoError(t, err)
		for _, k := range []string{"email", "phone", "metadata", "page"} {
			assert.False(t, gjson.Get(req.Body, k).Exists(), "%s in %s", k, payload)
		}
		checkBodyTypes(t, req.Body)
	}
	// Numbers are sent as their JavaScript strings.
	req, err := BuildAttach(s, []byte(`{"account":1e21,"email":5,"phone":5550100.5}`), `{}`, Device{})
	require.NoError(t, err)
	assert.JSONEq(t, `["1e+21","5","5550100.5"]`, "["+gjson.Get(req.Body, "user").Raw+","+gjson.Get(req.Body, "email").Raw+","+gjson.Get(req.Body, "phone").Raw+"]")
}

func TestBuildAttachWithoutAccount(t *testing.T) {
	s := testSettings(t, "")
	for _, payload := range []string{`{}`, `{"account":""}`, `{"account":null}`, `{"account":true}`, `{"account":{"id":1}}`, `{"account":["a"]}`} {
		_, err := BuildAttach(s, []byte(payload), `{}`, Device{})
		assert.ErrorIs(t, err, ErrNoAccount, payload)
	}
}

func TestJSNumber(t *testing.T) {
	for f, want := range map[float64]string{42: "42", -3: "-3", 1.5: "1.5", 1e21: "1e+21", 123456789012: "123456789012"} {
		assert.Equal(t, want, jsnum.String(f))
	}
}

func mustSignals(t testing.TB, raw string) Signals {
	t.Helper()
	s, err := NewSignals(raw)
	require.NoError(t, err)
	return s
}

func TestSignalsAndDevice(t *testing.T) {
	for _, bad := range []string{``, `[]`, `"x"`, `{"a":`, `null`} {
		_, err := NewSignals(bad)
		assert.Error(t, err, bad)
	}
	d, err := ParseDevice(`{"path":"/p","url":"https://s/p","fingerprint":"fp","last_fingerprint":"lf",
		"last_blocking_access":"acc","last_challenge":"ch","signals":{"a":1},"extra":true,"at":1234.5}`)
	require.NoError(t, err)
	assert.Equal(t, Device{Signals: Signals{raw: `{"a":1}`}, Fingerprint: "fp", LastFingerprint: "lf",
		LastBlockingAccess: "acc", LastChallenge: "ch", Path: "/p", URL: "https://s/p", At: 1234.5}, d)
	d, err = ParseDevice(`{"path":1,"signals":"x","fingerprint":null,"at":"5"}`)
	require.NoError(t, err)
	assert.Equal(t, Device{}, d, "wrong types are ignored")
	for _, bad := range []string{``, `[]`, `{`, `"x"`} {
		_, err := ParseDevice(bad)
		assert.Error(t, err, bad)
	}
}

func TestAttachBodyKeyOrderAndEscaping(t *testing.T) {
	s := testSettings(t, "")
	req, err := BuildAttach(s, []byte(`{"account":"a\"b","email":"e\u2028","metadata":{"k":[1,{"x":null}]}}`), `{}`,
		Device{Signals: mustSignals(t, `{"s":true}`), Fingerprint: "f", Path: "/p<>"})
	require.NoError(t, err)
	assert.Equal(t, `{"user":"a\"b","signals":{"s":true},"fingerprint":"f","metadata":{"k":[1,{"x":null}]},`+
		`"callbacks":{"on_challenge":false,"limit_exceeded":false},"redirects":{"new_account":true,"logout":false},`+
		`"client":"javascript","version":"2.24.1","page":"/p<>","email":"e`+"\u2028"+`"}`, req.Body, "U+2028 stays raw, as in JSON.stringify")
}

func TestParseAttachContext(t *testing.T) {
	for _, c := range []struct {
		in   string
		want AttachContext
		err  string
	}{
		{`{"account":"a","fingerprint":"f","page":"/p","url":"https://s.example/p","attempt":2,"retry_after":"3","other":[1]}`,
			AttachContext{Account: "a", Fingerprint: "f", Page: "/p", URL: "https://s.example/p", Attempt: 2, RetryAfter: "3"}, ""},
		{`{"account":"a","attempt":null,"retry_after":null}`, AttachContext{Account: "a"}, ""},
		{`{"attempt":-1}`, AttachContext{Attempt: -1}, ""},
		{`{}`, AttachContext{}, ""},
		{`{"attempt":1.5}`, AttachContext{}, "attach context is not valid: attempt must be a whole number"},
		{`{"attempt":"1"}`, AttachContext{}, "attach context is not valid: attempt must be a whole number"},
		{`{"attempt":1e300}`, AttachContext{}, "attach context is not valid: attempt must be a whole number"},
		{`{"url":1}`, AttachContext{}, "attach context is not valid: url must be a string"},
		{`{"account":{}}`, AttachContext{}, "attach context is not valid: account must be a string"},
		{`[]`, AttachContext{}, "attach context is not valid: it must be a JSON object, got an array"},
		{`{"account":"a"`, AttachContext{}, "attach context is not valid JSON"},
		{``, AttachContext{}, "attach context is not valid JSON"},
	} {
		got, err := ParseAttachContext(c.in)
		if c.err != "" {
			assert.ErrorContains(t, err, c.err, c.in)
			continue
		}
		require.NoError(t, err, c.in)
		assert.Equal(t, c.want, got, c.in)
	}
}
