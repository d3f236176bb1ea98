package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNpmAppAsAUser drives the example app that installs the packed npm
// package (examples/npm-app): sign in, navigate the single-page app, sign
// out. Each view attaches once, with its own path; sign-out detaches.
func TestNpmAppAsAUser(t *testing.T) {
	s := newSite(t)
	const app = "/dist/examples/npm-app/"
	s.open(app)
	click := func(sel string) {
		t.Helper()
		require.NoError(t, chromedp.Do(s.tab, chromedp.Click(sel, chromedp.NodeVisible)))
	}
	s.waitAnalyticsLoaded()
	click("#signin-button")
	first := s.waitAttaches(1)[0]
	assert.Equal(t, "acct-2002", first.Body["user"])
	assert.Equal(t, "family@example.com", first.Body["email"])
	assert.Equal(t, app, first.Body["page"])

	click(`a[href="browse"]`)
	click(`a[href="watch"]`)
	got := s.waitAttaches(3)
	assert.Equal(t, app+"browse", got[1].Body["page"])
	assert.Equal(t, app+"watch", got[2].Body["page"])
	assert.Equal(t, "Watch", s.value(`document.getElementById('view').textContent`))

	click("#signout-button")
	s.waitDetaches(1)
	assert.Equal(t, "acct-2002", s.srv.Rupt.Detaches()[0].Body["user"])
	for _, m := range s.consoleMessages() {
		assert.NotEqual(t, chromedp.ConsoleException, m.Type, m.Text)
	}
}
