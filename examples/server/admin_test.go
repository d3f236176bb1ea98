package server

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"
)

// adminDo calls the admin API the way the admin page does (same origin).
func adminDo(t *testing.T, tsURL, method, path, body string) (int, gjson.Result) {
	t.Helper()
	h := map[string]string{"Content-Type": "application/json"}
	if method != http.MethodGet {
		h["Origin"] = tsURL
	}
	res, b := do(t, method, tsURL+path, h, body)
	assert.Empty(t, res.Header.Get("Access-Control-Allow-Origin"), "admin responses carry no CORS headers")
	if res.Header.Get("Content-Type") == "application/json" {
		require.True(t, json.Valid(b), "%s", b)
	}
	return res.StatusCode, gjson.ParseBytes(b)
}

func TestAdminAccounts(t *testing.T) {
	srv, ts := newTest(t)
	status, j := adminDo(t, ts.URL, http.MethodGet, "/admin/api/accounts", "")
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, "[]", j.Get("accounts").Raw, "an empty list, not null")

	a := mustAttach(t, ts, "acct-1", fp("0123456789abcdef"), "")
	mustAttach(t, ts, "acct-1", "short", "")
	srv.Rupt.SetSuspended("acct-2", true)

	status, j = adminDo(t, ts.URL, http.MethodGet, "/admin/api/accounts", "")
	require.Equal(t, http.StatusOK, status)
	accts := j.Get("accounts").Array()
	require.Len(t, accts, 2)
	one := accts[0]
	assert.Equal(t, "acct-1", one.Get("id").String())
	assert.EqualValues(t, DefaultDeviceLimit, one.Get("limit").Int())
	assert.False(t, one.Get("suspended").Bool())
	assert.EqualValues(t, 2, one.Get("attached_devices").Int())
	devs := one.Get("devices").Array()
	require.Len(t, devs, 2)
	assert.Equal(t, a["device_id"], devs[0].Get("id").String())
	assert.Equal(t, "0123456789ab…", devs[0].Get("fingerprint").String(), "12 characters and an ellipsis")
	assert.Equal(t, "short", devs[1].Get("fingerprint").String())
	assert.Equal(t, a["access"], devs[0].Get("access").String())
	assert.True(t, devs[0].Get("attached").Bool())
	assert.EqualValues(t, 0, devs[0].Get("listeners").Int())
	assert.True(t, devs[0].Get("last_seen").Exists())
	assert.NotContains(t, j.Raw, fp("0123456789abcdef"))
	assert.Equal(t, "acct-2", accts[1].Get("id").String())
	assert.True(t, accts[1].Get("suspended").Bool())
	assert.Equal(t, "[]", accts[1].Get("devices").Raw)
}

func TestAdminLimitAndSuspend(t *testing.T) {
	srv, ts := newTest(t)
	mustAttach(t, ts, "acct 1/x", fp("a"), "")
	path := "/admin/api/accounts/acct%201%2Fx"

	status, j := adminDo(t, ts.URL, http.MethodPost, path+"/limit", `{"limit":5}`)
	require.Equal(t, http.StatusOK, status, j.Raw)
	assert.EqualValues(t, 5, j.Get("limit").Int())
	assert.Equal(t, "acct 1/x", j.Get("id").String())
	assert.Equal(t, 5, srv.Rupt.Accounts()[0].Limit)
	m := mustAttach(t, ts, "acct 1/x", fp("a"), "")
	assert.EqualValues(t, 5, m["default_device_limit"])

	for _, bad := range []string{`{}`, `{"limit":-1}`, `{"limit":1.5}`, `{"limit":"3"}`, `nope`, ``} {
		status, _ = adminDo(t, ts.URL, http.MethodPost, path+"/limit", bad)
		assert.Equal(t, http.StatusBadRequest, status, bad)
	}
	assert.Equal(t, 5, srv.Rupt.Accounts()[0].Limit)

	status, j = adminDo(t, ts.URL, http.MethodPost, path+"/suspend", `{"suspended":true}`)
	require.Equal(t, http.StatusOK, status, j.Raw)
	assert.True(t, j.Get("suspended").Bool())
	m = mustAttach(t, ts, "acct 1/x", fp("a"), "")
	assert.Equal(t, true, m["suspended"])
	status, _ = adminDo(t, ts.URL, http.MethodPost, path+"/suspend", `{"suspended":false}`)
	require.Equal(t, http.StatusOK, status)
	m = mustAttach(t, ts, "acct 1/x", fp("a"), "")
	assert.NotContains(t, m, "suspended")
	for _, bad := range []string{`{}`, `{"suspended":"yes"}`, `{"suspended":1}`} {
		status, _ = adminDo(t, ts.URL, http.MethodPost, path+"/suspend", bad)
		assert.Equal(t, http.StatusBadRequest, status, bad)
	}

	// Setting a limit of an unknown account creates it, ready for its first attach.
	status, _ = adminDo(t, ts.URL, http.MethodPost, "/admin/api/accounts/new-one/limit", `{"limit":0}`)
	require.Equal(t, http.StatusOK, status)
	m = mustAttach(t, ts, "new-one", fp("z"), "")
	assert.EqualValues(t, 0, m["default_device_limit"])

	status, _ = adminDo(t, ts.URL, http.MethodGet, "/admin/api/accounts/new-one/limit", "")
	assert.Equal(t, http.StatusMethodNotAllowed, status)
	status, _ = adminDo(t, ts.URL, http.MethodGet, "/admin/api/nothing", "")
	assert.Equal(t, http.StatusNotFound, status)
}

