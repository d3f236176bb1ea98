package e2e

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"rupt-actions-wasm/examples/server"
)

// TestEngines runs the product's main flows in every engine: Chromium,
// Firefox ESR and WebKit (MiniBrowser). The engines run side by side, each
// one browser for all its flows, one flow at a time.
func TestEngines(t *testing.T) {
	for _, eng := range engineNames {
		t.Run(eng, func(t *testing.T) {
			t.Parallel()
			getEngine(t, eng)
			for _, f := range engineFlows {
				t.Run(f.name, func(t *testing.T) { f.run(t, eng) })
			}
		})
	}
}

var engineFlows = []struct {
	name string
	run  func(t *testing.T, eng string)
}{
	{"remote-plugin", flowRemotePlugin},
	{"script-tag", flowScriptTag},
	{"npm-app", flowNpmApp},
	{"suspended", flowSuspended},
	{"live-logout", flowLiveLogout},
	{"live-challenge", flowLiveChallenge},
	{"logout-hand-off", flowLogoutHandOff},
	{"503-then-ok", flow503ThenOK},
	{"csp", flowCSP},
	{"no-globals", flowNoGlobals},
	{"integrity-tampered", flowIntegrityTampered},
	{"integrity-wasm-url", flowIntegrityWasmURL},
	{"integrity-npm-wasmURL", flowIntegrityNpmWasmURL},
	{"integrity-no-webcrypto", flowIntegrityNoWebCrypto},
	{"integrity-no-blob-read", flowIntegrityNoBlobRead},
	{"liquid-dates", flowLiquidDates},
}

// flowLiquidDates: a mapping's @liquid date filters print in the engine's
// own time zone and locale (jsbridge/src/dates.js answers Go through the
// rupt.date import): what a fixed zone or offset prints is the same
// everywhere; what the visitor's zone and locale print is what the page's
// own Date and Intl say.
func flowLiquidDates(t *testing.T, eng string) {
	s := newXSite(t, eng)
	settings := s.srv.DestinationSettings()
	settings["subscriptions"] = []any{map[string]any{
		"name": "Attach Device", "subscribe": `type = "page"`, "partnerAction": "attach", "enabled": true,
		"mapping": json.RawMessage(`{"account":{"@path":"$.userId"},"metadata":{
			"tokyo":{"@liquid":"{{ \"2024-07-04T10:20:30Z\" | date: \"%Y-%m-%d %H:%M:%S %z %Z\", \"Asia/Tokyo\" }}"},
			"offset":{"@liquid":"{{ 1720088430 | date: \"%H:%M %:z %j %U %W %u\", -90 }}"},
			"local":{"@liquid":"{{ \"2024-07-04T10:20:30Z\" | date: \"%H:%M|%B|%a|%Z\" }}"},
			"rfc822":{"@liquid":"{{ 0 | date_to_rfc822 | slice: 0, 16 }}"}}}`),
	}}
	s.srv.SetDestinationSettings(settings)
	s.open("/site/remote.html")
	s.eval(signInAndView)
	a := s.waitAttaches(1)[0]
	md, _ := a.Body["metadata"].(map[string]any)
	require.NotNil(t, md, "the attach carries the mapping's metadata: %v", a.Body)
	assert.Equal(t, "2024-07-04 19:20:30 +0900 Asia/Tokyo", md["tokyo"])
	assert.Equal(t, "11:50 +01:30 186 26 27 4", md["offset"])
	want := s.str(`(() => {
		const d = new Date('2024-07-04T10:20:30Z')
		const two = (n) => String(n).padStart(2, '0')
		const f = (o) => new Intl.DateTimeFormat(undefined, o).format(d)
		return two(d.getHours()) + ':' + two(d.getMinutes()) + '|' + f({ month: 'long' }) + '|' + f({ weekday: 'short' }) + '|' + Intl.DateTimeFormat().resolvedOptions().timeZone
	})()`)
	assert.Equal(t, want, md["local"], "the visitor's zone and locale, as the page's Date and Intl give them")
	assert.Contains(t, []string{"Thu, 01 Jan 1970", "Wed, 31 Dec 1969"}, md["rfc822"], "date_to_rfc822 names in English")
	s.noPageErrors()
}

