package e2e

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"rupt-actions-wasm/examples/server"
)

// The user's email and phone in the fault tests: they must never show up in
// a DOM event's detail or on the console.
const (
	faultEmail = "fault.viewer@example.com"
	faultPhone = "+15550199"
)

// faultWatch is installed before the page view: it records the bundle's DOM
// events, counts the attach requests the page sends (fetch calls), and
// leaves a marker that a navigation (even to the same URL) would erase.
const faultWatch = `(() => {
	window.__marker = 'still here';
	window.__errors = []; window.__attached = []; window.__attachedAt = []; window.__redirects = [];
	addEventListener('rupt:error', (e) => __errors.push(e.detail));
	addEventListener('rupt:attached', (e) => { __attached.push(e.detail); __attachedAt.push(performance.now()) });
	addEventListener('rupt:redirect', (e) => __redirects.push(e.detail));
	window.__fetches = [];
	const f = window.fetch;
	window.fetch = function (input) {
		const u = String((input && input.url) || input);
		if (u.includes('/v2/device/attach')) __fetches.push(performance.now());
		return f.apply(this, arguments);
	};
	return true;
})()`

// faultSignIn registers a second destination with analytics.js (the probe:
// it notes every event it gets), then signs in and views the page, sending
// the email and phone.
const faultSignIn = `new Promise((resolve, reject) => analytics.ready(async () => {
	try {
		window.__probe = [];
		// The site's own page() at load (unnamed, before sign-in) may or may
		// not reach a destination registered later; the probe notes the
		// events sent from here on.
		const note = (ctx) => {
			const e = ctx.event;
			if (e.type !== 'page' || e.name) __probe.push(e.type + ':' + (e.name || e.event || ''));
			return ctx;
		};
		await analytics.register({name: 'probe', type: 'destination', version: '1', isLoaded: () => true,
			load: () => Promise.resolve(), page: note, track: note, identify: note});
		analytics.identify('acct-1', {email: '` + faultEmail + `', phone: '` + faultPhone + `'});
		window.__viewAt = performance.now();
		analytics.page('Home', {email: '` + faultEmail + `', phone: '` + faultPhone + `'},
			{context: {traits: {email: '` + faultEmail + `', phone: '` + faultPhone + `'}}});
		resolve(true);
	} catch (e) { reject(e) }
}))`

// faultRecoveryPath is where the page goes (pushState) once the fault clears.
const faultRecoveryPath = "/site/remote/after-fault"

const faultRecover = `history.pushState({}, '', '` + faultRecoveryPath + `');
	analytics.page('Recovered', {email: '` + faultEmail + `', phone: '` + faultPhone + `'});
	analytics.track('After fault');
	true`

