// The one API client of the UI, with one transport: HTTP. Under `guildhall serve` it fetches
// relative URLs; in the desktop window it fetches the same paths from the app's `guildhall:`
// scheme, which the app answers in-process with the same router (src-tauri/src/protocol.rs).
// Every endpoint is one row of ENDPOINTS: a name, the HTTP method and a path of the generated
// OpenAPI document (a path the server does not have is a type error). The desktop app's only
// commands are its file-system chores (`DesktopCommand`).
import type {
  BookmarkView,
  CertificateFormat,
  CheckResult,
  ChangeKind,
  ChangelogEntry,
  Diagnostic,
  ErrorBody,
  ErrorCode,
  Governance,
  DocSummary,
  DocView,
  Draft,
  DraftUpdate,
  GlossaryLookup,
  IdentityView,
  Kind,
  NewDraft,
  Note,
  Overview,
  PathCard,
  PathProgressView,
  Preview,
  PreviewRequest,
  Profile,
  Proposal,
  ProposalView,
  Published,
  RecentItem,
  RollbackOutcome,
  SearchParams,
  SearchResponse,
  SyncOutcome,
  SyncView,
  Template,
  TermCard,
  Version,
  ContentGap,
  SettledSearch,
} from './types';
import type { paths } from './schema';

export type Method = 'GET' | 'PUT' | 'POST' | 'DELETE';
type Args = Record<string, unknown>;

export interface Endpoint {
  method: Method;
  /** Path template of the OpenAPI document; `{id}` is filled from args.id (percent-encoded, `/` included). */
  path: keyof paths;
  /** Argument names sent as the query string (GET) — the rest of args go in the body. */
  query?: readonly string[];
  /** The argument sent as the JSON body (PUT/POST). */
  body?: string;
  /** The answer is a file (any media type), not JSON: HTTP gives it back as a `FileAnswer`. */
  file?: boolean;
  /** Sent with `keepalive`: it must reach the server even when the page is being closed. */
  keepalive?: boolean;
}

/** A file the server answered: what the desktop command returns as JSON, and what HTTP builds
 * from the response's headers and body. */
export interface FileAnswer {
  filename: string;
  media_type: string;
  content: string;
}

/** Where a saved certificate went: `path` is the file the desktop app wrote; `null` when the
 * browser's own download took it. */
export interface SavedFile {
  filename: string;
  path: string | null;
}

/** Endpoint name -> HTTP method and path. Names are snake_case, like the OpenAPI operation ids. */
export const ENDPOINTS = {
  get_hub: { method: 'GET', path: '/api/hub' },
  get_governance: { method: 'GET', path: '/api/governance' },
  list_documents: { method: 'GET', path: '/api/documents', query: ['kind'] },
  get_document: { method: 'GET', path: '/api/documents/{id}' },
  get_glossary: { method: 'GET', path: '/api/glossary' },
  glossary_lookup: { method: 'GET', path: '/api/glossary/lookup', query: ['text'] },
  get_diagnostics: { method: 'GET', path: '/api/diagnostics' },
  search: { method: 'GET', path: '/api/search', query: ['q', 'kind', 'tag', 'audience', 'limit', 'record'] },
  record_settled_search: { method: 'POST', path: '/api/search/settled', body: 'body', keepalive: true },
  get_profile: { method: 'GET', path: '/api/profile' },
  put_profile: { method: 'PUT', path: '/api/profile', body: 'profile' },
  list_bookmarks: { method: 'GET', path: '/api/bookmarks' },
  put_bookmark: { method: 'PUT', path: '/api/bookmarks/{id}' },
  delete_bookmark: { method: 'DELETE', path: '/api/bookmarks/{id}' },
  get_note: { method: 'GET', path: '/api/notes/{id}' },
  put_note: { method: 'PUT', path: '/api/notes/{id}', body: 'note' },
  list_recent: { method: 'GET', path: '/api/recent', query: ['limit'] },
  record_view: { method: 'POST', path: '/api/recent/{id}' },
  list_paths: { method: 'GET', path: '/api/paths' },
  get_path: { method: 'GET', path: '/api/paths/{id}' },
  set_path_step: { method: 'POST', path: '/api/paths/{id}/steps', body: 'body' },
  set_path_current: { method: 'PUT', path: '/api/paths/{id}/current', body: 'body' },
  list_gaps: { method: 'GET', path: '/api/gaps', query: ['days'] },
  answer_path_check: { method: 'POST', path: '/api/paths/{id}/checks', body: 'body' },
  get_path_certificate: { method: 'GET', path: '/api/paths/{id}/certificate', query: ['format'], file: true },
  list_templates: { method: 'GET', path: '/api/templates' },
  list_drafts: { method: 'GET', path: '/api/drafts' },
  create_draft: { method: 'POST', path: '/api/drafts', body: 'body' },
  get_draft: { method: 'GET', path: '/api/drafts/{id}' },
  save_draft: { method: 'PUT', path: '/api/drafts/{id}', body: 'body' },
  delete_draft: { method: 'DELETE', path: '/api/drafts/{id}' },
  preview: { method: 'POST', path: '/api/preview', body: 'body' },
  propose_draft: { method: 'POST', path: '/api/drafts/{id}/propose' },
  get_identity: { method: 'GET', path: '/api/identity' },
  list_proposals: { method: 'GET', path: '/api/proposals' },
  get_proposal: { method: 'GET', path: '/api/proposals/{id}' },
  approve_proposal: { method: 'POST', path: '/api/proposals/{id}/approve', body: 'body' },
  request_changes: { method: 'POST', path: '/api/proposals/{id}/request-changes', body: 'body' },
  reject_proposal: { method: 'POST', path: '/api/proposals/{id}/reject', body: 'body' },
  get_history: { method: 'GET', path: '/api/history/{id}' },
  get_diff: { method: 'GET', path: '/api/history/{id}/diff', query: ['from', 'to'] },
  rollback: { method: 'POST', path: '/api/history/{id}/rollback', body: 'body' },
  get_changelog: { method: 'GET', path: '/api/changelog', query: ['kind', 'person'] },
  get_sync: { method: 'GET', path: '/api/sync' },
  post_sync: { method: 'POST', path: '/api/sync' },
} as const satisfies Record<string, Endpoint>;

