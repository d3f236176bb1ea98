package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"rupt-actions-wasm/action"
)

// nativeResult is the engine, run natively on the figure-5 sample (the same
// settings, event, device context and signals the browser timed), for the
// WASM/native ratio.
type nativeResult struct {
	Evaluate   testing.BenchmarkResult // action.Destination.Evaluate only
	FullCall   testing.BenchmarkResult // what wasm/api.go's attachDevice does behind the bridge (see runNative)
	EventBytes int
	DevBytes   int
	Chunk      int
}

// cpuSample is one of the figure-5 events with its device context, the
// settings, and what the page handed over once: the legacy signals and
// the fingerprint Go hashed.
type cpuSample struct {
	Settings    string `json:"settings"`
	Event       string `json:"event"`
	Device      string `json:"device"`     // as the shim sends it once Go has the storage values
	FullDevice  string `json:"fullDevice"` // the first context, with the storage values
	Signals     string `json:"signals"`
	Fingerprint string `json:"fingerprint"`
}

// attachOK is Rupt's answer to an attach, as the simulator gives it (the
// cpu page answers with the same).
const attachOK = `{"success":true,"attached_devices":1,"device_id":"dev_bench","default_device_limit":3,"block_over_usage":false,"access":"acc_bench","identity":"idn_bench"}`

// nativeChunk is how many attaches stay unanswered before the benchmark,
// with its timer stopped, answers them: as the cpu page does (cpu.js's
// CHUNK), so that Go's record of attaches stays as small as on a page.
const nativeChunk = 250

// pageViewMs is how far apart the events arrive (the device context's at),
// as on the cpu page: more than action.DuplicateWindow, so recent attaches
// are forgotten as on a page a person browses.
const pageViewMs = 2500

// counterSlot finds marker in tmpl and returns a function that writes n,
// zero-padded, into the width bytes that end the marker.
func counterSlot(tmpl []byte, marker string, width int) (func(buf []byte, n int), error) {
	at := strings.Index(string(tmpl), marker)
	if at < 0 || width > len(marker) {
		return nil, fmt.Errorf("native: %q not found in the sample", marker)
	}
	end := at + len(marker)
	return func(buf []byte, n int) {
		for i := end - 1; i >= end-width; i-- {
			buf[i] = byte('0' + n%10)
			n /= 10
		}
	}, nil
}

// runNative times the engine natively on the sample. Every iteration gets
// its own account and arrives pageViewMs after the one before (the event's
// userId and the context's at are fixed-width numbers rewritten in place),
// so every iteration builds a request, and every nativeChunk iterations
// the attaches are answered with the timer stopped.
func runNative(s cpuSample) (nativeResult, error) {
	res := nativeResult{EventBytes: len(s.Event), DevBytes: len(s.Device), Chunk: nativeChunk}
	var ev, dev map[string]any
	if err := json.Unmarshal([]byte(s.Event), &ev); err != nil {
		return res, fmt.Errorf("native: the sample event: %w", err)
	}
	if err := json.Unmarshal([]byte(s.Device), &dev); err != nil {
		return res, fmt.Errorf("native: the sample device context: %w", err)
	}
	const account = "acct-000000000000"
	ev["userId"] = account
	dev["at"] = 1e15 // encoded as 1000000000000000: 15 digits to rewrite
	evTmpl, _ := json.Marshal(ev)
	devTmpl, _ := json.Marshal(dev)
	nextAccount, err := counterSlot(evTmpl, `"`+account, 12)
	if err != nil {
		return res, err
	}
	nextAt, err := counterSlot(devTmpl, `"at":1000000000000000`, 15)
	if err != nil {
		return res, err
	}
	d, err := action.New(s.Settings)
	if err != nil {
		return res, fmt.Errorf("native: settings: %w", err)
	}
	signals, err := action.NewSignals(s.Signals)
	if err != nil {
		return res, fmt.Errorf("native: signals: %w", err)
	}
	// As wasm/api.go: Go keeps the signals, the fingerprint and the
	// storage values the first context carried; later contexts carry the
	// location and time only.
	var state action.DeviceState
	state.Open()
	state.SetSignals(signals)
	state.SetFingerprint(s.Fingerprint)
	if _, err := state.Device(s.FullDevice); err != nil {
		return res, fmt.Errorf("native: the first device context: %w", err)
	}
	device, err := state.Device(string(devTmpl))
	if err != nil {
		return res, fmt.Errorf("native: device: %w", err)
	}
	got := d.Evaluate(string(evTmpl), device)
	if len(got.Requests) != 1 {
		return res, fmt.Errorf("native: the sample event gave %d requests, want 1", len(got.Requests))
	}
	if o := d.HandleAttach(got.Requests[0].ID, 200, attachOK, ""); o.Error != "" {
		return res, fmt.Errorf("native: the answer to the sample attach: %s", o.Error)
	}

	counter := 1
	// settle answers the attaches of the ids, with the timer stopped.
	settle := func(b *testing.B, ids []int) []int {
		b.StopTimer()
		for _, id := range ids {
			if o := d.HandleAttach(id, 200, attachOK, ""); o.Error != "" {
				b.Fatal(o.Error)
			}
		}
		b.StartTimer()
		return ids[:0]
	}
	res.Evaluate = testing.Benchmark(func(b *testing.B) {
		buf := append([]byte(nil), evTmpl...)
		dv := device
		var ids []int
		b.ReportAllocs()
		for b.Loop() {
			counter++
			nextAccount(buf, counter)
			dv.At = float64(counter) * pageViewMs
			e := d.Evaluate(string(buf), dv)
			if len(e.Requests) != 1 {
				b.Fatalf("%d requests, want 1", len(e.Requests))
			}
			if ids = append(ids, e.Requests[0].ID); len(ids) == nativeChunk {
				ids = settle(b, ids)
			}
		}
		settle(b, ids)
	})
	res.FullCall = testing.Benchmark(func(b *testing.B) {
		evBuf := append([]byte(nil), evTmpl...)
		devBuf := append([]byte(nil), devTmpl...)
		var out []byte // the bridge's output buffer, kept between calls
		var ids []int
		b.ReportAllocs()
		for b.Loop() {
			counter++
			nextAccount(evBuf, counter)
			nextAt(devBuf, counter*pageViewMs)
			// As wasm/bridge.go and wasm/api.go's AttachDevice: the
			// bridge copies the arguments out of its input buffer into
			// strings; the device context is read into what Go keeps
			// (the signals handed over once, the storage values); the
			// evaluation's answer is written as JSON; the answer and
			// each request body's head and tail are joined by NUL bytes
			// in the output buffer, each checked for a NUL first.
			event, context := string(evBuf), string(devBuf)
			dv, err := state.Device(context)
			if err != nil {
				b.Fatal(err)
			}
			e := d.Evaluate(event, dv)
			// Each body as its head and tail: the shim holds the
			// device's members text already.
			texts := make([]string, 0, 2*len(e.Requests))
			for _, r := range e.Requests {
				head, _, tail, _ := r.BodyParts()
				texts = append(texts, head, tail)
			}
			answer := string(e.AppendJSON(nil))
			out = append(out[:0], answer...)
			for _, t := range texts {
				if strings.IndexByte(t, 0) >= 0 {
					b.Fatal("a NUL byte in a body text")
				}
				out = append(append(out, 0), t...)
			}
			if len(e.Requests) != 1 {
				b.Fatalf("%d requests, want 1", len(e.Requests))
			}
			if ids = append(ids, e.Requests[0].ID); len(ids) == nativeChunk {
				ids = settle(b, ids)
			}
		}
		settle(b, ids)
	})
	return res, nil
}