func TestAdminPush(t *testing.T) {
	srv, ts := newTest(t)
	a := mustAttach(t, ts, "acct-1", fp("a"), "")
	dev := a["device_id"].(string)
	push := func(body string) (int, gjson.Result) {
		return adminDo(t, ts.URL, http.MethodPost, "/admin/api/devices/"+dev+"/push", body)
	}

	status, j := push(`{"action":"logout"}`)
	require.Equal(t, http.StatusOK, status, j.Raw)
	assert.EqualValues(t, 0, j.Get("delivered").Int(), "nobody listens yet")

	s := openSSE(t, listenURL(ts.URL, dev, a["access"].(string), testClient), nil)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	require.NoError(t, srv.Rupt.WaitListener(ctx, dev))

	status, j = push(`{"action":"logout","challenge_id":"ch_1"}`)
	require.Equal(t, http.StatusOK, status, j.Raw)
	assert.EqualValues(t, 1, j.Get("delivered").Int())
	assert.JSONEq(t, `{"action":"logout","challenge":{"_id":"ch_1"}}`, j.Get("message").Raw)
	assert.Equal(t, `data: {"action":"logout","challenge":{"_id":"ch_1"}}`, s.next("data: "))

	status, j = push(`{"action":"challenge","challenge_id":"ch_2","url":"https://challenge.example/c?x=1&y=2"}`)
	require.Equal(t, http.StatusOK, status, j.Raw)
	assert.EqualValues(t, 1, j.Get("delivered").Int())
	assert.Equal(t, `data: {"action":"challenge","challenge":{"_id":"ch_2"},"url":"https://challenge.example/c?x=1&y=2"}`, s.next("data: "))

	status, _ = push(`{"action":"challenge","challenge_id":"ch_3"}`)
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, `data: {"action":"challenge","challenge":{"_id":"ch_3"}}`, s.next("data: "))

	for _, bad := range []string{`{"action":"challenge"}`, `{"action":"explode"}`, `{}`, `[`} {
		status, _ = push(bad)
		assert.Equal(t, http.StatusBadRequest, status, bad)
	}
	status, _ = adminDo(t, ts.URL, http.MethodPost, "/admin/api/devices/dev_nope/push", `{"action":"logout"}`)
	assert.Equal(t, http.StatusNotFound, status)

	// The admin view counts the open listener.
	_, j = adminDo(t, ts.URL, http.MethodGet, "/admin/api/accounts", "")
	assert.EqualValues(t, 1, j.Get("accounts.0.devices.0.listeners").Int())
}

