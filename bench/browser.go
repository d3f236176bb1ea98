package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// browserOptions are the flags of every Chromium the bench starts (as
// e2e/main_test.go starts it), with api.rupt.dev and cdn.rupt.dev mapped to
// the bench's TLS server and the profile in dir.
func browserOptions(e *env, tlsHostPort, dir string) []chromedp.ExecAllocatorOption {
	opts := chromedp.DefaultExecAllocatorOptions[:]
	if e.jsFlags != "" {
		opts = append(opts, chromedp.Flag("js-flags", e.jsFlags))
	}
	return append(opts,
		chromedp.Flag("host-resolver-rules", "MAP api.rupt.dev "+tlsHostPort+", MAP cdn.rupt.dev "+tlsHostPort),
		chromedp.IgnoreCertErrors,
		chromedp.ExecPath(e.chromium),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(dir),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-quic", true),
	)
}

// startBrowser launches headless Chromium with a profile in dir (a new
// temporary one when dir is ""). The returned context is the browser's
// first tab, in the profile's default (on-disk) browser context.
func startBrowser(e *env, tlsHostPort, dir string) (context.Context, func(), string, error) {
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp(e.tmp, "chromium-"); err != nil {
			return nil, nil, "", err
		}
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), browserOptions(e, tlsHostPort, dir)...)
	ctx, cancel := chromedp.NewContext(alloc)
	stop := func() { cancel(); cancelAlloc() }
	if err := chromedp.Do(ctx); err != nil {
		stop()
		return nil, nil, "", fmt.Errorf("cannot start %s: %w", e.chromium, err)
	}
	v, err := chromedp.CallBrowser(ctx, browser.GetVersion, cdp.Empty{})
	version := "unknown"
	if err == nil {
		version = v.Product + " (" + v.UserAgent + ")"
	}
	return ctx, stop, version, nil
}

// throttle sets Chromium's CPU throttling on the tab of ctx (1 = none), as
// Lighthouse does for its mobile profile: Emulation.setCPUThrottlingRate,
// before the navigation. It slows the renderer's main thread only.
func throttle(ctx context.Context, rate float64) error {
	if _, err := chromedp.Call(ctx, emulation.SetCPUThrottlingRate, emulation.SetCPUThrottlingRateParams{Rate: rate}); err != nil {
		return fmt.Errorf("Emulation.setCPUThrottlingRate(%g): %w", rate, err)
	}
	return nil
}

// pageData is what a load page reports after the run (see instrument.js).
type pageData struct {
	TimeOrigin   float64       `json:"timeOrigin"`
	RequestStart float64       `json:"requestStart"`
	ResponseEnd  float64       `json:"responseEnd"`
	DCL          float64       `json:"dcl"`
	LoadEnd      float64       `json:"loadEnd"`
	Samples      [][3]float64  `json:"samples"` // page t0, server time, page t1 (epoch ms)
	Longtasks    []longTask    `json:"longtasks"`
	LoAF         []loafEntry   `json:"loaf"`
	Wasm         []wasmWindow  `json:"wasm"`
	GoCalls      []goCall      `json:"goCalls"`
	GoTotal      float64       `json:"goTotal"`
	GoCount      int           `json:"goCount"`
	GoMax        float64       `json:"goMax"`
	Errors       []string      `json:"errors"`
	Memory       []float64     `json:"memory"`
	Probe        []float64     `json:"probe"`
	Ev           []benchEv     `json:"ev"`
	Resources    []resEntry    `json:"resources"`
	SyncNow      float64       `json:"syncNow"`
	Calib        float64       `json:"calib"` // ms of a fixed JS loop, under the page's throttling
	Attribution  []attribution `json:"-"`
}

// benchEv is one point (D = 0) or interval of instrument.js's waterfall
// record (B.ev): page ms.
type benchEv struct {
	N string          `json:"n"`
	T float64         `json:"t"`
	D float64         `json:"d"` // -1: never settled
	X json.RawMessage `json:"x"`
}

