package main

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"testing"
)

// Targets, from issue 6.
const (
	targetSize = 1.12 // ≤ × floor (brotli)
	targetNav  = 0.9  // ≤ × Segment path
	targetSPA  = 0.05 // ≤ × Segment path
	targetCPU  = 1.0  // ≤ × Segment's JS runtime
)

type row struct {
	fig, figure, ours, base, ratio, target, met string
}

func kib(n int) string {
	if n < 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.1f KiB", float64(n)/1024)
}

func ratio(a, b float64) (string, float64) {
	if b == 0 || math.IsNaN(a) || math.IsNaN(b) {
		return "–", math.NaN()
	}
	r := a / b
	return fmt.Sprintf("%.2f×", r), r
}

func yesNo(ok bool) string {
	if ok {
		return "yes"
	}
	return "**no**"
}

func ms(v float64) string { return fmt.Sprintf("%.1f ms", v) }

// loadFigures summarises the page loads of one variant.
type loadFigures struct {
	n                        int
	nav, spa                 float64 // medians
	longCount, longTime      float64 // medians per load
	wasmLong                 int     // over all runs
	longAll                  int
	probeLoad, probeSPA      float64 // medians: analytics.js hands the page view to destinations
	handToFetch, fetchToRecv float64 // medians, SPA: hand-over → request started → received
}

func summarise(runs []loadRun) loadFigures {
	var f loadFigures
	var nav, spa, cnt, tot, pl, ps, hf, fr []float64
	for _, r := range runs {
		hf = append(hf, r.HandToFetch...)
		fr = append(fr, r.FetchToRecv...)
		if len(r.ProbeSPA) > 0 {
			pl = append(pl, r.ProbeLoad)
			ps = append(ps, r.ProbeSPA...)
		}
		nav = append(nav, r.NavToAtt)
		spa = append(spa, r.SPA...)
		cnt = append(cnt, float64(r.LongCount))
		tot = append(tot, r.LongTotal)
		f.wasmLong += r.WasmLong
		f.longAll += r.LongCount
	}
	f.n = len(runs)
	f.nav, f.spa, f.longCount, f.longTime = median(nav), median(spa), median(cnt), median(tot)
	f.probeLoad, f.probeSPA = median(pl), median(ps)
	f.handToFetch, f.fetchToRecv = median(hf), median(fr)
	return f
}

func tableRows(res *results) []row {
	var rows []row
	if res.CPUOnly {
		rows = append(rows, row{"1–4", "sizes and page loads", "not run (-cpu-only)", "–", "–", "", "–"})
	} else {
		rows = append(rows, sizeAndLoadRows(res)...)
	}
	rows = append(rows, startupRow(res)...)
	rows = append(rows, cpuAndMemoryRows(res)...)
	if res.CPUOnly {
		rows = append(rows, row{"7", "native benchmarks", "not run (-cpu-only)", "–", "–", "report", "–"})
	}
	return rows
}

