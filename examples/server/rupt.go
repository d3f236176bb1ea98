package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Rupt is a Rupt-compatible API simulator: attach with a device registry
// per account, detach, suspended accounts, device limits, the live channel
// (Server-Sent Events) and an ordered log of every request it received.
//
// It speaks the wire protocol described in rupt-protocol.md: the
// Authorization header (or the listen URL's auth parameter) must be exactly
// "Basic <client_id>:" — no base64 and no secret.
type Rupt struct {
	clientID string

	mu        sync.Mutex
	accounts  map[string]*simAccount
	order     []string              // account ids in creation order
	devices   map[string]*simDevice // device id → device, across accounts
	seq       int                   // device id counter; never reset
	attaches  []AttachRecord
	attachSeq int           // last AttachRecord.Seq; never reset
	notify    chan struct{} // closed and replaced on every attach and on Reset

	requests   []RequestRecord
	reqSeq     int           // last RequestRecord.Seq; never reset
	reqNotify  chan struct{} // closed and replaced on every recorded request and on Reset
	generation int           // incremented by Reset

	live        map[string][]*listener // device id → open listeners
	liveChanged chan struct{}          // closed and replaced when listeners open or close
}

type simAccount struct {
	id        string
	limit     int
	suspended bool
	devices   []*simDevice // creation order
}

type simDevice struct {
	ID          string
	Account     string
	Fingerprint string
	Access      string
	LastSeen    time.Time
	Attached    bool
}

type listener struct {
	ch   chan []byte
	done chan struct{} // closed by Reset to end the stream
}

// AttachRecord is one attach request as the simulator received it.
type AttachRecord struct {
	// Seq numbers the attaches from 1; it keeps growing across Reset, so
	// AttachesAfter(seq) stays meaningful when the log is emptied.
	Seq           int            `json:"seq"`
	Time          time.Time      `json:"time"`
	Authorization string         `json:"authorization"`
	Origin        string         `json:"origin"`
	Body          map[string]any `json:"body"`
	Status        int            `json:"status"`
	// DeviceID is the device the attach resolved to ("" when refused).
	DeviceID string `json:"device_id,omitempty"`
}

// RequestRecord is one request to the simulator's API, whatever its path,
// method or outcome, as it was received.
type RequestRecord struct {
	// Seq numbers the records from 1; it keeps growing across Reset.
	Seq  int       `json:"seq"`
	Time time.Time `json:"time"`
	// Kind is "attach", "detach", "listen", "preflight" or "other".
	Kind   string `json:"kind"`
	Method string `json:"method"`
	// Path is the path as the simulator sees it, without the /rupt prefix.
	Path  string `json:"path"`
	Query string `json:"query,omitempty"`
	// Headers holds the headers of interest that were present:
	// Authorization, Origin, Content-Type, Referer, User-Agent,
	// Access-Control-Request-Method and Access-Control-Request-Headers.
	Headers map[string]string `json:"headers,omitempty"`
	// Body is the JSON object body, when the body was one.
	Body map[string]any `json:"body,omitempty"`
	// RawBody is the body text when it was not a JSON object (bad JSON, say).
	RawBody string `json:"raw_body,omitempty"`
	Status  int    `json:"status"`
	// Account and DeviceID are what the request concerned, when known.
	Account  string `json:"account,omitempty"`
	DeviceID string `json:"device_id,omitempty"`
	// Error is the error message the simulator answered with, if any.
	Error string `json:"error,omitempty"`
}

// DeviceInfo describes one device in an account's registry.
type DeviceInfo struct {
	ID          string    `json:"id"`
	Fingerprint string    `json:"fingerprint"`
	Access      string    `json:"access"`
	LastSeen    time.Time `json:"last_seen"`
	// Attached is false once the device was detached (until it attaches again).
	Attached bool `json:"attached"`
	// Listeners is the number of open live-channel connections.
	Listeners int `json:"listeners"`
}

// AccountInfo describes one account the simulator knows.
type AccountInfo struct {
	ID        string       `json:"id"`
	Limit     int          `json:"limit"`
	Suspended bool         `json:"suspended"`
	Devices   []DeviceInfo `json:"devices"`
}

// DefaultDeviceLimit is the device limit of an account nobody configured.
const DefaultDeviceLimit = 3

// maxBody bounds the request bodies the simulator reads.
const maxBody = 1 << 20

// NewRupt returns a simulator that accepts clientID.
func NewRupt(clientID string) *Rupt {
	r := &Rupt{clientID: clientID}
	r.clear()
	r.notify = make(chan struct{})
	r.reqNotify = make(chan struct{})
	r.liveChanged = make(chan struct{})
	return r
}

