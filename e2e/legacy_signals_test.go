package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The legacy `signals` object of the attach request: jsbridge/src/legacy-signals.js
// must build exactly what rupt's getSignals() builds, in the same browser,
// without leaving globals or DOM nodes behind and without ever throwing.

// legacyKeys is getSignals()'s key order.
var legacyKeys = []string{"fonts", "languages", "screenResolution", "timezone", "platform",
	"touchSupport", "math", "localStorage", "highEntropyValues"}

// legacyServer builds two ES-module bundles with esbuild and serves them
// next to the test pages in testdata/legacysignals:
//
//	/build/compare.js  rupt's getSignals and ours (compare.js)
//	/build/legacy.js   only legacy-signals.js, minified like production
func legacyServer(t *testing.T) string {
	t.Helper()
	out := t.TempDir()
	esbuild(t, filepath.Join("testdata", "legacysignals", "compare.js"), filepath.Join(out, "compare.js"))
	esbuild(t, filepath.Join(repoRoot(), "jsbridge", "src", "legacy-signals.js"), filepath.Join(out, "legacy.js"),
		"--minify", "--target=es2020")
	if fi, err := os.Stat(filepath.Join(out, "legacy.js")); err == nil {
		t.Logf("legacy-signals.js minified: %d bytes", fi.Size())
	}
	mux := http.NewServeMux()
	mux.Handle("/build/", http.StripPrefix("/build/", http.FileServer(http.Dir(out))))
	mux.Handle("/", http.FileServer(http.Dir(filepath.Join("testdata", "legacysignals"))))
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	return ts.URL
}

func esbuild(t *testing.T, entry, outfile string, extra ...string) {
	t.Helper()
	args := append([]string{entry, "--bundle", "--format=esm", "--platform=browser",
		"--log-level=warning", "--outfile=" + outfile}, extra...)
	cmd := exec.Command(filepath.Join(repoRoot(), "node_modules", ".bin", "esbuild"), args...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("esbuild %s: %v\n%s", entry, err, out)
	}
}

