package e2e

// TestDifferential holds the bundle, end to end in the browser, to what
// Segment's own browser runtime would send for the same page: real
// analytics.js loads dist/rupt-actions.js through the remote-plugin path,
// each page gets random subscriptions and six random page / track /
// identify calls, a recorder destination captures exactly the events
// analytics.js delivered, and e2e/testdata/segment-runtime.mjs (the pinned
// @segment/destination-subscriptions, @segment/actions-core mapping-kit and
// rupt SDK logic) says which attach bodies Segment would post. The
// documented deliberate differences are applied in one place,
// deliberateDifferences, and the Rupt simulator's attaches must then agree.
//
// Environment: DIFFERENTIAL_SEED (default: a fixed seed, so that the test
// command is reproducible; run other seeds as a campaign, e.g.
// DIFFERENTIAL_SEED=$RANDOM DIFFERENTIAL_PAGES=500),
// DIFFERENTIAL_PAGES (default 100), DIFFERENTIAL_PAGE (run that page index
// only, e.g. to replay a failure), DIFFERENTIAL_VERBOSE (log every page's
// full report, not only the failing ones).

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"rupt-actions-wasm/examples/server"
)

const (
	diffDefaultPages = 100
	diffTabs         = 2 // pages run in this many tabs at once
	// diffPageBudget is the longest a page may take, waits included;
	// a tab with less time left (newSite's tabs live 60 s) is replaced.
	diffPageBudget = 25 * time.Second
	// diffLogoutPath is the default settings' logout_url (a page without scripts).
	diffLogoutPath = "/site/logged-out.html"
	diffSettle     = 500 * time.Millisecond
)

func TestDifferential(t *testing.T) {
	seed := uint64(20261205)
	if v := os.Getenv("DIFFERENTIAL_SEED"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("DIFFERENTIAL_SEED=%q: %v", v, err)
		}
		seed = n
	}
	pages := diffDefaultPages
	if v := os.Getenv("DIFFERENTIAL_PAGES"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("DIFFERENTIAL_PAGES=%q: want a positive number", v)
		}
		pages = n
	}
	t.Logf("seed %d (replay: DIFFERENTIAL_SEED=%d go test -count=1 -run TestDifferential ./e2e/; one page: add DIFFERENTIAL_PAGE=<index>)", seed, seed)

	corpus := loadDiffCorpus(t)
	t.Logf("material: %d FQL corpus queries (%d with events the oracle matched), %d mapping values (+%d from mappings that always threw), %d whole mappings, %d event objects",
		len(corpus.queries), len(corpus.matching), len(corpus.values), len(corpus.badValues), len(corpus.mappings), len(corpus.objects))
	var plans []*diffPage
	for i := 0; i < pages; i++ {
		plans = append(plans, drawPage(corpus, seed, i))
	}
	if v := os.Getenv("DIFFERENTIAL_PAGE"); v != "" {
		i, err := strconv.Atoi(v)
		if err != nil || i < 0 || i >= pages {
			t.Fatalf("DIFFERENTIAL_PAGE=%q: want an index below DIFFERENTIAL_PAGES (%d)", v, pages)
		}
		plans = plans[i : i+1]
	}
	oracle := startDiffOracle(t)
	run := &diffRun{seed: seed, oracle: oracle, fingerprints: map[string]int{}}
	start := time.Now()
	// Two tabs (browser contexts) take pages from one queue; each tab is
	// navigated from page to page, and replaced by a fresh newSite before
	// newSite's 60 s limit could cut a page short.
	queue := make(chan *diffPage, len(plans))
	for _, p := range plans {
		queue <- p
	}
	close(queue)
	t.Run("pages", func(t *testing.T) {
		for w := 0; w < diffTabs; w++ {
			t.Run(fmt.Sprintf("tab %d", w), func(t *testing.T) {
				t.Parallel()
				var d *diffSite
				for p := range queue {
					if d == nil || d.remaining() < diffPageBudget {
						d = newDiffSite(t)
					}
					run.page(t, d, p)
				}
			})
		}
	})

	run.mu.Lock()
	defer run.mu.Unlock()
	st := run.stats
	t.Logf("%d pages in %.1f s (%d signed-in, %d logout, %d anonymous; %d sequential): %d events delivered, %d attaches received, %d distinct bodies expected; %d pages expected 2 or more distinct bodies; %d logout pages expected the hand-off, %d expected nothing",
		st.pages, time.Since(start).Seconds(), st.kinds["signed-in"], st.kinds["logout"], st.kinds["anonymous"], st.sequential,
		st.events, st.received, st.expected, st.severalBodies, st.logoutNavigations, st.kinds["logout"]-st.logoutNavigations)
	var notes []string
	for k, n := range st.notes {
		notes = append(notes, fmt.Sprintf("%s: %d", k, n))
	}
	sort.Strings(notes)
	notes = append(notes, fmt.Sprintf("6: identical bodies expected more than once on a page: %d, of which sent fewer times: %d", st.repeated, st.collapsed))
	t.Logf("deliberate differences applied (event × subscription):\n  %s", strings.Join(notes, "\n  "))
	if len(run.fingerprints) > 1 {
		var fps []string
		for fp, n := range run.fingerprints {
			fps = append(fps, fmt.Sprintf("%d× %.40s…", n, fp))
		}
		t.Errorf("one browser sent %d different fingerprints: %s", len(run.fingerprints), strings.Join(fps, "; "))
	}
	// The draw must keep attaching (about a third of the pages expect two
	// or more distinct bodies), and logout pages must see both outcomes
	// (drawPage makes one of each in every 20 pages).
	if len(plans) >= 50 {
		if st.severalBodies*10 < st.pages {
			t.Errorf("only %d of %d pages expected 2 or more distinct attach bodies: the draw has gone weak", st.severalBodies, st.pages)
		}
		if st.logoutNavigations == 0 || st.logoutNavigations == st.kinds["logout"] {
			t.Errorf("logout pages: %d of %d expected the hand-off; the draw should give both outcomes", st.logoutNavigations, st.kinds["logout"])
		}
	}
}

