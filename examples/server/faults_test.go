package server

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// attachBody is a request body for the fault tests.
const attachBody = `{"user":"acct-1","email":"viewer@example.com","fingerprint":"fp-1"}`

// rawAttach posts an attach with client, returning the response (its body
// unread) or the transport error.
func rawAttach(t *testing.T, client *http.Client, ts string) (*http.Response, error) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, ts+"/rupt/v2/device/attach", strings.NewReader(attachBody))
	require.NoError(t, err)
	req.Header.Set("Authorization", auth)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", "http://site.example")
	res, err := client.Do(req)
	if err == nil {
		t.Cleanup(func() { res.Body.Close() })
	}
	return res, err
}

// lastRequest is the simulator's last recorded request.
func lastRequest(t *testing.T, r *Rupt) RequestRecord {
	t.Helper()
	reqs := r.Requests()
	require.NotEmpty(t, reqs)
	return reqs[len(reqs)-1]
}

func TestFaultAnswers(t *testing.T) {
	cases := []struct {
		name        string
		fault       Fault
		status      int
		contentType string
		body        string // the body starts with this
		retryAfter  string
	}{
		{"500", Fault{Mode: FaultHTTP500}, 500, "application/json", `{"error":"internal server error (injected fault)"}`, ""},
		{"503", Fault{Mode: FaultHTTP503}, 503, "application/json", `{"error":"service unavailable (injected fault)"}`, "1"},
		{"503-delay", Fault{Mode: FaultHTTP503, Delay: 1500 * time.Millisecond}, 503, "application/json", `{"error"`, "2"},
		{"401", Fault{Mode: FaultHTTP401}, 401, "application/json", `{"error":"unknown client id (injected fault)"}`, ""},
		{"403", Fault{Mode: FaultHTTP403}, 403, "application/json", `{"error":"this client may not use the API (injected fault)"}`, ""},
		{"404", Fault{Mode: FaultHTTP404}, 404, "application/json", `{"error":"not found (injected fault)"}`, ""},
		{"malformed-json", Fault{Mode: FaultMalformedJSON}, 200, "application/json", `{"success":tr`, ""},
		{"html-502", Fault{Mode: FaultHTML}, 502, "text/html; charset=utf-8", "<!DOCTYPE html>\n<html>\n<head><title>502 Bad Gateway</title>", ""},
		{"html-200", Fault{Mode: FaultHTML, Status: 200}, 200, "text/html; charset=utf-8", "<!DOCTYPE html>\n<html>\n<head><title>Down for maintenance</title>", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv, ts := newTest(t)
			require.NoError(t, srv.Rupt.SetFault(c.fault))
			res, err := rawAttach(t, http.DefaultClient, ts.URL)
			require.NoError(t, err)
			b, err := io.ReadAll(res.Body)
			require.NoError(t, err)
			assert.Equal(t, c.status, res.StatusCode)
			assert.Equal(t, c.contentType, res.Header.Get("Content-Type"))
			assert.True(t, strings.HasPrefix(string(b), c.body), "%s", b)
			if c.fault.Mode == FaultMalformedJSON {
				assert.Equal(t, c.body, string(b))
				assert.False(t, json.Valid(b))
			}
			assert.Equal(t, c.retryAfter, res.Header.Get("Retry-After"))
			if c.retryAfter != "" {
				assert.Equal(t, "Retry-After", res.Header.Get("Access-Control-Expose-Headers"))
			}
			assert.Equal(t, "*", res.Header.Get("Access-Control-Allow-Origin"), "the fault is not a CORS failure")

			// Recorded, with the body, and nothing registered.
			atts := srv.Rupt.Attaches()
			require.Len(t, atts, 1)
			assert.Equal(t, c.status, atts[0].Status)
			assert.Equal(t, "acct-1", atts[0].Body["user"])
			assert.Equal(t, auth, atts[0].Authorization)
			assert.Equal(t, "http://site.example", atts[0].Origin)
			rec := lastRequest(t, srv.Rupt)
			assert.Equal(t, "attach", rec.Kind)
			assert.Equal(t, c.status, rec.Status)
			assert.Equal(t, "injected fault: "+c.fault.Mode, rec.Error)
			assert.Equal(t, "acct-1", rec.Account)
			assert.Equal(t, "application/json", rec.Headers["Content-Type"])
			assert.Nil(t, srv.Rupt.Devices("acct-1"), "a failed attach registers no device")
		})
	}
}