// resEntry is a resource-timing entry (page ms).
type resEntry struct {
	Name          string  `json:"name"`
	Initiator     string  `json:"initiatorType"`
	Start         float64 `json:"startTime"`
	RequestStart  float64 `json:"requestStart"`
	ResponseStart float64 `json:"responseStart"`
	ResponseEnd   float64 `json:"responseEnd"`
	TransferSize  float64 `json:"transferSize"`
	EncodedSize   float64 `json:"encodedBodySize"`
	DeliveryType  string  `json:"deliveryType"`
}

type longTask struct {
	Start       float64 `json:"start"`
	Duration    float64 `json:"duration"`
	Name        string  `json:"name"`
	Attribution []struct {
		Type string `json:"type"`
		Src  string `json:"src"`
	} `json:"attribution"`
}

type loafEntry struct {
	Start       float64 `json:"start"`
	Duration    float64 `json:"duration"`
	Blocking    float64 `json:"blocking"`
	RenderStart float64 `json:"renderStart"` // 0: no rendering in the frame
	Scripts     []struct {
		Start       float64 `json:"start"`
		Duration    float64 `json:"duration"`
		URL         string  `json:"url"`
		Fn          string  `json:"fn"`
		Invoker     string  `json:"invoker"`
		InvokerType string  `json:"invokerType"`
	} `json:"scripts"`
}

type wasmWindow struct {
	Kind  string  `json:"kind"`
	Start float64 `json:"start"`
	End   float64 `json:"end"`
	Error string  `json:"error"`
}

type goCall struct {
	Start    float64 `json:"start"`
	Duration float64 `json:"duration"`
	Name     string  `json:"name"`
	Op       int     `json:"op"` // rupt_call's operation number (1-based index into the contract's table)
}

// attribution is one long task with what ran in it, as far as the page
// can tell.
type attribution struct {
	Run        int
	Start      float64
	Duration   float64
	GoMs       float64 // time inside Go (run/resume/rupt_call exports) within the task
	InWasmLoad bool    // overlaps a WebAssembly compile/instantiate window
	AtInstance bool    // contains the moment the instantiate promise resolved
	ScriptsMs  float64 // time of LoAF script entries within the task
	DestJSMs   float64 // of which the destination's own JS (see destScript)
	RenderMs   float64 // time in the rendering phase of long animation frames
	Scripts    []string
	FromWasm   bool   // counted as ours: Go or its compile (the target)
	DestJS     bool   // not Go or compile, but mostly the destination's own JS (info)
	Why        string // why it was (or was not) counted
}

// loadRun is one page load of one variant: a cold load (a fresh in-memory
// browser context) or a repeat visit (a persistent profile).
type loadRun struct {
	Variant    string
	Run        int
	Rate       float64 // CPU throttling
	Repeat     bool
	NavToAtt   float64   // navigation start → first attach received (ms), by clock offset
	NavToAtt2  float64   // the same through the document request (cross-check)
	ClockRTT   float64   // round trip of the best clock sample (ms)
	SPA        []float64 // analytics.page() after pushState → attach received (ms)
	LongCount  int
	LongTotal  float64
	WasmLong   int // long tasks attributed to the WASM (Go or its compile)
	WasmLongMs float64
	DestLong   int // long tasks mostly the destination's own JS (the shim, or the Segment path's plugin and SDK)
	DestLongMs float64
	Attributed []attribution
	GoTotal    float64
	GoCount    int
	GoMax      float64
	WasmLoad   []wasmWindow
	Errors     []string
	TopGo      []goCall // the longest calls into Go
	// When analytics.js handed each page view to destinations (a probe
	// destination on the page): ms after navigation start for the first,
	// ms after analytics.page() for the SPA ones.
	ProbeLoad float64
	ProbeSPA  []float64
	// For the SPA page views: analytics.page() → our plugin's page()
	// (analytics.js's share), our plugin's page() → the attach request's
	// resource-timing startTime (the figure), and request started →
	// received by the server (ms).
	SPAShare    []float64
	HandToFetch []float64
	FetchToRecv []float64
	// The start-up of the Go side (ours): ms.
	CompileTail float64 // instantiate resolved − max(instantiate called, .wasm response end)
	Compile     float64 // instantiate called → resolved
	GoRun       float64 // Go's run export (init + main)
	WasmFrom    string  // where the .wasm came from (resource timing: network / cache)
	SignedIn    string  // whether analytics.js knew the user when our plugin loaded
	Calib       float64
	SyncNow     float64 // the page's bench:sync mark (aligns a trace)
	Waterfall   map[string]wfSpan
}

