package e2e

import (
	"encoding/json"
	"net/http"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The privacy gate: no device signals are collected, no fingerprint is
// computed, nothing named rpt_* is written and nothing is sent to Rupt for
// as long as no event carries a usable account. The tests count the browser
// APIs collection uses with testdata/privacy/probe.js, installed before any
// script of the page runs, on a page that loads the Segment snippet (so
// analytics.js, which loads this bundle from the CDN settings) and nothing
// else.

// privacyPage is where the minimal page is served: every path under it
// answers with testdata/privacy/page.html, so full page loads and
// single-page-app navigations have paths of their own.
const privacyPage = "/privacy/"

// probe is what testdata/privacy/probe.js counted in one document.
type probe struct {
	Counts map[string]int      `json:"counts"`
	Where  map[string][]string `json:"where"`
	Errors []map[string]any    `json:"errors"`
}

// collection returns the counts of everything but WebAssembly compilation:
// device signals, fingerprinting, iframes and rpt_* storage and cookies.
func (p probe) collection() map[string]int {
	out := map[string]int{}
	for k, v := range p.Counts {
		if v > 0 && !strings.HasPrefix(k, "wasm:") {
			out[k] = v
		}
	}
	return out
}

// wasm returns the counts of WebAssembly compilation and instantiation.
func (p probe) wasm() map[string]int {
	out := map[string]int{}
	for k, v := range p.Counts {
		if v > 0 && strings.HasPrefix(k, "wasm:") {
			out[k] = v
		}
	}
	return out
}

// explain lists where the counted calls came from, for failure messages.
func (p probe) explain() string {
	var keys []string
	for k := range p.Where {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		for _, w := range p.Where[k] {
			b.WriteString("\n  " + k + ": " + w)
		}
	}
	return b.String()
}

// newProbedSite returns a site whose tab runs testdata/privacy/probe.js
// before any script of every document, and which serves the minimal page
// under /privacy/.
func newProbedSite(t *testing.T) *site {
	t.Helper()
	s := newSite(t)
	html := readFile(t, filepath.Join("testdata", "privacy", "page.html"))
	s.wrap(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !strings.HasPrefix(r.URL.Path, privacyPage) {
				next.ServeHTTP(w, r)
				return
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Cache-Control", "no-store")
			w.Write([]byte(html))
		})
	})
	_, err := chromedp.Call(s.tab, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: readFile(t, filepath.Join("testdata", "privacy", "probe.js")),
	})
	require.NoError(t, err, "install the probe")
	return s
}

// probe reads the current document's counts.
func (s *site) probe() probe {
	s.t.Helper()
	var p probe
	require.NoError(s.t, json.Unmarshal([]byte(s.value(`JSON.stringify(window.__ruptProbe)`)), &p), "the probe is missing: was it installed before the page loaded?")
	return p
}

// waitRuptLoaded waits until analytics.js is ready and has loaded Rupt
// (Actions) from the CDN settings, then lets the page go idle for longer
// than the plugin's idle callbacks wait (requestIdleCallback with a 1 s
// timeout).
func (s *site) waitRuptLoaded() {
	s.t.Helper()
	s.eval(`new Promise((resolve) => analytics.ready(() => resolve(true)))`)
	s.value(`new Promise((resolve) => {
		const t = setInterval(() => {
			if (typeof window.ruptDestination === 'function' && analytics.queue.plugins.some((p) => p.name === 'Rupt (Actions)')) {
				clearInterval(t);
				resolve('loaded');
			}
		}, 20);
	})`)
	s.idle()
}

// idle waits 2.5 s in the page: every idle callback has fired by then.
func (s *site) idle() {
	s.t.Helper()
	s.eval(`new Promise((r) => setTimeout(() => requestIdleCallback(() => r(true), {timeout: 500}), 2500))`)
}

