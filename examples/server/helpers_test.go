package server

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

const testClient = "test-client"

// auth is the Authorization header the simulator accepts.
const auth = "Basic " + testClient + ":"

// newTest starts the whole example server in-process.
func newTest(t *testing.T) (*Server, *httptest.Server) {
	t.Helper()
	srv := New(Config{ClientID: testClient, SiteDir: "../site", DistDir: t.TempDir(), AnalyticsDir: t.TempDir()})
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return srv, ts
}

// do sends a request and returns the response and its body.
func do(t *testing.T, method, url string, headers map[string]string, body string) (*http.Response, []byte) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	require.NoError(t, err)
	for k, v := range headers {
		if k == "Host" {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return res, b
}

// attach posts an attach request and decodes the JSON answer.
func attach(t *testing.T, ts *httptest.Server, body map[string]any) (int, map[string]any) {
	t.Helper()
	b, err := json.Marshal(body)
	require.NoError(t, err)
	res, out := do(t, http.MethodPost, ts.URL+"/rupt/v2/device/attach", map[string]string{"Authorization": auth, "Content-Type": "application/json"}, string(b))
	var m map[string]any
	require.NoError(t, json.Unmarshal(out, &m), "body %s", out)
	return res.StatusCode, m
}

// mustAttach attaches and returns the answer, which must be a 200.
func mustAttach(t *testing.T, ts *httptest.Server, user, fp, last string) map[string]any {
	t.Helper()
	body := map[string]any{"user": user, "fingerprint": fp, "client": "javascript", "version": "2.24.1"}
	if last != "" {
		body["last_fingerprint"] = last
	}
	status, m := attach(t, ts, body)
	require.Equal(t, http.StatusOK, status, "answer %v", m)
	return m
}

// fp makes a long fingerprint-like string.
func fp(seed string) string { return strings.Repeat(seed, 2048/len(seed)+1)[:2048] }

// sse is an open Server-Sent Events stream.
type sse struct {
	t      *testing.T
	res    *http.Response
	cancel context.CancelFunc
	lines  chan string
}

// openSSE opens an event stream and fails unless it answers 200.
func openSSE(t *testing.T, url string, headers map[string]string) *sse {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	require.NoError(t, err)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	if res.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		cancel()
		t.Fatalf("GET %s: %d %s", url, res.StatusCode, b)
	}
	require.Equal(t, "text/event-stream", res.Header.Get("Content-Type"))
	s := &sse{t: t, res: res, cancel: cancel, lines: make(chan string, 1024)}
	go func() {
		defer close(s.lines)
		sc := bufio.NewScanner(res.Body)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			s.lines <- sc.Text()
		}
	}()
	t.Cleanup(s.close)
	return s
}

func (s *sse) close() {
	s.cancel()
	s.res.Body.Close()
}

// next returns the next line that has the prefix, within 5 seconds.
func (s *sse) next(prefix string) string {
	s.t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case line, ok := <-s.lines:
			if !ok {
				s.t.Fatalf("stream ended while waiting for %q", prefix)
			}
			if strings.HasPrefix(line, prefix) {
				return line
			}
		case <-deadline:
			s.t.Fatalf("waited 5s for a line starting %q", prefix)
		}
	}
}

// eventually polls cond for up to 5 seconds.
func eventually(t *testing.T, cond func() bool, msg string) {
	t.Helper()
	require.Eventually(t, cond, 5*time.Second, 10*time.Millisecond, msg)
}
