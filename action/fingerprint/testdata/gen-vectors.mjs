// Generates vectors.json: test vectors for package fingerprint, computed by
// the real @ruptjs/fingerprint (the version pinned in package-lock.json).
//
// Run from the repository root:
//
//	node action/fingerprint/testdata/gen-vectors.mjs
//
// Deterministic: every random choice comes from a seeded PRNG, and the
// realistic signals are built from signals-chromium.json, a real getSignals()
// capture (see capture-signals.mjs).
//
// The oracle: the package's default export exposes getFuzzyHash (index.d.ts
// declares it; the named exports are only muteSignals and getSignals), so it
// is called directly. It hashes with window.crypto.subtle.digest, so a
// `window` with Node's WebCrypto is provided. Results are cross-checked
// against the CommonJS build (common.cjs).
//
// Each vector records:
//   input      the signals text (JSON.stringify output, or deliberately
//              non-canonical JSON for the "loose/" vectors)
//   canonical  JSON.stringify(JSON.parse(input)), only when it differs
//   hashes     getFuzzyHash(JSON.parse(input), L) for each L in `lengths`,
//              with trailing "0"s trimmed (the test pads them back to L)
//   muted      JSON.stringify(muteSignals(JSON.parse(input))), or "=" when
//              that is the canonical input (nothing muted), or absent
//   muteError  what muteSignals threw, when it threw
//   mutedHashes getFuzzyHash(muteSignals(JSON.parse(input)), L), trimmed,
//              when something was muted
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

globalThis.window ??= { crypto: globalThis.crypto };
const esm = await import('@ruptjs/fingerprint');
const Rupt = esm.default;
const cjs = require('@ruptjs/fingerprint/common.cjs').default;
const pkgVersion = require('@ruptjs/fingerprint/package.json').version;

const LENGTHS = [2048, 64, 100, 1, 7, 4096, 0, 22];

// ---------------------------------------------------------------- PRNG
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(0x52555054); // "RUPT"
const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1)); // inclusive
const pick = (a) => a[Math.floor(rand() * a.length)];
const chance = (p) => rand() < p;
const hex = (n) => Array.from({ length: n }, () => '0123456789abcdef'[int(0, 15)]).join('');
const shuffle = (a) => {
  const b = a.slice();
  for (let i = b.length - 1; i > 0; i--) { const j = int(0, i); [b[i], b[j]] = [b[j], b[i]]; }
  return b;
};
const subset = (a, n) => shuffle(a).slice(0, n);
// Sets an own enumerable property, even for "__proto__".
const setOwn = (o, k, v) => Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });

// ------------------------------------------------------ realistic signals
const real = JSON.parse(fs.readFileSync(path.join(here, 'signals-chromium.json'), 'utf8'));
const cssProps = Object.keys(real.css.defaultStyles.div);
const cssTags = Object.keys(real.css.defaultStyles);

const UAS = {
  chrome: [
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
    'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Mobile Safari/537.36',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0.6478.54 Mobile/15E148 Safari/604.1',
  ],
  safari: [
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
    'Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1',
  ],
  firefox: [
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0',
    'Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Firefox/115.0',
    'Mozilla/5.0 (Android 14; Mobile; rv:126.0) Gecko/126.0 Firefox/126.0',
  ],
  none: [
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 OPR/110.0.0.0',
    'curl/8.5.0',
  ],
};

function deviceFor(family, ua) {
  return {
    isIpad: /iPad/.test(ua),
    isIPhone: /iPhone/.test(ua),
    isDesktop: !/Mobi|Android|iPhone|iPad|Tablet|Mobile/i.test(ua),
    isEdgeBrowser: /Edg\//.test(ua),
    isOperaBrowser: /OPR\//.test(ua),
    isGeckoBrowser: /Gecko/i.test(ua) && !/WebKit/i.test(ua),
    isSafariBrowser: family === 'safari',
    isFirefoxBrowser: family === 'firefox',
    isChromiumBrowser: family === 'chrome',
  };
}