const spaNavigations = 5

// calibrationJS is a fixed piece of JavaScript work, timed in the page
// after the load: its time against the unthrottled loads shows the
// throttling the renderer really got.
const calibrationJS = `(() => {
  let x = 0
  const t = performance.now()
  for (let i = 0; i < 3000000; i++) x = (x + i * 7) % 1000003
  const d = performance.now() - t
  window.__benchSink = x
  return d
})()`

const collectJS = `(async () => {
  const calib = ` + calibrationJS + `
  const samples = []
  for (let i = 0; i < 15; i++) {
    const t0 = performance.timeOrigin + performance.now()
    const r = await fetch('/bench/clock?i=' + i, { cache: 'no-store' })
    const s = Number(await r.text())
    const t1 = performance.timeOrigin + performance.now()
    samples.push([t0, s, t1])
  }
  const nav = performance.getEntriesByType('navigation')[0] || {}
  const B = window.__bench
  return {
    timeOrigin: performance.timeOrigin,
    requestStart: nav.requestStart || 0,
    responseEnd: nav.responseEnd || 0,
    dcl: nav.domContentLoadedEventEnd || 0,
    loadEnd: nav.loadEventEnd || 0,
    samples,
    longtasks: B.longtasks, loaf: B.loaf, wasm: B.wasm, goCalls: B.goCalls,
    goTotal: B.goTotal, goCount: B.goCount, goMax: B.goMax, errors: B.errors,
    memory: B.wasmMemory ? B.wasmMemory() : [],
    probe: B.probe,
    ev: B.ev,
    syncNow: B.syncNow,
    calib,
    resources: performance.getEntriesByType('resource').filter((e) => !e.name.includes('/bench/clock')).map((e) => ({
      name: e.name, initiatorType: e.initiatorType, startTime: e.startTime, requestStart: e.requestStart,
      responseStart: e.responseStart, responseEnd: e.responseEnd, transferSize: e.transferSize,
      encodedBodySize: e.encodedBodySize, deliveryType: e.deliveryType || '',
    })),
  }
})()`

// loadURL is the load page of a variant for account.
func loadURL(s *benchServers, variant, account, extra string) string {
	return s.site.URL + "/bench/pages/load.html?v=" + variant + "&account=" + url.QueryEscape(account) + extra
}