// clear empties the registry and the logs; the caller holds r.mu (or owns r).
func (r *Rupt) clear() {
	r.accounts = map[string]*simAccount{}
	r.order = nil
	r.devices = map[string]*simDevice{}
	r.attaches = nil
	r.requests = nil
	r.live = map[string][]*listener{}
}

func (r *Rupt) account(id string) *simAccount {
	a := r.accounts[id]
	if a == nil {
		a = &simAccount{id: id, limit: DefaultDeviceLimit}
		r.accounts[id] = a
		r.order = append(r.order, id)
	}
	return a
}

func (a *simAccount) attachedCount() int {
	n := 0
	for _, d := range a.devices {
		if d.Attached {
			n++
		}
	}
	return n
}

// SetSuspended suspends or unsuspends an account: attaches to a suspended
// account answer "suspended": true.
func (r *Rupt) SetSuspended(account string, suspended bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.account(account).suspended = suspended
}

// SetLimit sets an account's device limit (sent as default_device_limit).
func (r *Rupt) SetLimit(account string, limit int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.account(account).limit = limit
}

// Attaches returns the attach requests received since the simulator was made
// (or last Reset), in order.
func (r *Rupt) Attaches() []AttachRecord {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]AttachRecord(nil), r.attaches...)
}

// Changed returns a channel closed at the next attach or Reset.
func (r *Rupt) Changed() <-chan struct{} {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.notify
}

// AttachesAfter returns the recorded attaches with Seq > seq, in order, and
// a channel closed at the next attach or Reset (as Changed), read together
// so nothing falls between them. Since Seq never goes back, a reader that
// passes the last Seq it saw gets exactly the attaches it has not seen, even
// across Reset (the ones Reset forgot are gone).
func (r *Rupt) AttachesAfter(seq int) ([]AttachRecord, <-chan struct{}) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []AttachRecord
	for _, a := range r.attaches {
		if a.Seq > seq {
			out = append(out, a)
		}
	}
	return out, r.notify
}

// addAttachLocked numbers a and appends it to the attach log, then wakes
// the waiters on Changed; the caller holds r.mu.
func (r *Rupt) addAttachLocked(a AttachRecord) {
	r.attachSeq++
	a.Seq = r.attachSeq
	r.attaches = append(r.attaches, a)
	r.signalAttaches()
}

// Requests returns every request the simulator received since it was made
// (or last Reset), in the order received. Live-channel requests are
// recorded when the stream opens (or is refused).
func (r *Rupt) Requests() []RequestRecord {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]RequestRecord(nil), r.requests...)
}

// Detaches returns the detach requests received so far, in order, refused
// ones included.
func (r *Rupt) Detaches() []RequestRecord {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []RequestRecord
	for _, rec := range r.requests {
		if rec.Kind == "detach" {
			out = append(out, rec)
		}
	}
	return out
}

// requestsAfter returns the records with Seq > after, the generation (which
// changes on Reset) and a channel closed at the next change.
func (r *Rupt) requestsAfter(after int) ([]RequestRecord, int, <-chan struct{}) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []RequestRecord
	for _, rec := range r.requests {
		if rec.Seq > after {
			out = append(out, rec)
		}
	}
	return out, r.generation, r.reqNotify
}

// Devices returns an account's devices in the order they first attached
// (nil for an unknown account).
func (r *Rupt) Devices(account string) []DeviceInfo {
	r.mu.Lock()
	defer r.mu.Unlock()
	a := r.accounts[account]
	if a == nil {
		return nil
	}
	return r.deviceInfos(a)
}

func (r *Rupt) deviceInfos(a *simAccount) []DeviceInfo {
	out := make([]DeviceInfo, 0, len(a.devices))
	for _, d := range a.devices {
		out = append(out, DeviceInfo{
			ID:          d.ID,
			Fingerprint: d.Fingerprint,
			Access:      d.Access,
			LastSeen:    d.LastSeen,
			Attached:    d.Attached,
			Listeners:   len(r.live[d.ID]),
		})
	}
	return out
}

// Accounts returns every account the simulator knows (from attaches,
// SetLimit or SetSuspended), in the order it first saw them.
func (r *Rupt) Accounts() []AccountInfo {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]AccountInfo, 0, len(r.order))
	for _, id := range r.order {
		a := r.accounts[id]
		out = append(out, AccountInfo{ID: id, Limit: a.limit, Suspended: a.suspended, Devices: r.deviceInfos(a)})
	}
	return out
}