const VOICES = [
  ['Samantha', 'en-US'], ['Alex', 'en-US'], ['Daniel', 'en-GB'], ['Karen', 'en-AU'], ['Moira', 'en-IE'],
  ['Thomas', 'fr-FR'], ['Amélie', 'fr-CA'], ['Anna', 'de-DE'], ['Alice', 'it-IT'], ['Mónica', 'es-ES'],
  ['Paulina', 'es-MX'], ['Kyoko', 'ja-JP'], ['Yuna', 'ko-KR'], ['Ting-Ting', 'zh-CN'], ['Mei-Jia', 'zh-TW'],
  ['Milena', 'ru-RU'], ['Zuzana', 'cs-CZ'], ['Lekha', 'hi-IN'], ['Maged', 'ar-SA'], ['Carmit', 'he-IL'],
  ['Google US English', 'en-US'], ['Google UK English Female', 'en-GB'], ['Google Deutsch', 'de-DE'],
  ['Google español', 'es-ES'], ['Google français', 'fr-FR'], ['Google 日本語', 'ja-JP'],
  ['Google 한국의', 'ko-KR'], ['Google 普通话（中国大陆）', 'zh-CN'], ['Google русский', 'ru-RU'],
  ['Microsoft David - English (United States)', 'en-US'], ['Microsoft Zira - English (United States)', 'en-US'],
  ['Microsoft Hedda - German (Germany)', 'de-DE'],
];
const DEVICE_LABELS = {
  audioinput: ['Default - MacBook Pro Microphone (Built-in)', 'MacBook Pro Microphone (Built-in)', 'Microphone Array (Realtek(R) Audio)', 'AirPods Pro', 'Headset (Jabra Evolve2 65)', ''],
  audiooutput: ['Default - MacBook Pro Speakers (Built-in)', 'Speakers (Realtek(R) Audio)', 'AirPods Pro', 'LG HDR 4K (DisplayPort)', ''],
  videoinput: ['FaceTime HD Camera (3A71:F4B5)', 'Integrated Webcam (0c45:6a10)', 'OBS Virtual Camera', 'Logitech BRIO (046d:085e)', ''],
};
const TIMEZONES = ['America/New_York', 'Europe/Paris', 'Asia/Tokyo', 'America/Los_Angeles', 'Europe/Berlin', 'Australia/Sydney', 'Asia/Kolkata', 'America/Sao_Paulo', 'UTC', 'Africa/Lagos', 'Asia/Kathmandu'];
const LANGS = [['en-US', 'en'], ['fr-FR', 'fr', 'en-US', 'en'], ['de-DE', 'de', 'en'], ['ja'], ['es-419', 'es'], ['zh-CN', 'zh'], ['pt-BR', 'pt', 'en-US'], ['ar-EG', 'ar', 'en']];
const RENDERERS = [
  ['Google Inc. (Apple)', 'ANGLE (Apple, ANGLE Metal Renderer: Apple M1 Pro, Unspecified Version)'],
  ['Google Inc. (NVIDIA)', 'ANGLE (NVIDIA, NVIDIA GeForce RTX 3070 Direct3D11 vs_5_0 ps_5_0, D3D11)'],
  ['Google Inc. (Intel)', 'ANGLE (Intel, Intel(R) UHD Graphics 620 Direct3D11 vs_5_0 ps_5_0, D3D11)'],
  ['Apple Inc.', 'Apple GPU'],
  ['Mozilla', 'Mozilla'],
  ['Qualcomm', 'Adreno (TM) 740'],
];
const SCREENS = [[1920, 1080], [2560, 1440], [1440, 900], [1536, 864], [390, 844], [414, 896], [1280, 800], [3840, 2160], [820, 1180]];

function audioFingerprint(n) {
  const out = [0, 0, 0];
  for (let i = 0; i < n - 3; i++) out.push(Math.fround((rand() - 0.5) * 0.6));
  return out.join(',');
}
function dataURL(len) {
  const b64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let s = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAASwAAACWCAYAAABkW7XS';
  while (s.length < len) s += b64[int(0, 63)];
  return s + '==';
}

