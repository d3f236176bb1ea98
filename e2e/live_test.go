package e2e

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// attachedAndListening signs in on page, waits for the attach and for the
// live channel of the attached device, and returns the device id.
func (s *site) attachedAndListening(page string) string {
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

func TestLiveLogout(t *testing.T) {
	s := newSite(t)
	dev := s.attachedAndListening("/site/remote.html")
	require.Equal(t, 1, s.srv.Rupt.PushLogout(dev, "ch_logout_1"))
	href := s.waitHref(s.url + "/site/logged-out.html")
	u, err := url.Parse(href)
	require.NoError(t, err)
	assert.Equal(t, "ch_logout_1", u.Query().Get("challenge"))
}

func TestLiveChallengeDefaultPage(t *testing.T) {
	s := newSite(t)
	settings := s.srv.DestinationSettings()
	delete(settings, "challenge_url")
	s.srv.SetDestinationSettings(settings)
	dev := s.attachedAndListening("/site/remote.html")
	require.Equal(t, 1, s.srv.Rupt.PushChallenge(dev, "ch_2", ""))
	href := s.waitHref("https://challenge.rupt.dev/")
	u, err := url.Parse(href)
	require.NoError(t, err)
	q := u.Query()
	assert.Equal(t, "ch_2", q.Get("challenge"))
	assert.Equal(t, s.url+"/site/logged-out.html", q.Get("logout"))
	assert.Equal(t, s.url+"/site/new-account.html", q.Get("new_account"))
	assert.Equal(t, s.url+"/site/welcome-back.html", q.Get("success"))
	assert.Equal(t, s.url+"/site/remote.html", q.Get("upgrade"))

	// The challenge id was stored: the next attach from this browser sends it.
	s.open("/site/remote.html")
	s.eval(signInAndView)
	second := s.waitAttaches(2)[1]
	assert.Equal(t, "ch_2", second.Body["last_challenge"])
}

// TestLiveChallengeClickThrough follows the challenge through the
// simulator's stand-in page (challenge_url) and its "verify" button.
func TestLiveChallengeClickThrough(t *testing.T) {
	s := newSite(t)
	dev := s.attachedAndListening("/site/remote.html")
	require.Equal(t, 1, s.srv.Rupt.PushChallenge(dev, "ch_3", ""))
	s.waitHref(s.url + "/challenge?challenge=ch_3")
	require.NoError(t, chromedp.Do(s.tab, chromedp.Click(`button[data-param="success"]`, chromedp.NodeVisible)))
	s.waitHref(s.url + "/site/welcome-back.html")
}

func TestLiveChallengeRefusesOffListHosts(t *testing.T) {
	for _, target := range []string{
		"https://evil.example/c",
		"http://challenge.rupt.dev/c",
		"javascript:alert(1)",
		"//evil.example/c",
		"https://challenge.rupt.dev@evil.example/c",
		"https://challenge.rupt.dev.evil.example/c",
		"https://xn--chllenge-9ng.rupt.dev/c",
	} {
		t.Run(target, func(t *testing.T) {
			s := newSite(t)
			dev := s.attachedAndListening("/site/remote.html")
			s.eval(`window.__errors = []; window.addEventListener('rupt:error', (e) => window.__errors.push(e.detail)); true`)
			require.Equal(t, 1, s.srv.Rupt.PushChallenge(dev, "ch_bad", target))
			errs := s.value(`new Promise((r) => { const t = setInterval(() => { if (window.__errors.length) { clearInterval(t); r(JSON.stringify(window.__errors)) } }, 50) })`)
			assert.Contains(t, errs, "not navigating")
			s.settle()
			assert.True(t, strings.HasSuffix(s.location(), "/site/remote.html"), s.location())
			assert.NotContains(t, s.value(`document.cookie`), "rpt_last_challenge")
		})
	}
}
