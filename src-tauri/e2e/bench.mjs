// Benchmark: keystroke to results painted, in the real app, on a generated hub.
//
// The app (GUILDHALL_DESKTOP_BIN) is started by tauri-driver + WebKitWebDriver (run it under
// Xvfb: `./dev bench-desktop` does) on GUILDHALL_CONTENT with a fresh GUILDHALL_DATA, so its first
// launch builds the search index. Then ~100 keystrokes are typed into the search box, one at a
// time through WebDriver (real key events in WebKit), each after the previous one's results are
// painted plus a pause, like someone typing. In the page, for each keystroke:
//
//   t0     keydown on the search box (capture listener, performance.now())
//   dom    a MutationObserver sees the result count for this query in the DOM (with the core's
//          search time, which the screen shows: "in 1.2 ms")
//   paint  the frame with it is rendered: requestAnimationFrame, then a timer task set from it
//          (runs after that frame's rendering update); `paint2` (two rAFs, the next frame) is an upper
//          bound.
//
// The API's share is measured after the typing: each query is sent again to the same search
// endpoint on the app's `guildhall:` scheme (limit 30, like the search screen) and its round trip
// timed; "the rest" is keydown -> DOM minus that round trip (routing,
// the Svelte update, layout).
//
// Keystrokes that do not change the query (a trailing space) start no search and are left out.
// Prints p50/p95/p99 of the total and of each part; asserts nothing. Env: BENCH_KEYS (default 100).
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isolatedEnv, webdriver } from './webdriver.mjs';

const here = new URL('.', import.meta.url).pathname;
const repo = resolve(here, '../..');
const BIN = resolve(process.env.GUILDHALL_DESKTOP_BIN ?? join(repo, 'target/release/guildhall-desktop'));
const CONTENT = resolve(process.env.GUILDHALL_CONTENT ?? join(repo, 'content'));
const KEYS = Number(process.env.BENCH_KEYS ?? 100);
// Not desktop.mjs's ports (4444, and 4445 for WebKitWebDriver), so both can run at once.
const PORT = 4454;
const NATIVE_PORT = 4455;
const WD = `http://127.0.0.1:${PORT}`;

// Words of the generated hub (xtask gen_hub.rs), typed as people would: prefixes, then more words.
const QUERIES = [
  'retry backoff',
  'approval flow connector',
  'secret vault rotation',
  'data classification policy',
  'environment promotion',
  'incident alert monitoring',
  'customer booking request',
  'release rollback',
  'timeout queue batch',
  'supplier invoice audit',
];

const home = mkdtempSync(join(tmpdir(), 'guildhall-bench-'));
const env = isolatedEnv(home, CONTENT);

const wd = webdriver(WD);

async function until(what, sid, script, timeoutMs, ...args) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await wd('POST', `/session/${sid}/execute/sync`, { script, args }).catch(() => null);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

// Installed in the page before typing. Records one entry per query the box asked for.
const RECORDER = `
const box = document.getElementById('site-search');
const b = (window.__bench = { records: [], byQ: new Map(), current: null });
const norm = (q) => q.trim();
box.addEventListener('keydown', () => { b.t0 = performance.now(); }, true);
box.addEventListener('input', () => {
  const q = norm(box.value);
  if (!q || b.byQ.has(q)) return;
  const r = { q, t0: b.t0, input: performance.now() };
  b.records.push(r); b.byQ.set(q, r); b.current = r;
}, true);
const seen = () => {
  const c = document.querySelector('.summary .count');
  const m = c && /for “([\\s\\S]*)”/.exec(c.firstChild?.textContent ?? c.textContent);
  const r = m && b.byQ.get(norm(m[1]));
  if (!r || r.dom !== undefined) return;
  r.dom = performance.now();
  r.core = Number(/in ([0-9.]+) ms/.exec(c.textContent)?.[1]);
  requestAnimationFrame(() => {
    setTimeout(() => { r.paint = performance.now(); }, 0);
    requestAnimationFrame(() => { r.paint2 = performance.now(); });
  });
};
new MutationObserver(seen).observe(document.body, { childList: true, subtree: true, characterData: true });
return true;
`;

function pct(values, p) {
  const v = [...values].sort((a, b) => a - b);
  return v.length ? v[Math.min(v.length - 1, Math.ceil((p / 100) * v.length) - 1)] : NaN;
}

function row(name, values) {
  const f = (x) => x.toFixed(1).padStart(7);
  console.log(`${name.padEnd(34)} ${f(pct(values, 50))} ${f(pct(values, 95))} ${f(pct(values, 99))} ${f(Math.max(...values))}`);
}

