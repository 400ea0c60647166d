import { describe, expect, it } from 'vitest';
import { fillTemplate, slugify, suggestPath, template, templateForPath, TEMPLATES, wouldLoseWork } from '../src/lib/templates';

const DAY = new Date(Date.UTC(2026, 10, 23));

describe('templates', () => {
  it('offers the five kinds the issue asks for, each in its folder', () => {
    expect(TEMPLATES.map((t) => [t.key, t.folder])).toEqual([
      ['case-study', 'case-studies'],
      ['pattern', 'patterns'],
      ['guide', 'guides'],
      ['post-mortem', 'guides'],
      ['term', 'glossary'],
    ]);
    expect(template('nope')).toBeUndefined();
  });

  it('gives case studies a metrics table, in front matter and in the body', () => {
    const md = fillTemplate(template('case-study')!, { title: 'Faster invoices', author: 'Hannah Schulz', today: DAY });
    expect(md).toMatch(/^---\ntitle: "Faster invoices"\n/);
    expect(md).toContain('authors: ["Hannah Schulz"]');
    expect(md).toContain('metrics:\n  - {name: ');
    expect(md).toContain('| Measure | Before | After |');
    expect(md).toContain('date: 2026-11-23');
    expect(md).toContain('review_by: 2027-11-23');
    expect(md).not.toContain('{{');
  });

  it('fills every placeholder of every template, and keeps titles YAML-safe', () => {
    for (const t of TEMPLATES) {
      const md = fillTemplate(t, { title: 'Say "hi" \\ now', today: DAY });
      expect(md, t.key).not.toContain('{{');
      expect(md, t.key).toContain('"Say \\"hi\\" \\\\ now"');
      expect(md.startsWith('---\n'), t.key).toBe(true);
    }
    expect(fillTemplate(template('case-study')!, { title: 'x', today: DAY })).toContain('authors: []');
    expect(fillTemplate(template('term')!, { title: 'Webhook', today: DAY })).toContain('term: "Webhook"\n');
  });

  it('suggests a path from the title', () => {
    expect(slugify('Retries & Backoff: a guide!')).toBe('retries-backoff-a-guide');
    expect(slugify('Tomás’ café')).toBe('tomas-cafe');
    expect(slugify('!!!')).toBe('');
    expect(suggestPath(template('case-study')!, 'Faster invoices')).toBe('case-studies/faster-invoices.md');
    expect(suggestPath(template('term')!, '   ')).toBe('');
  });

  it('finds the template of an existing file', () => {
    expect(templateForPath('patterns/retry-with-backoff.md')?.key).toBe('pattern');
    expect(templateForPath('guides/x.md')?.key).toBe('guide');
    expect(templateForPath('glossary/jitter.md')?.key).toBe('term');
    expect(templateForPath('notes/x.md')).toBeUndefined();
  });

  it('asks before replacing real work, not an untouched template', () => {
    const t = template('pattern')!;
    const untouched = fillTemplate(t, { title: 'T', author: 'A', today: DAY });
    expect(wouldLoseWork('', 'T', 'A', DAY)).toBe(false);
    expect(wouldLoseWork(untouched, 'T', 'A', DAY)).toBe(false);
    expect(wouldLoseWork(untouched + 'more', 'T', 'A', DAY)).toBe(true);
  });
});
