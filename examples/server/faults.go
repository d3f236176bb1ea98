package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"weak"
)

// Fault modes: how the simulator misbehaves for the requests a Fault hits.
const (
	// FaultHTTP500 answers 500 with a JSON error.
	FaultHTTP500 = "500"
	// FaultHTTP503 answers 503 with "Retry-After: 1" (Fault.Delay, rounded
	// up to whole seconds, when set), exposed to cross-origin pages
	// (Access-Control-Expose-Headers), and a JSON error.
	FaultHTTP503 = "503"
	// FaultHTTP401 answers 401 (an unknown client id) with a JSON error.
	FaultHTTP401 = "401"
	// FaultHTTP403 answers 403 (a client id not allowed) with a JSON error.
	FaultHTTP403 = "403"
	// FaultHTTP404 answers 404 with a JSON error.
	FaultHTTP404 = "404"
	// FaultTimeout never answers: the request is held until the client
	// gives up (or Fault.Delay passes, default 2 minutes, and it is
	// answered 504), so a test server can always shut down.
	FaultTimeout = "timeout"
	// FaultSlow answers correctly after Fault.Delay (default 3 s).
	FaultSlow = "slow"
	// FaultMalformedJSON answers 200 with the body {"success":tr.
	FaultMalformedJSON = "malformed-json"
	// FaultHTML answers an HTML error page with Fault.Status (default 502;
	// 200 stands for a captive portal or a proxy's maintenance page).
	FaultHTML = "html"
	// FaultWrongTypes answers the correct answer with its fields turned to
	// the wrong JSON types: "suspended":"yes", "attached_devices":"4",
	// "default_device_limit":"3", "device_id":42, "access":7,
	// "success":"true" (attach and detach only).
	FaultWrongTypes = "wrong-types"
	// FaultTruncated sends the correct answer's headers with a
	// Content-Length larger than the body it then sends (half of it), and
	// closes the connection (attach and detach only).
	FaultTruncated = "truncated"
	// FaultStallBody sends the correct answer's headers and half of its
	// body, then holds the connection like FaultTimeout: the answer's body
	// never ends (attach and detach only).
	FaultStallBody = "stall-body"
	// FaultReset closes the connection (TCP reset where it can) without
	// any answer.
	FaultReset = "reset"
	// FaultNoCORS answers correctly but without the Access-Control-Allow-*
	// headers, so a browser refuses the answer to the page. Preflights
	// still succeed: the request itself reaches the simulator.
	FaultNoCORS = "no-cors"
	// FaultSSEDrop ends a live-channel stream (cleanly, as a proxy with an
	// idle timeout would) Fault.Delay (default 2 s) after it opened;
	// EventSource reconnects by itself (listen only).
	FaultSSEDrop = "sse-drop"
)

// FaultModes lists every fault mode, in the order of the constants.
func FaultModes() []string {
	return []string{FaultHTTP500, FaultHTTP503, FaultHTTP401, FaultHTTP403, FaultHTTP404, FaultTimeout, FaultSlow,
		FaultMalformedJSON, FaultHTML, FaultWrongTypes, FaultTruncated, FaultStallBody, FaultReset, FaultNoCORS, FaultSSEDrop}
}

// Request kinds a Fault can hit (as in RequestRecord.Kind).
const (
	KindAttach = "attach"
	KindDetach = "detach"
	KindListen = "listen"
)

// Fault is a switchable misbehaviour of the simulator's API, for testing how
// the bundle copes with Rupt failing. Set it with Rupt.SetFault; it applies
// to requests served through Rupt.WithFaults (the example server mounts the
// simulator that way). Preflights (OPTIONS) are never hit.
type Fault struct {
	// Mode is one of the Fault* constants.
	Mode string
	// Count is how many requests the fault hits before it clears itself
	// ("fail twice, then succeed" is Count 2); 0 keeps it until ClearFault.
	Count int
	// Kinds are the kinds of request the fault hits: KindAttach,
	// KindDetach, KindListen. Empty means attach requests only (listen for
	// FaultSSEDrop).
	Kinds []string
	// Status is the HTTP status of a FaultHTML answer: 200 or 4xx/5xx
	// (default 502). Other modes ignore it.
	Status int
	// Delay is FaultSlow's wait before answering (default 3 s),
	// FaultSSEDrop's stream lifetime (default 2 s), the longest FaultTimeout
	// and FaultStallBody hold a request (default 2 minutes) and
	// FaultHTTP503's Retry-After (default 1 s). Other modes ignore it.
	Delay time.Duration
}

