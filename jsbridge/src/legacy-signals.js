// Rupt's legacy `signals` object (the `signals` key of POST /v2/device/attach),
// collected without importing the `rupt` package: importing it assigns
// window.Rupt, and our bundle must leave no globals behind.
//
// The result must equal what rupt@2.24.1's getSignals() returns in the same
// browser, because Rupt's server compares it with what the official SDK sent
// for the same device. Where the SDK has a quirk that shows on the wire (the
// lexicographic sort of the screen size, the sign of the UTC fallback, the
// mistyped sinh formula) it is reproduced on purpose and marked as such.
//
// Unlike the SDK, nothing here throws: a signal whose browser API fails gets
// the SDK's own fallback where it has one, otherwise `{ value: undefined }`
// (the same shape the SDK uses for an absent screenResolution; the key is
// kept so the object always has the same keys in the same order).

// Fonts are detected by rendering this text at this size in each candidate
// font with a generic fallback; a font is installed when some rendering's
// box differs from the plain generic font's.
const FONT_TEST_TEXT = 'mmMwWLliI0O&1'
const FONT_TEST_SIZE = '48px'
const BASE_FONTS = ['monospace', 'sans-serif', 'serif']
const FONT_LIST = [
  'sans-serif-thin', 'ARNO PRO', 'Agency FB', 'Arabic Typesetting', 'Arial Unicode MS',
  'AvantGarde Bk BT', 'BankGothic Md BT', 'Batang', 'Bitstream Vera Sans Mono', 'Calibri',
  'Century', 'Century Gothic', 'Clarendon', 'EUROSTILE', 'Franklin Gothic', 'Futura Bk BT',
  'Futura Md BT', 'GOTHAM', 'Gill Sans', 'HELV', 'Haettenschweiler', 'Helvetica Neue',
  'Humanst521 BT', 'Leelawadee', 'Letter Gothic', 'Levenim MT', 'Lucida Bright', 'Lucida Sans',
  'Menlo', 'MS Mincho', 'MS Outlook', 'MS Reference Specialty', 'MS UI Gothic', 'MT Extra',
  'MYRIAD PRO', 'Marlett', 'Meiryo UI', 'Microsoft Uighur', 'Minion Pro', 'Monotype Corsiva',
  'PMingLiU', 'Pristina', 'SCRIPTINA', 'Segoe UI Light', 'Serifa', 'SimHei', 'Small Fonts',
  'Staccato222 BT', 'TRAJAN PRO', 'Univers CE 55 Medium', 'Vrinda', 'ZWAdobeF',
]

// The SDK polls for document.body at this interval while the page loads.
const BODY_POLL_MS = 50
// Safety nets the SDK lacks: it would wait forever on these. Generous, so
// they only matter in a broken environment.
const FRAME_LOAD_TIMEOUT_MS = 2000
const HIGH_ENTROPY_TIMEOUT_MS = 5000

const HIGH_ENTROPY_HINTS = [
  'architecture', 'bitness', 'model', 'platformVersion', 'uaFullVersion',
  'fullVersionList', 'formFactor', 'wow64',
]
// The SDK copies these keys, in this order, out of getHighEntropyValues()
// (which also always returns the low-entropy brands, mobile and platform).
const HIGH_ENTROPY_KEYS = [
  'architecture', 'bitness', 'brands', 'fullVersionList', 'mobile', 'model', 'platform',
  'platformVersion', 'uaFullVersion', 'formFactor', 'wow64',
]

/**
 * navigator as the SDK reads it, old engines included: Internet Explorer
 * names the language userLanguage, browserLanguage or systemLanguage and
 * counts touch points in msMaxTouchPoints; some engines give languages as
 * a comma-separated string.
 * @typedef {Omit<Navigator, 'languages'> & {
 *   languages?: readonly string[] | string,
 *   userLanguage?: string,
 *   browserLanguage?: string,
 *   systemLanguage?: string,
 *   msMaxTouchPoints?: number,
 * }} LegacyNavigator
 */

// legacySignals resolves (never rejects) with the object rupt's getSignals()
// builds: { fonts, languages, screenResolution, timezone, platform,
// touchSupport, math, localStorage, highEntropyValues }, each { value }.
export async function legacySignals() {
  // Ask for the high-entropy values first: the browser answers them out of
  // process, so the wait overlaps with the font measurement.
  const highEntropy = highEntropyValues()
  const fonts = await safeAsync(installedFonts, undefined)
  return {
    fonts: { value: fonts },
    languages: { value: safe(languages, undefined) },
    screenResolution: { value: safe(screenResolution, undefined) },
    timezone: { value: safe(timezone, undefined) },
    platform: { value: safe(platform, undefined) },
    touchSupport: { value: safe(touchSupport, undefined) },
    math: { value: safe(mathResults, undefined) },
    localStorage: { value: safe(localStorageAvailable, true) },
    highEntropyValues: { value: await highEntropy },
  }
}

