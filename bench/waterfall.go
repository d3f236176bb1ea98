package main

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
)

// wfSpan is one step of a load's waterfall: page ms from navigation start
// (End == Start for a point).
type wfSpan struct {
	Start, End float64
}

// wfRow describes one waterfall step: what it is and what it waits on.
type wfRow struct {
	Key, Label, Waits string
}

// The steps of the first attach, in the order they happen on a cold load.
// "Waits on" says what starts the step, as the code is written (the shim's
// jsbridge/src, analytics.js, Segment's runtime, Rupt's SDK).
var wfRowsCommonHead = []wfRow{
	{"doc", "document: navigation start → response end", "–"},
	{"ajs-dl", "analytics.js download", "the snippet (inline in the document)"},
	{"ajs-run", "analytics.js parsed and run (response end → script load event)", "its download"},
	{"settings", "CDN settings fetch", "analytics.js"},
}

var wfRowsOurs = []wfRow{
	{"plugin-dl", "rupt-actions.js download", "the CDN settings (analytics.js loads each remote plugin's URL)"},
	{"plugin-run", "rupt-actions.js run (response end → load event): starts the .wasm download", "its download"},
	{"wasm-dl", ".wasm download (request start → response end)", "rupt-actions.js running (classic script: fetch at once)"},
	{"factory", "analytics.js calls the plugin factory", "rupt-actions.js's load event"},
	{"plugin-load", "plugin load() (analytics.js)", "the factory"},
	{"handoff-identify", "identify handed to our plugin", "analytics.js: plugins loaded, then the buffered identify()"},
	{"handoff", "page view handed to our plugin (page())", "analytics.js: the buffered page()"},
	{"compile", "WebAssembly compile + instantiate: first call → instance (compile of the bytes, then instantiate once the hash matches)", "the shim: when the page is idle or at the first event, whichever first, then the .wasm's bytes read whole"},
	{"compile-tail", "  of which after the .wasm response ended (compile + instantiate left)", "the last byte of the .wasm"},
	{"wasm-drain", "  the .wasm's body drained into a Blob (response.blob() called → resolved)", "rupt-actions.js at load, with the download"},
	{"wasm-read", "  the .wasm's bytes read (arrayBuffer() called → resolved)", "the shim: the runtime's start, then the Blob"},
	{"compile-bytes", "  WebAssembly.compile(bytes) called → resolved (the module compiled)", "the .wasm's bytes read"},
	{"wasm-hash", "  the .wasm's SHA-256 (crypto.subtle.digest called → resolved)", "the .wasm's bytes read whole (called with the compile)"},
	{"instantiate-module", "  instantiate(module) called → resolved", "the compile and the .wasm's SHA-256, whichever ends last"},
	{"go-run", "Go's start: run export (runtime init + main)", "instantiate resolved (same task)"},
	{"configure", "configure (first rupt_call)", "Go's start + one task"},
	{"attach-first", "first attachDevice (the first event; a page view answers needs_device)", "configure, the event queue, one task"},
	{"signals", "signal collection (first collector API → the hand-over to Go)", "the first event with a userId (device.start), or plugin load() when signed in (at idle)"},
	{"signals-fp", "  @ruptjs/fingerprint: first canvas/audio call → its muted signals' JSON written", "a task after device.start"},
	{"signals-legacy", "  legacy signals: client hints asked → their JSON written", "two tasks after device.start"},
	{"audio", "  audio rendering (OfflineAudioContext.startRendering, waited on)", "@ruptjs/fingerprint"},
	{"ua-hints", "  user-agent client hints (getHighEntropyValues, waited on)", "the legacy collector"},
	{"iframe", "  hidden iframe created → loaded (font measurement)", "the legacy collector"},
	{"canvas", "  canvas toDataURL calls (first start → last end)", "@ruptjs/fingerprint"},
	{"hash", "hash: deviceSignals (Go hashes the muted signals)", "both collectors, then one task"},
	{"build", "request build: attachDevice after the hand-over", "the hash (same task)"},
	{"sent", "attach request: fetch start → request sent (incl. CORS preflight)", "the build (fetch in the same task)"},
	{"received", "attach received by the server", "the request"},
	{"answer", "Rupt's answer: response start → end", "the server"},
	{"handled", "answer handed to Go (handleResponse)", "the answer's body"},
	{"nav-attach", "navigation start → attach received (the figure)", "–"},
}

