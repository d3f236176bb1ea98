package rawjson

// Differential tests: rawjson against github.com/tidwall/gjson (the package
// it replaces) and encoding/json (an oracle for Valid and for decoded
// strings). gjson is imported by tests only.
//
// Known, deliberate differences, which the helpers below account for:
//   - ForEach over an array passes an Undefined key; gjson passes the index
//     as a Number key.
//   - Parse of an object or array: Raw stops at the closing bracket; gjson's
//     Raw also holds the trailing whitespace.
//   - Get takes keys literally and only walks objects; gjson's path syntax
//     (wildcards, escapes, array indexes, modifiers) is not compared.
//   - Get with several keys and duplicate keys: Get only looks under the
//     first member with each key; gjson.Get searches on through the later
//     duplicates when the rest of the path is not found under the first
//     (TestGetDuplicateKeys). The tests compare Get with gjson one key at a
//     time (gjsonSteps), where both take the first member.
//   - Lone surrogate escapes: rawjson decodes them to U+FFFD and then decodes
//     the next escape on its own, as encoding/json and JSON.parse do. gjson
//     v1.20.2 does the same, so these strings are compared with gjson as
//     well (TestSurrogates checks them against encoding/json).

import (
	"encoding/json"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"
)

// corpus is a set of valid JSON texts of many shapes.
var corpus = []string{
	`null`, `true`, `false`, `0`, `-0`, `1`, `-1.5`, `1e400`, `-1e400`, `1e-400`, `4.9e-324`, `1.7976931348623157e308`,
	`123456789012345678901234567890`, `0.1`, `1E+2`, `-0.0e-0`, `9007199254740993`,
	`""`, `"plain"`, ` "padded" `, `"\"quoted\""`, `"back\\slash"`, `"\\"`, `"\\\\"`, `"end\\\""`, `"\/\b\f\n\r\t"`,
	`"\u0000\u001f\u0020\u007f\u0080\u07ff\u0800\uffff"`, `"\uD83D\uDE00 smile"`, `"é ü 漢字 😀"`,
	`"\uD800"`, `"\uDC00"`, `"\uD800\u0041"`, `"\uD800\uD800\uDC00"`, `"\uDE00\uD83D"`, `"x\uD83Dy"`,
	"\"\xff\xfe raw bytes \xc3\"", "\"\xed\xa0\x80\"",
	`{}`, `[]`, ` { } `, "[\n]", `[[]]`, `[{}]`, `{"":{}}`, `[[[[[[[[[[1]]]]]]]]]]`,
	`{"a":1}`, `{"a":1,"a":2}`, `{"a":{"a":{"a":"deep"}},"a":"second"}`,
	`{"":1,"":2}`, `{"a.b":1,"a":{"b":2}}`, `{"#":1,"@this":2,"*":3,"?":4,"|":5,"a|b":6,"!":7,"\\":8,"%":9}`,
	`{"k\u00e9y":1,"kéy":2,"k\"ey":3,"k\\ey":4,"k\/ey":5,"k\ney":6}`,
	`{"x":"}","y":"]","z":"{[","w":"\"}"}`,
	`["a","b\"",{"c":["d",{"e":"]}"}]},"\\",[]]`,
	` { "spaced" : [ 1 , 2 , { "k" : "v" } ] , "t" : true , "n" : null } `,
	"{\n\t\"tabbed\":\r\n[\n\t1,\n\t2\n]\n}",
	`[1,-1,0,-0,1.5,-1.5e-5,1E10,1e+10,2.5E-3,0.000001,1e21,123456789.123456789]`,
	`[true,false,null,"",{},[],0]`,
	`{"n":null,"t":true,"f":false,"s":"str","num":3.14,"arr":[1,2,3],"obj":{"x":1}}`,
	`{"type":"track","event":"Order Completed","properties":{"revenue":19.99,"currency":"USD","products":[{"id":"p1","price":9.99,"quantity":1},{"id":"p2","price":10,"quantity":1}]}}`,
	pageEvent,
	`{"type":"identify","userId":"u\u0031","traits":{"email":"a@b.c","name":"Zoë","age":42,"tags":["a","b"],"address":{"city":"Berlin","zip":"10115"}}}`,
	`{"settings":{"apiKey":"abc","subscriptions":"[{\"name\":\"s\",\"enabled\":true,\"subscribe\":\"type = \\\"track\\\"\"}]"}}`,
	`[{"a":[{"b":[{"c":[]}]}]}]`,
	`{"a":[1,[2,[3,[4,{"b":"c"}]]]],"d":{"e":{"f":{"g":{"h":"i"}}}}}`,
	`{"emoji😀":"😀","\uD83D\uDE00":"pair key","\uD800":"lone key"}`,
	`{"big":1e308,"bigger":1e309,"small":1e-320,"neg":-1e309}`,
	`"` + strings.Repeat(`\u00e9`, 20) + `"`,
	`"` + strings.Repeat("long string ", 50) + `"`,
	`"` + strings.Repeat(`esc\n`, 50) + `"`,
	`{"` + strings.Repeat("k", 200) + `":"long key","` + strings.Repeat(`\u006b`, 30) + `":"escaped long key"}`,
	strings.Repeat("[", 50) + `{"x":1}` + strings.Repeat("]", 50),
	strings.Repeat(`{"a":`, 50) + `[1,2]` + strings.Repeat("}", 50),
}

