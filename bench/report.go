package main

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"testing"
)

// Targets, from issues 6 and 14.
const (
	targetSize     = 1.12 // ≤ × floor (brotli)
	targetNav      = 1.0  // cold navigation → first attach, ≤ × Segment path, at every CPU rate
	targetRepeat   = 0.8  // repeat visit → first attach, ≤ × Segment path, at every CPU rate
	targetSPA      = 0.05 // our part of an SPA page view, ≤ × Segment path
	targetDelivery = 1.05 // analytics.js's first delivery, ≤ × Segment path
	targetCPU      = 1.5  // per-event CPU, ≤ × Segment's JS runtime
	stretchCPU     = 1.0  // per-event CPU, the stretch goal
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

// loadFigures summarises the page loads of one variant at one rate.
type loadFigures struct {
	n                        int
	nav, spa                 float64 // medians
	longCount, longTime      float64 // medians per load
	wasmLong                 int     // over all runs
	wasmLongMs               float64 // over all runs
	destLong                 int     // over all runs: mostly the destination's own JS
	destLongMs               float64
	longAll                  int
	probeLoad, probeSPA      float64 // medians: analytics.js hands the page view to destinations
	spaShare                 float64 // median: analytics.page() → our plugin's page()
	handToFetch, fetchToRecv float64 // medians, SPA: plugin's page() → request started → received
	compileTail, goRun       float64 // medians (ours)
	calib                    float64 // median JS calibration loop (ms)
	from                     string  // where the .wasm came from, over the loads
	signedIn                 string  // analytics.js knew the user at plugin load, over the loads
}

func summarise(runs []loadRun) loadFigures {
	var f loadFigures
	var nav, spa, cnt, tot, pl, ps, sh, hf, fr, ct, gr, cal []float64
	from, signed := map[string]int{}, map[string]int{}
	for _, r := range runs {
		hf = append(hf, r.HandToFetch...)
		fr = append(fr, r.FetchToRecv...)
		sh = append(sh, r.SPAShare...)
		if r.ProbeLoad > 0 {
			pl = append(pl, r.ProbeLoad)
		}
		ps = append(ps, r.ProbeSPA...)
		nav = append(nav, r.NavToAtt)
		spa = append(spa, r.SPA...)
		cnt = append(cnt, float64(r.LongCount))
		tot = append(tot, r.LongTotal)
		f.wasmLong += r.WasmLong
		f.wasmLongMs += r.WasmLongMs
		f.destLong += r.DestLong
		f.destLongMs += r.DestLongMs
		f.longAll += r.LongCount
		if r.Waterfall != nil {
			if _, ok := r.Waterfall["compile-tail"]; ok {
				ct = append(ct, r.CompileTail)
			}
			if _, ok := r.Waterfall["go-run"]; ok {
				gr = append(gr, r.GoRun)
			}
		}
		cal = append(cal, r.Calib)
		if r.WasmFrom != "" {
			from[r.WasmFrom]++
		}
		if r.SignedIn != "" {
			signed[r.SignedIn]++
		}
	}
	f.n = len(runs)
	f.nav, f.spa, f.longCount, f.longTime = median(nav), median(spa), median(cnt), median(tot)
	f.probeLoad, f.probeSPA, f.spaShare = median(pl), median(ps), median(sh)
	f.handToFetch, f.fetchToRecv = median(hf), median(fr)
	f.compileTail, f.goRun, f.calib = median(ct), median(gr), median(cal)
	f.from, f.signedIn = counts(from), counts(signed)
	return f
}

// counts writes a tally as "a ×3, b ×1" (largest first).
func counts(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return m[keys[i]] > m[keys[j]] || (m[keys[i]] == m[keys[j]] && keys[i] < keys[j]) })
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s ×%d", k, m[k])
	}
	if len(parts) == 0 {
		return "–"
	}
	return strings.Join(parts, ", ")
}

func rateName(r float64) string { return fmt.Sprintf("%g× CPU", r) }

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
	return append(rows, loadRows(res)...)
}

