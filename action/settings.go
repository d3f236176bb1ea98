package action

import (
	"errors"
	"strconv"
	"strings"
	"unicode"

	"rupt-actions-wasm/action/internal/rawjson"
	"rupt-actions-wasm/action/internal/urls"
)

// Settings is a validated destination configuration, as analytics.js hands
// it to the plugin factory: Segment's destination settings plus the
// subscriptions, plus the settings this bundle adds.
type Settings struct {
	ClientID      string
	NewAccountURL string
	LogoutURL     string
	SuccessURL    string
	SuspendedURL  string
	// APIBase is the Rupt API's base URL, without a trailing slash.
	APIBase string
	// ChallengeHosts are the hosts a server-supplied challenge URL may use.
	ChallengeHosts []string
	// ChallengeURL is the challenge page used when Rupt's message names
	// none: Rupt's own, or a first-party one the site configured.
	ChallengeURL  string
	Debug         bool
	Subscriptions []Subscription

	// headers are the API headers, made at the first request (apiHeaders),
	// and headersJSON the same as the answers write them.
	headers     map[string]string
	headersJSON string
	attachURL   string // APIBase + "/v2/device/attach" (attachURL)
}

// Subscription is one Segment subscription (a "mapping" in Segment's UI):
// when an event matches Subscribe, PartnerAction runs with Mapping.
type Subscription struct {
	_             [0]func() // not comparable: no equality function in the download
	Name          string
	Subscribe     string
	PartnerAction string
	// Mapping is the raw mapping-kit JSON.
	Mapping string
	Enabled bool
}

// SettingError is a problem with one setting.
type SettingError struct {
	Key string
	Msg string
}

func (e *SettingError) Error() string { return "setting " + quote(e.Key) + ": " + e.Msg }

// ParseSettings reads and validates the settings object (raw JSON). It
// returns every problem found, each naming its setting, joined into one
// error. Subscriptions whose query or mapping is bad are not a settings
// error: they are reported when the destination is built, and the others
// still run.
func ParseSettings(raw string) (Settings, error) {
	var s Settings
	if ok, err := validJSON(raw, "settings"); err != nil {
		return s, err
	} else if !ok {
		return s, errors.New("settings: not valid JSON")
	}
	root := rawjson.Parse(raw)
	if !root.IsObject() {
		return s, errors.New("settings: must be a JSON object, got " + typeName(root))
	}
	r := &settingsReader{root: root}

	root.ForEach(func(k, _ rawjson.Value) bool {
		if strings.Contains(strings.ToLower(k.Str), "secret") {
			r.bad(k.Str, "must not be set in the browser: every setting is shipped to every visitor, and Rupt's browser protocol never uses a secret; keep it on your server")
		}
		return true
	})

	s.ClientID = r.str("client_id")
	if s.ClientID == "" && !hasErr(r.errs, "client_id") {
		r.bad("client_id", "is required: copy the Client ID of your API key from the Rupt dashboard")
	}
	s.NewAccountURL = r.url("new_account_url", true)
	s.LogoutURL = r.url("logout_url", false)
	s.SuccessURL = r.url("success_url", false)
	s.SuspendedURL = r.url("suspended_url", false)

	s.APIBase = DefaultAPIBase
	if base := r.str("api_base"); base != "" {
		if b, err := checkAPIBase(base); err != nil {
			r.bad("api_base", err.Error())
		} else {
			s.APIBase = b
		}
	}

	s.ChallengeURL = "https://" + DefaultChallengeHost
	if cu := r.str("challenge_url"); cu != "" {
		// Same rule as api_base: https, or http on loopback for a local
		// stand-in. The site sets it, so it is trusted like the other URLs.
		if c, err := checkAPIBase(cu); err != nil {
			r.bad("challenge_url", err.Error())
		} else {
			s.ChallengeURL = c
		}
	}

	s.ChallengeHosts = []string{DefaultChallengeHost}
	if hosts := root.Get("challenge_hosts"); hosts.Exists() && hosts.Kind != rawjson.Null {
		list, err := parseHosts(hosts)
		if err != nil {
			r.bad("challenge_hosts", err.Error())
		} else {
			s.ChallengeHosts = list
		}
	}

	switch d := root.Get("debug"); d.Kind {
	case rawjson.Undefined, rawjson.Null, rawjson.False:
	case rawjson.True:
		s.Debug = true
	default:
		r.bad("debug", "must be true or false, got "+typeName(d))
	}

	if subs := root.Get("subscriptions"); subs.Exists() {
		list, err := parseSubscriptions(subs)
		if err != nil {
			r.errs = append(r.errs, err)
		}
		s.Subscriptions = list
	} else {
		// Outside Segment (script tag, analytics.register) nobody writes
		// subscriptions: the "Attach Device" preset applies.
		s.Subscriptions = []Subscription{PresetSubscription()}
	}
	s.own()
	return s, errors.Join(r.errs...)
}