func TestCorpusIsValid(t *testing.T) {
	require.GreaterOrEqual(t, len(corpus), 50)
	for _, s := range corpus {
		require.True(t, json.Valid([]byte(s)), "%q", s)
	}
}

func TestDiffCorpus(t *testing.T) {
	for _, s := range corpus {
		diffText(t, s)
	}
}

// Every truncation, deletion and some insertions of each corpus text:
// Valid agrees with gjson.Valid and encoding/json.Valid, and the readers
// neither panic nor hang.
func TestDiffValidMutations(t *testing.T) {
	inserts := []string{",", "]", "}", "[", "{", `"`, `\`, ":", " ", "0", "-", ".", "e", "\x01", "\xff", "x"}
	for _, s := range corpus {
		if len(s) > 400 {
			s = s[:400] // still worth mutating, even if no longer valid
		}
		var muts []string
		for i := 0; i <= len(s); i++ {
			muts = append(muts, s[:i], s[i:])
			if i < len(s) {
				muts = append(muts, s[:i]+s[i+1:])
			}
			for _, in := range inserts {
				muts = append(muts, s[:i]+in+s[i:])
			}
		}
		for _, m := range muts {
			diffValid(t, m)
			walk(Parse(m), 0)
		}
	}
}

// The FQL and mapping test tables are large JSON documents holding many real
// events; every value inside them, and every JSON text held in a string
// there, is compared.
func TestDiffCaseFiles(t *testing.T) {
	for _, name := range []string{"../../fql/testdata/cases.json", "../../mapping/testdata/cases.json"} {
		t.Run(name, func(t *testing.T) {
			b, err := os.ReadFile(name)
			if os.IsNotExist(err) {
				t.Skip(err)
			}
			require.NoError(t, err)
			s := string(b)
			if !gjson.Valid(s) {
				t.Skip("not valid JSON")
			}
			diffText(t, s)
			// JSON texts held in strings (mapping events, settings).
			n := 0
			var visit func(g gjson.Result)
			visit = func(g gjson.Result) {
				switch {
				case g.Type == gjson.String && strings.TrimSpace(g.Str) != "" && strings.ContainsAny(g.Str[:1], "{[") && gjson.Valid(g.Str):
					n++
					diffText(t, g.Str)
				case g.IsObject() || g.IsArray():
					g.ForEach(func(_, v gjson.Result) bool { visit(v); return true })
				}
			}
			visit(gjson.Parse(s))
			t.Logf("%d bytes, %d embedded JSON texts", len(s), n)
		})
	}
}

func gjsonKind(g gjson.Result) Kind {
	if !g.Exists() { // the zero Result has Type Null
		return Undefined
	}
	switch g.Type {
	case gjson.Null:
		return Null
	case gjson.False:
		return False
	case gjson.True:
		return True
	case gjson.Number:
		return Number
	case gjson.String:
		return String
	case gjson.JSON:
		switch {
		case strings.HasPrefix(g.Raw, "{"):
			return Object
		case strings.HasPrefix(g.Raw, "["):
			return Array
		}
	}
	return Undefined
}

func diffValid(t testing.TB, s string) {
	t.Helper()
	got := Valid(s)
	if g := gjson.Valid(s); got != g {
		t.Fatalf("Valid(%q) = %v, gjson.Valid = %v", s, got, g)
	}
	if j := json.Valid([]byte(s)); got != j {
		t.Fatalf("Valid(%q) = %v, encoding/json.Valid = %v", s, got, j)
	}
}

// diffText compares everything rawjson reads from the valid JSON text s with
// gjson, recursively.
func diffText(t testing.TB, s string) {
	t.Helper()
	diffValid(t, s)
	if !Valid(s) {
		return
	}
	v, g := Parse(s), gjson.Parse(s)
	if gjsonKind(g) == Object || gjsonKind(g) == Array {
		g.Raw = strings.TrimRight(g.Raw, " \t\r\n")
	}
	diffValue(t, "Parse", v, g)
	if v.Raw != strings.Trim(s, " \t\r\n") {
		t.Fatalf("Parse(%q).Raw = %q", s, v.Raw)
	}
	diffTree(t, v, g, v, s, "")
}

// diffValue compares one value with gjson's, and a string's Str with what
// encoding/json decodes.
func diffValue(t testing.TB, where string, v Value, g gjson.Result) {
	t.Helper()
	if k := gjsonKind(g); v.Kind != k {
		t.Fatalf("%s: kind %v, gjson %v (raw %q / %q)", where, v.Kind, k, v.Raw, g.Raw)
	}
	if v.Raw != g.Raw {
		t.Fatalf("%s: raw %q, gjson %q", where, v.Raw, g.Raw)
	}
	wantStr := ""
	if v.Kind == String {
		wantStr = g.Str
		if utf8.ValidString(v.Raw) { // encoding/json replaces invalid UTF-8
			var js string
			if err := json.Unmarshal([]byte(v.Raw), &js); err != nil || js != v.Str {
				t.Fatalf("%s: str %q, encoding/json %q (%v)", where, v.Str, js, err)
			}
		}
	}
	if v.Str != wantStr {
		t.Fatalf("%s: str %q, gjson %q (raw %q)", where, v.Str, wantStr, v.Raw)
	}
	wantNum := 0.0
	if v.Kind == Number {
		wantNum = g.Num
		if f, _ := strconv.ParseFloat(v.Raw, 64); math.Float64bits(f) != math.Float64bits(v.Num) {
			t.Fatalf("%s: num %v, ParseFloat %v", where, v.Num, f)
		}
	}
	if math.Float64bits(v.Num) != math.Float64bits(wantNum) {
		t.Fatalf("%s: num %v, gjson %v (raw %q)", where, v.Num, wantNum, v.Raw)
	}
	if v.Exists() != g.Exists() || v.IsObject() != g.IsObject() || v.IsArray() != g.IsArray() {
		t.Fatalf("%s: predicates differ for %q", where, v.Raw)
	}
	if p := Parse(v.Raw); v.Exists() && (!Valid(v.Raw) || p.Kind != v.Kind || p.Raw != v.Raw || p.Str != v.Str || math.Float64bits(p.Num) != math.Float64bits(v.Num)) {
		t.Fatalf("%s: %q does not parse back to itself", where, v.Raw)
	}
}

// gjsonSteps is gjson.Get(json, path) for a path of plain keys, one key at a
// time: with duplicate keys, gjson.Get of a longer path goes on to the next
// member with the same key when the rest of the path is not found under the
// first one; Get (like this function) only looks under the first.
func gjsonSteps(json, path string) gjson.Result {
	cur := gjson.Parse(json)
	for _, key := range strings.Split(path, ".") {
		if !cur.IsObject() {
			return gjson.Result{}
		}
		cur = cur.Get(key)
	}
	return cur
}

// The one place where Get and gjson.Get differ on valid input.
func TestGetDuplicateKeys(t *testing.T) {
	for _, c := range []struct{ json, path, ours, gjson string }{
		{`{"s":{"a":1},"s":{"a":2}}`, "s.a", "1", "1"},
		{`{"s":{"b":1},"s":{"a":2}}`, "s.a", "", "2"},
		{`{"s":[],"s":{"a":2}}`, "s.a", "", "2"},
		{`{"s":null,"s":{"a":2}}`, "s.a", "", "2"},
		{`{"s":1,"s":2}`, "s", "1", "1"},
	} {
		require.Equal(t, c.ours, Parse(c.json).Get(c.path).Raw, "%s %s", c.json, c.path)
		require.Equal(t, c.gjson, gjson.Get(c.json, c.path).Raw, "%s %s", c.json, c.path)
		require.Equal(t, c.ours, gjsonSteps(c.json, c.path).Raw, "%s %s", c.json, c.path)
	}
}

type member struct {
	key, val Value
}

type gmember struct {
	key, val gjson.Result
}

// plainKey reports whether gjson's path syntax takes key literally.
func plainKey(key string) bool {
	if key == "" {
		return false
	}
	for _, c := range []byte(key) {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// diffTree compares ForEach, Len and Get of v (inside root, whose text is
// rootText) with gjson's g, then does the same below every member. path is
// v's dotted path from root when all keys on it are plain, else "-".
func diffTree(t testing.TB, v Value, g gjson.Result, root Value, rootText, path string) {
	t.Helper()
	if v.Kind != Object && v.Kind != Array {
		n := 0
		v.ForEach(func(_, _ Value) bool { n++; return true })
		if n != 0 || v.Len() != 0 || v.Get("a").Exists() {
			t.Fatalf("scalar %q has members", v.Raw)
		}
		return
	}
	var ours []member
	v.ForEach(func(k, e Value) bool { ours = append(ours, member{k, e}); return true })
	var theirs []gmember
	g.ForEach(func(k, e gjson.Result) bool { theirs = append(theirs, gmember{k, e}); return true })
	if len(ours) != len(theirs) {
		t.Fatalf("ForEach(%.200q): %d members, gjson %d", v.Raw, len(ours), len(theirs))
	}
	if v.Len() != len(ours) {
		t.Fatalf("Len(%.200q) = %d, ForEach %d", v.Raw, v.Len(), len(ours))
	}
	// ForEach stops when asked.
	calls := 0
	v.ForEach(func(_, _ Value) bool { calls++; return false })
	if calls != min(1, len(ours)) {
		t.Fatalf("ForEach(%.200q) did not stop", v.Raw)
	}
	for i, m := range ours {
		where := "member " + strconv.Itoa(i) + " of " + v.Raw[:min(len(v.Raw), 200)]
		if v.Kind == Object {
			diffValue(t, where+" (key)", m.key, theirs[i].key)
			// Get returns the first member with this key.
			if !strings.Contains(m.key.Str, ".") {
				var first gjson.Result
				for _, tm := range theirs {
					if tm.key.Str == m.key.Str {
						first = tm.val
						break
					}
				}
				diffValue(t, "Get("+strconv.Quote(m.key.Str)+") in "+where, v.Get(m.key.Str), first)
				if plainKey(m.key.Str) {
					diffValue(t, "gjson Get", v.Get(m.key.Str), g.Get(m.key.Str))
				}
			}
		} else if m.key.Kind != Undefined {
			t.Fatalf("%s: array key %v", where, m.key)
		}
		diffValue(t, where, m.val, theirs[i].val)

		sub := "-"
		if path != "-" && v.Kind == Object && plainKey(m.key.Str) {
			sub = m.key.Str
			if path != "" {
				sub = path + "." + sub
			}
			if path != "" { // a path with more than one key, from the root
				diffValue(t, "root Get("+sub+")", root.Get(sub), gjsonSteps(rootText, sub))
			}
		}
		diffTree(t, m.val, theirs[i].val, root, rootText, sub)
	}
	if v.Kind == Object {
		// A key that is not there.
		if v.Get("\x00missing").Exists() {
			t.Fatalf("Get of a missing key in %.200q", v.Raw)
		}
	}
}
