package e2e

import (
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"rupt-actions-wasm/action"
)

// The README's install snippets are run as written, with only their
// placeholders swapped for the test server's values, so they cannot rot.

// readmeSnippet returns the code block that follows <!-- readme-test: name -->.
func readmeSnippet(t *testing.T, name string) string {
	t.Helper()
	readme := readFile(t, filepath.Join(repoRoot(), "README.md"))
	re := regexp.MustCompile("(?s)<!-- readme-test: " + regexp.QuoteMeta(name) + " -->\\s*```[a-z]*\\n(.*?)```")
	m := re.FindStringSubmatch(readme)
	require.NotNil(t, m, "README.md has no snippet marked readme-test: %s", name)
	return m[1]
}

// swap replaces each placeholder, failing when the README lost one.
func swap(t *testing.T, code string, pairs ...string) string {
	t.Helper()
	for i := 0; i < len(pairs); i += 2 {
		require.Contains(t, code, pairs[i], "the README snippet changed: update readme_test.go")
		code = strings.ReplaceAll(code, pairs[i], pairs[i+1])
	}
	return code
}

// serve adds a generated file to the test server.
func (s *site) serve(path, contentType, body string) {
	s.wrap(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != path {
				next.ServeHTTP(w, r)
				return
			}
			w.Header().Set("Content-Type", contentType)
			w.Write([]byte(body))
		})
	})
}

func TestReadmeScriptTagSnippet(t *testing.T) {
	s := newSite(t)
	code := swap(t, readmeSnippet(t, "script-tag"),
		"https://cdn.example.com/rupt-actions/rupt-actions.js", "/dist/rupt-actions.js",
		`data-client-id="YOUR_RUPT_CLIENT_ID"`, `data-client-id="`+clientID+`" data-api-base="/rupt"`,
		"https://www.example.com/", "/site/")
	s.serve("/readme/script-tag.html", "text/html; charset=utf-8", `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">
<script src="/site/snippet.js" data-write-key="demo-write-key" data-own-rupt></script>
`+code+`</head><body><p>README script tag</p></body></html>`)
	s.open("/readme/script-tag.html")
	s.eval(signInAndView)
	a := s.waitAttaches(1)[0]
	assert.Equal(t, "acct-1", a.Body["user"])
	assert.Equal(t, "/readme/script-tag.html", a.Body["page"])
}

func TestReadmeNpmSnippet(t *testing.T) {
	s := newSite(t)
	code := swap(t, readmeSnippet(t, "npm"),
		"{ writeKey: 'YOUR_WRITE_KEY' }", "{ writeKey: 'demo-write-key', cdnURL: location.origin }, { integrations: { 'Rupt (Actions)': false } }",
		"client_id: 'YOUR_RUPT_CLIENT_ID',", "client_id: '"+clientID+"', api_base: location.origin + '/rupt',")
	code += "\nwindow.analytics = analytics\n"
	dir := t.TempDir()
	entry := filepath.Join(dir, "readme.js")
	require.NoError(t, os.WriteFile(entry, []byte(code), 0o644))
	out := filepath.Join(dir, "readme.mjs")
	// Bundled like a user's app: the example app's node_modules hold
	// @segment/analytics-next and the packed rupt-actions-wasm.
	cmd := exec.Command(filepath.Join(repoRoot(), "node_modules", ".bin", "esbuild"), entry, "--bundle", "--format=esm", "--outfile="+out, "--log-level=warning")
	abs, err := filepath.Abs(filepath.Join(repoRoot(), "examples", "npm-app", "node_modules"))
	require.NoError(t, err)
	cmd.Env = append(os.Environ(), "NODE_PATH="+abs)
	b, err := cmd.CombinedOutput()
	require.NoError(t, err, string(b))
	// Served next to rupt-actions.wasm, where the package looks for it.
	s.serve("/dist/readme.mjs", "text/javascript", readFile(t, out))
	s.serve("/readme/npm.html", "text/html; charset=utf-8", `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">
<script type="module" src="/dist/readme.mjs"></script></head><body><p>README npm</p></body></html>`)
	s.open("/readme/npm.html")
	s.eval(`new Promise((resolve) => {
		const t = setInterval(() => {
			if (!window.analytics) return;
			clearInterval(t);
			analytics.identify('acct-1');
			analytics.page();
			resolve(true);
		}, 20);
	})`)
	a := s.waitAttaches(1)[0]
	assert.Equal(t, "acct-1", a.Body["user"])
	assert.Equal(t, "/readme/npm.html", a.Body["page"])
}

// TestReadmeSettingsTable: every setting of the destination definition is
// in the README's settings table.
func TestReadmeSettingsTable(t *testing.T) {
	readme := readFile(t, filepath.Join(repoRoot(), "README.md"))
	keys := []string{"subscriptions"}
	for _, s := range action.Definition.Settings {
		keys = append(keys, s.Key)
	}
	for _, key := range keys {
		assert.Contains(t, readme, "| `"+key+"` |", key)
	}
	for _, f := range action.Definition.Actions[0].Fields {
		assert.Contains(t, readme, "| `"+f.Key+"`", f.Key)
	}
}
