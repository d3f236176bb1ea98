// Captures a real getSignals() result from @ruptjs/fingerprint in headless
// Chromium and writes it as JSON.stringify text. This is how
// signals-chromium.json was made (Chromium 156, Debian, no sandbox, fake
// media devices). Not needed to run the tests.
//
// Run from the repository root (Node 20 needs the WebSocket flag):
//
//	node --experimental-websocket action/fingerprint/testdata/capture-signals.mjs [user-agent] [out.json]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const ua = process.argv[2] || '';
const out = process.argv[3] || 'signals.json';
const port = 9333;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rupt-capture-'));
const page = path.join(dir, 'page.html');
fs.writeFileSync(page, '<!doctype html><html><head><title>capture</title></head><body><p>capture</p></body></html>');

const args = ['--headless', '--no-sandbox', '--disable-gpu', `--remote-debugging-port=${port}`,
  `--user-data-dir=${dir}/profile`, '--autoplay-policy=no-user-gesture-required',
  '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', 'about:blank'];
if (ua) args.unshift('--user-agent=' + ua);
const chromium = spawn('chromium', args, { stdio: 'ignore' });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

try {
  let targets;
  for (let i = 0; i < 100 && !targets; i++) {
    try { targets = await (await fetch(`http://127.0.0.1:${port}/json`)).json(); } catch { await sleep(200); }
  }
  const ws = new WebSocket(targets.find((t) => t.type === 'page').webSocketDebuggerUrl);
  await new Promise((r) => { ws.onopen = r; });
  let id = 0;
  const pending = new Map();
  ws.onmessage = (ev) => {
    const m = JSON.parse(ev.data);
    if (m.id && pending.has(m.id)) { pending.get(m.id)(m); pending.delete(m.id); }
  };
  const send = (method, params = {}) => new Promise((r) => {
    const i = ++id; pending.set(i, r); ws.send(JSON.stringify({ id: i, method, params }));
  });
  await send('Page.enable');
  await send('Page.navigate', { url: 'file://' + page });
  await sleep(1500);
  // The ES module build, its export statement turned into a local.
  let src = fs.readFileSync(require.resolve('@ruptjs/fingerprint'), 'utf8');
  const def = src.match(/(\$[0-9a-f]+\$export\$2e2bcd8739ae039) as default/)[1];
  src = src.replace(/export\{[^}]*\};?\s*$/, '');
  const expression = `(async()=>{${src}; return JSON.stringify(await ${def}.getSignals());})()`;
  const r = await send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true, userGesture: true });
  if (r.result.exceptionDetails) throw new Error(JSON.stringify(r.result.exceptionDetails));
  fs.writeFileSync(out, r.result.result.value);
  console.log(out, r.result.result.value.length, 'bytes');
  ws.close();
} finally {
  chromium.kill();
  await sleep(300);
  fs.rmSync(dir, { recursive: true, force: true });
}