/**
 * @template T, F
 * @param {() => T} fn
 * @param {F} fallback
 * @returns {T | F}
 */
function safe(fn, fallback) {
  try {
    return fn()
  } catch (_) {
    return fallback
  }
}

/**
 * @template T, F
 * @param {() => Promise<T>} fn
 * @param {F} fallback
 * @returns {Promise<T | F>}
 */
async function safeAsync(fn, fallback) {
  try {
    return await fn()
  } catch (_) {
    return fallback
  }
}

/**
 * @param {number} ms
 * @returns {Promise<void>}
 */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

// atLeast counts the true checks; a check whose API throws counts as false
// (the SDK would throw instead).
/**
 * @param {number} n
 * @param {Array<() => unknown>} checks
 */
function atLeast(n, checks) {
  let count = 0
  for (const check of checks) {
    if (safe(check, false)) count++
  }
  return count >= n
}

// Browser-family tests, as the SDK scores them (majority votes over feature
// probes, so one missing or polyfilled feature does not flip the answer).
/**
 * @param {unknown} s
 * @param {string} prefix
 */
const startsWith = (s, prefix) => typeof s === 'string' && s.indexOf(prefix) === 0

function isChromium() {
  return atLeast(5, [
    () => 'webkitPersistentStorage' in navigator,
    () => 'webkitTemporaryStorage' in navigator,
    () => startsWith(navigator.vendor, 'Google'),
    () => 'webkitResolveLocalFileSystemURL' in window,
    () => 'BatteryManager' in window,
    () => 'webkitMediaStream' in window,
    () => 'webkitSpeechGrammar' in window,
  ])
}

function isChromium86OrNewer() {
  return atLeast(3, [
    () => !('MediaSettingsRange' in window),
    () => 'RTCEncodedAudioFrame' in window,
    () => String(window.Intl) === '[object Intl]',
    () => String(window.Reflect) === '[object Reflect]',
  ])
}

function isWebKit() {
  return atLeast(4, [
    () => 'ApplePayError' in window,
    () => 'CSSPrimitiveValue' in window,
    () => 'Counter' in window,
    () => startsWith(navigator.vendor, 'Apple'),
    () => 'getStorageUpdates' in navigator,
    () => 'WebKitMediaKeys' in window,
  ])
}

function isDesktopWebKit() {
  return atLeast(4, [
    () => 'safari' in window,
    () => !('ongestureend' in window),
    () => !('TouchEvent' in window),
    () => !('orientation' in window),
    () => window.HTMLElement && !('autocapitalize' in window.HTMLElement.prototype),
    () => window.Document && 'pointerLockElement' in window.Document.prototype,
  ])
}

function isWebKit616OrNewer() {
  return atLeast(4, [
    () => !('getStorageUpdates' in navigator),
    () => window.HTMLButtonElement && 'popover' in window.HTMLButtonElement.prototype,
    () => 'CSSCounterStyleRule' in window,
    () => CSS.supports('font-size-adjust: ex-height 0.5'),
    () => CSS.supports('text-transform: full-width'),
  ])
}

// isSafariWebKit tells Safari itself from other WebKit shells (in-app web
// views), which do not fake the screen size.
function isSafariWebKit() {
  const nativePrint = safe(() => /^function\s.*?\{\s*\[native code]\s*}$/.test(String(window.print)), false)
  return nativePrint && atLeast(1, [
    () => String(window.browser) === '[object WebPageNamespace]',
    () => 'MicrodataExtractor' in window,
  ])
}

function isIPad() {
  if (navigator.platform === 'iPad') return true
  return atLeast(2, [
    () => 'MediaSource' in window,
    () => !!Element.prototype.webkitRequestFullscreen,
    () => {
      const ratio = screen.width / screen.height
      return ratio > 0.65 && ratio < 1.53
    },
  ])
}

// --- fonts -----------------------------------------------------------------

