package mapping

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"rupt-actions-wasm/action/internal/jsnum"
)

// The string work of the @liquid filters (liquid_filters.go): stripping,
// truncating, escaping and encoding as liquidjs does them.

// lqStrip is strip, lstrip or rstrip: of JavaScript's whitespace, or of
// the code points of chars when chars is truthy.
func lqStrip(id int, s string, chars value) string {
	if !chars.truthy() {
		switch id {
		case lqFLstrip:
			return jsTrimLeft(s)
		case lqFRstrip:
			return jsTrimRight(s)
		}
		return jsTrim(s)
	}
	set := lqString(chars)
	in := func(i int) (bool, int) {
		_, n := decodeWTF8(s, i)
		return strings.Contains(set, s[i:i+n]), n
	}
	i, j := 0, len(s)
	for id != lqFRstrip && i < j {
		ok, n := in(i)
		if !ok {
			break
		}
		i += n
	}
	for id != lqFLstrip && j > i {
		k := j - 1
		for k > i && s[k]&0xC0 == 0x80 {
			k--
		}
		if ok, _ := in(k); !ok {
			break
		}
		j = k
	}
	return s[i:j]
}

// capitalize upper-cases the first code unit and lower-cases the rest.
func capitalize(s string) string {
	if s == "" {
		return s
	}
	r, n := decodeWTF8(s, 0)
	if r >= 0x10000 {
		// charAt(0) is a lone high surrogate: unchanged; the rest starts
		// with the low surrogate.
		u := toUnits(s)
		return joinSurrogates(fromUnits(u[:1]) + jsLower(fromUnits(u[1:])))
	}
	return joinSurrogates(jsUpper(s[:n]) + jsLower(s[n:]))
}

// lqSplitTooBig refuses to split a huge string into single characters.
func lqSplitTooBig(s, sep string) error {
	if sep == "" && len(s) > maxWork {
		return lqUnsupported("splitting a string of more than " + itoa(maxWork) + " bytes into characters")
	}
	return nil
}

// truncate is truncate (chars) or truncatewords.
func (r *lqRenderer) truncate(chars bool, v value, s string, a [2]value) (value, error) {
	o := "..."
	if a[1].k != kUndef {
		o = lqString(a[1])
	}
	n := 15.0
	if chars {
		n = 50
	}
	if a[0].k != kUndef {
		n = jsNumber(a[0])
	}
	if err := r.use(utf16Len(s) + utf16Len(o)); err != nil {
		return undef, err
	}
	if chars {
		if float64(utf16Len(s)) <= n || lqAdvance(s, 0, n) >= len(s) {
			return v, nil
		}
		if n -= float64(lqCodePoints(o)); !(n >= 0) {
			n = 0
		}
		return str(s[:lqAdvance(s, 0, n)] + o), nil
	}
	words := jsSplitSpace(jsTrimLeft(s))
	if n <= 0 {
		n = 1
	}
	s = strings.Join(words[:relIndex(n, len(words))], " ")
	if float64(len(words)) >= n {
		s += o
	}
	return str(s), nil
}

// lqEncodeURI is encodeURIComponent (or encodeURI) keeping the ASCII
// characters in keep, with a space as "+" when keep has one; lone
// surrogates throw.
func lqEncodeURI(s, keep string) (string, error) {
	var b []byte
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf && (isAlnum(c) || strings.IndexByte(keep, c) >= 0) {
			if c == ' ' {
				c = '+'
			}
			b = append(b, c)
			i++
			continue
		}
		cp, n := decodeWTF8(s, i)
		if isSurrogate(cp) {
			return "", lqInvalid("URI malformed")
		}
		for ; n > 0; n-- {
			b = append(b, '%', "0123456789ABCDEF"[s[i]>>4], "0123456789ABCDEF"[s[i]&15])
			i++
		}
	}
	return string(b), nil
}