// flowRemotePlugin: the remote plugin through real analytics.js attaches
// with the right body, and a single-page-app navigation attaches again.
func flowRemotePlugin(t *testing.T, eng string) {
	s := newXSite(t, eng)
	s.open("/site/remote.html")
	s.eval(signInAndView)
	a := s.waitAttaches(1)[0]
	assert.Equal(t, "Basic "+clientID+":", a.Authorization)
	assert.Equal(t, "acct-1", a.Body["user"])
	assert.Equal(t, "viewer@example.com", a.Body["email"])
	assert.Equal(t, "/site/remote.html", a.Body["page"])
	assert.Equal(t, "javascript", a.Body["client"])
	assert.Equal(t, "2.24.1", a.Body["version"])
	fp, _ := a.Body["fingerprint"].(string)
	assert.Len(t, fp, 2048, "fingerprint")
	signals, _ := a.Body["signals"].(map[string]any)
	for _, k := range []string{"fonts", "languages", "screenResolution", "timezone", "platform", "touchSupport", "math", "localStorage"} {
		assert.Contains(t, signals, k)
	}
	assert.Equal(t, 200, a.Status)
	s.eval(`new Promise((r) => { history.pushState({}, '', '/spa/next'); analytics.page('Next'); analytics.ready(() => r(true)) })`)
	got := s.waitAttaches(2)
	assert.Equal(t, "/spa/next", got[1].Body["page"])
	s.waitTrue(`document.cookie.includes('rpt_last_fp=')`, "rpt_last_fp stored")
	s.noPageErrors()
}

// flowScriptTag: the script-tag install attaches.
func flowScriptTag(t *testing.T, eng string) {
	s := newXSite(t, eng)
	s.open("/site/script-tag.html")
	s.eval(signInAndView)
	a := s.waitAttaches(1)[0]
	assert.Equal(t, "acct-1", a.Body["user"])
	assert.Equal(t, "viewer@example.com", a.Body["email"])
	assert.Equal(t, "/site/script-tag.html", a.Body["page"])
	fp, _ := a.Body["fingerprint"].(string)
	assert.Len(t, fp, 2048, "fingerprint")
	s.noPageErrors()
}

// flowNpmApp drives the npm single-page app: sign in, two views, sign out.
func flowNpmApp(t *testing.T, eng string) {
	s := newXSite(t, eng)
	const app = "/dist/examples/npm-app/"
	s.open(app)
	s.waitTrue(`performance.getEntriesByType('resource').some((e) => e.name.includes('/settings'))`, "analytics.js loaded its settings")
	s.settle()
	click := func(sel string) {
		s.eval(`(() => { document.querySelector(` + jsString(sel) + `).click(); return true })()`)
	}
	click("#signin-button")
	first := s.waitAttaches(1)[0]
	assert.Equal(t, "acct-2002", first.Body["user"])
	assert.Equal(t, "family@example.com", first.Body["email"])
	assert.Equal(t, app, first.Body["page"])
	click(`a[href="browse"]`)
	s.waitAttaches(2)
	click(`a[href="watch"]`)
	got := s.waitAttaches(3)
	assert.Equal(t, app+"browse", got[1].Body["page"])
	assert.Equal(t, app+"watch", got[2].Body["page"])
	click("#signout-button")
	s.waitDetaches(1)
	assert.Equal(t, "acct-2002", s.srv.Rupt.Detaches()[0].Body["user"])
	s.noPageErrors()
}

// flowSuspended: a suspended account goes to suspended_url.
func flowSuspended(t *testing.T, eng string) {
	s := newXSite(t, eng)
	s.srv.Rupt.SetSuspended("acct-1", true)
	s.open("/site/remote.html")
	s.eval(signInAndView)
	s.waitAttaches(1)
	s.waitHref(s.url + "/site/suspended.html")
	s.noPageErrors()
}