func TestFaultCountThenSucceed(t *testing.T) {
	srv, ts := newTest(t)
	require.NoError(t, srv.Rupt.SetFault(Fault{Mode: FaultHTTP500, Count: 2}))
	f, ok := srv.Rupt.CurrentFault()
	require.True(t, ok)
	assert.Equal(t, Fault{Mode: FaultHTTP500, Count: 2, Kinds: []string{KindAttach}}, f)

	status, _ := attach(t, ts, map[string]any{"user": "acct-1"})
	assert.Equal(t, 500, status)
	f, ok = srv.Rupt.CurrentFault()
	require.True(t, ok)
	assert.Equal(t, 1, f.Count, "one request left to hit")
	status, _ = attach(t, ts, map[string]any{"user": "acct-1"})
	assert.Equal(t, 500, status)
	_, ok = srv.Rupt.CurrentFault()
	assert.False(t, ok, "the fault cleared itself")
	mustAttach(t, ts, "acct-1", fp("a"), "")
	mustAttach(t, ts, "acct-1", fp("a"), "")

	var got []int
	for _, a := range srv.Rupt.Attaches() {
		got = append(got, a.Status)
	}
	assert.Equal(t, []int{500, 500, 200, 200}, got)
}

func TestFaultUntilCleared(t *testing.T) {
	srv, ts := newTest(t)
	require.NoError(t, srv.Rupt.SetFault(Fault{Mode: FaultHTTP404}))
	for range 5 {
		status, _ := attach(t, ts, map[string]any{"user": "acct-1"})
		assert.Equal(t, 404, status)
	}
	f, ok := srv.Rupt.CurrentFault()
	require.True(t, ok)
	assert.Zero(t, f.Count, "until cleared")
	srv.Rupt.Reset()
	_, ok = srv.Rupt.CurrentFault()
	assert.True(t, ok, "Reset leaves the fault")
	srv.Rupt.ClearFault()
	_, ok = srv.Rupt.CurrentFault()
	assert.False(t, ok)
	mustAttach(t, ts, "acct-1", fp("a"), "")

	// A new fault replaces the old one.
	require.NoError(t, srv.Rupt.SetFault(Fault{Mode: FaultHTTP401}))
	require.NoError(t, srv.Rupt.SetFault(Fault{Mode: FaultHTTP403, Count: 1}))
	status, _ := attach(t, ts, map[string]any{"user": "acct-1"})
	assert.Equal(t, 403, status)
	mustAttach(t, ts, "acct-1", fp("a"), "")
}

func TestFaultKinds(t *testing.T) {
	srv, ts := newTest(t)
	a := mustAttach(t, ts, "acct-1", fp("a"), "")
	dev, access := a["device_id"].(string), a["access"].(string)

	// An attach fault leaves preflights, listens and detaches alone.
	require.NoError(t, srv.Rupt.SetFault(Fault{Mode: FaultHTTP500}))
	res, _ := do(t, http.MethodOptions, ts.URL+"/rupt/v2/device/attach", map[string]string{"Origin": "http://site.example", "Access-Control-Request-Method": "POST"}, "")
	assert.Equal(t, http.StatusNoContent, res.StatusCode)
	s := openSSE(t, listenURL(ts.URL, dev, access, testClient), nil)
	s.next(": connected")
	s.close()
	res, _ = do(t, http.MethodPost, ts.URL+"/rupt/v2/device/"+dev+"/detach", map[string]string{"Authorization": auth}, `{"user":"acct-1"}`)
	assert.Equal(t, http.StatusOK, res.StatusCode)

	// A listen fault hits listens only.
	require.NoError(t, srv.Rupt.SetFault(Fault{Mode: FaultHTTP503, Kinds: []string{KindListen}}))
	mustAttach(t, ts, "acct-1", fp("a"), "")
	res, _ = do(t, http.MethodGet, listenURL(ts.URL, dev, access, testClient), nil, "")
	assert.Equal(t, http.StatusServiceUnavailable, res.StatusCode)
	rec := lastRequest(t, srv.Rupt)
	assert.Equal(t, "listen", rec.Kind)
	assert.Equal(t, dev, rec.DeviceID)
	assert.Equal(t, "acct-1", rec.Account)
	assert.Equal(t, "injected fault: 503", rec.Error)

	// A detach fault.
	require.NoError(t, srv.Rupt.SetFault(Fault{Mode: FaultHTTP500, Kinds: []string{KindDetach}, Count: 1}))
	res, _ = do(t, http.MethodPost, ts.URL+"/rupt/v2/device/"+dev+"/detach", map[string]string{"Authorization": auth}, `{"user":"acct-1"}`)
	assert.Equal(t, http.StatusInternalServerError, res.StatusCode)
	rec = lastRequest(t, srv.Rupt)
	assert.Equal(t, "detach", rec.Kind)
	assert.Equal(t, dev, rec.DeviceID)
	assert.Equal(t, "acct-1", rec.Account)
	assert.Len(t, srv.Rupt.Detaches(), 2)

	// Each simulator has its own fault.
	other := NewRupt(testClient)
	_, ok := other.CurrentFault()
	assert.False(t, ok)
}

