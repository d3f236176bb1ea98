package server

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"
)

func TestAttachRegistry(t *testing.T) {
	srv, ts := newTest(t)
	fpA, fpA2, fpB := fp("a1"), fp("a2"), fp("b1")

	first := mustAttach(t, ts, "acct-1", fpA, "")
	assert.Equal(t, true, first["success"])
	assert.EqualValues(t, 1, first["attached_devices"])
	assert.EqualValues(t, DefaultDeviceLimit, first["default_device_limit"])
	assert.Equal(t, false, first["block_over_usage"])
	assert.NotContains(t, first, "suspended")
	dev := first["device_id"].(string)
	require.NotEmpty(t, dev)
	require.NotEmpty(t, first["access"])
	require.NotEmpty(t, first["identity"])

	// Same fingerprint: same device, same access id.
	again := mustAttach(t, ts, "acct-1", fpA, "")
	assert.Equal(t, dev, again["device_id"])
	assert.Equal(t, first["access"], again["access"])
	assert.EqualValues(t, 1, again["attached_devices"])

	// The fingerprint drifted but last_fingerprint names the device.
	drift := mustAttach(t, ts, "acct-1", fpA2, fpA)
	assert.Equal(t, dev, drift["device_id"])
	assert.EqualValues(t, 1, drift["attached_devices"])
	// The registry now holds the new fingerprint: the old one alone is a new device.
	devs := srv.Rupt.Devices("acct-1")
	require.Len(t, devs, 1)
	assert.Equal(t, fpA2, devs[0].Fingerprint)

	// A new fingerprint is a new device.
	other := mustAttach(t, ts, "acct-1", fpB, "")
	assert.NotEqual(t, dev, other["device_id"])
	assert.NotEqual(t, first["access"], other["access"])
	assert.EqualValues(t, 2, other["attached_devices"])

	// Devices are per account: the same fingerprint elsewhere is another device.
	elsewhere := mustAttach(t, ts, "acct-2", fpA2, "")
	assert.NotEqual(t, dev, elsewhere["device_id"])
	assert.EqualValues(t, 1, elsewhere["attached_devices"])

	devs = srv.Rupt.Devices("acct-1")
	require.Len(t, devs, 2)
	assert.Equal(t, dev, devs[0].ID)
	assert.Equal(t, first["access"], devs[0].Access)
	assert.True(t, devs[0].Attached)
	assert.WithinDuration(t, time.Now(), devs[0].LastSeen, time.Minute)
	assert.Equal(t, other["device_id"], devs[1].ID)
	assert.Equal(t, fpB, devs[1].Fingerprint)
	assert.Nil(t, srv.Rupt.Devices("nobody"))

	atts := srv.Rupt.Attaches()
	require.Len(t, atts, 5)
	assert.Equal(t, auth, atts[0].Authorization)
	assert.Equal(t, "acct-1", atts[0].Body["user"])
	assert.Equal(t, dev, atts[0].DeviceID)
	assert.Equal(t, http.StatusOK, atts[4].Status)
}

func TestAttachLimitAndSuspended(t *testing.T) {
	srv, ts := newTest(t)
	srv.Rupt.SetLimit("acct-1", 1)
	m := mustAttach(t, ts, "acct-1", fp("a"), "")
	assert.EqualValues(t, 1, m["default_device_limit"])
	m = mustAttach(t, ts, "acct-1", fp("b"), "")
	assert.EqualValues(t, 2, m["attached_devices"], "over the limit: the SDK decides, the count says so")
	assert.EqualValues(t, 1, m["default_device_limit"])

	srv.Rupt.SetSuspended("acct-1", true)
	m = mustAttach(t, ts, "acct-1", fp("a"), "")
	assert.Equal(t, true, m["suspended"])
	srv.Rupt.SetSuspended("acct-1", false)
	m = mustAttach(t, ts, "acct-1", fp("a"), "")
	assert.NotContains(t, m, "suspended")
}

