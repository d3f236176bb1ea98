package mapping

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
)

// FuzzApply feeds arbitrary mapping and event texts to Compile and Apply:
// they must never panic, must fail only with *Error values, must produce
// valid JSON, and must give the same answer twice (a Mapping is
// immutable) and the same answer as with the whole event built.
func FuzzApply(f *testing.F) {
	for _, rows := range allRows {
		for _, r := range rows {
			ev := r.event
			if ev == "" {
				ev = sampleEvent
			}
			f.Add([]byte(r.mapping), []byte(ev))
		}
	}
	f.Add([]byte(ruptDefaults), []byte(pageEvent))
	if oc := loadOracleCases(f); oc != nil {
		for i := 0; i < len(oc.Cases); i += 25 {
			f.Add([]byte(oc.Cases[i].Mapping), []byte(oc.Events[oc.Cases[i].Event]))
		}
	}
	f.Add([]byte(`{"__segment_internal_directive":{"@merge":{"direction":"left","objects":[{"a":1}]}},"b":2}`), []byte(`{}`))
	f.Add([]byte(`{"a":{"@liquid":"{% if a == b and c contains 'x' %}{{ d | split: ',' | join: '-' | upcase }}{% else %}{{- e -}}{% endif %}"}}`), []byte(`{"a":1,"b":1,"c":"xx","d":"a,b"}`))
	f.Fuzz(func(t *testing.T, mapping, event []byte) {
		m, err := Compile(string(mapping))
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Compile error is not *Error: %T %v", err, err)
			}
			return
		}
		applyBoth(t, m, string(mapping), string(event))
		out, err := m.Apply(string(event))
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Apply error is not *Error: %T %v", err, err)
			}
			_ = err.Error()
			return
		}
		if out != nil && !json.Valid(out) {
			t.Fatalf("invalid JSON output %q", out)
		}
		again, err := m.Apply(string(event))
		if err != nil || !bytes.Equal(out, again) {
			t.Fatalf("second Apply differs: %q vs %q (%v)", out, again, err)
		}
	})
}

// TestConcurrentApply shares one Mapping between goroutines (run with
// -race to check that Apply only reads it).
func TestConcurrentApply(t *testing.T) {
	big := `{"a":{"@path":"$.x"}`
	for i := 0; i < 40; i++ {
		big += `,"` + itoa(40-i) + `":{"@literal":{"k` + itoa(i) + `":1,"9":2,"1":3}}`
	}
	// Arrays are not validated, so only freeze settles these containers.
	big += `,"arr":[{"k":1,"9":2,"1":3},{"@if":{"exists":1,"then":2,"a":1,"b":1,"c":1,"d":1,"e":1,"f":1,"g":1,"h":1,"i":1,"j":1,"k":1,"l":1}}]`
	big += `}`
	m := MustCompile(big)
	want, err := MustCompile(big).Apply(`{"x":[1,2]}`)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan []byte)
	for g := 0; g < 8; g++ {
		go func() {
			out, _ := m.Apply(`{"x":[1,2]}`)
			done <- out
		}()
	}
	for g := 0; g < 8; g++ {
		if got := <-done; !bytes.Equal(got, want) {
			t.Fatalf("got %s want %s", got, want)
		}
	}
}
