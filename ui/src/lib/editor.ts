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