// sizeAndLoadRows are figures 1 to 4.
func sizeAndLoadRows(res *results) []row {
	var rows []row
	// 1. sizes
	o, fl := res.Sizes.Ours.total(), res.Sizes.Floor.total()
	if res.Sizes.BrotliOK {
		rs, r := ratio(float64(o.Brotli), float64(fl.Brotli))
		rows = append(rows, row{"1", "transfer size, wasm + shim JS, brotli -q 11", kib(o.Brotli), kib(fl.Brotli) + " (gjson floor + wasm_exec.js)", rs, fmt.Sprintf("≤ %.2f×", targetSize), yesNo(r <= targetSize)})
		rt := res.Sizes.Runtime.total()
		rs, _ = ratio(float64(o.Brotli), float64(rt.Brotli))
		rows = append(rows, row{"1", "  (info) the same against the Go runtime alone (empty main + wasm_exec.js)", kib(o.Brotli), kib(rt.Brotli), rs, "–", "–"})
	} else {
		rows = append(rows, row{"1", "transfer size, wasm + shim JS, brotli", "unavailable", "unavailable", "–", fmt.Sprintf("≤ %.2f×", targetSize), "unmeasured (install brotli: apt-get install -y brotli)"})
	}
	rs, _ := ratio(float64(o.Gzip), float64(fl.Gzip))
	rows = append(rows, row{"1", "transfer size, wasm + shim JS, gzip -9", kib(o.Gzip), kib(fl.Gzip), rs, "report", "–"})

	// 2-4. page loads
	ours, seg := summarise(res.Loads["ours"]), summarise(res.Loads["segment"])
	if ours.n > 0 && seg.n > 0 {
		rs, r := ratio(ours.nav, seg.nav)
		rows = append(rows, row{"2", fmt.Sprintf("navigation start → first attach received, median of %d/%d loads", ours.n, seg.n), ms(ours.nav), ms(seg.nav) + " (Segment path)", rs, fmt.Sprintf("≤ %.2f×", targetNav), yesNo(r <= targetNav)})
		rows = append(rows, row{"2", "  (info) of which analytics.js: navigation start → page view handed to destinations", ms(ours.probeLoad), ms(seg.probeLoad), "–", "–", "–"})
		rs, r = ratio(ours.spa, seg.spa)
		rows = append(rows, row{"3", fmt.Sprintf("SPA: pushState + analytics.page() → attach received, median of %d/%d", ours.n*spaNavigations, seg.n*spaNavigations), ms(ours.spa), ms(seg.spa), rs, fmt.Sprintf("≤ %.2f×", targetSPA), yesNo(r <= targetSPA)})
		rows = append(rows, row{"3", "  (info) of which analytics.js: analytics.page() → page view handed to destinations", ms(ours.probeSPA), ms(seg.probeSPA), "–", "–", "–"})
		rows = append(rows, row{"3", "  (info) then: page view handed to destinations → attach request started (resource timing)", ms(ours.handToFetch), ms(seg.handToFetch), "–", "–", "–"})
		rows = append(rows, row{"3", "  (info) then: attach request started → received by the server", ms(ours.fetchToRecv), ms(seg.fetchToRecv), "–", "–", "–"})
		rs, _ = ratio(ours.longCount, seg.longCount)
		fewer := ours.longCount < seg.longCount || (ours.longCount == 0 && seg.longCount == 0)
		rows = append(rows, row{"4", "long tasks (> 50 ms), load + 5 SPA navigations: count, median per load", fmt.Sprintf("%.1f", ours.longCount), fmt.Sprintf("%.1f", seg.longCount), rs, "fewer than baseline", yesNo(fewer)})
		rs, _ = ratio(ours.longTime, seg.longTime)
		rows = append(rows, row{"4", "long tasks: total duration, median per load", ms(ours.longTime), ms(seg.longTime), rs, "less than baseline", yesNo(ours.longTime < seg.longTime || (ours.longTime == 0 && seg.longTime == 0))})
		rows = append(rows, row{"4", fmt.Sprintf("long tasks attributed to the WASM (Go or its compile), all %d loads", ours.n), fmt.Sprintf("%d of %d", ours.wasmLong, ours.longAll), "–", "–", "none", yesNo(ours.wasmLong == 0)})
	} else {
		rows = append(rows, row{"2–4", "page-load figures", "unmeasured", "unmeasured", "–", "", "see errors"})
	}
	return rows
}

// startupRow is the hash comparison of the start-up diagnostics (an info
// row under figure 4).
func startupRow(res *results) []row {
	var rows []row
	if len(res.Startup) > 0 {
		var g, wc []float64
		equal := true
		for _, st := range res.Startup {
			g = append(g, st.GoHash)
			wc = append(wc, st.WebCryptoHash)
			equal = equal && st.HashesEqual
		}
		rs, _ := ratio(median(g), median(wc))
		same := "same hash"
		if !equal {
			same = "**hashes differ**"
		}
		rows = append(rows, row{"4", fmt.Sprintf("  (info) fingerprint hash of the muted signals (%d KB JSON): Go (ours, deviceSignals) vs @ruptjs/fingerprint getFuzzyHash (WebCrypto), warm median", res.Startup[0].SignalsBytes/1000), ms(median(g)), ms(median(wc)), rs, "–", same})
	}
	return rows
}

