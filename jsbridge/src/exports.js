// bindGo turns the WebAssembly exports of a running rupt-actions.wasm
// (wasm/main.go, wasm/bridge.go) into one function, call(name, ints,
// strings), that runs the operation of that name and returns its answer's
// texts: the JSON answer first, then any texts that leave Go on their own
// (request bodies). It never throws for Go's sake: a failed operation is a
// JSON {"error"}.
//
// ops is the operation table in Go's order (an operation's number is its
// index + 1), from the contract Go prints at build time (contract.js).
//
// Arguments and answers pass through linear memory. A call writes the
// strings into a buffer Go lends, each a 4-byte little-endian length and
// its UTF-8 bytes, calls rupt_call with the operation number and up to
// three integers, and reads the texts Go left in its memory: UTF-8, joined
// by NUL bytes (JSON never holds a raw NUL), decoded with one TextDecoder
// call (or, for a short ASCII answer, String.fromCharCode) and split.
// Plain WebAssembly calls: no goroutine hand-off, no JS
// value table.

// Arguments of the wrong type read as Go's zero values: a non-string is "",
// a number that is not a finite int32 is 0.
/** @param {unknown} v */
const str = (v) => (typeof v === 'string' ? v : '')
/** @param {unknown} v */
const int = (v) => (typeof v === 'number' && v >= -2147483648 && v <= 2147483647 ? Math.trunc(v) : 0)

/**
 * The exports of rupt-actions.wasm the shim calls (wasm/main.go). The
 * addresses and lengths are uint32 that JS sees as int32: read them with
 * `>>> 0`.
 * @typedef {object} RuptExports
 * @property {WebAssembly.Memory} mem Go's linear memory
 * @property {(size: number) => number} rupt_input lends a buffer of at least size bytes for the arguments; returns its address
 * @property {(op: number, n0: number, n1: number, n2: number, size: number) => number} rupt_call runs operation op on the integers and the size bytes of framed strings; returns the length of the answer (its texts joined by NUL bytes)
 * @property {() => number} rupt_output the address of the answer
 */

/**
 * A bound call: the operation's name, its integers and strings; the
 * answer's texts.
 * @typedef {(name: string, ints?: readonly unknown[], strings?: readonly unknown[]) => string[]} GoCall
 */

// shortText is the longest string written by writeShort. encodeInto
// costs about 1 us a call in Chromium whatever the length (a binding
// call and a subarray), and a JS loop 1 to 2 ns a character: the loop
// wins below about 500 characters, which is an event's part and the
// device context on every attach (bench/results/2026-12-05-cpu-4.md).
const shortText = 384

// writeShort writes s as UTF-8 at mem[at:] and returns the bytes written:
// ASCII by a loop, and from the first other character on by encodeInto.
/**
 * @param {Uint8Array} mem
 * @param {number} at
 * @param {string} s
 * @param {TextEncoder} encoder
 * @returns {number}
 */
function writeShort(mem, at, s, encoder) {
  const n = s.length
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i)
    if (c >= 0x80) return i + encoder.encodeInto(s.slice(i), mem.subarray(at + i, at + 3 * n)).written
    mem[at + i] = c
  }
  return n
}

// shortAnswer is the longest answer read by String.fromCharCode when it
// is ASCII (a per-event answer is about 200 bytes). In the page, between
// calls into WebAssembly, TextDecoder.decode cost 3 to 4 us whatever the
// length, a sixth of an attach; fromCharCode over the bytes about 1 us
// (bench/results/2026-12-05-cpu-4.md). A longer or non-ASCII answer (the
// device's members text, an error quoting the visitor's data) is decoded.
const shortAnswer = 2048

/** @param {Uint8Array} b */
function isASCII(b) {
  for (let i = 0; i < b.length; i++) if (b[i] >= 0x80) return false
  return true
}

/**
 * @param {RuptExports} exports
 * @param {readonly string[]} ops
 * @returns {GoCall}
 */
export function bindGo(exports, ops) {
  const op = new Map(ops.map((name, i) => [name, i + 1]))
  const encoder = new TextEncoder()
  const decoder = new TextDecoder()
  return (name, ints = [], strings = []) => {
    const args = strings.map(str)
    let max = 0
    for (const s of args) max += 4 + 3 * s.length // UTF-16 unit → at most 3 UTF-8 bytes
    const start = exports.rupt_input(max) >>> 0
    // Read the buffer only now: a growing memory detaches the old one.
    const mem = new Uint8Array(exports.mem.buffer)
    let at = start
    for (const s of args) {
      const written = s.length <= shortText ? writeShort(mem, at + 4, s, encoder) : encoder.encodeInto(s, mem.subarray(at + 4, at + 4 + 3 * s.length)).written
      mem[at] = written & 0xff
      mem[at + 1] = (written >>> 8) & 0xff
      mem[at + 2] = (written >>> 16) & 0xff
      mem[at + 3] = written >>> 24
      at += 4 + written
    }
    const n = exports.rupt_call(op.get(name) || 0, int(ints[0]), int(ints[1]), int(ints[2]), at - start) >>> 0
    const out = exports.rupt_output() >>> 0
    const view = new Uint8Array(exports.mem.buffer, out, n)
    return (n <= shortAnswer && isASCII(view) ? String.fromCharCode.apply(null, /** @type {number[]} */ (/** @type {unknown} */ (view))) : decoder.decode(view)).split('\0')
  }
}
