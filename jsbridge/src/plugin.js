// The Segment plugin: analytics.js hands it events; Go decides what they
// mean; this file performs what Go decided (fetch, cookies, DOM events,
// EventSource, navigation).
import { readCookie, writeCookie, lastFingerprint, storeFingerprint, fingerprintSignals, legacySignals } from './device.js'
import { CONTRACT } from './contract.js'

/** @typedef {import('./runtime.js').GoAPI} GoAPI */
/** @typedef {import('./runtime.js').StartRuntime} StartRuntime */
/** @typedef {import('./runtime.js').Outcome} Outcome */
/** @typedef {import('./runtime.js').GoRequest} GoRequest */
/** @typedef {import('./runtime.js').AttachRequest} AttachRequest */
/** @typedef {import('./runtime.js').GoStats} GoStats */
/** @typedef {import('./runtime.js').GoError} GoError */

/**
 * The destination settings analytics.js hands the factory (Segment's CDN
 * settings, or the page's own object): Go validates them all
 * (action/settings.go); the shim itself reads only these two, and takes
 * them as it finds them. index.d.ts's RuptSettings says what to pass.
 * @typedef {object} Settings
 * @property {unknown} [debug]
 * @property {unknown} [subscriptions]
 */

/**
 * analytics.js's Context, with the Segment event as ctx.event. Its shape
 * is analytics.js's (and the event is the page's): the shim hands the
 * event to Go as it is and returns ctx unchanged, so it is any on purpose.
 * @typedef {any} Context
 */

/**
 * analytics.js's Analytics instance, as a plugin's load() receives it: the
 * shim uses on() and user() where they exist, testing each first.
 * @typedef {{ on?: unknown, user?: unknown } | null | undefined} Analytics
 */

/**
 * The "Rupt attach" destination plugin analytics.js runs. index.d.ts
 * declares it for users as RuptPlugin (jsbridge/types-check.ts checks the
 * two agree).
 * @typedef {object} Plugin
 * @property {string} name
 * @property {'destination'} type
 * @property {string} version
 * @property {() => boolean} isLoaded
 * @property {(ctx: Context, analytics: Analytics) => Promise<void>} load
 * @property {() => Promise<boolean>} detach resolves true when a device was detached
 * @property {() => Promise<GoStats | GoError | Record<string, never>>} stats {} when the plugin is inert (Go never starts)
 * @property {(ctx: Context) => Context} page
 * @property {(ctx: Context) => Context} track
 * @property {(ctx: Context) => Context} identify
 * @property {(ctx: Context) => Context} group
 * @property {(ctx: Context) => Context} alias
 * @property {(ctx: Context) => Context} screen
 */

/**
 * A Segment PluginFactory: settings in, plugin out.
 * @typedef {{ (settings?: Settings | null): Plugin, pluginName: string }} PluginFactory
 */

/**
 * Rupt's answer to a request: status 0 when there was none (error says why).
 * @typedef {object} Answer
 * @property {number} status
 * @property {string} body
 * @property {string} [retryAfter] the Retry-After header
 * @property {string} [error]
 */

export const VERSION = __RUPT_ACTIONS_VERSION__
const PLUGIN_NAME = CONTRACT.pluginName
const FACTORY_NAME = CONTRACT.factoryName

/** @param {unknown} u */
const isHTTP = (u) => typeof u === 'string' && /^https?:\/\//i.test(u)

// REQUEST_TIMEOUT_MS bounds every request to Rupt; no answer in time counts
// as a network failure (Go decides on retries).
const REQUEST_TIMEOUT_MS = 10000

// request sends req and reads the whole answer within the timeout: a server
// that sends headers and then stalls the body counts as no answer too.
// It resolves { status, body, retryAfter }, status 0 when there is no
// complete answer; it never rejects.
/**
 * @param {GoRequest} req
 * @param {RequestInit} [extra]
 * @returns {Promise<Answer>}
 */
