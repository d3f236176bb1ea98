package action

import (
	"errors"
	"math"
	"unsafe"

	"rupt-actions-wasm/action/internal/jsnum"
	"rupt-actions-wasm/action/internal/rawjson"
)

// Device is what the JS shim knows about this browser when an event arrives.
type Device struct {
	// Signals is the legacy signals object, sent as "signals".
	Signals Signals
	// Fingerprint is the current fuzzy hash.
	Fingerprint string
	// LastFingerprint is rpt_last_fp read back from cookie, localStorage or
	// sessionStorage.
	LastFingerprint string
	// LastBlockingAccess and LastChallenge are the rpt_last_blocking_access
	// and rpt_last_challenge cookies.
	LastBlockingAccess string
	LastChallenge      string
	// SignalsPending means the device's signals are not collected yet
	// (nothing is collected from a visitor until an event attaches): an
	// event that would attach asks for them instead (Evaluation.NeedsDevice).
	SignalsPending bool
	// Path is location.pathname when the event arrived; URL is location.href
	// then. In a single-page app the location moves on while a request is
	// prepared, so these are captured at arrival, never at send time.
	Path string
	URL  string
	// At is when the event arrived, in milliseconds on the shim's clock
	// (performance.now()): identical attaches are told apart by it.
	At float64
}

// Signals is a legacy signals object, checked once to be a JSON object so
// that every attach can copy it into its body as it is.
type Signals struct {
	raw string
	// quoted is raw escaped as inside a JSON string, made once: the
	// answer carries the attach body as a JSON string, and the signals
	// (kilobytes of quotes) are most of what would be escaped each time.
	quoted string
}

// IsZero reports whether no signals are set.
func (s Signals) IsZero() bool { return len(s.raw) == 0 }

// NewSignals checks raw (JSON) and keeps it.
func NewSignals(raw string) (Signals, error) {
	if _, err := jsonObject(raw, "device signals"); err != nil {
		return Signals{}, err
	}
	return Signals{raw: raw, quoted: string(appendContent(nil, raw))}, nil
}

// ParseDevice reads the device context the shim sends with an event:
// {"path", "url", "at", "last_fingerprint", "last_blocking_access",
// "last_challenge"}, and optionally "signals" (an object) and
// "fingerprint". Fields of the wrong type are ignored.
func ParseDevice(raw string) (Device, error) {
	r, err := jsonObject(raw, "device context")
	if err != nil {
		return Device{}, err
	}
	// One pass over the members (the fingerprints make the context a few
	// kilobytes); as with Get, the first of a repeated key counts.
	var d Device
	var seen [7]bool
	r.ForEach(func(k, v rawjson.Value) bool {
		var dst *string
		i := 0
		switch k.Str {
		case "fingerprint":
			dst, i = &d.Fingerprint, 1
		case "last_fingerprint":
			dst, i = &d.LastFingerprint, 2
		case "last_blocking_access":
			dst, i = &d.LastBlockingAccess, 3
		case "last_challenge":
			dst, i = &d.LastChallenge, 4
		case "path":
			dst, i = &d.Path, 5
		case "url":
			dst, i = &d.URL, 6
		case "at":
			if v.Kind == rawjson.Number && d.At == 0 {
				d.At = v.Num
			}
			return true
		case "signals":
			if !seen[0] && v.IsObject() {
				d.Signals = Signals{raw: v.Raw}
			}
			seen[0] = true
			return true
		default:
			return true
		}
		if !seen[i] && v.Kind == rawjson.String {
			*dst = v.Str
		}
		seen[i] = true
		return true
	})
	return d, nil
}

// Request is an HTTP request Go decided on and the shim performs with fetch.
type Request struct {
	URL     string            `json:"url"`
	Method  string            `json:"method"`
	Headers map[string]string `json:"headers"`
	Body    string            `json:"body,omitempty"`
}

// AttachRequest is one POST /v2/device/attach, with what is needed to decide
// on its answer.
type AttachRequest struct {
	Request
	// Subscription is the name of the subscription that produced it.
	Subscription string `json:"subscription"`
	// Context goes back to Go with Rupt's answer (see Destination.DecideAttach).
	Context AttachContext `json:"context"`
	// quoted lets the answer copy the signals' escaped form into the
	// body instead of escaping them again.
	quoted bodySplice
	// key says which attaches are identical to this one (attachKey).
	key string
}

