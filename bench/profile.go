package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/profiler"
	"github.com/chromedp/chromedp"
)

// profileEntry is one function's share of the samples of a profile.
type profileEntry struct {
	Name    string  `json:"name"`
	Kind    string  `json:"kind"` // "Go (WASM)", "JS", "V8" (the garbage collector, the engine's own work)
	Percent float64 `json:"percent"`
}

// profileResult is where figure 5's time goes: V8's sampling profile of
// the "ours" variant, self time per function.
type profileResult struct {
	File    string             `json:"file"`
	Events  int                `json:"events"`
	Samples int                `json:"samples"`
	ByKind  map[string]float64 `json:"byKind"`
	Top     []profileEntry     `json:"top"`
}

// namedWasm builds the .wasm as build.sh does but keeps the "name"
// section (no -s -w), so a profile names Go's functions. The code is the
// same: a custom section does not change what runs.
func namedWasm(e *env) (string, error) {
	out := filepath.Join(e.dist, "rupt-actions.named.wasm")
	cmd := exec.Command("go", "build", "-trimpath", "-o", out, "./wasm")
	cmd.Dir = e.root
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("named wasm build: %v: %s", err, b)
	}
	return "/dist/" + filepath.Base(out), nil
}

// runProfile runs the "ours" variant of figure 5 (events × reps) on the
// named build under V8's sampling profiler (100 µs interval), writes the
// profile to path (open it in Chromium's DevTools, Performance panel) and
// summarises self time per function.
func runProfile(e *env, bctx context.Context, s *benchServers, path string, events, reps int) (profileResult, error) {
	res := profileResult{File: path, Events: events * reps}
	wasmURL, err := namedWasm(e)
	if err != nil {
		return res, err
	}
	tab, stop, err := openCPUPage(bctx, s, 10*time.Minute)
	if err != nil {
		return res, err
	}
	defer stop()
	js := fmt.Sprintf(`window.benchCPU({events: %d, reps: %d, subscribe: %q, mapping: %s, wasm: %q, only: ["ours"]})`, events, reps, benchSubscribe, benchMapping, wasmURL)
	if _, err := chromedp.Call(tab, profiler.Enable, cdp.Empty{}); err != nil {
		return res, err
	}
	if _, err := chromedp.Call(tab, profiler.SetSamplingInterval, profiler.SetSamplingIntervalParams{Interval: 100}); err != nil {
		return res, err
	}
	if _, err := chromedp.Call(tab, profiler.Start, cdp.Empty{}); err != nil {
		return res, err
	}
	if _, err := chromedp.Run(tab, chromedp.Evaluate[cpuResult](js, chromedp.EvalAwaitPromise)); err != nil {
		return res, err
	}
	stopped, err := chromedp.Call(tab, profiler.Stop, cdp.Empty{})
	if err != nil {
		return res, err
	}
	prof := stopped.Profile
	raw, err := json.Marshal(prof)
	if err != nil {
		return res, err
	}
	if err := os.WriteFile(path, raw, 0o644); err != nil {
		return res, err
	}
	// Only the timed part: samples whose stack holds the variant's run
	// function (cpu.js), not the page's setup, relabelling or checks.
	parent := map[int64]int64{}
	byID := map[int64]*profiler.ProfileNode{}
	for _, n := range prof.Nodes {
		byID[n.ID] = n
		for _, c := range n.Children {
			parent[c] = n.ID
		}
	}
	timed := func(id int64) bool {
		for ; id != 0; id = parent[id] {
			if n := byID[id]; n != nil && n.CallFrame.FunctionName == "run" && strings.HasSuffix(n.CallFrame.URL, "/cpu.js") {
				return true
			}
		}
		return false
	}
	self := map[int64]int{}
	for _, id := range prof.Samples {
		if timed(id) {
			self[id]++
		}
	}
	byName := map[string]int{}
	kinds := map[string]string{}
	res.ByKind = map[string]float64{}
	for _, n := range prof.Nodes {
		c := self[n.ID]
		if c == 0 {
			continue
		}
		name, kind := n.CallFrame.FunctionName, "JS"
		switch {
		case strings.HasSuffix(n.CallFrame.URL, ".wasm") || strings.HasPrefix(n.CallFrame.URL, "wasm://") || strings.Contains(name, "wasm-function"):
			kind = "Go (WASM)"
		case name == "(idle)" || name == "(program)" || name == "(root)":
			kind = "idle or outside JS"
		case strings.HasPrefix(name, "("):
			kind = "V8"
		}
		if name == "" {
			name = "(anonymous) " + shortURL(n.CallFrame.URL)
		}
		byName[name] += c
		kinds[name] = kind
		res.Samples += c
	}
	for name, c := range byName {
		pct := 100 * float64(c) / float64(res.Samples)
		res.ByKind[kinds[name]] += pct
		res.Top = append(res.Top, profileEntry{Name: name, Kind: kinds[name], Percent: pct})
	}
	sort.Slice(res.Top, func(i, j int) bool { return res.Top[i].Percent > res.Top[j].Percent })
	if len(res.Top) > 30 {
		res.Top = res.Top[:30]
	}
	return res, nil
}
