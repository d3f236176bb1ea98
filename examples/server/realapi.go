package server

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
)

// Rupt's public hosts, used when the demo runs against the real API.
const (
	realAPIBase      = "https://api.rupt.dev"
	realChallengeURL = "https://challenge.rupt.dev"
)

// realAPIRewriter points the example pages (which name the simulator: the
// client id demo-client-id, the API base "/rupt", the challenge page
// "/challenge") at the real Rupt API with a real client id, as they are
// served. Only .html and .js files of the example sites are touched.
func realAPIRewriter(next http.Handler, clientID string) http.Handler {
	replacer := strings.NewReplacer(
		"demo-client-id", clientID,
		`"/rupt"`, strconv.Quote(realAPIBase),
		`'/rupt'`, "'"+realAPIBase+"'",
		`"/challenge"`, strconv.Quote(realChallengeURL),
		`'/challenge'`, "'"+realChallengeURL+"'",
	)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		if !strings.HasSuffix(p, ".html") && !strings.HasSuffix(p, ".js") && !strings.HasSuffix(p, "/") {
			next.ServeHTTP(w, r)
			return
		}
		r.Header.Del("If-Modified-Since")
		r.Header.Del("Range")
		r.Header.Del("Accept-Encoding") // rewrite plain text, never a compressed copy
		buf := &bufferedResponse{header: http.Header{}, status: http.StatusOK}
		next.ServeHTTP(buf, r)
		body := []byte(replacer.Replace(buf.body.String()))
		for k, v := range buf.header {
			w.Header()[k] = v
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(buf.status)
		w.Write(body)
	})
}

// bufferedResponse collects a response so it can be rewritten.
type bufferedResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedResponse) Header() http.Header         { return b.header }
func (b *bufferedResponse) WriteHeader(status int)      { b.status = status }
func (b *bufferedResponse) Write(p []byte) (int, error) { return b.body.Write(p) }
