package main

import (
	"fmt"
	"math"
	"strings"
)

// loadKeys are the sets of page loads of a run, in report order: cold
// before repeat, then by rate, ours before Segment's.
func loadKeys(res *results) []loadKey {
	var keys []loadKey
	for _, repeat := range []bool{false, true} {
		for _, rate := range res.Rates {
			for _, v := range []string{"ours", "segment"} {
				k := loadKey{v, rate, repeat}
				if len(res.Loads[k]) > 0 {
					keys = append(keys, k)
				}
			}
		}
	}
	return keys
}

func pathName(v string) string {
	if v == "ours" {
		return "ours"
	}
	return "Segment path"
}

func keyName(k loadKey) string {
	fig := "cold load"
	if k.Repeat {
		fig = "repeat visit"
	}
	return fmt.Sprintf("%s, %s, %s", pathName(k.Variant), fig, rateName(k.Rate))
}

func runName(r loadRun) string {
	return fmt.Sprintf("%s run %d", keyName(loadKey{r.Variant, r.Rate, r.Repeat}), r.Run)
}

func joinMs(xs []float64) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = fmt.Sprintf("%.1f", x)
	}
	if len(parts) == 0 {
		return "–"
	}
	return strings.Join(parts, ", ")
}

func msOrDash(ok bool, v float64) string {
	if !ok {
		return "–"
	}
	return fmt.Sprintf("%.1f", v)
}

