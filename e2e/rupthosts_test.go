package e2e

import (
	"html"
	"net/http"
)

// ruptHostsHandler stands in for Rupt's https hosts the bundle may send a
// browser to: suspended.sabl.app and challenge.rupt.dev. Each page shows
// which host and URL it was reached at.
func ruptHostsHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(`<!doctype html><title>` + html.EscapeString(r.Host) + `</title><h1 id="host">` +
			html.EscapeString(r.Host) + `</h1><p id="url">` + html.EscapeString(r.URL.String()) + `</p>`))
	})
}
