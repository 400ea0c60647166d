// Wording for the governance screen, kept pure so it is tested without a browser.

/** "1 policy", "3 policies". */
export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

const KINDS: Record<string, [string, string]> = {
  term: ['glossary term', 'glossary terms'],
  pattern: ['pattern', 'patterns'],
  'case-study': ['case study', 'case studies'],
  path: ['training path', 'training paths'],
  guide: ['guide', 'guides'],
  policy: ['policy', 'policies'],
  config: ['hub settings', 'hub settings'],
  asset: ['file', 'files (images, attachments)'],
};

/** A kind of document or change in words, singular for 1; unknown kinds as written. */
export function kindLabel(kind: string, n: number): string {
  const k = KINDS[kind];
  return k ? (n === 1 ? k[0] : k[1]) : kind;
}

/** "overdue by 12 days", "due today", "due in 3 days", or the date itself when far off. */
export function dueLabel(daysLeft: number | null | undefined, reviewBy: string | null | undefined): string {
  if (daysLeft == null) return reviewBy ? `review by ${reviewBy}` : 'no review date';
  if (daysLeft < 0) return `overdue by ${plural(-daysLeft, 'day', 'days')}`;
  if (daysLeft === 0) return 'due today';
  if (daysLeft <= 60) return `due in ${plural(daysLeft, 'day', 'days')}`;
  return `review by ${reviewBy ?? ''}`.trim();
}

/** Why a group of searches counts as unanswered: "nothing found", "no result opened", or both with counts. */
export function gapReason(g: { count: number; no_results: number }): string {
  const unopened = g.count - g.no_results;
  if (unopened <= 0) return 'nothing found';
  if (g.no_results === 0) return 'no result opened';
  return `nothing found ${g.no_results}×, no result opened ${unopened}×`;
}
