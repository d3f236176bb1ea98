// Package e2e runs the whole product in headless Chromium: real
// analytics.js (the pinned @segment/analytics-next standalone build), the
// bundle built into dist/, and the example server with its Rupt simulator.
package e2e

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"rupt-actions-wasm/examples/server"
)

// browser is the context of the one Chromium all tests share; each test
// opens its own tab in a fresh browser context (cookies, storage).
var browser context.Context

// clientID is the one the static example pages use.
const clientID = "demo-client-id"

func repoRoot() string { return filepath.Join("..") }

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	for _, p := range []string{"dist/rupt-actions.wasm", "dist/rupt-actions.js", "node_modules/@segment/analytics-next/dist/umd/standalone.js"} {
		if _, err := os.Stat(filepath.Join(repoRoot(), p)); err != nil {
			fmt.Fprintf(os.Stderr, "e2e: %s is missing: run ./build.sh build (or ./build.sh test)\n", p)
			return 1
		}
	}
	chrome, err := findChromium()
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	dir, err := os.MkdirTemp("", "rupt-e2e-chromium-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	// Rupt's own https hosts (the suspended fallback, the default challenge
	// page) are mapped to a local TLS stand-in, so redirects to them are
	// seen, and nothing leaves the machine.
	hosts := httptest.NewTLSServer(ruptHostsHandler())
	defer hosts.Close()
	hostPort := strings.TrimPrefix(hosts.URL, "https://")
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.Flag("host-resolver-rules", "MAP suspended.sabl.app "+hostPort+", MAP challenge.rupt.dev "+hostPort),
		chromedp.IgnoreCertErrors,
		chromedp.ExecPath(chrome),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(dir),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-quic", true),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(alloc)
	defer cancel()
	if err := chromedp.Do(ctx); err != nil {
		fmt.Fprintf(os.Stderr, "e2e: cannot start %s: %v\n", chrome, err)
		return 1
	}
	browser = ctx
	defer stopEngines() // Firefox and WebKit, if a test started them
	return m.Run()
}

// findChromium finds Debian's chromium (or $CHROMIUM). Browser tests never
// skip: without a browser they fail, saying how to install one.
func findChromium() (string, error) {
	for _, c := range []string{os.Getenv("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"} {
		if c == "" {
			continue
		}
		if p, err := exec.LookPath(c); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("Chromium is required for the browser tests and was not found; install it with: sudo apt-get update && sudo apt-get install -y chromium (or set CHROMIUM=/path/to/chromium)")
}

// site is one test's example server and browser tab.
type site struct {
	t   *testing.T
	srv *server.Server
	url string
	tab context.Context

	mu      sync.Mutex
	console []chromedp.ConsoleMessage
	handler http.Handler // what the test server serves; see wrap
}

func newSite(t *testing.T) *site {
	t.Helper()
	return newSiteWithin(t, 60*time.Second)
}

// newSiteWithin is newSite with the tab's whole life bounded by timeout
// (newSite's minute is too short for a test that makes thousands of calls
// on a slow or busy machine).
func newSiteWithin(t *testing.T, timeout time.Duration) *site {
	t.Helper()
	root := repoRoot()
	srv := server.New(server.Config{
		DistDir:      filepath.Join(root, "dist"),
		AnalyticsDir: filepath.Join(root, "node_modules", "@segment", "analytics-next", "dist", "umd"),
		SiteDir:      filepath.Join(root, "examples", "site"),
		ClientID:     clientID,
	})
	s := &site{t: t, srv: srv, handler: srv}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		h := s.handler
		s.mu.Unlock()
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	s.url = ts.URL
	tab, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	tab, cancelTimeout := context.WithTimeout(tab, timeout)
	t.Cleanup(cancelTimeout)
	s.tab = tab
	// Record the console; a failing test prints it.
	msgs := chromedp.Console(tab)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			s.mu.Lock()
			s.console = append(s.console, m)
			s.mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		if t.Failed() {
			for _, m := range s.consoleMessages() {
				t.Logf("console %s: %s", m.Type, m.Text)
			}
		}
	})
	return s
}

// consoleMessages returns what the page wrote to the console so far.
func (s *site) consoleMessages() []chromedp.ConsoleMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]chromedp.ConsoleMessage(nil), s.console...)
}

func (s *site) open(path string) {
	s.t.Helper()
	if err := chromedp.Do(s.tab, chromedp.Navigate(s.url+path)); err != nil {
		s.t.Fatalf("open %s: %v", path, err)
	}
}

// eval runs JavaScript in the page, awaiting a returned promise.
func (s *site) eval(js string) {
	s.t.Helper()
	if _, err := chromedp.Run(s.tab, chromedp.Evaluate[any](js, chromedp.EvalAwaitPromise)); err != nil {
		s.t.Fatalf("eval %q: %v", js, err)
	}
}

// wrap puts middleware in front of the example server (to delay or break
// responses).
func (s *site) wrap(mw func(http.Handler) http.Handler) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.handler = mw(s.handler)
}

// waitAttaches waits until the simulator has received n attach requests.
func (s *site) waitAttaches(n int) []server.AttachRecord {
	s.t.Helper()
	return waitFor(s.t, s.srv.Rupt, n)
}

// waitFor waits until a simulator has received n attach requests.
func waitFor(t *testing.T, r *server.Rupt, n int) []server.AttachRecord {
	t.Helper()
	return waitForWithin(t, r, n, 30*time.Second)
}

// waitForWithin is waitFor with a bound of its own.
func waitForWithin(t *testing.T, r *server.Rupt, n int, bound time.Duration) []server.AttachRecord {
	t.Helper()
	deadline := time.After(bound)
	for {
		changed := r.Changed()
		if got := r.Attaches(); len(got) >= n {
			return got
		}
		select {
		case <-changed:
		case <-deadline:
			t.Fatalf("waited %s for %d attach request(s), got %d", bound, n, len(r.Attaches()))
		}
	}
}

// runCmd runs a command, failing the test with its output if it fails.
func runCmd(t *testing.T, name string, args ...string) {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
}

// readFile returns a file's contents, failing the test if it cannot.
func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// waitPath waits until the tab's location.pathname is want.
func (s *site) waitPath(want string) {
	s.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	var last string
	for time.Now().Before(deadline) {
		p, err := chromedp.Run(s.tab, chromedp.Evaluate[string]("location.pathname"))
		if err == nil {
			last = p
			if p == want {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.t.Fatalf("waited 30s for the page to reach %s; it is on %s", want, last)
}

// settle lets in-flight work finish before a test asserts that something
// did not happen: it waits until the page's own work queue is idle twice.
func (s *site) settle() {
	s.t.Helper()
	s.eval(`new Promise((r) => setTimeout(r, 300))`)
}

// waitAnalyticsLoaded waits until analytics.js has fetched its CDN settings
// and had a moment to act on them: for pages that keep analytics private
// (the npm app), where analytics.ready is out of reach.
func (s *site) waitAnalyticsLoaded() {
	s.t.Helper()
	s.eval(`new Promise((resolve) => {
		const t = setInterval(() => {
			if (performance.getEntriesByType('resource').some((e) => e.name.includes('/settings'))) {
				clearInterval(t);
				setTimeout(() => resolve(true), 200);
			}
		}, 10);
	})`)
}
