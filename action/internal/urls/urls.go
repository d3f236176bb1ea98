// Package urls is the URL handling the destination needs, without net/url:
// that package brings fmt, reflect, net/netip and unique into the WASM
// (about 80 KB of brotli). Parse splits a URL the way net/url.Parse does
// for the checks the destination makes, and refuses more: a query or
// fragment marker where none may be, colons in a host, zone identifiers
// and escapes net/url would also refuse. TestURLsMatchNetURL and FuzzURL
// hold it to net/url: whatever Parse accepts, net/url accepts with the same
// parts; the escapes equal net/url's and JavaScript's.
package urls

import (
	"strings"
)

// URL is the parts of a URL the destination's checks look at.
type URL struct {
	Scheme      string // lower case; "" for a relative URL
	Opaque      bool   // scheme:rest without "//" (mailto:x, javascript:x)
	User        bool   // user info (user@ or user:password@) before the host
	Host        string // host[:port], escapes decoded ([v6]:port for IPv6)
	Hostname    string // host without port and brackets
	Port        string
	Query       string // raw query, after the first '?'
	HasQuery    bool
	Fragment    string // raw fragment, after the first '#'
	HasFragment bool
}

// Parse splits raw, or reports false where net/url would fail (and in a
// few more cases: see above).
func Parse(raw string) (URL, bool) {
	var u URL
	rest, frag, hasFrag := strings.Cut(raw, "#")
	u.Fragment, u.HasFragment = frag, hasFrag
	if !validEscapes(frag) {
		return u, false
	}
	for i := 0; i < len(rest); i++ {
		if c := rest[i]; c < 0x20 || c == 0x7f {
			return u, false
		}
	}
	// The scheme: a letter, then letters, digits, '+', '-', '.', up to ':'.
	for i := 0; i < len(rest); i++ {
		c := rest[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' {
			continue
		}
		if i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.') {
			continue
		}
		if c == ':' {
			if i == 0 {
				return u, false // "missing protocol scheme"
			}
			u.Scheme, rest = strings.ToLower(rest[:i]), rest[i+1:]
		}
		break
	}
	rest, u.Query, u.HasQuery = strings.Cut(rest, "?")
	if !strings.HasPrefix(rest, "/") {
		if u.Scheme != "" {
			u.Opaque = true
			return u, true
		}
		if seg, _, _ := strings.Cut(rest, "/"); strings.Contains(seg, ":") {
			return u, false
		}
	}
	if strings.HasPrefix(rest, "//") && (u.Scheme != "" || !strings.HasPrefix(rest, "///")) {
		authority := rest[2:]
		rest = ""
		if i := strings.IndexByte(authority, '/'); i >= 0 {
			authority, rest = authority[:i], authority[i:]
		}
		if i := strings.LastIndexByte(authority, '@'); i >= 0 {
			if !validUserinfo(authority[:i]) {
				return u, false
			}
			u.User = true
			authority = authority[i+1:]
		}
		if !u.setHost(authority) {
			return u, false
		}
	}
	return u, validEscapes(rest)
}

// setHost checks and decodes host[:port].
func (u *URL) setHost(h string) bool {
	if strings.HasPrefix(h, "[") {
		end := strings.LastIndexByte(h, ']')
		if end < 0 || !validPort(h[end+1:]) || !isIPv6(h[1:end]) {
			return false
		}
		u.Host, u.Hostname = h, h[1:end]
		if end+1 < len(h) {
			u.Port = h[end+2:]
		}
		return true
	}
	name := h
	if i := strings.IndexByte(h, ':'); i >= 0 {
		if !validPort(h[i:]) { // also refuses a second colon
			return false
		}
		name, u.Port = h[:i], h[i+1:]
	}
	// Host bytes: what net/url takes (ASCII letters, digits, "-._~", the
	// sub-delimiters, other bytes of UTF-8, and %XX escapes of those other
	// bytes only); hostnameOK then keeps what a browser can use.
	escaped := false
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			c >= 0x80, strings.IndexByte("-._~!$&'()*+,;=<>\"", c) >= 0:
		case c == '%' && i+2 < len(name) && isHex(name[i+1]) && isHex(name[i+2]) && unhex(name[i+1]) >= 8:
			escaped = true
			i += 2
		default:
			return false
		}
	}
	if escaped {
		name = percentDecode(name)
	}
	u.Hostname, u.Host = name, name
	if u.Port != "" || strings.HasSuffix(h, ":") {
		u.Host = name + ":" + u.Port
	}
	return true
}

// validPort accepts "" or ':' followed by digits.
func validPort(p string) bool {
	if p == "" {
		return true
	}
	if p[0] != ':' {
		return false
	}
	for i := 1; i < len(p); i++ {
		if p[i] < '0' || p[i] > '9' {
			return false
		}
	}
	return true
}

