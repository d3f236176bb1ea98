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
	"github.com/tidwall/gjson"
)

func TestRealAPIMode(t *testing.T) {
	site := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(site, "script-tag.html"), []byte(`<script src="/dist/rupt-actions.js" data-client-id="demo-client-id" data-api-base="/rupt" data-challenge-url="/challenge"></script>`), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(site, "esm.js"), []byte(`ruptPlugin({client_id: 'demo-client-id', api_base: here('/rupt'), challenge_url: here('/challenge')})`), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(site, "style.css"), []byte(`/* demo-client-id */`), 0o644))
	ts := httptest.NewServer(New(Config{SiteDir: site, ClientID: "real-id", RealAPI: true}))
	defer ts.Close()
	get := func(path string) string {
		res, err := http.Get(ts.URL + path)
		require.NoError(t, err)
		defer res.Body.Close()
		require.Equal(t, http.StatusOK, res.StatusCode, path)
		b, _ := io.ReadAll(res.Body)
		return string(b)
	}
	assert.Equal(t, `<script src="/dist/rupt-actions.js" data-client-id="real-id" data-api-base="https://api.rupt.dev" data-challenge-url="https://challenge.rupt.dev"></script>`, get("/site/script-tag.html"))
	assert.Equal(t, `ruptPlugin({client_id: 'real-id', api_base: here('https://api.rupt.dev'), challenge_url: here('https://challenge.rupt.dev')})`, get("/site/esm.js"))
	assert.Equal(t, `/* demo-client-id */`, get("/site/style.css"), "only .html and .js are rewritten")

	settings := gjson.Parse(get("/v1/projects/demo-write-key/settings")).Get("remotePlugins.0.settings")
	assert.Equal(t, "real-id", settings.Get("client_id").String())
	assert.False(t, settings.Get("api_base").Exists(), "the bundle's default, Rupt's API")
	assert.False(t, settings.Get("challenge_url").Exists())
}
