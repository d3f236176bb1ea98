package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"rupt-actions-wasm/action"
)

// nativeResult is the engine, run natively on the figure-5 sample (the same
// settings, event and device the browser timed), for the WASM/native ratio.
type nativeResult struct {
	Evaluate   testing.BenchmarkResult // action.Destination.Evaluate only
	FullCall   testing.BenchmarkResult // device JSON decode + Evaluate + answer JSON encode, as wasm/api.go's attachDevice does
	EventBytes int
	DevBytes   int
}

// cpuSample is one of the figure-5 events with its device, and the settings.
type cpuSample struct {
	Settings string `json:"settings"`
	Event    string `json:"event"`
	Device   string `json:"device"`
}

// runNative times the engine natively on the sample. Every iteration gets
// its own account (the engine attaches once per account and path): the
// sample's userId is replaced by a fixed-width counter written in place.
func runNative(s cpuSample) (nativeResult, error) {
	res := nativeResult{EventBytes: len(s.Event), DevBytes: len(s.Device)}
	var ev map[string]any
	if err := json.Unmarshal([]byte(s.Event), &ev); err != nil {
		return res, err
	}
	const placeholder = "acct-000000000000"
	ev["userId"] = placeholder
	tmpl, _ := json.Marshal(ev)
	at := strings.Index(string(tmpl), placeholder)
	if at < 0 {
		return res, errors.New("native: no userId in the sample event")
	}
	digits := at + len("acct-")
	next := func(buf []byte, n int) {
		for i := len(placeholder) - len("acct-") - 1; i >= 0; i-- {
			buf[digits+i] = byte('0' + n%10)
			n /= 10
		}
	}
	d, err := action.New(s.Settings)
	if err != nil {
		return res, fmt.Errorf("native: settings: %w", err)
	}
	dev, err := action.ParseDevice(s.Device)
	if err != nil {
		return res, fmt.Errorf("native: device: %w", err)
	}
	if got := d.Evaluate(string(tmpl), dev); len(got.Requests) != 1 {
		return res, fmt.Errorf("native: the sample event gave %d requests, want 1", len(got.Requests))
	}
	counter := 1
	res.Evaluate = testing.Benchmark(func(b *testing.B) {
		buf := append([]byte(nil), tmpl...)
		b.ReportAllocs()
		for b.Loop() {
			counter++
			next(buf, counter)
			d.Evaluate(string(buf), dev)
		}
	})
	res.FullCall = testing.Benchmark(func(b *testing.B) {
		buf := append([]byte(nil), tmpl...)
		b.ReportAllocs()
		for b.Loop() {
			counter++
			next(buf, counter)
			// As wasm/api.go's attachDevice: the bridge copies the
			// arguments into strings, then device, evaluation, answer.
			dv, err := action.ParseDevice(strings.Clone(s.Device))
			if err != nil {
				b.Fatal(err)
			}
			_ = d.Evaluate(string(buf), dv).AppendJSON(nil)
		}
	})
	return res, nil
}