func TestAdminCSRFGuard(t *testing.T) {
	srv, ts := newTest(t)
	mustAttach(t, ts, "acct-1", fp("a"), "")
	post := func(path, body string, headers map[string]string) int {
		res, b := do(t, http.MethodPost, ts.URL+path, headers, body)
		if res.StatusCode == http.StatusForbidden {
			assert.NotEmpty(t, gjson.GetBytes(b, "error").String())
		}
		return res.StatusCode
	}

	refused := []map[string]string{
		{"Origin": "http://evil.example"},
		{"Origin": "null"},
		{"Origin": strings.Replace(ts.URL, "127.0.0.1", "localhost", 1)},
		{"Origin": "https://" + strings.TrimPrefix(ts.URL, "http://")},
		{"Origin": ts.URL + ".evil.example"},
		{"Sec-Fetch-Site": "cross-site"},
		{"Sec-Fetch-Site": "same-site"},
		{"Host": "rebind.example"},
		{"Host": "rebind.example", "Origin": "http://rebind.example"},
	}
	for _, h := range refused {
		assert.Equal(t, http.StatusForbidden, post("/admin/api/accounts/acct-1/limit", `{"limit":9}`, h), "%v", h)
		assert.Equal(t, http.StatusForbidden, post("/admin/api/accounts/acct-1/suspend", `{"suspended":true}`, h), "%v", h)
		assert.Equal(t, http.StatusForbidden, post("/admin/api/reset", `{}`, h), "%v", h)
		res, _ := do(t, http.MethodGet, ts.URL+"/admin/api/requests", h, "")
		assert.Equal(t, http.StatusForbidden, res.StatusCode, "%v", h)
		res, _ = do(t, http.MethodGet, ts.URL+"/admin/api/events", h, "")
		assert.Equal(t, http.StatusForbidden, res.StatusCode, "%v", h)
	}
	acct := srv.Rupt.Accounts()[0]
	assert.Equal(t, DefaultDeviceLimit, acct.Limit, "refused requests change nothing")
	assert.False(t, acct.Suspended)
	assert.Len(t, srv.Rupt.Requests(), 1)

	// The server's own origin, no Origin at all (curl), same-origin fetches
	// and localhost by name are fine.
	for _, h := range []map[string]string{
		{"Origin": ts.URL},
		{},
		{"Sec-Fetch-Site": "same-origin", "Origin": ts.URL},
		{"Sec-Fetch-Site": "none"},
		{"Host": strings.Replace(strings.TrimPrefix(ts.URL, "http://"), "127.0.0.1", "localhost", 1)},
	} {
		assert.Equal(t, http.StatusOK, post("/admin/api/accounts/acct-1/limit", `{"limit":4}`, h), "%v", h)
	}
	assert.Equal(t, 4, srv.Rupt.Accounts()[0].Limit)

	// The Rupt API itself stays open to any origin.
	res, _ := do(t, http.MethodPost, ts.URL+"/rupt/v2/device/attach", map[string]string{"Authorization": auth, "Origin": "http://evil.example"}, `{"user":"acct-1","fingerprint":"f"}`)
	assert.Equal(t, http.StatusOK, res.StatusCode)
}

func TestAdminRequestsMasked(t *testing.T) {
	_, ts := newTest(t)
	long := fp("feedface")
	status, _ := attach(t, ts, map[string]any{
		"user":             "owner@example.org",
		"fingerprint":      long,
		"last_fingerprint": long,
		"email":            "victor@example.com",
		"phone":            "+15551234567",
		"metadata":         map[string]any{"contact": "Mail jane.doe@example.net now", "nested": map[string]any{"phone": "0612345678", "Email": "x@y.example"}},
		"signals":          map[string]any{"fonts": map[string]any{"value": []any{"Arial"}}, "math": map[string]any{"value": 1}},
		"page":             "/site/remote.html",
	})
	require.Equal(t, http.StatusOK, status)
	do(t, http.MethodPost, ts.URL+"/rupt/v2/device/attach", map[string]string{"Authorization": auth}, `{"email":"broken@example.com",`)
	do(t, http.MethodOptions, ts.URL+"/rupt/v2/device/attach", nil, "")

	status, j := adminDo(t, ts.URL, http.MethodGet, "/admin/api/requests", "")
	require.Equal(t, http.StatusOK, status)
	for _, secret := range []string{"victor@example.com", "+15551234567", "owner@example.org", "jane.doe@example.net", "0612345678", "x@y.example", "broken@example.com", long[:40], "Arial"} {
		assert.NotContains(t, j.Raw, secret)
	}
	reqs := j.Get("requests").Array()
	require.Len(t, reqs, 3)
	b := reqs[0].Get("body")
	assert.Equal(t, "v***@example.com", b.Get("email").String())
	assert.Equal(t, "+1***67", b.Get("phone").String())
	assert.Equal(t, "o***@example.org", b.Get("user").String())
	assert.Equal(t, "o***@example.org", reqs[0].Get("account").String())
	assert.Equal(t, "Mail j***@example.net now", b.Get("metadata.contact").String())
	assert.Equal(t, "06***78", b.Get("metadata.nested.phone").String())
	assert.Equal(t, "x***@y.example", b.Get("metadata.nested.Email").String())
	assert.Equal(t, "feedfacefeed…", b.Get("fingerprint").String())
	assert.Equal(t, "feedfacefeed…", b.Get("last_fingerprint").String())
	assert.Equal(t, "{… 2 signals}", b.Get("signals").String())
	assert.Equal(t, "/site/remote.html", b.Get("page").String())
	assert.Equal(t, auth, reqs[0].Get("headers.Authorization").String())
	assert.Contains(t, reqs[1].Get("raw_body").String(), "b***@example.com")
	assert.Equal(t, "preflight", reqs[2].Get("kind").String())

	_, j = adminDo(t, ts.URL, http.MethodGet, "/admin/api/requests?kind=preflight", "")
	assert.Len(t, j.Get("requests").Array(), 1)
}

