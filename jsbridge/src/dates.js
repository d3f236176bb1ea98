// What the @liquid date filters need from the browser (Go's
// mapping.DateHost): JavaScript's Date parsing, and the visitor's time
// zone and locale. Go does the rest (strftime, padding, the memory
// limit); it asks through the WebAssembly import rupt.date
// (wasm/dates_wasm.go, wasm/dates.go).
//
// The date is described as liquidjs's LiquidDate displays it: a display
// date shifted by the difference between the runtime's offset and the
// filter's zone or offset, whose local fields, names and locale texts are
// printed.

/**
 * A date to describe (wasm/dates.go's dateRequest): a time, the current
 * time or a text to parse; the visitor's zone, another zone or a fixed
 * offset (minutes, as getTimezoneOffset counts them); en-US's names when
 * english.
 * @typedef {object} DateRequest
 * @property {number} [ms]
 * @property {true} [now]
 * @property {string} [text]
 * @property {string} [zone]
 * @property {number} [offset]
 * @property {true} [english]
 */

const minute = 60000

// zoneOffset is the offset of zone at date, in minutes as
// getTimezoneOffset counts them, found as liquidjs finds it: the en-US
// wall-clock texts of date in zone and in UTC, parsed back and
// subtracted. An unknown zone throws a RangeError.
/**
 * @param {string} zone
 * @param {Date} date
 */
function zoneOffset(zone, date) {
  const wall = (/** @type {string} */ timeZone) => +new Date(date.toLocaleString('en-US', { timeZone }))
  return (wall('UTC') - wall(zone)) / minute
}

/**
 * describeDate answers a request: null for an invalid date, otherwise the
 * ten numbers and eight texts wasm/dates.go's dateParts reads, in its
 * order.
 * @param {DateRequest} req
 * @returns {[number[], string[]] | null}
 */
export function describeDate(req) {
  const date = new Date(req.now ? Date.now() : req.text !== undefined ? req.text : /** @type {number} */ (req.ms))
  const own = date.getTimezoneOffset()
  let offset = own
  /** @type {string | undefined} */
  let name
  if (req.zone !== undefined) {
    offset = zoneOffset(req.zone, date)
    name = req.zone
  } else if (req.offset !== undefined) {
    offset = req.offset
    name = ''
  }
  const shown = new Date(date.getTime() + (own - offset) * minute)
  if (isNaN(shown.getTime())) return null
  const locale = req.english ? 'en-US' : undefined
  const named = (/** @type {Intl.DateTimeFormatOptions} */ o) => new Intl.DateTimeFormat(locale, o).format(shown)
  return [
    [date.getTime(), offset, shown.getFullYear(), shown.getMonth(), shown.getDate(), shown.getHours(), shown.getMinutes(), shown.getSeconds(), shown.getMilliseconds(), shown.getDay()],
    [named({ weekday: 'short' }), named({ weekday: 'long' }), named({ month: 'short' }), named({ month: 'long' }),
      shown.toLocaleString(), shown.toLocaleDateString(), shown.toLocaleTimeString(),
      name !== undefined ? name : Intl.DateTimeFormat().resolvedOptions().timeZone],
  ]
}

// readRequest reads wasm/dates.go's binary request.
/**
 * @param {Uint8Array} b
 * @returns {DateRequest}
 */
function readRequest(b) {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength)
  const flags = b[0]
  const zoneLen = v.getUint32(24, true)
  const text = (/** @type {number} */ from, /** @type {number} */ to) => new TextDecoder().decode(b.subarray(from, to))
  /** @type {DateRequest} */
  const req = {}
  if (flags & 1) req.now = true
  else if (flags & 2) req.text = text(28 + zoneLen, b.length)
  else req.ms = v.getFloat64(8, true)
  if (flags & 4) req.zone = text(28, 28 + zoneLen)
  else if (flags & 8) req.offset = v.getFloat64(16, true)
  if (flags & 16) req.english = true
  return req
}

/**
 * dateImport is the WebAssembly import rupt.date over the instance's
 * memory (memory() is called only once the instance exists): it reads the
 * request at in[:inLen], writes the answer at out[:outCap] when it fits
 * (wasm/dates.go says how both are laid out), and returns the answer's
 * length.
 * @param {() => WebAssembly.Memory} memory
 * @returns {(inPtr: number, inLen: number, outPtr: number, outCap: number) => number}
 */
export function dateImport(memory) {
  const encoder = new TextEncoder()
  return (inPtr, inLen, outPtr, outCap) => {
    /** @type {Uint8Array} */
    let answer
    try {
      const parts = describeDate(readRequest(new Uint8Array(memory().buffer, inPtr >>> 0, inLen >>> 0)))
      if (parts) {
        const texts = encoder.encode(parts[1].join('\0'))
        answer = new Uint8Array(81 + texts.length)
        const v = new DataView(answer.buffer)
        parts[0].forEach((n, i) => v.setFloat64(1 + 8 * i, n, true))
        answer.set(texts, 81)
      } else {
        answer = new Uint8Array(0)
      }
    } catch (e) {
      answer = encoder.encode('\x01' + (e && /** @type {Error} */ (e).message))
    }
    if (answer.length <= outCap >>> 0) new Uint8Array(memory().buffer, outPtr >>> 0, answer.length).set(answer)
    return answer.length
  }
}