async function request(req, extra) {
  const abort = typeof AbortController === 'function' ? new AbortController() : null
  const timer = abort && setTimeout(() => abort.abort(), REQUEST_TIMEOUT_MS)
  try {
    const res = await fetch(req.url, {
      method: req.method, headers: req.headers, body: req.body,
      mode: 'cors', cache: 'no-cache', credentials: 'omit',
      signal: abort ? abort.signal : undefined,
      ...extra,
    })
    // A body cut short (or never finished) throws here: no answer.
    const body = await res.text()
    return { status: res.status, body, retryAfter: res.headers.get('Retry-After') || undefined }
  } catch (e) {
    return { status: 0, body: '', error: /** @type {string | undefined} */ (e && /** @type {Error} */ (e).message) }
  } finally {
    clearTimeout(/** @type {number | undefined} */ (timer)) // null (no AbortController) clears nothing
  }
}

/**
 * @param {string} type
 * @param {unknown} detail
 */
function emit(type, detail) {
  try {
    window.dispatchEvent(new CustomEvent(type, { detail }))
  } catch (_) { /* never break the page */ }
}

// A setting problem turns the destination off, so it is said out loud
// (debug or not), once per problem per page however many plugins share it.
/** @type {Set<string>} */
const reported = new Set()
/** @param {string} message */
function reportProblem(message) {
  if (reported.has(message)) return
  reported.add(message)
  try { console.error('[rupt-actions]', message) } catch (_) { /* never break the page */ }
}

// attachEnabled tells from the settings alone, before Go is started,
// whether any subscription can attach: Segment's runtime runs a
// subscription only when its enabled is true. Settings Go must judge (a
// malformed list) count as enabled, so that Go starts and reports them.
/**
 * @param {Settings} settings
 * @returns {boolean}
 */
export function attachEnabled(settings) {
  let subs = settings.subscriptions
  if (subs === undefined) return true // the Attach Device preset
  if (typeof subs === 'string') {
    try { subs = JSON.parse(subs) } catch (_) { return true }
  }
  if (!Array.isArray(subs)) return true
  return subs.some((s) => s !== null && typeof s === 'object' && s.enabled === true && s.partnerAction === 'attach')
}

// signedIn reports whether analytics.js knows the user: then collecting the
// device's signals may start before the first attach.
/**
 * @param {Analytics} analytics
 * @returns {boolean}
 */
function signedIn(analytics) {
  try {
    const id = analytics && typeof analytics.user === 'function' ? analytics.user().id() : null
    return (typeof id === 'string' && id !== '') || typeof id === 'number'
  } catch (_) {
    return false
  }
}

// createFactory returns a Segment PluginFactory. runtime() returns the
// function loadRuntime made (its download started at script load for the
// classic script, with the first plugin for the ES module); calling that
// function compiles and starts Go, which each plugin does when the page
// is idle or an event needs Go.
/**
 * @param {() => StartRuntime} runtime
 * @returns {PluginFactory}
 */
export function createFactory(runtime) {
  const device = deviceSignals(() => runtime().bytesRead())
  /** @param {Settings | null} [settings] */
  const factory = (settings) => createPlugin(settings || {}, runtime(), device)
  factory.pluginName = FACTORY_NAME
  return factory
}

// deviceSignals collects the device's signals once per document, and
// only for a signed-in visitor: nothing is collected until analytics.js
// knows the user or an event attaches. Every page() of a single-page app
// reuses them; the site's logout (analytics.reset()) drops them.
//
// The two collections run side by side, each starting in a task of its
// own: both mostly wait (an iframe's load, audio rendering, user-agent
// hints), so their waits overlap, and their short synchronous steps never
// add up to a long task.
//
// They start once the runtime has the .wasm's bytes in hand, or after
// READ_WAIT_MS, whichever comes first. Copying the bytes out of the
// browser (runtime.js's bodyReader) takes 30-40 ms on an idle desktop
// CPU but 250-330 ms while the collectors load the machine, and Go's
// start waits for it: in the bench at 1x CPU, waiting for the copy
// brought the first attach about 300 ms sooner
// (bench/results/2026-12-06-early-bytes.md). Where the copy takes longer
// (a slower CPU, a download not over), the collectors wait no longer
// than READ_WAIT_MS.
/**
 * The device's signals as collected: the legacy signals object's JSON, and
 * @ruptjs/fingerprint's muted signals' JSON or why they are missing.
 * @typedef {{ muted: string | { error: string }, legacy: string }} Signals
 */

