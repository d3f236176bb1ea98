#!/usr/bin/env node
// hostile.mjs drives the built WebAssembly through the bridge the JS shim
// uses (jsbridge/src/exports.js's bindGo over the WebAssembly exports, with
// the operation table Go prints: `go run ./wasm`), wrapped in a small method
// API like jsbridge/src/runtime.js's (configure, attachDevice,
// handleResponse, handleLive, detach, deviceSignals, stats, and
// any other operation the table names), with random and hostile input, and
// checks every answer. Run from the repository root, after ./build.sh build:
//
//   node wasm/testdata/hostile.mjs dist/rupt-actions.wasm dist/wasm_exec.js [--count N] [--seed S] [--verbose]
//
// --count N   number of random calls (default 100000), after a fixed sanity list
// --seed S    PRNG seed: an integer, any text (hashed), or "random" (default 1);
//             a failing run prints the command that reproduces it
// --verbose   progress every 10,000 calls, and calls and time per category
//
// Generated, with a seeded PRNG: wrong JS types for every argument
// (undefined, null, NaN, ±Infinity, BigInt, symbols, objects, arrays,
// functions, boxed strings, trapping and revoked proxies, ...); huge strings
// (1-8 MB, about one call in 1,500); JSON nested 10,000-100,000 levels (one
// call in 500) and 100-5,000 levels (another one in 500); lone surrogates,
// raw (TextEncoder turns them into U+FFFD on the way to Go) and as JSON
// \ud800 escapes; control characters; prototype-pollution keys (__proto__,
// constructor, prototype, ...) in settings, subscriptions, mappings,
// events, device contexts, signals, Rupt answers and live messages; random
// mutations of valid inputs (drop or replace keys, change types, truncate
// the JSON text, inject garbage); hostile URLs (javascript:, data:, //evil,
// userinfo tricks, unicode lookalikes, backslashes, encoded hosts) in
// settings, page URLs, Rupt answers and live challenges; random FQL
// queries, mapping-kit directives and Liquid templates; attach ids that
// Go returned (in flight), that it answered already (stale), and made up;
// Retry-After headers; operation names not in the table; and hand-framed
// calls straight to the exports (unknown operation numbers, argument bytes
// out of range, truncated or overlong frames, too many arguments). The
// shim's own sequences are followed too: after needs_device, deviceSignals
// and the same event again; the same event again at once, or after its
// attaches were answered (success or failure) within or past 2 s.
//
// Checked, per call: the answer is framed exactly (valid UTF-8, texts
// joined by NUL bytes, as many as the answer's JSON calls for) and its first text is JSON
// holding an object; input made invalid on purpose gets a non-empty
// "error" saying what is wrong (or, for an event that is not an object, a
// problem in the evaluation), and valid input gets none; answers have the
// shapes the shim relies on (ids, requests, outcomes, cookies, events,
// retry_in); an attach's body is a head and a tail per request, in order,
// then the device's members text only when the requests name another one
// than the call said it holds (a number never names two texts, and is
// never named before it was sent), and there are no texts elsewhere but
// a detach's body; every body (head + members + tail) is a JSON object
// with a non-empty string user, client and version, string
// email/phone/page, an object metadata and signals, the fingerprint and
// the signals of the last deviceSignals call (never the device context's,
// which Go ignores) and the last_* values Go keeps (a device context sets
// one by carrying it, keeps it by leaving it out); attach ids count up per destination; no attach identical
// to one sent less than 2 s before, or still in flight, is sent (a model of
// Go's recent attaches, fed from the bodies); before any deviceSignals call
// since the start or the last logout an event that would attach answers
// needs_device and nothing is sent, and never after; a page URL asking for
// ?rupt_action=logout hands off only an event that would attach; an answer
// to an attach id not in flight is an error saying so; a transient failure
// is retried exactly MaxRetries times, with the delay Retry-After or the
// backoff gives, and Go counts the attempts; store_fingerprint is the
// attach's fingerprint; every "navigate" is an http(s) URL whose host, as a
// browser parses it, is the configured one (a challenge host on the
// allow-list, logout_url's, suspended_url's), never one from Rupt's answer
// or a live message; "listen" and request URLs are on the configured API
// base; a detach request's body is {"user"} of the last successful attach
// and follows the attaches; an unknown operation name answers "unknown
// operation 0"; no answer carries Go panic text (a recovered panic is a bug
// too); no call runs for seconds; Go's garbage collector keeps up; the Go
// runtime never exits and nothing is thrown out of the WebAssembly (a
// thrown "Maximum call stack size exceeded" leaves Go mid-call: it counts
// as a runtime death, and the run goes on with a new runtime to find more);
// Object.prototype and the other built-in prototypes, and the global
// object, are unchanged after each batch.
// It prints a summary and exits 0 only if every check held.
import fs from 'node:fs'
import vm from 'node:vm'
import crypto from 'node:crypto'
import path from 'node:path'
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { bindGo } from '../../jsbridge/src/exports.js'
import { dateImport } from '../../jsbridge/src/dates.js'

// ---------------------------------------------------------------- options

function usage(msg) {
  if (msg) console.error(`hostile.mjs: ${msg}`)
  console.error('usage: node wasm/testdata/hostile.mjs <rupt-actions.wasm> <wasm_exec.js> [--count N] [--seed S] [--verbose]')
  process.exit(2)
}

function parseOptions(argv) {
  const o = { files: [], count: 100000, seed: '1', verbose: false }
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i]
    let v
    const eq = a.indexOf('=')
    if (a.startsWith('--') && eq > 0) { v = a.slice(eq + 1); a = a.slice(0, eq) }
    const value = () => {
      if (v !== undefined) return v
      if (i + 1 >= argv.length) usage(`${a} needs a value`)
      return argv[++i]
    }
    if (a === '--count') {
      const n = Number(value())
      if (!Number.isInteger(n) || n < 0) usage('--count must be a non-negative integer')
      o.count = n
    } else if (a === '--seed') {
      o.seed = value()
    } else if (a === '--verbose' || a === '-v') {
      o.verbose = true
    } else if (a === '--help' || a === '-h') {
      usage()
    } else if (a.startsWith('-')) {
      usage(`unknown option ${a}`)
    } else {
      o.files.push(a)
    }
  }
  if (o.files.length !== 2) usage('give the .wasm file and wasm_exec.js')
  if (o.seed === 'random') o.seed = String(crypto.randomInt(2 ** 31))
  return o
}

const opts = parseOptions(process.argv.slice(2))

// ---------------------------------------------------------------- PRNG

function seedOf(s) {
  if (/^\d+$/.test(s)) return Number(BigInt(s) % 4294967296n)
  let h = 2166136261
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619)
  return h >>> 0
}

// sfc32, seeded through splitmix32.
function makeRandom(seed) {
  let s = seed >>> 0
  const split = () => {
    s = (s + 0x9e3779b9) | 0
    let z = s
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
    return (z ^ (z >>> 16)) >>> 0
  }
  let a = split(); let b = split(); let c = split(); let d = split()
  return () => {
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0
    const t = (a + b) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    d = (d + 1) | 0
    const r = (t + d) | 0
    c = (c + r) | 0
    return (r >>> 0) / 4294967296
  }
}

const rnd = makeRandom(seedOf(opts.seed))
const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1))
const chance = (p) => rnd() < p
const pick = (a) => a[Math.floor(rnd() * a.length)]
// weighted([[w, v], ...]) picks v with probability w / sum(w).
function weighted(pairs) {
  let total = 0
  for (const [w] of pairs) total += w
  let x = rnd() * total
  for (const [w, v] of pairs) {
    if ((x -= w) < 0) return v
  }
  return pairs[pairs.length - 1][1]
}

// ---------------------------------------------------------------- the Go runtime

// The repository root, where `go run ./wasm` prints the contract the shim
// is built with (wasm/contract.go): the operation table, in the order that
// numbers the operations, and the names Go decides.
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
let contract = null
function loadContract() {
  let out
  try {
    out = execFileSync('go', ['run', './wasm'], { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 20 })
  } catch (e) {
    throw new Error(`go run ./wasm (in ${REPO_ROOT}) failed: ${(e.stderr || e.message || '').toString().trim()}`)
  }
  let c
  try { c = JSON.parse(out) } catch (e) { throw new Error(`go run ./wasm printed no JSON: ${e.message}: ${out.slice(0, 200)}`) }
  if (c === null || typeof c !== 'object' || !Array.isArray(c.ops) || c.ops.length === 0 ||
    !c.ops.every((op) => typeof op === 'string' && op !== '') || new Set(c.ops).size !== c.ops.length) {
    throw new Error(`the contract's "ops" is not a list of distinct operation names: ${out.slice(0, 300)}`)
  }
  return c
}

// The framing of an answer in linear memory: its texts, valid UTF-8,
// joined by NUL bytes (JSON never holds a raw one), filling the answer
// exactly. readFrames returns { texts } or { error }.
const strictUTF8 = new TextDecoder('utf-8', { fatal: true })
function readFrames(exports, out, len) {
  if (typeof out !== 'number' || typeof len !== 'number') return { error: 'rupt_call or rupt_output was not called' }
  const o = out >>> 0
  const n = len >>> 0
  const mem = new Uint8Array(exports.mem.buffer)
  if (o + n > mem.length) return { error: `the answer (${n} bytes at ${o}) lies outside linear memory (${mem.length} bytes)` }
  if (n === 0) return { error: 'the answer is empty' }
  let whole
  try {
    whole = strictUTF8.decode(mem.subarray(o, o + n))
  } catch {
    return { error: 'the answer is not valid UTF-8' }
  }
  return { texts: whole.split('\0') }
}

// makeAPI is the method API over call(name, ints, strings), as
// jsbridge/src/runtime.js builds it, but passing the harness's raw
// arguments (strings of JSON, or anything else) through as they are: bindGo
// turns a non-string into "" and a number that is not an int32 into 0.
// Each method returns the answer's texts. An operation of the table this
// script does not know gets a generic method: (ints, strings).
// The device's members texts a shim was sent (wasm/api.go's
// AttachDevice), by number: the bodies' heads and tails go around one.
// heldMembersArg is the number an attachDevice call names: mostly the
// latest, now and then an older one, none, or garbage that Go reads as
// none (bindGo makes a non-int32 a 0) or as a number it never gave; never
// one it was not sent, as a shim only names what it holds. lastHeld is
// what Go read.
const membersSeen = new Map([[0, '']])
let latestMembers = 0
let lastHeld = 0
function heldMembersArg() {
  const older = [...membersSeen.keys()]
  const v = chance(0.85) ? latestMembers : pick([0, pick(older), pick(older), 2 ** 31, -1, -7, 'x', null, 0.5, NaN])
  lastHeld = typeof v === 'number' && v >= -2147483648 && v <= 2147483647 ? Math.trunc(v) : 0
  return v
}

function makeAPI(call, ops) {
  const known = {
    configure: (settings) => call('configure', [], [settings]),
    attachDevice: (id, event, device) => call('attachDevice', [id, heldMembersArg()], [event, device]),
    handleResponse: (id, attach, status, body, retryAfter) => call('handleResponse', [id, attach, status], [body, retryAfter]),
    handleLive: (id, data, pageURL) => call('handleLive', [id], [data, pageURL]),
    detach: (id) => call('detach', [id], []),
    deviceSignals: (legacy, muted) => call('deviceSignals', [], [legacy, muted]),
    stats: () => call('stats', [], []),
  }
  const api = Object.create(null)
  for (const name of ops) api[name] = Object.hasOwn(known, name) ? known[name] : (ints, strings) => call(name, ints, strings)
  return api
}

let wasmModule = null
async function startGo(wasmPath, execPath) {
  if (!wasmModule) {
    vm.runInThisContext(fs.readFileSync(execPath, 'utf8'), { filename: execPath })
    if (typeof globalThis.Go !== 'function') throw new Error(`${execPath} did not define globalThis.Go`)
    wasmModule = await WebAssembly.compile(fs.readFileSync(wasmPath))
  }
  const rt = { output: '', exitCode: null, settled: false, runError: null, frameError: null }
  // wasm_exec.js installs a minimal fs when the global has none (it has
  // none in an ES module); Go's stdout and stderr (a panic's trace, the
  // "fatal error" of a runtime exit) go through fs.writeSync: keep them.
  if (globalThis.fs && typeof globalThis.fs.writeSync === 'function') {
    const dec = new TextDecoder()
    globalThis.fs.writeSync = (fd, buf) => {
      rt.output += dec.decode(buf)
      if (rt.output.length > 200000) rt.output = rt.output.slice(-100000)
      return buf.length
    }
  }
  const go = new globalThis.Go()
  go.argv = ['rupt-actions']
  go.env = {}
  go.exit = (code) => { rt.exitCode = code }
  const holder = { current: null }
  const instance = holder.current = await WebAssembly.instantiate(wasmModule, { ...go.importObject, rupt: { date: dateImport(() => holder.current.exports.mem) } })
  go.run(instance).then(() => { rt.settled = true }, (e) => { rt.settled = true; rt.runError = e })
  rt.go = go
  const ex = instance.exports
  if (go.exited || typeof ex.rupt_call !== 'function') throw new Error('the Go program did not start or exports no rupt_call')
  // The exports as bindGo sees them, noting where the answer is, so that
  // its framing can be checked after each call.
  let lastLen; let lastOut
  const watched = {
    get mem() { return ex.mem },
    rupt_input: (n) => ex.rupt_input(n),
    rupt_call: (op, n0, n1, n2, n) => (lastLen = ex.rupt_call(op, n0, n1, n2, n)),
    rupt_output: () => (lastOut = ex.rupt_output()),
  }
  const raw = bindGo(watched, contract.ops)
  rt.call = (name, ints, strings) => {
    lastLen = lastOut = undefined
    const texts = raw(name, ints, strings)
    const f = readFrames(ex, lastOut, lastLen)
    rt.frameError = f.error || (f.texts.length !== texts.length ? `bindGo read ${texts.length} text(s), the frame holds ${f.texts.length}` : null)
    return texts
  }
  // rawCall writes bytes as they are into Go's input buffer and calls
  // rupt_call with nbytes: framing that bindGo would never make.
  rt.rawCall = (op, n0, n1, n2, bytes, nbytes) => {
    const start = ex.rupt_input(bytes.length) >>> 0
    new Uint8Array(ex.mem.buffer).set(bytes, start)
    const len = ex.rupt_call(op, n0, n1, n2, nbytes)
    const f = readFrames(ex, ex.rupt_output(), len)
    rt.frameError = f.error || null
    return f.texts || []
  }
  rt.api = makeAPI(rt.call, contract.ops)
  rt.alive = () => !go.exited && !rt.settled && rt.exitCode === null
  rt.memory = () => ex.mem.buffer.byteLength
  return rt
}

// ---------------------------------------------------------------- hostile material

// def sets an own enumerable property, also for "__proto__" (a plain
// assignment would set the prototype instead).
function def(obj, key, value) {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true })
  return obj
}
const clone = (v) => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)))
const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v)

const POLLUTION_KEYS = ['__proto__', 'constructor', 'prototype', '__defineGetter__', 'hasOwnProperty', 'toString', 'valueOf', 'isPrototypeOf']

// A payload that, if anything merged it into an object the JS way, would
// pollute Object.prototype; checkPollution looks for these names.
const pollutionPayload = () => {
  const o = { polluted: 'yes', isAdmin: true, rupt_polluted: 1 }
  if (chance(0.5)) def(o, '__proto__', { polluted: 'deep' })
  return o
}

// Settings-side hostile URLs: the site's own settings. None names the
// "attacker" host, which only Rupt's answers and live messages use.
const BAD_SETTING_URLS = [
  'javascript:alert(1)', 'JaVaScRiPt:alert(document.cookie)', ' javascript:alert(1)', '\tjavascript:alert(1)',
  'javascript://site.example/%0aalert(1)', 'java\tscript:alert(1)', 'java\nscript:alert(1)',
  'data:text/html,<script>alert(1)</script>', 'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
  'vbscript:msgbox(1)', 'file:///etc/passwd', 'ftp://site.example/x', 'blob:https://site.example/uuid',
  '//evil.example/path', '///evil.example', '/relative/path', 'relative', 'evil.example', '?x=1', '#frag',
  'https://user:pass@evil.example/', 'https://site.example@evil.example/', 'https://site.example:443@evil.example',
  'https://@evil.example', 'https:evil.example', 'https:/evil.example', 'http://', 'https://', 'https:///x',
  'https://[::1', 'https://evil.example:port/', 'https://%zz/', 'http://a b.example/', 'mailto:a@b.c',
  '\u0000https://site.example/', 'https://site.example/\u0000', 'https://site.example/\u0001x', '', '   ', 'null',
]
// Settings URLs that may or may not be accepted: only generic checks apply.
const ODD_SETTING_URLS = [
  'https://ｅvil.example/', 'https://xn--vil-7ma.example/', 'https://site.example\u3002evil.example/',
  'https://evil.example\\@site.example/', 'https://site.example:99999/', 'HTTPS://SITE.EXAMPLE/UP',
  'https://site.example/a?b=c#d', 'https://site.example/%2e%2e/%2e%2e/', 'http://[::1]:8080/', 'http://127.0.0.1:1/',
  'https://site.example/\u202etxt.exe', 'https://site.example/\ud800', 'https://ⓢite.example/', 'https://site.example./',
  'http://localhost/', 'https://site.example/' + 'a'.repeat(3000), 'https://site.example/?q={{userId}}',
]
// Server-side hostile URLs: what a compromised or spoofed Rupt answer or
// live message may carry. Every one names "attacker" somewhere in the host
// part (or is not http(s) at all).
const ATTACKER_URLS = [
  'https://attacker.test/phish', 'http://attacker.test/', 'https://challenge.rupt.dev@attacker.test/',
  'https://challenge.rupt.dev:443@attacker.test/', 'https://challenge.rupt.dev.attacker.test/',
  'https://challenge.rupt.dev%40attacker.test/', 'https://challenge.rupt.dev%2F@attacker.test/',
  'https://attacker.test\\@challenge.rupt.dev/', 'https://attacker.test%5C@challenge.rupt.dev/',
  'https://attacker.test#@challenge.rupt.dev/', 'https://attacker.test?@challenge.rupt.dev/',
  'https://attacker.test/\\challenge.rupt.dev', 'https:\\\\attacker.test\\', 'https:/\\attacker.test/',
  '//attacker.test/', '\\\\attacker.test', '/\\attacker.test', 'https:attacker.test', 'https:/attacker.test',
  'javascript:alert(1)//challenge.rupt.dev', 'javascript://challenge.rupt.dev/%0aalert(1)',
  'data:text/html,<script>alert(1)</script>', 'JAVASCRIPT:alert(1)', ' https://attacker.test/',
  'https://ⓒhallenge.rupt.dev.attacker.test/', 'https://challenge.rupt.dev\u3002attacker.test/',
  'https://challenge\u3002rupt\u3002dev.attacker.test/', 'https://attacker.test\u3002challenge.rupt.dev/',
  'https://challenge.rupt.dev\t.attacker.test/', 'https://chal\nlenge.rupt.dev.attacker.test/',
  'https://attacker.test:443/', 'https://challenge.rupt.dev:8443.attacker.test/', 'https://[::ffff:attacker.test]/',
  'https://attacker.test%00.challenge.rupt.dev/', 'https://challenge.rupt.dev%00.attacker.test/',
  'https://xn--attacker-.test/', 'http://challenge.rupt.dev.attacker.test:443/', 'https://attacker.test/?challenge.rupt.dev',
  'wss://attacker.test/', 'ftp://attacker.test/', 'https://attacker.test./', 'https://ATTACKER.TEST/',
]
// Challenge URLs the default settings allow.
const ALLOWED_CHALLENGE_URLS = [
  'https://challenge.rupt.dev/', 'https://challenge.rupt.dev/c/abc?x=1', 'https://CHALLENGE.RUPT.DEV/x',
  'https://challenge.rupt.dev:443/p#frag', 'https://challenge.rupt.dev',
]

const WEIRD_STRINGS = [
  '', ' ', '\u0000', '\u0000\u0001\u001f\u007f', '\r\n', '\t', '\u2028\u2029', '\ud800', '\udfff', 'a\ud800b',
  '\udc00\ud800', '\uffff', '\ufeff', '😀', '\u202e', 'ſ', 'İ', 'ß', '"', '\\', '\\u0000', '\\ud800', '"},{"x":',
  '</script><script>alert(1)</script>', '{{userId}}', '{% if x %}', '$.userId', '@path', 'NaN', 'Infinity',
  '-0', '1e999', '0x10', '  123  ', 'null', 'true', 'undefined', '__proto__', 'constructor', 'prototype',
  'a'.repeat(1000), '%00', '%zz', '\u0085', '\u00a0', '\u3000', ';', ',', 'x; Domain=evil.example', 'a=b; path=/',
]
const weirdString = () => weighted([
  [6, () => pick(WEIRD_STRINGS)],
  [2, () => pick(BAD_SETTING_URLS)],
  [1, () => pick(ODD_SETTING_URLS)],
  [3, () => randomText(int(0, 40))],
  [1, () => pick(WEIRD_STRINGS) + randomText(int(0, 10)) + pick(WEIRD_STRINGS)],
])()