// loadRows are figures 2 to 4, each at every CPU rate.
func loadRows(res *results) []row {
	var rows []row
	type pair struct {
		rate        float64
		ours, seg   loadFigures
		rOurs, rSeg loadFigures
	}
	var ps []pair
	for _, rate := range res.Rates {
		ps = append(ps, pair{rate,
			summarise(res.Loads[loadKey{"ours", rate, false}]), summarise(res.Loads[loadKey{"segment", rate, false}]),
			summarise(res.Loads[loadKey{"ours", rate, true}]), summarise(res.Loads[loadKey{"segment", rate, true}])})
	}
	var base float64 // the 1× (first rate) calibration, for the effective slowdown
	if len(ps) > 0 {
		base = median([]float64{ps[0].ours.calib, ps[0].seg.calib})
	}
	// 2. cold navigation → first attach
	for _, p := range ps {
		if p.ours.n == 0 || p.seg.n == 0 {
			rows = append(rows, row{"2", "cold navigation → first attach, " + rateName(p.rate), "unmeasured", "unmeasured", "–", fmt.Sprintf("≤ %.2f×", targetNav), "see errors"})
			continue
		}
		rs, r := ratio(p.ours.nav, p.seg.nav)
		rows = append(rows, row{"2", fmt.Sprintf("cold navigation start → first attach received, %s, median of %d/%d loads", rateName(p.rate), p.ours.n, p.seg.n), ms(p.ours.nav), ms(p.seg.nav) + " (Segment path)", rs, fmt.Sprintf("≤ %.2f×", targetNav), yesNo(r <= targetNav)})
	}
	// 2d. analytics.js's first delivery
	for _, p := range ps {
		if p.ours.n == 0 || p.seg.n == 0 {
			continue
		}
		rs, r := ratio(p.ours.probeLoad, p.seg.probeLoad)
		rows = append(rows, row{"2d", fmt.Sprintf("analytics.js's first delivery: navigation start → page view handed to a probe destination, cold, %s", rateName(p.rate)), ms(p.ours.probeLoad), ms(p.seg.probeLoad), rs, fmt.Sprintf("≤ %.2f×", targetDelivery), yesNo(r <= targetDelivery)})
	}
	// 2r. repeat visit → first attach
	if res.Repeat {
		for _, p := range ps {
			if p.rOurs.n == 0 || p.rSeg.n == 0 {
				rows = append(rows, row{"2r", "repeat visit → first attach, " + rateName(p.rate), "unmeasured", "unmeasured", "–", fmt.Sprintf("≤ %.2f×", targetRepeat), "see errors"})
				continue
			}
			rs, r := ratio(p.rOurs.nav, p.rSeg.nav)
			rows = append(rows, row{"2r", fmt.Sprintf("repeat visit (same signed-in user, persistent profile): navigation start → first attach received, %s, median of %d/%d", rateName(p.rate), p.rOurs.n, p.rSeg.n), ms(p.rOurs.nav), ms(p.rSeg.nav), rs, fmt.Sprintf("≤ %.2f×", targetRepeat), yesNo(r <= targetRepeat)})
		}
		for _, p := range ps {
			if p.rOurs.n == 0 || p.ours.n == 0 {
				continue
			}
			rows = append(rows, row{"2r", fmt.Sprintf("  (info) .wasm compile after its download (instance − response end), cold → repeat, %s; .wasm from: %s", rateName(p.rate), p.rOurs.from), fmt.Sprintf("%.1f → %.1f ms", p.ours.compileTail, p.rOurs.compileTail), "–", "–", "–", cacheVerdict(res)})
			rows = append(rows, row{"2r", fmt.Sprintf("  (info) Go's start (run export), cold → repeat, %s", rateName(p.rate)), fmt.Sprintf("%.1f → %.1f ms", p.ours.goRun, p.rOurs.goRun), "–", "–", "–", "–"})
		}
	} else {
		rows = append(rows, row{"2r", "repeat visit → first attach", "not run (-repeat=false)", "–", "–", fmt.Sprintf("≤ %.2f×", targetRepeat), "–"})
	}
	// 3. SPA
	for _, p := range ps {
		if p.ours.n == 0 || p.seg.n == 0 {
			continue
		}
		rs, r := ratio(p.ours.handToFetch, p.seg.handToFetch)
		rows = append(rows, row{"3", fmt.Sprintf("SPA, the destination's part: plugin's page() called → attach request started (resource timing startTime), %s, median of %d/%d", rateName(p.rate), p.ours.n*spaNavigations, p.seg.n*spaNavigations), ms(p.ours.handToFetch), ms(p.seg.handToFetch), rs, fmt.Sprintf("≤ %.2f×", targetSPA), yesNo(r <= targetSPA)})
		rows = append(rows, row{"3", "  (info) analytics.js's share: pushState + analytics.page() → plugin's page() called", ms(p.ours.spaShare), ms(p.seg.spaShare), "–", "–", "–"})
		rows = append(rows, row{"3", "  (info) then: attach request started → received by the server", ms(p.ours.fetchToRecv), ms(p.seg.fetchToRecv), "–", "–", "–"})
		rs, _ = ratio(p.ours.spa, p.seg.spa)
		rows = append(rows, row{"3", "  (info) the whole: pushState + analytics.page() → attach received (the figure before issue 14)", ms(p.ours.spa), ms(p.seg.spa), rs, "–", "–"})
	}
	// 4. long tasks
	for _, p := range ps {
		if p.ours.n == 0 || p.seg.n == 0 {
			continue
		}
		rs, _ := ratio(p.ours.longCount, p.seg.longCount)
		rows = append(rows, row{"4", fmt.Sprintf("long tasks (> 50 ms), load + %d SPA navigations: count, median per load, %s", spaNavigations, rateName(p.rate)), fmt.Sprintf("%.1f", p.ours.longCount), fmt.Sprintf("%.1f", p.seg.longCount), rs, "report", "–"})
		rs, _ = ratio(p.ours.longTime, p.seg.longTime)
		rows = append(rows, row{"4", fmt.Sprintf("long tasks: total duration, median per load, %s", rateName(p.rate)), ms(p.ours.longTime), ms(p.seg.longTime), rs, "≤ baseline", yesNo(p.ours.longTime <= p.seg.longTime)})
		rows = append(rows, row{"4", fmt.Sprintf("long tasks attributed to us (Go or its compile), all %d loads, %s", p.ours.n, rateName(p.rate)), fmt.Sprintf("%d of %d (%.0f ms)", p.ours.wasmLong, p.ours.longAll, p.ours.wasmLongMs), "–", "–", "none", yesNo(p.ours.wasmLong == 0)})
		rows = append(rows, row{"4", fmt.Sprintf("  (info) long tasks mostly the destination's own JS, not Go or compile (ours: the shim, its signal collection; baseline: the plugin and Rupt's SDK), all loads, %s", rateName(p.rate)), fmt.Sprintf("%d of %d (%.0f ms)", p.ours.destLong, p.ours.longAll, p.ours.destLongMs), fmt.Sprintf("%d of %d (%.0f ms)", p.seg.destLong, p.seg.longAll, p.seg.destLongMs), "–", "–", "–"})
	}
	for _, p := range ps[min(1, len(ps)):] {
		if base > 0 && p.ours.n > 0 && p.seg.n > 0 {
			c := median([]float64{p.ours.calib, p.seg.calib})
			rs, _ := ratio(c, base)
			rows = append(rows, row{"–", fmt.Sprintf("  (info) effective throttling: a fixed JS loop in the page after each cold load, %s against %s", rateName(p.rate), rateName(ps[0].rate)), ms(c), ms(base), rs, fmt.Sprintf("%g×", p.rate/ps[0].rate), "–"})
		}
	}
	return rows
}

