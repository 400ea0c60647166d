// Regression: a search answer arriving while the person arrows through the quick-search list
// reset the selection to the first option (every keystroke is searched at once, so the answer
// for the last keystroke can land after the arrow keys). The selection now follows the option.
import { fireEvent, render } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';

const pending: Array<(v: unknown) => void> = [];
const search = vi.fn(() => new Promise((resolve) => pending.push(resolve)));
vi.mock('../src/api/client', async (orig) => {
  const real = await orig<typeof import('../src/api/client')>();
  return { ...real, api: { search, glossaryLookup: vi.fn() } };
});

const { default: CommandPalette } = await import('../src/components/CommandPalette.svelte');

const answer = (q: string, titles: string[]) => ({
  query: q,
  expanded: [],
  total: titles.length,
  took_us: 10,
  hits: titles.map((t) => ({ id: t.toLowerCase().replaceAll(' ', '-'), kind: 'guide', title: t, snippet: '', summary: '', path: '', score: 1 })),
  facets: { kind: {}, tag: {} },
});

describe('CommandPalette', () => {
  it('keeps the option chosen with the arrow keys when a search answer arrives', async () => {
    // jsdom has neither modal dialogs nor scrolling.
    HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
      this.open = true;
    };
    Element.prototype.scrollIntoView ??= () => {};
    const { getByRole } = render(CommandPalette, { onclose: () => {} });
    const input = getByRole('combobox') as HTMLInputElement;
    const activeLabel = () => document.getElementById(input.getAttribute('aria-activedescendant') ?? '')?.textContent?.trim();

    await fireEvent.input(input, { target: { value: 'glos' } });
    pending.shift()?.(answer('glos', ['Glossary style guide']));
    // The query names a screen: the screen comes first, the pages after it.
    await vi.waitFor(() => expect(getByRole('option', { name: /Glossary style guide/ })).toBeTruthy());
    expect(activeLabel()).toBe('Go to Glossary');
    // The next keystroke is searched at once; the person arrows down before its answer.
    await fireEvent.input(input, { target: { value: 'gloss' } });
    expect(search).toHaveBeenCalledTimes(2);
    await fireEvent.keyDown(input, { key: 'ArrowDown' });
    expect(activeLabel()).toContain('Glossary style guide');
    // The answer puts another page above it: the selection stays on the page chosen.
    pending.shift()?.(answer('gloss', ['Writing glossary terms', 'Glossary style guide']));
    await vi.waitFor(() => expect(getByRole('option', { name: /Writing glossary terms/ })).toBeTruthy());
    expect(activeLabel()).toContain('Glossary style guide');
    // Typing starts again from the first option.
    await fireEvent.input(input, { target: { value: 'glossa' } });
    expect(input.getAttribute('aria-activedescendant')).toBe('palette-screen-0');
  });
});
