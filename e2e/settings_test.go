package e2e

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
)

// editCDNSettings changes the Rupt (Actions) settings in the CDN settings
// JSON as the browser receives it, after the example server has filled
// them in (it makes root-relative URLs absolute, which would hide a
// relative URL from the bundle).
func (s *site) editCDNSettings(edit func(dest map[string]any)) {
	t := s.t
	s.wrap(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !strings.HasPrefix(r.URL.Path, "/v1/projects/") || !strings.HasSuffix(r.URL.Path, "/settings") {
				next.ServeHTTP(w, r)
				return
			}
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			var cdn map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &cdn); err != nil {
				t.Errorf("CDN settings: %v", err)
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			plugins, _ := cdn["remotePlugins"].([]any)
			for _, p := range plugins {
				if p, ok := p.(map[string]any); ok && p["name"] == "Rupt (Actions)" {
					if dest, ok := p["settings"].(map[string]any); ok {
						edit(dest)
					}
				}
			}
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			w.Header().Del("Content-Length")
			w.WriteHeader(rec.Code)
			json.NewEncoder(w).Encode(cdn)
		})
	})
}

// errorLines returns the lines of the page's console.error output that
// mention the text.
func (s *site) errorLines(text string) []string {
	var out []string
	for _, m := range s.consoleMessages() {
		if m.Type != chromedp.ConsoleError {
			continue
		}
		for _, line := range strings.Split(m.Text, "\n") {
			if strings.Contains(line, text) {
				out = append(out, line)
			}
		}
	}
	return out
}

// TestSettingsProblemsReportedOnce: a setting problem in the CDN settings
// (with debug off) is one console.error line per problem and page, naming
// the setting and how to fix it, and a rupt:error event; the page never
// attaches, never reaches Rupt and never navigates, however many events
// come.
func TestSettingsProblemsReportedOnce(t *testing.T) {
	type problem struct{ setting, fix string }
	for _, tc := range []struct {
		name     string
		edit     func(dest map[string]any)
		problems []problem
	}{
		{
			name:     "relative new_account_url",
			edit:     func(d map[string]any) { d["new_account_url"] = "/join" },
			problems: []problem{{"new_account_url", "absolute"}},
		},
		{
			name:     "missing new_account_url",
			edit:     func(d map[string]any) { delete(d, "new_account_url") },
			problems: []problem{{"new_account_url", "required"}},
		},
		{
			name: "two problems",
			edit: func(d map[string]any) {
				d["new_account_url"] = "/join"
				d["logout_url"] = "logged-out.html"
			},
			problems: []problem{{"new_account_url", "absolute"}, {"logout_url", "absolute"}},
		},
		{
			name:     "subscriptions null",
			edit:     func(d map[string]any) { d["subscriptions"] = nil },
			problems: []problem{{`"subscriptions"`, "must be an array of subscriptions"}},
		},
		{
			name:     "subscriptions malformed",
			edit:     func(d map[string]any) { d["subscriptions"] = `[{"name":` },
			problems: []problem{{`"subscriptions"`, "not valid JSON"}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newProbedSite(t)
			s.editCDNSettings(func(d map[string]any) {
				delete(d, "debug")
				tc.edit(d)
			})
			check := func(page string, wantLines int) {
				t.Helper()
				s.waitRuptLoaded()
				s.eval(signIn("acct-settings"))
				s.eval(spaBrowsing) // signed in: each of these would attach
				s.idle()
				for _, p := range tc.problems {
					lines := s.errorLines(p.setting)
					if assert.Len(t, lines, wantLines, "%s: console.error lines naming %s, once per page", page, p.setting) {
						assert.Contains(t, lines[wantLines-1], p.fix, "the line says how to fix %s", p.setting)
					}
					for _, other := range tc.problems {
						if other.setting != p.setting {
							for _, l := range lines {
								assert.NotContains(t, l, other.setting, "one line per problem")
							}
						}
					}
					var events int
					for _, e := range s.probe().Errors {
						if msg, _ := e["message"].(string); strings.Contains(msg, p.setting) {
							events++
						}
					}
					assert.Positive(t, events, "%s: a rupt:error event names %s", page, p.setting)
				}
				assert.Equal(t, s.url+"/privacy/watch/2", s.location(), "%s: nothing navigates", page)
				assert.Empty(t, s.attachSummary(), "%s: nothing attaches", page)
				assert.Empty(t, s.ruptRequests(), "%s: nothing reaches Rupt", page)
			}
			s.open(privacyPage)
			check("first page", 1)
			// A new page load reports each problem once again.
			s.open("/privacy/second")
			check("second page", 2)
		})
	}
}
