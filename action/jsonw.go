package action

import (
	"strconv"
	"unicode/utf8"
)

// A few append-style JSON writers for the per-event path: the attach body
// and the evaluation answer are written without reflection. (Package
// mapping has its own writer: its strings may hold lone UTF-16 surrogates,
// kept as WTF-8, which JSON.stringify writes as \uD800 escapes; here every
// string is UTF-8 and invalid bytes become U+FFFD.)

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string, escaped as JSON.stringify does;
// invalid UTF-8 becomes U+FFFD.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
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
	b = append(b, s[start:]...)
	return append(b, '"')
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
		b = appendField(b, false, "body", r.Body)
	}
	b = appendField(b, false, "subscription", r.Subscription)
	b = append(b, `,"context":{`...)
	c := r.Context
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
	b = append(b, ":["...)
	for i, p := range ps {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(appendField(append(b, '{'), true, "subscription", p.Subscription), ',')
		b = append(appendField(b, true, "error", p.Error), '}')
	}
	return append(b, ']')
}
