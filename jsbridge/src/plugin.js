// The Segment plugin: analytics.js hands it events; Go decides what they
// mean; this file performs what Go decided (fetch, cookies, DOM events,
// EventSource, navigation).
import {
  readCookie, writeCookie, lastFingerprint, storeFingerprint, fingerprintSignals, legacySignals,
  COOKIE_LAST_BLOCKING_ACCESS, COOKIE_LAST_CHALLENGE,
} from './device.js'

export const VERSION = __RUPT_ACTIONS_VERSION__
const PLUGIN_NAME = 'Rupt attach'
const FACTORY_NAME = 'Rupt (Actions)'

const isHTTP = (u) => typeof u === 'string' && /^https?:\/\//i.test(u)

// REQUEST_TIMEOUT_MS bounds every request to Rupt; no answer in time counts
// as a network failure (Go decides on retries).
const REQUEST_TIMEOUT_MS = 10000

// request sends req and reads the whole answer within the timeout: a server
// that sends headers and then stalls the body counts as no answer too.
// It resolves { status, body, retryAfter }, status 0 when there is no
// complete answer; it never rejects.
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
    return { status: 0, body: '', error: e && e.message }
  } finally {
    clearTimeout(timer)
  }
}

function emit(type, detail) {
  try {
    window.dispatchEvent(new CustomEvent(type, { detail }))
  } catch (_) { /* never break the page */ }
}

// createFactory returns a Segment PluginFactory. runtime() returns the
// function loadRuntime made (its download started at script load for the
// classic script, with the first plugin for the ES module); calling that
// function compiles and starts Go, which each plugin does when the page
// is idle or an event needs Go.
export function createFactory(runtime) {
  // Device signals are collected once per document, in parallel with the
  // WASM download; every page() of a single-page app reuses them. The two
  // collections run side by side, each starting in a task of its own:
  // both mostly wait (an iframe's load, audio rendering, user-agent
  // hints), so their waits overlap, and their short synchronous steps
  // never add up to a long task. Collecting is main-thread work (fonts
  // are measured in an iframe), so it starts when the page is next idle,
  // letting the page's scripts and analytics.js's first deliveries go
  // first, or at the first event that needs the signals, whichever comes
  // first.
  let signals
  const startSignals = () => {
    if (!signals) {
      const muted = nextTask().then(fingerprintSignals).catch((e) => ({ error: e.message }))
      const legacy = nextTask().then(nextTask).then(legacySignals).then((s) => JSON.stringify(s))
      signals = Promise.all([muted, legacy]).then(([m, l]) => ({ muted: m, legacy: l }))
    }
    return signals
  }
  // Go hashes the fingerprint and keeps both for every attach; once per
  // Go runtime.
  let handed
  const device = (api) => {
    if (!handed) {
      handed = startSignals().then(async ({ muted, legacy }) => {
        await nextTask()
        const res = api.deviceSignals(legacy, typeof muted === 'string' ? muted : '')
        const problems = [muted.error, res.error].filter(Boolean)
        return problems.length ? problems.join('; ') : null
      })
    }
    return handed
  }

  const factory = (settings) => {
    whenIdle(startSignals)
    return createPlugin(settings || {}, runtime(), startSignals, device)
  }
  factory.pluginName = FACTORY_NAME
  return factory
}

// whenIdle runs fn when the main thread is next idle (at the latest after
// a second), or soon where requestIdleCallback is missing (Safari).
function whenIdle(fn) {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(() => fn(), { timeout: 1000 })
  else setTimeout(fn, 50)
}

// nextTask resolves in a new task, letting the page run in between.
function nextTask() {
  return new Promise((resolve) => setTimeout(resolve, 0))
}

function createPlugin(settings, startRuntime, startSignals, deviceSignals) {
  const debug = settings.debug === true
  const log = (...args) => { if (debug) console.log('[rupt-actions]', ...args) }
  let source = null // the live channel

  // Go starts (compile, run, configure) when the page is next idle or at
  // the first event, whichever comes first: compiling and Go's start are
  // CPU work that would otherwise delay the page's own scripts, analytics.js
  // delivering its first events among them.
  let started
  const ready = () => {
    if (!started) {
      started = configure()
      started.catch((e) => {
        log('configuration failed:', e.message)
        emit('rupt:error', { stage: 'configure', message: e.message })
      })
    }
    return started
  }
  const configure = async () => {
    const api = await startRuntime()
    await nextTask() // the Go runtime just started in this task
    const conf = api.configure(settings)
    if (conf.error) throw new Error(conf.error)
    for (const p of conf.problems || []) {
      log('subscription skipped:', p.subscription, p.error)
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
  const listen = (api, id, url) => {
    if (typeof EventSource === 'undefined') return
    if (source && source.url === new URL(url, location.href).href && source.readyState !== 2) return
    if (source) source.close()
    log('live channel open')
    source = new EventSource(url)
    source.onmessage = (msg) => perform(api, id, api.handleLive(id, String(msg.data), location.href))
  }

  // send performs one request Go built, with a timeout, and hands the
  // answer (status 0 when there is none) back to Go, which may ask for a
  // retry. Retries run outside the event queue.
  const send = async (api, id, req, attempt = 0) => {
    const { status, body, retryAfter, error } = await request(req)
    if (error) log('attach failed:', error)
    log('attach answered', status || '(no answer)')
    const o = api.handleResponse(id, { ...req.context, attempt, retry_after: retryAfter }, status, body)
    if (o.retry_in) {
      log(`${o.error}; retry ${attempt + 1} in ${o.retry_in} ms`)
      setTimeout(() => { send(api, id, req, attempt + 1) }, o.retry_in)
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
  // delivered them; the page location is captured on arrival.
  let queue = Promise.resolve()
  let warned = false
  let cold = true
  const handle = (ctx) => {
    const event = ctx && ctx.event
    const arrived = { path: location.pathname, url: location.href }
    // The signals are on this event's critical path: start collecting
    // them now, while Go compiles and starts, not after.
    startSignals()
    queue = queue.then(async () => {
      const { api, id } = await ready()
      const device = {
        ...arrived,
        last_fingerprint: lastFingerprint(),
        last_blocking_access: readCookie(COOKIE_LAST_BLOCKING_ACCESS),
        last_challenge: readCookie(COOKIE_LAST_CHALLENGE),
      }
      const problem = await deviceSignals(api)
      if (problem && !warned) {
        warned = true
        log('device signals incomplete:', problem)
      }
      if (cold) {
        cold = false
        await nextTask() // the first Go calls are slow: one per task
      }
      const ev = api.attachDevice(id, event, device)
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
      emit('rupt:error', { stage: 'event', message: e.message })
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