/**
 * @typedef {object} Device
 * @property {() => Promise<Signals>} start starts collecting (once per document)
 * @property {(api: GoAPI) => Promise<string | null>} handOver gives Go the signals; resolves to the problems met, or null
 * @property {() => void} forget drops them (the site's logout)
 */

/**
 * @param {() => Promise<void>} bytesRead resolves once the runtime has the .wasm's bytes
 * @returns {Device}
 */
function deviceSignals(bytesRead) {
  /** @type {Promise<Signals> | undefined} */
  let signals
  /** @type {Promise<string | null> | undefined} */
  let handed
  let generation = 0
  const start = () => {
    if (!signals) {
      const ready = within(bytesRead(), READ_WAIT_MS)
      const muted = ready.then(nextTask).then(fingerprintSignals).catch((e) => ({ error: e.message }))
      const legacy = ready.then(nextTask).then(nextTask).then(legacySignals).then((s) => JSON.stringify(s))
      signals = Promise.all([muted, legacy]).then(([m, l]) => ({ muted: m, legacy: l }))
    }
    return signals
  }
  // handOver gives Go the signals (Go hashes the fingerprint and keeps
  // both for every attach), once per Go runtime and collection; it
  // resolves to the problems met, or null.
  /** @param {GoAPI} api */
  const handOver = (api) => {
    if (!handed) {
      const gen = generation
      handed = start().then(async ({ muted, legacy }) => {
        await nextTask()
        if (gen !== generation) return null // the site logged out meanwhile
        const res = api.deviceSignals(legacy, typeof muted === 'string' ? muted : '')
        // muted is the JSON text, or { error }: a string has no error.
        const problems = [/** @type {{ error?: string }} */ (muted).error, res.error].filter(Boolean)
        return problems.length ? problems.join('; ') : null
      })
    }
    return handed
  }
  const forget = () => {
    generation++
    signals = handed = undefined
  }
  return { start, handOver, forget }
}

// now is the time on this document's monotonic clock, in milliseconds.
const now = () => (typeof performance !== 'undefined' && performance.now ? performance.now() : Date.now())

// inertPlugin is the plugin for settings with no enabled subscription: it
// passes every event through and starts nothing (no WebAssembly compile,
// no signal collection, no request).
/** @returns {Plugin} */
function inertPlugin() {
  /** @param {Context} ctx */
  const pass = (ctx) => ctx
  return {
    name: PLUGIN_NAME,
    type: 'destination',
    version: VERSION,
    isLoaded: () => true,
    load: () => Promise.resolve(),
    detach: () => Promise.resolve(false),
    stats: () => Promise.resolve({}),
    page: pass,
    track: pass,
    identify: pass,
    group: pass,
    alias: pass,
    screen: pass,
  }
}

// whenIdle runs fn when the main thread is next idle (at the latest after
// a second), or soon where requestIdleCallback is missing (Safari).
/** @param {() => void} fn */
function whenIdle(fn) {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(() => fn(), { timeout: 1000 })
  else setTimeout(fn, 50)
}

// READ_WAIT_MS is the longest the signal collectors wait for the runtime
// to read the .wasm's bytes (see deviceSignals).
const READ_WAIT_MS = 50

// within resolves when p settles or after ms, whichever comes first.
/**
 * @param {Promise<unknown>} p
 * @param {number} ms
 * @returns {Promise<void>}
 */
function within(p, ms) {
  return new Promise((resolve) => {
    setTimeout(resolve, ms)
    p.then(() => resolve(), () => resolve())
  })
}

// nextTask resolves in a new task, letting the page run in between.
/** @returns {Promise<void>} */
function nextTask() {
  return new Promise((resolve) => setTimeout(resolve, 0))
}

/**
 * @param {Settings} settings
 * @param {StartRuntime} startRuntime
 * @param {Device} device
 * @returns {Plugin}
 */
