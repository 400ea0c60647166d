// Human-readable times for review screens: ages ("3 days ago") and durations ("2 h 5 min").

/** A duration in seconds as "45 s", "12 min", "2 h 5 min", "3 days 4 h", "5 weeks". */
export function formatDuration(secs: number): string {
  const s = Math.max(0, Math.round(secs));
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 24) {
    const m = min % 60;
    return m ? `${h} h ${m} min` : `${h} h`;
  }
  const d = Math.floor(h / 24);
  if (d < 14) {
    const hh = h % 24;
    const days = `${d} day${d === 1 ? '' : 's'}`;
    return hh ? `${days} ${hh} h` : days;
  }
  const w = Math.floor(d / 7);
  return `${w} weeks`;
}

/** Unix seconds (review times) or an RFC 3339 string (personal-store times) as Unix seconds. */
export function toUnixSeconds(t: number | string): number {
  return typeof t === 'number' ? t : new Date(t).getTime() / 1000;
}

/** How long ago a time was, relative to `now` (ms): "just now", "5 min ago". */
export function formatAge(t: number | string, now: number = Date.now()): string {
  const secs = now / 1000 - toUnixSeconds(t);
  if (Number.isNaN(secs)) return String(t);
  if (secs < 45) return 'just now';
  return `${formatDuration(secs)} ago`;
}

/** A Unix time (seconds) or RFC 3339 string as "23 Nov 2026, 14:05" (local time). */
export function formatDateTime(t: number | string): string {
  const d = typeof t === 'number' ? new Date(t * 1000) : new Date(t);
  if (Number.isNaN(d.getTime())) return String(t);
  return d.toLocaleString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** For <time datetime>. */
export function isoTime(t: number | string): string {
  const d = typeof t === 'number' ? new Date(t * 1000) : new Date(t);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}

/** "Hannah Schulz <hannah@example.org>" (as git trailers write people) -> "Hannah Schulz". */
export function personName(who: string | null | undefined): string {
  if (!who) return '—';
  return who.replace(/\s*<[^>]*>\s*$/, '') || who;
}
