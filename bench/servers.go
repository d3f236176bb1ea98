package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"rupt-actions-wasm/examples/server"
)

// The write keys of the two variants: the bench server answers each with
// CDN settings whose remote plugin is that variant's Rupt destination.
const (
	writeKeyOurs    = "bench-ours"
	writeKeySegment = "bench-segment"
	benchClientID   = "bench-client-id"
)

// benchServers are the two local servers every page talks to.
//
// site (http, 127.0.0.1): the bench pages, the generated JS baselines, a
// clock for the page, and everything else from examples/server (the fake
// Segment CDN with analytics.js, our dist/ snapshot, Segment's tracking
// API sink).
//
// rupt (https): Chromium maps api.rupt.dev and cdn.rupt.dev to it
// (--host-resolver-rules, certificate errors ignored). It serves Rupt's SDK
// at cdn.rupt.dev/js/rupt.js for the Segment path, and the Rupt API
// simulator (server.NewRupt) at / for both variants: our settings carry
// api_base https://api.rupt.dev, the SDK's default, so both attach to the
// same simulator over the same kind of connection.
type benchServers struct {
	site, rupt *httptest.Server
	ex         *server.Server
	sim        *server.Rupt

	mu     sync.Mutex
	docReq map[string]time.Time // account → when its load page was requested
}

func startServers(e *env) *benchServers {
	ex := server.New(server.Config{
		DistDir:      e.dist,
		AnalyticsDir: filepath.Join(e.root, "node_modules", "@segment", "analytics-next", "dist", "umd"),
		SiteDir:      filepath.Join(e.root, "examples", "site"),
		ClientID:     benchClientID,
	})
	dest := server.DefaultDestinationSettings(benchClientID)
	dest["api_base"] = "https://api.rupt.dev"
	ex.SetDestinationSettings(dest)

	s := &benchServers{ex: ex, sim: server.NewRupt(benchClientID), docReq: map[string]time.Time{}}
	pages := filepath.Join(e.root, "bench", "testdata", "pages")

	mux := http.NewServeMux()
	mux.HandleFunc("GET /bench/clock", func(w http.ResponseWriter, r *http.Request) {
		now := time.Now()
		noStore(w)
		w.Write([]byte(strconv.FormatFloat(msOf(now), 'f', 4, 64)))
	})
	mux.HandleFunc("GET /bench/pages/load.html", func(w http.ResponseWriter, r *http.Request) {
		now := time.Now()
		if a := r.URL.Query().Get("account"); a != "" {
			s.mu.Lock()
			s.docReq[a] = now
			s.mu.Unlock()
		}
		key := writeKeyOurs
		if r.URL.Query().Get("v") == "segment" {
			key = writeKeySegment
		}
		b, err := os.ReadFile(filepath.Join(pages, "load.html"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		noStore(w)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(bytes.ReplaceAll(b, []byte("WRITE_KEY"), []byte(key)))
	})
	mux.Handle("GET /bench/pages/", http.StripPrefix("/bench/pages/", noStoreHandler(http.FileServer(http.Dir(pages)))))
	gen := http.StripPrefix("/bench/gen/", noStoreHandler(http.FileServer(http.Dir(e.gen))))
	mux.Handle("GET /bench/gen/", gen)
	mux.Handle("GET /bench/gen/segment-path.js", gzipped(cacheable(gen)))
	mux.HandleFunc("GET /v1/projects/"+writeKeySegment+"/settings", s.segmentSettings)
	mux.Handle("/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		if strings.HasPrefix(p, "/analytics.js/") || strings.HasPrefix(p, "/analytics-next/bundles/") {
			gzipped(cacheable(ex)).ServeHTTP(w, r)
			return
		}
		if p == "/dist/rupt-actions.js" {
			cacheable(ex).ServeHTTP(w, r)
			return
		}
		ex.ServeHTTP(w, r)
	}))
	s.site = httptest.NewServer(mux)

	sdk := filepath.Join(e.root, "node_modules", "rupt", "index.js")
	tlsMux := http.NewServeMux()
	tlsMux.Handle("GET /js/rupt.js", gzipped(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", scriptCacheControl)
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		http.ServeFile(w, r, sdk)
	})))
	tlsMux.Handle("/", s.sim)
	// Timing-Allow-Origin: the pages are on another origin, and without it
	// resource timing hides the attach request's phases (requestStart,
	// responseStart are 0) that the waterfall reads. It changes nothing
	// else.
	s.rupt = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Timing-Allow-Origin", "*")
		tlsMux.ServeHTTP(w, r)
	}))
	return s
}

func (s *benchServers) close() {
	s.site.Close()
	s.rupt.Close()
}

// segmentSettings are the CDN settings of the Segment path: the same
// document examples/server serves for ours (same destination settings and
// subscription), with the remote plugin pointing at the Segment-path
// bundle instead of dist/rupt-actions.js.
func (s *benchServers) segmentSettings(w http.ResponseWriter, r *http.Request) {
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/v1/projects/"+writeKeySegment+"/settings", nil)
	req.Host = r.Host
	s.ex.ServeHTTP(rec, req)
	var settings map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &settings); err != nil {
		http.Error(w, "bench: cannot read the example CDN settings: "+err.Error(), http.StatusInternalServerError)
		return
	}
	plugins, _ := settings["remotePlugins"].([]any)
	if len(plugins) != 1 {
		http.Error(w, fmt.Sprintf("bench: expected one remote plugin in the example CDN settings, got %d", len(plugins)), http.StatusInternalServerError)
		return
	}
	p := plugins[0].(map[string]any)
	p["url"] = "http://" + r.Host + "/bench/gen/segment-path.js"
	noStore(w)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	json.NewEncoder(w).Encode(settings)
}

