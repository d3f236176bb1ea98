// Builds the browser bundle into dist/ with esbuild:
//   dist/rupt-actions.js   classic script defining window.ruptDestination
//   dist/rupt-actions.mjs  ES module exporting the factory and ruptPlugin()
//   dist/wasm_exec.js      Go's loader, copied as shipped (for pages that load
//                          the .wasm themselves; the bundles use goloader.js)
// The Go side (dist/rupt-actions.wasm) is built by build.sh.
//
// Usage: node jsbridge/build.mjs <goroot> <outdir> <version> [wasm file name]
// The classic script loads the .wasm by the given name (build.sh passes the
// content-hashed one); the ES module always looks for rupt-actions.wasm.
// <outdir>/<wasm file name> must exist: its SHA-256 is built into both.
import * as esbuild from 'esbuild'
import { readFileSync, copyFileSync, mkdirSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { execFileSync } from 'node:child_process'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'

const [goroot, outdir, version, wasmFile = 'rupt-actions.wasm'] = process.argv.slice(2)
if (!goroot || !outdir || !version) {
  console.error('usage: node jsbridge/build.mjs <goroot> <outdir> <version>')
  process.exit(2)
}
const here = dirname(fileURLToPath(import.meta.url))
const wasmExecPath = join(goroot, 'lib', 'wasm', 'wasm_exec.js')

// noParcelGlobalPlugin keeps @ruptjs/fingerprint (built with Parcel) from
// leaving its module registry on the page as window.parcelRequire1f47: the
// registry object it would store on the global object becomes a private one.
const PARCEL_GLOBAL = /\$parcel\$global="undefined"!=typeof globalThis\?globalThis:"undefined"!=typeof self\?self:"undefined"!=typeof window\?window:"undefined"!=typeof global\?global:\{\}/g
const noParcelGlobalPlugin = {
  name: 'no-parcel-global',
  setup(build) {
    build.onLoad({ filter: /[\\/]@ruptjs[\\/]fingerprint[\\/].*\.m?js$/ }, (args) => {
      const src = readFileSync(args.path, 'utf8')
      const count = (src.match(PARCEL_GLOBAL) || []).length
      if (count !== 1) {
        throw new Error(`${args.path}: expected one Parcel global lookup, found ${count}: @ruptjs/fingerprint changed, update jsbridge/build.mjs`)
      }
      return { contents: src.replace(PARCEL_GLOBAL, '$parcel$global={}'), loader: 'js' }
    })
  },
}

// The contract with Go (wasm/contract.go): Go decides the operation table
// and the names both sides use, and prints them when built for the host.
const contract = JSON.parse(execFileSync(join(goroot, 'bin', 'go'), ['run', './wasm'], { cwd: join(here, '..'), encoding: 'utf8' }))

mkdirSync(outdir, { recursive: true })
// Both bundles carry the SHA-256 of the .wasm built beside them (the hashed
// copy and rupt-actions.wasm have the same bytes), as a Subresource
// Integrity string: the shim checks it with WebCrypto, or has fetch check
// it (src/runtime.js); another build's .wasm is refused, never run.
const wasmIntegrity = 'sha256-' + createHash('sha256').update(readFileSync(join(outdir, wasmFile))).digest('base64')
const common = {
  bundle: true,
  minify: true,
  legalComments: 'none',
  target: ['es2020'],
  define: { __RUPT_ACTIONS_VERSION__: JSON.stringify(version), __RUPT_CONTRACT__: JSON.stringify(contract), __RUPT_WASM_INTEGRITY__: JSON.stringify(wasmIntegrity) },
  plugins: [noParcelGlobalPlugin],
  logLevel: 'warning',
}
await esbuild.build({
  ...common,
  define: { ...common.define, __RUPT_WASM_FILE__: JSON.stringify(wasmFile) },
  entryPoints: [join(here, 'src', 'classic.js')],
  format: 'iife',
  outfile: join(outdir, 'rupt-actions.js'),
})
await esbuild.build({
  ...common,
  entryPoints: [join(here, 'src', 'index.js')],
  format: 'esm',
  outfile: join(outdir, 'rupt-actions.mjs'),
})
copyFileSync(wasmExecPath, join(outdir, 'wasm_exec.js'))
