package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"

	"rupt-actions-wasm/examples/server"
)

// The flows every browser engine must run (engineflows_test.go) are written
// once against enginePage, which Chromium (chromedp), Firefox ESR (WebDriver
// BiDi, bidi_test.go) and WebKitGTK's MiniBrowser (classic WebDriver,
// webdriver_test.go) implement. Each engine is one browser started on first
// use and shared by all of that engine's tests; every page gets its own
// cookies and storage.

// engine is one browser.
type engine interface {
	// version is the browser's name and version, for test logs.
	version() string
	// newPage opens a page with fresh cookies and storage.
	newPage(ctx context.Context) (enginePage, error)
}

// enginePage is one tab of an engine.
type enginePage interface {
	// navigate loads an http(s) URL and waits for its load event.
	navigate(ctx context.Context, url string) error
	// eval evaluates a JavaScript expression in the page, awaits it if it
	// is a promise, and returns JSON.stringify of its value.
	eval(ctx context.Context, js string) (string, error)
	// close closes the page, dropping its cookies and storage.
	close()
}

// consoleReader is an enginePage that also reads the browser's console
// (Chromium, Firefox; classic WebDriver has no console API): the errors
// logged since the page opened, in every document it showed, the
// browser's own messages included.
type consoleReader interface {
	nativeErrors() []string
}

// awaitJSON wraps an expression so that it evaluates to the JSON of its
// (awaited) value: what every engine's eval returns.
func awaitJSON(js string) string {
	return "(async () => { const v = await (" + js + "\n); return JSON.stringify(v === undefined ? null : v) })()"
}

// The engines, started on first use and stopped by TestMain.
var (
	enginesMu   sync.Mutex
	engines     = map[string]engine{}
	engineErrs  = map[string]error{}
	engineStops []func()
)

// engineNames are the engines every cross-engine flow runs in.
var engineNames = []string{"chromium", "firefox", "webkit"}

// getEngine returns the shared engine of that name, starting it the first
// time. A browser that is missing or does not start fails the test, saying
// how to install it: browser tests never skip.
func getEngine(t *testing.T, name string) engine {
	t.Helper()
	enginesMu.Lock()
	defer enginesMu.Unlock()
	if e, ok := engines[name]; ok {
		return e
	}
	if err, ok := engineErrs[name]; ok {
		t.Fatal(err)
	}
	var (
		e    engine
		stop func()
		err  error
	)
	switch name {
	case "chromium":
		e = chromiumEngine{}
	case "firefox":
		e, stop, err = startFirefox()
	case "webkit":
		e, stop, err = startWebKit()
	default:
		err = fmt.Errorf("unknown engine %q", name)
	}
	if stop != nil {
		engineStops = append(engineStops, stop)
	}
	if err != nil {
		engineErrs[name] = err
		t.Fatal(err)
	}
	engines[name] = e
	t.Logf("%s: %s", name, e.version())
	return e
}

// stopEngines ends the browsers and helpers the engines started.
func stopEngines() {
	enginesMu.Lock()
	defer enginesMu.Unlock()
	for i := len(engineStops) - 1; i >= 0; i-- {
		engineStops[i]()
	}
	engineStops = nil
}

// chromiumEngine is the Chromium TestMain started (browser), through chromedp.
type chromiumEngine struct{}

func (chromiumEngine) version() string {
	v, err := chromedp.CallBrowser(browser, cdpbrowser.GetVersion, cdp.Empty{})
	if err != nil {
		return "Chromium (version unknown: " + err.Error() + ")"
	}
	return v.Product
}

func (chromiumEngine) newPage(ctx context.Context) (enginePage, error) {
	tab, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	if err := chromedp.Do(tab); err != nil {
		cancel()
		return nil, err
	}
	p := &chromiumPage{tab: tab, cancel: cancel}
	msgs := chromedp.Console(tab)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException {
				p.mu.Lock()
				p.errors = append(p.errors, string(m.Type)+": "+m.Text)
				p.mu.Unlock()
			}
		}
	}()
	return p, nil
}

type chromiumPage struct {
	tab    context.Context
	cancel context.CancelFunc
	mu     sync.Mutex
	errors []string
}

func (p *chromiumPage) nativeErrors() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.errors...)
}

// bound runs f with the tab's context limited by ctx's deadline.
func (p *chromiumPage) bound(ctx context.Context, f func(context.Context) error) error {
	c := p.tab
	if d, ok := ctx.Deadline(); ok {
		var cancel context.CancelFunc
		c, cancel = context.WithDeadline(p.tab, d)
		defer cancel()
	}
	return f(c)
}

