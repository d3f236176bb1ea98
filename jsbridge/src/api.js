// The Go API's methods over a bound call (exports.js's bindGo): what the
// shim calls for each decision, with JS values in and parsed answers out.
// Kept apart from runtime.js (which loads and starts the .wasm) so that the
// bench's cpu page measures this very code.

/** @typedef {import('./runtime.js').GoAPI} GoAPI */
/** @typedef {import('./runtime.js').Configured} Configured */
/** @typedef {import('./runtime.js').Evaluation} Evaluation */
/** @typedef {import('./runtime.js').Outcome} Outcome */
/** @typedef {import('./runtime.js').Detached} Detached */
/** @typedef {import('./runtime.js').SignalsTaken} SignalsTaken */
/** @typedef {import('./runtime.js').GoStats} GoStats */
/** @typedef {import('./runtime.js').GoError} GoError */
/** @typedef {import('./runtime.js').DeviceContext} DeviceContext */

/** @typedef {import('./runtime.js').Reads} Reads */
/** @typedef {import('./runtime.js').AttachHead} AttachHead */

/** @typedef {'last_fingerprint' | 'last_blocking_access' | 'last_challenge'} StoredKey */
/** @type {readonly StoredKey[]} */
const STORED_KEYS = ['last_fingerprint', 'last_blocking_access', 'last_challenge']

// pick is the part of v that reads names, for JSON.stringify: of a plain
// object, the own enumerable members reads names (1: whole, otherwise
// their part); any other value whole (arrays, Dates and other objects
// with a toJSON or a class). Go then reads a few hundred bytes of an
// event instead of all of it (the user agent, library, ids and the
// rest), and sees no more of the visitor's data than it uses.
/**
 * @param {unknown} v
 * @param {1 | Reads} reads
 * @returns {unknown}
 */
export function pick(v, reads) {
  if (reads === 1 || v === null || typeof v !== 'object') return v
  const proto = Object.getPrototypeOf(v)
  if ((proto !== Object.prototype && proto !== null) || typeof (/** @type {{toJSON?: unknown}} */ (v)).toJSON === 'function') return v
  /** @type {Record<string, unknown>} */
  const out = Object.create(null) // a "__proto__" key is then a plain member
  for (const k in reads) {
    if (Object.prototype.propertyIsEnumerable.call(v, k)) out[k] = pick(/** @type {Record<string, unknown>} */ (v)[k], reads[k])
  }
  return out
}

// bindAPI wraps a bound call in the Go API's methods. It keeps what the
// shim and Go share between calls: the storage values Go has a copy of,
// and the device's members text the bodies are joined around.
/**
 * @param {import('./exports.js').GoCall} raw
 * @param {() => boolean} exited whether the Go program has ended
 * @returns {GoAPI}
 */
export function bindAPI(raw, exited) {
  // call runs one operation and parses its JSON answer; the texts after
  // it (request bodies) come back as they are. The answer is Go's JSON
  // (or {error}), typed by the method that asked for it.
  /**
   * @param {string} name
   * @param {number[]} ints
   * @param {string[]} strings
   * @returns {[unknown, string[]]}
   */
  const call = (name, ints, strings) => {
    if (exited()) return [{ error: 'the Go runtime has exited; reload the page' }, []]
    try {
      const [json, ...texts] = raw(name, ints, strings)
      return [JSON.parse(json), texts]
    } catch (e) {
      return [{ error: `${name}: ${e && /** @type {Error} */ (e).message}` }, []]
    }
  }
  /**
   * @param {string} name
   * @param {number[]} ints
   * @param {string[]} strings
   */
  const answer = (name, ints, strings) => call(name, ints, strings)[0]
  // Go keeps a copy of the values Rupt's SDK keeps in the device's
  // storage (action.DeviceState): a device context carries one only when
  // it differs from the one sent before (undefined as null, which
  // clears Go's copy), so that the 2 KB last fingerprint crosses once,
  // not with every event. sent is what Go has.
  /** @type {Partial<Record<StoredKey, string | undefined>>} */
  let sent = {}
  // The device's members text Go last sent (the signals and the
  // fingerprints that every attach body carries), by its number.
  let members = { version: 0, text: '' }
  /** @param {DeviceContext} device */
  const contextText = (device) => {
    /** @type {Record<string, unknown>} */
    const context = { path: device.path, url: device.url, at: device.at }
    for (const k of STORED_KEYS) {
      const v = device[k]
      if (k in sent && sent[k] === v) continue
      context[k] = v === undefined ? null : v
      sent[k] = v
    }
    return JSON.stringify(context)
  }
  // What each destination reads of an event (Configured.reads), and the
  // url, method and headers of its every attach (Configured.attach), by id.
  /** @type {Map<number, Reads>} */
  const reads = new Map()
  /** @type {Map<number, AttachHead>} */
  const heads = new Map()
  return /** @satisfies {GoAPI} */ ({
    configure: (settings) => {
      const conf = /** @type {Configured} */ (answer('configure', [], [JSON.stringify(settings)]))
      if (conf.reads) reads.set(conf.id, conf.reads)
      if (conf.attach) heads.set(conf.id, conf.attach)
      return conf
    },
    // Each request's body comes back as its head and tail (the texts, in
    // order); the device's members go between them: the text Go names
    // by number, sent once after the heads and tails when it is not the
    // one held here (wasm/api.go's AttachDevice).
    attachDevice: (id, event, device) => {
      const r = reads.get(id)
      const [ev, texts] = /** @type {[Evaluation, string[]]} */ (call('attachDevice', [id, members.version], [JSON.stringify(r ? pick(event, r) : event), contextText(device)]))
      // After an error Go's copy of the storage values is unknown: send
      // them all next time.
      if (ev.error) sent = {}
      const reqs = ev.requests || []
      if (reqs.length === 0) return ev
      const head = heads.get(id)
      if (!head) return { matched: ev.matched, error: `attachDevice: destination ${id} has no attach head (configure's answer lacked it)` }
      if (texts.length === 2 * reqs.length + 1) members = { version: reqs[0].members || 0, text: texts[2 * reqs.length] }
      for (const [i, r] of reqs.entries()) {
        if (r.members && r.members !== members.version) return { matched: ev.matched, error: `attachDevice: the device's members text ${r.members} is missing (Go and the shim disagree)` }
        r.url = head.url
        r.method = head.method
        r.headers = head.headers
        r.body = texts[2 * i] + (r.members ? members.text : '') + texts[2 * i + 1]
      }
      return ev
    },
    // Rupt's answer to the attach named attach: only what the network gave.
    handleResponse: (id, attach, status, body, retryAfter) => /** @type {Outcome} */ (answer('handleResponse', [id, attach, status], [body, retryAfter || ''])),
    handleLive: (id, data, url) => /** @type {Outcome} */ (answer('handleLive', [id], [data, url])),
    detach: (id) => {
      sent = {} // Go forgets its copy of the storage values
      const [res, bodies] = /** @type {[Detached, string[]]} */ (call('detach', [id], []))
      if (res.request) res.request.body = bodies[0]
      return res
    },
    deviceSignals: (legacyJSON, mutedJSON) => /** @type {SignalsTaken} */ (answer('deviceSignals', [], [legacyJSON, mutedJSON])),
    stats: () => /** @type {GoStats | GoError} */ (answer('stats', [], [])),
  })
}
