// Package mapping evaluates Segment mapping-kit mappings in pure Go. It
// agrees with the oracle,
// require('@segment/actions-core/mapping-kit').transform(mapping, event)
// from @segment/actions-core 3.170.0 with liquidjs 10.30.1 (pinned in
// package-lock.json): the same validation errors, the same results, and
// output JSON byte-identical to JSON.stringify of the oracle's result.
//
//	m, err := mapping.Compile(mappingJSON) // parse and validate once
//	payload, err := m.Apply(eventJSON)     // evaluate per event
//
// Why liquidjs 10.30.1: actions-core 3.170.0 requires "liquidjs" without
// declaring it as a dependency, so it runs whatever copy the bundle
// around it resolves; Segment's destinations declare ^10.25.7, which an
// install resolves to the newest 10.x. One version inside that range must
// be pinned for the oracle corpora (testdata/cases.json,
// testdata/liquid.json) to be reproducible: 10.30.1, released 2026-10-28,
// the version these vectors were generated with. The @liquid corpus uses
// liquidjs's browser build, the one Segment's browser bundle ships
// (liquidjs's package.json "browser" field). The versions in the range do
// not agree: against 10.25.7, 146 of the corpus's cases differ (modulo's
// sign, sha256 and squish missing, slice on strings, base64_decode's
// messages; bench/results/2026-12-05-liquid.md lists them), so a site
// whose bundle resolves another version can see those differences.
//
// A Mapping is immutable and may be shared between goroutines. Apply
// parses the event itself; nothing is retained between calls. Compile works
// out which paths of an event the mapping can read, and Apply builds values
// for those only; the rest of the event is still checked as JSON.parse
// would check it, so the errors are the same.
//
// # Directives
//
//   - @path: actions-core's get(), not full JSONPath. The first "$." is
//     removed (anywhere in the string); the rest is split on ".", on "["
//     before a quote or digit, and on runs of "]" after one; quotes are
//     dropped. "$.", "." and "" give the whole event; "$.userId.length"
//     is a string's length in UTF-16 units (or an array's length);
//     "$.a[0]", "$.a.0" and "$.a['b']" index. A step on a falsy value (0,
//     "", false, null) returns that value.
//   - @if: {exists | blank, then, else}. "exists" holds when its value is
//     not null or undefined; "blank" (used when there is no "exists") holds
//     when the value is not null or undefined and is loosely != "" (so 0,
//     false, "", [] and [null] are blank; {} and " " are not). "then" is
//     used whenever present; "else" only when its mapping value is truthy.
//   - @template: "{{path}}" and "{{{path}}}" placeholders with get()
//     paths (trimmed; the triple form is replaced first). null and
//     undefined render as "", objects as "[object Object]", arrays as
//     String([...]) does ("a,b"), numbers like JavaScript's String(n)
//     (1e+21, 0.30000000000000004, 0 for -0).
//   - @literal: its value, with nested directives still resolved.
//   - @arrayPath: [path, itemShape]: a non-empty object shape is evaluated
//     against each element of the array at path (an object counts as a
//     one-element array); otherwise the value at path is returned.
//   - @case: {operator: "lower" | "upper", value}, with JavaScript's
//     toLowerCase / toUpperCase (ß → SS, ŉ → ʼN, İ → i̇, final sigma ς),
//     from tables generated from Node (testdata/gen-case-tables.mjs).
//     Non-string values pass through.
//   - @replace: {pattern, replacement, value, global (default true),
//     ignorecase, pattern2, replacement2}: patterns are literal text of at
//     most 10 UTF-16 units; ignorecase follows RegExp's /i (non-unicode)
//     code-unit canonicalization; replacements honour $$, $&, $` and $'
//     ($1 and $<name> stay literal: there are no groups). Numbers and
//     booleans are stringified; other non-strings give "".
//   - @json: {mode: "encode" | "decode", value}: JSON.stringify, or
//     JSON.parse with the original string kept when it is not JSON. Any
//     case of "encode"/"decode" validates, but only lower case acts.
//   - @flatten: {value, separator, omitArrays}: nested keys joined by the
//     separator, arrays too unless omitArrays.
//   - @merge: {objects, direction: "left" | "right"}: Object.assign of
//     the resolved objects (reversed for "left").
//   - @transform: {apply, mapping}: "mapping" is evaluated against the
//     result of transforming the event with "apply".
//   - @excludeWhenNull: drops null properties, recursively through
//     objects (not arrays); a null value becomes undefined (omitted).
//   - @liquid: a Liquid template (at most 1000 UTF-16 units), rendered as
//     actions-core's liquidjs engine renders it (below).
//
// Values that are not directives are copied, recursing into objects and
// arrays; directives inside arrays are evaluated but, as in mapping-kit,
// only validated when they run. A top-level mapping that is not an object
// is spread like {...mapping} (a string becomes {"0": "a", "1": "b"}, a
// number {}), and the "__segment_internal_directive" root key is honoured.
// Object keys follow JavaScript order: array-index keys ("0", "17")
// ascending first, then the others in insertion order. A mapping that is
// a single directive may evaluate to undefined: Apply then returns a nil
// slice and no error (JSON.stringify returns undefined too).
//
// # @liquid
//
// liquidjs 10.30.1's browser build as actions-core configures it: lenient
// variables and filters (an unknown variable is undefined, an unknown
// filter passes its value through), own properties only, every tag and
// filter but the ones actions-core disables, which throw
// `tag "x" is disabled` / `filter "x" is disabled`:
//
//   - tags case, for, include, layout, render, tablerow;
//   - filters array_to_sentence_string, concat, find, find_exp,
//     find_index, find_index_exp, group_by, group_by_exp, has, has_exp,
//     map, newline_to_br, reject, reject_exp, reverse, sort, sort_natural,
//     uniq, where_exp, type.
//
// Everything else renders byte-identically to Segment (testdata/liquid.json,
// generated from Segment's transform by testdata/gen-liquid.mjs, and
// FuzzLiquid): the tags if/elsif/else, unless, assign, capture, echo,
// liquid, raw, comment and {%# %}, increment, decrement, cycle, block,
// break and continue, whitespace control; expressions with liquidjs's
// operator precedence (not; and/or right to left), nil, empty and blank,
// ranges, escapes, its identifier and number rules; the filters of math,
// strings, HTML, URLs, base64, arrays (where, sum, compact, push, pop,
// shift, unshift, slice, first, last, size, join, split) and json,
// jsonify, inspect, default (with allow_false), raw, to_integer.
// sha256 and hmac_sha256 are asynchronous in the browser build: they give a
// pending Promise, which prints as "[object Promise]".
//
// Limits are liquidjs's: templates of at most 1000 characters (parseLimit,
// and actions-core's own check) and a memory budget of 1e8 UTF-16 units
// per render (memoryLimit), charged by the filters as liquidjs charges
// them (where a filter charges its input or its output, the larger). The
// render limit (renderLimit, 500 ms in liquidjs) is a step budget here:
// with for, tablerow, include, render and layout disabled, nothing loops
// or recurses, so a render runs each of its tags and outputs (fewer than
// 500 in 1000 characters) once, and every filter's work is bounded by the memory budget and the
// 16 MiB string limit below.
//
// The date filters (date, date_to_xmlschema, date_to_rfc822,
// date_to_string, date_to_long_string) format as liquidjs does in the
// browser: in the visitor's time zone and locale, which, with JavaScript's
// Date parsing, only the browser knows. They ask it through Dates (a
// DateHost; in the WebAssembly build, the shim's jsbridge/src/dates.js)
// and do the rest here: which date a value stands for, strftime with its
// flags and widths, the memory limit. Without a DateHost they are
// ErrUnsupported. "now" and "today" read the browser's clock, and sample
// picks at random, as in liquidjs.
//
// # Errors
//
// Errors are *Error values with the path in the mapping as a JSON Pointer
// ("/email/@if/then/@case/value"), the directive, and what to fix. They
// wrap ErrInvalid where mapping-kit throws too, or ErrUnsupported for the
// deliberate differences below. Apply never panics: malformed JSON,
// invalid UTF-8 (ErrInvalid), deep nesting and hostile keys give errors.
//
// # Deliberate differences
//
// Where the oracle returns something JSON cannot faithfully carry, or
// where we set limits, Apply returns an ErrUnsupported error instead of a
// possibly wrong answer (TestDeliberateDifferences pins each one):
//
//  1. A path step that would reach a JavaScript built-in instead of data:
//     "constructor", "toString", "__proto__", "hasOwnProperty", ... on an
//     object, string, array, number or boolean that does not own that key,
//     and the methods of strings, arrays and numbers ("$.userId.trim").
//     The oracle returns functions or prototypes there.
//  2. A "__proto__" key in the mapping, the event, @json-decoded text or
//     a @flatten result: JavaScript treats it as the prototype setter.
//  3. Limits: JSON nested more than 128 levels; mapping or event over
//     16 MiB; a computed string over 16 MiB; more than 2^20 evaluation
//     steps for one event (against exponential mappings).
//  4. @liquid: a range of more than 2^20 numbers. A string over 16 MiB
//     fails as liquidjs's memory limit does (ErrInvalid, "memory alloc
//     limit exceeded"), where liquidjs would sometimes get further.
package mapping
