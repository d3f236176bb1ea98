// segment-runtime.mjs: the oracle of TestDifferential (e2e/differential_test.go).
//
// It does what Segment's own browser runtime for Rupt (Actions) would do with
// the events analytics.js delivered, using the pinned packages themselves:
//
//   for each event, for each subscription with enabled === true and
//   partnerAction "attach", in order:
//     validate(parseFql(sub.subscribe), event)   @segment/destination-subscriptions
//     payload = transform(sub.mapping, event)     @segment/actions-core/mapping-kit
//     the attach body Rupt's SDK (rupt@2.24.1, attach()) builds from the
//     payload: user, metadata, email, phone, page
//
// and reports, per event and subscription, Segment's raw answer. It knows
// nothing of this bundle: the deliberate differences are applied by the Go
// test, in one function (deliberateDifferences).
//
// Protocol: one JSON request per line on stdin, one JSON answer per line on
// stdout, in order, so one process serves every page of a test run.
//
//   request:  {"page": 7, "subscriptions": [...as configured...],
//              "events": [{"event": "<JSON text of ctx.event>",
//                          "path": "<location.pathname when it arrived>"}]}
//   answer:   {"page": 7, "events": [[result per subscription], ...]}
//
// A result is {"sub": index in subscriptions} plus:
//   skipped: true        not enabled === true, or not the attach action
//   match                validate's answer (truthy, as the runtime tests it)
//   validateError        validate threw (then match is false)
//   matchUnquoted        only for a query containing ': validate's answer for
//                        the same query with every ' replaced by "
//   transformError       transform threw
//   body                 the SDK's body keys (JSON.stringify semantics:
//                        undefined keys absent, non-finite numbers null),
//                        present when match or matchUnquoted and transform
//                        did not throw
//   afterThrow: true     an earlier subscription threw on this event: Segment's
//                        runtime (a plain for loop with no error handling)
//                        would never have reached this one

import { createRequire } from 'node:module'
import { createInterface } from 'node:readline'

const require = createRequire(import.meta.url)
const { parseFql, validate } = require('@segment/destination-subscriptions')
const { transform } = require('@segment/actions-core/mapping-kit')

// sdkBody is what rupt@2.24.1's attach() puts in the body for the keys the
// test compares. Segment's Attach Device perform() calls
// attach({client_id, account, email, phone, metadata, include_page,
// redirect_urls}); attach destructures include_page = true (the default
// applies only to undefined) and writes
// {user: account ?? user, metadata, email, phone,
//  page: include_page ? window.location.pathname : undefined, ...}.
function sdkBody(payload, pathname) {
  const p = payload ?? {}
  const { account, email, phone, metadata, include_page = true } = p
  const user = undefined // perform() never passes `user`
  return JSON.parse(JSON.stringify({
    user: account ?? user,
    metadata,
    email,
    phone,
    page: include_page ? pathname : undefined,
  }))
}

function evaluateEvent(subscriptions, eventText, pathname) {
  // The runtime hands every subscription the same event object.
  const event = JSON.parse(eventText)
  const results = []
  let threw = false
  subscriptions.forEach((sub, i) => {
    if (!sub || sub.enabled !== true || sub.partnerAction !== 'attach') {
      results.push({ sub: i, skipped: true })
      return
    }
    const r = { sub: i }
    if (threw) r.afterThrow = true
    try {
      r.match = Boolean(validate(parseFql(sub.subscribe), event))
    } catch (e) {
      r.match = false
      r.validateError = String(e && e.message)
      threw = true
    }
    if (typeof sub.subscribe === 'string' && sub.subscribe.includes("'")) {
      try {
        r.matchUnquoted = Boolean(validate(parseFql(sub.subscribe.replaceAll("'", '"')), event))
      } catch (e) {
        r.matchUnquoted = false
      }
    }
    if (r.match || r.matchUnquoted) {
      try {
        r.body = sdkBody(transform(sub.mapping ?? {}, event), pathname)
      } catch (e) {
        r.transformError = String(e && e.message).trim().split('\n')[0]
        if (r.match) threw = true
      }
    }
    results.push(r)
  })
  return results
}

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity })
for await (const line of lines) {
  if (!line.trim()) continue
  let answer
  try {
    const req = JSON.parse(line)
    const subs = Array.isArray(req.subscriptions) ? req.subscriptions : []
    answer = {
      page: req.page,
      events: (req.events || []).map((e) => evaluateEvent(subs, e.event, e.path)),
    }
  } catch (e) {
    answer = { error: String(e && e.stack) }
  }
  process.stdout.write(JSON.stringify(answer) + '\n')
}
