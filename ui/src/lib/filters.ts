// Pattern-library filtering, kept pure for tests.
import type { DocSummary } from '../api/types';

export interface PatternFilters {
  category?: string;
  risk?: string;
  fit?: string;
  audience?: string;
}

export const FILTER_KEYS = ['category', 'risk', 'fit', 'audience'] as const;

export function filterPatterns(docs: DocSummary[], f: PatternFilters): DocSummary[] {
  return docs.filter(
    (d) =>
      (!f.category || d.category === f.category) &&
      (!f.risk || d.risk === f.risk) &&
      (!f.fit || d.fit === f.fit) &&
      (!f.audience || d.audience.includes(f.audience as never) || d.audience.includes('everyone')),
  );
}

/** Distinct values of a field, sorted, with how many documents have each. */
export function optionsOf(docs: DocSummary[], key: keyof PatternFilters): Array<[string, number]> {
  const m = new Map<string, number>();
  for (const d of docs) {
    const v = d[key];
    for (const x of Array.isArray(v) ? v : v ? [v] : []) m.set(String(x), (m.get(String(x)) ?? 0) + 1);
  }
  const order = ['low', 'medium', 'high', 'low-code', 'either', 'coded'];
  return [...m].sort((a, b) => {
    const ia = order.indexOf(a[0]);
    const ib = order.indexOf(b[0]);
    if (ia >= 0 && ib >= 0) return ia - ib;
    return a[0].localeCompare(b[0]);
  });
}

const WORDS: Record<string, string> = { 'low-code': 'Low-code', 'no-code': 'No-code', coded: 'Code', either: 'Low-code or code', 'it-admin': 'IT admin' };

/** Who a page is for, as people, in a sentence: `[citizen-developer, it-admin]` -> "citizen developers and IT admins". */
const PEOPLE: Record<string, string> = {
  'citizen-developer': 'citizen developers',
  mentor: 'mentors',
  'it-admin': 'IT admins',
  'data-steward': 'data stewards',
  'app-owner': 'app owners',
  everyone: 'everyone',
};
export function audienceList(audience: readonly string[]): string {
  const names = audience.map((a) => PEOPLE[a] ?? a.replace(/-/g, ' '));
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

export function humanise(v: string): string {
  if (WORDS[v]) return WORDS[v];
  const s = v.replace(/-/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}
