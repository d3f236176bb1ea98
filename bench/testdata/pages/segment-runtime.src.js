// Segment's JS runtime pieces for the per-event CPU figure, bundled by bench
// with esbuild: FQL (parseFql, validate) from @segment/destination-subscriptions,
// transform from @segment/actions-core/mapping-kit, and Rupt's legacy
// getSignals() (for a realistic device in both variants), and
// @ruptjs/fingerprint (signals and its WebCrypto getFuzzyHash, for the
// start-up diagnostics).
import { parseFql, validate } from '@segment/destination-subscriptions'
import { transform } from '@segment/actions-core/mapping-kit'
import { getSignals } from 'rupt'
import RuptFingerprint from '@ruptjs/fingerprint'

window.segmentRuntime = { parseFql, validate, transform, getSignals, fingerprint: RuptFingerprint }
