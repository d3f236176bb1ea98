package e2e

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Firefox ESR, driven over WebDriver BiDi (Firefox speaks it itself: no
// separate driver). A small client: a WebSocket (RFC 6455, text frames)
// and BiDi's command/response/event messages.

// findFirefox finds Debian's firefox-esr (or $FIREFOX).
func findFirefox() (string, error) {
	for _, c := range []string{os.Getenv("FIREFOX"), "firefox-esr", "firefox"} {
		if c == "" {
			continue
		}
		if p, err := exec.LookPath(c); err == nil {
			return p, nil
		}
	}
	return "", errors.New("Firefox ESR is required for the browser tests and was not found; install it with: sudo apt-get update && sudo apt-get install -y firefox-esr (or set FIREFOX=/path/to/firefox)")
}

// startFirefox starts a headless Firefox with a fresh profile and opens a
// BiDi session on it.
func startFirefox() (engine, func(), error) {
	bin, err := findFirefox()
	if err != nil {
		return nil, nil, err
	}
	dir, err := os.MkdirTemp("", "rupt-e2e-firefox-")
	if err != nil {
		return nil, nil, err
	}
	cmd := exec.Command(bin, "--headless", "--no-remote", "--profile", dir, "--remote-debugging-port", "0")
	cmd.Env = append(os.Environ(), "MOZ_HEADLESS=1")
	// Should the test binary die (a timeout's panic), Firefox goes too.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, nil, err
	}
	if err := cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, nil, fmt.Errorf("cannot start %s: %v", bin, err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	stop := func() {
		cmd.Process.Kill()
		<-exited
		os.RemoveAll(dir)
	}
	// Firefox prints "WebDriver BiDi listening on ws://127.0.0.1:<port>".
	listening := regexp.MustCompile(`WebDriver BiDi listening on (ws://[^\s]+)`)
	found := make(chan string, 1)
	var logMu sync.Mutex
	var log strings.Builder
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			logMu.Lock()
			if log.Len() < 8000 {
				log.WriteString(line + "\n")
			}
			logMu.Unlock()
			if m := listening.FindStringSubmatch(line); m != nil {
				select {
				case found <- m[1]:
				default:
				}
			}
		}
	}()
	var wsURL string
	select {
	case wsURL = <-found:
	case <-exited:
		logMu.Lock()
		defer logMu.Unlock()
		stop()
		return nil, nil, fmt.Errorf("%s exited at start:\n%s", bin, log.String())
	case <-time.After(60 * time.Second):
		stop()
		logMu.Lock()
		defer logMu.Unlock()
		return nil, nil, fmt.Errorf("%s did not open WebDriver BiDi within 60s:\n%s", bin, log.String())
	}
	c, err := dialBiDi(wsURL + "/session")
	if err != nil {
		stop()
		return nil, nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var res struct {
		Capabilities struct {
			BrowserName    string `json:"browserName"`
			BrowserVersion string `json:"browserVersion"`
		} `json:"capabilities"`
	}
	if err := c.call(ctx, "session.new", map[string]any{"capabilities": map[string]any{}}, &res); err != nil {
		c.close()
		stop()
		return nil, nil, fmt.Errorf("firefox: session.new: %v", err)
	}
	if err := c.call(ctx, "session.subscribe", map[string]any{"events": []string{"log.entryAdded"}}, nil); err != nil {
		c.close()
		stop()
		return nil, nil, fmt.Errorf("firefox: session.subscribe: %v", err)
	}
	e := &firefoxEngine{c: c, ver: res.Capabilities.BrowserName + " " + res.Capabilities.BrowserVersion}
	return e, func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		c.call(ctx, "session.end", map[string]any{}, nil)
		c.close()
		stop()
	}, nil
}

type firefoxEngine struct {
	c   *bidiConn
	ver string
}

func (e *firefoxEngine) version() string { return e.ver }

// newPage opens a tab in a new user context (its own cookies and storage).
func (e *firefoxEngine) newPage(ctx context.Context) (enginePage, error) {
	var uc struct {
		UserContext string `json:"userContext"`
	}
	if err := e.c.call(ctx, "browser.createUserContext", map[string]any{}, &uc); err != nil {
		return nil, err
	}
	var bc struct {
		Context string `json:"context"`
	}
	if err := e.c.call(ctx, "browsingContext.create", map[string]any{"type": "tab", "userContext": uc.UserContext}, &bc); err != nil {
		e.c.call(ctx, "browser.removeUserContext", map[string]any{"userContext": uc.UserContext}, nil)
		return nil, err
	}
	return &firefoxPage{c: e.c, userContext: uc.UserContext, context: bc.Context}, nil
}

type firefoxPage struct {
	c                    *bidiConn
	userContext, context string
}

