// node --test jsbridge/src: bindGo's framing of the arguments, against
// TextEncoder (run by ./build.sh test).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { bindGo } from './exports.js'

// fakeGo stands in for rupt-actions.wasm: it keeps the framed arguments
// of the last call (each a 4-byte little-endian length and its bytes) and
// answers with the text set in reply.
function fakeGo() {
  const mem = new WebAssembly.Memory({ initial: 1 })
  const got = { op: 0, ints: /** @type {number[]} */ ([]), frames: /** @type {Uint8Array[]} */ ([]), reply: new Uint8Array(0) }
  const input = 64
  const exports = {
    mem,
    rupt_input: (/** @type {number} */ size) => {
      if (input + size > mem.buffer.byteLength) mem.grow(Math.ceil((input + size - mem.buffer.byteLength) / 65536))
      return input
    },
    rupt_call: (/** @type {number} */ op, /** @type {number} */ n0, /** @type {number} */ n1, /** @type {number} */ n2, /** @type {number} */ size) => {
      const m = new Uint8Array(mem.buffer)
      got.op = op
      got.ints = [n0, n1, n2]
      got.frames = []
      for (let at = input; at < input + size;) {
        const n = m[at] | (m[at + 1] << 8) | (m[at + 2] << 16) | (m[at + 3] << 24)
        got.frames.push(m.slice(at + 4, at + 4 + n))
        at += 4 + n
      }
      m.set(got.reply, 0)
      return got.reply.length
    },
    rupt_output: () => 0,
  }
  return { exports, got }
}

test('bindGo frames every string as TextEncoder encodes it', () => {
  const { exports, got } = fakeGo()
  const call = bindGo(exports, ['configure', 'attachDevice'])
  const enc = new TextEncoder()
  const long = 'x'.repeat(1000)
  const strings = [
    '', 'a', '{"userId":"u1","type":"page"}',
    'é', 'aé', 'café ☕ done', '😀', 'a😀b', 'tail é',
    '\ud800', 'a\ud800b', '\udc00x', 'x\ud83d', // lone surrogates: U+FFFD, as encodeInto writes them
    '\u007f\u0080\u07ff\u0800\uffff',
    long, long + 'é', 'é' + long, '😀'.repeat(200),
  ]
  for (const s of strings) {
    call('attachDevice', [3, 4], [s, s + s])
    assert.equal(got.op, 2)
    assert.deepEqual(got.ints, [3, 4, 0])
    assert.deepEqual(got.frames, [enc.encode(s), enc.encode(s + s)], JSON.stringify(s))
  }
})

test('bindGo reads the answer as UTF-8 texts split at NUL', () => {
  const { exports, got } = fakeGo()
  const call = bindGo(exports, ['configure'])
  const enc = new TextEncoder()
  // Short ASCII, short with other characters, long ASCII, long with
  // other characters: each way of reading gives the same texts.
  for (const texts of [['{"a":1}', 'head', 'tail'], ['{"a":"é"}', 'h😀', ''], ['{}', 'x'.repeat(5000)], ['{}', 'x'.repeat(5000) + 'é', '\u007f']]) {
    got.reply = enc.encode(texts.join('\0'))
    assert.deepEqual(call('configure', [], ['{}']), texts)
  }
  got.reply = enc.encode('{"a":"é"}\0head\0tail')
  assert.deepEqual(call('configure', [], ['{}']), ['{"a":"é"}', 'head', 'tail'])
  assert.equal(got.op, 1)
  assert.deepEqual(call('nope'), ['{"a":"é"}', 'head', 'tail'])
  assert.equal(got.op, 0, 'an unknown name is operation 0, which Go refuses')
})
