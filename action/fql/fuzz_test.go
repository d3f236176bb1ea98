package fql

import (
	"errors"
	"testing"

	"rupt-actions-wasm/action/internal/rawjson"
)

var fuzzEvents = [][]byte{
	[]byte(pageEvent), []byte(trackEvent), []byte(identifyEvent), []byte(groupEvent),
	[]byte(aliasEvent), []byte(screenEvent), []byte(`{}`), []byte(`null`), []byte(`[1,"a",{"b":null}]`),
	[]byte(`{"type":"page","properties":{"s":"😀x","a":[0,"",{"b":false}],"o":{"length":1}}}`),
}

// FuzzParse parses arbitrary text and evaluates it against a few events:
// nothing may panic, errors must be *SyntaxError with a sane offset, and
// the deliberate single-quote difference must never change whether a query
// parses.
func FuzzParse(f *testing.F) {
	for _, tc := range matchCases {
		f.Add(tc.query)
	}
	for _, tc := range errorCases {
		if len(tc.query) < 1000 {
			f.Add(tc.query)
		}
	}
	f.Add(`type = 'page'`)
	f.Add(`match(properties.s.\1, "😀") or properties.a.\2.b = false`)
	f.Fuzz(func(t *testing.T, src string) {
		q, err := Parse(src)
		qo, erro := parse(src, true)
		if (err == nil) != (erro == nil) {
			t.Fatalf("quote mode changed parsing of %q: %v vs %v", src, err, erro)
		}
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("error %T is not *SyntaxError", err)
			}
			if se.Offset < -1 || se.Offset > len(src) {
				t.Fatalf("offset %d out of range for %q", se.Offset, src)
			}
			_ = err.Error()
			return
		}
		for _, ev := range fuzzEvents {
			m := q.Match(ev)
			if r := q.MatchResult(rawjson.Parse(string(ev))); r != m {
				t.Fatalf("Match=%v MatchResult=%v for %q on %s", m, r, src, ev)
			}
			qo.Match(ev)
		}
	})
}
