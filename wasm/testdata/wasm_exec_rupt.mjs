// Runs a js/wasm Go binary under Node as Go's lib/wasm/wasm_exec_node.js
// does, with the imports the shim gives rupt-actions.wasm besides Go's
// (rupt.date, jsbridge/src/dates.js). ./build.sh test runs the package's
// js/wasm tests with it:
//
//	GOOS=js GOARCH=wasm go test -exec "node --stack-size=8192 $PWD/wasm/testdata/wasm_exec_rupt.mjs" ./wasm/...
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createRequire } from 'node:module'
import { execFileSync } from 'node:child_process'
import { dateImport } from '../../jsbridge/src/dates.js'

if (process.argv.length < 3) {
  console.error('usage: node wasm_exec_rupt.mjs [wasm binary] [arguments]')
  process.exit(1)
}
const require = createRequire(import.meta.url)
globalThis.require = require
globalThis.fs = fs
globalThis.path = path
const goroot = process.env.GOROOT || execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim()
require(path.join(goroot, 'lib', 'wasm', 'wasm_exec.js'))

const go = new globalThis.Go()
go.argv = process.argv.slice(2)
go.env = { TMPDIR: os.tmpdir(), ...process.env }
go.exit = process.exit
/** @type {WebAssembly.Instance | undefined} */
let instance
const imports = { ...go.importObject, rupt: { date: dateImport(() => /** @type {any} */ (instance).exports.mem) } }
WebAssembly.instantiate(fs.readFileSync(process.argv[2]), imports).then((result) => {
  instance = result.instance
  process.on('exit', (code) => { // Node exits when no event is pending
    if (code === 0 && !go.exited) {
      // a deadlock: let Go print its error and stacks
      go._pendingEvent = { id: 0 }
      go._resume()
    }
  })
  return go.run(instance)
}).catch((err) => {
  console.error(err)
  process.exit(1)
})