// attachedAndListening signs in and waits for the live channel of the
// attached device.
func (s *xsite) attachedAndListening(page string) string {
	s.t.Helper()
	s.open(page)
	s.eval(signInAndView)
	dev := s.waitAttaches(1)[0].DeviceID
	require.NotEmpty(s.t, dev)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	require.NoError(s.t, s.srv.Rupt.WaitListener(ctx, dev), "the page never opened the live channel")
	return dev
}

func flowLiveLogout(t *testing.T, eng string) {
	s := newXSite(t, eng)
	dev := s.attachedAndListening("/site/remote.html")
	require.Equal(t, 1, s.srv.Rupt.PushLogout(dev, "ch_logout_1"))
	u, err := url.Parse(s.waitHref(s.url + "/site/logged-out.html"))
	require.NoError(t, err)
	assert.Equal(t, "ch_logout_1", u.Query().Get("challenge"))
	s.noPageErrors()
}

func flowLiveChallenge(t *testing.T, eng string) {
	s := newXSite(t, eng)
	dev := s.attachedAndListening("/site/script-tag.html")
	require.Equal(t, 1, s.srv.Rupt.PushChallenge(dev, "ch_3", ""))
	u, err := url.Parse(s.waitHref(s.url + "/challenge?challenge=ch_3"))
	require.NoError(t, err)
	q := u.Query()
	assert.Equal(t, s.url+"/site/logged-out.html", q.Get("logout"))
	assert.Equal(t, s.url+"/site/new-account.html", q.Get("new_account"))
	assert.Equal(t, s.url+"/site/welcome-back.html", q.Get("success"))
	s.noPageErrors()
}

// flowLogoutHandOff: ?rupt_action=logout sends a signed-in user to
// logout_url, and nothing reaches Rupt.
func flowLogoutHandOff(t *testing.T, eng string) {
	s := newXSite(t, eng)
	s.open("/site/remote.html?rupt_action=logout")
	s.eval(signInAndView)
	s.waitHref(s.url + "/site/logged-out.html")
	assert.Empty(t, s.srv.Rupt.Attaches())
	assert.Empty(t, s.srv.Rupt.Requests(), "no request reaches Rupt")
	s.noPageErrors()
}

// flow503ThenOK: Rupt answers 503 with Retry-After once; the retry
// attaches, with no rupt:error and no navigation.
func flow503ThenOK(t *testing.T, eng string) {
	s := newXSite(t, eng)
	require.NoError(t, s.srv.Rupt.SetFault(server.Fault{Mode: server.FaultHTTP503, Count: 1}))
	s.open("/site/remote.html")
	s.eval(`(() => { window.__attached = []; addEventListener('rupt:attached', (e) => __attached.push(e.detail)); return true })()`)
	s.eval(signInAndView)
	got := s.waitAttaches(2)
	assert.Equal(t, 503, got[0].Status)
	assert.Equal(t, 200, got[1].Status)
	assert.GreaterOrEqual(t, got[1].Time.Sub(got[0].Time), 900*time.Millisecond, "the retry waits for Retry-After")
	s.waitTrue(`window.__attached.length === 1`, "rupt:attached")
	assert.Equal(t, s.url+"/site/remote.html", s.href())
	assert.Equal(t, "[]", s.eval(`window.__e2eProbe.ruptErrors`))
	// The browser itself may log the failed request (Chromium does).
	s.noPageErrorsBut(func(e string) bool {
		return strings.HasPrefix(e, "console: ") && strings.Contains(e, "503") && strings.Contains(e, "Service Unavailable")
	})
}

// flowCSP: with script-src 'self' 'wasm-unsafe-eval' (no 'unsafe-eval', no
// inline script) every install still attaches, with no CSP violation.
func flowCSP(t *testing.T, eng string) {
	for _, page := range []string{"/site/remote.html", "/site/script-tag.html", "/dist/examples/npm-app/"} {
		t.Run(page, func(t *testing.T) { cspPage(t, eng, page) })
	}
}