func (p *chromiumPage) navigate(ctx context.Context, url string) error {
	return p.bound(ctx, func(c context.Context) error { return chromedp.Do(c, chromedp.Navigate(url)) })
}

func (p *chromiumPage) eval(ctx context.Context, js string) (string, error) {
	var out string
	err := p.bound(ctx, func(c context.Context) error {
		v, err := chromedp.Run(c, chromedp.Evaluate[string](awaitJSON(js), chromedp.EvalAwaitPromise))
		out = v
		return err
	})
	return out, err
}

func (p *chromiumPage) close() { p.cancel() }

// xsite is one cross-engine test's example server and page: newSite's
// counterpart, driven through enginePage. Every HTML page it serves loads
// the probe (probeJS) before anything else.
type xsite struct {
	t    *testing.T
	eng  string
	srv  *server.Server
	url  string
	page enginePage
	ctx  context.Context

	mu      sync.Mutex
	handler http.Handler
	// consoleFrom is how many of the browser's console errors came before
	// the last open (they belong to documents the test has left).
	consoleFrom int
}

// probePath is where the probe script is served; every HTML page loads it
// first.
const probePath = "/__e2e/probe.js"

// probeJS runs before the page's own scripts in every engine (classic
// WebDriver has no console API and no way to run a script first). It keeps,
// out of the page's way, the window's own property names at that moment,
// the rupt:error events' details, and every console.error, uncaught error, unhandled rejection and CSP
// violation.
const probeJS = `(() => {
	const errors = [], ruptErrors = [];
	const globals = Object.getOwnPropertyNames(window);
	Object.defineProperty(window, '__e2eProbe', {value: {errors, ruptErrors, globals}});
	addEventListener('rupt:error', (e) => ruptErrors.push(e.detail));
	const text = (v) => { try { return v instanceof Error ? String(v.stack || v) : typeof v === 'object' ? JSON.stringify(v) : String(v) } catch (_) { return String(v) } };
	const consoleError = console.error;
	console.error = function (...args) { errors.push('console.error: ' + args.map(text).join(' ')); return consoleError.apply(this, args) };
	addEventListener('error', (e) => errors.push('error: ' + (e.message || (e.target && (e.target.src || e.target.href)) || e.type)), true);
	addEventListener('unhandledrejection', (e) => errors.push('unhandled rejection: ' + text(e.reason)));
	addEventListener('securitypolicyviolation', (e) => errors.push('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI + ' at ' + e.sourceFile + ':' + e.lineNumber + ':' + e.columnNumber + ' ' + (e.sample || '')));
})();
`

func newXSite(t *testing.T, eng string) *xsite {
	t.Helper()
	e := getEngine(t, eng)
	root := repoRoot()
	srv := server.New(server.Config{
		DistDir:      filepath.Join(root, "dist"),
		AnalyticsDir: filepath.Join(root, "node_modules", "@segment", "analytics-next", "dist", "umd"),
		SiteDir:      filepath.Join(root, "examples", "site"),
		ClientID:     clientID,
	})
	s := &xsite{t: t, eng: eng, srv: srv, handler: withProbe(srv)}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		h := s.handler
		s.mu.Unlock()
		h.ServeHTTP(w, r)
	}))
	// The live channel stays open while a page shows it (WebKit's page
	// outlives the test): cut the connections, or Close would wait.
	t.Cleanup(func() { ts.CloseClientConnections(); ts.Close() })
	s.url = ts.URL
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	t.Cleanup(cancel)
	s.ctx = ctx
	p, err := e.newPage(ctx)
	if err != nil {
		t.Fatalf("%s: cannot open a page: %v", eng, err)
	}
	t.Cleanup(p.close)
	s.page = p
	t.Cleanup(func() {
		if t.Failed() {
			if v, err := p.eval(ctx, `window.__e2eProbe ? window.__e2eProbe.errors : 'no probe'`); err == nil {
				t.Logf("%s page errors: %s", eng, v)
			}
		}
	})
	return s
}

// withProbe serves probeJS and makes every HTML page load it first. The
// live channel and other streams pass straight through.
func withProbe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == probePath {
			w.Header().Set("Content-Type", "text/javascript")
			w.Header().Set("Cache-Control", "no-store")
			w.Write([]byte(probeJS))
			return
		}
		p := r.URL.Path
		if r.Method != http.MethodGet || strings.HasPrefix(p, "/rupt/") || strings.HasPrefix(p, "/segment/") ||
			strings.HasSuffix(p, ".js") || strings.HasSuffix(p, ".mjs") || strings.HasSuffix(p, ".wasm") || strings.HasSuffix(p, ".css") {
			next.ServeHTTP(w, r)
			return
		}
		r2 := r.Clone(r.Context())
		r2.Header.Del("Accept-Encoding")
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r2)
		body := rec.Body.Bytes()
		if strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
			tag := []byte(`<script src="` + probePath + `"></script>`)
			if i := bytes.Index(bytes.ToLower(body), []byte("<head>")); i >= 0 {
				i += len("<head>")
				body = append(append(append([]byte(nil), body[:i]...), tag...), body[i:]...)
			} else {
				body = append(tag, body...)
			}
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(rec.Code)
		w.Write(body)
	})
}

