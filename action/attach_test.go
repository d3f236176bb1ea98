package action

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"

	"rupt-actions-wasm/action/internal/jsnum"
	"rupt-actions-wasm/action/internal/rawjson"
	"rupt-actions-wasm/action/mapping"
)

func testSettings(t *testing.T, extra string) *Settings {
	t.Helper()
	raw := `{"client_id":"cid","new_account_url":"https://example.com/new"` + extra + `}`
	s, err := ParseSettings(raw)
	require.NoError(t, err)
	return &s
}

// payloadOf is the payload a mapping of plain values gives: the values.
func payloadOf(t *testing.T, payload string) mapping.Payload {
	t.Helper()
	m, err := mapping.Compile(payload)
	require.NoError(t, err)
	p, err := m.Evaluate(`{}`)
	require.NoError(t, err)
	return p
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
	req, err := BuildAttach(s, payloadOf(t, payload), pageOf(rawjson.Parse(event), dev), dev)
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
	}`, req.Body())
	assert.Equal(t, AttachContext{Account: "acct-1", Fingerprint: "fp-now", URL: dev.URL, user: `"acct-1"`}, req.context)
}

func TestBuildAttachMinimal(t *testing.T) {
	s := testSettings(t, `,"api_base":"https://rupt.example.com"`)
	dev := Device{Path: "/arrival"}
	req, err := BuildAttach(s, payloadOf(t, `{"account":42}`), pageOf(rawjson.Parse(`{"type":"page"}`), dev), dev)
	require.NoError(t, err)
	assert.Equal(t, "https://rupt.example.com/v2/device/attach", req.URL)
	assert.JSONEq(t, `{"user":"42","callbacks":{"on_challenge":false,"limit_exceeded":false},
		"redirects":{"new_account":true,"logout":false},"client":"javascript","version":"2.24.1","page":"/arrival"}`, req.Body())
}

func TestBuildAttachIncludePageOff(t *testing.T) {
	s := testSettings(t, "")
	req, err := BuildAttach(s, payloadOf(t, `{"account":"a","include_page":false}`), "/x", Device{})
	require.NoError(t, err)
	assert.False(t, gjson.Get(req.Body(), "page").Exists())
}

func TestBuildAttachIgnoresWrongTypes(t *testing.T) {
	s := testSettings(t, "")
	for _, payload := range []string{
		`{"account":"a","email":{"x":1},"phone":true,"metadata":"m"}`,
		`{"account":"a","email":["x@e.com"],"phone":null,"metadata":["m"]}`,
		`{"account":"a","email":"","phone":"","metadata":null}`,
		`{"account":"a","email":false,"phone":{"n":1},"metadata":42}`,
	} {
		req, err := BuildAttach(s, payloadOf(t, payload), "", Device{})
		require.NoError(t, err)
		for _, k := range []string{"email", "phone", "metadata", "page"} {
			assert.False(t, gjson.Get(req.Body(), k).Exists(), "%s in %s", k, payload)
		}
		checkBodyTypes(t, req.Body())
	}
	// Numbers are sent as their JavaScript strings.
	req, err := BuildAttach(s, payloadOf(t, `{"account":1e21,"email":5,"phone":5550100.5}`), "", Device{})
	require.NoError(t, err)
	assert.JSONEq(t, `["1e+21","5","5550100.5"]`, "["+gjson.Get(req.Body(), "user").Raw+","+gjson.Get(req.Body(), "email").Raw+","+gjson.Get(req.Body(), "phone").Raw+"]")
}

func TestBuildAttachWithoutAccount(t *testing.T) {
	s := testSettings(t, "")
	for _, payload := range []string{`{}`, `{"account":""}`, `{"account":null}`, `{"account":true}`, `{"account":{"id":1}}`, `{"account":["a"]}`} {
		_, err := BuildAttach(s, payloadOf(t, payload), "", Device{})
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
	d, err := ParseDevice(`{"path":"/p","url":"https://s/p","last_fingerprint":"lf",
		"last_blocking_access":"acc","last_challenge":"ch","extra":true,"at":1234.5,"signals":{"a":1},"fingerprint":"fp"}`)
	require.NoError(t, err)
	assert.Equal(t, Device{LastFingerprint: "lf", LastBlockingAccess: "acc", LastChallenge: "ch", Path: "/p", URL: "https://s/p", At: 1234.5}, d,
		"signals and fingerprint are handed over once per document, never per event")
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
	req, err := BuildAttach(s, payloadOf(t, `{"account":"a\"b","email":"e\u2028","metadata":{"k":[1,{"x":null}]}}`), "/p<>",
		Device{Signals: mustSignals(t, `{"s":true}`), Fingerprint: "f", Path: "/p<>"})
	require.NoError(t, err)
	assert.Equal(t, `{"user":"a\"b","signals":{"s":true},"fingerprint":"f","metadata":{"k":[1,{"x":null}]},`+
		`"callbacks":{"on_challenge":false,"limit_exceeded":false},"redirects":{"new_account":true,"logout":false},`+
		`"client":"javascript","version":"2.24.1","page":"/p<>","email":"e`+"\u2028"+`"}`, req.Body(), "U+2028 stays raw, as in JSON.stringify")
}

// TestBodyStringsAsJSONStringify: strings go into the body as
// JSON.stringify writes them, a lone surrogate as its escape.
func TestBodyStringsAsJSONStringify(t *testing.T) {
	s := testSettings(t, "")
	req, err := BuildAttach(s, payloadOf(t, `{"account":"a\ud800","email":"x\udc00y","phone":"\u2028"}`), "", Device{})
	require.NoError(t, err)
	assert.Contains(t, req.Body(), `"user":"a\ud800"`)
	assert.Contains(t, req.Body(), `"email":"x\udc00y"`)
	assert.Contains(t, req.Body(), `"phone":"`+"\u2028"+`"`)
}
