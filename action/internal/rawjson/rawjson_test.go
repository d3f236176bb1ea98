package rawjson

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestValid(t *testing.T) {
	accept := []string{
		`0`, `-0`, `1`, `-1`, `10`, `1.5`, `-1.5`, `0.0`, `1e5`, `1E5`, `1e+5`, `1e-5`, `1.5e-10`, `-0.0e0`,
		`123456789012345678901234567890`, `1e400`, `-1e400`, `1e-400`,
		`true`, `false`, `null`, `""`, `"a"`, `" "`, `"\""`, `"\\"`, `"\/"`, `"\b\f\n\r\t"`,
		`"\u0000"`, `"\uABCD"`, `"\uabcd"`, `"\uD83D\uDE00"`, `"\uD800"`, `"\uDC00"`, `"/"`, `"é"`, "\"\x7f\"",
		"\"\xff\xfe\"", "\"\xc3\"", // invalid UTF-8 is accepted, as by gjson.Valid and encoding/json.Valid
		`{}`, `[]`, `{ }`, `[ ]`, "{\t\n\r }", `[1]`, `[1,2]`, `[ 1 , 2 ]`, `{"a":1}`, `{"a":1,"b":2}`,
		`{ "a" : 1 , "b" : [ ] }`, `{"a":{"b":{"c":[1,{"d":null}]}}}`, `[[[]]]`, `[{}]`, `[{},[]]`,
		`{"a":1,"a":2}`, `{"":""}`, `["]"]`, `["}"]`, `{"{":"["}`, `[true,false,null]`,
		" 1", "1 ", " \t\n\r1\r\n\t ", " {} ", "\n[]\n", `[-0]`, `[0]`, `[1e1]`, `{"a":-1}`,
	}
	reject := []string{
		``, ` `, "\t\n\r ", `01`, `-01`, `00`, `-`, `+1`, `1.`, `.5`, `-.5`, `1.e5`, `1e`, `1e+`, `1E-`, `0x10`,
		`1.5.5`, `1e5e5`, `--1`, `- 1`, `NaN`, `Infinity`, `-Infinity`, `inf`,
		`tru`, `true1`, `truee`, `True`, `nul`, `nulll`, `fals`, `falsey`, `t`, `f`, `n`,
		`"`, `"abc`, `"\"`, `"\x"`, `"\a"`, `"\'"`, `"\u12"`, `"\u12G4"`, `"\u"`, `"\U1234"`, `"\u123"`,
		"\"\x00\"", "\"\x1f\"", "\"\n\"", "\"\t\"", "\"a\rb\"",
		`[`, `]`, `{`, `}`, `[1`, `[1,`, `[1,]`, `[,1]`, `[,]`, `[1 2]`, `{"a"}`, `{"a":}`, `{"a":1,}`,
		`{,}`, `{"a" 1}`, `{a:1}`, `{'a':1}`, `{"a":1 "b":2}`, `{1:1}`, `{"a":1]`, `[1}`, `[}`, `{]`,
		`{}}`, `[]]`, `[[]`, `{"a":{}`, `1 2`, `1,`, `{} {}`, `[] x`, `"a" "b"`, "1\x00", "\x001",
		"\f1", "1\f", "\v1", "\u00a01", `//`, `/* */1`, `[1]//`, `{"a":1}x`, `["a",]`, `{"a":[}`, `["\"]`,
	}
	for _, s := range accept {
		assert.True(t, Valid(s), "%q", s)
		assert.True(t, json.Valid([]byte(s)), "oracle %q", s)
	}
	for _, s := range reject {
		assert.False(t, Valid(s), "%q", s)
		assert.False(t, json.Valid([]byte(s)), "oracle %q", s)
	}
}

