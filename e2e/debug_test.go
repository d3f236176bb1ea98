package e2e

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestDebugLogsStepsWithoutPII turns on debug and reads the console: each
// step is logged with the [rupt-actions] prefix, and the user's email never
// appears.
func TestDebugLogsStepsWithoutPII(t *testing.T) {
	s := newSite(t)
	settings := s.srv.DestinationSettings()
	settings["debug"] = true
	s.srv.SetDestinationSettings(settings)
	s.open("/site/remote.html")
	s.eval(signInAndView)
	s.waitAttaches(1)
	s.value(`new Promise((r) => { const t = setInterval(() => { if (localStorage.getItem('rpt_last_fp')) { clearInterval(t); r('ok') } }, 50) })`)
	s.settle()
	var ours []string
	for _, m := range s.consoleMessages() {
		if strings.HasPrefix(m.Text, "[rupt-actions]") {
			ours = append(ours, m.Text)
		}
		assert.NotContains(t, m.Text, "viewer@example.com")
	}
	all := strings.Join(ours, "\n")
	assert.Contains(t, all, "configured")
	assert.Contains(t, all, "attaching")
	assert.Contains(t, all, "attach answered 200")
}

// TestBadSettingNeverNavigates: a javascript: URL in the settings is refused
// at load with a rupt:error event, and page() neither attaches nor navigates.
func TestBadSettingNeverNavigates(t *testing.T) {
	s := newSite(t)
	settings := s.srv.DestinationSettings()
	settings["suspended_url"] = "javascript:alert(document.domain)"
	s.srv.SetDestinationSettings(settings)
	s.srv.Rupt.SetSuspended("acct-1", true)
	s.open("/site/remote.html")
	s.eval(`window.__errors = []; window.addEventListener('rupt:error', (e) => window.__errors.push(e.detail)); true`)
	s.eval(signInAndView)
	errs := s.value(`new Promise((r) => { const t = setInterval(() => { if (window.__errors.length) { clearInterval(t); r(JSON.stringify(window.__errors)) } }, 50) })`)
	assert.Contains(t, errs, `suspended_url`)
	s.settle()
	assert.Empty(t, s.srv.Rupt.Attaches())
	assert.True(t, strings.HasSuffix(s.location(), "/site/remote.html"), s.location())
}
