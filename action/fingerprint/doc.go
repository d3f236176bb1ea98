// Package fingerprint computes Rupt's fuzzy device hash, byte-identical to
// getFuzzyHash in the @ruptjs/fingerprint npm package (1.0.10), in pure Go
// (no syscall/js), so it builds for js/wasm and is tested natively.
//
// # Input contract
//
// The signals are JSON text exactly as the browser's JSON.stringify wrote
// the object that getSignals returned: compact, strings escaped as
// JSON.stringify escapes them, numbers printed as JavaScript prints them,
// array-index keys first. In that form, JSON.stringify of any sub-value is
// exactly that sub-value's text inside the whole, so the hash is computed
// over slices of the input, in one validating pass plus the hashing, without
// decoding values. The input must be valid UTF-8 (a JavaScript string
// converted to Go always is; JSON.stringify escapes lone surrogates).
//
// Any other valid JSON (whitespace, other escapes, other number spellings,
// duplicate keys, keys out of JavaScript's property order) is accepted too:
// it is first rewritten into JSON.stringify(JSON.parse(text)), so the results
// are always those the SDK computes for JSON.parse(text). This costs an extra
// pass and allocations, and browsers never need it.
//
// # The algorithm
//
// getFuzzyHash(obj, length = 2048):
//
//  1. keys = Object.keys(obj).sort(), JavaScript's default sort, which
//     compares UTF-16 code units (not Go's byte order: "😀" sorts before
//     "！" (U+FF01) because its first code unit is a surrogate, 0xD83D);
//  2. per = ceil(length / len(keys)); surplus = len(keys)*per - length;
//  3. for each key in that order: if the value is a non-null, non-array
//     object with per >= 2 * (its key count), the part is getFuzzyHash(value,
//     per); otherwise it is the first per characters of the lowercase hex
//     SHA-256 of JSON.stringify(value) in UTF-8 (at most 64 characters);
//  4. for i in 0..surplus-1 the part i % len(parts) loses its last character;
//  5. the parts are joined and right-padded with "0" to length.
//
// Consequences the SDK's code implies and this package reproduces: an empty
// object hashes to length zeros (also when nested: it always passes the
// recursion test); a length below the number of keys yields one-character
// parts of which the first surplus become empty; long lengths mostly pad
// with zeros, as each plain value contributes at most 64 characters. A
// top-level array is hashed with its indices as keys (sorted as strings).
//
// # Muting
//
// The SDK's get() hashes muteSignals(signals). The shim runs the SDK's own
// muteSignals in JavaScript and hands FuzzyHash the muted signals; the tests
// keep a Go copy of muteSignals (mutesignals_test.go) to check the hashes
// of the muted vectors.
//
// # Hashing
//
// SHA-256 is a small pure-Go implementation (sha256.go), since
// crypto/sha256 brings its FIPS 140 module (about 40 KB brotli in
// WebAssembly).
//
// # Testing against the SDK
//
// testdata/gen-vectors.mjs (node action/fingerprint/testdata/gen-vectors.mjs
// from the repository root) runs the pinned @ruptjs/fingerprint on a few
// hundred signal objects, starting from a real headless-Chromium capture
// (testdata/signals-chromium.json, made by testdata/capture-signals.mjs), and
// records getFuzzyHash at several lengths and muteSignals; TestOracleVectors
// requires byte-identical results.
package fingerprint
