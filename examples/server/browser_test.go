package server

import (
	"context"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tab opens headless Chromium on a fresh profile and returns a tab, and a
// function that returns the console messages written so far. Without
// Chromium the test fails and says how to install it: browser tests never
// skip silently.
func tab(t *testing.T) (context.Context, func() []chromedp.ConsoleMessage) {
	t.Helper()
	chrome := ""
	for _, c := range []string{os.Getenv("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(c); c != "" && err == nil {
			chrome = p
			break
		}
	}
	if chrome == "" {
		t.Fatal("Chromium is required for this browser test and was not found; install it with: sudo apt-get update && sudo apt-get install -y chromium (or set CHROMIUM=/path/to/chromium)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chrome),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(cancel)
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(cancelTimeout)
	require.NoError(t, chromedp.Do(ctx), "start %s", chrome)

	var mu sync.Mutex
	var msgs []chromedp.ConsoleMessage
	go func() {
		for m, err := range chromedp.Console(ctx) {
			if err != nil {
				return
			}
			mu.Lock()
			msgs = append(msgs, m)
			mu.Unlock()
		}
	}()
	console := func() []chromedp.ConsoleMessage {
		mu.Lock()
		defer mu.Unlock()
		return append([]chromedp.ConsoleMessage(nil), msgs...)
	}
	t.Cleanup(func() {
		if t.Failed() {
			for _, m := range console() {
				t.Logf("console %s: %s", m.Type, m.Text)
			}
		}
	})
	return ctx, console
}

// evalJS evaluates JavaScript in the tab.
func evalJS[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	require.NoError(t, err, "eval %s", js)
	return v
}

// waitJS waits until the JavaScript expression is true in the tab.
func waitJS(t *testing.T, ctx context.Context, js, msg string) {
	t.Helper()
	require.Eventually(t, func() bool {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
		return err == nil && ok
	}, 15*time.Second, 50*time.Millisecond, msg)
}

// noConsoleErrors fails on exceptions and errors (CSP violations among them).
func noConsoleErrors(t *testing.T, console func() []chromedp.ConsoleMessage) {
	t.Helper()
	for _, m := range console() {
		if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException {
			t.Errorf("console %s: %s (%s)", m.Type, m.Text, m.URL)
		}
	}
}

func TestAdminPageInBrowser(t *testing.T) {
	srv, ts := newTest(t) // before the tab: the tab closes first
	ctx, console := tab(t)
	a := mustAttach(t, ts, "acct-1", fp("0123456789abcdef"), "")
	dev := a["device_id"].(string)

	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/admin/")))
	waitJS(t, ctx, `document.getElementById("accounts").textContent.includes(`+jsString(dev)+`)`, "the device is listed")
	text := evalJS[string](t, ctx, `document.getElementById("accounts").textContent`)
	assert.Contains(t, text, "acct-1")
	assert.Contains(t, text, "0123456789ab…")
	assert.Contains(t, text, "1 of 3 devices")
	assert.NotContains(t, text, fp("0123456789abcdef")[:20])
	waitJS(t, ctx, `document.getElementById("conn").textContent === "live"`, "the event stream is connected")
	waitJS(t, ctx, `document.querySelectorAll("#log tr").length === 1`, "the attach is in the log")

	// Set the device limit.
	evalJS[bool](t, ctx, `(() => {
		const f = document.querySelector("#accounts form");
		f.querySelector("input[type=number]").value = "7";
		f.requestSubmit();
		return true;
	})()`)
	require.Eventually(t, func() bool { return srv.Rupt.Accounts()[0].Limit == 7 }, 10*time.Second, 20*time.Millisecond)
	waitJS(t, ctx, `document.getElementById("accounts").textContent.includes("1 of 7 devices")`, "the page shows the new limit")

	// Suspend, then unsuspend.
	clickSuspend := `(() => {
		const b = [...document.querySelectorAll("#accounts button")].find((b) => b.textContent === %q);
		if (!b) return false;
		b.click();
		return true;
	})()`
	require.True(t, evalJS[bool](t, ctx, strings.Replace(clickSuspend, "%q", `"Suspend"`, 1)))
	require.Eventually(t, func() bool { return srv.Rupt.Accounts()[0].Suspended }, 10*time.Second, 20*time.Millisecond)
	waitJS(t, ctx, `document.getElementById("accounts").textContent.includes("suspended")`, "the page shows the suspension")
	require.True(t, evalJS[bool](t, ctx, strings.Replace(clickSuspend, "%q", `"Unsuspend"`, 1)))
	require.Eventually(t, func() bool { return !srv.Rupt.Accounts()[0].Suspended }, 10*time.Second, 20*time.Millisecond)

	// Push a challenge to a listening device.
	s := openSSE(t, listenURL(ts.URL, dev, a["access"].(string), testClient), nil)
	wctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	require.NoError(t, srv.Rupt.WaitListener(wctx, dev))
	evalJS[bool](t, ctx, `(() => {
		const f = document.querySelector("#accounts form.push");
		f.querySelector("select").value = "challenge";
		f.querySelector("input[placeholder='challenge id']").value = "ch_9";
		f.querySelector("input.url").value = "https://challenge.example/c";
		f.requestSubmit();
		return true;
	})()`)
	assert.Equal(t, `data: {"action":"challenge","challenge":{"_id":"ch_9"},"url":"https://challenge.example/c"}`, s.next("data: "))
	waitJS(t, ctx, `document.getElementById("status").textContent.includes("delivered to 1 listener")`, "the page reports the delivery")

	// A new attach appears live, masked.
	mustAttach(t, ts, "late@example.com", fp("b"), "")
	waitJS(t, ctx, `document.getElementById("log").textContent.includes("l***@example.com")`, "the new attach is in the live log")
	waitJS(t, ctx, `document.getElementById("accounts").textContent.includes("late@example.com")`, "and its account in the list")
	assert.NotContains(t, evalJS[string](t, ctx, `document.getElementById("log").textContent`), "late@example.com")

	noConsoleErrors(t, console)
}

func TestChallengePageInBrowser(t *testing.T) {
	_, ts := newTest(t)
	ctx, console := tab(t)
	q := url.Values{
		"challenge":   {"ch_1"},
		"success":     {"javascript:alert(document.domain)"},
		"new_account": {"data:text/html,<h1>x</h1>"},
		"logout":      {ts.URL + "/site/logged-out.html?challenge=ch_1"},
	}
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/challenge?"+q.Encode())))
	waitJS(t, ctx, `document.getElementById("challenge-id").textContent === "ch_1"`, "the challenge id is shown")
	assert.True(t, evalJS[bool](t, ctx, `document.querySelector("button[data-param=upgrade]").disabled`), "no upgrade URL: disabled")

	for _, param := range []string{"success", "new_account"} {
		evalJS[bool](t, ctx, `(document.querySelector("button[data-param=`+param+`]").click(), true)`)
		waitJS(t, ctx, `!document.getElementById("error").hidden`, "an error is shown for "+param)
		assert.Contains(t, evalJS[string](t, ctx, `document.getElementById("error").textContent`), "only http and https")
		assert.Equal(t, "/challenge", evalJS[string](t, ctx, `location.pathname`), "%s did not navigate", param)
	}

	evalJS[bool](t, ctx, `(document.querySelector("button[data-param=logout]").click(), true)`)
	waitJS(t, ctx, `location.pathname === "/site/logged-out.html" && location.search === "?challenge=ch_1"`, "logout navigates to the logout URL")

	noConsoleErrors(t, console)
}

func jsString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}
