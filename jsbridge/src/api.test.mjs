// node --test jsbridge/src: the shim's pure helpers (run by ./build.sh test).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { pick } from './api.js'

const reads = { type: 1, userId: 1, properties: { email: 1 }, context: { traits: { email: 1, phone: 1 }, page: { path: 1 } } }

test('pick keeps what the reads name and drops the rest', () => {
  const event = {
    type: 'page', userId: 'u1', anonymousId: 'a1', messageId: 'm1',
    properties: { email: 'p@e.co', title: 'Home', url: 'https://s.example/' },
    context: { traits: { email: 't@e.co' }, page: { path: '/', title: 'Home' }, userAgent: 'UA', library: { name: 'analytics.js' } },
  }
  assert.equal(JSON.stringify(pick(event, reads)),
    '{"type":"page","userId":"u1","properties":{"email":"p@e.co"},"context":{"traits":{"email":"t@e.co"},"page":{"path":"/"}}}')
})

test('pick hands over other values whole, as JSON.stringify sees them', () => {
  const when = new Date(Date.UTC(2026, 11, 5))
  class Props { constructor() { this.email = 'c@e.co'; this.other = 1 } }
  const withToJSON = { email: 'x', toJSON: () => ({ email: 'y' }) }
  const cases = [
    [{ properties: [1, 2] }, '{"properties":[1,2]}'],
    [{ properties: when }, `{"properties":${JSON.stringify(when)}}`],
    [{ properties: new Props() }, '{"properties":{"email":"c@e.co","other":1}}'],
    [{ properties: withToJSON }, '{"properties":{"email":"y"}}'],
    [{ properties: 'text' }, '{"properties":"text"}'],
    [{ properties: null }, '{"properties":null}'],
    [{ userId: undefined, type: () => 1 }, '{}'],
  ]
  for (const [event, want] of cases) assert.equal(JSON.stringify(pick(event, reads)), want)
  assert.equal(pick('not an object', reads), 'not an object')
  assert.deepEqual(pick([1], reads), [1])
})

test('pick reads own enumerable members only, and "__proto__" as a plain key', () => {
  const proto = { userId: 'inherited' }
  const event = Object.create(proto)
  Object.defineProperty(event, 'type', { value: 'hidden', enumerable: false })
  assert.equal(JSON.stringify(pick(event, reads)), '{}')
  const parsed = JSON.parse('{"__proto__":{"polluted":true},"userId":"u"}')
  assert.equal(JSON.stringify(pick(parsed, JSON.parse('{"__proto__":1,"userId":1}'))), '{"__proto__":{"polluted":true},"userId":"u"}')
  assert.equal(/** @type {any} */ ({}).polluted, undefined)
})

test('pick leaves the event as it was', () => {
  const event = { type: 'page', properties: { email: 'e', other: 2 } }
  const before = JSON.stringify(event)
  pick(event, reads)
  assert.equal(JSON.stringify(event), before)
})
