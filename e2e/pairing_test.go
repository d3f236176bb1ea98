package e2e

import (
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Plugin pairing: a site that bundles analytics-next passes our factory in
// AnalyticsBrowser.load({ writeKey, plugins: [ruptDestination] }).
// analytics-next pairs a factory with the CDN settings' remotePlugins
// entry whose name equals the factory's pluginName ("Rupt (Actions)"),
// calls it with that entry's settings, and does not inject the entry's
// script. Tested with the real analytics-next, bundled by esbuild with
// the built ES module.

// pairingEntry is the test's page script; MODULE is the ES module's path
// and PLUGINS the load setting's plugins.
const pairingEntry = `import { AnalyticsBrowser } from '@segment/analytics-next'
import { ruptDestination } from MODULE

window.pairing = {
  pluginName: ruptDestination.pluginName,
  analytics: AnalyticsBrowser.load({ writeKey: 'demo-write-key', cdnURL: location.origin, plugins: PLUGINS }),
}
`

// bundlePairingApp bundles the entry for module (a path from the
// repository root) with the pinned esbuild into t.TempDir() and returns
// the bundle's code.
func bundlePairingApp(t *testing.T, module string, withFactory bool) string {
	t.Helper()
	root, err := filepath.Abs(repoRoot())
	require.NoError(t, err)
	plugins := "[]"
	if withFactory {
		plugins = "[ruptDestination]"
	}
	entry := pairingEntry
	for _, r := range [][2]string{{"MODULE", strconv.Quote(filepath.Join(root, module))}, {"PLUGINS", plugins}} {
		entry = replaceOnce(t, entry, r[0], r[1])
	}
	dir := t.TempDir()
	in, out := filepath.Join(dir, "entry.js"), filepath.Join(dir, "app.js")
	require.NoError(t, os.WriteFile(in, []byte(entry), 0o644))
	cmd := exec.Command(filepath.Join(root, "node_modules", ".bin", "esbuild"), in,
		"--bundle", "--format=esm", "--target=es2020", "--outfile="+out, "--log-level=error")
	// The entry lives outside the repository: resolve packages from its
	// node_modules.
	cmd.Env = append(os.Environ(), "NODE_PATH="+filepath.Join(root, "node_modules"))
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("esbuild: %v\n%s", err, b)
	}
	return readFile(t, out)
}

func replaceOnce(t *testing.T, s, old, new string) string {
	t.Helper()
	require.Contains(t, s, old)
	return strings.Replace(s, old, new, 1)
}

// recordPaths records the path of every request the test server gets.
func (s *site) recordPaths() func() []string {
	var mu sync.Mutex
	var paths []string
	s.wrap(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			paths = append(paths, r.URL.Path)
			mu.Unlock()
			next.ServeHTTP(w, r)
		})
	})
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(paths)
	}
}