func TestValidDeep(t *testing.T) {
	for _, n := range []int{255, 256, 257, 1000, 100000, 1000000} {
		arr := strings.Repeat("[", n) + strings.Repeat("]", n)
		assert.True(t, Valid(arr), "arrays %d", n)
		assert.False(t, Valid(arr[:len(arr)-1]), "arrays %d unclosed", n)
		assert.False(t, Valid(arr+"]"), "arrays %d closed once more", n)
		assert.False(t, Valid(strings.Repeat("[", n)), "only '[' %d", n)
		assert.False(t, Valid(strings.Repeat("{", n)), "only '{' %d", n)

		obj := strings.Repeat(`{"a":`, n) + "1" + strings.Repeat("}", n)
		assert.True(t, Valid(obj), "objects %d", n)
		assert.False(t, Valid(obj[:len(obj)-1]), "objects %d unclosed", n)

		// Alternate objects and arrays; swap the bracket at every position
		// near the middle and the ends to check each level's kind is kept.
		var b strings.Builder
		for i := range n {
			if i%3 == 0 {
				b.WriteString(`{"k":`)
			} else {
				b.WriteString(`[0,`)
			}
		}
		b.WriteString("null")
		for i := n - 1; i >= 0; i-- {
			if i%3 == 0 {
				b.WriteByte('}')
			} else {
				b.WriteByte(']')
			}
		}
		mixed := b.String()
		assert.True(t, Valid(mixed), "mixed %d", n)
		closeAt := strings.Index(mixed, "null") + 4
		for _, k := range []int{0, 1, 2, 63, 64, 65, n / 2, n - 2, n - 1} {
			if k < 0 || k >= n {
				continue
			}
			bad := []byte(mixed)
			p := closeAt + k
			if bad[p] == '}' {
				bad[p] = ']'
			} else {
				bad[p] = '}'
			}
			assert.False(t, Valid(string(bad)), "mixed %d, bracket %d swapped", n, k)
		}

		// The readers must cope with the same depth (they do not recurse).
		v := Parse(arr)
		assert.Equal(t, Array, v.Kind)
		assert.Equal(t, 1, v.Len())
		v.ForEach(func(_, e Value) bool {
			assert.Equal(t, arr[1:len(arr)-1], e.Raw)
			return true
		})
		o := Parse(obj)
		assert.Equal(t, obj[5:len(obj)-1], o.Get("a").Raw)
		assert.Equal(t, obj[10:len(obj)-2], o.Get("a.a").Raw)
		assert.False(t, Parse(strings.Repeat("[", n)).Get("a").Exists())
	}
}

func TestKindString(t *testing.T) {
	want := []string{"undefined", "null", "false", "true", "number", "string", "object", "array"}
	for k, w := range want {
		assert.Equal(t, w, Kind(k).String())
	}
	assert.Equal(t, "kind(8)", Kind(8).String())
	assert.Equal(t, "kind(255)", Kind(255).String())
}

