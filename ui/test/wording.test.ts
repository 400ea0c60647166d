// Wording caught in the sources: Svelte removes whitespace at the start and end of a block
// (`{#if}`, `{:else}`, `{#each}`), so `{#if mine} <span>(you)</span>{/if}` renders "Ada(you)" and
// `{#if i > 0}, {/if}` renders "done),Data". A space that must survive is written `{' '}`. And a
// count is never followed by a fixed plural ("1 terms"): counts go through `plural()`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function svelteFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return svelteFiles(p);
    return p.endsWith('.svelte') ? [p] : [];
  });
}

/** The template part of a component (no script, no style). */
function markup(text: string): string {
  return text.replace(/<script[\s\S]*?<\/script>/g, (m) => '\n'.repeat(m.split('\n').length - 1)).replace(/<style[\s\S]*?<\/style>/g, '');
}

const SRC = join(__dirname, '..', 'src');

/** Spaces Svelte will drop: right after a block opens, or right before it continues or closes. */
function droppedSpaces(text: string): string[] {
  const found: string[] = [];
  markup(text)
    .split('\n')
    .forEach((line, i) => {
      // `{#if x} text` / `{:else} text` / `{#each ...} text`: text after a space on the same line.
      for (const m of line.matchAll(/\{[#:][^{}]*\} +(?=[^\s{<]|<[a-z])/g)) found.push(`${i + 1}: ${m[0]}…`);
      // `text {/if}` / `text {:else}`: a space between text and the block's end.
      for (const m of line.matchAll(/[^\s>}] +\{[/:](?:if|each|else)/g)) found.push(`${i + 1}: …${m[0]}`);
    });
  return found;
}

/** A count followed by a fixed plural word: `{items.length} terms`, `${n} issues`. */
function fixedPlurals(text: string): string[] {
  const found: string[] = [];
  markup(text)
    .split('\n')
    .forEach((line, i) => {
      for (const m of line.matchAll(/\$?\{[^{}]*(?:\.length|count|total|\bn)\} ([a-z]+s)\b/g)) {
        if (!/(ss|us|is)$/.test(m[1] ?? '')) found.push(`${i + 1}: ${m[0]}`);
      }
    });
  return found;
}

describe('UI wording', () => {
  it('the checks find what they are for', () => {
    expect(droppedSpaces('{#if mine(p)} <span>(you)</span>{/if}')).toHaveLength(1);
    expect(droppedSpaces("{#if i > 0}, {/if}<a>")).toHaveLength(1);
    expect(droppedSpaces("{#if i > 0}{', '}{/if}")).toEqual([]);
    expect(droppedSpaces('{#if a}\n  <p>x</p>\n{/if}')).toEqual([]);
    expect(fixedPlurals('<p>{visible.length} terms</p>')).toHaveLength(1);
    expect(fixedPlurals('`${n} issues`')).toHaveLength(1);
    expect(fixedPlurals("<p>{plural(n, 'term', 'terms')}</p>")).toEqual([]);
  });

  for (const file of svelteFiles(SRC)) {
    const rel = file.slice(SRC.length + 1);
    it(`${rel}: no space Svelte drops, no fixed plural after a count`, () => {
      const text = readFileSync(file, 'utf8');
      expect(droppedSpaces(text)).toEqual([]);
      expect(fixedPlurals(text)).toEqual([]);
    });
  }
});