var wfRowsSegment = []wfRow{
	{"plugin-dl", "segment-path.js (the destination's plugin) download", "the CDN settings"},
	{"plugin-run", "segment-path.js run (response end → load event)", "its download"},
	{"factory", "analytics.js calls the plugin factory", "segment-path.js's load event"},
	{"plugin-load", "plugin load() → initialize: loads Rupt's SDK", "the factory"},
	{"sdk-dl", "Rupt's SDK (cdn.rupt.dev/js/rupt.js) download", "the plugin's load()"},
	{"sdk-run", "Rupt's SDK run (response end → load event)", "its download"},
	{"handoff-identify", "identify handed to the plugin", "analytics.js: every plugin loaded (the SDK included), then the buffered identify()"},
	{"handoff", "page view handed to the plugin (page())", "analytics.js: the buffered page()"},
	{"sdk-attach", "Rupt.attach() called (FQL + mapping done)", "the hand-over"},
	{"signals", "signals and hash inside Rupt.attach (first collector API → the attach body's JSON)", "Rupt.attach()"},
	{"signals-fp", "  fingerprint signals (first canvas/audio call → first digest)", "Rupt.attach(): getHash() first"},
	{"hash", "  hash: WebCrypto digests (first start → last end)", "the fingerprint signals"},
	{"signals-legacy", "  legacy signals (first collector API after the hash → the body's JSON)", "the hash: getSignals() runs after getHash()"},
	{"audio", "  audio rendering (OfflineAudioContext.startRendering, waited on)", "the fingerprint collector"},
	{"ua-hints", "  user-agent client hints (getHighEntropyValues, waited on)", "the legacy collector"},
	{"iframe", "  hidden iframe created → loaded", "the legacy collector"},
	{"canvas", "  canvas toDataURL calls (first start → last end)", "the fingerprint collector"},
	{"build", "request build: the attach body's JSON.stringify", "the legacy signals"},
	{"sent", "attach request: fetch start → request sent (incl. CORS preflight)", "the build"},
	{"received", "attach received by the server", "the request"},
	{"answer", "Rupt's answer: response start → end", "the server"},
	{"nav-attach", "navigation start → attach received (the figure)", "–"},
}

func wfRows(variant string) []wfRow {
	if variant == "ours" {
		return append(append([]wfRow(nil), wfRowsCommonHead...), wfRowsOurs...)
	}
	return append(append([]wfRow(nil), wfRowsCommonHead...), wfRowsSegment...)
}

// pageTimeline answers the waterfall's questions about one page's record.
type pageTimeline struct {
	pd  pageData
	ops []string
}

func (p pageTimeline) resource(substr string) (resEntry, bool) {
	for _, r := range p.pd.Resources {
		if strings.Contains(r.Name, substr) {
			return r, true
		}
	}
	return resEntry{}, false
}

// loaded is the load event of the first script whose URL contains substr.
func (p pageTimeline) loaded(substr string) (float64, bool) {
	for _, ev := range p.pd.Ev {
		if ev.N == "script-loaded" && strings.Contains(string(ev.X), substr) {
			return ev.T, true
		}
	}
	return 0, false
}

// first is the first record named name that starts at or after t (and,
// for intervals, has settled).
func (p pageTimeline) first(name string, t float64) (benchEv, bool) {
	for _, ev := range p.pd.Ev {
		if ev.N == name && ev.T >= t && ev.D >= 0 {
			return ev, true
		}
	}
	return benchEv{}, false
}

func (p pageTimeline) handoff(kind string) (float64, bool) {
	for _, ev := range p.pd.Ev {
		if ev.N == "handoff" && string(ev.X) == `"`+kind+`"` {
			return ev.T, true
		}
	}
	return 0, false
}

