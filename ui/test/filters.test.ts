import { describe, expect, it } from 'vitest';
import type { DocSummary } from '../src/api/types';
import { audienceList, filterPatterns, humanise, optionsOf } from '../src/lib/filters';

const doc = (id: string, over: Partial<DocSummary>): DocSummary =>
  ({ id, kind: 'pattern', title: id, path: `patterns/${id}.md`, tags: [], audience: [], stale: false, reading_minutes: 1, ...over }) as DocSummary;

const docs = [
  doc('a', { category: 'security', risk: 'high', fit: 'coded', audience: ['it-admin'] }),
  doc('b', { category: 'integration', risk: 'medium', fit: 'either', audience: ['everyone'] }),
  doc('c', { category: 'integration', risk: 'low', fit: 'low-code', audience: ['citizen-developer'] }),
];

describe('pattern filters', () => {
  it('combines filters', () => {
    expect(filterPatterns(docs, {}).map((d) => d.id)).toEqual(['a', 'b', 'c']);
    expect(filterPatterns(docs, { category: 'integration' }).map((d) => d.id)).toEqual(['b', 'c']);
    expect(filterPatterns(docs, { category: 'integration', risk: 'low' }).map((d) => d.id)).toEqual(['c']);
    expect(filterPatterns(docs, { fit: 'coded' }).map((d) => d.id)).toEqual(['a']);
  });
  it('counts "everyone" as every audience', () => {
    expect(filterPatterns(docs, { audience: 'citizen-developer' }).map((d) => d.id)).toEqual(['b', 'c']);
  });
  it('lists options in a sensible order with counts', () => {
    expect(optionsOf(docs, 'risk')).toEqual([['low', 1], ['medium', 1], ['high', 1]]);
    expect(optionsOf(docs, 'category')).toEqual([['integration', 2], ['security', 1]]);
    expect(humanise('case-study')).toBe('Case study');
    expect(humanise('low-code')).toBe('Low-code');
    expect(humanise('either')).toBe('Low-code or code');
  });
});

describe('audience in a sentence', () => {
  it('names people, with IT in capitals and "and" before the last', () => {
    expect(audienceList(['it-admin'])).toBe('IT admins');
    expect(audienceList(['citizen-developer', 'mentor', 'it-admin'])).toBe('citizen developers, mentors and IT admins');
    expect(audienceList([])).toBe('');
    expect(humanise('it-admin')).toBe('IT admin');
  });
});