func TestMasking(t *testing.T) {
	assert.Equal(t, "v***@example.com", MaskEmail("victor@example.com"))
	assert.Equal(t, "***@example.com", MaskEmail("@example.com"))
	assert.Equal(t, "é***@example.com", MaskEmail("émile@example.com"))
	assert.Equal(t, "***", MaskEmail("abc"))
	assert.Equal(t, "+1***67", MaskPhone("+15551234567"))
	assert.Equal(t, "***", MaskPhone("12345"))
	rec := RequestRecord{Kind: "attach", Body: map[string]any{"phone": 15551234567.0, "list": []any{"a@b.example", 1.0}}}
	m := MaskRecord(rec)
	assert.Equal(t, "***", m.Body["phone"])
	assert.Equal(t, []any{"a***@b.example", 1.0}, m.Body["list"])
	assert.Equal(t, 15551234567.0, rec.Body["phone"], "the original is untouched")
	assert.Equal(t, "a@b.example", rec.Body["list"].([]any)[0])
}

func TestAdminEvents(t *testing.T) {
	srv, ts := newTest(t)
	mustAttach(t, ts, "first@example.com", fp("a"), "")
	s := openSSE(t, ts.URL+"/admin/api/events", map[string]string{"Origin": ts.URL})

	// The backlog first, masked, with ids.
	assert.Equal(t, "id: 1", s.next("id: "))
	line := s.next("data: ")
	j := gjson.Parse(strings.TrimPrefix(line, "data: "))
	assert.Equal(t, "attach", j.Get("kind").String())
	assert.Equal(t, "f***@example.com", j.Get("body.user").String())
	assert.NotContains(t, line, "first@example.com")

	// Then each new request as it happens.
	a := mustAttach(t, ts, "acct-2", fp("b"), "")
	assert.Equal(t, "id: 2", s.next("id: "))
	j = gjson.Parse(strings.TrimPrefix(s.next("data: "), "data: "))
	assert.Equal(t, "acct-2", j.Get("account").String())
	assert.EqualValues(t, 2, j.Get("seq").Int())

	// Opening a live channel is a request and a devices event.
	openSSE(t, listenURL(ts.URL, a["device_id"].(string), a["access"].(string), testClient), nil)
	j = gjson.Parse(strings.TrimPrefix(s.next("data: "), "data: "))
	assert.Equal(t, "listen", j.Get("kind").String())
	assert.Equal(t, "event: devices", s.next("event: "))

	srv.Rupt.Reset()
	assert.Equal(t, "event: reset", s.next("event: reset"))
	mustAttach(t, ts, "acct-3", fp("c"), "")
	assert.Equal(t, "id: 4", s.next("id: "), "Seq keeps counting after a reset")
	j = gjson.Parse(strings.TrimPrefix(s.next("data: "), "data: "))
	assert.Equal(t, "acct-3", j.Get("account").String())
}

