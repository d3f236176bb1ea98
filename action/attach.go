package action

import (
	"encoding/json"
	"errors"
	"math"
	"net/url"
	"strconv"

	"github.com/tidwall/gjson"
)

// Device is what the JS shim knows about this browser when an event arrives.
type Device struct {
	// Signals is the legacy signals object (raw JSON), sent as "signals".
	Signals json.RawMessage `json:"signals,omitempty"`
	// Fingerprint is the current fuzzy hash.
	Fingerprint string `json:"fingerprint,omitempty"`
	// LastFingerprint is rpt_last_fp read back from cookie, localStorage or
	// sessionStorage.
	LastFingerprint string `json:"last_fingerprint,omitempty"`
	// LastBlockingAccess and LastChallenge are the rpt_last_blocking_access
	// and rpt_last_challenge cookies.
	LastBlockingAccess string `json:"last_blocking_access,omitempty"`
	LastChallenge      string `json:"last_challenge,omitempty"`
	// Path is location.pathname when the event arrived; URL is location.href
	// then. In a single-page app the location moves on while a request is
	// prepared, so these are captured at arrival, never at send time.
	Path string `json:"path,omitempty"`
	URL  string `json:"url,omitempty"`
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
}

// AttachContext is the part of an attach that the decision on its answer needs.
type AttachContext struct {
	Account     string `json:"account"`
	Fingerprint string `json:"fingerprint,omitempty"`
	Page        string `json:"page,omitempty"`
	URL         string `json:"url,omitempty"`
	// Attempt counts earlier sends of this attach (0 the first time) and
	// RetryAfter is the answer's Retry-After header; the shim fills both.
	Attempt    int    `json:"attempt,omitempty"`
	RetryAfter string `json:"retry_after,omitempty"`
}

type attachBody struct {
	User               string          `json:"user"`
	Signals            json.RawMessage `json:"signals,omitempty"`
	Fingerprint        string          `json:"fingerprint,omitempty"`
	LastFingerprint    string          `json:"last_fingerprint,omitempty"`
	Metadata           json.RawMessage `json:"metadata,omitempty"`
	Callbacks          attachCallbacks `json:"callbacks"`
	Redirects          attachRedirects `json:"redirects"`
	LastBlockingAccess string          `json:"last_blocking_access,omitempty"`
	LastChallenge      string          `json:"last_challenge,omitempty"`
	Client             string          `json:"client"`
	Version            string          `json:"version"`
	Page               string          `json:"page,omitempty"`
	Email              string          `json:"email,omitempty"`
	Phone              string          `json:"phone,omitempty"`
}

// attachCallbacks tells Rupt whether the page handles these itself. This
// bundle follows the redirects itself, like Segment's destination.
type attachCallbacks struct {
	OnChallenge   bool `json:"on_challenge"`
	LimitExceeded bool `json:"limit_exceeded"`
}

type attachRedirects struct {
	NewAccount bool `json:"new_account"`
	Logout     bool `json:"logout"`
}

// ErrNoAccount means the mapped payload has no usable account: no request is
// sent for it.
var ErrNoAccount = errors.New("no account: the mapped account is missing, empty, or not a string or number (the default maps $.userId; is the user signed in?)")

// BuildAttach builds the attach request for a mapped payload (raw JSON, the
// output of the subscription's mapping), the event it came from and the device.
func BuildAttach(s *Settings, payload, event []byte, dev Device) (AttachRequest, error) {
	p := gjson.ParseBytes(payload)
	account, ok := accountOf(p.Get("account"))
	if !ok {
		return AttachRequest{}, ErrNoAccount
	}
	body := attachBody{
		User:               account,
		Signals:            dev.Signals,
		Fingerprint:        dev.Fingerprint,
		LastFingerprint:    dev.LastFingerprint,
		LastBlockingAccess: dev.LastBlockingAccess,
		LastChallenge:      dev.LastChallenge,
		Client:             SDKClient,
		Version:            SDKVersion,
		Redirects:          attachRedirects{NewAccount: s.NewAccountURL != "", Logout: s.LogoutURL != ""},
		Email:              stringField(p.Get("email")),
		Phone:              stringField(p.Get("phone")),
	}
	if m := p.Get("metadata"); m.IsObject() {
		body.Metadata = json.RawMessage(m.Raw)
	}
	page := pageOf(event, dev)
	// include_page is on unless the mapping turns it off, as in Rupt's SDK.
	if p.Get("include_page").Type != gjson.False {
		body.Page = page
	}
	b, err := json.Marshal(body)
	if err != nil {
		return AttachRequest{}, errors.New("attach: cannot encode the request body: " + err.Error())
	}
	return AttachRequest{
		Request: Request{
			URL:     s.APIBase + "/v2/device/attach",
			Method:  "POST",
			Headers: apiHeaders(s),
			Body:    string(b),
		},
		Context: AttachContext{Account: account, Fingerprint: dev.Fingerprint, Page: page, URL: dev.URL},
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
	b, err := json.Marshal(struct {
		User string `json:"user"`
	}{account})
	if err != nil {
		return Request{}, errors.New("detach: cannot encode the request body: " + err.Error())
	}
	return Request{
		URL:     s.APIBase + "/v2/device/" + url.PathEscape(deviceID) + "/detach",
		Method:  "POST",
		Headers: apiHeaders(s),
		Body:    string(b),
	}, nil
}

// pageOf is the path of the page view the event belongs to: the event's own
// context.page.path, else the path the shim saw when the event arrived.
func pageOf(event []byte, dev Device) string {
	if p := gjson.GetBytes(event, "context.page.path"); p.Type == gjson.String && p.Str != "" {
		return p.Str
	}
	return dev.Path
}

func accountOf(v gjson.Result) (string, bool) {
	switch v.Type {
	case gjson.String:
		if v.Str == "" {
			return "", false
		}
		return v.Str, true
	case gjson.Number:
		if math.IsInf(v.Num, 0) || math.IsNaN(v.Num) {
			return "", false
		}
		return jsNumber(v.Num), true
	}
	return "", false
}

// stringField reads an optional string field; numbers are taken as their JS
// string form (a phone number mapped from a numeric trait).
func stringField(v gjson.Result) string {
	switch v.Type {
	case gjson.String:
		return v.Str
	case gjson.Number:
		return jsNumber(v.Num)
	}
	return ""
}

// jsNumber formats f as JavaScript's String(f) does for the common cases.
func jsNumber(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e21 {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}