// HasDevice reports whether a device id is in some account's registry.
func (r *Rupt) HasDevice(deviceID string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.devices[deviceID] != nil
}

// Listeners returns the number of open live-channel (SSE) connections of a
// device.
func (r *Rupt) Listeners(deviceID string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.live[deviceID])
}

// WaitListener blocks until at least one live-channel connection of the
// device is open, or ctx ends (returning ctx's error).
func (r *Rupt) WaitListener(ctx context.Context, deviceID string) error {
	for {
		r.mu.Lock()
		n, changed := len(r.live[deviceID]), r.liveChanged
		r.mu.Unlock()
		if n > 0 {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Reset forgets every account, device, limit, suspension and recorded
// request, closes every open live-channel connection and wakes the waiters
// on Changed. Device ids and request and attach sequence numbers keep
// counting up, so old ids never come back.
func (r *Rupt) Reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, list := range r.live {
		for _, l := range list {
			close(l.done)
		}
	}
	r.clear()
	r.generation++
	r.signalAttaches()
	r.signalRequests()
	r.signalLive()
}

func (r *Rupt) signalAttaches() {
	close(r.notify)
	r.notify = make(chan struct{})
}

func (r *Rupt) signalRequests() {
	close(r.reqNotify)
	r.reqNotify = make(chan struct{})
}

func (r *Rupt) signalLive() {
	close(r.liveChanged)
	r.liveChanged = make(chan struct{})
}

// Push sends a live message (JSON) to every open listener of a device and
// reports how many received it.
func (r *Rupt) Push(deviceID string, msg []byte) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, l := range r.live[deviceID] {
		select {
		case l.ch <- msg:
			n++
		default:
		}
	}
	return n
}

// LogoutMessage builds the live message that logs a device out:
// {"action":"logout","challenge":{"_id":challengeID}}, without "challenge"
// when challengeID is empty.
func LogoutMessage(challengeID string) []byte {
	type challenge struct {
		ID string `json:"_id"`
	}
	msg := struct {
		Action    string     `json:"action"`
		Challenge *challenge `json:"challenge,omitempty"`
	}{Action: "logout"}
	if challengeID != "" {
		msg.Challenge = &challenge{ID: challengeID}
	}
	return marshalMessage(msg)
}

// marshalMessage encodes a live message without HTML escaping ("&" stays
// "&" in URLs) and without a trailing newline.
func marshalMessage(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// ChallengeMessage builds the live message that sends a device to a
// challenge: {"action":"challenge","challenge":{"_id":challengeID},"url":url},
// without "url" when url is empty.
func ChallengeMessage(challengeID, url string) []byte {
	msg := struct {
		Action    string `json:"action"`
		Challenge struct {
			ID string `json:"_id"`
		} `json:"challenge"`
		URL string `json:"url,omitempty"`
	}{Action: "challenge", URL: url}
	msg.Challenge.ID = challengeID
	return marshalMessage(msg)
}

// PushLogout pushes a logout message (see LogoutMessage) to a device's open
// listeners and reports how many received it.
func (r *Rupt) PushLogout(deviceID, challengeID string) int {
	return r.Push(deviceID, LogoutMessage(challengeID))
}

// PushChallenge pushes a challenge message (see ChallengeMessage) to a
// device's open listeners and reports how many received it.
func (r *Rupt) PushChallenge(deviceID, challengeID, url string) int {
	return r.Push(deviceID, ChallengeMessage(challengeID, url))
}

// headersOfInterest are the request headers a RequestRecord keeps.
var headersOfInterest = []string{"Authorization", "Origin", "Content-Type", "Referer", "User-Agent", "Access-Control-Request-Method", "Access-Control-Request-Headers"}

// record appends rec to the request log, numbering it.
func (r *Rupt) record(rec RequestRecord) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.recordLocked(rec)
}

func (r *Rupt) recordLocked(rec RequestRecord) {
	r.reqSeq++
	rec.Seq = r.reqSeq
	r.requests = append(r.requests, rec)
	r.signalRequests()
}

// ServeHTTP implements the Rupt API paths (mounted without the /rupt prefix):
//
//	POST /v2/device/attach
//	POST /v2/device/{device_id}/detach
//	GET  /v2/access/device/{device_id}/listen?access=…&version=…&auth=Basic%20<client_id>:
//
// Every response carries permissive CORS headers and OPTIONS answers 204.
func (r *Rupt) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	cors(w)
	rec := RequestRecord{Time: time.Now(), Kind: "other", Method: req.Method, Path: req.URL.Path, Query: req.URL.RawQuery, Headers: map[string]string{}}
	for _, h := range headersOfInterest {
		if v := req.Header.Get(h); v != "" {
			rec.Headers[h] = v
		}
	}
	if req.Method == http.MethodOptions {
		rec.Kind, rec.Status = "preflight", http.StatusNoContent
		r.record(rec)
		w.WriteHeader(http.StatusNoContent)
		return
	}
	parts := strings.Split(strings.TrimPrefix(req.URL.Path, "/"), "/")
	switch {
	case req.Method == http.MethodPost && req.URL.Path == "/v2/device/attach":
		rec.Kind = "attach"
		r.attach(w, req, rec)
	case req.Method == http.MethodPost && len(parts) == 4 && parts[0] == "v2" && parts[1] == "device" && parts[2] != "" && parts[3] == "detach":
		rec.Kind = "detach"
		r.detach(w, req, rec, parts[2])
	case req.Method == http.MethodGet && len(parts) == 5 && parts[0] == "v2" && parts[1] == "access" && parts[2] == "device" && parts[3] != "" && parts[4] == "listen":
		rec.Kind = "listen"
		r.listen(w, req, rec, parts[3])
	default:
		rec.Status, rec.Error = http.StatusNotFound, "no such endpoint"
		r.record(rec)
		jsonError(w, rec.Status, rec.Error)
	}
}