// lqDecodeURI is url_decode: "+" as a space, then decodeURIComponent,
// which throws on a malformed escape or UTF-8 sequence.
func lqDecodeURI(s string) (string, error) {
	var b []byte
	for i := 0; i < len(s); {
		if s[i] == '+' {
			b = append(b, ' ')
			i++
			continue
		}
		if s[i] != '%' {
			b = append(b, s[i])
			i++
			continue
		}
		var seq []byte
		for len(seq) == 0 || (len(seq) < 4 && !utf8.FullRune(seq)) {
			if i+2 >= len(s) || s[i] != '%' || hexVal(s[i+1]) < 0 || hexVal(s[i+2]) < 0 {
				return "", lqInvalid("URI malformed")
			}
			seq = append(seq, byte(hexVal(s[i+1])<<4|hexVal(s[i+2])))
			i += 3
		}
		if cp, n := utf8.DecodeRune(seq); (cp == utf8.RuneError && n < 3) || n != len(seq) {
			return "", lqInvalid("URI malformed")
		}
		b = append(b, seq...)
	}
	return string(b), nil
}

// lqAdvance is the byte offset count code points after byte from
// (liquidjs's advanceCodePoints; a fractional count rounds up).
func lqAdvance(s string, from int, count float64) int {
	for i := 0.0; i < count && from < len(s); i++ {
		_, n := decodeWTF8(s, from)
		from += n
	}
	return from
}

// lqCodePoints counts code points (a lone surrogate counts as one).
func lqCodePoints(s string) int {
	n := 0
	for i := 0; i < len(s); n++ {
		_, w := decodeWTF8(s, i)
		i += w
	}
	return n
}

// jsSplitSpace is s.split(/\s+/).
func jsSplitSpace(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); {
		r, n := decodeWTF8(s, i)
		if !jsnum.IsSpace(r) {
			i += n
			continue
		}
		out = append(out, s[start:i])
		for i < len(s) {
			r, n := decodeWTF8(s, i)
			if !jsnum.IsSpace(r) {
				break
			}
			i += n
		}
		start = i
	}
	return append(out, s[start:])
}

// lqEscapes pairs the characters escape replaces with their entities.
var lqEscapes = [...]string{"&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;"}

// lqEscape is liquidjs's escape (from 0) or its unescape (from 1).
func lqEscape(s string, from int) string {
	var b []byte
	for i := 0; i < len(s); {
		j := 0
		for ; j < len(lqEscapes); j += 2 {
			if strings.HasPrefix(s[i:], lqEscapes[j+from]) {
				break
			}
		}
		if j == len(lqEscapes) {
			b = append(b, s[i])
			i++
			continue
		}
		b = append(b, lqEscapes[j+1-from]...)
		i += len(lqEscapes[j+from])
	}
	return string(b)
}

// isAlnum reports whether c is an ASCII letter or digit.
func isAlnum(c byte) bool {
	return ('0' <= c && c <= '9') || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}

// lqWords is number_of_words of a trimmed string: whitespace-separated
// words, or in "cjk" mode (and "auto" when there is CJK) each CJK
// character plus each run of other non-space characters.
func lqWords(s, mode string) float64 {
	if s == "" {
		return 0
	}
	cjk, runs, inRun := 0.0, 0.0, false
	for _, r := range s {
		c := r >= 0x4E00 && r <= 0x9FFF || r >= 0xF900 && r <= 0xFAFF || r >= 0x3400 && r <= 0x4DBF || r >= 0x3040 && r <= 0x30FF || r >= 0xAC00 && r <= 0xD7AF
		if c {
			cjk++
		}
		w := !c && !jsnum.IsSpace(r)
		if w && !inRun {
			runs++
		}
		inRun = w
	}
	if mode == "cjk" || mode == "auto" && cjk > 0 {
		return cjk + runs
	}
	return float64(len(jsSplitSpace(s)))
}

const base64Chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

// lqBase64 is btoa of the UTF-8 bytes of s (TextEncoder: a lone
// surrogate is U+FFFD).
func lqBase64(s string) string {
	var in, out []byte
	for i := 0; i < len(s); {
		r, n := decodeWTF8(s, i)
		if isSurrogate(r) {
			r = utf8.RuneError
		}
		in = utf8.AppendRune(in, r)
		i += n
	}
	for i := 0; i < len(in); i += 3 {
		var b [3]byte
		copy(b[:], in[i:])
		w := uint(b[0])<<16 | uint(b[1])<<8 | uint(b[2])
		for j := 0; j < 4; j++ {
			c := byte('=')
			if j <= len(in)-i {
				c = base64Chars[w>>(18-6*j)&63]
			}
			out = append(out, c)
		}
	}
	return string(out)
}

