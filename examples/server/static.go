package server

import (
	"mime"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
)

// hashedAsset matches the content-hashed names the build gives assets
// (rupt-actions.<16 hex>.wasm): their content never changes.
var hashedAsset = regexp.MustCompile(`\.[0-9a-f]{16}\.[a-z]+$`)

// precompressed serves the built dist/ folder as a CDN should: the
// precompressed .br or .gz copy when the browser accepts it (with
// Content-Encoding and the original Content-Type), hashed assets cacheable
// forever, everything else revalidated.
func precompressed(dir string) http.Handler {
	files := http.FileServer(http.Dir(dir))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := path.Clean("/" + r.URL.Path)
		if hashedAsset.MatchString(name) {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			w.Header().Set("Cache-Control", "no-cache")
		}
		w.Header().Add("Vary", "Accept-Encoding")
		accept := r.Header.Get("Accept-Encoding")
		for _, enc := range []struct{ token, ext string }{{"br", ".br"}, {"gzip", ".gz"}} {
			if !acceptsEncoding(accept, enc.token) {
				continue
			}
			f, err := os.Open(filepath.Join(dir, filepath.FromSlash(name)+enc.ext))
			if err != nil {
				continue
			}
			defer f.Close()
			st, err := f.Stat()
			if err != nil || st.IsDir() {
				continue
			}
			ctype := mime.TypeByExtension(path.Ext(name))
			switch path.Ext(name) {
			case ".wasm":
				ctype = "application/wasm"
			case ".js", ".mjs":
				ctype = "text/javascript; charset=utf-8"
			}
			w.Header().Set("Content-Type", ctype)
			w.Header().Set("Content-Encoding", enc.token)
			http.ServeContent(w, r, name, st.ModTime(), f)
			return
		}
		files.ServeHTTP(w, r)
	})
}

// acceptsEncoding reports whether an Accept-Encoding header allows token.
func acceptsEncoding(header, token string) bool {
	for _, part := range strings.Split(header, ",") {
		fields := strings.Split(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(fields[0]), token) {
			for _, p := range fields[1:] {
				if q := strings.TrimSpace(p); q == "q=0" || q == "q=0.0" || q == "q=0.00" || q == "q=0.000" {
					return false
				}
			}
			return true
		}
	}
	return false
}
