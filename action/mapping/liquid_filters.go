package mapping

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"rupt-actions-wasm/action/internal/jsnum"
)

// The @liquid filters: which of liquidjs's filters actions-core disables
// and which are not implemented (checkFilter, at parse time), and the
// implementations (filter, at render time).

// lqDisabledFilters are the filters actions-core replaces with ones that
// throw, each between spaces.
const lqDisabledFilters = ` array_to_sentence_string concat find find_exp find_index find_index_exp
group_by group_by_exp has has_exp map newline_to_br reject reject_exp reverse sort sort_natural uniq where_exp type `

// checkFilter is the error a filter raises when it runs (nil if it runs):
// disabled, unsupported, or the wrong arguments. Filters liquidjs does not
// define pass the value through, as its lenient filters do.
func checkFilter(f *lqFilter) error {
	for i, n := range strings.Fields(lqFilterNames) {
		if n == f.name {
			f.id = i + 1
		}
	}
	switch f.name {
	case "append", "prepend":
		if len(f.args) != 1 {
			return lqInvalid(f.name + " expect 2 arguments")
		}
	case "date", "date_to_xmlschema", "date_to_rfc822", "date_to_string", "date_to_long_string", "sample":
		return lqUnsupported(`the filter "` + f.name + `" is not supported`)
	}
	if strings.Contains(strings.ReplaceAll(lqDisabledFilters, "\n", " "), " "+f.name+" ") {
		return lqInvalid(`filter "` + f.name + `" is disabled`)
	}
	return nil
}

// lqFilterNames are the filters filter implements, in the order of the
// lqF constants: parsing turns a name into its index (0 for names liquidjs
// does not define), so that running a filter switches on an integer.
const lqFilterNames = `abs at_least at_most ceil divided_by floor minus plus modulo times round size default first last split json jsonify inspect truncate truncatewords slice where sha256 hmac_sha256 to_integer number_of_words sum compact pop shift push unshift join upcase downcase capitalize strip lstrip rstrip strip_newlines append prepend replace remove replace_first remove_first remove_last replace_last escape xml_escape escape_once url_encode cgi_escape uri_escape url_decode squish normalize_whitespace base64_encode base64_decode strip_html slugify`

// The filter ids.
const (
	_ = iota
	lqFAbs
	lqFAtLeast
	lqFAtMost
	lqFCeil
	lqFDividedBy
	lqFFloor
	lqFMinus
	lqFPlus
	lqFModulo
	lqFTimes
	lqFRound
	lqFSize
	lqFDefault
	lqFFirst
	lqFLast
	lqFSplit
	lqFJson
	lqFJsonify
	lqFInspect
	lqFTruncate
	lqFTruncatewords
	lqFSlice
	lqFWhere
	lqFSha256
	lqFHmacSha256
	lqFToInteger
	lqFNumberOfWords
	lqFSum
	lqFCompact
	lqFPop
	lqFShift
	lqFPush
	lqFUnshift
	lqFJoin
	lqFUpcase
	lqFDowncase
	lqFCapitalize
	lqFStrip
	lqFLstrip
	lqFRstrip
	lqFStripNewlines
	lqFAppend
	lqFPrepend
	lqFReplace
	lqFRemove
	lqFReplaceFirst
	lqFRemoveFirst
	lqFRemoveLast
	lqFReplaceLast
	lqFEscape
	lqFXmlEscape
	lqFEscapeOnce
	lqFUrlEncode
	lqFCgiEscape
	lqFUriEscape
	lqFUrlDecode
	lqFSquish
	lqFNormalizeWhitespace
	lqFBase64Encode
	lqFBase64Decode
	lqFStripHtml
	lqFSlugify
)

