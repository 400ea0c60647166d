// Glossary hover cards: `a.term` mentions in rendered pages show the term's plain definition on
// hover AND on keyboard focus. One card element (role="tooltip") per page; the mention it
// describes gets aria-describedby while the card is open. Escape closes it.
import type { TermCard } from '../api/types';

export const OPEN_DELAY_MS = 250;
export const CLOSE_DELAY_MS = 200;

/** `#/doc/exponential-backoff` -> `exponential-backoff`; null for anything else. */
export function termIdFromHref(href: string | null): string | null {
  if (!href) return null;
  const m = /^#\/doc\/([^?]+)/.exec(href);
  if (!m || !m[1]) return null;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return m[1];
  }
}

export interface Rect {
  top: number;
  left: number;
  bottom: number;
  width: number;
  height: number;
}

/**
 * Where the card goes, in page coordinates: below the mention, or above it when there is no
 * room below; never off the left or right edge of the viewport.
 */
export function placeCard(
  anchor: Rect,
  card: { width: number; height: number },
  viewport: { width: number; height: number; scrollX: number; scrollY: number },
  gap = 8,
): { x: number; y: number; above: boolean } {
  const margin = 8;
  const below = anchor.bottom + gap + card.height <= viewport.height;
  const roomAbove = anchor.top - gap - card.height >= 0;
  const above = !below && roomAbove;
  const yView = above ? anchor.top - gap - card.height : anchor.bottom + gap;
  let xView = anchor.left;
  xView = Math.min(xView, viewport.width - card.width - margin);
  xView = Math.max(margin, xView);
  return { x: Math.round(xView + viewport.scrollX), y: Math.round(yView + viewport.scrollY), above };
}

export interface HoverCardOptions {
  /** The term behind an id (from DocView.terms, else the glossary). */
  lookup: (id: string) => TermCard | undefined | Promise<TermCard | undefined>;
  /** Element that hosts the card (document.body in the app). */
  host?: HTMLElement;
  openDelay?: number;
  closeDelay?: number;
}

let counter = 0;

/**
 * Attach hover cards to every `a.term` inside `root`. Returns a function that detaches them.
 * Event delegation: works for HTML inserted later with {@html}.
 */
export function attachHoverCards(root: HTMLElement, opts: HoverCardOptions): () => void {
  const doc = root.ownerDocument;
  const host = opts.host ?? doc.body;
  const openDelay = opts.openDelay ?? OPEN_DELAY_MS;
  const closeDelay = opts.closeDelay ?? CLOSE_DELAY_MS;
  const id = `hovercard-${++counter}`;

  const card = doc.createElement('div');
  card.id = id;
  card.className = 'hovercard';
  card.setAttribute('role', 'tooltip');
  card.hidden = true;
  host.appendChild(card);

  let current: HTMLAnchorElement | null = null;
  let openTimer: ReturnType<typeof setTimeout> | undefined;
  let closeTimer: ReturnType<typeof setTimeout> | undefined;
  let generation = 0;

  const clear = () => {
    clearTimeout(openTimer);
    clearTimeout(closeTimer);
  };

  function fill(t: Pick<TermCard, 'term' | 'plain'>, href: string) {
    card.replaceChildren();
    const title = doc.createElement('p');
    title.className = 'hovercard-term';
    title.textContent = t.term;
    const plain = doc.createElement('p');
    plain.className = 'hovercard-plain';
    plain.textContent = t.plain;
    const more = doc.createElement('a');
    more.className = 'hovercard-link';
    more.href = href;
    more.textContent = `Open “${t.term}” in the glossary`;
    // The card is described, not navigated into with Tab; the mention itself is the link.
    more.tabIndex = -1;
    card.append(title, plain, more);
  }

  function position(a: HTMLElement) {
    const r = a.getBoundingClientRect();
    const view = doc.defaultView!;
    const p = placeCard(
      r,
      { width: card.offsetWidth || 320, height: card.offsetHeight || 120 },
      { width: view.innerWidth, height: view.innerHeight, scrollX: view.scrollX, scrollY: view.scrollY },
    );
    // CSSOM custom properties (allowed by the CSP; no style attribute in markup).
    card.style.setProperty('--hc-x', `${p.x}px`);
    card.style.setProperty('--hc-y', `${p.y}px`);
    card.classList.toggle('above', p.above);
  }

  async function open(a: HTMLAnchorElement) {
    const termId = termIdFromHref(a.getAttribute('href'));
    if (!termId) return;
    const gen = ++generation;
    // The renderer also writes the plain definition on the mention itself (data-plain).
    const t =
      (await opts.lookup(termId)) ??
      (a.dataset.plain ? { id: termId, term: a.textContent ?? termId, plain: a.dataset.plain, aliases: [], plain_phrases: [] } : undefined);
    if (gen !== generation || !t) return;
    if (current && current !== a) current.removeAttribute('aria-describedby');
    current = a;
    fill(t, a.getAttribute('href') ?? '#/glossary');
    card.hidden = false;
    a.setAttribute('aria-describedby', id);
    position(a);
  }

  function close() {
    generation++;
    card.hidden = true;
    current?.removeAttribute('aria-describedby');
    current = null;
  }

  const termOf = (t: EventTarget | null) =>
    t instanceof Element ? (t.closest('a.term') as HTMLAnchorElement | null) : null;

  function scheduleOpen(a: HTMLAnchorElement, delay: number) {
    clear();
    if (current === a && !card.hidden) return;
    openTimer = setTimeout(() => void open(a), delay);
  }
  function scheduleClose() {
    clear();
    closeTimer = setTimeout(close, closeDelay);
  }

  const onOver = (e: Event) => {
    const a = termOf(e.target);
    if (a && root.contains(a)) scheduleOpen(a, openDelay);
  };
  const onOut = (e: MouseEvent) => {
    const a = termOf(e.target);
    if (!a) return;
    const to = e.relatedTarget as Node | null;
    if (to && (a.contains(to) || card.contains(to))) return;
    scheduleClose();
  };
  // Keyboard focus opens at once: there is no "hover intent" to wait for.
  const onFocusIn = (e: Event) => {
    const a = termOf(e.target);
    if (a && root.contains(a)) scheduleOpen(a, 0);
  };
  const onFocusOut = (e: Event) => {
    if (termOf(e.target)) scheduleClose();
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape' && !card.hidden) {
      clear();
      close();
    }
  };
  const onCardEnter = () => clear();
  const onCardLeave = () => scheduleClose();

  root.addEventListener('mouseover', onOver);
  root.addEventListener('mouseout', onOut);
  root.addEventListener('focusin', onFocusIn);
  root.addEventListener('focusout', onFocusOut);
  doc.addEventListener('keydown', onKey);
  card.addEventListener('mouseenter', onCardEnter);
  card.addEventListener('mouseleave', onCardLeave);

  return () => {
    clear();
    close();
    root.removeEventListener('mouseover', onOver);
    root.removeEventListener('mouseout', onOut);
    root.removeEventListener('focusin', onFocusIn);
    root.removeEventListener('focusout', onFocusOut);
    doc.removeEventListener('keydown', onKey);
    card.remove();
  };
}