// faultPoll waits until the expression is true in the page.
func (s *site) faultPoll(js string, within time.Duration, what string) {
	s.t.Helper()
	deadline := time.Now().Add(within)
	for {
		ok, err := chromedp.Run(s.tab, chromedp.Evaluate[bool]("!!("+js+")"))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("waited %s for %s (%s): %v", within, what, js, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// faultJSON evaluates an expression and decodes its JSON.
func faultJSON[T any](s *site, js string) T {
	s.t.Helper()
	var v T
	require.NoError(s.t, json.Unmarshal([]byte(s.value("JSON.stringify("+js+")")), &v), js)
	return v
}

// attachesFor returns the attach requests the simulator received for a page
// path.
func attachesFor(s *site, path string) []server.AttachRecord {
	var out []server.AttachRecord
	for _, a := range s.srv.Rupt.Attaches() {
		if a.Body["page"] == path {
			out = append(out, a)
		}
	}
	return out
}

// assertPageUnharmed checks what must hold whatever Rupt did: no uncaught
// exception, no navigation (the marker survived, no rupt:redirect, the
// location is want), and no email or phone in any DOM event or on the
// console.
func assertPageUnharmed(t *testing.T, s *site, want string) {
	t.Helper()
	for _, m := range s.consoleMessages() {
		assert.NotEqual(t, chromedp.ConsoleException, m.Type, "uncaught exception on the page: %s", m.Text)
		assert.NotContains(t, m.Text, faultEmail, "console")
		assert.NotContains(t, m.Text, faultPhone, "console")
	}
	assert.Equal(t, "still here", s.value(`String(window.__marker)`), "the page navigated")
	assert.Equal(t, s.url+want, s.location())
	assert.Equal(t, "[]", s.value(`JSON.stringify(__redirects)`), "rupt:redirect")
	details := s.value(`JSON.stringify([__errors, __attached, __redirects])`)
	for _, pii := range []string{faultEmail, faultPhone, "fault.viewer", "5550199"} {
		assert.NotContains(t, details, pii, "a DOM event's detail holds PII")
	}
}

type faultOutcome int

const (
	// faultFails: the page view ends in one rupt:error (after any retries).
	faultFails faultOutcome = iota
	// faultAttaches: the page view ends attached (rupt:attached), with no
	// rupt:error.
	faultAttaches
	// faultAnswered: Rupt's answer is handled (rupt:attached); whether it
	// is reported as an error is not asserted.
	faultAnswered
)

type faultCase struct {
	name  string
	fault server.Fault
	// attempts is how many attach requests the page view sends in all
	// (first try and retries); maxAttempts, when set, allows a range.
	attempts, maxAttempts int
	outcome               faultOutcome
	// errHas are phrases of the rupt:error message.
	errHas []string
	// gaps are the least times between consecutive attempts (backoff,
	// Retry-After, the 10 s request timeout).
	gaps []time.Duration
	// transportRetry: the browser's network stack may send a request
	// again by itself (see runFaultCase).
	transportRetry bool
	// check runs after the fault's page view ended, before recovery.
	check func(t *testing.T, s *site)
}

// statuses summarises attach records for a failure message.
func statuses(recs []server.AttachRecord) string {
	var b strings.Builder
	for i, r := range recs {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(r.Time.Format("15:04:05.000") + " " + strconv.Itoa(r.Status))
	}
	return "[" + b.String() + "]"
}

// TestRuptAPIFaults: for each way Rupt's API can fail, a real analytics.js
// page signs in and views a page with a second destination registered;
// then the page must be unharmed (no uncaught exception, no navigation, no
// PII in event details), the probe destination must get every event, the
// retries must be bounded (transient failures: at most 2 retries with
// backoff; client errors and bad bodies: none), the failure must be
// reported as rupt:error, and once the fault clears the next page view
// (pushState + page()) must attach.
func TestRuptAPIFaults(t *testing.T) {
	backoff := []time.Duration{500 * time.Millisecond, time.Second}
	cases := []faultCase{
		// The longest first, so that it tends to start first.
		{name: "timeout", fault: server.Fault{Mode: server.FaultTimeout}, attempts: 3, outcome: faultFails,
			errHas: []string{"no answer"}, gaps: []time.Duration{10 * time.Second, 10 * time.Second}},
		{name: "500", fault: server.Fault{Mode: server.FaultHTTP500}, attempts: 3, outcome: faultFails,
			errHas: []string{"HTTP 500"}, gaps: backoff},
		{name: "503-retry-after", fault: server.Fault{Mode: server.FaultHTTP503}, attempts: 3, outcome: faultFails,
			errHas: []string{"HTTP 503"}, gaps: []time.Duration{time.Second, time.Second}},
		{name: "500-twice-then-ok", fault: server.Fault{Mode: server.FaultHTTP500, Count: 2}, attempts: 3, outcome: faultAttaches,
			gaps: backoff},
		{name: "401", fault: server.Fault{Mode: server.FaultHTTP401}, attempts: 1, outcome: faultFails,
			errHas: []string{"HTTP 401", "check client_id"}},
		{name: "403", fault: server.Fault{Mode: server.FaultHTTP403}, attempts: 1, outcome: faultFails,
			errHas: []string{"HTTP 403", "check client_id"}},
		{name: "404", fault: server.Fault{Mode: server.FaultHTTP404}, attempts: 1, outcome: faultFails,
			errHas: []string{"HTTP 404"}},
		{name: "malformed-json", fault: server.Fault{Mode: server.FaultMalformedJSON}, attempts: 1, outcome: faultFails,
			errHas: []string{"not valid JSON"}},
		{name: "html-200", fault: server.Fault{Mode: server.FaultHTML, Status: 200}, attempts: 1, outcome: faultFails,
			errHas: []string{"not valid JSON"}},
		{name: "html-502", fault: server.Fault{Mode: server.FaultHTML}, attempts: 3, outcome: faultFails,
			errHas: []string{"HTTP 502"}, gaps: backoff},
		// A body cut short, or stalled after the headers, is no answer:
		// retried, and bounded by the request timeout.
		{name: "truncated", fault: server.Fault{Mode: server.FaultTruncated}, attempts: 3, outcome: faultFails,
			errHas: []string{"no answer"}, gaps: backoff},
		{name: "stall-body", fault: server.Fault{Mode: server.FaultStallBody}, attempts: 3, outcome: faultFails,
			errHas: []string{"no answer"}, gaps: []time.Duration{10 * time.Second, 10 * time.Second}},
		// Fields of the wrong type: an answer, but only a real true
		// suspends, and the event detail is still an object.
		{name: "wrong-types", fault: server.Fault{Mode: server.FaultWrongTypes}, attempts: 1, outcome: faultAnswered,
			check: func(t *testing.T, s *site) {
				assert.Equal(t, "object", s.value(`__attached.length ? (__attached[0] === null ? 'null' : typeof __attached[0]) : 'none'`))
				assert.NotContains(t, s.value(`document.cookie`), "rpt_last_blocking_access")
			}},
		{name: "reset", fault: server.Fault{Mode: server.FaultReset}, attempts: 3, outcome: faultFails,
			errHas: []string{"no answer"}, gaps: backoff, transportRetry: true},
		{name: "no-cors", fault: server.Fault{Mode: server.FaultNoCORS}, attempts: 3, outcome: faultFails,
			errHas: []string{"no answer"}, gaps: backoff},
		{name: "slow", fault: server.Fault{Mode: server.FaultSlow}, attempts: 1, outcome: faultAttaches,
			check: func(t *testing.T, s *site) {
				took := time.Duration(faultJSON[float64](s, `__attachedAt[0] - __viewAt`) * float64(time.Millisecond))
				assert.GreaterOrEqual(t, took, 3*time.Second, "attached after the slow answer")
				assert.Less(t, took, 10*time.Second, "before the request timeout")
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			runFaultCase(t, c)
		})
	}
}

// newFaultSite is a site whose Rupt API is on another origin (localhost
// instead of 127.0.0.1, same server), as api.rupt.dev is: requests need
// CORS and preflights.
func newFaultSite(t *testing.T) *site {
	s := newSite(t)
	settings := s.srv.DestinationSettings()
	settings["api_base"] = strings.Replace(s.url, "127.0.0.1", "localhost", 1) + "/rupt"
	s.srv.SetDestinationSettings(settings)
	return s
}

// openFaultPage opens the example page and waits until analytics.js has
// sent the site's own page view (app.js calls page() at load, before
// analytics.js is there): analytics.js replays such buffered calls in later
// tasks, so without the wait the site's page view can pick up the user
// signed in afterwards and attach too.
func openFaultPage(s *site) {
	s.t.Helper()
	var pages atomic.Int32
	s.wrap(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost && r.URL.Path == "/segment/v1/p" {
				pages.Add(1)
			}
			next.ServeHTTP(w, r)
		})
	})
	s.open("/site/remote.html")
	deadline := time.Now().Add(15 * time.Second)
	for pages.Load() == 0 {
		if time.Now().After(deadline) {
			s.t.Fatal("analytics.js did not send the site's own page view")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func runFaultCase(t *testing.T, c faultCase) {
	s := newFaultSite(t)
	require.NoError(t, s.srv.Rupt.SetFault(c.fault))
	openFaultPage(s)
	s.eval(faultWatch)
	s.eval(faultSignIn)

	// analytics.js and the other destination never wait for Rupt.
	s.faultPoll(`__probe.includes('page:Home')`, 5*time.Second, "the probe to get the page view")
	if c.fault.Mode == server.FaultSlow || c.fault.Mode == server.FaultTimeout {
		assert.Equal(t, "0", s.value(`String(__attached.length + __errors.length)`), "the probe got the page before Rupt answered")
	}

	// The fault's page view ends.
	maxAttempts := max(c.attempts, c.maxAttempts)
	within := time.Duration(maxAttempts)*12*time.Second + 5*time.Second
	if c.outcome == faultFails {
		s.faultPoll(`__errors.length > 0`, within, "a rupt:error")
	} else {
		s.faultPoll(`__attached.length > 0`, within, "rupt:attached")
	}
	ended := time.Now()

	// The attempts as the page sent them (fetch calls) and as the
	// simulator received them.
	sent := faultJSON[[]float64](s, `__fetches`)
	got := attachesFor(s, "/site/remote.html")
	if c.maxAttempts == 0 {
		assert.Len(t, sent, c.attempts, "attach requests the page sent")
	} else {
		assert.GreaterOrEqual(t, len(sent), c.attempts, "attach requests the page sent")
		assert.LessOrEqual(t, len(sent), c.maxAttempts, "attach requests the page sent")
	}
	if c.transportRetry {
		// Chromium itself sends a request again, once, when a reused
		// keep-alive connection closes before any answer.
		assert.GreaterOrEqual(t, len(got), len(sent), "attach requests the simulator received: %s", statuses(got))
		assert.LessOrEqual(t, len(got), 2*len(sent), "attach requests the simulator received: %s", statuses(got))
	} else {
		assert.Len(t, got, len(sent), "attach requests the simulator received: %s", statuses(got))
	}
	for i, gap := range c.gaps {
		if i+1 < len(sent) {
			took := time.Duration((sent[i+1] - sent[i]) * float64(time.Millisecond))
			assert.GreaterOrEqual(t, took, gap, "time before retry %d", i+1)
		}
	}
	for _, a := range got {
		assert.Equal(t, "acct-1", a.Body["user"])
		assert.Equal(t, faultEmail, a.Body["email"], "the simulator did get the email")
	}

	errs := faultJSON[[]map[string]string](s, `__errors`)
	switch c.outcome {
	case faultFails:
		require.Len(t, errs, 1, "one rupt:error, after the last attempt")
		assert.Equal(t, "attach", errs[0]["stage"])
		for _, p := range c.errHas {
			assert.Contains(t, errs[0]["message"], p)
		}
		assert.Equal(t, "0", s.value(`String(__attached.length)`), "no rupt:attached")
	case faultAttaches:
		assert.Empty(t, errs, "no rupt:error")
		last := got[len(got)-1]
		assert.Equal(t, 200, last.Status)
		assert.Equal(t, last.DeviceID, faultJSON[[]map[string]string](s, `__attached`)[0]["device_id"])
	}
	if c.check != nil {
		c.check(t, s)
	}
	assertPageUnharmed(t, s, "/site/remote.html")

	// The fault clears; the next page view attaches.
	s.srv.Rupt.ClearFault()
	attachedBefore := faultJSON[int](s, `__attached.length`)
	s.eval(faultRecover)
	deadline := time.Now().Add(15 * time.Second)
	var rec server.AttachRecord
	for {
		if r := attachesFor(s, faultRecoveryPath); len(r) > 0 && r[0].Status == 200 {
			rec = r[0]
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no successful attach for %s after the fault cleared: %+v", faultRecoveryPath, attachesFor(s, faultRecoveryPath))
		}
		time.Sleep(50 * time.Millisecond)
	}
	require.NotEmpty(t, rec.DeviceID)
	s.faultPoll(`__attached.length > `+strconv.Itoa(attachedBefore)+` && __attached[__attached.length - 1].device_id === '`+rec.DeviceID+`'`,
		10*time.Second, "rupt:attached for the next page view")
	s.faultPoll(`__probe.length >= 4`, 10*time.Second, "the probe to get every event")
	assert.ElementsMatch(t, []string{"identify:", "page:Home", "page:Recovered", "track:After fault"}, faultJSON[[]string](s, `__probe`))

	// No late retries of the faulted page view: a third retry would come
	// at least 2 s after the second.
	if wait := 2500*time.Millisecond - time.Since(ended); wait > 0 {
		time.Sleep(wait)
	}
	assert.Len(t, faultJSON[[]float64](s, `__fetches`), len(sent)+1, "no attach requests after the page view ended but the next page view's")
	assert.Len(t, attachesFor(s, "/site/remote.html"), len(got), "no attach requests after the page view ended")
	assert.Len(t, attachesFor(s, faultRecoveryPath), 1)
	assert.Len(t, faultJSON[[]map[string]string](s, `__errors`), len(errs), "no new rupt:error")
	assertPageUnharmed(t, s, faultRecoveryPath)
}

// TestRuptLiveChannelDrop: the live channel's stream ends (a proxy's idle
// timeout, say) 2 s after it opened; EventSource reconnects by itself, the
// page notices nothing, and a logout pushed on the new stream still sends
// the user to logout_url.
func TestRuptLiveChannelDrop(t *testing.T) {
	t.Parallel()
	s := newFaultSite(t)
	require.NoError(t, s.srv.Rupt.SetFault(server.Fault{Mode: server.FaultSSEDrop, Count: 1, Delay: 2 * time.Second}))
	openFaultPage(s)
	s.eval(faultWatch)
	s.eval(faultSignIn)
	dev := s.waitAttaches(1)[0].DeviceID
	require.NotEmpty(t, dev)
	s.faultPoll(`__attached.length > 0`, 10*time.Second, "rupt:attached")

	listens := func() []server.RequestRecord {
		var out []server.RequestRecord
		for _, r := range s.srv.Rupt.Requests() {
			if r.Kind == "listen" {
				out = append(out, r)
			}
		}
		return out
	}
	deadline := time.Now().Add(20 * time.Second)
	for len(listens()) < 2 || s.srv.Rupt.Listeners(dev) == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("the live channel did not reconnect: %d listen request(s), %d open", len(listens()), s.srv.Rupt.Listeners(dev))
		}
		time.Sleep(50 * time.Millisecond)
	}
	l := listens()
	require.Len(t, l, 2, "one reconnection")
	assert.Equal(t, l[0].Query, l[1].Query, "the same live channel")
	assert.Equal(t, 200, l[1].Status)
	assert.GreaterOrEqual(t, l[1].Time.Sub(l[0].Time), 2*time.Second, "the first stream lasted until the drop")
	_, active := s.srv.Rupt.CurrentFault()
	assert.False(t, active)

	assert.Equal(t, "[]", s.value(`JSON.stringify(__errors)`), "a dropped and resumed stream is no error")
	assert.Len(t, s.srv.Rupt.Attaches(), 1, "no new attach")
	assertPageUnharmed(t, s, "/site/remote.html")
	s.faultPoll(`__probe.length >= 2`, 5*time.Second, "the probe to get every event")
	assert.ElementsMatch(t, []string{"identify:", "page:Home"}, faultJSON[[]string](s, `__probe`))

	require.Equal(t, 1, s.srv.Rupt.PushLogout(dev, "ch_drop"))
	href := s.waitHref(s.url + "/site/logged-out.html")
	u, err := url.Parse(href)
	require.NoError(t, err)
	assert.Equal(t, "ch_drop", u.Query().Get("challenge"))
}
