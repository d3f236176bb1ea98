// gen-cases.mjs generates testdata/cases.json: (query, event) pairs with the
// answers of Segment's own FQL implementation, the oracle for
// TestOracleCases in package rupt-actions-wasm/action/fql.
//
// Run from the repository root:
//
//	node action/fql/testdata/gen-cases.mjs
//
// The output is deterministic: a seeded PRNG drives every choice and the
// oracle version is pinned in package-lock.json.
//
// Each case records the oracle's answer: parseError (parseFql returned an
// error), match (validate's result; false when validate threw, with
// throws: true). A query containing a single quote is marked
// singleQuoted: the Go package deliberately reads 'x' as "x", so for those
// cases expect holds the oracle's answer for the same query with every '
// replaced by " (queries with both quote kinds or a backslash are not
// generated, so the replacement only changes string delimiters).

import { createRequire } from 'node:module'
import { writeFileSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { dirname, join } from 'node:path'

const require = createRequire(import.meta.url)
const { parseFql, validate } = require('@segment/destination-subscriptions')
const here = dirname(fileURLToPath(import.meta.url))
const oracleVersion = JSON.parse(
  readFileSync(require.resolve('@segment/destination-subscriptions/package.json'), 'utf8')
).version

const SEED = 0x5e6d2024
const NUM_QUERIES = 1500
const EVENTS_PER_QUERY = 3

// mulberry32: small, seedable, good enough for test generation.
function mulberry32(a) {
  return function () {
    a |= 0
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
const rand = mulberry32(SEED)
const int = (n) => Math.floor(rand() * n) // 0..n-1
const chance = (p) => rand() < p
const pick = (arr) => arr[int(arr.length)]

// ---------------------------------------------------------------------------
// Value pools shared by events and queries, so that queries often match.

const STRINGS = [
  'page', 'track', 'identify', 'group', 'alias', 'screen', 'Page', 'page ',
  'Home', 'Signed Up', 'Order Completed', 'Product Viewed', '', ' ', 'a', 'n',
  'abc', 'abcdef', 'xabc', 'bc', 'eos', 'null', 'true', 'false', 'NaN',
  'Infinity', '42', '3.5', '-1', '0', '007', '1e3', '0x10', ' 7 ', '1.50',
  'u1', 'user-42', 'alice@example.com', 'https://x.test/a?b=1', '/pricing',
  'é', 'naïve café', '日本語', 'Ünïcödé', '😀', 'a😀b', '😀abc', '🈀abc',
  'x*', '*x', 'contains', 'and', 'or', 'Straße',
]
const NUMBERS = [0, 1, -1, 2, 5, 7, 10, 42, 3.5, -0.5, 1.5, 100, 99.99, 1e21, 1e-7, 123456789012, 4294967296, 0.1]
const KEYS = [
  'a', 'b', 'c', 'price', 'name', 'email', 'tags', 'items', 'nested', 'deep',
  'a-b', '_x', 'x1', 'url', 'path', 'count', 'flag', 'title', 'length',
  '0', '1', 'é', 'constructor', 'toString', 'and', 'or', 'null', 'x y', 'a.b',
]

function randomString() {
  return pick(STRINGS)
}

function randomScalar() {
  switch (int(8)) {
    case 0: case 1: case 2: return randomString()
    case 3: case 4: return pick(NUMBERS)
    case 5: return chance(0.5)
    case 6: return null
    default: return pick(['', 0, false, '0', 'false'])
  }
}

function randomValue(depth) {
  const r = int(10)
  if (depth > 0 && r === 0) return randomObject(depth - 1, 3)
  if (depth > 0 && r === 1) {
    const n = int(4)
    const arr = []
    for (let i = 0; i < n; i++) arr.push(chance(0.2) ? randomObject(depth - 1, 2) : randomScalar())
    return arr
  }
  return randomScalar()
}

function randomObject(depth, maxKeys) {
  const obj = {}
  const n = int(maxKeys + 1)
  for (let i = 0; i < n; i++) obj[pick(KEYS)] = randomValue(depth)
  return obj
}

const TYPES = ['track', 'page', 'identify', 'group', 'alias', 'screen']

function randomEvent() {
  const type = pick(TYPES)
  const ev = {}
  const r = int(20)
  if (r === 0) {
    // no type
  } else if (r === 1) {
    ev.type = pick([null, 5, 'Page', 'page ', '', true])
  } else {
    ev.type = type
  }
  const maybe = (p, k, f) => { if (chance(p)) ev[k] = f() }
  const s = () => (chance(0.8) ? randomString() : randomScalar())
  if (type === 'track') maybe(0.9, 'event', s)
  else maybe(0.1, 'event', s)
  if (type === 'page' || type === 'screen') maybe(0.8, 'name', s)
  else maybe(0.15, 'name', s)
  maybe(0.7, 'userId', () => (chance(0.6) ? pick(['u1', 'user-42', '42', 'abc', '']) : randomScalar()))
  if (type === 'identify' || type === 'group') maybe(0.85, 'traits', () => randomObject(2, 4))
  else maybe(0.15, 'traits', () => randomObject(1, 3))
  if (type === 'track' || type === 'page' || type === 'screen') maybe(0.85, 'properties', () => randomObject(2, 5))
  else maybe(0.2, 'properties', () => (chance(0.8) ? randomObject(1, 3) : randomValue(1)))
  maybe(0.6, 'context', () => {
    const c = randomObject(1, 3)
    if (chance(0.5)) c.page = { path: pick(['/', '/pricing', '/a/b']), url: pick(['https://x.test/', 'https://x.test/a?b=1']), title: randomString() }
    if (chance(0.3)) c.traits = { email: pick(['alice@example.com', '', null]) }
    return c
  })
  if (chance(0.3)) ev.messageId = 'm-' + int(1000)
  return ev
}

// Put a value at a path in an event, so that the query's literal is found.
function plant(ev, field, path, value) {
  if (path.length === 0) {
    ev[field] = value
    return
  }
  let o = ev[field]
  if (typeof o !== 'object' || o === null || Array.isArray(o)) o = ev[field] = {}
  for (let i = 0; i < path.length - 1; i++) {
    let next = o[path[i]]
    if (typeof next !== 'object' || next === null || Array.isArray(next)) next = o[path[i]] = {}
    o = next
  }
  o[path[path.length - 1]] = value
}

// ---------------------------------------------------------------------------
// Queries. A term generator returns {text, plants: [[field, path, value]]}.

const OBJECT_FIELDS = ['properties', 'traits', 'context']
// Path segments: [text in the query, key in the event].
const SEGMENTS = [
  ['a', 'a'], ['b', 'b'], ['c', 'c'], ['price', 'price'], ['name', 'name'],
  ['email', 'email'], ['tags', 'tags'], ['items', 'items'], ['nested', 'nested'],
  ['deep', 'deep'], ['a-b', 'a-b'], ['_x', '_x'], ['x1', 'x1'], ['url', 'url'],
  ['path', 'path'], ['count', 'count'], ['flag', 'flag'], ['title', 'title'],
  ['length', 'length'], ['page', 'page'], ['traits', 'traits'], ['missing', 'missing'],
  ['\\0', '0'], ['\\1', '1'], ['\\é', 'é'], ['toString', 'toString'], ['toFixed', 'toFixed'],
  ['constructor', 'constructor'], ['and', 'and'], ['or', 'or'], ['null', 'null'],
  ['a\\ b', 'a b'], ['x\\.y', 'x.y'],
]

function randomPath() {
  const n = 1 + (chance(0.7) ? 0 : int(3))
  const segs = []
  for (let i = 0; i < n; i++) segs.push(chance(0.75) ? SEGMENTS[int(22)] : pick(SEGMENTS))
  return segs
}

function fieldRef() {
  // Returns {text, field, path} for a field usable in a comparison.
  const r = int(10)
  if (r < 4) {
    const f = pick(['type', 'event', 'name', 'userId'])
    return { text: f, field: f, path: [] }
  }
  const f = pick(OBJECT_FIELDS)
  if (chance(0.03)) return { text: f, field: f, path: [f] } // no path: get(event[f], f)
  const segs = randomPath()
  return { text: f + '.' + segs.map((s) => s[0]).join('.'), field: f, path: segs.map((s) => s[1]) }
}

function stringLit(q, s) {
  return q + s + q
}

// A literal: {text, value (for planting), kind}.
function literal(q) {
  const r = int(20)
  if (r < 8) {
    const s = randomString()
    return { text: stringLit(q, s), value: s }
  }
  if (r < 12) {
    const t = pick(['0', '1', '-1', '42', '3.5', '-0.5', '007', '1.50', '100', '1.', '-', '+5', '0.1', '99999999999999999999', '0.0000001', '4294967296', '7'])
    const n = Number(t)
    return { text: t, value: Number.isNaN(n) ? 0 : n }
  }
  if (r < 14) {
    const b = pick(['true', 'false'])
    return { text: b, value: b === 'true' }
  }
  if (r < 16) return { text: 'null', value: null }
  if (r < 17) {
    const id = pick(['foo', 'an', 'nu', 'nul', 'page', 'abc', 'x1', 'eos'])
    return { text: id, value: id }
  }
  if (r < 18) return { text: stringLit(q, pick(['42', '3.5', '-1', '', ' 7 ', '0x10', '1e3'])), value: pick([42, 3.5, -1, 0, 7, 16, 1000]) }
  if (r < 19) return { text: stringLit(q, pick(['page', 'track', 'identify', 'group', 'alias', 'screen'])), value: pick(TYPES) }
  return { text: '', value: 'eos' } // missing value
}

function spaced(op) {
  const r = int(20)
  if (r === 0) return op // no spaces: often a syntax error
  if (r === 1) return op + ' '
  if (r === 2) return ' ' + op
  if (r === 3) return '  ' + op + '\t'
  if (r === 4) return '\n' + op + ' '
  return ' ' + op + ' '
}

const OPS = ['=', '=', '=', '!=', '!=', '<', '>', '<=', '>=']
const WORD_OPS = ['contains', 'exists', 'not_exists', 'starts_with', 'ends_with', 'is_true', 'is_false', 'number_equals', 'number_not_equals', 'not_contains', '==', '!']

function comparison(q) {
  const f = fieldRef()
  const op = chance(0.05) ? pick(WORD_OPS) : pick(OPS)
  const lit = literal(q)
  const text = f.text + spaced(op) + lit.text
  const plants = []
  if (chance(0.5)) plants.push([f.field, f.path, lit.value])
  return { text, plants }
}

function funcFieldRef() {
  const r = int(10)
  if (r < 4) {
    const f = pick(['event', 'name', 'userId', 'type'])
    return { text: f, field: f, path: [] }
  }
  if (r === 4) {
    const t = pick(['properties', 'traitsfoo', 'contextx.a', '"name"', 'foo', 'propertiesa'])
    return { text: t, field: 'properties', path: ['a'] }
  }
  return fieldRef()
}

function func(q) {
  const name = chance(0.5) ? 'contains' : 'match'
  const f = funcFieldRef()
  let lit
  let planted
  const s = randomString()
  if (name === 'match') {
    const r = int(6)
    if (r < 2) { lit = stringLit(q, s + '*'); planted = s + pick(['', 'zz', ' tail']) }
    else if (r < 4) { lit = stringLit(q, '*' + s); planted = pick(['', 'zz', 'head ']) + s }
    else if (r < 5) { lit = stringLit(q, s); planted = 'z' + s }
    else { const l = literal(q); lit = l.text; planted = String(l.value) }
  } else {
    if (chance(0.85)) { lit = stringLit(q, s); planted = pick(['', 'x', 'pre ']) + s + pick(['', ' post']) }
    else { const l = literal(q); lit = l.text; planted = String(l.value) }
  }
  const neg = chance(0.25) ? '!' : ''
  const sep = pick([', ', ',', ' , ', ',  '])
  let text = `${neg}${name}(${f.text}${sep}${lit})`
  if (chance(0.05)) text = `${neg}${name}(${f.text}${sep}${lit}` // missing ")"
  if (chance(0.03)) text = `${neg}${name}(${f.text})`
  if (chance(0.03)) text = `${neg}${name} ${f.text} ${lit}`
  const plants = chance(0.6) ? [[f.field, f.path, planted]] : []
  return { text, plants }
}

function term(q) {
  return chance(0.3) ? func(q) : comparison(q)
}

const CONNECTORS = ['and', 'and', 'and', 'or', 'or', 'or', 'AND', 'OR', '', 'And', '&&']

function randomQuery() {
  const q = chance(0.15) ? "'" : '"'
  const n = 1 + int(chance(0.4) ? 1 : 4)
  const terms = []
  for (let i = 0; i < n; i++) terms.push(term(q))
  const plants = terms.flatMap((t) => t.plants)
  const texts = terms.map((t) => t.text)
  // Parentheses around a run of terms.
  if (n >= 2 && chance(0.35)) {
    const i = int(n - 1)
    const j = i + 1 + int(n - i - 1)
    texts[i] = (chance(0.15) ? '!' : '') + '(' + texts[i]
    texts[j] = texts[j] + ')'
  } else if (chance(0.08)) {
    texts[0] = '(' + texts[0] + ')'
  }
  let text = texts[0]
  for (let i = 1; i < n; i++) text += spaced(pick(CONNECTORS)) + texts[i]
  if (chance(0.03)) text = '!(' + text + ')'
  if (chance(0.02)) text += ' )'
  if (chance(0.02)) text = ' ' + text + ' '
  return { text, plants }
}

const MUTATION_CHARS = ['(', ')', '!', '=', '<', '>', '"', '\\', '.', ',', '[', ']', '\r', '\t', '\n', '#', '😀', 'é', ' ', 'a', '0', '-', '*', '_']

function mutate(text) {
  const chars = Array.from(text)
  const r = int(4)
  const i = int(chars.length + 1)
  if (r === 0 && chars.length > 0) chars.splice(Math.min(i, chars.length - 1), 1)
  else if (r === 1) chars.splice(i, 0, pick(MUTATION_CHARS))
  else if (r === 2) chars.length = Math.min(i, chars.length)
  else if (chars.length > 0) chars.splice(i, 0, chars[Math.min(i, chars.length - 1)])
  return chars.join('')
}

// Hand-written queries for the quirks (and the grammar's corners).
const FIXED = [
  'type = "page"', "type = 'page'", 'type = "track" and event = "Signed Up"',
  'type = "track" or type = "page"', 'type = "track" or type = "page" and name = "Home"',
  'type = "page" and name = "Home" or event = "x"', 'type = "page" AND name = "Home"',
  'type = "page" OR type = "track"', 'type = "page" name = "Home"',
  '!(type = "page")', '(type = "page")', '(type = "page" or type = "track") and name = "Home"',
  '((type = "page"))', '(type = "page"', 'type = "page")', ')', '(', '()', '() and type = "page"',
  'type = "page" and ()', 'type = "page" or ()', '() or type = "page"', '(contains(name, "o"))',
  '(contains(name,"o") and type = "page")', '( )', '(type = "page") (type = "track")',
  'x>5', 'properties.a>5', 'properties.a >5', 'properties.a> 5', 'properties.a >=5', 'properties.a >= 5',
  'properties.a<=5', 'properties.a <= 5', 'properties.a !=10', 'properties.a != 10', 'name!="x"', 'name != "x"',
  'name="Home"', 'name= "Home"', 'userId = 42', 'userId = "42"', 'userId != null', 'userId = null',
  'userId = true', 'userId = false', 'name = true', 'name != null', 'name = null', 'event = null', 'event != null',
  'type = null', 'type != null', 'properties.a = null', 'properties.a != null', 'properties.a = true',
  'properties.a = false', 'properties.a != true', 'properties.a = 5', 'properties.a != 5', 'properties.a = "5"',
  'properties.a < "5"', 'properties.a < "0x10"', 'properties.a < true', 'properties.a > false', 'properties.a < null',
  'properties.a < abc', 'properties.a = -', 'properties.a != -', 'properties.a = 1.', 'properties.a = 1.2.3',
  'properties.a = 1..2', 'properties.a = 1. ', 'properties.a = .5', 'properties.a = 5abc', 'properties.a = 007',
  'properties.a[0] = 1', 'properties.a.\\0 = 1', 'properties.a.0 = 1', 'properties.tags.length > 1',
  'properties.name.length = 3', 'properties.a.b = 0', 'properties.a.b = ""', 'properties.a.b = false',
  'properties = null', 'properties != null', 'properties.properties != null', 'properties\\. != null',
  'properties.\\. != null', 'properties.\\[\\] = 1', 'contains(properties, "x")', 'contains(propertiesa, "x")',
  'contains(type, "pa")', 'match(type, "pa*")', 'contains(name, "")', 'match(name, "")', 'match(name, "*")',
  'match(name, "abc")', 'match(name, "Home")', 'match(name, "*ome")', 'match(name, "Ho*")', 'match(name, "H*e")',
  'match(name, "😀abc")', 'match(name, "😀*")', '!contains(name, "o")', '!match(name, "Ho*")', '!match(name, "*me")',
  '! contains(name, "o")', '!(contains(name, "o"))', '!name = "Home"', 'contains(name, "o"', 'contains(name,',
  'contains(name', 'contains(', 'contains', 'match', 'match(name, ', 'contains name "o"', 'name contains "o"',
  'name exists x', 'properties.a exists 1', 'properties.a is_true 1', 'properties.a number_equals "5"',
  'name =', 'name', 'name = ', 'type = an', 'name = an', 'name = nu', 'name = nul', 'name = null)', 'name = a\\',
  'name = b\\', 'name = \\', '\\', 'name = "a""b"', 'name = "a"b', 'name = "a"', "name = 'a'b", 'name = ""',
  'name = "Home', "name = 'Home", 'type = "page"\r', 'type = "page"\n', '\ttype\t=\t"page"', 'type\n=\n"page"',
  'constructor = 5 type = "page"', 'toString (type = "page")', '__proto__ = 1', 'valueOf', 'foo = "x"',
  'foo = "x" and type = "page"', 'foo (type = "page")', 'type.x = "page"', 'Type = "page"', 'TYPE = "page"',
  'type = "page" and', 'and type = "page"', 'or', 'and', 'null', 'type = "page" or', 'type = "page",',
  'type = "page" [', 'type = "page" ]', 'type = "page" .', '[type = "page"]', 'type = "p😀"', 'type = 😀',
  'naïve = 1', 'properties.\\é = 1', 'properties.\\😀 = 1', 'event = "日本語"', 'contains(event, "本")',
  'type = "page" and name != "Home" and properties.a > 1', 'type = "page" or event = "x" or name = "y"',
  'type = "page" and (name = "Home" or name = "About")', '(type = "page" and name = "Home") or type = "track"',
  'type = "page" and (name = "Home" or (name = "About"))', 'type = "page" and !(name = "Home")',
  'properties.a = 1 or properties.b = 2 and properties.c = 3', '!', '!a', '!=', '!= "x"', '= "x"',
  '"x"', '5', '-', 'type != "page"', 'type != ""', 'event != "x"', 'name = "Straße"', 'context.page.path = "/"',
  'context.page.url contains "x"', 'match(context.page.url, "https*")', 'contains(context.page.url, "?")',
  'traits.email != null', 'contains(traits.email, "@")', 'match(traits.email, "*@example.com")',
]

// ---------------------------------------------------------------------------

function runOracle(query, event) {
  const ast = parseFql(query)
  if (ast.error) return { parseError: true, match: false }
  try {
    return { parseError: false, match: validate(ast, event) === true }
  } catch (e) {
    return { parseError: false, match: false, throws: true }
  }
}

const cases = []
const seen = new Set()

function addCase(query, event) {
  const ev = JSON.parse(JSON.stringify(event))
  const key = query + '\u0000' + JSON.stringify(ev)
  if (seen.has(key)) return
  seen.add(key)
  const res = runOracle(query, ev)
  const c = { query, event: ev, parseError: res.parseError, match: res.match }
  if (res.throws) c.throws = true
  if (query.includes("'")) {
    if (query.includes('"') || query.includes('\\')) throw new Error('ambiguous quotes: ' + query)
    const dq = runOracle(query.replaceAll("'", '"'), ev)
    c.singleQuoted = true
    c.expect = { parseError: dq.parseError, match: dq.match }
  }
  cases.push(c)
}

function eventsFor(plants) {
  const out = []
  for (let i = 0; i < EVENTS_PER_QUERY; i++) {
    const ev = randomEvent()
    if (i < 2 && plants.length > 0) {
      for (const [field, path, value] of plants) if (chance(0.85)) plant(ev, field, path, value)
    }
    out.push(ev)
  }
  return out
}

// A few events that are not objects (validate throws on null).
const ODD_EVENTS = [null, [], 'page', 5, true, {}, { type: 'page', properties: 0 }, { type: 'page', properties: 'abc' }, { type: 'page', properties: [1, 2] }]

function usable(query) {
  return !(query.includes("'") && (query.includes('"') || query.includes('\\')))
}

for (const query of FIXED) {
  if (!usable(query)) continue
  for (const ev of eventsFor([])) addCase(query, ev)
  addCase(query, { type: 'page', name: 'Home', userId: 'u1', properties: { a: 5, b: 'x', name: 'abc', tags: ['a', 'b'] }, context: { page: { path: '/', url: 'https://x.test/a?b=1' } } })
}

// Systematic cases: one comparison or function on one field, with the
// field set to a value related to the literal (equal, off by one, the same
// number as a string, another type, missing), so that every operator meets
// every JavaScript type.
function related(v) {
  const out = [undefined, null]
  if (typeof v === 'string') {
    out.push(v, v, v + 'x', 'x' + v, v.slice(1), v.toUpperCase(), '', true, 0)
    if (v.trim() !== '' && !Number.isNaN(Number(v))) out.push(Number(v), Number(v) + 1, Number(v) - 1)
  } else if (typeof v === 'number') {
    out.push(v, v, v - 1, v + 1, String(v), -v, 0, 'x', false)
  } else if (typeof v === 'boolean') {
    out.push(v, v, !v, String(v), 1, 0, '')
  } else {
    out.push('', 0, false, 'null', 'eos', {}, [])
  }
  out.push({ a: v }, [v])
  return out
}

const SYS_FIELDS = ['type', 'event', 'name', 'userId', 'properties.a', 'traits.a', 'context.a', 'properties.a.b', 'context.page.title', 'properties']
const SYS_OPS = ['=', '!=', '<', '>', '<=', '>=', 'contains', 'not_contains', 'exists', 'starts_with', 'ends_with', 'number_equals', 'is_true', 'is_false', 'not_exists']
const SYS_LITERALS = [
  '"x"', '"Home"', '""', '"42"', '"3.5"', '"-1"', '" 7 "', '"0x1F"', '"0X1f"', '"0o17"', '"0b101"', '"0b2"', '"0x"', '"1e3"',
  '"1e400"', '"-Infinity"', '"Infinity"', '"+5"', '"5."', '".5"', '"\u00a05\u2003"', '"\u180e5"', '"1_0"', '"0.1e-2"',
  '0', '42', '3.5', '-1', '007', '1.50', '-', '+', '1.', '99999999999999999999999', '0.0000001', '123456789012345678',
  'true', 'false', 'null', 'abc', 'page', "'x'", "'42'", "'Home'",
]

function sysValueOf(lit) {
  if (lit === 'true') return true
  if (lit === 'false') return false
  if (lit === 'null') return null
  if (lit.startsWith('"') || lit.startsWith("'")) return lit.slice(1, -1)
  const n = Number(lit)
  return Number.isNaN(n) ? lit : n
}

function setField(ev, fieldText, value) {
  const [f, ...path] = fieldText.split('.')
  if (value === undefined) return
  if (path.length === 0) {
    if (['properties', 'traits', 'context'].includes(f)) ev[f] = { properties: value }
    else ev[f] = value
    return
  }
  plant(ev, f, path, value)
}

for (let i = 0; i < 700; i++) {
  const field = pick(SYS_FIELDS)
  const lit = pick(SYS_LITERALS)
  let query
  const r = int(10)
  if (r < 6) query = field + ' ' + pick(SYS_OPS.slice(0, 6)) + ' ' + lit
  else if (r < 7) query = field + ' ' + pick(SYS_OPS) + ' ' + lit
  else if (r < 8) query = `${chance(0.3) ? '!' : ''}contains(${field}, ${lit})`
  else query = `${chance(0.3) ? '!' : ''}match(${field}, ${pick([lit, lit.replace(/(["'])$/, '*$1'), lit.replace(/^(["'])/, '$1*')])})`
  if (!usable(query)) continue
  const v = sysValueOf(lit)
  const values = related(typeof v === 'string' && lit.startsWith('"*') ? v.slice(1) : v)
  for (let k = 0; k < 3; k++) {
    const ev = { type: pick(TYPES) }
    setField(ev, field, pick(values))
    addCase(query, ev)
  }
}

// Paths through strings, arrays, numbers and booleans: .length, indexes
// (escaped digits) and built-in prototype members.
const PATH_VALUES = ['abc', '', 'a😀b', '😀', '日本', [], ['x', 'y', 'z'], [{ b: 1 }], 5, 0, -1.5, true, false, null, { length: 2, 0: 'own' }, {}]
const PATH_QUERIES = [
  'properties.s.length = 3', 'properties.s.length > 1', 'properties.s.length < 1', 'properties.s.length != null',
  'properties.s.\\0 = "a"', 'properties.s.\\0 = "x"', 'properties.s.\\1 = "b"', 'properties.s.\\2 != null', 'properties.s.\\01 != null',
  'properties.s.\\0.b = 1', 'properties.s.\\4294967295 != null', 'properties.s.\\3 = null',
  'match(properties.s.\\1, "😀")', 'match(properties.s.\\0, "😀")', 'match(properties.s.\\2, "😀")', 'contains(properties.s.\\1, "")',
  'match(properties.s, "😀b")', 'match(properties.s, "😀")', 'match(properties.s, "x😀")', '!match(properties.s, "😀b")',
  'properties.s.toFixed != null', 'properties.s.valueOf != null', 'properties.s.toUpperCase != null', 'properties.s.map != null',
  'properties.s.hasOwnProperty != null', 'properties.s.constructor = null', 'properties.s.nope != null', 'properties.s.length.toFixed != null',
  'properties.s.__proto__ != null', 'properties.s.toString = "x"', 'contains(properties.s.toString, "x")',
  'properties.s.\\. != null', 'properties.s\\[0\\] = "a"', 'properties.s.\\[1\\] != null',
]
for (const q of PATH_QUERIES) {
  for (const v of PATH_VALUES) addCase(q, { type: 'track', properties: { s: v } })
}

// Token soup: random sequences of FQL tokens, to exercise how parseFql
// skips, consumes and groups tokens that do not form conditions.
const SOUP_TOKENS = [
  'type', 'event', 'name', 'userId', 'properties.a', 'traits.b', 'context.c', 'properties', 'properties.a.b',
  'contains', 'match', 'foo', 'constructor', 'toString', 'true', 'false', 'null', 'and', 'or', 'AND', 'OR',
  '=', '=', '=', '!=', '<', '>', '<=', '>=', '!', '(', '(', ')', ')', ',', ',', '"x"', '"a*"', '"*a"', '""', '"5"',
  '5', '-1', '1.5', '-', 'an', '[', ']', '.', 'eos', 'exists', 'contains(', 'match(', '!contains(', '!match(', '!(',
]
const SOUP_EVENTS = [
  { type: 'page', name: 'x', userId: '5', properties: { a: 'x', b: 5 }, traits: { b: 'a' }, context: { c: true } },
  { type: 'track', event: 'x', properties: { a: 5 } },
  { type: 'identify', name: 'eos', userId: 'a', properties: { a: 'eos' }, traits: { b: 'eos' } },
  { type: 'page', event: 'a', userId: 5, traits: { b: null }, properties: { a: { b: 'x' } } },
  {},
  { type: 'x', name: 'a*', event: '5', properties: { a: '*a', properties: 'x' }, context: { c: 'x' } },
  { type: 'eos', name: '=', event: '(', userId: ',', properties: { a: 1.5 } },
  { type: 'screen', name: 'ba', properties: { a: -1 }, traits: { b: 5 }, context: { c: '5' } },
]
for (let i = 0; i < 900; i++) {
  const n = 1 + int(9)
  let q = ''
  for (let k = 0; k < n; k++) q += (k > 0 ? pick([' ', ' ', ' ', ' ', '', '\t']) : '') + pick(SOUP_TOKENS)
  const a = int(SOUP_EVENTS.length)
  addCase(q, SOUP_EVENTS[a])
  addCase(q, SOUP_EVENTS[(a + 1 + int(SOUP_EVENTS.length - 1)) % SOUP_EVENTS.length])
}

let made = 0
while (made < NUM_QUERIES) {
  let { text, plants } = randomQuery()
  if (chance(0.12)) text = mutate(text)
  if (chance(0.03)) text = mutate(mutate(text))
  if (!usable(text)) continue
  made++
  for (const ev of eventsFor(plants)) addCase(text, ev)
  if (chance(0.02)) addCase(text, pick(ODD_EVENTS))
}

const out = {
  comment: 'Generated by gen-cases.mjs from @segment/destination-subscriptions parseFql + validate; do not edit.',
  oracle: '@segment/destination-subscriptions@' + oracleVersion,
  seed: SEED,
  cases,
}
// One case per line keeps diffs readable.
const lines = cases.map((c) => JSON.stringify(c))
const text = '{"comment":' + JSON.stringify(out.comment) + ',"oracle":' + JSON.stringify(out.oracle) +
  ',"seed":' + SEED + ',"cases":[\n' + lines.join(',\n') + '\n]}\n'
writeFileSync(join(here, 'cases.json'), text)

const stats = {
  cases: cases.length,
  parseErrors: cases.filter((c) => c.parseError).length,
  matches: cases.filter((c) => c.match).length,
  throws: cases.filter((c) => c.throws).length,
  singleQuoted: cases.filter((c) => c.singleQuoted).length,
  singleQuotedDiffering: cases.filter((c) => c.singleQuoted && (c.expect.match !== c.match || c.expect.parseError !== c.parseError)).length,
  bytes: text.length,
}
console.log(JSON.stringify(stats))