// randomText draws from ASCII, control characters, lone surrogates,
// astral characters, quotes and JSON syntax.
function randomText(n) {
  let s = ''
  for (let i = 0; i < n; i++) {
    s += weighted([
      [10, () => String.fromCharCode(int(0x20, 0x7e))],
      [2, () => String.fromCharCode(int(0, 0x1f))],
      [1, () => String.fromCharCode(int(0xd800, 0xdfff))],
      [1, () => String.fromCodePoint(int(0x80, 0x10ffff)).replace(/[\ud800-\udfff]/g, (c) => (chance(0.5) ? c : ''))],
      [2, () => pick(['"', '\\', '{', '}', '[', ']', ':', ',', '\\u', '\\ud800', '\\"'])],
    ])()
  }
  return s
}

const WEIRD_NUMBERS = [0, -0, -1, 1, 1.5, -1.5, 2 ** 31, 2 ** 32, 2 ** 53, 2 ** 53 + 2, -(2 ** 63), 2 ** 64, 1e21, 1e308, -1e308, 5e-324, 0.1 + 0.2, 200, 299, 300, 401, 429, 503]
const weirdNumber = () => pick(WEIRD_NUMBERS)

// hostileValue returns any JSON-able value, shallowly nested.
function hostileValue(depth = 0) {
  return weighted([
    [5, () => weirdString()],
    [3, () => weirdNumber()],
    [1, () => pick([true, false, null])],
    [depth < 3 ? 2 : 0, () => Array.from({ length: int(0, 4) }, () => hostileValue(depth + 1))],
    [depth < 3 ? 2 : 0, () => {
      const o = {}
      for (let i = int(0, 4); i > 0; i--) def(o, chance(0.3) ? pick(POLLUTION_KEYS) : weirdString().slice(0, 20), hostileValue(depth + 1))
      return o
    }],
    [1, () => pollutionPayload()],
  ])()
}

// JS values of every type, for arguments: most cannot be what Go expects.
function makeWrongTypes() {
  const { proxy: revoked, revoke } = Proxy.revocable({}, {})
  revoke()
  const trap = () => { throw new Error('proxy trap') }
  const trapping = new Proxy({}, { get: trap, has: trap, ownKeys: trap, getPrototypeOf: trap, getOwnPropertyDescriptor: trap })
  const sneaky = { toString: () => '{"client_id":"c","new_account_url":"https://site.example/"}', valueOf: () => 1, toJSON: () => 1 }
  return [
    undefined, null, true, false, 0, -0, 1, -1, 0.5, NaN, Infinity, -Infinity, 1e308, 2 ** 53 + 1, -(2 ** 63),
    10n, -1n, 2n ** 64n, Symbol('s'), Symbol.for('x'), Symbol.iterator, {}, [], ['{}'], [1, 2, 3], { a: 1 },
    Object.create(null), JSON.parse('{"__proto__":{"polluted":true}}'), () => '{}', function named() { return '{}' },
    class K {}, new String('{}'), new Number(1), new Boolean(false), new Date(0), /x/g, new Map([[1, 2]]), new Set([1]),
    new Uint8Array([123, 125]), new ArrayBuffer(8), new Error('e'), Promise.resolve(1), trapping, revoked, sneaky,
    new WeakMap(), Math, JSON, globalThis,
  ]
}
const WRONG_TYPES = makeWrongTypes()
const wrongType = () => pick(WRONG_TYPES)

// Deep nesting, 10,000 to 100,000 levels, as JSON text.
function deepJSON(depth, kind = pick(['array', 'object', 'mixed', 'unbalanced'])) {
  switch (kind) {
    case 'array': return '['.repeat(depth) + ']'.repeat(depth)
    case 'object': return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)
    case 'mixed': return '[{"__proto__":'.repeat(depth) + 'null' + '}]'.repeat(depth)
    default: return '['.repeat(depth) + ']'.repeat(depth - int(1, 10))
  }
}
const deepDepth = () => int(10000, 100000)

// A huge string, 1 to 8 MB.
function hugeString() {
  const size = int(1 << 20, 8 << 20)
  const unit = pick(['A', 'ab', '😀', '\u00e9', '"', '\\', '\ud800', 'x\u0000', '{"a":[', randomText(16)])
  return unit.repeat(Math.ceil(size / unit.length)).slice(0, size)
}

// ---------------------------------------------------------------- valid inputs

const PRESET_MAPPING = {
  account: { '@path': '$.userId' },
  email: { '@if': { exists: { '@path': '$.context.traits.email' }, then: { '@path': '$.context.traits.email' }, else: { '@path': '$.properties.email' } } },
  phone: { '@if': { exists: { '@path': '$.context.traits.phone' }, then: { '@path': '$.context.traits.phone' }, else: { '@path': '$.properties.phone' } } },
}
// Subscriptions that are all valid (the sanity checks require no problems).
const VALID_SUBSCRIPTIONS = [
  { name: 'Attach Device', subscribe: "type = 'page'", partnerAction: 'attach', enabled: true, mapping: PRESET_MAPPING },
  {
    name: 'Signed in', subscribe: 'type = "track" and event = "Signed In"', partnerAction: 'attach', enabled: true,
    mapping: { account: { '@path': '$.userId' }, email: { '@path': '$.properties.email' }, metadata: { '@path': '$.properties' } },
  },
  {
    name: 'Identify', subscribe: 'type = "identify" or type = "page"', partnerAction: 'attach', enabled: true,
    mapping: {
      account: { '@template': '{{userId}}' },
      email: { '@case': { operator: 'lower', value: { '@path': '$.traits.email' } } },
      phone: { '@replace': { pattern: '-', replacement: '', value: { '@path': '$.traits.phone' } } },
      include_page: false,
    },
  },
  {
    name: 'Liquid', subscribe: 'contains(name, "Home") or properties.plan = "pro"', partnerAction: 'attach', enabled: true,
    mapping: {
      account: { '@liquid': '{% if userId %}{{ userId | downcase }}{% else %}{{ anonymousId }}{% endif %}' },
      metadata: { '@json': { mode: 'decode', value: '{"a":1,"b":[true,null]}' } },
    },
  },
  {
    name: 'Merge', subscribe: 'match(context.page.path, "/acc*")', partnerAction: 'attach', enabled: true,
    mapping: {
      account: { '@path': '$.userId' },
      metadata: { '@merge': { objects: [{ '@path': '$.properties' }, { '@path': '$.context.traits' }], direction: 'right' } },
    },
  },
  {
    name: 'Flatten', subscribe: 'properties.price > 10 and userId != null', partnerAction: 'attach', enabled: true,
    mapping: {
      account: { '@path': '$.userId' },
      metadata: { '@flatten': { value: { '@path': '$.properties' }, separator: '.' } },
      phone: { '@json': { mode: 'encode', value: { '@path': '$.properties.price' } } },
    },
  },
  {
    name: 'Products', subscribe: 'type = "track"', partnerAction: 'attach', enabled: true,
    mapping: {
      account: { '@path': '$.userId' },
      metadata: { items: { '@arrayPath': ['$.properties.products', { sku: { '@path': '$.sku' } }] }, kind: { '@literal': 'track' } },
    },
  },
  { name: 'Disabled', subscribe: 'type = "page"', partnerAction: 'attach', enabled: false, mapping: PRESET_MAPPING },
  { name: 'Other action', subscribe: 'type = "page"', partnerAction: 'track', mapping: { x: { '@path': '$.y' } } },
]

function validSettings() {
  const s = {
    client_id: pick(['cid_123', 'client-abc', 'A1b2C3d4E5f6', ' padded ']),
    new_account_url: pick(['https://site.example/new', 'http://localhost:3000/new', 'https://site.example/new?a=1#x']),
    logout_url: 'https://site.example/logout',
    success_url: 'https://site.example/ok',
    suspended_url: 'https://site.example/suspended',
    api_base: pick(['https://api.rupt.dev', 'https://rupt.site.example/', 'http://127.0.0.1:8787', 'https://rupt.site.example/proxy//']),
    challenge_hosts: pick(['challenge.rupt.dev', 'challenge.rupt.dev, verify.site.example', ['challenge.rupt.dev', 'VERIFY.site.example'], null]),
    challenge_url: pick(['https://verify.site.example/challenge', 'http://127.0.0.1:9000/c/', 'https://challenge.rupt.dev']),
    debug: pick([true, false, null]),
  }
  for (const k of ['logout_url', 'success_url', 'suspended_url', 'api_base', 'challenge_hosts', 'challenge_url', 'debug']) {
    if (chance(0.25)) delete s[k]
  }
  const subs = weighted([[6, 'some'], [1, 'none'], [1, 'string']])
  if (subs === 'some') {
    s.subscriptions = clone(Array.from({ length: int(1, 5) }, () => pick(VALID_SUBSCRIPTIONS)))
  } else if (subs === 'string') {
    s.subscriptions = JSON.stringify(Array.from({ length: int(1, 3) }, () => pick(VALID_SUBSCRIPTIONS)))
  }
  return s
}

const USERS = ['user_1', 'user_2', 'u-3', 42, 'ürsula', 'a@b.example']
const PATHS = ['/', '/account', '/account/settings', '/pricing', '/a/b?c=d', '/%2e%2e/', '/\u00e9']
function validEvent() {
  const type = pick(['page', 'page', 'page', 'track', 'identify'])
  const path = pick(PATHS)
  const email = pick(['u@example.com', 'MiXeD@Example.COM', 'x+tag@site.example'])
  const e = {
    type,
    userId: pick(USERS),
    anonymousId: 'anon-' + int(1, 9),
    messageId: 'ajs-next-' + int(1, 1e9),
    timestamp: '2024-05-01T12:00:00.000Z',
    properties: {
      path, url: 'https://site.example' + path, title: 'Account', email, phone: '+1 555-010' + int(0, 9),
      plan: pick(['pro', 'free']), price: pick([5, 12.5, 100]), products: [{ sku: 'a' }, { sku: 'b', qty: 2 }],
    },
    context: {
      page: { path, url: 'https://site.example' + path, title: 'Account', referrer: '' },
      traits: { email, phone: '+1 555-0199' },
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64)',
      library: { name: 'analytics.js', version: 'npm:next-1.84.3' },
    },
  }
  if (type === 'page') e.name = pick(['Home', 'Account', 'Pricing'])
  if (type === 'track') e.event = pick(['Signed In', 'Order Completed'])
  if (type === 'identify') e.traits = { email, phone: '555-0100', name: 'U' }
  if (chance(0.1)) delete e.userId
  return e
}


// The shim's clock (performance.now() in a page): each device context
// carries "at", when its event arrived. It moves on by bursts (the same
// instant), small steps, steps around the 2 s duplicate window, long
// pauses, and now and then backwards.
let clock = 1000
function tick() {
  clock += weighted([
    [4, () => 0], [6, () => int(1, 300) + (chance(0.3) ? rnd() : 0)], [1, () => int(1990, 2010) + (chance(0.5) ? rnd() : 0)],
    [1, () => int(2000, 20000)], [0.2, () => -int(1, 3000)],
  ])()
  return clock
}

// validDevice is a device context as the shim builds it: {path, url, at,
// last_*}. Now and then it also carries "fingerprint" and "signals", which
// Go ignores: the bodies must still carry those of the last deviceSignals.
function validDevice() {
  const path = pick(PATHS)
  const d = {
    path,
    url: 'https://site.example' + path + pick(['', '?utm_source=x', '#top', '?rupt_action=logout', '?a=1&rupt_action=logout']),
    at: tick(),
    last_fingerprint: pick(['', 'abc123']),
    last_blocking_access: pick(['', 'acc_9']),
    last_challenge: pick(['', 'ch_9']),
  }
  for (const k of Object.keys(d)) if (chance(0.1)) delete d[k]
  if (chance(0.2)) d.fingerprint = crypto.createHash('sha256').update(String(int(0, 1e6))).digest('hex').repeat(2)
  if (chance(0.2)) d.signals = { userAgent: 'Mozilla/5.0', languages: ['en-US', 'en'], screen: { width: 1920, height: 1080 }, timezone: 'UTC' }
  return d
}

function validAttachAnswer() {
  const a = {
    device_id: 'dev_' + int(1, 999),
    access: 'acc_' + int(1, 999),
    attached_devices: int(0, 5),
    default_device_limit: int(1, 4),
    suspended: chance(0.15),
    identity: 'id_1',
  }
  if (chance(0.1)) delete a.device_id
  return a
}

function validLive() {
  return weighted([
    [4, () => ({ action: 'challenge', challenge: { _id: 'ch_' + int(1, 999) } })],
    [3, () => ({ action: 'challenge', challenge: { _id: 'ch_' + int(1, 999), status: 'pending' }, url: pick(ALLOWED_CHALLENGE_URLS) })],
    [3, () => ({ action: 'logout', challenge: { _id: 'ch_' + int(1, 999) } })],
    [1, () => ({ action: 'logout' })],
    [1, () => ({ action: 'ping' })],
    [1, () => ({ type: 'keepalive' })],
  ])()
}

function validSignals() {
  return {
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0',
    platform: 'Linux x86_64',
    languages: ['en-US', 'en'],
    screen: { width: 1920, height: 1080, colorDepth: 24, availWidth: int(800, 1920) },
    timezone: 'Europe/Paris',
    hardwareConcurrency: int(1, 16),
    plugins: ['PDF Viewer'],
    canvas: 'data:image/png;base64,' + 'A'.repeat(int(0, 200)),
    webgl: { vendor: 'Google Inc.', renderer: 'ANGLE' },
    touch: chance(0.5),
  }
}

const PAGE_URLS = [
  'https://site.example/account', 'https://site.example/a?x=1#h', 'https://site.example/?rupt_action=logout',
  'javascript:alert(1)', 'data:text/html,x', 'https://attacker.test/', '//attacker.test', '', 'not a url',
  'https://site.example/\ud800', 'https://user:pw@attacker.test/', 'https://site.example/%zz',
]

// ---------------------------------------------------------------- FQL, mappings, Liquid

const FQL_FIELDS = ['type', 'event', 'name', 'userId', 'properties.plan', 'properties.price', 'traits.email', 'context.page.path',
  'properties.tags.\\0', 'properties.a.length', 'properties.__proto__', 'properties.constructor', 'context.__proto__.polluted',
  'properties.toString', 'unknown.field', 'properties.a.b.c.d', '']
const FQL_OPS = ['=', '!=', '<', '<=', '>', '>=', 'contains', 'exists', '==', '!', '=>']
const FQL_VALUES = ['"page"', "'page'", '"track"', 'null', 'true', 'false', '12', '12.5', '1e3', '"x"', '"', "'", '"\\"', '"a"b', '-1', '""', '"\u0000"', '"\ud800"']
function randomFQL() {
  const cond = () => weighted([
    [5, () => `${pick(FQL_FIELDS)} ${pick(FQL_OPS)} ${pick(FQL_VALUES)}`],
    [2, () => `${pick(['contains', 'match', '!contains', '!match', 'nope'])}(${pick(FQL_FIELDS)}, ${pick(FQL_VALUES)})`],
    [1, () => randomText(int(0, 12))],
  ])()
  let q = cond()
  for (let i = int(0, 3); i > 0; i--) q += ` ${pick(['and', 'or', 'AND', 'or', 'and'])} ${chance(0.2) ? '(' + cond() + ')' : cond()}`
  if (chance(0.1)) q = '('.repeat(int(1, 50)) + q + ')'.repeat(int(0, 50))
  if (chance(0.05)) q = q.repeat(int(2, 200))
  return q
}

const LIQUID_PARTS = ['{{ userId }}', '{{ userId | upcase }}', '{{ properties.email | default: "x" }}', '{% if userId %}a{% else %}b{% endif %}',
  '{% unless x %}y{% endunless %}', '{{', '}}', '{%', '%}', '{% for x in y %}{% endfor %}', '{% assign a = 1 %}',
  '{{ "a" | append: userId | prepend: "p" }}', '{{ a[0] }}', '{{ a[-1].size }}', '{{ x | split: "," | join: "-" }}',
  '{{ 1 == 1 and 2 > 1 or nil }}', '{%- if a contains "b" -%}x{%- endif -%}', '{{ constructor }}', '{{ __proto__.polluted }}',
  '{{ userId | no_such_filter }}', '{{ "\\"" }}', '{% raw %}', '{% case x %}', '{{ (1..5) }}', 'text', '\u0000', '{{ userId | truncate: 3 }}']
const randomLiquid = () => Array.from({ length: int(0, 8) }, () => pick(LIQUID_PARTS)).join(chance(0.5) ? '' : ' ') + (chance(0.05) ? 'x'.repeat(1001) : '')

const PATHS_MAP = ['$.userId', '$.properties.email', '$.', '.', '', '$.a[0]', "$.a['b']", '$.userId.length', '$.__proto__', '$.constructor.name',
  '$..x', '$.properties.products[0].sku', '$.userId.trim', '$.traits.__proto__.polluted', '$[', 'properties.email', '$.toString']
function randomDirective(depth) {
  const d = pick(['@path', '@if', '@template', '@literal', '@arrayPath', '@case', '@replace', '@json', '@flatten', '@merge',
    '@transform', '@excludeWhenNull', '@liquid', '@unknown', '@', '@@path', '@Path'])
  const sub = () => randomMappingValue(depth + 1)
  const arg = {
    '@path': () => (chance(0.8) ? pick(PATHS_MAP) : hostileValue()),
    '@if': () => ({ [pick(['exists', 'blank', 'nope'])]: sub(), then: sub(), ...(chance(0.5) ? { else: sub() } : {}) }),
    '@template': () => (chance(0.8) ? pick(['{{userId}}', '{{{userId}}}', '{{ properties.email }}', '{{', '}}{{', '{{__proto__}}', 'x{{a.b.c}}y']) : hostileValue()),
    '@literal': () => sub(),
    '@arrayPath': () => (chance(0.7) ? [pick(PATHS_MAP), sub()] : hostileValue()),
    '@case': () => ({ operator: pick(['lower', 'upper', 'LOWER', 'title', 5]), value: sub() }),
    '@replace': () => ({ pattern: pick(['-', '', 'a'.repeat(11), '$&', '.', 5]), replacement: pick(['', '$$', "$'", '$`', '$1']), value: sub(), global: pick([true, false, 'yes']), ignorecase: pick([true, false]) }),
    '@json': () => ({ mode: pick(['encode', 'decode', 'Encode', 'x']), value: chance(0.5) ? sub() : pick(['{"__proto__":{"polluted":1}}', '[1,', '{"a":1}', '"\\ud800"', deepJSON(int(2, 1200), 'array')]) }),
    '@flatten': () => ({ value: sub(), separator: pick(['.', '', '__proto__', 5]), omitArrays: pick([true, false]) }),
    '@merge': () => ({ objects: chance(0.7) ? [sub(), sub()] : hostileValue(), direction: pick(['left', 'right', 'up']) }),
    '@transform': () => ({ apply: sub(), mapping: sub() }),
    '@excludeWhenNull': () => pick([true, false, sub()]),
    '@liquid': () => (chance(0.85) ? randomLiquid() : hostileValue()),
  }[d] || (() => hostileValue())
  const o = {}
  def(o, d, arg())
  if (chance(0.05)) def(o, pick(['@path', '@if', '__proto__', 'extra']), sub())
  return o
}
function randomMappingValue(depth = 0) {
  if (depth > 4) return hostileValue(3)
  return weighted([
    [4, () => randomDirective(depth)],
    [2, () => hostileValue(2)],
    [2, () => {
      const o = {}
      for (let i = int(0, 4); i > 0; i--) def(o, chance(0.2) ? pick(POLLUTION_KEYS) : pick(['account', 'email', 'phone', 'metadata', 'include_page', weirdString()]), randomMappingValue(depth + 1))
      return o
    }],
  ])()
}
function randomMapping() {
  const m = {}
  def(m, 'account', chance(0.7) ? { '@path': '$.userId' } : randomMappingValue(1))
  for (const k of ['email', 'phone', 'metadata', 'include_page']) if (chance(0.4)) def(m, k, randomMappingValue(1))
  if (chance(0.1)) def(m, pick(POLLUTION_KEYS), pollutionPayload())
  if (chance(0.03)) def(m, '__segment_internal_directive', randomMappingValue(1))
  return chance(0.05) ? hostileValue() : m
}
function randomSubscription() {
  const s = {
    name: chance(0.8) ? 'sub ' + int(0, 99) : hostileValue(),
    subscribe: chance(0.7) ? randomFQL() : (chance(0.5) ? pick(VALID_SUBSCRIPTIONS).subscribe : hostileValue()),
    partnerAction: chance(0.85) ? 'attach' : hostileValue(),
    mapping: chance(0.8) ? randomMapping() : clone(pick(VALID_SUBSCRIPTIONS).mapping),
  }
  // Only enabled: true runs, as in Segment's runtime.
  s.enabled = chance(0.8) ? true : pick([false, 'true', 'false', 1, 0, null, undefined])
  if (chance(0.1)) def(s, pick(POLLUTION_KEYS), pollutionPayload())
  return s
}

