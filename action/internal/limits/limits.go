// Package limits holds the nesting limits the destination puts on JSON, in
// one place, so that every package refuses the same depth and the one
// limit that must differ says why next to the other.
//
// Why there are limits at all: in js/wasm every Go call is also a frame on
// the JavaScript engine's native stack (about 1 MB in V8, Node and Chrome
// alike), and overflowing it ends the Go program, which no recover can
// catch. Reading JSON is iterative everywhere (action/internal/rawjson's
// validator counts depth in one pass), but what is done with the value
// recurses once per level: the fingerprint's scanner and canonicalizer, the
// mapping's parser and evaluator, the browser's own JSON.parse of an
// attach body.
package limits

// MaxDepth is the deepest nesting of JSON objects and arrays accepted in
// any input from JavaScript or the network (an empty [] or {} counts as a
// level): events, settings, subscriptions, Rupt's answers and live
// messages (package action, through rawjson.ValidLimit) and the device
// signals (package fingerprint). Real events nest about 5 levels and
// signals 4. The fingerprint, the deepest recursion this limit admits,
// needs 150 to 200 KB of the engine's stack at 512 levels in js/wasm
// (measured under Node 20 with --stack-size; it used to allow 1,000
// levels, which needed 300 to 400 KB).
const MaxDepth = 512

// MaxMappingDepth is the deepest nesting inside mapping-kit's values: the
// mapping, the event as the mapping reads it, and the values @json decodes
// (package mapping). It must be lower than MaxDepth: the mapping's parser
// and evaluator recurse through several Go calls per level with larger
// frames, and in js/wasm, once optimized, 560 levels of objects overflowed
// the engine's stack. 128 leaves a wide margin.
const MaxMappingDepth = 128