// TestPairingFactoryInLoadPlugins loads analytics-next from a bundle with
// plugins: [ruptDestination]: the factory is paired with the CDN settings'
// "Rupt (Actions)" entry (its settings reach the plugin: the attach goes
// to their api_base), the remote script is never requested, and one
// plugin attaches once. The ES module loads rupt-actions.wasm from next to
// the bundle, which is served next to the module's .wasm.
func TestPairingFactoryInLoadPlugins(t *testing.T) {
	for _, tc := range []struct {
		name, module, bundlePath, wasmPath string
	}{
		{"ES module", "dist/rupt-actions.mjs", "/dist/pairing-app.js", "/dist/rupt-actions.wasm"},
		{"npm package", "dist/npm/rupt-actions.mjs", "/dist/npm/pairing-app.js", "/dist/npm/rupt-actions.wasm"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			app := bundlePairingApp(t, tc.module, true)
			s := newSite(t)
			s.serve(tc.bundlePath, "text/javascript; charset=utf-8", app)
			s.serve("/pairing/", "text/html; charset=utf-8", pairingPage(tc.bundlePath))
			paths := s.recordPaths()
			s.open("/pairing/")
			s.waitPairingReady()
			assert.Equal(t, "Rupt (Actions)", s.value(`window.pairing.pluginName`), "pluginName must equal the CDN entry's name")

			s.eval(`(async () => {
				const a = window.pairing.analytics;
				await a.identify('acct-pair', {email: 'pair@example.com'});
				await a.page({}, {context: {traits: {email: 'pair@example.com'}}});
				return true;
			})()`)
			got := s.waitAttaches(1)
			assert.Equal(t, "acct-pair", got[0].Body["user"])
			assert.Equal(t, "pair@example.com", got[0].Body["email"])
			assert.Equal(t, "/pairing/", got[0].Body["page"])
			assert.Equal(t, "Basic "+clientID+":", got[0].Authorization, "the CDN entry's client_id")
			s.settle()
			assert.Len(t, s.attachSummary(), 1, "one plugin, one attach")

			requested := paths()
			assert.Contains(t, requested, "/v1/projects/demo-write-key/settings", "analytics-next read the CDN settings")
			assert.NotContains(t, requested, "/dist/rupt-actions.js", "the remote plugin's script must not be injected when a factory is paired")
			assert.Contains(t, requested, tc.wasmPath, "the ES module loads its .wasm from next to itself")
			for _, p := range requested {
				assert.NotRegexp(t, `^/dist/rupt-actions\.[0-9a-f]+\.wasm$`, p, "the classic script's hashed .wasm is not loaded")
			}
			assert.Equal(t, "undefined", s.value(`typeof window.ruptDestination`), "the classic script never ran")
			assert.Equal(t, `[{"name":"Rupt (Actions)","alternativeNames":["Rupt attach"]}]`, s.pairedPlugins(),
				"analytics-next wrapped exactly one plugin for the CDN entry")
		})
	}
}

// TestPairingControlWithoutFactory is the control: the same bundle
// without the factory in plugins makes analytics-next inject the remote
// plugin's script from the CDN settings (so the recording above would see
// it), and that copy attaches.
func TestPairingControlWithoutFactory(t *testing.T) {
	app := bundlePairingApp(t, "dist/rupt-actions.mjs", false)
	s := newSite(t)
	s.serve("/dist/pairing-app.js", "text/javascript; charset=utf-8", app)
	s.serve("/pairing/", "text/html; charset=utf-8", pairingPage("/dist/pairing-app.js"))
	paths := s.recordPaths()
	s.open("/pairing/")
	s.waitPairingReady()
	s.eval(`(async () => {
		const a = window.pairing.analytics;
		await a.identify('acct-pair');
		await a.page();
		return true;
	})()`)
	got := s.waitAttaches(1)
	assert.Equal(t, "acct-pair", got[0].Body["user"])
	assert.Contains(t, paths(), "/dist/rupt-actions.js", "without a paired factory, analytics-next injects the remote script")
	assert.Equal(t, "function", s.value(`typeof window.ruptDestination`))
}

func pairingPage(bundle string) string {
	return `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<title>Pairing</title><script type="module" src="` + bundle + `"></script></head>
<body><p>analytics-next bundled with Rupt (Actions) in plugins.</p></body></html>`
}

// waitPairingReady waits until the bundle ran and analytics-next is ready
// (its CDN settings read and its plugins loaded).
func (s *site) waitPairingReady() {
	s.t.Helper()
	s.eval(`new Promise((resolve) => {
		const t = setInterval(() => {
			if (window.pairing) {
				clearInterval(t);
				window.pairing.analytics.ready().then(() => resolve(true));
			}
		}, 20);
	})`)
}

// pairedPlugins lists the plugins analytics-next registered for the CDN
// entry "Rupt (Actions)", as JSON.
func (s *site) pairedPlugins() string {
	s.t.Helper()
	return s.value(`window.pairing.analytics.then(([a]) => JSON.stringify(
		a.queue.plugins.filter((p) => p.name === 'Rupt (Actions)')
			.map((p) => ({name: p.name, alternativeNames: p.alternativeNames}))))`)
}
