package mapping

import (
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
