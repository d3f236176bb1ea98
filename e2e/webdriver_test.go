package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// WebKit: WebKitGTK's MiniBrowser under Xvfb, driven by WebKitWebDriver
// over classic WebDriver (HTTP and JSON). One session (one MiniBrowser) is
// shared by all WebKit tests, one page at a time; a page's cookies and
// storage are cleared when it closes.

const webkitInstall = "sudo apt-get update && sudo apt-get install -y webkit2gtk-driver xvfb"

// findMiniBrowser finds WebKitGTK's MiniBrowser (or $MINIBROWSER).
func findMiniBrowser() (string, error) {
	if p := os.Getenv("MINIBROWSER"); p != "" {
		return p, nil
	}
	for _, lib := range []string{"/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib"} {
		for _, v := range []string{"webkit2gtk-4.1", "webkit2gtk-4.0", "webkitgtk-6.0"} {
			p := filepath.Join(lib, v, "MiniBrowser")
			if st, err := os.Stat(p); err == nil && !st.IsDir() {
				return p, nil
			}
		}
	}
	return "", errors.New("WebKitGTK's MiniBrowser was not found (or set MINIBROWSER=/path/to/MiniBrowser); install it with: " + webkitInstall)
}

// freePort returns a TCP port that was free a moment ago on 127.0.0.1.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// startProcess starts cmd, returning a stop function that kills it and
// waits for it.
func startProcess(cmd *exec.Cmd) (func(), <-chan struct{}, error) {
	// Should the test binary die (a timeout's panic), the process goes too.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return nil, nil, err
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	return func() {
		cmd.Process.Kill()
		<-exited
	}, exited, nil
}

// startWebKit starts Xvfb on a free display, WebKitWebDriver on a free
// port, and a MiniBrowser session.
func startWebKit() (engine, func(), error) {
	mini, err := findMiniBrowser()
	if err != nil {
		return nil, nil, err
	}
	driver, err := exec.LookPath("WebKitWebDriver")
	if err != nil {
		return nil, nil, errors.New("WebKitWebDriver is required for the browser tests and was not found; install it with: " + webkitInstall)
	}
	xvfb, err := exec.LookPath("Xvfb")
	if err != nil {
		return nil, nil, errors.New("Xvfb is required for the WebKit browser tests and was not found; install it with: " + webkitInstall)
	}
	var stops []func()
	stopAll := func() {
		for i := len(stops) - 1; i >= 0; i-- {
			stops[i]()
		}
	}
	// Xvfb picks a free display and writes its number to -displayfd.
	dr, dw, err := os.Pipe()
	if err != nil {
		return nil, nil, err
	}
	xcmd := exec.Command(xvfb, "-displayfd", "3", "-screen", "0", "1280x1024x24", "-nolisten", "tcp")
	xcmd.ExtraFiles = []*os.File{dw}
	var xlog bytes.Buffer
	xcmd.Stderr = &xlog
	stopX, xExited, err := startProcess(xcmd)
	dw.Close()
	if err != nil {
		dr.Close()
		return nil, nil, fmt.Errorf("cannot start %s: %v", xvfb, err)
	}
	stops = append(stops, stopX)
	displayc := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(dr).ReadString('\n')
		dr.Close()
		displayc <- strings.TrimSpace(line)
	}()
	var display string
	select {
	case display = <-displayc:
	case <-xExited:
	case <-time.After(30 * time.Second):
	}
	if _, err := strconv.Atoi(display); err != nil {
		stopAll()
		return nil, nil, fmt.Errorf("Xvfb did not start a display: %s", xlog.String())
	}
	port, err := freePort()
	if err != nil {
		stopAll()
		return nil, nil, err
	}
	dcmd := exec.Command(driver, "--port="+strconv.Itoa(port), "--host=127.0.0.1")
	dcmd.Env = append(os.Environ(), "DISPLAY=:"+display)
	var dlog bytes.Buffer
	dcmd.Stderr, dcmd.Stdout = &dlog, &dlog
	stopD, dExited, err := startProcess(dcmd)
	if err != nil {
		stopAll()
		return nil, nil, fmt.Errorf("cannot start %s: %v", driver, err)
	}
	stops = append(stops, stopD)
	wd := &webDriver{base: "http://127.0.0.1:" + strconv.Itoa(port)}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for {
		if err := wd.do(ctx, http.MethodGet, "/status", nil, nil); err == nil {
			break
		}
		select {
		case <-dExited:
			stopAll()
			return nil, nil, fmt.Errorf("WebKitWebDriver exited at start: %s", dlog.String())
		case <-ctx.Done():
			stopAll()
			return nil, nil, fmt.Errorf("WebKitWebDriver did not answer within 60s: %s", dlog.String())
		case <-time.After(100 * time.Millisecond):
		}
	}
	var sess struct {
		SessionID    string `json:"sessionId"`
		Capabilities struct {
			BrowserName    string `json:"browserName"`
			BrowserVersion string `json:"browserVersion"`
		} `json:"capabilities"`
	}
	caps := map[string]any{"capabilities": map[string]any{"alwaysMatch": map[string]any{
		"browserName": "MiniBrowser",
		"webkitgtk:browserOptions": map[string]any{
			"binary": mini,
			"args":   []string{"--automation"},
		},
	}}}
	if err := wd.do(ctx, http.MethodPost, "/session", caps, &sess); err != nil {
		stopAll()
		return nil, nil, fmt.Errorf("WebKitWebDriver: cannot start MiniBrowser (%s): %v\n%s", mini, err, dlog.String())
	}
	wd.session = "/session/" + sess.SessionID
	stops = append(stops, func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		wd.do(ctx, http.MethodDelete, wd.session, nil, nil)
	})
	if err := wd.do(ctx, http.MethodPost, wd.session+"/timeouts", map[string]any{"script": 90000, "pageLoad": 60000}, nil); err != nil {
		stopAll()
		return nil, nil, fmt.Errorf("WebKitWebDriver: timeouts: %v", err)
	}
	return &webkitEngine{wd: wd, ver: sess.Capabilities.BrowserName + " " + sess.Capabilities.BrowserVersion}, stopAll, nil
}

