package e2e

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"
)

// TestDemoCommand starts the demo command itself on a free port, checks its
// pages answer, and uses the admin API as a person would on the admin page:
// suspending the account makes the next page view redirect.
func TestDemoCommand(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "demo")
	runCmd(t, "go", "build", "-o", bin, "../examples/demo")
	cmd := exec.Command(bin, "-port", "0", "-root", repoRoot())
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })

	base := make(chan string, 1)
	go func() {
		re := regexp.MustCompile(`demo on (http://[0-9.:]+)`)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				base <- m[1]
			}
		}
	}()
	var url string
	select {
	case url = <-base:
	case <-time.After(30 * time.Second):
		t.Fatal("the demo did not print its URL within 30s")
	}
	get := func(path string) string {
		t.Helper()
		res, err := http.Get(url + path)
		require.NoError(t, err)
		defer res.Body.Close()
		require.Equal(t, http.StatusOK, res.StatusCode, path)
		b, _ := io.ReadAll(res.Body)
		return string(b)
	}
	for _, p := range []string{"/site/", "/site/remote.html", "/site/script-tag.html", "/site/esm.html", "/dist/examples/npm-app/", "/admin/", "/challenge", "/dist/rupt-actions.js"} {
		get(p)
	}
	assert.Equal(t, "ruptDestination", gjson.Get(get("/v1/projects/demo-write-key/settings"), "remotePlugins.0.libraryName").String())

	tab, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	defer cancel()
	tab, cancelT := context.WithTimeout(tab, 60*time.Second)
	defer cancelT()
	require.NoError(t, chromedp.Do(tab, chromedp.Navigate(url+"/site/remote.html")))
	// A person signs in once the page is up (analytics.js ready).
	_, err = chromedp.Run(tab, chromedp.Evaluate[bool](`new Promise((r) => analytics.ready(() => r(true)))`, chromedp.EvalAwaitPromise))
	require.NoError(t, err)
	require.NoError(t, chromedp.Do(tab, chromedp.Click("#signin-button", chromedp.NodeVisible)))
	waitAdmin := func(cond func(requests gjson.Result) bool) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for time.Now().Before(deadline) {
			if cond(gjson.Get(get("/admin/api/requests?kind=attach"), "@this")) {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Fatal("the admin API never showed the expected attach")
	}
	waitAdmin(func(r gjson.Result) bool { return strings.Contains(r.Raw, "acct-1001") })

	req, err := http.NewRequest("POST", url+"/admin/api/accounts/acct-1001/suspend", strings.NewReader(`{"suspended":true}`))
	require.NoError(t, err)
	req.Header.Set("Origin", url)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusOK, res.StatusCode)

	// The next page view (another path of the single-page site) redirects.
	_, err = chromedp.Run(tab, chromedp.Evaluate[bool](`history.pushState({}, '', '/site/watch/episode-2'); analytics.page(); true`))
	require.NoError(t, err)
	deadline := time.Now().Add(30 * time.Second)
	var path string
	for time.Now().Before(deadline) {
		path, _ = chromedp.Run(tab, chromedp.Evaluate[string](`location.pathname`))
		if path == "/site/suspended.html" {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("after suspending in the admin API, the page stayed on %s", path)
}
