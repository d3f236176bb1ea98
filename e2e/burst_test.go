package e2e

import (
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"rupt-actions-wasm/examples/server"
)

// TestSPABurst: 1,000 analytics.page() calls at machine speed for one account
// across 20 paths, each after its own pushState. Every event reaches
// another destination in order; every path attaches, each attach with its
// own path, and an identical attach (same path) is sent at most once per
// 2 seconds (nothing else is dropped); one live channel; Go's memory is
// flat after warm-up.
func TestSPABurst(t *testing.T) {
	s := newSiteWithin(t, 4*time.Minute)
	s.open("/site/remote.html")
	s.eval(`new Promise((resolve) => analytics.ready(() => {
		window.__probe = [];
		analytics.register({name: 'probe', type: 'destination', version: '1', isLoaded: () => true, load: () => Promise.resolve(),
			page: (ctx) => { window.__probe.push(ctx.event.context.page.path); return ctx }});
		analytics.identify('acct-burst');
		window.__rupt = () => analytics.queue.plugins.find((p) => p.action && p.action.name === 'Rupt attach').action;
		resolve(true);
	}))`)
	// Warm-up: the first path attaches and the runtime is hot. The first
	// attach waits for Go's start and the signals: on a machine as busy as
	// the other bounds of this test allow for, that took over 30 s.
	s.eval(`history.pushState({}, '', '/burst/p0'); analytics.page(); true`)
	waitForWithin(t, s.srv.Rupt, 1, 2*time.Minute)
	s.eval(`new Promise((r) => setTimeout(r, 2100))`) // past the 2 s window

	// The calls are made as fast as the page takes them. analytics.js
	// itself needs about 6 ms per page() on an idle 2-core machine (ours
	// adds about 0.5 ms), so the burst takes about 6.5–9 s, and 15–30 s on
	// a slow or busy one; the bound only catches a hang, it is not a speed
	// target (see ./build.sh bench for those).
	start := len(s.srv.Rupt.Attaches())
	ms, err := strconv.ParseFloat(s.value(burst), 64)
	require.NoError(t, err)
	t.Logf("1,000 page() calls took %.1f s", ms/1000)
	require.Less(t, ms, 90000.0, "the burst took too long")

	s.waitAttaches(start + 20)
	// Every event reached the other destination, in order.
	probe := s.waitProbe(1001)
	for i, p := range probe[1:] {
		require.Equal(t, "/burst/p"+strconv.Itoa(i%20), p, "event %d", i)
	}
	s.settle()
	s.settle()
	got := s.srv.Rupt.Attaches()[start:]
	checkBurstAttaches(t, got, ms)
	dev := got[0].DeviceID
	assert.LessOrEqual(t, s.srv.Rupt.Listeners(dev), 1, "one live channel")
	listens := 0
	for _, r := range s.srv.Rupt.Requests() {
		if r.Kind == "listen" {
			listens++
		}
	}
	assert.Equal(t, 1, listens, "the live channel is opened once and kept")

	// A second burst on the same paths: every path attaches again (it is
	// more than 2 s later), and Go's memory stays where the first burst
	// left it.
	before := s.stats()
	start = len(s.srv.Rupt.Attaches())
	ms, err = strconv.ParseFloat(s.value(burst), 64)
	require.NoError(t, err)
	s.waitProbe(2001)
	s.waitAttaches(start + 20)
	s.settle()
	s.settle()
	checkBurstAttaches(t, s.srv.Rupt.Attaches()[start:], ms)
	after := s.stats()
	// Go takes linear memory in steps (about 1 MiB here) as its heap goal
	// grows, and when a collection cycle ends depends on the machine's
	// load: on a busy machine (a 22 s burst) the second burst took 2.3 MiB
	// more once. A leak would grow with every one of the 1,000 events
	// (./build.sh bench's figure 6 sees Go's memory settle at one size
	// within 100,000 events); 3 MiB still catches 3 KB per event.
	assert.LessOrEqual(t, after, before+3<<20, "Go's memory after the second burst (%d) grew more than 3 MiB over the first (%d)", after, before)
}

// checkBurstAttaches checks the attaches of one burst that took ms: each
// names the account and one of the burst's paths, every path attached,
// and no path attached more often than once per 2 s window of the burst
// (plus one for the window in flight at its end).
func checkBurstAttaches(t *testing.T, got []server.AttachRecord, ms float64) {
	t.Helper()
	perPath := map[string]int{}
	for _, a := range got {
		assert.Equal(t, "acct-burst", a.Body["user"])
		page, _ := a.Body["page"].(string)
		assert.Regexp(t, `^/burst/p1?[0-9]$`, page, "each attach names its own event's path")
		perPath[page]++
	}
	most := int(ms/2000) + 2
	for i := 0; i < 20; i++ {
		p := "/burst/p" + strconv.Itoa(i)
		assert.GreaterOrEqual(t, perPath[p], 1, "path %s attached", p)
		assert.LessOrEqual(t, perPath[p], most, "path %s attached more than once per 2 s", p)
	}
	t.Logf("%d attaches for 1,000 page views over 20 paths in %.1f s", len(got), ms/1000)
}

// waitProbe waits until the probe destination saw n page events and
// returns their paths.
func (s *site) waitProbe(n int) []string {
	s.t.Helper()
	var probe []string
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		require.NoError(s.t, json.Unmarshal([]byte(s.value(`JSON.stringify(window.__probe)`)), &probe))
		if len(probe) >= n {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	require.Len(s.t, probe, n)
	return probe
}

// burst makes 1,000 page() calls over 20 paths, each after its own
// pushState, and answers how long it took in ms.
const burst = `new Promise((resolve) => {
	let i = 0;
	const t0 = performance.now();
	const next = () => {
		for (let k = 0; k < 10 && i < 1000; k++, i++) {
			history.pushState({}, '', '/burst/p' + (i % 20));
			analytics.page();
		}
		if (i < 1000) setTimeout(next, 0); else resolve(String(performance.now() - t0));
	};
	next();
})`

// stats returns the Go runtime's memory taken from the WASM linear memory.
func (s *site) stats() int64 {
	s.t.Helper()
	var st struct {
		Sys int64 `json:"sys"`
	}
	require.NoError(s.t, json.Unmarshal([]byte(s.value(`window.__rupt().stats().then(JSON.stringify)`)), &st))
	require.Positive(s.t, st.Sys)
	return st.Sys
}
