// Differential test cases for package mapping: deterministic (seeded PRNG,
// no Math.random), evaluated by the oracle,
// require('@segment/actions-core/mapping-kit').transform, pinned in
// package-lock.json. Run from the repo root:
//
//   node action/mapping/testdata/gen-cases.mjs
//
// Writes action/mapping/testdata/cases.json:
//   {oracle: {...versions}, events: [eventText...],
//    cases: [{k: kind, m: mappingText, e: eventIndex,
//             o: JSON.stringify(output) | undefined (u: true), x: errorMessage}]}
// Mapping and event texts are JSON; a few are hand-written to exercise
// JSON.parse corner cases (duplicate keys, -0, 1e400, escapes).
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const { transform } = require('@segment/actions-core/mapping-kit');
const here = dirname(fileURLToPath(import.meta.url));

// mulberry32: small seeded PRNG.
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
// GEN_SEED, GEN_SCALE and GEN_OUT allow larger offline campaigns; the
// committed cases.json uses the defaults.
const seed = Number(process.env.GEN_SEED || 20240611);
const scale = Number(process.env.GEN_SCALE || 1);
const rand = prng(seed);
const int = (n) => Math.floor(rand() * n);
const pick = (arr) => arr[int(arr.length)];
const chance = (p) => rand() < p;

// ---------------------------------------------------------------- events

const words = [
  'straße', 'ΑΣ', 'ὈΔΥΣΣΕΎΣ', 'İstanbul', 'ﬁle', 'ǅemal', 'Hello World', 'hello', 'ÉCOLE', 'naïve café',
  '😀 smile', 'a😀b', '𐐀𐐨', 'ŉ', 'ΐ', 'ᾳ', 'Ǆ', 'x\u0130y', 'ΣΑΣ ΣΑΣ.', 'AΣ\'b', 'Σ', 'ﬀ', 'Ⓐⓑ',
  '  padded  ', '\tTab\n', '', 'a$&b', '$$', '{{userId}}', 'quote"s', 'back\\slash', 'line\nbreak',
  'ctrl\u0001\u001f', '\u2028sep\u2029', 'nul\u0000', 'Ǳ', 'ß', 'ﬆ', 'Ω', 'µ', 'ſ', 'K', 'ı', 'Å',
  '\ud800lone', 'lone\udc00', 'aaa', 'AaAa', 'e.e.e', 'a*b', '[x]', '(y)', 'ends with ß',
  'true', '0', '1e3', ' 42 ', 'null', '[object Object]', 'x,y', 'one two three',
];
const emails = ['ctx@example.com', 'Props@Example.COM', '', null, 'ünï@ex.de', 'a+b@x.io'];
const phones = ['+15550100', '555-0100', 5550100, 0, '', null];
const numbers = [0, 1, -1, 42, 3.14, 0.1 + 0.2, 1e21, 1e-7, 123456789012345680000, 5e-324, 2 ** 53, -0.5, 1.5e300, 100];

function maybe(obj, key, gen, p = 0.7) {
  if (chance(p)) obj[key] = gen();
}

function randomScalar() {
  switch (int(6)) {
    case 0: return pick(words);
    case 1: return pick(numbers);
    case 2: return chance(0.5);
    case 3: return null;
    case 4: return pick(emails);
    default: return pick(words) + ' ' + int(100);
  }
}

function randomValue(depth = 0) {
  if (depth > 2 || chance(0.6)) return randomScalar();
  if (chance(0.5)) {
    const n = int(4);
    return Array.from({ length: n }, () => randomValue(depth + 1));
  }
  const o = {};
  const n = int(4);
  for (let i = 0; i < n; i++) o[pick(['a', 'b', 'c', '0', '10', '2', 'x y', 'ü', 'length', 'size', 'first'])] = randomValue(depth + 1);
  return o;
}

