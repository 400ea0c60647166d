// @vitest-environment node
// WCAG AA for the colour tokens, in both themes: 4.5:1 for text, 3:1 for UI edges and focus.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const css = readFileSync(fileURLToPath(new URL('../src/styles/tokens.css', import.meta.url)), 'utf8');

function tokens(): Record<string, [string, string]> {
  const out: Record<string, [string, string]> = {};
  for (const m of css.matchAll(/--([\w-]+):\s*light-dark\((#[0-9a-f]{6}),\s*(#[0-9a-f]{6})\)/gi)) {
    out[m[1]!] = [m[2]!, m[3]!];
  }
  return out;
}

function luminance(hex: string): number {
  const c = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
  const [r, g, b] = c.map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrast(a: string, b: string): number {
  const [la, lb] = [luminance(a), luminance(b)];
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

// [foreground, background, minimum]
const PAIRS: Array<[string, string, number]> = [
  ['text', 'bg', 4.5],
  ['text', 'surface', 4.5],
  ['text', 'surface-2', 4.5],
  ['text-muted', 'bg', 4.5],
  ['text-muted', 'surface', 4.5],
  ['text-muted', 'surface-2', 4.5],
  ['link', 'bg', 4.5],
  ['link', 'surface', 4.5],
  ['on-accent', 'accent', 4.5],
  ['mark-text', 'mark-bg', 4.5],
  ['good', 'bg', 4.5],
  ['good', 'surface', 4.5],
  ['bad', 'bg', 4.5],
  ['bad', 'surface', 4.5],
  ['warn', 'bg', 4.5],
  ['warn', 'surface', 4.5],
  ['warn', 'warn-bg', 4.5],
  ['text', 'warn-bg', 4.5],
  ['text', 'bad-bg', 4.5],
  ['text-muted', 'warn-bg', 4.5],
  ['bad', 'bad-bg', 4.5],
  ['kind-term', 'kind-term-bg', 4.5],
  ['kind-pattern', 'kind-pattern-bg', 4.5],
  ['kind-case-study', 'kind-case-study-bg', 4.5],
  ['kind-path', 'kind-path-bg', 4.5],
  ['kind-guide', 'kind-guide-bg', 4.5],
  ['border-strong', 'bg', 3],
  ['border-strong', 'surface', 3],
  ['focus', 'bg', 3],
  ['focus', 'surface', 3],
  ['focus', 'surface-2', 3],
  ['accent', 'bg', 3],
  // Path player: self-check feedback, the rail's done and current marks.
  ['text', 'good-bg', 4.5],
  ['bg', 'good', 4.5],
  ['accent', 'surface-2', 4.5],
  ['good', 'good-bg', 4.5],
  // Authoring: diff lines (+/- markers and text on tinted rows), the editor gutter, danger buttons.
  ['text-muted', 'good-bg', 4.5],
  ['text-muted', 'bad-bg', 4.5],
  ['warn', 'warn-bg', 4.5],
  ['bg', 'bad', 4.5],
];

describe('colour tokens meet WCAG AA', () => {
  const t = tokens();
  for (const [theme, i] of [['light', 0], ['dark', 1]] as const) {
    for (const [fg, bg, min] of PAIRS) {
      it(`${theme}: --${fg} on --${bg} >= ${min}:1`, () => {
        expect(t[fg], `--${fg} is not a light-dark() token`).toBeDefined();
        expect(t[bg], `--${bg} is not a light-dark() token`).toBeDefined();
        const ratio = contrast(t[fg]![i], t[bg]![i]);
        expect(ratio, `${t[fg]![i]} on ${t[bg]![i]} is ${ratio.toFixed(2)}:1`).toBeGreaterThanOrEqual(min);
      });
    }
  }
});
