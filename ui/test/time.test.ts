import { describe, expect, it } from 'vitest';
import { formatAge, formatDuration, personName } from '../src/lib/time';

describe('durations', () => {
  it('reads like a person would say it', () => {
    expect(formatDuration(30)).toBe('30 s');
    expect(formatDuration(12 * 60 + 5)).toBe('12 min');
    expect(formatDuration(2 * 3600 + 5 * 60)).toBe('2 h 5 min');
    expect(formatDuration(3 * 3600)).toBe('3 h');
    expect(formatDuration(86400)).toBe('1 day');
    expect(formatDuration(3 * 86400 + 4 * 3600)).toBe('3 days 4 h');
    expect(formatDuration(35 * 86400)).toBe('5 weeks');
    expect(formatDuration(-5)).toBe('0 s');
  });

  it('ages', () => {
    const now = Date.UTC(2026, 10, 23, 12);
    expect(formatAge(now / 1000 - 10, now)).toBe('just now');
    expect(formatAge(now / 1000 - 3 * 3600, now)).toBe('3 h ago');
    expect(formatAge('2026-11-23T11:00:00.000Z', now)).toBe('1 h ago');
    expect(formatAge('not a date', now)).toBe('not a date');
  });
});

describe('people from git trailers', () => {
  it('shows the name without the e-mail', () => {
    expect(personName('Hannah Schulz <hannah.schulz@northbridge.example>')).toBe('Hannah Schulz');
    expect(personName('Priya Raman')).toBe('Priya Raman');
    expect(personName(null)).toBe('—');
    expect(personName('<only@mail>')).toBe('<only@mail>');
  });
});