function randomEvent() {
  const type = pick(['track', 'page', 'identify', 'group', 'alias', 'screen']);
  const ev = { type };
  maybe(ev, 'messageId', () => 'msg-' + int(1e6), 0.9);
  maybe(ev, 'timestamp', () => '2024-0' + (1 + int(9)) + '-1' + int(9) + 'T12:00:00.000Z', 0.8);
  maybe(ev, 'anonymousId', () => pick(['anon-1', 'anon-2', '', null]), 0.8);
  maybe(ev, 'userId', () => pick(['user-42', 'u1', '', null, 42, 0, 'ünï©ødé', 'USER-X', '  spaced ']), 0.75);
  if (type === 'track') maybe(ev, 'event', () => pick(['Order Completed', 'Signed Up', '', 'Ünïcode Event']), 0.9);
  if (type === 'page' || type === 'screen') maybe(ev, 'name', () => pick(['Home', 'Checkout', '', null]), 0.7);
  if (type === 'group') maybe(ev, 'groupId', () => pick(['g1', 7, null]), 0.9);
  if (type === 'alias') maybe(ev, 'previousId', () => pick(['old', '', null]), 0.9);
  const props = {};
  maybe(props, 'email', () => pick(emails), 0.5);
  maybe(props, 'phone', () => pick(phones), 0.4);
  maybe(props, 'name', () => pick(words), 0.5);
  maybe(props, 'price', () => pick(numbers), 0.5);
  maybe(props, 'revenue', () => pick(numbers), 0.3);
  maybe(props, 'flag', () => chance(0.5), 0.3);
  maybe(props, 'zero', () => 0, 0.3);
  maybe(props, 'empty', () => '', 0.3);
  maybe(props, 'nul', () => null, 0.3);
  maybe(props, 'tags', () => Array.from({ length: int(4) }, () => pick(words)), 0.4);
  maybe(props, 'items', () => Array.from({ length: int(4) }, (_, i) => {
    const it = { id: 'sku-' + i, name: pick(words), price: pick(numbers) };
    if (chance(0.3)) it.qty = null;
    if (chance(0.3)) it.meta = { color: pick(['red', null, 'blue']) };
    return it;
  }), 0.5);
  maybe(props, 'nested', () => ({ a: { b: { c: randomScalar() }, n: null }, arr: [1, [2, 3], null, { d: 4 }] }), 0.4);
  maybe(props, 'mixed', () => randomValue(), 0.4);
  maybe(props, 'unicode', () => pick(words), 0.4);
  maybe(props, '10', () => 'ten', 0.15);
  maybe(props, '2', () => 'two', 0.15);
  maybe(props, 'constructor', () => 'own constructor', 0.05);
  maybe(props, 'length', () => pick([3, 'long', 0]), 0.08);
  maybe(props, 'size', () => pick([7, 'big']), 0.08);
  maybe(props, '$', () => ({ x: 'dollar' }), 0.05);
  maybe(props, "it's", () => 'apostrophe', 0.05);
  if (chance(0.85)) ev.properties = props;
  if (type === 'identify' || type === 'group' || chance(0.2)) {
    const traits = {};
    maybe(traits, 'email', () => pick(emails), 0.6);
    maybe(traits, 'phone', () => pick(phones), 0.4);
    maybe(traits, 'name', () => pick(words), 0.6);
    maybe(traits, 'address', () => ({ city: pick(['Paris', 'Zürich', null]), zip: pick(['75001', 8000]) }), 0.4);
    ev.traits = traits;
  }
  if (chance(0.85)) {
    const ctx = {};
    if (chance(0.7)) {
      const t = {};
      maybe(t, 'email', () => pick(emails), 0.6);
      maybe(t, 'phone', () => pick(phones), 0.5);
      ctx.traits = t;
    }
    maybe(ctx, 'page', () => ({ path: '/p', url: 'https://example.com/p?q=1', title: pick(words), referrer: '' }), 0.6);
    maybe(ctx, 'ip', () => '203.0.113.' + int(255), 0.5);
    maybe(ctx, 'locale', () => pick(['en-US', 'de-DE', 'tr-TR']), 0.5);
    maybe(ctx, 'userAgent', () => 'Mozilla/5.0', 0.4);
    ev.context = ctx;
  }
  maybe(ev, 'integrations', () => ({}), 0.2);
  return ev;
}

const events = [];
const eventIndex = new Map();
function addEvent(text) {
  if (!eventIndex.has(text)) {
    eventIndex.set(text, events.length);
    events.push(text);
  }
  return eventIndex.get(text);
}
for (let i = 0; i < 160; i++) addEvent(JSON.stringify(randomEvent()));
const typicalPage = addEvent(JSON.stringify({
  type: 'page', name: 'Home', userId: 'user-42', anonymousId: 'anon-1', messageId: 'm-1',
  properties: { path: '/', url: 'https://example.com/', title: 'Home', email: 'props@example.com', phone: '+15550100' },
  context: { traits: { email: 'ctx@example.com' }, page: { path: '/', url: 'https://example.com/' } },
}));
// Hand-written event texts: JSON.parse corner cases.
const rawEvents = [
  '{"type":"track","userId":"a","userId":"b","properties":{"x":1,"y":2,"x":3}}',
  '{"type":"track","properties":{"neg":-0,"big":1e400,"small":1e-400,"exp":1E+2,"frac":0.000001}}',
  '{"type":"track","properties":{"esc":"\\u00e9\\ud83d\\ude00\\/\\b\\f\\n\\r\\t\\"\\\\","lone":"\\ud800","pair":"\\uD83D\\uDE00"}}',
  ' \n\t{"type" : "page" , "userId" : "spaced" }\r\n',
  '{"type":"track","properties":{"2":"b","1":"a","b":"x","0":"z","-1":"m","01":"lead","4294967295":"big","4294967294":"max"}}',
  '{"type":"identify","traits":{"email":"t@x"},"context":{"traits":{"email":null}},"properties":{"email":"p@x"}}',
  '{"type":"track","properties":{"__proto__":{"polluted":true}}}',
  '{"__proto__":{"userId":"proto"},"type":"page"}',
  '[1,2,3]',
  '"just a string"',
  'null',
  '{"type":"track","properties":{"deep":{"a":{"b":{"c":{"d":{"e":{"f":"deep"}}}}}}}}',
];
const rawEventIdx = rawEvents.map(addEvent);

// -------------------------------------------------------------- mappings