func TestParse(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Value
	}{
		{``, Value{}},
		{" \t\r\n", Value{}},
		{`null`, Value{Kind: Null, Raw: `null`}},
		{` true `, Value{Kind: True, Raw: `true`}},
		{"\nfalse\n", Value{Kind: False, Raw: `false`}},
		{`0`, Value{Kind: Number, Raw: `0`}},
		{`-1.5e3 `, Value{Kind: Number, Raw: `-1.5e3`, Num: -1500}},
		{`1e400`, Value{Kind: Number, Raw: `1e400`, Num: math.Inf(1)}},
		{`-1e400`, Value{Kind: Number, Raw: `-1e400`, Num: math.Inf(-1)}},
		{`""`, Value{Kind: String, Raw: `""`}},
		{` "abc" `, Value{Kind: String, Raw: `"abc"`, Str: "abc"}},
		{`"a\"b\\c\/d\b\f\n\r\t"`, Value{Kind: String, Raw: `"a\"b\\c\/d\b\f\n\r\t"`, Str: "a\"b\\c/d\b\f\n\r\t"}},
		{`"\u00e9\u20AC\uD83D\uDE00"`, Value{Kind: String, Raw: `"\u00e9\u20AC\uD83D\uDE00"`, Str: "é€😀"}},
		{"\"\xff\"", Value{Kind: String, Raw: "\"\xff\"", Str: "\xff"}},
		{` {"a":1} `, Value{Kind: Object, Raw: `{"a":1}`}},
		{"\t[1, 2]\r\n", Value{Kind: Array, Raw: `[1, 2]`}},
		{`{}`, Value{Kind: Object, Raw: `{}`}},
		{`[]`, Value{Kind: Array, Raw: `[]`}},
	} {
		got := Parse(c.in)
		assert.Equal(t, c.want, got, "%q", c.in)
		assert.Equal(t, c.want.Kind != Undefined, got.Exists())
		assert.Equal(t, c.want.Kind == Object, got.IsObject())
		assert.Equal(t, c.want.Kind == Array, got.IsArray())
	}
	assert.True(t, math.Signbit(Parse(`-0`).Num), "-0 keeps its sign, as in JavaScript")

	// Invalid input: no panic, Undefined where nothing can be read.
	for _, s := range []string{`x`, `tru`, `"abc`, `-`, `nul`, `+1`, "\x00", `}`, `]`, `,`} {
		v := Parse(s)
		if s == "-" {
			assert.Equal(t, Number, v.Kind)
			continue
		}
		assert.Equal(t, Undefined, v.Kind, "%q", s)
	}
}

// Lone surrogate escapes become U+FFFD; encoding/json does the same, and so
// does JSON.parse followed by a conversion to UTF-8 (TextEncoder).
func TestSurrogates(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`\uD83D\uDE00`, "😀"},
		{`\ud83d\ude00`, "😀"},
		{`\uDBFF\uDFFF`, "\U0010FFFF"},
		{`\uD800\uDC00`, "\U00010000"},
		{`\uD800`, "\uFFFD"},
		{`\uDC00`, "\uFFFD"},
		{`\uDFFF\uD800`, "\uFFFD\uFFFD"},
		{`\uD800\u0041`, "\uFFFDA"},
		{`\uD800\uD800\uDC00`, "\uFFFD\U00010000"},
		{`\uD800\n`, "\uFFFD\n"},
		{`\uD800\\uDC00`, "\uFFFD\\uDC00"},
		{`\uD800x\uDC00`, "\uFFFDx\uFFFD"},
		{`\uD800\uDC00\uDC00`, "\U00010000\uFFFD"},
		{`a\uD800`, "a\uFFFD"},
		{`\uD83D\uDE00\uD83D`, "😀\uFFFD"},
	} {
		in := `"` + c.in + `"`
		require.True(t, Valid(in), in)
		var oracle string
		require.NoError(t, json.Unmarshal([]byte(in), &oracle))
		assert.Equal(t, c.want, oracle, "encoding/json %s", in)
		assert.Equal(t, c.want, Parse(in).Str, "%s", in)
		// the same as a key
		obj := `{` + in + `:1}`
		Parse(obj).ForEach(func(k, _ Value) bool {
			assert.Equal(t, c.want, k.Str, "key %s", in)
			return true
		})
		assert.Equal(t, "1", Parse(obj).Get(c.want).Raw, "Get %s", in)
	}
}

const pageEvent = `{"type":"page","name":"Home","properties":{"path":"/","url":"https://example.com/","title":"Home","referrer":"","search":""},"context":{"page":{"path":"/","url":"https://example.com/","title":"Home","referrer":"","search":""},"userAgent":"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36","locale":"en-US","library":{"name":"analytics.js","version":"next-1.70.0"},"traits":{"email":"a@example.com"}},"userId":"u1","anonymousId":"8e0c1f0a-7c2b-4c1c-9a51-2d1c1b8e9f10","messageId":"ajs-next-123","timestamp":"2026-11-26T10:00:00.000Z","integrations":{}}`

