import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { expect, type APIRequestContext, type Page } from '@playwright/test';

/**
 * Empty the personal store of the (shared, throw-away) server: profile back to its defaults, no
 * bookmarks, notes, recent views, path progress or search log. Tests that depend on personal state
 * call this first, so they do not depend on the order the spec files run in.
 */
export async function resetPersonal(request: APIRequestContext): Promise<void> {
  const data = await (await request.get('/api/personal-data')).json();
  const empty = {
    ...data,
    profile: { display_name: '', role: null, glossary_view: 'plain', theme: 'system', language: null },
    bookmarks: [],
    notes: [],
    recent_views: [],
    paths: [],
    path_completions: [],
    checkpoint_attempts: [],
    search_log: [],
  };
  const res = await request.put('/api/personal-data', { data: empty });
  expect(res.status(), await res.text()).toBe(204);
}

/**
 * Collect CSP violations and console errors, so every test also checks the strict CSP holds. The
 * browser's own "Failed to load resource" lines for answers the screens handle and explain (404 for
 * an unknown page, 409 `no-repository` for authoring on a hub inside another repository) are not
 * problems.
 */
export function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource: the server responded with a status of 40[349]/.test(m.text())) {
      problems.push(m.text());
    }
  });
  page.on('pageerror', (e) => problems.push(String(e)));
  return problems;
}