// renderLoads writes the page-load sections of the results file: every
// load, every long task with its attribution, the waterfalls, the code
// cache checks and the traced loads.
func renderLoads(b *strings.Builder, res *results) {
	w := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	w("## Page loads (figures 2–4)\n\n")
	w("All times in ms from navigation start unless said otherwise. \"to destinations\" is when analytics.js handed the page view to a probe destination. SPA (our part): the plugin's page() → the attach request's startTime, per SPA page view. Compile: the first WebAssembly compile or instantiate call → the instance (instantiateStreaming, or compileStreaming and then instantiate once the hash matches); after download: resolved − max(called, the .wasm's response end). Go calls: the three longest calls into Go (export, start → duration). JS calibration: a fixed JS loop after the load, in the throttled page.\n\n")
	for _, k := range loadKeys(res) {
		w("### %s\n\n", keyName(k))
		w("| run | nav → attach | cross-check | clock RTT | nav → to destinations | SPA, our part (5) | SPA, page() → plugin (5) | long tasks | long total | ours (Go or compile) | destination's JS | Go time (calls) | longest Go calls | compile | after download | .wasm from | signed in at plugin load | JS calibration |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n")
		for _, r := range res.Loads[k] {
			gt, top := "–", "–"
			if r.GoCount > 0 {
				gt = fmt.Sprintf("%.1f (%d)", r.GoTotal, r.GoCount)
				var parts []string
				for _, c := range r.TopGo {
					parts = append(parts, fmt.Sprintf("%s %.0f → %.1f", c.Name, c.Start, c.Duration))
				}
				top = strings.Join(parts, "; ")
			}
			_, hasCompile := r.Waterfall["compile"]
			w("| %d | %.1f | %.1f | %.2f | %.1f | %s | %s | %d | %.0f | %d (%.0f ms) | %d (%.0f ms) | %s | %s | %s | %s | %s | %s | %.1f |\n",
				r.Run, r.NavToAtt, r.NavToAtt2, r.ClockRTT, r.ProbeLoad, joinMs(r.HandToFetch), joinMs(r.SPAShare), r.LongCount, r.LongTotal, r.WasmLong, r.WasmLongMs, r.DestLong, r.DestLongMs,
				gt, top, msOrDash(hasCompile, r.Compile), msOrDash(hasCompile, r.CompileTail), orDash(r.WasmFrom), orDash(r.SignedIn), r.Calib)
		}
		w("\n")
	}

	w("### Long tasks\n\n")
	w("Start and duration in ms from navigation start. Go: time inside Go within the task (exact: Go runs on the main thread only inside the timed exports). At instantiate: the task contains the moment WebAssembly.instantiateStreaming or instantiate resolved (V8 instantiates the module in that task, then the shim starts Go in it). In WASM load: the task overlaps a compile or instantiate window. Rendering: time in the rendering phase of overlapping long animation frames. Scripts: long-animation-frame script entries overlapping the task (script ← invoker, overlap); \"(no script URL)\" is a callback without a script URL (a promise resumed by setTimeout(resolve), as the shim's and the SDK's task breaks do); \"(the awaiting collector, …)\" is a collector's work after an API instrument.js times (its reaction runs first, so the frame names instrument.js). Ours: counted as Go or its compile (the target); why: the rule that decided (Go ≥ 50 ms; Go ≥ half; instantiation: the instantiate promise resolved in the task and scripts are under half; compile window: overlaps a compile or instantiate window with scripts and rendering each under half; the destination's JS: not ours by those rules, but mostly the destination's own scripts, info only; Go ≥ 50 ms, a task the page did not report: a call into Go of 50 ms or more that no observed long task contains, since Go runs inside one task the call proves a long one, which the Long Tasks API did not report (the traced loads show Go's start in such a task), listed with the Go call's duration, a lower bound).\n\n")
	w("| loads | run | start | duration | Go | at instantiate | in WASM load | rendering | scripts | ours (Go or compile) | why |\n|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, k := range loadKeys(res) {
		for _, r := range res.Loads[k] {
			for _, a := range r.Attributed {
				w("| %s | %d | %.0f | %.0f | %.1f | %v | %v | %.0f | %s | %v | %s |\n", keyName(k), a.Run, a.Start, a.Duration, a.GoMs, a.AtInstance, a.InWasmLoad, a.RenderMs, strings.ReplaceAll(strings.Join(a.Scripts, "; "), "|", "\\|"), a.FromWasm, a.Why)
			}
		}
	}
	w("\n")

	w("## Waterfalls of the first attach\n\n")
	w("Per path, figure and CPU rate: each step's median start and end (ms from navigation start, over the loads that had the step) and median duration, what the step waits on, and a bar over the median total. Steps come from resource timing, the load events of the scripts, instrument.js's wrappers (the plugin factory and the hand-overs, Rupt.attach, the collectors' browser APIs, JSON.stringify of large texts) and the timed calls into Go (named by operation). The signal rows are bounded by the browser APIs the collectors call; the shim itself has no marks, so \"signal collection\" ends when the signals reach Go (deviceSignals), one task after the collectors finished.\n\n")
	for _, repeat := range []bool{false, true} {
		for _, rate := range res.Rates {
			for _, v := range []string{"ours", "segment"} {
				k := loadKey{v, rate, repeat}
				runs := res.Loads[k]
				if len(runs) == 0 {
					continue
				}
				w("### %s (median of %d)\n\n", keyName(k), len(runs))
				w("%s\n", renderWaterfall(v, runs))
			}
		}
	}

	if len(res.CacheChecks) > 0 {
		w("## V8's WebAssembly code cache (repeat visits)\n\n")
		w("Traced visits of ours on its repeat-visit profile (not counted in any figure). Blink's trace events: streamFromResponseCallback (a streaming compile of the response began), compiledModule (compiled, no cache used), cachedModule (code handed to the cache: how many times, the largest size, and the first one's time after the compile began), moduleCacheHit (the module came from the cache; size), moduleCacheInvalid (a cache entry could not be used). Compile after download and Go's start are the same visit's page figures.\n\n")
		w("| visit | .wasm from | streamed | compiled | cached (largest, first after) | cache hit (bytes) | invalid | compile after download | Go's start | trace |\n|---|---|---|---|---|---|---|---|---|---|\n")
		for _, c := range res.CacheChecks {
			cached := fmt.Sprintf("%d", c.Cached)
			if c.Cached > 0 {
				cached = fmt.Sprintf("%d (%.0f B, %.0f ms)", c.Cached, c.CachedBytes, c.CachedAfterMs)
			}
			hit := fmt.Sprintf("%d", c.Hit)
			if c.Hit > 0 {
				hit = fmt.Sprintf("%d (%.0f B)", c.Hit, c.HitBytes)
			}
			w("| %s | %s | %d | %d | %s | %s | %d | %.1f ms | %.1f ms | %s |\n", c.Visit, orDash(c.From), c.Streamed, c.Compiled, cached, hit, c.Invalid, c.WasmCompileMs, c.GoStartFirstMs, orDash(c.TraceFile))
		}
		w("\n")
	}

	if len(res.Traced) > 0 {
		w("## Traced cold loads (not counted)\n\n")
		w("One more cold load per path and rate with a Chrome trace running (tracing slows the page). Each long task of the renderer's main thread (RunTask ≥ 50 ms) with its time split by the trace events inside it (self time, ms), beside what instrument.js's attribution said of the task that started within 2 ms of it. The trace shows what the page cannot: compile, instantiation, GC, layout and parsing work with no script.\n\n")
		for _, t := range res.Traced {
			w("### %s, %s\n\n", pathName(t.Variant), rateName(t.Rate))
			if t.Err != "" {
				w("Failed: %s\n\n", t.Err)
				continue
			}
			if t.TraceFile != "" {
				w("Trace: `%s`\n\n", t.TraceFile)
			}
			w("| start | duration | in the trace (self ms) | instrument.js: Go, scripts → ours? |\n|---|---|---|---|\n")
			for _, task := range t.Tasks {
				page := "no long task reported by the page"
				for _, a := range t.Page {
					if math.Abs(a.Start-task.Start) <= 2 {
						page = fmt.Sprintf("Go %.0f; %s → %v (%s)", a.GoMs, strings.Join(a.Scripts, "; "), a.FromWasm, a.Why)
						break
					}
				}
				w("| %.0f | %.0f | %s | %s |\n", task.Start, task.Duration, strings.ReplaceAll(strings.Join(task.Parts, "; "), "|", "\\|"), strings.ReplaceAll(page, "|", "\\|"))
			}
			w("\n")
		}
	}
}
