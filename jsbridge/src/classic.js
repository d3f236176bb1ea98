// Entry of dist/rupt-actions.js, a classic script. It defines
// window.ruptDestination, the Segment PluginFactory analytics.js looks for,
// and starts downloading the Go runtime at once, next to this script unless
// data-wasm-url says otherwise (the plugin compiles and starts it). With
// data-client-id it also registers itself with window.analytics (the
// script-tag install).
import { loadRuntime } from './runtime.js'
import { createFactory } from './plugin.js'

// This file runs as a classic <script> in an HTML page (an SVG <script>
// has no src: base would fall back to the page's URL).
const script = /** @type {HTMLScriptElement | null} */ (document.currentScript)
const data = (script && script.dataset) || {}
const base = (script && script.src) || location.href
// The build names the .wasm by its content hash, so it can be cached
// forever; this script keeps its own stable name.
const wasmURL = data.wasmUrl ? new URL(data.wasmUrl, location.href).href : new URL(__RUPT_WASM_FILE__, base).href
const runtime = loadRuntime(wasmURL)
const factory = createFactory(() => runtime)
if (!window.ruptDestination) window.ruptDestination = factory

if (data.clientId) registerFromScriptTag(data, factory)

// registerFromScriptTag reads the settings from the script tag's data-*
// attributes (URLs may be relative to the page) and registers the plugin
// with analytics.js, or with the snippet's queue before analytics.js loads.
/**
 * @param {DOMStringMap} data
 * @param {import('./plugin.js').PluginFactory} factory
 */
function registerFromScriptTag(data, factory) {
  /** @param {string | undefined} v */
  const url = (v) => (v ? new URL(v, location.href).href : undefined)
  /** @type {Partial<import('../index.js').RuptSettings>} */
  const settings = {
    client_id: data.clientId,
    new_account_url: url(data.newAccountUrl),
    logout_url: url(data.logoutUrl),
    success_url: url(data.successUrl),
    suspended_url: url(data.suspendedUrl),
    api_base: url(data.apiBase),
    challenge_url: url(data.challengeUrl),
    challenge_hosts: data.challengeHosts,
    debug: data.debug !== undefined && data.debug !== 'false',
  }
  for (const k of /** @type {(keyof typeof settings)[]} */ (Object.keys(settings))) if (settings[k] === undefined) delete settings[k]
  const plugin = factory(settings)
  const register = () => {
    const a = window.analytics
    if (!a || typeof a.register !== 'function') return false
    a.register(plugin)
    return true
  }
  if (register()) return
  // analytics.js (or its snippet) may come after this script.
  const retry = () => {
    if (register()) return
    const message = 'window.analytics not found: load the Segment snippet or analytics.js before the page finishes loading'
    console.error('[rupt-actions]', message)
    try { window.dispatchEvent(new CustomEvent('rupt:error', { detail: { stage: 'load', message } })) } catch (_) {}
  }
  if (document.readyState === 'complete') setTimeout(retry, 0)
  else window.addEventListener('load', retry, { once: true })
}