// A signals object shaped like getSignals(); nCss = how many computed
// style properties per tag (the real capture has 479). Unless full, the
// audio and canvas fingerprints are shortened to keep vectors.json small.
function synthSignals(family, nCss, full = false) {
  const ua = pick(UAS[family]);
  const [vendor, renderer] = pick(RENDERERS);
  const [w, h] = pick(SCREENS);
  const langs = pick(LANGS);
  const cores = pick([2, 4, 8, 10, 12, 16]);
  const s = {};
  s.audio = chance(0.1) ? { audioSupported: false } : {
    audioSupported: true, sampleRate: pick(['44100', '48000']), channelCount: pick(['2', '6', '0']),
    dynamicsCompressorSupported: true, analyserSupported: true, offlineAudioContextSupported: true,
    audioFingerprint: audioFingerprint(full ? 441 : int(3, 40)),
  };
  s.canvas = chance(0.1) ? { canvasSupported: false } : {
    canvasSupported: true, textSupported: true, imageDataSupported: true, toDataURLSupported: true,
    emojiSupported: chance(0.9), canvasFingerprint: dataURL(full ? int(4000, 9000) : int(80, 600)),
  };
  const styles = {};
  const props = cssProps.slice(0, nCss);
  for (const tag of cssTags) {
    styles[tag] = {};
    for (const p of props) {
      let v = real.css.defaultStyles[tag][p];
      if (/px$/.test(v) && chance(0.2)) v = `${int(0, 1920)}px`;
      if (p === 'font-family' && chance(0.5)) v = pick(['"Times New Roman"', 'Arial', '-apple-system', 'system-ui']);
      styles[tag][p] = v;
    }
  }
  s.css = chance(0.05) ? { cssSupported: false } : { cssSupported: true, defaultStyles: styles };
  s.device = deviceFor(family, ua);
  s.domRect = JSON.parse(JSON.stringify(real.domRect));
  if (chance(0.2)) s.domRect.precisionTest.x = 0.3333333432674408; // float32-rounded engines
  const devices = [];
  if (chance(0.85)) {
    for (const kind of ['audioinput', 'videoinput', 'audiooutput']) {
      for (let i = int(0, 3); i > 0; i--) {
        const permitted = chance(0.5);
        devices.push({
          kind,
          label: permitted ? pick(DEVICE_LABELS[kind]) : '',
          deviceId: chance(0.15) ? pick(['default', 'communications', '']) : hex(64),
          groupId: chance(0.05) ? '' : hex(64),
        });
      }
    }
  }
  s.externalDevices = chance(0.05) ? { externalDevicesSupported: false }
    : chance(0.05) ? { externalDevicesSupported: true, devices: [], error: 'Permission denied' }
      : { externalDevicesSupported: true, devices };
  s.fonts = { fontsSupported: true, fonts: subset(['Arial', 'Helvetica', 'Times New Roman', 'Courier', 'Verdana', 'Georgia', 'Palatino', 'Garamond', 'Bookman', 'Comic Sans MS', 'Trebuchet MS', 'Arial Black', 'Impact'], int(0, 8)) };
  s.i18n = JSON.parse(JSON.stringify(real.i18n));
  if (family === 'safari') s.i18n.dateFormatSamples['zh-CN'] = '2023/5/15';
  if (chance(0.3)) s.i18n.collationSample = pick([-1, 1, 0]);
  s.javascript = {
    javascriptSupported: true,
    engine: { chrome: 'V8 (Chrome)', safari: 'JavaScriptCore (Safari)', firefox: 'SpiderMonkey (Firefox)', none: pick(['V8 (Chrome)', 'Unknown']) }[family],
    ecmaVersion: 'ES11', availableAPIs: ['Proxy', 'Symbol', 'Map', 'Set', 'WeakMap', 'WeakSet', 'BigInt', 'Promise'],
  };
  s.language = { languageSupported: true, language: langs[0], languages: langs };
  s.math = JSON.parse(JSON.stringify(real.math));
  if (chance(0.3)) s.math.hyperbolic.sinh = 1.1752011936438016; // other libm
  if (chance(0.3)) s.math.expLog.log = 2.3025850929940455;
  s.plugins = family === 'chrome' || family === 'none' ? real.plugins
    : { pluginsSupported: true, plugins: family === 'safari' && /iPhone/.test(ua) ? [] : real.plugins.plugins.slice(0, 5) };
  s.screen = { width: w, height: h, innerWidth: w - int(0, 40), innerHeight: h - int(60, 200), colorDepth: pick([24, 30, 32]), pixelDepth: pick([24, 30, 32]) };
  s.specifications = { specificationsSupported: true, cpuCores: cores };
  if (family === 'chrome' || family === 'none') {
    s.specifications.deviceMemory = `${pick([0.5, 1, 2, 4, 8])} GB`;
    s.specifications.platform = pick(['Win32', 'MacIntel', 'Linux x86_64', 'Linux armv81', 'iPhone']);
    s.specifications.connectionType = pick(['4g', '3g', 'slow-2g']);
    s.specifications.connectionDownlink = pick([10, 1.45, 0.35, 2.2, 7.85, 1.4]);
    s.specifications.connectionRtt = pick([50, 100, 150, 0, 300]);
  } else {
    s.specifications.platform = pick(['MacIntel', 'iPhone', 'Win32', 'Linux x86_64']);
  }
  s.storage = { storageSupported: true, localStorage: true, sessionStorage: true, indexedDB: chance(0.9) };
  s.svg = real.svg;
  s.timezone = chance(0.05) ? { timezoneSupported: true, timezone: 'error', timezoneError: 'Incorrect locale information provided' } : { timezoneSupported: true, timezone: pick(TIMEZONES) };
  const touch = /Mobi|iPhone|iPad|Android/.test(ua);
  s.touch = touch ? { touchSupported: true, maxTouchPoints: pick([1, 5, 10]), touchEvent: true } : { touchSupported: false, maxTouchPoints: 0 };
  s.userAgent = ua;
  s.voice = family === 'firefox' && chance(0.3) ? { voiceSynthesisSupported: false } : {
    voiceSynthesisSupported: true,
    availableVoices: subset(VOICES, int(0, VOICES.length)).map(([name, lang], i) => ({ name, lang, localService: !name.startsWith('Google'), default: i === 0 })),
    utteranceProperties: { pitchSupported: true, rateSupported: true, volumeSupported: true },
    eventSupport: { onstart: true, onend: true, onerror: true, onpause: true, onresume: true, onboundary: true },
    cancellationSupported: true, speakingStatusSupported: true,
  };
  s.webgl = chance(0.05) ? { webglSupported: false, error: 'Error creating WebGL context.' } : { webglSupported: true, vendor: 'WebKit', renderer: 'WebKit WebGL', unmaskedVendor: vendor, unmaskedRenderer: renderer };
  s.workers = { workersSupported: true, webWorkerSupported: true, serviceWorkerSupported: !chance(0.1), sharedWorkerSupported: family !== 'safari' || chance(0.5), hardwareConcurrency: chance(0.05) ? 'unknown' : cores, workletSupported: family === 'chrome' };
  // Sometimes a group is missing (an older SDK, a crashed collector).
  if (!full && chance(0.1)) delete s[pick(Object.keys(s))];
  return s;
}