// cpuAndMemoryRows are figures 5 to 7.
func cpuAndMemoryRows(res *results) []row {
	var rows []row
	// 5. per-event CPU
	if c := res.CPU; c != nil {
		m := c.MedianMicros
		rs, r := ratio(m["ours"], m["segment"])
		rows = append(rows, row{"5", fmt.Sprintf("per-event CPU, subscription + mapping + request build: one attachDevice call, signals handed over once (median of %d × %d events)", c.Reps, c.Events), fmt.Sprintf("%.2f µs", m["ours"]), fmt.Sprintf("%.2f µs", m["segment"]) + " (Segment JS, FQL parsed once)", rs, fmt.Sprintf("≤ %.2f×", targetCPU), yesNo(r <= targetCPU)})
		rs, _ = ratio(m["oursGoOnly"], m["segmentParseEach"])
		rows = append(rows, row{"5", "  (info) the Go call alone vs Segment's runtime as shipped (parseFql every event)", fmt.Sprintf("%.2f µs", m["oursGoOnly"]), fmt.Sprintf("%.2f µs", m["segmentParseEach"]), rs, "–", "–"})
		if n := res.Native; n != nil {
			nat := float64(n.FullCall.NsPerOp()) / 1000
			rs, _ = ratio(m["oursGoOnly"], nat)
			rows = append(rows, row{"5", "  (info) the Go call in the browser (WASM) vs the same work natively (device context decode + Evaluate + answer and bodies framed; baseline column = native)", fmt.Sprintf("%.2f µs", m["oursGoOnly"]), fmt.Sprintf("%.2f µs native", nat), rs, "–", "–"})
		}
	} else {
		rows = append(rows, row{"5", "per-event CPU", "unmeasured", "unmeasured", "–", fmt.Sprintf("≤ %.2f×", targetCPU), "see errors"})
	}

	// 6. memory
	if mm := res.Mem; mm != nil {
		growth := mm.AfterEvents - mm.AfterWarmup
		rows = append(rows, row{"6", fmt.Sprintf("WASM linear memory after %d warm-up page events → after %d more (each event a new account, as in figure 5)", mm.Warmup, mm.Events), fmt.Sprintf("%s → %s (%+d B)", kib(mm.AfterWarmup), kib(mm.AfterEvents), growth), "–", "–", "no growth", yesNo(growth == 0)})
		g := mm.AfterExtra - mm.AfterWarmup
		rows = append(rows, row{"6", fmt.Sprintf("  (info) the same, continued to %d events", mm.Events+mm.Extra), fmt.Sprintf("%s → %s (%+d B)", kib(mm.AfterWarmup), kib(mm.AfterExtra), g), "–", "–", "no growth", yesNo(g == 0)})
		if ms := res.MemSame; ms != nil {
			g := ms.AfterEvents - ms.AfterWarmup
			g2 := ms.AfterExtra - ms.AfterWarmup
			rows = append(rows, row{"6", fmt.Sprintf("  (info) one signed-in account on 7 paths: after %d / %d events", ms.Events, ms.Events+ms.Extra), fmt.Sprintf("%s → %s / %s (%+d B / %+d B)", kib(ms.AfterWarmup), kib(ms.AfterEvents), kib(ms.AfterExtra), g, g2), "–", "–", "no growth", yesNo(g == 0 && g2 == 0)})
		}
	} else {
		rows = append(rows, row{"6", "WASM linear memory", "unmeasured", "–", "–", "no growth", "see errors"})
	}

	// 7. native Go
	for _, b := range res.GoBench {
		rows = append(rows, row{"7", "native " + b.Name, fmt.Sprintf("%.0f ns/op, %.0f B/op, %.0f allocs/op", b.NsPerOp, b.BytesPerOp, b.AllocsPerOp), "–", "–", "report", "–"})
	}
	if res.GoErr != "" {
		first, _, _ := strings.Cut(res.GoErr, "\n")
		rows = append(rows, row{"7", "native benchmarks: " + first, "failed", "–", "–", "report", "see errors"})
	}
	return rows
}

func renderTable(res *results) string {
	var b strings.Builder
	b.WriteString("| # | figure | ours | baseline | ratio | target | met? |\n|---|---|---|---|---|---|---|\n")
	for _, r := range tableRows(res) {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s |\n", r.fig, r.figure, r.ours, r.base, r.ratio, r.target, r.met)
	}
	return b.String()
}