// settingsReader reads the keys of the settings object and collects what
// is wrong with them. Its methods are not inlined: ParseSettings calls
// them at many places, once per configure, and each inlined copy only
// costs the .wasm bytes.
type settingsReader struct {
	root rawjson.Value
	errs []error
}

// bad records that the setting key is wrong, saying why.
//
//go:noinline
func (r *settingsReader) bad(key, msg string) {
	r.errs = append(r.errs, &SettingError{Key: key, Msg: msg})
}

// str reads a string setting, trimmed; "" when it is absent or null.
//
//go:noinline
func (r *settingsReader) str(key string) string {
	v := r.root.Get(key)
	switch v.Kind {
	case rawjson.Null, rawjson.Undefined:
		return ""
	case rawjson.String:
		return strings.TrimSpace(v.Str)
	}
	r.bad(key, "must be a string, got "+typeName(v))
	return ""
}

// url reads a page URL setting (checkPageURL); "" when it is absent or
// wrong.
//
//go:noinline
func (r *settingsReader) url(key string, required bool) string {
	u := r.str(key)
	if u == "" {
		if required && !hasErr(r.errs, key) {
			r.bad(key, "is required: set it to the absolute http(s) URL of the page where a user creates an account of their own, e.g. https://www.example.com/join")
		}
		return ""
	}
	if err := checkPageURL(u); err != nil {
		r.bad(key, err.Error())
		return ""
	}
	return u
}

// own copies every string s keeps out of the settings text: as substrings
// they would keep the whole text alive for the page's life (the JSON of
// the settings, or of a big subscription list, can be large).
func (s *Settings) own() {
	for _, p := range []*string{&s.ClientID, &s.NewAccountURL, &s.LogoutURL, &s.SuccessURL, &s.SuspendedURL, &s.APIBase, &s.ChallengeURL} {
		*p = strings.Clone(*p)
	}
	for i := range s.ChallengeHosts {
		s.ChallengeHosts[i] = strings.Clone(s.ChallengeHosts[i])
	}
	for i := range s.Subscriptions {
		sub := &s.Subscriptions[i]
		for _, p := range []*string{&sub.Name, &sub.Subscribe, &sub.PartnerAction, &sub.Mapping} {
			*p = strings.Clone(*p)
		}
	}
}

// PresetSubscription is the "Attach Device" preset as a subscription.
func PresetSubscription() Subscription {
	p := Definition.Presets[0]
	return Subscription{Name: p.Name, Subscribe: p.Subscribe, PartnerAction: p.PartnerAction, Mapping: string(p.Mapping), Enabled: true}
}

func parseSubscriptions(v rawjson.Value) ([]Subscription, error) {
	bad := func(msg string) error { return &SettingError{Key: "subscriptions", Msg: msg} }
	switch v.Kind {
	case rawjson.Undefined:
		return nil, nil
	case rawjson.String:
		// Segment's CDN settings carry subscriptions as a JSON string.
		if ok, err := validJSON(v.Str, "subscriptions"); err != nil {
			return nil, bad(err.Error())
		} else if !ok {
			return nil, bad("is a string but not valid JSON")
		}
		v = rawjson.Parse(v.Str)
	}
	if !v.IsArray() {
		return nil, bad("must be an array of subscriptions (or a JSON string of one), got " + typeName(v))
	}
	var items []rawjson.Value
	v.ForEach(func(_, it rawjson.Value) bool { items = append(items, it); return true })
	if len(items) > MaxSubscriptions {
		return nil, bad("has " + strconv.Itoa(len(items)) + " entries; Segment allows at most " + strconv.Itoa(MaxSubscriptions) + " per destination instance: remove some in the Segment UI")
	}
	subs := make([]Subscription, 0, len(items))
	var errs []error
	for i, it := range items {
		where := "subscriptions[" + strconv.Itoa(i) + "]"
		if !it.IsObject() {
			errs = append(errs, &SettingError{Key: where, Msg: "must be an object, got " + typeName(it)})
			continue
		}
		sub := Subscription{
			Name:          looseString(it.Get("name")),
			Subscribe:     looseString(it.Get("subscribe")),
			PartnerAction: looseString(it.Get("partnerAction")),
			Mapping:       it.Get("mapping").Raw,
			// Segment's runtime runs a subscription only when enabled is
			// true: missing, "true" or 1 leave it off.
			Enabled: it.Get("enabled").Kind == rawjson.True,
		}
		if sub.Mapping == "" {
			sub.Mapping = "{}"
		}
		subs = append(subs, sub)
	}
	return subs, errors.Join(errs...)
}