func TestAttachRefusals(t *testing.T) {
	srv, ts := newTest(t)
	u := ts.URL + "/rupt/v2/device/attach"
	body := `{"user":"acct-1","fingerprint":"x"}`
	for _, h := range []string{"", "Basic " + testClient, "Basic " + testClient + ":secret", "Bearer " + testClient, "basic " + testClient + ":", "Basic dGVzdC1jbGllbnQ6", "Basic other:"} {
		res, b := do(t, http.MethodPost, u, map[string]string{"Authorization": h}, body)
		assert.Equal(t, http.StatusUnauthorized, res.StatusCode, "Authorization %q", h)
		assert.Equal(t, "unknown client id", gjson.GetBytes(b, "error").String())
	}
	for _, bad := range []string{"{", "not json", "[1,2]", "null", `"s"`, ""} {
		res, _ := do(t, http.MethodPost, u, map[string]string{"Authorization": auth}, bad)
		assert.Equal(t, http.StatusBadRequest, res.StatusCode, "body %q", bad)
	}
	res, b := do(t, http.MethodPost, u, map[string]string{"Authorization": auth}, `{"fingerprint":"x"}`)
	assert.Equal(t, http.StatusBadRequest, res.StatusCode)
	assert.Equal(t, "user is required", gjson.GetBytes(b, "error").String())
	assert.Empty(t, srv.Rupt.Accounts(), "refused attaches register nothing")

	// Every refusal is recorded, bad bodies as raw text.
	reqs := srv.Rupt.Requests()
	require.Len(t, reqs, 14)
	assert.Equal(t, "attach", reqs[7].Kind)
	assert.Equal(t, "{", reqs[7].RawBody)
	assert.Equal(t, http.StatusBadRequest, reqs[7].Status)
	assert.Len(t, srv.Rupt.Attaches(), 14)

	// Unknown paths and methods are 404s, recorded too.
	res, _ = do(t, http.MethodGet, u, nil, "")
	assert.Equal(t, http.StatusNotFound, res.StatusCode)
	res, _ = do(t, http.MethodPost, ts.URL+"/rupt/v2/device/x/y/detach", map[string]string{"Authorization": auth}, `{}`)
	assert.Equal(t, http.StatusNotFound, res.StatusCode)
	reqs = srv.Rupt.Requests()
	assert.Equal(t, "other", reqs[len(reqs)-1].Kind)
}

func TestDetach(t *testing.T) {
	srv, ts := newTest(t)
	a := mustAttach(t, ts, "acct-1", fp("a"), "")
	mustAttach(t, ts, "acct-1", fp("b"), "")
	dev := a["device_id"].(string)
	detach := func(device, authz, body string) (int, []byte) {
		res, b := do(t, http.MethodPost, ts.URL+"/rupt/v2/device/"+device+"/detach", map[string]string{"Authorization": authz, "Content-Type": "application/json"}, body)
		assert.Equal(t, "*", res.Header.Get("Access-Control-Allow-Origin"))
		return res.StatusCode, b
	}

	status, b := detach(dev, auth, `{"user":"acct-2"}`)
	assert.Equal(t, http.StatusNotFound, status, "device of another account")
	status, _ = detach("dev_nope", auth, `{"user":"acct-1"}`)
	assert.Equal(t, http.StatusNotFound, status, "unknown device")
	status, _ = detach(dev, "Basic other:", `{"user":"acct-1"}`)
	assert.Equal(t, http.StatusUnauthorized, status)
	status, _ = detach(dev, auth, `{`)
	assert.Equal(t, http.StatusBadRequest, status)
	status, _ = detach(dev, auth, `{}`)
	assert.Equal(t, http.StatusBadRequest, status)
	require.True(t, srv.Rupt.Devices("acct-1")[0].Attached, "refused detaches change nothing")

	status, b = detach(dev, auth, `{"user":"acct-1"}`)
	require.Equal(t, http.StatusOK, status, "%s", b)
	assert.True(t, gjson.GetBytes(b, "success").Bool())
	assert.EqualValues(t, 1, gjson.GetBytes(b, "attached_devices").Int())
	devs := srv.Rupt.Devices("acct-1")
	require.Len(t, devs, 2)
	assert.False(t, devs[0].Attached)
	assert.True(t, devs[1].Attached)

	// Attaching again from that device re-attaches it.
	again := mustAttach(t, ts, "acct-1", fp("a"), "")
	assert.Equal(t, dev, again["device_id"])
	assert.EqualValues(t, 2, again["attached_devices"])

	ds := srv.Rupt.Detaches()
	require.Len(t, ds, 6)
	last := ds[5]
	assert.Equal(t, "detach", last.Kind)
	assert.Equal(t, http.MethodPost, last.Method)
	assert.Equal(t, "/v2/device/"+dev+"/detach", last.Path)
	assert.Equal(t, map[string]any{"user": "acct-1"}, last.Body)
	assert.Equal(t, "acct-1", last.Account)
	assert.Equal(t, dev, last.DeviceID)
	assert.Equal(t, http.StatusOK, last.Status)
	assert.Equal(t, auth, last.Headers["Authorization"])
	assert.Equal(t, http.StatusNotFound, ds[0].Status)
	assert.Equal(t, "no such device for this user", ds[0].Error)
}

