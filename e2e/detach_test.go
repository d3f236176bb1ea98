package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// waitDetaches waits until the simulator has received n detach requests.
func (s *site) waitDetaches(n int) {
	s.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for len(s.srv.Rupt.Detaches()) < n {
		if time.Now().After(deadline) {
			s.t.Fatalf("waited 30s for %d detach request(s), got %d", n, len(s.srv.Rupt.Detaches()))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestResetDetachesTheDevice: analytics.reset() (the site's logout)
// detaches the device, closes the live channel, and the next sign-in
// attaches again.
func TestResetDetachesTheDevice(t *testing.T) {
	s := newSite(t)
	dev := s.attachedAndListening("/site/remote.html")
	s.eval(`analytics.reset(); true`)
	s.waitDetaches(1)
	d := s.srv.Rupt.Detaches()[0]
	assert.Equal(t, "/v2/device/"+dev+"/detach", d.Path)
	assert.Equal(t, "acct-1", d.Body["user"])
	assert.Equal(t, 200, d.Status)
	assert.Equal(t, "Basic "+clientID+":", d.Headers["Authorization"])
	deadline := time.Now().Add(10 * time.Second)
	for s.srv.Rupt.Listeners(dev) > 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	assert.Zero(t, s.srv.Rupt.Listeners(dev), "the live channel is closed")

	s.eval(signInAndView)
	got := s.waitAttaches(2)
	assert.Equal(t, "acct-1", got[1].Body["user"])
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	require.NoError(t, s.srv.Rupt.WaitListener(ctx, got[1].DeviceID))
}

// TestPluginDetach: the plugin's own detach() does the same.
func TestPluginDetach(t *testing.T) {
	s := newSite(t)
	s.open("/site/blank.html")
	s.eval(`new Promise((resolve, reject) => {
		const el = document.createElement('script');
		el.src = '/dist/rupt-actions.js'; el.onload = resolve; el.onerror = reject;
		document.head.appendChild(el);
	})`)
	s.eval(`window.__plugin = window.ruptDestination({client_id: '` + clientID + `', new_account_url: location.origin + '/site/new-account.html', api_base: location.origin + '/rupt'});
		window.__plugin.page({event: {type: 'page', userId: 'acct-d', context: {page: {path: '/d'}}}}); true`)
	dev := s.waitAttaches(1)[0].DeviceID
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	require.NoError(t, s.srv.Rupt.WaitListener(ctx, dev))
	assert.Equal(t, "true", s.value(`window.__plugin.detach().then(String)`))
	require.Len(t, s.srv.Rupt.Detaches(), 1)
	assert.Equal(t, "acct-d", s.srv.Rupt.Detaches()[0].Body["user"])
	assert.Equal(t, "false", s.value(`window.__plugin.detach().then(String)`), "nothing left to detach")
}