func TestFaultValidation(t *testing.T) {
	r := NewRupt(testClient)
	for _, f := range []Fault{
		{Mode: ""},
		{Mode: "teapot"},
		{Mode: FaultHTTP500, Count: -1},
		{Mode: FaultSlow, Delay: -time.Second},
		{Mode: FaultHTTP500, Kinds: []string{"preflight"}},
		{Mode: FaultSSEDrop, Kinds: []string{KindAttach}},
		{Mode: FaultWrongTypes, Kinds: []string{KindListen}},
		{Mode: FaultTruncated, Kinds: []string{KindListen}},
		{Mode: FaultStallBody, Kinds: []string{KindListen}},
		{Mode: FaultHTML, Status: 302},
	} {
		assert.Error(t, r.SetFault(f), "%+v", f)
	}
	_, ok := r.CurrentFault()
	assert.False(t, ok, "a refused fault changes nothing")

	// Defaults.
	for _, c := range []struct {
		in   Fault
		want Fault
	}{
		{Fault{Mode: FaultSlow}, Fault{Mode: FaultSlow, Kinds: []string{KindAttach}, Delay: 3 * time.Second}},
		{Fault{Mode: FaultTimeout}, Fault{Mode: FaultTimeout, Kinds: []string{KindAttach}, Delay: 2 * time.Minute}},
		{Fault{Mode: FaultStallBody}, Fault{Mode: FaultStallBody, Kinds: []string{KindAttach}, Delay: 2 * time.Minute}},
		{Fault{Mode: FaultHTTP503}, Fault{Mode: FaultHTTP503, Kinds: []string{KindAttach}, Delay: time.Second}},
		{Fault{Mode: FaultSSEDrop, Count: 1}, Fault{Mode: FaultSSEDrop, Count: 1, Kinds: []string{KindListen}, Delay: 2 * time.Second}},
		{Fault{Mode: FaultHTML}, Fault{Mode: FaultHTML, Kinds: []string{KindAttach}, Status: 502}},
		{Fault{Mode: FaultReset, Kinds: []string{KindAttach, KindListen}}, Fault{Mode: FaultReset, Kinds: []string{KindAttach, KindListen}}},
	} {
		require.NoError(t, r.SetFault(c.in))
		got, ok := r.CurrentFault()
		require.True(t, ok)
		assert.Equal(t, c.want, got)
	}
	assert.Len(t, FaultModes(), 15)
}

// faultServer serves a bare simulator through WithFaults and reports each
// time a request's handler returned.
func faultServer(t *testing.T) (*Rupt, *httptest.Server, chan struct{}) {
	t.Helper()
	r := NewRupt(testClient)
	returned := make(chan struct{}, 16)
	h := r.WithFaults()
	ts := httptest.NewServer(http.StripPrefix("/rupt", http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		defer func() { returned <- struct{}{} }()
		h.ServeHTTP(w, req)
	})))
	t.Cleanup(ts.Close)
	return r, ts, returned
}

func waitReturned(t *testing.T, returned chan struct{}) {
	t.Helper()
	select {
	case <-returned:
	case <-time.After(5 * time.Second):
		t.Fatal("the handler did not return")
	}
}

