package action

import (
	"errors"
	"math/rand/v2"
	"strconv"
	"strings"

	"rupt-actions-wasm/action/internal/jsnum"
	"rupt-actions-wasm/action/internal/rawjson"
	"rupt-actions-wasm/action/internal/urls"
)

// Names of the cookies and storage keys Rupt's SDK uses; we share them so a
// site can switch between the SDK and this bundle without losing state.
const (
	CookieLastBlockingAccess = "rpt_last_blocking_access"
	CookieLastChallenge      = "rpt_last_challenge"
	KeyLastFingerprint       = "rpt_last_fp"
	// CookieMaxAge is the max-age of every cookie written, one year.
	CookieMaxAge = 31536000

	// SuspendedFallback is where a suspended user goes when suspended_url is unset.
	SuspendedFallback = "https://suspended.sabl.app/access/"
)

// Reasons for a navigation.
const (
	ReasonSuspended = "suspended"
	ReasonLogout    = "logout"
	ReasonChallenge = "challenge"
)

// Cookie is a cookie the shim writes as "name=value; path=/; max-age=...".
type Cookie struct {
	_      [0]func() // not comparable: no equality function in the download
	Name   string    `json:"name"`
	Value  string    `json:"value"`
	MaxAge int       `json:"max_age"`
}

// Event is a DOM event the shim dispatches on window. Detail never holds PII.
type Event struct {
	Type   string            `json:"type"`
	Detail map[string]string `json:"detail"`
}

// Outcome is what to do after an answer from Rupt, a live message or a page
// load. The shim performs it in this order: cookies, storage, events,
// navigation or live channel.
type Outcome struct {
	Cookies []Cookie `json:"cookies,omitempty"`
	// StoreFingerprint is written as rpt_last_fp to cookie, localStorage and
	// sessionStorage.
	StoreFingerprint string  `json:"store_fingerprint,omitempty"`
	Events           []Event `json:"events,omitempty"`
	// Navigate is an http(s) URL to send the browser to; Reason says why.
	Navigate string `json:"navigate,omitempty"`
	Reason   string `json:"reason,omitempty"`
	// Listen is the live channel (an EventSource URL) to open, replacing any
	// open one; ListenDevice is the device it belongs to.
	Listen       string `json:"listen,omitempty"`
	ListenDevice string `json:"listen_device,omitempty"`
	// Skip is true when the page load must not attach (a logout hand-off).
	Skip bool `json:"skip,omitempty"`
	// RetryIn, when set, asks the shim to send the same attach again after
	// this many milliseconds, with Attempt one higher.
	RetryIn int `json:"retry_in,omitempty"`
	// Error says what went wrong; nothing else in the outcome is then set
	// except the rupt:error event.
	Error string `json:"error,omitempty"`
}

func errorOutcome(stage string, err error) Outcome {
	return Outcome{
		Error:  err.Error(),
		Events: []Event{{Type: "rupt:error", Detail: map[string]string{"stage": stage, "message": err.Error()}}},
	}
}

