package mapping

import (
	"math"
	"strings"
	"unicode/utf8"

	"rupt-actions-wasm/action/internal/jsnum"
)

// The @liquid filters: which of liquidjs's filters the subset implements,
// which actions-core disables and which are outside the subset
// (checkFilter, at parse time), and the implementations (filter, at render
// time).

// lqKnownFilters are liquidjs's filter names; the ones the subset
// implements are those checkFilter accepts and filter runs.
var lqKnownFilters = strings.Fields(`escape xml_escape escape_once newline_to_br strip_html abs at_least at_most
ceil divided_by floor minus plus modulo times round url_decode url_encode cgi_escape uri_escape slugify join last
first reverse sort sort_natural size map sum compact concat push unshift pop shift slice where reject where_exp
reject_exp group_by group_by_exp has has_exp find_index find_index_exp find find_exp uniq sample date
date_to_xmlschema date_to_rfc822 date_to_string date_to_long_string append prepend lstrip downcase upcase remove
remove_first remove_last rstrip split strip strip_newlines squish capitalize replace replace_first replace_last
truncate truncatewords normalize_whitespace number_of_words array_to_sentence_string base64_encode base64_decode
sha256 hmac_sha256 default raw jsonify to_integer json inspect type`)

// lqDisabledFilters are the filters actions-core replaces with ones that
// throw.
var lqDisabledFilters = strings.Fields(`array_to_sentence_string concat find find_exp find_index find_index_exp
group_by group_by_exp has has_exp map newline_to_br reject reject_exp reverse sort sort_natural uniq where_exp type`)

// lqImplemented are the filters filter runs; with the disabled ones, the
// rest of lqKnownFilters are outside the subset.
var lqImplemented = strings.Fields(`upcase downcase capitalize size strip_newlines replace replace_first remove
remove_first split join first last append prepend default strip lstrip rstrip abs at_least at_most ceil
divided_by floor minus plus modulo times round json jsonify inspect escape xml_escape escape_once truncate
truncatewords slice url_encode url_decode cgi_escape uri_escape where`)

// checkFilter is the error a filter raises when it runs (nil if it runs):
// disabled, unsupported, or the wrong arguments. Unknown filters pass the
// value through, as liquidjs's lenient filters do.
func checkFilter(f lqFilter) error {
	switch f.name {
	case "append", "prepend":
		if len(f.args) != 1 {
			return lqInvalid(f.name + " takes exactly one argument")
		}
	case "default":
		if len(f.args) > 1 {
			return lqUnsupported("default takes one argument here")
		}
	case "strip", "lstrip", "rstrip":
		if len(f.args) > 0 {
			return lqUnsupported(f.name + " with characters to strip is not supported")
		}
	}
	if lqIn(f.name, lqImplemented) {
		return nil
	}
	if lqIn(f.name, lqDisabledFilters) {
		return lqInvalid(`filter "` + f.name + `" is disabled`)
	}
	if lqIn(f.name, lqKnownFilters) {
		return lqUnsupported(`the filter "` + f.name + `" is not supported`)
	}
	if objectProto(f.name) {
		return lqUnsupported(`the filter name "` + f.name + `" is not supported`)
	}
	return nil // liquidjs passes values through unknown filters
}

// lqIn reports whether name is one of names.
func lqIn(name string, names []string) bool {
	for _, n := range names {
		if n == name {
			return true
		}
	}
	return false
}

