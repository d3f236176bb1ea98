// Types of the rupt-actions-wasm package: the Rupt (Actions) destination for
// Segment's Analytics.js.

/** One Segment subscription ("mapping") of the Attach Device action. */
export interface RuptSubscription {
  name?: string
  /** FQL trigger, e.g. `type = "page"`. */
  subscribe: string
  /** Always "attach" (Attach Device). */
  partnerAction: 'attach'
  /** mapping-kit object for the fields account, email, phone, metadata, include_page. */
  mapping: Record<string, unknown>
  /**
   * The subscription runs only when this is `true`, as in Segment's runtime:
   * `false`, or anything but the boolean true (`"true"`, `1`), leaves it off.
   */
  enabled: boolean
}

/** Destination settings, as in the Segment UI, plus this bundle's own. */
export interface RuptSettings {
  /** The API client id of your Rupt project. */
  client_id: string
  /** Where a user goes to stop sharing and create an account (absolute http(s) URL). */
  new_account_url: string
  /** Where a device goes when it is logged out or removed by the owner. */
  logout_url?: string
  /** Where a user goes after verifying, within the device limit. */
  success_url?: string
  /** Where a suspended user goes (default: Rupt's suspended page). */
  suspended_url?: string
  /** Rupt's API base, default https://api.rupt.dev; a first-party proxy; http only on loopback. */
  api_base?: string
  /** Challenge page when Rupt names none, default https://challenge.rupt.dev. */
  challenge_url?: string
  /** Hosts a server-supplied challenge URL may use (default challenge.rupt.dev). */
  challenge_hosts?: string | string[]
  /** Log each step to the console with a [rupt-actions] prefix. */
  debug?: boolean
  /** Subscriptions; without them the "Attach Device" preset (type = 'page') applies. With none enabled, nothing starts. */
  subscriptions?: RuptSubscription[] | string
}

/** Where the package finds its WebAssembly. */
export interface RuptOptions {
  /** URL of rupt-actions.wasm; default: next to this module (import.meta.url). It must be this version's file: its SHA-256 is checked. */
  wasmURL?: string | URL
}

/** The "Rupt attach" plugin analytics.js runs (a Segment destination plugin). */
export interface RuptPlugin {
  name: 'Rupt attach'
  type: 'destination'
  version: string
  isLoaded(): boolean
  load(ctx: any, analytics: any): Promise<void>
  page(ctx: any): any
  track(ctx: any): any
  identify(ctx: any): any
  group(ctx: any): any
  alias(ctx: any): any
  screen(ctx: any): any
  /** Detach this device from the account it was attached to (also done on analytics.reset()). Resolves true when a device was detached. */
  detach(): Promise<boolean>
  /**
   * The Go runtime's memory (bytes) and completed garbage collections, for tests and debugging;
   * `{}` when no subscription is enabled (Go never starts).
   */
  stats(): Promise<{ sys: number; heap_alloc: number; num_gc: number; next_gc: number } | { error: string } | Record<string, never>>
}

/** A Segment PluginFactory, as analytics.js loads from CDN settings. */
export interface RuptDestinationFactory {
  (settings: RuptSettings): RuptPlugin
  pluginName: 'Rupt (Actions)'
}

/** The PluginFactory with default options (window.ruptDestination in the script build). */
export declare const ruptDestination: RuptDestinationFactory
export default ruptDestination

/** A PluginFactory with its own options (e.g. where the .wasm is hosted). */
export declare function createRuptDestination(options?: RuptOptions): RuptDestinationFactory

/** The plugin to pass to analytics.register(). */
export declare function ruptPlugin(settings: RuptSettings, options?: RuptOptions): RuptPlugin

/** This package's version. */
export declare const VERSION: string

/** detail of the rupt:attached DOM event (no personal data). */
export interface RuptAttachedDetail {
  device_id?: string
  attached_devices?: string
  default_device_limit?: string
}
/** detail of the rupt:limit-exceeded DOM event. */
export type RuptLimitExceededDetail = RuptAttachedDetail
/** detail of the rupt:redirect DOM event, dispatched just before navigating. */
export interface RuptRedirectDetail {
  reason: 'suspended' | 'logout' | 'challenge'
}
/** detail of the rupt:error DOM event. */
export interface RuptErrorDetail {
  stage: 'load' | 'configure' | 'event' | 'attach' | 'live' | 'detach' | string
  message: string
}

declare global {
  interface WindowEventMap {
    'rupt:attached': CustomEvent<RuptAttachedDetail>
    'rupt:limit-exceeded': CustomEvent<RuptLimitExceededDetail>
    'rupt:redirect': CustomEvent<RuptRedirectDetail>
    'rupt:error': CustomEvent<RuptErrorDetail>
  }
}