// DecideAttach decides what to do with Rupt's answer to an attach: status is
// the HTTP status, body the response text.
func (s *Settings) DecideAttach(ctx AttachContext, status int, body string) Outcome {
	if status < 200 || status > 299 {
		var err error
		if status == 0 {
			err = errors.New("the attach got no answer (network error or timeout)")
		} else {
			err = errors.New("Rupt answered HTTP " + strconv.Itoa(status) + " to the attach")
		}
		if transient(status) && ctx.Attempt < MaxRetries {
			return Outcome{Error: err.Error() + "; retrying", RetryIn: retryDelay(ctx.Attempt, ctx.RetryAfter)}
		}
		if status == 401 || status == 403 {
			err = errors.New(err.Error() + ": check client_id (Rupt does not know this client)")
		}
		return errorOutcome("attach", err)
	}
	if ok, err := validJSON(body, "Rupt's attach answer"); err != nil {
		return errorOutcome("attach", err)
	} else if !ok {
		return errorOutcome("attach", errors.New("Rupt's attach answer is not valid JSON"))
	}
	r := rawjson.Parse(body)
	if !r.IsObject() {
		return errorOutcome("attach", errors.New("Rupt's attach answer is not a JSON object"))
	}
	var o Outcome
	access := r.Get("access")
	accessID := ""
	if access.Kind == rawjson.String {
		accessID = access.Str
	}
	attached := r.Get("attached_devices")
	limit := r.Get("default_device_limit")
	deviceID := r.Get("device_id")

	detail := map[string]string{}
	if deviceID.Kind == rawjson.String {
		detail["device_id"] = deviceID.Str
	}
	if attached.Kind == rawjson.Number {
		detail["attached_devices"] = jsnum.String(attached.Num)
	}
	if limit.Kind == rawjson.Number {
		detail["default_device_limit"] = jsnum.String(limit.Num)
	}
	o.Events = append(o.Events, Event{Type: "rupt:attached", Detail: detail})
	if deviceID.Kind != rawjson.String || attached.Kind != rawjson.Number || limit.Kind != rawjson.Number {
		// Still an attach, but one we cannot fully act on (no live channel,
		// no limit check): say so.
		o.Events = append(o.Events, errorOutcome("attach", errors.New("Rupt's attach answer lacks device_id (a string) or attached_devices / default_device_limit (numbers)")).Events...)
	}

	if attached.Kind == rawjson.Number && limit.Kind == rawjson.Number && attached.Num > limit.Num {
		if accessID != "" {
			if c, err := cookie(CookieLastBlockingAccess, accessID); err == nil {
				o.Cookies = append(o.Cookies, c)
			} else {
				o.Events = append(o.Events, errorOutcome("attach", err).Events...)
			}
		}
		o.Events = append(o.Events, Event{Type: "rupt:limit-exceeded", Detail: copyDetail(detail)})
	}
	if ctx.Fingerprint != "" {
		o.StoreFingerprint = ctx.Fingerprint
	}

	// Only a real JSON true suspends: "yes", 1 or "true" do not.
	if r.Get("suspended").Kind == rawjson.True {
		target := s.SuspendedURL
		if target == "" {
			if accessID == "" {
				return withError(o, "attach", errors.New("Rupt says the account is suspended but gave no access id and suspended_url is not set; not navigating"))
			}
			target = SuspendedFallback + urls.PathEscape(accessID) + "?referrer=" + urls.QueryEscape(hostOf(ctx.URL))
		}
		return o.navigate(target, ReasonSuspended)
	}

	if deviceID.Kind == rawjson.String && deviceID.Str != "" && accessID != "" {
		q := "access=" + urls.QueryEscape(accessID) + "&version=" + urls.QueryEscape(SDKVersion) + "&auth=" + urls.QueryEscape(authValue(s))
		o.Listen = s.APIBase + "/v2/access/device/" + urls.PathEscape(deviceID.Str) + "/listen?" + q
		o.ListenDevice = deviceID.Str
	}
	return o
}

// MaxRetries is how many times a transient attach failure is retried.
const MaxRetries = 2

// transient reports whether a failed attach may succeed if sent again: no
// answer at all, 408, 429 and server errors. Other client errors will not.
func transient(status int) bool {
	return status == 0 || status == 408 || status == 429 || status >= 500
}

// retryDelay is the wait before retry number attempt+1, in milliseconds:
// exponential backoff from 500 ms with up to 50% random jitter, or the
// server's Retry-After seconds when it gives them (at most 30 s).
func retryDelay(attempt int, retryAfter string) int {
	// "0" cannot be passed on (RetryIn 0 means no retry): back off instead.
	if secs, err := strconv.Atoi(strings.TrimSpace(retryAfter)); err == nil && secs > 0 {
		return min(secs, 30) * 1000
	}
	base := 500 << min(max(attempt, 0), 6) // attempt comes from the shim: never shift by a negative count
	return base + rand.IntN(base/2+1)
}

// DecideLive decides what to do with one live channel message (its data);
// pageURL is location.href when it arrived.
func (s *Settings) DecideLive(data string, pageURL string) Outcome {
	if ok, err := validJSON(data, "live message"); err != nil {
		return errorOutcome("live", err)
	} else if !ok {
		return errorOutcome("live", errors.New("live message is not valid JSON"))
	}
	m := rawjson.Parse(data)
	challengeID := ""
	if id := m.Get("challenge._id"); id.Kind == rawjson.String {
		challengeID = id.Str
	}
	switch action := m.Get("action"); {
	case action.Kind == rawjson.String && action.Str == "logout":
		if s.LogoutURL == "" {
			return Outcome{}
		}
		target := s.LogoutURL
		if challengeID != "" {
			target = addQuery(target, "challenge", challengeID)
		}
		return Outcome{}.navigate(target, ReasonLogout)
	case action.Kind == rawjson.String && action.Str == "challenge":
		if challengeID == "" {
			return errorOutcome("live", errors.New("challenge message without challenge._id; not navigating"))
		}
		base := s.ChallengeURL
		if u := m.Get("url"); u.Exists() && u.Kind != rawjson.Null {
			if u.Kind != rawjson.String {
				return errorOutcome("live", errors.New("challenge url is not a string; not navigating"))
			}
			if err := s.checkChallengeURL(u.Str); err != nil {
				return errorOutcome("live", err)
			}
			base = u.Str
		}
		c, err := cookie(CookieLastChallenge, challengeID)
		if err != nil {
			return errorOutcome("live", err)
		}
		logout := s.LogoutURL
		if logout == "" {
			logout = addQuery(pageURL, "rupt_action", "logout")
		}
		newAccount := s.NewAccountURL
		if newAccount == "" {
			newAccount = logout
		}
		success := s.SuccessURL
		if success == "" {
			success = pageURL
		}
		target := addQuery(base, "challenge", challengeID)
		target = addQuery(target, "logout", logout)
		target = addQuery(target, "new_account", newAccount)
		target = addQuery(target, "success", success)
		target = addQuery(target, "upgrade", pageURL)
		o := Outcome{Cookies: []Cookie{c}}
		return o.navigate(target, ReasonChallenge)
	default:
		return Outcome{}
	}
}

