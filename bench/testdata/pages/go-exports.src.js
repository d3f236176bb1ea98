// The shim's binding of the WebAssembly exports (jsbridge/src/exports.js)
// and its Go API over it (jsbridge/src/api.js), as globals for the cpu
// page, which loads dist/rupt-actions.wasm itself.
// bench bundles it with the contract Go prints (`go run ./wasm`) defined as
// __RUPT_CONTRACT__, as jsbridge/build.mjs does for the shim, so the page
// numbers the operations as the shim does.
import { bindGo } from '../../../jsbridge/src/exports.js'
import { CONTRACT } from '../../../jsbridge/src/contract.js'
import { bindAPI, pick } from '../../../jsbridge/src/api.js'
import { dateImport } from '../../../jsbridge/src/dates.js'

// bindGo(exports) returns call(name, ints, strings) → [json, ...texts].
window.bindGo = (exports) => bindGo(exports, CONTRACT.ops)
window.ruptContract = CONTRACT
// bindAPI(raw, exited) returns the shim's methods (configure,
// attachDevice, handleResponse, ...) over a bound call.
window.bindAPI = bindAPI
// pick(event, reads) is the part of an event the shim hands over.
window.pick = pick
// ruptImports(instance) are the imports the .wasm needs besides Go's: the
// @liquid date filters' rupt.date over the instance's memory, once
// instance.current is set.
window.ruptImports = (instance) => ({ rupt: { date: dateImport(() => instance.current.exports.mem) } })