// wrap puts middleware in front of what the site serves (the example
// server behind the probe's HTML rewriting): it sees every request first.
func (s *xsite) wrap(mw func(http.Handler) http.Handler) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.handler = mw(s.handler)
}

func (s *xsite) open(path string) {
	s.t.Helper()
	if cr, ok := s.page.(consoleReader); ok {
		s.consoleFrom = len(cr.nativeErrors())
	}
	if err := s.page.navigate(s.ctx, s.url+path); err != nil {
		s.t.Fatalf("%s: open %s: %v", s.eng, path, err)
	}
}

// eval evaluates js and returns its JSON.
func (s *xsite) eval(js string) string {
	s.t.Helper()
	v, err := s.page.eval(s.ctx, js)
	if err != nil {
		s.t.Fatalf("%s: eval %s: %v", s.eng, js, err)
	}
	return v
}

// str evaluates js to a string.
func (s *xsite) str(js string) string {
	s.t.Helper()
	var v string
	if err := json.Unmarshal([]byte(s.eval(js)), &v); err != nil {
		s.t.Fatalf("%s: %s is not a string: %v", s.eng, js, err)
	}
	return v
}

// href is the page's current URL.
func (s *xsite) href() string {
	s.t.Helper()
	return s.str("location.href")
}

// waitTrue polls until js is truthy (errors while the page changes are
// retried).
func (s *xsite) waitTrue(js, what string) {
	s.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	var last string
	for time.Now().Before(deadline) {
		v, err := s.page.eval(s.ctx, "!!("+js+")")
		if err == nil && v == "true" {
			return
		}
		last = v
		if err != nil {
			last = err.Error()
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.t.Fatalf("%s: waited 30s for %s (%s): last %s", s.eng, what, js, last)
}

// waitHref waits until location.href starts with prefix.
func (s *xsite) waitHref(prefix string) string {
	s.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	var last string
	for time.Now().Before(deadline) {
		if v, err := s.page.eval(s.ctx, "location.href"); err == nil {
			var h string
			if json.Unmarshal([]byte(v), &h) == nil {
				last = h
				if strings.HasPrefix(h, prefix) {
					return h
				}
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.t.Fatalf("%s: waited 30s for the page to reach %s; it is on %s", s.eng, prefix, last)
	return ""
}

// pageErrors returns what the probe recorded on the current document.
func (s *xsite) pageErrors() []string {
	s.t.Helper()
	// After a navigation, the new document may still be loading.
	s.waitTrue(`document.readyState === 'complete'`, "the page to load")
	var errs []string
	if err := json.Unmarshal([]byte(s.eval(`window.__e2eProbe ? window.__e2eProbe.errors : ['the probe did not run']`)), &errs); err != nil {
		s.t.Fatalf("%s: probe: %v", s.eng, err)
	}
	return errs
}

// noPageErrors fails the test if the current document saw a console.error,
// an uncaught error, an unhandled rejection or a CSP violation.
func (s *xsite) noPageErrors() {
	s.t.Helper()
	s.noPageErrorsBut(nil)
}

// noPageErrorsBut is noPageErrors, letting the errors allowed says through.
func (s *xsite) noPageErrorsBut(allowed func(string) bool) {
	s.t.Helper()
	var errs []string
	for _, e := range s.pageErrors() {
		if allowed == nil || !allowed(e) {
			errs = append(errs, e)
		}
	}
	if cr, ok := s.page.(consoleReader); ok {
		for _, e := range cr.nativeErrors()[s.consoleFrom:] {
			if allowed == nil || !allowed("console: "+e) {
				errs = append(errs, "console: "+e)
			}
		}
	}
	if len(errs) > 0 {
		s.t.Errorf("%s: the page reported errors:\n%s", s.eng, strings.Join(errs, "\n"))
	}
}

func (s *xsite) waitAttaches(n int) []server.AttachRecord {
	s.t.Helper()
	return waitFor(s.t, s.srv.Rupt, n)
}

// settle gives in-flight work a moment before asserting that nothing
// happened.
func (s *xsite) settle() {
	s.t.Helper()
	s.eval(`new Promise((r) => setTimeout(() => r(true), 300))`)
}
