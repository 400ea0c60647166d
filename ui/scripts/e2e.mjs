// npm run e2e [-- <playwright test args>] [--no-build]
//
// Builds the UI, starts `../target/debug/guildhall serve` on port 0 with a throw-away data
// folder, reads the URL from its first stdout line, runs the Playwright tests against it and
// stops the server. Build the server first: `cargo build --bin guildhall` at the repository root.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ui = fileURLToPath(new URL('..', import.meta.url));
const repo = join(ui, '..');
const bin = process.env.GUILDHALL_BIN ?? join(repo, 'target/debug/guildhall');
let args = process.argv.slice(2);
const build = !args.includes('--no-build');
args = args.filter((a) => a !== '--no-build');

if (!existsSync(bin)) {
  console.error(`e2e: ${bin} not found; run \`cargo build --bin guildhall\` in ${repo} first`);
  process.exit(2);
}
if (build) {
  const b = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: ui, stdio: 'inherit' });
  if (b.status !== 0) process.exit(b.status ?? 1);
}

const data = mkdtempSync(join(tmpdir(), 'guildhall-e2e-'));
const server = spawn(
  bin,
  ['serve', '--content', join(repo, 'content'), '--addr', '127.0.0.1:0', '--ui', join(ui, 'dist')],
  { cwd: repo, env: { ...process.env, GUILDHALL_DATA: data }, stdio: ['ignore', 'pipe', 'inherit'] },
);

const url = await new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error('guildhall serve did not start within 30 s')), 30_000);
  const lines = createInterface({ input: server.stdout });
  lines.once('line', (line) => {
    clearTimeout(timer);
    const m = /(http:\/\/\S+)/.exec(line);
    if (m) resolve(m[1]);
    else reject(new Error(`unexpected first line from guildhall serve: ${line}`));
  });
  server.once('exit', (code) => reject(new Error(`guildhall serve exited with ${code}`)));
}).catch((e) => {
  console.error(`e2e: ${e.message}`);
  server.kill();
  process.exit(2);
});
console.log(`e2e: guildhall serve at ${url}`);

const stop = () => {
  if (server.exitCode === null) server.kill('SIGTERM');
  rmSync(data, { recursive: true, force: true });
};
process.on('SIGINT', () => {
  stop();
  process.exit(130);
});

const run = spawnSync('npx', ['playwright', 'test', ...args], {
  cwd: ui,
  stdio: 'inherit',
  env: { ...process.env, GUILDHALL_URL: url, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' },
});
stop();
process.exit(run.status ?? 1);
