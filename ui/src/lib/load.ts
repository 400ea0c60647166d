import { ApiError } from '../api/client';

/** For {#await}: is this rejection "the endpoint does not exist yet"? */
export function isMissing(e: unknown): boolean {
  return e instanceof ApiError && e.missingEndpoint;
}

/** Newest first by `updated` (ISO dates sort as strings); undated last. */
export function byUpdatedDesc<T extends { updated?: string | null }>(a: T, b: T): number {
  return (b.updated ?? '').localeCompare(a.updated ?? '');
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}
