// The @liquid differential corpus: every liquidjs tag and filter, run
// through Segment's own mapping-kit transform ({"out": {"@liquid": t}})
// from @segment/actions-core, with liquidjs's browser build (the one
// Segment's browser bundle ships: liquidjs's package.json "browser" field)
// in place of its Node build. Both versions are pinned in package-lock.json.
// Deterministic: no randomness, and the clock-reading templates ("now",
// "today", sample) are left out. Run from the repo root:
//
//   node action/mapping/testdata/gen-liquid.mjs
//
// (--serve makes it the oracle of FuzzLiquid instead; see there.)
//
// Writes action/mapping/testdata/liquid.json:
//   {oracle: {...versions}, events: [eventText...],
//    cases: [{k: feature, t: template, e: eventIndex,
//             o: JSON.stringify(output) | x: errorMessage}]}
// The feature ("filter:times", "tag:assign", "limit", ...) is what
// liquid_corpus_test.go counts known gaps by.
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

// Date filters format in the local zone: UTC for liquid.json. With
// DATES_TZ=<zone> only the date cases are written, formatted in that zone,
// to liquid-dates-<zone>.json (wasm/dates_js_test.go runs them through the
// shim's date host in the same zone).
const datesZone = process.env.DATES_TZ || '';
process.env.TZ = datesZone || 'UTC';
// sha256 and hmac_sha256 are asynchronous in the browser build; one that
// fails (hmac_sha256 with an empty key) rejects after the render. A
// browser only logs that; Node would exit.
process.on('unhandledRejection', () => {});
const require = createRequire(import.meta.url);
const Module = require('node:module');
// LIQUIDJS_DIR (a liquidjs package directory) and GEN_OUT compare another
// liquidjs version offline; the committed corpus uses the pinned one.
const liquidDir = process.env.LIQUIDJS_DIR || dirname(dirname(require.resolve('liquidjs')));
const browserBuild = join(liquidDir, 'dist', 'liquid.browser.umd.js');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === 'liquidjs' ? browserBuild : resolve.call(this, request, ...rest);
};
const { transform } = require('@segment/actions-core/mapping-kit');
const here = dirname(fileURLToPath(import.meta.url));

// ---------------------------------------------------------------- events

const events = [
  {
    type: 'track', userId: 'user-42', event: 'Order Completed',
    properties: {
      s: 'hello world', name: 'Ünïcode Ñame ß', n: 42, neg: -3.7, f: 2.5, big: 1e21, tiny: 1e-7, ns: '12', nsf: '3.9',
      nneg: '-4.5', zero: 0, t: true, fa: false, nul: null, empty: '', sp: ' ',
      arr: [3, 1, 'b', 'a', null], nums: [4, 1.5, -2, '3'], words: ['x', 'y', 'z'], nested_arr: [[1, 2], [3, [4]]],
      items: [
        { id: 'a', price: 10, tags: ['x'], ok: true, kind: 'book' },
        { id: 'b', price: '5', ok: false, kind: 'pen' },
        { id: 'c', price: null, kind: 'book' },
        { id: 'd', price: 2.25, ok: true },
      ],
      nested: { a: { b: { c: 'deep' } }, n: null, list: [1, 2] },
      html: '<p class="x">A &amp; B & C</p><br/>', url: 'https://ex.com/a b?q=1&r=ü#h', enc: 'a%20b%2Fc+d%C3%BC',
      emoji: 'a😀b', long: 'The quick brown fox jumps over the lazy dog', spaces: '  a  \t b  ',
      multiline: 'a\nb\r\nc', b64: 'aGVsbG8gd29ybGQ=', date: '2024-03-05T14:07:09.000Z', ts: 1709647629,
      quote: 'say "hi" it\'s', size: 'own size', dash: 'a-b_c d',
    },
    context: { traits: { email: 'Props@Example.COM' } },
  },
  { type: 'page', properties: { arr: [], s: '', n: '0', obj: {} } },
];
const eventTexts = events.map((e) => JSON.stringify(e));

