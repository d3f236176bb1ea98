package server

import (
	"embed"
	"encoding/json"
	"io"
	"io/fs"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// static holds the admin page, the stand-in challenge page and their
// scripts and styles. Pages load scripts from files only, so they work under
// the Content-Security-Policy pageCSP.
//
//go:embed static
var static embed.FS

// pageCSP is the Content-Security-Policy of the admin and challenge pages.
const pageCSP = "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// registerSimulatorPages adds the admin page and API, the stand-in challenge
// page and their static files to s's mux.
func (s *Server) registerSimulatorPages() {
	sub, _ := fs.Sub(static, "static")
	s.mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServer(http.FS(sub))))
	s.mux.HandleFunc("GET /admin", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/admin/", http.StatusFound)
	})
	s.mux.Handle("GET /admin/{$}", adminGuard(page("admin.html")))
	s.mux.Handle("GET /challenge", page("challenge.html"))
	s.mux.Handle("GET /rupt-challenge/", page("challenge.html"))

	s.mux.Handle("GET /admin/api/accounts", adminGuard(http.HandlerFunc(s.adminAccounts)))
	s.mux.Handle("POST /admin/api/accounts/{account}/limit", adminGuard(http.HandlerFunc(s.adminLimit)))
	s.mux.Handle("POST /admin/api/accounts/{account}/suspend", adminGuard(http.HandlerFunc(s.adminSuspend)))
	s.mux.Handle("POST /admin/api/devices/{device}/push", adminGuard(http.HandlerFunc(s.adminPush)))
	s.mux.Handle("GET /admin/api/requests", adminGuard(http.HandlerFunc(s.adminRequests)))
	s.mux.Handle("GET /admin/api/events", adminGuard(http.HandlerFunc(s.adminEvents)))
	s.mux.Handle("POST /admin/api/reset", adminGuard(http.HandlerFunc(s.adminReset)))
	s.mux.Handle("/admin/api/fault", adminGuard(http.HandlerFunc(s.adminFault))) // faults.go
}

// page serves one embedded HTML file under pageCSP.
func page(name string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := static.ReadFile("static/" + name)
		if err != nil {
			http.Error(w, "missing page", http.StatusInternalServerError)
			return
		}
		h := w.Header()
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("Content-Security-Policy", pageCSP)
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Content-Type-Options", "nosniff")
		w.Write(b)
	})
}

// adminGuard keeps the admin page and API to the machine running the
// server: the Host must be a loopback name (defeating DNS rebinding), an
// Origin header, when present, must be the server's own origin, and
// Sec-Fetch-Site, when present, must not say cross-site or same-site
// (CSRF guard). Admin responses carry no CORS headers.
func adminGuard(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := checkAdminRequest(r); err != "" {
			jsonError(w, http.StatusForbidden, err)
			return
		}
		h.ServeHTTP(w, r)
	})
}