/** The axe rule tags every scan runs: WCAG 2.0 to 2.2 A and AA, best practices, and the experimental
 * rules (such as `label-content-name-mismatch`, WCAG 2.5.3), which axe leaves out unless asked. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice', 'experimental'];

/** axe-core as the project pins it (4.14): @axe-core/playwright would otherwise inject its own, older copy. */
export const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The serious and critical axe violations on the page, one line each (empty when it passes). */
export async function axeViolations(page: Page, what = ''): Promise<string[]> {
  const results = await new AxeBuilder({ page, axeSource: AXE_SOURCE }).withTags(AXE_TAGS).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${what ? `${what}: ` : ''}${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
}

/**
 * Replaces the Markdown editor's whole text as a person pasting would (select all, paste).
 * Playwright's `fill` on a content-editable goes through the browser's own editing, which writes
 * inline styles the CSP refuses; CodeMirror handles a paste itself.
 */
export async function pasteText(page: Page, text: string): Promise<void> {
  const editor = page.getByRole('textbox', { name: 'Markdown' });
  await editor.focus();
  await page.keyboard.press('ControlOrMeta+a');
  await editor.evaluate((el, t) => {
    const data = new DataTransfer();
    data.setData('text/plain', t);
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

export const SCREENS = [
  ['home', '/#/'],
  ['search', '/#/search?q=retry'],
  ['search-empty', '/#/search?q=zzqx+qwvb'],
  ['glossary', '/#/glossary'],
  ['patterns', '/#/patterns'],
  ['case-studies', '/#/case-studies'],
  ['paths', '/#/paths'],
  ['path-player', '/#/path/start-here'],
  ['doc-pattern', '/#/doc/retry-with-backoff'],
  ['doc-term', '/#/doc/exponential-backoff'],
  ['doc-path', '/#/doc/start-here'],
  ['settings', '/#/settings'],
  ['governance', '/#/governance'],
  ['not-found', '/#/doc/no-such-page'],
  // Authoring on the project content is refused (no-repository) and explained; the authoring
  // screens with real data are scanned in authoring.spec.ts against a hub of its own.
  ['write-no-repository', '/#/write'],
  ['review-no-repository', '/#/review'],
  ['history-no-repository', '/#/history/retry-with-backoff'],
  ['changelog-no-repository', '/#/changelog'],
] as const;

/** A member of the starter hub (content/guildhall.toml) to act as. */
export interface Member {
  name: string;
  email: string;
}

export const AUTHOR: Member = { name: 'Hannah Schulz', email: 'hannah.schulz@northbridge.example' }; // citizen-developer
export const REVIEWER: Member = { name: 'Priya Raman', email: 'priya.raman@northbridge.example' }; // mentor, data-steward
export const ADMIN: Member = { name: 'Amara Okafor', email: 'amara.okafor@northbridge.example' }; // admin, mentor

/**
 * A second, private `guildhall serve` over a throw-away copy of `content/` that is a git
 * repository of its own (the project's `content/` is inside the project repository, where authoring
 * is refused with `no-repository`). The git identity is switched with `git config`, as a person
 * would; the server reads it on every request.
 */
export class AuthoringHub {
  private constructor(
    readonly url: string,
    readonly content: string,
    private readonly data: string,
    private readonly server: ChildProcess,
  ) {}

  /** `fill` writes the hub's files instead of copying the starter content. */
  static async start(fill?: (dir: string) => void): Promise<AuthoringHub> {
    const ui = fileURLToPath(new URL('..', import.meta.url));
    const repo = join(ui, '..');
    const bin = process.env.GUILDHALL_BIN ?? join(repo, 'target/debug/guildhall');
    const content = mkdtempSync(join(tmpdir(), 'guildhall-hub-'));
    const data = mkdtempSync(join(tmpdir(), 'guildhall-hub-data-'));
    if (fill) fill(content);
    else cpSync(join(repo, 'content'), content, { recursive: true });
    git(content, 'init', '-q', '-b', 'main');
    AuthoringHub.identity(content, AUTHOR);
    git(content, 'add', '-A');
    git(content, 'commit', '-q', '-m', 'Starter content');
    const server = spawn(bin, ['serve', '--content', content, '--addr', '127.0.0.1:0', '--ui', join(ui, 'dist')], {
      cwd: content,
      env: { ...process.env, GUILDHALL_DATA: data },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the authoring hub did not start within 30 s')), 30_000);
      createInterface({ input: server.stdout! }).once('line', (line) => {
        clearTimeout(timer);
        const m = /(http:\/\/\S+)/.exec(line);
        if (m) resolve(m[1]!.replace(/\/$/, ''));
        else reject(new Error(`unexpected first line from guildhall serve: ${line}`));
      });
      server.once('exit', (code) => reject(new Error(`guildhall serve exited with ${code}`)));
    });
    return new AuthoringHub(url, content, data, server);
  }

  private static identity(dir: string, who: Member): void {
    git(dir, 'config', 'user.name', who.name);
    git(dir, 'config', 'user.email', who.email);
  }

  /** Act as this member from now on. */
  actAs(who: Member): void {
    AuthoringHub.identity(this.content, who);
  }

  /**
   * Makes this hub a clone of a shared hub: a bare repository beside it becomes its `origin`, as
   * `guildhall clone` leaves it. Returns the remote's path.
   */
  share(): string {
    const remote = `${this.content}-remote.git`;
    spawnSync('git', ['clone', '-q', '--bare', this.content, remote], { encoding: 'utf8' });
    git(this.content, 'remote', 'add', 'origin', remote);
    git(this.content, 'fetch', '-q', 'origin');
    return remote;
  }

  /** The shared hub's server goes away (the clone's `origin` no longer answers). */
  removeRemote(remote: string): void {
    rmSync(remote, { recursive: true, force: true });
  }

  /** Someone else publishes `path` on the shared hub from their own clone. */
  publishElsewhere(remote: string, path: string, text: string): void {
    const other = mkdtempSync(join(tmpdir(), 'guildhall-other-'));
    try {
      const r = spawnSync('git', ['clone', '-q', remote, other], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`git clone failed: ${r.stderr}`);
      writeFileSync(join(other, path), text);
      git(other, 'add', '-A');
      git(other, '-c', `user.name=${REVIEWER.name}`, '-c', `user.email=${REVIEWER.email}`, 'commit', '-q', '-m', `Publish ${path}`);
      git(other, 'push', '-q', 'origin', 'main');
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  }

  /** Runs the `guildhall` CLI in the hub folder as the current identity; its standard output. */
  cli(...args: string[]): string {
    const bin = process.env.GUILDHALL_BIN ?? join(fileURLToPath(new URL('../..', import.meta.url)), 'target/debug/guildhall');
    const r = spawnSync(bin, args, { cwd: this.content, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`guildhall ${args.join(' ')} failed: ${r.stderr || r.error}`);
    return r.stdout;
  }

  /** The published `main` log, for assertions about what git recorded. */
  log(): string {
    return git(this.content, 'log', '--format=%B%x00', 'main');
  }

  async stop(): Promise<void> {
    if (this.server.exitCode === null) {
      const exited = new Promise((r) => this.server.once('exit', r));
      this.server.kill('SIGTERM');
      await exited;
    }
    rmSync(this.content, { recursive: true, force: true });
    rmSync(this.data, { recursive: true, force: true });
    rmSync(`${this.content}-remote.git`, { recursive: true, force: true });
  }
}

function git(dir: string, ...args: string[]): string {
  const r = spawnSync('git', ['-C', dir, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.stderr || r.error}`);
  return r.stdout;
}