func cspPage(t *testing.T, eng, page string) {
	s := newXSite(t, eng)
	s.wrap(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Security-Policy", "script-src 'self' 'wasm-unsafe-eval'")
			next.ServeHTTP(w, r)
		})
	})
	s.open(page)
	if strings.HasPrefix(page, "/dist/") {
		s.waitTrue(`performance.getEntriesByType('resource').some((e) => e.name.includes('/settings'))`, "analytics.js loaded its settings")
		s.settle()
		s.eval(`(() => { document.getElementById('signin-button').click(); return true })()`)
	} else {
		s.eval(signInAndView)
	}
	s.waitAttaches(1)
	// @ruptjs/fingerprint (as in Rupt's own SDK) probes the engine's
	// ECMAScript version with six eval() calls, each in a try/catch:
	// under this policy each is refused and reported as a violation
	// (README, Content-Security-Policy). Nothing else may be.
	evals, logged := 0, 0
	s.noPageErrorsBut(func(e string) bool {
		switch {
		case cspFingerprintEval.MatchString(e):
			evals++
			return true
		case cspEvalLogged.MatchString(e):
			logged++
			return true
		}
		return false
	})
	assert.LessOrEqual(t, evals, 6, "the fingerprint's feature probes")
	assert.LessOrEqual(t, logged, 6, "the browser's console lines for the fingerprint's feature probes")
}

// cspEvalLogged is the browser's own console line for a refused eval().
var cspEvalLogged = regexp.MustCompile(`(?i)^console: .*(eval.*content.security.policy|content.security.policy.*eval)`)

// cspFingerprintEval is a refused eval() from the bundle's code (the
// fingerprint's ECMAScript feature probes), as the probe reports it.
var cspFingerprintEval = regexp.MustCompile(`^CSP violation: script-src(-elem)? eval at https?://[^/]+/dist/(rupt-actions\.js|rupt-actions\.mjs|examples/npm-app/app\.js):`)

// flowNoGlobals loads the classic script on an empty page and attaches
// through it: only ruptDestination may be new on window.
func flowNoGlobals(t *testing.T, eng string) {
	s := newXSite(t, eng)
	s.open("/site/blank.html")
	s.eval(`(() => { window.__before = Object.getOwnPropertyNames(window); return true })()`)
	s.loadClassic("")
	s.pageViewThroughFactory("acct-globals")
	got := s.waitAttaches(1)
	assert.Equal(t, "acct-globals", got[0].Body["user"])
	var added []string
	require.NoError(t, json.Unmarshal([]byte(s.eval(`(() => {
		const before = new Set(window.__before.concat(['__before']));
		return Object.getOwnPropertyNames(window).filter((k) => !before.has(k));
	})()`)), &added))
	assert.Equal(t, []string{"ruptDestination"}, added)
	for _, name := range []string{"Go", "fs", "process", "path", "ruptActions", "Rupt"} {
		assert.Equal(t, "undefined", s.str(`typeof window.`+name), name)
	}
	s.noPageErrors()
}

// loadClassic adds the classic script to the page (with data-wasm-url if
// given) and waits for it.
func (s *xsite) loadClassic(wasmURL string) {
	s.t.Helper()
	s.eval(`new Promise((resolve, reject) => {
		const el = document.createElement('script');
		el.src = '/dist/rupt-actions.js';
		if (` + jsString(wasmURL) + `) el.dataset.wasmUrl = ` + jsString(wasmURL) + `;
		el.onload = () => resolve(true); el.onerror = () => reject(new Error('cannot load rupt-actions.js'));
		document.head.appendChild(el);
	})`)
}

// pageViewThroughFactory makes a plugin with window.ruptDestination and
// gives it a signed-in page view.
func (s *xsite) pageViewThroughFactory(account string) {
	s.t.Helper()
	s.eval(`(() => {
		const plugin = window.ruptDestination(` + factorySettings + `);
		plugin.page({event: {type: 'page', userId: ` + jsString(account) + `, context: {page: {path: location.pathname}}}});
		return true;
	})()`)
}

