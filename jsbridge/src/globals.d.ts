// Names esbuild defines at build time (jsbridge/build.mjs), for the type check of the shim (tsc -p jsbridge); and
// what the shim reads from the browser that TypeScript's DOM and ES
// libraries do not declare.

/** The package version, from jsbridge/package.json. */
declare const __RUPT_ACTIONS_VERSION__: string
/** The .wasm file the classic script loads (content-hashed). */
declare const __RUPT_WASM_FILE__: string
/** Subresource Integrity of the .wasm built with this bundle: `sha256-<base64>`. */
declare const __RUPT_WASM_INTEGRITY__: string
/** The contract Go prints with `go run ./wasm` (wasm/contract.go). */
declare const __RUPT_CONTRACT__: {
  ops: string[]
  pluginName: string
  factoryName: string
  cookieLastBlockingAccess: string
  cookieLastChallenge: string
  keyLastFingerprint: string
  cookieMaxAge: number
}

interface Window {
  /** The PluginFactory the classic script defines (classic.js), unless the page has one. */
  ruptDestination?: import('./plugin.js').PluginFactory
  /** analytics.js, or the snippet's stand-in; classic.js tests register before calling it. */
  analytics?: { register?: unknown }
  /** Safari's WebExtension namespace (an object named WebPageNamespace); a legacy-signals probe. */
  browser?: unknown
}

interface Navigator {
  /** User-Agent Client Hints (Chromium, secure origins only). */
  readonly userAgentData?: NavigatorUAData
}

/** User-Agent Client Hints' NavigatorUAData, as far as the legacy signals use it. */
interface NavigatorUAData {
  getHighEntropyValues(hints: string[]): Promise<Record<string, unknown>>
}

interface Element {
  /** WebKit's prefixed requestFullscreen (a legacy-signals probe for iPad). */
  webkitRequestFullscreen?: () => void
}

// The legacy signals copy the SDK's parseInt/parseFloat of numbers (the
// number is converted to a string first, as the language defines); the ES
// library declares string arguments only.
declare function parseInt(string: string | number, radix?: number): number
declare function parseFloat(string: string | number): number