// Defaults of Fault.Delay.
const (
	DefaultSlowDelay = 3 * time.Second
	DefaultSSEDrop   = 2 * time.Second
	DefaultHold      = 2 * time.Minute
)

// faultKinds says which request kinds each mode may hit; the first is the
// default.
var faultKinds = map[string][]string{
	FaultWrongTypes: {KindAttach, KindDetach},
	FaultTruncated:  {KindAttach, KindDetach},
	FaultStallBody:  {KindAttach, KindDetach},
	FaultSSEDrop:    {KindListen},
}

var allKinds = []string{KindAttach, KindDetach, KindListen}

// normalize checks f and fills in its defaults.
func (f Fault) normalize() (Fault, error) {
	if !slices.Contains(FaultModes(), f.Mode) {
		return f, fmt.Errorf("unknown fault mode %q (one of %s)", f.Mode, strings.Join(FaultModes(), ", "))
	}
	if f.Count < 0 {
		return f, errors.New("fault count must be ≥ 0 (0: until cleared)")
	}
	if f.Delay < 0 {
		return f, errors.New("fault delay must be ≥ 0")
	}
	allowed := faultKinds[f.Mode]
	if allowed == nil {
		allowed = allKinds
	}
	if len(f.Kinds) == 0 {
		f.Kinds = allowed[:1]
	}
	f.Kinds = slices.Clone(f.Kinds)
	for _, k := range f.Kinds {
		if !slices.Contains(allowed, k) {
			return f, fmt.Errorf("fault %q cannot hit %q requests (only %s)", f.Mode, k, strings.Join(allowed, ", "))
		}
	}
	if f.Mode == FaultHTML {
		if f.Status == 0 {
			f.Status = http.StatusBadGateway
		}
		if f.Status != http.StatusOK && (f.Status < 400 || f.Status > 599) {
			return f, errors.New("an html fault's status must be 200 or 400–599")
		}
	}
	if f.Delay == 0 {
		switch f.Mode {
		case FaultSlow:
			f.Delay = DefaultSlowDelay
		case FaultSSEDrop:
			f.Delay = DefaultSSEDrop
		case FaultTimeout, FaultStallBody:
			f.Delay = DefaultHold
		case FaultHTTP503:
			f.Delay = time.Second
		}
	}
	return f, nil
}

// faultState is the fault of one simulator.
type faultState struct {
	mu    sync.Mutex
	fault Fault // Mode "" when there is none
	left  int   // requests still to hit when fault.Count > 0
}

// faultStates holds each simulator's fault (the Rupt type has no field for
// it); an entry goes when its simulator is garbage.
var faultStates sync.Map // weak.Pointer[Rupt] → *faultState

func (r *Rupt) faults() *faultState {
	key := weak.Make(r)
	if v, ok := faultStates.Load(key); ok {
		return v.(*faultState)
	}
	v, loaded := faultStates.LoadOrStore(key, &faultState{})
	if !loaded {
		runtime.AddCleanup(r, func(k weak.Pointer[Rupt]) { faultStates.Delete(k) }, key)
	}
	return v.(*faultState)
}

// SetFault makes the simulator misbehave as f says, replacing any fault set
// before. It fails, changing nothing, for an unknown mode or kind. Reset
// leaves the fault in place; ClearFault ends it.
func (r *Rupt) SetFault(f Fault) error {
	f, err := f.normalize()
	if err != nil {
		return err
	}
	s := r.faults()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fault, s.left = f, f.Count
	return nil
}

// ClearFault ends the fault: the next requests are answered normally.
// Requests already being held (timeout, slow, stall-body, sse-drop) carry
// on as they started.
func (r *Rupt) ClearFault() {
	s := r.faults()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fault, s.left = Fault{}, 0
}

