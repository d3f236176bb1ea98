package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/tracing"
	"github.com/chromedp/chromedp"
)

// traceEvent is one Chrome trace event (the JSON trace format).
type traceEvent struct {
	Name string          `json:"name"`
	Cat  string          `json:"cat"`
	Ph   string          `json:"ph"`
	Ts   float64         `json:"ts"`  // µs, trace clock
	Dur  float64         `json:"dur"` // µs, complete events ("X")
	Pid  int             `json:"pid"`
	Tid  int             `json:"tid"`
	Args json.RawMessage `json:"args"`
}

// The categories of a trace: the devtools timeline (tasks, script
// evaluation, function calls, layout, the WebAssembly streaming and code
// cache events), V8's own (compile, GC) and the page's user timing marks
// (performance.mark from instrument.js, used to align the trace with the
// page clock).
var traceCategories = []string{
	"devtools.timeline", "disabled-by-default-devtools.timeline",
	"v8", "v8.wasm", "disabled-by-default-v8.compile", "v8.execute",
	"blink.user_timing", "toplevel", "loading", "__metadata",
}

// startTrace starts a trace on the tab of ctx (a chromedp context that has
// run once) and returns the function that ends it and returns its events.
// Tracing costs the page time: traced loads are never counted in a figure.
func startTrace(ctx context.Context) (func() ([]traceEvent, error), error) {
	var mu sync.Mutex
	var raw [][]byte
	complete := make(chan struct{})
	var once sync.Once
	if err := chromedp.Listen(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *tracing.EventDataCollected:
			mu.Lock()
			for _, v := range ev.Value {
				raw = append(raw, append([]byte(nil), v...))
			}
			mu.Unlock()
		case *tracing.EventTracingComplete:
			once.Do(func() { close(complete) })
		}
	}); err != nil {
		return nil, err
	}
	if _, err := chromedp.Call(ctx, tracing.Start, tracing.StartParams{
		TransferMode: tracing.StartTransferModeReportEvents,
		TraceConfig:  &tracing.TraceConfig{IncludedCategories: traceCategories, RecordMode: tracing.TraceConfigRecordModeRecordUntilFull},
	}); err != nil {
		return nil, fmt.Errorf("tracing.start: %w", err)
	}
	return func() ([]traceEvent, error) {
		if _, err := chromedp.Call(ctx, tracing.End, cdp.Empty{}); err != nil {
			return nil, fmt.Errorf("tracing.end: %w", err)
		}
		select {
		case <-complete:
		case <-time.After(60 * time.Second):
			return nil, fmt.Errorf("tracing: no tracingComplete within 60 s")
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		mu.Lock()
		defer mu.Unlock()
		evs := make([]traceEvent, 0, len(raw))
		for _, b := range raw {
			var e traceEvent
			if json.Unmarshal(b, &e) == nil {
				evs = append(evs, e)
			}
		}
		return evs, nil
	}, nil
}

// writeTrace saves events as a trace file chrome://tracing and the DevTools
// performance panel open.
func writeTrace(path string, evs []traceEvent) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	b, err := json.Marshal(map[string]any{"traceEvents": evs})
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

// wasmCacheEvents are the trace events Blink emits around a streaming
// WebAssembly compile (third_party/blink/.../wasm_response_extensions.cc,
// the names the DevTools performance panel shows):
//
//	v8.wasm.streamFromResponseCallback  a streaming compile of a Response began
//	v8.wasm.compiledModule              the module was compiled (no cache used)
//	v8.wasm.cachedModule                the compiled code was written to the code cache (args: producedCacheSize)
//	v8.wasm.moduleCacheHit              the module came from the code cache (args: consumedCacheSize)
//	v8.wasm.moduleCacheInvalid          a cache entry existed but could not be used
type wasmCacheCheck struct {
	Visit          string
	Streamed       int     // v8.wasm.streamFromResponseCallback
	Compiled       int     // v8.wasm.compiledModule
	Cached         int     // v8.wasm.cachedModule
	CachedBytes    float64 // its producedCacheSize
	CachedAfterMs  float64 // after the streaming compile began
	Hit            int     // v8.wasm.moduleCacheHit
	HitBytes       float64 // its consumedCacheSize
	Invalid        int     // v8.wasm.moduleCacheInvalid
	URLs           []string
	TraceFile      string
	DwellMs        float64
	WasmCompileMs  float64 // the page's compile after the download, same visit
	GoStartFirstMs float64 // Go's run export, same visit
	From           string  // where the .wasm came from (resource timing)
}