func TestPagesServed(t *testing.T) {
	_, ts := newTest(t)
	for _, c := range []struct {
		path, script string
		want         []string
	}{
		{"/admin/", "/static/admin.js", []string{"Rupt simulator", "Accounts", "Live request log", `href="/site/style.css"`}},
		{"/challenge?challenge=c1", "/static/challenge.js", []string{"This is me — verify", "Log this device out", "Create my own account", "Upgrade plan"}},
		{"/rupt-challenge/", "/static/challenge.js", []string{"This is me — verify"}},
	} {
		res, b := do(t, http.MethodGet, ts.URL+c.path, nil, "")
		require.Equal(t, http.StatusOK, res.StatusCode, c.path)
		body := string(b)
		assert.Equal(t, "text/html; charset=utf-8", res.Header.Get("Content-Type"))
		csp := res.Header.Get("Content-Security-Policy")
		assert.Contains(t, csp, "script-src 'self'", c.path)
		assert.NotContains(t, csp, "unsafe-inline", c.path)
		assert.Contains(t, body, `<script src="`+c.script+`" defer></script>`, c.path)
		for _, w := range c.want {
			assert.Contains(t, body, w, c.path)
		}
		for _, tag := range regexp.MustCompile(`(?i)<script[^>]*>`).FindAllString(body, -1) {
			assert.Contains(t, tag, "src=", "no inline scripts: %s", tag)
		}
		assert.NotRegexp(t, `(?i)\son[a-z]+\s*=`, body, "no inline event handlers")
		assert.NotContains(t, body, "<style", "no inline styles")
	}
	for _, p := range []string{"/static/admin.js", "/static/challenge.js"} {
		res, b := do(t, http.MethodGet, ts.URL+p, nil, "")
		require.Equal(t, http.StatusOK, res.StatusCode, p)
		assert.Contains(t, res.Header.Get("Content-Type"), "javascript", p)
		assert.NotContains(t, string(b), "innerHTML", "%s builds DOM with textContent only", p)
		assert.NotContains(t, string(b), "eval(", p)
	}
	res, _ := do(t, http.MethodGet, ts.URL+"/static/sim.css", nil, "")
	assert.Equal(t, http.StatusOK, res.StatusCode)
	assert.Contains(t, res.Header.Get("Content-Type"), "text/css")

	// /admin redirects to /admin/; the page itself is guarded too.
	req, _ := http.NewRequest(http.MethodGet, ts.URL+"/admin", nil)
	res, err := http.DefaultTransport.RoundTrip(req)
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, http.StatusFound, res.StatusCode)
	assert.Equal(t, "/admin/", res.Header.Get("Location"))
	res, _ = do(t, http.MethodGet, ts.URL+"/admin/", map[string]string{"Host": "rebind.example"}, "")
	assert.Equal(t, http.StatusForbidden, res.StatusCode)
}

// TestChallengeSafeTarget runs the challenge page's URL check under Node.
func TestChallengeSafeTarget(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node is required for this test (it runs the challenge page's URL check): install Node.js 20+")
	}
	cases := map[string]any{
		"https://shop.example/welcome?x=1":    "https://shop.example/welcome?x=1",
		"http://127.0.0.1:8080/site/a.html":   "http://127.0.0.1:8080/site/a.html",
		"HTTPS://Shop.Example/":               "https://shop.example/",
		"  https://shop.example/  ":           "https://shop.example/",
		"javascript:alert(1)":                 nil,
		"JavaScript:alert(1)":                 nil,
		" javascript:alert(1)":                nil,
		"java\tscript:alert(1)":               nil,
		"data:text/html,<script>x</script>":   nil,
		"vbscript:msgbox(1)":                  nil,
		"file:///etc/passwd":                  nil,
		"ftp://shop.example/":                 nil,
		"blob:https://shop.example/uuid":      nil,
		"/relative/path":                      nil,
		"//shop.example/x":                    nil,
		"shop.example/x":                      nil,
		"https://user:pass@shop.example/":     nil,
		"https://":                            nil,
		"":                                    nil,
		"   ":                                 nil,
		"https://shop.example/?u=javascript:": "https://shop.example/?u=javascript:",
	}
	in, err := json.Marshal(cases)
	require.NoError(t, err)
	script := `
const { safeTarget } = require(process.argv[1]);
const cases = JSON.parse(process.argv[2]);
const out = {};
for (const k of Object.keys(cases)) out[k] = safeTarget(k);
out["(number)"] = safeTarget(42);
out["(undefined)"] = safeTarget(undefined);
process.stdout.write(JSON.stringify(out));
`
	wd, err := os.Getwd()
	require.NoError(t, err)
	cmd := exec.Command(node, "-e", script, wd+"/static/challenge.js", string(in))
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	var got map[string]any
	require.NoError(t, json.Unmarshal(out, &got), "%s", out)
	for k, want := range cases {
		assert.Equal(t, want, got[k], "safeTarget(%q)", k)
	}
	assert.Nil(t, got["(number)"])
	assert.Nil(t, got["(undefined)"])

	// The click handler goes through safeTarget before navigating.
	src, err := os.ReadFile("static/challenge.js")
	require.NoError(t, err)
	assert.Regexp(t, `var target = safeTarget\(raw\);\s+if \(target === null\) \{\s+showError\(`, string(src))
	assert.Equal(t, 1, strings.Count(string(src), "location.assign("), "one navigation, the checked one")
}
