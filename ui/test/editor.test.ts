import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../src/api/types';
import { lineAt, lineCount, matchPages, matchTerms, offsetOf, openWikilink, severityByLine, sortDiagnostics } from '../src/lib/editor';

const d = (line: number, severity: 'error' | 'warning', col = 1): Diagnostic =>
  ({ code: 'broken-link', line, col, message: `m${line}`, path: 'x.md', severity }) as Diagnostic;

describe('editor text helpers', () => {
  const text = 'one\ntwo\n\nfour';

  it('finds where a line (and column) starts, clamped to the text', () => {
    expect(offsetOf(text, 1)).toBe(0);
    expect(offsetOf(text, 2)).toBe(4);
    expect(offsetOf(text, 2, 3)).toBe(6);
    expect(offsetOf(text, 2, 99)).toBe(7); // end of "two", not into the next line
    expect(offsetOf(text, 3)).toBe(8);
    expect(offsetOf(text, 4)).toBe(9);
    expect(offsetOf(text, 40)).toBe(text.length);
    expect(lineAt(text, offsetOf(text, 4, 2))).toBe(4);
  });

  it('counts lines like the gutter shows them', () => {
    expect(lineCount('')).toBe(1);
    expect(lineCount(text)).toBe(4);
    expect(lineCount('a\n')).toBe(2);
  });

  it('marks each line with its worst problem and skips whole-file ones', () => {
    const m = severityByLine([d(2, 'warning'), d(2, 'error'), d(3, 'warning'), d(0, 'error')]);
    expect([...m.entries()].sort()).toEqual([
      [2, 'error'],
      [3, 'warning'],
    ]);
    expect(severityByLine([d(5, 'error'), d(5, 'warning')]).get(5)).toBe('error');
  });

  it('lists errors first, then by line and column', () => {
    const sorted = sortDiagnostics([d(9, 'warning'), d(4, 'error', 7), d(1, 'warning'), d(4, 'error', 2)]);
    expect(sorted.map((x) => [x.severity, x.line, x.col])).toEqual([
      ['error', 4, 2],
      ['error', 4, 7],
      ['warning', 1, 1],
      ['warning', 9, 1],
    ]);
  });
});

describe('editor completion', () => {
  it('sees a wikilink being typed, and only then', () => {
    expect(openWikilink('See [[retr')).toEqual({ from: 6, query: 'retr' });
    expect(openWikilink('See [[')).toEqual({ from: 6, query: '' });
    expect(openWikilink('See [[retry]] and')).toBeNull();
    expect(openWikilink('See [[retry|label')).toBeNull();
    expect(openWikilink('See [[retry#sec')).toBeNull();
    expect(openWikilink('[[a\nb')).toBeNull();
    expect(openWikilink('one [ bracket')).toBeNull();
  });

  it('matches pages by id or title, prefixes first', () => {
    const pages = [
      { id: 'retry-with-backoff', title: 'Retry with backoff' },
      { id: 'set-timeouts', title: 'Set timeouts' },
      { id: 'circuit-breaker', title: 'Circuit breaker for flaky services' },
    ];
    expect(matchPages(pages, 'retr').map((p) => p.id)).toEqual(['retry-with-backoff']);
    expect(matchPages(pages, 'Flaky').map((p) => p.id)).toEqual(['circuit-breaker']);
    expect(matchPages(pages, 'set').map((p) => p.id)).toEqual(['set-timeouts']);
    expect(matchPages(pages, 'ti').map((p) => p.id)).toEqual(['set-timeouts']);
    expect(matchPages(pages, '').length).toBe(3);
    expect(matchPages(pages, 'zzz')).toEqual([]);
  });

  it('completes glossary terms and aliases from two letters', () => {
    const terms = [
      { term: 'Exponential backoff', aliases: ['backoff'], plain: 'Waiting longer each time.' },
      { term: 'Data loss prevention', aliases: ['DLP'], plain: 'Rules that stop data leaking.' },
      { term: 'Jitter', aliases: [], plain: 'A random delay.' },
    ];
    expect(matchTerms(terms, 'j')).toEqual([]);
    expect(matchTerms(terms, 'jit').map((m) => m.insert)).toEqual(['Jitter']);
    expect(matchTerms(terms, 'back').map((m) => m.insert)).toEqual(['backoff']);
    expect(matchTerms(terms, 'dl').map((m) => m.insert)).toEqual(['DLP']);
    // A word already complete is not offered back.
    expect(matchTerms(terms, 'jitter')).toEqual([]);
  });
});
