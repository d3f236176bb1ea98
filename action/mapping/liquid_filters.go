package mapping

import (
	"strings"
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
	}
	if strings.Contains(strings.ReplaceAll(lqDisabledFilters, "\n", " "), " "+f.name+" ") {
		return lqInvalid(`filter "` + f.name + `" is disabled`)
	}
	return nil
}

// lqFilterNames are the filters filter implements, in the order of the
// lqF constants: parsing turns a name into its index (0 for names liquidjs
// does not define), so that running a filter switches on an integer.
const lqFilterNames = `abs at_least at_most ceil divided_by floor minus plus modulo times round size default first last split json jsonify inspect truncate truncatewords slice where sha256 hmac_sha256 to_integer number_of_words sum compact pop shift push unshift join upcase downcase capitalize strip lstrip rstrip strip_newlines append prepend replace remove replace_first remove_first remove_last replace_last escape xml_escape escape_once url_encode cgi_escape uri_escape url_decode squish normalize_whitespace base64_encode base64_decode strip_html slugify sample date date_to_xmlschema date_to_rfc822 date_to_string date_to_long_string`

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
	lqFSample
	lqFDate
	lqFDateToXMLSchema
	lqFDateToRFC822
	lqFDateToString
	lqFDateToLongString
)

// filter applies the filter id (lqFilterNames), with its evaluated arguments, to v.
func (r *lqRenderer) filter(id int, v value, args []value) (value, error) {
	// a holds the first two arguments (undefined when not given): for
	// JavaScript's default parameters, undefined is as good as absent.
	var a [2]value
	for i := 0; i < len(args) && i < 2; i++ {
		a[i] = toValue(args[i])
	}
	if id >= lqFDate {
		return r.date(id, v, args)
	}
	x := toValue(v)
	items := lqToArray(x)
	switch id {
	case lqFSample:
		return r.sample(x, a[0])
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
		return str(s), lqCheckLen(s)
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
		err = lqCheckLen(s)
	}
	return str(s), err
}