func (p *firefoxPage) navigate(ctx context.Context, u string) error {
	if pu, err := url.Parse(u); err != nil || (pu.Scheme != "http" && pu.Scheme != "https") {
		return fmt.Errorf("not an http(s) URL: %q", u)
	}
	return p.c.call(ctx, "browsingContext.navigate", map[string]any{"context": p.context, "url": u, "wait": "complete"}, nil)
}

func (p *firefoxPage) eval(ctx context.Context, js string) (string, error) {
	var res struct {
		Type   string `json:"type"`
		Result struct {
			Type  string `json:"type"`
			Value any    `json:"value"`
		} `json:"result"`
		ExceptionDetails struct {
			Text string `json:"text"`
		} `json:"exceptionDetails"`
	}
	err := p.c.call(ctx, "script.evaluate", map[string]any{
		"expression":      awaitJSON(js),
		"target":          map[string]any{"context": p.context},
		"awaitPromise":    true,
		"resultOwnership": "none",
	}, &res)
	if err != nil {
		return "", err
	}
	if res.Type == "exception" {
		return "", fmt.Errorf("exception: %s", res.ExceptionDetails.Text)
	}
	s, ok := res.Result.Value.(string)
	if res.Result.Type != "string" || !ok {
		return "", fmt.Errorf("unexpected result %s", res.Result.Type)
	}
	return s, nil
}

// nativeErrors are the error-level log entries of the page's tab.
func (p *firefoxPage) nativeErrors() []string {
	p.c.mu.Lock()
	defer p.c.mu.Unlock()
	return append([]string(nil), p.c.logErrors[p.context]...)
}

func (p *firefoxPage) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	p.c.call(ctx, "browser.removeUserContext", map[string]any{"userContext": p.userContext}, nil)
}

// bidiConn is a WebDriver BiDi connection: commands with ids, answered
// by id; events are dropped (the tests read the page through the probe).
type bidiConn struct {
	ws *wsConn

	mu      sync.Mutex
	next    int
	pending map[int]chan bidiMessage
	err     error
	// logErrors are the error-level log entries (log.entryAdded: console
	// and JavaScript errors, the browser's own included) per browsing
	// context.
	logErrors map[string][]string
}

type bidiMessage struct {
	Type    string          `json:"type"`
	ID      *int            `json:"id"`
	Method  string          `json:"method"`
	Params  json.RawMessage `json:"params"`
	Result  json.RawMessage `json:"result"`
	Error   string          `json:"error"`
	Message string          `json:"message"`
}

func dialBiDi(u string) (*bidiConn, error) {
	ws, err := dialWS(u)
	if err != nil {
		return nil, fmt.Errorf("firefox: cannot connect to %s: %v", u, err)
	}
	c := &bidiConn{ws: ws, pending: map[int]chan bidiMessage{}, logErrors: map[string][]string{}}
	go c.readLoop()
	return c, nil
}

func (c *bidiConn) readLoop() {
	for {
		data, err := c.ws.read()
		if err != nil {
			c.mu.Lock()
			c.err = err
			for id, ch := range c.pending {
				close(ch)
				delete(c.pending, id)
			}
			c.mu.Unlock()
			return
		}
		var m bidiMessage
		if json.Unmarshal(data, &m) != nil {
			continue
		}
		if m.ID == nil {
			if m.Method == "log.entryAdded" {
				c.logEntry(m.Params)
			}
			continue
		}
		c.mu.Lock()
		ch := c.pending[*m.ID]
		delete(c.pending, *m.ID)
		c.mu.Unlock()
		if ch != nil {
			ch <- m
		}
	}
}

// call sends a command and decodes its result into out (if not nil).
func (c *bidiConn) call(ctx context.Context, method string, params any, out any) error {
	c.mu.Lock()
	if c.err != nil {
		err := c.err
		c.mu.Unlock()
		return fmt.Errorf("%s: connection closed: %v", method, err)
	}
	c.next++
	id := c.next
	ch := make(chan bidiMessage, 1)
	c.pending[id] = ch
	c.mu.Unlock()
	msg, err := json.Marshal(map[string]any{"id": id, "method": method, "params": params})
	if err != nil {
		return err
	}
	if err := c.ws.writeText(msg); err != nil {
		return fmt.Errorf("%s: %v", method, err)
	}
	select {
	case m, ok := <-ch:
		if !ok {
			return fmt.Errorf("%s: connection closed", method)
		}
		if m.Type == "error" {
			return fmt.Errorf("%s: %s: %s", method, m.Error, m.Message)
		}
		if out != nil {
			return json.Unmarshal(m.Result, out)
		}
		return nil
	case <-ctx.Done():
		c.mu.Lock()
		delete(c.pending, id)
		c.mu.Unlock()
		return fmt.Errorf("%s: %v", method, ctx.Err())
	}
}

