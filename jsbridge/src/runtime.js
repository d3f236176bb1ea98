// The Go runtime: fetches and compiles dist/rupt-actions.wasm, runs it
// (goloader.js gives the Go runtime's imports), and exposes the Go API.
import { goProgram } from './goloader.js'
import { bindGo } from './exports.js'
import { CONTRACT } from './contract.js'
import { bindAPI } from './api.js'
import { dateImport } from './dates.js'

// The Go API's answers: what wasm/api.go writes (with action/jsonw.go),
// parsed. A call that fails answers {"error"} alone: then none of the
// other members is set, whatever the type says. Go leaves out what is not
// set, hence the optional members.

/**
 * A subscription Go could not run (problems) or chose not to attach for
 * (skipped): action.Problem.
 * @typedef {object} Problem
 * @property {string} subscription
 * @property {string} error
 */

/**
 * configure's answer: the destination Go built from the settings, or
 * {error} (the setting problems, one per line).
 * @typedef {object} Configured
 * @property {number} id the destination's id, for every later call
 * @property {string} version the release of the .wasm
 * @property {boolean} debug
 * @property {number} active how many attach subscriptions run
 * @property {Problem[]} [problems] subscriptions left out (bad query or mapping)
 * @property {AttachHead} [attach] the url, method and headers of every attach (attachDevice's answers leave them out)
 * @property {Reads} [reads] the part of an event Go reads; absent: any part
 * @property {string} [error]
 */

/**
 * The part of an event Go reads: each key a member read, 1 when read
 * whole, or what is read inside it.
 * @typedef {{ [key: string]: 1 | Reads }} Reads
 */

/**
 * A request Go built, with its body (which leaves Go as texts of its own;
 * runtime.js puts it together). jsonw.go writes "headers": null for a request
 * without headers; every request Go builds has them (action/attach.go's
 * apiHeaders).
 * @typedef {object} GoRequest
 * @property {string} url
 * @property {string} method
 * @property {Record<string, string>} headers
 * @property {string} body
 */

/**
 * A request without its body: what every attach of a destination shares.
 * @typedef {Omit<GoRequest, 'body'>} AttachHead
 */

/**
 * An attach to send: its id names it in handleResponse; members names the
 * device members text its body holds (see attachDevice). Go names it; the
 * shim puts its head (configure's attach) and its body in.
 * @typedef {GoRequest & { id: number, subscription: string, members?: number }} AttachRequest
 */

/**
 * A cookie to write, as "name=value; path=/; max-age=max_age".
 * @typedef {object} GoCookie
 * @property {string} name
 * @property {string} value
 * @property {number} max_age
 */

/**
 * A DOM event to dispatch on window (rupt:attached, rupt:error, ...).
 * @typedef {object} GoEvent
 * @property {string} type
 * @property {Record<string, string> | null} detail
 */

/**
 * What to do after an answer from Rupt, a live message or a logout
 * hand-off (action.Outcome), in this order: cookies, storage, events,
 * navigation or live channel.
 * @typedef {object} Outcome
 * @property {GoCookie[]} [cookies]
 * @property {string} [store_fingerprint] written as rpt_last_fp to cookie and storage
 * @property {GoEvent[]} [events]
 * @property {string} [navigate] an http(s) URL to send the browser to
 * @property {string} [reason] why: suspended, logout or challenge
 * @property {string} [listen] the live channel (EventSource URL) to open
 * @property {string} [listen_device] the device the live channel belongs to
 * @property {true} [skip] the page load must not attach
 * @property {number} [retry_in] send the same attach again after this many ms
 * @property {string} [error]
 */

/**
 * attachDevice's answer (action.Evaluation): the attaches to send, or
 * needs_device (hand the signals over, then ask again), or an outcome to
 * perform instead.
 * @typedef {object} Evaluation
 * @property {number} matched how many subscriptions matched the event
 * @property {AttachRequest[]} [requests]
 * @property {true} [needs_device]
 * @property {Outcome} [outcome]
 * @property {Problem[]} [skipped] matched, but not attaching (e.g. no user id)
 * @property {Problem[]} [problems] matched, but the mapping failed
 * @property {string} [error]
 */

/**
 * detach's answer: the detach request, or null when no device is attached.
 * @typedef {object} Detached
 * @property {GoRequest | null} [request] absent only with error
 * @property {string} [error]
 */

/**
 * deviceSignals's answer: the fingerprint Go hashed.
 * @typedef {object} SignalsTaken
 * @property {string} [fingerprint]
 * @property {string} [error]
 */

/**
 * stats's answer: the Go runtime's memory figures, in bytes.
 * @typedef {object} GoStats
 * @property {number} sys
 * @property {number} heap_alloc
 * @property {number} num_gc
 * @property {number} next_gc
 */

/** @typedef {{ error: string }} GoError */