// filter applies the filter id (lqFilterNames), with its evaluated arguments, to v.
func (r *lqRenderer) filter(id int, v value, args []value) (value, error) {
	// a holds the first two arguments (undefined when not given): for
	// JavaScript's default parameters, undefined is as good as absent.
	var a [2]value
	for i := 0; i < len(args) && i < 2; i++ {
		a[i] = toValue(args[i])
	}
	x := toValue(v)
	items := lqToArray(x)
	switch id {
	case lqFAbs, lqFAtLeast, lqFAtMost, lqFCeil, lqFDividedBy, lqFFloor, lqFMinus, lqFPlus, lqFModulo, lqFTimes, lqFRound:
		return num(lqMath(id, lqNum(x), args)), nil
	case lqFSize:
		// (v && v.length) || 0
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
	case lqFDefault:
		d := undef
		if len(args) > 0 {
			d = args[0]
		}
		allowFalse := false
		for _, p := range args[min(1, len(args)):] {
			if p.k == kArr && len(p.c.vals) == 2 && p.c.vals[0].s == "allow_false" {
				allowFalse = p.c.vals[1].truthy()
			}
		}
		if x.k == kArr && len(x.c.vals) == 0 || x.k == kStr && x.s == "" || !lqTruthy(x) && !(allowFalse && x.k == kBool) {
			return d, nil
		}
		return v, nil
	case lqFFirst, lqFLast:
		switch x.k {
		case kArr:
			if len(x.c.vals) == 0 {
				return undef, nil
			}
			if id == lqFFirst {
				return x.c.vals[0], nil
			}
			return x.c.vals[len(x.c.vals)-1], nil
		case kStr:
			if x.s == "" {
				return emptyStr, nil
			}
			i := 0
			if id == lqFLast {
				i = utf16Len(x.s) - 1
			}
			u, _ := codeUnitAt(x.s, i)
			return str(u), nil
		case kObj:
			if l, ok := x.c.get("length"); ok && l.k == kNum {
				return undef, lqUnsupported("first and last of an object with a numeric length")
			}
		}
		return emptyStr, nil
	case lqFSplit:
		s, sep := lqString(x), lqString(a[0])
		var parts []string
		if s != "" || sep != "" { // "".split("") is []
			if err := lqSplitTooBig(s, sep); err != nil {
				return undef, err
			}
			parts = jsSplit(s, sep)
		}
		for len(parts) > 0 && parts[len(parts)-1] == "" {
			parts = parts[:len(parts)-1]
		}
		vals := make([]value, len(parts))
		for i, p := range parts {
			vals[i] = str(p)
		}
		return newArr(vals), r.use(utf16Len(s))
	case lqFJson, lqFJsonify, lqFInspect:
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
		return str(string(b)), r.use(len(b))
	case lqFTruncate, lqFTruncatewords:
		return r.truncate(id == lqFTruncate, v, lqString(x), a)
	case lqFSlice:
		return lqSlice(x, a, len(args) > 1)
	case lqFWhere:
		return r.where(x, args)
	case lqFSha256, lqFHmacSha256:
		// Asynchronous (WebCrypto) in liquidjs's browser build: the
		// synchronous render prints the pending Promise.
		return lqPromise, nil
	case lqFToInteger:
		return num(jsNumber(x)), nil
	case lqFNumberOfWords:
		return num(lqWords(jsTrim(lqString(x)), lqString(a[0]))), nil
	case lqFSum:
		// Number() of each item, or of its property; NaN counts 0.
		t := 0.0
		p := lqString(a[0])
		for _, it := range items {
			if p != "" {
				for _, k := range strings.Split(p, ".") {
					it = lqProperty(it, lqKey{s: k})
				}
			}
			if f := jsNumber(it); f == f {
				t += f
			}
		}
		return num(t), nil
	case lqFCompact, lqFPop, lqFShift, lqFPush, lqFUnshift:
		var out []value
		switch id {
		case lqFCompact:
			for _, it := range items {
				if !toValue(it).nullish() {
					out = append(out, it)
				}
			}
		case lqFUnshift:
			out = append([]value{a[0]}, items...)
		case lqFPush:
			out = append(append(out, items...), a[0])
		case lqFPop:
			if len(items) > 0 {
				out = append(out, items[:len(items)-1]...)
			}
		default:
			if len(items) > 0 {
				out = append(out, items[1:]...)
			}
		}
		return newArr(out), r.use(len(items))
	case lqFJoin:
		sep := " "
		if !a[0].nullish() {
			sep = lqString(a[0])
		}
		s := joinSurrogates(string(appendJoin(nil, newArr(items), sep)))
		if err := r.use(utf16Len(s)); err != nil {
			return undef, err
		}
		return str(s), checkLen(s)
	}
	// The rest are string filters.
	in := lqString(x)
	s, err := in, error(nil)
	switch id {
	case lqFUpcase:
		s = jsUpper(s)
	case lqFDowncase:
		s = jsLower(s)
	case lqFCapitalize:
		s = capitalize(s)
	case lqFStrip, lqFLstrip, lqFRstrip:
		s = lqStrip(id, s, a[0])
	case lqFStripNewlines:
		s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", ""), "\n", "")
	case lqFAppend:
		s = joinSurrogates(s + lqString(a[0]))
	case lqFPrepend:
		s = joinSurrogates(lqString(a[0]) + s)
	case lqFReplace, lqFRemove:
		pat := lqString(a[0])
		rep := ""
		if id == lqFReplace {
			rep = lqString(a[1])
		}
		if err := lqSplitTooBig(s, pat); err != nil {
			return undef, err
		}
		parts := jsSplit(s, pat)
		if s == "" && pat == "" {
			parts = nil
		}
		s = joinStrings(parts, rep)
	case lqFReplaceFirst, lqFRemoveFirst:
		rep := ""
		if id == lqFReplaceFirst {
			rep = lqString(a[1])
		}
		s = jsReplaceFirst(s, lqString(a[0]), rep)
	case lqFRemoveLast, lqFReplaceLast:
		rep := ""
		if id == lqFReplaceLast {
			rep = lqString(a[1])
		}
		u, up := toUnits(s), toUnits(lqString(a[0]))
		i := len(u) - len(up)
		for ; i >= 0; i-- {
			j := 0
			for j < len(up) && u[i+j] == up[j] {
				j++
			}
			if j == len(up) {
				s = joinSurrogates(fromUnits(u[:i]) + rep + fromUnits(u[i+j:]))
				break
			}
		}
	case lqFEscape, lqFXmlEscape:
		s = lqEscape(s, 0)
	case lqFEscapeOnce:
		s = lqEscape(lqEscape(s, 1), 0)
	case lqFUrlEncode:
		s, err = lqEncodeURI(s, "-_.!~*'() ")
	case lqFCgiEscape:
		s, err = lqEncodeURI(s, "-_.~ ")
	case lqFUriEscape:
		s, err = lqEncodeURI(s, "-_.!~*'();/?:@&=+$,#[]")
	case lqFUrlDecode:
		s, err = lqDecodeURI(s)
	case lqFSquish, lqFNormalizeWhitespace:
		s = strings.Join(jsSplitSpace(s), " ")
		if id == lqFSquish {
			s = jsTrim(s)
		}
	case lqFBase64Encode:
		s = lqBase64(s)
	case lqFBase64Decode:
		s, err = lqUnbase64(s)
	case lqFStripHtml:
		s = lqStripHTML(s)
	case lqFSlugify:
		mode := "default"
		if a[0].k != kUndef {
			mode = lqString(a[0])
		}
		if s = lqSlugify(s, mode); !a[1].truthy() {
			s = jsLower(s)
		}
	default:
		return v, nil // not a liquidjs filter (or raw): passed through
	}
	if err == nil {
		// liquidjs counts the input or the output, by filter; the
		// larger is close enough for its 1e8 limit.
		err = r.use(max(utf16Len(in), utf16Len(s)))
	}
	if err == nil {
		err = checkLen(s)
	}
	return str(s), err
}