const paths = [
  '$.userId', '$.anonymousId', '$.type', '$.event', '$.name', '$.properties.email', '$.context.traits.email',
  '$.context.traits.phone', '$.properties.phone', '$.', '', '.', '$.userId.length', '$.properties.items[0].name',
  "$.properties['email']", '$.properties["tags"][1]', '$.properties.tags.length', '$.properties.nested.a.b.c',
  'properties.price', '$.properties.zero.x', '$.properties.empty.length', '$.missing.deep', '$.properties.items',
  '$.properties', '$.context', '$.properties.price', '$..userId', '$.properties.tags[5]', '$.properties.items[0]',
  '$.properties.a[b]', '$.$.x', 'properties.$.email', '$.traits.name', '$.properties.unicode', '$.properties.unicode.0',
  '$.properties.unicode.1', '$.properties.nested.arr[1][0]', '$.properties.nested.arr.3.d', '$.properties.nul.x',
  '$.properties.flag', '$.traits', '$.traits.address.city', '$.properties.mixed', '$.properties.10', '$.properties.2',
  '$.properties[10]', '$.properties.items[0]]', '$.properties.items.[0]', "$.properties.'email'", '$.context.page',
  '$.properties.length', '$.properties.size', '$.properties.$.x', '$.timestamp', '$.properties.name.length',
  '$.properties.items.length', '$.properties.tags[0].length', '$.properties.constructor', '$.properties.mixed.0',
  '$.properties.mixed.length', '$.properties.mixed.a', '$.userId.0', '$.properties.name.5', "$.properties.it's",
  '$.properties.nested.a', '$.properties.x', '$.properties.neg', '$.properties.big', '$.properties.esc', '$.properties.lone',
];
const hostilePaths = [
  '$.properties.toString', '$.userId.toString', '$.properties.__proto__', '$.properties.items.map',
  '$.userId.constructor', '$.properties.price.toFixed', '$.properties.hasOwnProperty', '$.properties.tags.push',
];
const pathOf = () => (chance(0.03) ? pick(hostilePaths) : pick(paths));

const templates = [
  '{{userId}}', 'Hi {{ properties.name }}!', '{{{properties.email}}}', '{{properties}}', '{{properties.tags}}',
  '{{ }}', '{{properties.items}}', '{{{{userId}}}}', '{{userId}}}', '{{properties.price}}', '{{properties.nested}}',
  'x{{missing}}y', '{{$.userId}}', '{{properties.nested.arr}}', '{{properties.zero}}{{properties.flag}}',
  '{{ context.traits.email }} / {{ properties.email }}', 'plain text', '', '{{userId.length}}', '{{properties.tags[0]}}',
  "{{properties['email']}}", '{{type}}:{{event}}', '{{properties.mixed}}', '{{{properties.unicode}}}',
  '{{ properties.items[0].price }}', '{{\tuserId\n}}', '{{\u00a0userId\u00a0}}', '{{a}b}}', '{ {userId} }',
  '{{properties.nul}}|{{properties.empty}}', '{{properties.big}}{{properties.neg}}', '{{properties.esc}}',
];

