// Package server is the local stand-in for everything a page using this
// bundle talks to: Segment's CDN (analytics.js, its settings with our remote
// plugin), Segment's tracking API, the example sites, the built dist/, and a
// Rupt-compatible API simulator. Tests start it in-process; the demo command
// runs it on 127.0.0.1.
package server

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// Config says where the served files are.
type Config struct {
	// DistDir holds the built bundle (rupt-actions.js, rupt-actions.wasm).
	DistDir string
	// AnalyticsDir holds analytics-next's standalone build
	// (node_modules/@segment/analytics-next/dist/umd).
	AnalyticsDir string
	// SiteDir holds the example pages.
	SiteDir string
	// WriteKey is the Segment write key the example pages use.
	WriteKey string
	// ClientID is the Rupt client id the simulator accepts and the CDN
	// settings carry.
	ClientID string
	// RealAPI points the example sites at Rupt's real API (with ClientID,
	// which must then be a real client id) instead of the simulator.
	RealAPI bool
}

// Server serves the example sites, the fake Segment CDN and the Rupt simulator.
type Server struct {
	cfg  Config
	mux  *http.ServeMux
	Rupt *Rupt

	mu           sync.Mutex
	destSettings map[string]any
}

// DefaultDestinationSettings are the Rupt (Actions) settings the CDN settings
// carry unless a test replaces them: the preset subscription, and URLs on
// the example site. api_base is filled in per request (the simulator on the
// same origin).
func DefaultDestinationSettings(clientID string) map[string]any {
	return map[string]any{
		"client_id":       clientID,
		"new_account_url": "/site/new-account.html",
		"logout_url":      "/site/logged-out.html",
		"success_url":     "/site/welcome-back.html",
		"suspended_url":   "/site/suspended.html",
		"challenge_url":   "/challenge",
		"subscriptions": []any{map[string]any{
			"name":          "Attach Device",
			"subscribe":     `type = "page"`,
			"partnerAction": "attach",
			"enabled":       true,
			"mapping":       json.RawMessage(`{"account":{"@path":"$.userId"},"email":{"@if":{"exists":{"@path":"$.context.traits.email"},"then":{"@path":"$.context.traits.email"},"else":{"@path":"$.properties.email"}}},"phone":{"@if":{"exists":{"@path":"$.context.traits.phone"},"then":{"@path":"$.context.traits.phone"},"else":{"@path":"$.properties.phone"}}}}`),
		}},
	}
}

// New returns a server for cfg.
func New(cfg Config) *Server {
	if cfg.WriteKey == "" {
		cfg.WriteKey = "demo-write-key"
	}
	if cfg.ClientID == "" {
		cfg.ClientID = "demo-client-id"
	}
	s := &Server{cfg: cfg, mux: http.NewServeMux(), Rupt: NewRupt(cfg.ClientID)}
	s.destSettings = DefaultDestinationSettings(cfg.ClientID)
	if cfg.RealAPI {
		delete(s.destSettings, "challenge_url")
	}

	s.mux.HandleFunc("GET /v1/projects/{writeKey}/settings", s.cdnSettings)
	s.mux.HandleFunc("GET /analytics.js/v1/{writeKey}/{file}", func(w http.ResponseWriter, r *http.Request) {
		serveFile(w, r, filepath.Join(cfg.AnalyticsDir, "standalone.js"))
	})
	s.mux.HandleFunc("GET /analytics-next/bundles/{file}", func(w http.ResponseWriter, r *http.Request) {
		serveFile(w, r, filepath.Join(cfg.AnalyticsDir, filepath.Base(r.PathValue("file"))))
	})
	// Segment's tracking API: accept and drop, so pages run offline.
	s.mux.HandleFunc("/segment/v1/", func(w http.ResponseWriter, r *http.Request) {
		cors(w)
		if r.Method == http.MethodOptions {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"success":true}`))
	})
	dist := http.StripPrefix("/dist", precompressed(cfg.DistDir))
	site := http.StripPrefix("/site/", http.FileServer(http.Dir(cfg.SiteDir)))
	if cfg.RealAPI {
		site = realAPIRewriter(site, cfg.ClientID)
		s.mux.Handle("GET /dist/examples/", realAPIRewriter(dist, cfg.ClientID))
	}
	s.mux.Handle("GET /dist/", dist)
	s.mux.Handle("GET /site/", site)
	// Each example site answers every path under its name with its page,
	// as a site's router would, so navigating between pages changes the
	// path analytics.js reports.
	for _, name := range []string{"remote", "script-tag", "esm"} {
		page := "/site/" + name + ".html"
		s.mux.Handle("GET /site/"+name+"/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			r2 := r.Clone(r.Context())
			r2.URL.Path = page
			site.ServeHTTP(w, r2)
		}))
	}
	s.mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/site/", http.StatusFound)
	})
	s.mux.Handle("/rupt/", http.StripPrefix("/rupt", s.Rupt.WithFaults())) // faults.go
	// The simulator's admin page and API (/admin/), and the stand-in
	// challenge page (/challenge, /rupt-challenge/).
	s.registerSimulatorPages()
	return s
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasSuffix(r.URL.Path, ".wasm") {
		w.Header().Set("Content-Type", "application/wasm")
	}
	// Nothing is cached unless a handler says so (the built assets do).
	w.Header().Set("Cache-Control", "no-store")
	s.mux.ServeHTTP(w, r)
}

// SetDestinationSettings replaces the Rupt (Actions) settings the CDN
// settings carry (api_base is still added when missing).
func (s *Server) SetDestinationSettings(settings map[string]any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.destSettings = settings
}

// DestinationSettings returns a copy of the Rupt (Actions) settings the CDN
// settings carry.
func (s *Server) DestinationSettings() map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := make(map[string]any, len(s.destSettings))
	for k, v := range s.destSettings {
		c[k] = v
	}
	return c
}

func (s *Server) cdnSettings(w http.ResponseWriter, r *http.Request) {
	origin := "http://" + r.Host
	dest := s.DestinationSettings()
	if _, ok := dest["api_base"]; !ok && !s.cfg.RealAPI {
		dest["api_base"] = origin + "/rupt"
	}
	for _, k := range []string{"new_account_url", "logout_url", "success_url", "suspended_url", "challenge_url"} {
		if v, ok := dest[k].(string); ok && strings.HasPrefix(v, "/") {
			dest[k] = origin + v
		}
	}
	settings := map[string]any{
		"integrations": map[string]any{
			"Segment.io": map[string]any{
				"apiKey":   r.PathValue("writeKey"),
				"apiHost":  r.Host + "/segment/v1",
				"protocol": "http",
			},
		},
		"plan":                 map[string]any{},
		"metrics":              map[string]any{"sampleRate": 0},
		"analyticsNextEnabled": true,
		"middlewareSettings":   map[string]any{},
		"enabledMiddleware":    map[string]any{},
		"remotePlugins": []any{map[string]any{
			"name":         "Rupt (Actions)",
			"creationName": "Rupt (Actions)",
			"libraryName":  "ruptDestination",
			"url":          origin + "/dist/rupt-actions.js",
			"settings":     dest,
		}},
	}
	w.Header().Set("Content-Type", "application/json")
	cors(w)
	json.NewEncoder(w).Encode(settings)
}

func serveFile(w http.ResponseWriter, r *http.Request, path string) {
	if _, err := os.Stat(path); err != nil {
		http.Error(w, "not built: "+path, http.StatusNotFound)
		return
	}
	http.ServeFile(w, r, path)
}

func cors(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type")
	h.Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
}
