import { render } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import DiffView from '../src/components/DiffView.svelte';

const HOSTILE = `diff --git a/guides/x.md b/guides/x.md
--- a/guides/x.md
+++ b/guides/x.md
@@ -1,2 +1,2 @@
 same line
-<img src=x onerror="alert(1)">
+<script>alert(2)</script> & more
`;

describe('DiffView', () => {
  it('shows diff lines as text, never as HTML, each with its +/- marker and a word for it', () => {
    const { container } = render(DiffView, { diff: HOSTILE });
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('script')).toBeNull();
    const rows = [...container.querySelectorAll('tbody tr:not(.hunk)')];
    expect(rows.map((r) => r.className.split(' ')[0])).toEqual(['context', 'del', 'add']);
    const del = rows[1]!;
    expect(del.querySelector('.text')!.textContent).toBe('<img src=x onerror="alert(1)">');
    expect(del.querySelector('.mk')!.textContent).toBe('-removed');
    const add = rows[2]!;
    expect(add.querySelector('.text')!.textContent).toBe('<script>alert(2)</script> & more');
    expect(add.querySelector('.mk')!.textContent).toBe('+added');
    // Old and new line numbers.
    expect([...del.querySelectorAll('.num')].map((n) => n.textContent)).toEqual(['2', '']);
    expect([...add.querySelectorAll('.num')].map((n) => n.textContent)).toEqual(['', '2']);
    expect(container.textContent).toContain('1 line added, 1 removed');
    expect(container.querySelector('h3')!.textContent).toContain('guides/x.md');
  });

  it('says so when there is no difference', () => {
    const { container } = render(DiffView, { diff: '' });
    expect(container.textContent).toContain('No differences.');
    expect(container.querySelector('table')).toBeNull();
  });
});
