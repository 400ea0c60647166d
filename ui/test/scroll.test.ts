import { describe, expect, it } from 'vitest';
import { ScrollMemory, type HistoryLike } from '../src/lib/scroll';

/** A history with entries, Back and Forward, like the browser's (state per entry). */
class FakeHistory implements HistoryLike {
  entries: unknown[] = [null];
  index = 0;
  get state() {
    return this.entries[this.index];
  }
  replaceState(data: unknown) {
    this.entries[this.index] = data;
  }
  push() {
    this.entries = [...this.entries.slice(0, this.index + 1), null];
    this.index++;
  }
  back() {
    this.index--;
  }
  forward() {
    this.index++;
  }
}

describe('scroll memory', () => {
  it('returns to the saved position on Back and Forward, and starts new pages at the top', () => {
    const h = new FakeHistory();
    const m = new ScrollMemory(h);
    m.save(1200); // the glossary, scrolled down
    h.push();
    expect(m.arrive()).toBe(0); // a term page: top
    m.save(300);
    h.back();
    expect(m.arrive()).toBe(1200); // Back: where the reader was
    h.forward();
    expect(m.arrive()).toBe(300);
    h.back();
    m.arrive();
    h.push(); // a new page from the glossary replaces the forward entry
    expect(m.arrive()).toBe(0);
  });

  it('keeps what else the entry holds in its state', () => {
    const h = new FakeHistory();
    h.entries[0] = { other: 1 };
    new ScrollMemory(h);
    expect(h.state).toMatchObject({ other: 1, guildhallEntry: 1 });
  });
});