func TestGet(t *testing.T) {
	doc := Parse(` { "a" : { "b" : [1, {"c": 2}] , "d" : "x\ty" , "e.f": 3, "": {"": 4}},
		"a": "second", "n": null, "t": true, "f": false, "num": -2.5e1, "k\u00e9y": "esc", "q\"": 5 } `)
	require.True(t, doc.IsObject())
	for _, c := range []struct {
		path string
		kind Kind
		raw  string
	}{
		{"a", Object, `{ "b" : [1, {"c": 2}] , "d" : "x\ty" , "e.f": 3, "": {"": 4}}`}, // the first "a"
		{"a.b", Array, `[1, {"c": 2}]`},
		{"a.d", String, `"x\ty"`},
		{"a.b.0", Undefined, ``}, // no array indexes
		{"a.b.c", Undefined, ``},
		{"a.e.f", Undefined, ``}, // keys are split at every '.'
		{"a.", Object, `{"": 4}`},
		{"a..", Number, `4`},
		{"", Undefined, ``},
		{"n", Null, `null`},
		{"t", True, `true`},
		{"f", False, `false`},
		{"num", Number, `-2.5e1`},
		{"kéy", String, `"esc"`},
		{`q"`, Number, `5`},
		{"missing", Undefined, ``},
		{"n.x", Undefined, ``},
		{"d", Undefined, ``},
		{"a.d.x", Undefined, ``},
	} {
		got := doc.Get(c.path)
		assert.Equal(t, c.kind, got.Kind, "%q", c.path)
		assert.Equal(t, c.raw, got.Raw, "%q", c.path)
	}
	assert.Equal(t, "x\ty", doc.Get("a.d").Str)
	assert.Equal(t, -25.0, doc.Get("num").Num)

	ev := Parse(pageEvent)
	assert.Equal(t, "/", ev.Get("context.page.path").Str)
	assert.Equal(t, `{"path":"/","url":"https://example.com/","title":"Home","referrer":"","search":""}`, ev.Get("properties").Raw)
	assert.Equal(t, "next-1.70.0", ev.Get("context.library.version").Str)
	assert.Equal(t, `{}`, ev.Get("integrations").Raw)
	assert.False(t, ev.Get("context.page.path.x").Exists())

	// Get on non-objects
	for _, s := range []string{`[{"a":1}]`, `"a"`, `1`, `null`, `true`, ``} {
		assert.False(t, Parse(s).Get("a").Exists(), "%q", s)
	}
	assert.False(t, Value{}.Get("a").Exists())
}

func TestForEachLen(t *testing.T) {
	type kv struct {
		kk       Kind
		key, raw string
	}
	collect := func(v Value, stopAfter int) (out []kv) {
		v.ForEach(func(k, e Value) bool {
			if k.Kind == String {
				assert.Equal(t, Parse(k.Raw).Str, k.Str)
			}
			out = append(out, kv{k.Kind, k.Str, e.Raw})
			return len(out) != stopAfter
		})
		return out
	}
	obj := Parse(`{ "a" : 1 , "b\n" : [ 2 , 3 ] , "a" : { "c" : "}" } , "d":"]"}`)
	assert.Equal(t, []kv{{String, "a", "1"}, {String, "b\n", "[ 2 , 3 ]"}, {String, "a", `{ "c" : "}" }`}, {String, "d", `"]"`}}, collect(obj, -1))
	assert.Equal(t, []kv{{String, "a", "1"}, {String, "b\n", "[ 2 , 3 ]"}}, collect(obj, 2))
	assert.Equal(t, 4, obj.Len())

	arr := Parse(` [ 1 ,"x", null,true , false, {}, [], -0.5e-3 ] `)
	assert.Equal(t, []kv{{0, "", "1"}, {0, "", `"x"`}, {0, "", "null"}, {0, "", "true"}, {0, "", "false"},
		{0, "", "{}"}, {0, "", "[]"}, {0, "", "-0.5e-3"}}, collect(arr, -1))
	assert.Equal(t, 8, arr.Len())

	for _, s := range []string{`{}`, `[]`, `{ }`, "[\n]", `1`, `"s"`, `null`, ``} {
		assert.Empty(t, collect(Parse(s), -1), "%q", s)
		assert.Equal(t, 0, Parse(s).Len(), "%q", s)
	}
	assert.Equal(t, 1, Parse(`[[]]`).Len())
	assert.Equal(t, 5, Parse(pageEvent).Get("context.page").Len())
	assert.Equal(t, 9, Parse(pageEvent).Len())
}

