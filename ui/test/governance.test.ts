import { describe, expect, it } from 'vitest';
import { dueLabel, gapReason, kindLabel, plural } from '../src/lib/governance';

describe('governance wording', () => {
  it('pluralises', () => {
    expect(plural(1, 'policy', 'policies')).toBe('1 policy');
    expect(plural(0, 'policy', 'policies')).toBe('0 policies');
    expect(plural(3, 'member', 'members')).toBe('3 members');
  });

  it('names kinds of change in words', () => {
    expect(kindLabel('case-study', 1)).toBe('case study');
    expect(kindLabel('case-study', 2)).toBe('case studies');
    expect(kindLabel('term', 2)).toBe('glossary terms');
    expect(kindLabel('something-new', 2)).toBe('something-new');
  });

  it('says how far off a review date is', () => {
    expect(dueLabel(-1, '2026-11-22')).toBe('overdue by 1 day');
    expect(dueLabel(-40, '2026-10-14')).toBe('overdue by 40 days');
    expect(dueLabel(0, '2026-11-23')).toBe('due today');
    expect(dueLabel(8, '2026-12-01')).toBe('due in 8 days');
    expect(dueLabel(200, '2027-06-11')).toBe('review by 2027-06-11');
    expect(dueLabel(null, null)).toBe('no review date');
  });

  it('says why searches went unanswered', () => {
    expect(gapReason({ count: 3, no_results: 3 })).toBe('nothing found');
    expect(gapReason({ count: 2, no_results: 0 })).toBe('no result opened');
    expect(gapReason({ count: 5, no_results: 2 })).toBe('nothing found 2×, no result opened 3×');
  });
});
