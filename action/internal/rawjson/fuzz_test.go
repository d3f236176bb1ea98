package rawjson

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/tidwall/gjson"
)

func addSeeds(f *testing.F) {
	for _, s := range corpus {
		f.Add(s)
	}
	for _, s := range []string{``, ` `, `01`, `-`, `1.`, `.5`, `1e`, `[1,]`, `{"a":1,}`, `[`, `{"a"`, `"\u12"`, `"\x"`,
		"\"\x01\"", `{"a":1]`, `[1}`, `"\uD800\u0041"`, `[[[[[]]]]`, `{"a":{"b":{"c":1}}}`} {
		f.Add(s)
	}
}

// FuzzValid compares Valid with gjson.Valid and encoding/json.Valid. Both
// accept invalid UTF-8 inside strings, as Valid does, so no input is
// excluded.
func FuzzValid(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		diffValid(t, s)
	})
}

// FuzzParse checks that Parse, Get, ForEach and Len never panic or hang, and,
// for valid input, that Raw of Parse is the trimmed input, that a string's
// Str is what encoding/json decodes (for valid UTF-8), and that every value
// inside agrees with gjson.
func FuzzParse(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		v := Parse(s)
		walk(v, 0)
		if !Valid(s) {
			return
		}
		if v.Raw != strings.Trim(s, " \t\r\n") {
			t.Fatalf("Parse(%q).Raw = %q", s, v.Raw)
		}
		if v.Kind == String && utf8.ValidString(s) {
			var js string
			if err := json.Unmarshal([]byte(s), &js); err != nil || js != v.Str {
				t.Fatalf("Parse(%q).Str = %q, encoding/json %q (%v)", s, v.Str, js, err)
			}
		}
		diffText(t, s)
	})
}

// FuzzGet compares Get with a first-match walk over gjson's ForEach for any
// path, and checks it never panics on invalid input.
func FuzzGet(f *testing.F) {
	paths := []string{"a", "a.b", "", ".", "a..b", "x", "k\u00e9y", "#", "a.b.c.d"}
	for i, s := range corpus {
		f.Add(s, paths[i%len(paths)])
	}
	f.Add(`{"a":{"b":1},"a":{"c":2}}`, "a.c")
	f.Add(`{"":{"":1}}`, ".")
	f.Fuzz(func(t *testing.T, s, path string) {
		got := Parse(s).Get(path)
		if !Valid(s) {
			return
		}
		cur := gjson.Parse(s)
		for _, key := range strings.Split(path, ".") {
			if !cur.IsObject() {
				cur = gjson.Result{}
				break
			}
			var next gjson.Result
			cur.ForEach(func(k, v gjson.Result) bool {
				if k.Str == key {
					next = v
					return false
				}
				return true
			})
			cur = next
		}
		diffValue(t, "Get("+path+")", got, cur)
	})
}