// CurrentFault returns the fault in force, with its defaults filled in and
// Count set to the requests it still hits (0: until cleared), and whether
// there is one.
func (r *Rupt) CurrentFault() (Fault, bool) {
	s := r.faults()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fault.Mode == "" {
		return Fault{}, false
	}
	f := s.fault
	f.Kinds = slices.Clone(f.Kinds)
	f.Count = s.left
	return f, true
}

// take reports the fault that hits a request of this kind, counting it.
func (s *faultState) take(kind string) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.fault
	if f.Mode == "" || !slices.Contains(f.Kinds, kind) {
		return Fault{}, false
	}
	if f.Count > 0 {
		s.left--
		if s.left <= 0 {
			s.fault, s.left = Fault{}, 0
		}
	}
	return f, true
}

// WithFaults returns the simulator as an http.Handler (mounted like Rupt
// itself, without the /rupt prefix) that applies the fault set with
// SetFault. Requests the fault does not hit are served by Rupt.ServeHTTP.
//
// Every request is still recorded (Requests, and Attaches for attaches).
// A request the fault answers by itself is recorded with the status it was
// answered with, 0 when it got no answer (timeout, reset), and Error
// "injected fault: <mode>"; one it lets through (slow, no-cors,
// wrong-types, truncated, stall-body, sse-drop) is recorded as usual, with
// the status of the correct answer.
func (r *Rupt) WithFaults() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		kind := requestKind(req)
		f, ok := r.faults().take(kind)
		if !ok {
			r.ServeHTTP(w, req)
			return
		}
		r.serveFault(w, req, kind, f)
	})
}

// requestKind classifies a request as Rupt.ServeHTTP does.
func requestKind(req *http.Request) string {
	parts := strings.Split(strings.TrimPrefix(req.URL.Path, "/"), "/")
	switch {
	case req.Method == http.MethodOptions:
		return "preflight"
	case req.Method == http.MethodPost && req.URL.Path == "/v2/device/attach":
		return KindAttach
	case req.Method == http.MethodPost && len(parts) == 4 && parts[0] == "v2" && parts[1] == "device" && parts[2] != "" && parts[3] == "detach":
		return KindDetach
	case req.Method == http.MethodGet && len(parts) == 5 && parts[0] == "v2" && parts[1] == "access" && parts[2] == "device" && parts[3] != "" && parts[4] == "listen":
		return KindListen
	}
	return "other"
}

// faultMessages are the JSON errors of the status modes.
var faultMessages = map[int]string{
	500: "internal server error",
	503: "service unavailable",
	401: "unknown client id",
	403: "this client may not use the API",
	404: "not found",
}

func (r *Rupt) serveFault(w http.ResponseWriter, req *http.Request, kind string, f Fault) {
	switch f.Mode {
	case FaultHTTP500, FaultHTTP503, FaultHTTP401, FaultHTTP403, FaultHTTP404:
		status, _ := strconv.Atoi(f.Mode)
		r.recordFault(req, kind, f.Mode, status)
		cors(w)
		if status == http.StatusServiceUnavailable {
			w.Header().Set("Retry-After", strconv.Itoa(int((f.Delay+time.Second-1)/time.Second)))
			// A cross-origin page sees only the headers exposed to it.
			w.Header().Set("Access-Control-Expose-Headers", "Retry-After")
		}
		jsonError(w, status, faultMessages[status]+" (injected fault)")

	case FaultTimeout:
		r.recordFault(req, kind, f.Mode, 0)
		if hold(req.Context(), f.Delay) {
			cors(w)
			jsonError(w, http.StatusGatewayTimeout, "held for "+f.Delay.String()+" (injected fault)")
		}

	case FaultSlow:
		// Read the body first: only then does the server notice a client
		// that gives up.
		body, _ := io.ReadAll(io.LimitReader(req.Body, maxBody))
		req.Body = io.NopCloser(bytes.NewReader(body))
		if !hold(req.Context(), f.Delay) {
			r.recordFault(req, kind, f.Mode, 0) // the client gave up first
			return
		}
		r.ServeHTTP(w, req)

	case FaultMalformedJSON:
		r.recordFault(req, kind, f.Mode, http.StatusOK)
		cors(w)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		w.Write([]byte(`{"success":tr`))

	case FaultHTML:
		r.recordFault(req, kind, f.Mode, f.Status)
		cors(w)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(f.Status)
		w.Write([]byte(htmlErrorPage(f.Status)))

	case FaultWrongTypes:
		c := capture(r, req)
		if c.status == http.StatusOK {
			c.body = wrongTypes(c.body)
		}
		c.replay(w, len(c.body), c.body)

	case FaultTruncated:
		c := capture(r, req)
		// The connection closes when the handler returns having written
		// less than its Content-Length.
		c.replay(w, max(len(c.body), 1), c.body[:len(c.body)/2])

	case FaultStallBody:
		c := capture(r, req)
		c.replay(w, len(c.body), c.body[:len(c.body)/2])
		if fl, ok := w.(http.Flusher); ok {
			fl.Flush()
		}
		hold(req.Context(), f.Delay)

	case FaultReset:
		r.recordFault(req, kind, f.Mode, 0)
		resetConnection(w)

	case FaultNoCORS:
		r.ServeHTTP(&noCORSWriter{ResponseWriter: w}, req)

	case FaultSSEDrop:
		ctx, cancel := context.WithTimeout(req.Context(), f.Delay)
		defer cancel()
		r.ServeHTTP(w, req.WithContext(ctx))
	}
}

