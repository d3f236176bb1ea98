package action

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEvaluationAppendJSON: the answer names each request by id with its
// head; bodies are not in it.
func TestEvaluationAppendJSON(t *testing.T) {
	d, err := New(presetSettings(`,{"name":"bad","subscribe":"type = \"page\"","partnerAction":"attach","enabled":true,"mapping":{"account":{"@path":"$.nope"}}}`))
	require.NoError(t, err)
	assert.JSONEq(t, `{"matched":0}`, string(Evaluation{}.AppendJSON(nil)))
	assert.JSONEq(t, `{"matched":0,"problems":[{"subscription":"","error":"event is not valid JSON"}]}`, string(d.Evaluate(`[`, Device{}).AppendJSON(nil)))

	ev := d.Evaluate(pageEvent, Device{Path: "/p", URL: "https://s.example/p", Fingerprint: "f\"p"})
	require.Len(t, ev.Requests, 1)
	got := string(ev.AppendJSON(nil))
	assert.JSONEq(t, `{"matched":2,"requests":[{"id":1,"subscription":"Attach Device"}],
		"skipped":[{"subscription":"bad","error":"`+ErrNoAccount.Error()+`"}]}`, got)
	assert.NotContains(t, got, "acct-1", "no body inside the answer")
	// The head every attach shares, handed to the shim once.
	assert.JSONEq(t, `{"url":"https://api.rupt.dev/v2/device/attach","method":"POST","headers":{"Authorization":"Basic cid:","Content-Type":"application/json"}}`,
		string(d.AttachHead().AppendJSON(nil)))
	assert.Equal(t, ev.Requests[0].Request.URL, d.AttachHead().URL)
	assert.Equal(t, ev.Requests[0].Request.Headers, d.AttachHead().Headers)

	o := Outcome{Navigate: "https://e.com/out", Reason: "logout", Skip: true}
	assert.JSONEq(t, `{"matched":1,"needs_device":true,"outcome":{"navigate":"https://e.com/out","reason":"logout","skip":true}}`,
		string(Evaluation{Matched: 1, NeedsDevice: true, Outcome: &o}.AppendJSON(nil)))
}

func TestDepthLimit(t *testing.T) {
	deep := func(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }
	ok, err := validJSON(deep(MaxDepth), "x")
	assert.True(t, ok)
	assert.NoError(t, err)
	ok, err = validJSON(`{"a":"`+strings.Repeat("[", 5000)+`"}`, "x")
	assert.True(t, ok, "brackets in strings do not count")
	assert.NoError(t, err)
	_, err = validJSON(deep(MaxDepth+1), "event")
	assert.ErrorContains(t, err, "event nests deeper than 512")
	_, err = ParseSettings(`{"x":` + deep(100000) + `}`)
	assert.ErrorContains(t, err, "nests deeper")
	d, err := New(presetSettings(""))
	require.NoError(t, err)
	assert.Contains(t, d.Evaluate(`{"a":`+deep(100000)+`}`, Device{}).Problems[0].Error, "nests deeper")
	_, err = ParseDevice(deep(100000))
	assert.Error(t, err)
	_, err = NewSignals(deep(100000))
	assert.Error(t, err)
	assert.Contains(t, d.Settings.DecideAttach(AttachContext{}, 200, deep(100000)).Error, "nests deeper")
	assert.Contains(t, d.Settings.DecideLive(deep(100000), "").Error, "nests deeper")
}