// installedFonts measures inside a hidden about:blank iframe so the page's
// own CSS and @font-face rules cannot influence (or be mistaken for) the
// system's fonts; that is also what the SDK measures in, so the boxes match.
async function installedFonts() {
  const body = await documentBody()
  if (!body) return undefined
  const frame = document.createElement('iframe')
  const style = frame.style
  // !important: a page rule like `iframe { display: none }` would leave the
  // frame without layout and every box at 0.
  style.setProperty('display', 'block', 'important')
  style.position = 'absolute'
  style.top = '0'
  style.left = '0'
  style.visibility = 'hidden'
  try {
    body.appendChild(frame)
    // The initial about:blank document exists as soon as the frame is in the
    // document; measuring synchronously means no navigation can replace it
    // in between. The load event is only a fallback for odd engines.
    if (!frameBody(frame)) await frameLoaded(frame)
    const doc = frame.contentDocument
    if (!frameBody(frame)) return undefined
    return measureFonts(/** @type {Document} */ (doc)) // it has a body
  } finally {
    if (frame.parentNode) frame.parentNode.removeChild(frame)
  }
}

// documentBody waits, like the SDK, for the parser to create <body>; unlike
// the SDK it gives up once the document has loaded without one.
async function documentBody() {
  while (!document.body) {
    if (document.readyState !== 'loading') return null
    await sleep(BODY_POLL_MS)
  }
  return document.body
}

/** @param {HTMLIFrameElement} frame */
function frameBody(frame) {
  // Without a document (null) this throws, and safe answers null.
  return safe(() => /** @type {Document} */ (frame.contentDocument).body, null)
}

/**
 * @param {HTMLIFrameElement} frame
 * @returns {Promise<void>}
 */
function frameLoaded(frame) {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer)
      frame.removeEventListener('load', done)
      frame.removeEventListener('error', done)
      resolve()
    }
    const timer = setTimeout(done, FRAME_LOAD_TIMEOUT_MS)
    frame.addEventListener('load', done)
    frame.addEventListener('error', done)
  })
}

/**
 * @param {Document} doc
 * @returns {string[]}
 */
function measureFonts(doc) {
  doc.body.style.fontSize = FONT_TEST_SIZE
  const holder = doc.createElement('div')
  holder.style.setProperty('visibility', 'hidden', 'important')
  /** @param {string} fontFamily */
  const probe = (fontFamily) => {
    const span = doc.createElement('span')
    const s = span.style
    s.position = 'absolute'
    s.top = '0'
    s.left = '0'
    s.fontFamily = fontFamily
    span.textContent = FONT_TEST_TEXT
    holder.appendChild(span)
    return span
  }
  const baseProbes = BASE_FONTS.map(probe)
  const fontProbes = FONT_LIST.map((font) => BASE_FONTS.map((base) => probe(`'${font}',${base}`)))

  // All writes happen above, before the holder is attached: the first read
  // below lays out every probe at once and the remaining reads are free.
  doc.body.appendChild(holder)
  /** @param {HTMLElement} el */
  const box = (el) => [el.offsetWidth, el.offsetHeight]
  const baseBoxes = baseProbes.map(box)
  return FONT_LIST.filter((_, i) => fontProbes[i].some((el, j) => {
    const [w, h] = box(el)
    return w !== baseBoxes[j][0] || h !== baseBoxes[j][1]
  }))
}

// --- the synchronous signals -------------------------------------------------

// languages is a list of lists: the primary language, then navigator.languages
// unless Chromium 86+, where incognito reports only the primary language, so
// the list would differ between a user's normal and private windows.
function languages() {
  const nav = /** @type {LegacyNavigator} */ (navigator)
  /** @type {string[][]} */
  const out = []
  const primary = nav.language || nav.userLanguage || nav.browserLanguage || nav.systemLanguage
  if (primary !== undefined) out.push([primary])
  const list = nav.languages
  if (Array.isArray(list)) {
    if (!(isChromium() && isChromium86OrNewer())) out.push(Array.from(list))
  } else if (typeof list === 'string' && list) {
    out.push(list.split(','))
  }
  return out
}

// screenResolution is absent on Safari 17+, which reports a made-up screen
// size to fight fingerprinting.
function screenResolution() {
  if (isWebKit() && isWebKit616OrNewer() && isSafariWebKit()) return undefined
  /** @param {number} v */
  const dim = (v) => {
    const n = parseInt(v, 10)
    return Number.isNaN(n) ? null : n
  }
  const size = [dim(screen.width), dim(screen.height)]
  // SDK quirk kept on purpose: a default (string-order) sort, reversed, so
  // [1280, 800] comes out as [800, 1280]. Rupt's server has always seen
  // this order.
  size.sort()
  size.reverse()
  return size
}

function timezone() {
  const DateTimeFormat = safe(() => window.Intl && window.Intl.DateTimeFormat, undefined)
  if (DateTimeFormat) {
    const zone = safe(() => new DateTimeFormat().resolvedOptions().timeZone, undefined)
    if (zone) return zone
  }
  // Without a zone name, the standard-time offset: the larger of January's
  // and July's offsets is the one without daylight saving on either
  // hemisphere.
  const year = new Date().getFullYear()
  const offset = -Math.max(
    parseFloat(new Date(year, 0, 1).getTimezoneOffset()),
    parseFloat(new Date(year, 6, 1).getTimezoneOffset()),
  )
  // SDK quirk kept on purpose: west of Greenwich the minus sign is dropped
  // ("UTC300" for UTC-5, the offset being in minutes).
  return `UTC${offset >= 0 ? '+' : ''}${Math.abs(offset)}`
}

