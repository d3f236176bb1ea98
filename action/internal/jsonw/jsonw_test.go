package jsonw

import (
	"encoding/json"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAppendStringMatchesJSON(t *testing.T) {
	for _, s := range []string{"", "plain", `q"uote`, `back\slash`, "tab\tnl\ncr\r", "\x00\x1f\x7f", "<>&", "é日本😀", "bad\xffutf8", "\u2028\u2029"} {
		got := AppendString(nil, s)
		var back string
		assert.NoError(t, json.Unmarshal(got, &back), s)
		want := s
		if !utf8.ValidString(s) {
			want = string([]rune(s)) // invalid UTF-8 decodes to U+FFFD
		}
		assert.Equal(t, want, back, s)
	}
	assert.Equal(t, `"a\"b\\c\n\u0001"`, string(AppendString(nil, "a\"b\\c\n\x01")))
}

// FuzzAppendString: the eight-bytes-at-a-time scan escapes exactly what a
// byte-by-byte reading of JSON.stringify's rules escapes (checked through
// encoding/json, which decodes it back to the same text).
func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "plain ascii text only", "0123456789abcdef\"0123456789abcdef", "tab\tin the middle of a long run", "héllo wörld, long enough to scan", "\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x1f", "bad\xff utf8 after eight bytes"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := AppendString(nil, s)
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

func TestAppendField(t *testing.T) {
	b := AppendField([]byte{'{'}, true, "a", "x")
	b = AppendField(b, false, "b\"", "y")
	b = AppendBool(append(b, `,"c":`...), true)
	assert.Equal(t, `{"a":"x","b\"":"y","c":true}`, string(append(b, '}')))
}