const liquidTemplates = [
  // Within the supported subset.
  '{{ userId }}', '{{ properties.name | upcase }}', '{{ properties.name | downcase }}', '{{ properties.email | default: "none" }}',
  '{{ missing | default: "fallback" }}', 'Hello {{ properties.name | append: "!" }}', '{{ properties.name | prepend: ">" }}',
  '{{ properties.tags | size }}', '{{ properties.name | size }}', '{{ properties | size }}', '{{ properties.name | strip }}',
  '{{ properties.name | replace: "a", "b" }}', '{{ properties.name | split: " " | join: "-" }}', '{{ properties.tags | first }}',
  '{{ properties.tags | last }}', '{{ properties.tags | join: ", " }}', '{{ properties.tags | join }}',
  '{% if properties.email %}{{ properties.email }}{% else %}no email{% endif %}',
  '{% if userId == "user-42" %}yes{% else %}no{% endif %}', '{% unless userId %}anon{% else %}{{ userId }}{% endunless %}',
  '{% if properties.price > 10 %}big{% elsif properties.price > 1 %}mid{% else %}small{% endif %}',
  '{{ properties.items[0].name }}', '{{ properties.items.size }}', '{{ properties.items.first.id }}', '{{ properties.items.last.id }}',
  '{{ properties.tags[-1] }}', '{{ properties.price }}', '{{ properties.nested }}', '{{ properties.nested.arr }}',
  '{{ properties.flag }}', '{{ properties.nul }}', '{{ properties.zero }}', '{{ "literal" }}', "{{ 'single' | upcase }}",
  '{{ 42 }}', '{{ 1.50 }}', '{{ -3 }}', '{{ true }}', '{{ nil }}', '{{- userId -}}', '  {{- userId }}  ', '{{ userId -}}  \n x',
  '{% if properties.tags contains "hello" %}has{% endif %}', '{% if properties.name contains "a" %}a{% endif %}',
  '{% if userId and properties.email %}both{% endif %}', '{% if userId or properties.email %}either{% endif %}',
  '{% if userId != nil %}set{% endif %}', '{% if properties.price >= 42 %}ge{% endif %}{% if properties.price <= 42 %}le{% endif %}',
  '{% if properties.zero %}zero is truthy{% endif %}', '{% if properties.empty %}empty is truthy{% endif %}',
  '{% if a == b %}same{% endif %}', '{{ properties.name | capitalize }}', '{{ properties.name | remove: "a" }}',
  '{{ properties.name | remove_first: "l" }}', '{{ properties.name | replace_first: "l", "L" }}',
  '{{ properties.name | lstrip }}|{{ properties.name | rstrip }}', '{{ properties.name | split: "" | join: "." }}',
  '{{ properties.name | split: "a" | size }}', '{{ properties.email | downcase | strip }}', '{{ userId | size }}',
  '{{ properties.name | strip_newlines }}', '{{ properties["name"] }}', '{{ properties.items[0]["price"] }}',
  '{{ context.traits.email | default: properties.email | default: "none" }}', '{{ properties.price | append: "" }}',
  '{%- if userId -%} {{ userId }} {%- endif -%}', '{{ properties.unicode | upcase }}', '{{ properties.unicode | downcase }}',
  '{{ properties.mixed | join: "+" }}', '{{ properties.mixed | first }}', '{{ properties.mixed | size }}',
  '{% if properties.tags == empty %}e{% endif %}', '{{ name | default: event | default: type }}',
  '{% if properties.price > "10" %}str{% endif %}', '{% if userId == 42 %}num{% endif %}', '{% if properties.nul == nil %}nil{% endif %}',
  '{% if properties.missing == properties.other %}undef eq{% endif %}', '{% if properties == properties %}same obj{% endif %}',
  '{{ properties.length }}', '{{ properties.size }}', '{{ properties.first }}', '{{ userId.first }}', '{{ userId | first }}',
  '{% unless properties.flag %}not flagged{% endunless %}', '{% if true %}t{% endif %}{% if false %}f{% endif %}',
  // Outside the subset (or invalid for the oracle too).
  '{% assign x = userId %}{{ x }}', '{% for t in properties.tags %}{{ t }}{% endfor %}', '{% case type %}{% when "page" %}p{% endcase %}',
  '{{ properties.price | plus: 1 }}', '{{ properties.tags | sort | join }}', '{{ timestamp | date: "%Y" }}',
  '{% capture c %}x{% endcapture %}{{ c }}', '{% comment %}hidden{% endcomment %}shown', '{% raw %}{{ x }}{% endraw %}',
  '{{ userId | truncate: 3 }}', '{{ "a\\"b" }}', '{% if not userId %}x{% endif %}', '{{ (1..3) | join }}',
  '{{ userId | foo }}', '{{ userId | constructor }}', '{% include "x" %}', '{{ userId', '{% if userId %}unclosed',
  '{{ }}', '{% %}', '{% endif %}', '{{ userId | append }}', '{{ userId | append: "a", "b" }}', '{{ a b }}', '{{ a, b }}',
  '{{ properties.tags | map: "x" }}', '{{ properties.name | slugify }}', '{{ properties.price | round }}', '{{ userId | json }}',
  '{% echo userId %}', '{% liquid echo userId %}', '{%# comment %}', '{{ userId | strip: "u" }}', '{{ userId | default: "x", allow_false: true }}',
  '{% if userId %}a{% elsif %}b{% endif %}', '{% if userId %}a{% else junk %}b{% endif %}', '{{ properties.tags | reverse }}',
  '{{ empty }}', '{{ blank }}', '{% if properties.empty == blank %}b{% endif %}', '{{ userId | upcase: }}', '{{ userId || upcase }}',
];

function genPath() {
  if (chance(0.1)) return { '@template': pick(['$.userId', '$.properties.{{type}}', 'context.traits.email']) };
  return pathOf();
}

function genLeaf() {
  switch (int(10)) {
    case 0: return pick(words);
    case 1: return pick(numbers);
    case 2: return chance(0.5);
    case 3: return null;
    default: return { '@path': genPath() };
  }
}

function genObjectMapping(depth, n = 1 + int(3)) {
  const o = {};
  for (let i = 0; i < n; i++) {
    o[pick(['a', 'b', 'id', 'email', 'name', '0', '3', '10', 'x y', 'ü', 'value', 'mapping', '-1', 'deep'])] = gen(depth + 1);
  }
  return o;
}

function maybeBad(valid, bads, p = 0.08) {
  return chance(p) ? pick(bads) : valid;
}

