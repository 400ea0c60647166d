import { describe, expect, it, vi } from 'vitest';
import {
  ApiError,
  buildPath,
  buildQuery,
  createClient,
  detectTransport,
  dispositionFilename,
  ENDPOINTS,
  httpTransport,
  desktopApiBase,
  desktopTransport,
} from '../src/api/client';

function jsonResponse(status: number, body: unknown): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

describe('paths and queries', () => {
  it('percent-encodes ids, including `/`', () => {
    expect(buildPath('/api/documents/{id}', { id: 'setup/install/readme' })).toBe('/api/documents/setup%2Finstall%2Freadme');
    expect(buildPath('/api/documents/{id}', { id: 'a b?' })).toBe('/api/documents/a%20b%3F');
  });
  it('refuses a missing path argument', () => {
    expect(() => buildPath('/api/notes/{id}', {})).toThrow(/id/);
  });
  it('drops empty query values', () => {
    expect(buildQuery(['q', 'kind', 'limit'], { q: 'retry later', kind: '', limit: 5 })).toBe('?q=retry+later&limit=5');
    expect(buildQuery(['q'], {})).toBe('');
  });
  it('names every endpoint in snake_case', () => {
    for (const name of Object.keys(ENDPOINTS)) expect(name).toMatch(/^[a-z]+(_[a-z]+)*$/);
  });
});

