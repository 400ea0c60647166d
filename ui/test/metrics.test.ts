import { describe, expect, it } from 'vitest';
import { direction, formatChange, formatValue, improvementPercent } from '../src/lib/metrics';

const m = (before: number, after: number, better: 'lower' | 'higher') => ({ before, after, better });

describe('case-study metrics', () => {
  it('agrees with the Rust improvement_percent', () => {
    expect(improvementPercent(m(10, 5, 'lower'))).toBe(50);
    expect(improvementPercent(m(10, 15, 'lower'))).toBe(-50);
    expect(improvementPercent(m(4, 5, 'higher'))).toBe(25);
    expect(improvementPercent(m(0, 5, 'higher'))).toBeNull();
    expect(improvementPercent(m(-4, -2, 'higher'))).toBe(50);
  });

  it('says which way the change went', () => {
    expect(direction(m(10, 5, 'lower'))).toBe('better');
    expect(direction(m(10, 5, 'higher'))).toBe('worse');
    expect(direction(m(3, 3, 'higher'))).toBe('same');
    expect(direction(m(0, 5, 'higher'))).toBe('better');
    expect(direction(m(0, 5, 'lower'))).toBe('worse');
  });

  it('formats changes and values', () => {
    expect(formatChange(m(12, 3, 'lower'))).toBe('75% better');
    expect(formatChange(m(3, 4, 'lower'))).toBe('33.3% worse');
    expect(formatChange(m(0, 4, 'lower'))).toBe('no baseline');
    // A rate is compared by its values, not as a percentage of a percentage ("83.3% better").
    expect(formatChange({ ...m(12, 2, 'lower'), unit: '%' })).toBe('better: from 12% to 2%');
    expect(formatChange({ ...m(2, 12, 'lower'), unit: 'percent' })).toBe('worse: from 2% to 12%');
    expect(formatChange({ ...m(0, 5, 'higher'), unit: '%' })).toBe('better: from 0% to 5%');
    expect(formatValue(1200, 'days')).toBe('1,200 days');
    expect(formatValue(4.25, '%')).toBe('4.25%');
    expect(formatValue(3)).toBe('3');
  });
});
