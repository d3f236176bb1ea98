package mapping

import "strings"

// This file mirrors the validation mapping-kit runs before transforming:
// directive objects and plain objects are checked recursively, arrays are
// not looked into (their directives are only checked when they run).

// vtype is mapping-kit's realTypeOrDirective: an object with any
// "@"-prefixed key counts as a directive.
func vtype(v value) string {
	if v.k == kObj {
		for _, k := range v.objKeys() {
			if strings.HasPrefix(k, "@") {
				return "directive"
			}
		}
	}
	return v.typeName()
}

type validator struct {
	stack []string
	// valid holds the directives and objects already found valid. As in
	// mapping-kit, a directive's options object is validated as a whole
	// and then field by field, so without it every level of nesting
	// (an @if in an @if ...) doubles the work. Validation stops at the
	// first error, so only successes are remembered.
	valid map[*container]bool
}

func (vd *validator) known(v value) bool { return v.c != nil && vd.valid[v.c] }

func (vd *validator) remember(v value) {
	if vd.valid == nil {
		vd.valid = map[*container]bool{}
	}
	vd.valid[v.c] = true
}

func (vd *validator) fail(directive, msg string) error {
	if n := len(vd.stack); n > 0 && strings.HasPrefix(msg, "should") {
		if last := vd.stack[n-1]; last != directive {
			msg = quote(last) + " " + msg
		} else {
			msg = "its value " + msg
		}
	}
	e := &Error{Directive: directive, Msg: msg, kind: ErrInvalid}
	for i := len(vd.stack) - 1; i >= 0; i-- {
		e.rev = append(e.rev, vd.stack[i])
	}
	return e
}

func (vd *validator) push(seg string) { vd.stack = append(vd.stack, seg) }
func (vd *validator) pop()            { vd.stack = vd.stack[:len(vd.stack)-1] }

//go:noinline
func article(t string) string {
	switch t[0] {
	case 'a', 'e', 'i', 'o', 'u':
		return "an " + t
	}
	return "a " + t
}

// any validates a mapping value (mapping-kit's validate).
func (vd *validator) any(v value) error {
	switch vtype(v) {
	case "directive":
		return vd.directive(v)
	case "object":
		return vd.object("", v)
	}
	return nil
}

func (vd *validator) directive(obj value) error {
	if vd.known(obj) {
		return nil
	}
	if err := vd.directiveOnce(obj); err != nil {
		return err
	}
	vd.remember(obj)
	return nil
}

func (vd *validator) directiveOnce(obj value) error {
	name := ""
	for _, k := range obj.objKeys() {
		if strings.HasPrefix(k, "@") {
			if name != "" {
				return vd.fail(name, "an object may hold only one @-prefixed key, but this one also has "+k+"; split it into separate fields")
			}
			name = k
		} else if k != "_metadata" {
			return vd.fail(name, "a directive object may not have other keys, but it has "+quote(k)+"; move the key out, or wrap the directive in an object")
		}
	}
	opts, _ := obj.c.get(name)
	vd.push(name)
	defer vd.pop()
	switch name {
	case "@if":
		return vd.fields(name, opts, "exists:r then:r else:r")
	case "@case":
		return vd.fields(name, opts, "operator:s value:S")
	case "@replace":
		return vd.fields(name, opts, "pattern!p replacement:P value!S ignorecase:b global:b")
	case "@arrayPath":
		if opts.k != kArr {
			return vd.fail(name, "expects an array [path, itemShape], but it is "+article(vtype(opts)))
		}
		var first, second value
		if len(opts.c.vals) > 0 {
			first = opts.c.vals[0]
		}
		if len(opts.c.vals) > 1 {
			second = opts.c.vals[1]
		}
		if err := vd.directiveOrString(name, first); err != nil {
			return err
		}
		return vd.any(second)
	case "@path", "@template":
		return vd.directiveOrString(name, opts)
	case "@json":
		return vd.fields(name, opts, "value!r mode!e")
	case "@flatten":
		return vd.fields(name, opts, "separator:s value!r")
	case "@merge":
		if err := vd.fields(name, opts, "direction:d objects!a"); err != nil {
			return err
		}
		objects, _ := opts.c.get("objects")
		for i, o := range objects.c.vals {
			vd.push("objects")
			vd.push(itoa(i))
			err := vd.directiveOrObject(name, o)
			vd.pop()
			vd.pop()
			if err != nil {
				return err
			}
		}
		return nil
	case "@literal", "@excludeWhenNull":
		return vd.directiveOrRaw(name, opts)
	case "@transform":
		return vd.fields(name, opts, "apply!o mapping!o")
	case "@liquid":
		return vd.str(name, opts)
	}
	return vd.fail(name, quote(name)+" is not a directive; use one of "+directiveList)
}