describe('HTTP transport', () => {
  it('GETs relative URLs and parses JSON', async () => {
    const fetch = vi.fn(async () => jsonResponse(200, { id: 'x' }));
    const api = createClient(httpTransport(fetch as unknown as typeof globalThis.fetch));
    await expect(api.document('guides/a')).resolves.toEqual({ id: 'x' });
    expect(fetch).toHaveBeenCalledWith('/api/documents/guides%2Fa', expect.objectContaining({ method: 'GET' }));
  });

  it('sends search parameters and the abort signal', async () => {
    const fetch = vi.fn(async () => jsonResponse(200, { hits: [] }));
    const api = createClient(httpTransport(fetch as unknown as typeof globalThis.fetch));
    const ctrl = new AbortController();
    await api.search({ q: 'retry', kind: 'pattern', limit: 8 }, ctrl.signal);
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/search?q=retry&kind=pattern&limit=8');
    expect(init.signal).toBe(ctrl.signal);
  });

  it('PUTs JSON bodies', async () => {
    const fetch = vi.fn(async () => jsonResponse(204, undefined));
    const api = createClient(httpTransport(fetch as unknown as typeof globalThis.fetch));
    await api.saveNote('retry-with-backoff', 'hello');
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/notes/retry-with-backoff');
    expect(init.method).toBe('PUT');
    expect(JSON.parse(String(init.body))).toEqual({ text: 'hello' });
  });

  it('sends record=true only when asked, and the recent limit', async () => {
    const fetch = vi.fn(async () => jsonResponse(200, []));
    const api = createClient(httpTransport(fetch as unknown as typeof globalThis.fetch));
    await api.search({ q: 'x', record: true });
    await api.search({ q: 'x', record: false });
    await api.recent(6);
    const urls = fetch.mock.calls.map((c) => (c as unknown as [string])[0]);
    expect(urls).toEqual(['/api/search?q=x&record=true', '/api/search?q=x&record=false', '/api/recent?limit=6']);
  });

  it('POSTs step progress and PUTs the current step of a path', async () => {
    const fetch = vi.fn(async () => jsonResponse(200, { card: {}, steps: [] }));
    const api = createClient(httpTransport(fetch as unknown as typeof globalThis.fetch));
    await api.setStepDone('start-here', 'welcome', true);
    await api.setCurrentStep('start-here', 'low-code-policy');
    const calls = fetch.mock.calls as unknown as Array<[string, RequestInit]>;
    expect(calls.map(([u, i]) => [i.method, u, JSON.parse(String(i.body))])).toEqual([
      ['POST', '/api/paths/start-here/steps', { step: 'welcome', done: true }],
      ['PUT', '/api/paths/start-here/current', { step: 'low-code-policy' }],
    ]);
  });

  it('turns the error body into an ApiError with suggestions', async () => {
    const body = { error: { code: 'unknown-document', message: 'no document `retyr`', suggestions: ['retry'] } };
    const api = createClient(httpTransport((async () => jsonResponse(404, body)) as unknown as typeof fetch));
    const e = await api.document('retyr').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect(e).toMatchObject({ status: 404, code: 'unknown-document', suggestions: ['retry'] });
    expect((e as ApiError).missingEndpoint).toBe(false);
  });

  it('recognises an endpoint the server does not have yet', async () => {
    const body = { error: { code: 'not-found', message: 'no such API endpoint; see /api/openapi.json' } };
    const api = createClient(httpTransport((async () => jsonResponse(404, body)) as unknown as typeof fetch));
    const e = (await api.bookmarks().catch((x: unknown) => x)) as ApiError;
    expect(e.missingEndpoint).toBe(true);
  });

  it('reports a dead server as offline, but lets aborts through', async () => {
    const down = createClient(httpTransport((async () => { throw new TypeError('fetch failed'); }) as unknown as typeof fetch));
    await expect(down.hub()).rejects.toMatchObject({ code: 'offline' });
    const aborted = createClient(
      httpTransport((async () => { throw new DOMException('aborted', 'AbortError'); }) as unknown as typeof fetch),
    );
    await expect(aborted.hub()).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('desktop transport', () => {
  it('fetches the same paths from the app scheme, and invokes only the desktop commands', async () => {
    const fetch = vi.fn(async (_url: string, _init?: RequestInit) => new Response('{"id":"guides/a"}', { status: 200 }));
    const invoke = vi.fn(async () => ({ ok: true }));
    const api = createClient(desktopTransport(invoke, 'guildhall://localhost', fetch as unknown as typeof globalThis.fetch));
    await api.document('guides/a');
    await api.setStepDone('start-here', 'welcome', true);
    expect(fetch.mock.calls.map(([url, init]) => [url, init?.method, init?.body])).toEqual([
      ['guildhall://localhost/api/documents/guides%2Fa', 'GET', undefined],
      ['guildhall://localhost/api/paths/start-here/steps', 'POST', '{"step":"welcome","done":true}'],
    ]);
    expect(invoke).not.toHaveBeenCalled();
  });

  it('answers errors of the API and of desktop commands alike', async () => {
    const fetch = vi.fn(
      async () =>
        new Response('{"error":{"code":"not-a-member","message":"dave is not a member"}}', {
          status: 403,
          headers: { 'content-type': 'application/json' },
        }),
    );
    const api = createClient(desktopTransport(async () => null, 'guildhall://localhost', fetch as unknown as typeof globalThis.fetch));
    await expect(api.identity()).rejects.toMatchObject({ status: 403, code: 'not-a-member' });
    const failing = createClient(
      desktopTransport(async () => { throw { error: { status: 409, code: 'not-completed', message: 'no' } }; }, ''),
    );
    await expect(failing.saveCertificate('p', 'html')).rejects.toMatchObject({ status: 409, code: 'not-completed' });
    const broken = createClient(desktopTransport(async () => { throw 'command not allowed'; }, ''));
    await expect(broken.saveCertificate('p', 'html')).rejects.toMatchObject({ status: 500, code: 'ipc' });
  });

  it('is chosen when __TAURI_INTERNALS__ is present, on the scheme Tauri gives the platform', () => {
    expect(detectTransport({}).kind).toBe('http');
    expect(detectTransport({ __TAURI_INTERNALS__: { invoke: async () => null } }).kind).toBe('tauri');
    expect(desktopApiBase('tauri:')).toBe('guildhall://localhost');
    expect(desktopApiBase('http:')).toBe('http://guildhall.localhost');
  });
});

describe('certificate files', () => {
  it('over HTTP a file endpoint answers the body with the name and type from the headers', async () => {
    const fetch = vi.fn(async () =>
      new Response('<!doctype html><p>x</p>', {
        status: 200,
        headers: { 'content-type': 'text/html; charset=utf-8', 'content-disposition': 'attachment; filename="p-certificate.html"' },
      }),
    );
    const api = createClient(httpTransport(fetch as unknown as typeof globalThis.fetch));
    const f = await api.certificate('p', 'html');
    expect(fetch).toHaveBeenCalledWith('/api/paths/p/certificate?format=html', expect.objectContaining({ method: 'GET' }));
    expect(f).toEqual({ filename: 'p-certificate.html', media_type: 'text/html; charset=utf-8', content: '<!doctype html><p>x</p>' });
  });

  it('in the desktop app saving goes to the desktop-only command', async () => {
    const invoke = vi.fn(async () => ({ filename: 'p-certificate.json', path: '/home/a/Downloads/p-certificate.json' }));
    const api = createClient(desktopTransport(invoke, 'guildhall://localhost'));
    expect(await api.saveCertificate('p', 'json')).toEqual({ filename: 'p-certificate.json', path: '/home/a/Downloads/p-certificate.json' });
    expect(invoke).toHaveBeenCalledWith('save_path_certificate', { id: 'p', format: 'json' });
  });

  it('reads the file name of a Content-Disposition header', () => {
    expect(dispositionFilename('attachment; filename="a-b.json"', 'x')).toBe('a-b.json');
    expect(dispositionFilename(null, 'download')).toBe('download');
  });
});