// spaBrowsing makes single-page-app navigations with a page view each,
// another page view and a track call, and waits until analytics.js has
// delivered them. Signed in, each would attach.
const spaBrowsing = `(async () => {
	for (const p of ['/privacy/browse', '/privacy/watch/1', '/privacy/watch/2']) {
		history.pushState({}, '', p);
		await analytics.page();
	}
	await analytics.page('Again');
	await analytics.track('Clicked', {what: 'play'});
	return true;
})()`

// assertNothingCollected checks that the current document collected no
// device signals and wrote nothing named rpt_* (what an earlier document
// stored may remain: see assertNoRuptStorage).
func (s *site) assertNothingCollected(when string) {
	s.t.Helper()
	p := s.probe()
	assert.Empty(s.t, p.collection(), "%s: device signals were collected or rpt_* written:%s", when, p.explain())
}

// assertNoRuptStorage checks that the browser holds no rpt_* cookie or
// storage entry.
func (s *site) assertNoRuptStorage(when string) {
	s.t.Helper()
	names := s.value(`JSON.stringify([
		...document.cookie.split(';').map((c) => c.split('=')[0].trim()),
		...Object.keys(localStorage), ...Object.keys(sessionStorage),
	].filter((k) => k.startsWith('rpt_')))`)
	assert.Equal(s.t, "[]", names, "%s: rpt_* cookies or storage", when)
}

// ruptRequests returns the method and path of every request Rupt's
// simulator received.
func (s *site) ruptRequests() []string {
	var out []string
	for _, r := range s.srv.Rupt.Requests() {
		out = append(out, r.Method+" "+r.Path)
	}
	return out
}

// attachSummary lists the attaches the simulator received as user and
// page, short enough for a failure message.
func (s *site) attachSummary() []string {
	var out []string
	for _, a := range s.srv.Rupt.Attaches() {
		user, _ := a.Body["user"].(string)
		page, _ := a.Body["page"].(string)
		out = append(out, "user="+user+" page="+page)
	}
	return out
}

// signIn identifies the user and sends a page view with the email in its
// context, as the example sites do.
func signIn(account string) string {
	return `(async () => {
		await analytics.identify('` + account + `', {email: 'viewer@example.com'});
		await analytics.page({}, {context: {traits: {email: 'viewer@example.com'}}});
		return true;
	})()`
}

// signInOnPrivacyPage opens the privacy page, waits for Rupt (Actions) to
// load and signs the account in (identify, then a page view).
func (s *site) signInOnPrivacyPage(account string) {
	s.t.Helper()
	s.open(privacyPage)
	s.waitRuptLoaded()
	s.eval(signIn(account))
}

// userID is the user analytics.js knows once ready, "null" for none.
func (s *site) userID() string {
	s.t.Helper()
	return s.value(`new Promise((r) => analytics.ready(() => r(String(analytics.user().id()))))`)
}

// waitStoredFingerprint waits until the plugin has handled Rupt's answer
// (it stores the fingerprint then).
func (s *site) waitStoredFingerprint() {
	s.t.Helper()
	s.value(`new Promise((r) => { const t = setInterval(() => { if (localStorage.getItem('rpt_last_fp')) { clearInterval(t); r('ok') } }, 50) })`)
}

// Cases 1 and 2: an anonymous visitor loads the page, lets it go idle and
// browses: nothing is collected and nothing reaches Rupt. Signing in then
// attaches, and the probe sees the collection (so it does count).
func TestPrivacyAnonymousVisitor(t *testing.T) {
	s := newProbedSite(t)
	s.open(privacyPage)
	s.waitRuptLoaded()
	s.eval(spaBrowsing)
	s.idle()
	s.assertNothingCollected("anonymous visitor")
	s.assertNoRuptStorage("anonymous visitor")
	assert.Empty(t, s.ruptRequests(), "an anonymous visitor sends nothing to Rupt")
	assert.Empty(t, s.attachSummary())

	// Signing in: the page view attaches, after collecting.
	s.eval(signIn("acct-priv"))
	a := s.waitAttaches(1)[0]
	assert.Equal(t, "acct-priv", a.Body["user"])
	assert.Equal(t, "/privacy/watch/2", a.Body["page"])
	fp, _ := a.Body["fingerprint"].(string)
	assert.Len(t, fp, 2048, "the attach carries the fingerprint")
	s.waitStoredFingerprint()
	p := s.probe()
	c := p.Counts
	t.Logf("signed in, the probe counted: %v", c)
	assert.Positive(t, c["canvas.getContext"], "the fingerprint draws on a canvas")
	assert.Positive(t, c["canvas.toDataURL"], "the fingerprint reads the canvas")
	assert.Positive(t, c["new OfflineAudioContext"], "the fingerprint renders audio")
	assert.Positive(t, c["createElement(iframe)"], "fonts are measured in an iframe")
	assert.Positive(t, c["storage.setItem(rpt_)"], "rpt_last_fp is stored")
	assert.Positive(t, c["document.cookie=rpt_"], "rpt_last_fp is set as a cookie")
}