// filter applies the filter name, with its evaluated arguments, to v.
func (r *lqRenderer) filter(name string, v value, args []value) (value, error) {
	arg := func(i int) value {
		if i < len(args) {
			return args[i]
		}
		return undef
	}
	switch name {
	case "upcase", "downcase", "capitalize", "strip", "lstrip", "rstrip", "strip_newlines":
		s := lqString(v)
		if err := r.use(utf16Len(s)); err != nil {
			return undef, err
		}
		switch name {
		case "upcase":
			return str(jsUpper(s)), nil
		case "downcase":
			return str(jsLower(s)), nil
		case "capitalize":
			return str(capitalize(s)), nil
		case "strip":
			return str(jsTrim(s)), nil
		case "lstrip":
			return str(jsTrimLeft(s)), nil
		case "rstrip":
			return str(jsTrimRight(s)), nil
		default:
			s = strings.ReplaceAll(s, "\r\n", "")
			return str(strings.ReplaceAll(s, "\n", "")), nil
		}
	case "default":
		x := toValue(v)
		if x.k == kArr {
			if len(x.c.vals) > 0 {
				return v, nil
			}
			return arg(0), nil
		}
		if x.k == kStr {
			if x.s != "" {
				return v, nil
			}
			return arg(0), nil
		}
		if !lqTruthy(x) {
			return arg(0), nil
		}
		return v, nil
	case "append", "prepend":
		l, a := lqString(v), lqString(arg(0))
		if err := r.use(utf16Len(l) + utf16Len(a)); err != nil {
			return undef, err
		}
		if name == "prepend" {
			l, a = a, l
		}
		s := joinSurrogates(l + a)
		return str(s), checkLen(s)
	case "size":
		switch v.k {
		case kStr:
			return num(float64(utf16Len(v.s))), nil
		case kArr:
			return num(float64(len(v.c.vals))), nil
		case kObj:
			if l, ok := v.c.get("length"); ok && l.truthy() {
				return l, nil
			}
		}
		return num(0), nil
	case "replace", "remove":
		s, pat := lqString(v), lqString(arg(0))
		rep := ""
		if name == "replace" {
			rep = lqString(arg(1))
		}
		if err := lqSplitTooBig(s, pat); err != nil {
			return undef, err
		}
		parts := jsSplit(s, pat)
		if utf16Len(s) == 0 && pat == "" {
			parts = nil
		}
		if err := r.use(utf16Len(s) + (len(parts)-1)*(utf16Len(rep)-utf16Len(pat))); err != nil {
			return undef, err
		}
		out := joinStrings(parts, rep)
		return str(out), checkLen(out)
	case "replace_first", "remove_first":
		s, pat := lqString(v), lqString(arg(0))
		rep := ""
		if name == "replace_first" {
			rep = lqString(arg(1))
		}
		if err := r.use(utf16Len(s) + utf16Len(pat) + utf16Len(rep)); err != nil {
			return undef, err
		}
		return str(jsReplaceFirst(s, pat, rep)), nil
	case "split":
		s := lqString(v)
		if err := r.use(utf16Len(s)); err != nil {
			return undef, err
		}
		var parts []string
		if s != "" || lqString(arg(0)) != "" {
			if err := lqSplitTooBig(s, lqString(arg(0))); err != nil {
				return undef, err
			}
			parts = jsSplit(s, lqString(arg(0)))
		} else {
			parts = nil // "".split("") is []
		}
		for len(parts) > 0 && parts[len(parts)-1] == "" {
			parts = parts[:len(parts)-1]
		}
		vals := make([]value, len(parts))
		for i, p := range parts {
			vals[i] = str(p)
		}
		return newArr(vals), nil
	case "join":
		x := toValue(v)
		var items []value
		switch x.k {
		case kUndef, kNull:
		case kArr:
			items = x.c.vals
		default:
			items = []value{x}
		}
		sep := " "
		if a := toValue(arg(0)); !a.nullish() {
			sep = lqString(a)
		}
		out := string(appendJoin(nil, newArr(items), sep))
		out = joinSurrogates(out)
		if err := r.use(utf16Len(out)); err != nil {
			return undef, err
		}
		return str(out), checkLen(out)
	case "first", "last":
		x := toValue(v)
		switch x.k {
		case kArr:
			if len(x.c.vals) == 0 {
				return undef, nil
			}
			if name == "first" {
				return x.c.vals[0], nil
			}
			return x.c.vals[len(x.c.vals)-1], nil
		case kStr:
			if x.s == "" {
				return emptyStr, nil
			}
			i := 0
			if name == "last" {
				i = utf16Len(x.s) - 1
			}
			u, _ := codeUnitAt(x.s, i)
			return str(u), nil
		case kObj:
			if l, ok := x.c.get("length"); ok && l.k == kNum {
				return undef, lqUnsupported(name + " of an object with a numeric length")
			}
		}
		return emptyStr, nil
	}
	return r.filter2(name, v, args)
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

// filter2 runs the math, JSON, HTML, URL, truncation and array filters.
func (r *lqRenderer) filter2(name string, v value, args []value) (value, error) {
	// a holds the first two arguments (undefined when not given): for
	// JavaScript's default parameters, undefined is as good as absent.
	var a [2]value
	for i := 0; i < len(args) && i < 2; i++ {
		a[i] = toValue(args[i])
	}
	x := toValue(v)
	var s string
	var err error
	switch name {
	case "abs", "at_least", "at_most", "ceil", "divided_by", "floor", "minus", "plus", "modulo", "times", "round":
		return num(lqMath(name, lqNum(x), args)), nil
	case "json", "jsonify", "inspect":
		// JSON.stringify(value, null, space); the nil literal is an
		// object without properties.
		if v.k == kLiquidNil {
			v = newObj(0)
		}
		ind := ""
		if a[0].k == kNum {
			for i := 0.0; i < a[0].n && i < 10; i++ {
				ind += " "
			}
		} else if a[0].k == kStr {
			u := toUnits(a[0].s)
			ind = fromUnits(u[:min(len(u), 10)])
		}
		b, ok := appendJSONIndent(nil, v, ind, "\n")
		if !ok {
			return undef, nil
		}
		s = string(b)
	case "escape", "xml_escape", "escape_once":
		s = lqString(x)
		if name == "escape_once" {
			s = lqEscape(s, 1)
		}
		s = lqEscape(s, 0)
	case "truncate", "truncatewords":
		return r.truncate(name == "truncate", v, lqString(x), a)
	case "slice":
		return lqSlice(x, a, len(args) > 1)
	case "url_encode", "cgi_escape", "uri_escape":
		keep := "-_.!~*'() "
		if name == "cgi_escape" {
			keep = "-_.~ "
		} else if name == "uri_escape" {
			keep = "-_.!~*'();/?:@&=+$,#[]"
		}
		s, err = lqEncodeURI(lqString(x), keep)
	case "url_decode":
		s, err = lqDecodeURI(lqString(x))
	case "where":
		return r.where(x, args)
	default:
		return v, nil // unknown to liquidjs: passed through
	}
	if err == nil {
		err = r.use(utf16Len(s))
	}
	return str(s), err
}

// lqMath is a math filter on x, with liquidjs's toNumber (+v || 0) of the
// arguments given; an argument not given is undefined, NaN in the
// arithmetic.
func lqMath(name string, x float64, args []value) float64 {
	y := math.NaN()
	if len(args) > 0 {
		y = lqNum(args[0])
	}
	switch name {
	case "abs":
		return math.Abs(x)
	case "ceil":
		return math.Ceil(x)
	case "floor":
		return math.Floor(x)
	case "at_least", "at_most":
		for _, a := range args {
			if a := lqNum(a); (name == "at_least") == (a > x) {
				x = a
			}
		}
		return x
	case "minus":
		return x - y
	case "plus":
		return x + y
	case "times":
		return x * y
	case "modulo":
		return math.Mod(math.Mod(x, y)+y, y)
	case "divided_by":
		x /= y
		if len(args) > 1 && lqNum(args[1]) != 0 {
			x = math.Floor(x)
		}
		return x
	}
	// round: to y decimals by moving the decimal point in the number's
	// JavaScript string form, halves away from zero.
	if y != y {
		y = 0
	}
	s := lqShift(math.Abs(x), y)
	if !(s <= 1<<53-1) {
		return x
	}
	f := math.Floor(s)
	if s-f >= 0.5 {
		f++
	}
	f = lqShift(f, -y)
	if x < 0 {
		return -f
	}
	return f
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

// lqSlice is liquidjs's slice of an array or of a string's code points.
func lqSlice(x value, a [2]value, hasLength bool) (value, error) {
	empty := emptyStr
	if x.k == kArr || x.nullish() {
		empty = newArr(nil)
		if x.nullish() {
			return empty, nil
		}
	}
	var s string
	size := 0
	if x.k == kArr {
		size = len(x.c.vals)
	} else {
		s = lqString(x)
		size = lqCodePoints(s)
	}
	begin, length := jsNumber(a[0]), 1.0
	if a[1].k != kUndef {
		length = jsNumber(a[1])
	}
	// A string begin stays a string in liquidjs's arithmetic: it is
	// concatenated, not added (slice: "1" on an array ends at "11").
	bs := a[0].s
	if begin < 0 {
		bs = itoa(size) + bs
		begin += float64(size)
		if a[0].k == kStr {
			begin = jsnum.ToNumber(bs)
		}
	}
	if begin < 0 || length < 0 {
		return empty, nil
	}
	if length > liquidMemoryLimit {
		return undef, lqInvalid("memory alloc limit exceeded")
	}
	if x.k == kArr {
		end := begin + length
		if a[0].k == kStr {
			l := "1"
			if hasLength {
				l = lqString(a[1])
			}
			end = jsnum.ToNumber(bs + l)
		}
		i, j := relIndex(begin, size), relIndex(end, size)
		return newArr(append([]value(nil), x.c.vals[i:max(i, j)]...)), nil
	}
	i := lqAdvance(s, 0, begin)
	return str(s[i:lqAdvance(s, i, length)]), nil
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

// where keeps the items whose property (a dotted path, read as a variable
// in the item's scope) is truthy, or equals the expected value.
func (r *lqRenderer) where(x value, args []value) (value, error) {
	var p, exp value
	if len(args) > 0 {
		p = args[0]
	}
	if len(args) > 1 {
		exp = args[1]
	}
	ps := lqString(p)
	var keys []lqKey
	for _, k := range strings.Split(ps, ".") {
		if k == "" && ps != "" || strings.ContainsAny(k, "[]") {
			return undef, lqUnsupported("where with a property path other than a.b.c")
		}
		keys = append(keys, lqKey{s: k})
	}
	var out []value
	for _, it := range lqToArray(x) {
		y := undef
		if ps != "" {
			y = lqLookup(it, keys)
		}
		if exp.k == kUndef && lqTruthy(y) || exp.k != kUndef && lqEquals(y, exp) {
			out = append(out, it)
		}
	}
	return newArr(out), r.use(len(out))
}

// lqNum is liquidjs's toNumber: +value || 0.
func lqNum(v value) float64 {
	f := jsNumber(v)
	if f != f || f == 0 {
		return 0
	}
	return f
}

// jsNumber is JavaScript's Number(v) for our values (undefined is NaN).
func jsNumber(v value) float64 {
	return toNumber(toPrimitive(toValue(v)))
}

// lqShift multiplies n by 10^e through its string form, as liquidjs's
// shiftDecimal does (a fractional e gives NaN).
func lqShift(n, e float64) float64 {
	s, p := jsnum.String(n), 0.0
	if i := strings.IndexByte(s, 'e'); i >= 0 {
		s, p = s[:i], jsnum.ToNumber(s[i+1:])
	}
	return jsnum.ToNumber(s + "e" + jsnum.String(p+e))
}

// relIndex is Array.prototype.slice's reading of an index: truncated,
// from the end when negative, clamped to [0, n].
func relIndex(f float64, n int) int {
	if f != f {
		return 0
	}
	f = math.Trunc(f)
	if f < 0 {
		f += float64(n)
	}
	return int(math.Max(0, math.Min(f, float64(n))))
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

// lqToArray is liquidjs's toArray: nil is empty, a non-array one item.
func lqToArray(v value) []value {
	v = toValue(v)
	switch v.k {
	case kUndef, kNull:
		return nil
	case kArr:
		return v.c.vals
	}
	return []value{v}
}

// isAlnum reports whether c is an ASCII letter or digit.
func isAlnum(c byte) bool {
	return ('0' <= c && c <= '9') || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}

// appendJSONIndent is JSON.stringify(v, null, ind): appendJSON when ind
// is empty; nl is the line break and indentation of the enclosing level.
func appendJSONIndent(dst []byte, v value, ind, nl string) ([]byte, bool) {
	if ind == "" || (v.k != kArr && v.k != kObj) {
		return appendJSON(dst, v)
	}
	open, close := byte('['), byte(']')
	var keys []string
	n := len(v.c.vals)
	if v.k == kObj {
		open, close = '{', '}'
		keys = v.objKeys()
	}
	dst = append(dst, open)
	first := true
	for i := 0; i < n; i++ {
		e := v.c.vals[i]
		if keys != nil && e.k == kUndef {
			continue
		}
		if !first {
			dst = append(dst, ',')
		}
		first = false
		dst = append(dst, nl+ind...)
		if keys != nil {
			dst = append(appendQuoted(dst, keys[i]), ':', ' ')
		}
		var ok bool
		if dst, ok = appendJSONIndent(dst, e, ind, nl+ind); !ok {
			dst = append(dst, "null"...)
		}
	}
	if !first {
		dst = append(dst, nl...)
	}
	return append(dst, close), true
}