func listenURL(ts string, device, access, client string) string {
	q := url.Values{"access": {access}, "version": {"2.24.1"}, "auth": {"Basic " + client + ":"}}
	return ts + "/rupt/v2/access/device/" + device + "/listen?" + q.Encode()
}

func TestListenReceivesPushes(t *testing.T) {
	srv, ts := newTest(t)
	a := mustAttach(t, ts, "acct-1", fp("a"), "")
	dev, access := a["device_id"].(string), a["access"].(string)

	assert.Equal(t, 0, srv.Rupt.Listeners(dev))
	assert.Equal(t, 0, srv.Rupt.PushLogout(dev, ""), "nobody listens yet")
	s := openSSE(t, listenURL(ts.URL, dev, access, testClient), map[string]string{"Origin": "http://site.example"})
	assert.Equal(t, "*", s.res.Header.Get("Access-Control-Allow-Origin"))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	require.NoError(t, srv.Rupt.WaitListener(ctx, dev))
	assert.Equal(t, 1, srv.Rupt.Listeners(dev))

	cases := []struct {
		push func() int
		want string
	}{
		{func() int { return srv.Rupt.PushLogout(dev, "ch_1") }, `{"action":"logout","challenge":{"_id":"ch_1"}}`},
		{func() int { return srv.Rupt.PushLogout(dev, "") }, `{"action":"logout"}`},
		{func() int { return srv.Rupt.PushChallenge(dev, "ch_2", "https://challenge.example/c") }, `{"action":"challenge","challenge":{"_id":"ch_2"},"url":"https://challenge.example/c"}`},
		{func() int { return srv.Rupt.PushChallenge(dev, "ch_3", "") }, `{"action":"challenge","challenge":{"_id":"ch_3"}}`},
	}
	for _, c := range cases {
		require.Equal(t, 1, c.push())
		line := s.next("data: ")
		assert.Equal(t, "data: "+c.want, line)
		assert.Equal(t, "", s.next(""), "an event ends with a blank line")
		assert.True(t, json.Valid([]byte(strings.TrimPrefix(line, "data: "))))
	}
	// Multi-line messages stay one event.
	require.Equal(t, 1, srv.Rupt.Push(dev, []byte("{\n\"action\":\"logout\"}")))
	assert.Equal(t, "data: {", s.next("data: "))
	assert.Equal(t, `data: "action":"logout"}`, s.next(""))

	// Another device's pushes do not arrive here.
	assert.Equal(t, 0, srv.Rupt.PushLogout("dev_other", "x"))

	reqs := srv.Rupt.Requests()
	lr := reqs[len(reqs)-1]
	assert.Equal(t, "listen", lr.Kind)
	assert.Equal(t, http.StatusOK, lr.Status)
	assert.Equal(t, dev, lr.DeviceID)
	assert.Equal(t, "acct-1", lr.Account)
	assert.Contains(t, lr.Query, "access="+access)
	assert.Equal(t, "http://site.example", lr.Headers["Origin"])

	s.close()
	eventually(t, func() bool { return srv.Rupt.Listeners(dev) == 0 }, "closing the stream removes the listener")
}

