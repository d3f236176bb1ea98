package main

import (
	"context"
	"fmt"
	"time"

	"github.com/chromedp/chromedp"
)

// The subscription both runtimes evaluate in figures 5 and 6: the preset's
// mapping (the fields' defaults) with a double-quoted trigger, which
// Segment's FQL parser matches (its preset's single-quoted one never does,
// see shared/segment-contract.md).
const (
	benchSubscribe = `type = "page"`
	benchMapping   = `{"account":{"@path":"$.userId"},"email":{"@if":{"exists":{"@path":"$.context.traits.email"},"then":{"@path":"$.context.traits.email"},"else":{"@path":"$.properties.email"}}},"phone":{"@if":{"exists":{"@path":"$.context.traits.phone"},"then":{"@path":"$.context.traits.phone"},"else":{"@path":"$.properties.phone"}}}}`
)

type cpuResult struct {
	Events            int                  `json:"events"`
	Reps              int                  `json:"reps"`
	PerEventMicros    map[string][]float64 `json:"perEventMicros"`
	MedianMicros      map[string]float64   `json:"medianMicros"`
	Agree             int                  `json:"agree"`
	RequestsOurs      int                  `json:"requestsOurs"`
	RequestsSeg       int                  `json:"requestsSeg"`
	DiffKeys          map[string]bodyDiff  `json:"diffKeys"`
	Sample            cpuSample            `json:"sample"`
	EventBytesMedian  float64              `json:"eventBytesMedian"`
	HandedBytesMedian float64              `json:"handedBytesMedian"`
	DeviceBytes       int                  `json:"deviceBytes"`      // the per-event device context (JSON)
	FullDeviceBytes   int                  `json:"fullDeviceBytes"`  // the context with the storage values, sent once
	SignalsBytes      int                  `json:"signalsBytes"`     // the legacy signals handed over once (JSON)
	FingerprintBytes  int                  `json:"fingerprintBytes"` // the fingerprint Go hashed at the hand-over
	Chunk             int                  `json:"chunk"`            // events timed between two untimed settles
	WasmMemory        int                  `json:"wasmMemory"`
}

// bodyDiff counts the events whose attach bodies differ at one key, with
// the first such pair of values (JSON).
type bodyDiff struct {
	Count   int    `json:"count"`
	Ours    string `json:"ours"`
	Segment string `json:"segment"`
}

type memResult struct {
	Initial     int `json:"initial"`
	AfterWarmup int `json:"afterWarmup"`
	AfterEvents int `json:"afterEvents"`
	AfterExtra  int `json:"afterExtra"`
	Warmup      int `json:"warmup"`
	Events      int `json:"events"`
	Extra       int `json:"extra"`
	Checkpoints []struct {
		Events int `json:"events"`
		Bytes  int `json:"bytes"`
	} `json:"checkpoints"`
}

// openCPUPage opens bench/testdata/pages/cpu.html in a fresh browser context.
func openCPUPage(bctx context.Context, s *benchServers, timeout time.Duration) (context.Context, func(), error) {
	tab, cancel := chromedp.NewContext(bctx, chromedp.WithNewBrowserContext())
	tab, cancelT := context.WithTimeout(tab, timeout)
	stop := func() { cancelT(); cancel() }
	if err := chromedp.Do(tab, chromedp.Navigate(s.site.URL+"/bench/pages/cpu.html")); err != nil {
		stop()
		return nil, nil, err
	}
	return tab, stop, nil
}

func runCPU(bctx context.Context, s *benchServers, events, reps int) (cpuResult, error) {
	tab, stop, err := openCPUPage(bctx, s, 15*time.Minute)
	if err != nil {
		return cpuResult{}, err
	}
	defer stop()
	js := fmt.Sprintf(`window.benchCPU({events: %d, reps: %d, subscribe: %q, mapping: %s})`, events, reps, benchSubscribe, benchMapping)
	return chromedp.Run(tab, chromedp.Evaluate[cpuResult](js, chromedp.EvalAwaitPromise))
}

func runMemory(bctx context.Context, s *benchServers, warmup, events, extra int, sameAccount bool) (memResult, error) {
	tab, stop, err := openCPUPage(bctx, s, 10*time.Minute)
	if err != nil {
		return memResult{}, err
	}
	defer stop()
	js := fmt.Sprintf(`window.benchMemory({warmup: %d, events: %d, extra: %d, sameAccount: %v, subscribe: %q, mapping: %s})`, warmup, events, extra, sameAccount, benchSubscribe, benchMapping)
	return chromedp.Run(tab, chromedp.Evaluate[memResult](js, chromedp.EvalAwaitPromise))
}

// startupResult is the Go side's start-up, step by step, in a cold page (ms).
type startupResult struct {
	FetchCompileInstantiate float64 `json:"fetchCompileInstantiate"`
	GoRun                   float64 `json:"goRun"`
	Configure               float64 `json:"configure"`
	FirstAttachDevice       float64 `json:"firstAttachDevice"`  // the first call: answers needs_device (no signals yet)
	FirstAttachRequest      float64 `json:"firstAttachRequest"` // the first call after the hand-over: builds a request
	WarmAttachDevice        float64 `json:"warmAttachDevice"`
	CollectSignals          float64 `json:"collectSignals"`
	MuteAndStringify        float64 `json:"muteAndStringify"`
	SignalsBytes            int     `json:"signalsBytes"`
	GoHashFirst             float64 `json:"goHashFirst"`
	GoHash                  float64 `json:"goHash"`
	WebCryptoHashFirst      float64 `json:"webCryptoHashFirst"`
	WebCryptoHash           float64 `json:"webCryptoHash"`
	HashesEqual             bool    `json:"hashesEqual"`
	HashReps                int     `json:"hashReps"`
}

func runStartup(bctx context.Context, s *benchServers, hashReps int) (startupResult, error) {
	tab, stop, err := openCPUPage(bctx, s, 5*time.Minute)
	if err != nil {
		return startupResult{}, err
	}
	defer stop()
	js := fmt.Sprintf(`window.benchStartup({hashReps: %d, subscribe: %q, mapping: %s})`, hashReps, benchSubscribe, benchMapping)
	return chromedp.Run(tab, chromedp.Evaluate[startupResult](js, chromedp.EvalAwaitPromise))
}