export type Command = keyof typeof ENDPOINTS;
/** Commands only the desktop app has (no HTTP twin). */
export type DesktopCommand = 'save_path_certificate';

/**
 * Codes the client itself gives when there is no answer from the core: the server is not
 * reachable (`offline`), it answered something that is not Guildhall's JSON error (`http-error`),
 * or a desktop command failed outside the core (`ipc`). Every other code is the server's
 * `ErrorCode`, a closed union generated from the OpenAPI document.
 */
export type ClientErrorCode = 'offline' | 'http-error' | 'ipc';

/**
 * An error answered by the core: `{"error": {"code", "message", "hint"?, "suggestions"?, "diagnostics"?}}`.
 * `diagnostics` carries the content problems of a 422 `invalid-content` refusal; `hint` says how
 * to recover from damaged saved state (`damaged`).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | ClientErrorCode,
    message: string,
    readonly suggestions: string[] = [],
    readonly diagnostics: Diagnostic[] = [],
    readonly hint: string | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /**
   * The endpoint itself does not exist (yet): the server's catch-all answers `not-found` for
   * unknown API paths. Distinct from a missing document, which is `unknown-document`.
   */
  get missingEndpoint(): boolean {
    return this.status === 404 && this.code === 'not-found';
  }
}

export function isAbort(e: unknown): boolean {
  return e instanceof DOMException && e.name === 'AbortError';
}

export interface Transport {
  /** `tauri` in the desktop window (the same HTTP API, plus the desktop commands). */
  readonly kind: 'http' | 'tauri';
  call<T>(command: Command, args?: Args, signal?: AbortSignal): Promise<T>;
  /** Any endpoint by its method and path; `call` is this with a row of ENDPOINTS. */
  request<T>(ep: Endpoint, args?: Args, signal?: AbortSignal): Promise<T>;
  /** Desktop only. */
  desktop?<T>(command: DesktopCommand, args?: Args): Promise<T>;
}

/** `attachment; filename="a-certificate.html"` -> `a-certificate.html`. */
export function dispositionFilename(header: string | null, fallback: string): string {
  const m = header ? /filename="([^"]+)"/.exec(header) : null;
  return m?.[1] ?? fallback;
}

/** `/api/documents/{id}` with id `setup/install/readme` -> `/api/documents/setup%2Finstall%2Freadme`. */
export function buildPath(template: string, args: Args): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = args[name];
    if (v === undefined || v === null || v === '') throw new Error(`missing path argument ${name}`);
    return encodeURIComponent(String(v));
  });
}

