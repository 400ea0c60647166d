// Before/after metric maths for case studies. Mirrors the Rust `Metric::improvement_percent`:
// positive when the change went the way `better` says, null when there is no baseline.
import type { Metric } from '../api/types';

export function improvementPercent(m: Pick<Metric, 'before' | 'after' | 'better'>): number | null {
  if (!Number.isFinite(m.before) || !Number.isFinite(m.after) || m.before === 0) return null;
  const change = ((m.after - m.before) / Math.abs(m.before)) * 100;
  return m.better === 'lower' ? -change : change;
}

export type Direction = 'better' | 'worse' | 'same' | 'unknown';

export function direction(m: Pick<Metric, 'before' | 'after' | 'better'>): Direction {
  if (m.after === m.before) return 'same';
  const p = improvementPercent(m);
  if (p === null) {
    const up = m.after > m.before;
    return up === (m.better === 'higher') ? 'better' : 'worse';
  }
  return p > 0 ? 'better' : 'worse';
}

/** Whether a metric is itself a percentage (`unit: "%"`), where a relative change misleads. */
export function isPercentUnit(unit?: string | null): boolean {
  const u = (unit ?? '').trim().toLowerCase();
  return u === '%' || u === 'percent' || u === 'per cent' || u === 'percentage';
}

/**
 * "62.5% better", or for a metric that is itself a percentage "better: from 12% to 2%" (a change
 * of a rate is not said as a percentage of it), "no change" or "no baseline".
 */
export function formatChange(m: Pick<Metric, 'before' | 'after' | 'better'> & { unit?: string | null }): string {
  const d = direction(m);
  if (d === 'same') return 'no change';
  if (isPercentUnit(m.unit)) return `${d}: from ${formatValue(m.before, '%')} to ${formatValue(m.after, '%')}`;
  const p = improvementPercent(m);
  if (p === null) return 'no baseline';
  const rounded = Math.round(Math.abs(p) * 10) / 10;
  return `${rounded}% ${d}`;
}

export function formatValue(v: number, unit?: string | null): string {
  const n = Number.isInteger(v) ? v.toLocaleString('en-GB') : v.toLocaleString('en-GB', { maximumFractionDigits: 2 });
  if (!unit) return n;
  if (isPercentUnit(unit)) return `${n}%`;
  return `${n} ${unit}`;
}
