package action

import (
	"errors"
	"strconv"

	"rupt-actions-wasm/action/internal/limits"
	"rupt-actions-wasm/action/internal/rawjson"
)

// MaxDepth bounds how deeply JSON input may nest (an empty [] or {} counts
// as a level). Reading JSON here does
// not recurse, but what is done with it may (a mapping walks the event, a
// payload is copied into the attach body and parsed again by the browser),
// and in js/wasm a deep enough recursion overflows the browser's call
// stack, which would end the Go program. So nesting is counted first, and
// anything deeper than a real event, setting or answer is refused with a
// clear error.
const MaxDepth = limits.MaxDepth

// validJSON reports whether raw is one JSON text, in a single pass that
// also refuses nesting deeper than MaxDepth with an error naming what.
func validJSON(raw, what string) (bool, error) {
	ok, tooDeep := rawjson.ValidLimit(raw, MaxDepth)
	if tooDeep {
		return false, errors.New(what + " nests deeper than " + strconv.Itoa(MaxDepth) + " levels")
	}
	return ok, nil
}

// jsonObject is raw parsed, once validJSON has passed it and found a JSON
// object; what names it in the errors.
func jsonObject(raw, what string) (rawjson.Value, error) {
	ok, err := validJSON(raw, what)
	if err != nil {
		return rawjson.Value{}, err
	}
	if !ok {
		return rawjson.Value{}, errors.New(what + " is not valid JSON")
	}
	v := rawjson.Parse(raw)
	if !v.IsObject() {
		return rawjson.Value{}, errors.New(what + " is not valid: it must be a JSON object, got " + typeName(v))
	}
	return v, nil
}
