package action

import (
	"slices"
	"strconv"
	"unicode/utf8"
	"unsafe"
)

// Append-style JSON writers for everything Go hands the shim: the attach
// body, the evaluation, outcomes and requests are written without
// reflection, so the WASM carries no encoding/json (with reflect and fmt,
// about a third of its size). (Package
// mapping has its own writer: its strings may hold lone UTF-16 surrogates,
// kept as WTF-8, which JSON.stringify writes as \uD800 escapes; here every
// string is UTF-8 and invalid bytes become U+FFFD.)

const hexDigits = "0123456789abcdef"

// bytesString returns b as a string without copying it (the attach body is
// kilobytes, on every event); b must not be changed afterwards.
func bytesString(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// plain[c] is true for the bytes appendString copies as they are: ASCII
// but controls, '"' and '\\'.
var plain = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// plainRun returns the index of the first byte of s[i:] that is not plain,
// or len(s). It tests eight bytes at a time (SWAR): the attach body and
// the fingerprints are kilobytes of mostly plain text, on every event.
func plainRun(s string, i int) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	zero := func(x uint64) uint64 { return (x - ones) &^ x & highs }
	for len(s)-i >= 8 {
		t := s[i : i+8]
		x := uint64(t[0]) | uint64(t[1])<<8 | uint64(t[2])<<16 | uint64(t[3])<<24 |
			uint64(t[4])<<32 | uint64(t[5])<<40 | uint64(t[6])<<48 | uint64(t[7])<<56
		// A control (< 0x20), '"', '\\' or a byte >= 0x80 ends the run.
		if (x-ones*0x20)&^x&highs|zero(x^(ones*'"'))|zero(x^(ones*'\\'))|x&highs != 0 {
			break
		}
		i += 8
	}
	for i < len(s) && plain[s[i]] {
		i++
	}
	return i
}

// AppendQuote appends s as a JSON string, escaped as JSON.stringify does;
// invalid UTF-8 becomes U+FFFD.
func AppendQuote(b []byte, s string) []byte { return appendString(b, s) }

func appendString(b []byte, s string) []byte {
	return append(appendContent(append(b, '"'), s), '"')
}

// appendContent appends s escaped as inside a JSON string, without quotes.
func appendContent(b []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); {
		i = plainRun(s, i)
		if i == len(s) {
			break
		}
		c := s[i]
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, "\ufffd"...)
			i++
			start = i
			continue
		}
		i += size
	}
	return append(b, s[start:]...)
}

// appendField appends ,"key":"value" (or "key":"value" first in an object
// when first is true).
func appendField(b []byte, first bool, key, value string) []byte {
	if !first {
		b = append(b, ',')
	}
	b = appendString(b, key)
	b = append(b, ':')
	return appendString(b, value)
}

func appendBool(b []byte, v bool) []byte {
	if v {
		return append(b, "true"...)
	}
	return append(b, "false"...)
}

// AppendJSON appends the evaluation as JSON (the shape encoding/json would
// give its struct tags), without reflection: it is on the per-event path.
func (e Evaluation) AppendJSON(b []byte) []byte {
	// Grow once: the bodies are most of the answer, and escaping their
	// quotes adds about a tenth.
	n := 64
	for _, r := range e.Requests {
		n += 256 + len(r.URL) + len(r.Body) + len(r.Body)/8 + len(r.Context.Account) + len(r.Context.Fingerprint) + len(r.Context.Page) + len(r.Context.URL)
	}
	b = slices.Grow(b, n)
	b = append(b, `{"matched":`...)
	b = strconv.AppendInt(b, int64(e.Matched), 10)
	if len(e.Requests) > 0 {
		b = append(b, `,"requests":[`...)
		for i, r := range e.Requests {
			if i > 0 {
				b = append(b, ',')
			}
			b = r.appendJSON(b)
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

func (r AttachRequest) appendJSON(b []byte) []byte {
	b = append(b, '{')
	b = appendField(b, true, "url", r.URL)
	b = appendField(b, false, "method", r.Method)
	b = append(b, `,"headers":{`...)
	first := true
	for _, k := range []string{"Authorization", "Content-Type"} {
		if v, ok := r.Headers[k]; ok {
			b = appendField(b, first, k, v)
			first = false
		}
	}
	b = append(b, '}')
	if r.Body != "" {
		b = append(b, `,"body":"`...)
		b = append(r.quoted.appendBody(b, r.Body), '"')
	}
	b = appendField(b, false, "subscription", r.Subscription)
	b = append(b, `,"context":{`...)
	c := r.Context
	if c.ID != 0 {
		b = strconv.AppendInt(append(b, `"id":`...), int64(c.ID), 10)
		b = append(b, ',')
	}
	b = appendField(b, true, "account", c.Account)
	for _, f := range [...]struct{ k, v string }{{"fingerprint", c.Fingerprint}, {"page", c.Page}, {"url", c.URL}} {
		if f.v != "" {
			b = appendField(b, false, f.k, f.v)
		}
	}
	return append(b, "}}"...)
}

func appendProblems(b []byte, key string, ps []Problem) []byte {
	if len(ps) == 0 {
		return b
	}
	b = append(b, ',')
	b = appendString(b, key)
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
	slices.Sort(keys)
	b = append(b, '{')
	for i, k := range keys {
		b = appendField(b, i == 0, k, m[k])
	}
	return append(b, '}')
}

// AppendJSON appends r as JSON: {"url","method","headers"[,"body"]}.
func (r Request) AppendJSON(b []byte) []byte {
	b = append(b, '{')
	b = appendField(b, true, "url", r.URL)
	b = appendField(b, false, "method", r.Method)
	b = append(b, `,"headers":`...)
	if r.Headers == nil {
		b = append(b, "null"...)
	} else {
		b = appendMap(b, r.Headers)
	}
	if r.Body != "" {
		b = appendField(b, false, "body", r.Body)
	}
	return append(b, '}')
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
			b = appendField(append(b, '{'), true, "name", c.Name)
			b = appendField(b, false, "value", c.Value)
			b = append(b, `,"max_age":`...)
			b = append(strconv.AppendInt(b, int64(c.MaxAge), 10), '}')
		}
		b = append(b, ']')
	}
	if o.StoreFingerprint != "" {
		sep()
		b = appendField(b, true, "store_fingerprint", o.StoreFingerprint)
	}
	if len(o.Events) > 0 {
		sep()
		b = append(b, `"events":[`...)
		for i, e := range o.Events {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendField(append(b, '{'), true, "type", e.Type)
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
			b = appendField(b, true, f.k, f.v)
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
		b = appendField(b, true, "error", o.Error)
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
		b = append(appendField(append(b, '{'), true, "subscription", p.Subscription), ',')
		b = append(appendField(b, true, "error", p.Error), '}')
	}
	return append(b, ']')
}
