package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/chromedp/chromedp"
)

// Repeat visits (figure 2r): the same signed-in user comes back to the
// same page in the same browser, HTTP cache and code caches kept.
//
// Each path gets a persistent profile of its own (a temporary
// --user-data-dir) and an account of its own. The first visit warms the
// profile and is not measured: it loads the page, waits for the first
// attach, and stays dwell on the page so that V8 can write the compiled
// WebAssembly to the code cache (it does so only after the module has run
// for a while), then closes the browser gracefully (Browser.close flushes
// the disk caches). Every measured visit then starts a new Chromium on
// that profile, opens a blank page of the site (so the load page meets a
// running browser, as a returning user's does), throttles the tab,
// navigates to the page (a new query string, so a new navigation and
// never a reload) and measures as a cold load does, up to the first
// attach. A new browser process per visit
// means nothing survives in memory (V8 also reuses a module compiled
// earlier in the same renderer process, which would hide the code cache);
// an in-memory browser context keeps no compiled-code cache at all, so it
// cannot measure this.
//
// Whether V8's code cache is used is shown two ways: by the compile time
// (the instance − the .wasm response's end, cold against
// repeat), and by a trace of the warm-up visit and of one more repeat
// visit (not counted): Blink's v8.wasm.cachedModule event says the code
// was written to the cache (with its size), v8.wasm.moduleCacheHit that a
// compile used it, v8.wasm.moduleCacheInvalid that it could not.

type profile struct {
	variant, dir, account string
}

func runRepeatVisits(e *env, s *benchServers, rates []float64, runs int, dwell time.Duration, traceDir string, res *results) {
	profiles := map[string]*profile{}
	for _, v := range []string{"ours", "segment"} {
		dir, err := os.MkdirTemp(e.tmp, "profile-"+v+"-")
		if err != nil {
			res.RepeatErrs = append(res.RepeatErrs, err.Error())
			continue
		}
		p := &profile{variant: v, dir: dir, account: fmt.Sprintf("bench-repeat-%s-%d", v, time.Now().UnixNano())}
		logf("  %-7s first visit (warms the profile, not measured; %s on the page)", v, dwell)
		r, evs, err := visit(e, s, p, 0, rates[0], v == "ours", dwell)
		if err != nil {
			msg := fmt.Sprintf("repeat visits, %s: first visit: %v", v, err)
			logf("%s", msg)
			res.RepeatErrs = append(res.RepeatErrs, msg)
			continue
		}
		profiles[v] = p
		if v == "ours" {
			c := checkWasmCache(evs)
			c.Visit = "first visit (warms the profile)"
			c.DwellMs = float64(dwell / time.Millisecond)
			c.WasmCompileMs, c.GoStartFirstMs, c.From = r.CompileTail, r.GoRun, r.WasmFrom
			c.TraceFile = saveTrace(traceDir, "repeat-first-visit-ours.json", evs)
			res.CacheChecks = append(res.CacheChecks, c)
		}
	}
	for i := 1; i <= runs; i++ {
		for _, rate := range rates {
			order := []string{"ours", "segment"}
			if i%2 == 0 {
				order = []string{"segment", "ours"}
			}
			for _, v := range order {
				p := profiles[v]
				if p == nil {
					continue
				}
				r, _, err := visit(e, s, p, i, rate, false, 0)
				if err != nil {
					msg := fmt.Sprintf("repeat visit %s %g× run %d: %v", v, rate, i, err)
					logf("%s", msg)
					res.RepeatErrs = append(res.RepeatErrs, msg)
					continue
				}
				logf("  %-7s %g× repeat %2d: nav→attach %7.1f ms, .wasm from %s, compile after download %.1f ms, signed in at plugin load: %s",
					v, rate, i, r.NavToAtt, orDash(r.WasmFrom), r.CompileTail, r.SignedIn)
				k := loadKey{v, rate, true}
				res.Loads[k] = append(res.Loads[k], r)
			}
		}
	}
	// One more repeat visit of ours, traced (not counted), per rate.
	if p := profiles["ours"]; p != nil {
		for _, rate := range rates {
			r, evs, err := visit(e, s, p, runs+1, rate, true, 0)
			if err != nil {
				res.RepeatErrs = append(res.RepeatErrs, fmt.Sprintf("traced repeat visit at %g×: %v", rate, err))
				continue
			}
			c := checkWasmCache(evs)
			c.Visit = fmt.Sprintf("repeat visit at %g× (traced, not counted)", rate)
			c.WasmCompileMs, c.GoStartFirstMs, c.From = r.CompileTail, r.GoRun, r.WasmFrom
			c.TraceFile = saveTrace(traceDir, fmt.Sprintf("repeat-visit-ours-%gx.json", rate), evs)
			res.CacheChecks = append(res.CacheChecks, c)
		}
	}
}

// visit starts a Chromium on the profile, throttles its tab, opens the
// load page as p's user and measures up to the first attach (n is the
// visit's number, 0 for the first). With trace the visit is traced; with
// dwell it stays that long on the page after the attach (else 1 s, the
// trailing work). The browser is then closed gracefully, so its caches
// reach the disk.
func visit(e *env, s *benchServers, p *profile, n int, rate float64, trace bool, dwell time.Duration) (loadRun, []traceEvent, error) {
	res := loadRun{Variant: p.variant, Run: n, Rate: rate, Repeat: true}
	ctx, stop, _, err := startBrowser(e, strings.TrimPrefix(s.rupt.URL, "https://"), p.dir)
	if err != nil {
		return res, nil, err
	}
	defer func() {
		cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		chromedp.Cancel(cctx) // Browser.close: the profile's caches are written
		cancel()
		stop()
	}()
	tab, cancelT := context.WithTimeout(ctx, time.Duration(120*rate)*time.Second+dwell)
	defer cancelT()
	// A blank page of the same site first: the browser has just started,
	// and a returning user's browser is already running (its network
	// service, disk cache index and a renderer for the site are up). The
	// blank page loads nothing the load page uses.
	if err := chromedp.Do(tab, chromedp.Navigate(s.site.URL+"/bench/pages/blank.html")); err != nil {
		return res, nil, fmt.Errorf("open the blank page: %w", err)
	}
	if err := throttle(tab, rate); err != nil {
		return res, nil, err
	}
	var stopTrace func() ([]traceEvent, error)
	if trace {
		if stopTrace, err = startTrace(tab); err != nil {
			return res, nil, err
		}
	}
	before := s.attachCount(p.account)
	u := loadURL(s, p.variant, p.account, fmt.Sprintf("&visit=%d", n))
	if err := chromedp.Do(tab, chromedp.Navigate(u)); err != nil {
		return res, nil, fmt.Errorf("open %s: %w", u, err)
	}
	got, err := s.waitAttach(p.account, before+1, time.Duration(60*rate)*time.Second)
	if err != nil {
		return res, nil, err
	}
	if dwell > 0 {
		time.Sleep(dwell)
	} else {
		time.Sleep(1000 * time.Millisecond)
	}
	pd, evs, err := collectLoad(tab, stopTrace)
	if err != nil {
		return res, nil, err
	}
	if _, err := analyseLoad(e, s, &res, pd, p.account, got[before]); err != nil {
		return res, nil, err
	}
	return res, evs, nil
}

// saveTrace writes a trace into dir (when the run keeps traces) and
// returns its path, or "".
func saveTrace(dir, name string, evs []traceEvent) string {
	if dir == "" || len(evs) == 0 {
		return ""
	}
	path := filepath.Join(dir, name)
	if err := writeTrace(path, evs); err != nil {
		logf("trace %s: %v", path, err)
		return ""
	}
	return path
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}
