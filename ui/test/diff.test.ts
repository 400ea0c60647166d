import { describe, expect, it } from 'vitest';
import { marker, markerLabel, parseUnifiedDiff, summarise } from '../src/lib/diff';

const MODIFIED = `diff --git a/glossary/jitter.md b/glossary/jitter.md
index 1111111..2222222 100644
--- a/glossary/jitter.md
+++ b/glossary/jitter.md
@@ -1,4 +1,5 @@ ---
 ---
-term: Jitter
+term: Jitter (random delay)
+aliases: [random delay]
 plain: "Adding a small random amount"
 ---
@@ -10,2 +11,2 @@ ## Example
 Field inspection tablets
-used to sync
+now sync later
`;

describe('parseUnifiedDiff', () => {
  it('reads files, hunks, markers and both line numbers', () => {
    const [f, ...rest] = parseUnifiedDiff(MODIFIED);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ path: 'glossary/jitter.md', change: 'modified', added: 3, removed: 2 });
    expect(f!.hunks).toHaveLength(2);
    const h = f!.hunks[0]!;
    expect(h.section).toBe('---');
    expect(h.lines.map((l) => [l.kind, l.old, l.new, l.text])).toEqual([
      ['context', 1, 1, '---'],
      ['del', 2, null, 'term: Jitter'],
      ['add', null, 2, 'term: Jitter (random delay)'],
      ['add', null, 3, 'aliases: [random delay]'],
      ['context', 3, 4, 'plain: "Adding a small random amount"'],
      ['context', 4, 5, '---'],
    ]);
    const h2 = f!.hunks[1]!;
    expect(h2.section).toBe('## Example');
    expect(h2.lines.map((l) => [l.kind, l.old, l.new])).toEqual([
      ['context', 10, 11],
      ['del', 11, null],
      ['add', null, 12],
    ]);
  });

  it('recognises added and deleted files', () => {
    const added = parseUnifiedDiff(`diff --git a/case-studies/new.md b/case-studies/new.md
new file mode 100644
index 0000000..3333333
--- /dev/null
+++ b/case-studies/new.md
@@ -0,0 +1,2 @@
+---
+title: New
`);
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({ path: 'case-studies/new.md', change: 'added', oldPath: null, added: 2, removed: 0 });
    expect(added[0]!.hunks[0]!.lines.map((l) => l.new)).toEqual([1, 2]);

    const deleted = parseUnifiedDiff(`diff --git a/old.md b/old.md
deleted file mode 100644
--- a/old.md
+++ /dev/null
@@ -1 +0,0 @@
-gone
`);
    expect(deleted[0]).toMatchObject({ path: 'old.md', change: 'deleted', newPath: null, removed: 1 });
  });

  it('knows a new or deleted file from its hunk when the headers name the same path on both sides', () => {
    const [added] = parseUnifiedDiff('--- a/case-studies/x.md\n+++ b/case-studies/x.md\n@@ -0,0 +1,2 @@\n+---\n+title: X\n');
    expect(added).toMatchObject({ path: 'case-studies/x.md', change: 'added', added: 2 });
    const [gone] = parseUnifiedDiff('--- a/x.md\n+++ b/x.md\n@@ -1,2 +0,0 @@\n-a\n-b\n');
    expect(gone).toMatchObject({ path: 'x.md', change: 'deleted', removed: 2 });
    const [edited] = parseUnifiedDiff('--- a/x.md\n+++ b/x.md\n@@ -1 +1 @@\n-a\n+b\n');
    expect(edited!.change).toBe('modified');
  });

  it('keeps several files apart and reads plain diff -u output', () => {
    const two = parseUnifiedDiff(`--- a/x.md
+++ b/x.md
@@ -1 +1 @@
-a
+b
--- a/y.md
+++ b/y.md
@@ -1 +1,2 @@
 c
+d
`);
    expect(two.map((f) => [f.path, f.added, f.removed])).toEqual([
      ['x.md', 1, 1],
      ['y.md', 1, 0],
    ]);
  });

  it('does not mistake content lines that look like headers for headers', () => {
    // A removed YAML separator "---" inside a hunk is "----" in the diff; an added "+++" line is "++++".
    const [f] = parseUnifiedDiff(`--- a/x.md
+++ b/x.md
@@ -1,2 +1,2 @@
----
+++++
 same
`);
    expect(f!.hunks[0]!.lines.map((l) => [l.kind, l.text])).toEqual([
      ['del', '---'],
      ['add', '++++'],
      ['context', 'same'],
    ]);
  });

  it('keeps "no newline at end of file" as a note and tolerates CRLF and empty input', () => {
    const [f] = parseUnifiedDiff('--- a/x\r\n+++ b/x\r\n@@ -1 +1 @@\r\n-a\r\n\\ No newline at end of file\r\n+a\r\n');
    expect(f!.hunks[0]!.lines.map((l) => l.kind)).toEqual(['del', 'note', 'add']);
    expect(f!.hunks[0]!.lines[1]!.text).toBe('No newline at end of file');
    expect(parseUnifiedDiff('')).toEqual([]);
  });

  it('flags binary files', () => {
    const [f] = parseUnifiedDiff(`diff --git a/img.png b/img.png
index 1..2 100644
Binary files a/img.png and b/img.png differ
`);
    expect(f).toMatchObject({ path: 'img.png', binary: true, hunks: [] });
  });
});

describe('markers', () => {
  it('never relies on colour alone', () => {
    expect(marker('add')).toBe('+');
    expect(marker('del')).toBe('-');
    expect(marker('context')).toBe(' ');
    expect(markerLabel('add')).toBe('added');
    expect(markerLabel('del')).toBe('removed');
  });

  it('summarises', () => {
    expect(summarise(parseUnifiedDiff(MODIFIED))).toBe('3 lines added, 2 removed');
    expect(summarise([])).toBe('No line changes');
  });
});
