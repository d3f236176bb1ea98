// The ES module entry (the npm package). Nothing starts at import: the WASM
// download and signal collection begin with the first plugin.
//
//   import { ruptPlugin } from 'rupt-actions-wasm'
//   analytics.register(ruptPlugin({ client_id: '…', new_account_url: '…' }))
import { loadRuntime } from './runtime.js'
import { createFactory } from './plugin.js'

export { VERSION } from './plugin.js'

// createRuptDestination returns a Segment PluginFactory. options.wasmURL
// says where rupt-actions.wasm is hosted (default: next to this module).
export function createRuptDestination(options = {}) {
  const url = options.wasmURL
    ? new URL(options.wasmURL, location.href).href
    : new URL('./rupt-actions.wasm', import.meta.url).href
  // The download starts with the first plugin, not at import.
  let runtime
  return createFactory(() => {
    if (!runtime) runtime = loadRuntime(url)
    return runtime
  })
}

let shared
// ruptDestination is the PluginFactory with the default options, the same
// function the classic script puts on window.ruptDestination.
export function ruptDestination(settings) {
  if (!shared) shared = createRuptDestination()
  return shared(settings)
}
ruptDestination.pluginName = 'Rupt (Actions)'

// ruptPlugin returns the "Rupt attach" plugin for analytics.register().
// Without subscriptions in settings, the "Attach Device" preset applies.
export function ruptPlugin(settings, options) {
  return options ? createRuptDestination(options)(settings) : ruptDestination(settings)
}

export default ruptDestination