// --------------------------------------------------------- random values
const WORDS = ['a', 'b', 'z', 'A', 'Z', 'id', 'value', 'name', 'kind', 'label', 'deviceId', 'groupId', 'width', 'height', 'x', 'x1', 'x10', 'x2', 'aa', 'ab', '_', '$', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'length', 'key with space', ''];
const INDEXES = ['0', '1', '2', '9', '10', '11', '100', '007', '01', '-1', '1.5', '4294967294', '4294967295', '4294967296', '1e3', ' 1'];
function randomChar() {
  switch (int(0, 11)) {
    case 0: return String.fromCharCode(int(0x20, 0x7e));
    case 1: return String.fromCharCode(int(0, 0x1f)); // control characters
    case 2: return pick(['"', '\\', '/', '\u007f', '\u2028', '\u2029', '\ufeff', '\u0000']);
    case 3: return String.fromCharCode(int(0xa0, 0x7ff));
    case 4: return String.fromCharCode(int(0x4e00, 0x9fff));
    case 5: return String.fromCharCode(int(0xe000, 0xfffd)); // BMP above the surrogates
    case 6: return String.fromCharCode(pick([0xe000, 0xf8ff, 0xff01, 0xfffd, 0xffff, 0xfb01]));
    case 7: return String.fromCodePoint(int(0x1f300, 0x1faff)); // emoji: a surrogate pair
    case 8: return String.fromCodePoint(int(0x10000, 0x10ffff));
    case 9: return String.fromCharCode(int(0xd800, 0xdfff)); // a lone surrogate (usually)
    case 10: return pick(['é', 'e\u0301', 'ß', 'İ', 'ﬁ', 'Ω', 'Ω']);
    default: return String.fromCharCode(int(0x61, 0x7a));
  }
}
const randomString = (max) => Array.from({ length: int(0, max) }, randomChar).join('');
function randomKey() {
  switch (int(0, 5)) {
    case 0: case 1: return pick(WORDS) + (chance(0.3) ? String(int(0, 30)) : '');
    case 2: return pick(INDEXES);
    default: return randomString(6);
  }
}
function randomDouble() {
  switch (int(0, 12)) {
    case 0: return int(-1000, 1000);
    case 1: return (rand() - 0.5) * 10 ** int(-30, 30);
    case 2: return rand();
    case 3: { // any finite double from random bits
      const dv = new DataView(new ArrayBuffer(8));
      let f;
      do { dv.setUint32(0, int(0, 0xffffffff)); dv.setUint32(4, int(0, 0xffffffff)); f = dv.getFloat64(0); } while (!Number.isFinite(f));
      return f;
    }
    case 4: return pick([0, -0, 5e-324, -5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, -1.7976931348623157e308, 2 ** 53, 2 ** 53 + 2, -(2 ** 53), 2 ** 63, 2 ** 64, 1e21, 1e21 - 65536, 999999999999999900000, 1e-7, 9.999999999999999e-8, 1.2e-7, 1e-6, 0.000001, 123e-20, 0.1, 0.2, 0.30000000000000004, 100, 1e100, 4294967295, 4294967296]);
    case 5: return Math.fround(rand() * 2 - 1);
    case 6: return int(0, 2 ** 31) * 2 ** int(-60, 60);
    case 7: return Number((rand() * 1000).toFixed(int(0, 6)));
    case 8: return int(0, 1e9) * 10 ** int(0, 15);
    case 9: return 10 ** int(-325, 308) * pick([1, 1.5, 9.999, 2.5]);
    default: return Math.round((rand() - 0.5) * 2 ** int(1, 53));
  }
}
function randomValue(depth) {
  const r = int(0, depth >= 4 ? 5 : 9);
  switch (r) {
    case 0: return null;
    case 1: return chance(0.5);
    case 2: case 3: return randomDouble();
    case 4: case 5: return randomString(12);
    case 6: case 7: return randomObject(depth + 1, int(0, 12));
    case 8: return Array.from({ length: int(0, 6) }, () => randomValue(depth + 1));
    default: return chance(0.5) ? {} : [];
  }
}
function randomObject(depth, n) {
  const o = {};
  for (let i = 0; i < n; i++) setOwn(o, randomKey(), randomValue(depth));
  return o;
}