// runLoad opens the load page of a variant in a fresh browser context,
// throttled at rate, waits for the first attach, then does five SPA
// navigations (history.pushState + analytics.page()), each waiting for its
// attach. With tracing, the load is traced (and the trace's long tasks
// returned): such a load is never counted in a figure.
func runLoad(e *env, bctx context.Context, s *benchServers, variant string, run int, rate float64, trace bool) (loadRun, []traceEvent, error) {
	res := loadRun{Variant: variant, Run: run, Rate: rate}
	account := fmt.Sprintf("bench-%s-%d-%d", variant, run, time.Now().UnixNano())
	tab, cancel := chromedp.NewContext(bctx, chromedp.WithNewBrowserContext())
	defer cancel()
	tab, cancelT := context.WithTimeout(tab, time.Duration(120*rate)*time.Second)
	defer cancelT()
	if err := chromedp.Do(tab); err != nil { // the tab exists before the clock starts
		return res, nil, err
	}
	if err := throttle(tab, rate); err != nil {
		return res, nil, err
	}
	var stopTrace func() ([]traceEvent, error)
	if trace {
		var err error
		if stopTrace, err = startTrace(tab); err != nil {
			return res, nil, err
		}
	}
	u := loadURL(s, variant, account, "")
	if err := chromedp.Do(tab, chromedp.Navigate(u)); err != nil {
		return res, nil, fmt.Errorf("open %s: %w", u, err)
	}
	first, err := s.waitAttach(account, 1, time.Duration(60*rate)*time.Second)
	if err != nil {
		return res, nil, err
	}
	var spaCalls []float64 // page clock (epoch ms) at each analytics.page()
	var spaAttach []time.Time
	for i := 1; i <= spaNavigations; i++ {
		time.Sleep(300 * time.Millisecond) // let the previous page view settle
		js := fmt.Sprintf(`(() => {
  history.pushState({}, '', '/bench/spa/%d' + location.search)
  const t = performance.timeOrigin + performance.now()
  analytics.page()
  return t
})()`, i)
		t, err := chromedp.Run(tab, chromedp.Evaluate[float64](js))
		if err != nil {
			return res, nil, fmt.Errorf("SPA navigation %d: %w", i, err)
		}
		got, err := s.waitAttach(account, 1+i, time.Duration(30*rate)*time.Second)
		if err != nil {
			return res, nil, fmt.Errorf("SPA navigation %d: %w", i, err)
		}
		spaCalls = append(spaCalls, t)
		spaAttach = append(spaAttach, got[i])
	}
	time.Sleep(1000 * time.Millisecond) // trailing work of the last page view
	pd, evs, err := collectLoad(tab, stopTrace)
	if err != nil {
		return res, nil, err
	}
	offset, err := analyseLoad(e, s, &res, pd, account, first[0])
	if err != nil {
		return res, nil, err
	}
	for i := range spaCalls {
		res.SPA = append(res.SPA, msOf(spaAttach[i])-(spaCalls[i]+offset))
	}
	if len(pd.Probe) == 1+spaNavigations {
		res.ProbeLoad = pd.Probe[0]
		for i := range spaCalls {
			res.ProbeSPA = append(res.ProbeSPA, pd.TimeOrigin+pd.Probe[1+i]-spaCalls[i])
		}
	} else {
		res.Errors = append(res.Errors, fmt.Sprintf("the probe destination saw %d page views, expected %d", len(pd.Probe), 1+spaNavigations))
	}
	// SPA: analytics.page() → our plugin's page() → the attach request
	// started (the first attach entry after that hand-over) → received.
	handoffs := pageHandoffs(pd)
	attaches := attachEntries(pd)
	if len(handoffs) == 1+spaNavigations {
		for i := range spaCalls {
			h := handoffs[1+i]
			res.SPAShare = append(res.SPAShare, pd.TimeOrigin+h-spaCalls[i])
			next := math.Inf(1)
			if i+1 < len(spaCalls) {
				next = handoffs[2+i]
			}
			for _, a := range attaches {
				if a.Start >= h && a.Start < next {
					res.HandToFetch = append(res.HandToFetch, a.Start-h)
					res.FetchToRecv = append(res.FetchToRecv, msOf(spaAttach[i])-(pd.TimeOrigin+a.Start+offset))
					break
				}
			}
		}
		if len(res.HandToFetch) != spaNavigations {
			res.Errors = append(res.Errors, fmt.Sprintf("matched %d of %d SPA hand-overs with an attach request", len(res.HandToFetch), spaNavigations))
		}
	} else {
		res.Errors = append(res.Errors, fmt.Sprintf("the plugin's page() was called %d times, expected %d", len(handoffs), 1+spaNavigations))
	}
	return res, evs, nil
}