func TestListenRefusals(t *testing.T) {
	srv, ts := newTest(t)
	a := mustAttach(t, ts, "acct-1", fp("a"), "")
	b := mustAttach(t, ts, "acct-1", fp("b"), "")
	dev, access := a["device_id"].(string), a["access"].(string)

	res, _ := do(t, http.MethodGet, listenURL(ts.URL, dev, access, "other"), nil, "")
	assert.Equal(t, http.StatusUnauthorized, res.StatusCode, "wrong client id")
	res, _ = do(t, http.MethodGet, ts.URL+"/rupt/v2/access/device/"+dev+"/listen?access="+access, nil, "")
	assert.Equal(t, http.StatusUnauthorized, res.StatusCode, "no auth")
	res, _ = do(t, http.MethodGet, listenURL(ts.URL, dev, b["access"].(string), testClient), nil, "")
	assert.Equal(t, http.StatusUnauthorized, res.StatusCode, "another device's access")
	res, _ = do(t, http.MethodGet, listenURL(ts.URL, dev, "", testClient), nil, "")
	assert.Equal(t, http.StatusUnauthorized, res.StatusCode, "no access")
	res, _ = do(t, http.MethodGet, listenURL(ts.URL, "dev_unknown", access, testClient), nil, "")
	assert.Equal(t, http.StatusNotFound, res.StatusCode)
	assert.Equal(t, 0, srv.Rupt.Listeners(dev))

	var listens []RequestRecord
	for _, r := range srv.Rupt.Requests() {
		if r.Kind == "listen" {
			listens = append(listens, r)
		}
	}
	require.Len(t, listens, 5)
	assert.Equal(t, "access does not match the device", listens[2].Error)

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	assert.ErrorIs(t, srv.Rupt.WaitListener(ctx, dev), context.DeadlineExceeded)
}

func TestCORS(t *testing.T) {
	srv, ts := newTest(t)
	for _, p := range []string{"/rupt/v2/device/attach", "/rupt/v2/device/dev_x/detach", "/rupt/v2/access/device/dev_x/listen"} {
		res, _ := do(t, http.MethodOptions, ts.URL+p, map[string]string{
			"Origin":                         "https://shop.example",
			"Access-Control-Request-Method":  "POST",
			"Access-Control-Request-Headers": "authorization, content-type",
		}, "")
		assert.Equal(t, http.StatusNoContent, res.StatusCode, p)
		assert.Equal(t, "*", res.Header.Get("Access-Control-Allow-Origin"), p)
		assert.Contains(t, res.Header.Get("Access-Control-Allow-Methods"), "POST", p)
		assert.Contains(t, res.Header.Get("Access-Control-Allow-Methods"), "GET", p)
		allow := strings.ToLower(res.Header.Get("Access-Control-Allow-Headers"))
		assert.Contains(t, allow, "authorization", p)
		assert.Contains(t, allow, "content-type", p)
	}
	reqs := srv.Rupt.Requests()
	require.Len(t, reqs, 3)
	assert.Equal(t, "preflight", reqs[0].Kind)
	assert.Equal(t, "POST", reqs[0].Headers["Access-Control-Request-Method"])
	assert.Equal(t, "https://shop.example", reqs[0].Headers["Origin"])

	// Errors carry CORS headers too, so the page can read them.
	res, _ := do(t, http.MethodPost, ts.URL+"/rupt/v2/device/attach", nil, "{}")
	assert.Equal(t, http.StatusUnauthorized, res.StatusCode)
	assert.Equal(t, "*", res.Header.Get("Access-Control-Allow-Origin"))
}