function gen(depth = 0) {
  if (depth > 4 || chance(0.25 + depth * 0.12)) return genLeaf();
  const r = int(100);
  if (r < 12) return { '@path': maybeBad(genPath(), [1, null, ['$.userId'], { a: 1 }, true], 0.04) };
  if (r < 24) {
    const opts = {};
    const which = chance(0.75) ? 'exists' : 'blank';
    opts[which] = chance(0.8) ? { '@path': genPath() } : pick([0, '', false, null, 'lit', 1, [], {}]);
    if (chance(0.85)) opts.then = gen(depth + 1);
    if (chance(0.7)) opts.else = chance(0.85) ? gen(depth + 1) : pick([0, '', false, null]);
    if (chance(0.05)) opts.exists = opts.exists ?? { '@path': '$.userId' };
    if (chance(0.04)) delete opts[which];
    if (chance(0.03)) opts.extra = { '@bogus': 1 };
    return { '@if': maybeBad(opts, ['str', null, [opts], 5], 0.03) };
  }
  if (r < 32) return { '@template': chance(0.9) ? pick(templates) : maybeBad({ '@path': '$.properties.name' }, [5, null, ['x']], 0.5) };
  if (r < 38) return { '@literal': chance(0.5) ? gen(depth + 1) : randomValue() };
  if (r < 45) {
    const shape = pick([
      { id: { '@path': '$.id' }, n: { '@path': '$.name' } },
      { price: { '@path': '$.price' }, up: { '@case': { operator: 'upper', value: { '@path': '$.name' } } } },
      {},
      { '@path': '$.id' },
      { whole: { '@path': '$.' }, len: { '@path': '$.length' } },
      { c: { '@path': '$.meta.color' }, t: { '@template': '{{id}}-{{qty}}' } },
      { nested: { '@arrayPath': ['$.tags', { t: { '@path': '$.' } }] } },
    ]);
    const p = pick(['$.properties.items', '$.properties.tags', '$.properties.nested', '$.properties.nested.arr', '$.properties', '$.missing',
      '$.userId', 'properties.items', { '@path': '$.properties.items' }, '$.properties.mixed']);
    const arr = chance(0.8) ? [p, shape] : pick([[p], [], [p, shape, 'extra'], [5, shape], [null, shape]]);
    return { '@arrayPath': maybeBad(arr, [{ a: 1 }, 'str', null], 0.04) };
  }
  if (r < 52) {
    const opts = { operator: maybeBad(pick(['lower', 'upper']), ['LOWER', 'title', 5, '', null], 0.1) };
    if (chance(0.9)) opts.value = chance(0.6) ? { '@path': genPath() } : pick(words);
    if (chance(0.05)) delete opts.operator;
    return { '@case': maybeBad(opts, ['upper', null, 5], 0.03) };
  }
  if (r < 60) {
    const opts = {
      pattern: maybeBad(pick(['a', '$', 'e', 'É', 'ß', 'ss', '.', '*', '[x]', ' ', '(', 'l', 'A', 'σ', 'Σ', '😀', 'i', 'İ', 'k', 'µ', 'ſ', '\ud83d', 'user', '-', '{{', '\n']),
        ['', 'aaaaaaaaaaa', 5, null, 'abcdefghij']),
    };
    if (chance(0.8)) opts.replacement = maybeBad(pick(['', '-', '$&', '$$', '$`', "$'", '$1', 'x$&y', '$<a>', '$', '$0', 'Ω', '$$$&']), ['12345678901', 5, null]);
    if (chance(0.9)) opts.value = chance(0.6) ? { '@path': genPath() } : pick([...words, 5, true]);
    if (chance(0.3)) opts.global = maybeBad(chance(0.5), ['yes', null, 1]);
    if (chance(0.3)) opts.ignorecase = maybeBad(chance(0.6), ['yes', null, 0]);
    if (chance(0.2)) {
      opts.pattern2 = pick(['b', 'o', '-', 'aaaaaaaaaaaa', '', 7]);
      if (chance(0.7)) opts.replacement2 = pick(['B', '', '$&', 9, null, '12345678901']);
    }
    return { '@replace': maybeBad(opts, ['x', null], 0.02) };
  }
  if (r < 66) {
    const opts = { mode: maybeBad(pick(['encode', 'decode']), ['ENCODE', 'Decode', 'x', '', 5]) };
    if (chance(0.95)) {
      opts.value = chance(0.5) ? gen(depth + 1) : pick(['{"a":1}', '[1,2', '5', ' "str" ', 'null', '{"__proto__":1}', '1e400',
        '{"b":1,"a":2,"1":3}', 'tru', '"\\ud800"', { '@path': '$.properties.nested' }, { '@path': '$.properties.name' }, 0, '', false]);
    }
    return { '@json': maybeBad(opts, ['encode', null], 0.02) };
  }
  if (r < 72) {
    const opts = {
      value: chance(0.7) ? { '@path': pick(['$.properties', '$.context', '$.properties.nested', '$.properties.items', '$.', '$.properties.tags', '$.userId', '$.missing']) } : gen(depth + 1),
    };
    if (chance(0.9)) opts.separator = maybeBad(pick(['.', '_', '/', '', '__']), [5, null, { '@path': '$.type' }]);
    if (chance(0.3)) opts.omitArrays = pick([true, false, 1, 'yes', null]);
    if (chance(0.04)) delete opts.value;
    return { '@flatten': maybeBad(opts, ['x'], 0.02) };
  }
  if (r < 79) {
    const objs = Array.from({ length: int(4) }, () => pick([
      genObjectMapping(depth + 1),
      { '@path': pick(['$.properties', '$.context.traits', '$.traits', '$.properties.tags', '$.userId', '$.missing', '$.properties.nul']) },
      { a: 1, b: null },
      {},
    ]));
    const opts = { objects: maybeBad(objs, ['x', null, 5, {}], 0.05) };
    if (chance(0.9)) opts.direction = maybeBad(pick(['left', 'right']), ['LEFT', 'up', 5, null]);
    if (chance(0.1)) objs.push(pick(['str', 5, null, [1]]));
    return { '@merge': maybeBad(opts, ['x'], 0.02) };
  }
  if (r < 85) {
    const opts = {};
    if (chance(0.95)) opts.apply = maybeBad(genObjectMapping(depth + 1), [{ '@path': '$.properties' }, 'x', 5, []], 0.15);
    if (chance(0.95)) opts.mapping = maybeBad(genObjectMapping(depth + 1), [{ '@path': '$.a' }, 'x', []], 0.1);
    return { '@transform': opts };
  }
  if (r < 90) return { '@excludeWhenNull': chance(0.5) ? genObjectMapping(depth + 1) : gen(depth + 1) };
  if (r < 94) return { '@liquid': maybeBad(pick(liquidTemplates), [5, null, { '@path': '$.x' }, 'x'.repeat(1001)], 0.03) };
  if (r < 97) return Array.from({ length: 1 + int(3) }, () => gen(depth + 1));
  return pick([
    { '@bogus': 1 },
    { '@path': '$.userId', extra: 1 },
    { '@path': '$.userId', _metadata: { note: 1 } },
    { '@path': '$.userId', '@template': '{{userId}}' },
    { '@': 1 },
    [{ '@bogus': 1 }],
    [{ '@path': '$.userId', extra: 1 }],
    [{ '@path': '$.userId', '@template': 'x' }],
    { a: { '@if': {} } },
  ]);
}

