// What only the browser knows: cookies, storage and device signals.
import { getSignals, muteSignals } from '@ruptjs/fingerprint'
import { legacySignals } from './legacy-signals.js'

export { legacySignals }

import { CONTRACT } from './contract.js'

const KEY_LAST_FINGERPRINT = CONTRACT.keyLastFingerprint

/**
 * @param {string} name
 * @returns {string | undefined}
 */
export function readCookie(name) {
  try {
    for (const part of document.cookie.split(';')) {
      const i = part.indexOf('=')
      if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim()
    }
  } catch (_) { /* cookies disabled */ }
  return undefined
}

/**
 * @param {string} name
 * @param {string} value
 * @param {number} maxAge in seconds
 */
export function writeCookie(name, value, maxAge) {
  try {
    document.cookie = `${name}=${value}; path=/; max-age=${maxAge}`
  } catch (_) { /* cookies disabled */ }
}

/** @typedef {'localStorage' | 'sessionStorage'} StorageKind */

/**
 * @param {StorageKind} kind
 * @param {string} key
 * @returns {string | undefined}
 */
function storageGet(kind, key) {
  try { return window[kind].getItem(key) || undefined } catch (_) { return undefined }
}

/**
 * @param {StorageKind} kind
 * @param {string} key
 * @param {string} value
 */
function storageSet(kind, key, value) {
  try { window[kind].setItem(key, value) } catch (_) { /* storage disabled or full */ }
}

// lastFingerprint reads rpt_last_fp as Rupt's SDK does: cookie, then
// localStorage, then sessionStorage.
export function lastFingerprint() {
  return readCookie(KEY_LAST_FINGERPRINT) || storageGet('localStorage', KEY_LAST_FINGERPRINT) ||
    storageGet('sessionStorage', KEY_LAST_FINGERPRINT)
}

/** @param {string} fp */
export function storeFingerprint(fp) {
  writeCookie(KEY_LAST_FINGERPRINT, fp, CONTRACT.cookieMaxAge)
  storageSet('localStorage', KEY_LAST_FINGERPRINT, fp)
  storageSet('sessionStorage', KEY_LAST_FINGERPRINT, fp)
}

// fingerprintSignals collects @ruptjs/fingerprint's signals with the
// unstable ones muted, as JSON text (Go hashes it).
/** @returns {Promise<string>} */
export async function fingerprintSignals() {
  return JSON.stringify(muteSignals(await getSignals()))
}