// Case 3: a new page load where analytics.js already knows the user (from
// an earlier sign-in in the same browser context): the load's page view
// attaches.
func TestPrivacyKnownUserAtLoad(t *testing.T) {
	s := newProbedSite(t)
	s.signInOnPrivacyPage("acct-priv")
	s.waitAttaches(1)
	s.waitStoredFingerprint()

	s.open("/privacy/again")
	assert.Equal(t, "acct-priv", s.userID())
	got := s.waitAttaches(2)
	assert.Equal(t, "acct-priv", got[1].Body["user"])
	assert.Equal(t, "/privacy/again", got[1].Body["page"], "the attach is for the load's page view")
	assert.Equal(t, got[0].Body["fingerprint"], got[1].Body["last_fingerprint"])
	s.waitRuptLoaded()
	assert.Positive(t, s.probe().Counts["canvas.getContext"], "a known user's page collects")
	assert.Len(t, s.attachSummary(), 2, "one attach for the load's page view")
}

// Case 3b: a load where analytics.js knows the user and the page sends no
// event: the signals are collected while the page is idle, so that the
// first attach does not wait for them, and nothing is attached.
func TestPrivacyKnownUserCollectsWhenIdle(t *testing.T) {
	s := newProbedSite(t)
	s.signInOnPrivacyPage("acct-idle")
	s.waitAttaches(1)

	s.open("/privacy/quiet?quiet")
	assert.Equal(t, "acct-idle", s.userID())
	s.waitRuptLoaded()
	p := s.probe()
	assert.Positive(t, p.Counts["canvas.getContext"], "a known user's idle page collects:%s", p.explain())
	assert.Len(t, s.attachSummary(), 1, "no event, no attach")

	// The same page for a visitor analytics.js does not know (signed out;
	// nothing attached in this document, so nothing to detach): nothing.
	s.eval(`analytics.reset(); true`)
	s.open("/privacy/quiet?quiet")
	assert.Equal(t, "null", s.userID())
	s.waitRuptLoaded()
	s.assertNothingCollected("anonymous idle page")
}

// Case 4: after analytics.reset() (the site's sign-out) the gate closes
// again: the device is detached, and an anonymous page load collects and
// sends nothing.
func TestPrivacyAfterReset(t *testing.T) {
	s := newProbedSite(t)
	s.signInOnPrivacyPage("acct-priv")
	s.waitAttaches(1)
	s.waitStoredFingerprint()

	s.eval(`analytics.reset(); true`)
	s.waitDetaches(1)
	assert.Equal(t, "null", s.value(`String(analytics.user().id())`))
	// The same document, signed out: page views send nothing.
	s.eval(spaBrowsing)
	s.settle()
	before := s.ruptRequests()
	assert.Len(t, s.attachSummary(), 1, "signed out, nothing attaches")

	s.open("/privacy/signed-out")
	assert.Equal(t, "null", s.userID())
	s.waitRuptLoaded()
	s.eval(spaBrowsing)
	s.idle()
	s.assertNothingCollected("anonymous load after reset")
	assert.Equal(t, before, s.ruptRequests(), "nothing more reaches Rupt after the sign-out")
	assert.Len(t, s.attachSummary(), 1, "no new attach")
}

