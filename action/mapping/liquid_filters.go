package mapping

import "strings"

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

// checkFilter is the error a filter raises when it runs (nil if it runs):
// disabled, unsupported, or the wrong arguments. Unknown filters pass the
// value through, as liquidjs's lenient filters do.
func checkFilter(f lqFilter) error {
	switch f.name {
	case "upcase", "downcase", "capitalize", "size", "strip_newlines", "replace", "replace_first", "remove",
		"remove_first", "split", "join", "first", "last":
		return nil
	case "append", "prepend":
		if len(f.args) != 1 {
			return lqInvalid(f.name + " takes exactly one argument")
		}
		return nil
	case "default":
		if len(f.args) > 1 {
			return lqUnsupported("default takes one argument here")
		}
		return nil
	case "strip", "lstrip", "rstrip":
		if len(f.args) > 0 {
			return lqUnsupported(f.name + " with characters to strip is not supported")
		}
		return nil
	}
	for _, d := range lqDisabledFilters {
		if f.name == d {
			return lqInvalid(`the filter "` + f.name + `" is disabled in Segment's Liquid`)
		}
	}
	for _, k := range lqKnownFilters {
		if f.name == k {
			return lqUnsupported(`the filter "` + f.name + `" is not supported`)
		}
	}
	if objectProto(f.name) {
		return lqUnsupported(`the filter name "` + f.name + `" is not supported`)
	}
	return nil // liquidjs passes values through unknown filters
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
	return v, nil // unknown to liquidjs: passed through
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
