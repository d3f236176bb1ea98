package action

import (
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// urlCorpus mixes ordinary URLs with hostile ones.
var urlCorpus = []string{
	"https://site.example/new", "https://site.example", "https://site.example/", "http://127.0.0.1:8080/x?y=1#z",
	"https://Site.Example:443/a/b?c=d&e=f#g", "https://xn--bcher-kva.example/", "https://bücher.example/p",
	"https://user@site.example/", "https://user:pw@site.example/", "https://a@b@site.example/", "https://site.example@evil.example/",
	"https://[::1]/", "http://[::1]:3000/", "https://[2001:db8::1]:8443/p", "https://[::ffff:127.0.0.1]/", "https://[1.2.3.4]/",
	"https://[::1%25eth0]/", "https://[fe80::1", "https://[gggg::1]/", "https://[1:2:3:4:5:6:7:8]/", "https://[1:2:3:4:5:6:7:8:9]/",
	"https://[::]/", "https://[1::2::3]/", "https://[:1]/", "https://[1:]/", "https://[12345::1]/",
	"javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,x", "mailto:a@b.example", "https:site.example", "https:/site.example",
	"//evil.example/x", "///evil.example", "/relative?rupt_action=logout", "?rupt_action=logout", "relative/path", "a:b", ":nope",
	"https://site.example:abc/", "https://site.example:/", "https://site.example::1/", "https://a:1:2/", "https://site.example:99999/",
	"https://%65vil.example/", "https://%C3%BC.example/", "https://%zz.example/", "https://site.example/%zz", "https://site.example/#%zz",
	"https://site.example/?%zz", "https://si te.example/", "https://site\texample/", "https://site.example/\x00", "https://site.example/#\x01",
	"https://site$example.com/new", "https://site.example\\@evil.example/", "https://evil.example\\.site.example/",
	"https://site.example?", "https://site.example#", "https://site.example/?#", "https://\u00adsite.example/", "https://site.example\uff0f/",
	"https://site.example/?rupt_action=logout", "https://site.example/?a=1&rupt_action=logout&rupt_action=x", "https://site.example/?rupt_action=x&rupt_action=logout",
	"https://site.example/?rupt%5Faction=logou%74", "https://site.example/?rupt_action=log+out", "https://site.example/?rupt_action=logout;x=1",
	"https://site.example/?x=%zz&rupt_action=logout", "https://site.example/#?rupt_action=logout", "https://site.example/?rupt_action",
	"https://challenge.rupt.dev/c/1", "https://CHALLENGE.RUPT.DEV:443/", "https://challenge.rupt.dev:444/", "http://challenge.rupt.dev/",
	"https://challenge.rupt.dev.evil.example/", "https://evil.example/challenge.rupt.dev", "https://challenge%2erupt.dev/",
	"", " ", "https://", "https:///", "https://:443/", "http://localhost:1/", "http://127.1/", "HTTP://SITE.EXAMPLE/",
}

// oldParse is the previous implementation of each check, on net/url.
func oldPageURLOK(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.User == nil && hostnameOK(u.Hostname())
}

// TestURLsMatchNetURL: whatever parseURL accepts, net/url accepts, with
// the same parts.
func TestURLsMatchNetURL(t *testing.T) {
	for _, s := range urlCorpus {
		checkAgainstNetURL(t, s)
	}
}

func checkAgainstNetURL(t *testing.T, s string) {
	t.Helper()
	u, ok := parseURL(s)
	old, err := url.Parse(s)
	if !ok {
		return
	}
	require.NoError(t, err, "parseURL accepted %q, net/url did not", s)
	assert.Equal(t, old.Scheme, u.scheme, s)
	assert.Equal(t, old.Opaque != "", u.opaque && old.Opaque != "", s)
	if u.opaque {
		return
	}
	assert.Equal(t, old.User != nil, u.user, s)
	assert.Equal(t, old.Host, u.host, s)
	assert.Equal(t, old.Hostname(), u.hostname, s)
	assert.Equal(t, old.Port(), u.port, s)
	assert.Equal(t, old.RawQuery, u.query, s)
	want, _ := old.Query()["rupt_action"]
	got, found := queryValue(u.query, "rupt_action")
	assert.Equal(t, len(want) > 0, found, s)
	if len(want) > 0 {
		assert.Equal(t, want[0], got, s)
	}
	// The checks built on parseURL refuse at least what they refused on net/url.
	if checkPageURL(s) == nil {
		assert.True(t, oldPageURLOK(s), "checkPageURL accepts %q", s)
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

func TestEscapesMatchNetURL(t *testing.T) {
	var all strings.Builder
	for c := 0; c < 256; c++ {
		all.WriteByte(byte(c))
	}
	for _, s := range []string{"", "plain", "a b+c/d?e&f=g;h,i:j@k$l", "dev_123-ABC.~", "ü😀", all.String()} {
		assert.Equal(t, url.PathEscape(s), pathEscape(s), s)
		assert.Equal(t, url.QueryEscape(s), queryEscape(s), s)
	}
}

func FuzzURL(f *testing.F) {
	for _, s := range urlCorpus {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkAgainstNetURL(t, s)
		assert.Equal(t, url.PathEscape(s), pathEscape(s))
		assert.Equal(t, url.QueryEscape(s), queryEscape(s))
	})
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

func TestEncodeURIComponent(t *testing.T) {
	// As JavaScript's encodeURIComponent("a b-_.!~*'()/?&=+#é😀").
	assert.Equal(t, "a%20b-_.!~*'()%2F%3F%26%3D%2B%23%C3%A9%F0%9F%98%80", encodeURIComponent("a b-_.!~*'()/?&=+#é😀"))
	assert.Equal(t, "", encodeURIComponent(""))
}

func TestIsLoopback(t *testing.T) {
	for h, want := range map[string]bool{
		"localhost": true, "::1": true, "127.0.0.1": true, "127.255.0.9": true,
		"127.0.0.01": false, "127.0.0": false, "127.0.0.256": false, "128.0.0.1": false, "127.example": false, "": false,
	} {
		assert.Equal(t, want, isLoopback(h), h)
	}
}
