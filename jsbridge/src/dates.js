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
 * parts wasm/dates.go's dateParts reads, in its order.
 * @param {DateRequest} req
 * @returns {(string | number)[] | null}
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
    date.getTime(), offset,
    shown.getFullYear(), shown.getMonth(), shown.getDate(), shown.getHours(), shown.getMinutes(), shown.getSeconds(), shown.getMilliseconds(), shown.getDay(),
    named({ weekday: 'short' }), named({ weekday: 'long' }), named({ month: 'short' }), named({ month: 'long' }),
    shown.toLocaleString(), shown.toLocaleDateString(), shown.toLocaleTimeString(),
    name !== undefined ? name : Intl.DateTimeFormat().resolvedOptions().timeZone,
  ]
}

/**
 * dateImport is the WebAssembly import rupt.date over the instance's
 * memory (memory() is called only once the instance exists): it reads the
 * request's JSON at in[:inLen], writes the answer (the parts joined by
 * NUL bytes, "" for an invalid date, "\x01" and the message for an error)
 * at out[:outCap] when it fits, and returns the answer's length.
 * @param {() => WebAssembly.Memory} memory
 * @returns {(inPtr: number, inLen: number, outPtr: number, outCap: number) => number}
 */
export function dateImport(memory) {
  const decoder = new TextDecoder()
  const encoder = new TextEncoder()
  return (inPtr, inLen, outPtr, outCap) => {
    let answer
    try {
      const parts = describeDate(JSON.parse(decoder.decode(new Uint8Array(memory().buffer, inPtr >>> 0, inLen >>> 0))))
      answer = parts ? parts.join('\0') : ''
    } catch (e) {
      answer = '\x01' + (e && /** @type {Error} */ (e).message)
    }
    const bytes = encoder.encode(answer)
    if (bytes.length <= outCap >>> 0) new Uint8Array(memory().buffer, outPtr >>> 0, bytes.length).set(bytes)
    return bytes.length
  }
}
