package e2e

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"rupt-actions-wasm/examples/server"
)

// location returns the tab's location.href.
func (s *site) location() string {
	s.t.Helper()
	v, err := chromedp.Run(s.tab, chromedp.Evaluate[string]("location.href"))
	require.NoError(s.t, err)
	return v
}

// waitHref waits until location.href starts with prefix.
func (s *site) waitHref(prefix string) string {
	s.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	var last string
	for time.Now().Before(deadline) {
		if v, err := chromedp.Run(s.tab, chromedp.Evaluate[string]("location.href")); err == nil {
			last = v
			if strings.HasPrefix(v, prefix) {
				return v
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.t.Fatalf("waited 30s for the page to reach %s; it is on %s", prefix, last)
	return ""
}

// value evaluates an expression to a string.
func (s *site) value(js string) string {
	s.t.Helper()
	v, err := chromedp.Run(s.tab, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	require.NoError(s.t, err, js)
	return v
}

func TestSuspendedFallbackWithoutSuspendedURL(t *testing.T) {
	s := newSite(t)
	settings := s.srv.DestinationSettings()
	delete(settings, "suspended_url")
	s.srv.SetDestinationSettings(settings)
	s.srv.Rupt.SetSuspended("acct-1", true)
	s.open("/site/remote.html")
	origin, err := url.Parse(s.url)
	require.NoError(t, err)
	s.eval(signInAndView)
	href := s.waitHref("https://suspended.sabl.app/access/")
	u, err := url.Parse(href)
	require.NoError(t, err)
	assert.Equal(t, origin.Host, u.Query().Get("referrer"))
	assert.True(t, strings.HasPrefix(u.Path, "/access/acc_"), u.Path)
}

func TestLogoutHandOffSkipsAttach(t *testing.T) {
	s := newSite(t)
	// An anonymous visitor's page views do not attach, so the hand-off is
	// not acted on (Rupt's SDK acts on it only inside attach).
	s.open("/site/remote.html?rupt_action=logout")
	s.eval(`new Promise((resolve) => analytics.ready(() => { analytics.page(); setTimeout(() => resolve(true), 1500) }))`)
	assert.Equal(t, "/site/remote.html", s.value(`location.pathname`))
	// Signed in, the next page view would attach: it hands the device to
	// logout_url instead, and nothing is sent.
	s.eval(signInAndView)
	s.waitPath("/site/logged-out.html")
	assert.Empty(t, s.srv.Rupt.Attaches())
	assert.Empty(t, s.srv.Rupt.Requests(), "no request reaches Rupt")
}

func TestLimitExceeded(t *testing.T) {
	s := newSite(t)
	s.srv.Rupt.SetLimit("acct-1", 0)
	s.open("/site/remote.html")
	s.eval(`window.addEventListener('rupt:limit-exceeded', (e) => { window.__limit = e.detail }); true`)
	s.eval(signInAndView)
	s.waitAttaches(1)
	detail := s.value(`new Promise((r) => { const t = setInterval(() => { if (window.__limit) { clearInterval(t); r(JSON.stringify(window.__limit)) } }, 50) })`)
	assert.JSONEq(t, detail, s.value(`JSON.stringify(window.__limit)`))
	assert.Contains(t, detail, `"attached_devices":"1"`)
	assert.Contains(t, detail, `"default_device_limit":"0"`)
	assert.NotContains(t, detail, "viewer@example.com")
	cookie := s.value(`document.cookie`)
	assert.Regexp(t, `(^|; )rpt_last_blocking_access=acc_[0-9a-f]+`, cookie)
}

func TestSecondPageLoadSendsLastFingerprint(t *testing.T) {
	s := newSite(t)
	s.open("/site/remote.html")
	s.eval(signInAndView)
	first := s.waitAttaches(1)[0]
	fp, _ := first.Body["fingerprint"].(string)
	require.Len(t, fp, 2048)
	assert.Nil(t, first.Body["last_fingerprint"], "a new browser has no last fingerprint")
	// rpt_last_fp is stored once the answer is handled; wait for it.
	s.value(`new Promise((r) => { const t = setInterval(() => { if (localStorage.getItem('rpt_last_fp')) { clearInterval(t); r('ok') } }, 50) })`)
	assert.Equal(t, fp, s.value(`sessionStorage.getItem('rpt_last_fp')`))
	assert.Contains(t, s.value(`document.cookie`), "rpt_last_fp="+fp)

	s.open("/site/remote.html")
	s.eval(signInAndView)
	second := s.waitAttaches(2)[1]
	assert.Equal(t, fp, second.Body["last_fingerprint"])
	assert.Equal(t, fp, second.Body["fingerprint"], "the same browser hashes to the same fingerprint")
}

// TestStorageValuesFollowTheDevice: within one document, each attach sends
// what the device's storage holds when its event arrives, although the
// shim hands Go a storage value only when it changed (Go keeps a copy):
// the fingerprint stored after the first attach, a value another tab (here
// the test) wrote, and none once it is gone.
func TestStorageValuesFollowTheDevice(t *testing.T) {
	s := newSite(t)
	s.open("/site/remote.html")
	// Each answer is handled (and the fingerprint stored) before the test
	// touches the storage: rupt:attached counts them.
	s.eval(`window.__handled = 0; addEventListener('rupt:attached', () => { __handled++ }); true`)
	handled := func(n int) {
		t.Helper()
		s.value(fmt.Sprintf(`new Promise((r) => { const t = setInterval(() => { if (__handled >= %d) { clearInterval(t); r('ok') } }, 20) })`, n))
	}
	s.eval(signInAndView)
	first := s.waitAttaches(1)[0]
	fp, _ := first.Body["fingerprint"].(string)
	require.Len(t, fp, 2048)
	assert.Nil(t, first.Body["last_fingerprint"])
	handled(1)

	view := func(path string) map[string]any {
		t.Helper()
		n := len(s.srv.Rupt.Attaches())
		s.eval(`history.pushState({}, '', '` + path + `'); analytics.page(); true`)
		body := s.waitAttaches(n + 1)[n].Body
		handled(n + 1)
		return body
	}
	second := view("/site/second")
	assert.Equal(t, fp, second["last_fingerprint"], "stored after the first attach")
	assert.Equal(t, "/site/second", second["page"])
	assert.Equal(t, fp, view("/site/third")["last_fingerprint"], "unchanged")

	// Another tab rewrote the storage: the cookie comes first, then localStorage.
	s.eval(`document.cookie = 'rpt_last_fp=; Max-Age=0; path=/'; localStorage.setItem('rpt_last_fp', 'other-tab'); true`)
	assert.Equal(t, "other-tab", view("/site/fourth")["last_fingerprint"])
	// (That attach's answer stored the fingerprint again, in all three.)
	s.eval(`document.cookie = 'rpt_last_fp=; Max-Age=0; path=/'; localStorage.removeItem('rpt_last_fp'); sessionStorage.removeItem('rpt_last_fp'); true`)
	fifth := view("/site/fifth")
	assert.Nil(t, fifth["last_fingerprint"], "gone from the device: not sent")
	assert.Equal(t, fp, fifth["fingerprint"])
}

// TestFingerprintMatchesRuptPackage compares the fingerprint Go computed
// from the shim's signals with @ruptjs/fingerprint's own get() in the same
// browser: getFuzzyHash(muteSignals(await getSignals())).
func TestFingerprintMatchesRuptPackage(t *testing.T) {
	oracle := buildBundle(t, "testdata/fingerprint/oracle.js")
	s := newSite(t)
	s.open("/site/remote.html")
	s.eval(signInAndView)
	fp, _ := s.waitAttaches(1)[0].Body["fingerprint"].(string)
	require.Len(t, fp, 2048)
	s.eval(oracle + `; true`)
	want := s.value(`window.ruptFingerprintOracle()`)
	assert.Equal(t, want, fp)
}

// buildBundle bundles a test entry with the pinned esbuild into an IIFE and
// returns its code.
func buildBundle(t *testing.T, entry string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "bundle.js")
	runCmd(t, filepath.Join(repoRoot(), "node_modules", ".bin", "esbuild"), entry, "--bundle", "--format=iife", "--outfile="+out, "--log-level=warning")
	return readFile(t, out)
}

func TestEventsBeforeWASMReadyAreProcessedInOrder(t *testing.T) {
	s := newSite(t)
	// Hold the WASM back so every page() below arrives before Go is ready.
	release := make(chan struct{})
	s.wrap(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, ".wasm") {
				<-release
			}
			next.ServeHTTP(w, r)
		})
	})
	s.open("/site/script-tag.html")
	// analytics.js is ready (its own buffering is not under test); the WASM
	// is not.
	s.eval(`new Promise((resolve) => analytics.ready(() => {
		analytics.identify('acct-1');
		for (const p of ['/one', '/two', '/three', '/four', '/five']) {
			history.pushState({}, '', p);
			analytics.page();
		}
		resolve(true);
	}))`)
	time.Sleep(300 * time.Millisecond)
	assert.Empty(t, s.srv.Rupt.Attaches(), "nothing can be sent before the WASM is ready")
	close(release)
	got := s.waitAttaches(5)
	var pages []string
	for _, a := range got {
		pages = append(pages, a.Body["page"].(string))
	}
	assert.Equal(t, []string{"/one", "/two", "/three", "/four", "/five"}, pages)
}

func TestCustomAPIBase(t *testing.T) {
	// A second simulator on another origin stands for a first-party proxy.
	proxy := server.New(server.Config{ClientID: clientID})
	ps := httptest.NewServer(proxy)
	t.Cleanup(ps.Close)

	s := newSite(t)
	settings := s.srv.DestinationSettings()
	settings["api_base"] = ps.URL + "/rupt"
	s.srv.SetDestinationSettings(settings)
	s.open("/site/remote.html")
	s.eval(signInAndView)
	got := waitFor(t, proxy.Rupt, 1)
	assert.Equal(t, "acct-1", got[0].Body["user"])
	s.settle()
	assert.Empty(t, s.srv.Rupt.Attaches(), "nothing goes to the default API base")
}