// platform undoes iPadOS/iOS desktop mode, where Safari claims "MacIntel".
function platform() {
  const p = navigator.platform
  if (p === 'MacIntel' && isWebKit() && !isDesktopWebKit()) return isIPad() ? 'iPad' : 'iPhone'
  return p
}

function touchSupport() {
  const nav = /** @type {LegacyNavigator} */ (navigator)
  let maxTouchPoints = 0
  if (nav.maxTouchPoints !== undefined) maxTouchPoints = parseInt(nav.maxTouchPoints, 10)
  else if (nav.msMaxTouchPoints !== undefined) maxTouchPoints = nav.msMaxTouchPoints
  let touchEvent
  try {
    document.createEvent('TouchEvent')
    touchEvent = true
  } catch (_) {
    touchEvent = false
  }
  return { maxTouchPoints, touchEvent, touchStart: 'ontouchstart' in window }
}

// mathResults evaluates Math functions at arguments where engines' libm
// implementations disagree in the last bits. The *Pf entries compute the
// same functions from more basic ones ("polyfill" forms) and differ too.
function mathResults() {
  const M = Math
  const zero = () => 0
  /**
   * @param {'acos' | 'acosh' | 'asin' | 'asinh' | 'atanh' | 'atan' | 'sin' | 'sinh' | 'cos' | 'cosh' | 'tan' | 'tanh' | 'exp' | 'expm1' | 'log1p'} name
   * @returns {(x: number) => number}
   */
  const fn = (name) => M[name] || zero
  return {
    acos: fn('acos')(0.12312423423423424),
    acosh: fn('acosh')(1e308),
    acoshPf: ((x) => M.log(x + M.sqrt(x * x - 1)))(1e154),
    asin: fn('asin')(0.12312423423423424),
    asinh: fn('asinh')(1),
    asinhPf: ((x) => M.log(x + M.sqrt(x * x + 1)))(1),
    atanh: fn('atanh')(0.5),
    atanhPf: ((x) => M.log((1 + x) / (1 - x)) / 2)(0.5),
    atan: fn('atan')(0.5),
    sin: fn('sin')(-1e300),
    sinh: fn('sinh')(1),
    // SDK quirk kept on purpose: not (e^x - e^-x) / 2 but e^x - e^-x / 2.
    sinhPf: ((x) => M.exp(x) - 1 / M.exp(x) / 2)(1),
    cos: fn('cos')(10.000000000123),
    cosh: fn('cosh')(1),
    coshPf: ((x) => (M.exp(x) + 1 / M.exp(x)) / 2)(1),
    tan: fn('tan')(-1e300),
    tanh: fn('tanh')(1),
    tanhPf: ((x) => (M.exp(2 * x) - 1) / (M.exp(2 * x) + 1))(1),
    exp: fn('exp')(1),
    expm1: fn('expm1')(1),
    expm1Pf: ((x) => M.exp(x) - 1)(1),
    log1p: fn('log1p')(10),
    log1pPf: ((x) => M.log(1 + x))(10),
    powPI: ((x) => M.pow(M.PI, x))(-100),
  }
}

// localStorageAvailable: a browser that blocks storage throws on access;
// the SDK reports that as true (its fallback, kept for the wire).
function localStorageAvailable() {
  return !!window.localStorage
}

// highEntropyValues resolves with {} where User-Agent Client Hints are not
// supported (Firefox, Safari, insecure origins) or the call fails.
/** @returns {Promise<Record<string, unknown>>} */
async function highEntropyValues() {
  const uaData = safe(() => navigator.userAgentData, undefined)
  if (!uaData) return {}
  /** @type {number | undefined} */
  let timer
  try {
    /** @type {Promise<null>} */
    const timeout = new Promise((resolve) => { timer = setTimeout(resolve, HIGH_ENTROPY_TIMEOUT_MS, null) })
    const values = await Promise.race([uaData.getHighEntropyValues(HIGH_ENTROPY_HINTS), timeout])
    if (values === null || values === undefined) return {}
    /** @type {Record<string, unknown>} */
    const out = {}
    for (const key of HIGH_ENTROPY_KEYS) out[key] = values[key]
    return out
  } catch (_) {
    return {}
  } finally {
    clearTimeout(timer)
  }
}
