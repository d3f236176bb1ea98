// Bundles the example app with esbuild into <outdir>, with the page and the
// package's rupt-actions.wasm next to the bundle (the package loads it from
// next to the module unless told otherwise).
import * as esbuild from 'esbuild'
import { copyFileSync, mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const outdir = process.argv[2]
if (!outdir) {
  console.error('usage: node build.mjs <outdir>')
  process.exit(2)
}
const here = dirname(fileURLToPath(import.meta.url))
mkdirSync(outdir, { recursive: true })
await esbuild.build({
  entryPoints: [join(here, 'src', 'main.ts')],
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2020'],
  outfile: join(outdir, 'app.js'),
  logLevel: 'warning',
})
const require = createRequire(import.meta.url)
const pkg = dirname(require.resolve('rupt-actions-wasm/package.json'))
copyFileSync(join(pkg, 'rupt-actions.wasm'), join(outdir, 'rupt-actions.wasm'))
copyFileSync(join(here, 'index.html'), join(outdir, 'index.html'))