func (r *Rupt) authorized(h string) bool { return h == "Basic "+r.clientID+":" }

// readBody reads a JSON object body into rec (Body, or RawBody when it is
// not an object) and reports the parse error.
func readBody(req *http.Request, rec *RequestRecord) (map[string]any, error) {
	raw, err := io.ReadAll(io.LimitReader(req.Body, maxBody))
	var body map[string]any
	if err == nil {
		err = json.Unmarshal(raw, &body)
	}
	if err == nil && body != nil {
		rec.Body = body
	} else {
		rec.RawBody = string(raw)
		if err == nil {
			err = errNotObject
		}
	}
	return body, err
}

type simError string

func (e simError) Error() string { return string(e) }

const errNotObject = simError("body is not a JSON object")

func (r *Rupt) attach(w http.ResponseWriter, req *http.Request, rec RequestRecord) {
	body, err := readBody(req, &rec)
	arec := AttachRecord{Time: rec.Time, Authorization: req.Header.Get("Authorization"), Origin: req.Header.Get("Origin"), Body: body}

	r.mu.Lock()
	status, resp := r.decideAttach(arec, err)
	arec.Status = status
	rec.Status = status
	if d, ok := resp["device_id"].(string); ok {
		arec.DeviceID, rec.DeviceID = d, d
	}
	if u, ok := body["user"].(string); ok {
		rec.Account = u
	}
	if e, ok := resp["error"].(string); ok {
		rec.Error = e
	}
	r.addAttachLocked(arec)
	r.recordLocked(rec)
	r.mu.Unlock()

	writeJSON(w, status, resp)
}

// decideAttach answers an attach; the caller holds r.mu.
func (r *Rupt) decideAttach(rec AttachRecord, bodyErr error) (int, map[string]any) {
	if !r.authorized(rec.Authorization) {
		return http.StatusUnauthorized, map[string]any{"error": "unknown client id"}
	}
	if bodyErr != nil {
		return http.StatusBadRequest, map[string]any{"error": "body is not a JSON object"}
	}
	user, _ := rec.Body["user"].(string)
	if user == "" {
		return http.StatusBadRequest, map[string]any{"error": "user is required"}
	}
	fp, _ := rec.Body["fingerprint"].(string)
	last, _ := rec.Body["last_fingerprint"].(string)

	a := r.account(user)
	// The current fingerprint wins over last_fingerprint; among equals the
	// device that attached first.
	var dev *simDevice
	for _, d := range a.devices {
		if fp != "" && d.Fingerprint == fp {
			dev = d
			break
		}
	}
	if dev == nil && last != "" {
		for _, d := range a.devices {
			if d.Fingerprint == last {
				dev = d
				break
			}
		}
	}
	if dev == nil {
		r.seq++
		sum := sha256.Sum256([]byte(user + "\x00" + fp + "\x00" + strconv.Itoa(r.seq)))
		h := hex.EncodeToString(sum[:8])
		dev = &simDevice{ID: "dev_" + h, Account: user, Access: "acc_" + h}
		a.devices = append(a.devices, dev)
		r.devices[dev.ID] = dev
	}
	if fp != "" {
		dev.Fingerprint = fp
	}
	dev.LastSeen = rec.Time
	dev.Attached = true
	resp := map[string]any{
		"success":              true,
		"attached_devices":     a.attachedCount(),
		"device_id":            dev.ID,
		"default_device_limit": a.limit,
		"block_over_usage":     false,
		"access":               dev.Access,
		"identity":             "idn_" + strings.TrimPrefix(dev.ID, "dev_"),
	}
	if a.suspended {
		resp["suspended"] = true
	}
	return http.StatusOK, resp
}