function genMapping() {
  const r = int(100);
  if (r < 85) return genObjectMapping(0, 1 + int(4));
  if (r < 90) return gen(1);
  return pick([
    'abc', '😀', '', 5, true, [{ '@path': '$.userId' }, 'x'], [], null,
    { __segment_internal_directive: { '@transform': { apply: { id: { '@path': '$.userId' } } } }, out: { '@path': '$.id' } },
    { __segment_internal_directive: { '@merge': { direction: 'right', objects: [{ a: 1 }] } }, b: 2 },
    { __segment_internal_directive: { '@path': '$.userId' }, b: 2 },
    { __segment_internal_directive: {}, b: 2 },
    { __segment_internal_directive: { a: 1, b: 2 } },
    { __segment_internal_directive: null },
    { __segment_internal_directive: [{ '@path': '$.x' }] },
    { __segment_internal_directive: 'x' },
    { __segment_internal_directive: [[1]] },
  ]);
}

// Random templates inside (mostly) the supported @liquid subset.
const lqVars = [
  'userId', 'type', 'event', 'name', 'properties.name', 'properties.price', 'properties.tags', 'properties.items',
  'properties.items[0].price', 'properties.items[-1].id', 'properties.items.first.name', 'properties.items.last',
  'properties.nested.arr', 'properties.nested.a.b.c', 'properties.zero', 'properties.empty', 'properties.nul',
  'properties.flag', 'missing', 'missing.deep', 'properties.mixed', 'context.traits.email', 'properties.tags.size',
  'properties.tags.first', 'properties.name.size', 'properties.name.first', 'size', 'first', 'properties.length',
  'properties.size', 'properties["name"]', "properties['tags'][0]", 'properties.unicode', 'properties.email',
  'userId.size', 'userId[0]', 'properties.tags[1]', 'properties.nested', 'properties.revenue', 'traits.name',
  'properties.mixed.a', 'properties.mixed[0]', 'properties.name[2]', 'properties.price.size',
];
const lqLits = ['"abc"', "'x'", '""', '0', '1', '-1', '2.5', '10', '"10"', 'true', 'false', 'nil', 'null', '"a"', '" "', '"hello"', '42', '"user-42"', '"ß"', '"Σ"'];
const lqOperand = () => (chance(0.65) ? pick(lqVars) : pick(lqLits));
const lqFilterGens = [
  () => 'upcase', () => 'downcase', () => 'capitalize', () => 'size', () => 'strip', () => 'lstrip', () => 'rstrip',
  () => 'strip_newlines', () => 'first', () => 'last', () => 'join', () => `join: ${lqOperand()}`,
  () => `default: ${lqOperand()}`, () => 'default', () => `append: ${lqOperand()}`, () => `prepend: ${lqOperand()}`,
  () => `replace: ${lqOperand()}, ${lqOperand()}`, () => `replace: ${lqOperand()}`, () => `replace_first: ${lqOperand()}, ${lqOperand()}`,
  () => `remove: ${lqOperand()}`, () => `remove_first: ${lqOperand()}`, () => `split: ${lqOperand()}`, () => 'split',
  () => 'unknown_filter', () => `upcase: ${lqOperand()}`,
];
const lqBlank = () => pick(['', ' ', ' ', '  ', '\n', '\t']);
function lqExpr(withOps) {
  let e = lqOperand();
  if (withOps && chance(0.6)) {
    e += ` ${pick(['==', '!=', '<', '>', '<=', '>=', 'contains'])} ${lqOperand()}`;
    if (chance(0.35)) e += ` ${pick(['and', 'or'])} ${lqOperand()}${chance(0.5) ? ` ${pick(['==', '>', 'contains'])} ${lqOperand()}` : ''}`;
  }
  return e;
}
function lqOutput() {
  let e = lqExpr(chance(0.1));
  const n = int(4);
  for (let i = 0; i < n; i++) e += `${lqBlank()}|${lqBlank()}${pick(lqFilterGens)()}`;
  return `{{${chance(0.15) ? '-' : ''}${lqBlank()}${e}${lqBlank()}${chance(0.15) ? '-' : ''}}}`;
}
function lqText() {
  return pick(['', ' ', 'Hi ', ' / ', '\n', ' x ', 'ü', '  \n  ', '-', ', ', '}', '{ ', '% ']);
}
function lqTemplate(depth = 0) {
  let t = '';
  const n = 1 + int(3);
  for (let i = 0; i < n; i++) {
    t += lqText();
    const r = int(10);
    if (r < 6 || depth > 1) t += lqOutput();
    else if (r < 9) {
      const d = () => (chance(0.2) ? '-' : '');
      t += `{%${d()} if ${lqExpr(true)} ${d()}%}${lqTemplate(depth + 1)}`;
      if (chance(0.3)) t += `{%${d()} elsif ${lqExpr(true)} ${d()}%}${lqTemplate(depth + 1)}`;
      if (chance(0.5)) t += `{%${d()} else ${d()}%}${lqTemplate(depth + 1)}`;
      t += `{%${d()} endif ${d()}%}`;
    } else {
      t += `{% unless ${lqExpr(true)} %}${lqTemplate(depth + 1)}`;
      if (chance(0.4)) t += `{% else %}${lqTemplate(depth + 1)}`;
      t += '{% endunless %}';
    }
  }
  return t + lqText();
}

