package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestStrictCSP serves the pages with a Content-Security-Policy that allows
// only same-origin scripts and WebAssembly compilation: no 'unsafe-eval',
// no inline script. Every install path must still attach, and the console
// must show no CSP violation.
func TestStrictCSP(t *testing.T) {
	for _, page := range []string{"/site/remote.html", "/site/script-tag.html", "/site/esm.html", "/dist/examples/npm-app/"} {
		t.Run(page, func(t *testing.T) {
			s := newSite(t)
			s.wrap(func(next http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Security-Policy", "script-src 'self' 'wasm-unsafe-eval'")
					next.ServeHTTP(w, r)
				})
			})
			s.open(page)
			if page == "/dist/examples/npm-app/" {
				s.waitAnalyticsLoaded()
				s.eval(`document.getElementById('signin-button').click(); true`)
			} else {
				s.eval(signInAndView)
			}
			s.waitAttaches(1)
			for _, m := range s.consoleMessages() {
				assert.NotContains(t, strings.ToLower(m.Text), "content security policy", m.Text)
			}
		})
	}
}
