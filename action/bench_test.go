package action

import (
	"strconv"
	"testing"
)

// BenchmarkEvaluatePage is the Go-side cost of one page event end to end:
// the preset's FQL, its mapping and the attach request body.
func BenchmarkEvaluatePage(b *testing.B) {
	d, err := New(presetSettings(""))
	if err != nil {
		b.Fatal(err)
	}
	event := pageEvent
	// The device as the API makes it: the signals and fingerprint handed
	// over once, the body's device members made once (DeviceState).
	var state DeviceState
	state.Open()
	state.SetSignals(mustSignals(b, `{"platform":{"value":"Linux x86_64"}}`))
	state.SetFingerprint("fp")
	dev, err := state.Device(`{"path":"/watch","url":"https://site.example/watch","last_fingerprint":"lfp"}`)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		// An identical attach is sent once within two seconds: forget it,
		// so each iteration builds the request.
		d.recent.reset()
		if ev := d.Evaluate(event, dev); len(ev.Requests) != 1 {
			b.Fatal("no request")
		}
	}
}

// BenchmarkEvaluateNoMatch is the cost of an event no subscription wants.
func BenchmarkEvaluateNoMatch(b *testing.B) {
	d, err := New(presetSettings(""))
	if err != nil {
		b.Fatal(err)
	}
	event := `{"type":"track","event":"Played","userId":"a"}`
	b.ReportAllocs()
	for b.Loop() {
		d.Evaluate(event, Device{})
	}
}

// BenchmarkEvaluateUnanswered is a burst of distinct attaches whose answers
// have not come back: keeping the recent-attach record must stay constant
// time per attach.
func BenchmarkEvaluateUnanswered(b *testing.B) {
	d, err := New(presetSettings(""))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		if ev := d.Evaluate(pageView("u"+strconv.Itoa(i), "/p"), Device{At: float64(i)}); len(ev.Requests) != 1 {
			b.Fatal("no request")
		}
	}
}