// TestEvaluateInvalidEvents: a matching event is checked by the mappings'
// parse, not validated first; an event that is not valid JSON, nests too
// deeply or is not an object still gets exactly the answer of a check
// made first (eventProblem), wherever the flaw is: in a part the query
// reads, in a part no mapping reads, or after the value.
func TestEvaluateInvalidEvents(t *testing.T) {
	d, err := New(presetSettings(""))
	require.NoError(t, err)
	page := `{"type":"page","userId":"u1","properties":{"email":"a@b.co"}`
	for _, event := range []string{
		``, ` `, `[`, `[]`, `"x"`, `42`, `null`, `{`, `{"type":"page"`, `{"type":"page",}`,
		page + `}x`, page + `}}`, page + `,"skipped":[1,2,}`, page + `,"skipped":"\x"}`, page + `,"skipped":tru}`,
		page + `,"skipped":"a` + "" + `b"}`, page + `,"skipped":01}`, page + `,"skipped":` + strings.Repeat("[", 600) + strings.Repeat("]", 600) + `}`,
		page + `,"skipped":` + strings.Repeat("[", 600) + `}`, `{"type":"page","userId":"u1"` + strings.Repeat(" ", 3) + `,}`,
		`{"type":"page","userId":"u1","context":{"traits":{"email":` + `}}}`,
	} {
		require.NotEmpty(t, eventProblem(event), "%q is a bad event", event)
		assert.Equal(t, badEvent(event), d.Evaluate(event, Device{Path: "/p"}), "%q", event)
	}
	// Valid events the mappings' parse refuses (too deep for a mapping,
	// a "__proto__" key) are not bad events: they go on to the mappings,
	// which report them per subscription, as before.
	for _, event := range []string{
		page + `,"skipped":` + strings.Repeat("[", 200) + strings.Repeat("]", 200) + `}`,
		page + `,"__proto__":{}}`,
	} {
		require.Empty(t, eventProblem(event), "%q", event)
		ev := d.Evaluate(event, Device{Path: "/p"})
		assert.Equal(t, 1, ev.Matched, "%q", event)
		require.NotEmpty(t, ev.Problems, "%q", event)
		assert.NotEmpty(t, ev.Problems[0].Subscription, "%q: %v", event, ev.Problems)
	}
}

// TestAnswersMatchEncodingJSON: every hand-written answer encodes the same
// JSON as encoding/json does from the struct tags.
func TestAnswersMatchEncodingJSON(t *testing.T) {
	same := func(v any, got []byte) {
		t.Helper()
		want, err := json.Marshal(v)
		require.NoError(t, err)
		require.True(t, json.Valid(got), "%s", got)
		assert.JSONEq(t, string(want), string(got))
	}
	for _, o := range []Outcome{
		{},
		{Cookies: []Cookie{{Name: "rpt_device", Value: "d\"1", MaxAge: 31536000}, {Name: "x", MaxAge: -1}},
			StoreFingerprint: "fp", Events: []Event{{Type: "rupt:attached", Detail: map[string]string{"z": "1", "a": "<&>", "m": "\u2028"}}, {Type: "rupt:error"}},
			Navigate: "https://x.example/?a=1&b=2", Reason: ReasonChallenge, Listen: "https://api/l", ListenDevice: "dev", Skip: true, RetryIn: 250, Error: "bad\xffbyte"},
		{Events: []Event{{Type: "e", Detail: map[string]string{}}}},
		{RetryIn: -3},
	} {
		same(o, o.AppendJSON(nil))
	}
	for _, r := range []Request{
		{},
		{URL: "https://api.rupt.dev/v2/device/a%2Fb/detach", Method: "POST", Headers: map[string]string{"Content-Type": "application/json", "Authorization": "Basic x", "A": "é"}, Body: `{"a":1}`},
		{Headers: map[string]string{}},
	} {
		// The head only: the body leaves Go as text of its own.
		head := struct {
			URL     string            `json:"url"`
			Method  string            `json:"method"`
			Headers map[string]string `json:"headers"`
		}{r.URL, r.Method, r.Headers}
		same(head, r.AppendJSON(nil))
	}
	same([]Problem{{Subscription: "s", Error: "e\n"}, {}}, AppendProblems(nil, []Problem{{Subscription: "s", Error: "e\n"}, {}}))
	same([]Problem{}, AppendProblems(nil, nil))
	same(Definition, DefinitionJSON())
}

// The headers made once per settings are written as the map would be.
func TestCachedHeadersJSON(t *testing.T) {
	s := testSettings(t, "")
	req, err := BuildAttach(s, payloadOf(t, `{"account":"a"}`), "/p", Device{})
	require.NoError(t, err)
	require.NotEmpty(t, req.headers)
	fromMap := req.Request
	fromMap.headers = ""
	assert.Equal(t, string(fromMap.AppendJSON(nil)), string(req.Request.AppendJSON(nil)))
	det, err := BuildDetach(s, "dev", "a")
	require.NoError(t, err)
	assert.Equal(t, req.headers, det.headers)
}
