// What only the browser knows: cookies, storage and device signals.
import { getSignals, muteSignals } from '@ruptjs/fingerprint'
import { legacySignals } from './legacy-signals.js'

export { legacySignals }

export const COOKIE_LAST_BLOCKING_ACCESS = 'rpt_last_blocking_access'
export const COOKIE_LAST_CHALLENGE = 'rpt_last_challenge'
export const KEY_LAST_FINGERPRINT = 'rpt_last_fp'

export function readCookie(name) {
  try {
    for (const part of document.cookie.split(';')) {
      const i = part.indexOf('=')
      if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim()
    }
  } catch (_) { /* cookies disabled */ }
  return undefined
}

export function writeCookie(name, value, maxAge) {
  try {
    document.cookie = `${name}=${value}; path=/; max-age=${maxAge}`
  } catch (_) { /* cookies disabled */ }
}

function storageGet(kind, key) {
  try { return window[kind].getItem(key) || undefined } catch (_) { return undefined }
}

function storageSet(kind, key, value) {
  try { window[kind].setItem(key, value) } catch (_) { /* storage disabled or full */ }
}

// lastFingerprint reads rpt_last_fp as Rupt's SDK does: cookie, then
// localStorage, then sessionStorage.
export function lastFingerprint() {
  return readCookie(KEY_LAST_FINGERPRINT) || storageGet('localStorage', KEY_LAST_FINGERPRINT) ||
    storageGet('sessionStorage', KEY_LAST_FINGERPRINT)
}

export function storeFingerprint(fp) {
  writeCookie(KEY_LAST_FINGERPRINT, fp, 31536000)
  storageSet('localStorage', KEY_LAST_FINGERPRINT, fp)
  storageSet('sessionStorage', KEY_LAST_FINGERPRINT, fp)
}

// fingerprintSignals collects @ruptjs/fingerprint's signals with the
// unstable ones muted, as JSON text (Go hashes it).
export async function fingerprintSignals() {
  return JSON.stringify(muteSignals(await getSignals()))
}