func checkAdminRequest(r *http.Request) string {
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if ip := net.ParseIP(host); !strings.EqualFold(host, "localhost") && (ip == nil || !ip.IsLoopback()) {
		return "the admin API answers loopback hosts only"
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if o := r.Header.Get("Origin"); o != "" && !strings.EqualFold(o, scheme+"://"+r.Host) {
		return "cross-origin admin requests are refused"
	}
	switch r.Header.Get("Sec-Fetch-Site") {
	case "cross-site", "same-site":
		return "cross-site admin requests are refused"
	}
	return ""
}

// adminAccount is an account as the admin API shows it.
type adminAccount struct {
	ID              string       `json:"id"`
	Limit           int          `json:"limit"`
	Suspended       bool         `json:"suspended"`
	AttachedDevices int          `json:"attached_devices"`
	Devices         []DeviceInfo `json:"devices"`
}

func toAdminAccount(a AccountInfo) adminAccount {
	out := adminAccount{ID: a.ID, Limit: a.Limit, Suspended: a.Suspended, Devices: []DeviceInfo{}}
	for _, d := range a.Devices {
		d.Fingerprint = shortFingerprint(d.Fingerprint)
		if d.Attached {
			out.AttachedDevices++
		}
		out.Devices = append(out.Devices, d)
	}
	return out
}

// shortFingerprint keeps the first 12 characters of a fingerprint and marks
// the cut with "…".
func shortFingerprint(fp string) string {
	r := []rune(fp)
	if len(r) <= 12 {
		return fp
	}
	return string(r[:12]) + "…"
}

func (s *Server) findAccount(id string) (adminAccount, bool) {
	for _, a := range s.Rupt.Accounts() {
		if a.ID == id {
			return toAdminAccount(a), true
		}
	}
	return adminAccount{}, false
}

// adminAccounts: GET /admin/api/accounts → {"accounts": [...]}.
func (s *Server) adminAccounts(w http.ResponseWriter, r *http.Request) {
	list := []adminAccount{}
	for _, a := range s.Rupt.Accounts() {
		list = append(list, toAdminAccount(a))
	}
	writeJSON(w, http.StatusOK, map[string]any{"accounts": list, "default_device_limit": DefaultDeviceLimit})
}

// decodeAdmin reads a small JSON object body into v.
func decodeAdmin(w http.ResponseWriter, r *http.Request, v any) bool {
	raw, err := io.ReadAll(io.LimitReader(r.Body, 64<<10))
	if err == nil {
		err = json.Unmarshal(raw, v)
	}
	if err != nil {
		jsonError(w, http.StatusBadRequest, "body must be a JSON object: "+err.Error())
		return false
	}
	return true
}

// adminLimit: POST /admin/api/accounts/{account}/limit {"limit": n}.
func (s *Server) adminLimit(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Limit *int `json:"limit"`
	}
	if !decodeAdmin(w, r, &body) {
		return
	}
	if body.Limit == nil || *body.Limit < 0 {
		jsonError(w, http.StatusBadRequest, "limit must be a whole number ≥ 0")
		return
	}
	id := r.PathValue("account")
	s.Rupt.SetLimit(id, *body.Limit)
	a, _ := s.findAccount(id)
	writeJSON(w, http.StatusOK, a)
}

// adminSuspend: POST /admin/api/accounts/{account}/suspend {"suspended": bool}.
func (s *Server) adminSuspend(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Suspended *bool `json:"suspended"`
	}
	if !decodeAdmin(w, r, &body) {
		return
	}
	if body.Suspended == nil {
		jsonError(w, http.StatusBadRequest, "suspended must be true or false")
		return
	}
	id := r.PathValue("account")
	s.Rupt.SetSuspended(id, *body.Suspended)
	a, _ := s.findAccount(id)
	writeJSON(w, http.StatusOK, a)
}

// adminPush: POST /admin/api/devices/{device}/push
// {"action":"logout"|"challenge","challenge_id":"...","url":"..."}
// → {"delivered": n, "message": <the live message>}. The url is passed on
// unchecked on purpose: the bundle under test must refuse bad ones.
func (s *Server) adminPush(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Action      string `json:"action"`
		ChallengeID string `json:"challenge_id"`
		URL         string `json:"url"`
	}
	if !decodeAdmin(w, r, &body) {
		return
	}
	id := r.PathValue("device")
	if !s.Rupt.HasDevice(id) {
		jsonError(w, http.StatusNotFound, "no such device")
		return
	}
	var msg []byte
	switch body.Action {
	case "logout":
		msg = LogoutMessage(body.ChallengeID)
	case "challenge":
		if body.ChallengeID == "" {
			jsonError(w, http.StatusBadRequest, "a challenge needs a challenge_id")
			return
		}
		msg = ChallengeMessage(body.ChallengeID, body.URL)
	default:
		jsonError(w, http.StatusBadRequest, `action must be "logout" or "challenge"`)
		return
	}
	n := s.Rupt.Push(id, msg)
	writeJSON(w, http.StatusOK, map[string]any{"delivered": n, "message": json.RawMessage(msg)})
}

// adminRequests: GET /admin/api/requests[?kind=attach] → {"requests": [...]}
// with emails and phone numbers masked and fingerprints shortened.
func (s *Server) adminRequests(w http.ResponseWriter, r *http.Request) {
	kind := r.URL.Query().Get("kind")
	list := []RequestRecord{}
	for _, rec := range s.Rupt.Requests() {
		if kind == "" || rec.Kind == kind {
			list = append(list, MaskRecord(rec))
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"requests": list})
}

// adminReset: POST /admin/api/reset forgets everything (Rupt.Reset).
func (s *Server) adminReset(w http.ResponseWriter, r *http.Request) {
	s.Rupt.Reset()
	writeJSON(w, http.StatusOK, map[string]any{"success": true})
}

