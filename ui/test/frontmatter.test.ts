import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendItem, frontMatterRange, joinList, readFields, setField, splitList } from '../src/lib/frontmatter';

const STUDY = readFileSync(join(__dirname, '..', '..', 'content', 'case-studies', 'finance-invoice-approval.md'), 'utf8');

/** The lines of `a` that `b` does not have, and the other way round. */
function changedLines(a: string, b: string): [string[], string[]] {
  const al = a.split('\n');
  const bl = b.split('\n');
  return [al.filter((l) => !bl.includes(l)), bl.filter((l) => !al.includes(l))];
}

describe('front matter through the form', () => {
  it('finds the YAML between the --- lines', () => {
    const r = frontMatterRange('---\ntitle: A\n---\nBody\n')!;
    expect('---\ntitle: A\n---\nBody\n'.slice(r.from, r.to)).toBe('title: A\n');
    expect(frontMatterRange('No front matter')).toBeNull();
    expect(frontMatterRange('---\nnever closed\n')).toBeNull();
  });

  it('reads a real case study', () => {
    const f = readFields(STUDY)!;
    expect(f.mentor).toBe('Mei Lin');
    expect(f.authors).toEqual(['Aisha Karim', 'Ruth Adeyemi']);
    expect(f.review_by).toBe('2027-11-20');
    expect((f.metrics as Array<Record<string, unknown>>)[2]).toMatchObject({ unit: '%', before: 12, after: 5 });
  });

  it('changes only the key it touches, keeping order, quoting, flow style and comments', () => {
    const withComment = STUDY.replace('mentor: Mei Lin\n', 'mentor: Mei Lin # agreed in October\n');
    expect(setField(withComment, ['mentor'], 'Mei Lin')).toBe(withComment);
    const owner = setField(withComment, ['owner'], 'Priya Raman');
    expect(changedLines(withComment, owner)).toEqual([['owner: Mei Lin'], ['owner: Priya Raman']]);
    const tags = setField(withComment, ['tags'], ['integration', 'finance']);
    expect(changedLines(withComment, tags)).toEqual([['tags: [integration, reliability, governance]'], ['tags: [integration, finance]']]);
    const after = setField(withComment, ['metrics', 1, 'after'], 2);
    expect(changedLines(withComment, after)).toEqual([
      ['  - {name: Late-payment charges, before: 11, after: 4, unit: charges per quarter, better: lower}'],
      ['  - {name: Late-payment charges, before: 11, after: 2, unit: charges per quarter, better: lower}'],
    ]);
    expect(after).toContain('mentor: Mei Lin # agreed in October');
    // The body is never touched.
    expect(after.slice(after.indexOf('\n---\n'))).toBe(withComment.slice(withComment.indexOf('\n---\n')));
  });

  it('adds a new key at the end and removes one', () => {
    const text = '---\ntitle: "A" # as readers see it\nsummary: S\n---\nBody\n';
    expect(setField(text, ['review_by'], '2027-01-01')).toBe('---\ntitle: "A" # as readers see it\nsummary: S\nreview_by: 2027-01-01\n---\nBody\n');
    expect(setField(text, ['summary'], undefined)).toBe('---\ntitle: "A" # as readers see it\n---\nBody\n');
    expect(setField(text, ['title'], 'B: a colon')).toBe('---\ntitle: "B: a colon" # as readers see it\nsummary: S\n---\nBody\n');
    expect(setField(text, ['related'], ['retry-with-backoff'])).toContain('related: [retry-with-backoff]\n');
  });

  it('adds and edits metric rows', () => {
    const text = '---\ntitle: T\nmetrics:\n  - {name: A, before: 1, after: 2, unit: days, better: lower}\n---\n';
    const added = appendItem(text, ['metrics'], { name: 'B', before: 3, after: 4, unit: '%', better: 'higher' });
    expect(added).toBe('---\ntitle: T\nmetrics:\n  - {name: A, before: 1, after: 2, unit: days, better: lower}\n  - {name: B, before: 3, after: 4, unit: "%", better: higher}\n---\n');
    expect(readFields(setField(added, ['metrics', 0], undefined))!.metrics).toEqual([{ name: 'B', before: 3, after: 4, unit: '%', better: 'higher' }]);
  });

  it('leaves text it cannot read alone', () => {
    const bad = '---\ntitle: [unclosed\n---\nBody\n';
    expect(readFields(bad)).toBeNull();
    expect(setField(bad, ['title'], 'X')).toBe(bad);
  });

  it('turns list inputs into lists and back', () => {
    expect(splitList(' a, b ,, c ')).toEqual(['a', 'b', 'c']);
    expect(joinList(['a', 'b'])).toBe('a, b');
    expect(joinList(undefined)).toBe('');
  });
});