// With --serve, answer {"t": template, "e": eventIndex} lines on stdin
// with {"o": ...} or {"x": ...} lines (FuzzLiquid's oracle) instead of
// writing the corpus.
if (process.argv.includes('--serve')) {
  const { createInterface } = await import('node:readline');
  for await (const line of createInterface({ input: process.stdin })) {
    const { t, e } = JSON.parse(line);
    const c = {};
    try {
      c.o = JSON.stringify(transform({ out: { '@liquid': t } }, structuredClone(events[e])));
    } catch (err) {
      c.x = String(err && err.message).replace(/\n\s+at [\s\S]*$/, '');
    }
    process.stdout.write(JSON.stringify(c) + '\n');
  }
  process.exit(0);
}

// ---------------------------------------------------------------- cases

const cases = [];
const seen = new Set();
function run(k, t, e = 0) {
  const key = t + '\u0000' + e;
  if (seen.has(key)) return;
  seen.add(key);
  const c = { k, t, e };
  try {
    // A fresh copy each time: increment and decrement write their
    // counters into the event object itself.
    const out = transform({ out: { '@liquid': t } }, structuredClone(events[e]));
    c.o = JSON.stringify(out);
  } catch (err) {
    c.x = String(err && err.message).replace(/\n\s+at [\s\S]*$/, '');
  }
  cases.push(c);
}

// Values filters are applied to: every shape an event can carry.
const inputs = [
  'properties.s', 'properties.name', 'properties.n', 'properties.neg', 'properties.f', 'properties.ns',
  'properties.nsf', 'properties.nneg', 'properties.zero', 'properties.t', 'properties.fa', 'properties.nul',
  'properties.empty', 'missing', 'properties.arr', 'properties.words', 'properties.nums', 'properties.items',
  'properties.nested', 'properties.html', 'properties.url', 'properties.emoji', 'properties.long',
  'properties.spaces', 'properties.multiline', 'properties.big', 'properties.tiny', '"literal ß"', '-7', '3.14',
  'nil', 'properties.quote', 'properties.date', 'properties.enc', 'properties.b64', 'properties.nested_arr',
];
const numArgs = ['2', '-1', '0.5', '0', '"3"', 'properties.ns', 'missing', 'properties.nul', 'properties.s', '-2.5', '3'];
const strArgs = ['"o"', '""', '" "', '"ü"', 'properties.n', 'missing', 'nil', '"l"', '"hello"', '","'];