func (s *benchServers) docRequested(account string) (time.Time, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.docReq[account]
	return t, ok
}

// attachCount is how many attach requests the simulator has received for
// account.
func (s *benchServers) attachCount(account string) int {
	n := 0
	for _, a := range s.sim.Attaches() {
		if u, _ := a.Body["user"].(string); u == account {
			n++
		}
	}
	return n
}

// waitAttach waits until the simulator has received n attach requests for
// account and returns their receive times.
func (s *benchServers) waitAttach(account string, n int, timeout time.Duration) ([]time.Time, error) {
	deadline := time.After(timeout)
	for {
		changed := s.sim.Changed()
		var times []time.Time
		for _, a := range s.sim.Attaches() {
			if u, _ := a.Body["user"].(string); u == account {
				times = append(times, a.Time)
			}
		}
		if len(times) >= n {
			return times, nil
		}
		select {
		case <-changed:
		case <-deadline:
			return times, fmt.Errorf("waited %s for attach request %d of account %s; the simulator received %d", timeout, n, account, len(times))
		}
	}
}

func noStore(w http.ResponseWriter) { w.Header().Set("Cache-Control", "no-store") }

// gzipped serves h's JavaScript answers gzip-compressed (-9) to a browser
// that accepts gzip, as Segment's and Rupt's CDNs serve their scripts:
// analytics.js and its chunks (both paths load them), the Segment path's
// plugin and Rupt's SDK. Our rupt-actions.js and .wasm come precompressed
// from dist/ (examples/server sends the .br copy, as the README says to
// deploy them), so no path is timed on uncompressed transfers. The
// compressed bytes are kept per path, so compressing costs the machine
// once, not on every load.
func gzipped(h http.Handler) http.Handler {
	var mu sync.Mutex
	cache := map[string][]byte{}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !acceptsGzip(r.Header.Get("Accept-Encoding")) {
			h.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		res := rec.Result()
		for k, v := range res.Header {
			w.Header()[k] = v
		}
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Encoding") != "" || !strings.Contains(res.Header.Get("Content-Type"), "javascript") {
			w.WriteHeader(res.StatusCode)
			w.Write(rec.Body.Bytes())
			return
		}
		mu.Lock()
		z, ok := cache[r.URL.Path]
		if !ok {
			var b bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
			zw.Write(rec.Body.Bytes())
			zw.Close()
			z = b.Bytes()
			cache[r.URL.Path] = z
		}
		mu.Unlock()
		w.Header().Del("Content-Length")
		w.Header().Del("Accept-Ranges")
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Add("Vary", "Accept-Encoding")
		w.WriteHeader(http.StatusOK)
		w.Write(z)
	})
}

// acceptsGzip reports whether an Accept-Encoding header names gzip (every
// browser's does).
func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(name), "gzip") {
			if _, q, ok := strings.Cut(params, "q="); ok {
				v, err := strconv.ParseFloat(strings.TrimSpace(q), 64)
				return err == nil && v > 0
			}
			return true
		}
	}
	return false
}

// scriptCacheControl is how the bench serves the scripts both paths load
// (analytics.js and its chunks, rupt-actions.js, the Segment path's plugin
// and Rupt's SDK), as a CDN serves them: cacheable for an hour, the same
// for both paths, so a repeat visit finds every script in the HTTP cache
// on either path. The content-hashed .wasm keeps examples/server's
// immutable caching; the documents, the CDN settings and the API are never
// cached. Cold loads (a fresh browser context each) are not affected.
const scriptCacheControl = "public, max-age=3600"

// cacheable serves h's answers with scriptCacheControl, whatever h set.
func cacheable(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(&cacheControlWriter{ResponseWriter: w}, r)
	})
}

type cacheControlWriter struct {
	http.ResponseWriter
	wrote bool
}

func (c *cacheControlWriter) WriteHeader(code int) {
	if !c.wrote {
		c.wrote = true
		if code < 300 {
			c.Header().Set("Cache-Control", scriptCacheControl)
		}
	}
	c.ResponseWriter.WriteHeader(code)
}

func (c *cacheControlWriter) Write(b []byte) (int, error) {
	if !c.wrote {
		c.WriteHeader(http.StatusOK)
	}
	return c.ResponseWriter.Write(b)
}

func noStoreHandler(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		noStore(w)
		if strings.HasSuffix(r.URL.Path, ".wasm") {
			w.Header().Set("Content-Type", "application/wasm")
		}
		h.ServeHTTP(w, r)
	})
}

// msOf is t in milliseconds since the Unix epoch, the unit of the page's
// performance.timeOrigin.
func msOf(t time.Time) float64 { return float64(t.UnixNano()) / 1e6 }
