package action

import (
	"strconv"

	"rupt-actions-wasm/action/internal/jsonw"
	"rupt-actions-wasm/action/internal/stable"
)

// The answers Go hands the shim, written without reflection (see package
// jsonw): evaluations, requests, outcomes and problems.

// AppendQuote appends s as a JSON string, escaped as JSON.stringify does;
// invalid UTF-8 becomes U+FFFD.
func AppendQuote(b []byte, s string) []byte { return jsonw.AppendString(b, s) }

// AppendJSON appends the evaluation as JSON, without reflection (it is on
// the per-event path): {"matched", "requests", "needs_device", "outcome",
// "skipped", "problems"}, leaving out what is not set. A request appears as
// {"id", "members", "subscription"}: its url, method and headers are the
// destination's, the same for every attach (Destination.AttachHead, which
// the shim is handed once), and its body leaves Go as texts of its own
// (see AttachRequest.BodyParts; "members" names the device's members text
// the body holds).
func (e Evaluation) AppendJSON(b []byte) []byte {
	b = append(b, `{"matched":`...)
	b = strconv.AppendInt(b, int64(e.Matched), 10)
	if len(e.Requests) > 0 {
		b = append(b, `,"requests":[`...)
		for i, r := range e.Requests {
			if i > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendInt(append(b, `{"id":`...), int64(r.ID), 10)
			if r.membersVersion != 0 {
				b = strconv.AppendUint(append(b, `,"members":`...), uint64(r.membersVersion), 10)
			}
			b = jsonw.AppendField(b, false, "subscription", r.Subscription)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if e.NeedsDevice {
		b = append(b, `,"needs_device":true`...)
	}
	if e.Outcome != nil {
		b = e.Outcome.AppendJSON(append(b, `,"outcome":`...))
	}
	b = appendProblems(b, "skipped", e.Skipped)
	b = appendProblems(b, "problems", e.Problems)
	return append(b, '}')
}

func appendProblems(b []byte, key string, ps []Problem) []byte {
	if len(ps) == 0 {
		return b
	}
	b = append(b, ',')
	b = jsonw.AppendString(b, key)
	b = append(b, ':')
	return AppendProblems(b, ps)
}

// appendMap appends m as a JSON object with its keys in byte order, as
// encoding/json would.
func appendMap(b []byte, m map[string]string) []byte {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	stable.Sort(byText(keys)) // not sort.Strings: that is slices.Sort, another 15 KB of WebAssembly
	b = append(b, '{')
	for i, k := range keys {
		b = jsonw.AppendField(b, i == 0, k, m[k])
	}
	return append(b, '}')
}

// AppendJSON appends r's head as JSON: {"url","method","headers"}. The
// body is not in it: it leaves Go as text of its own.
func (r Request) AppendJSON(b []byte) []byte {
	return append(r.appendHead(append(b, '{')), '}')
}

// appendHead appends "url", "method" and "headers" as members.
func (r Request) appendHead(b []byte) []byte {
	b = jsonw.AppendField(b, true, "url", r.URL)
	b = jsonw.AppendField(b, false, "method", r.Method)
	b = append(b, `,"headers":`...)
	if r.headers != "" {
		return append(b, r.headers...)
	}
	if r.Headers == nil {
		return append(b, "null"...)
	}
	return appendMap(b, r.Headers)
}

// AppendJSON appends o as JSON, leaving out the fields that are not set.
func (o Outcome) AppendJSON(b []byte) []byte {
	b = append(b, '{')
	first := true
	sep := func() {
		if !first {
			b = append(b, ',')
		}
		first = false
	}
	if len(o.Cookies) > 0 {
		sep()
		b = append(b, `"cookies":[`...)
		for i, c := range o.Cookies {
			if i > 0 {
				b = append(b, ',')
			}
			b = jsonw.AppendField(append(b, '{'), true, "name", c.Name)
			b = jsonw.AppendField(b, false, "value", c.Value)
			b = append(b, `,"max_age":`...)
			b = append(strconv.AppendInt(b, int64(c.MaxAge), 10), '}')
		}
		b = append(b, ']')
	}
	if o.StoreFingerprint != "" {
		sep()
		b = jsonw.AppendField(b, true, "store_fingerprint", o.StoreFingerprint)
	}
	if len(o.Events) > 0 {
		sep()
		b = append(b, `"events":[`...)
		for i, e := range o.Events {
			if i > 0 {
				b = append(b, ',')
			}
			b = jsonw.AppendField(append(b, '{'), true, "type", e.Type)
			b = append(b, `,"detail":`...)
			if e.Detail == nil {
				b = append(b, "null"...)
			} else {
				b = appendMap(b, e.Detail)
			}
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	for _, f := range [...]struct{ k, v string }{
		{"navigate", o.Navigate}, {"reason", o.Reason}, {"listen", o.Listen}, {"listen_device", o.ListenDevice},
	} {
		if f.v != "" {
			sep()
			b = jsonw.AppendField(b, true, f.k, f.v)
		}
	}
	if o.Skip {
		sep()
		b = append(b, `"skip":true`...)
	}
	if o.RetryIn != 0 {
		sep()
		b = append(b, `"retry_in":`...)
		b = strconv.AppendInt(b, int64(o.RetryIn), 10)
	}
	if o.Error != "" {
		sep()
		b = jsonw.AppendField(b, true, "error", o.Error)
	}
	return append(b, '}')
}

// AppendProblems appends ps as a JSON array of {"subscription","error"}.
func AppendProblems(b []byte, ps []Problem) []byte {
	b = append(b, '[')
	for i, p := range ps {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(jsonw.AppendField(append(b, '{'), true, "subscription", p.Subscription), ',')
		b = append(jsonw.AppendField(b, true, "error", p.Error), '}')
	}
	return append(b, ']')
}

// byText orders strings as Go compares them (byte-wise).
type byText []string

func (s byText) Len() int           { return len(s) }
func (s byText) Less(i, j int) bool { return s[i] < s[j] }
func (s byText) Swap(i, j int)      { s[i], s[j] = s[j], s[i] }
