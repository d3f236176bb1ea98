// Test oracle: the fingerprint exactly as Rupt's own package computes it.
import RuptFingerprint, { getSignals, muteSignals } from '@ruptjs/fingerprint'

window.ruptFingerprintOracle = async () => RuptFingerprint.getFuzzyHash(muteSignals(await getSignals()))
