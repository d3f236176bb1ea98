package action

import (
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const validSettings = `{"client_id":"cid","new_account_url":"https://example.com/new"}`

func TestParseSettingsValid(t *testing.T) {
	s, err := ParseSettings(`{
		"client_id": " cid ",
		"new_account_url": "https://example.com/new",
		"logout_url": "http://example.com/out",
		"success_url": null,
		"suspended_url": "https://example.com/suspended",
		"api_base": "http://127.0.0.1:8080/rupt/",
		"challenge_hosts": "challenge.rupt.dev, Challenge.Example.com",
		"debug": true,
		"versionSettings": {"componentTypes": []},
		"subscriptions": "[{\"name\":\"A\",\"subscribe\":\"type = \\\"page\\\"\",\"partnerAction\":\"attach\",\"mapping\":{\"account\":{\"@path\":\"$.userId\"}},\"enabled\":true}]"
	}`)
	require.NoError(t, err)
	assert.Equal(t, "cid", s.ClientID)
	assert.Equal(t, "https://example.com/new", s.NewAccountURL)
	assert.Equal(t, "http://example.com/out", s.LogoutURL)
	assert.Equal(t, "", s.SuccessURL)
	assert.Equal(t, "http://127.0.0.1:8080/rupt", s.APIBase)
	assert.Equal(t, []string{"challenge.rupt.dev", "challenge.example.com"}, s.ChallengeHosts)
	assert.True(t, s.Debug)
	require.Len(t, s.Subscriptions, 1)
	assert.Equal(t, "A", s.Subscriptions[0].Name)
	assert.Equal(t, `type = "page"`, s.Subscriptions[0].Subscribe)
	assert.JSONEq(t, `{"account":{"@path":"$.userId"}}`, s.Subscriptions[0].Mapping)
	assert.True(t, s.Subscriptions[0].Enabled)
}

func TestParseSettingsDefaults(t *testing.T) {
	s, err := ParseSettings(validSettings)
	require.NoError(t, err)
	assert.Equal(t, DefaultAPIBase, s.APIBase)
	assert.Equal(t, []string{DefaultChallengeHost}, s.ChallengeHosts)
	assert.False(t, s.Debug)
	require.Len(t, s.Subscriptions, 1, "without subscriptions the preset applies")
	assert.Equal(t, PresetSubscription(), s.Subscriptions[0])
	assert.Equal(t, "Attach Device", s.Subscriptions[0].Name)
	assert.Equal(t, "type = 'page'", s.Subscriptions[0].Subscribe)

	s, err = ParseSettings(`{"client_id":"c","new_account_url":"https://e.com","subscriptions":[]}`)
	require.NoError(t, err)
	assert.Empty(t, s.Subscriptions, "an explicit empty list means no subscriptions")
}

func TestParseSettingsSubscriptionsAsArray(t *testing.T) {
	s, err := ParseSettings(`{"client_id":"c","new_account_url":"https://e.com","subscriptions":[
		{"name":"on","subscribe":"type = \"page\"","partnerAction":"attach","mapping":{},"enabled":true},
		{"name":"off","subscribe":"type = \"page\"","partnerAction":"attach","mapping":{},"enabled":false},
		{"name":"unset","subscribe":"type = \"page\"","partnerAction":"attach","mapping":{}}]}`)
	require.NoError(t, err)
	require.Len(t, s.Subscriptions, 3)
	assert.True(t, s.Subscriptions[0].Enabled)
	assert.False(t, s.Subscriptions[1].Enabled)
	assert.False(t, s.Subscriptions[2].Enabled, "as in Segment's runtime, only enabled: true runs")
}

func TestParseSettingsErrors(t *testing.T) {
	subs := func(n int) string {
		var b strings.Builder
		b.WriteString("[")
		for i := 0; i < n; i++ {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString(`{"name":"s` + strconv.Itoa(i) + `","subscribe":"type = \"page\"","partnerAction":"attach","mapping":{}}`)
		}
		return b.String() + "]"
	}
	cases := []struct {
		name, settings string
		wantKey        string
		wantMsg        string
	}{
		{"not json", `{`, "", "not valid JSON"},
		{"not object", `[1]`, "", "must be a JSON object"},
		{"missing client id", `{"new_account_url":"https://e.com"}`, "client_id", "is required"},
		{"empty client id", `{"client_id":"  ","new_account_url":"https://e.com"}`, "client_id", "is required"},
		{"numeric client id", `{"client_id":5,"new_account_url":"https://e.com"}`, "client_id", "must be a string"},
		{"missing new account url", `{"client_id":"c"}`, "new_account_url", "is required"},
		{"javascript url", `{"client_id":"c","new_account_url":"javascript:alert(1)"}`, "new_account_url", "http or https"},
		{"data url", `{"client_id":"c","new_account_url":"https://e.com","logout_url":"data:text/html,hi"}`, "logout_url", "http or https"},
		{"relative url", `{"client_id":"c","new_account_url":"/new"}`, "new_account_url", "absolute"},
		{"protocol relative", `{"client_id":"c","new_account_url":"//evil.com/x"}`, "new_account_url", "absolute"},
		{"malformed url", `{"client_id":"c","new_account_url":"https://e.com/%zz"}`, "new_account_url", "absolute"},
		{"userinfo url", `{"client_id":"c","new_account_url":"https://a@evil.com"}`, "new_account_url", "user info"},
		{"unusable host", `{"client_id":"c","new_account_url":"https://site.e\ufffdxample/new"}`, "new_account_url", "host a browser cannot use"},
		{"symbol in host", `{"client_id":"c","new_account_url":"https://site$example.com/new"}`, "new_account_url", "host a browser cannot use"},
		{"secret", `{"client_id":"c","new_account_url":"https://e.com","secret":"s"}`, "secret", "must not be set in the browser"},
		{"client secret", `{"client_id":"c","new_account_url":"https://e.com","Client_Secret":"s"}`, "Client_Secret", "must not be set in the browser"},
		{"http api base", `{"client_id":"c","new_account_url":"https://e.com","api_base":"http://api.example.com"}`, "api_base", "loopback"},
		{"fake loopback api base", `{"client_id":"c","new_account_url":"https://e.com","api_base":"http://127.evil.com"}`, "api_base", "loopback"},
		{"api base with query", `{"client_id":"c","new_account_url":"https://e.com","api_base":"https://a.com/?x=1"}`, "api_base", "query"},
		{"debug not bool", `{"client_id":"c","new_account_url":"https://e.com","debug":"yes"}`, "debug", "true or false"},
		{"bad challenge host", `{"client_id":"c","new_account_url":"https://e.com","challenge_hosts":"evil.com/x"}`, "challenge_hosts", "plain ASCII host"},
		{"empty challenge hosts", `{"client_id":"c","new_account_url":"https://e.com","challenge_hosts":" , "}`, "challenge_hosts", "at least one"},
		{"subscriptions not array", `{"client_id":"c","new_account_url":"https://e.com","subscriptions":{}}`, "subscriptions", "must be an array"},
		{"subscriptions bad string", `{"client_id":"c","new_account_url":"https://e.com","subscriptions":"[{"}`, "subscriptions", "not valid JSON"},
		{"subscriptions null", `{"client_id":"c","new_account_url":"https://e.com","subscriptions":null}`, "subscriptions", "must be an array of subscriptions (or a JSON string of one), got null"},
		{"51 subscriptions", `{"client_id":"c","new_account_url":"https://e.com","subscriptions":` + subs(51) + `}`, "subscriptions", "at most 50"},
		{"subscription not object", `{"client_id":"c","new_account_url":"https://e.com","subscriptions":[1]}`, "subscriptions[0]", "must be an object"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseSettings(c.settings)
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.wantMsg)
			if c.wantKey != "" {
				assert.Contains(t, err.Error(), `setting "`+c.wantKey+`"`)
			}
		})
	}
}