// Arguments per filter ("" is no argument). Every filter is also run
// without arguments on every input.
const filters = {
  // math
  abs: [''], at_least: numArgs, at_most: numArgs, ceil: [''], divided_by: [...numArgs, '2, true', '"3", false', '4.0'],
  floor: [''], minus: numArgs, plus: numArgs, modulo: numArgs, times: numArgs, round: ['', '1', '2', '0', '-1', '"2"', 'missing'],
  // strings
  append: strArgs, prepend: strArgs, capitalize: [''], downcase: [''], upcase: [''], escape: [''], xml_escape: [''],
  escape_once: [''], strip_html: [''], url_decode: [''], url_encode: [''], cgi_escape: [''], uri_escape: [''],
  slugify: ['', '"raw"', '"default"', '"pretty"', '"ascii"', '"latin"', '"none"', '"latin", true', '"pretty", true'],
  lstrip: ['', '"h"', '" a"'], rstrip: ['', '"d"', '" b"'], strip: ['', '"hd"', '" a b"'], strip_newlines: [''],
  squish: [''], normalize_whitespace: [''], number_of_words: ['', '"cjk"', '"auto"'],
  remove: strArgs, remove_first: strArgs, remove_last: strArgs,
  replace: ['"o", "0"', '"l", ""', '"", "-"', 'missing, "x"', '"o"', '"ü", 1'],
  replace_first: ['"o", "0"', '"l", ""', '"", "-"', 'missing, "x"', '"o"'],
  replace_last: ['"o", "0"', '"l", ""', '"", "-"', 'missing, "x"', '"o"'],
  split: ['" "', '""', '","', '"o"', 'missing', '1'],
  truncate: ['', '5', '0', '3', '-1', '20, ""', '5, "…"', '10, "...."', '"4"', '2.7', '100'],
  truncatewords: ['', '2', '0', '1', '-1', '2, ""', '3, "…"', '"2"', '100'],
  base64_encode: [''], base64_decode: [''], sha256: [''], hmac_sha256: ['"key"'],
  // arrays
  join: ['', '", "', '"-"', '""', 'missing', '1'], first: [''], last: [''], size: [''], compact: [''],
  sum: ['', '"price"', '"missing"'], push: ['"q"', '1', 'missing', 'properties.words'],
  unshift: ['"q"', '1', 'missing', 'properties.words'], pop: [''], shift: [''],
  slice: ['0', '1', '-1', '1, 2', '-3, 2', '0, 0', '10', '"1"', '2, -1', '1.5'],
  where: ['"kind", "book"', '"ok"', '"ok", true', '"price", 10', '"price", "5"', '"missing"', '"id", "z"', '"kind"'],
  // values
  default: ['"d"', '"d", allow_false: true', '"d", allow_false: false', '0', 'properties.words', 'missing'],
  json: ['', '2', '"  "', '0'], jsonify: ['', '2'], inspect: ['', '2'], to_integer: [''], raw: [''],
  // dates (UTC; the generator runs with TZ=UTC)
  date: ['"%Y-%m-%d"', '"%H:%M:%S %z"', '"%a %b %e %Y"', '"%s"', '"%j %U %W %u %w"', '"%c"', '"%l:%M %p"', '"%F %T"', '"%B %^a %-d %%"', '"%Y", "America/New_York"', '"%H %Z", "Asia/Tokyo"',
    // strftime's flags, widths and modifiers; unknown conversions; the
    // default format; numeric and bad time zones; the memory limit
    '"%-m/%-d/%y %I:%M:%S.%L %P"', '"%10A|%-10B|%_5d|%05e|%^B|%#b|%#p|%:z|%3N|%N|%12N"', '"%C %y %G %E %Od %Ey %q %h %k %x %X"',
    '"%"', '"100%% %- %5 %^"', '""', 'nil', '1', '"%Y %H:%M %z %Z", 60', '"%H:%M %z %Z", -90.5', '"%H %Z", "Nowhere/Zone"', '"%Y", ""', '"%99999999999d"'],
  date_to_xmlschema: [''], date_to_rfc822: [''], date_to_string: ['', '"ordinal"', '"ordinal", "US"'],
  date_to_long_string: ['', '"ordinal"', '"ordinal", "US"'],
};
// Inputs that suit each kind of filter best get every argument; the rest
// get the first argument only, so each filter has many cases without the
// corpus exploding.
const dateInputs = ['"2024-03-10T07:30:00Z"', '"2024-11-03T05:30:00Z"', '"2024-02-29T23:59:59.999Z"', '"2024-07-04"', '"2024-07-04T10:20:30+02:00"', '1e12', '-86400', '"Tue, 01 Oct 2024 08:09:10 GMT"', '"2024/01/02 03:04"', '2.5', '"1999-12-31T00:00:00"', 'properties.nsf', 'properties.arr', 'properties.date',  'properties.ts', '"2021-12-31T23:59:59Z"', '"March 4, 2020"', '"2020-02-29"', '0', 'properties.s', 'missing', 'properties.nul', '"1700000000"'];
for (const [f, args] of Object.entries(filters)) {
  const isDate = f.startsWith('date');
  const primary = isDate ? dateInputs : inputs.filter((_, i) => i % 3 === (f.length % 3));
  for (const inp of isDate ? dateInputs : inputs) {
    const a = args[0];
    run('filter:' + f, `{{ ${inp} | ${f}${a ? ': ' + a : ''} }}`);
  }
  for (const inp of primary) {
    for (const a of args.slice(1)) run('filter:' + f, `{{ ${inp} | ${f}: ${a} }}`);
  }
  // Chained on its result, and on the empty event.
  const a = args[args.length - 1];
  run('filter:' + f, `{{ properties.words | ${f}${a ? ': ' + a : ''} | json }}`);
  run('filter:' + f, `{{ properties.n | ${f}${a ? ': ' + a : ''} | append: "!" | size }}`);
  run('filter:' + f, `{{ properties.s | upcase | ${f}${a ? ': ' + a : ''} }}`);
  for (const inp of ['properties.arr', 'properties.s', 'properties.n', 'properties.obj', 'missing']) {
    run('filter:' + f, `{{ ${inp} | ${f}${a ? ': ' + a : ''} }}`, 1);
  }
}
// Filters actions-core disables, and names liquidjs does not know.
for (const f of ['array_to_sentence_string', 'concat', 'find', 'find_exp', 'find_index', 'find_index_exp', 'group_by',
  'group_by_exp', 'has', 'has_exp', 'map', 'newline_to_br', 'reject', 'reject_exp', 'reverse', 'sort', 'sort_natural',
  'uniq', 'where_exp', 'type']) {
  for (const t of [`{{ properties.words | ${f} }}`, `{{ missing | ${f}: "a" }}`, `{% if true %}{{ 1 | ${f} }}{% endif %}`, `{% if false %}{{ 1 | ${f} }}{% endif %}`]) {
    run('disabled-filter', t);
  }
}
for (const v of inputs) {
  run('whitespace', `a \n {{- ${v} -}} \n b`);
  run('whitespace', `{%- if ${v} -%} t {%- else -%} f {%- endif -%}|`);
  run('unknown-filter', `{{ ${v} | nosuch: 1 }}`);
}
for (const t of ['{{ properties.s | nosuch }}', '{{ properties.s | nosuch: 1, 2 }}', '{{ properties.s | toString }}', '{{ properties.s | constructor }}', '{{ properties.s | upcase: }}', '{{ properties.s || upcase }}', '{{ properties.s | }}', '{{ | upcase }}']) {
  run('unknown-filter', t);
}