// goOp is the first call of the operation named op at or after t.
func (p pageTimeline) goOp(op string, t float64) (goCall, bool) {
	n := 0
	for i, name := range p.ops {
		if name == op {
			n = i + 1
		}
	}
	if n == 0 {
		return goCall{}, false
	}
	for _, c := range p.pd.GoCalls {
		if c.Name == "rupt_call" && c.Op == n && c.Start >= t {
			return c, true
		}
	}
	return goCall{}, false
}

// stringified is the first large JSON.stringify at or after t whose text
// starts with head, or (head "") the longest one in [t, before).
func (p pageTimeline) stringified(head string, t, before float64) (benchEv, bool) {
	var best benchEv
	bestLen := -1.0
	for _, ev := range p.pd.Ev {
		if ev.N != "stringify" || ev.T < t || ev.T >= before {
			continue
		}
		var x struct {
			Len  float64 `json:"len"`
			Head string  `json:"head"`
		}
		json.Unmarshal(ev.X, &x)
		if head != "" {
			if strings.HasPrefix(x.Head, head) {
				return ev, true
			}
			continue
		}
		if x.Len > bestLen {
			best, bestLen = ev, x.Len
		}
	}
	return best, bestLen >= 0
}

// collectorStart is the first call into a signal collector's browser APIs
// at or after t.
func (p pageTimeline) collectorStart(t float64, names ...string) (float64, bool) {
	best, ok := math.Inf(1), false
	for _, ev := range p.pd.Ev {
		if ev.T < t {
			continue
		}
		for _, n := range names {
			if ev.N == n && ev.T < best {
				best, ok = ev.T, true
			}
		}
	}
	return best, ok
}

