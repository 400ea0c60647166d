// Shared by the desktop e2e test (desktop.mjs) and the keystroke benchmark (bench.mjs): the
// private environment the app runs in, and one WebDriver request.
import { join } from 'node:path';

/** Environment for a run in its own home: personal data, index, window state and WebKit caches. */
export function isolatedEnv(home, content) {
  return {
    ...process.env,
    GUILDHALL_CONTENT: content,
    GUILDHALL_DATA: join(home, 'data'),
    XDG_CONFIG_HOME: join(home, 'config'),
    XDG_DATA_HOME: join(home, 'share'),
    XDG_CACHE_HOME: join(home, 'cache'),
    NO_AT_BRIDGE: '1',
  };
}

/** A WebDriver client for the server at `base`: `wd(method, path, body?, timeoutMs?)` → `value`. */
export function webdriver(base) {
  return async function wd(method, path, body, timeoutMs = 15000) {
    const res = await fetch(base + path, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const json = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json.value ?? json).slice(0, 300)}`);
    return json.value;
  };
}
