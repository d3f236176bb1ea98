package action

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAppendStringMatchesJSON(t *testing.T) {
	for _, s := range []string{"", "plain", `q"uote`, `back\slash`, "tab\tnl\ncr\r", "\x00\x1f\x7f", "<>&", "é日本😀", "bad\xffutf8", "\u2028\u2029"} {
		got := appendString(nil, s)
		var back string
		assert.NoError(t, json.Unmarshal(got, &back), s)
		want := s
		if !utf8.ValidString(s) {
			want = string([]rune(s)) // invalid UTF-8 decodes to U+FFFD
		}
		assert.Equal(t, want, back, s)
	}
	assert.Equal(t, `"a\"b\\c\n\u0001"`, string(appendString(nil, "a\"b\\c\n\x01")))
}

// TestEvaluationAppendJSON: the hand-written JSON equals what encoding/json
// makes of the same value.
func TestEvaluationAppendJSON(t *testing.T) {
	d, err := New(presetSettings(`,{"name":"bad","subscribe":"type = \"page\"","partnerAction":"attach","mapping":{"account":{"@path":"$.nope"}}}`))
	require.NoError(t, err)
	for _, ev := range []Evaluation{
		{},
		d.Evaluate(pageEvent, Device{Path: "/p", URL: "https://s.example/p", Fingerprint: "f\"p"}),
		d.Evaluate(`[`, Device{}),
	} {
		want, err := json.Marshal(ev)
		require.NoError(t, err)
		assert.JSONEq(t, string(want), string(ev.AppendJSON(nil)))
	}
}

// TestBodySplice: an answer that copies the signals' escaped form into the
// body is byte for byte the answer that escapes the whole body, and a body
// changed after BuildAttach is escaped as it is.
func TestBodySplice(t *testing.T) {
	d, err := New(presetSettings(""))
	require.NoError(t, err)
	sig := mustSignals(t, `{"a":"q\"uote \\ é日本😀 \u2028","b":[1,{"c":null}],"ctl":"\u0001\n"}`)
	ev := d.Evaluate(pageEvent, Device{Path: "/p", URL: "https://s.example/p", Fingerprint: "fp", LastFingerprint: "l\"f", Signals: sig})
	require.Len(t, ev.Requests, 1)
	r := ev.Requests[0]
	require.NotEmpty(t, r.quoted.quoted, "the signals' escaped form is used")
	plain := r
	plain.quoted = bodySplice{}
	assert.Equal(t, string(plain.appendJSON(nil)), string(r.appendJSON(nil)))
	var back struct{ Body string }
	require.NoError(t, json.Unmarshal(r.appendJSON(nil), &back))
	assert.Equal(t, r.Body, back.Body)
	assert.Contains(t, back.Body, `"signals":{"a":"q\"uote`)

	changed := r
	changed.Body = strings.Replace(r.Body, `"user"`, `"USER"`, 1) // same length, other bytes
	require.NoError(t, json.Unmarshal(changed.appendJSON(nil), &back))
	assert.Equal(t, changed.Body, back.Body, "a changed body is not spliced")
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
		same(r, r.AppendJSON(nil))
	}
	same([]Problem{{Subscription: "s", Error: "e\n"}, {}}, AppendProblems(nil, []Problem{{Subscription: "s", Error: "e\n"}, {}}))
	same([]Problem{}, AppendProblems(nil, nil))
	same(Definition, DefinitionJSON())
}

// FuzzAppendString: the eight-bytes-at-a-time scan escapes exactly what a
// byte-by-byte reading of JSON.stringify's rules escapes (checked through
// encoding/json, which decodes it back to the same text).
func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "plain ascii text only", "0123456789abcdef\"0123456789abcdef", "tab\tin the middle of a long run", "héllo wörld, long enough to scan", "\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x1f", "bad\xff utf8 after eight bytes"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := appendString(nil, s)
		var back string
		require.NoError(t, json.Unmarshal(got, &back), "%q", got)
		want := s
		if !utf8.ValidString(s) {
			want = string([]rune(s)) // each invalid byte is one U+FFFD
		}
		assert.Equal(t, want, back)
		for i := 0; i < len(got); i++ {
			assert.False(t, got[i] < 0x20, "raw control byte in %q", got)
		}
	})
}