// adminEvents: GET /admin/api/events, Server-Sent Events for the admin page:
// every recorded request so far and then each new one as a default event
// (data = the masked RequestRecord, id = its Seq); "reset" when the
// simulator was reset; "devices" when a live channel opened or closed.
func (s *Server) adminEvents(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		jsonError(w, http.StatusInternalServerError, "streaming unsupported")
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.WriteHeader(http.StatusOK)
	io.WriteString(w, ": admin events\nretry: 2000\n\n")
	fl.Flush()
	last, gen := 0, -1
	live := s.Rupt.liveSignal()
	tick := time.NewTicker(15 * time.Second)
	defer tick.Stop()
	for {
		recs, g, changed := s.Rupt.requestsAfter(last)
		if gen != -1 && g != gen {
			writeEvent(w, "reset", []byte("{}"))
		}
		gen = g
		for _, rec := range recs {
			b, _ := json.Marshal(MaskRecord(rec))
			io.WriteString(w, "id: "+itoa(rec.Seq)+"\n")
			writeEvent(w, "", b)
			last = rec.Seq
		}
		// Listener changes come after the request that caused them.
		select {
		case <-live:
			writeEvent(w, "devices", []byte("{}"))
			live = s.Rupt.liveSignal()
		default:
		}
		fl.Flush()
		select {
		case <-r.Context().Done():
			return
		case <-changed:
		case <-live:
		case <-tick.C:
			io.WriteString(w, ": keep-alive\n\n")
		}
	}
}

// liveSignal returns a channel closed when a live channel opens or closes.
func (r *Rupt) liveSignal() <-chan struct{} {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.liveChanged
}

var emailRE = regexp.MustCompile(`[^\s"'<>@,;:/?&=]+@[^\s"'<>@,;:/?&=]+`)

// MaskEmail masks an email address's local part: "victor@example.com"
// becomes "v***@example.com".
func MaskEmail(s string) string {
	i := strings.LastIndexByte(s, '@')
	if i < 0 {
		return maskMiddle(s)
	}
	local := []rune(s[:i])
	if len(local) == 0 {
		return "***" + s[i:]
	}
	return string(local[:1]) + "***" + s[i:]
}

// MaskPhone keeps a phone number's first and last two characters:
// "+15551234567" becomes "+1***67".
func MaskPhone(s string) string { return maskMiddle(s) }

func maskMiddle(s string) string {
	r := []rune(s)
	if len(r) <= 6 {
		return "***"
	}
	return string(r[:2]) + "***" + string(r[len(r)-2:])
}

// MaskRecord returns a copy of rec fit to show: values of "email" and
// "phone" keys (at any depth) masked, any other email address in the body,
// query or headers masked, fingerprints shortened to 12 characters and the
// legacy signals summarised.
func MaskRecord(rec RequestRecord) RequestRecord {
	maskText := func(s string) string { return emailRE.ReplaceAllStringFunc(s, MaskEmail) }
	out := rec
	if rec.Body != nil {
		out.Body, _ = maskValue("", rec.Body).(map[string]any)
	}
	out.RawBody = maskText(rec.RawBody)
	out.Query = maskText(rec.Query)
	out.Account = maskText(rec.Account)
	if rec.Headers != nil {
		out.Headers = make(map[string]string, len(rec.Headers))
		for k, v := range rec.Headers {
			out.Headers[k] = maskText(v)
		}
	}
	return out
}

func maskValue(key string, v any) any {
	switch strings.ToLower(key) {
	case "fingerprint", "last_fingerprint":
		if s, ok := v.(string); ok {
			return shortFingerprint(s)
		}
	case "signals":
		if m, ok := v.(map[string]any); ok {
			return "{… " + itoa(len(m)) + " signals}"
		}
	}
	switch v := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(v))
		for k, x := range v {
			m[k] = maskValue(k, x)
		}
		return m
	case []any:
		a := make([]any, len(v))
		for i, x := range v {
			a[i] = maskValue("", x)
		}
		return a
	case string:
		switch strings.ToLower(key) {
		case "email":
			return MaskEmail(v)
		case "phone":
			return MaskPhone(v)
		}
		return emailRE.ReplaceAllStringFunc(v, MaskEmail)
	case float64:
		if strings.EqualFold(key, "phone") {
			return "***"
		}
	}
	return v
}

func itoa(n int) string { return strconv.Itoa(n) }
