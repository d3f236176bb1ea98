// bindGo turns the WebAssembly exports of a running rupt-actions.wasm
// (wasm/main.go, wasm/bridge.go) into the Go API the shim calls: one method
// per operation, taking and returning strings of JSON, never throwing.
//
// A call writes the string arguments into a buffer Go lends (each as a
// 4-byte little-endian length and its UTF-8 bytes), calls rupt_call with
// the integer arguments, and decodes the answer Go left in its memory.
// Plain WebAssembly calls: no goroutine hand-off, no JS value table.

// OPS lists the operations in the order of wasm/bridge.go's Op constants
// (an operation's number is its index + 1).
export const OPS = ['configure', 'attachDevice', 'handleResponse', 'handleLive', 'detach', 'deviceSignals', 'fingerprint', 'stats', 'definition']

const op = Object.fromEntries(OPS.map((name, i) => [name, i + 1]))

// Arguments of the wrong type read as Go's zero values, as they always
// have: a non-string is "", a number that is not a finite int32 is 0.
const str = (v) => (typeof v === 'string' ? v : '')
const int = (v) => (typeof v === 'number' && v >= -2147483648 && v <= 2147483647 ? Math.trunc(v) : 0)

export function bindGo(exports) {
  const encoder = new TextEncoder()
  const decoder = new TextDecoder()
  const call = (name, id, num, strings) => {
    let max = 0
    for (const s of strings) max += 4 + 3 * s.length // UTF-16 unit → at most 3 UTF-8 bytes
    const start = exports.rupt_input(max) >>> 0
    // Read the buffer only now: a growing memory detaches the old one.
    const mem = new Uint8Array(exports.mem.buffer)
    let at = start
    for (const s of strings) {
      const { written } = encoder.encodeInto(s, mem.subarray(at + 4, at + 4 + 3 * s.length))
      mem[at] = written & 0xff
      mem[at + 1] = (written >>> 8) & 0xff
      mem[at + 2] = (written >>> 16) & 0xff
      mem[at + 3] = written >>> 24
      at += 4 + written
    }
    const n = exports.rupt_call(op[name], id, num, at - start) >>> 0
    const out = exports.rupt_output() >>> 0
    return decoder.decode(new Uint8Array(exports.mem.buffer, out, n))
  }
  return {
    configure: (settings) => call('configure', 0, 0, [str(settings)]),
    attachDevice: (id, event, device) => call('attachDevice', int(id), 0, [str(event), str(device)]),
    handleResponse: (id, ctx, status, body) => call('handleResponse', int(id), int(status), [str(ctx), str(body)]),
    handleLive: (id, data, url) => call('handleLive', int(id), 0, [str(data), str(url)]),
    detach: (id) => call('detach', int(id), 0, []),
    deviceSignals: (legacy, muted) => call('deviceSignals', 0, 0, [str(legacy), str(muted)]),
    fingerprint: (signals) => call('fingerprint', 0, 0, [str(signals)]),
    stats: () => call('stats', 0, 0, []),
    definition: () => call('definition', 0, 0, []),
  }
}