// Case 5: subscriptions are given but none is enabled: a signed-in user's
// page views neither compile the WebAssembly, nor collect, nor reach Rupt;
// neither in the document where the user signs in, nor on a later load
// where analytics.js knows the user from the start.
func TestPrivacyNoEnabledSubscription(t *testing.T) {
	preset := map[string]any{"account": map[string]any{"@path": "$.userId"}}
	subs := []any{
		map[string]any{"name": "Attach Device", "subscribe": `type = "page"`, "partnerAction": "attach", "enabled": false, "mapping": preset},
		map[string]any{"name": "Attach on track", "subscribe": `type = "track"`, "partnerAction": "attach", "mapping": preset},
	}
	text, err := json.Marshal(subs)
	require.NoError(t, err)
	for _, tc := range []struct {
		name string
		subs any
	}{
		{"array", subs},
		{"JSON string as in CDN settings", string(text)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newProbedSite(t)
			settings := s.srv.DestinationSettings()
			settings["subscriptions"] = tc.subs
			s.srv.SetDestinationSettings(settings)
			s.signInOnPrivacyPage("acct-nosub")
			s.eval(spaBrowsing) // signed in: these carry the user
			s.idle()
			p := s.probe()
			assert.Empty(t, p.wasm(), "sign-in document: the WebAssembly was compiled:%s", p.explain())
			s.assertNothingCollected("sign-in document")
			s.assertNoRuptStorage("sign-in document")

			s.open("/privacy/known")
			assert.Equal(t, "acct-nosub", s.userID())
			s.waitRuptLoaded()
			s.eval(spaBrowsing)
			s.idle()
			p = s.probe()
			assert.Empty(t, p.wasm(), "known-user document: the WebAssembly was compiled:%s", p.explain())
			s.assertNothingCollected("known-user document")
			assert.Empty(t, s.ruptRequests(), "nothing reaches Rupt without an enabled subscription")
			assert.Empty(t, s.attachSummary())
		})
	}
}

// TestPrivacyProbeSeesWASM checks the probe's WebAssembly counters on the
// default settings: a signed-in user's page view compiles the WebAssembly
// (so case 5's zero counts mean something).
func TestPrivacyProbeSeesWASM(t *testing.T) {
	s := newProbedSite(t)
	s.signInOnPrivacyPage("acct-wasm")
	s.waitAttaches(1)
	assert.NotEmpty(t, s.probe().wasm(), "the probe saw no WebAssembly compilation")
}

// The signal collectors wait for the runtime to read the .wasm's bytes,
// but never longer than the shim's READ_WAIT_MS (50 ms): with the .wasm
// held back by the server, a signed-in page view still collects at once,
// and attaches once the .wasm arrives.
func TestCollectorsDoNotWaitForASlowWASM(t *testing.T) {
	s := newProbedSite(t)
	const hold = 6 * time.Second
	s.wrap(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, ".wasm") {
				time.Sleep(hold)
			}
			next.ServeHTTP(w, r)
		})
	})
	s.open(privacyPage)
	s.waitRuptLoaded()
	s.eval(`window.__signedInAt = performance.now(); analytics.identify('acct-slow'); analytics.page(); true`)
	waited := s.value(`new Promise((r) => { const t = setInterval(() => {
		if ((window.__ruptProbe.counts['new OfflineAudioContext'] || 0) > 0) { clearInterval(t); r(String(Math.round(performance.now() - window.__signedInAt))) }
	}, 10) })`)
	ms, err := strconv.Atoi(waited)
	require.NoError(t, err)
	assert.Less(t, ms, 1500, "the collectors started %d ms after the signed-in page view: they waited for the .wasm", ms)
	assert.Empty(t, s.attachSummary(), "no attach before the .wasm arrives")
	a := s.waitAttaches(1)[0]
	assert.Equal(t, "acct-slow", a.Body["user"])
}
