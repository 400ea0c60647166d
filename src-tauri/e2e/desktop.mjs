// Desktop end-to-end test: the real app binary in a real WebKitGTK window (under Xvfb), driven
// through tauri-driver -> WebKitWebDriver with plain WebDriver calls (no client library).
//
//   launch on a fresh data dir -> first screen with content -> search -> open a pattern ->
//   follow a glossary link -> bookmark -> quit -> launch again -> the bookmark is still there.
//
// Also measures (and prints, never asserts): launch-to-content time and idle memory.
// Every WebDriver call has a timeout: without a display a new-session request hangs forever.
//
// Run through run.sh, which builds what this needs. Env: GUILDHALL_DESKTOP_BIN (the app),
// TAURI_DRIVER (default: tauri-driver on PATH), E2E_OUT (screenshots, default
// src-tauri/test-results/desktop-e2e). A failed step also leaves FAIL-<step>.png and .html there,
// and the log of tauri-driver, WebKitWebDriver and the app (driver-and-app.log) is printed.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, openSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isolatedEnv, webdriver } from './webdriver.mjs';

const here = new URL('.', import.meta.url).pathname;
const repo = resolve(here, '../..');
const BIN = resolve(process.env.GUILDHALL_DESKTOP_BIN ?? join(repo, 'target/debug/guildhall-desktop'));
const OUT = resolve(process.env.E2E_OUT ?? join(repo, 'src-tauri/test-results/desktop-e2e'));
const PORT = 4444;
const WD = `http://127.0.0.1:${PORT}`;
mkdirSync(OUT, { recursive: true });

let passed = 0;
let failed = 0;
let current = null; // the live session, for the failure artifacts
const figures = {};

// A private home for this run: personal data, index, window state and WebKit caches.
const home = mkdtempSync(join(tmpdir(), 'guildhall-e2e-'));
const env = isolatedEnv(home, join(repo, 'content'));

const wd = webdriver(WD);

class Session {
  static async start() {
    // tauri-driver starts a fresh WebKitWebDriver per session; right after the previous one has
    // gone (or on a busy machine) the first request can be dropped, so it is tried twice.
    for (let attempt = 1; ; attempt++) {
      const t0 = performance.now();
      try {
        const caps = { capabilities: { alwaysMatch: { 'tauri:options': { application: BIN } } } };
        const v = await wd('POST', '/session', caps, 45000);
        const s = new Session(v.sessionId ?? v.sessionID);
        s.t0 = t0;
        current = s;
        return s;
      } catch (e) {
        if (attempt >= 2) throw e;
        console.log(`note: new session failed (${e.message}); trying again`);
        for (const p of processes().app) {
          try {
            process.kill(p.pid);
          } catch {
            // already gone
          }
        }
        await sleep(2000);
      }
    }
  }
  constructor(id) {
    this.id = id;
  }
  run(script, ...args) {
    return wd('POST', `/session/${this.id}/execute/sync`, { script, args });
  }
  async find(css, timeoutMs = 10000) {
    const until = Date.now() + timeoutMs;
    for (;;) {
      try {
        const v = await wd('POST', `/session/${this.id}/element`, { using: 'css selector', value: css });
        return Object.values(v)[0];
      } catch (e) {
        if (Date.now() > until) throw new Error(`no element ${css}: ${e.message}`);
        await sleep(100);
      }
    }
  }
  click(el) {
    return wd('POST', `/session/${this.id}/element/${el}/click`, {});
  }
  type(el, text) {
    return wd('POST', `/session/${this.id}/element/${el}/value`, { text });
  }
  /** Polls a script until it returns something truthy. */
  async until(what, script, timeoutMs = 10000, ...args) {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const v = await this.run(script, ...args).catch(() => null);
      if (v) return v;
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
      await sleep(100);
    }
  }
  async screenshot(name) {
    await sleep(300); // the last frame may not be painted yet
    const png = await wd('GET', `/session/${this.id}/screenshot`).catch(() => null);
    if (png) writeFileSync(join(OUT, `${name}.png`), Buffer.from(png, 'base64'));
  }
  quit() {
    return wd('DELETE', `/session/${this.id}`, undefined, 20000);
  }
}