const factorySettings = `{client_id: '` + clientID + `', new_account_url: location.origin + '/site/new-account.html', api_base: location.origin + '/rupt'}`

// otherBuildWasm is dist/rupt-actions.wasm with a custom section added: a
// valid module that would run, but not the bytes this build was made with
// (as a .wasm of another release would be).
func otherBuildWasm(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot(), "dist", "rupt-actions.wasm"))
	require.NoError(t, err)
	name, payload := "other-build", []byte("0.0.0-other")
	size := 1 + len(name) + len(payload)
	require.Less(t, size, 128)
	b = append(b, 0, byte(size), byte(len(name)))
	b = append(b, name...)
	return append(b, payload...)
}

// tamperedWasm is dist/rupt-actions.wasm with one byte changed.
func tamperedWasm(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot(), "dist", "rupt-actions.wasm"))
	require.NoError(t, err)
	b[len(b)/2] ^= 0x01
	return b
}

// serveWasm serves body at every path matching re (no precompressed copy).
func (s *xsite) serveWasm(re *regexp.Regexp, body []byte) {
	s.serveWasmAs(re, body, "application/wasm")
}

// serveWasmAs is serveWasm with another Content-Type.
func (s *xsite) serveWasmAs(re *regexp.Regexp, body []byte, contentType string) {
	s.wrap(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if re.MatchString(r.URL.Path) {
				w.Header().Set("Content-Type", contentType)
				w.Header().Set("Cache-Control", "no-store")
				w.Write(body)
				return
			}
			next.ServeHTTP(w, r)
		})
	})
}

// refused waits for the bundle's refusal of a .wasm and checks it was said
// once, clearly, and that nothing was attached.
func (s *xsite) refused(wasmPath string) {
	s.t.Helper()
	s.waitTrue(`window.__e2eProbe.ruptErrors.length > 0`, "a rupt:error")
	s.eval(`new Promise((r) => setTimeout(() => r(true), 1000))`)
	var errs []struct{ Stage, Message string }
	require.NoError(s.t, json.Unmarshal([]byte(s.eval(`window.__e2eProbe.ruptErrors`)), &errs))
	// A runtime that cannot start is reported once, at load: the
	// configuration and the events that needed it add nothing.
	require.Len(s.t, errs, 1, "one rupt:error: %v", errs)
	assert.Equal(s.t, "load", errs[0].Stage)
	assert.Contains(s.t, errs[0].Message, "not the .wasm built with this rupt-actions.js")
	assert.Contains(s.t, errs[0].Message, wasmPath)
	assert.Contains(s.t, errs[0].Message, "sha256-")
	var logged []string
	for _, e := range s.pageErrors() {
		if strings.HasPrefix(e, "console.error") {
			logged = append(logged, e)
		}
	}
	require.Len(s.t, logged, 1, "one console.error: %v", logged)
	assert.Contains(s.t, logged[0], "[rupt-actions] cannot start: refused ")
	assert.Contains(s.t, logged[0], "not the .wasm built with this rupt-actions.js")
	assert.Empty(s.t, s.srv.Rupt.Attaches(), "a refused .wasm never runs")
}

// watchWasmJS records, after the probe, every call the page makes to
// WebAssembly's compile and instantiate functions and how it ended, in
// window.__e2eProbe.wasm: "compile ok", "instantiate(module) ok",
// "compile CompileError", "instantiateStreaming pending", ...
const watchWasmJS = `(() => {
	const W = WebAssembly, calls = window.__e2eProbe.wasm = [];
	for (const k of ['compile', 'compileStreaming', 'instantiate', 'instantiateStreaming']) {
		const f = W[k];
		if (!f) continue;
		W[k] = function (src, ...rest) {
			const i = calls.push(k + (src instanceof W.Module ? '(module)' : '') + ' pending') - 1;
			const p = f.call(W, src, ...rest);
			p.then(() => { calls[i] = calls[i].replace('pending', 'ok') }, (e) => { calls[i] = calls[i].replace('pending', e && e.name || 'error') });
			return p;
		};
	}
})();
`