func renderResults(res *results, table string) string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	f := res.Facts
	w("# Benchmarks %s\n\n", strings.SplitN(f.Date, " ", 2)[0])
	w("Written by `go run ./bench` (`./build.sh bench`); methods in [bench/README.md](../README.md).\n\n")
	w("- date: %s\n- Go: %s\n- Chromium: %s\n- CPU: %s\n- OS: %s\n- load average: %s\n- commit: %s\n", f.Date, f.Go, f.Chromium, f.CPU, f.OS, f.Load, f.Commit)
	mode := "default"
	if res.Quick {
		mode = "quick (smoke)"
	}
	if res.CPUOnly {
		w("- mode: %s, -cpu-only (figures 5 and 6 and the start-up diagnostics; no sizes, page loads or native benchmarks)\n\n", mode)
	} else {
		w("- mode: %s, %d page loads per variant, each in a fresh browser context, %d SPA navigations each\n\n", mode, res.Runs, spaNavigations)
	}
	w("%s\n", table)

	w("## How each figure is measured (short; details in the README)\n\n")
	if !res.CPUOnly {
		w("1. Sizes of the built files: ours = dist/rupt-actions.wasm + dist/rupt-actions.js (snapshot at start); baseline = bench/floor (syscall/js + one `gjson.Get`) built now with `GOOS=js GOARCH=wasm go build %s` + Go's wasm_exec.js. gzip: %s; brotli: %s.\n", strings.Join(wasmFlags, " "), res.Sizes.GzipMethod, res.Sizes.BrotliMethod)
		w("2. Server receive time of the first POST /v2/device/attach (simulator's record) minus navigation start. Navigation start = the page's `performance.timeOrigin` converted to the server clock with an offset measured after the load (15 fetches of /bench/clock; the sample with the smallest round trip, NTP midpoint). Cross-check, clock-free: (attach time − document request time, both server clock) + the page's navigation `requestStart`.\n")
		w("3. Page clock just before `analytics.page()` (after `history.pushState`), converted with the same offset, to the server receive time of that attach; 5 per load, 300 ms apart after the previous attach.\n")
		w("4. `PerformanceObserver` 'longtask' (buffered), registered by the page's first script, over the load and the 5 SPA navigations (+1 s). Attribution: Go time inside the task (the instance's run, resume and rupt_call exports are timed), WebAssembly compile/instantiate windows, and long-animation-frame script entries.\n")
	}
	w("5. In one page, both runtimes on the same events: ours = one `attachDevice(id, event, context)` as jsbridge/src/runtime.js makes it (`JSON.stringify` of the event and of the device context {path, url, at, last_fingerprint}, the bound call of jsbridge/src/exports.js with the contract's operation table, `JSON.parse` of the answer, the request bodies put back) on dist/rupt-actions.wasm loaded with dist/wasm_exec.js, after the signals were handed over once with `deviceSignals` (the first attach before that answered `needs_device`, checked); every event has a new account and arrives 2.5 s after the one before (the context's `at`), so every event builds a request; timed in chunks of %d events, between which (untimed) Go gets Rupt's answer to each attach (`handleResponse`, 200); baseline = `validate(ast, event)` (AST from `parseFql` once), `transform(mapping, event)`, and the SDK's attach request (URL, headers, `JSON.stringify` body), esbuild-bundled from node_modules, timed in the same chunks. Interleaved repetitions after a 1,000-event warm-up; median µs per event.\n", cpuChunk(res))
	w("6. `instance.exports.mem.buffer.byteLength` after configure, the signals' hand-over and %d warm-up events, then after 10,000 more (each handled as the shim handles it: `attachDevice` with the device context, then `handleResponse` with Rupt's 200 answer; events 2.5 s apart).\n", res.MemWarmup)
	if res.GoCmd != "" {
		w("7. `%s`.\n", res.GoCmd)
	}
	w("\n")

	if !res.CPUOnly {
		// Sizes.
		w("## Sizes\n\n| side | file | raw | gzip -9 | brotli |\n|---|---|---|---|---|\n")
		for _, s := range []struct {
			name string
			set  sizeSet
		}{{"ours", res.Sizes.Ours}, {"floor (baseline)", res.Sizes.Floor}, {"Go runtime alone (context only)", res.Sizes.Runtime}, {"Segment path (context only)", res.Sizes.SegmentPath}} {
			for _, x := range append(s.set.Files, s.set.total()) {
				w("| %s | %s | %d B | %d B | %s |\n", s.name, x.Name, x.Raw, x.Gzip, bytesOrNA(x.Brotli))
			}
		}
		w("\nThe Segment path also loads the analytics.js it shares with ours; it is not counted on either side.\n\n")

		if res.Sizes.LayoutErr != "" {
			w("Byte attribution unavailable: %s\n\n", res.Sizes.LayoutErr)
		} else {
			ol, fl := res.Sizes.OursLayout, res.Sizes.FloorLayout
			w("## Where ours' bytes go\n\n")
			w("From builds of ./wasm and bench/floor with `-trimpath` only (the name section kept; the code is the same): ")
			w("ours %d B (code %d, data %d), floor %d B (code %d, data %d). Code bytes per package, largest first:\n\n", ol.Total, ol.Code, ol.Data, fl.Total, fl.Code, fl.Data)
			w("| package | ours code | floor code | ours − floor |\n|---|---|---|---|\n")
			for i, r := range res.Sizes.Packages {
				if i == 30 {
					break
				}
				w("| %s | %d | %d | %+d |\n", r.Package, r.Ours, r.Floor, r.Ours-r.Floor)
			}
			w("\nLargest functions of ours:\n\n| function | code bytes |\n|---|---|\n")
			for _, r := range res.Sizes.TopFunctions {
				w("| %s | %d |\n", r.Package, r.Ours)
			}
			w("\n")
		}

		// Page loads.
		w("## Page loads (figures 2–4)\n\n")
		w("All times in ms. \"to destinations\" is when analytics.js handed the page view to destinations (a probe destination on the page). Go calls: the three longest calls into Go (export, start → duration).\n\n")
		w("| variant | run | nav → attach | cross-check | clock RTT | nav → to destinations | SPA → attach (5) | SPA → to destinations | long tasks | long total | Go time (calls) | longest Go calls | WASM load window |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|\n")
		for _, v := range []string{"ours", "segment"} {
			for _, r := range res.Loads[v] {
				spa := make([]string, len(r.SPA))
				for i, x := range r.SPA {
					spa[i] = fmt.Sprintf("%.1f", x)
				}
				win := "–"
				for _, ww := range r.WasmLoad {
					if ww.End >= 0 {
						win = fmt.Sprintf("%s %.0f→%.0f ms", ww.Kind, ww.Start, ww.End)
					}
				}
				gt, top := "–", "–"
				if r.GoCount > 0 {
					gt = fmt.Sprintf("%.1f (%d)", r.GoTotal, r.GoCount)
					var parts []string
					for _, c := range r.TopGo {
						parts = append(parts, fmt.Sprintf("%s %.0f → %.1f", c.Name, c.Start, c.Duration))
					}
					top = strings.Join(parts, "; ")
				}
				pspa := make([]string, len(r.ProbeSPA))
				for i, x := range r.ProbeSPA {
					pspa[i] = fmt.Sprintf("%.1f", x)
				}
				w("| %s | %d | %.1f | %.1f | %.2f | %.1f | %s | %s | %d | %.0f | %s | %s | %s |\n", v, r.Run, r.NavToAtt, r.NavToAtt2, r.ClockRTT, r.ProbeLoad, strings.Join(spa, ", "), strings.Join(pspa, ", "), r.LongCount, r.LongTotal, gt, top, win)
			}
		}
		w("\n### Long tasks\n\nStart and duration in ms from navigation start. \"Go\" is time spent inside Go within the task; \"in WASM load\" means a WebAssembly compile/instantiate window was open; scripts are long-animation-frame script entries overlapping the task (script ← invoker, overlap).\n\n")
		w("| variant | run | start | duration | Go | in WASM load | scripts | counted as WASM |\n|---|---|---|---|---|---|---|---|\n")
		for _, v := range []string{"ours", "segment"} {
			for _, r := range res.Loads[v] {
				for _, a := range r.Attributed {
					w("| %s | %d | %.0f | %.0f | %.1f | %v | %s | %v |\n", v, a.Run, a.Start, a.Duration, a.GoMs, a.InWasmLoad, strings.ReplaceAll(strings.Join(a.Scripts, "; "), "|", "\\|"), a.FromWasm)
				}
			}
		}
		w("\n")

	}

	// CPU.
	if c := res.CPU; c != nil {
		w("## Per-event CPU (figure 5)\n\n")
		w("%d events (median event JSON %.0f B; device context JSON %d B with a 2048-char last fingerprint; handed over once: real legacy signals, %d B JSON, and Go's %d-char fingerprint), %d repetitions per variant, timed in chunks of %d events with Rupt's answers handed to Go between chunks (untimed). µs per event:\n\n", c.Events, c.EventBytesMedian, c.DeviceBytes, c.SignalsBytes, c.FingerprintBytes, c.Reps, c.Chunk)
		w("ours = what the shim does per event (build the device context, stringify event and context, call Go, parse the answer, put the bodies back); oursGoOnly = the bound call on prepared texts (texts in, texts out); oursGoOnlySmallDevice = the same with a context of a few bytes (path, url, at; no last fingerprint); oursGoCallFloor = the cheapest call (unknown id, short error answer); segment = FQL AST parsed once, validate + transform + the SDK's request with JSON.stringify; segmentParseEach = the same with parseFql on every event, as Segment's runtime does.\n\n")
		w("| variant | median | repetitions |\n|---|---|---|\n")
		for _, k := range []string{"ours", "oursGoOnly", "oursGoOnlySmallDevice", "oursGoCallFloor", "segment", "segmentParseEach"} {
			xs := c.PerEventMicros[k]
			parts := make([]string, len(xs))
			for i, x := range xs {
				parts[i] = fmt.Sprintf("%.2f", x)
			}
			w("| %s | %.2f | %s |\n", k, c.MedianMicros[k], strings.Join(parts, ", "))
		}
		w("\nSame attach bodies (parsed JSON, key order ignored) on %d of %d events; requests: ours %d, Segment %d. WASM memory after the CPU runs: %d B.\n", c.Agree, c.Events, c.RequestsOurs, c.RequestsSeg, c.WasmMemory)
		if len(c.DiffKeys) > 0 {
			keys := make([]string, 0, len(c.DiffKeys))
			for k := range c.DiffKeys {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			w("\nWhere the bodies differ (events, first example):\n\n| key | events | ours | Segment |\n|---|---|---|---|\n")
			for _, k := range keys {
				d := c.DiffKeys[k]
				w("| %s | %d | `%s` | `%s` |\n", k, d.Count, clip(d.Ours, 120), clip(d.Segment, 120))
			}
		}
		w("\n")
	}
	if len(res.Startup) > 0 {
		w("## Start-up of the Go side, step by step (cold pages, ms)\n\n")
		w("Each column is a fresh page (cpu.html) loading dist/rupt-actions.wasm with dist/wasm_exec.js, in the order the shim meets the steps on a signed-in page: the first attachDevice answers needs_device; the signals are collected and handed over (deviceSignals; the Go hash rows are deviceSignals with the muted signals only); then attachDevice builds requests. Go calls are synchronous on the main thread; \"Go run\" is Go's init and main until main blocks. Hash times: first call, then the median of the next %d; WebCrypto times are wall time (its digests are asynchronous).\n\n", res.Startup[0].HashReps-1)
		w("| step |")
		for i := range res.Startup {
			w(" page %d |", i+1)
		}
		w(" median |\n|---|")
		for range res.Startup {
			w("---|")
		}
		w("---|\n")
		steps := []struct {
			name string
			get  func(startupResult) float64
		}{
			{"fetch + compile + instantiate (instantiateStreaming)", func(s startupResult) float64 { return s.FetchCompileInstantiate }},
			{"Go run (init + main)", func(s startupResult) float64 { return s.GoRun }},
			{"configure (first call)", func(s startupResult) float64 { return s.Configure }},
			{"attachDevice, first call (answers needs_device)", func(s startupResult) float64 { return s.FirstAttachDevice }},
			{"attachDevice, first with a request (after deviceSignals)", func(s startupResult) float64 { return s.FirstAttachRequest }},
			{"attachDevice, warm (median of 5)", func(s startupResult) float64 { return s.WarmAttachDevice }},
			{"@ruptjs/fingerprint getSignals (JS)", func(s startupResult) float64 { return s.CollectSignals }},
			{"muteSignals + JSON.stringify (JS)", func(s startupResult) float64 { return s.MuteAndStringify }},
			{"fingerprint hash in Go, first call", func(s startupResult) float64 { return s.GoHashFirst }},
			{"fingerprint hash in Go, warm", func(s startupResult) float64 { return s.GoHash }},
			{"getFuzzyHash (WebCrypto), first call", func(s startupResult) float64 { return s.WebCryptoHashFirst }},
			{"getFuzzyHash (WebCrypto), warm", func(s startupResult) float64 { return s.WebCryptoHash }},
		}
		for _, st := range steps {
			w("| %s |", st.name)
			var xs []float64
			for _, s := range res.Startup {
				xs = append(xs, st.get(s))
				w(" %.1f |", st.get(s))
			}
			w(" %.1f |\n", median(xs))
		}
		w("\nSignals JSON %d B; Go and WebCrypto hashes equal: %v.\n\n", res.Startup[0].SignalsBytes, res.Startup[0].HashesEqual)
	}
	if m, m1 := res.Mem, res.MemSame; m != nil && m1 != nil && len(m.Checkpoints) == len(m1.Checkpoints) {
		w("## WASM memory (figure 6)\n\n`mem.buffer.byteLength`. Initial %d B / %d B; after configure + %d warm-up events %d B / %d B; then (the figure is the %d-event line):\n\n| events | a new account per event | one account, 7 paths |\n|---|---|---|\n", m.Initial, m1.Initial, m.Warmup, m.AfterWarmup, m1.AfterWarmup, m.Events)
		for i, c := range m.Checkpoints {
			w("| %d | %d | %d |\n", c.Events, c.Bytes, m1.Checkpoints[i].Bytes)
		}
		w("\n")
	}
	if n := res.Native; n != nil {
		w("## The engine natively on the figure-5 sample\n\nOne figure-5 event (%d B) and its device context (%d B) with the signals and fingerprint handed over, a new account each iteration, 2.5 s apart, Rupt's answers given every %d iterations with the timer stopped; `testing.Benchmark` in the bench process:\n\n| what | ns/op | B/op | allocs/op |\n|---|---|---|---|\n", n.EventBytes, n.DevBytes, n.Chunk)
		for _, x := range []struct {
			name string
			r    testing.BenchmarkResult
		}{{"action.Destination.Evaluate", n.Evaluate}, {"ParseDevice + Evaluate + AppendJSON (the answer) + the answer and bodies framed, on copied strings as the bridge hands them (wasm/api.go's attachDevice)", n.FullCall}} {
			w("| %s | %d | %d | %d |\n", x.name, x.r.NsPerOp(), x.r.AllocedBytesPerOp(), x.r.AllocsPerOp())
		}
		w("\n")
	}
	if len(res.GoBench) > 0 {
		w("## Native Go (figure 7)\n\n`%s`\n\n| benchmark | ns/op | B/op | allocs/op |\n|---|---|---|---|\n", res.GoCmd)
		for _, g := range res.GoBench {
			w("| %s | %.0f | %.0f | %.0f |\n", g.Name, g.NsPerOp, g.BytesPerOp, g.AllocsPerOp)
		}
		w("\n")
	}
	var errs []string
	errs = append(errs, res.LoadErrs...)
	for _, e := range []string{res.CPUErr, res.NativeErr, res.MemErr, res.StartErr, res.GoErr} {
		if e != "" {
			errs = append(errs, e)
		}
	}
	for _, v := range []string{"ours", "segment"} {
		for _, r := range res.Loads[v] {
			for _, e := range r.Errors {
				errs = append(errs, fmt.Sprintf("%s run %d (page): %s", v, r.Run, e))
			}
		}
	}
	if len(errs) > 0 {
		w("## Errors\n\n")
		for _, e := range errs {
			w("- %s\n", strings.ReplaceAll(e, "\n", " "))
		}
	}
	return b.String()
}

func clip(s string, n int) string {
	if len(s) > n {
		s = s[:n] + "…"
	}
	return strings.ReplaceAll(s, "|", "\\|")
}

func bytesOrNA(n int) string {
	if n < 0 {
		return "n/a"
	}
	return fmt.Sprintf("%d B", n)
}

// cpuChunk is the chunk figure 5 was timed in (0 when it was not measured).
func cpuChunk(res *results) int {
	if res.CPU == nil {
		return 0
	}
	return res.CPU.Chunk
}