const directiveList = "@path, @if, @template, @literal, @arrayPath, @case, @replace, @json, @flatten, @merge, @transform, @excludeWhenNull, @liquid"

// fields is validateObjectWithFields: a plain object, recursively valid,
// whose listed fields pass their checks. spec lists the fields as
// "name:c" (optional) or "name!c" (required), where c is the check:
// r directiveOrRaw, s str, S directiveOrString, o directiveOrObject,
// b boolean, a array, p a pattern (1 to maxPattern units), P a
// replacement (up to maxReplacement), e encode/decode, d left/right. (A
// string spec instead of a table of method values saves download bytes.)
func (vd *validator) fields(directive string, opts value, spec string) error {
	if err := vd.object(directive, opts); err != nil {
		return err
	}
	for _, f := range strings.Fields(spec) {
		name, c := f[:len(f)-2], f[len(f)-1]
		v, ok := opts.c.get(name)
		if !ok {
			if f[len(f)-2] == '!' {
				return vd.fail(directive, "needs a "+quote(name)+" key; add it")
			}
			continue
		}
		vd.push(name)
		var err error
		switch c {
		case 'r':
			err = vd.directiveOrRaw(directive, v)
		case 's':
			err = vd.str(directive, v)
		case 'S':
			err = vd.directiveOrString(directive, v)
		case 'o':
			err = vd.directiveOrObject(directive, v)
		case 'b':
			err = vd.boolean(directive, v)
		case 'a':
			err = vd.array(directive, v)
		case 'p':
			err = vd.strLen(directive, v, 1, maxPattern)
		case 'P':
			err = vd.strLen(directive, v, 0, maxReplacement)
		case 'e':
			err = vd.oneOf(directive, v, "encode", "decode")
		default:
			err = vd.oneOf(directive, v, "left", "right")
		}
		vd.pop()
		if err != nil {
			return err
		}
	}
	return nil
}

// object is validateObject: a plain object whose values are valid.
func (vd *validator) object(directive string, v value) error {
	if t := vtype(v); t != "object" {
		return vd.fail(directive, "should be an object but it is "+article(t))
	}
	if vd.known(v) {
		return nil
	}
	for i, k := range v.objKeys() {
		vd.push(k)
		err := vd.any(v.c.vals[i])
		vd.pop()
		if err != nil {
			return err
		}
	}
	vd.remember(v)
	return nil
}

func (vd *validator) directiveOrRaw(directive string, v value) error {
	switch vtype(v) {
	case "directive":
		return vd.directive(v)
	case "undefined":
		return vd.fail(directive, "should be a mapping directive or a JSON value")
	}
	return nil
}

func (vd *validator) directiveOrString(directive string, v value) error {
	switch t := vtype(v); t {
	case "directive":
		return vd.directive(v)
	case "string":
		return nil
	default:
		return vd.fail(directive, "should be a string or a directive (like {\"@path\": \"$.userId\"}), but it is "+article(t))
	}
}

func (vd *validator) directiveOrObject(directive string, v value) error {
	switch t := vtype(v); t {
	case "directive":
		return vd.directive(v)
	case "object":
		return vd.object(directive, v)
	default:
		return vd.fail(directive, "should be an object or a directive but it is "+article(t))
	}
}

func (vd *validator) str(directive string, v value) error {
	if t := vtype(v); t != "string" {
		return vd.fail(directive, "should be a string but it is "+article(t))
	}
	return nil
}

func (vd *validator) boolean(directive string, v value) error {
	if t := vtype(v); t != "boolean" {
		return vd.fail(directive, "should be true or false but it is "+article(t))
	}
	return nil
}

func (vd *validator) array(directive string, v value) error {
	if v.k != kArr {
		return vd.fail(directive, "should be an array but it is "+article(vtype(v)))
	}
	return nil
}

func (vd *validator) strLen(directive string, v value, lo, hi int) error {
	if err := vd.str(directive, v); err != nil {
		return err
	}
	n := utf16Len(v.s)
	if n < lo {
		return vd.fail(directive, "should be a string of length "+itoa(lo)+" or more")
	}
	if n > hi {
		return vd.fail(directive, "should be a string of length "+itoa(hi)+" or less")
	}
	return nil
}

func (vd *validator) oneOf(directive string, v value, allowed ...string) error {
	if err := vd.str(directive, v); err != nil {
		return err
	}
	l := jsLower(v.s)
	for _, a := range allowed {
		if l == a {
			return nil
		}
	}
	return vd.fail(directive, "should be one of "+strings.Join(allowed, ", ")+" but it is "+quote(v.s))
}