// --------------------------------------------- non-canonical serialization
const sp = () => (chance(0.3) ? pick([' ', '  ', '\n', '\t', '\r\n', ' \n\t ']) : '');
const hex4 = (u) => { const h = u.toString(16).padStart(4, '0'); return chance(0.5) ? h : h.toUpperCase(); };
function looseString(s) {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const u = s.charCodeAt(i);
    const short = { 0x22: '\\"', 0x5c: '\\\\', 0x08: '\\b', 0x0c: '\\f', 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t' }[u];
    if (u < 0x20 || u === 0x22 || u === 0x5c) out += short && chance(0.5) ? short : '\\u' + hex4(u);
    else if (u >= 0xd800 && u <= 0xdfff) out += chance(0.6) || !isWellFormedAt(s, i) ? '\\u' + hex4(u) : s[i] + s[++i];
    else if (u === 0x2f && chance(0.5)) out += '\\/';
    else if (chance(0.15)) out += '\\u' + hex4(u);
    else out += s[i];
  }
  return out + '"';
}
function isWellFormedAt(s, i) {
  const u = s.charCodeAt(i);
  if (u >= 0xd800 && u <= 0xdbff) { const v = s.charCodeAt(i + 1); return v >= 0xdc00 && v <= 0xdfff; }
  return false;
}
function looseNumber(x) {
  if (x === 0) return pick(['0', '-0', '0.0', '0e10', '-0.000E-5', '0']); // +0 and -0
  const opts = [String(x), x.toExponential(), x.toExponential().replace('e', 'E'), x.toPrecision(17), x.toPrecision(21)];
  if (Number.isInteger(x) && Math.abs(x) < 1e15) opts.push(`${x}.0`, `${x}e0`, `${x}0E-1`, `${x}.000e+0`);
  let s = pick(opts);
  if (s.startsWith('-')) s = '-' + s.slice(1); // (kept: JSON allows no leading '+')
  // JSON does not allow a trailing '.', a leading '+' or a bare "1."
  return s.replace(/e\+?/i, (m) => (chance(0.5) ? m : m.replace('+', ''))).replace(/\.e/i, 'e');
}
function looseStringify(v) {
  if (v === null) return sp() + 'null' + sp();
  if (typeof v === 'boolean') return sp() + String(v) + sp();
  if (typeof v === 'number') return sp() + (Number.isFinite(v) ? looseNumber(v) : 'null') + sp();
  if (typeof v === 'string') return sp() + looseString(v) + sp();
  if (Array.isArray(v)) return sp() + '[' + v.map(looseStringify).join(',') + (v.length ? '' : sp()) + ']' + sp();
  let entries = Object.keys(v).map((k) => [k, v[k]]);
  if (chance(0.3)) entries = shuffle(entries); // index keys out of order
  if (entries.length && chance(0.3)) { // a duplicate key: the last value wins, at the first position
    const [k] = pick(entries);
    entries.splice(int(0, entries.length), 0, [k, randomValue(3)]);
  }
  const body = entries.map(([k, x]) => sp() + looseString(k) + sp() + ':' + looseStringify(x)).join(',');
  return sp() + '{' + body + (entries.length ? '' : sp()) + '}' + sp();
}