// bodySplice is where in an attach body the signals are, with their
// escaped form. It applies only to the body it was made for.
type bodySplice struct {
	body       string
	start, end int
	quoted     string
}

// appendBody appends body escaped as inside a JSON string.
func (q bodySplice) appendBody(b []byte, body string) []byte {
	if q.quoted == "" || len(body) != len(q.body) || unsafe.StringData(body) != unsafe.StringData(q.body) {
		return appendContent(b, body)
	}
	b = appendContent(b, body[:q.start])
	b = append(b, q.quoted...)
	return appendContent(b, body[q.end:])
}

// AttachContext is the part of an attach that the decision on its answer needs.
type AttachContext struct {
	// ID names the attach while it is in flight (see Destination.Evaluate).
	ID          int    `json:"id,omitempty"`
	Account     string `json:"account"`
	Fingerprint string `json:"fingerprint,omitempty"`
	Page        string `json:"page,omitempty"`
	URL         string `json:"url,omitempty"`
	// Attempt counts earlier sends of this attach (0 the first time) and
	// RetryAfter is the answer's Retry-After header; the shim fills both.
	Attempt    int    `json:"attempt,omitempty"`
	RetryAfter string `json:"retry_after,omitempty"`
}

// ErrNoAccount means the mapped payload has no usable account: no request is
// sent for it.
var ErrNoAccount = errors.New("no account: the mapped account is missing, empty, or not a string or number (the default maps $.userId; is the user signed in?)")

// BuildAttach builds the attach request for a mapped payload (raw JSON, the
// output of the subscription's mapping), the event it came from and the device.
func BuildAttach(s *Settings, payload []byte, event string, dev Device) (AttachRequest, error) {
	p := rawjson.Parse(string(payload))
	account, ok := accountOf(p.Get("account"))
	if !ok {
		return AttachRequest{}, ErrNoAccount
	}
	page := pageOf(event, dev)
	// The body, in the order Rupt's SDK writes it. Keys without a value
	// are left out, as JSON.stringify leaves out undefined.
	b := make([]byte, 0, 320+len(dev.Signals.raw)+2*len(dev.Fingerprint))
	b = append(b, '{')
	b = appendField(b, true, "user", account)
	var q bodySplice
	if len(dev.Signals.raw) > 0 {
		b = append(b, `,"signals":`...)
		q.start = len(b)
		b = append(b, dev.Signals.raw...)
		q.end, q.quoted = len(b), dev.Signals.quoted
	}
	if dev.Fingerprint != "" {
		b = appendField(b, false, "fingerprint", dev.Fingerprint)
	}
	if dev.LastFingerprint != "" {
		b = appendField(b, false, "last_fingerprint", dev.LastFingerprint)
	}
	metadata := ""
	if m := p.Get("metadata"); m.IsObject() {
		metadata = m.Raw
		b = append(b, `,"metadata":`...)
		b = append(b, metadata...)
	}
	// callbacks: the page does not handle these itself; this bundle
	// follows the redirects, like Segment's destination.
	b = append(b, `,"callbacks":{"on_challenge":false,"limit_exceeded":false},"redirects":{"new_account":`...)
	b = appendBool(b, s.NewAccountURL != "")
	b = append(b, `,"logout":`...)
	b = appendBool(b, s.LogoutURL != "")
	b = append(b, '}')
	if dev.LastBlockingAccess != "" {
		b = appendField(b, false, "last_blocking_access", dev.LastBlockingAccess)
	}
	if dev.LastChallenge != "" {
		b = appendField(b, false, "last_challenge", dev.LastChallenge)
	}
	b = appendField(b, false, "client", SDKClient)
	b = appendField(b, false, "version", SDKVersion)
	// include_page is on unless the mapping gives it a falsy value: Rupt's
	// SDK defaults it to true only when it is undefined.
	if ip := p.Get("include_page"); ip.Kind != rawjson.Undefined && !truthy(ip) {
		page = ""
	}
	if page != "" {
		b = appendField(b, false, "page", page)
	}
	email := stringField(p.Get("email"))
	if email != "" {
		b = appendField(b, false, "email", email)
	}
	phone := stringField(p.Get("phone"))
	if phone != "" {
		b = appendField(b, false, "phone", phone)
	}
	b = append(b, '}')
	q.body = bytesString(b)
	return AttachRequest{
		Request: Request{
			URL:     s.APIBase + "/v2/device/attach",
			Method:  "POST",
			Headers: apiHeaders(s),
			Body:    q.body,
		},
		Context: AttachContext{Account: account, Fingerprint: dev.Fingerprint, Page: page, URL: dev.URL},
		quoted:  q,
		key:     attachKey(account, page, email, phone, metadata),
	}, nil
}

