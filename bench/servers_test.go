package main

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestAcceptsGzip(t *testing.T) {
	for _, c := range []struct {
		header string
		want   bool
	}{
		{"gzip, deflate, br, zstd", true},
		{"br", false},
		{"", false},
		{"GZIP", true},
		{"br, gzip;q=0.5", true},
		{"gzip;q=0", false},
		{"gzip; q=0.0", false},
		{"x-gzip", false},
	} {
		if got := acceptsGzip(c.header); got != c.want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", c.header, got, c.want)
		}
	}
}

func TestGzipped(t *testing.T) {
	const script = "console.log('a script long enough to compress, compress, compress')"
	calls := 0
	h := gzipped(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		w.Header().Set("Cache-Control", "public, max-age=3600")
		switch r.URL.Path {
		case "/a.js":
			w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
			io.WriteString(w, script)
		case "/gone.js":
			http.NotFound(w, r)
		default:
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{}`)
		}
	}))
	get := func(path, accept string) *http.Response {
		r := httptest.NewRequest("GET", path, nil)
		if accept != "" {
			r.Header.Set("Accept-Encoding", accept)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w.Result()
	}
	for i := 0; i < 2; i++ { // the second answer comes from the cache
		res := get("/a.js", "gzip, br")
		if res.Header.Get("Content-Encoding") != "gzip" || res.Header.Get("Cache-Control") != "public, max-age=3600" {
			t.Fatalf("headers %v", res.Header)
		}
		zr, err := gzip.NewReader(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(zr)
		if string(b) != script {
			t.Fatalf("body %q", b)
		}
	}
	if res := get("/a.js", ""); res.Header.Get("Content-Encoding") != "" {
		t.Errorf("no Accept-Encoding, got %q", res.Header.Get("Content-Encoding"))
	}
	if res := get("/x.json", "gzip"); res.Header.Get("Content-Encoding") != "" {
		t.Errorf("JSON compressed: %v", res.Header)
	}
	if res := get("/gone.js", "gzip"); res.StatusCode != 404 || res.Header.Get("Content-Encoding") != "" {
		t.Errorf("404 answer: %d %v", res.StatusCode, res.Header)
	}
	if calls != 5 {
		t.Errorf("handler called %d times, want 5", calls)
	}
}