function createPlugin(settings, startRuntime, device) {
  const debug = settings.debug === true
  /** @param {...unknown} args */
  const log = (...args) => { if (debug) console.log('[rupt-actions]', ...args) }
  if (!attachEnabled(settings)) {
    log('no enabled subscription: not starting')
    return inertPlugin()
  }
  /** @type {EventSource | null} */
  let source = null // the live channel

  // Go starts (compile, run, configure) when the page is next idle or at
  // the first event, whichever comes first: compiling and Go's start are
  // CPU work that would otherwise delay the page's own scripts, analytics.js
  // delivering its first events among them.
  /** @type {Promise<{ api: GoAPI, id: number }> | undefined} */
  let started
  // A runtime that cannot start (a refused .wasm, say) was reported once
  // already, with its console.error and a rupt:error at the load stage:
  // the configuration and the events that then fail with it add none.
  /** @type {WeakSet<object>} */
  const reported = new WeakSet()
  const ready = () => {
    if (!started) {
      started = configure()
      started.catch((e) => {
        log('configuration failed:', e.message)
        if (!reported.has(e)) emit('rupt:error', { stage: 'configure', message: e.message })
      })
    }
    return started
  }
  const configure = async () => {
    /** @type {GoAPI} */
    let api
    try {
      api = await startRuntime()
    } catch (e) {
      if (e && typeof e === 'object') reported.add(e)
      throw e
    }
    await nextTask() // the Go runtime just started in this task
    const conf = api.configure(settings)
    if (conf.error) {
      // One line per setting (Go joins them with newlines).
      for (const line of conf.error.split('\n')) reportProblem(`${line}; Rupt (Actions) is off until it is fixed`)
      throw new Error(conf.error)
    }
    for (const p of conf.problems || []) {
      reportProblem(`subscription "${p.subscription}" skipped: ${p.error}`)
      emit('rupt:error', { stage: 'configure', message: `${p.subscription}: ${p.error}` })
    }
    if (conf.version !== VERSION) {
      // A cached .wasm from another release: it works, but say so.
      const message = `rupt-actions.wasm is version ${conf.version}, rupt-actions.js is ${VERSION}: serve both from the same release`
      log(message)
      emit('rupt:error', { stage: 'load', message })
    }
    log('configured;', conf.active, 'attach subscription(s) active')
    return { api, id: conf.id }
  }
  whenIdle(() => { ready().catch(() => {}) })

  /**
   * @param {GoAPI} api
   * @param {number} id the destination
   * @param {Outcome} o
   */
  const perform = (api, id, o) => {
    for (const c of o.cookies || []) writeCookie(c.name, c.value, c.max_age)
    if (o.store_fingerprint) storeFingerprint(o.store_fingerprint)
    for (const e of o.events || []) emit(e.type, e.detail)
    if (o.error) log('error:', o.error)
    if (o.navigate) {
      if (!isHTTP(o.navigate)) return // Go checks this too; never trust one check
      log('navigating:', o.reason)
      window.location.assign(o.navigate)
      return
    }
    if (o.listen) listen(api, id, o.listen)
  }

  // listen keeps one live channel: the same device's channel stays open
  // across attaches (EventSource reconnects by itself); a new one replaces it.
  /**
   * @param {GoAPI} api
   * @param {number} id the destination
   * @param {string} url
   */
  const listen = (api, id, url) => {
    if (typeof EventSource === 'undefined') return
    if (source && source.url === new URL(url, location.href).href && source.readyState !== 2) return
    if (source) source.close()
    log('live channel open')
    source = new EventSource(url)
    source.onmessage = (msg) => perform(api, id, api.handleLive(id, String(msg.data), location.href))
  }

  // send performs one attach Go built, with a timeout, and hands Rupt's
  // answer (status 0 when there is none) back to Go by the attach's id; Go
  // may ask for a retry. Retries run outside the event queue.
  /**
   * @param {GoAPI} api
   * @param {number} id the destination
   * @param {AttachRequest} req
   * @returns {Promise<void>}
   */
  const send = async (api, id, req) => {
    const { status, body, retryAfter, error } = await request(req)
    if (error) log('attach failed:', error)
    log('attach answered', status || '(no answer)')
    const o = api.handleResponse(id, req.id, status, body, retryAfter)
    if (o.retry_in) {
      log(`${o.error}; retry in ${o.retry_in} ms`)
      setTimeout(() => { send(api, id, req) }, o.retry_in)
      return
    }
    perform(api, id, o)
  }

  // detach is the site's logout: close the live channel and detach the
  // device Go remembers, after the events already queued.
  const detach = () => {
    const done = queue.then(async () => {
      const { api, id } = await ready()
      if (source) {
        source.close()
        source = null
      }
      const res = api.detach(id)
      // Go dropped the signals with the device: the gate is closed until
      // the next sign-in.
      device.forget()
      if (res.error) throw new Error(res.error)
      if (!res.request) return false
      log('detaching this device')
      const answer = await request(res.request, { keepalive: true })
      log('detach answered', answer.status || '(no answer)')
      if (answer.status < 200 || answer.status > 299) {
        throw new Error(`the detach got ${answer.status ? `HTTP ${answer.status}` : 'no answer'}`)
      }
      return true
    })
    queue = done.catch((e) => {
      log('detach failed:', e.message)
      emit('rupt:error', { stage: 'detach', message: e.message })
    })
    return done.catch(() => false)
  }

  // Events are processed one after another, in the order analytics.js
  // delivered them; the page location and time are captured on arrival.
  /** @type {Promise<unknown>} */
  let queue = Promise.resolve()
  let warned = false
  let cold = true
  /**
   * @param {Context} ctx
   * @returns {Context}
   */
  const handle = (ctx) => {
    const event = ctx && ctx.event
    const arrived = { path: location.pathname, url: location.href, at: now() }
    // A signed-in user's event will likely attach, and the signals are on
    // its critical path: start collecting them now, while Go compiles and
    // starts, not after. An anonymous visitor's event starts nothing.
    if (event && ((typeof event.userId === 'string' && event.userId !== '') || typeof event.userId === 'number')) device.start()
    queue = queue.then(async () => {
      const { api, id } = await ready()
      const context = {
        ...arrived,
        last_fingerprint: lastFingerprint(),
        last_blocking_access: readCookie(CONTRACT.cookieLastBlockingAccess),
        last_challenge: readCookie(CONTRACT.cookieLastChallenge),
      }
      if (cold) {
        cold = false
        await nextTask() // the first Go calls are slow: one per task
      }
      let ev = api.attachDevice(id, event, context)
      if (ev.needs_device) {
        // The first event that attaches: collect the signals, then ask again.
        const problem = await device.handOver(api)
        if (problem && !warned) {
          warned = true
          log('device signals incomplete:', problem)
        }
        ev = api.attachDevice(id, event, context)
        if (ev.needs_device) return log('not attaching: the device signals were dropped (the site logged out)')
      }
      if (ev.error) throw new Error(ev.error)
      if (ev.outcome) return perform(api, id, ev.outcome)
      for (const p of ev.problems || []) emit('rupt:error', { stage: 'event', message: `${p.subscription}: ${p.error}` })
      for (const s of ev.skipped || []) log('not attaching:', s.error)
      await Promise.all((ev.requests || []).map((r) => {
        log('attaching for', r.subscription)
        return send(api, id, r)
      }))
    }).catch((e) => {
      log('error:', e.message)
      if (!reported.has(e)) emit('rupt:error', { stage: 'event', message: e.message })
    })
    return ctx
  }

  return {
    name: PLUGIN_NAME,
    type: 'destination',
    version: VERSION,
    isLoaded: () => true,
    // analytics.reset() is the site's logout: detach this device then.
    load: (_ctx, analytics) => {
      if (analytics && typeof analytics.on === 'function') analytics.on('reset', () => { detach() })
      // A returning signed-in user: collect while the page is idle, so the
      // first attach does not wait for it.
      if (signedIn(analytics)) whenIdle(device.start)
      return Promise.resolve()
    },
    detach,
    // stats reports the Go runtime's memory, for tests and debugging.
    stats: async () => {
      const { api } = await ready()
      return api.stats()
    },
    page: handle,
    track: handle,
    identify: handle,
    group: handle,
    alias: handle,
    screen: handle,
  }
}