func TestRequestLogAndReset(t *testing.T) {
	srv, ts := newTest(t)
	a := mustAttach(t, ts, "acct-1", fp("a"), "")
	dev := a["device_id"].(string)
	do(t, http.MethodOptions, ts.URL+"/rupt/v2/device/"+dev+"/detach", nil, "")
	do(t, http.MethodPost, ts.URL+"/rupt/v2/device/"+dev+"/detach", map[string]string{"Authorization": auth}, `{"user":"acct-1"}`)
	do(t, http.MethodGet, listenURL(ts.URL, dev, a["access"].(string), "wrong"), nil, "")

	reqs := srv.Rupt.Requests()
	require.Len(t, reqs, 4)
	kinds := []string{}
	for i, r := range reqs {
		kinds = append(kinds, r.Kind)
		assert.Equal(t, i+1, r.Seq)
		if i > 0 {
			assert.False(t, r.Time.Before(reqs[i-1].Time))
		}
	}
	assert.Equal(t, []string{"attach", "preflight", "detach", "listen"}, kinds)
	assert.Equal(t, "application/json", reqs[0].Headers["Content-Type"])
	assert.Equal(t, "/v2/device/attach", reqs[0].Path, "paths are seen without the /rupt prefix")
	assert.Equal(t, dev, reqs[0].DeviceID)
	assert.Equal(t, "acct-1", reqs[0].Account)
	assert.Equal(t, fp("a"), reqs[0].Body["fingerprint"], "the log keeps the full body")

	// Open a listener, then Reset: everything goes, the stream ends.
	a = mustAttach(t, ts, "acct-1", fp("a"), "")
	dev = a["device_id"].(string)
	s := openSSE(t, listenURL(ts.URL, dev, a["access"].(string), testClient), nil)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	require.NoError(t, srv.Rupt.WaitListener(ctx, dev))
	srv.Rupt.SetLimit("acct-9", 7)
	srv.Rupt.Reset()
	assert.Empty(t, srv.Rupt.Requests())
	assert.Empty(t, srv.Rupt.Attaches())
	assert.Empty(t, srv.Rupt.Accounts())
	assert.Equal(t, 0, srv.Rupt.Listeners(dev))
	select {
	case _, ok := <-s.lines:
		for ok {
			_, ok = <-s.lines
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Reset did not end the live stream")
	}

	// After a Reset old device ids do not come back and Seq keeps counting.
	b := mustAttach(t, ts, "acct-1", fp("a"), "")
	assert.NotEqual(t, dev, b["device_id"])
	reqs = srv.Rupt.Requests()
	require.Len(t, reqs, 1)
	assert.Greater(t, reqs[0].Seq, 6)
	assert.Equal(t, DefaultDeviceLimit, srv.Rupt.Accounts()[0].Limit)
}

func TestChanged(t *testing.T) {
	srv, ts := newTest(t)
	ch := srv.Rupt.Changed()
	select {
	case <-ch:
		t.Fatal("closed before any attach")
	default:
	}
	mustAttach(t, ts, "acct-1", fp("a"), "")
	select {
	case <-ch:
	case <-time.After(5 * time.Second):
		t.Fatal("Changed not closed by an attach")
	}
}

func TestResetWakesChanged(t *testing.T) {
	srv, ts := newTest(t)
	mustAttach(t, ts, "acct-1", fp("a"), "")
	mustAttach(t, ts, "acct-2", fp("b"), "")
	recs, _ := srv.Rupt.AttachesAfter(0)
	require.Len(t, recs, 2)
	assert.Equal(t, []int{1, 2}, []int{recs[0].Seq, recs[1].Seq})
	last := recs[1].Seq

	// A waiter on Changed wakes when Reset empties the log.
	woke := make(chan struct{})
	ch := srv.Rupt.Changed()
	go func() {
		<-ch
		close(woke)
	}()
	srv.Rupt.Reset()
	select {
	case <-woke:
	case <-time.After(5 * time.Second):
		t.Fatal("Reset did not close Changed")
	}
	assert.Empty(t, srv.Rupt.Attaches())
	recs, changed := srv.Rupt.AttachesAfter(last)
	assert.Empty(t, recs)

	// Seq keeps counting after Reset, so "after the last one seen" still
	// finds the new attach (and only it).
	mustAttach(t, ts, "acct-3", fp("c"), "")
	select {
	case <-changed:
	case <-time.After(5 * time.Second):
		t.Fatal("AttachesAfter's channel not closed by an attach")
	}
	recs, _ = srv.Rupt.AttachesAfter(last)
	require.Len(t, recs, 1)
	assert.Equal(t, last+1, recs[0].Seq)
	assert.Equal(t, "acct-3", recs[0].Body["user"])
	assert.Equal(t, srv.Rupt.Attaches(), recs)
}

func TestCDNSettings(t *testing.T) {
	srv, ts := newTest(t)
	res, b := do(t, http.MethodGet, ts.URL+"/v1/projects/wk-1/settings", nil, "")
	require.Equal(t, http.StatusOK, res.StatusCode)
	assert.Equal(t, "application/json", res.Header.Get("Content-Type"))
	assert.Equal(t, "*", res.Header.Get("Access-Control-Allow-Origin"))
	require.True(t, json.Valid(b))
	j := gjson.ParseBytes(b)
	assert.Equal(t, "wk-1", j.Get(`integrations.Segment\.io.apiKey`).String())
	plugins := j.Get("remotePlugins").Array()
	require.Len(t, plugins, 1)
	p := plugins[0]
	assert.Equal(t, "ruptDestination", p.Get("libraryName").String())
	assert.Equal(t, "Rupt (Actions)", p.Get("name").String())
	assert.Equal(t, ts.URL+"/dist/rupt-actions.js", p.Get("url").String())
	base := p.Get("settings.api_base").String()
	assert.Equal(t, ts.URL+"/rupt", base)
	assert.Equal(t, testClient, p.Get("settings.client_id").String())
	assert.Equal(t, ts.URL+"/site/logged-out.html", p.Get("settings.logout_url").String())
	assert.Equal(t, "attach", p.Get("settings.subscriptions.0.partnerAction").String())
	assert.True(t, p.Get("settings.subscriptions.0.mapping.account").Exists())

	// api_base really is the simulator.
	res, out := do(t, http.MethodPost, base+"/v2/device/attach", map[string]string{"Authorization": "Basic " + p.Get("settings.client_id").String() + ":"}, `{"user":"acct-1","fingerprint":"f"}`)
	require.Equal(t, http.StatusOK, res.StatusCode, "%s", out)
	assert.Len(t, srv.Rupt.Devices("acct-1"), 1)

	// SetDestinationSettings still wins, api_base still filled in.
	srv.SetDestinationSettings(map[string]any{"client_id": "c2"})
	_, b = do(t, http.MethodGet, ts.URL+"/v1/projects/wk-1/settings", nil, "")
	assert.Equal(t, "c2", gjson.GetBytes(b, "remotePlugins.0.settings.client_id").String())
	assert.Equal(t, ts.URL+"/rupt", gjson.GetBytes(b, "remotePlugins.0.settings.api_base").String())
	assert.Equal(t, "c2", srv.DestinationSettings()["client_id"])
}

func TestMessages(t *testing.T) {
	assert.JSONEq(t, `{"action":"logout"}`, string(LogoutMessage("")))
	assert.JSONEq(t, `{"action":"logout","challenge":{"_id":"c\"1"}}`, string(LogoutMessage(`c"1`)))
	assert.JSONEq(t, `{"action":"challenge","challenge":{"_id":"c"}}`, string(ChallengeMessage("c", "")))
	assert.Equal(t, `{"action":"challenge","challenge":{"_id":"c"},"url":"https://x.example/?a=1&b=2"}`, string(ChallengeMessage("c", "https://x.example/?a=1&b=2")))
}
