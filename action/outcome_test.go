package action

import (
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const okAnswer = `{"success":true,"attached_devices":2,"device_id":"dev_1","default_device_limit":3,"block_over_usage":false,"access":"acc_1","identity":"idn_1"}`

func TestDecideAttachOK(t *testing.T) {
	s := testSettings(t, "")
	o := s.DecideAttach(AttachContext{Account: "a", Fingerprint: "fp"}, 200, okAnswer)
	assert.Empty(t, o.Error)
	assert.Empty(t, o.Navigate)
	assert.Empty(t, o.Cookies)
	assert.Equal(t, "fp", o.StoreFingerprint)
	assert.Equal(t, "https://api.rupt.dev/v2/access/device/dev_1/listen?access=acc_1&version=2.24.1&auth=Basic+cid%3A", o.Listen)
	assert.Equal(t, "dev_1", o.ListenDevice)
	require.Len(t, o.Events, 1)
	assert.Equal(t, Event{Type: "rupt:attached", Detail: map[string]string{"device_id": "dev_1", "attached_devices": "2", "default_device_limit": "3"}}, o.Events[0])
}

func TestDecideAttachLimitExceeded(t *testing.T) {
	s := testSettings(t, "")
	o := s.DecideAttach(AttachContext{}, 200, `{"attached_devices":4,"default_device_limit":3,"device_id":"d","access":"acc_9"}`)
	assert.Equal(t, []Cookie{{Name: "rpt_last_blocking_access", Value: "acc_9", MaxAge: 31536000}}, o.Cookies)
	require.Len(t, o.Events, 2)
	assert.Equal(t, "rupt:limit-exceeded", o.Events[1].Type)
	assert.NotEmpty(t, o.Listen, "a device over the limit still listens for a challenge")
}

func TestDecideAttachSuspended(t *testing.T) {
	s := testSettings(t, `,"suspended_url":"https://example.com/suspended"`)
	o := s.DecideAttach(AttachContext{}, 200, `{"suspended":true,"access":"acc_1","device_id":"d"}`)
	assert.Equal(t, "https://example.com/suspended", o.Navigate)
	assert.Equal(t, ReasonSuspended, o.Reason)
	assert.Empty(t, o.Listen, "a suspended device does not open the live channel")
	assert.Equal(t, "rupt:redirect", o.Events[len(o.Events)-1].Type)
}

func TestDecideAttachSuspendedFallback(t *testing.T) {
	s := testSettings(t, "")
	o := s.DecideAttach(AttachContext{URL: "https://site.example:8443/watch?x=1"}, 200, `{"suspended":true,"access":"acc/1"}`)
	assert.Equal(t, "https://suspended.sabl.app/access/acc%2F1?referrer=site.example%3A8443", o.Navigate)
}

func TestDecideAttachOnlyRealTrueSuspends(t *testing.T) {
	s := testSettings(t, `,"suspended_url":"https://example.com/suspended"`)
	for _, v := range []string{`"yes"`, `"true"`, `1`, `null`, `{}`} {
		o := s.DecideAttach(AttachContext{}, 200, `{"suspended":`+v+`,"access":"a"}`)
		assert.Empty(t, o.Navigate, v)
	}
}

func TestDecideAttachFaults(t *testing.T) {
	s := testSettings(t, `,"suspended_url":"https://example.com/suspended"`)
	cases := map[string]struct {
		status int
		body   string
	}{
		"server error":  {500, `{"suspended":true}`},
		"unauthorized":  {401, `{"error":"unknown client"}`},
		"html":          {200, `<html>oops</html>`},
		"truncated":     {200, `{"suspended":tr`},
		"not an object": {200, `[true]`},
	}
	for name, c := range cases {
		o := s.DecideAttach(AttachContext{Fingerprint: "fp", Attempt: MaxRetries}, c.status, c.body)
		assert.NotEmpty(t, o.Error, name)
		assert.Zero(t, o.RetryIn, name)
		assert.Empty(t, o.Navigate, name)
		assert.Empty(t, o.StoreFingerprint, name)
		require.NotEmpty(t, o.Events, name)
		assert.Equal(t, "rupt:error", o.Events[0].Type, name)
	}
}

func TestDecideAttachWrongTypes(t *testing.T) {
	s := testSettings(t, `,"suspended_url":"https://example.com/suspended"`)
	for _, body := range []string{`{}`, `{"suspended":"yes","attached_devices":"4","device_id":42,"default_device_limit":"3"}`} {
		o := s.DecideAttach(AttachContext{Fingerprint: "fp"}, 200, body)
		require.Len(t, o.Events, 2, body)
		assert.Equal(t, "rupt:attached", o.Events[0].Type)
		assert.NotNil(t, o.Events[0].Detail, "a detail object, even if empty")
		assert.Equal(t, "rupt:error", o.Events[1].Type)
		assert.Empty(t, o.Navigate, "only a real true suspends")
		assert.Empty(t, o.Listen)
		assert.Empty(t, o.Cookies)
	}
}

func TestDecideAttachRetries(t *testing.T) {
	s := testSettings(t, "")
	for _, status := range []int{0, 408, 429, 500, 502, 503} {
		for attempt := 0; attempt < MaxRetries; attempt++ {
			o := s.DecideAttach(AttachContext{Attempt: attempt}, status, "")
			base := 500 << attempt
			assert.GreaterOrEqual(t, o.RetryIn, base, "status %d attempt %d", status, attempt)
			assert.LessOrEqual(t, o.RetryIn, base+base/2, "status %d attempt %d", status, attempt)
			assert.Empty(t, o.Events, "no rupt:error while retrying")
			assert.Empty(t, o.Navigate)
		}
		o := s.DecideAttach(AttachContext{Attempt: MaxRetries}, status, "")
		assert.Zero(t, o.RetryIn, "at most %d retries", MaxRetries)
		assert.Equal(t, "rupt:error", o.Events[0].Type)
	}
	for _, status := range []int{400, 401, 403, 404, 422} {
		o := s.DecideAttach(AttachContext{}, status, "")
		assert.Zero(t, o.RetryIn, "client error %d is not retried", status)
		assert.NotEmpty(t, o.Error)
	}
	assert.Contains(t, s.DecideAttach(AttachContext{}, 401, "").Error, "check client_id")
	assert.Equal(t, 7000, s.DecideAttach(AttachContext{RetryAfter: "7"}, 503, "").RetryIn)
	assert.Equal(t, 30000, s.DecideAttach(AttachContext{RetryAfter: "3600"}, 503, "").RetryIn)
	d := s.DecideAttach(AttachContext{RetryAfter: "Wed, 21 Oct 2026 07:28:00 GMT"}, 503, "").RetryIn
	assert.True(t, d >= 500 && d <= 750, d)
	// What the shim hands back is not trusted: a negative attempt (it used
	// to panic: negative shift amount) or "Retry-After: 0" (it used to say
	// "retrying" with no retry_in) still retry, after the first backoff.
	for _, c := range []AttachContext{{Attempt: -1}, {Attempt: -64}, {Attempt: -1 << 62}, {RetryAfter: "0"}, {RetryAfter: " 0 "}, {RetryAfter: "-5"}} {
		o := s.DecideAttach(c, 503, "")
		assert.True(t, o.RetryIn >= 500 && o.RetryIn <= 750, "%+v: %d", c, o.RetryIn)
		assert.Contains(t, o.Error, "retrying")
	}
}

func TestDecideAttachRefusesHostileCookieValues(t *testing.T) {
	s := testSettings(t, "")
	o := s.DecideAttach(AttachContext{}, 200, `{"attached_devices":4,"default_device_limit":3,"access":"x; domain=evil.com"}`)
	assert.Empty(t, o.Cookies)
	assert.Contains(t, eventTypes(o), "rupt:error")
	assert.Contains(t, eventTypes(o), "rupt:limit-exceeded")
}

func eventTypes(o Outcome) []string {
	var ts []string
	for _, e := range o.Events {
		ts = append(ts, e.Type)
	}
	return ts
}

func TestDecideLiveLogout(t *testing.T) {
	s := testSettings(t, `,"logout_url":"https://example.com/out?from=rupt"`)
	o := s.DecideLive(`{"action":"logout","challenge":{"_id":"ch 1"}}`, "https://site.example/")
	assert.Equal(t, "https://example.com/out?from=rupt&challenge=ch%201", o.Navigate)
	assert.Equal(t, ReasonLogout, o.Reason)

	o = s.DecideLive(`{"action":"logout"}`, "https://site.example/")
	assert.Equal(t, "https://example.com/out?from=rupt", o.Navigate)

	none := testSettings(t, "")
	assert.Equal(t, Outcome{}, none.DecideLive(`{"action":"logout"}`, "https://site.example/"))
}

func TestDecideLiveChallenge(t *testing.T) {
	s := testSettings(t, `,"logout_url":"https://example.com/out","success_url":"https://example.com/ok"`)
	o := s.DecideLive(`{"action":"challenge","challenge":{"_id":"ch1"}}`, "https://site.example/watch?v=1")
	require.Empty(t, o.Error)
	assert.Equal(t, []Cookie{{Name: "rpt_last_challenge", Value: "ch1", MaxAge: 31536000}}, o.Cookies)
	u, err := url.Parse(o.Navigate)
	require.NoError(t, err)
	assert.Equal(t, "https", u.Scheme)
	assert.Equal(t, "challenge.rupt.dev", u.Host)
	q := u.Query()
	assert.Equal(t, "ch1", q.Get("challenge"))
	assert.Equal(t, "https://example.com/out", q.Get("logout"))
	assert.Equal(t, "https://example.com/new", q.Get("new_account"))
	assert.Equal(t, "https://example.com/ok", q.Get("success"))
	assert.Equal(t, "https://site.example/watch?v=1", q.Get("upgrade"))
	assert.Contains(t, o.Navigate, "upgrade=https%3A%2F%2Fsite.example%2Fwatch%3Fv%3D1", "encodeURIComponent, as the SDK")
}

func TestDecideLiveChallengeDefaults(t *testing.T) {
	s := testSettings(t, "")
	o := s.DecideLive(`{"action":"challenge","challenge":{"_id":"ch1"},"url":"https://challenge.rupt.dev/c"}`, "https://site.example/w#t")
	u, err := url.Parse(o.Navigate)
	require.NoError(t, err)
	assert.Equal(t, "/c", u.Path)
	q := u.Query()
	assert.Equal(t, "https://site.example/w?rupt_action=logout#t", q.Get("logout"))
	assert.Equal(t, "https://example.com/new", q.Get("new_account"))
	assert.Equal(t, "https://site.example/w#t", q.Get("success"))
}

func TestDecideLiveChallengeURLSetting(t *testing.T) {
	s := testSettings(t, `,"challenge_url":"http://127.0.0.1:8080/challenge"`)
	o := s.DecideLive(`{"action":"challenge","challenge":{"_id":"ch1"}}`, "https://site.example/")
	assert.True(t, strings.HasPrefix(o.Navigate, "http://127.0.0.1:8080/challenge?challenge=ch1&logout="), o.Navigate)

	_, err := ParseSettings(`{"client_id":"c","new_account_url":"https://e.com","challenge_url":"http://challenge.example.com"}`)
	assert.ErrorContains(t, err, `setting "challenge_url"`)
}

func TestDecideLiveRefusesHostileChallengeURLs(t *testing.T) {
	s := testSettings(t, "")
	for _, u := range []string{
		`"https://evil.com/c"`,
		`"http://challenge.rupt.dev/c"`,
		`"javascript:alert(1)"`,
		`"//evil.com/c"`,
		`"https://challenge.rupt.dev@evil.com/c"`,
		`"https://challenge.rupt.dev.evil.com/c"`,
		`"https://challenge%2Erupt%2Edev/c"`,
		`"https://chaIlenge.rupt.dev/c"`,
		`"https://chаllenge.rupt.dev/c"`,
		`"https://xn--chllenge-9ng.rupt.dev/c"`,
		`"https://challenge.rupt.dev:8443/c"`,
		`"/relative"`,
		`42`,
	} {
		o := s.DecideLive(`{"action":"challenge","challenge":{"_id":"c"},"url":`+u+`}`, "https://site.example/")
		assert.Empty(t, o.Navigate, u)
		assert.NotEmpty(t, o.Error, u)
		assert.Empty(t, o.Cookies, u)
	}
}

func TestDecideLiveIgnoresUnknown(t *testing.T) {
	s := testSettings(t, `,"logout_url":"https://example.com/out"`)
	for _, m := range []string{`{}`, `{"action":"dance"}`, `{"action":1}`, `[]`, `"logout"`} {
		o := s.DecideLive(m, "https://site.example/")
		assert.Empty(t, o.Navigate, m)
	}
	assert.NotEmpty(t, s.DecideLive(`{`, "").Error)
	assert.NotEmpty(t, s.DecideLive(`{"action":"challenge"}`, "").Error)
}

func TestDecidePageLoad(t *testing.T) {
	s := testSettings(t, `,"logout_url":"https://example.com/out"`)
	o := s.DecidePageLoad("https://site.example/w?rupt_action=logout")
	assert.True(t, o.Skip)
	assert.Equal(t, "https://example.com/out", o.Navigate)
	assert.False(t, s.DecidePageLoad("https://site.example/w?rupt_action=other").Skip)
	assert.False(t, s.DecidePageLoad("").Skip)
	// The name and the value are percent-decoded, as URLSearchParams does.
	for _, u := range []string{"https://site.example/w?rupt%5Faction=logout", "https://site.example/w?a=1&rupt_act%69on=logou%74", "https://site.example/w?rupt_action=%6Cogout"} {
		assert.True(t, s.DecidePageLoad(u).Skip, u)
	}
	for _, u := range []string{"https://site.example/w?ruptaction=logout", "https://site.example/w#rupt_action=logout", "https://site.example/w?q=%25rupt_action=logout", "https://site.example/w?rupt_action=logout%20"} {
		assert.False(t, s.DecidePageLoad(u).Skip, u)
	}

	none := testSettings(t, "")
	o = none.DecidePageLoad("https://site.example/w?rupt_action=logout")
	assert.True(t, o.Skip)
	assert.Empty(t, o.Navigate)
}

func TestNavigateRefusesNonHTTP(t *testing.T) {
	for _, u := range []string{"javascript:alert(1)", "data:text/html,x", "/rel", "", "ftp://x.com"} {
		o := Outcome{}.navigate(u, ReasonLogout)
		assert.Empty(t, o.Navigate, u)
		assert.NotEmpty(t, o.Error, u)
	}
}
