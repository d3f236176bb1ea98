package action

import (
	"errors"
	"math"

	"rupt-actions-wasm/action/internal/jsnum"
	"rupt-actions-wasm/action/internal/jsonw"
	"rupt-actions-wasm/action/internal/rawjson"
	"rupt-actions-wasm/action/internal/urls"
	"rupt-actions-wasm/action/mapping"
)

// Request is an HTTP request Go decided on and the shim performs with fetch.
type Request struct {
	URL     string
	Method  string
	Headers map[string]string
	Body    string
	// headers is Headers as JSON when made once for many requests
	// (apiHeaders); "" to write them from Headers.
	headers string
}

// AttachRequest is one POST /v2/device/attach. Its Request.Body is not
// set: the body is Body (or BodyParts), kept in parts so that the device's
// members (about 5 KB) are not copied into every attach.
type AttachRequest struct {
	Request
	// ID names the attach while it is in flight: Rupt's answer comes back
	// with it (Destination.HandleAttach). Zero until the destination sends it.
	ID int
	// Subscription is the name of the subscription that produced it.
	Subscription string
	// context is what the decision on Rupt's answer needs; the destination
	// keeps it by ID while the attach is in flight.
	context AttachContext
	// key says which attaches are identical to this one (attachKey).
	key string
	// The body is head + members + tail (see BodyParts); members is the
	// text the device names membersVersion (0: none).
	head, members, tail string
	membersVersion      uint32
}

// Body is the attach's body, the JSON Rupt's SDK would send.
func (r AttachRequest) Body() string { return r.head + r.members + r.tail }

// BodyParts splits the body around the device's members (the signals and
// the fingerprints, about 5 KB that are the same in every attach until
// they change): Body() is head + members + tail. version names the members
// text for the life of the page (0 when the device did not come from a
// DeviceState; then members is written out like the rest), so that the
// bridge sends it once and the shim rebuilds each body from its parts.
func (r AttachRequest) BodyParts() (head, members, tail string, version uint32) {
	return r.head, r.members, r.tail, r.membersVersion
}

// AttachContext is what the decision on Rupt's answer to an attach needs.
type AttachContext struct {
	_           [0]func() // not comparable: no equality function in the download
	Account     string
	Fingerprint string
	// URL is location.href when the event arrived.
	URL string
	// Attempt counts earlier sends of this attach (0 the first time), and
	// RetryAfter is the answer's Retry-After header.
	Attempt    int
	RetryAfter string
	// user is the "user" of the attach body as sent (JSON), for the detach.
	user string
}

// ErrNoAccount means the mapped payload has no usable account: no request is
// sent for it.
var ErrNoAccount = errors.New("no account: the mapped account is missing, empty, or not a string or number (the default maps $.userId; is the user signed in?)")

// BuildAttach builds the attach request for a mapped payload (the
// subscription's mapping evaluated on the event), the page path of the
// page view the event belongs to (see pageOf) and the device.
func BuildAttach(s *Settings, p mapping.Payload, page string, dev Device) (AttachRequest, error) {
	user := p.Get("account")
	account, ok := accountOf(user)
	if !ok {
		return AttachRequest{}, ErrNoAccount
	}
	// The body, in the order Rupt's SDK writes it. Keys without a value
	// are left out, as JSON.stringify leaves out undefined.
	// The head and the tail are written into b; the device's members (5 KB,
	// made once per change) go between them when the body is joined.
	b := make([]byte, 0, 320)
	b = appendText(append(b, `{"user":`...), user)
	userJSON := string(b[len(`{"user":`):])
	headEnd := len(b)
	members := dev.members
	if dev.membersVersion == 0 {
		members = string(dev.appendMembers(nil))
	}
	metadata := ""
	if m := p.Get("metadata"); m.Kind() == mapping.Object {
		b = append(b, `,"metadata":`...)
		start := len(b)
		b, _ = m.AppendJSON(b)
		metadata = string(b[start:])
	}
	// callbacks: the page does not handle these itself; this bundle
	// follows the redirects, like Segment's destination.
	b = append(b, `,"callbacks":{"on_challenge":false,"limit_exceeded":false},"redirects":{"new_account":`...)
	b = jsonw.AppendBool(b, s.NewAccountURL != "")
	b = append(b, `,"logout":`...)
	b = jsonw.AppendBool(b, s.LogoutURL != "")
	b = append(b, '}')
	if dev.LastBlockingAccess != "" {
		b = jsonw.AppendField(b, false, "last_blocking_access", dev.LastBlockingAccess)
	}
	if dev.LastChallenge != "" {
		b = jsonw.AppendField(b, false, "last_challenge", dev.LastChallenge)
	}
	b = jsonw.AppendField(b, false, "client", SDKClient)
	b = jsonw.AppendField(b, false, "version", SDKVersion)
	// include_page is on unless the mapping gives it a falsy value: Rupt's
	// SDK defaults it to true only when it is undefined.
	if ip := p.Get("include_page"); ip.Kind() != mapping.Undefined && !ip.Truthy() {
		page = ""
	}
	if page != "" {
		b = jsonw.AppendField(b, false, "page", page)
	}
	email, phone := p.Get("email"), p.Get("phone")
	if textOf(email) != "" {
		b = appendText(append(b, `,"email":`...), email)
	}
	if textOf(phone) != "" {
		b = appendText(append(b, `,"phone":`...), phone)
	}
	b = append(b, '}')
	headTail := jsonw.BytesString(b)
	headers := apiHeaders(s) // before s.headersJSON is read: it makes it
	return AttachRequest{
		Request: Request{
			URL:     attachURL(s),
			Method:  "POST",
			Headers: headers,
			headers: s.headersJSON,
		},
		head:           headTail[:headEnd],
		members:        members,
		tail:           headTail[headEnd:],
		context:        AttachContext{Account: account, Fingerprint: dev.Fingerprint, URL: dev.URL, user: userJSON},
		key:            attachKey(account, page, textOf(email), textOf(phone), metadata),
		membersVersion: dev.membersVersion,
	}, nil
}