type webkitEngine struct {
	wd  *webDriver
	ver string
	mu  sync.Mutex // one page at a time
}

func (e *webkitEngine) version() string { return e.ver }

func (e *webkitEngine) newPage(ctx context.Context) (enginePage, error) {
	e.mu.Lock()
	return &webkitPage{e: e}, nil
}

type webkitPage struct {
	e      *webkitEngine
	opened bool
	once   sync.Once
}

func (p *webkitPage) navigate(ctx context.Context, u string) error {
	if pu, err := url.Parse(u); err != nil || (pu.Scheme != "http" && pu.Scheme != "https") {
		return fmt.Errorf("not an http(s) URL: %q", u)
	}
	p.opened = true
	return p.e.wd.do(ctx, http.MethodPost, p.e.wd.session+"/url", map[string]any{"url": u}, nil)
}

// The script runs as a function body; its last argument is the callback.
func (p *webkitPage) eval(ctx context.Context, js string) (string, error) {
	script := `const done = arguments[arguments.length - 1];
	` + awaitJSON(js) + `.then((v) => done({ok: v}), (e) => done({err: String((e && (e.stack || e.message)) || e)}));`
	var res struct {
		OK  *string `json:"ok"`
		Err string  `json:"err"`
	}
	if err := p.e.wd.do(ctx, http.MethodPost, p.e.wd.session+"/execute/async", map[string]any{"script": script, "args": []any{}}, &res); err != nil {
		return "", err
	}
	if res.OK == nil {
		return "", fmt.Errorf("exception: %s", res.Err)
	}
	return *res.OK, nil
}

// close clears what the page left (cookies are per host, shared by every
// test server's port; storage is per origin) and frees the browser.
func (p *webkitPage) close() {
	p.once.Do(func() {
		defer p.e.mu.Unlock()
		if !p.opened {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		p.eval(ctx, `(() => { try { localStorage.clear(); sessionStorage.clear() } catch (_) {} return true })()`)
		p.e.wd.do(ctx, http.MethodDelete, p.e.wd.session+"/cookie", nil, nil)
	})
}

// webDriver is a classic WebDriver client.
type webDriver struct {
	base    string
	session string // "/session/<id>"
}

// do sends a command and decodes its "value" into out (if not nil).
func (wd *webDriver) do(ctx context.Context, method, path string, body any, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, wd.base+path, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		return err
	}
	var env struct {
		Value json.RawMessage `json:"value"`
	}
	if err := json.Unmarshal(data, &env); err != nil {
		return fmt.Errorf("%s %s: HTTP %d: %s", method, path, res.StatusCode, data)
	}
	if res.StatusCode != http.StatusOK {
		var e struct {
			Error   string `json:"error"`
			Message string `json:"message"`
		}
		json.Unmarshal(env.Value, &e)
		return fmt.Errorf("%s %s: %s: %s", method, path, e.Error, e.Message)
	}
	if out != nil {
		return json.Unmarshal(env.Value, out)
	}
	return nil
}
