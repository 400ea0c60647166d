// Benchmark: idle memory of the desktop app, per process, as PSS (proportional set size: shared
// pages divided among the processes that map them, so the figures add up) and RSS.
//
//   node memory.mjs app        the app (GUILDHALL_DESKTOP_BIN) on GUILDHALL_CONTENT (default: the
//                              starter content), fresh data and cache folders
//   node memory.mjs baseline   the smallest WebKitGTK app: one GTK window with a WebKitWebView on an
//                              empty page (Python + GObject introspection, webkit2gtk-4.1, the same
//                              library the app links), for the floor WebKit itself sets
//
// Started directly (no WebDriver: automation changes what WebKit does), left idle for IDLE_S
// seconds (default 10; the app shows its first screen in about a second), then /proc/<pid>/
// smaps_rollup is read for the process and everything it started. Needs a display: `./dev
// bench-desktop` runs it under Xvfb. Prints figures; asserts nothing.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const here = new URL('.', import.meta.url).pathname;
const repo = resolve(here, '../..');
const what = process.argv[2] ?? 'app';
const IDLE_S = Number(process.env.IDLE_S ?? 10);
const BIN = resolve(process.env.GUILDHALL_DESKTOP_BIN ?? join(repo, 'target/release/guildhall-desktop'));

const BASELINE = `
import gi
gi.require_version('Gtk', '3.0')
gi.require_version('WebKit2', '4.1')
from gi.repository import Gtk, WebKit2
w = Gtk.Window(title='baseline')
w.set_default_size(1200, 800)
v = WebKit2.WebView()
v.load_html('<!doctype html><html><head><title>empty</title></head><body></body></html>', 'about:blank')
w.add(v)
w.connect('destroy', Gtk.main_quit)
w.show_all()
Gtk.main()
`;

const home = mkdtempSync(join(tmpdir(), 'guildhall-memory-'));
const env = {
  ...process.env,
  GUILDHALL_CONTENT: resolve(process.env.GUILDHALL_CONTENT ?? join(repo, 'content')),
  GUILDHALL_DATA: join(home, 'data'),
  XDG_CONFIG_HOME: join(home, 'config'),
  XDG_DATA_HOME: join(home, 'share'),
  XDG_CACHE_HOME: join(home, 'cache'),
  NO_AT_BRIDGE: '1',
};

function kib(text, field) {
  return Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);
}

/** The process and its descendants, with their memory. */
function tree(root) {
  const all = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      all.push({ pid: Number(pid), ppid: Number(/PPid:\s+(\d+)/.exec(status)[1]) });
    } catch {
      // gone
    }
  }
  const ids = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of all) if (ids.has(p.ppid) && !ids.has(p.pid)) ids.add(p.pid), (grew = true);
  }
  return [...ids].flatMap((pid) => {
    try {
      const r = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      const name = readlinkSync(`/proc/${pid}/exe`).split('/').pop();
      const uss = kib(r, 'Private_Clean') + kib(r, 'Private_Dirty');
      return [{ pid, name, pss: kib(r, 'Pss'), rss: kib(r, 'Rss'), uss, anon: kib(r, 'Pss_Anon') }];
    } catch {
      return [];
    }
  });
}

const [cmd, args] = what === 'baseline' ? ['/usr/bin/python3', ['-c', BASELINE]] : [BIN, []];
const child = spawn(cmd, args, { env, stdio: ['ignore', 'ignore', 'inherit'] });
let code = 0;
try {
  await sleep(IDLE_S * 1000);
  if (child.exitCode !== null) throw new Error(`${cmd} exited with ${child.exitCode}`);
  const procs = tree(child.pid);
  const mib = (k) => (k / 1024).toFixed(1).padStart(7);
  console.log(`${what === 'baseline' ? 'baseline (empty WebKitGTK window)' : BIN}, ${IDLE_S} s after launch, MiB:`);
  console.log(`${'process'.padEnd(24)} ${'PSS'.padStart(7)} ${'RSS'.padStart(7)} ${'USS'.padStart(7)} ${'anon'.padStart(7)}`);
  for (const p of procs) console.log(`${p.name.padEnd(24)} ${mib(p.pss)} ${mib(p.rss)} ${mib(p.uss)} ${mib(p.anon)}`);
  const sum = (f) => procs.reduce((a, p) => a + f(p), 0);
  console.log(`${'total'.padEnd(24)} ${mib(sum((p) => p.pss))} ${mib(sum((p) => p.rss))} ${mib(sum((p) => p.uss))} ${mib(sum((p) => p.anon))}`);
} catch (e) {
  console.log(`memory: ${e.message}`);
  code = 1;
} finally {
  child.kill('SIGTERM');
  await Promise.race([new Promise((r) => child.on('exit', r)), sleep(5000)]);
  await sleep(500);
  rmSync(home, { recursive: true, force: true });
  process.exit(code);
}
