import { describe, expect, it } from 'vitest';
import { HINTS, initialTemplate, slugify, suggestPath, withTitle } from '../src/lib/templates';

describe('template chooser', () => {
  it('explains the five kinds the issue asks for', () => {
    expect(Object.keys(HINTS)).toEqual(['case-study', 'pattern', 'guide', 'post-mortem', 'term']);
  });

  it('suggests a path from the title', () => {
    expect(slugify('Retries & Backoff: a guide!')).toBe('retries-backoff-a-guide');
    expect(slugify('Tomás’ café')).toBe('tomas-cafe');
    expect(slugify('!!!')).toBe('');
    expect(slugify('a'.repeat(80))).toHaveLength(60);
    expect(suggestPath('case-studies', 'Faster invoices')).toBe('case-studies/faster-invoices.md');
    expect(suggestPath('guides/post-mortems/', 'Outage 3 May')).toBe('guides/post-mortems/outage-3-may.md');
    expect(suggestPath('glossary', '   ')).toBe('');
  });

  it('fills the title into the front matter, YAML-safe, and only there', () => {
    const tpl = '---\ntitle: ""\nsummary: "x"\n---\n## Context\n\ntitle: ""\n';
    expect(withTitle(tpl, 'Faster invoices')).toBe('---\ntitle: "Faster invoices"\nsummary: "x"\n---\n## Context\n\ntitle: ""\n');
    expect(withTitle(tpl, 'Say "hi" \\ now')).toContain('title: "Say \\"hi\\" \\\\ now"\n');
    expect(withTitle('---\nterm: ""\nplain: "p"\n---\n', 'Webhook')).toBe('---\nterm: "Webhook"\nplain: "p"\n---\n');
    // Nothing to fill: unchanged.
    expect(withTitle('---\ntitle: "Kept"\n---\n', 'New')).toBe('---\ntitle: "Kept"\n---\n');
    expect(withTitle('no front matter\ntitle: ""', 'New')).toBe('no front matter\ntitle: ""');
    expect(withTitle(tpl, '  ')).toBe(tpl);
  });

  it('preselects the template asked for in the address, else the first', () => {
    const ts = [{ kind: 'case-study' }, { kind: 'term' }];
    expect(initialTemplate(ts, 'term')).toEqual({ kind: 'term' });
    expect(initialTemplate(ts, 'nope')).toEqual({ kind: 'case-study' });
    expect(initialTemplate(ts, null)).toEqual({ kind: 'case-study' });
    expect(initialTemplate([], 'term')).toBeUndefined();
  });
});