const logFd = openSync(join(home, 'driver-and-app.log'), 'w');
const driver = spawn(process.env.TAURI_DRIVER ?? 'tauri-driver', ['--port', String(PORT), '--native-port', String(NATIVE_PORT)], { env, stdio: ['ignore', logFd, logFd] });
let sid;
let code = 1;
try {
  const up = Date.now() + 15000;
  while (!(await fetch(`${WD}/status`, { signal: AbortSignal.timeout(1000) }).then((r) => r.ok, () => false))) {
    if (Date.now() > up) throw new Error('tauri-driver did not start');
    await sleep(100);
  }
  const t0 = performance.now();
  const caps = { capabilities: { alwaysMatch: { 'tauri:options': { application: BIN } } } };
  sid = (await wd('POST', '/session', caps, 60000)).sessionId;
  const run = (script, ...args) => wd('POST', `/session/${sid}/execute/sync`, { script, args });
  await until('home content', sid, `return document.querySelectorAll('main a[href^="#/doc/"]').length > 0`, 600000);
  console.log(`${CONTENT}: launch to the first screen with content (index built on this first launch): ${((performance.now() - t0) / 1000).toFixed(2)} s`);

  const box = Object.values(await wd('POST', `/session/${sid}/element`, { using: 'css selector', value: '#site-search' }))[0];
  await wd('POST', `/session/${sid}/element/${box}/click`, {});
  // One warm-up query (first search after start: caches, the search screen's first mount).
  await wd('POST', `/session/${sid}/element/${box}/value`, { text: 'warm' });
  await until('warm-up results', sid, `return !!document.querySelector('.summary .count')`, 30000);
  await wd('POST', `/session/${sid}/element/${box}/value`, { text: '\uE00C' }); // Escape clears the box
  await run(RECORDER);

  let typed = 0;
  for (let i = 0; typed < KEYS; i++) {
    const query = QUERIES[i % QUERIES.length];
    for (const ch of query) {
      if (typed >= KEYS) break;
      const before = await run('return window.__bench.records.length');
      await wd('POST', `/session/${sid}/element/${box}/value`, { text: ch });
      typed++;
      const started = await run('return window.__bench.records.length > arguments[0]', before);
      if (started) {
        await until('results painted', sid, 'const r = window.__bench.current; return r && r.paint2 !== undefined', 10000);
      }
      await sleep(80);
    }
    await wd('POST', `/session/${sid}/element/${box}/value`, { text: '\uE00C' });
    await sleep(150);
  }

  const records = (await run('return window.__bench.records.map(r => ({ ...r }))')).filter((r) => r.paint2 !== undefined);
  // The same queries again, straight to the search endpoint.
  const REPLAY = `const done = arguments[arguments.length - 1];
    (async () => { const out = [];
      for (const q of arguments[0]) {
        const t = performance.now();
        await fetch('guildhall://localhost/api/search?limit=30&q=' + encodeURIComponent(q)).then((r) => r.json());
        out.push(performance.now() - t);
        await new Promise((r) => setTimeout(r, 20));
      }
      done(out); })();`;
  const rtt = await wd('POST', `/session/${sid}/execute/async`, { script: REPLAY, args: [records.map((r) => r.q)] }, 60000);
  records.forEach((r, i) => (r.rtt = rtt[i]));
  const part = (f) => records.map(f);
  console.log(`\n${records.length} keystrokes that changed the query (of ${typed} typed), ms:`);
  console.log(`${''.padEnd(34)} ${'p50'.padStart(7)} ${'p95'.padStart(7)} ${'p99'.padStart(7)} ${'max'.padStart(7)}`);
  row('keystroke -> results painted', part((r) => r.paint - r.t0));
  row('  (upper bound: the next frame)', part((r) => r.paint2 - r.t0));
  row('keydown -> results in the DOM', part((r) => r.dom - r.t0));
  row('  search request round trip (again)', part((r) => r.rtt));
  row('    of which the core search', part((r) => r.core));
  row('  the rest (route, Svelte, layout)', part((r) => r.dom - r.t0 - r.rtt));
  row('results in the DOM -> painted', part((r) => r.paint - r.dom));
  code = 0;
} catch (e) {
  console.log(`benchmark failed: ${e.message} (log: ${join(home, 'driver-and-app.log')})`);
} finally {
  if (sid) await wd('DELETE', `/session/${sid}`, undefined, 20000).catch(() => {});
  driver.kill();
  await sleep(1000);
  if (code === 0) rmSync(home, { recursive: true, force: true });
  process.exit(code);
}