export function buildQuery(names: readonly string[] | undefined, args: Args): string {
  if (!names) return '';
  const q = new URLSearchParams();
  for (const n of names) {
    const v = args[n];
    if (v !== undefined && v !== null && v !== '') q.set(n, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

async function errorFrom(res: Response): Promise<ApiError> {
  try {
    const body = (await res.json()) as { error?: Partial<ErrorBody['error']> };
    if (body?.error) {
      return new ApiError(
        res.status,
        body.error.code ?? 'http-error',
        body.error.message ?? res.statusText,
        body.error.suggestions ?? [],
        body.error.diagnostics ?? [],
        body.error.hint ?? null,
      );
    }
  } catch {
    // not JSON: fall through
  }
  return new ApiError(res.status, res.status === 404 ? 'not-found' : 'http-error', `${res.status} ${res.statusText}`);
}

export function httpTransport(fetchImpl: typeof fetch = (...a) => fetch(...a), base = ''): Transport {
  async function request<T>(ep: Endpoint, args: Args = {}, signal?: AbortSignal): Promise<T> {
    const url = base + buildPath(ep.path, args) + buildQuery(ep.query, args);
    const init: RequestInit = { method: ep.method, signal, headers: { accept: 'application/json' } };
    if (ep.keepalive) init.keepalive = true;
    if (ep.body !== undefined) {
      init.body = JSON.stringify(args[ep.body]);
      init.headers = { accept: 'application/json', 'content-type': 'application/json' };
    }
    let res: Response;
    try {
      res = await fetchImpl(url, init);
    } catch (e) {
      if (isAbort(e)) throw e;
      throw new ApiError(0, 'offline', 'Guildhall is not reachable. Is `guildhall serve` still running?');
    }
    if (!res.ok) throw await errorFrom(res);
    if (ep.file) {
      const file: FileAnswer = {
        filename: dispositionFilename(res.headers.get('content-disposition'), 'download'),
        media_type: res.headers.get('content-type') ?? 'application/octet-stream',
        content: await res.text(),
      };
      return file as T;
    }
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }
  return {
    kind: 'http',
    call: <T,>(command: Command, args: Args = {}, signal?: AbortSignal) => request<T>(ENDPOINTS[command], args, signal),
    request,
  };
}

type Invoke = (cmd: string, args?: Args) => Promise<unknown>;

/** A desktop command's rejection: the API's error body (+ status), or Tauri's own message. */
function commandError(e: unknown): ApiError {
  if (e && typeof e === 'object' && 'error' in e) {
    const err = (e as { error: Partial<ErrorBody['error']> & { status?: number } }).error;
    return new ApiError(
      err.status ?? 500,
      err.code ?? 'ipc',
      err.message ?? 'error',
      err.suggestions ?? [],
      err.diagnostics ?? [],
      err.hint ?? null,
    );
  }
  return new ApiError(500, 'ipc', String(e));
}

/**
 * Where the desktop app serves the API to its window: its `guildhall:` scheme, which Tauri spells
 * `guildhall://localhost` where the page is `tauri://localhost` (Linux, macOS) and
 * `http://guildhall.localhost` where it is `http://tauri.localhost` (Windows).
 */
export function desktopApiBase(protocol: string | undefined): string {
  return protocol === 'tauri:' ? 'guildhall://localhost' : 'http://guildhall.localhost';
}

/** The desktop window: the HTTP API from the app's scheme, plus the app's own commands. */
export function desktopTransport(invoke: Invoke, base: string, fetchImpl?: typeof fetch): Transport {
  const http = httpTransport(fetchImpl, base);
  return {
    kind: 'tauri',
    call: http.call,
    request: http.request,
    async desktop<T>(command: DesktopCommand, args: Args = {}): Promise<T> {
      try {
        return (await invoke(command, args)) as T;
      } catch (e) {
        throw commandError(e);
      }
    },
  };
}

/** Hands a file to the browser's own download (works in browsers; the desktop webview drops it). */
function browserDownload(f: FileAnswer): void {
  const url = URL.createObjectURL(new Blob([f.content], { type: f.media_type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = f.filename;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

declare global {
  interface Window {
    __TAURI_INTERNALS__?: { invoke: Invoke };
  }
}

export function detectTransport(w: Partial<Window> | undefined = typeof window === 'undefined' ? undefined : window): Transport {
  const tauri = w?.__TAURI_INTERNALS__;
  if (tauri && typeof tauri.invoke === 'function') {
    return desktopTransport((c, a) => tauri.invoke(c, a), desktopApiBase(w?.location?.protocol));
  }
  return httpTransport();
}

/** Paths of the OpenAPI document that answer a GET. */
export type GetPath = { [P in keyof paths]: paths[P] extends { get: object } ? P : never }[keyof paths];
/** The JSON a GET of `P` answers (200), from the generated schema. */
export type JsonOf<P extends GetPath> = paths[P] extends {
  get: { responses: { 200: { content: { 'application/json': infer T } } } };
}
  ? T
  : never;

export interface Api {
  readonly transport: Transport['kind'];
  /**
   * Any GET endpoint by its OpenAPI path, typed from the generated schema: `{id}` is filled
   * from `args.id`, the other arguments go in the query string. A new read-only endpoint needs
   * no client code beyond this call.
   */
  get<P extends GetPath>(path: P, args?: Args, signal?: AbortSignal): Promise<JsonOf<P>>;
  hub(): Promise<Overview>;
  /** Members and roles, who approves what, policies, pages due for review. */
  governance(): Promise<Governance>;
  documents(kind?: Kind): Promise<DocSummary[]>;
  document(id: string): Promise<DocView>;
  glossary(): Promise<TermCard[]>;
  glossaryLookup(text: string, signal?: AbortSignal): Promise<GlossaryLookup>;
  diagnostics(): Promise<Diagnostic[]>;
  search(params: SearchParams, signal?: AbortSignal): Promise<SearchResponse>;
  /** Log a settled search and whether one of its results was opened in time (for the content-gap report). */
  recordSettledSearch(body: SettledSearch): Promise<void>;
  profile(): Promise<Profile>;
  saveProfile(profile: Profile): Promise<Profile>;
  bookmarks(): Promise<BookmarkView[]>;
  addBookmark(id: string): Promise<void>;
  removeBookmark(id: string): Promise<void>;
  /** `null` when the person has no note on the document. */
  note(id: string): Promise<Note | null>;
  /** An empty text deletes the note (and answers `null`). */
  saveNote(id: string, text: string): Promise<Note | null>;
  recent(limit?: number): Promise<RecentItem[]>;
  recordView(id: string): Promise<void>;
  paths(): Promise<PathCard[]>;
  path(id: string): Promise<PathProgressView>;
  /** Mark a step done or not done; the step becomes the current one. */
  setStepDone(id: string, step: string, done: boolean): Promise<PathProgressView>;
  /** Remember which step the person is on. */
  setCurrentStep(id: string, step: string): Promise<PathProgressView>;
  /** Searches that went unanswered, grouped by similar wording. */
  gaps(days?: number): Promise<ContentGap[]>;
  /** Answer a step's self-check: the core judges it from the content and records it. */
  answerCheck(id: string, step: string, answer: string): Promise<CheckResult>;
  /** A completed path's certificate as a file. */
  certificate(id: string, format: CertificateFormat): Promise<FileAnswer>;
  /** Save a completed path's certificate: a browser download, or the desktop app's downloads folder. */
  saveCertificate(id: string, format: CertificateFormat): Promise<SavedFile>;
  templates(): Promise<Template[]>;
  drafts(): Promise<Draft[]>;
  createDraft(draft: NewDraft): Promise<Draft>;
  draft(id: string): Promise<Draft>;
  /** Autosave: resolves only once the draft is durably stored. */
  saveDraft(id: string, update: DraftUpdate): Promise<Draft>;
  deleteDraft(id: string): Promise<void>;
  preview(request: PreviewRequest, signal?: AbortSignal): Promise<Preview>;
  /** Refused with 422 `invalid-content` (see `ApiError.diagnostics`) when the draft has errors. */
  proposeDraft(id: string): Promise<Proposal>;
  identity(): Promise<IdentityView>;
  /** The review queue: open proposals and those waiting for their authors. */
  reviewQueue(): Promise<Proposal[]>;
  proposal(id: string): Promise<ProposalView>;
  /** `confirmDeletions`: an admin confirms a change deleting more than a tenth of the hub (else 409 `confirm-deletions`). */
  approve(id: string, comment: string, confirmDeletions?: boolean): Promise<Published>;
  requestChanges(id: string, comment: string): Promise<Proposal>;
  reject(id: string, comment: string): Promise<Proposal>;
  history(id: string): Promise<Version[]>;
  /** A unified line diff of a document between two versions (`to` defaults to the published one). */
  diff(id: string, from: string, to?: string): Promise<string>;
  rollback(id: string, body: { version: string; reason: string; direct: boolean }): Promise<RollbackOutcome>;
  changelog(filter?: { kind?: ChangeKind; person?: string }, signal?: AbortSignal): Promise<ChangelogEntry[]>;
  /** Where the hub stands with its remote (local state only). */
  syncStatus(): Promise<SyncView>;
  /** Sync now; what the remote refused is in the outcome's `error`, not thrown. */
  syncNow(): Promise<SyncOutcome>;
}

export function createClient(t: Transport): Api {
  return {
    transport: t.kind,
    get: <P extends GetPath>(path: P, args: Args = {}, signal?: AbortSignal) =>
      t.request<JsonOf<P>>(
        { method: 'GET', path, query: Object.keys(args).filter((k) => !path.includes(`{${k}}`)) },
        args,
        signal,
      ),
    hub: () => t.call('get_hub'),
    governance: () => t.call('get_governance'),
    documents: (kind) => t.call('list_documents', { kind }),
    document: (id) => t.call('get_document', { id }),
    glossary: () => t.call('get_glossary'),
    glossaryLookup: (text, signal) => t.call('glossary_lookup', { text }, signal),
    diagnostics: () => t.call('get_diagnostics'),
    search: (p, signal) => t.call('search', { ...p }, signal),
    recordSettledSearch: (body) => t.call('record_settled_search', { body }),
    profile: () => t.call('get_profile'),
    saveProfile: (profile) => t.call('put_profile', { profile }),
    bookmarks: () => t.call('list_bookmarks'),
    addBookmark: (id) => t.call('put_bookmark', { id }),
    removeBookmark: (id) => t.call('delete_bookmark', { id }),
    note: (id) => t.call('get_note', { id }),
    saveNote: (id, text) => t.call('put_note', { id, note: { text } }),
    recent: (limit) => t.call('list_recent', { limit }),
    recordView: (id) => t.call('record_view', { id }),
    paths: () => t.call('list_paths'),
    path: (id) => t.call('get_path', { id }),
    setStepDone: (id, step, done) => t.call('set_path_step', { id, body: { step, done } }),
    setCurrentStep: (id, step) => t.call('set_path_current', { id, body: { step } }),
    gaps: (days) => t.call('list_gaps', { days }),
    answerCheck: (id, step, answer) => t.call('answer_path_check', { id, body: { step, answer } }),
    certificate: (id, format) => t.call('get_path_certificate', { id, format }),
    async saveCertificate(id, format) {
      if (t.desktop) return t.desktop<SavedFile>('save_path_certificate', { id, format });
      const f = await t.call<FileAnswer>('get_path_certificate', { id, format });
      browserDownload(f);
      return { filename: f.filename, path: null };
    },
    templates: () => t.call('list_templates'),
    drafts: () => t.call('list_drafts'),
    createDraft: (draft) => t.call('create_draft', { body: draft }),
    draft: (id) => t.call('get_draft', { id }),
    saveDraft: (id, update) => t.call('save_draft', { id, body: update }),
    deleteDraft: (id) => t.call('delete_draft', { id }),
    preview: (request, signal) => t.call('preview', { body: request }, signal),
    proposeDraft: (id) => t.call('propose_draft', { id }),
    identity: () => t.call('get_identity'),
    reviewQueue: () => t.call('list_proposals'),
    proposal: (id) => t.call('get_proposal', { id }),
    approve: (id, comment, confirmDeletions = false) =>
      t.call('approve_proposal', { id, body: { comment, confirm_deletions: confirmDeletions } }),
    requestChanges: (id, comment) => t.call('request_changes', { id, body: { comment } }),
    reject: (id, comment) => t.call('reject_proposal', { id, body: { comment } }),
    history: (id) => t.call('get_history', { id }),
    diff: (id, from, to) => t.call<{ diff: string }>('get_diff', { id, from, to }).then((d) => d.diff),
    rollback: (id, body) => t.call('rollback', { id, body }),
    changelog: (filter = {}, signal) => t.call('get_changelog', { ...filter }, signal),
    syncStatus: () => t.call('get_sync'),
    syncNow: () => t.call('post_sync'),
  };
}

export const api: Api = createClient(detectTransport());