func TestFaultTimeout(t *testing.T) {
	r, ts, returned := faultServer(t)
	require.NoError(t, r.SetFault(Fault{Mode: FaultTimeout}))
	start := time.Now()
	_, err := rawAttach(t, &http.Client{Timeout: 300 * time.Millisecond}, ts.URL)
	require.Error(t, err, "no answer")
	assert.GreaterOrEqual(t, time.Since(start), 300*time.Millisecond)
	waitReturned(t, returned) // the client gave up: the request is let go
	atts := r.Attaches()
	require.Len(t, atts, 1)
	assert.Equal(t, 0, atts[0].Status, "recorded as unanswered, on arrival")
	assert.Equal(t, "injected fault: timeout", lastRequest(t, r).Error)
	assert.Empty(t, r.Accounts())

	// Held no longer than Delay.
	require.NoError(t, r.SetFault(Fault{Mode: FaultTimeout, Delay: 200 * time.Millisecond}))
	res, err := rawAttach(t, http.DefaultClient, ts.URL)
	require.NoError(t, err)
	assert.Equal(t, http.StatusGatewayTimeout, res.StatusCode)
	assert.GreaterOrEqual(t, time.Since(start), 200*time.Millisecond)
}

func TestFaultSlow(t *testing.T) {
	srv, ts := newTest(t)
	require.NoError(t, srv.Rupt.SetFault(Fault{Mode: FaultSlow, Delay: 300 * time.Millisecond}))
	start := time.Now()
	m := mustAttach(t, ts, "acct-1", fp("a"), "")
	assert.GreaterOrEqual(t, time.Since(start), 300*time.Millisecond)
	assert.Equal(t, true, m["success"])
	assert.Len(t, srv.Rupt.Devices("acct-1"), 1, "a slow answer is a correct one")
	assert.Empty(t, lastRequest(t, srv.Rupt).Error)

	// A client that gives up first is recorded as unanswered.
	r, fts, returned := faultServer(t)
	require.NoError(t, r.SetFault(Fault{Mode: FaultSlow}))
	_, err := rawAttach(t, &http.Client{Timeout: 200 * time.Millisecond}, fts.URL)
	require.Error(t, err)
	waitReturned(t, returned)
	require.Len(t, r.Attaches(), 1)
	assert.Equal(t, 0, r.Attaches()[0].Status)
	assert.Empty(t, r.Accounts())
}

func TestFaultWrongTypes(t *testing.T) {
	srv, ts := newTest(t)
	require.NoError(t, srv.Rupt.SetFault(Fault{Mode: FaultWrongTypes}))
	status, m := attach(t, ts, map[string]any{"user": "acct-1", "fingerprint": fp("a")})
	assert.Equal(t, 200, status)
	assert.Equal(t, "true", m["success"])
	assert.Equal(t, "yes", m["suspended"])
	assert.Equal(t, "1", m["attached_devices"])
	assert.Equal(t, strconv.Itoa(DefaultDeviceLimit), m["default_device_limit"])
	assert.Equal(t, float64(42), m["device_id"])
	assert.Equal(t, float64(7), m["access"])
	assert.Equal(t, "no", m["block_over_usage"])
	assert.Len(t, srv.Rupt.Devices("acct-1"), 1, "the simulator attached the device")
	assert.Equal(t, 200, srv.Rupt.Attaches()[0].Status)

	// Errors pass through unchanged.
	res, b := do(t, http.MethodPost, ts.URL+"/rupt/v2/device/attach", map[string]string{"Authorization": "Basic nope:"}, `{"user":"acct-1"}`)
	assert.Equal(t, 401, res.StatusCode)
	assert.JSONEq(t, `{"error":"unknown client id"}`, string(b))
}

func TestFaultTruncated(t *testing.T) {
	srv, ts := newTest(t)
	require.NoError(t, srv.Rupt.SetFault(Fault{Mode: FaultTruncated}))
	res, err := rawAttach(t, http.DefaultClient, ts.URL)
	require.NoError(t, err, "the headers arrive")
	assert.Equal(t, 200, res.StatusCode)
	assert.Equal(t, "*", res.Header.Get("Access-Control-Allow-Origin"))
	b, err := io.ReadAll(res.Body)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF, "the body ends early")
	assert.Greater(t, res.ContentLength, int64(len(b)))
	assert.True(t, strings.HasPrefix(string(b), `{"`), "%s", b)
	assert.False(t, json.Valid(b))
	assert.Len(t, srv.Rupt.Devices("acct-1"), 1)
}