// analyseLoad fills in what every load (cold or repeat) reports from its
// page data: the clock offset and navigation → first attach, the long
// tasks and their attribution, the Go side's start-up and the waterfall of
// the first attach. It returns the clock offset (server − page, ms).
func analyseLoad(e *env, s *benchServers, res *loadRun, pd pageData, account string, firstAttach time.Time) (float64, error) {
	// Clock offset server − page, from the sample with the smallest round
	// trip (NTP-style midpoint).
	best := -1
	for i, smp := range pd.Samples {
		if best < 0 || smp[2]-smp[0] < pd.Samples[best][2]-pd.Samples[best][0] {
			best = i
		}
	}
	if best < 0 {
		return 0, fmt.Errorf("no clock samples")
	}
	smp := pd.Samples[best]
	offset := smp[1] - (smp[0]+smp[2])/2
	res.ClockRTT = smp[2] - smp[0]
	navStart := pd.TimeOrigin + offset // navigation start in server time
	res.NavToAtt = msOf(firstAttach) - navStart
	if doc, ok := s.docRequested(account); ok {
		res.NavToAtt2 = msOf(firstAttach) - msOf(doc) + pd.RequestStart
	}
	top := append([]goCall(nil), pd.GoCalls...)
	sort.Slice(top, func(i, j int) bool { return top[i].Duration > top[j].Duration })
	if len(top) > 3 {
		top = top[:3]
	}
	res.TopGo = top
	res.GoTotal, res.GoCount, res.GoMax = pd.GoTotal, pd.GoCount, pd.GoMax
	res.WasmLoad = pd.Wasm
	res.Errors = append(res.Errors, pd.Errors...)
	res.Calib = pd.Calib
	res.SyncNow = pd.SyncNow
	for _, lt := range pd.Longtasks {
		a := attribute(res.Variant, pd, lt)
		a.Run = res.Run
		res.LongCount++
		res.LongTotal += lt.Duration
		if a.FromWasm {
			res.WasmLong++
			res.WasmLongMs += lt.Duration
		}
		if a.DestJS {
			res.DestLong++
			res.DestLongMs += lt.Duration
		}
		res.Attributed = append(res.Attributed, a)
	}
	for _, a := range unreportedGoTasks(pd) {
		a.Run = res.Run
		res.LongCount++
		res.LongTotal += a.Duration
		res.WasmLong++
		res.WasmLongMs += a.Duration
		res.Attributed = append(res.Attributed, a)
	}
	sort.SliceStable(res.Attributed, func(i, j int) bool { return res.Attributed[i].Start < res.Attributed[j].Start })
	for _, ev := range pd.Ev {
		if ev.N == "plugin-load" {
			var x struct {
				SignedIn bool `json:"signedIn"`
			}
			json.Unmarshal(ev.X, &x)
			res.SignedIn = "no"
			if x.SignedIn {
				res.SignedIn = "yes"
			}
			break
		}
	}
	recv := msOf(firstAttach) - offset - pd.TimeOrigin // first attach received, page clock
	res.Waterfall = waterfall(res.Variant, pd, e.ops, recv)
	if w, ok := res.Waterfall["compile"]; ok {
		res.Compile = w.End - w.Start
	}
	if w, ok := res.Waterfall["compile-tail"]; ok {
		res.CompileTail = w.End - w.Start
	}
	if w, ok := res.Waterfall["go-run"]; ok {
		res.GoRun = w.End - w.Start
	}
	if r, ok := wasmResource(pd); ok {
		res.WasmFrom = resourceFrom(r)
	}
	return offset, nil
}

// pageHandoffs are the moments analytics.js called the Rupt plugin's
// page() (page ms), in order.
func pageHandoffs(pd pageData) []float64 {
	var hs []float64
	for _, ev := range pd.Ev {
		if ev.N == "handoff" && string(ev.X) == `"page"` {
			hs = append(hs, ev.T)
		}
	}
	return hs
}

// attachEntries are the resource-timing entries of the attach requests,
// in the order they started.
func attachEntries(pd pageData) []resEntry {
	var as []resEntry
	for _, r := range pd.Resources {
		if strings.Contains(r.Name, "/v2/device/attach") {
			as = append(as, r)
		}
	}
	sort.Slice(as, func(i, j int) bool { return as[i].Start < as[j].Start })
	return as
}

