package action

import (
	"encoding/json"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// oldPageURLOK is the previous implementation of checkPageURL, on net/url.
func oldPageURLOK(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.User == nil && hostnameOK(u.Hostname())
}

// TestPageURLCheckRefusesWhatNetURLRefused: the checks built on urls.Parse
// (over its URL corpus)
// refuse at least what they refused on net/url.
func TestPageURLCheckRefusesWhatNetURLRefused(t *testing.T) {
	var corpus []string
	b, err := os.ReadFile("internal/urls/testdata/corpus.json")
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &corpus))
	require.NotEmpty(t, corpus)
	for _, s := range corpus {
		if checkPageURL(s) == nil {
			assert.True(t, oldPageURLOK(s), "checkPageURL accepts %q", s)
		}
	}
}

// TestURLChecks: what the checks accept and refuse, and what they agree
// on with net/url for ordinary URLs.
func TestURLChecks(t *testing.T) {
	for _, s := range []string{"https://site.example/new", "http://127.0.0.1:8080/x?y=1#z", "https://Site.Example:443/a?b#c", "https://bücher.example/", "https://[::1]/", "https://%C3%BC.example/"} {
		assert.NoError(t, checkPageURL(s), s)
		assert.True(t, oldPageURLOK(s), s)
	}
	for _, s := range []string{"javascript:alert(1)", "https://user@site.example/", "//evil.example/", "https://site.example:abc/", "https://a:1:2/", "https://[::1%25eth0]/", "https://site.example\\@evil.example/", "https://%65vil.example/x\x00"} {
		assert.Error(t, checkPageURL(s), s)
	}
	_, err := checkAPIBase("https://api.example?")
	assert.Error(t, err, "an empty query marker is refused: it would end up in every request URL")
	_, err = checkAPIBase("https://api.example#")
	assert.Error(t, err)

	s := &Settings{ChallengeHosts: []string{"challenge.rupt.dev"}}
	assert.NoError(t, s.checkChallengeURL("https://CHALLENGE.rupt.dev:443/c"))
	for _, bad := range []string{"http://challenge.rupt.dev/", "https://challenge.rupt.dev:444/", "https://u@challenge.rupt.dev/", "https://challenge.rupt.dev.evil.example/", "https:challenge.rupt.dev"} {
		assert.Error(t, s.checkChallengeURL(bad), bad)
	}
	assert.Equal(t, "site.example:8080", hostOf("https://site.example:8080/p"))
	assert.Equal(t, "", hostOf(":x"))
}

func TestQuoteShortens(t *testing.T) {
	assert.Equal(t, `"a\"b"`, quote(`a"b`))
	long := "https://s.example/" + strings.Repeat("x", 5000)
	q := quote(long)
	assert.Less(t, len(q), 260)
	assert.True(t, strings.HasSuffix(q, "… (5018 bytes)"), q)
	_, err := ParseSettings(`{"client_id":"c","new_account_url":"` + long + "\\u0002" + `"}`)
	assert.Less(t, len(err.Error()), 400, "the error quotes the start of the URL only")
}

func TestIsLoopback(t *testing.T) {
	for h, want := range map[string]bool{
		"localhost": true, "::1": true, "127.0.0.1": true, "127.255.0.9": true,
		"127.0.0.01": false, "127.0.0": false, "127.0.0.256": false, "128.0.0.1": false, "127.example": false, "": false,
	} {
		assert.Equal(t, want, isLoopback(h), h)
	}
}