func TestFaultStallBody(t *testing.T) {
	r, ts, returned := faultServer(t)
	require.NoError(t, r.SetFault(Fault{Mode: FaultStallBody}))
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, ts.URL+"/rupt/v2/device/attach", strings.NewReader(attachBody))
	require.NoError(t, err)
	req.Header.Set("Authorization", auth)
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err, "the headers arrive")
	defer res.Body.Close()
	assert.Equal(t, 200, res.StatusCode)
	got := make([]byte, res.ContentLength)
	n, _ := io.ReadAtLeast(res.Body, got, 1)
	assert.Less(t, n, int(res.ContentLength))
	read := make(chan error, 1)
	go func() {
		_, err := io.ReadAll(res.Body)
		read <- err
	}()
	select {
	case err := <-read:
		t.Fatalf("the body ended: %v", err)
	case <-time.After(300 * time.Millisecond):
	}
	cancel() // the client gives up
	require.Error(t, <-read)
	waitReturned(t, returned)
}

func TestFaultReset(t *testing.T) {
	srv, ts := newTest(t)
	require.NoError(t, srv.Rupt.SetFault(Fault{Mode: FaultReset}))
	_, err := rawAttach(t, http.DefaultClient, ts.URL)
	require.Error(t, err, "no answer at all")
	var ue interface{ Timeout() bool }
	assert.False(t, errors.As(err, &ue) && ue.Timeout(), "not a timeout: %v", err)
	atts := srv.Rupt.Attaches()
	require.Len(t, atts, 1)
	assert.Equal(t, 0, atts[0].Status)
	assert.Equal(t, "acct-1", atts[0].Body["user"])
	assert.Equal(t, "injected fault: reset", lastRequest(t, srv.Rupt).Error)

	// Through the server's own abort when the connection cannot be taken over.
	r := NewRupt(testClient)
	require.NoError(t, r.SetFault(Fault{Mode: FaultReset}))
	rec := httptest.NewRecorder()
	assert.PanicsWithValue(t, http.ErrAbortHandler, func() {
		r.WithFaults().ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/v2/device/attach", strings.NewReader(attachBody)))
	})
}

func TestFaultNoCORS(t *testing.T) {
	srv, ts := newTest(t)
	require.NoError(t, srv.Rupt.SetFault(Fault{Mode: FaultNoCORS}))
	res, _ := do(t, http.MethodOptions, ts.URL+"/rupt/v2/device/attach", map[string]string{"Origin": "http://site.example", "Access-Control-Request-Method": "POST"}, "")
	assert.Equal(t, "*", res.Header.Get("Access-Control-Allow-Origin"), "the preflight passes")
	res, err := rawAttach(t, http.DefaultClient, ts.URL)
	require.NoError(t, err)
	b, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	assert.Equal(t, 200, res.StatusCode)
	for k := range res.Header {
		assert.False(t, strings.HasPrefix(k, "Access-Control-"), "%s", k)
	}
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	assert.Equal(t, true, m["success"], "the answer itself is correct")
	assert.Len(t, srv.Rupt.Devices("acct-1"), 1)
}