// lqUnbase64 is base64_decode: liquidjs's isBase64 check, atob, then
// TextDecoder's UTF-8 (each maximal invalid subpart becomes U+FFFD).
func lqUnbase64(s string) (string, error) {
	var t []byte
	for i := 0; i < len(s); i++ {
		if c := s[i]; c != '\t' && c != '\n' && c != '\f' && c != '\r' && c != ' ' {
			t = append(t, c)
		}
	}
	for k := 0; k < 2 && len(t)%4 == 0 && len(t) > 0 && t[len(t)-1] == '='; k++ {
		t = t[:len(t)-1]
	}
	var bits, acc uint
	var raw []byte
	for _, c := range t {
		i := strings.IndexByte(base64Chars, c)
		if i < 0 {
			return "", lqInvalid("invalid base64 provided to base64_decode")
		}
		acc, bits = acc<<6|uint(i), bits+6
		if bits >= 8 {
			bits -= 8
			raw = append(raw, byte(acc>>bits))
		}
	}
	if len(t)%4 == 1 {
		return "", lqInvalid("invalid base64 provided to base64_decode")
	}
	var out []byte
	for i := 0; i < len(raw); {
		c := raw[i]
		n, lo, hi := 0, byte(0x80), byte(0xBF)
		switch {
		case c < 0x80:
			out = append(out, c)
			i++
			continue
		case c >= 0xC2 && c <= 0xDF:
			n = 1
		case c >= 0xE0 && c <= 0xEF:
			n = 2
			if c == 0xE0 {
				lo = 0xA0
			} else if c == 0xED {
				hi = 0x9F
			}
		case c >= 0xF0 && c <= 0xF4:
			n = 3
			if c == 0xF0 {
				lo = 0x90
			} else if c == 0xF4 {
				hi = 0x8F
			}
		}
		j := i + 1
		for k := 0; k < n && j < len(raw) && raw[j] >= lo && raw[j] <= hi; k++ {
			lo, hi = 0x80, 0xBF
			j++
		}
		if n > 0 && j-i == n+1 {
			out = append(out, raw[i:j]...)
		} else {
			out = utf8.AppendRune(out, utf8.RuneError)
		}
		i = j
	}
	return string(out), nil
}

// lqStripHTML removes <script>, <style> and comment blocks and other
// tags; an opener that is never closed keeps the rest of the text.
func lqStripHTML(s string) string {
	var out []byte
	for {
		lt := strings.IndexByte(s, '<')
		if lt < 0 {
			return string(append(out, s...))
		}
		out = append(out, s[:lt]...)
		s = s[lt:]
		rest := -1
		for _, oc := range [...][2]string{{"<script", "</script>"}, {"<style", "</style>"}, {"<!--", "-->"}, {"<", ">"}} {
			if strings.HasPrefix(s, oc[0]) {
				if e := strings.Index(s[len(oc[0]):], oc[1]); e >= 0 {
					rest = len(oc[0]) + e + len(oc[1])
					break
				}
			}
		}
		if rest < 0 {
			return string(append(out, s...))
		}
		s = s[rest:]
	}
}

// lqSlugify replaces runs of characters the mode does not keep with "-"
// and drops one "-" at each end (before slugify's lower-casing).
func lqSlugify(s, mode string) string {
	keep := func(r rune) bool {
		switch mode {
		case "raw":
			return !jsnum.IsSpace(r)
		case "ascii":
			return r < utf8.RuneSelf && isAlnum(byte(r))
		case "pretty":
			if strings.ContainsRune("._~!$&'()+,;=@", r) {
				return true
			}
		}
		return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.In(r, unicode.Mn, unicode.Mc, unicode.Me)
	}
	switch mode {
	case "latin":
		for _, p := range strings.Fields("àa áa âa ãa äa åa æae çc èe ée êe ëe ìi íi îi ïi ðd ñn òo óo ôo õo öo øo ùu úu ûu üu ýy ÿy ßss œoe þth ẞSS ŒOE ÞTH") {
			_, n := utf8.DecodeRuneInString(p)
			s = strings.ReplaceAll(s, p[:n], p[n:])
		}
	case "raw", "default", "pretty", "ascii":
	default:
		return s
	}
	var b []byte
	run := false
	for i := 0; i < len(s); {
		r, n := decodeWTF8(s, i)
		if keep(r) {
			b = append(b, s[i:i+n]...)
		} else if !run {
			b = append(b, '-')
		}
		run = !keep(r)
		i += n
	}
	out := string(b)
	out = strings.TrimPrefix(out, "-")
	return strings.TrimSuffix(out, "-")
}
