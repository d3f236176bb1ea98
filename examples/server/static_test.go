package server

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPrecompressedAssets(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644))
	}
	write("rupt-actions.0123456789abcdef.wasm", "plain-wasm")
	write("rupt-actions.0123456789abcdef.wasm.br", "br-wasm")
	write("rupt-actions.0123456789abcdef.wasm.gz", "gz-wasm")
	write("rupt-actions.js", "plain-js")
	write("rupt-actions.js.gz", "gz-js")
	ts := httptest.NewServer(New(Config{DistDir: dir}))
	defer ts.Close()
	get := func(path, accept string) (*http.Response, string) {
		req, _ := http.NewRequest("GET", ts.URL+path, nil)
		req.Header.Set("Accept-Encoding", accept)
		res, err := http.DefaultTransport.RoundTrip(req)
		require.NoError(t, err)
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, string(b)
	}
	res, body := get("/dist/rupt-actions.0123456789abcdef.wasm", "gzip, deflate, br")
	assert.Equal(t, "br-wasm", body)
	assert.Equal(t, "br", res.Header.Get("Content-Encoding"))
	assert.Equal(t, "application/wasm", res.Header.Get("Content-Type"))
	assert.Equal(t, "public, max-age=31536000, immutable", res.Header.Get("Cache-Control"))
	assert.Contains(t, res.Header.Values("Vary"), "Accept-Encoding")

	res, body = get("/dist/rupt-actions.0123456789abcdef.wasm", "gzip")
	assert.Equal(t, "gz-wasm", body)
	assert.Equal(t, "gzip", res.Header.Get("Content-Encoding"))

	res, body = get("/dist/rupt-actions.0123456789abcdef.wasm", "br;q=0, identity")
	assert.Equal(t, "plain-wasm", body)
	assert.Empty(t, res.Header.Get("Content-Encoding"))

	res, body = get("/dist/rupt-actions.js", "br, gzip")
	assert.Equal(t, "gz-js", body, "no .br copy: gzip")
	assert.Equal(t, "text/javascript; charset=utf-8", res.Header.Get("Content-Type"))
	assert.Equal(t, "no-cache", res.Header.Get("Cache-Control"), "the stable name is revalidated")
}