/**
 * What the shim hands attachDevice beside the event: the page and the
 * state Rupt's SDK keeps on the device (action.DeviceState; the storage
 * values cross to Go only when they change).
 * @typedef {object} DeviceContext
 * @property {string} path
 * @property {string} url
 * @property {number} at when the event arrived, on the document's monotonic clock (ms)
 * @property {string} [last_fingerprint]
 * @property {string} [last_blocking_access]
 * @property {string} [last_challenge]
 */

/**
 * The Go API: one method per operation, taking JS values and returning
 * the parsed answer; they never throw.
 * @typedef {object} GoAPI
 * @property {(settings: object) => Configured} configure
 * @property {(id: number, event: unknown, device: DeviceContext) => Evaluation} attachDevice
 * @property {(id: number, attach: number, status: number, body: string, retryAfter?: string) => Outcome} handleResponse
 * @property {(id: number, data: string, url: string) => Outcome} handleLive
 * @property {(id: number) => Detached} detach
 * @property {(legacyJSON: string, mutedJSON: string) => SignalsTaken} deviceSignals
 * @property {() => GoStats | GoError} stats
 */

/**
 * Starts the Go runtime on its first call and resolves to the Go API.
 * bytesRead resolves once the shim has read the .wasm's bytes or cannot
 * (where fetch checks the hash, once the response is there).
 * @typedef {(() => Promise<GoAPI>) & { bytesRead: () => Promise<void> }} StartRuntime
 */

// The .wasm must be the one built with this script, whose SHA-256 it
// carries (__RUPT_WASM_INTEGRITY__): a tampered .wasm, or one of another
// build left on a CDN, is never run, at whatever URL it is served.
//
// With fetch's integrity option the browser reads and hashes the whole body
// on the page's main thread as it downloads, at script load, for every
// visitor (bench/results/2026-12-05-integrity.md). Where WebCrypto is
// available (secure contexts: https, localhost) the shim checks the hash
// itself instead, only when the runtime starts: the bytes are read once,
// compiled and hashed at the same time, and the module is instantiated
// only once the hash matches (bench/results/2026-12-06-compile.md). On
// plain http: crypto.subtle is missing and fetch checks the hash
// (Subresource Integrity).

/**
 * The .wasm's response. Where the shim checks the hash itself, read reads
 * its bytes, and check resolves when their SHA-256 matches (it rejects with
 * the refusal when not).
 * @typedef {{ response: Response, read?: () => Promise<ArrayBuffer>, check?: (bytes: ArrayBuffer) => Promise<void> }} Download
 */

// fetchWasm starts downloading the .wasm; the response is read, hashed and
// compiled only when the runtime starts (an anonymous visitor's page never
// pays for either). Its promise rejects with the message the console gets.
/**
 * @param {string} url
 * @returns {Promise<Download>}
 */
function fetchWasm(url) {
  const integrity = __RUPT_WASM_INTEGRITY__
  const refused = () => new Error(`refused ${url}: it is not the .wasm built with this rupt-actions.js (its SHA-256 does not match ${integrity}); serve rupt-actions.js and its .wasm from the same build`)
  /** @param {any} e */
  const unreachable = (e) => new Error(`cannot load ${url}: ${e && e.message}`)
  const subtle = globalThis.crypto && crypto.subtle
  const download = fetch(url, subtle ? { credentials: 'omit' } : { credentials: 'omit', integrity }).then((r) => {
    if (!r.ok) throw new Error(`cannot load ${url}: HTTP ${r.status}`)
    if (!subtle) return { response: r }
    /** @param {ArrayBuffer} bytes */
    const check = async (bytes) => {
      const digest = new Uint8Array(await subtle.digest('SHA-256', bytes))
      // The integrity string is sha256-<base64 of the digest>, base64's
      // one spelling of those 32 bytes: comparing the texts is comparing
      // the digests.
      if ('sha256-' + btoa(String.fromCharCode(...digest)) !== integrity) throw refused()
    }
    const read = bodyReader(r, unreachable)
    return { response: r, read, check }
  }, async (e) => {
    if (subtle) throw unreachable(e)
    // A failed integrity check and a network error reject alike; ask again
    // without it (the body is dropped unread) to say which.
    let served = false
    try {
      const again = await fetch(url, { credentials: 'omit' })
      served = again.ok
      if (again.body) again.body.cancel().catch(() => {})
    } catch (_) {}
    if (served) throw refused()
    throw unreachable(e)
  })
  download.catch(() => {}) // reported when the runtime starts
  return download
}

// bodyReader starts draining the response's body into a Blob at once and
// returns the function that reads the bytes when the runtime starts. Why a
// Blob: Chromium delivers a body read with response.arrayBuffer() to the
// page's main thread in tasks of 30-90 ms for our 3.4 MB (300-400 ms under
// 4x CPU throttling), while response.blob() fills the Blob outside the page
// and blob.arrayBuffer() copies it in 15-20 ms
// (bench/results/2026-12-06-blob.md). Draining costs the page's main thread
// nothing, so it starts with the download, for every visitor; the copy
// waits for the runtime's start. Engines without Blob.arrayBuffer read the
// response.
/**
 * @param {Response} r
 * @param {(e: any) => Error} unreachable
 * @returns {() => Promise<ArrayBuffer>}
 */