// detach removes a device from an account: body {"user": <account>}.
func (r *Rupt) detach(w http.ResponseWriter, req *http.Request, rec RequestRecord, deviceID string) {
	body, err := readBody(req, &rec)
	rec.DeviceID = deviceID
	user, _ := body["user"].(string)
	rec.Account = user

	r.mu.Lock()
	var resp map[string]any
	switch d := r.devices[deviceID]; {
	case !r.authorized(req.Header.Get("Authorization")):
		rec.Status, rec.Error = http.StatusUnauthorized, "unknown client id"
	case err != nil:
		rec.Status, rec.Error = http.StatusBadRequest, "body is not a JSON object"
	case user == "":
		rec.Status, rec.Error = http.StatusBadRequest, "user is required"
	case d == nil || d.Account != user:
		rec.Status, rec.Error = http.StatusNotFound, "no such device for this user"
	default:
		d.Attached = false
		rec.Status = http.StatusOK
		resp = map[string]any{"success": true, "device_id": d.ID, "attached_devices": r.accounts[user].attachedCount()}
	}
	r.recordLocked(rec)
	r.mu.Unlock()

	if rec.Error != "" {
		jsonError(w, rec.Status, rec.Error)
		return
	}
	writeJSON(w, rec.Status, resp)
}

// listen is the live channel: Server-Sent Events until the page goes away
// (or Reset). Each pushed message is one "data: <json>" event.
func (r *Rupt) listen(w http.ResponseWriter, req *http.Request, rec RequestRecord, deviceID string) {
	rec.DeviceID = deviceID
	q := req.URL.Query()
	fl, canFlush := w.(http.Flusher)
	l := &listener{ch: make(chan []byte, 8), done: make(chan struct{})}

	r.mu.Lock()
	d := r.devices[deviceID]
	if d != nil {
		rec.Account = d.Account
	}
	switch {
	case !r.authorized(q.Get("auth")):
		rec.Status, rec.Error = http.StatusUnauthorized, "unknown client id"
	case d == nil:
		rec.Status, rec.Error = http.StatusNotFound, "no such device"
	case q.Get("access") != d.Access:
		rec.Status, rec.Error = http.StatusUnauthorized, "access does not match the device"
	case !canFlush:
		rec.Status, rec.Error = http.StatusInternalServerError, "streaming unsupported"
	default:
		rec.Status = http.StatusOK
		r.live[deviceID] = append(r.live[deviceID], l)
		r.signalLive()
	}
	r.recordLocked(rec)
	r.mu.Unlock()
	if rec.Error != "" {
		jsonError(w, rec.Status, rec.Error)
		return
	}

	defer func() {
		r.mu.Lock()
		list := r.live[deviceID]
		for i, c := range list {
			if c == l {
				r.live[deviceID] = append(list[:i:i], list[i+1:]...)
				if len(r.live[deviceID]) == 0 {
					delete(r.live, deviceID)
				}
				r.signalLive()
				break
			}
		}
		r.mu.Unlock()
	}()
	w.Header().Set("Content-Type", "text/event-stream")
	w.WriteHeader(http.StatusOK)
	io.WriteString(w, ": connected\n\n")
	fl.Flush()
	tick := time.NewTicker(15 * time.Second)
	defer tick.Stop()
	for {
		select {
		case <-req.Context().Done():
			return
		case <-l.done:
			return
		case msg := <-l.ch:
			writeEvent(w, "", msg)
			fl.Flush()
		case <-tick.C:
			io.WriteString(w, ": keep-alive\n\n")
			fl.Flush()
		}
	}
}

// writeEvent writes one Server-Sent Event; a message with line breaks
// becomes several data lines, as the format requires.
func writeEvent(w io.Writer, event string, data []byte) {
	var b strings.Builder
	if event != "" {
		b.WriteString("event: " + event + "\n")
	}
	for _, line := range strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n") {
		b.WriteString("data: " + strings.TrimSuffix(line, "\r") + "\n")
	}
	b.WriteString("\n")
	io.WriteString(w, b.String())
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func jsonError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}