func checkWasmCache(evs []traceEvent) wasmCacheCheck {
	var c wasmCacheCheck
	var streamTs float64
	seen := map[string]bool{}
	for _, e := range evs {
		if !strings.HasPrefix(e.Name, "v8.wasm.") {
			continue
		}
		var args struct {
			URL               string  `json:"url"`
			ProducedCacheSize float64 `json:"producedCacheSize"`
			ConsumedCacheSize float64 `json:"consumedCacheSize"`
		}
		json.Unmarshal(e.Args, &args)
		if args.URL != "" && !seen[args.URL] {
			seen[args.URL] = true
			c.URLs = append(c.URLs, args.URL)
		}
		switch e.Name {
		case "v8.wasm.streamFromResponseCallback":
			c.Streamed++
			if streamTs == 0 {
				streamTs = e.Ts
			}
		case "v8.wasm.compiledModule":
			c.Compiled++
		case "v8.wasm.cachedModule":
			c.Cached++
			c.CachedBytes = math.Max(c.CachedBytes, args.ProducedCacheSize)
			if streamTs > 0 && c.CachedAfterMs == 0 {
				c.CachedAfterMs = (e.Ts - streamTs) / 1000
			}
		case "v8.wasm.moduleCacheHit":
			c.Hit++
			c.HitBytes += args.ConsumedCacheSize
		case "v8.wasm.moduleCacheInvalid":
			c.Invalid++
		}
	}
	return c
}

// mainThread finds the renderer main thread of the page in a trace: the
// thread that recorded the page's bench:sync mark (instrument.js).
func mainThread(evs []traceEvent) (pid, tid int, syncTs float64, ok bool) {
	for _, e := range evs {
		if e.Name == "bench:sync" && (e.Ph == "R" || e.Ph == "I" || e.Ph == "i" || e.Ph == "b" || e.Ph == "n") {
			return e.Pid, e.Tid, e.Ts, true
		}
	}
	return 0, 0, 0, false
}

// traceTask is one long task of the main thread as the trace shows it,
// with its time split over what ran inside (the deepest named event at
// each instant, so nested events are not counted twice).
type traceTask struct {
	Start, Duration float64 // page ms
	Parts           []string
}

// traceLongTasks lists the main thread's tasks of 50 ms or more, with
// their time split by the event names inside them (self time). syncNow is
// the page's performance.now() at its bench:sync mark.
func traceLongTasks(evs []traceEvent, syncNow float64) []traceTask {
	pid, tid, syncTs, ok := mainThread(evs)
	if !ok {
		return nil
	}
	toPage := func(ts float64) float64 { return (ts-syncTs)/1000 + syncNow }
	var onThread []traceEvent
	for _, e := range evs {
		if e.Pid == pid && e.Tid == tid && e.Ph == "X" {
			onThread = append(onThread, e)
		}
	}
	sort.Slice(onThread, func(i, j int) bool {
		if onThread[i].Ts != onThread[j].Ts {
			return onThread[i].Ts < onThread[j].Ts
		}
		return onThread[i].Dur > onThread[j].Dur
	})
	var tasks []traceTask
	for i, e := range onThread {
		if e.Name != "RunTask" || e.Dur < 50000 {
			continue
		}
		end := e.Ts + e.Dur
		// Self time by name: walk the events inside the task.
		self := map[string]float64{}
		var stack []traceEvent
		stack = append(stack, e)
		self[label(e)] += e.Dur
		for _, c := range onThread[i+1:] {
			if c.Ts >= end {
				break
			}
			for len(stack) > 0 && c.Ts >= stack[len(stack)-1].Ts+stack[len(stack)-1].Dur {
				stack = stack[:len(stack)-1]
			}
			if len(stack) == 0 {
				break
			}
			parent := stack[len(stack)-1]
			d := c.Dur
			if c.Ts+d > parent.Ts+parent.Dur {
				d = parent.Ts + parent.Dur - c.Ts
			}
			self[label(parent)] -= d
			self[label(c)] += d
			stack = append(stack, c)
		}
		type kv struct {
			k string
			v float64
		}
		var parts []kv
		for k, v := range self {
			if v >= 1000 {
				parts = append(parts, kv{k, v})
			}
		}
		sort.Slice(parts, func(a, b int) bool { return parts[a].v > parts[b].v })
		t := traceTask{Start: toPage(e.Ts), Duration: e.Dur / 1000}
		for _, p := range parts {
			t.Parts = append(t.Parts, fmt.Sprintf("%s %.0f", p.k, p.v/1000))
		}
		tasks = append(tasks, t)
	}
	return tasks
}

// label names a trace event for the long-task split: the event name, and
// for script events the script's file.
func label(e traceEvent) string {
	switch e.Name {
	case "FunctionCall", "EvaluateScript", "v8.compile", "TimerFire", "EventDispatch", "v8.run":
		var a struct {
			Data struct {
				URL          string `json:"url"`
				FunctionName string `json:"functionName"`
				Type         string `json:"type"`
			} `json:"data"`
			FileName string `json:"fileName"`
		}
		json.Unmarshal(e.Args, &a)
		u := a.Data.URL
		if u == "" {
			u = a.FileName
		}
		if u != "" {
			return e.Name + "(" + shortURL(u) + ")"
		}
		if a.Data.Type != "" {
			return e.Name + "(" + a.Data.Type + ")"
		}
	}
	return e.Name
}