// watchReadsJS records, after the probe, how the page reads .wasm
// bodies, in window.__e2eProbe.reads: "blob /assets/same.wasm" for
// Response.prototype.blob, "arrayBuffer /assets/same.wasm" for
// Response.prototype.arrayBuffer.
const watchReadsJS = `(() => {
	const reads = window.__e2eProbe.reads = [];
	for (const k of ['blob', 'arrayBuffer']) {
		const f = Response.prototype[k];
		Response.prototype[k] = function () {
			const path = new URL(this.url).pathname;
			if (/\.(wasm|bin)$/.test(path)) reads.push(k + ' ' + path);
			return f.apply(this, arguments);
		};
	}
})();
`

// wasmReads is what watchReadsJS recorded on the current document.
func (s *xsite) wasmReads() []string {
	s.t.Helper()
	var reads []string
	require.NoError(s.t, json.Unmarshal([]byte(s.eval(`window.__e2eProbe.reads`)), &reads))
	return reads
}

// noBlobReadJS removes Blob.prototype.arrayBuffer, as in engines older
// than it (Safari 13): the shim then reads the response itself.
const noBlobReadJS = `delete Blob.prototype.arrayBuffer;
`

// noWebCryptoJS hides crypto.subtle, as a page on plain http: has none.
const noWebCryptoJS = `Object.defineProperty(Crypto.prototype, 'subtle', {get: () => undefined, configurable: true});
`

// watchWasm adds watchWasmJS (and js) to the probe, so that it runs
// before the page's own scripts.
func (s *xsite) watchWasm(js string) {
	s.wrap(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == probePath {
				w.Header().Set("Content-Type", "text/javascript")
				w.Header().Set("Cache-Control", "no-store")
				w.Write([]byte(probeJS + watchWasmJS + js))
				return
			}
			next.ServeHTTP(w, r)
		})
	})
}

// wasmCalls is what watchWasmJS recorded on the current document.
func (s *xsite) wasmCalls() []string {
	s.t.Helper()
	var calls []string
	require.NoError(s.t, json.Unmarshal([]byte(s.eval(`window.__e2eProbe.wasm`)), &calls))
	return calls
}

// webCryptoPath checks the page is where the shim verifies the .wasm
// itself: a secure context (the test server is on 127.0.0.1) with
// crypto.subtle.
func (s *xsite) webCryptoPath() {
	s.t.Helper()
	require.Equal(s.t, "true", s.eval(`isSecureContext && !!(globalThis.crypto && crypto.subtle)`), "a secure context with WebCrypto")
}

// notInstantiated checks that the refused .wasm was compiled at most (the
// WebCrypto path compiles while it hashes), never instantiated: Go never
// ran.
func (s *xsite) notInstantiated(compiles string) {
	s.t.Helper()
	s.waitTrue(`!window.__e2eProbe.wasm.some((c) => c.endsWith(' pending'))`, "the compile to end")
	calls := s.wasmCalls()
	require.Len(s.t, calls, 1, "WebAssembly calls: %v", calls)
	assert.Regexp(s.t, "^compile "+compiles+"$", calls[0], "WebAssembly calls: %v", calls)
}

// flowIntegrityTampered: the script-tag page with its hashed .wasm
// tampered with: refused, never run.
func flowIntegrityTampered(t *testing.T, eng string) {
	s := newXSite(t, eng)
	s.serveWasm(regexp.MustCompile(`^/dist/rupt-actions\.[0-9a-f]+\.wasm$`), tamperedWasm(t))
	s.watchWasm("")
	s.open("/site/script-tag.html")
	s.webCryptoPath()
	s.eval(signInAndView)
	s.refused("/dist/rupt-actions.")
	// Whether one changed bit still compiles or not, the answer is the
	// refusal, and nothing is instantiated.
	s.notInstantiated("(ok|CompileError)")
	assert.Equal(t, s.url+"/site/script-tag.html", s.href(), "the page is unharmed")
}

