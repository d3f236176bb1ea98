// The Go runtime: fetches and compiles dist/rupt-actions.wasm, runs it with
// Go's wasm_exec.js inside a private scope, and exposes the Go API.
import { defineGo } from 'wasm-exec'
import { bindGo } from './exports.js'

// A private global object for wasm_exec.js and the Go program. Names it
// defines (Go, fs, process, path) stay here; every other name
// is read from the real global object. A Proxy, not Object.create(window):
// window's accessors (crypto, performance, ...) throw "Illegal invocation"
// when read through another receiver. The own names start undefined, so a
// page's own `process` or `Go` is never used or replaced.
const PRIVATE_NAMES = ['Go', 'fs', 'process', 'path']

function privateScope() {
  const own = Object.create(null)
  for (const name of PRIVATE_NAMES) own[name] = undefined
  return new Proxy(own, {
    get: (t, k) => (k in t ? t[k] : globalThis[k]),
    set: (t, k, v) => { t[k] = v; return true },
    has: (t, k) => k in t || k in globalThis,
  })
}

// fetchWasm starts downloading the .wasm; the response is used later.
function fetchWasm(url) {
  const res = fetch(url, { credentials: 'omit' }).then((r) => {
    if (!r.ok) throw new Error(`cannot load ${url}: HTTP ${r.status}`)
    return r
  })
  res.catch(() => {}) // reported when the runtime starts
  return res
}

async function instantiate(response, importObject) {
  const res = await response
  if (WebAssembly.instantiateStreaming) {
    try {
      return (await WebAssembly.instantiateStreaming(res.clone(), importObject)).instance
    } catch (e) {
      // A server that sends the wrong Content-Type breaks streaming only.
      if (!(e instanceof TypeError)) throw e
    }
  }
  return (await WebAssembly.instantiate(await res.arrayBuffer(), importObject)).instance
}

// loadRuntime starts downloading the .wasm at once and returns a function
// that starts the Go runtime (compile, run) on its first call and resolves
// to the Go API. Downloading costs the page nothing; compiling and Go's
// start are CPU work, left to the plugin to start when the page is idle
// or an event needs Go, so that they do not delay the page's own scripts.
export function loadRuntime(wasmURL) {
  const response = fetchWasm(wasmURL)
  let runtime
  return () => {
    if (!runtime) {
      runtime = startRuntime(response)
      runtime.catch((e) => {
        console.error('[rupt-actions] cannot start:', e.message)
        try { window.dispatchEvent(new CustomEvent('rupt:error', { detail: { stage: 'load', message: e.message } })) } catch (_) {}
      })
    }
    return runtime
  }
}

// startRuntime compiles and runs the .wasm of response and resolves to the
// Go API: an object whose methods take and return strings of JSON and
// never throw.
function startRuntime(response) {
  return (async () => {
    const scope = privateScope()
    const Go = defineGo(scope)
    const go = new Go()
    go.argv = ['rupt-actions']
    go.env = {}
    const instance = await instantiate(response, go.importObject)
    go.run(instance).catch(() => {})
    // wasm_exec.js sets go.exited as soon as the program ends (a fatal error).
    if (go.exited || typeof instance.exports.rupt_call !== 'function') throw new Error('the Go program did not start')
    const raw = bindGo(instance.exports)
    const call = (name, ...args) => {
      if (go.exited) return { error: 'the Go runtime has exited; reload the page' }
      try {
        return JSON.parse(raw[name](...args))
      } catch (e) {
        return { error: `${name}: ${e && e.message}` }
      }
    }
    return {
      configure: (settings) => call('configure', JSON.stringify(settings)),
      attachDevice: (id, event, device) => call('attachDevice', id, JSON.stringify(event), JSON.stringify(device)),
      handleResponse: (id, ctx, status, body) => call('handleResponse', id, JSON.stringify(ctx), status, body),
      handleLive: (id, data, url) => call('handleLive', id, data, url),
      detach: (id) => call('detach', id),
      deviceSignals: (legacyJSON, mutedJSON) => call('deviceSignals', legacyJSON, mutedJSON),
      definition: () => call('definition'),
      stats: () => call('stats'),
    }
  })()
}
