package urls

import (
	"encoding/json"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// corpus mixes ordinary URLs with hostile ones (testdata/corpus.json,
// which the destination's URL checks are tested on too).
var corpus = loadCorpus("testdata/corpus.json")

// loadCorpus reads a JSON list of URLs.
func loadCorpus(path string) []string {
	b, err := os.ReadFile(path)
	if err != nil {
		panic(err)
	}
	var c []string
	if err := json.Unmarshal(b, &c); err != nil {
		panic(err)
	}
	return c
}

// TestURLsMatchNetURL: whatever Parse accepts, net/url accepts, with the
// same parts.
func TestURLsMatchNetURL(t *testing.T) {
	for _, s := range corpus {
		checkAgainstNetURL(t, s)
	}
}

func checkAgainstNetURL(t *testing.T, s string) {
	t.Helper()
	u, ok := Parse(s)
	old, err := url.Parse(s)
	if !ok {
		return
	}
	require.NoError(t, err, "Parse accepted %q, net/url did not", s)
	assert.Equal(t, old.Scheme, u.Scheme, s)
	assert.Equal(t, old.Opaque != "", u.Opaque && old.Opaque != "", s)
	if u.Opaque {
		return
	}
	assert.Equal(t, old.User != nil, u.User, s)
	assert.Equal(t, old.Host, u.Host, s)
	assert.Equal(t, old.Hostname(), u.Hostname, s)
	assert.Equal(t, old.Port(), u.Port, s)
	assert.Equal(t, old.RawQuery, u.Query, s)
	want, _ := old.Query()["rupt_action"]
	got, found := QueryValue(u.Query, "rupt_action")
	assert.Equal(t, len(want) > 0, found, s)
	if len(want) > 0 {
		assert.Equal(t, want[0], got, s)
	}
}

func TestEscapesMatchNetURL(t *testing.T) {
	var all strings.Builder
	for c := 0; c < 256; c++ {
		all.WriteByte(byte(c))
	}
	for _, s := range []string{"", "plain", "a b+c/d?e&f=g;h,i:j@k$l", "dev_123-ABC.~", "ü😀", all.String()} {
		assert.Equal(t, url.PathEscape(s), PathEscape(s), s)
		assert.Equal(t, url.QueryEscape(s), QueryEscape(s), s)
	}
}

func FuzzURL(f *testing.F) {
	for _, s := range corpus {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkAgainstNetURL(t, s)
		assert.Equal(t, url.PathEscape(s), PathEscape(s))
		assert.Equal(t, url.QueryEscape(s), QueryEscape(s))
	})
}

func TestEncodeURIComponent(t *testing.T) {
	// As JavaScript's encodeURIComponent("a b-_.!~*'()/?&=+#é😀").
	assert.Equal(t, "a%20b-_.!~*'()%2F%3F%26%3D%2B%23%C3%A9%F0%9F%98%80", EncodeURIComponent("a b-_.!~*'()/?&=+#é😀"))
	assert.Equal(t, "", EncodeURIComponent(""))
}

func TestIsIPv4(t *testing.T) {
	for h, want := range map[string]bool{
		"127.0.0.1": true, "0.0.0.0": true, "255.255.255.255": true,
		"127.0.0.01": false, "127.0.0": false, "127.0.0.256": false, "1.2.3.4.5": false, "a.b.c.d": false, "": false,
	} {
		assert.Equal(t, want, IsIPv4(h), h)
	}
}