// ---------------------------------------------------------------- the oracle

// diffOracle is one node process running segment-runtime.mjs for every page.
type diffOracle struct {
	mu     sync.Mutex
	in     io.WriteCloser
	out    *bufio.Reader
	stderr *lockedBuffer
}

// lockedBuffer is the oracle's stderr, written by os/exec's copier and
// read in error messages.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func startDiffOracle(t *testing.T) *diffOracle {
	t.Helper()
	cmd := exec.Command("node", "testdata/segment-runtime.mjs")
	o := &diffOracle{stderr: &lockedBuffer{}}
	cmd.Stderr = o.stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting the oracle (node testdata/segment-runtime.mjs): %v", err)
	}
	o.in, o.out = in, bufio.NewReaderSize(out, 1<<20)
	t.Cleanup(func() {
		in.Close()
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	})
	return o
}

type oracleRequest struct {
	Page          int             `json:"page"`
	Subscriptions []diffSub       `json:"subscriptions"`
	Events        []recordedEvent `json:"events"`
}

type oracleAnswer struct {
	Page   int              `json:"page"`
	Events [][]oracleResult `json:"events"`
	Error  string           `json:"error"`
}

// oracleResult is Segment's raw answer for one event and subscription
// (see segment-runtime.mjs).
type oracleResult struct {
	Sub            int                        `json:"sub"`
	Skipped        bool                       `json:"skipped"`
	Match          bool                       `json:"match"`
	MatchUnquoted  *bool                      `json:"matchUnquoted"`
	ValidateError  *string                    `json:"validateError"`
	TransformError *string                    `json:"transformError"`
	Body           map[string]json.RawMessage `json:"body"`
	AfterThrow     bool                       `json:"afterThrow"`
}

