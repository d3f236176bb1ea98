package mapping

// This file evaluates the directives: directive dispatches on the name;
// @path, @template, @literal, @excludeWhenNull and @liquid are handled
// there, the others by one method each (ifDirective, caseDirective,
// replaceDirective, arrayPath, jsonDirective, flattenDirective, merge,
// transformDirective). validate.go checks their options first, at
// Compile, as mapping-kit validates a mapping before transforming.

// field reads a directive option (a plain property of the options object).
func field(opts value, name string) value {
	v, _ := opts.c.get(name)
	return v
}

// directive runs the directive name with its options opts against
// payload; split is a literal @path's path, split at Compile (needOf), or
// nil.
func (e *evaluator) directive(name string, opts, payload value, split *splitKeys) (value, error) {
	switch name {
	case "@path", "@template":
		p, err := e.resolve(opts, payload)
		if err != nil {
			return undef, err
		}
		if p.k != kStr {
			return undef, dirErr(name, "its value must be a string (like \"$.userId\") or a directive giving one, got "+article(p.typeName()))
		}
		if name == "@path" {
			if split != nil {
				return split.read(payload)
			}
			return getPath(payload, stripDollarDot(p.s))
		}
		s, err := renderTemplate(p.s, payload)
		if err != nil {
			return undef, err
		}
		return e.stringResult(s)
	case "@literal":
		return e.resolve(opts, payload)
	case "@if":
		return e.ifDirective(opts, payload)
	case "@case":
		return e.caseDirective(opts, payload)
	case "@replace":
		return e.replaceDirective(opts, payload)
	case "@arrayPath":
		return e.arrayPath(opts, payload)
	case "@json":
		return e.jsonDirective(opts, payload)
	case "@flatten":
		return e.flattenDirective(opts, payload)
	case "@merge":
		return e.merge(opts, payload)
	case "@transform":
		return e.transformDirective(opts, payload)
	case "@excludeWhenNull":
		v, err := e.resolve(opts, payload)
		if err != nil || v.k == kNull {
			return undef, err
		}
		return e.cleanNulls(v)
	case "@liquid":
		if opts.k != kStr {
			return undef, dirErr(name, "the template must be a string")
		}
		if opts.s == "" {
			return emptyStr, nil
		}
		if utf16Len(opts.s) > maxLiquid {
			return undef, dirErr(name, "templates are limited to 1000 characters; shorten it")
		}
		s, err := renderLiquid(opts.s, payload)
		if err != nil {
			return undef, err
		}
		return e.stringResult(s)
	}
	return undef, dirErr(name, quote(name)+" is not a directive; use one of "+directiveList)
}

func needObject(name string, opts value, what string) error {
	if opts.k != kObj {
		return dirErr(name, "needs an object with "+what+", got "+article(opts.typeName()))
	}
	return nil
}

func (e *evaluator) ifDirective(opts, payload value) (value, error) {
	if err := needObject("@if", opts, `an "exists" or a "blank" key`); err != nil {
		return undef, err
	}
	exists, hasExists := opts.c.get("exists")
	blank, hasBlank := opts.c.get("blank")
	if !exists.truthy() && !blank.truthy() {
		return undef, dirErr("@if", `needs an "exists" or a "blank" key (with a truthy value); add one`)
	}
	cond := false
	switch {
	case hasExists:
		v, err := e.resolve(exists, payload)
		if err != nil {
			return undef, at(err, "exists")
		}
		cond = !v.nullish()
	case hasBlank:
		v, err := e.resolve(blank, payload)
		if err != nil {
			return undef, at(err, "blank")
		}
		cond = !v.nullish() && !looseEqualsEmpty(v)
	}
	then, hasThen := opts.c.get("then")
	els := field(opts, "else")
	switch {
	case cond && hasThen:
		v, err := e.resolve(then, payload)
		return v, at(err, "then")
	case !cond && els.truthy():
		v, err := e.resolve(els, payload)
		return v, at(err, "else")
	}
	return undef, nil
}

func (e *evaluator) caseDirective(opts, payload value) (value, error) {
	if err := needObject("@case", opts, `an "operator" key`); err != nil {
		return undef, err
	}
	op := field(opts, "operator")
	if !op.truthy() {
		return undef, dirErr("@case", `needs an "operator" key: "lower" or "upper"`)
	}
	raw := field(opts, "value")
	if !raw.truthy() {
		return undef, nil
	}
	v, err := e.resolve(raw, payload)
	if err != nil {
		return undef, at(err, "value")
	}
	if v.k != kStr {
		return v, nil
	}
	if op.k == kStr && op.s == "lower" {
		return e.stringResult(jsLower(v.s))
	}
	if op.k == kStr && op.s == "upper" {
		return e.stringResult(jsUpper(v.s))
	}
	return undef, at(dirErr("@case", `the operator must be "lower" or "upper"`), "operator")
}

