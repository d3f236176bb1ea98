// jsbridge/index.d.ts, the npm package's types, is written by hand; this
// file checks it against the source (jsbridge/src, typed with JSDoc). It is
// only type-checked (tsc -p jsbridge, in ./build.sh test), never run or
// bundled.
//
// Both ways:
//  1. What index.d.ts promises, the source delivers: each export of
//     src/index.js is assignable to its declaration (so the declared
//     settings and options are accepted, and the plugin returned has every
//     declared member, with the declared types).
//  2. index.d.ts does not promise other than the source does: the declared
//     plugin is assignable to the source's, with the same members; the
//     package exports the same names; the declared options are the
//     source's.
// The script tag's settings (src/classic.js) are typed as RuptSettings in
// the source itself.
//
// One relaxation: the plugin's name and the factory's pluginName are Go's
// (wasm/contract.go, injected at build time), so the source knows them
// only as string; index.d.ts promises their values as literal types, which
// Go's tests pin (wasm/bridge_test.go, e2e/pairing_test.go). They are
// compared as strings here.
import type * as Pkg from './index.d.ts'
import * as src from './src/index.js'
import srcDefault from './src/index.js'

// Assert<T> fails to compile unless T is true.
type Assert<T extends true> = T
type Extends<A, B> = [A] extends [B] ? true : false
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false

// The declarations with Go's names widened to string.
type DeclaredPlugin = Omit<Pkg.RuptPlugin, 'name'> & { name: string }
type DeclaredFactory = ((...args: Parameters<Pkg.RuptDestinationFactory>) => DeclaredPlugin) &
  Omit<Pkg.RuptDestinationFactory, 'pluginName'> & { pluginName: string }

type SourcePlugin = ReturnType<typeof src.ruptPlugin>
type SourceOptions = NonNullable<Parameters<typeof src.createRuptDestination>[0]>

// 1. The source delivers what index.d.ts declares.
export const ruptPlugin: (...args: Parameters<typeof Pkg.ruptPlugin>) => DeclaredPlugin = src.ruptPlugin
export const createRuptDestination: (...args: Parameters<typeof Pkg.createRuptDestination>) => DeclaredFactory =
  src.createRuptDestination
export const ruptDestination: DeclaredFactory = src.ruptDestination
export const defaultExport: DeclaredFactory = srcDefault
export const VERSION: typeof Pkg.VERSION = src.VERSION

// 2. index.d.ts declares what the source does, no more and no other.
export type Checks = [
  // The same exports.
  Assert<Equal<keyof typeof Pkg, keyof typeof src>>,
  // The declared plugin is one the source returns: the same members, none
  // declared wider than the source's.
  Assert<Equal<keyof Pkg.RuptPlugin, keyof SourcePlugin>>,
  Assert<Extends<Pkg.RuptPlugin, SourcePlugin>>,
  // The factories return that plugin.
  Assert<Extends<ReturnType<Pkg.RuptDestinationFactory>, ReturnType<typeof src.ruptDestination>>>,
  Assert<Extends<ReturnType<ReturnType<typeof Pkg.createRuptDestination>>, SourcePlugin>>,
  // The options are the source's.
  Assert<Equal<keyof Pkg.RuptOptions, keyof SourceOptions>>,
  Assert<Extends<SourceOptions, Pkg.RuptOptions>>,
]