// serveBuilds serves this build's .wasm at /assets/same.wasm and another
// build's at /assets/other.wasm, and returns this build's bytes.
func (s *xsite) serveBuilds() []byte {
	s.t.Helper()
	same, err := os.ReadFile(filepath.Join(repoRoot(), "dist", "rupt-actions.wasm"))
	require.NoError(s.t, err)
	s.serveWasm(regexp.MustCompile(`^/assets/same\.wasm$`), same)
	s.serveWasm(regexp.MustCompile(`^/assets/other\.wasm$`), otherBuildWasm(s.t))
	return same
}

// flowIntegrityWasmURL: data-wasm-url with this build's .wasm at another
// URL attaches (also with the wrong Content-Type); with another build's
// .wasm, or one that does not compile, it is refused.
func flowIntegrityWasmURL(t *testing.T, eng string) {
	s := newXSite(t, eng)
	same := s.serveBuilds()
	s.watchWasm(watchReadsJS)
	s.open("/site/blank.html")
	s.webCryptoPath()
	s.loadClassic("/assets/other.wasm")
	s.pageViewThroughFactory("acct-other")
	s.refused("/assets/other.wasm")
	// Another build's .wasm is a valid module: compiled while it was
	// hashed, never instantiated.
	s.notInstantiated("ok")

	// A .wasm that does not compile (cut short) is refused as not this
	// build's, not reported as a compile error: the hash is checked first.
	s.serveWasm(regexp.MustCompile(`^/assets/cut\.wasm$`), same[:len(same)/2])
	s.open("/site/blank.html")
	s.loadClassic("/assets/cut.wasm")
	s.pageViewThroughFactory("acct-cut")
	s.refused("/assets/cut.wasm")
	s.notInstantiated(`\w*Error`) // a CompileError; InternalError in Firefox 153

	s.open("/site/blank.html")
	s.loadClassic("/assets/same.wasm")
	s.pageViewThroughFactory("acct-same")
	got := s.waitAttaches(1)
	assert.Equal(t, "acct-same", got[0].Body["user"])
	assert.Equal(t, []string{"compile ok", "instantiate(module) ok"}, s.wasmCalls(), "compiled from the bytes, instantiated once verified")
	// The body drains into a Blob (not read on the page's main thread).
	assert.Equal(t, []string{"blob /assets/same.wasm"}, s.wasmReads())
	s.noPageErrors()

	// Served with the wrong Content-Type: the same (the shim compiles the
	// bytes it hashes, not the stream, so the type does not matter).
	s.serveWasmAs(regexp.MustCompile(`^/assets/same\.bin$`), same, "application/octet-stream")
	s.open("/site/blank.html")
	s.loadClassic("/assets/same.bin")
	s.pageViewThroughFactory("acct-bin")
	got = s.waitAttaches(2)
	assert.Equal(t, "acct-bin", got[1].Body["user"])
	assert.Equal(t, []string{"compile ok", "instantiate(module) ok"}, s.wasmCalls())
	s.noPageErrors()
}

// flowIntegrityNoWebCrypto: without crypto.subtle (a page on plain http:)
// fetch checks the .wasm (Subresource Integrity): another build's is
// refused before anything compiles; this build's streams into
// instantiateStreaming once checked (or, with the wrong Content-Type, is
// instantiated from the checked bytes).
func flowIntegrityNoWebCrypto(t *testing.T, eng string) {
	s := newXSite(t, eng)
	same := s.serveBuilds()
	s.watchWasm(noWebCryptoJS)
	s.open("/site/blank.html")
	require.Equal(t, "false", s.eval(`!!crypto.subtle`), "crypto.subtle hidden")
	s.loadClassic("/assets/other.wasm")
	s.pageViewThroughFactory("acct-other")
	s.refused("/assets/other.wasm")
	assert.Empty(t, s.wasmCalls(), "nothing compiled")

	s.open("/site/blank.html")
	s.loadClassic("/assets/same.wasm")
	s.pageViewThroughFactory("acct-same")
	got := s.waitAttaches(1)
	assert.Equal(t, "acct-same", got[0].Body["user"])
	assert.Equal(t, []string{"instantiateStreaming ok"}, s.wasmCalls())
	s.noPageErrors()

	// With the wrong Content-Type: instantiated from the checked bytes.
	s.serveWasmAs(regexp.MustCompile(`^/assets/same\.bin$`), same, "application/octet-stream")
	s.open("/site/blank.html")
	s.loadClassic("/assets/same.bin")
	s.pageViewThroughFactory("acct-bin")
	got = s.waitAttaches(2)
	assert.Equal(t, "acct-bin", got[1].Body["user"])
	assert.Equal(t, []string{"instantiateStreaming TypeError", "instantiate ok"}, s.wasmCalls())
	s.noPageErrors()
}