// ---------------------------------------------------------------- mutations

// containers lists [parent, key] for every value inside v (v itself is
// [null, null]).
function containers(v) {
  const out = []
  const walk = (node, depth) => {
    if (depth > 12 || node === null || typeof node !== 'object') return
    for (const k of Object.keys(node)) {
      out.push([node, Array.isArray(node) ? Number(k) : k])
      walk(node[k], depth + 1)
    }
  }
  walk(v, 0)
  return out
}

const changeType = (v) => {
  if (typeof v === 'string') return pick([Number(v) || 0, v.length > 0, [v], { v }, null])
  if (typeof v === 'number') return pick([String(v), v > 0, [v], null, { n: v }])
  if (typeof v === 'boolean') return pick([String(v), Number(v), null, [v]])
  if (v === null) return pick(['null', 0, false, {}, []])
  if (Array.isArray(v)) return pick([JSON.stringify(v), v.length, {}, v[0] ?? null])
  return pick([JSON.stringify(v), Object.values(v), 'object', 1, null])
}

// mutateTree applies 1-4 structural mutations to a clone of v.
function mutateTree(v, { server = false } = {}) {
  let root = clone(v)
  for (let n = int(1, 4); n > 0; n--) {
    const spots = containers(root)
    if (spots.length === 0 || chance(0.03)) {
      root = weighted([[2, () => hostileValue()], [1, () => changeType(root)]])()
      continue
    }
    const [parent, key] = pick(spots)
    const op = weighted([[3, 'drop'], [4, 'replace'], [3, 'retype'], [3, 'pollute'], [2, 'string'], [1, 'number'], [1, 'dup'], [server ? 3 : 0, 'url']])
    switch (op) {
      case 'drop':
        if (Array.isArray(parent)) parent.splice(key, 1)
        else delete parent[key]
        break
      case 'replace': setAt(parent, key, hostileValue()); break
      case 'retype': setAt(parent, key, changeType(parent[key])); break
      case 'pollute': {
        const target = isObj(parent[key]) ? parent[key] : parent
        if (!Array.isArray(target)) def(target, pick(POLLUTION_KEYS), chance(0.5) ? pollutionPayload() : hostileValue())
        else target.push(pollutionPayload())
        break
      }
      case 'string': setAt(parent, key, weirdString()); break
      case 'number': setAt(parent, key, weirdNumber()); break
      case 'dup': setAt(parent, key, clone([parent[key], parent[key]])); break
      case 'url': setAt(parent, key, pick(ATTACKER_URLS)); break
    }
  }
  return root
}
function setAt(parent, key, value) {
  if (Array.isArray(parent)) parent[key] = value
  else def(parent, key, value)
}

// mutateText applies one textual mutation. It returns the text and
// whether it is certainly not valid JSON any more.
function mutateText(text) {
  const at = () => int(0, text.length)
  switch (weighted([[4, 'truncate'], [3, 'insert'], [2, 'delete'], [2, 'replace'], [2, 'surrogate'], [1, 'control'],
    [1, 'dupkey'], [1, 'trailing'], [1, 'bom'], [1, 'number']])) {
    case 'truncate': {
      // A proper prefix of an object or array text is never valid JSON.
      const valid = text.length > 0 && (text[0] === '{' || text[0] === '[')
      return { text: text.slice(0, int(0, Math.max(0, text.length - 1))), invalid: valid }
    }
    case 'insert': { const i = at(); return { text: text.slice(0, i) + randomText(int(1, 6)) + text.slice(i), invalid: false } }
    case 'delete': { const i = at(); return { text: text.slice(0, i) + text.slice(i + int(1, 8)), invalid: false } }
    case 'replace': { const i = at(); return { text: text.slice(0, i) + pick(['"', '}', ']', ',', ':', '\\', 'n', '\u0000']) + text.slice(i + 1), invalid: false } }
    case 'surrogate': { const i = at(); return { text: text.slice(0, i) + pick(['\\ud800', '\\udfff', '\\udc00\\ud800', '\ud800', '\udfff', '\\u0000', '\\uZZZZ']) + text.slice(i), invalid: false } }
    case 'control': { const i = at(); return { text: text.slice(0, i) + String.fromCharCode(int(0, 31)) + text.slice(i), invalid: false } }
    case 'dupkey': return { text: text.replace(/^\{/, '{' + pick(['"client_id":5,', '"__proto__":{"a":1},', '"type":"page",', '"action":"logout",', '"url":"https://attacker.test/",', '"account":null,']) ), invalid: false }
    case 'trailing': return { text: text + pick(['x', ',', '}', ']', '{}', 'null', '\u0000', '"']), invalid: text.length > 0 }
    case 'bom': return { text: '\ufeff' + text, invalid: false }
    default: return { text: text.replace(/-?\d+(\.\d+)?/, pick(['1e999', '-1e999', '1E400', '0.00000000000000000000001', '123456789012345678901234567890', '-0', '01', '1.', '.5', 'NaN', 'Infinity', '-'])), invalid: false }
  }
}

// ---------------------------------------------------------------- bookkeeping

const started = performance.now()
const stats = {
  calls: 0,
  perMethod: {},
  categories: {},
  errors: 0,
  outcomeErrors: 0,
  problems: 0,
  navigations: 0,
  requests: 0,
  thrown: 0,
  recoveredPanics: 0,
  runtimeExits: 0,
  restarts: 0,
  slowest: { ms: 0 },
  categoryMs: {},
  hugeCalls: 0,
  deepCalls: 0,
  unparseableNavigations: 0,
  configured: 0,
  wrongTypeAccepted: 0,
  needsDevice: 0,
  identicalSkips: 0,
  logoutSkips: 0,
  retries: 0,
  finalAnswers: 0,
  notInFlight: 0,
  detachRequests: 0,
  followUps: 0,
  frames: 0,
}
const failures = []
const panics = []
const warnings = []
const MAX_RECORDED = 20

function describe(v) {
  if (typeof v === 'string') {
    const shown = v.length > 240 ? JSON.stringify(v.slice(0, 200)) + `… (${v.length} chars)` : JSON.stringify(v)
    return shown
  }
  if (typeof v === 'bigint') return `${v}n`
  if (typeof v === 'symbol') return v.toString()
  if (typeof v === 'function') return `[function ${v.name || 'anonymous'}]`
  if (v === undefined) return 'undefined'
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v)
  let tag = '[object]'
  try { tag = Object.prototype.toString.call(v) } catch { /* a trapping or revoked proxy */ }
  try {
    const s = JSON.stringify(v)
    if (s === undefined) return tag
    return `${tag} ${s.length > 200 ? s.slice(0, 200) + '…' : s}`
  } catch {
    return tag
  }
}

function record(list, call, answer, reason) {
  if (list.length >= MAX_RECORDED) return
  list.push({
    index: call.index,
    method: call.method,
    category: call.category,
    reason,
    args: call.args.map(describe),
    answer: typeof answer === 'string' ? (answer.length > 600 ? answer.slice(0, 600) + `… (${answer.length} chars)` : answer) : describe(answer),
  })
}

let failureCount = 0
const failureKinds = new Map()
function kindOf(reason) {
  return reason.replace(/"[^"]*"|\d+/g, '…').slice(0, 120)
}
function countKind(reason) {
  const k = kindOf(reason)
  failureKinds.set(k, (failureKinds.get(k) || 0) + 1)
}
function fail(call, answer, reason) {
  failureCount++
  countKind(reason)
  record(failures, call, answer, reason)
}

// ---------------------------------------------------------------- Go semantics helpers

// bridgeInt is what an integer argument becomes on its way to Go
// (exports.js's int): a number that is a finite int32 once truncated,
// else 0 (NaN, ±Infinity, out of range, and anything not a number).
const bridgeInt = (v) => (typeof v === 'number' && v >= -2147483648 && v <= 2147483647 ? Math.trunc(v) || 0 : 0)
// bridgeStr is what a string argument becomes (exports.js's str).
const bridgeStr = (v) => (typeof v === 'string' ? v : '')

// goTrim is Go's strings.TrimSpace (unicode.IsSpace), not String.prototype.trim
// (which also removes U+FEFF and keeps U+0085).
const GO_SPACE = '\t\n\v\f\r \u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000'
function goTrim(s) {
  let a = 0; let b = s.length
  while (a < b && GO_SPACE.includes(s[a])) a++
  while (b > a && GO_SPACE.includes(s[b - 1])) b--
  return s.slice(a, b)
}

