import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { attachHoverCards, CLOSE_DELAY_MS, OPEN_DELAY_MS, placeCard, termIdFromHref } from '../src/lib/hovercard';

describe('term ids', () => {
  it('reads the id from a term link', () => {
    expect(termIdFromHref('#/doc/exponential-backoff')).toBe('exponential-backoff');
    expect(termIdFromHref('#/doc/a%2Fb?section=gh-x')).toBe('a/b');
    expect(termIdFromHref('https://example.org')).toBeNull();
    expect(termIdFromHref(null)).toBeNull();
  });
});

describe('card placement', () => {
  const view = { width: 1000, height: 800, scrollX: 0, scrollY: 100 };
  it('goes below the mention when there is room', () => {
    const p = placeCard({ top: 100, left: 50, bottom: 120, width: 40, height: 20 }, { width: 300, height: 100 }, view);
    expect(p).toEqual({ x: 50, y: 228, above: false });
  });
  it('goes above near the bottom of the window', () => {
    const p = placeCard({ top: 700, left: 50, bottom: 720, width: 40, height: 20 }, { width: 300, height: 100 }, view);
    expect(p.above).toBe(true);
    expect(p.y).toBe(700 - 8 - 100 + 100);
  });
  it('stays inside the window horizontally', () => {
    expect(placeCard({ top: 0, left: 900, bottom: 20, width: 40, height: 20 }, { width: 300, height: 100 }, view).x).toBe(692);
    expect(placeCard({ top: 0, left: -20, bottom: 20, width: 40, height: 20 }, { width: 300, height: 100 }, view).x).toBe(8);
  });
});

describe('hover cards', () => {
  let root: HTMLElement;
  let detach: () => void;
  const card = () => document.querySelector<HTMLElement>('[role="tooltip"]')!;
  const term = () => root.querySelector<HTMLAnchorElement>('a.term')!;

  beforeEach(() => {
    vi.useFakeTimers();
    document.body.innerHTML = '';
    root = document.createElement('div');
    root.innerHTML =
      '<p>A <a class="term" href="#/doc/api" data-term="api" data-plain="Rules for systems to talk.">API</a> and ' +
      '<a class="term" href="#/doc/unknown" data-plain="From the page itself.">thing</a> and <a href="#/doc/x">plain link</a></p>';
    document.body.append(root);
    detach = attachHoverCards(root, {
      lookup: (id) => (id === 'api' ? { id, term: 'Application programming interface', aliases: ['API'], plain: 'A published set of rules.', plain_phrases: [], technical: null } : undefined),
    });
  });
  afterEach(() => {
    detach();
    vi.useRealTimers();
  });

  it('opens on hover after a short delay and closes when the pointer leaves', async () => {
    term().dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
    expect(card().hidden).toBe(true);
    await vi.advanceTimersByTimeAsync(OPEN_DELAY_MS);
    expect(card().hidden).toBe(false);
    expect(card().textContent).toContain('A published set of rules.');
    expect(card().querySelector('a')!.getAttribute('href')).toBe('#/doc/api');
    expect(term().getAttribute('aria-describedby')).toBe(card().id);
    term().dispatchEvent(new MouseEvent('mouseout', { bubbles: true, relatedTarget: document.body }));
    await vi.advanceTimersByTimeAsync(CLOSE_DELAY_MS);
    expect(card().hidden).toBe(true);
    expect(term().hasAttribute('aria-describedby')).toBe(false);
  });

  it('stays open while the pointer moves onto the card', async () => {
    term().dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
    await vi.advanceTimersByTimeAsync(OPEN_DELAY_MS);
    term().dispatchEvent(new MouseEvent('mouseout', { bubbles: true, relatedTarget: card() }));
    card().dispatchEvent(new MouseEvent('mouseenter'));
    await vi.advanceTimersByTimeAsync(CLOSE_DELAY_MS * 2);
    expect(card().hidden).toBe(false);
  });

  it('opens at once on keyboard focus, closes on blur and on Escape', async () => {
    term().focus();
    await vi.advanceTimersByTimeAsync(0);
    expect(card().hidden).toBe(false);
    expect(term().getAttribute('aria-describedby')).toBe(card().id);
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    expect(card().hidden).toBe(true);
    term().blur();
    term().focus();
    await vi.advanceTimersByTimeAsync(0);
    expect(card().hidden).toBe(false);
    term().blur();
    await vi.advanceTimersByTimeAsync(CLOSE_DELAY_MS);
    expect(card().hidden).toBe(true);
  });

  it('falls back to the definition the renderer wrote on the mention', async () => {
    root.querySelectorAll<HTMLAnchorElement>('a.term')[1]!.focus();
    await vi.advanceTimersByTimeAsync(0);
    expect(card().textContent).toContain('From the page itself.');
  });

  it('ignores links that are not terms, and cleans up', async () => {
    root.querySelector<HTMLAnchorElement>('a:not(.term)')!.focus();
    await vi.advanceTimersByTimeAsync(OPEN_DELAY_MS);
    expect(card().hidden).toBe(true);
    detach();
    expect(document.querySelector('[role="tooltip"]')).toBeNull();
    detach = () => {};
  });
});