func parseHosts(v rawjson.Value) ([]string, error) {
	var raw []string
	switch {
	case v.Kind == rawjson.String:
		raw = strings.Split(v.Str, ",")
	case v.IsArray():
		ok := true
		v.ForEach(func(_, h rawjson.Value) bool {
			ok = h.Kind == rawjson.String
			raw = append(raw, h.Str)
			return ok
		})
		if !ok {
			return nil, errors.New("must list host names as strings")
		}
	default:
		return nil, errors.New("must be a comma-separated string or an array of host names")
	}
	var hosts []string
	for _, h := range raw {
		h = strings.ToLower(strings.TrimSpace(h))
		if h == "" {
			continue
		}
		if strings.ContainsAny(h, "/:@?#%\\ ") || !isASCII(h) {
			return nil, errors.New("host " + quote(h) + " must be a plain ASCII host name such as " + DefaultChallengeHost)
		}
		hosts = append(hosts, h)
	}
	if len(hosts) == 0 {
		return nil, errors.New("must name at least one host")
	}
	return hosts, nil
}

// checkPageURL accepts an absolute http or https URL a browser may be sent to.
func checkPageURL(s string) error {
	u, ok := urls.Parse(s)
	if ok && u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https" {
		return errors.New("must use http or https, got " + quote(u.Scheme+":"))
	}
	if !ok || u.Scheme == "" || u.Host == "" {
		return errors.New("must be an absolute http(s) URL, with scheme and host (e.g. https://www.example.com/page), got " + quote(s))
	}
	if u.User {
		return errors.New("must not carry user info (user@host): " + quote(s))
	}
	if !hostnameOK(u.Hostname) {
		return errors.New("has a host a browser cannot use: " + quote(u.Host))
	}
	return nil
}

// hostnameOK accepts a DNS name (ASCII or internationalised: letters,
// digits, '-', '.') or an IP address, so that every URL that passes can
// be navigated to; a stray symbol or U+FFFD would make the browser throw.
func hostnameOK(h string) bool {
	if h == "" {
		return false
	}
	if strings.Contains(h, ":") { // IPv6, from a bracketed host
		for _, r := range h {
			if !(r == ':' || r == '.' || '0' <= r && r <= '9' || 'a' <= r && r <= 'f' || 'A' <= r && r <= 'F') {
				return false
			}
		}
		return true
	}
	for _, r := range h {
		if !(r == '-' || r == '.' || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)) {
			return false
		}
	}
	return true
}

// checkAPIBase accepts https URLs, and http only for loopback hosts (a local
// simulator or proxy); it returns the base without a trailing slash.
func checkAPIBase(s string) (string, error) {
	if err := checkPageURL(s); err != nil {
		return "", err
	}
	u, _ := urls.Parse(s)
	if u.Scheme == "http" && !isLoopback(u.Hostname) {
		return "", errors.New("must use https (plain http is allowed only for loopback hosts such as 127.0.0.1), got " + quote(s))
	}
	if u.HasQuery || u.HasFragment {
		return "", errors.New("must not have a query or fragment: " + quote(s))
	}
	return strings.TrimRight(s, "/"), nil
}

func isLoopback(host string) bool {
	return host == "localhost" || host == "::1" || strings.HasPrefix(host, "127.") && urls.IsIPv4(host)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 || s[i] < 0x20 {
			return false
		}
	}
	return true
}

func hasErr(errs []error, key string) bool {
	for _, e := range errs {
		if se, ok := e.(*SettingError); ok && se.Key == key {
			return true
		}
	}
	return false
}

// looseString is a string value's text, "" for null or nothing, and the
// JSON text of any other value (which then fails the check it is put to,
// with its text in the error).
func looseString(v rawjson.Value) string {
	switch v.Kind {
	case rawjson.String:
		return v.Str
	case rawjson.Null, rawjson.Undefined:
		return ""
	}
	return v.Raw
}

func typeName(v rawjson.Value) string {
	switch v.Kind {
	case rawjson.Undefined:
		return "nothing"
	case rawjson.Null:
		return "null"
	case rawjson.False, rawjson.True:
		return "a boolean"
	case rawjson.Number:
		return "a number"
	case rawjson.String:
		return "a string"
	}
	if v.IsArray() {
		return "an array"
	}
	return "an object"
}

// maxQuoted bounds how much of a value an error message quotes: a
// megabyte-long setting or URL should not make a megabyte-long error.
const maxQuoted = 200

// quote is strconv.Quote of s, shortened to its first maxQuoted bytes.
func quote(s string) string {
	if len(s) <= maxQuoted {
		return strconv.Quote(s)
	}
	return strconv.Quote(s[:maxQuoted]) + "… (" + strconv.Itoa(len(s)) + " bytes)"
}