// A JS string reaches Go through TextEncoder, and JSON escapes of lone
// surrogates decode to U+FFFD in Go: either way a lone surrogate is U+FFFD.
const wellFormed = (s) => (typeof s.toWellFormed === 'function' ? s.toWellFormed() : s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'))

// foreignHost: the URL's host came from Rupt's answer or a live message
// (every such hostile host in this script names "attacker"). A URL a
// browser cannot parse is judged by its raw authority.
function foreignHost(s) {
  const u = browserURL(s)
  if (u) return /attacker/i.test(u.host) || u.username !== '' || u.password !== ''
  const m = /^[a-z][a-z0-9+.-]*:[\\/]*([^\\/?#]*)/i.exec(s)
  return /attacker/i.test(m ? m[1] : s)
}

function browserURL(s) {
  try { return new URL(s) } catch { return null }
}
const hostOf = (s) => { const u = browserURL(s); return u ? u.hostname : null }

// settingsView reads settings (a JS object that was sent as
// JSON.stringify(obj)) as action.ParseSettings does, for the checks of
// later answers. It is used only for settings Go accepted.
function settingsView(obj) {
  if (!isObj(obj)) return null
  const own = (k) => (Object.prototype.hasOwnProperty.call(obj, k) ? obj[k] : undefined)
  const str = (k) => (typeof own(k) === 'string' ? goTrim(wellFormed(own(k))) : '')
  const view = {
    clientID: str('client_id'),
    apiBase: (str('api_base') || 'https://api.rupt.dev').replace(/\/+$/, ''),
    logoutURL: str('logout_url'),
    suspendedURL: str('suspended_url'),
    challengeURL: (str('challenge_url') || 'https://challenge.rupt.dev').replace(/\/+$/, ''),
    hosts: ['challenge.rupt.dev'],
  }
  const h = own('challenge_hosts')
  if (h !== undefined && h !== null) {
    const list = typeof h === 'string' ? h.split(',') : Array.isArray(h) ? h : []
    view.hosts = list.filter((x) => typeof x === 'string').map((x) => goTrim(wellFormed(x)).toLowerCase()).filter(Boolean)
  }
  return view
}


// jsonTrim drops JSON whitespace around a text.
const jsonTrim = (s) => s.replace(/^[ \t\n\r]+|[ \t\n\r]+$/g, '')

// members returns the top-level members of a JSON object text as
// [key, raw value text] pairs in order, or null when text is not an
// object. It assumes valid JSON (Go accepted it) and does not recurse, so
// deep values cost nothing; keys are decoded, values left as written.
function members(text) {
  let i = 0
  const n = text.length
  const ws = () => { while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++ }
  const skipString = () => { // at the opening quote
    i++
    while (i < n && text[i] !== '"') i += text[i] === '\\' ? 2 : 1
    i++
  }
  const value = () => {
    const s = i
    if (text[i] === '"') {
      skipString()
    } else if (text[i] === '{' || text[i] === '[') {
      let depth = 0
      while (i < n) {
        const c = text[i]
        if (c === '"') { skipString(); continue }
        if (c === '{' || c === '[') depth++
        else if ((c === '}' || c === ']') && --depth === 0) { i++; break }
        i++
      }
    } else {
      while (i < n && !',}] \t\n\r'.includes(text[i])) i++
    }
    return text.slice(s, i)
  }
  ws()
  if (text[i] !== '{') return null
  i++
  const out = []
  ws()
  if (text[i] === '}') return out
  for (;;) {
    ws()
    if (text[i] !== '"') return null
    const ks = i
    skipString()
    let key
    try { key = JSON.parse(text.slice(ks, i)) } catch { return null }
    ws()
    if (text[i] !== ':') return null
    i++
    ws()
    out.push([key, value()])
    ws()
    if (text[i] === ',') { i++; continue }
    return text[i] === '}' ? out : null
  }
}

// firstMembers maps each key to its first raw value: Go reads the first of
// a repeated key, JSON.parse the last.
function firstMembers(text) {
  const ms = members(text)
  if (!ms) return null
  const m = new Map()
  for (const [k, v] of ms) if (!m.has(k)) m.set(k, v)
  m.duplicates = ms.length !== m.size
  return m
}

// logoutOf says whether a page URL asks for a logout hand-off
// (?rupt_action=logout, the first rupt_action of the query), for the plain
// https://site.example/ URLs validDevice makes; undefined for the others,
// whose parse this script does not model.
function logoutOf(url) {
  if (url === '') return false
  if (!/^https:\/\/site\.example\/[^%+;\\\s\u0000-\u001f\u007f]*$/.test(url)) return undefined
  const noFrag = url.split('#')[0]
  const q = noFrag.indexOf('?')
  if (q < 0) return false
  for (const pair of noFrag.slice(q + 1).split('&')) {
    if (pair === '') continue
    const eq = pair.indexOf('=')
    if ((eq < 0 ? pair : pair.slice(0, eq)) === 'rupt_action') return eq >= 0 && pair.slice(eq + 1) === 'logout'
  }
  return false
}

// deviceInfo reads a device context text as action.DeviceState does (the
// first of a repeated key; a field of the wrong type reads as ""), or null
// when JSON.parse and Go may disagree on it. A storage value (STORED_KEYS)
// the context leaves out is undefined: Go keeps its copy (storedCopy). at
// is undefined when it is not a finite number this script can be sure Go
// reads alike.
const DEVICE_STRINGS = ['path', 'url', 'last_fingerprint', 'last_blocking_access', 'last_challenge']
const STORED_KEYS = ['last_fingerprint', 'last_blocking_access', 'last_challenge']
function deviceInfo(text) {
  if (typeof text !== 'string') return null
  try { if (!isObj(JSON.parse(text))) return null } catch { return null }
  const m = firstMembers(text)
  if (!m) return null
  const d = { duplicates: m.duplicates }
  for (const k of DEVICE_STRINGS) {
    const v = m.get(k)
    d[k] = v !== undefined && v[0] === '"' ? wellFormed(JSON.parse(v)) : (v === undefined && STORED_KEYS.includes(k) ? undefined : '')
  }
  const atRaw = m.get('at')
  d.at = atRaw !== undefined && /^-?[0-9]/.test(atRaw) ? JSON.parse(atRaw) : 0
  if (!Number.isFinite(d.at)) d.at = undefined
  d.logout = logoutOf(d.url)
  return d
}

// ---------------------------------------------------------------- the API's state, as this script models it

// What Go keeps, as this script follows it from the answers:
//
// ids maps each configured destination id to
// { id, view: settingsView or null (unknown), device, account (the last
// successful attach, for detach), known (device and account are certain),
// nextID (the last attach id sent), byKey (recent attaches by key: { at,
// inFlight }, as action/recent.go keeps them), inFlight (attach id →
// { key, attempts, account, fp }), exact (byKey is exactly Go's, not an
// upper bound), idsExact (inFlight is exactly Go's) }.
const ids = new Map()
const idList = []
// flights lists {dest, id} of the attaches sent and not finally answered
// (entries answered since are dropped when met); stale lists some that
// were finally answered, to check that Go refuses them.
const flights = []
const stale = []
// The API's device signals: the gate (deviceSignals called since the start
// or the last logout), the fingerprint ('' none, null unknown) and the
// legacy signals' text ('' none, null unknown) that every attach sends.
let gateOpen = false
let apiFingerprint = ''
let apiSignals = ''
// Go's copy of the storage values (action.DeviceState): set by a device
// context that carries the key, kept by one that leaves it out, dropped by
// a logout; null where this script cannot know it.
let storedCopy = { last_fingerprint: '', last_blocking_access: '', last_challenge: '' }
const forgetStored = () => { storedCopy = { last_fingerprint: '', last_blocking_access: '', last_challenge: '' } }
// pending holds calls the shim would make next (thunks building them at
// their turn): they run before any new random call.
const pending = []

// From action/recent.go and action/outcome.go.
const DUPLICATE_WINDOW = 2000
const MAX_RECENT = 256
const MAX_RETRIES = 2

function newDestination(id, view) {
  return { id, view, head: null, device: '', account: '', known: true, nextID: 0, byKey: new Map(), inFlight: new Map(), exact: true, idsExact: true }
}

function resetModel() {
  ids.clear(); idList.length = 0; flights.length = 0; stale.length = 0; pending.length = 0
  gateOpen = false; apiFingerprint = ''; apiSignals = ''; forgetStored()
  membersSeen.clear(); membersSeen.set(0, ''); latestMembers = 0
}

const isRecent = (then, now) => now - then < DUPLICATE_WINDOW

// modelDuplicate says whether Go finds an attach with key, arriving at at,
// identical to a recent or in-flight one: true, false, or null (unknown).
function modelDuplicate(st, key, at) {
  const e = st.byKey.get(key)
  if (!e) return false // byKey is Go's or a superset of it
  if (!st.exact) return null
  if (e.inFlight > 0) return true
  if (at === undefined || e.at === undefined) return null
  return isRecent(e.at, at)
}

// modelForget mirrors recentAttaches.forget.
function modelForget(st, at) {
  for (const [k, e] of st.byKey) {
    if (e.inFlight !== 0) continue
    if (at === undefined || e.at === undefined) { st.exact = false; continue } // kept: an upper bound
    if (!isRecent(e.at, at)) st.byKey.delete(k)
  }
}

// modelSend mirrors recentAttaches.send for the attach id Go named.
function modelSend(st, key, at, id, info) {
  if (st.byKey.size >= MAX_RECENT) {
    modelForget(st, at)
    if (st.byKey.size >= 4 * MAX_RECENT) {
      if (st.exact) { st.byKey.clear(); st.inFlight.clear() } else st.idsExact = false
    }
  }
  let e = st.byKey.get(key)
  if (!e) st.byKey.set(key, (e = { at, inFlight: 0 }))
  e.at = at
  e.inFlight++
  st.nextID = id
  st.inFlight.set(id, { key, attempts: 0, ...info })
  flights.push({ dest: st.id, id })
}

// modelDone mirrors recentAttaches.done: the final answer to attach id.
function modelDone(st, id, failed) {
  const f = st.inFlight.get(id)
  if (!f) return
  st.inFlight.delete(id)
  const e = st.byKey.get(f.key)
  if (e) {
    e.inFlight--
    if (failed && e.inFlight === 0) st.byKey.delete(f.key)
  }
  if (stale.length < 300) stale.push({ dest: st.id, id })
  else stale[int(0, stale.length - 1)] = { dest: st.id, id }
}

// pickFlight returns an attach still in flight, or null.
function pickFlight() {
  while (flights.length) {
    const k = int(0, flights.length - 1)
    const f = flights[k]
    const st = ids.get(f.dest)
    if (st && st.inFlight.has(f.id)) return f
    flights[k] = flights[flights.length - 1]
    flights.pop()
  }
  return null
}

// attachKey is what makes two attaches identical (action/recent.go's
// attachKey), read back from a body: the account, the page sent, email,
// phone and the metadata as written.
const attachKey = (body, raws) => JSON.stringify([body.user, body.page ?? '', body.email ?? '', body.phone ?? '', raws.get('metadata') ?? ''])

function randomId() {
  if (idList.length > 0 && chance(0.85)) {
    const id = chance(0.7) ? idList[idList.length - 1 - int(0, Math.min(idList.length - 1, 20))] : pick(idList)
    return chance(0.03) ? id + pick([0.25, 0.999]) : id // the bridge truncates: the same destination
  }
  return weighted([
    [3, () => pick([0, -1, -0, 2 ** 31, 1e9, 2 ** 53, 1e300, -1e300, NaN, Infinity, -Infinity])],
    [2, () => wrongType()],
    [1, () => (idList.length ? String(pick(idList)) : '1')],
    [1, () => (idList.length ? BigInt(pick(idList)) : 1n)],
  ])()
}
const isConfigured = (idArg) => ids.has(bridgeInt(idArg))

// transient mirrors action/outcome.go's: worth sending again.
const transient = (status) => status === 0 || status === 408 || status === 429 || status >= 500

// retryWindow is the retry_in Go must ask for at attempt with retryAfter:
// Retry-After's whole seconds (at most 30) when it is a positive integer
// as strconv.Atoi reads it, else the backoff 500 ms << attempt plus up to
// half of that.
function retryWindow(attempt, retryAfter) {
  const t = goTrim(wellFormed(retryAfter))
  // (Only 19 significant digits fit; BigInt would take long on megabytes.)
  if (/^[+-]?[0-9]+$/.test(t) && t.replace(/^[+-]?0*/, '').length <= 19) {
    const n = BigInt(t)
    if (n > 0n && n < 2n ** 63n) {
      const ms = Number(n < 30n ? n : 30n) * 1000
      return [ms, ms]
    }
  }
  const base = 500 * 2 ** Math.min(Math.max(attempt, 0), 6)
  return [base, base + Math.floor(base / 2)]
}

// ---------------------------------------------------------------- answer checks

const PANIC_TEXT = /internal error in |goroutine \d+ \[|runtime error:|fatal error:|panic\(|\.go:\d+ \+0x/

function checkProblems(call, raw, list, name) {
  if (list === undefined) return
  if (!Array.isArray(list)) return fail(call, raw, `${name} is not an array`)
  for (const p of list) {
    if (!isObj(p) || typeof p.error !== 'string' || p.error === '' || typeof p.subscription !== 'string') {
      return fail(call, raw, `${name} entry without a subscription and a non-empty error`)
    }
  }
}

function checkNavigation(call, raw, o, view) {
  const nav = o.navigate
  if (nav === undefined) return
  stats.navigations++
  if (typeof nav !== 'string' || !/^https?:\/\//i.test(nav)) return fail(call, raw, `navigate is not an http(s) URL: ${describe(nav)}`)
  if (o.error) fail(call, raw, 'an outcome with an error also navigates')
  if (typeof o.reason !== 'string' || !['suspended', 'logout', 'challenge'].includes(o.reason)) fail(call, raw, `navigate with reason ${describe(o.reason)}`)
  const u = browserURL(nav)
  if (!u) {
    if (foreignHost(nav)) return fail(call, raw, `navigate goes to a host taken from Rupt's answer or a live message: ${describe(nav)}`)
    stats.unparseableNavigations++
    if (warnings.length < 5) warnings.push(`navigate a browser cannot parse (call ${call.index}, ${call.method}): ${describe(nav)}`)
    return
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return fail(call, raw, `navigate has protocol ${u.protocol} for a browser`)
  if (/attacker/i.test(u.host) || u.username || u.password) return fail(call, raw, `navigate goes to a host taken from Rupt's answer or a live message: ${u.host}`)
  if (!view) return
  const allowed = {
    logout: [hostOf(view.logoutURL)],
    suspended: [hostOf(view.suspendedURL), 'suspended.sabl.app'],
    challenge: [...view.hosts, hostOf(view.challengeURL)],
  }[o.reason] || []
  if (!allowed.includes(u.hostname)) fail(call, raw, `navigate (${o.reason}) to host ${u.hostname}, not one of ${allowed.join(', ')}`)
  if (o.reason === 'challenge' && u.protocol !== 'https:' && !/^(127\.|localhost$|\[::1\]$)/.test(u.hostname)) {
    fail(call, raw, 'challenge navigation over plain http to a non-loopback host')
  }
}

function checkOutcome(call, raw, o, view) {
  if (!isObj(o)) return fail(call, raw, 'outcome is not an object')
  if (o.error !== undefined && (typeof o.error !== 'string' || o.error === '')) fail(call, raw, 'outcome error is not a non-empty string')
  if (o.error) stats.outcomeErrors++
  if (o.cookies !== undefined) {
    if (!Array.isArray(o.cookies)) fail(call, raw, 'cookies is not an array')
    else {
      for (const c of o.cookies) {
        if (!isObj(c) || !['rpt_last_blocking_access', 'rpt_last_challenge'].includes(c.name) || typeof c.value !== 'string' ||
          !/^[\x21-\x7e]{1,1024}$/.test(c.value) || /[;,"\\]/.test(c.value) || !Number.isInteger(c.max_age)) {
          fail(call, raw, `unsafe cookie ${describe(c)}`)
        }
      }
    }
  }
  if (o.events !== undefined) {
    if (!Array.isArray(o.events)) fail(call, raw, 'events is not an array')
    else {
      for (const e of o.events) {
        if (!isObj(e) || typeof e.type !== 'string' || !e.type.startsWith('rupt:')) fail(call, raw, `bad event ${describe(e)}`)
        else if (e.detail !== undefined && (!isObj(e.detail) || Object.values(e.detail).some((x) => typeof x !== 'string'))) fail(call, raw, 'event detail is not an object of strings')
      }
    }
  }
  if (o.retry_in !== undefined && (!Number.isInteger(o.retry_in) || o.retry_in <= 0 || o.retry_in > 30000)) fail(call, raw, `retry_in out of range: ${o.retry_in}`)
  if (o.retry_in !== undefined && !o.error) fail(call, raw, 'retry_in without an error')
  if (typeof o.error === 'string' && /; retrying$/.test(o.error) && o.retry_in === undefined) fail(call, raw, 'the error says "retrying" but the outcome has no retry_in: the shim will not retry')
  if (call.expect.noSuspend && o.reason === 'suspended') fail(call, raw, 'suspended although "suspended" is not a JSON true')
  if (o.skip !== undefined && o.skip !== true) fail(call, raw, 'skip is not true')
  if (o.store_fingerprint !== undefined && typeof o.store_fingerprint !== 'string') fail(call, raw, 'store_fingerprint is not a string')
  if (o.listen !== undefined) {
    if (typeof o.listen !== 'string' || !/^https?:\/\//i.test(o.listen)) fail(call, raw, `listen is not an http(s) URL: ${describe(o.listen)}`)
    else if (foreignHost(o.listen)) fail(call, raw, `listen URL on a foreign host: ${describe(o.listen)}`)
    else if (view && !o.listen.startsWith(view.apiBase + '/v2/access/device/')) fail(call, raw, `listen URL not on the API base ${view.apiBase}: ${describe(o.listen)}`)
    if (typeof o.listen_device !== 'string' || o.listen_device === '') fail(call, raw, 'listen without listen_device')
  }
  checkNavigation(call, raw, o, view)
}


// checkRequestHead checks a request's head ({url, method, headers}):
// never its body, which leaves Go as a text of its own, nor an attach
// context, which stays in Go.
function checkRequestHead(call, raw, r, view, path) {
  if (!isObj(r) || typeof r.url !== 'string' || r.method !== 'POST' || !isObj(r.headers) ||
    typeof r.headers.Authorization !== 'string' || !r.headers.Authorization.startsWith('Basic ') || r.headers['Content-Type'] !== 'application/json') {
    fail(call, raw, `malformed request ${describe(r)}`)
    return false
  }
  if ('body' in r || 'context' in r) fail(call, raw, 'the request head carries a body or a context: bodies leave Go as texts of their own, and attach contexts stay in Go')
  if (!/^https?:\/\//i.test(r.url) || foreignHost(r.url)) fail(call, raw, `request URL on a foreign host: ${describe(r.url)}`)
  if (view) {
    if (path !== null && r.url !== view.apiBase + path) fail(call, raw, `request URL ${describe(r.url)}, want ${view.apiBase + path}`)
    if (r.headers.Authorization !== `Basic ${view.clientID}:`) fail(call, raw, 'Authorization header is not "Basic <client_id>:"')
  }
  return true
}

// checkAttachNamed checks an attach request as attachDevice answers it:
// named by {id, subscription} and the members text its body holds, its
// head being configure's (st.head), not repeated.
function checkAttachNamed(call, raw, r, st) {
  if (!isObj(r) || !Number.isInteger(r.id) || r.id < 1 || typeof r.subscription !== 'string') {
    fail(call, raw, `attach request without a positive integer id and a subscription: ${describe(r)}`)
    return false
  }
  const extra = Object.keys(r).filter((k) => k !== 'id' && k !== 'subscription' && k !== 'members')
  if (extra.length > 0) fail(call, raw, `attach request carries ${extra.join(', ')}: its head is configure's, its body a text of its own, its context stays in Go`)
  if (!st.head) fail(call, raw, 'an attach for a destination whose configure answer had no valid attach head')
  return true
}

// checkAttachBody checks one attach body text against what the API was
// given; it returns { body, raws } (raws: its members as written) or null.
function checkAttachBody(call, text, view, dev) {
  let body
  try { body = JSON.parse(text) } catch { fail(call, text, 'an attach body is not JSON'); return null }
  if (!isObj(body)) { fail(call, text, 'an attach body is not a JSON object'); return null }
  const raws = firstMembers(text)
  if (!raws || raws.duplicates) { fail(call, text, 'an attach body repeats a key'); return null }
  if (typeof body.user !== 'string' || body.user === '') { fail(call, text, 'the attach body has no user (a non-empty string)'); return null }
  if (body.client !== 'javascript' || typeof body.version !== 'string' || body.version === '') fail(call, text, 'the attach body lacks client and version')
  for (const k of ['email', 'phone', 'page', 'fingerprint', 'last_fingerprint', 'last_blocking_access', 'last_challenge']) {
    if (body[k] !== undefined && (typeof body[k] !== 'string' || body[k] === '')) fail(call, text, `the attach body's ${k} is not a non-empty string`)
  }
  if (body.metadata !== undefined && !isObj(body.metadata)) fail(call, text, 'the attach body has metadata that is not an object')
  if (body.signals !== undefined && !isObj(body.signals)) fail(call, text, 'the attach body has signals that are not an object')
  if (!isObj(body.callbacks) || !isObj(body.redirects) || body.redirects.new_account !== true) fail(call, text, 'the attach body lacks callbacks or redirects')
  else if (view && body.redirects.logout !== (view.logoutURL !== '')) fail(call, text, 'redirects.logout does not say whether logout_url is set')
  // The device's signals come from the last deviceSignals call only.
  if (apiFingerprint !== null && (body.fingerprint ?? '') !== apiFingerprint) {
    fail(call, text, `the attach body has fingerprint ${describe(body.fingerprint ?? '')}, want ${describe(apiFingerprint)} (the last deviceSignals call's; the device context's is ignored)`)
  }
  if (apiSignals !== null && jsonTrim(raws.get('signals') ?? '') !== jsonTrim(apiSignals)) {
    fail(call, text, `the attach body has signals ${describe(raws.get('signals') ?? '(none)')}, want ${describe(apiSignals || '(none)')} (the last deviceSignals call's legacy signals; the device context's are ignored)`)
  }
  if (dev) {
    for (const k of ['last_fingerprint', 'last_blocking_access', 'last_challenge']) {
      if (dev[k] !== null && (body[k] ?? '') !== dev[k]) fail(call, text, `the attach body has ${k} ${describe(body[k] ?? '')}, the device context ${describe(dev[k])}`)
    }
  }
  return { body, raws }
}

// checkAnswer checks one answer (its texts) against what the call expects
// and what the model of the API's state says, and updates the model.
function checkAnswer(call, texts) {
  if (rt.frameError) fail(call, '', `the answer's framing: ${rt.frameError}`)
  if (!Array.isArray(texts) || texts.length === 0 || texts.some((t) => typeof t !== 'string')) return fail(call, describe(texts), 'the answer is not a list of texts')
  const raw = texts[0]
  if (PANIC_TEXT.test(raw)) {
    stats.recoveredPanics++
    failureCount++
    const m = /internal error in ([^:]*): ([^\\\n]*)/.exec(raw)
    countKind(`recovered panic in ${m ? m[1] + ': ' + m[2] : 'a call'}`)
    record(panics, call, raw, 'recovered Go panic')
    return
  }
  let ans
  try { ans = JSON.parse(raw) } catch (e) { return fail(call, raw, `answer is not JSON: ${e.message}`) }
  if (!isObj(ans)) return fail(call, raw, 'answer is not a JSON object')
  call.ans = ans
  call.texts = texts
  const isError = ans.error !== undefined
  if (isError && (typeof ans.error !== 'string' || ans.error === '')) return fail(call, raw, 'error is not a non-empty string')
  if (isError) stats.errors++
  const m = call.method
  if ((isError || (m !== 'attachDevice' && m !== 'detach')) && texts.length !== 1) fail(call, raw, `the answer carries ${texts.length - 1} text(s) besides its JSON`)
  const exp = call.expect
  // Expectations first; the shape and safety checks below run either way.
  if (exp.kind === 'error') {
    if (!isError) fail(call, raw, `invalid input (${call.category}) answered without an error`)
    else if (exp.match && !exp.match.test(ans.error)) fail(call, raw, `error does not say ${exp.match}`)
  } else if (exp.kind === 'ok') {
    if (isError) fail(call, raw, `valid input (${call.category}) answered with an error`)
  } else if (exp.kind === 'event-problem') {
    const skip = isObj(ans.outcome) && ans.outcome.skip === true
    const match = exp.match || /event (is not valid JSON|is not valid: it must be a JSON object)/
    const prob = Array.isArray(ans.problems) && ans.problems.some((p) => isObj(p) && match.test(p.error))
    if (!skip && !prob) fail(call, raw, `an event that is not a JSON object is not reported as a problem (${match})`)
  }
  if (['attachDevice', 'handleResponse', 'handleLive', 'detach'].includes(m)) {
    const st = ids.get(bridgeInt(call.args[0]))
    if (!st) {
      if (!isError) fail(call, raw, 'an unknown destination id answered without an error')
      else if (!/is not configured/.test(ans.error)) fail(call, raw, 'an unknown destination id is not reported as such')
      return
    }
    if (m === 'attachDevice') return checkAttachDevice(call, raw, ans, texts, isError, st)
    if (m === 'handleResponse') return checkHandleResponse(call, raw, ans, isError, st)
    if (m === 'detach') return checkDetach(call, raw, ans, texts, isError, st)
    checkOutcome(call, raw, ans, st.view)
    if (exp.navigates && ans.navigate === undefined) fail(call, raw, 'a valid challenge did not navigate')
    if (exp.noNavigation && ans.navigate !== undefined) fail(call, raw, 'navigates where it must not')
    return
  }
  switch (m) {
    case 'configure': return checkConfigure(call, raw, ans, isError)
    case 'deviceSignals': return checkDeviceSignals(call, raw, ans, isError)
    case 'stats':
      if (!['sys', 'heap_alloc', 'num_gc', 'next_gc'].every((k) => Number.isInteger(ans[k]) && ans[k] >= 0)) fail(call, raw, 'stats lacks sys, heap_alloc, num_gc or next_gc')
      return
    case '(op)':
      if (!isError || !/^unknown operation 0: /.test(ans.error)) fail(call, raw, `an operation name not in the table (${describe(call.args[0])}) does not answer "unknown operation 0"`)
      return
    case '(frame)':
      stats.frames++
      if (exp.exact !== undefined && ans.error !== exp.exact) fail(call, raw, `a hand-framed call answered ${describe(ans.error)}, want the error ${describe(exp.exact)}`)
      if (call.category === 'frame/garbage-stats' && (isError || !['sys', 'heap_alloc', 'num_gc', 'next_gc'].every((k) => Number.isInteger(ans[k])))) fail(call, raw, 'stats, with garbage for arguments it does not take, answered something else')
  }
}

// aliveProblem asks the runtime for its stats: '' when it answers them,
// else what went wrong.
function aliveProblem() {
  try {
    const a = JSON.parse(rt.api.stats()[0])
    return ['sys', 'heap_alloc', 'num_gc', 'next_gc'].every((k) => Number.isInteger(a[k])) ? '' : `stats answered ${JSON.stringify(a).slice(0, 120)}`
  } catch (e) {
    return `${e && e.name}: ${e && e.message}`
  }
}

function checkConfigure(call, raw, ans, isError) {
  const exp = call.expect
  if (isError) {
    if (ans.error.length > 64 && !/setting|settings|subscriptions/.test(ans.error)) fail(call, raw, 'a settings error does not name the setting')
    return
  }
  if (!Number.isInteger(ans.id) || ans.id < 1 || ids.has(ans.id)) return fail(call, raw, `configure returned id ${ans.id}`)
  if (typeof ans.version !== 'string' || ans.version === '' || typeof ans.debug !== 'boolean' || !Number.isInteger(ans.active) || ans.active < 0) {
    fail(call, raw, 'configure answer lacks version, debug or active')
  }
  checkProblems(call, raw, ans.problems, 'problems')
  if (exp.active !== undefined && ans.active !== exp.active) fail(call, raw, `active ${ans.active}, want ${exp.active} (only enabled: true runs)`)
  if (exp.noProblems && ans.problems) fail(call, raw, 'valid subscriptions reported as problems')
  if (exp.problemsAbout && !(ans.problems || []).some((p) => p.subscription === exp.problemsAbout)) fail(call, raw, `no problem reported for subscription ${exp.problemsAbout}`)
  // The head every attach shares comes once, here.
  const head = checkRequestHead(call, raw, ans.attach, call.settingsView || null, '/v2/device/attach') ? ans.attach : null
  stats.configured++
  const d = newDestination(ans.id, call.settingsView || null)
  d.head = head
  ids.set(ans.id, d)
  idList.push(ans.id)
}

// attachBodies rebuilds an attach answer's bodies from its texts (a head
// and a tail per request, then the members text when the requests name
// another than the one held) and checks that shape; the held text follows
// what Go sent.
function attachBodies(call, raw, ans, parts) {
  const reqs = Array.isArray(ans.requests) ? ans.requests : []
  if (reqs.length === 0) return parts
  const v = isObj(reqs[0]) ? reqs[0].members : undefined
  if (!Number.isInteger(v) || v < 1 || reqs.some((r) => !isObj(r) || r.members !== v)) {
    fail(call, raw, `the requests do not all name one members text (a positive integer): ${describe(reqs.map((r) => isObj(r) ? r.members : r))}`)
    return []
  }
  const sent = v !== lastHeld
  if (parts.length !== 2 * reqs.length + (sent ? 1 : 0)) {
    fail(call, raw, `${parts.length} texts for ${reqs.length} request(s) with members ${v}, the shim holding ${lastHeld}: want a head and a tail each${sent ? ' and the members text' : ''}`)
    return []
  }
  if (sent) {
    const text = parts[2 * reqs.length]
    if (membersSeen.has(v) && membersSeen.get(v) !== text) fail(call, raw, `members text ${v} sent again with other content: a number names one text`)
    membersSeen.set(v, text)
    latestMembers = v
  } else if (!membersSeen.has(v)) {
    fail(call, raw, `the requests name members text ${v}, which was never sent`)
    return []
  }
  const text = membersSeen.get(v)
  return reqs.map((_, i) => parts[2 * i] + text + parts[2 * i + 1])
}

function checkAttachDevice(call, raw, ans, texts, isError, st) {
  if (isError) return
  const exp = call.expect
  const view = st.view
  const bodies = attachBodies(call, raw, ans, texts.slice(1))
  const dev = deviceInfo(call.args[2])
  // The context updates Go's copy of the storage values; the attach sends
  // the copy.
  for (const k of STORED_KEYS) {
    if (dev === null) storedCopy[k] = null
    else if (dev[k] !== undefined) storedCopy[k] = dev[k]
    if (dev !== null) dev[k] = storedCopy[k]
  }
  if (!Number.isInteger(ans.matched) || ans.matched < 0) fail(call, raw, 'matched is not a count')
  checkProblems(call, raw, ans.problems, 'problems')
  checkProblems(call, raw, ans.skipped, 'skipped')
  if (ans.problems) stats.problems++
  const skipped = Array.isArray(ans.skipped) ? ans.skipped.filter(isObj) : []
  const identical = skipped.filter((p) => /identical attach/.test(p.error)).length
  const reqs = ans.requests
  if (reqs !== undefined && (!Array.isArray(reqs) || reqs.length === 0)) return fail(call, raw, 'requests is not a non-empty array')
  const sends = reqs ? reqs.length : 0
  if (bodies.length !== sends) fail(call, raw, `${bodies.length} body text(s) for ${sends} request(s)`)
  // Every matched subscription is accounted for: a problem (its mapping or
  // its request failed), skipped for want of an account, or an attach the
  // event would make. Those are sent, skipped as identical, or all held
  // back at once by a logout hand-off or needs_device.
  const subProblems = Array.isArray(ans.problems) ? ans.problems.filter((p) => isObj(p) && p.subscription !== '').length : 0
  const would = ans.matched - (skipped.length - identical) - subProblems
  if (ans.outcome !== undefined || ans.needs_device !== undefined) {
    if (would < 1) fail(call, raw, `${ans.outcome !== undefined ? 'a logout hand-off' : 'needs_device'} for an event that would not attach (matched ${ans.matched}, of which ${skipped.length - identical} without an account and ${subProblems} with problems)`)
  } else if (would !== sends + identical) {
    fail(call, raw, !gateOpen && sends === 0 && would > 0 ? 'an event that would attach got neither needs_device nor a logout hand-off (the gate is closed)' : `matched ${ans.matched}: ${sends} sent, ${identical} skipped as identical, ${skipped.length - identical} without an account, ${subProblems} with problems do not add up`)
  }
  const logout = dev ? dev.logout : undefined
  if (ans.outcome !== undefined) {
    stats.logoutSkips++
    checkOutcome(call, raw, ans.outcome, view)
    if (!isObj(ans.outcome) || ans.outcome.skip !== true) fail(call, raw, 'attachDevice outcome without skip')
    if (reqs !== undefined || ans.needs_device !== undefined || identical) fail(call, raw, 'a logout hand-off together with requests, needs_device or identical skips')
    if (logout === false) fail(call, raw, 'a logout hand-off on a page whose URL does not ask for one')
  } else if (logout === true && (sends > 0 || ans.needs_device !== undefined)) {
    fail(call, raw, 'an event that would attach on a page whose URL asks for ?rupt_action=logout was not handed off')
  }
  if (ans.needs_device !== undefined) {
    stats.needsDevice++
    if (ans.needs_device !== true) fail(call, raw, 'needs_device is not true')
    if (gateOpen) fail(call, raw, 'needs_device although deviceSignals was called since the start or the last logout')
    if (reqs !== undefined || identical) fail(call, raw, 'needs_device together with requests or identical skips')
  }
  if (sends > 0 && !gateOpen) fail(call, raw, 'attach requests before any deviceSignals call since the start or the last logout (the answer must be needs_device)')
  // The requests, in order, against the model of Go's recent attaches.
  const at = dev ? dev.at : undefined
  const couldMatch = !st.exact || [...st.byKey.values()].some((e) => e.inFlight > 0 || at === undefined || e.at === undefined || isRecent(e.at, at))
  const sent = []
  for (let i = 0; i < sends; i++) {
    const r = reqs[i]
    stats.requests++
    if (!checkAttachNamed(call, raw, r, st)) { st.exact = false; continue }
    const b = i < bodies.length ? checkAttachBody(call, bodies[i], view, dev) : null
    if (!b) { st.exact = false; continue }
    const key = attachKey(b.body, b.raws)
    if (r.id !== st.nextID + 1) fail(call, raw, `attach id ${r.id}, want ${st.nextID + 1}: ids count up per destination`)
    if (modelDuplicate(st, key, at) === true) {
      fail(call, bodies[i], 'an attach identical to one sent less than 2 s before, or still in flight, was sent again (same account, page, email, phone and metadata)')
    }
    if (sent.some((s) => s.key === key)) fail(call, bodies[i], 'one event sent two identical attaches')
    modelSend(st, key, at, r.id, { account: b.body.user, fp: b.body.fingerprint ?? '' })
    sent.push({ id: r.id, key })
    if (exp.bodyPages && (b.body.page ?? null) !== exp.bodyPages[i]) fail(call, bodies[i], `body ${i} (request ${r.subscription}) has page ${describe(b.body.page)}, want ${describe(exp.bodyPages[i])}: the bodies follow the requests in order`)
  }
  if (identical > 0 && !couldMatch && sent.length === 0) fail(call, raw, 'an attach was skipped as identical although none is recent or in flight')
  stats.identicalSkips += identical
  // What fixed and follow-up calls expect.
  const needs = ans.needs_device === true
  if (exp.needsDevice !== undefined && needs !== exp.needsDevice) fail(call, raw, exp.needsDevice ? 'no needs_device before the first deviceSignals call (or after a logout)' : 'needs_device although deviceSignals was called')
  if (exp.matched !== undefined && ans.matched !== exp.matched) fail(call, raw, `matched ${ans.matched}, want ${exp.matched}`)
  if (exp.sends !== undefined && sends !== exp.sends) fail(call, raw, `${sends} request(s), want ${exp.sends}`)
  if (exp.identical !== undefined && identical !== exp.identical) fail(call, raw, `${identical} attach(es) skipped as identical, want ${exp.identical}`)
  if (exp.total !== undefined && sends + identical !== exp.total) fail(call, raw, `${sends} sent and ${identical} skipped as identical, want ${exp.total} in all (the same event again)`)
  if (exp.minSends !== undefined && sends < exp.minSends) fail(call, raw, `${sends} request(s), want at least ${exp.minSends}: ${exp.why}`)
  if (exp.attaches && sends + identical === 0) fail(call, raw, 'after needs_device and deviceSignals, the same event attached nothing')
  if (exp.notKeys && sent.some((s) => exp.notKeys.includes(s.key))) fail(call, raw, 'an attach identical to one answered less than 2 s before was sent again')
  if (exp.outcomeSkip && !(isObj(ans.outcome) && ans.outcome.skip === true)) fail(call, raw, 'no logout hand-off (outcome.skip) on a ?rupt_action=logout page')
  if (exp.noOutcome && ans.outcome !== undefined) fail(call, raw, 'a logout hand-off for an event that would not attach')
  if (exp.navigates && !(isObj(ans.outcome) && typeof ans.outcome.navigate === 'string')) fail(call, raw, 'the logout hand-off does not navigate to logout_url')
  call.result = { sent, identical, matched: ans.matched, at, dev }
  // The shim's next calls, now and then.
  if (!call.followUp) {
    if (needs && chance(0.6)) queueAfterNeedsDevice(call)
    else if (sent.length && chance(0.2)) queueRepeat(call)
  }
}

function checkHandleResponse(call, raw, ans, isError, st) {
  const exp = call.expect
  checkOutcome(call, raw, ans, st.view)
  const attach = bridgeInt(call.args[1])
  const code = bridgeInt(call.args[2])
  const f = st.inFlight.get(attach)
  if (!f) {
    if (!st.idsExact) return
    stats.notInFlight++
    if (!isError || !new RegExp(`^attach ${attach} is not in flight`).test(ans.error)) fail(call, raw, `attach ${attach} is not in flight, and the answer does not say so`)
    if (['retry_in', 'navigate', 'listen', 'cookies', 'store_fingerprint'].some((k) => ans[k] !== undefined)) fail(call, raw, 'the answer for an attach not in flight does more than report the error')
    if (exp.retry) fail(call, raw, 'a fixed call expected an attach in flight')
    return
  }
  const ok2xx = code >= 200 && code <= 299
  if (!ok2xx && transient(code) && f.attempts < MAX_RETRIES) {
    stats.retries++
    if (ans.retry_in === undefined) fail(call, raw, `a transient failure (${code ? 'HTTP ' + code : 'no answer'}) at attempt ${f.attempts} was not retried`)
    else {
      const [lo, hi] = retryWindow(f.attempts, bridgeStr(call.args[4]))
      if (!(ans.retry_in >= lo && ans.retry_in <= hi)) fail(call, raw, `retry_in ${ans.retry_in} at attempt ${f.attempts} with Retry-After ${describe(bridgeStr(call.args[4]))}, want ${lo === hi ? lo : `${lo}..${hi}`}`)
      if (Array.isArray(exp.retry) && !(ans.retry_in >= exp.retry[0] && ans.retry_in <= exp.retry[1])) fail(call, raw, `retry_in ${ans.retry_in}, want ${exp.retry.join('..')}`)
    }
    if (exp.retry === 'none') fail(call, raw, 'a fixed call expected no retry')
    f.attempts++ // Go counts the attempts; the attach stays in flight
    return
  }
  if (ans.retry_in !== undefined || Array.isArray(exp.retry)) {
    fail(call, raw, ok2xx ? 'a 2xx answer asks for a retry' : transient(code) ? `retried after ${MAX_RETRIES} retries: Go counts the attempts and stops` : `HTTP ${code} (not transient) is retried`)
  }
  stats.finalAnswers++
  if (!ok2xx) {
    if (!isError) fail(call, raw, `a failed attach (${code ? 'HTTP ' + code : 'no answer'}) answered without an error`)
    else if (!(code === 0 ? /no answer/ : new RegExp(`HTTP ${code}\\b`)).test(ans.error)) fail(call, raw, `the error does not say ${code ? 'HTTP ' + code : 'no answer'}`)
  } else if (call.bodyValidity === 'invalid') {
    if (!isError) fail(call, raw, 'an attach answer that is not a JSON object was accepted')
    else if (!/not valid JSON|not a JSON object|nests deeper/.test(ans.error)) fail(call, raw, 'the error does not say the answer is not a JSON object')
  } else if (call.bodyValidity === 'valid' && st.view && isObj(call.answerObj) &&
    !(call.answerObj.suspended === true && st.view.suspendedURL === '' && !call.answerObj.access) && isError) {
    fail(call, raw, 'a valid attach answer was refused')
  }
  // The fingerprint stored is the one this attach sent.
  if (ans.store_fingerprint !== undefined && ans.store_fingerprint !== f.fp) fail(call, raw, `store_fingerprint ${describe(ans.store_fingerprint)} is not the attach's fingerprint ${describe(f.fp)}`)
  if (ok2xx && !isError && f.fp !== '' && ans.store_fingerprint !== f.fp) fail(call, raw, 'a successful attach does not store its fingerprint')
  if (exp.listens && ans.listen === undefined) fail(call, raw, 'a successful attach with device_id and access opens no live channel')
  if (exp.navigates && ans.navigate === undefined) fail(call, raw, 'no navigation')
  modelDone(st, attach, isError)
  if (!isError && typeof ans.listen_device === 'string' && ans.listen_device !== '') {
    st.device = ans.listen_device
    st.account = f.account
  }
}

function checkDetach(call, raw, ans, texts, isError, st) {
  if (isError) return
  const exp = call.expect
  const view = st.view
  if (!('request' in ans)) return fail(call, raw, 'detach answer has no "request"')
  if (ans.request !== null) {
    stats.detachRequests++
    if (checkRequestHead(call, raw, ans.request, view, null)) {
      if (!ans.request.url.endsWith('/detach') || (view && !ans.request.url.startsWith(view.apiBase + '/v2/device/'))) fail(call, raw, `detach URL ${ans.request.url}`)
    }
    if (texts.length !== 2) fail(call, raw, `a detach request with ${texts.length - 1} body text(s)`)
    else {
      let body
      try { body = JSON.parse(texts[1]) } catch { body = undefined }
      if (!isObj(body) || Object.keys(body).join() !== 'user' || typeof body.user !== 'string' || body.user === '') fail(call, texts[1], 'the detach body is not {"user": account}')
      else if (st.known && body.user !== st.account) {
        // An account holding a lone surrogate too: the detach sends the
        // very user text the attach sent.
        fail(call, texts[1], `detach for user ${describe(body.user)}, want ${describe(st.account)} (the last successful attach's)`)
      }
      if (isObj(body) && exp.detachUser !== undefined && body.user !== exp.detachUser) fail(call, texts[1], `detach for user ${describe(body.user)}, want ${describe(exp.detachUser)}`)
    }
  } else if (texts.length !== 1) fail(call, raw, 'no detach request, yet a body text')
  if (st.known) {
    const want = st.device !== '' && st.account !== ''
    if (want !== (ans.request !== null)) fail(call, raw, want ? 'detach forgot the attached device' : 'detach without an attached device')
  }
  if (exp.detachNull && ans.request !== null) fail(call, raw, 'a second detach still detaches')
  // The site's logout: Go forgets the device and the recent attaches (not
  // those in flight), drops the device's signals and closes the gate.
  st.device = ''; st.account = ''; st.known = st.idsExact
  st.byKey.clear(); st.exact = true
  gateOpen = false; apiFingerprint = ''; apiSignals = ''; forgetStored()
}

// checkDeviceSignals: each part is skipped when it is empty (a non-string
// is ""); a part given must be a JSON object (legacy) or what FuzzyHash
// accepts (muted), and a part that fails is named in the error and leaves
// what the API had. Any call opens the gate.
function checkDeviceSignals(call, raw, ans, isError) {
  const legacy = bridgeStr(call.args[0])
  const muted = bridgeStr(call.args[1])
  const legacyFailed = isError && ans.error.startsWith('legacy signals: ')
  const mutedFailed = isError && (ans.error.startsWith('fingerprint: ') || ans.error.includes('; fingerprint: '))
  if (isError && !legacyFailed && !mutedFailed) fail(call, raw, 'a deviceSignals error names neither part')
  for (const [name, text, failed, state, match] of [['legacy', legacy, legacyFailed, call.lstate, call.lmatch], ['muted', muted, mutedFailed, call.mstate, call.mmatch]]) {
    if (text === '' && failed) fail(call, raw, `the ${name} part is empty (skipped) yet reported as failing`)
    else if (text !== '' && state === 'valid' && failed) fail(call, raw, `a valid ${name} part was refused`)
    else if (text !== '' && state === 'invalid' && !failed) fail(call, raw, `an invalid ${name} part was accepted`)
    else if (text !== '' && failed && match && !match.test(ans.error)) fail(call, raw, `the error does not say ${match}`)
  }
  if (call.wrongTypeAccepted) stats.wrongTypeAccepted++
  if (legacy !== '' && !legacyFailed) apiSignals = wellFormed(legacy)
  if (!isError) {
    if (typeof ans.fingerprint !== 'string' || !/^([0-9a-f]{2048})?$/.test(ans.fingerprint)) fail(call, raw, 'fingerprint is not empty or 2048 hex characters')
    else {
      if (muted === '' && apiFingerprint !== null && ans.fingerprint !== apiFingerprint) fail(call, raw, 'with no muted signals, deviceSignals does not answer the fingerprint it has')
      if (muted !== '' && ans.fingerprint === '') fail(call, raw, 'muted signals accepted, yet no fingerprint')
      apiFingerprint = ans.fingerprint
      if (muted !== '' && muted.length < 20000) fingerprints.set(wellFormed(muted), ans.fingerprint)
    }
  } else if (muted !== '' && !mutedFailed) {
    apiFingerprint = fingerprints.get(wellFormed(muted)) ?? null // changed, but not told
  }
  if (fingerprints.size > 500) fingerprints.clear()
  gateOpen = true
}
const fingerprints = new Map() // muted text → fingerprint, from earlier answers

// queueAfterNeedsDevice does what the shim does on needs_device: hand the
// device's signals over, then the same event again (same arrival time).
function queueAfterNeedsDevice(prev) {
  stats.followUps++
  pending.push(() => ({ ...genDeviceSignals(), followUp: true, category: 'deviceSignals/after-needs-device' }))
  pending.push(() => ({
    method: 'attachDevice', category: 'attachDevice/after-needs-device', args: prev.args.slice(0, 3), followUp: true,
    expect: { kind: 'ok', needsDevice: false, attaches: true, matched: prev.result.matched },
  }))
}

// queueRepeat sends an event that attached again: at once (the same
// instant: every attach is identical to one in flight), or after its
// attaches were finally answered, successfully (held for 2 s from their
// arrival) or not (a failed attach is not held against the next identical
// one).
function queueRepeat(prev) {
  stats.followUps++
  const r = prev.result
  const total = r.sent.length + r.identical
  let kind = weighted([[3, 'same'], [2, 'after-success'], [2, 'after-failure'], [2, 'success-within']])
  // A new arrival time needs a context this script can rewrite alike.
  if (r.at === undefined || Math.abs(r.at) > 1e12 || !r.dev || r.dev.duplicates) kind = 'same'
  if (kind === 'same') {
    pending.push(() => ({
      method: 'attachDevice', category: 'attachDevice/repeat-same', args: prev.args.slice(0, 3), followUp: true,
      expect: { kind: 'ok', sends: 0, identical: total, matched: r.matched },
    }))
    return
  }
  const dest = prev.args[0]
  for (const s of r.sent) {
    pending.push(() => {
      const a = validAttachAnswer()
      const status = kind === 'after-failure' ? pick([400, 401, 403, 404, 409, 422]) : 200
      return {
        method: 'handleResponse', category: `handleResponse/${kind}`, args: [dest, s.id, status, JSON.stringify(a), pick(['', '3'])],
        followUp: true, bodyValidity: 'valid', answerObj: a, expect: { kind: 'any', retry: 'none' },
      }
    })
  }
  const delta = kind === 'after-success' ? DUPLICATE_WINDOW + rnd() * 4000 : rnd() * (DUPLICATE_WINDOW - 1)
  pending.push(() => {
    const d = JSON.parse(prev.args[2])
    d.at = r.at + delta
    const expect = { kind: 'ok', total, matched: r.matched }
    if (kind === 'success-within') expect.notKeys = r.sent.map((s) => s.key)
    else {
      expect.minSends = r.sent.length
      expect.why = kind === 'after-success' ? 'every attach answered more than 2 s before is sent again' : 'a failed attach is not held against the next identical one'
    }
    return { method: 'attachDevice', category: `attachDevice/repeat-${kind}`, args: [prev.args[0], prev.args[1], JSON.stringify(d)], followUp: true, expect }
  })
}

// ---------------------------------------------------------------- call generators

// Each returns { method, args, category, expect, ... }.

function genConfigure() {
  const kind = weighted([
    [14, 'valid'], [8, 'bad-setting'], [5, 'pollution'], [6, 'bad-subscriptions'], [10, 'tree'], [8, 'text'],
    [3, 'wrong-type'], [3, 'not-object'], [1, 'shim-stringify'],
  ])
  const call = { method: 'configure', category: `configure/${kind}`, expect: { kind: 'any' } }
  const s = validSettings()
  switch (kind) {
    case 'valid': {
      call.args = [JSON.stringify(s)]
      call.expect = { kind: 'ok' }
      // Only enabled: true runs, as in Segment's runtime.
      const subs = typeof s.subscriptions === 'string' ? JSON.parse(s.subscriptions) : s.subscriptions
      if (Array.isArray(subs)) {
        call.expect.noProblems = true
        call.expect.active = subs.filter((x) => x.partnerAction === 'attach' && x.enabled === true).length
      } else {
        call.expect.active = 1 // no subscriptions: the "Attach Device" preset
      }
      call.settingsView = settingsView(s)
      return call
    }
    case 'bad-setting': {
      const [key, mut] = pick(BAD_SETTING_MUTATIONS)
      mut(s)
      call.args = [JSON.stringify(s)]
      call.expect = { kind: 'error', match: new RegExp(key) }
      call.category += ':' + key
      return call
    }
    case 'pollution': {
      // Unknown keys, prototype-pollution keys among them, are ignored.
      for (let i = int(1, 3); i > 0; i--) def(s, pick(POLLUTION_KEYS), chance(0.5) ? pollutionPayload() : hostileValue())
      if (Array.isArray(s.subscriptions) && s.subscriptions.length && chance(0.5)) def(s.subscriptions[0], pick(POLLUTION_KEYS.filter((k) => k !== '__proto__')), pollutionPayload())
      if (chance(0.3)) {
        // Settings only inside __proto__: Go must not read them.
        const inner = clone(s)
        for (const k of Object.keys(s)) delete s[k]
        def(s, '__proto__', inner)
        call.args = [JSON.stringify(s)]
        call.expect = { kind: 'error', match: /client_id/ }
        return call
      }
      call.args = [JSON.stringify(s)]
      call.expect = { kind: 'ok' }
      call.settingsView = settingsView(s)
      return call
    }
    case 'bad-subscriptions': {
      // Bad queries and mappings are problems, never a settings error.
      const subs = Array.from({ length: int(1, 4) }, () => randomSubscription())
      let knownBad = null
      if (chance(0.4)) {
        const [name, sub] = pick(KNOWN_BAD_SUBSCRIPTIONS)()
        subs.push(sub)
        knownBad = name
      }
      s.subscriptions = chance(0.15) ? JSON.stringify(subs) : subs
      const itemsOK = subs.every((x) => isObj(x))
      call.args = [JSON.stringify(s)]
      if (itemsOK && !Object.keys(s).some((k) => k.toLowerCase().includes('secret'))) {
        call.expect = { kind: 'ok' }
        if (knownBad && subs.filter((x) => x.name === knownBad).length === 1) call.expect.problemsAbout = knownBad
        call.settingsView = settingsView(s)
      }
      return call
    }
    case 'tree': {
      const m = mutateTree(s)
      call.args = [JSON.stringify(m)]
      if (call.args[0] === undefined) call.args = ['']
      if (!isObj(m)) call.expect = { kind: 'error', match: /settings/ }
      else call.settingsView = settingsView(m)
      return call
    }
    case 'text': {
      const m = mutateText(JSON.stringify(s))
      call.args = [m.text]
      if (m.invalid) call.expect = { kind: 'error', match: /not valid JSON/ }
      return call
    }
    case 'wrong-type':
      call.args = Array.from({ length: int(0, 3) }, () => wrongType())
      if (call.args.length === 0 || typeof call.args[0] !== 'string') call.expect = { kind: 'error', match: /not valid JSON/ }
      return call
    case 'not-object':
      call.args = [pick(['null', '[]', '[{"client_id":"c"}]', '"settings"', '1', 'true', '""', '{}', '{"client_id":"c"}', ''])]
      call.expect = { kind: 'error', match: /settings|client_id|new_account_url/ }
      return call
    default: {
      // What the shim sends: JSON.stringify(settings), undefined when not JSON-able.
      let arg
      try { arg = JSON.stringify(pick([undefined, () => 1, s, hostileValue(), Symbol('s')])) } catch { arg = undefined }
      call.args = [arg]
      if (typeof arg !== 'string') call.expect = { kind: 'error', match: /not valid JSON/ }
      else if (arg === JSON.stringify(s)) { call.expect = { kind: 'ok' }; call.settingsView = settingsView(s) }
      return call
    }
  }
}

// Settings mutations each of which must give an error naming the setting.
const BAD_SETTING_MUTATIONS = [
  ['client_id', (s) => { delete s.client_id }],
  ['client_id', (s) => { s.client_id = pick(['', '   ', '\t\n', '\u3000']) }],
  ['client_id', (s) => { s.client_id = pick([5, 0, true, false, {}, [], ['cid'], { id: 'c' }]) }],
  ['new_account_url', (s) => { s.new_account_url = pick(BAD_SETTING_URLS) }],
  ['new_account_url', (s) => { delete s.new_account_url }],
  ['new_account_url', (s) => { s.new_account_url = pick([5, true, {}, ['https://site.example/']]) }],
  ['logout_url', (s) => { s.logout_url = pick(BAD_SETTING_URLS.filter((u) => goTrim(u) !== '' && u !== 'null')) }],
  ['success_url', (s) => { s.success_url = pick(BAD_SETTING_URLS.filter((u) => goTrim(u) !== '' && u !== 'null')) }],
  ['suspended_url', (s) => { s.suspended_url = pick(BAD_SETTING_URLS.filter((u) => goTrim(u) !== '' && u !== 'null')) }],
  ['api_base', (s) => { s.api_base = pick(['http://api.rupt.dev', 'https://api.rupt.dev?x=1', 'https://api.rupt.dev#f', 'http://127.0.0.1.evil.example', 'http://127.0.0.256', 'http://0x7f.0.0.1', ...BAD_SETTING_URLS.filter((u) => goTrim(u) !== '' && u !== 'null')]) }],
  ['challenge_url', (s) => { s.challenge_url = pick(['http://challenge.rupt.dev', 'https://challenge.rupt.dev?x=1', 'javascript:alert(1)', '//evil.example', 'https://u@challenge.rupt.dev']) }],
  ['challenge_hosts', (s) => { s.challenge_hosts = pick(['evil.example/x', 'a@b', 'host:443', [1], ['ok', 2], {}, 5, true, '', ' , ', [], 'ｅvil.example', 'a b', 'https://challenge.rupt.dev', 'x?y', 'a%2eb', 'h\u0000']) }],
  ['debug', (s) => { s.debug = pick(['true', 1, 0, 'false', {}, []]) }],
  ['secret', (s) => { def(s, pick(['secret', 'client_secret', 'SECRET_KEY', 'apiSecret', 'x.secret']), pick(['s3cr3t', '', null, 5])) }],
  ['subscriptions', (s) => { s.subscriptions = Array.from({ length: int(51, 80) }, () => pick(VALID_SUBSCRIPTIONS)) }],
  ['subscriptions', (s) => { s.subscriptions = pick([null, 5, true, false, {}, { 0: {} }, 'not json', '{"a":1}', '[', '5', 'null']) }],
  ['subscriptions\\[', (s) => { s.subscriptions = [...(Array.isArray(s.subscriptions) ? s.subscriptions : []), pick([null, 5, 'x', [], true, ['a']])] }],
]

// Subscriptions whose query or mapping is certainly bad.
const KNOWN_BAD_SUBSCRIPTIONS = [
  () => ['bad fql', { name: 'bad fql', subscribe: pick(['((type = "page")', 'type = "page" and (', '()', '"unterminated', 'x>5', 'type = "page"\r', 'contains(', '(type = "page"', '!']), partnerAction: 'attach', enabled: true, mapping: { account: { '@path': '$.userId' } } }],
  () => ['proto mapping', { name: 'proto mapping', subscribe: 'type = "page"', partnerAction: 'attach', enabled: true, mapping: def({ account: { '@path': '$.userId' } }, '__proto__', { polluted: 1 }) }],
  () => ['deep mapping', { name: 'deep mapping', subscribe: 'type = "page"', partnerAction: 'attach', enabled: true, mapping: JSON.parse('{"a":'.repeat(200) + '1' + '}'.repeat(200)) }],
  () => ['bad directive', { name: 'bad directive', subscribe: 'type = "page"', partnerAction: 'attach', enabled: true, mapping: { account: pick([{ '@path': 5 }, { '@if': 5 }, { '@template': 5 }, { '@path': '$.a', '@if': {} }, { '@nope': 1 }, { '@replace': { value: 'x' } }, { '@json': { mode: 'x', value: 1 } }, { '@merge': { objects: 5 } }, { '@liquid': 5 }]) } }],
]


// genAttachDevice makes an attachDevice call; valid makes one with a
// valid event and device context for a recent destination, which likely
// attaches (an attach to answer).
function genAttachDevice(valid = false) {
  const id = valid && idList.length ? idList[idList.length - 1 - int(0, Math.min(idList.length - 1, 5))] : randomId()
  const call = { method: 'attachDevice', category: 'attachDevice', expect: { kind: 'any' } }
  const eventKind = valid ? 'valid' : weighted([[6, 'valid'], [3, 'tree'], [2, 'text'], [1, 'wrong'], [1, 'not-object'], [1, 'pollution']])
  let ev
  let eventInvalid = false
  const e = validEvent()
  switch (eventKind) {
    case 'valid': ev = JSON.stringify(e); break
    case 'tree': ev = JSON.stringify(mutateTree(e)) ?? ''; eventInvalid = !isObj(JSON.parse(ev || 'null')); break
    case 'text': { const m = mutateText(JSON.stringify(e)); ev = m.text; eventInvalid = m.invalid; break }
    case 'wrong': ev = wrongType(); eventInvalid = typeof ev !== 'string'; break
    case 'not-object': ev = pick(['null', '[]', '[{"type":"page"}]', '"page"', '1', '', 'true']); eventInvalid = true; break
    default: {
      for (let i = int(1, 3); i > 0; i--) def(pick([e, e.properties, e.context, e.context.traits]), pick(POLLUTION_KEYS), pollutionPayload())
      ev = JSON.stringify(e)
    }
  }
  // action.ParseDevice: the device context must be a JSON object; fields
  // of the wrong type are ignored, and so are "fingerprint" and "signals".
  const devKind = valid ? 'valid' : weighted([[7, 'valid'], [2, 'tree'], [1, 'text'], [1, 'wrong'], [1, 'bad-field'], [1, 'not-object'], [1, 'pollution'], [1, 'null']])
  let dev
  let devValidity = 'unknown'
  let devObj = null
  const d = validDevice()
  switch (devKind) {
    case 'valid': devObj = d; break
    case 'tree': { const m = mutateTree(d, { server: true }); dev = JSON.stringify(m) ?? ''; devValidity = isObj(m) ? 'valid' : 'invalid'; if (isObj(m)) devObj = m; break }
    case 'text': { const m = mutateText(JSON.stringify(d)); dev = m.text; devValidity = m.invalid ? 'invalid' : 'unknown'; break }
    case 'wrong': dev = wrongType(); devValidity = typeof dev === 'string' ? 'unknown' : 'invalid'; break
    case 'bad-field': def(d, pick(['path', 'url', 'at', 'fingerprint', 'last_fingerprint', 'last_blocking_access', 'last_challenge', 'signals']), pick([5, true, {}, [], ['x'], 1.5, null, 'x', '1000', -1e308, 1e308])); devObj = d; break
    case 'not-object': dev = pick(['[]', '"x"', '1', 'true', '', '[{"path":"/"}]', 'null']); devValidity = 'invalid'; break
    case 'pollution': def(d, pick(POLLUTION_KEYS), pollutionPayload()); if (d.signals && chance(0.5)) def(d.signals, '__proto__', pollutionPayload()); devObj = d; break
    default: dev = 'null'; devValidity = 'invalid'
  }
  if (devObj) { dev = JSON.stringify(devObj); devValidity = 'valid' }
  call.args = [id, ev, dev]
  if (!valid && chance(0.02)) call.args.push(wrongType(), wrongType()) // extra arguments, ignored
  if (!valid && chance(0.02)) call.args = call.args.slice(0, int(0, 2))
  const [, evArg, devArg] = call.args
  if (call.args.length < 3 && devArg === undefined) devValidity = 'invalid'
  if (call.args.length < 2 && evArg === undefined) eventInvalid = true
  call.category = `attachDevice/event-${eventKind}/device-${devKind}`
  if (!isConfigured(call.args[0])) call.expect = { kind: 'error', match: /is not configured/ }
  else if (devValidity === 'invalid') call.expect = { kind: 'error', match: /device context is not valid/ }
  else if (devValidity === 'valid' && eventInvalid) call.expect = { kind: 'event-problem' }
  else if (devValidity === 'valid' && (eventKind === 'valid' || eventKind === 'pollution')) call.expect = { kind: 'ok' }
  return call
}

// An attach id to answer: one in flight (mostly of its own destination),
// one answered already, or a made-up one.
function attachFor(id) {
  const f = pickFlight()
  if (f && (id === undefined || f.dest === id)) return { kind: 'in-flight', id: f.dest, attach: f.id }
  if (id !== undefined) {
    const st = ids.get(id)
    const own = st ? [...st.inFlight.keys()] : []
    if (own.length) return { kind: 'in-flight', id, attach: pick(own) }
  }
  return { kind: 'none', id: id ?? randomId(), attach: pick([0, 1, 2, 999999]) }
}

const RETRY_AFTERS = ['2', ' 7 ', '0', '-1', '+3', '30', '31', '3600', '99999999999999999999', '9223372036854775807', '9223372036854775808',
  'Wed, 21 Oct 2015 07:28:00 GMT', '1.5', '0x10', '1e3', '\u00a05\u00a0', '\ufeff5', '5\u0085', '٣', '\t12\n']
const randomRetryAfter = () => weighted([[5, () => ''], [4, () => pick(RETRY_AFTERS)], [1, () => weirdString()], [1, () => wrongType()]])()

function genHandleResponse() {
  const call = { method: 'handleResponse', category: 'handleResponse', expect: { kind: 'any' } }
  // The destination and the attach id.
  let id; let attach; let attachKind
  // Rupt's answers go to attaches in flight mostly: when none is, an
  // attach to answer first, now and then.
  let f = pickFlight()
  if (!f && idList.length && chance(0.6)) return { ...genAttachDevice(true), category: 'attachDevice/to-answer' }
  if (!chance(0.85)) f = null
  if (f) {
    attachKind = 'in-flight'
    id = chance(0.95) ? f.dest : randomId()
    attach = chance(0.03) ? f.id + pick([0.25, 0.999]) : f.id // the bridge truncates: the same attach
  } else if (stale.length && chance(0.5)) {
    const s = pick(stale)
    attachKind = 'stale'
    id = chance(0.9) ? s.dest : randomId()
    attach = s.id
  } else {
    attachKind = 'made-up'
    id = randomId()
    attach = weighted([[4, () => pick([0, -1, 1, 2, 3, 7, 2 ** 31 - 1, -(2 ** 31)])], [2, () => pick([2 ** 31, 2 ** 32 + 1, 2 ** 53, 1e300, NaN, Infinity, -Infinity, -0, 0.5])],
      [1, () => wrongType()], [1, () => pick(['1', 1n, [1], { id: 1 }])]])()
  }
  // The status.
  const status = weighted([[8, () => 200], [1, () => 201], [1, () => 299], [4, () => pick([0, 400, 401, 403, 404, 408, 429, 500, 502, 503, 504, 599])],
    [2, () => weirdNumber()], [1, () => wrongType()], [1, () => pick([NaN, Infinity, -Infinity, 199.9, 299.9, 200.5, -200])]])()
  // The body.
  const bodyKind = weighted([[6, 'valid'], [3, 'tree'], [2, 'text'], [1, 'wrong'], [1, 'not-object'], [1, 'html'], [1, 'types']])
  let body; let bodyValidity
  const a = validAttachAnswer()
  switch (bodyKind) {
    case 'valid': body = JSON.stringify(a); bodyValidity = 'valid'; break
    case 'tree': body = JSON.stringify(mutateTree(a, { server: true })) ?? ''; bodyValidity = 'unknown'; break
    case 'text': { const m = mutateText(JSON.stringify(a)); body = m.text; bodyValidity = m.invalid ? 'invalid' : 'unknown'; break }
    case 'wrong': body = wrongType(); bodyValidity = 'invalid'; break // "" is not JSON
    case 'not-object': body = pick(['null', '[]', '[{"suspended":true}]', '"x"', '1', '', 'true']); bodyValidity = 'invalid'; break
    case 'html': body = '<!doctype html><html><body><h1>502 Bad Gateway</h1></body></html>'; bodyValidity = 'invalid'; break
    default: {
      // Wrong field types: only a real true suspends.
      a.suspended = pick(['yes', 'true', 1, [true], { v: true }, null])
      a.access = pick([a.access, 5, null, 'a;b', 'a b', 'x'.repeat(2000), pick(ATTACKER_URLS), '../../x', '%2e%2e', '?x#y'])
      a.device_id = pick([a.device_id, 5, {}, '../../attacker.test', 'a/b?c#d', pick(ATTACKER_URLS)])
      a.attached_devices = pick([a.attached_devices, '9', 1e308, -1])
      body = JSON.stringify(a); bodyValidity = 'types'
    }
  }
  call.args = [id, attach, status, body, randomRetryAfter()]
  if (chance(0.02)) call.args = call.args.slice(0, int(0, 4))
  call.bodyValidity = call.args.length < 4 ? 'invalid' : bodyValidity
  call.answerObj = a
  call.category = `handleResponse/${attachKind}/body-${bodyKind}`
  if (!isConfigured(call.args[0])) call.expect = { kind: 'error', match: /is not configured/ }
  if (bodyValidity === 'types' && a.suspended !== true) call.expect.noSuspend = true
  return call
}

function genHandleLive() {
  const id = randomId()
  const call = { method: 'handleLive', category: 'handleLive', expect: { kind: 'any' } }
  const state = ids.get(bridgeInt(id))
  const kind = weighted([[6, 'valid'], [5, 'attacker-url'], [3, 'tree'], [2, 'text'], [1, 'wrong'], [1, 'pollution'], [1, 'bad-id'], [1, 'not-object']])
  let data; let expect = { kind: 'any' }
  const msg = validLive()
  switch (kind) {
    case 'valid':
      data = JSON.stringify(msg)
      if (msg.action === 'challenge' && state && state.view) {
        const hosts = state.view.hosts
        const allowed = msg.url === undefined || hosts.includes(hostOf(msg.url))
        expect = allowed ? { kind: 'ok', navigates: true } : { kind: 'error', match: /not in challenge_hosts|not navigating/, noNavigation: true }
      } else if (msg.action === 'logout' && state && state.view) {
        expect = state.view.logoutURL ? { kind: 'ok', navigates: true } : { kind: 'ok', noNavigation: true }
      } else if (msg.action !== 'challenge' && msg.action !== 'logout') {
        expect = { kind: 'ok', noNavigation: true }
      }
      break
    case 'attacker-url': {
      const m = { action: 'challenge', challenge: { _id: 'ch_' + int(1, 99) }, url: pick(ATTACKER_URLS) }
      data = JSON.stringify(m)
      expect = { kind: 'error', match: /not navigating/, noNavigation: true }
      break
    }
    case 'tree': data = JSON.stringify(mutateTree(msg, { server: true })) ?? ''; break
    case 'text': { const m = mutateText(JSON.stringify(msg)); data = m.text; if (m.invalid) expect = { kind: 'error', match: /not valid JSON/, noNavigation: true }; break }
    case 'wrong': data = wrongType(); if (typeof data !== 'string') expect = { kind: 'error', match: /not valid JSON/, noNavigation: true }; break
    case 'pollution': {
      def(msg, '__proto__', { action: 'logout', url: 'https://attacker.test/' })
      if (msg.challenge) def(msg.challenge, '__proto__', { _id: 'x' })
      def(msg, 'constructor', { prototype: { polluted: 1 } })
      data = JSON.stringify(msg)
      break
    }
    case 'bad-id': {
      const m = { action: 'challenge', challenge: { _id: pick(['', 5, null, 'a;b', 'a b', 'x\u0000', 'é', 'x'.repeat(1025), '"q"', 'a,b', 'a\\b']) }, url: pick(ALLOWED_CHALLENGE_URLS) }
      data = JSON.stringify(m)
      expect = { kind: 'error', match: /challenge|refusing/, noNavigation: true }
      break
    }
    default: data = pick(['null', '[]', '1', '"challenge"', 'true', '[{"action":"logout"}]']); expect = { kind: 'ok', noNavigation: true }
  }
  const pageURL = chance(0.8) ? pick(PAGE_URLS) : chance(0.5) ? wrongType() : weirdString()
  call.args = [id, data, pageURL]
  if (chance(0.02)) call.args = call.args.slice(0, int(0, 2))
  if (call.args.length < 2) expect = { kind: 'error', match: /not valid JSON/, noNavigation: true }
  call.category = `handleLive/${kind}`
  call.expect = isConfigured(call.args[0]) ? expect : { kind: 'error', match: /is not configured/ }
  return call
}

function genDetach() {
  const id = randomId()
  const call = { method: 'detach', category: 'detach', args: [id], expect: isConfigured(id) ? { kind: 'ok' } : { kind: 'error', match: /is not configured/ } }
  if (chance(0.05)) call.args.push(wrongType())
  return call
}


const validLegacy = () => ({ platform: { value: 'Linux' }, languages: { value: ['en'] }, screen: { value: [1920, int(600, 1080)] }, cookies: { value: true } })

// signalsPart makes one part of a deviceSignals call: { kind, arg, state
// ('valid', 'invalid', 'unknown' or 'skip'), match (what the error says
// when it fails) }. A part that is not a string, or is empty, is skipped.
// The muted part gets the fuzzy hash's hostile inputs (it was the
// fingerprint operation's argument).
function signalsPart(isMuted, kind) {
  const v = isMuted ? validSignals() : validLegacy()
  const name = isMuted ? /^(.*; )?fingerprint: / : /^legacy signals: /
  const sub = (re) => new RegExp(name.source + '.*(?:' + re.source + ')', 'i')
  switch (kind) {
    case 'valid': return { arg: JSON.stringify(v), state: 'valid' }
    case 'skip': return { arg: pick(['', undefined]), state: 'skip' }
    case 'tree': {
      const m = mutateTree(v)
      const ok = isMuted ? m !== null && typeof m === 'object' : isObj(m)
      return { arg: JSON.stringify(m) ?? '', state: ok ? 'valid' : 'invalid', match: name }
    }
    case 'text': {
      const m = mutateText(JSON.stringify(v))
      return { arg: m.text, state: m.invalid ? 'invalid' : 'unknown', match: m.invalid && isMuted ? sub(/invalid JSON/) : name }
    }
    case 'wrong': return { arg: wrongType(), state: 'skip', wrongType: true }
    case 'not-object': return { arg: pick(['null', '1', '"x"', 'true', '-0', '1e999', isMuted ? '"[]"' : '[]', isMuted ? '""' : '[{}]']), state: 'invalid', match: name }
    case 'pollution':
      def(v, '__proto__', pollutionPayload())
      def(isMuted ? v.screen : v, 'constructor', { prototype: { polluted: 1 } })
      return { arg: JSON.stringify(v), state: 'valid' }
    case 'array': return { arg: JSON.stringify([v, 1, 'x', null]), state: isMuted ? 'valid' : 'invalid', match: name }
    default: return { arg: '{"a":' + deepJSON(int(1001, 5000), 'array') + '}', state: 'invalid', match: sub(/deep|depth/) }
  }
}

// deviceSignals(legacy, muted): the device's signals, once per document.
function genDeviceSignals() {
  const kinds = (isMuted) => weighted([[5, 'valid'], [2, 'skip'], [2, 'tree'], [2, 'text'], [1, 'wrong'], [1, 'not-object'], [1, 'pollution'], [isMuted ? 1 : 0.3, 'array'], [isMuted ? 1 : 0.3, 'too-deep']])
  const lk = kinds(false)
  const mk = kinds(true)
  return signalsCall(`deviceSignals/legacy-${lk}/muted-${mk}`, signalsPart(false, lk), signalsPart(true, mk))
}

// genMutedSignals is the fuzzy hash's hostile inputs, as the muted part
// (the legacy part mostly absent).
function genMutedSignals() {
  const mk = weighted([[6, 'valid'], [3, 'tree'], [2, 'text'], [1, 'wrong'], [1, 'not-object'], [1, 'pollution'], [1, 'too-deep'], [1, 'array']])
  const lk = weighted([[6, 'skip'], [2, 'valid'], [1, 'text']])
  return signalsCall(`muted/${mk}`, signalsPart(false, lk), signalsPart(true, mk))
}

function signalsCall(category, legacy, muted) {
  const call = { method: 'deviceSignals', category, args: [legacy.arg, muted.arg], expect: { kind: 'any' } }
  if (chance(0.02)) call.args.push(wrongType()) // an extra argument, ignored
  if (chance(0.03)) call.args = call.args.slice(0, int(0, 1))
  const given = (k) => call.args.length > k && typeof call.args[k] === 'string' && call.args[k] !== ''
  call.lstate = given(0) ? legacy.state : 'skip'
  call.mstate = given(1) ? muted.state : 'skip'
  call.lmatch = legacy.match
  call.mmatch = muted.match
  call.wrongTypeAccepted = (call.args.length >= 1 && legacy.wrongType) || (call.args.length >= 2 && muted.wrongType)
  if (call.lstate !== 'invalid' && call.lstate !== 'unknown' && call.mstate !== 'invalid' && call.mstate !== 'unknown') call.expect = { kind: 'ok' }
  else if (call.lstate === 'invalid' || call.mstate === 'invalid') call.expect = { kind: 'error' }
  return call
}

function genStats() {
  return { method: 'stats', category: 'stats', args: [], expect: { kind: 'ok' } }
}

// An operation name not in the table: the bridge sends operation 0.
function genUnknownOp() {
  let name = weighted([
    [3, () => pick(['fingerprint', 'Configure', 'configure ', ' configure', 'attach', 'rupt_call', 'ops', ''])],
    [2, () => pick(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype'])],
    [1, () => randomText(int(1, 12))],
  ])()
  if (contract.ops.includes(name)) name += '\u0000'
  const ints = Array.from({ length: int(0, 4) }, () => (chance(0.7) ? int(-5, 5) : wrongType()))
  const strings = Array.from({ length: int(0, 3) }, () => (chance(0.5) ? weirdString() : wrongType()))
  return { method: '(op)', category: 'unknown-op', args: [name, ints, strings], expect: { kind: 'error', match: /^unknown operation 0: / } }
}

// genFrame calls rupt_call with input bytes framed by hand: an operation
// number outside the table, argument bytes out of range, a truncated
// length, a length past the input, more texts than an operation takes; and
// garbage (invalid UTF-8 too) as the arguments of the operations that
// take none. A framing error is refused before the operation runs (it
// changes nothing): "<name>: <what is wrong>", which also checks that the
// number names the operation the table says.
function genFrame() {
  const ops = contract.ops
  const le = (n) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24]
  const text = (bytes) => [...le(bytes.length), ...bytes]
  const randomBytes = (n) => Array.from({ length: n }, () => (chance(0.7) ? int(0x20, 0x7e) : int(0, 255)))
  const texts = (k) => Array.from({ length: k }, () => text(randomBytes(int(0, 40)))).flat()
  const n = () => pick([int(-3, 3), int(-(2 ** 31), 2 ** 31 - 1), 2 ** 31, NaN])
  const kind = weighted([[3, 'bad-op'], [2, 'out-of-range'], [2, 'truncated'], [2, 'too-long'], [2, 'too-many'], [2, 'garbage']])
  const opNo = int(1, ops.length)
  const name = ops[opNo - 1]
  let op = opNo; let bytes; let nbytes; let exact
  switch (kind) {
    case 'bad-op':
      op = pick([0, ops.length + 1, ops.length + int(2, 100), 2 ** 31, 2 ** 32 - 1])
      bytes = chance(0.5) ? texts(int(0, 2)) : randomBytes(int(0, 30))
      nbytes = bytes.length
      exact = `unknown operation ${op >>> 0}: rupt-actions.js and rupt-actions.wasm are from different releases`
      break
    case 'out-of-range':
      bytes = texts(int(0, 2))
      nbytes = pick([bytes.length + int(1, 1000), 2 ** 31, 2 ** 32 - 1])
      exact = `${name}: argument bytes out of range`
      break
    case 'truncated':
      bytes = [...texts(int(0, 1)), ...randomBytes(int(1, 3))]
      nbytes = bytes.length
      exact = `${name}: truncated argument length`
      break
    case 'too-long': {
      const body = randomBytes(int(0, 20))
      bytes = [...texts(int(0, 1)), ...le(body.length + int(1, 2 ** 20)), ...body]
      nbytes = bytes.length
      exact = `${name}: argument longer than the input`
      break
    }
    case 'too-many':
      bytes = texts(int(3, 6))
      nbytes = bytes.length
      exact = `${name}: too many arguments`
      break
    default: {
      // Only operations that take no arguments and change nothing.
      const free = ['stats'].filter((o) => ops.includes(o))
      if (!free.length) return genUnknownOp()
      op = ops.indexOf(pick(free)) + 1
      bytes = texts(int(0, 2))
      nbytes = bytes.length
      return { method: '(frame)', category: `frame/garbage-${ops[op - 1]}`, args: [op, n(), n(), n(), Uint8Array.from(bytes), nbytes], expect: { kind: 'ok' } }
    }
  }
  return { method: '(frame)', category: `frame/${kind}`, args: [op, n(), n(), n(), Uint8Array.from(bytes), nbytes], expect: { kind: 'error', exact } }
}

// genHuge puts a 1-8 MB string somewhere.
function genHuge() {
  stats.hugeCalls++
  const h = hugeString()
  const where = pick(['configure-raw', 'configure-client', 'configure-url', 'event', 'device', 'response', 'retry-after', 'live', 'muted-signals', 'legacy-signals', 'page-url', 'mapping'])
  const id = idList.length ? idList[idList.length - 1] : 1
  const call = { method: '', category: `huge/${where}`, expect: { kind: 'any' }, huge: h.length }
  switch (where) {
    case 'configure-raw': return { ...call, method: 'configure', args: [h], expect: { kind: 'error' } }
    case 'configure-client': { const s = validSettings(); s.client_id = h; return { ...call, method: 'configure', args: [JSON.stringify(s)] } }
    case 'configure-url': { const s = validSettings(); s.new_account_url = 'https://site.example/' + h; return { ...call, method: 'configure', args: [JSON.stringify(s)] } }
    case 'event': { const e = validEvent(); e.properties.big = h; if (chance(0.5)) e.userId = h; return { ...call, method: 'attachDevice', args: [id, JSON.stringify(e), JSON.stringify(validDevice())] } }
    case 'device': { const d = validDevice(); d[pick(['path', 'url', 'last_fingerprint', 'fingerprint'])] = h; return { ...call, method: 'attachDevice', args: [id, JSON.stringify(validEvent()), JSON.stringify(d)] } }
    case 'response': {
      const t = attachFor(id); const a = validAttachAnswer(); a[pick(['access', 'device_id', 'identity'])] = h
      return { ...call, method: 'handleResponse', args: [t.id, t.attach, 200, JSON.stringify(a), ''], bodyValidity: 'unknown' }
    }
    case 'retry-after': { const t = attachFor(id); return { ...call, method: 'handleResponse', args: [t.id, t.attach, pick([0, 503]), '', chance(0.5) ? h : '5'.repeat(h.length)] } }
    case 'live': { const m = { action: 'challenge', challenge: { _id: h }, url: chance(0.5) ? 'https://challenge.rupt.dev/' + h : undefined }; return { ...call, method: 'handleLive', args: [id, JSON.stringify(m), 'https://site.example/'] } }
    case 'muted-signals': { const sig = validSignals(); sig.canvas = h; return { ...signalsCall(call.category, { arg: '', state: 'skip' }, { arg: JSON.stringify(sig), state: 'valid' }), huge: h.length } }
    case 'legacy-signals': {
      // Every attach carries the legacy signals: one attaches with them,
      // then signals of a real size replace them (else every attach of the
      // rest of the run would carry megabytes).
      const l = validLegacy(); l.big = { value: h }
      pending.push(() => ({ ...genAttachDevice(true), category: 'huge/attach-with-legacy-signals', huge: h.length }))
      pending.push(() => ({ method: 'deviceSignals', category: 'deviceSignals/after-huge', args: [JSON.stringify(validLegacy()), ''], lstate: 'valid', mstate: 'skip', expect: { kind: 'ok' } }))
      return { ...signalsCall(call.category, { arg: JSON.stringify(l), state: 'valid' }, { arg: '', state: 'skip' }), huge: h.length }
    }
    case 'page-url': return { ...call, method: 'handleLive', args: [id, JSON.stringify({ action: 'challenge', challenge: { _id: 'c1' } }), 'https://site.example/?' + h] }
    default: { const s = validSettings(); s.subscriptions = [{ name: 'huge', subscribe: 'type = "page"', partnerAction: 'attach', enabled: true, mapping: { account: { '@template': h } } }]; return { ...call, method: 'configure', args: [JSON.stringify(s)] } }
  }
}

// genDeep puts JSON nested 10,000-100,000 levels somewhere: far past the
// 512 levels Go accepts.
function genDeep() {
  stats.deepCalls++
  const depth = deepDepth()
  const deepKind = pick(['array', 'object', 'mixed', 'unbalanced'])
  const deep = deepJSON(depth, deepKind)
  const id = idList.length ? idList[idList.length - 1] : 1
  const where = pick(['configure-raw', 'configure-value', 'configure-mapping', 'configure-subscriptions', 'event', 'device', 'response', 'live', 'legacy-signals', 'muted-signals'])
  const base = { category: `deep/${where}`, expect: { kind: 'any' }, depth }
  const embed = (text, key, value) => text.replace(/^\{/, `{"${key}":${value},`)
  const configured = isConfigured(id)
  switch (where) {
    case 'configure-raw': return { ...base, method: 'configure', args: [deep], expect: { kind: 'error' } }
    case 'configure-value': return { ...base, method: 'configure', args: [embed(JSON.stringify(validSettings()), 'extra', deep)] }
    case 'configure-mapping': { const t = JSON.stringify({ ...validSettings(), subscriptions: [{ name: 'deep', subscribe: 'type = "page"', partnerAction: 'attach', enabled: true, mapping: {} }] }); return { ...base, method: 'configure', args: [t.replace('"mapping":{}', '"mapping":' + deep)] } }
    case 'configure-subscriptions': return { ...base, method: 'configure', args: [JSON.stringify({ ...validSettings(), subscriptions: deep })] }
    case 'event': {
      const args = [id, embed(JSON.stringify(validEvent()), 'properties', deep), JSON.stringify(validDevice())]
      return { ...base, method: 'attachDevice', args, expect: configured ? { kind: 'event-problem', match: /event (nests deeper|: not valid JSON)/ } : { kind: 'error', match: /is not configured/ } }
    }
    case 'device': {
      const args = [id, JSON.stringify(validEvent()), embed(JSON.stringify(validDevice()), 'signals', deep)]
      return { ...base, method: 'attachDevice', args, expect: configured ? { kind: 'error', match: /device context is not valid/ } : { kind: 'error', match: /is not configured/ } }
    }
    case 'response': { const t = attachFor(id); return { ...base, method: 'handleResponse', args: [t.id, t.attach, 200, embed(JSON.stringify(validAttachAnswer()), 'extra', deep), ''], bodyValidity: 'invalid' } }
    case 'live': return { ...base, method: 'handleLive', args: [id, embed(JSON.stringify(validLive()), 'extra', deep), 'https://site.example/'] }
    case 'legacy-signals': {
      const legacy = chance(0.5) ? deep : embed(JSON.stringify(validLegacy()), 'deep', deep)
      return { ...signalsCall(base.category, { arg: legacy, state: 'invalid', match: /^legacy signals: / }, { arg: '', state: 'skip' }), depth }
    }
    default: {
      const muted = chance(0.5) ? deep : embed(JSON.stringify(validSignals()), 'deep', deep)
      return { ...signalsCall(base.category, { arg: '', state: 'skip' }, { arg: muted, state: 'invalid', match: /^fingerprint: / }), depth }
    }
  }
}

// genMediumDeep nests 100 to 5,000 levels, around the limits of the
// recursive parsers (the mapping parser's, the 512 levels Go accepts),
// where an optimized engine's native stack runs out first.
function genMediumDeep() {
  stats.deepCalls++
  const depth = Math.round(100 * Math.pow(50, rnd()))
  const dobj = (n) => '{"a":'.repeat(n) + '1' + '}'.repeat(n)
  const d = chance(0.5) ? dobj(depth) : deepJSON(depth, 'array')
  const id = idList.length ? idList[idList.length - 1] : 1
  const where = pick(['event', 'event-string', 'mapping', 'live', 'response', 'legacy-signals'])
  const base = { category: `medium-deep/${where}`, expect: { kind: 'any' }, depth }
  const device = () => JSON.stringify({ path: '/deep', at: tick() })
  switch (where) {
    case 'event': return { ...base, method: 'attachDevice', args: [id, `{"type":"page","userId":"u${int(0, 1e6)}","properties":{"d":${d}}}`, device()] }
    case 'event-string': return { ...base, method: 'attachDevice', args: [id, JSON.stringify({ type: 'page', userId: 'u' + int(0, 1e6), properties: { blob: d } }), device()] }
    case 'mapping': return { ...base, method: 'configure', args: [JSON.stringify({ ...validSettings(), subscriptions: [{ name: 'deep', subscribe: 'type = "page"', partnerAction: 'attach', enabled: true, mapping: {} }] }).replace('"mapping":{}', `"mapping":{"account":{"@path":"$.userId"},"metadata":${d}}`)] }
    case 'live': return { ...base, method: 'handleLive', args: [id, `{"action":"logout","x":${d}}`, 'https://site.example/'] }
    case 'response': { const t = attachFor(id); return { ...base, method: 'handleResponse', args: [t.id, t.attach, 200, `{"device_id":"d","x":${d}}`, ''], bodyValidity: 'unknown' } }
    default: {
      // {"x": d} is depth + 1 levels deep; Go takes up to 512.
      const levels = depth + 1
      const state = levels <= 500 ? 'valid' : levels > 520 ? 'invalid' : 'unknown'
      return { ...signalsCall(base.category, { arg: `{"x":${d}}`, state, match: /^legacy signals: .*nests deeper/ }, { arg: '', state: 'skip' }), depth }
    }
  }
}

// Operations the table has that this script does not know: called with
// random arguments; the answer must still be a JSON object and no panic.
const KNOWN_METHODS = ['configure', 'attachDevice', 'handleResponse', 'handleLive', 'detach', 'deviceSignals', 'stats']
let unknownMethods = []
const GEN_METHOD = new Map([[genConfigure, 'configure'], [genAttachDevice, 'attachDevice'], [genHandleResponse, 'handleResponse'],
  [genHandleLive, 'handleLive'], [genDetach, 'detach'], [genDeviceSignals, 'deviceSignals'], [genMutedSignals, 'deviceSignals'],
  [genStats, 'stats']])
function genUnknownMethod() {
  const m = pick(unknownMethods)
  const ints = Array.from({ length: int(0, 4) }, () => (chance(0.5) ? wrongType() : weirdNumber()))
  const strings = Array.from({ length: int(0, 3) }, () => (chance(0.3) ? wrongType() : weirdString()))
  return { method: m, category: `other/${m}`, args: [ints, strings], expect: { kind: 'any' } }
}

// ---------------------------------------------------------------- sanity list

// Fixed calls whose answers are exactly known: they check this script's
// assumptions as much as the WASM. They run first, on a fresh runtime:
// no deviceSignals call yet.
function sanityCalls() {
  const s = {
    client_id: 'cid', new_account_url: 'https://site.example/new', logout_url: 'https://site.example/logout',
    subscriptions: VALID_SUBSCRIPTIONS,
  }
  const active = VALID_SUBSCRIPTIONS.filter((x) => x.partnerAction === 'attach' && x.enabled === true).length
  // Only enabled: true runs: "true", 1, a missing enabled leave it off.
  const notEnabled = [{ ...VALID_SUBSCRIPTIONS[0], enabled: 'true' }, { ...VALID_SUBSCRIPTIONS[0], enabled: 1 }, { ...VALID_SUBSCRIPTIONS[0], enabled: undefined }]
  const list = [
    { method: 'stats', args: [], expect: { kind: 'ok' } },
    { method: 'configure', args: [JSON.stringify(s)], expect: { kind: 'ok', noProblems: true, active }, settingsView: settingsView(s) },
    { method: 'configure', args: [''], expect: { kind: 'error', match: /not valid JSON/ } },
    { method: 'configure', args: [JSON.stringify({ ...s, subscriptions: null })], expect: { kind: 'error', match: /setting "subscriptions": must be an array/ } },
    { method: 'configure', args: [JSON.stringify({ ...s, subscriptions: notEnabled })], expect: { kind: 'ok', noProblems: true, active: 0 }, settingsView: settingsView(s) },
    { method: 'configure', args: ['{"__proto__":{"client_id":"c","new_account_url":"https://site.example/"}}'], expect: { kind: 'error', match: /client_id/ } },
    { method: 'configure', args: [JSON.stringify({ ...s, new_account_url: 'javascript:alert(1)' })], expect: { kind: 'error', match: /new_account_url/ } },
    { method: 'configure', args: [JSON.stringify({ ...s, client_secret: 'x' })], expect: { kind: 'error', match: /secret/ } },
    { method: 'attachDevice', args: [0, '{}', '{}'], expect: { kind: 'error', match: /is not configured/ } },
    { method: 'detach', args: [0], expect: { kind: 'error', match: /is not configured/ } }, // and the gate stays as it was
    { method: '(op)', args: ['fingerprint', [], [JSON.stringify(validSignals())]], expect: { kind: 'error', match: /^unknown operation 0: / } },
    { method: '(op)', args: ['__proto__', [1, 2, 3], ['{}', '{}']], expect: { kind: 'error', match: /^unknown operation 0: / } },
  ]
  return list.map((c) => ({ category: 'sanity', followUp: true, ...c }))
}

// sanitySequence returns thunks making the fixed calls on the first
// configured destination (id), in order; a thunk can read the answers of
// the calls before it. The sanity settings run every VALID_SUBSCRIPTIONS:
// the page event below matches "Attach Device" (page /sanity) and
// "Identify" (include_page false), two different attaches.
function sanitySequence(id, idOff) {
  const ev = {
    type: 'page', userId: 'sanity_user', properties: { email: 'u@example.com' }, traits: { email: 'Sanity@Example.com', phone: '555-0100' },
    context: { page: { path: '/sanity' } },
  }
  const E = JSON.stringify(ev)
  const dev = (at, extra = {}) => JSON.stringify({ path: '/sanity', url: 'https://site.example/sanity', at, last_challenge: 'ch_1', ...extra })
  const legacy = JSON.stringify(validLegacy())
  const muted = JSON.stringify(validSignals())
  const S = {}
  const reqID = (c, i) => (c && c.ans && Array.isArray(c.ans.requests) && c.ans.requests[i] ? c.ans.requests[i].id : -1)
  const attach = (args, expect) => ({ method: 'attachDevice', args, expect: { kind: 'ok', ...expect } })
  const respond = (attachID, status, body, retryAfter, expect) => ({ method: 'handleResponse', args: [id, attachID, status, body, retryAfter], bodyValidity: 'unknown', expect })
  return [
    // The gate is closed: an event that would attach asks for the device's signals.
    () => attach([id, E, dev(1000)], { needsDevice: true, matched: 2, sends: 0 }),
    // A logout hand-off comes before the gate: the event would attach.
    () => attach([id, E, JSON.stringify({ url: 'https://site.example/sanity?rupt_action=logout', at: 1000 })], { outcomeSkip: true, navigates: true }),
    // An event that would not attach (no account) neither asks nor hands off.
    () => attach([id, JSON.stringify({ ...ev, userId: undefined }), dev(1000)], { needsDevice: false, matched: 2, sends: 0 }),
    () => attach([id, JSON.stringify({ ...ev, userId: undefined }), JSON.stringify({ url: 'https://site.example/?rupt_action=logout' })], { needsDevice: false, sends: 0, noOutcome: true }),
    () => ({ method: 'attachDevice', args: [id, '[1]', '{}'], expect: { kind: 'event-problem' } }),
    () => ({ method: 'attachDevice', args: [id, '{}', '[]'], expect: { kind: 'error', match: /device context is not valid/ } }),
    // A destination whose subscriptions are not enabled: true matches nothing.
    () => (idOff ? attach([idOff, E, dev(1000)], { needsDevice: false, matched: 0, sends: 0 }) : null),
    // A failed deviceSignals call opens the gate too (a signed-in visitor
    // attaches without signals rather than not at all); then the real one.
    () => ({ method: 'deviceSignals', args: ['[]', ''], lstate: 'invalid', mstate: 'skip', lmatch: /^legacy signals: /, expect: { kind: 'error', match: /^legacy signals: / } }),
    () => (S.probe = attach([id, JSON.stringify({ ...ev, userId: 'gate_probe' }), dev(1000)], { needsDevice: false, matched: 2, sends: 2 })),
    () => ({ method: 'deviceSignals', args: [legacy, muted], lstate: 'valid', mstate: 'valid', expect: { kind: 'ok' } }),
    // The device context's fingerprint and signals are ignored: the bodies
    // carry the ones just handed over.
    () => (S.first = attach([id, E, dev(1000, { fingerprint: 'f'.repeat(2048), signals: { ignored: true } })], { needsDevice: false, matched: 2, sends: 2, bodyPages: ['/sanity', null] })),
    // The same event again: both identical to attaches in flight.
    () => attach([id, E, dev(1000)], { sends: 0, identical: 2 }),
    () => attach([id, E, dev(2999)], { sends: 0, identical: 2 }),
    // Retries: Go counts the attempts (MaxRetries 2), Retry-After in seconds.
    () => respond(reqID(S.first, 0), 503, '', '', { kind: 'error', match: /HTTP 503.*; retrying$/, retry: [500, 750] }),
    () => respond(reqID(S.first, 0), 0, '', ' 7 ', { kind: 'error', match: /no answer.*; retrying$/, retry: [7000, 7000] }),
    () => respond(reqID(S.first, 0), 503, '', '', { kind: 'error', match: /HTTP 503 to the attach$/, retry: 'none' }),
    () => respond(reqID(S.first, 0), 200, '{}', '', { kind: 'error', match: new RegExp(`^attach ${reqID(S.first, 0)} is not in flight`) }),
    () => respond(reqID(S.first, 1), 200, '{"device_id":"dev_1","access":"acc_1","attached_devices":1,"default_device_limit":3}', '', { kind: 'ok', listens: true, retry: 'none' }),
    // 1.5 s later: the failed attach is sent again, the successful one is
    // still held (less than 2 s since it arrived).
    () => (S.second = attach([id, E, dev(2500)], { sends: 1, identical: 1 })),
    () => respond(reqID(S.second, 0), 200, '{"suspended":true,"access":"acc/../x"}', '', { kind: 'ok', navigates: true }),
    () => respond(0, 200, '{}', '', { kind: 'error', match: /^attach 0 is not in flight/ }),
    () => respond(2 ** 31, 200, '{}', '', { kind: 'error', match: /^attach 0 is not in flight/ }), // not an int32: 0
    // Attach ids are a destination's own: one in flight here is not there.
    () => (idOff ? { method: 'handleResponse', args: [idOff, reqID(S.probe, 0), 200, '{}', ''], expect: { kind: 'error', match: /is not in flight/ } } : null),
    // The site's logout: a detach for the last successful attach's account,
    // then none; the signals are dropped and the gate closes.
    () => ({ method: 'detach', args: [id], expect: { kind: 'ok', detachUser: 'sanity_user' } }),
    () => ({ method: 'detach', args: [id], expect: { kind: 'ok', detachNull: true } }),
    () => attach([id, E, dev(10000)], { needsDevice: true, sends: 0 }),
    () => ({ method: 'deviceSignals', args: ['', ''], lstate: 'skip', mstate: 'skip', expect: { kind: 'ok' } }),
    // The recent attaches were forgotten at the logout: both are sent, without fingerprint or signals.
    () => (S.third = attach([id, E, dev(10000)], { needsDevice: false, sends: 2, bodyPages: ['/sanity', null] })),
    () => respond(reqID(S.third, 0), 200, '<html>', '', { kind: 'error', match: /not valid JSON/, retry: 'none' }),
    () => respond(reqID(S.third, 1), 404, 'nope', '5', { kind: 'error', match: /HTTP 404/, retry: 'none' }),
    () => ({ method: 'deviceSignals', args: ['', JSON.stringify(validSignals())], lstate: 'skip', mstate: 'valid', expect: { kind: 'ok' } }),
    () => ({ method: 'deviceSignals', args: ['', deepJSON(20000, 'array')], lstate: 'skip', mstate: 'invalid', mmatch: /^fingerprint: /, expect: { kind: 'error', match: /^fingerprint: / } }),
    () => ({ method: 'deviceSignals', args: [legacy, ''], lstate: 'valid', mstate: 'skip', expect: { kind: 'ok' } }),
    () => ({ method: 'handleLive', args: [id, '{"action":"logout"}', 'https://site.example/'], expect: { kind: 'ok', navigates: true } }),
    () => ({ method: 'handleLive', args: [id, '{"action":"challenge","challenge":{"_id":"c1"}}', 'https://site.example/'], expect: { kind: 'ok', navigates: true } }),
    () => ({ method: 'handleLive', args: [id, '{"action":"challenge","challenge":{"_id":"c1"},"url":"https://challenge.rupt.dev@attacker.test/"}', 'https://site.example/'], expect: { kind: 'error', match: /not navigating/, noNavigation: true } }),
    () => ({ method: 'handleLive', args: [id, '{', 'https://site.example/'], expect: { kind: 'error', match: /not valid JSON/ } }),
  ].map((t) => () => {
    const c = t()
    if (c) Object.assign(c, { category: 'sanity', followUp: true }) // no random follow-ups in between
    return c
  })
}

// ---------------------------------------------------------------- running calls

let rt
let callIndex = 0
// A call blocks the page's main thread: these catch runaway work (an
// exponential mapping took minutes), with room for a GC pause on a busy machine.
const SLOW_MS = 5000
const SLOW_HUGE_MS = 20000 // for the 1-8 MB and 10,000+ level inputs
const MAX_RESTARTS = 1000
const deaths = []

// runtimeDeath records that the Go runtime died on call; main starts a new one.
function runtimeDeath(call, reason) {
  stats.runtimeExits++
  failureCount++
  countKind(`runtime death [${call.category.split('/')[0]}/${call.method}]: ${reason.split(':')[0]}`)
  record(deaths, call, '', reason)
}

const callable = (call) => call.method === '(op)' || call.method === '(frame)' || typeof rt.api[call.method] === 'function'
function run(call) {
  if (call.method === '(op)') return rt.call(...call.args)
  if (call.method === '(frame)') return rt.rawCall(...call.args)
  return rt.api[call.method](...call.args)
}

function invoke(call) {
  call.index = callIndex++
  stats.calls++
  const pm = stats.perMethod[call.method] || (stats.perMethod[call.method] = { calls: 0, errors: 0, thrown: 0 })
  pm.calls++
  const cat = call.category.split(':')[0]
  stats.categories[cat] = (stats.categories[cat] || 0) + 1
  const errorsBefore = stats.errors
  let texts
  rt.frameError = null
  const t0 = performance.now()
  try {
    texts = run(call)
  } catch (e) {
    stats.thrown++
    pm.thrown++
    // A TypeError thrown in JS before Go runs is acceptable if the runtime
    // is still alive (bindGo takes any value, so none is expected).
    // Anything thrown out of the WebAssembly (a trap, "Maximum call stack
    // size exceeded") leaves Go mid-call with its state undefined even if
    // later calls answer: it counts as a runtime death, and the runtime is
    // replaced.
    const thrown = `${e && e.name}: ${e && e.message}`
    const fromWasm = !(e instanceof TypeError) || /wasm:\/\/|wasm-function/.test(String(e && e.stack))
    if (fromWasm) {
      runtimeDeath(call, `${thrown} was thrown out of the Go runtime${rt.alive() ? '' : ', which exited'}`)
      return false
    }
    if (!rt.alive() || e instanceof WebAssembly.RuntimeError) {
      runtimeDeath(call, `the call threw ${thrown} and the Go runtime is gone`)
      return false
    }
    const probe = aliveProblem()
    if (probe !== '' || !rt.alive()) {
      runtimeDeath(call, `the call threw ${thrown}, and after it the Go runtime no longer answers (the next call: ${probe.slice(0, 120)})`)
      return false
    }
    if (warnings.length < 5) warnings.push(`call ${call.index} (${call.method}) threw in JS: ${e && e.message}`)
    return true
  }
  if (!rt.alive()) {
    runtimeDeath(call, `the Go runtime exited (exit code ${rt.exitCode}): ${rt.output.slice(-2000)}`)
    return false
  }
  const ms = performance.now() - t0
  stats.categoryMs[cat] = (stats.categoryMs[cat] || 0) + ms
  if (ms > stats.slowest.ms) stats.slowest = { ms, index: call.index, method: call.method, category: call.category }
  if (ms > (call.huge || call.depth ? SLOW_HUGE_MS : SLOW_MS)) fail(call, `${ms.toFixed(0)} ms`, `the call took ${(ms / 1000).toFixed(1)} s: it would block the page`)
  checkAnswer(call, texts)
  if (stats.errors > errorsBefore) pm.errors++
  return true
}

// ---------------------------------------------------------------- pollution

const PROTOS = { Object: Object.prototype, Array: Array.prototype, Function: Function.prototype, String: String.prototype, Number: Number.prototype, Boolean: Boolean.prototype }
const protoSnapshot = () => Object.fromEntries(Object.entries(PROTOS).map(([k, p]) => [k, Reflect.ownKeys(p).map(String).sort().join(',')]))
let protoBefore
let globalBefore

function checkPollution(where) {
  const probe = {}
  const bad = []
  for (const k of ['polluted', 'isAdmin', 'rupt_polluted', 'client_id', 'action', 'url', '_id', 'account', 'navigate']) {
    if (probe[k] !== undefined || [][k] !== undefined) bad.push(`({}).${k} is ${describe(probe[k] ?? [][k])}`)
  }
  if (Object.getPrototypeOf(probe) !== Object.prototype) bad.push('the prototype of {} changed')
  const now = protoSnapshot()
  for (const k of Object.keys(now)) if (now[k] !== protoBefore[k]) bad.push(`${k}.prototype gained or lost properties`)
  const globals = Reflect.ownKeys(globalThis).map(String).sort().join(',')
  if (globals !== globalBefore) bad.push('the global object gained or lost properties')
  if (bad.length) {
    failureCount++
    if (failures.length < MAX_RECORDED) failures.push({ index: callIndex, method: '-', category: 'pollution', reason: `prototype pollution ${where}: ${bad.join('; ')}`, args: [], answer: '' })
    protoBefore = now
    globalBefore = globals
  }
  return bad.length === 0
}

// ---------------------------------------------------------------- main

function nextCall(i, n) {
  // The shim's own next calls first.
  while (pending.length) {
    const c = pending.shift()()
    if (c) return c
  }
  // Huge and deep inputs are spread over the run.
  const hugeEvery = Math.max(1500, Math.floor(n / 60))
  const deepEvery = 500
  if (i % hugeEvery === hugeEvery - 1) return genHuge()
  if (i % deepEvery === deepEvery - 250) return genDeep()
  if (i % deepEvery === deepEvery - 125) return genMediumDeep()
  if (unknownMethods.length && chance(0.01)) return genUnknownMethod()
  return weighted([
    [13, genConfigure], [29, genAttachDevice], [21, genHandleResponse], [20, genHandleLive],
    [5, genDetach], [4, genDeviceSignals], [5, genMutedSignals], [2.5, genStats],
    [0.5, genUnknownOp], [1, genFrame],
  ].filter(([, g]) => !GEN_METHOD.has(g) || typeof rt.api[GEN_METHOD.get(g)] === 'function'))()
}

// checkGC fails the run when Go's garbage collector has fallen behind: a
// cycle ends before the heap passes its goal, so a heap of twice the goal
// means cycles no longer finish between calls (the mark workers are
// goroutines, and nothing else gives them a turn), and memory grows until
// WebAssembly's 4 GB run out.
let gcFailed = false
function checkGC(call) {
  let s
  try { s = JSON.parse(rt.api.stats()[0]) } catch { return }
  if (gcFailed || typeof s.next_gc !== 'number' || s.next_gc < 64 * 2 ** 20 || s.heap_alloc <= 2 * s.next_gc) return
  gcFailed = true
  const mib = (n) => `${(n / 2 ** 20).toFixed(0)} MiB`
  fail({ ...call, method: 'stats', category: 'gc' }, JSON.stringify(s), `the Go heap (${mib(s.heap_alloc)}) is past twice its goal (${mib(s.next_gc)}) after ${s.num_gc} GC cycles: collection stalls between calls`)
}

// goHeap is the Go heap in use, when the API has a "stats" operation.
function goHeap() {
  try {
    const s = JSON.parse(rt.api.stats()[0])
    return typeof s.heap_alloc === 'number' ? ` (Go heap in use ${(s.heap_alloc / 2 ** 20).toFixed(0)} MiB)` : ''
  } catch { return '' }
}

function printRecords(title, list, total) {
  if (!list.length) return
  console.log(`\n${title} (${total}; first ${list.length}):`)
  for (const f of list) {
    console.log(`  #${f.index} ${f.method} [${f.category}]: ${f.reason}`)
    f.args.forEach((a, i) => console.log(`      arg${i}: ${a}`))
    if (f.answer) console.log(`      answer: ${f.answer.replace(/\n/g, '\n              ')}`)
  }
}

async function main() {
  const [wasmPath, execPath] = opts.files
  try {
    contract = loadContract()
    rt = await startGo(wasmPath, execPath)
  } catch (e) {
    console.error(`hostile.mjs: cannot start the WASM: ${e.stack || e}`)
    process.exit(1)
  }
  unknownMethods = contract.ops.filter((k) => !KNOWN_METHODS.includes(k))
  protoBefore = protoSnapshot()
  globalBefore = Reflect.ownKeys(globalThis).map(String).sort().join(',')
  const memStart = rt.memory()
  console.log(`hostile.mjs: ${opts.count} random calls, seed ${opts.seed}, ${wasmPath}; operations ${contract.ops.join(', ')}`)
  for (const m of KNOWN_METHODS) {
    if (!contract.ops.includes(m)) {
      failureCount++
      countKind('the contract lacks an operation')
      failures.push({ index: callIndex, method: m, category: 'contract', reason: `the operation table (go run ./wasm) lacks ${m}`, args: [], answer: JSON.stringify(contract.ops) })
    }
  }

  let alive = true
  for (const c of sanityCalls()) {
    if (!callable(c)) continue
    if (!(alive = invoke(c))) break
  }
  const firstID = idList[0]
  if (alive && firstID !== undefined) {
    for (const t of sanitySequence(firstID, idList[1])) {
      const c = t()
      if (!c || !callable(c)) continue
      if (!(alive = invoke(c))) break
    }
  } else if (alive) {
    failureCount++
    failures.push({ index: callIndex, method: 'configure', category: 'sanity', reason: 'the valid sanity settings were refused', args: [], answer: '' })
  }
  const sanityFailures = failureCount

  const batch = 1000
  for (let i = 0; i < opts.count; i++) {
    if (!alive) {
      // Start over with a new runtime, to find what else breaks.
      if (stats.restarts >= MAX_RESTARTS) {
        console.log(`  stopping after ${MAX_RESTARTS} runtime restarts`)
        break
      }
      stats.restarts++
      rt = await startGo(wasmPath, execPath)
      resetModel()
      for (const c of sanityCalls().filter((c) => c.method === 'configure').slice(0, 1)) invoke(c)
      alive = true
    }
    let call = nextCall(i, opts.count)
    while (!callable(call)) call = nextCall(i + 1, opts.count) // an operation this build lacks
    alive = invoke(call)
    if (i % batch === batch - 1 || i === opts.count - 1) {
      checkPollution(`after call ${callIndex}`)
      if (alive) checkGC(call)
      if (opts.verbose && (i + 1) % 10000 === 0) {
        console.log(`  ${i + 1} calls, ${((performance.now() - started) / 1000).toFixed(1)} s, wasm memory ${(rt.memory() / 2 ** 20).toFixed(0)} MiB${goHeap()}, ${failureCount} failure(s)`)
      }
    }
  }
  // Let go.run's promise settle if the program ended.
  await new Promise((r) => setImmediate(r))
  if (alive && !rt.alive()) {
    stats.runtimeExits++
    failureCount++
    deaths.push({ index: callIndex, method: '-', category: 'runtime', reason: `the Go runtime exited (code ${rt.exitCode}) ${rt.runError || ''}: ${rt.output.slice(-2000)}`, args: [], answer: '' })
  }
  if (alive) {
    const problem = aliveProblem()
    if (problem !== '') {
      failureCount++
      failures.push({ index: callIndex, method: 'stats', category: 'final', reason: `the final call failed: ${problem}`, args: [], answer: '' })
    }
  }

  const elapsed = (performance.now() - started) / 1000
  console.log(`\nsummary (seed ${opts.seed}, count ${opts.count}):`)
  console.log(`  calls: ${stats.calls} in ${elapsed.toFixed(1)} s (${Math.round(stats.calls / elapsed)}/s)`)
  for (const [m, s] of Object.entries(stats.perMethod).sort()) {
    console.log(`    ${m.padEnd(15)} ${String(s.calls).padStart(7)} calls, ${String(s.errors).padStart(7)} answered {"error"}, ${s.thrown} threw in JS`)
  }
  console.log(`  answers with an error: ${stats.errors} (of which outcome errors: ${stats.outcomeErrors}); evaluations with problems: ${stats.problems}`)
  console.log(`  destinations configured: ${stats.configured}; attach requests built: ${stats.requests}; navigations: ${stats.navigations} (${stats.unparseableNavigations} a browser cannot parse)`)
  console.log(`  needs_device: ${stats.needsDevice}; skipped as identical: ${stats.identicalSkips}; logout hand-offs: ${stats.logoutSkips}; shim follow-up sequences: ${stats.followUps}`)
  console.log(`  attach answers: ${stats.finalAnswers} final, ${stats.retries} retried, ${stats.notInFlight} refused (not in flight); detach requests: ${stats.detachRequests}; hand-framed calls: ${stats.frames}`)
  console.log(`  huge inputs (1-8 MB): ${stats.hugeCalls}; deep inputs (100-100k levels): ${stats.deepCalls}`)
  console.log(`  JS exceptions: ${stats.thrown}; recovered Go panics: ${stats.recoveredPanics}; Go runtime deaths: ${stats.runtimeExits} (restarted ${stats.restarts} times)`)
  if (stats.slowest.index !== undefined) console.log(`  slowest call: #${stats.slowest.index} ${stats.slowest.method} [${stats.slowest.category}] ${stats.slowest.ms.toFixed(0)} ms`)
  if (stats.wrongTypeAccepted) console.log(`  deviceSignals calls with a non-string part, which the API treats as absent (no error): ${stats.wrongTypeAccepted}`)
  if (unknownMethods.length) console.log(`  operations this script does not know, called with random arguments: ${unknownMethods.join(', ')}`)
  console.log(`  wasm memory: ${(memStart / 2 ** 20).toFixed(0)} MiB at start, ${(rt.memory() / 2 ** 20).toFixed(0)} MiB at the end${goHeap()}`)
  if (opts.verbose) {
    console.log('  categories:')
    for (const [k, v] of Object.entries(stats.categories).sort((a, b) => b[1] - a[1])) console.log(`    ${k}: ${v} calls, ${((stats.categoryMs[k] || 0) / 1000).toFixed(1)} s`)
  }
  for (const w of warnings) console.log(`  note: ${w}`)

  if (failureKinds.size) {
    console.log('\nfailures by kind:')
    for (const [k, v] of [...failureKinds].sort((a, b) => b[1] - a[1])) console.log(`  ${String(v).padStart(6)}  ${k}`)
  }
  printRecords('Go runtime deaths (the page would lose Rupt until reload)', deaths, stats.runtimeExits)
  printRecords('recovered Go panics (a bug even though the call was answered)', panics, stats.recoveredPanics)
  printRecords('other failures', failures, failureCount - stats.recoveredPanics - stats.runtimeExits)
  if (failureCount > 0) {
    if (sanityFailures > 0) console.log(`\n${sanityFailures} failure(s) in the fixed sanity calls`)
    console.log(`\nFAIL: ${failureCount} check(s) failed; reproduce with: node wasm/testdata/hostile.mjs ${wasmPath} ${execPath} --count ${opts.count} --seed ${opts.seed}`)
    process.exit(1)
  }
  console.log('\nPASS: every answer was framed JSON, every bad input got an error, no panic, no runtime exit, no foreign navigation, no pollution; attach ids, retries, the signals gate and identical attaches as the contract says')
  process.exit(0)
}

main().catch((e) => {
  console.error(`hostile.mjs: ${e.stack || e}`)
  process.exit(1)
})
