package e2e

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// signInAndView is what a site does: identify the user, then page(). It
// waits for analytics.js first (before that, analytics.js replays buffered
// page() calls ahead of identify()), then a moment more: analytics.js
// replays the site's own page view at load just after ready, and signed in
// by then, that one would attach first, without the email.
const signInAndView = `new Promise((resolve) => analytics.ready(() => setTimeout(() => {
	analytics.identify('acct-1', {email: 'viewer@example.com'});
	analytics.page('Home', {email: 'viewer@example.com'});
	resolve(true);
}, 300)))`

func TestRemotePluginAttachesOnPage(t *testing.T) {
	s := newSite(t)
	settings := s.srv.DestinationSettings()
	settings["subscriptions"] = []any{map[string]any{
		"name": "Attach Device", "subscribe": "type = 'page'", "partnerAction": "attach", "enabled": true,
		"mapping": map[string]any{
			"account":  map[string]any{"@path": "$.userId"},
			"email":    map[string]any{"@path": "$.properties.email"},
			"phone":    map[string]any{"@path": "$.properties.phone"},
			"metadata": map[string]any{"plan": map[string]any{"@path": "$.properties.plan"}, "source": "web"},
		},
	}}
	s.srv.SetDestinationSettings(settings)
	s.open("/site/remote.html")
	s.eval(`new Promise((resolve) => analytics.ready(() => {
		analytics.identify('acct-1');
		analytics.page('Home', {email: 'viewer@example.com', phone: '+15550100', plan: 'family'});
		resolve(true);
	}))`)

	got := s.waitAttaches(1)
	a := got[0]
	assert.Equal(t, "Basic "+clientID+":", a.Authorization)
	assert.Equal(t, "acct-1", a.Body["user"])
	assert.Equal(t, "viewer@example.com", a.Body["email"])
	assert.Equal(t, "+15550100", a.Body["phone"])
	assert.Equal(t, map[string]any{"plan": "family", "source": "web"}, a.Body["metadata"])
	assert.Equal(t, "/site/remote.html", a.Body["page"])
	assert.Equal(t, "javascript", a.Body["client"])
	assert.Equal(t, "2.24.1", a.Body["version"])
	fp, _ := a.Body["fingerprint"].(string)
	assert.Len(t, fp, 2048, "fingerprint")
	signals, _ := a.Body["signals"].(map[string]any)
	for _, k := range []string{"fonts", "languages", "screenResolution", "timezone", "platform", "touchSupport", "math", "localStorage", "highEntropyValues"} {
		assert.Contains(t, signals, k)
	}
	assert.Equal(t, 200, a.Status)
}

func TestSuspendedAccountGoesToSuspendedURL(t *testing.T) {
	s := newSite(t)
	s.srv.Rupt.SetSuspended("acct-1", true)
	s.open("/site/remote.html")
	s.eval(signInAndView)
	s.waitAttaches(1)
	s.waitPath("/site/suspended.html")
}

func TestTrackSubscriptionIgnoresPage(t *testing.T) {
	s := newSite(t)
	settings := s.srv.DestinationSettings()
	settings["subscriptions"] = []any{map[string]any{
		"name": "Attach on track", "subscribe": `type = "track"`, "partnerAction": "attach", "enabled": true,
		"mapping": map[string]any{"account": map[string]any{"@path": "$.userId"}},
	}}
	s.srv.SetDestinationSettings(settings)
	s.open("/site/remote.html")
	// The page view (as acct-page) must send nothing; the track that follows
	// (as acct-track) proves the page was processed first, in order.
	s.eval(`new Promise((resolve) => analytics.ready(() => {
		analytics.identify('acct-page');
		analytics.page();
		analytics.identify('acct-track');
		analytics.track('Played');
		resolve(true);
	}))`)
	got := s.waitAttaches(1)
	require.Len(t, got, 1)
	assert.Equal(t, "acct-track", got[0].Body["user"])
}