func (o *diffOracle) ask(req oracleRequest) (oracleAnswer, error) {
	line, err := json.Marshal(req)
	if err != nil {
		return oracleAnswer{}, err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if _, err := o.in.Write(append(line, '\n')); err != nil {
		return oracleAnswer{}, fmt.Errorf("writing to the oracle: %v (stderr: %s)", err, o.stderr)
	}
	ans, err := o.out.ReadBytes('\n')
	if err != nil {
		return oracleAnswer{}, fmt.Errorf("reading the oracle: %v (stderr: %s)", err, o.stderr)
	}
	var a oracleAnswer
	if err := json.Unmarshal(ans, &a); err != nil {
		return a, fmt.Errorf("the oracle's answer: %v", err)
	}
	if a.Error != "" {
		return a, errors.New("the oracle failed: " + a.Error)
	}
	if a.Page != req.Page || len(a.Events) != len(req.Events) {
		return a, fmt.Errorf("the oracle answered page %d with %d events for page %d with %d", a.Page, len(a.Events), req.Page, len(req.Events))
	}
	return a, nil
}

// ---------------------------------------------------------------- the deliberate differences

// expectedAttach is an attach body, in the keys compared (user, email,
// phone, metadata, page), as decoded JSON.
type expectedAttach map[string]any

// deliberateDifferences is THE list of where this bundle deliberately
// differs from Segment's runtime (README, "Deliberate differences", and the
// Attach Device notes). It turns Segment's raw answer for one delivered
// event and one subscription into the attach this bundle must send (nil:
// none) and says which rules applied. Rules 6 and 8 concern a whole page
// and are applied where noted; nothing else in the test adjusts
// expectations. The draw (differential_gen_test.go) keeps out inputs
// outside what is compared: @liquid (a documented subset), paths onto
// JavaScript built-ins and "__proto__" keys (documented errors), and
// numbers JSON.parse turns into Infinity.
//
//  1. No attach when the mapped account is not a non-empty string or a
//     finite number (Segment's SDK posts anyway, with no or a bad user); a
//     numeric account is sent as JavaScript's String(n).
//  2. email / phone: a string is sent as is, except "" (left out); a
//     number as String(n); any other type (object, array, boolean, null)
//     is left out.
//  3. metadata is sent only when it is a JSON object (not an array).
//  4. page: the path of the page view the event belongs to, the event's
//     context.page.path when it is a non-empty string, else
//     location.pathname when the event arrived (Segment's SDK reads
//     location.pathname whenever its attach runs); left out when
//     include_page is present and JS-falsy, as the SDK does.
//  5. A subscription whose validate or transform throws is skipped alone;
//     Segment's runtime (a for loop with no error handling) would reject
//     the rest of the call too (oracleResult.AfterThrow is ignored).
//  6. An attach identical (user, page, email, phone, metadata) to one sent
//     or in flight in the last 2 seconds is sent once: applied where the
//     bodies are compared (compareAttaches), not here — every distinct
//     expected body arrives at least once, none more often than expected.
//  7. A single-quoted literal (`type = 'page'`, Segment's own preset) is
//     read as the string inside; Segment's parser keeps the quotes.
//  8. On a ?rupt_action=logout page, the first event that would attach
//     under rules 1-7 hands off to logout_url instead, and nothing is
//     attached; events that would not attach do nothing. (Rupt's SDK
//     hands off inside every attach() call, with or without an account.)
//     Applied where the page is judged (diffRun.page): a logout page
//     expects the hand-off exactly when this function returns a body for
//     one of its events.
//
// Numbers: the oracle's JSON is JSON.stringify's, whose number text is
// String(n), so rules 1 and 2 take a number's JSON text as it is (a
// non-finite number is already null there).
func deliberateDifferences(sub diffSub, ev recordedEvent, r oracleResult) (expectedAttach, []string) {
	if r.Skipped {
		return nil, []string{"not an enabled attach subscription"}
	}
	var notes []string
	matched := r.Match
	if r.MatchUnquoted != nil && strings.Contains(sub.Subscribe, "'") { // rule 7
		if *r.MatchUnquoted != r.Match {
			notes = append(notes, "7: single-quoted literal read as the string inside")
		}
		matched = *r.MatchUnquoted
	}
	if r.AfterThrow && matched { // rule 5
		notes = append(notes, "5: still evaluated after an earlier subscription threw")
	}
	if r.ValidateError != nil { // rule 5
		return nil, append(notes, "5: validate threw: skipped alone")
	}
	if !matched {
		return nil, append(notes, "no match")
	}
	if r.TransformError != nil { // rule 5
		return nil, append(notes, "5: transform threw: skipped alone")
	}
	if r.Body == nil {
		return nil, append(notes, "the oracle gave no body")
	}
	out := expectedAttach{}
	// Rule 1.
	switch k, s := jsonScalar(r.Body["user"]); {
	case k == "string" && s != "":
		out["user"] = s
	case k == "number":
		out["user"] = s
		notes = append(notes, "1: numeric account sent as String(n)")
	default:
		return nil, append(notes, "1: no usable account: no attach")
	}
	// Rule 2.
	for _, key := range []string{"email", "phone"} {
		v, ok := r.Body[key]
		if !ok {
			continue
		}
		switch k, s := jsonScalar(v); {
		case k == "string" && s != "":
			out[key] = s
		case k == "number":
			out[key] = s
			notes = append(notes, "2: numeric "+key+" sent as String(n)")
		default:
			notes = append(notes, "2: "+key+" that is not a non-empty string or a number left out")
		}
	}
	// Rule 3.
	if v, ok := r.Body["metadata"]; ok {
		if t := bytes.TrimSpace(v); len(t) > 0 && t[0] == '{' {
			var m any
			if err := json.Unmarshal(v, &m); err == nil {
				out["metadata"] = m
			}
		} else {
			notes = append(notes, "3: metadata that is not an object left out")
		}
	}
	// Rule 4: the SDK puts page in the body exactly when include_page is
	// undefined or truthy; the value is ours.
	if _, ok := r.Body["page"]; ok {
		if p := contextPagePath(ev.Event); p != "" {
			out["page"] = p
			notes = append(notes, "4: page from context.page.path")
		} else {
			out["page"] = ev.Path
			notes = append(notes, "4: page from location.pathname at arrival")
		}
	} else {
		notes = append(notes, "4: include_page JS-falsy: no page")
	}
	return out, notes
}

// jsonScalar classifies a JSON value: "string" (with its value), "number"
// (with its text), or "other".
func jsonScalar(v json.RawMessage) (string, string) {
	v = bytes.TrimSpace(v)
	if len(v) == 0 {
		return "absent", ""
	}
	switch c := v[0]; {
	case c == '"':
		var s string
		if json.Unmarshal(v, &s) == nil {
			return "string", s
		}
	case c == '-' || c >= '0' && c <= '9':
		return "number", string(v)
	}
	return "other", ""
}

// contextPagePath is the event's context.page.path when it is a non-empty string.
func contextPagePath(event json.RawMessage) string {
	var e struct {
		Context struct {
			Page struct {
				Path json.RawMessage `json:"path"`
			} `json:"page"`
		} `json:"context"`
	}
	if json.Unmarshal(event, &e) != nil {
		return ""
	}
	if k, s := jsonScalar(e.Context.Page.Path); k == "string" {
		return s
	}
	return ""
}

// attachKey is the canonical form of a body in the compared keys:
// encoding/json sorts map keys, so equal JSON gives equal keys.
func attachKey(body map[string]any) string {
	m := map[string]any{}
	for _, k := range []string{"user", "email", "phone", "metadata", "page"} {
		if v, ok := body[k]; ok {
			m[k] = v
		}
	}
	b, err := json.Marshal(m)
	if err != nil {
		return fmt.Sprintf("<%v>", err)
	}
	return string(b)
}

// ---------------------------------------------------------------- one page

type diffRun struct {
	seed   uint64
	oracle *diffOracle

	mu           sync.Mutex
	stats        diffStats
	fingerprints map[string]int
	reported     int
}

type diffStats struct {
	pages, sequential, events, received, expected, severalBodies, logoutNavigations int
	// repeated counts distinct bodies expected more than once on a page,
	// collapsed those of them that arrived fewer times (rule 6).
	repeated, collapsed int
	kinds               map[string]int
	notes               map[string]int
}

// recordedEvent is one event the recorder destination received: the JSON
// text of ctx.event and location.pathname then.
type recordedEvent struct {
	Event json.RawMessage `json:"event"`
	Path  string          `json:"path"`
}

func (e *recordedEvent) UnmarshalJSON(b []byte) error {
	var v struct {
		Event string `json:"event"`
		Path  string `json:"path"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	e.Event, e.Path = json.RawMessage(v.Event), v.Path
	return nil
}

func (e recordedEvent) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Event string `json:"event"`
		Path  string `json:"path"`
	}{string(e.Event), e.Path})
}

// diffSite is a newSite serving the test's own minimal pages: the snippet
// and analytics.js only (no example app issuing its own events), with the
// recorder destination ready to register.
type diffSite struct {
	s *site
}

const diffPageHTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>differential</title>
<script>
window.__diff = { events: [] };
(() => {
  const record = (ctx) => {
    window.__diff.events.push({ event: JSON.stringify(ctx.event), path: location.pathname });
    // Kept in sessionStorage too: a logout hand-off navigates away.
    try { sessionStorage.setItem('diff-events', JSON.stringify(window.__diff.events)) } catch (_) {}
    return ctx;
  };
  window.__diffRecorder = { name: 'recorder', type: 'destination', version: '1',
    isLoaded: () => true, load: () => Promise.resolve(),
    page: record, track: record, identify: record, group: record, alias: record, screen: record };
  // Resolves once the bundle has processed every event delivered so far:
  // the plugin's detach() runs after the events already queued (and their
  // attaches' answers).
  window.__diffDrain = async () => {
    const p = analytics.queue && analytics.queue.plugins.find((p) => p.action && p.action.name === 'Rupt attach');
    if (!p || typeof p.action.detach !== 'function') {
      await new Promise((r) => setTimeout(r, 3000));
      return 'waited';
    }
    await p.action.detach();
    return 'drained';
  };
})();
</script>
<script src="/site/snippet.js" data-write-key="demo-write-key"></script>
</head><body><p>Differential test page.</p></body></html>
`

const diffBlankHTML = `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>out</title></head><body></body></html>`

func newDiffSite(t *testing.T) *diffSite {
	s := newSite(t)
	s.wrap(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			var body string
			switch {
			case strings.HasPrefix(r.URL.Path, "/diff/"):
				body = diffPageHTML
			case strings.HasPrefix(r.URL.Path, "/diff-out/"):
				body = diffBlankHTML
			default:
				next.ServeHTTP(w, r)
				return
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Cache-Control", "no-store")
			io.WriteString(w, body)
		})
	})
	return &diffSite{s: s}
}

// remaining is how long the tab has left.
func (d *diffSite) remaining() time.Duration {
	if dl, ok := d.s.tab.Deadline(); ok {
		return time.Until(dl)
	}
	return time.Hour
}

// evalErr runs JavaScript in the page, awaiting a returned promise, within
// a timeout.
func (d *diffSite) evalErr(js string, timeout time.Duration, out any) error {
	ctx, cancel := context.WithTimeout(d.s.tab, timeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		return err
	}
	if out != nil {
		return json.Unmarshal([]byte(v), out)
	}
	return nil
}

const diffClearJS = `(() => {
	localStorage.clear();
	sessionStorage.clear();
	for (const c of document.cookie.split(';')) {
		const name = c.split('=')[0].trim();
		if (name) document.cookie = name + '=; path=/; max-age=0';
	}
	return JSON.stringify({cookies: document.cookie, local: localStorage.length});
})()`

const diffSetupJS = `new Promise((resolve, reject) => {
	const t = setTimeout(() => reject(new Error('analytics.js was not ready within 20 s')), 20000);
	analytics.ready(() => {
		analytics.register(window.__diffRecorder).then(() => { clearTimeout(t); resolve('"ready"') }, reject);
	});
})`

const diffReadJS = `(() => {
	let s = null;
	try { s = sessionStorage.getItem('diff-events') } catch (_) {}
	return JSON.stringify({ path: location.pathname, events: s ? JSON.parse(s) : [] });
})()`

// runJS makes the page's calls: in one task, or (sequential) each after
// the previous one was delivered.
func runJS(p *diffPage) string {
	calls := mustJSON(p.Calls)
	return fmt.Sprintf(`(async () => {
	const calls = JSON.parse(%s);
	const query = %s;
	const sequential = %t;
	for (const c of calls) {
		if (c.path) history.pushState({}, '', c.path + query);
		const done = analytics[c.method](...c.args);
		if (sequential) {
			await Promise.race([Promise.resolve(done).catch(() => {}), new Promise((r) => setTimeout(r, 3000))]);
			await new Promise((r) => setTimeout(r, 30));
		}
	}
	return '"called"';
})()`, mustJSON(string(calls)), mustJSON(p.query()), p.Sequential)
}

func (run *diffRun) page(t *testing.T, d *diffSite, p *diffPage) {
	s := d.s
	t0 := time.Now()
	var marks []string
	mark := func(what string) { marks = append(marks, fmt.Sprintf("%s %.2fs", what, time.Since(t0).Seconds())) }
	var problems []string
	fail := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }

	// Leave the previous page, forget what analytics.js and the bundle
	// stored (user, anonymous id, rpt_last_fp), start the simulator afresh.
	s.open("/diff-out/blank")
	var cleared struct {
		Cookies string `json:"cookies"`
		Local   int    `json:"local"`
	}
	if err := d.evalErr(diffClearJS, 10*time.Second, &cleared); err != nil || cleared.Cookies != "" || cleared.Local != 0 {
		t.Fatalf("page %d: clearing storage: %v %+v", p.Index, err, cleared)
	}
	s.srv.Rupt.Reset()
	settings := server.DefaultDestinationSettings(clientID)
	settings["subscriptions"] = p.Subs
	s.srv.SetDestinationSettings(settings)

	mark("cleared")
	s.open(p.startPath() + p.query())
	mark("opened")
	if err := d.evalErr(diffSetupJS, 25*time.Second, nil); err != nil {
		t.Fatalf("page %d: setting up the recorder: %v", p.Index, err)
	}
	mark("ready")
	if err := d.evalErr(runJS(p), 30*time.Second, nil); err != nil {
		t.Fatalf("page %d: making the calls: %v", p.Index, err)
	}
	mark("called")

	// Every call reaches the recorder (or the page hands off to logout_url).
	var seen struct {
		Path   string          `json:"path"`
		Events []recordedEvent `json:"events"`
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		err := d.evalErr(diffReadJS, 5*time.Second, &seen)
		if err == nil && (len(seen.Events) >= len(p.Calls) || seen.Path == diffLogoutPath) {
			break
		}
		if time.Now().After(deadline) {
			fail("waited 20 s for %d events to reach the recorder; got %d (last error: %v)", len(p.Calls), len(seen.Events), err)
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	events := seen.Events
	mark("recorded")

	// Segment's answer, then ours.
	ans, err := run.oracle.ask(oracleRequest{Page: p.Index, Subscriptions: p.Subs, Events: events})
	if err != nil {
		t.Fatalf("page %d: %v", p.Index, err)
	}
	want := map[string]int{}
	var explain []string
	notes := map[string]int{}
	for i, results := range ans.Events {
		for _, r := range results {
			body, why := deliberateDifferences(p.Subs[r.Sub], events[i], r)
			for _, n := range why {
				if len(n) > 1 && n[1] == ':' {
					notes[n]++
				}
			}
			line := fmt.Sprintf("  event %d × %q: %s", i, p.Subs[r.Sub].Name, oracleSummary(r))
			if body != nil {
				want[attachKey(body)]++
				line += "\n      → expect " + attachKey(body)
			}
			if len(why) > 0 {
				line += "\n      (" + strings.Join(why, "; ") + ")"
			}
			explain = append(explain, line)
		}
	}

	var got []server.AttachRecord
	navigated := seen.Path == diffLogoutPath
	switch p.Kind {
	case "logout":
		// The first event that would attach hands off to logout_url
		// instead; nothing is ever attached.
		if len(want) > 0 || navigated {
			deadline := time.Now().Add(15 * time.Second)
			for !navigated && time.Now().Before(deadline) {
				time.Sleep(50 * time.Millisecond)
				var v struct {
					Path string `json:"path"`
				}
				navigated = d.evalErr(diffReadJS, 5*time.Second, &v) == nil && v.Path == diffLogoutPath
			}
		} else {
			if err := d.evalErr(`window.__diffDrain().then(JSON.stringify)`, 20*time.Second, nil); err != nil {
				var v struct {
					Path string `json:"path"`
				}
				navigated = d.evalErr(diffReadJS, 5*time.Second, &v) == nil && v.Path == diffLogoutPath
			}
		}
		time.Sleep(diffSettle)
		var v struct {
			Path string `json:"path"`
		}
		if d.evalErr(diffReadJS, 5*time.Second, &v) == nil && v.Path == diffLogoutPath {
			navigated = true
		}
		switch {
		case len(want) > 0 && !navigated:
			fail("?rupt_action=logout: an event would attach, but the page did not go to logout_url")
		case len(want) == 0 && navigated:
			fail("?rupt_action=logout: no event would attach, but the page went to logout_url")
		}
		got = s.srv.Rupt.Attaches()
		if len(got) > 0 {
			fail("?rupt_action=logout: %d attach(es) sent; none may be", len(got))
		}
	default:
		if p.Kind == "anonymous" && len(want) > 0 {
			fail("test draw error: an anonymous page expects attaches")
		}
		// Wait until the bundle has processed every event (its attaches
		// answered) and the expected distinct bodies arrived; once drained,
		// a missing body gets a short grace, not the whole timeout.
		drained := make(chan error, 1)
		go func() { drained <- d.evalErr(`window.__diffDrain().then(JSON.stringify)`, 20*time.Second, nil) }()
		var drainErr error
		var grace <-chan time.Time
		timeout := time.After(20 * time.Second)
	wait:
		for {
			changed := s.srv.Rupt.Changed()
			if grace != nil && missing(want, s.srv.Rupt.Attaches()) == 0 {
				break
			}
			select {
			case drainErr = <-drained:
				grace = time.After(time.Second)
			case <-changed:
			case <-grace:
				break wait
			case <-timeout:
				break wait
			}
		}
		mark("drained")
		if drainErr != nil {
			fail("waiting for the bundle to process the events: %v", drainErr)
		}
		time.Sleep(diffSettle)
		got = s.srv.Rupt.Attaches()
		problems = append(problems, compareAttaches(want, got)...)
		if navigated {
			fail("the page went to logout_url without ?rupt_action=logout")
		}
	}
	problems = append(problems, run.checkDevice(got)...)
	mark("checked")
	t.Logf("page %d (%s): %d events, %d distinct bodies expected, %d attaches, logout hand-off %t; %s", p.Index, p.Kind, len(events), len(want), len(got), navigated, strings.Join(marks, ", "))

	run.mu.Lock()
	defer run.mu.Unlock()
	st := &run.stats
	if st.kinds == nil {
		st.kinds, st.notes = map[string]int{}, map[string]int{}
	}
	st.pages++
	st.kinds[p.Kind]++
	if p.Sequential {
		st.sequential++
	}
	st.events += len(events)
	st.received += len(got)
	st.expected += len(want)
	if len(want) >= 2 && p.Kind != "logout" {
		st.severalBodies++
	}
	if p.Kind == "logout" && len(want) > 0 {
		st.logoutNavigations++
	}
	for k, n := range notes {
		st.notes[k] += n
	}
	if p.Kind != "logout" {
		have := map[string]int{}
		for _, a := range got {
			have[attachKey(a.Body)]++
		}
		for k, n := range want {
			if n > 1 {
				st.repeated++
				if have[k] < n {
					st.collapsed++
				}
			}
		}
	}
	if len(problems) == 0 {
		if os.Getenv("DIFFERENTIAL_VERBOSE") != "" {
			t.Logf("%s", run.report(p, events, explain, want, got, []string{"(none: DIFFERENTIAL_VERBOSE report)"}))
		}
		return
	}
	run.reported++
	if run.reported > 8 {
		t.Errorf("page %d (seed %d, %s): %s", p.Index, run.seed, p.Kind, strings.Join(problems, "; "))
		return
	}
	t.Errorf("%s", run.report(p, events, explain, want, got, problems))
}

// oracleSummary is one oracle result in a line.
func oracleSummary(r oracleResult) string {
	if r.Skipped {
		return "skipped (not an enabled attach subscription)"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "match=%t", r.Match)
	if r.MatchUnquoted != nil {
		fmt.Fprintf(&b, " matchUnquoted=%t", *r.MatchUnquoted)
	}
	if r.ValidateError != nil {
		fmt.Fprintf(&b, " validate threw %q", *r.ValidateError)
	}
	if r.TransformError != nil {
		fmt.Fprintf(&b, " transform threw %q", *r.TransformError)
	}
	if r.AfterThrow {
		b.WriteString(" (after a throw)")
	}
	if r.Body != nil {
		body, _ := json.Marshal(r.Body)
		fmt.Fprintf(&b, " segment body %s", body)
	}
	return b.String()
}

// missing counts the expected distinct bodies that have not arrived.
func missing(want map[string]int, got []server.AttachRecord) int {
	have := map[string]bool{}
	for _, a := range got {
		have[attachKey(a.Body)] = true
	}
	n := 0
	for k := range want {
		if !have[k] {
			n++
		}
	}
	return n
}

// compareAttaches applies rule 6 of deliberateDifferences: identical
// attaches within 2 seconds are sent once, so every distinct expected body
// arrives at least once, no body arrives that is not expected, and none
// more often than it is expected.
func compareAttaches(want map[string]int, got []server.AttachRecord) []string {
	have := map[string]int{}
	for _, a := range got {
		have[attachKey(a.Body)]++
	}
	var problems []string
	for _, k := range sortedKeys(want) {
		if have[k] == 0 {
			problems = append(problems, "missing: "+k)
		}
	}
	for _, k := range sortedKeys(have) {
		switch {
		case want[k] == 0:
			problems = append(problems, fmt.Sprintf("unexpected (%d×): %s", have[k], k))
		case have[k] > want[k]:
			problems = append(problems, fmt.Sprintf("sent %d× but expected at most %d×: %s", have[k], want[k], k))
		}
	}
	return problems
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// checkDevice checks the device keys for presence and consistency only:
// a signals object and a 2048-character fingerprint on every attach, a
// last_fingerprint (sent once one was stored) equal to it, and one
// fingerprint in the whole browser.
func (run *diffRun) checkDevice(got []server.AttachRecord) []string {
	var problems []string
	for i, a := range got {
		if _, ok := a.Body["signals"].(map[string]any); !ok {
			problems = append(problems, fmt.Sprintf("attach %d has no signals object", i))
		}
		fp, _ := a.Body["fingerprint"].(string)
		if len(fp) != 2048 {
			problems = append(problems, fmt.Sprintf("attach %d: fingerprint of %d characters, want 2048", i, len(fp)))
			continue
		}
		if last, ok := a.Body["last_fingerprint"]; ok && last != fp {
			problems = append(problems, fmt.Sprintf("attach %d: last_fingerprint is not the fingerprint this browser sent", i))
		}
		run.mu.Lock()
		run.fingerprints[fp]++
		run.mu.Unlock()
	}
	return problems
}

// report is a failing page's full story: everything needed to debug it.
func (run *diffRun) report(p *diffPage, events []recordedEvent, explain []string, want map[string]int, got []server.AttachRecord, problems []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "page %d failed (seed %d: DIFFERENTIAL_SEED=%d DIFFERENTIAL_PAGE=%d replays it); kind %s, sequential %t, opened at %s%s\n",
		p.Index, run.seed, run.seed, p.Index, p.Kind, p.Sequential, p.startPath(), p.query())
	b.WriteString("problems:\n")
	for _, pr := range problems {
		b.WriteString("  - " + pr + "\n")
	}
	b.WriteString("subscriptions:\n")
	for i, sub := range p.Subs {
		j, _ := json.Marshal(sub)
		fmt.Fprintf(&b, "  [%d] %s\n", i, j)
	}
	b.WriteString("calls:\n")
	for i, c := range p.Calls {
		j, _ := json.Marshal(c)
		fmt.Fprintf(&b, "  [%d] %s\n", i, j)
	}
	b.WriteString("delivered events:\n")
	for i, e := range events {
		fmt.Fprintf(&b, "  [%d] at %s: %s\n", i, e.Path, e.Event)
	}
	b.WriteString("oracle (Segment's runtime) and deliberate differences:\n")
	b.WriteString(strings.Join(explain, "\n") + "\n")
	b.WriteString("expected (distinct body: times):\n")
	for _, k := range sortedKeys(want) {
		fmt.Fprintf(&b, "  %d× %s\n", want[k], k)
	}
	b.WriteString("received:\n")
	for i, a := range got {
		fmt.Fprintf(&b, "  [%d] %s (status %d)\n", i, attachKey(a.Body), a.Status)
	}
	return b.String()
}