// isIPv6 accepts an IPv6 address in text form (RFC 4291 §2.2: eight groups
// of 1-4 hex digits, or fewer with one "::", the last two groups possibly
// written as a dotted IPv4 address). Zone identifiers are refused.
func isIPv6(s string) bool {
	if s == "" {
		return false
	}
	groups, double := 0, false
	for i := 0; i < len(s); {
		if strings.HasPrefix(s[i:], "::") {
			if double {
				return false
			}
			double = true
			i += 2
			if i == len(s) {
				break
			}
		} else if i > 0 {
			// Between groups: exactly one ':'.
			if s[i] != ':' || i+1 == len(s) {
				return false
			}
			i++
		}
		j := i
		for j < len(s) && j-i < 5 && isHex(s[j]) {
			j++
		}
		if j < len(s) && s[j] == '.' { // the IPv4 tail ends the address
			if !IsIPv4(s[i:]) {
				return false
			}
			groups += 2
			break
		}
		if j == i || j-i > 4 || j < len(s) && s[j] != ':' {
			return false
		}
		groups++
		i = j
	}
	if double {
		return groups < 8
	}
	return groups == 8
}

// IsIPv4 accepts a dotted quad of decimal bytes without leading zeros.
func IsIPv4(s string) bool {
	parts := strings.Split(s, ".")
	if len(parts) != 4 {
		return false
	}
	for _, p := range parts {
		if p == "" || len(p) > 3 || len(p) > 1 && p[0] == '0' {
			return false
		}
		n := 0
		for i := 0; i < len(p); i++ {
			if p[i] < '0' || p[i] > '9' {
				return false
			}
			n = n*10 + int(p[i]-'0')
		}
		if n > 255 {
			return false
		}
	}
	return true
}

// validUserinfo accepts the characters net/url accepts in user info, with
// well-formed escapes.
func validUserinfo(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-._:~!$&'()*+,;=%@", c) >= 0 {
			continue
		}
		return false
	}
	return validEscapes(s)
}

// validEscapes reports whether every '%' in s starts a %XX escape.
func validEscapes(s string) bool {
	for i := strings.IndexByte(s, '%'); i >= 0; {
		if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
			return false
		}
		j := strings.IndexByte(s[i+3:], '%')
		if j < 0 {
			break
		}
		i += 3 + j
	}
	return true
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}

// percentDecode decodes the %XX escapes of s, which must be well formed.
func percentDecode(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' {
			b = append(b, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
			continue
		}
		b = append(b, s[i])
	}
	return string(b)
}

// QueryValue is the first value of key in a raw query, as net/url's
// Query().Get reads it: pairs split at '&', a pair holding ';' or a bad
// escape skipped, '+' read as a space.
func QueryValue(query, key string) (string, bool) {
	for query != "" {
		var pair string
		pair, query, _ = strings.Cut(query, "&")
		if pair == "" || strings.IndexByte(pair, ';') >= 0 {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		if !validEscapes(k) || !validEscapes(v) {
			continue
		}
		if queryUnescape(k) == key {
			return queryUnescape(v), true
		}
	}
	return "", false
}

func queryUnescape(s string) string {
	return percentDecode(strings.ReplaceAll(s, "+", " "))
}

// Bytes PathEscape and QueryEscape leave as they are.
const (
	unreserved   = "-._~"
	pathSegKeeps = unreserved + "$&+:=@"
)

// escape percent-encodes every byte of s but ASCII letters, digits and
// keep (upper-case hex, as net/url writes it); with plusSpace a space
// becomes '+'.
func escape(s, keep string, plusSpace bool) string {
	n := 0
	for i := 0; i < len(s); i++ {
		if !keeps(s[i], keep) && !(plusSpace && s[i] == ' ') {
			n++
		}
	}
	if n == 0 && !(plusSpace && strings.IndexByte(s, ' ') >= 0) {
		return s
	}
	const hex = "0123456789ABCDEF"
	b := make([]byte, 0, len(s)+2*n)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case keeps(c, keep):
			b = append(b, c)
		case plusSpace && c == ' ':
			b = append(b, '+')
		default:
			b = append(b, '%', hex[c>>4], hex[c&15])
		}
	}
	return string(b)
}

func keeps(c byte, keep string) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte(keep, c) >= 0
}

// PathEscape escapes s for one path segment, as net/url.PathEscape.
func PathEscape(s string) string { return escape(s, pathSegKeeps, false) }

// QueryEscape escapes s for a query, as net/url.QueryEscape.
func QueryEscape(s string) string { return escape(s, unreserved, true) }

// EncodeURIComponent escapes like JavaScript's encodeURIComponent.
func EncodeURIComponent(s string) string { return escape(s, "-_.!~*'()", false) }