// waterfall measures the steps of the first attach of one load (page ms).
// recv is when the server received the first attach, on the page clock.
func waterfall(variant string, pd pageData, ops []string, recv float64) map[string]wfSpan {
	p := pageTimeline{pd: pd, ops: ops}
	w := map[string]wfSpan{}
	set := func(k string, a, b float64) {
		if !math.IsNaN(a) && !math.IsNaN(b) && !math.IsInf(a, 0) && !math.IsInf(b, 0) && b >= a-0.001 {
			w[k] = wfSpan{a, b}
		}
	}
	point := func(k string, t float64, ok bool) {
		if ok {
			set(k, t, t)
		}
	}
	set("doc", 0, pd.ResponseEnd)
	if r, ok := p.resource("/analytics.js/v1/"); ok {
		set("ajs-dl", r.Start, r.ResponseEnd)
		if t, ok := p.loaded("/analytics.js/v1/"); ok {
			set("ajs-run", r.ResponseEnd, t)
		}
	}
	if r, ok := p.resource("/v1/projects/"); ok {
		set("settings", r.Start, r.ResponseEnd)
	}
	pluginURL := "/dist/rupt-actions.js"
	if variant != "ours" {
		pluginURL = "/bench/gen/segment-path.js"
	}
	if r, ok := p.resource(pluginURL); ok {
		set("plugin-dl", r.Start, r.ResponseEnd)
		if t, ok := p.loaded(pluginURL); ok {
			set("plugin-run", r.ResponseEnd, t)
		}
	}
	if ev, ok := p.first("plugin-factory", 0); ok {
		point("factory", ev.T, true)
	}
	if ev, ok := p.first("plugin-load", 0); ok {
		point("plugin-load", ev.T, true)
	}
	t, ok := p.handoff("identify")
	point("handoff-identify", t, ok)
	handoff, hok := p.handoff("page")
	point("handoff", handoff, hok)
	attaches := attachEntries(pd)
	var att resEntry
	if len(attaches) > 0 {
		att = attaches[0]
		if att.RequestStart > 0 { // 0 without Timing-Allow-Origin
			set("sent", att.Start, att.RequestStart)
		}
		if att.ResponseStart > 0 {
			set("answer", att.ResponseStart, att.ResponseEnd)
		}
	}
	set("received", recv, recv)
	set("nav-attach", 0, recv)

	// The signal rows: the collectors' browser APIs between sigFrom and
	// sigEnd.
	var sigFrom, sigEnd float64
	if variant == "ours" {
		if r, ok := wasmResource(pd); ok {
			set("wasm-dl", r.Start, r.ResponseEnd)
			if c, ok := wasmInstance(pd); ok {
				set("compile", c.Start, c.End)
				set("compile-tail", math.Max(c.Start, r.ResponseEnd), c.End)
			}
			for _, k := range []struct{ row, kind string }{{"compile-bytes", "compile"}, {"instantiate-module", "instantiate(module)"}} {
				for _, w := range pd.Wasm {
					if w.Kind == k.kind && w.End >= 0 {
						set(k.row, w.Start, w.End)
						break
					}
				}
			}
			if d, ok := p.first("digest", r.Start); ok {
				set("wasm-hash", d.T, d.T+d.D)
			}
			for _, k := range []string{"wasm-drain", "wasm-read"} {
				if d, ok := p.first(k, 0); ok && d.D >= 0 {
					set(k, d.T, d.T+d.D)
				}
			}
		}
		for _, c := range pd.GoCalls {
			if c.Name == "run" {
				set("go-run", c.Start, c.Start+c.Duration)
				break
			}
		}
		if c, ok := p.goOp("configure", 0); ok {
			set("configure", c.Start, c.Start+c.Duration)
		}
		if c, ok := p.goOp("attachDevice", 0); ok {
			set("attach-first", c.Start, c.Start+c.Duration)
		}
		if c, ok := p.goOp("deviceSignals", 0); ok {
			set("hash", c.Start, c.Start+c.Duration)
			sigEnd = c.Start
			if b, ok := p.goOp("attachDevice", c.Start+c.Duration); ok {
				set("build", b.Start, b.Start+b.Duration)
			}
		}
		if c, ok := p.goOp("handleResponse", 0); ok {
			set("handled", c.Start, c.Start+c.Duration)
		}
		if sigEnd > 0 {
			if s0, ok := p.collectorStart(0, "audio-render", "ua-hints", "canvas", "iframe-create"); ok && s0 <= sigEnd {
				set("signals", s0, sigEnd)
				sigFrom = s0
				if f0, ok := p.collectorStart(s0, "audio-render", "canvas"); ok {
					if j, ok := p.stringified("", f0, sigEnd); ok {
						set("signals-fp", f0, j.T+j.D)
					}
				}
				if h, ok := p.first("ua-hints", s0); ok {
					if j, ok := p.stringified(`{"fonts":`, h.T, sigEnd); ok {
						set("signals-legacy", h.T, j.T+j.D)
					}
				}
			}
		}
	} else {
		if r, ok := p.resource("cdn.rupt.dev/js/rupt.js"); ok {
			set("sdk-dl", r.Start, r.ResponseEnd)
			if t, ok := p.loaded("cdn.rupt.dev/js/rupt.js"); ok {
				set("sdk-run", r.ResponseEnd, t)
			}
		}
		// Rupt.attach: getHash() (the fingerprint signals, then WebCrypto
		// digests), then getSignals() (the legacy signals), then the body's
		// JSON.stringify and fetch.
		if ev, ok := p.first("sdk-attach", 0); ok {
			point("sdk-attach", ev.T, true)
			body, bok := p.stringified(`{"user"`, ev.T, math.Inf(1))
			if s0, ok := p.collectorStart(ev.T, "audio-render", "ua-hints", "canvas", "iframe-create"); ok && bok && s0 <= body.T {
				sigFrom, sigEnd = s0, body.T
				set("signals", s0, body.T)
				set("build", body.T, body.T+body.D)
				if d, ok := p.first("digest", ev.T); ok && d.T <= body.T {
					set("signals-fp", s0, d.T)
					last := d.T + d.D
					for _, x := range pd.Ev {
						if x.N == "digest" && x.T >= d.T && x.D >= 0 && x.T+x.D <= body.T {
							last = math.Max(last, x.T+x.D)
						}
					}
					set("hash", d.T, last)
					if l0, ok := p.collectorStart(last, "ua-hints", "iframe-create"); ok && l0 <= body.T {
						set("signals-legacy", l0, body.T)
					}
				}
			}
		}
	}
	if sigEnd > 0 {
		if a, ok := p.first("audio-render", sigFrom); ok && a.T <= sigEnd {
			set("audio", a.T, a.T+a.D)
		}
		if h, ok := p.first("ua-hints", sigFrom); ok && h.T <= sigEnd {
			set("ua-hints", h.T, h.T+h.D)
		}
		if c, ok := p.first("iframe-create", sigFrom); ok && c.T <= sigEnd {
			if l, ok := p.first("iframe-load", c.T); ok {
				set("iframe", c.T, l.T)
			}
		}
		first, last := math.Inf(1), math.Inf(-1)
		for _, ev := range pd.Ev {
			if ev.N == "canvas" && ev.T >= sigFrom && ev.T <= sigEnd {
				first = math.Min(first, ev.T)
				last = math.Max(last, ev.T+ev.D)
			}
		}
		set("canvas", first, last)
	}
	return w
}