// lqPromise stands for the pending Promise the browser build's sha256 and
// hmac_sha256 return: an object without properties that prints as
// "[object Promise]" (see toString).
var lqPromise = value{k: kObj, c: &container{}}

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

// lqMath is a math filter on x, with liquidjs's toNumber (+v || 0) of the
// arguments given; an argument not given is undefined, NaN in the
// arithmetic.

// lqMath is a math filter on x, with liquidjs's toNumber (+v || 0) of the
// arguments given; an argument not given is undefined, NaN in the
// arithmetic.
func lqMath(id int, x float64, args []value) float64 {
	y := math.NaN()
	if len(args) > 0 {
		y = lqNum(args[0])
	}
	switch id {
	case lqFAbs:
		return math.Abs(x)
	case lqFCeil:
		return math.Ceil(x)
	case lqFFloor:
		return math.Floor(x)
	case lqFAtLeast, lqFAtMost:
		for _, a := range args {
			if a := lqNum(a); (id == lqFAtLeast) == (a > x) {
				x = a
			}
		}
		return x
	case lqFMinus:
		return x - y
	case lqFPlus:
		return x + y
	case lqFTimes:
		return x * y
	case lqFModulo:
		return math.Mod(math.Mod(x, y)+y, y)
	case lqFDividedBy:
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
//
//go:noinline
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