// textOf is the text a string or number field is sent as (a number as its
// JavaScript string), or "" for any other field, which is left out.
func textOf(f mapping.Field) string {
	switch f.Kind() {
	case mapping.String:
		return f.Str()
	case mapping.Number:
		return jsnum.String(f.Num())
	}
	return ""
}

// appendText appends a string or number field as a JSON string: a string
// exactly as JSON.stringify writes it, a number as its JavaScript string.
func appendText(b []byte, f mapping.Field) []byte {
	if f.Kind() == mapping.String {
		b, _ = f.AppendJSON(b)
		return b
	}
	return jsonw.AppendString(b, textOf(f))
}

// apiHeaders are the headers of every Rupt API call. The Authorization value
// is literally "Basic <client_id>:<secret>", not base64, and a browser never
// has a secret. They are made once per settings and shared by every request
// (nothing changes a request's headers).
func apiHeaders(s *Settings) map[string]string {
	if s.headers == nil {
		s.headers = map[string]string{
			"Content-Type":  "application/json",
			"Authorization": authValue(s),
		}
		s.headersJSON = string(appendMap(nil, s.headers))
	}
	return s.headers
}

// AttachHead is the url, method and headers of every attach request
// the destination builds (AttachRequest.Request without its body).
func (d *Destination) AttachHead() Request {
	s := &d.Settings
	headers := apiHeaders(s) // before s.headersJSON is read: it makes it
	return Request{URL: attachURL(s), Method: "POST", Headers: headers, headers: s.headersJSON}
}

// attachURL is the attach endpoint, made once per settings.
func attachURL(s *Settings) string {
	if s.attachURL == "" {
		s.attachURL = s.APIBase + "/v2/device/attach"
	}
	return s.attachURL
}

func authValue(s *Settings) string { return "Basic " + s.ClientID + ":" }

// BuildDetach builds POST /v2/device/<device>/detach for the account.
func BuildDetach(s *Settings, deviceID, account string) (Request, error) {
	if account == "" {
		return Request{}, errors.New("detach: no attached device to detach")
	}
	return buildDetach(s, deviceID, string(jsonw.AppendString(nil, account)))
}

// buildDetach builds the detach with user, the JSON text the attach sent
// as its user, so that Rupt gets the very same user (a lone surrogate in
// an account stays the escape JSON.stringify wrote, not U+FFFD).
func buildDetach(s *Settings, deviceID, user string) (Request, error) {
	if deviceID == "" || user == "" {
		return Request{}, errors.New("detach: no attached device to detach")
	}
	b := append(append([]byte(`{"user":`), user...), '}')
	headers := apiHeaders(s) // before s.headersJSON is read: it makes it
	return Request{
		URL:     s.APIBase + "/v2/device/" + urls.PathEscape(deviceID) + "/detach",
		Method:  "POST",
		Headers: headers,
		headers: s.headersJSON,
		Body:    string(b),
	}, nil
}

// pageOf is the path of the page view the event belongs to: the event's own
// context.page.path, else the path the shim saw when the event arrived.
func pageOf(event rawjson.Value, dev Device) string {
	if p := event.Get("context.page.path"); p.Kind == rawjson.String && p.Str != "" {
		return p.Str
	}
	return dev.Path
}

// accountOf is the account a mapped account field names: a non-empty
// string, or a finite number as its JavaScript string.
func accountOf(f mapping.Field) (string, bool) {
	switch f.Kind() {
	case mapping.String:
		return f.Str(), f.Str() != ""
	case mapping.Number:
		if math.IsInf(f.Num(), 0) || math.IsNaN(f.Num()) {
			return "", false
		}
		return jsnum.String(f.Num()), true
	}
	return "", false
}
