// The ES module entry (the npm package). Nothing starts at import: the WASM
// download and signal collection begin with the first plugin.
//
//   import { ruptPlugin } from 'rupt-actions-wasm'
//   analytics.register(ruptPlugin({ client_id: '…', new_account_url: '…' }))
import { loadRuntime } from './runtime.js'
import { createFactory } from './plugin.js'
import { CONTRACT } from './contract.js'

export { VERSION } from './plugin.js'

/** @typedef {import('./plugin.js').Settings} Settings */
/** @typedef {import('./plugin.js').Plugin} Plugin */
/** @typedef {import('./plugin.js').PluginFactory} PluginFactory */

/**
 * Where the package finds its WebAssembly.
 * @typedef {object} Options
 * @property {string | URL} [wasmURL] relative URLs are resolved against the page
 */

// createRuptDestination returns a Segment PluginFactory. options.wasmURL
// says where rupt-actions.wasm is hosted (default: next to this module).
/**
 * @param {Options} [options]
 * @returns {PluginFactory}
 */
export function createRuptDestination(options = {}) {
  const url = options.wasmURL
    ? new URL(options.wasmURL, location.href).href
    : new URL('./rupt-actions.wasm', import.meta.url).href
  // The download starts with the first plugin, not at import.
  /** @type {import('./runtime.js').StartRuntime | undefined} */
  let runtime
  return createFactory(() => {
    if (!runtime) runtime = loadRuntime(url)
    return runtime
  })
}

/** @type {PluginFactory | undefined} */
let shared
// ruptDestination is the PluginFactory with the default options, the same
// function the classic script puts on window.ruptDestination.
/**
 * @param {Settings | null} [settings]
 * @returns {Plugin}
 */
export function ruptDestination(settings) {
  if (!shared) shared = createRuptDestination()
  return shared(settings)
}
ruptDestination.pluginName = CONTRACT.factoryName

// ruptPlugin returns the "Rupt attach" plugin for analytics.register().
// Without subscriptions in settings, the "Attach Device" preset applies.
/**
 * @param {Settings | null} [settings]
 * @param {Options} [options]
 * @returns {Plugin}
 */
export function ruptPlugin(settings, options) {
  return options ? createRuptDestination(options)(settings) : ruptDestination(settings)
}

export default ruptDestination