func (e *evaluator) replaceDirective(opts, payload value) (value, error) {
	if err := needObject("@replace", opts, `a "pattern" key`); err != nil {
		return undef, err
	}
	pattern := field(opts, "pattern")
	if !pattern.truthy() {
		return undef, dirErr("@replace", `needs a non-empty "pattern" key`)
	}
	def := func(name string, d value) value {
		v := field(opts, name)
		if v.nullish() {
			return d
		}
		return v
	}
	replacement := def("replacement", emptyStr)
	pattern2 := field(opts, "pattern2")
	replacement2 := field(opts, "replacement2")
	if pattern2.truthy() && replacement2.nullish() {
		replacement2 = emptyStr
	}
	ignorecase := def("ignorecase", vFalse)
	global := def("global", vTrue)
	raw := field(opts, "value")
	if !raw.truthy() {
		return undef, nil
	}
	v, err := e.resolve(raw, payload)
	if err != nil {
		return undef, at(err, "value")
	}
	if v.k == kBool || v.k == kNum {
		v = str(toString(v))
	}
	if v.k != kStr || pattern.k != kStr || replacement.k != kStr || ignorecase.k != kBool || global.k != kBool {
		return emptyStr, nil
	}
	out, err := jsReplace(v.s, pattern.s, replacement.s, global.n != 0, ignorecase.n != 0)
	if err != nil {
		return undef, err
	}
	if pattern2.k == kStr && pattern2.s != "" && replacement2.k == kStr {
		if out, err = jsReplace(out, pattern2.s, replacement2.s, global.n != 0, ignorecase.n != 0); err != nil {
			return undef, err
		}
	}
	return e.stringResult(out)
}

func (e *evaluator) arrayPath(opts, payload value) (value, error) {
	if opts.k != kArr {
		return undef, dirErr("@arrayPath", "expects an array [path, itemShape], got "+article(opts.typeName()))
	}
	var path, shape value
	if len(opts.c.vals) > 0 {
		path = opts.c.vals[0]
	}
	if len(opts.c.vals) > 1 {
		shape = opts.c.vals[1]
	}
	var root value
	var err error
	if path.k == kStr {
		root, err = getPath(payload, stripDollarDot(path.s))
	} else {
		root, err = e.resolve(path, payload)
	}
	if err != nil {
		return undef, at(err, "0")
	}
	if (root.k != kObj && root.k != kArr) || shape.k != kObj || len(shape.c.keys) == 0 {
		return root, nil
	}
	items := []value{root}
	if root.k == kArr {
		items = root.c.vals
	}
	out := make([]value, len(items))
	for i, item := range items {
		r, err := e.resolve(shape, item)
		if err != nil {
			return undef, at(err, "1")
		}
		out[i] = r
	}
	return newArr(out), nil
}

func (e *evaluator) jsonDirective(opts, payload value) (value, error) {
	if err := needObject("@json", opts, `a "value" key`); err != nil {
		return undef, err
	}
	mode := field(opts, "mode")
	if !mode.truthy() {
		return undef, dirErr("@json", `needs a "mode" key: "encode" or "decode"`)
	}
	raw := field(opts, "value")
	if !raw.truthy() {
		return undef, dirErr("@json", `needs a "value" key with a truthy value`)
	}
	v, err := e.resolve(raw, payload)
	if err != nil {
		return undef, at(err, "value")
	}
	if mode.k != kStr {
		return undef, nil
	}
	switch mode.s {
	case "encode":
		b, ok := appendJSON(nil, v)
		if !ok {
			return undef, nil
		}
		return e.stringResult(string(b))
	case "decode":
		if v.k != kStr {
			return v, nil
		}
		d, err := parseJSON(v.s)
		if err != nil {
			if isSyntax(err) {
				return v, nil
			}
			return undef, err
		}
		if err := e.spend(len(v.s) / 16); err != nil {
			return undef, err
		}
		return d, nil
	}
	return undef, nil
}

func (e *evaluator) flattenDirective(opts, payload value) (value, error) {
	if err := needObject("@flatten", opts, `a "separator" key`); err != nil {
		return undef, err
	}
	rawSep := field(opts, "separator")
	if !rawSep.truthy() {
		return undef, dirErr("@flatten", `needs a non-empty "separator" key`)
	}
	sep, err := e.resolve(rawSep, payload)
	if err != nil {
		return undef, at(err, "separator")
	}
	if sep.k != kStr {
		return undef, at(dirErr("@flatten", "the separator must be a string"), "separator")
	}
	v, err := e.resolve(field(opts, "value"), payload)
	if err != nil {
		return undef, at(err, "value")
	}
	out := newObj(0)
	if err := e.flatten(out.c, v, "", sep.s, field(opts, "omitArrays").truthy()); err != nil {
		return undef, err
	}
	return out, nil
}

