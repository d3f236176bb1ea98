package mapping

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDeliberateDifferences pins each documented difference from the
// oracle: where mapping-kit would answer (oracle column), we return an
// ErrUnsupported error instead.
func TestDeliberateDifferences(t *testing.T) {
	deep := strings.Repeat(`[`, maxDepth+1) + strings.Repeat(`]`, maxDepth+1)
	rows := []struct {
		name, mapping, event string
		oracle               string // what mapping-kit returns
	}{
		// 1. Paths into JavaScript built-ins.
		{"path to a method", `{"a":{"@path":"$.properties.toString"}}`, `{"properties":{}}`, `{}`},
		{"template of a constructor", `{"b":{"@template":"{{properties.constructor}}"}}`, `{"properties":{}}`, `{"b":"function Object() { [native code] }"}`},
		{"string method", `{"a":{"@path":"$.userId.toUpperCase"}}`, `{"userId":"u"}`, `{}`},
		// 2. "__proto__" keys.
		{"event key", `{"a":{"@path":"$.p"}}`, `{"p":{"__proto__":{"x":1},"y":2}}`, `{"a":{"y":2}}`},
		{"mapping key", `{"__proto__":{"@path":"$.p"}}`, `{}`, `{}`},
		{"decoded JSON", `{"a":{"@json":{"mode":"decode","value":"{\"__proto__\":{\"x\":1}}"}}}`, `{}`, `{"a":{}}`},
		{"flattened key", `{"a":{"@flatten":{"value":{"__proto":{"_":1}},"separator":"_"}}}`, `{}`, `{"a":{}}`},
		// 3. Limits.
		{"nesting", `{"a":{"@path":"$.d"}}`, `{"d":` + deep + `}`, `{"a":` + deep + `}`},
		// 4. @liquid: a range too long.
		{"liquid range", `{"a":{"@liquid":"{{ (1..2000000) | size }}"}}`, `{}`, `{"a":"2000000"}`},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			out, err := runCase(r.mapping, r.event)
			assert.True(t, errors.Is(err, ErrUnsupported), "want ErrUnsupported (oracle gives %s), got %s, %v", r.oracle, out, err)
		})
	}
}

// TestProtoNamesExact: the built-in names are matched whole, so a key that
// merely contains one (or spans two) is data, not a built-in.
func TestProtoNamesExact(t *testing.T) {
	for _, k := range []string{"toString", "constructor", "__proto__", "valueOf"} {
		require.True(t, protoName(objectProtoNames, k), k)
	}
	require.True(t, protoName(arrayProtoNames, "at"))
	require.True(t, protoName(arrayProtoNames, "with"))
	require.True(t, protoName(stringProtoNames, "trimStart"))
	for _, k := range []string{"", " ", "to", "String", "oString", "at concat", "toString ", "a", "withx", "xat"} {
		require.False(t, protoName(objectProtoNames, k), k)
		require.False(t, protoName(arrayProtoNames, k), k)
	}
	out, err := runCase(`{"a":{"@path":"$.p.at concat"},"b":{"@path":"$.s.oString"}}`, `{"p":[1],"s":"x"}`)
	require.NoError(t, err)
	require.Equal(t, `{}`, string(out))
}
