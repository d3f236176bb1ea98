// Test entry (bundled by e2e/legacy_signals_test.go): runs the official SDK's
// getSignals() and our legacySignals() in the same page and hands both back.
// Importing 'rupt' sets window.Rupt; that is fine in a test page, and is the
// reason production code cannot import it.
import { getSignals } from 'rupt'
import { legacySignals } from '../../../jsbridge/src/legacy-signals.js'

// compare resolves with { rupt, ours } as JSON text (so key order can be
// compared too), the time each took, and `mismatch`: the first path where
// the two objects differ in a way JSON would hide (a key present with an
// undefined value, NaN versus null), or '' when they are deeply equal.
export async function compare() {
  let t = performance.now()
  const rupt = await getSignals()
  const ruptMs = performance.now() - t
  t = performance.now()
  const ours = await legacySignals()
  const oursMs = performance.now() - t
  return {
    rupt: JSON.stringify(rupt),
    ours: JSON.stringify(ours),
    ruptMs,
    oursMs,
    mismatch: firstDifference(rupt, ours, '$'),
  }
}

function firstDifference(a, b, path) {
  if (Object.is(a, b)) return ''
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return `${path}: ${String(a)} != ${String(b)}`
  }
  if (Array.isArray(a) !== Array.isArray(b)) return `${path}: array vs object`
  const ka = Object.keys(a)
  const kb = Object.keys(b)
  if (ka.join('\n') !== kb.join('\n')) return `${path}: keys [${ka}] != [${kb}]`
  for (const k of ka) {
    const d = firstDifference(a[k], b[k], `${path}.${k}`)
    if (d) return d
  }
  return ''
}