// wfAgg is a waterfall step over several loads: medians of its start, end
// and duration, and how many loads had it.
type wfAgg struct {
	Start, End, Dur float64
	N               int
}

func aggregateWaterfall(runs []loadRun) map[string]wfAgg {
	starts, ends, durs := map[string][]float64{}, map[string][]float64{}, map[string][]float64{}
	for _, r := range runs {
		for k, s := range r.Waterfall {
			starts[k] = append(starts[k], s.Start)
			ends[k] = append(ends[k], s.End)
			durs[k] = append(durs[k], s.End-s.Start)
		}
	}
	out := map[string]wfAgg{}
	for k := range starts {
		out[k] = wfAgg{median(starts[k]), median(ends[k]), median(durs[k]), len(starts[k])}
	}
	return out
}

// renderWaterfall writes one waterfall table: the steps of one path, one
// figure and one CPU rate, with a bar of where each step sits.
func renderWaterfall(variant string, runs []loadRun) string {
	agg := aggregateWaterfall(runs)
	var b strings.Builder
	total := 0.0
	for _, a := range agg {
		total = math.Max(total, a.End)
	}
	const width = 40
	bar := func(a wfAgg) string {
		if total <= 0 {
			return ""
		}
		s := int(math.Round(a.Start / total * width))
		e := int(math.Round(a.End / total * width))
		if e >= width {
			e = width - 1
		}
		if s > e {
			s = e
		}
		out := []rune(strings.Repeat("·", width))
		if a.Dur < 0.05 {
			out[s] = '|'
		} else {
			for i := s; i <= e; i++ {
				out[i] = '█'
			}
		}
		return "`" + string(out) + "`"
	}
	b.WriteString("| step | start | end | duration | loads | waits on | timeline |\n|---|---|---|---|---|---|---|\n")
	for _, row := range wfRows(variant) {
		a, ok := agg[row.Key]
		if !ok {
			fmt.Fprintf(&b, "| %s | – | – | – | 0 | %s | |\n", row.Label, row.Waits)
			continue
		}
		dur := fmt.Sprintf("%.1f", a.Dur)
		if a.Dur < 0.05 && a.End-a.Start < 0.05 {
			dur = "(point)"
		}
		fmt.Fprintf(&b, "| %s | %.1f | %.1f | %s | %d | %s | %s |\n", row.Label, a.Start, a.End, dur, a.N, row.Waits, bar(a))
	}
	return b.String()
}

// wasmInstance is the window from the first WebAssembly compile or
// instantiate call to the instance: one instantiateStreaming call, or
// compile then instantiate(module) (the shim's WebCrypto path).
func wasmInstance(pd pageData) (wasmWindow, bool) {
	if len(pd.Wasm) == 0 {
		return wasmWindow{}, false
	}
	for _, w := range pd.Wasm {
		if strings.HasPrefix(w.Kind, "instantiate") && w.End >= 0 {
			return wasmWindow{Kind: w.Kind, Start: pd.Wasm[0].Start, End: w.End}, true
		}
	}
	return wasmWindow{}, false
}