func (e *evaluator) flatten(out *container, v value, prefix, sep string, omitArrays bool) error {
	if err := e.spend(1); err != nil {
		return err
	}
	if v.k == kObj || (v.k == kArr && !omitArrays) {
		var keys []string
		if v.k == kObj {
			keys = v.objKeys()
		}
		for i, child := range v.c.vals {
			var key string
			if keys != nil {
				key = keys[i]
			} else {
				key = itoa(i)
			}
			if prefix != "" {
				key = joinSurrogates(prefix + sep + key)
				if err := checkLen(key); err != nil {
					return err
				}
				if err := e.spend(len(key) / 64); err != nil {
					return err
				}
			}
			if err := e.flatten(out, child, key, sep, omitArrays); err != nil {
				return err
			}
		}
		return nil
	}
	if prefix == "__proto__" {
		return protoKeyError()
	}
	out.set(prefix, v)
	return nil
}

func (e *evaluator) merge(opts, payload value) (value, error) {
	if err := needObject("@merge", opts, `an "objects" key and a "direction" key`); err != nil {
		return undef, err
	}
	rawDir := field(opts, "direction")
	if !rawDir.truthy() {
		return undef, dirErr("@merge", `needs a "direction" key: "left" or "right"`)
	}
	dir, err := e.resolve(rawDir, payload)
	if err != nil {
		return undef, at(err, "direction")
	}
	objects := field(opts, "objects")
	if !objects.truthy() {
		return undef, dirErr("@merge", `needs an "objects" key`)
	}
	if objects.k != kArr {
		return undef, at(dirErr("@merge", `"objects" must be an array`), "objects")
	}
	vals := make([]value, len(objects.c.vals))
	for i, o := range objects.c.vals {
		r, err := e.resolve(o, payload)
		if err != nil {
			return undef, at(at(err, itoa(i)), "objects")
		}
		vals[i] = r
	}
	if dir.k == kStr && dir.s == "left" {
		for i, j := 0, len(vals)-1; i < j; i, j = i+1, j-1 {
			vals[i], vals[j] = vals[j], vals[i]
		}
	}
	out := newObj(0)
	for _, v := range vals {
		if v.k == kStr {
			// Strings spread into one key per character: count first.
			if err := e.spend(len(v.s)); err != nil {
				return undef, err
			}
		}
		if err := e.spend(assign(out.c, v)); err != nil {
			return undef, err
		}
	}
	return out, nil
}

func (e *evaluator) transformDirective(opts, payload value) (value, error) {
	if err := needObject("@transform", opts, `an "apply" key and a "mapping" key`); err != nil {
		return undef, err
	}
	mapping := field(opts, "mapping")
	if !mapping.truthy() {
		return undef, dirErr("@transform", `needs a "mapping" key`)
	}
	apply := field(opts, "apply")
	if !apply.truthy() {
		return undef, dirErr("@transform", `needs an "apply" key`)
	}
	if apply.k != kObj {
		return undef, at(dirErr("@transform", `"apply" must be an object`), "apply")
	}
	if payload.k == kUndef {
		payload = newObj(0) // transform(mapping, data = {})
	}
	if payload.k != kObj {
		return undef, dirErr("@transform", "the data it applies to must be an object, got "+article(payload.typeName()))
	}
	root, err := mappingToProcess(apply)
	if err != nil {
		return undef, at(err, "apply")
	}
	vd := validator{}
	if err := vd.any(root); err != nil {
		return undef, at(err, "apply")
	}
	next, err := e.resolve(root, payload)
	if err != nil {
		return undef, at(err, "apply")
	}
	if next, err = e.removeUndefined(next); err != nil {
		return undef, at(err, "apply")
	}
	r, err := e.resolve(mapping, next)
	return r, at(err, "mapping")
}

// removeUndefined drops undefined properties, recursively.
func (e *evaluator) removeUndefined(v value) (value, error) {
	switch v.k {
	case kArr:
		if err := e.spend(len(v.c.vals)); err != nil {
			return undef, err
		}
		out := make([]value, len(v.c.vals))
		for i, x := range v.c.vals {
			r, err := e.removeUndefined(x)
			if err != nil {
				return undef, err
			}
			out[i] = r
		}
		return newArr(out), nil
	case kObj:
		keys := v.objKeys()
		if err := e.spend(len(keys)); err != nil {
			return undef, err
		}
		out := newObj(len(keys))
		for i, k := range keys {
			if x := v.c.vals[i]; x.k != kUndef {
				r, err := e.removeUndefined(x)
				if err != nil {
					return undef, err
				}
				out.c.set(k, r)
			}
		}
		return out, nil
	}
	return v, nil
}

// cleanNulls is @excludeWhenNull: null properties become undefined, in
// nested objects too (not inside arrays).
func (e *evaluator) cleanNulls(v value) (value, error) {
	if v.k != kObj {
		return v, nil
	}
	keys := v.objKeys()
	if err := e.spend(len(keys)); err != nil {
		return undef, err
	}
	out := newObj(len(keys))
	for i, k := range keys {
		x := v.c.vals[i]
		switch x.k {
		case kNull:
			x = undef
		case kObj:
			var err error
			if x, err = e.cleanNulls(x); err != nil {
				return undef, err
			}
		}
		out.c.set(k, x)
	}
	return out, nil
}
