package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The three ways to install: each page attaches on page() exactly once.
func TestInstallPaths(t *testing.T) {
	for _, page := range []string{"/site/remote.html", "/site/script-tag.html", "/site/esm.html"} {
		t.Run(page, func(t *testing.T) {
			s := newSite(t)
			s.open(page)
			s.eval(signInAndView)
			got := s.waitAttaches(1)
			a := got[0]
			assert.Equal(t, "Basic "+clientID+":", a.Authorization)
			assert.Equal(t, "acct-1", a.Body["user"])
			assert.Equal(t, "viewer@example.com", a.Body["email"])
			assert.Equal(t, page, a.Body["page"])
			// A single-page-app navigation attaches again, once: one plugin.
			s.eval(`new Promise((r) => { history.pushState({}, '', '/spa/next'); analytics.page('Next'); analytics.ready(() => r(true)) })`)
			got = s.waitAttaches(2)
			assert.Equal(t, "/spa/next", got[1].Body["page"])
			// The same page again does not: once per account and path.
			s.eval(`new Promise((r) => { analytics.page('Next again'); analytics.ready(() => r(true)) })`)
			s.settle()
			assert.Len(t, s.srv.Rupt.Attaches(), 2, "one attach per account and path")
		})
	}
}

// TestNoGlobalsLeftBehind loads the classic script on an empty page, runs
// one attach through it, and lists the window's own properties before and
// after: only ruptDestination may be new.
func TestNoGlobalsLeftBehind(t *testing.T) {
	s := newSite(t)
	s.open("/site/blank.html")
	s.eval(`window.__before = Object.getOwnPropertyNames(window); true`)
	s.eval(`new Promise((resolve, reject) => {
		const el = document.createElement('script');
		el.src = '/dist/rupt-actions.js';
		el.onload = resolve; el.onerror = reject;
		document.head.appendChild(el);
	})`)
	s.eval(`(() => {
		const plugin = window.ruptDestination({client_id: '` + clientID + `', new_account_url: location.origin + '/site/new-account.html', api_base: location.origin + '/rupt'});
		plugin.page({event: {type: 'page', userId: 'acct-globals', context: {page: {path: '/site/blank.html'}}}});
		return true;
	})()`)
	got := s.waitAttaches(1)
	assert.Equal(t, "acct-globals", got[0].Body["user"])
	added, err := chromedp.Run(s.tab, chromedp.Evaluate[[]string](`(() => {
		const before = new Set(window.__before.concat(['__before']));
		return Object.getOwnPropertyNames(window).filter((k) => !before.has(k));
	})()`))
	require.NoError(t, err)
	assert.Equal(t, []string{"ruptDestination"}, added)
	for _, name := range []string{"Go", "fs", "process", "path", "ruptActions", "Rupt"} {
		v, err := chromedp.Run(s.tab, chromedp.Evaluate[string](`typeof window.`+name))
		require.NoError(t, err)
		assert.Equal(t, "undefined", v, name)
	}
}