function bodyReader(r, unreachable) {
  let bytes = () => r.arrayBuffer()
  if (typeof Blob === 'function' && typeof Blob.prototype.arrayBuffer === 'function') {
    const blob = r.blob()
    blob.catch(() => {}) // reported by the read
    bytes = () => blob.then((b) => b.arrayBuffer())
  }
  return () => bytes().catch((e) => { throw unreachable(e) })
}

/**
 * @param {Promise<Download>} download
 * @param {WebAssembly.Imports} importObject
 * @param {() => void} onRead called once the bytes are read, or cannot be
 * @returns {Promise<WebAssembly.Instance>}
 */
async function instantiate(download, importObject, onRead) {
  /** @type {Download | undefined} */
  let got
  try {
    got = await download
  } finally {
    if (!got || !got.read) onRead()
  }
  const { response, read, check } = got
  if (!read || !check) {
    // fetch checked the bytes (Subresource Integrity).
    if (WebAssembly.instantiateStreaming) {
      try {
        return (await WebAssembly.instantiateStreaming(response.clone(), importObject)).instance
      } catch (e) {
        // A server that sends the wrong Content-Type breaks streaming only.
        if (!(e instanceof TypeError)) throw e
      }
    }
    return (await WebAssembly.instantiate(await response.arrayBuffer(), importObject)).instance
  }
  // The bytes are read whole (the download began at script load, so they
  // are mostly there), then compiled while they are hashed; the compile is
  // looked at only once the hash matches, so bytes that do not match are
  // refused as such, even if they do not compile. Not compileStreaming on
  // a clone: teeing the body cost the main thread 60-80 ms tasks, and the
  // compile of bytes in hand runs off the main thread
  // (bench/results/2026-12-06-compile.md).
  /** @type {ArrayBuffer} */
  let bytes
  try {
    bytes = await read()
  } finally {
    onRead()
  }
  const compiling = WebAssembly.compile(bytes)
  compiling.catch(() => {}) // awaited below, once the hash matches
  await check(bytes)
  return WebAssembly.instantiate(await compiling, importObject)
}

// loadRuntime starts downloading the .wasm at once and returns a function
// that starts the Go runtime (compile, run) on its first call and resolves
// to the Go API. Downloading costs the page nothing; compiling and Go's
// start are CPU work, left to the plugin to start when the page is idle
// or an event needs Go, so that they do not delay the page's own scripts.
/**
 * @param {string} wasmURL
 * @returns {StartRuntime}
 */
export function loadRuntime(wasmURL) {
  /** @type {Promise<Download> | undefined} */
  let download = fetchWasm(wasmURL)
  /** @type {Promise<GoAPI> | undefined} */
  let runtime
  /** @type {() => void} */
  let markRead = () => {}
  /** @type {Promise<void>} */
  const bytesRead = new Promise((resolve) => { markRead = resolve })
  const start = () => {
    if (!runtime) {
      runtime = startRuntime(/** @type {Promise<Download>} */ (download), markRead)
      download = undefined // not kept for the page's life: it holds the .wasm's bytes
      runtime.catch((e) => {
        console.error('[rupt-actions] cannot start:', e.message)
        try { window.dispatchEvent(new CustomEvent('rupt:error', { detail: { stage: 'load', message: e.message } })) } catch (_) {}
      })
    }
    return runtime
  }
  start.bytesRead = () => bytesRead
  return start
}

// startRuntime compiles and runs the downloaded .wasm and resolves to the
// Go API: one method per operation, taking JS values and returning the
// parsed answer; they never throw.
/**
 * @param {Promise<Download>} download
 * @param {() => void} onRead
 * @returns {Promise<GoAPI>}
 */
function startRuntime(download, onRead) {
  return (async () => {
    const go = goProgram(['rupt-actions'])
    // Go's runtime imports, and rupt.date for the @liquid date filters (dates.js).
    /** @type {WebAssembly.Instance | undefined} */
    let started
    const memory = () => /** @type {WebAssembly.Memory} */ (/** @type {WebAssembly.Instance} */ (started).exports.mem)
    const instance = started = await instantiate(download, { gojs: go.imports, rupt: { date: dateImport(memory) } }, onRead)
    go.run(instance)
    // go.exited() is true as soon as the program ends (a fatal error).
    if (go.exited() || typeof instance.exports.rupt_call !== 'function') throw new Error('the Go program did not start')
    const raw = bindGo(/** @type {import('./exports.js').RuptExports} */ (instance.exports), CONTRACT.ops)
    return bindAPI(raw, go.exited)
  })()
}