// apiHeaders are the headers of every Rupt API call. The Authorization value
// is literally "Basic <client_id>:<secret>", not base64, and a browser never
// has a secret.
func apiHeaders(s *Settings) map[string]string {
	return map[string]string{
		"Content-Type":  "application/json",
		"Authorization": authValue(s),
	}
}

func authValue(s *Settings) string { return "Basic " + s.ClientID + ":" }

// BuildDetach builds POST /v2/device/<device>/detach for the account.
func BuildDetach(s *Settings, deviceID, account string) (Request, error) {
	if deviceID == "" || account == "" {
		return Request{}, errors.New("detach: no attached device to detach")
	}
	b := append(appendField([]byte{'{'}, true, "user", account), '}')
	return Request{
		URL:     s.APIBase + "/v2/device/" + pathEscape(deviceID) + "/detach",
		Method:  "POST",
		Headers: apiHeaders(s),
		Body:    string(b),
	}, nil
}

// pageOf is the path of the page view the event belongs to: the event's own
// context.page.path, else the path the shim saw when the event arrived.
func pageOf(event string, dev Device) string {
	if p := rawjson.Parse(event).Get("context.page.path"); p.Kind == rawjson.String && p.Str != "" {
		return p.Str
	}
	return dev.Path
}

func accountOf(v rawjson.Value) (string, bool) {
	switch v.Kind {
	case rawjson.String:
		if v.Str == "" {
			return "", false
		}
		return v.Str, true
	case rawjson.Number:
		if math.IsInf(v.Num, 0) || math.IsNaN(v.Num) {
			return "", false
		}
		return jsnum.String(v.Num), true
	}
	return "", false
}

// truthy is JavaScript's truthiness of a JSON value: false, null, 0, NaN
// and "" are falsy, every other value (objects and arrays too) is truthy.
func truthy(v rawjson.Value) bool {
	switch v.Kind {
	case rawjson.Undefined, rawjson.Null, rawjson.False:
		return false
	case rawjson.Number:
		return v.Num != 0 && !math.IsNaN(v.Num)
	case rawjson.String:
		return v.Str != ""
	}
	return true
}

// stringField reads an optional string field; numbers are taken as their JS
// string form (a phone number mapped from a numeric trait).
func stringField(v rawjson.Value) string {
	switch v.Kind {
	case rawjson.String:
		return v.Str
	case rawjson.Number:
		return jsnum.String(v.Num)
	}
	return ""
}

// ParseAttachContext reads an AttachContext back from its JSON (as
// attachDevice returned it, with "attempt" and "retry_after" added by the
// shim). Unknown keys are ignored; a known key of the wrong type is an error.
func ParseAttachContext(raw string) (AttachContext, error) {
	r, err := jsonObject(raw, "attach context")
	if err != nil {
		return AttachContext{}, err
	}
	var c AttachContext
	r.ForEach(func(k, v rawjson.Value) bool {
		var dst *string
		switch k.Str {
		case "account":
			dst = &c.Account
		case "fingerprint":
			dst = &c.Fingerprint
		case "page":
			dst = &c.Page
		case "url":
			dst = &c.URL
		case "retry_after":
			dst = &c.RetryAfter
		case "id", "attempt":
			n := &c.Attempt
			if k.Str == "id" {
				n = &c.ID
			}
			switch {
			case v.Kind == rawjson.Null:
			case v.Kind != rawjson.Number || v.Num != math.Trunc(v.Num) || math.Abs(v.Num) > 1<<53:
				err = errors.New("attach context is not valid: " + k.Str + " must be a whole number")
			default:
				*n = int(v.Num)
			}
			return err == nil
		default:
			return true
		}
		switch v.Kind {
		case rawjson.Null:
		case rawjson.String:
			*dst = v.Str
		default:
			err = errors.New("attach context is not valid: " + k.Str + " must be a string")
		}
		return err == nil
	})
	return c, err
}
