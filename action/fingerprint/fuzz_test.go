package fingerprint

import (
	"encoding/json"
	"errors"
	"os"
	"testing"
	"unicode/utf8"
)

func FuzzFuzzyHash(f *testing.F) {
	seeds := []string{
		`{}`, `[]`, `{"a":1}`, `{"a":{"b":{"c":[1,2,{"d":null}]}}}`, `{"a":1,"a":2}`,
		`{"b":1,"10":2,"2":3}`, ` { "a" : 1.0e2 , "b" : "\u0041\/" } `, `{"\ud800":1,"😀":2,"！":3}`,
		`{"device":{"isFirefoxBrowser":true},"externalDevices":{"devices":[{"deviceId":"x","groupId":"y"},null]}}`,
		`{"device":{"isSafariBrowser":1},"screen":{"width":1,"height":2,"x":3}}`,
		`[1e400,-0,5e-324,1.7976931348623157e308]`, `"str"`, `5`, `null`, `{"a":"\uDBFF\uDFFF\udc00"}`,
		"{\"a\":\"\xff\"}", `{"a":`, `[[[[[[]]]]]]`,
	}
	for i, s := range seeds {
		f.Add([]byte(s), uint16(i*37))
	}
	// A realistic seed: the real capture without its three biggest groups
	// (inputs of 100 KB make the fuzzer crawl).
	if b, err := os.ReadFile("testdata/signals-chromium.json"); err == nil {
		var groups map[string]json.RawMessage
		if json.Unmarshal(b, &groups) == nil {
			delete(groups, "css")
			delete(groups, "audio")
			delete(groups, "canvas")
			if small, err := json.Marshal(groups); err == nil {
				f.Add(small, uint16(DefaultLength))
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte, l uint16) {
		length := int(l) % 5000
		got, err := FuzzyHash(data, length)
		valid := json.Valid(data) && utf8.Valid(data)
		if err != nil {
			if valid && !errors.Is(err, ErrNotObject) && !errors.Is(err, ErrTooDeep) {
				t.Fatalf("valid JSON rejected: %v", err)
			}
		} else {
			if !valid {
				t.Fatalf("invalid JSON accepted: %q", data)
			}
			if len(got) != length {
				t.Fatalf("length %d, want %d", len(got), length)
			}
			for i := 0; i < len(got); i++ {
				if c := got[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
					t.Fatalf("not hex: %q", got)
				}
			}
			// The canonical form hashes the same, through the fast path.
			c := canonicalize(data)
			d := &document{data: c}
			if err := d.parse(); err != nil || !d.canon {
				t.Fatalf("canonical form %q not canonical: %v", c, err)
			}
			if again, err := FuzzyHash(c, length); err != nil || again != got {
				t.Fatalf("canonical form hashes differently: %v", err)
			}
			// Canonicalizing is idempotent.
			if cc := canonicalize(c); string(cc) != string(c) {
				t.Fatalf("canonicalize not idempotent: %q -> %q", c, cc)
			}
		}
		muted, err := mute(data)
		if err == nil {
			d := &document{data: muted}
			if err := d.parse(); err != nil || !d.canon {
				t.Fatalf("mute output %q not canonical JSON: %v", muted, err)
			}
			if _, err := FuzzyHash(muted, length); err != nil {
				t.Fatalf("mute output not hashable: %v", err)
			}
		}
	})
}