// flowIntegrityNoBlobRead: without Blob.prototype.arrayBuffer the shim
// reads the .wasm's response itself, and checks it as before: another
// build's is refused and never instantiated, this build's attaches.
func flowIntegrityNoBlobRead(t *testing.T, eng string) {
	s := newXSite(t, eng)
	s.serveBuilds()
	s.watchWasm(watchReadsJS + noBlobReadJS)
	s.open("/site/blank.html")
	s.webCryptoPath()
	require.Equal(t, "true", s.eval(`typeof Blob.prototype.arrayBuffer === 'undefined'`), "Blob.prototype.arrayBuffer removed")
	s.loadClassic("/assets/other.wasm")
	s.pageViewThroughFactory("acct-other")
	s.refused("/assets/other.wasm")
	s.notInstantiated("ok")

	s.open("/site/blank.html")
	s.loadClassic("/assets/same.wasm")
	s.pageViewThroughFactory("acct-same")
	got := s.waitAttaches(1)
	assert.Equal(t, "acct-same", got[0].Body["user"])
	assert.Equal(t, []string{"compile ok", "instantiate(module) ok"}, s.wasmCalls())
	assert.Equal(t, []string{"arrayBuffer /assets/same.wasm"}, s.wasmReads(), "the response read, no Blob")
	s.noPageErrors()
}

// flowIntegrityNpmWasmURL: the ES module's wasmURL option, likewise.
func flowIntegrityNpmWasmURL(t *testing.T, eng string) {
	s := newXSite(t, eng)
	s.serveBuilds()
	viaModule := func(wasmURL, account string) {
		s.eval(`import('/dist/rupt-actions.mjs').then((m) => {
			const plugin = m.createRuptDestination({wasmURL: ` + jsString(wasmURL) + `})(` + factorySettings + `);
			plugin.page({event: {type: 'page', userId: ` + jsString(account) + `, context: {page: {path: location.pathname}}}});
			return true;
		})`)
	}
	s.watchWasm(watchReadsJS)
	s.open("/site/blank.html")
	s.webCryptoPath()
	viaModule("/assets/other.wasm", "acct-other")
	s.refused("/assets/other.wasm")
	s.notInstantiated("ok")

	s.open("/site/blank.html")
	viaModule("/assets/same.wasm", "acct-same")
	got := s.waitAttaches(1)
	assert.Equal(t, "acct-same", got[0].Body["user"])
	assert.Equal(t, []string{"compile ok", "instantiate(module) ok"}, s.wasmCalls(), "compiled from the bytes, instantiated once verified")
	// The body drains into a Blob (not read on the page's main thread).
	assert.Equal(t, []string{"blob /assets/same.wasm"}, s.wasmReads())
	s.noPageErrors()
}

// waitDetaches waits until the simulator has received n detach requests.
func (s *xsite) waitDetaches(n int) {
	s.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for len(s.srv.Rupt.Detaches()) < n {
		if time.Now().After(deadline) {
			s.t.Fatalf("waited 30s for %d detach request(s), got %d", n, len(s.srv.Rupt.Detaches()))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// jsString is a JavaScript string literal of v.
func jsString(v string) string {
	b, _ := json.Marshal(v)
	return string(b)
}