// ------------------------------------------------------------- oracle
const vectors = [];
const trim = (h) => h.replace(/0+$/, '');
async function hashes(obj) {
  const out = [];
  for (const L of LENGTHS) out.push(trim(await Rupt.getFuzzyHash(obj, L)));
  const viaCJS = await cjs.getFuzzyHash(obj, 2048);
  if (trim(viaCJS) !== out[0]) throw new Error('index.mjs and common.cjs disagree');
  return out;
}
async function add(name, input) {
  const v = { name, input };
  const canonical = JSON.stringify(JSON.parse(input));
  if (canonical !== input) v.canonical = canonical;
  v.hashes = await hashes(JSON.parse(input));
  try {
    const m = esm.muteSignals(JSON.parse(input));
    v.muted = JSON.stringify(m);
    if (v.muted === (v.canonical ?? input)) {
      v.muted = '='; // nothing muted: the hashes are those of the input
    } else {
      v.mutedHashes = await hashes(m);
    }
  } catch (e) {
    v.muteError = `${e.constructor.name}: ${e.message}`;
  }
  vectors.push(v);
}
const addObj = (name, obj) => add(name, JSON.stringify(obj));

// 1. The real capture and full-size variants (about 100-130 KB each).
await add('real/chromium-capture', fs.readFileSync(path.join(here, 'signals-chromium.json'), 'utf8').trim());
for (const family of ['safari', 'firefox', 'none']) {
  await addObj(`realistic-full/${family}`, synthSignals(family, cssProps.length, true));
}
// 2. Realistic, smaller (about 3-20 KB).
for (let i = 0; i < 55; i++) {
  const family = pick(['chrome', 'chrome', 'safari', 'firefox', 'none']);
  await addObj(`realistic/${family}/${i}`, synthSignals(family, pick([0, 1, 3, 10, 20, 40])));
}
// 3. Random nested objects (unicode, numbers, empties, index-like keys).
for (let i = 0; i < 130; i++) {
  const o = randomObject(0, int(0, 30));
  if (chance(0.5)) setOwn(o, 'device', pick([{ isChromiumBrowser: true }, { isSafariBrowser: true }, { isFirefoxBrowser: true }, {}]));
  await addObj(`random/${i}`, o);
}
// 4. Key order: astral characters (surrogate pairs) against U+E000-U+FFFF,
// where UTF-16 order and code point (Go byte) order disagree.
const orderChars = ['\u{1F600}', '\uFF01', '\uE000', '\uFFFD', '\u{10000}', '\u{10FFFF}', '\uD7FF', 'a', '\u00E9', '\uFB01', '\u{1D11E}', '\uD800', '\uDFFF', '\uDBFF', '\u{20000}', '\uFFFF', '\uE001'];
for (let i = 0; i < 20; i++) {
  const o = {};
  for (let j = int(2, 30); j > 0; j--) {
    setOwn(o, Array.from({ length: int(1, 3) }, () => pick(orderChars)).join(''), chance(0.5) ? randomString(4) : randomDouble());
  }
  await addObj(`key-order/${i}`, { device: { isChromiumBrowser: true }, ...o, nested: o });
}
// 5. Numbers, in JavaScript's number formatting.
for (let i = 0; i < 20; i++) {
  const o = {};
  for (let j = int(1, 40); j > 0; j--) setOwn(o, `n${j}`, randomDouble());
  await addObj(`numbers/${i}`, { device: { isSafariBrowser: true }, numbers: o, list: Array.from({ length: 30 }, randomDouble) });
}
// 6. Not JSON.stringify's form: whitespace, escapes, number spellings,
// duplicate keys, index keys out of order.
for (let i = 0; i < 40; i++) {
  const base = i % 4 === 0 ? synthSignals(pick(['chrome', 'safari', 'firefox', 'none']), 2) : randomObject(0, int(1, 15));
  if (i % 4 !== 0 && chance(0.5)) setOwn(base, 'device', { isFirefoxBrowser: true });
  await add(`loose/${i}`, looseStringify(base));
}
await add('loose/overflow', '{"big": 1e400, "small": -1e-400, "neg0": -0, "x": 1E2, "device": {"isChromiumBrowser": 1e-400}}');
await add('loose/duplicates', '{"b":1,"a":2,"b":{"c":3},"device":{"isSafariBrowser":false,"isSafariBrowser":true},"screen":{"width":1,"height":2,"width":3}}');
await add('loose/index-keys', '{"b":1,"10":2,"2":3,"a":4,"4294967295":5,"4294967294":6,"01":7,"device":{}}');
await add('loose/escapes', '{"\\u0061":"\\/\\u00e9\\uD83D\\uDE00\\ud800","device":{"isFirefoxBrowser":true},"externalDevices":{"devices":[{"deviceId":"\\u0041","groupId":1,"kind":"x"}]}}');
// 7. muteSignals edge cases: truthiness, wildcards, TypeErrors.
const muteCases = {
  'no-device': { a: 1 },
  'device-null': { device: null, specifications: { connectionDownlink: 1 } },
  'device-false': { device: false, screen: { width: 1, height: 2 } },
  'device-zero': { device: 0, screen: { width: 1, height: 2, x: 3 } },
  'device-string': { device: 'chrome', language: { languages: [] } },
  'device-array': { device: [true], language: { languages: [] } },
  'flag-string-false': { device: { isChromiumBrowser: 'false' }, language: { languages: [], language: 'en' }, screen: { width: 1 } },
  'flag-empty-string': { device: { isChromiumBrowser: '', isSafariBrowser: 'yes' }, screen: { height: 1, width: 2, z: 0 } },
  'flag-zero': { device: { isChromiumBrowser: 0, isSafariBrowser: 0.0, isFirefoxBrowser: 1 }, workers: { serviceWorkerSupported: true } },
  'flag-null': { device: { isChromiumBrowser: null, isSafariBrowser: null, isFirefoxBrowser: null }, workers: { serviceWorkerSupported: true }, language: { languages: 1 } },
  'flag-object': { device: { isFirefoxBrowser: {} }, canvas: { canvasFingerprint: 'x' } },
  'flag-empty-array': { device: { isSafariBrowser: [] }, audio: { audioFingerprint: '1,2' } },
  'all-flags': { device: { isChromiumBrowser: true, isSafariBrowser: true, isFirefoxBrowser: true }, screen: { width: 1 }, specifications: { connectionDownlink: 2, cpuCores: 4 } },
  'firefox-devices-null-element': { device: { isFirefoxBrowser: true }, externalDevices: { devices: [{ deviceId: 'a' }, null] } },
  'none-devices-null-element': { device: {}, externalDevices: { devices: [null] } },
  'chrome-devices-null-element': { device: { isChromiumBrowser: true }, externalDevices: { devices: [null] }, language: { languages: ['en'] } },
  'firefox-devices-object': { device: { isFirefoxBrowser: true }, externalDevices: { devices: { a: { deviceId: 1, groupId: 2, kind: 3 }, b: { groupId: 4 }, c: 5, d: [1], e: 'str' } } },
  'firefox-devices-string': { device: { isFirefoxBrowser: true }, externalDevices: { devices: 'abc' } },
  'firefox-devices-empty-string': { device: { isFirefoxBrowser: true }, externalDevices: { devices: '' } },
  'firefox-devices-number': { device: { isFirefoxBrowser: true }, externalDevices: { devices: 7 } },
  'firefox-devices-nested-arrays': { device: { isFirefoxBrowser: true }, externalDevices: { devices: [[{ deviceId: 1 }], { deviceId: null, groupId: {} }, false, 0, {}] } },
  'firefox-external-null': { device: { isFirefoxBrowser: true }, externalDevices: null },
  'firefox-external-array': { device: { isFirefoxBrowser: true }, externalDevices: [{ devices: [] }] },
  'safari-screen-string': { device: { isSafariBrowser: true }, screen: 'wide', audio: [1], voice: { availableVoices: null } },
  'safari-only-members': { device: { isSafariBrowser: true }, screen: { width: 1, height: 2 }, canvas: { canvasFingerprint: 'x' } },
  'safari-first-last': { device: { isSafariBrowser: true }, screen: { width: 1, a: 0, height: 2 } },
  'safari-last-two': { device: { isSafariBrowser: true }, screen: { a: 0, width: 1, height: 2 } },
  'none-everything': { device: { isEdgeBrowser: true }, specifications: { connectionDownlink: 1 }, language: { languages: [] }, audio: { audioFingerprint: '' }, voice: { availableVoices: [] }, canvas: { canvasFingerprint: '' }, screen: { width: 1, height: 2 }, workers: { serviceWorkerSupported: false }, externalDevices: { devices: [{ deviceId: 'x', groupId: 'y', label: 'z' }, { deviceId: 'x' }, {}] } },
  'empty-device': { device: {} },
  'proto-key': JSON.parse('{"device":{"isChromiumBrowser":true},"__proto__":{"x":1},"language":{"languages":[],"__proto__":2}}'),
};
for (const [name, o] of Object.entries(muteCases)) await addObj(`mute/${name}`, o);
// 8. Empties and length edge cases.
const edge = {
  'empty-object': {},
  'nested-empty': { a: {}, b: [], c: { d: {} }, e: '', device: {} },
  'one-key': { a: 1 },
  'one-empty-key': { '': {} },
  'many-keys': Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`k${i}`, i])),
  'wide-child': { device: { isChromiumBrowser: true }, child: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`c${i}`, { v: i }])) },
  'deep': JSON.parse('{"a":'.repeat(40) + '{}' + '}'.repeat(40)),
  'deep-values': JSON.parse('{"a":{"b":'.repeat(10) + '[1,{"x":null}]' + '}}'.repeat(10)),
};
for (const [name, o] of Object.entries(edge)) await addObj(`edge/${name}`, o);
await add('edge/top-array', JSON.stringify([1, { a: 2 }, [], 'x', null, {}, 7, 8, 9, 10, 11, 12]));
await add('edge/top-array-empty', '[]');

const file = path.join(here, 'vectors.json');
const json = JSON.stringify({ package: `@ruptjs/fingerprint@${pkgVersion}`, lengths: LENGTHS, vectors }, null, 0);
fs.writeFileSync(file, json + '\n');
console.log(`${vectors.length} vectors, ${json.length} bytes -> ${path.relative(process.cwd(), file)}`);
