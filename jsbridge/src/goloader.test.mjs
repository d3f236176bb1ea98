// node --test jsbridge/src: goloader.js against the built .wasm (run by
// ./build.sh test after the build).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { goProgram } from './goloader.js'
import { bindGo } from './exports.js'
import { dateImport } from './dates.js'

const wasmPath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'rupt-actions.wasm')

function wasmBytes() {
  assert.ok(fs.existsSync(wasmPath), `${wasmPath} is missing: run ./build.sh build first`)
  return fs.readFileSync(wasmPath)
}

test('goloader gives exactly the Go runtime imports the .wasm makes', () => {
  const module = new WebAssembly.Module(wasmBytes())
  const wanted = WebAssembly.Module.imports(module).filter((i) => i.module === 'gojs').map((i) => i.name).sort()
  assert.deepEqual(Object.keys(goProgram([]).imports).sort(), wanted)
})

test('goloader runs the program: its calls answer, before and after its timers run', async () => {
  const go = goProgram(['rupt-actions'])
  /** @type {WebAssembly.Instance | undefined} */
  let started
  const { instance } = await WebAssembly.instantiate(wasmBytes(), { gojs: go.imports, rupt: { date: dateImport(() => /** @type {any} */ (started).exports.mem) } })
  started = instance
  go.run(instance)
  assert.equal(go.exited(), false)
  const contract = JSON.parse(
    (await import('node:child_process')).execFileSync('go', ['run', './wasm'], { cwd: path.resolve(path.dirname(wasmPath), '..'), encoding: 'utf8' }))
  const call = bindGo(/** @type {any} */ (instance.exports), contract.ops)
  const [conf] = call('configure', [], [JSON.stringify({ client_id: 'c', new_account_url: 'https://e.example/new' })])
  assert.match(conf, /^\{"id":1,/)
  // Many calls: Go yields to its scheduler now and then, and its
  // collector's timers must fire between them.
  for (let i = 0; i < 2000; i++) call('stats')
  await new Promise((resolve) => setTimeout(resolve, 50))
  const [stats] = call('stats')
  assert.ok(JSON.parse(stats).sys > 0, stats)
  assert.equal(go.exited(), false)
})
