package main

import (
	"context"
	"fmt"
	"math"
	"net/url"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"
)

// startBrowser launches headless Chromium the way e2e/main_test.go does,
// with api.rupt.dev and cdn.rupt.dev mapped to the bench's TLS server.
func startBrowser(e *env, tlsHostPort string) (context.Context, func(), string, error) {
	dir, err := os.MkdirTemp(e.tmp, "chromium-")
	if err != nil {
		return nil, nil, "", err
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
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
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
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

// pageData is what a load page reports after the run (see instrument.js).
type pageData struct {
	TimeOrigin   float64       `json:"timeOrigin"`
	RequestStart float64       `json:"requestStart"`
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
	AttachStarts []float64     `json:"attachStarts"` // page ms when each attach request started (resource timing)
	Attribution  []attribution `json:"-"`
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
	Start    float64 `json:"start"`
	Duration float64 `json:"duration"`
	Blocking float64 `json:"blocking"`
	Scripts  []struct {
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
}

// attribution is one long task with what ran in it, as far as the page
// can tell.
type attribution struct {
	Run        int
	Start      float64
	Duration   float64
	GoMs       float64 // time inside Go (run/resume exports) within the task
	InWasmLoad bool    // overlaps a WebAssembly compile/instantiate window
	ScriptsMs  float64 // time of LoAF script entries within the task
	Scripts    []string
	FromWasm   bool
}

// loadRun is one page load of one variant, in a fresh browser context.
type loadRun struct {
	Variant    string
	Run        int
	NavToAtt   float64   // navigation start → first attach received (ms), by clock offset
	NavToAtt2  float64   // the same through the document request (cross-check)
	ClockRTT   float64   // round trip of the best clock sample (ms)
	SPA        []float64 // analytics.page() after pushState → attach received (ms)
	LongCount  int
	LongTotal  float64
	WasmLong   int // long tasks attributed to the WASM
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
	// For the SPA page views, from the attach requests' resource timing:
	// page view handed to destinations → attach request started, and
	// request started → received by the server (ms).
	HandToFetch []float64
	FetchToRecv []float64
}

const spaNavigations = 5

const collectJS = `(async () => {
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
    loadEnd: nav.loadEventEnd || 0,
    samples,
    longtasks: B.longtasks, loaf: B.loaf, wasm: B.wasm, goCalls: B.goCalls,
    goTotal: B.goTotal, goCount: B.goCount, goMax: B.goMax, errors: B.errors,
    memory: B.wasmMemory ? B.wasmMemory() : [],
    probe: B.probe,
    attachStarts: performance.getEntriesByType('resource').filter((e) => e.name.includes('/v2/device/attach')).map((e) => e.startTime),
  }
})()`

// runLoad opens the load page of a variant in a fresh browser context,
// waits for the first attach, then does five SPA navigations
// (history.pushState + analytics.page()), each waiting for its attach.
func runLoad(bctx context.Context, s *benchServers, variant string, run int) (loadRun, error) {
	res := loadRun{Variant: variant, Run: run}
	account := fmt.Sprintf("bench-%s-%d-%d", variant, run, time.Now().UnixNano())
	tab, cancel := chromedp.NewContext(bctx, chromedp.WithNewBrowserContext())
	defer cancel()
	tab, cancelT := context.WithTimeout(tab, 120*time.Second)
	defer cancelT()
	if err := chromedp.Do(tab); err != nil { // the tab exists before the clock starts
		return res, err
	}
	u := s.site.URL + "/bench/pages/load.html?v=" + variant + "&account=" + url.QueryEscape(account)
	if err := chromedp.Do(tab, chromedp.Navigate(u)); err != nil {
		return res, fmt.Errorf("open %s: %w", u, err)
	}
	first, err := s.waitAttach(account, 1, 60*time.Second)
	if err != nil {
		return res, err
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
			return res, fmt.Errorf("SPA navigation %d: %w", i, err)
		}
		got, err := s.waitAttach(account, 1+i, 30*time.Second)
		if err != nil {
			return res, fmt.Errorf("SPA navigation %d: %w", i, err)
		}
		spaCalls = append(spaCalls, t)
		spaAttach = append(spaAttach, got[i])
	}
	time.Sleep(1000 * time.Millisecond) // trailing work of the last page view
	pd, err := chromedp.Run(tab, chromedp.Evaluate[pageData](collectJS, chromedp.EvalAwaitPromise))
	if err != nil {
		return res, fmt.Errorf("collect page data: %w", err)
	}

	// Clock offset server − page, from the sample with the smallest round
	// trip (NTP-style midpoint).
	best := -1
	for i, smp := range pd.Samples {
		if best < 0 || smp[2]-smp[0] < pd.Samples[best][2]-pd.Samples[best][0] {
			best = i
		}
	}
	if best < 0 {
		return res, fmt.Errorf("no clock samples")
	}
	smp := pd.Samples[best]
	offset := smp[1] - (smp[0]+smp[2])/2
	res.ClockRTT = smp[2] - smp[0]
	navStart := pd.TimeOrigin + offset // navigation start in server time
	res.NavToAtt = msOf(first[0]) - navStart
	if doc, ok := s.docRequested(account); ok {
		res.NavToAtt2 = msOf(first[0]) - msOf(doc) + pd.RequestStart
	}
	for i := range spaCalls {
		res.SPA = append(res.SPA, msOf(spaAttach[i])-(spaCalls[i]+offset))
	}
	if len(pd.Probe) == 1+spaNavigations {
		res.ProbeLoad = pd.Probe[0]
		for i := range spaCalls {
			res.ProbeSPA = append(res.ProbeSPA, pd.TimeOrigin+pd.Probe[1+i]-spaCalls[i])
		}
		if len(pd.AttachStarts) >= 1+spaNavigations {
			for i := range spaCalls {
				start := pd.AttachStarts[len(pd.AttachStarts)-spaNavigations+i] // a retried first attach adds entries before
				res.HandToFetch = append(res.HandToFetch, start-pd.Probe[1+i])
				res.FetchToRecv = append(res.FetchToRecv, msOf(spaAttach[i])-(pd.TimeOrigin+start+offset))
			}
		}
	} else {
		res.Errors = append(res.Errors, fmt.Sprintf("the probe destination saw %d page views, expected %d", len(pd.Probe), 1+spaNavigations))
	}
	top := append([]goCall(nil), pd.GoCalls...)
	sort.Slice(top, func(i, j int) bool { return top[i].Duration > top[j].Duration })
	if len(top) > 3 {
		top = top[:3]
	}
	res.TopGo = top
	res.GoTotal, res.GoCount, res.GoMax = pd.GoTotal, pd.GoCount, pd.GoMax
	res.WasmLoad = pd.Wasm
	res.Errors = pd.Errors
	for _, lt := range pd.Longtasks {
		a := attribute(pd, lt)
		a.Run = run
		res.LongCount++
		res.LongTotal += lt.Duration
		if a.FromWasm {
			res.WasmLong++
		}
		res.Attributed = append(res.Attributed, a)
	}
	return res, nil
}

func overlap(a0, a1, b0, b1 float64) float64 {
	return math.Max(0, math.Min(a1, b1)-math.Max(a0, b0))
}

// attribute says what ran during a long task: Go time (exact: Go runs on
// the main thread only inside the run/resume exports), whether a
// WebAssembly compile/instantiate window was open, and the scripts the
// overlapping long animation frames name. A task is counted as the WASM's
// when Go ran for at least half of it, or when it falls in a
// compile/instantiate window and no script accounts for half of it.
func attribute(pd pageData, lt longTask) attribution {
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
		for _, sc := range f.Scripts {
			o := overlap(t0, t1, sc.Start, sc.Start+sc.Duration)
			if o <= 0 {
				continue
			}
			key := shortURL(sc.URL) + " ← " + sc.Invoker
			if byScript[key] == nil {
				byScript[key] = &agg{name: key}
			}
			byScript[key].ms += o
			a.ScriptsMs += o
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
	a.FromWasm = a.GoMs >= lt.Duration/2 || (a.InWasmLoad && a.ScriptsMs < lt.Duration/2)
	return a
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