func wasmResource(pd pageData) (resEntry, bool) {
	for _, r := range pd.Resources {
		if strings.HasSuffix(r.Name, ".wasm") {
			return r, true
		}
	}
	return resEntry{}, false
}

// resourceFrom says where a resource came from, by resource timing: a
// deliveryType of "cache", or no bytes transferred with a body, is the
// HTTP cache.
func resourceFrom(r resEntry) string {
	switch {
	case r.DeliveryType == "cache" || (r.TransferSize == 0 && r.EncodedSize > 0):
		return "cache"
	case r.TransferSize > 0:
		return "network"
	}
	return "unknown"
}

func overlap(a0, a1, b0, b1 float64) float64 {
	return math.Max(0, math.Min(a1, b1)-math.Max(a0, b0))
}

// attribute says what ran during a long task, as far as the page can
// tell, and whether it counts as ours (Go or its compile, the target):
//
//   - Go time is exact: Go runs on the main thread only inside the timed
//     run/resume/rupt_call exports (lazy compilation of a function on its
//     first call happens inside them, so it is Go time too). A task is
//     ours when Go ran for 50 ms or more of it (it would be a long task
//     alone; under CPU throttling the JS around a Go call stretches too, so
//     Go can be under half of a task it alone makes long), or for at least
//     half of it.
//   - The compile's main-thread work (taking the bytes, finishing the
//     module, instantiating it) runs no script, so a
//     long-animation-frame names none: a task is ours when the
//     instantiate promise resolved inside it (V8 instantiates in that task,
//     and the shim starts Go in it), or when it overlaps a compile or
//     instantiate window and neither scripts nor a frame's rendering
//     account for half of it.
//
// Script entries name the entry point only. Two kinds are relabelled:
// instrument.js's own promise reactions on the collectors' browser APIs
// (its timing of startRendering, getHighEntropyValues and digest is the
// first reaction, so the frame names it for the awaiting collector's work
// that follows in the same microtask checkpoint), and callbacks with no
// script URL (a promise resumed by setTimeout(resolve), as the shim's
// nextTask and the SDK's waits do). Both count as the destination's own JS,
// with the entries of its scripts (rupt-actions.js; segment-path.js and
// Rupt's SDK), for the info figure of tasks that are mostly the
// destination's JS without being Go or compile (the signal collection).
func attribute(variant string, pd pageData, lt longTask) attribution {
	t0, t1 := lt.Start, lt.Start+lt.Duration
	a := attribution{Start: lt.Start, Duration: lt.Duration}
	for _, c := range pd.GoCalls {
		a.GoMs += overlap(t0, t1, c.Start, c.Start+c.Duration)
	}
	for _, w := range pd.Wasm {
		end := w.End
		if end < 0 {
			end = math.Inf(1)
		}
		if overlap(t0, t1, w.Start, end) > 0 {
			a.InWasmLoad = true
		}
		if strings.HasPrefix(w.Kind, "instantiate") && w.End >= t0 && w.End <= t1 {
			a.AtInstance = true
		}
	}
	type agg struct {
		ms   float64
		name string
	}
	byScript := map[string]*agg{}
	for _, f := range pd.LoAF {
		if overlap(t0, t1, f.Start, f.Start+f.Duration) <= 0 {
			continue
		}
		if f.RenderStart > 0 {
			a.RenderMs += overlap(t0, t1, f.RenderStart, f.Start+f.Duration)
		}
		for _, sc := range f.Scripts {
			o := overlap(t0, t1, sc.Start, sc.Start+sc.Duration)
			if o <= 0 {
				continue
			}
			name, dest := scriptLabel(variant, sc.URL, sc.Invoker)
			key := name + " ← " + sc.Invoker
			if byScript[key] == nil {
				byScript[key] = &agg{name: key}
			}
			byScript[key].ms += o
			a.ScriptsMs += o
			if dest {
				a.DestJSMs += o
			}
		}
	}
	list := make([]*agg, 0, len(byScript))
	for _, v := range byScript {
		list = append(list, v)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].ms > list[j].ms })
	for _, v := range list {
		a.Scripts = append(a.Scripts, fmt.Sprintf("%s %.0f ms", v.name, v.ms))
	}
	half := lt.Duration / 2
	switch {
	case a.GoMs >= 50:
		a.FromWasm, a.Why = true, "Go ≥ 50 ms"
	case a.GoMs >= half:
		a.FromWasm, a.Why = true, "Go ≥ half"
	case a.AtInstance && a.ScriptsMs < half:
		a.FromWasm, a.Why = true, "instantiation (the promise resolved in it)"
	case a.InWasmLoad && a.ScriptsMs < half && a.RenderMs < half:
		a.FromWasm, a.Why = true, "compile window, no script, not rendering"
	case a.DestJSMs >= half:
		a.DestJS, a.Why = true, "the destination's JS"
	default:
		a.Why = "–"
	}
	return a
}

