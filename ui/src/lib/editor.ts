// Text helpers for the Markdown editor: where a line starts, and which lines have problems.
import type { Diagnostic } from '../api/types';

/** The character offset of 1-based `line` (and 1-based `col`, if given) in `text`, clamped. */
export function offsetOf(text: string, line: number, col = 1): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', offset);
    if (nl < 0) return text.length;
    offset = nl + 1;
  }
  const end = text.indexOf('\n', offset);
  const lineEnd = end < 0 ? text.length : end;
  return Math.min(offset + Math.max(0, col - 1), lineEnd);
}

/** The 1-based line the offset is on. */
export function lineAt(text: string, offset: number): number {
  let n = 1;
  const stop = Math.min(offset, text.length);
  for (let i = 0; i < stop; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

export function lineCount(text: string): number {
  return lineAt(text, text.length);
}

/** The worst severity per line (errors win), for the gutter. Whole-file problems (line 0) are skipped. */
export function severityByLine(diags: readonly Diagnostic[]): Map<number, 'error' | 'warning'> {
  const m = new Map<number, 'error' | 'warning'>();
  for (const d of diags) {
    if (d.line < 1) continue;
    if (d.severity === 'error' || !m.has(d.line)) m.set(d.line, d.severity === 'error' ? 'error' : 'warning');
  }
  return m;
}

/** Errors first, then by line. */
export function sortDiagnostics(diags: readonly Diagnostic[]): Diagnostic[] {
  return [...diags].sort((a, b) => (a.severity === b.severity ? a.line - b.line || a.col - b.col : a.severity === 'error' ? -1 : 1));
}

/** A page offered after `[[`. */
export interface PageOption {
  id: string;
  title: string;
}

/** A glossary term offered while typing a word. */
export interface TermOption {
  term: string;
  aliases: readonly string[];
  plain: string;
}

/**
 * The `[[` being typed just before the caret: `{ from, query }` where `from` is the offset just
 * after `[[` and `query` the text typed since (no `]`, `|`, `#` or line break yet), else null.
 */
export function openWikilink(textBefore: string): { from: number; query: string } | null {
  const m = /\[\[([^\]|#\n[]*)$/.exec(textBefore);
  if (!m) return null;
  const query = m[1] ?? '';
  return { from: textBefore.length - query.length, query };
}

/** Pages whose id or title contains `query` (case-insensitive): prefix matches first, then by title. */
export function matchPages<T extends PageOption>(pages: readonly T[], query: string, limit = 50): T[] {
  const q = query.trim().toLowerCase();
  const scored: Array<[number, T]> = [];
  for (const p of pages) {
    const id = p.id.toLowerCase();
    const title = p.title.toLowerCase();
    let score: number;
    if (!q) score = 2;
    else if (id.startsWith(q) || title.startsWith(q)) score = 0;
    else if (id.includes(q) || title.includes(q)) score = 1;
    else continue;
    scored.push([score, p]);
  }
  scored.sort((a, b) => a[0] - b[0] || a[1].title.localeCompare(b[1].title));
  return scored.slice(0, limit).map(([, p]) => p);
}

/**
 * Terms (or aliases) that start with `word` (case-insensitive, at least 2 letters typed), each
 * with the spelling to insert: the alias when that is what matched. The word itself is not
 * offered back when it is already complete.
 */
export function matchTerms(terms: readonly TermOption[], word: string, limit = 20): Array<{ insert: string; term: TermOption }> {
  const w = word.toLowerCase();
  if (w.length < 2) return [];
  const out: Array<{ insert: string; term: TermOption }> = [];
  for (const t of terms) {
    const name = [t.term, ...t.aliases].find((n) => n.toLowerCase().startsWith(w) && n.toLowerCase() !== w);
    if (name) out.push({ insert: name, term: t });
  }
  out.sort((a, b) => a.insert.length - b.insert.length || a.insert.localeCompare(b.insert));
  return out.slice(0, limit);
}

