// Package mapping evaluates Segment mapping-kit mappings in pure Go,
// agreeing with @segment/actions-core's
// require('@segment/actions-core/mapping-kit').transform(mapping, event)
// (pinned: actions-core 3.170.0, liquidjs 10.30.1): same validation, same
// result, and JSON text equal to JSON.stringify of the oracle's output.
//
//	m, err := mapping.Compile(mappingJSON) // validate once
//	payload, err := m.Apply(eventJSON)     // evaluate per event
//
// # Directives
//
//   - @path: actions-core's get(), not real JSONPath. The first "$." is
//     removed; the rest splits on ".", on "[" before a quote or digit and
//     on "]" after one, quotes dropped. "$." and "" give the whole event,
//     "$.userId.length" a string's or array's length, "$.a[0]" an element.
//     A falsy step result (0, "", false, null) is returned as is.
//   - @if: {exists | blank, then, else}. exists: not null/undefined. blank:
//     not null/undefined and loosely != "" (so 0, false, [] and "" are
//     blank, {} is not). "else" is used only when its mapping value is
//     truthy; "then" whenever present.
//   - @template: "{{a.b}}" and "{{{a.b}}}" placeholders (get() paths);
//     null/undefined render as "", objects as "[object Object]", arrays
//     like String([..]), numbers like JavaScript's String(n).
//   - @literal: its value, with nested directives still resolved.
//   - @arrayPath: [path, itemShape]: the item shape evaluated against each
//     element (an object counts as a one-element array).
//   - @case: {operator: "lower"|"upper", value}, with JavaScript's
//     toLowerCase/toUpperCase (ß → SS, final sigma, ...).
//   - @replace: {pattern, replacement, pattern2, replacement2, ignorecase,
//     global}: literal patterns of at most 10 characters, JavaScript
//     replacement patterns ($$, $&, $`, $').
//   - @json: {mode: "encode"|"decode", value}: JSON.stringify / JSON.parse
//     (undecodable strings are returned unchanged).
//   - @flatten: {value, separator, omitArrays}.
//   - @merge: {objects, direction: "left"|"right"}: Object.assign.
//   - @transform: {apply, mapping}: mapping evaluated on apply's result.
//   - @excludeWhenNull: drops null properties (recursively, not in arrays);
//     a null value becomes undefined.
//   - @liquid: a Liquid template; see below for the supported subset.
//
// Values that are not directives are copied, recursing into objects and
// arrays. A top-level mapping that is not an object is spread like
// {...mapping} (a string becomes {"0": "a", "1": "b", ...}). The
// "__segment_internal_directive" root key is honoured. Object keys follow
// JavaScript order: array-index keys ascending first, then insertion
// order.
//
// # Errors
//
// Errors are *Error values naming the path in the mapping, the directive
// and the fix. They wrap ErrInvalid where mapping-kit throws too, and
// ErrUnsupported for the deliberate differences below.
//
// # Deliberate differences
//
// Where the oracle would return something JSON cannot faithfully carry,
// or we choose limits, Apply returns an ErrUnsupported error instead of a
// possibly wrong answer:
//
//  1. A path step that reaches a JavaScript built-in instead of data
//     ("constructor", "toString", "__proto__", string and array methods,
//     ...) on a truthy value that does not own that key.
//  2. A "__proto__" key in the mapping, the event, @json-decoded text or
//     a @flatten result (JavaScript treats it as the prototype setter).
//  3. JSON nested more than 1000 levels, inputs over 64 MiB, computed
//     strings over 64 MiB, and more than 2^24 evaluation steps.
//  4. @liquid templates outside the supported subset.
//
// Inputs must also be valid UTF-8 (ErrInvalid otherwise).
package mapping