// unreportedGoTasks returns a long task of ours for each call into Go of
// 50 ms or more that no long task the page observed contains: Go runs
// synchronously, inside one task, so such a call proves a long task. The
// Long Tasks API in this Chromium does not report every task: the traced
// loads show the one in which the instantiate promise resolves and Go
// starts (175 ms at 4x) as "no long task reported by the page". The
// duration given is the Go call's, a lower bound of the task's.
func unreportedGoTasks(pd pageData) []attribution {
	var out []attribution
	for _, c := range pd.GoCalls {
		if c.Duration < 50 {
			continue
		}
		covered := false
		for _, lt := range pd.Longtasks {
			if overlap(lt.Start, lt.Start+lt.Duration, c.Start, c.Start+c.Duration) >= c.Duration/2 {
				covered = true
				break
			}
		}
		if covered {
			continue
		}
		out = append(out, attribution{
			Start: c.Start, Duration: c.Duration, GoMs: c.Duration,
			Scripts:  []string{"(not reported by the page's Long Tasks API; duration: the Go call " + c.Name + ")"},
			FromWasm: true, Why: "Go ≥ 50 ms, a task the page did not report",
		})
	}
	return out
}

// scriptLabel names a long-animation-frame script entry for the long-task
// tables, and says whether it is the destination's own JS (see attribute).
func scriptLabel(variant, src, invoker string) (string, bool) {
	switch {
	case src == "":
		return "(no script URL)", true
	case strings.HasSuffix(src, "/bench/pages/instrument.js") && (strings.Contains(invoker, "startRendering") || strings.Contains(invoker, "getHighEntropyValues") || strings.Contains(invoker, "digest")):
		return "(the awaiting collector, after instrument.js's timing reaction)", true
	}
	name := shortURL(src)
	if variant == "ours" {
		return name, strings.HasSuffix(name, "/dist/rupt-actions.js")
	}
	return name, strings.HasSuffix(name, "/bench/gen/segment-path.js") || strings.HasPrefix(name, "cdn.rupt.dev/")
}

// shortURL keeps the path of a script URL (hosts are all local here,
// except the mapped Rupt ones).
func shortURL(s string) string {
	if s == "" {
		return "(no script)"
	}
	u, err := url.Parse(s)
	if err != nil {
		return s
	}
	if strings.HasSuffix(u.Host, "rupt.dev") {
		return u.Host + u.Path
	}
	return u.Path
}

// collectLoad ends a load's trace (when stopTrace is set) and reads what
// the page recorded.
func collectLoad(tab context.Context, stopTrace func() ([]traceEvent, error)) (pageData, []traceEvent, error) {
	var evs []traceEvent
	if stopTrace != nil {
		var err error
		if evs, err = stopTrace(); err != nil {
			return pageData{}, nil, err
		}
	}
	pd, err := chromedp.Run(tab, chromedp.Evaluate[pageData](collectJS, chromedp.EvalAwaitPromise))
	if err != nil {
		return pageData{}, nil, fmt.Errorf("collect page data: %w", err)
	}
	return pd, evs, nil
}