// cacheVerdict is what the traced repeat visits say of V8's WebAssembly
// code cache.
func cacheVerdict(res *results) string {
	var hit, miss, produced, streamed int
	for _, c := range res.CacheChecks {
		produced += c.Cached
		streamed += c.Streamed
		if strings.HasPrefix(c.Visit, "repeat") {
			if c.Hit > 0 {
				hit++
			} else {
				miss++
			}
		}
	}
	switch {
	case hit+miss == 0:
		return "code cache: no trace"
	case streamed == 0 && hit == 0:
		// V8 caches only what it compiled from a Response
		// (compileStreaming, instantiateStreaming).
		return fmt.Sprintf("**no code cache** (no streaming compile: the shim compiles the bytes it hashes; %d of %d hit)", hit, hit+miss)
	case miss == 0:
		return fmt.Sprintf("code cache hit (trace, %d of %d)", hit, hit+miss)
	case produced == 0:
		return fmt.Sprintf("**no code cache** (trace: never written; %d of %d hit)", hit, hit+miss)
	}
	return fmt.Sprintf("**code cache missed** (trace, %d of %d hit)", hit, hit+miss)
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
		rows = append(rows, row{"5", fmt.Sprintf("per-event CPU, subscription + mapping + request build: one attachDevice call, signals handed over once (median of %d × %d events)", c.Reps, c.Events), fmt.Sprintf("%.2f µs", m["ours"]), fmt.Sprintf("%.2f µs", m["segment"]) + " (Segment JS, FQL parsed once)", rs, fmt.Sprintf("≤ %.2f× (stretch %.2f×)", targetCPU, stretchCPU), yesNo(r <= targetCPU)})
		rs, _ = ratio(m["oursGoOnly"], m["segmentParseEach"])
		rows = append(rows, row{"5", "  (info) the Go call alone vs Segment's runtime as shipped (parseFql every event)", fmt.Sprintf("%.2f µs", m["oursGoOnly"]), fmt.Sprintf("%.2f µs", m["segmentParseEach"]), rs, "–", "–"})
		if n := res.Native; n != nil {
			nat := float64(n.FullCall.NsPerOp()) / 1000
			rs, _ = ratio(m["oursGoOnly"], nat)
			rows = append(rows, row{"5", "  (info) the Go call in the browser (WASM) vs the same work natively (device context decode + Evaluate + answer and bodies joined in the output; baseline column = native)", fmt.Sprintf("%.2f µs", m["oursGoOnly"]), fmt.Sprintf("%.2f µs native", nat), rs, "–", "–"})
		}
	} else {
		rows = append(rows, row{"5", "per-event CPU", "unmeasured", "unmeasured", "–", fmt.Sprintf("≤ %.2f× (stretch %.2f×)", targetCPU, stretchCPU), "see errors"})
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
	if f.JSFlags != "" {
		w("- **V8 flags (-js-flags): `%s`** (an experiment: not Chromium's defaults)\n", f.JSFlags)
	}
	mode := "default"
	if res.Quick {
		mode = "quick (smoke)"
	}
	if res.CPUOnly {
		w("- mode: %s, -cpu-only (figures 5 and 6 and the start-up diagnostics; no sizes, page loads or native benchmarks)\n\n", mode)
	} else {
		rates := make([]string, len(res.Rates))
		for i, r := range res.Rates {
			rates[i] = rateName(r)
		}
		w("- mode: %s; at %s: %d cold page loads per path, each in a fresh browser context, %d SPA navigations each", mode, strings.Join(rates, " and "), res.Runs, spaNavigations)
		if res.Repeat {
			w("; %d repeat visits per path (a persistent profile per path, a new Chromium per visit, first visit %s on the page)", res.Runs, res.Dwell)
		}
		w("\n\n")
	}
	w("%s\n", table)

	w("## How each figure is measured (short; details in the README)\n\n")
	if !res.CPUOnly {
		w("1. Sizes of the built files: ours = dist/rupt-actions.wasm + dist/rupt-actions.js (snapshot at start); baseline = bench/floor (syscall/js + one `gjson.Get`) built now with `GOOS=js GOARCH=wasm go build %s`, data segments packed with wasm/packdata as build.sh packs ours, + Go's wasm_exec.js. gzip: %s; brotli: %s.\n", strings.Join(wasmFlags, " "), res.Sizes.GzipMethod, res.Sizes.BrotliMethod)
		w("2. Server receive time of the first POST /v2/device/attach (simulator's record) minus navigation start. Navigation start = the page's `performance.timeOrigin` converted to the server clock with an offset measured after the load (15 fetches of /bench/clock; the sample with the smallest round trip, NTP midpoint). Cross-check, clock-free: (attach time − document request time, both server clock) + the page's navigation `requestStart`. Every page-load figure is measured at each CPU rate: `Emulation.setCPUThrottlingRate` on the tab before the navigation (it slows the renderer's main thread; V8's background compile threads are not slowed). Cold: a fresh in-memory browser context per load; the page identifies the user, then calls page() (the first attaching event: on a first visit analytics.js does not know the user at plugin load). 2d: navigation start → analytics.js handing the load's page view to a probe destination. 2r (repeat visit): a persistent profile per path; a first visit (not measured) stays on the page, then every measured visit starts a new Chromium on the profile and opens the same page as the same user, HTTP cache and code caches kept; the code cache is checked by trace (v8.wasm.cachedModule / moduleCacheHit).\n")
		w("3. Our plugin's page() called by analytics.js (instrument.js wraps the remote plugin's factory and the plugins it returns) → the next attach request's resource-timing startTime; 5 per load, 300 ms apart after the previous attach. Info rows: `analytics.page()` after `history.pushState` → the plugin's page(); the request's startTime → the server's receive time (clock offset as in 2).\n")
		w("4. `PerformanceObserver` 'longtask' (buffered), registered by the page's first script, over the load and the 5 SPA navigations (+1 s). Attribution: Go time inside the task (the instance's run, resume and rupt_call exports are timed), the moment the instantiate promise resolved (the instantiation's task), WebAssembly compile/instantiate windows, and long-animation-frame script entries; see the long-task tables.\n")
	}
	w("5. In one page, both runtimes on the same events: ours = one `attachDevice(id, event, context)` through the shim's own code (jsbridge/src/api.js's bindAPI, bundled into the page: `JSON.stringify` of the part of the event the subscriptions read (configure's reads) and of the device context {path, url, at}, plus a storage value such as the 2 KB last_fingerprint only when it differs from the one Go has, the bound call of jsbridge/src/exports.js with the contract's operation table, `JSON.parse` of the answer, the request bodies put back) on dist/rupt-actions.wasm loaded with dist/wasm_exec.js, after the signals were handed over once with `deviceSignals` (the first attach before that answered `needs_device`, checked); every event has a new account and arrives 2.5 s after the one before (the context's `at`), so every event builds a request; timed in chunks of %d events, between which (untimed) Go gets Rupt's answer to each attach (`handleResponse`, 200); baseline = `validate(ast, event)` (AST from `parseFql` once), `transform(mapping, event)`, and the SDK's attach request (URL, headers, `JSON.stringify` body), esbuild-bundled from node_modules, timed in the same chunks. Interleaved repetitions after a 1,000-event warm-up; median µs per event.\n", cpuChunk(res))
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

		renderLoads(&b, res)
	}

	// CPU.
	if c := res.CPU; c != nil {
		w("## Per-event CPU (figure 5)\n\n")
		w("%d events (median event JSON %.0f B, of which the shim hands Go the part the subscriptions read: %.0f B; device context JSON %d B, the location and time: Go keeps the storage values, and the %d B context with the 2048-char last fingerprint crossed once; handed over once: real legacy signals, %d B JSON, and Go's %d-char fingerprint), %d repetitions per variant, timed in chunks of %d events with Rupt's answers handed to Go between chunks (untimed). µs per event:\n\n", c.Events, c.EventBytesMedian, c.HandedBytesMedian, c.DeviceBytes, c.FullDeviceBytes, c.SignalsBytes, c.FingerprintBytes, c.Reps, c.Chunk)
		w("ours = what the shim does per event (build the device context, pick the part of the event the subscriptions read and stringify it and the context, call Go, parse the answer, put the bodies back); oursGoOnly = the bound call on prepared texts (the same handed-over event and context; texts in, texts out); oursGoOnlyFullContext = the same with the whole context on every event (the 2 KB last fingerprint each time), as the contract was before Go kept the storage values (commit 29a59e0 and earlier: the method of the old figure, beside the new one); oursGoCallFloor = the cheapest call (unknown id, short error answer); segment = FQL AST parsed once, validate + transform + the SDK's request with JSON.stringify; segmentParseEach = the same with parseFql on every event, as Segment's runtime does.\n\n")
		w("| variant | median | repetitions |\n|---|---|---|\n")
		for _, k := range []string{"ours", "oursGoOnly", "oursGoOnlyFullContext", "oursGoCallFloor", "segment", "segmentParseEach"} {
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
	if p := res.Profile; p != nil {
		w("## Where figure 5's time goes (-profile)\n\n")
		w("V8's sampling profiler (100 µs) over the \"ours\" variant alone (%d events), on a build of the .wasm that keeps Go's function names (the same code); counted: the %d samples inside the timed calls (cpu.js's run), not the page's setup, the untimed answers to Go or the checks; profile in `%s`. Self time:\n\n| kind | share |\n|---|---|\n", p.Events, p.Samples, p.File)
		kinds := make([]string, 0, len(p.ByKind))
		for k := range p.ByKind {
			kinds = append(kinds, k)
		}
		sort.Slice(kinds, func(i, j int) bool { return p.ByKind[kinds[i]] > p.ByKind[kinds[j]] })
		for _, k := range kinds {
			w("| %s | %.1f%% |\n", k, p.ByKind[k])
		}
		w("\n| function | kind | self |\n|---|---|---|\n")
		for _, t := range p.Top {
			w("| `%s` | %s | %.1f%% |\n", t.Name, t.Kind, t.Percent)
		}
		w("\n")
	} else if res.ProfileErr != "" {
		w("## Where figure 5's time goes (-profile)\n\nNot measured: %s\n\n", res.ProfileErr)
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
		}{{"action.Destination.Evaluate", n.Evaluate}, {"ParseDevice + Evaluate + AppendJSON (the answer) + the answer and bodies joined by NUL bytes, on copied strings as the bridge hands them (wasm/api.go's attachDevice)", n.FullCall}} {
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
	errs = append(errs, res.RepeatErrs...)
	for _, k := range loadKeys(res) {
		for _, r := range res.Loads[k] {
			for _, e := range r.Errors {
				errs = append(errs, fmt.Sprintf("%s (page): %s", runName(r), e))
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
