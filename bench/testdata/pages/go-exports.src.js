// The shim's binding of the WebAssembly exports (jsbridge/src/exports.js),
// as a global for the cpu page, which loads dist/rupt-actions.wasm itself.
import { bindGo } from '../../../jsbridge/src/exports.js'

window.bindGo = bindGo