// ----------------------------------------------------------------- cases

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url)).replace(/[\\/]$/, '');
const cases = [];
function run(kind, mappingText, e) {
  let out;
  let err;
  try {
    out = transform(JSON.parse(mappingText), JSON.parse(events[e]));
  } catch (x) {
    // Some oracle messages carry a stack trace with absolute paths: keep
    // the file independent of where the repository is checked out.
    err = String(x && x.message ? x.message : x).split(repoRoot).join('<root>').slice(0, 200);
  }
  const c = { k: kind, m: mappingText, e };
  if (err !== undefined) c.x = err;
  else {
    const o = JSON.stringify(out);
    if (o === undefined) c.u = true;
    else c.o = o;
  }
  cases.push(c);
}

const ruptDefaults = {
  account: { '@path': '$.userId' },
  email: { '@if': { exists: { '@path': '$.context.traits.email' }, then: { '@path': '$.context.traits.email' }, else: { '@path': '$.properties.email' } } },
  phone: { '@if': { exists: { '@path': '$.context.traits.phone' }, then: { '@path': '$.context.traits.phone' }, else: { '@path': '$.properties.phone' } } },
};
for (let e = 0; e < events.length; e++) run('rupt', JSON.stringify(ruptDefaults), e);

const randomEventIdx = () => (chance(0.04) ? pick(rawEventIdx) : int(160));
for (let i = 0; i < 2600 * scale; i++) run('random', JSON.stringify(genMapping()), randomEventIdx());
for (let i = 0; i < 900 * scale; i++) {
  const m = { out: { '@liquid': pick(liquidTemplates) } };
  if (chance(0.2)) m.again = { '@liquid': pick(liquidTemplates) + pick(liquidTemplates) };
  run('liquid', JSON.stringify(m), chance(0.5) ? typicalPage : int(160));
}
for (let i = 0; i < 1200 * scale; i++) {
  let t = lqTemplate();
  if (t.length > 1000) t = t.slice(0, 1000);
  run('liquid-random', JSON.stringify({ out: { '@liquid': t } }), chance(0.3) ? typicalPage : int(160));
}
// Directive-by-directive sweeps over string inputs for the JS string rules.
for (const w of words) {
  run('case', JSON.stringify({ u: { '@case': { operator: 'upper', value: w } }, l: { '@case': { operator: 'lower', value: w } } }), typicalPage);
  for (const [p, rep] of [['a', '[$&]'], ['s', '$$'], ['σ', 'x'], ['i', '$`|'], ['ß', "$'"], ['k', 'K']]) {
    run('replace', JSON.stringify({ r: { '@replace': { pattern: p, replacement: rep, value: w, ignorecase: true } } }), typicalPage);
  }
  run('template', JSON.stringify({ t: { '@template': '<{{properties.v}}>' } }), addEvent(JSON.stringify({ type: 'track', properties: { v: w } })));
  run('json', JSON.stringify({ j: { '@json': { mode: 'encode', value: w || 'x' } } }), typicalPage);
}
// Numbers: JSON.stringify and String(n) formatting.
{
  const nums = [0, -0, 1e21, 1e-7, 1e-6, 123e-20, 2 ** 53 + 2, -(2 ** 31), 0.1, 1 / 3, 5e-324, 1.7976931348623157e308, 4.35, 0.000001234];
  for (let i = 0; i < 400; i++) {
    const r = int(4);
    if (r === 0) nums.push((rand() * 2 - 1) * 10 ** (int(640) - 320));
    else if (r === 1) nums.push(Math.round((rand() - 0.5) * 2 ** (int(70))));
    else if (r === 2) nums.push(Number((rand() * 1000).toFixed(int(8))));
    else nums.push(rand() * 10 ** int(25));
  }
  for (let i = 0; i < nums.length; i += 20) {
    const e = addEvent(JSON.stringify({ type: 'track', n: nums.slice(i, i + 20) }));
    run('numbers', JSON.stringify({ t: { '@template': '{{n}}' }, j: { '@path': '$.n' }, s: { '@json': { mode: 'encode', value: { '@path': '$.n' } } }, l: { '@liquid': '{{ n | join: "|" }}' } }), e);
  }
}
// JSON.parse corner cases through @json decode.
for (const text of [' 1 ', '1.', '.5', '01', '-', '-0', '1e', '1E+2', '"\\u00"', '"\\u00e9"', '[1,]', '{"a":1,}', '\u2028', '"\u2028"', '\ufeff1',
  '{"a":1,"a":2}', '{"2":1,"1":2,"b":3,"a":4}', 'true ', ' null', 'nul', '"\\x41"', '"a\tb"', '"\\/"', '[[[]]]', '{"":{"":""}}', '1e999', '-1e-999',
  '"\\ud83d\\ude00"', '"\\uD83D"', '123456789012345678901234567890', '0.1e1', '+1', 'NaN', 'Infinity', '[1 2]', '{"a" 1}', '{a:1}', "'x'"]) {
  run('json-parse', JSON.stringify({ d: { '@json': { mode: 'decode', value: text } } }), typicalPage);
}
// Loose blank test, String() and liquid comparisons over many value pairs.
const pool = [0, 1, -1, 10, 9, 2.5, '', ' ', '0', '10', '9', ' 42 ', '0x1f', '1e3', 'abc', 'Abc', 'Infinity', '-0', '1_000', '.5', '5.', '+5', '\t7\n',
  null, true, false, [], [0], [null], [[]], ['a', 'b'], [1, [2, [3]]], {}, { a: 1 }, 'ß', 'é', '😀', 'z', '\ud800'];
