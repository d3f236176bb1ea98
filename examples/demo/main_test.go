package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"rupt-actions-wasm/examples/server"
)

const testClient = "demo-test-client"

// syncBuffer is a bytes.Buffer safe for one writer and concurrent readers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// postAttach sends an attach for user from page through the simulator's
// HTTP handler.
func postAttach(t *testing.T, ts *httptest.Server, user, page string) {
	t.Helper()
	body, err := json.Marshal(map[string]any{"user": user, "page": page, "fingerprint": "fp-" + user, "client": "javascript"})
	require.NoError(t, err)
	req, err := http.NewRequest(http.MethodPost, ts.URL+"/rupt/v2/device/attach", bytes.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Basic "+testClient+":")
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusOK, res.StatusCode)
}

func attachLine(user, page string) string {
	return fmt.Sprintf("attach user=%q page=%q status=200", user, page)
}

// TestLogAttachesAcrossReset is the demo crash: attaches, a Reset from the
// admin page, then another attach made logAttaches slice past the end of
// the (now shorter) attach log and panic.
func TestLogAttachesAcrossReset(t *testing.T) {
	srv := server.New(server.Config{ClientID: testClient, SiteDir: t.TempDir(), DistDir: t.TempDir(), AnalyticsDir: t.TempDir()})
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)

	var out syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	done := make(chan any, 1) // what logAttaches panicked with, or nil
	go func() {
		defer func() { done <- recover() }()
		logAttaches(ctx, &out, srv.Rupt)
	}()
	// logged waits until the output holds every line, failing at once if
	// the logger returned or panicked.
	logged := func(lines ...string) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for {
			s := out.String()
			missing := ""
			for _, l := range lines {
				if !strings.Contains(s, l) {
					missing = l
					break
				}
			}
			if missing == "" {
				return
			}
			select {
			case p := <-done:
				t.Fatalf("logAttaches ended (panic: %v) before logging %s; logged:\n%s", p, missing, s)
			case <-time.After(10 * time.Millisecond):
			}
			if time.Now().After(deadline) {
				t.Fatalf("waited 5s for %s; logged:\n%s", missing, s)
			}
		}
	}

	before := []string{attachLine("acct-1", "/a"), attachLine("acct-2", "/b"), attachLine("acct-1", "/c")}
	postAttach(t, ts, "acct-1", "/a")
	postAttach(t, ts, "acct-2", "/b")
	postAttach(t, ts, "acct-1", "/c")
	logged(before...)

	srv.Rupt.Reset()
	require.Empty(t, srv.Rupt.Attaches())
	after := []string{attachLine("acct-3", "/after-reset"), attachLine("acct-4", "/again")}
	postAttach(t, ts, "acct-3", "/after-reset")
	postAttach(t, ts, "acct-4", "/again")
	logged(after...)

	// Another Reset wakes the logger with nothing new to print; the next
	// attach is still logged.
	srv.Rupt.Reset()
	postAttach(t, ts, "acct-5", "/last")
	logged(attachLine("acct-5", "/last"))
	cancel()
	select {
	case p := <-done:
		require.Nil(t, p, "logAttaches panicked")
	case <-time.After(5 * time.Second):
		t.Fatal("logAttaches did not return after its context ended")
	}

	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	assert.Len(t, lines, 6, "each attach once, none repeated:\n%s", out.String())
	for _, l := range lines {
		assert.Regexp(t, `^\d\d:\d\d:\d\d attach `, l)
	}
}