// DecidePageLoad decides, before attaching, what the page URL asks for:
// ?rupt_action=logout hands the device to logout_url and skips the attach.
func (s *Settings) DecidePageLoad(pageURL string) Outcome {
	// Almost every page: the parameter cannot be there without its name
	// or a percent escape (a name is decoded only through %XX and '+'),
	// so the URL need not be parsed on every event.
	if !strings.Contains(pageURL, "rupt_action") && !strings.Contains(pageURL, "%") {
		return Outcome{}
	}
	u, ok := urls.Parse(pageURL)
	if v, _ := urls.QueryValue(u.Query, "rupt_action"); !ok || v != "logout" {
		return Outcome{}
	}
	o := Outcome{Skip: true}
	if s.LogoutURL == "" {
		return o
	}
	return o.navigate(s.LogoutURL, ReasonLogout)
}

// navigate sets a checked navigation; a target that is not http(s) turns the
// outcome into an error and nothing navigates.
func (o Outcome) navigate(target, reason string) Outcome {
	if err := checkPageURL(target); err != nil {
		return withError(o, reason, errors.New("refusing to navigate: "+err.Error()))
	}
	o.Navigate = target
	o.Reason = reason
	o.Events = append(o.Events, Event{Type: "rupt:redirect", Detail: map[string]string{"reason": reason}})
	return o
}

func withError(o Outcome, stage string, err error) Outcome {
	e := errorOutcome(stage, err)
	o.Error = e.Error
	o.Navigate, o.Reason = "", ""
	o.Events = append(o.Events, e.Events...)
	return o
}

// checkChallengeURL accepts a server-supplied challenge URL only if it is
// https on an allowed host, with no user info.
func (s *Settings) checkChallengeURL(raw string) error {
	u, ok := urls.Parse(raw)
	if !ok || u.Scheme != "https" || u.Host == "" || u.User || u.Opaque {
		return errors.New("challenge url " + quote(raw) + " is not an https URL; not navigating")
	}
	host := strings.ToLower(u.Hostname)
	for _, h := range s.ChallengeHosts {
		if host == h && (u.Port == "" || u.Port == "443") {
			return nil
		}
	}
	return errors.New("challenge host " + quote(u.Host) + " is not in challenge_hosts; not navigating")
}

// cookie makes a cookie from a server-supplied value, refusing values that
// could add attributes or other cookies.
func cookie(name, value string) (Cookie, error) {
	for i := 0; i < len(value); i++ {
		c := value[i]
		if c <= ' ' || c >= 0x7f || c == ';' || c == ',' || c == '"' || c == '\\' {
			return Cookie{}, errors.New("refusing to store " + name + ": the value from Rupt has characters a cookie cannot hold")
		}
	}
	if value == "" || len(value) > 1024 {
		return Cookie{}, errors.New("refusing to store " + name + ": empty or oversized value")
	}
	return Cookie{Name: name, Value: value, MaxAge: CookieMaxAge}, nil
}

// addQuery appends key=value to raw's query, keeping the rest of the URL.
func addQuery(raw, key, value string) string {
	frag := ""
	if i := strings.IndexByte(raw, '#'); i >= 0 {
		raw, frag = raw[:i], raw[i:]
	}
	sep := "?"
	if strings.Contains(raw, "?") {
		sep = "&"
		if strings.HasSuffix(raw, "?") || strings.HasSuffix(raw, "&") {
			sep = ""
		}
	}
	return raw + sep + urls.QueryEscape(key) + "=" + urls.EncodeURIComponent(value) + frag
}

func hostOf(raw string) string {
	u, ok := urls.Parse(raw)
	if !ok {
		return ""
	}
	return u.Host
}

func copyDetail(d map[string]string) map[string]string {
	c := make(map[string]string, len(d))
	for k, v := range d {
		c[k] = v
	}
	return c
}
