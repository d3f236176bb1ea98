package server

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Rupt is a Rupt-compatible API simulator: attach with a device registry
// per account, suspended accounts, device limits, and the live channel.
type Rupt struct {
	clientID string

	mu       sync.Mutex
	accounts map[string]*simAccount
	attaches []AttachRecord
	live     map[string][]chan []byte // device id → open listeners
	notify   chan struct{}            // closed and replaced on every attach
}

type simAccount struct {
	limit     int
	suspended bool
	devices   map[string]*simDevice // device id →
}

type simDevice struct {
	ID          string
	Fingerprint string
	LastSeen    time.Time
}

// AttachRecord is one attach request as the simulator received it.
type AttachRecord struct {
	Time          time.Time      `json:"time"`
	Authorization string         `json:"authorization"`
	Origin        string         `json:"origin"`
	Body          map[string]any `json:"body"`
	Status        int            `json:"status"`
}

// DefaultDeviceLimit is the device limit of an account nobody configured.
const DefaultDeviceLimit = 3

// NewRupt returns a simulator that accepts clientID.
func NewRupt(clientID string) *Rupt {
	r := &Rupt{clientID: clientID, accounts: map[string]*simAccount{}, live: map[string][]chan []byte{}, notify: make(chan struct{})}
	return r
}

func (r *Rupt) account(id string) *simAccount {
	a := r.accounts[id]
	if a == nil {
		a = &simAccount{limit: DefaultDeviceLimit, devices: map[string]*simDevice{}}
		r.accounts[id] = a
	}
	return a
}

// SetSuspended suspends or unsuspends an account.
func (r *Rupt) SetSuspended(account string, suspended bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.account(account).suspended = suspended
}

// SetLimit sets an account's device limit.
func (r *Rupt) SetLimit(account string, limit int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.account(account).limit = limit
}

// Attaches returns the attach requests received so far.
func (r *Rupt) Attaches() []AttachRecord {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]AttachRecord(nil), r.attaches...)
}

// Changed returns a channel closed at the next attach.
func (r *Rupt) Changed() <-chan struct{} {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.notify
}

// Push sends a live message (JSON) to every open listener of a device and
// reports how many received it.
func (r *Rupt) Push(deviceID string, msg []byte) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, ch := range r.live[deviceID] {
		select {
		case ch <- msg:
			n++
		default:
		}
	}
	return n
}

// ServeHTTP implements the Rupt API paths (mounted without the /rupt prefix).
func (r *Rupt) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	cors(w)
	if req.Method == http.MethodOptions {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	switch {
	case req.Method == http.MethodPost && req.URL.Path == "/v2/device/attach":
		r.attach(w, req)
	case req.Method == http.MethodGet && strings.HasPrefix(req.URL.Path, "/v2/access/device/") && strings.HasSuffix(req.URL.Path, "/listen"):
		id := strings.TrimSuffix(strings.TrimPrefix(req.URL.Path, "/v2/access/device/"), "/listen")
		r.listen(w, req, id)
	default:
		jsonError(w, http.StatusNotFound, "no such endpoint")
	}
}

func (r *Rupt) authorized(h string) bool { return h == "Basic "+r.clientID+":" }

func (r *Rupt) attach(w http.ResponseWriter, req *http.Request) {
	raw, err := io.ReadAll(io.LimitReader(req.Body, 1<<20))
	rec := AttachRecord{Time: time.Now(), Authorization: req.Header.Get("Authorization"), Origin: req.Header.Get("Origin")}
	var body map[string]any
	if err == nil {
		err = json.Unmarshal(raw, &body)
	}
	rec.Body = body
	status, resp := r.decideAttach(rec, err)
	rec.Status = status

	r.mu.Lock()
	r.attaches = append(r.attaches, rec)
	close(r.notify)
	r.notify = make(chan struct{})
	r.mu.Unlock()

	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(resp)
}

func (r *Rupt) decideAttach(rec AttachRecord, bodyErr error) (int, any) {
	if !r.authorized(rec.Authorization) {
		return http.StatusUnauthorized, map[string]any{"error": "unknown client id"}
	}
	if bodyErr != nil {
		return http.StatusBadRequest, map[string]any{"error": "body is not JSON"}
	}
	user, _ := rec.Body["user"].(string)
	if user == "" {
		return http.StatusBadRequest, map[string]any{"error": "user is required"}
	}
	fp, _ := rec.Body["fingerprint"].(string)
	last, _ := rec.Body["last_fingerprint"].(string)

	r.mu.Lock()
	defer r.mu.Unlock()
	a := r.account(user)
	var dev *simDevice
	for _, d := range a.devices {
		if (fp != "" && d.Fingerprint == fp) || (last != "" && d.Fingerprint == last) {
			dev = d
			break
		}
	}
	if dev == nil {
		sum := sha256.Sum256([]byte(user + "\x00" + fp + "\x00" + time.Now().String()))
		dev = &simDevice{ID: "dev_" + hex.EncodeToString(sum[:8])}
		a.devices[dev.ID] = dev
	}
	dev.Fingerprint = fp
	dev.LastSeen = rec.Time
	access := "acc_" + dev.ID[4:]
	resp := map[string]any{
		"success":              true,
		"attached_devices":     len(a.devices),
		"device_id":            dev.ID,
		"default_device_limit": a.limit,
		"block_over_usage":     false,
		"access":               access,
		"identity":             "idn_" + dev.ID[4:],
	}
	if a.suspended {
		resp["suspended"] = true
	}
	return http.StatusOK, resp
}

// listen is the live channel: Server-Sent Events until the page goes away.
func (r *Rupt) listen(w http.ResponseWriter, req *http.Request, deviceID string) {
	if !r.authorized(req.URL.Query().Get("auth")) {
		jsonError(w, http.StatusUnauthorized, "unknown client id")
		return
	}
	fl, ok := w.(http.Flusher)
	if !ok {
		jsonError(w, http.StatusInternalServerError, "streaming unsupported")
		return
	}
	ch := make(chan []byte, 8)
	r.mu.Lock()
	r.live[deviceID] = append(r.live[deviceID], ch)
	r.mu.Unlock()
	defer func() {
		r.mu.Lock()
		list := r.live[deviceID]
		for i, c := range list {
			if c == ch {
				r.live[deviceID] = append(list[:i:i], list[i+1:]...)
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
		case msg := <-ch:
			io.WriteString(w, "data: "+string(msg)+"\n\n")
			fl.Flush()
		case <-tick.C:
			io.WriteString(w, ": keep-alive\n\n")
			fl.Flush()
		}
	}
}

func jsonError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"error": msg})
}
