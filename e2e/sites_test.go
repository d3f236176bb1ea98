package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestExampleSitesAsAUser signs in on each multi-page example site by
// clicking, then follows its navigation links: each page load attaches
// with its own path, the user remembered by analytics.js.
func TestExampleSitesAsAUser(t *testing.T) {
	for _, site := range []string{"remote", "script-tag", "esm"} {
		t.Run(site, func(t *testing.T) {
			s := newSite(t)
			s.open("/site/" + site + ".html")
			// Sign in once analytics.js is ready and has replayed the site's
			// own page view at load, as a person would after the page has
			// loaded.
			s.eval(`new Promise((resolve) => analytics.ready(() => setTimeout(() => resolve(true), 300)))`)
			require.NoError(t, chromedp.Do(s.tab, chromedp.Click("#signin-button", chromedp.NodeVisible)))
			first := s.waitAttaches(1)[0]
			assert.Equal(t, "acct-1001", first.Body["user"])
			assert.Equal(t, "viewer@example.com", first.Body["email"], "the email rides in context.traits")
			assert.Equal(t, "/site/"+site+".html", first.Body["page"])

			require.NoError(t, chromedp.Do(s.tab, chromedp.Click(`a[href="/site/`+site+`/browse"]`, chromedp.NodeVisible)))
			s.waitPath("/site/" + site + "/browse")
			second := s.waitAttaches(2)[1]
			assert.Equal(t, "acct-1001", second.Body["user"])
			assert.Equal(t, "/site/"+site+"/browse", second.Body["page"])
			assert.Equal(t, first.Body["fingerprint"], second.Body["last_fingerprint"])
		})
	}
}
