package mapping

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestIsPlainKey(t *testing.T) {
	for key, want := range map[string]bool{
		"userId": true, "email": true, "first name": true, "": true, "01": true, "-1": true,
		"0": false, "42": false, "length": false, "toString": false, "__proto__": false,
		"map": false, "charAt": false, "toFixed": false, "constructor": false,
	} {
		assert.Equal(t, want, isPlainKey(key), "%q", key)
	}
}

// TestLiteralPathsReadAsSplitting: a path split at Compile (with its plain
// keys known) reads the same value, or fails with the same error, as the
// path split when evaluated, on values of every type.
func TestLiteralPathsReadAsSplitting(t *testing.T) {
	data, err := parseInput(`{"a":{"b":[10,{"c":"x"}],"s":"héllo","n":5,"t":true,"z":0,"o":{}},"length":3}`, "event", nil)
	require.NoError(t, err)
	paths := []string{
		"$.a.b", "$.a.b[1].c", "$.a.b.1.c", "$.a.b.length", "$.a.b.map", "$.a.s.length", "$.a.s[1]",
		"$.a.s.charAt", "$.a.n.toFixed", "$.a.t.valueOf", "$.a.o.toString", "$.a.o.missing.deeper",
		"$.a.z.anything", "$.length", "$.", "$", "", ".", "a['b'][0]", "$.a[\"s\"]", "x.$.a.n", "$.a.o.__proto__",
	}
	for _, p := range paths {
		m := MustCompile(`{"v":{"@path":` + quote(p) + `}}`)
		dir, _ := m.root.c.get("v")
		require.NotNil(t, dir.c.path, "%q is split at Compile (needOf)", p)
		got, gotErr := dir.c.path.read(data)
		want, wantErr := getPath(data, stripDollarDot(p))
		assert.Equal(t, wantErr, gotErr, "%q", p)
		wantJSON, _ := appendJSON(nil, want)
		gotJSON, _ := appendJSON(nil, got)
		assert.Equal(t, string(wantJSON), string(gotJSON), "%q (plain keys %b)", p, dir.c.path.plain)
	}
}

// TestSplitPath holds splitPath to a plain transcription of actions-core's
// splitting (split on ".", on "[" before a quote or digit, on "]"s after
// one; quotes dropped; empty segments skipped), on every path of up to six
// characters from the characters that matter (a segment of quotes alone
// becomes an empty key, as in actions-core).
func TestSplitPath(t *testing.T) {
	reference := func(path string) []string {
		var keys []string
		start := 0
		emit := func(end int) {
			if end > start {
				keys = append(keys, strings.NewReplacer(`'`, "", `"`, "").Replace(path[start:end]))
			}
		}
		for i := 0; i < len(path); {
			switch c := path[i]; {
			case c == '[' && i+1 < len(path) && isQuoteOrDigit(path[i+1]), c == '.':
				emit(i)
				i++
				start = i
			case c == ']' && i > 0 && isQuoteOrDigit(path[i-1]):
				emit(i)
				for i < len(path) && path[i] == ']' {
					i++
				}
				start = i
			default:
				i++
			}
		}
		emit(len(path))
		return keys
	}
	const alphabet = `a.[]'"0`
	var paths []string
	var gen func(p string)
	gen = func(p string) {
		paths = append(paths, p)
		if len(p) < 6 {
			for _, c := range alphabet {
				gen(p + string(c))
			}
		}
	}
	gen("")
	for _, p := range paths {
		got, want := splitPath(p, nil), reference(p)
		if strings.Join(got, "\x00") != strings.Join(want, "\x00") || len(got) != len(want) {
			t.Fatalf("splitPath(%q) = %q, want %q", p, got, want)
		}
	}
	for _, tc := range []struct {
		path string
		want []string
	}{
		{"a.b.c", []string{"a", "b", "c"}},
		{"a[0].b", []string{"a", "0", "b"}},
		{`a["b"]`, []string{"a", "b"}},
		{"a['b.c']", []string{"a", "b", "c"}},
		{"a[x]", []string{"a[x]"}},
		{"a[1]]]b", []string{"a", "1", "b"}},
		{"..a..b.", []string{"a", "b"}},
		{"", nil},
	} {
		if got := splitPath(tc.path, nil); strings.Join(got, "\x00") != strings.Join(tc.want, "\x00") || len(got) != len(tc.want) {
			t.Errorf("splitPath(%q) = %q, want %q", tc.path, got, tc.want)
		}
	}
}