async function step(name, fn) {
  const t = performance.now();
  try {
    await fn();
    passed++;
    console.log(`ok   ${name} (${Math.round(performance.now() - t)} ms)`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}: ${e.message}`);
    await failureArtifacts(name);
    throw e;
  }
}

/** What the window showed when a step failed: a screenshot and the page source. */
async function failureArtifacts(name) {
  if (!current) return;
  const base = join(OUT, `FAIL-${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`);
  await current.screenshot(base.slice(OUT.length + 1));
  const html = await wd('GET', `/session/${current.id}/source`).catch((e) => `(no page source: ${e.message})`);
  writeFileSync(`${base}.html`, html);
  console.log(`     kept ${base}.png and .html`);
}

// Processes: the app and the WebKit processes it started (web content, network).
function processes() {
  const out = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const exe = readlinkSync(`/proc/${pid}/exe`);
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const rss = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      const ppid = Number(/PPid:\s+(\d+)/.exec(status)?.[1] ?? 0);
      out.push({ pid: Number(pid), ppid, exe, rss });
    } catch {
      // gone, or not ours to read
    }
  }
  const app = out.filter((p) => p.exe === BIN || p.exe.endsWith('/guildhall-desktop'));
  const ids = new Set(app.map((p) => p.pid));
  const children = out.filter((p) => ids.has(p.ppid) && /WebKit/.test(p.exe));
  return { app, children };
}

const CONTENT = `return !!document.querySelector('main h1') && document.querySelectorAll('main a[href^="#/doc/"]').length > 0`;

// tauri-driver's, WebKitWebDriver's and the app's output (printed when something fails).
const LOG = join(OUT, 'driver-and-app.log');
const logFd = openSync(LOG, 'w');
const driver = spawn(process.env.TAURI_DRIVER ?? 'tauri-driver', ['--port', String(PORT)], { env, stdio: ['ignore', logFd, logFd] });
let exitCode = 1;
try {
  // tauri-driver is up when it answers /status.
  const up = Date.now() + 15000;
  while (!(await fetch(`${WD}/status`, { signal: AbortSignal.timeout(1000) }).then((r) => r.ok, () => false))) {
    if (Date.now() > up) throw new Error('tauri-driver did not start');
    await sleep(100);
  }

  let s = await Session.start();
  let bookmarked;
  await step('first launch shows the home screen with content', async () => {
    await s.until('home content', CONTENT, 30000);
    figures.launch_to_content_ms = Math.round(performance.now() - s.t0);
    figures.in_page_navigation_to_content_ms = Math.round(await s.run('return performance.now()'));
    await s.run(`window.__csp = []; document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI))`);
    await s.screenshot('1-home');
  });

  await step('idle memory', async () => {
    await sleep(3000);
    const { app, children } = processes();
    figures.rss_kib = {
      app: app.reduce((a, p) => a + p.rss, 0),
      webkit: Object.fromEntries(children.map((p) => [`${p.exe.split('/').pop()}#${p.pid}`, p.rss])),
    };
    figures.rss_app_plus_web_process_mib = Math.round(
      (figures.rss_kib.app + children.filter((p) => /WebProcess/.test(p.exe)).reduce((a, p) => a + p.rss, 0)) / 1024,
    );
    if (!app.length) throw new Error('the app process was not found');
  });

  await step('search: typing finds the retry pattern', async () => {
    const box = await s.find('#site-search');
    await s.click(box);
    await s.type(box, 'try again later');
    const titles = await s.until(
      'search results',
      // The results of the whole query, not of a keystroke on the way ("try", "try again la"),
      // which a slow machine paints first.
      `const c = document.querySelector('.summary .count'); const l = [...document.querySelectorAll('#search-results a.hit-link')];
       return c && c.textContent.includes('“try again later”') && l.length ? l.map(a => a.getAttribute('href')) : null`,
      15000,
    );
    if (!titles.some((h) => h.includes('retry-with-backoff'))) throw new Error(`results: ${titles.join(', ')}`);
    await s.screenshot('2-search');
  });

  await step('open the pattern from the results', async () => {
    await s.click(await s.find('#search-results a.hit-link[href*="retry-with-backoff"]'));
    const title = await s.until('the pattern', `const h = document.querySelector('#doc-title'); return location.hash.includes('retry-with-backoff') && h && h.textContent`, 10000);
    if (!/retry/i.test(title)) throw new Error(`title: ${title}`);
    await s.screenshot('3-pattern');
  });

  await step('follow a glossary link to its term', async () => {
    const term = await s.find('.prose a.term');
    // WebKitWebDriver answers the resolved URL (tauri://localhost#/doc/...): keep the route.
    const url = await wd('GET', `/session/${s.id}/element/${term}/attribute/href`);
    const href = url.slice(url.indexOf('#'));
    await s.click(term);
    await s
      .until('the term page', `return location.hash === arguments[0] && !!document.querySelector('#doc-title')`, 10000, href)
      .catch(async (e) => {
        await s.screenshot('4-term-failed');
        throw new Error(`${e.message} ${href}; at ${await s.run('return location.hash')}`);
      });
    await s.screenshot('4-term');
  });

  await step('bookmark the term', async () => {
    bookmarked = await s.run('return decodeURIComponent(location.hash.replace("#/doc/", ""))');
    const button = await s.find('.actions button[aria-pressed]');
    await s.click(button);
    await s.until('the bookmark', `return document.querySelector('.actions button[aria-pressed]')?.getAttribute('aria-pressed') === 'true'`);
    await s.screenshot('5-bookmarked');
  });

  await step('no Content-Security-Policy violations while doing so', async () => {
    const v = await s.run('return window.__csp || []');
    if (v.length) throw new Error(v.join('; '));
  });

  await step('the webview is set up for a document reader (src/webview.rs): no WebGL', async () => {
    const gl = await s.run(`const c = document.createElement('canvas'); return !!(c.getContext('webgl') || c.getContext('webgl2'))`);
    if (gl) throw new Error('WebGL is on: the webview settings were not applied');
  });

  await step('navigation away from the app is refused (file: here; http(s) would go to the system browser)', async () => {
    const before = await s.run('return location.href');
    await s.run(`setTimeout(() => { location.href = 'file:///etc/hostname' }, 0)`);
    await sleep(1000);
    const after = await s.run('return location.href');
    if (after !== before) throw new Error(`navigated to ${after}`);
    await s.find('#doc-title', 2000);
  });

  let resumeAt;
  const STEP_REF = `return document.querySelector('#step-title') && location.hash.includes('step=') && decodeURIComponent(location.hash.split('step=')[1].split('&')[0])`;
  await step('path: two steps done (a self-check answered on the way), stop on the third', async () => {
    await s.run('location.hash = "#/path/start-here"');
    for (let n = 1; n <= 2; n++) {
      await s.until(`step ${n}`, `return !!document.querySelector('.step-meta')?.textContent.includes('Step ' + arguments[0] + ' of')`, 15000, n);
      if (await s.run(`return !!document.querySelector('form.check input[type=radio]')`)) {
        await s.click(await s.find('form.check input[type=radio]'));
        await s.click(await s.find('form.check button[type=submit]'));
        await s.until('the verdict on the answer', `return !!document.querySelector('form.check .feedback')`, 10000);
      }
      await s.click(await s.find('.step-actions button.primary')); // Mark as done
      await s.until('the step marked done', `return [...document.querySelectorAll('.step-actions button')].some(b => b.textContent.trim() === 'Mark as not done')`);
      await s.click(await s.find('.step-actions button.primary')); // Next
    }
    await s.until('step 3', `return !!document.querySelector('.step-meta')?.textContent.includes('Step 3 of')`, 10000);
    resumeAt = await s.until('the step in the address', STEP_REF, 10000);
    // Where the person is goes to the store asynchronously: wait until the core has it.
    // (The API as the window reaches it: the app's `guildhall:` scheme, answered in-process.)
    await s.run(`window.__cur = null; fetch('guildhall://localhost/api/paths/start-here').then(r => r.json()).then(v => { window.__cur = v.current_step; })`);
    const saved = await s.until('the current step saved', 'return window.__cur', 10000);
    if (saved !== resumeAt) throw new Error(`saved ${saved}, shown ${resumeAt}`);
    await s.screenshot('5b-path-partway');
  });

  if (process.env.DBUS_SESSION_BUS_ADDRESS) {
    await step('single instance: a second launch hands over to the first and exits', async () => {
      const before = processes().app.map((p) => p.pid);
      const second = spawn(BIN, [], { env, stdio: 'ignore' });
      const code = await Promise.race([
        new Promise((r) => second.on('exit', (c) => r(c))),
        sleep(20000).then(() => 'still running'),
      ]);
      if (code !== 0) {
        second.kill();
        throw new Error(`the second launch: ${code}`);
      }
      const after = processes().app.map((p) => p.pid);
      if (after.length !== before.length) throw new Error(`app processes ${before} -> ${after}`);
    });
  } else {
    console.log('skip single instance (no D-Bus session bus)');
  }

  await step('quit', async () => {
    await s.quit();
    const gone = Date.now() + 10000;
    while (processes().app.length) {
      if (Date.now() > gone) throw new Error('the app is still running');
      await sleep(100);
    }
  });

  await sleep(1000);
  s = await Session.start();
  await step('launch again: the bookmark is still there', async () => {
    await s.until('home content', CONTENT, 30000);
    figures.second_launch_to_content_ms = Math.round(performance.now() - s.t0);
    await s.until('the bookmark on Home', `return [...document.querySelectorAll('main a')].some(a => a.getAttribute('href') === '#/doc/' + arguments[0])`, 10000, bookmarked);
    await s.run('location.hash = "#/doc/" + arguments[0]', bookmarked);
    await s.until('the pressed bookmark button', `return document.querySelector('.actions button[aria-pressed]')?.getAttribute('aria-pressed') === 'true'`);
    await s.screenshot('6-after-restart');
  });
  await step('launch again: the path resumes at the same step, two steps done', async () => {
    await s.run('location.hash = "#/path/start-here"');
    const at = await s.until('the player', STEP_REF, 15000);
    if (at !== resumeAt) throw new Error(`resumed at ${at}, left at ${resumeAt}`);
    const done = await s.run(`return document.querySelectorAll('.rail-step.done').length`);
    if (done !== 2) throw new Error(`${done} steps shown done, expected 2`);
    await s.screenshot('7-path-resumed');
  });
  await s.quit();
  exitCode = failed ? 1 : 0;
} catch (e) {
  if (!failed) console.log(`FAIL ${e.message}`);
  failed = Math.max(failed, 1);
} finally {
  driver.kill();
  await sleep(1000); // let the web process finish writing its caches before they are removed
  rmSync(home, { recursive: true, force: true });
  if (exitCode) {
    const log = readFileSync(LOG, 'utf8').trimEnd();
    const tail = log ? log.split('\n').slice(-80).join('\n') : '(nothing was logged)';
    console.log(`--- the end of ${LOG} (tauri-driver, WebKitWebDriver, the app):\n${tail}\n---`);
  }
  console.log(`figures: ${JSON.stringify(figures)}`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(exitCode);
}