func (c *bidiConn) logEntry(params json.RawMessage) {
	var e struct {
		Level  string `json:"level"`
		Type   string `json:"type"`
		Text   string `json:"text"`
		Source struct {
			Context string `json:"context"`
		} `json:"source"`
	}
	if json.Unmarshal(params, &e) != nil || e.Level != "error" {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.logErrors[e.Source.Context] = append(c.logErrors[e.Source.Context], e.Type+": "+e.Text)
}

func (c *bidiConn) close() { c.ws.close() }

// wsConn is the client side of a WebSocket: text messages only, as BiDi
// needs (RFC 6455: client frames masked, server frames not).
type wsConn struct {
	conn net.Conn
	r    *bufio.Reader
	wmu  sync.Mutex
}

func dialWS(u string) (*wsConn, error) {
	pu, err := url.Parse(u)
	if err != nil || pu.Scheme != "ws" {
		return nil, fmt.Errorf("not a ws:// URL: %q", u)
	}
	conn, err := net.DialTimeout("tcp", pu.Host, 10*time.Second)
	if err != nil {
		return nil, err
	}
	key := make([]byte, 16)
	rand.Read(key)
	req := "GET " + pu.RequestURI() + " HTTP/1.1\r\nHost: " + pu.Host +
		"\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: " +
		base64.StdEncoding.EncodeToString(key) + "\r\n\r\n"
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(conn, req); err != nil {
		conn.Close()
		return nil, err
	}
	r := bufio.NewReader(conn)
	res, err := http.ReadResponse(r, nil)
	if err != nil {
		conn.Close()
		return nil, err
	}
	if res.StatusCode != http.StatusSwitchingProtocols {
		conn.Close()
		return nil, fmt.Errorf("WebSocket handshake: HTTP %d", res.StatusCode)
	}
	conn.SetDeadline(time.Time{})
	return &wsConn{conn: conn, r: r}, nil
}

func (w *wsConn) writeFrame(opcode byte, payload []byte) error {
	w.wmu.Lock()
	defer w.wmu.Unlock()
	hdr := []byte{0x80 | opcode}
	switch n := len(payload); {
	case n < 126:
		hdr = append(hdr, 0x80|byte(n))
	case n <= 0xffff:
		hdr = append(hdr, 0x80|126, byte(n>>8), byte(n))
	default:
		hdr = append(hdr, 0x80|127)
		hdr = binary.BigEndian.AppendUint64(hdr, uint64(n))
	}
	mask := make([]byte, 4)
	rand.Read(mask)
	hdr = append(hdr, mask...)
	masked := make([]byte, len(payload))
	for i, b := range payload {
		masked[i] = b ^ mask[i%4]
	}
	_, err := w.conn.Write(append(hdr, masked...))
	return err
}

func (w *wsConn) writeText(p []byte) error { return w.writeFrame(0x1, p) }

// read returns the next whole text message, answering pings.
func (w *wsConn) read() ([]byte, error) {
	var msg []byte
	for {
		var h [2]byte
		if _, err := io.ReadFull(w.r, h[:]); err != nil {
			return nil, err
		}
		fin, opcode := h[0]&0x80 != 0, h[0]&0x0f
		n := uint64(h[1] & 0x7f)
		switch n {
		case 126:
			var b [2]byte
			if _, err := io.ReadFull(w.r, b[:]); err != nil {
				return nil, err
			}
			n = uint64(binary.BigEndian.Uint16(b[:]))
		case 127:
			var b [8]byte
			if _, err := io.ReadFull(w.r, b[:]); err != nil {
				return nil, err
			}
			n = binary.BigEndian.Uint64(b[:])
		}
		if n > 64<<20 {
			return nil, fmt.Errorf("WebSocket frame of %d bytes", n)
		}
		var mask []byte
		if h[1]&0x80 != 0 {
			mask = make([]byte, 4)
			if _, err := io.ReadFull(w.r, mask); err != nil {
				return nil, err
			}
		}
		payload := make([]byte, n)
		if _, err := io.ReadFull(w.r, payload); err != nil {
			return nil, err
		}
		if mask != nil {
			for i := range payload {
				payload[i] ^= mask[i%4]
			}
		}
		switch opcode {
		case 0x8:
			return nil, io.EOF
		case 0x9:
			if err := w.writeFrame(0xA, payload); err != nil {
				return nil, err
			}
			continue
		case 0xA:
			continue
		}
		msg = append(msg, payload...)
		if fin {
			return msg, nil
		}
	}
}

func (w *wsConn) close() {
	w.writeFrame(0x8, nil)
	w.conn.Close()
}
