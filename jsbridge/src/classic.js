// Entry of dist/rupt-actions.js, a classic script. It defines
// window.ruptDestination, the Segment PluginFactory analytics.js looks for,
// and starts loading the Go runtime at once, next to this script unless
// data-wasm-url says otherwise.
import { startRuntime } from './runtime.js'
import { createFactory } from './plugin.js'

const script = document.currentScript
const base = (script && script.src) || location.href
const wasmURL = (script && script.dataset && script.dataset.wasmUrl) || new URL('rupt-actions.wasm', base).href
const runtime = startRuntime(wasmURL)
runtime.catch((e) => {
  console.error('[rupt-actions] cannot start:', e.message)
  try { window.dispatchEvent(new CustomEvent('rupt:error', { detail: { stage: 'load', message: e.message } })) } catch (_) {}
})

if (!window.ruptDestination) window.ruptDestination = createFactory(runtime)