// legacyTab opens page in a new tab with its own browser context, in the
// shared browser unless another one is given.
func legacyTab(t *testing.T, page string, in ...context.Context) context.Context {
	t.Helper()
	parent := browser
	if len(in) > 0 {
		parent = in[0]
	}
	tab, cancel := chromedp.NewContext(parent, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	tab, cancelTimeout := context.WithTimeout(tab, 60*time.Second)
	t.Cleanup(cancelTimeout)
	require.NoError(t, chromedp.Do(tab, chromedp.Navigate(page)), "open %s", page)
	return tab
}

func evalJS[T any](t *testing.T, tab context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(tab, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	require.NoError(t, err, "eval %s", js)
	return v
}

type comparison struct {
	Rupt     string  `json:"rupt"`
	Ours     string  `json:"ours"`
	RuptMs   float64 `json:"ruptMs"`
	OursMs   float64 `json:"oursMs"`
	Mismatch string  `json:"mismatch"`
}

// compareSignals runs compare.js in the tab and checks that both objects
// are equal: deeply (JSON-equal), in key order (identical JSON text), and
// in what JSON hides (undefined-valued keys).
func compareSignals(t *testing.T, tab context.Context) map[string]any {
	t.Helper()
	c := evalJS[comparison](t, tab, `import('/build/compare.js').then((m) => m.compare())`)
	assert.JSONEq(t, c.Rupt, c.Ours, "legacySignals() must equal rupt's getSignals()")
	assert.Equal(t, c.Rupt, c.Ours, "same JSON text, key order included")
	assert.Empty(t, c.Mismatch, "deep difference")
	t.Logf("rupt getSignals: %.1f ms, legacySignals: %.1f ms", c.RuptMs, c.OursMs)
	var ours map[string]any
	require.NoError(t, json.Unmarshal([]byte(c.Ours), &ours))
	return ours
}

// value is signals[key].value (nil when absent).
func value(signals map[string]any, key string) any {
	entry, _ := signals[key].(map[string]any)
	return entry["value"]
}

func TestLegacySignals(t *testing.T) {
	base := legacyServer(t)

	var plainFonts any
	t.Run("MatchesRupt", func(t *testing.T) {
		tab := legacyTab(t, base+"/index.html")
		got := compareSignals(t, tab)
		t.Logf("signals: %v", got)

		// The comparison must not be vacuous: every signal is really there.
		for _, k := range legacyKeys {
			assert.Contains(t, got, k)
		}
		assert.IsType(t, []any{}, value(got, "fonts"))
		plainFonts = value(got, "fonts")
		assert.NotEmpty(t, value(got, "languages"))
		assert.Len(t, value(got, "screenResolution"), 2)
		assert.NotEmpty(t, value(got, "timezone"))
		assert.NotEmpty(t, value(got, "platform"))
		assert.Len(t, value(got, "math"), 24)
		assert.Equal(t, true, value(got, "localStorage"))
		hev, _ := value(got, "highEntropyValues").(map[string]any)
		assert.Contains(t, hev, "architecture", "127.0.0.1 is a secure context: client hints are available")

		// Timing of our collector alone, warm (informational).
		times := evalJS[[]float64](t, tab, `import('/build/legacy.js').then(async (m) => {
			const times = []
			for (let i = 0; i < 10; i++) {
				const t0 = performance.now()
				await m.legacySignals()
				times.push(performance.now() - t0)
			}
			return times
		})`)
		sorted := slices.Clone(times)
		slices.Sort(sorted)
		t.Logf("legacySignals x10: min %.1f ms, median %.1f ms, max %.1f ms", sorted[0], sorted[len(sorted)/2], sorted[len(sorted)-1])
	})

	// This machine has none of the SDK's listed fonts, so above both sides
	// find []. Here a Chromium of our own sees two system fonts renamed to
	// listed names (by a private fontconfig configuration), so detection
	// must find them, and agree with the SDK on them.
	t.Run("DetectsInstalledFonts", func(t *testing.T) {
		aliased := withAliasedFonts(t, "Calibri", "Menlo")
		for _, page := range []string{"/index.html", "/hostile.html"} {
			got := compareSignals(t, legacyTab(t, base+page, aliased))
			assert.Equal(t, []any{"Calibri", "Menlo"}, value(got, "fonts"), page)
		}
	})

	// hostile.html defines web fonts named Calibri and Menlo and restyles
	// spans, divs and iframes; measured in the page they would show up.
	t.Run("PageCSSDoesNotMatter", func(t *testing.T) {
		tab := legacyTab(t, base+"/hostile.html")
		got := compareSignals(t, tab)
		if plainFonts != nil {
			assert.Equal(t, plainFonts, value(got, "fonts"), "page @font-face and styles must not change the fonts")
		}
	})

	t.Run("SameFallbacksAsRupt", func(t *testing.T) {
		tab := legacyTab(t, base+"/index.html")
		evalJS[bool](t, tab, `(() => {
			const prop = (obj, name, desc) => Object.defineProperty(obj, name, { configurable: true, ...desc })
			prop(window, 'localStorage', { get() { throw new DOMException('denied', 'SecurityError') } })
			prop(navigator, 'userAgentData', { value: { getHighEntropyValues: () => Promise.reject(new Error('no hints')) } })
			prop(navigator, 'maxTouchPoints', { value: undefined })
			prop(navigator, 'msMaxTouchPoints', { value: 3 })
			prop(navigator, 'languages', { value: 'de-CH,de,en' })
			prop(Intl, 'DateTimeFormat', { value: undefined })
			prop(Math, 'acosh', { value: undefined })
			return true
		})()`)
		got := compareSignals(t, tab)
		// Each fallback path was really taken.
		assert.Equal(t, true, value(got, "localStorage"))
		assert.Equal(t, map[string]any{}, value(got, "highEntropyValues"))
		touch, _ := value(got, "touchSupport").(map[string]any)
		assert.Equal(t, 3.0, touch["maxTouchPoints"])
		langs, _ := value(got, "languages").([]any)
		if assert.Len(t, langs, 2) {
			assert.Equal(t, []any{"de-CH", "de", "en"}, langs[1])
		}
		assert.Regexp(t, `^UTC\+?\d+$`, value(got, "timezone"))
		math, _ := value(got, "math").(map[string]any)
		assert.Equal(t, 0.0, math["acosh"])
	})

	t.Run("NeverThrows", func(t *testing.T) {
		tab := legacyTab(t, base+"/index.html")
		evalJS[bool](t, tab, `(() => {
			const boom = () => { throw new Error('boom') }
			const prop = (obj, name) => Object.defineProperty(obj, name, { configurable: true, get: boom })
			for (const k of ['platform', 'vendor', 'language', 'languages', 'maxTouchPoints', 'userAgentData']) prop(navigator, k)
			prop(screen, 'width')
			prop(window, 'localStorage')
			Intl.DateTimeFormat = boom
			Date.prototype.getTimezoneOffset = boom
			document.createEvent = boom
			Math.sin = boom
			return true
		})()`)
		type result struct {
			Keys    []string        `json:"keys"`
			Present []string        `json:"present"`
			JSON    json.RawMessage `json:"json"`
			Rupt    string          `json:"rupt"`
		}
		r := evalJS[result](t, tab, `import('/build/legacy.js').then(async (m) => {
			const s = await m.legacySignals()
			const keys = Object.keys(s)
			const rupt = await import('/build/compare.js').then((c) => c.compare()).then(() => 'resolved', (e) => 'rejected: ' + e)
			return { keys, present: keys.filter((k) => s[k].value !== undefined), json: s, rupt }
		})`)
		assert.Equal(t, legacyKeys, r.Keys, "every key, in order, even when its signal failed")
		assert.Equal(t, []string{"fonts", "localStorage", "highEntropyValues"}, r.Present)
		assert.Contains(t, string(r.JSON), `"localStorage":{"value":true}`)
		assert.Contains(t, string(r.JSON), `"highEntropyValues":{"value":{}}`)
		t.Logf("rupt's getSignals in the same page: %s", r.Rupt)
	})

	t.Run("LeavesNoGlobalsOrNodes", func(t *testing.T) {
		tab := legacyTab(t, base+"/index.html")
		type result struct {
			NewGlobals  []string `json:"newGlobals"`
			GoneGlobals []string `json:"goneGlobals"`
			NodesBefore int      `json:"nodesBefore"`
			NodesAfter  int      `json:"nodesAfter"`
			Frames      int      `json:"frames"`
			BodyStyle   string   `json:"bodyStyle"`
			Fonts       bool     `json:"fonts"`
		}
		r := evalJS[result](t, tab, `(async () => {
			const before = Object.getOwnPropertyNames(window)
			const nodesBefore = document.getElementsByTagName('*').length
			const m = await import('/build/legacy.js')
			const s = await m.legacySignals()
			const after = Object.getOwnPropertyNames(window)
			return {
				newGlobals: after.filter((k) => !before.includes(k)),
				goneGlobals: before.filter((k) => !after.includes(k)),
				nodesBefore,
				nodesAfter: document.getElementsByTagName('*').length,
				frames: window.frames.length,
				bodyStyle: document.body.getAttribute('style') || '',
				fonts: Array.isArray(s.fonts.value),
			}
		})()`)
		assert.Empty(t, r.NewGlobals, "window gained own properties")
		assert.Empty(t, r.GoneGlobals, "window lost own properties")
		assert.Equal(t, r.NodesBefore, r.NodesAfter, "DOM elements left behind")
		assert.Zero(t, r.Frames, "measuring iframe left behind")
		assert.Empty(t, r.BodyStyle, "page body restyled")
		assert.True(t, r.Fonts, "fonts were measured")
	})
}

// withAliasedFonts starts a Chromium whose fontconfig sees, besides the
// system's fonts, one copy of a system font file per name, renamed to it
// (fontconfig's scan-time edit of the family), and returns its context.
func withAliasedFonts(t *testing.T, names ...string) context.Context {
	t.Helper()
	var files []string
	for _, root := range []string{"/usr/share/fonts", "/usr/local/share/fonts"} {
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".ttf") || strings.HasSuffix(p, ".otf")) {
				files = append(files, p)
			}
			return nil
		})
	}
	require.GreaterOrEqual(t, len(files), len(names), "need system fonts (.ttf/.otf under /usr/share/fonts) to rename")
	slices.Sort(files)

	dir := t.TempDir()
	fontDir := filepath.Join(dir, "fonts")
	require.NoError(t, os.MkdirAll(fontDir, 0o755))
	var conf strings.Builder
	conf.WriteString("<?xml version=\"1.0\"?>\n<!DOCTYPE fontconfig SYSTEM \"fonts.dtd\">\n<fontconfig>\n")
	conf.WriteString("  <include ignore_missing=\"yes\">/etc/fonts/fonts.conf</include>\n")
	fmt.Fprintf(&conf, "  <dir>%s</dir>\n  <cachedir>%s</cachedir>\n", fontDir, filepath.Join(dir, "cache"))
	for i, name := range names {
		src, err := os.ReadFile(files[i])
		require.NoError(t, err)
		dst := filepath.Join(fontDir, fmt.Sprintf("alias%d%s", i, filepath.Ext(files[i])))
		require.NoError(t, os.WriteFile(dst, src, 0o644))
		fmt.Fprintf(&conf, "  <match target=\"scan\"><test name=\"file\"><string>%s</string></test>"+
			"<edit name=\"family\" mode=\"assign\" binding=\"same\"><string>%s</string></edit></match>\n", dst, name)
	}
	conf.WriteString("</fontconfig>\n")
	confFile := filepath.Join(dir, "fonts.conf")
	require.NoError(t, os.WriteFile(confFile, []byte(conf.String()), 0o644))

	chrome, err := findChromium()
	require.NoError(t, err)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chrome),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(filepath.Join(dir, "profile")),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Env("FONTCONFIG_FILE="+confFile),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(cancel)
	require.NoError(t, chromedp.Do(ctx), "start %s", chrome)
	return ctx
}