// Plain strings and nested values point into the input; reading the event
// allocates nothing.
func TestNoAlloc(t *testing.T) {
	var sink Value
	var n int
	checks := map[string]func(){
		"Valid":  func() { n += boolInt(Valid(pageEvent)) },
		"Parse":  func() { sink = Parse(pageEvent) },
		"Get":    func() { sink = Parse(pageEvent).Get("context.page.path") },
		"GetObj": func() { sink = Parse(pageEvent).Get("properties") },
		"ForEach": func() {
			Parse(pageEvent).ForEach(func(k, v Value) bool { n += len(k.Str) + len(v.Str); return true })
		},
		"Len":        func() { n += Parse(pageEvent).Len() },
		"GetEscKey":  func() { sink = Parse(`{"k\u00e9y":1,"x":2}`).Get("x") },
		"GetEscKey2": func() { sink = Parse(`{"k\u00e9y":1,"x":2}`).Get("kéy") },
		"Number":     func() { sink = Parse(`[-12.5e3]`).Get("x") },
	}
	deep := strings.Repeat("[", 250) + strings.Repeat("]", 250)
	checks["ValidDeep"] = func() { n += boolInt(Valid(deep)) }
	for name, f := range checks {
		assert.Zero(t, testing.AllocsPerRun(100, f), name)
	}
	_ = sink
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// On invalid input the readers may return anything but must not panic or
// loop forever.
func TestInvalidNoPanic(t *testing.T) {
	base := []string{
		`{"a":{"b":[1,"x\"y",{"c":null}],"d":"\u00e9"},"e":[true,false]}`,
		`[{"a":1},[2,[3,"]"]],"\uD83D\uDE00"]`,
	}
	for _, b := range base {
		for i := 0; i <= len(b); i++ {
			for _, s := range []string{b[:i], b[i:], b[:i] + b[min(i+1, len(b)):], b[:i] + "\\" + b[i:], b[:i] + "," + b[i:]} {
				walk(Parse(s), 0)
				Parse(s).Get("a.b")
				Parse(s).Get("e")
			}
		}
	}
}

func walk(v Value, depth int) {
	if depth > 100 {
		return
	}
	_ = v.Len()
	_ = v.Get("a")
	v.ForEach(func(k, e Value) bool {
		walk(e, depth+1)
		return true
	})
}

func TestValidLimit(t *testing.T) {
	deep := func(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }
	for _, c := range []struct {
		in          string
		max         int
		ok, tooDeep bool
	}{
		{deep(3), 3, true, false},
		{deep(4), 3, false, true},
		{`{"a":{"b":[1]}}`, 3, true, false},
		{`{"a":{"b":[[1]]}}`, 3, false, true},
		{`[[],[[]]]`, 3, true, false},
		{`[[],[[]]]`, 2, false, true}, // an empty container counts as a level
		{`[[1],[[1]]]`, 2, false, true},
		{`[1,`, 5, false, false},
		{deep(100000), 512, false, true},
		{"[" + deep(600)[1:], 512, false, true}, // too deep is found before the end is read
		{`"str"`, 0, true, false},
		{`[]`, 0, false, true},
		{`[1]`, 0, false, true},
	} {
		ok, tooDeep := ValidLimit(c.in, c.max)
		assert.Equal(t, c.ok, ok, c.in)
		assert.Equal(t, c.tooDeep, tooDeep, c.in)
		if !tooDeep {
			assert.Equal(t, Valid(c.in), ok, c.in)
		}
	}
}