for (let i = 0; i < pool.length; i++) {
  const e = addEvent(JSON.stringify({ type: 'track', v: pool[i] }));
  run('blank', JSON.stringify({ b: { '@if': { blank: { '@path': '$.v' }, then: 'set', else: 'blank' } }, t: { '@template': '<{{v}}>' },
    c: { '@case': { operator: 'upper', value: { '@path': '$.v' } } }, r: { '@replace': { pattern: '1', replacement: 'one', value: { '@path': '$.v' } } },
    f: { '@flatten': { value: { '@path': '$.v' }, separator: '.' } }, m: { '@merge': { direction: 'right', objects: [{ '@path': '$.v' }] } },
    x: { '@excludeWhenNull': { '@path': '$.v' } }, l: { '@liquid': '[{{ v }}|{{ v | size }}|{{ v | first }}|{{ v | last }}|{{ v | join: "," }}|{{ v | default: "d" }}|{{ v | upcase }}|{{ v.size }}]' } }), e);
}
for (let i = 0; i < 500 * scale; i++) {
  const a = pick(pool);
  const b = pick(pool);
  const e = addEvent(JSON.stringify({ type: 'track', a, b }));
  run('liquid-compare', JSON.stringify({ r: { '@liquid': '{% if a < b %}lt{% endif %}{% if a > b %}gt{% endif %}{% if a <= b %}le{% endif %}{% if a >= b %}ge{% endif %}{% if a == b %}eq{% endif %}{% if a != b %}ne{% endif %}{% if a contains b %}c{% endif %}{% if a and b %}and{% endif %}{% if a or b %}or{% endif %}{% if a == nil %}nil{% endif %}|{{ a | append: b }}|{{ a | replace: b, "_" }}|{{ a | split: b | join: "+" }}|{{ a | remove_first: b }}' } }), e);
}
// Regressions found by larger offline campaigns.
for (const m of [
  { a: { '@transform': { apply: { '@path': '$.nope' }, mapping: { x: { '@transform': { apply: { k: 1 }, mapping: { k: { '@path': '$.k' } } } } } } } },
  { a: { '@arrayPath': [{ '@literal': [null, 5] }, { x: { '@transform': { apply: { k: 1 }, mapping: { k: { '@path': '$.k' } } } } }] } },
  { a: { '@arrayPath': [{ '@literal': [null, 5, 'ab'] }, { x: { '@liquid': '{{ size }}|{{ 0 }}|{{ first }}' }, y: { '@template': '{{0}}{{length}}' } }] } },
]) run('regression', JSON.stringify(m), typicalPage);
// Hand-written mappings on raw events.
for (const e of rawEventIdx) {
  run('raw', JSON.stringify(ruptDefaults), e);
  run('raw', JSON.stringify({ all: { '@path': '$.' }, f: { '@flatten': { value: { '@path': '$.' }, separator: '.' } } }), e);
  run('raw', JSON.stringify({ p: { '@path': '$.properties' }, t: { '@template': '{{properties}}|{{properties.esc}}|{{properties.lone}}' } }), e);
}

function pkgVersion(name) {
  const main = require.resolve(name === 'liquidjs' ? 'liquidjs' : '@segment/actions-core/mapping-kit');
  const root = main.slice(0, main.lastIndexOf('node_modules/') + 'node_modules/'.length) + name;
  return JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
}

const out = {
  oracle: {
    node: process.versions.node,
    actionsCore: pkgVersion('@segment/actions-core'),
    liquidjs: pkgVersion('liquidjs'),
  },
  events,
  cases,
};
const text = JSON.stringify(out);
writeFileSync(process.env.GEN_OUT || join(here, 'cases.json'), text);
const errs = cases.filter((c) => c.x !== undefined).length;
console.log(`${cases.length} cases (${errs} oracle errors), ${events.length} events, ${text.length} bytes`);