func TestParseSettingsGoodHosts(t *testing.T) {
	for _, u := range []string{"https://bücher.example/join", "https://xn--bcher-kva.example/join", "http://127.0.0.1:8080/x", "https://[::1]:8443/x", "https://a-b.example.co.uk/"} {
		_, err := ParseSettings(`{"client_id":"c","new_account_url":"` + u + `"}`)
		assert.NoError(t, err, u)
	}
}

func TestParseSettingsFiftySubscriptionsIsFine(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"client_id":"c","new_account_url":"https://e.com","subscriptions":[`)
	for i := 0; i < MaxSubscriptions; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`{"subscribe":"type = \"page\"","partnerAction":"attach","mapping":{}}`)
	}
	b.WriteString("]}")
	s, err := ParseSettings(b.String())
	require.NoError(t, err)
	assert.Len(t, s.Subscriptions, MaxSubscriptions)
}

func TestParseSettingsReportsEveryProblem(t *testing.T) {
	_, err := ParseSettings(`{"new_account_url":"javascript:x","secret":"s"}`)
	require.Error(t, err)
	for _, key := range []string{"client_id", "new_account_url", "secret"} {
		assert.Contains(t, err.Error(), `setting "`+key+`"`)
	}
}

// TestSettingsDoNotKeepTheText: parsed settings hold copies, not
// substrings of the settings text, so a large text can be freed.
func TestSettingsDoNotKeepTheText(t *testing.T) {
	raw := `{"client_id":"cid","new_account_url":"https://s.example/n","padding":"` + strings.Repeat("x", 1<<16) + `",
		"subscriptions":[{"name":"n","subscribe":"type = 'page'","partnerAction":"attach","mapping":{"account":{"@path":"$.userId"}}}]}`
	s, err := ParseSettings(raw)
	require.NoError(t, err)
	start := uintptr(unsafe.Pointer(unsafe.StringData(raw)))
	inside := func(v string) bool {
		p := uintptr(unsafe.Pointer(unsafe.StringData(v)))
		return v != "" && p >= start && p < start+uintptr(len(raw))
	}
	sub := s.Subscriptions[0]
	for _, v := range []string{s.ClientID, s.NewAccountURL, sub.Name, sub.Subscribe, sub.PartnerAction, sub.Mapping} {
		assert.False(t, inside(v), "%q points into the settings text", v)
	}
}