// Tags. Each is exercised over the input values where it takes one.
const tagCases = {
  assign: (v) => [`{% assign x = ${v} %}{{ x }}`, `{% assign x = ${v} | json %}[{{ x }}]`, `{%- assign y = ${v} -%} {{ y | size }}`],
  echo: (v) => [`{% echo ${v} %}`, `{% echo ${v} | json %}`, `a{%- echo ${v} | size -%}b`],
  liquid: (v) => [`{% liquid assign x = ${v}\necho x | json %}`, `{% liquid\n if ${v}\n echo "yes"\n else\n echo "no"\n endif %}`],
  capture: (v) => [`{% capture c %}[{{ ${v} }}]{% endcapture %}{{ c | size }}:{{ c }}`, `{% capture "q" %}{{ ${v} | json }}{% endcapture %}{{ q }}`],
  unless: (v) => [`{% unless ${v} %}no{% else %}yes{% endunless %}`, `{% unless ${v} == 42 %}a{% elsif ${v} %}b{% endunless %}`],
  if: (v) => [`{% if ${v} %}t{% elsif ${v} == empty %}e{% else %}f{% endif %}`, `{% if ${v} == blank %}b{% endif %}{% if ${v} != empty %}ne{% endif %}`, `{% if not ${v} %}n{% endif %}`],
  cycle: (v) => [`{% cycle ${v}, "b" %}{% cycle ${v}, "b" %}{% cycle ${v}, "b" %}`],
};
Object.assign(tagCases, {
  raw: (v) => [`{% raw %}{{ ${v} }}{% endraw %}{{ ${v} }}`],
  comment: (v) => [`{% comment %}{{ ${v} }}{% endcomment %}[{{ ${v} | size }}]`, `{%# ${v} %}{{ ${v} | json }}`],
  increment: (v) => [`{% assign c = ${v} %}{% increment c %}{% decrement c %}{{ c }}`],
  block: (v) => [`{% block b %}[{{ ${v} }}]{% endblock %}`, `{{ ${v} }}{% break %}x`, `{% if ${v} %}{% continue %}{% endif %}y`],
});
for (const [tag, gen] of Object.entries(tagCases)) {
  for (const v of inputs) for (const t of gen(v)) run('tag:' + tag, t);
}
const handTags = {
  raw: ['{% raw %}{{ x }}{% endraw %}', '{% raw %}{% if %}{% endraw %}!', '{%- raw -%} a {%- endraw -%}', '{% raw %}{% endraw %}', '{% raw %}',
    '{% raw %}{{ userId }}{% raw %}{% endraw %}{{ userId }}', '{% raw x %}a{% endraw %}', 'a{% raw %} {% endraw x %}', '{% raw %}{%endraw%}', '{% raw %}{% endraw -%} x',
    '{% raw %}{{{% endraw %}', '{% raw %}}}{% endraw %}', '{% raw %}ü😀{% endraw %}', '{% raw %}{% comment %}{% endraw %}'],
  comment: ['{% comment %}hidden{% endcomment %}shown', '{% comment %}{{ x | nosuch }}{% endcomment %}', '{% comment %}{% if %}{% endcomment %}', '{% comment %}',
    '{%- comment -%} x {%- endcomment -%} y', '{% comment %}{% comment %}{% endcomment %}{% endcomment %}', '{% comment %}{% raw %}{% endcomment %}{% endraw %}{% endcomment %}',
    '{%# inline comment %}x', '{%- # trimmed -%} y', '{% # a %}', '{%# {{ a }} %}b', '{% comment x %}a{% endcomment %}', '{% comment %}{% for x in y %}{% endcomment %}',
    '{% comment %}{% endcomment x %}b', '{% comment %}a{% endcomment %}{% endcomment %}'],
  increment: ['{% increment c %}{% increment c %}{% increment c %}', '{% increment c %}{{ c }}', '{% assign c = 5 %}{% increment c %}{{ c }}', '{% increment %}', '{% increment userId %}{{ userId }}',
    '{% decrement c %}{% decrement c %}', '{% decrement c %}{% increment c %}{% increment c %}', '{% decrement d %}{{ d }}', '{% increment a.b %}', '{% decrement "x" %}',
    '{%- increment c -%} {%- increment c -%}', '{% liquid increment c\nincrement c %}'],
  cycle: ['{% cycle "a", "b" %}{% cycle "a", "b" %}{% cycle "a", "b" %}', '{% cycle "g": "a", "b" %}{% cycle "h": "a", "b" %}{% cycle "g": "a", "b" %}', '{% cycle %}', '{% cycle "a" %}{% cycle "a" %}',
    '{% cycle 1, 2, 3 %}{% cycle 1, 2 %}', '{% cycle properties.n, properties.s %}{% cycle properties.n, properties.s %}'],
  whitespace: ['a  {{- userId -}}  b', 'a \n {%- if true -%} \n b \n {%- endif -%} \n c', '{{- "x" }} ', ' {{ "x" -}} \u00a0y', 'a {%- assign x = 1 %} b', 'a {% assign x = 1 -%} \n\n b',
    '\t{{-userId-}}\t', 'x {{- -}} y', '{{--userId--}}', 'a\r\n{%- comment -%}c{%- endcomment -%}\r\nb', 'a {{- properties.s | upcase -}} b'],
  tags: ['{% %}', '{%%}', '{% nosuch %}', '{% if %}{% endif %}', '{% if true %}', '{% endif %}', '{% else %}', '{% if true %}a{% else %}b{% else %}c{% endif %}', '{% break %}', '{% continue %}',
    '{% block %}', '{% endblock %}', '{% layout "x" %}', '{% if true %}{% elsif %}{% endif %}', '{% unless %}{% endunless %}', '{{ }}', '{{', '}}', '{%', '{{ "a }}" }}', '{{ userId }', '{ {userId} }'],
};
for (const [k, ts] of Object.entries(handTags)) for (const t of ts) run(k === 'tags' || k === 'whitespace' ? k : 'tag:' + k, t);
for (const tag of ['case', 'for', 'include', 'layout', 'render', 'tablerow']) {
  for (const t of [`{% ${tag} %}`, `{% ${tag} x in y %}{% end${tag} %}`, `{% if false %}{% ${tag} "a" %}{% endif %}`, `{% comment %}{% ${tag} %}{% endcomment %}`, `{% raw %}{% ${tag} %}{% endraw %}`]) {
    run('disabled-tag', t);
  }
}
// Expressions: literals, ranges, empty/blank, operators.
for (const t of ['{{ "a\\"b" }}', "{{ 'it\\'s' }}", '{{ "\\n" }}', '{{ (1..3) }}', '{{ (1..3) | join: "," }}', '{{ empty }}', '{{ blank }}', '{{ 1.5e3 }}', '{{ -0 }}', '{{ 007 }}',
  '{{ properties["s"] }}', '{{ properties.words[1] }}', '{{ properties.words[-1] }}', '{{ properties.words.size }}', '{{ properties.items[0]["id"] }}', '{{ properties.nested.a.b.c | upcase }}',
  '{{ properties.size }}', '{{ properties.s.size }}', '{{ properties.arr.first }}', '{{ properties.arr.last }}', '{{ true }}', '{{ false }}', '{{ nil }}', '{{ 1 == 1 }}', '{{ properties.n > 3 }}',
  '{% assign k = "s" %}{{ properties[k] }}', '{% assign i = 1 %}{{ properties.words[i] }}', '{{ properties.words["1"] }}', '{{ a.b.c.d }}', '{{ properties.nul.x }}']) {
  run('expr', t);
}
// Limits: the parse limit (1000 characters, checked by actions-core and by
// liquidjs) and what a template of that size can produce.
for (const t of ['x'.repeat(1000), 'x'.repeat(1001), '{{ "a" }}' + ' '.repeat(991), '{{ "a" }}' + ' '.repeat(992), '😀'.repeat(500), '😀'.repeat(501), '',
  '{% assign s = "abcdefghij" %}' + '{% assign s = s | append: s %}'.repeat(30) + '{{ s | size }}',
  '{{ (1..100000) | size }}', '{{ (1..100000001) | size }}', '{{ (0..1000000) | last }}', '{% assign a = (1..10000) %}{{ a | json | size }}',
  '{{ "x" | append: "' + 'y'.repeat(970) + '" | size }}', '{% if true %}' + '{{ 1 }}'.repeat(80) + '{% endif %}', '{{ "é" }}'.repeat(100)]) {
  run('limit', t);
}

const lines = cases.filter((c) => !datesZone || c.k.startsWith('filter:date')).map((c) => JSON.stringify(c));
const pkgVersion = (name) => {
  const main = require.resolve(name === 'liquidjs' ? 'liquidjs' : '@segment/actions-core/mapping-kit');
  const root = main.slice(0, main.lastIndexOf('node_modules/') + 'node_modules/'.length) + name;
  return JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
};
const liquidVersion = JSON.parse(readFileSync(join(liquidDir, 'package.json'), 'utf8')).version;
const oracle = { actionsCore: pkgVersion('@segment/actions-core'), liquidjs: liquidVersion + ' (browser build)', tz: process.env.TZ };
writeFileSync(process.env.GEN_OUT || join(here, datesZone ? `liquid-dates-${datesZone.replace(/\W+/g, '-')}.json` : 'liquid.json'),
  `{"oracle":${JSON.stringify(oracle)},\n"events":${JSON.stringify(eventTexts)},\n"cases":[\n${lines.join(',\n')}\n]}\n`);
console.log(`${lines.length} cases`);