func TestFaultSSEDrop(t *testing.T) {
	srv, ts := newTest(t)
	a := mustAttach(t, ts, "acct-1", fp("a"), "")
	dev, access := a["device_id"].(string), a["access"].(string)
	require.NoError(t, srv.Rupt.SetFault(Fault{Mode: FaultSSEDrop, Count: 1, Delay: 200 * time.Millisecond}))
	mustAttach(t, ts, "acct-1", fp("a"), "") // attaches are not hit

	start := time.Now()
	first := openSSE(t, listenURL(ts.URL, dev, access, testClient), nil)
	first.next(": connected")
	deadline := time.After(5 * time.Second)
	for ended := false; !ended; {
		select {
		case line, ok := <-first.lines:
			ended = !ok
			assert.True(t, !ok || line == "", "nothing but the end of the stream: %q", line)
		case <-deadline:
			t.Fatal("the stream did not drop")
		}
	}
	assert.GreaterOrEqual(t, time.Since(start), 200*time.Millisecond)
	eventually(t, func() bool { return srv.Rupt.Listeners(dev) == 0 }, "the dropped stream's listener is gone")

	// The next connection works and stays open.
	second := openSSE(t, listenURL(ts.URL, dev, access, testClient), nil)
	second.next(": connected")
	time.Sleep(400 * time.Millisecond)
	require.Equal(t, 1, srv.Rupt.PushLogout(dev, "ch_1"))
	assert.Equal(t, `data: {"action":"logout","challenge":{"_id":"ch_1"}}`, second.next("data: "))

	var listens []int
	for _, rec := range srv.Rupt.Requests() {
		if rec.Kind == "listen" {
			listens = append(listens, rec.Status)
		}
	}
	assert.Equal(t, []int{200, 200}, listens)
}

func TestAdminFault(t *testing.T) {
	srv, ts := newTest(t)
	status, res := adminDo(t, ts.URL, http.MethodGet, "/admin/api/fault", "")
	assert.Equal(t, 200, status)
	assert.Equal(t, "null", res.Get("fault").Raw)
	assert.Len(t, res.Get("modes").Array(), len(FaultModes()))

	status, res = adminDo(t, ts.URL, http.MethodPost, "/admin/api/fault", `{"mode":"503","count":2,"delay_ms":2000}`)
	assert.Equal(t, 200, status)
	assert.JSONEq(t, `{"mode":"503","count":2,"kinds":["attach"],"delay_ms":2000}`, res.Get("fault").Raw)
	f, ok := srv.Rupt.CurrentFault()
	require.True(t, ok)
	assert.Equal(t, Fault{Mode: FaultHTTP503, Count: 2, Kinds: []string{KindAttach}, Delay: 2 * time.Second}, f)
	r, err := rawAttach(t, http.DefaultClient, ts.URL)
	require.NoError(t, err)
	assert.Equal(t, 503, r.StatusCode)
	assert.Equal(t, "2", r.Header.Get("Retry-After"))
	_, res = adminDo(t, ts.URL, http.MethodGet, "/admin/api/fault", "")
	assert.Equal(t, int64(1), res.Get("fault.count").Int(), "one left")

	status, res = adminDo(t, ts.URL, http.MethodPost, "/admin/api/fault", `{"mode":"teapot"}`)
	assert.Equal(t, 400, status)
	assert.Contains(t, res.Get("error").String(), "unknown fault mode")
	status, _ = adminDo(t, ts.URL, http.MethodPost, "/admin/api/fault", `not json`)
	assert.Equal(t, 400, status)
	_, ok = srv.Rupt.CurrentFault()
	assert.True(t, ok, "a refused change keeps the fault")

	status, res = adminDo(t, ts.URL, http.MethodDelete, "/admin/api/fault", "")
	assert.Equal(t, 200, status)
	assert.Equal(t, "null", res.Get("fault").Raw)

	adminDo(t, ts.URL, http.MethodPost, "/admin/api/fault", `{"mode":"html","status":200,"kinds":["attach","detach"]}`)
	_, res = adminDo(t, ts.URL, http.MethodGet, "/admin/api/fault", "")
	assert.JSONEq(t, `{"mode":"html","count":0,"kinds":["attach","detach"],"status":200}`, res.Get("fault").Raw)
	status, res = adminDo(t, ts.URL, http.MethodPost, "/admin/api/fault", `{"mode":""}`)
	assert.Equal(t, 200, status)
	assert.Equal(t, "null", res.Get("fault").Raw)

	status, _ = adminDo(t, ts.URL, http.MethodPut, "/admin/api/fault", `{}`)
	assert.Equal(t, 405, status)

	// The admin guard applies.
	rs, _ := do(t, http.MethodPost, ts.URL+"/admin/api/fault", map[string]string{"Origin": "http://evil.example"}, `{"mode":"500"}`)
	assert.Equal(t, 403, rs.StatusCode)
	_, ok = srv.Rupt.CurrentFault()
	assert.False(t, ok)
}