// hold waits for d, reporting true, or until ctx ends (the client gave up),
// reporting false.
func hold(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// resetConnection drops the connection without an answer: a TCP reset
// (SO_LINGER 0) when the connection can be taken over, else the server's
// own abort.
func resetConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			if tc, ok := conn.(*net.TCPConn); ok {
				tc.SetLinger(0)
			}
			conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

// recordFault records a request the fault answered by itself (see
// WithFaults), reading its body.
func (r *Rupt) recordFault(req *http.Request, kind, mode string, status int) {
	rec := RequestRecord{Time: time.Now(), Kind: kind, Method: req.Method, Path: req.URL.Path, Query: req.URL.RawQuery, Headers: map[string]string{}}
	for _, h := range headersOfInterest {
		if v := req.Header.Get(h); v != "" {
			rec.Headers[h] = v
		}
	}
	var body map[string]any
	if req.Method == http.MethodPost {
		body, _ = readBody(req, &rec)
	}
	rec.Status, rec.Error = status, "injected fault: "+mode
	user, _ := body["user"].(string)
	parts := strings.Split(strings.TrimPrefix(req.URL.Path, "/"), "/")

	r.mu.Lock()
	defer r.mu.Unlock()
	switch kind {
	case KindAttach:
		rec.Account = user
		r.addAttachLocked(AttachRecord{Time: rec.Time, Authorization: req.Header.Get("Authorization"), Origin: req.Header.Get("Origin"), Body: body, Status: status})
	case KindDetach:
		rec.Account, rec.DeviceID = user, parts[2]
	case KindListen:
		rec.DeviceID = parts[3]
		if d := r.devices[rec.DeviceID]; d != nil {
			rec.Account = d.Account
		}
	}
	r.recordLocked(rec)
}

// htmlErrorPage is the kind of page a proxy or load balancer answers with.
func htmlErrorPage(status int) string {
	title := strconv.Itoa(status) + " " + http.StatusText(status)
	if status == http.StatusOK {
		title = "Down for maintenance"
	}
	return "<!DOCTYPE html>\n<html>\n<head><title>" + title + "</title></head>\n<body>\n<center><h1>" + title +
		"</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n"
}

// wrongTypes turns the fields of a JSON object answer to the wrong types
// (see FaultWrongTypes); anything else is returned unchanged.
func wrongTypes(body []byte) []byte {
	var m map[string]any
	if json.Unmarshal(body, &m) != nil || m == nil {
		return body
	}
	m["success"] = "true"
	m["suspended"] = "yes"
	for _, k := range []string{"attached_devices", "default_device_limit"} {
		if n, ok := m[k].(float64); ok {
			m[k] = strconv.FormatFloat(n, 'f', -1, 64)
		}
	}
	if _, ok := m["device_id"]; ok {
		m["device_id"] = 42
	}
	if _, ok := m["access"]; ok {
		m["access"] = 7
	}
	if _, ok := m["block_over_usage"]; ok {
		m["block_over_usage"] = "no"
	}
	out, err := json.Marshal(m)
	if err != nil {
		return body
	}
	return append(out, '\n')
}

// captured is an answer of Rupt.ServeHTTP held back to be altered.
type captured struct {
	header http.Header
	status int
	body   []byte
}

// capture serves req with the simulator into memory (for the modes that
// alter a correct answer; not for streams).
func capture(r *Rupt, req *http.Request) *captured {
	c := &captureWriter{header: http.Header{}}
	r.ServeHTTP(c, req)
	if c.status == 0 {
		c.status = http.StatusOK
	}
	return &captured{header: c.header, status: c.status, body: c.body.Bytes()}
}

// replay writes the captured headers and status, then body, declaring a
// Content-Length of length.
func (c *captured) replay(w http.ResponseWriter, length int, body []byte) {
	h := w.Header()
	for k, v := range c.header {
		h[k] = v
	}
	h.Set("Content-Length", strconv.Itoa(length))
	w.WriteHeader(c.status)
	w.Write(body)
}

type captureWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (c *captureWriter) Header() http.Header { return c.header }

func (c *captureWriter) WriteHeader(status int) {
	if c.status == 0 {
		c.status = status
	}
}

func (c *captureWriter) Write(b []byte) (int, error) {
	c.WriteHeader(http.StatusOK)
	return c.body.Write(b)
}

// noCORSWriter drops the Access-Control-* headers from an answer.
type noCORSWriter struct {
	http.ResponseWriter
	wrote bool
}

func (n *noCORSWriter) WriteHeader(status int) {
	if !n.wrote {
		n.wrote = true
		for k := range n.Header() {
			if strings.HasPrefix(k, "Access-Control-") {
				n.Header().Del(k)
			}
		}
	}
	n.ResponseWriter.WriteHeader(status)
}

func (n *noCORSWriter) Write(b []byte) (int, error) {
	if !n.wrote {
		n.WriteHeader(http.StatusOK)
	}
	return n.ResponseWriter.Write(b)
}

// Flush keeps a live-channel stream working through the writer.
func (n *noCORSWriter) Flush() {
	if fl, ok := n.ResponseWriter.(http.Flusher); ok {
		fl.Flush()
	}
}

func (n *noCORSWriter) Unwrap() http.ResponseWriter { return n.ResponseWriter }

// faultJSON is a Fault in the admin API.
type faultJSON struct {
	Mode    string   `json:"mode"`
	Count   int      `json:"count"`
	Kinds   []string `json:"kinds,omitempty"`
	Status  int      `json:"status,omitempty"`
	DelayMS int64    `json:"delay_ms,omitempty"`
}

// adminFault is the admin API's fault switch:
//
//	GET    /admin/api/fault → {"fault": {mode, count (left; 0 = until cleared), kinds, status, delay_ms} | null, "modes": [...]}
//	POST   /admin/api/fault {"mode":"503","count":2,"kinds":["attach"],"status":502,"delay_ms":1000} → the same
//	POST   /admin/api/fault {"mode":""} or DELETE /admin/api/fault clears it
func (s *Server) adminFault(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
	case http.MethodDelete:
		s.Rupt.ClearFault()
	case http.MethodPost:
		var body faultJSON
		if !decodeAdmin(w, r, &body) {
			return
		}
		if body.Mode == "" || body.Mode == "none" {
			s.Rupt.ClearFault()
			break
		}
		f := Fault{Mode: body.Mode, Count: body.Count, Kinds: body.Kinds, Status: body.Status, Delay: time.Duration(body.DelayMS) * time.Millisecond}
		if err := s.Rupt.SetFault(f); err != nil {
			jsonError(w, http.StatusBadRequest, err.Error())
			return
		}
	default:
		w.Header().Set("Allow", "GET, POST, DELETE")
		jsonError(w, http.StatusMethodNotAllowed, "GET, POST or DELETE")
		return
	}
	out := map[string]any{"fault": nil, "modes": FaultModes()}
	if f, ok := s.Rupt.CurrentFault(); ok {
		out["fault"] = faultJSON{Mode: f.Mode, Count: f.Count, Kinds: f.Kinds, Status: f.Status, DelayMS: f.Delay.Milliseconds()}
	}
	writeJSON(w, http.StatusOK, out)
}
