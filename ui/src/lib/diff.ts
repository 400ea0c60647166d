// Unified diffs (as git writes them, and as the review endpoints answer them) parsed into rows a
// screen can show as text: every added or removed line keeps its `+`/`-` marker, so the diff does
// not rely on colour. Nothing here produces HTML.

export type DiffLineKind = 'add' | 'del' | 'context' | 'note';

export interface DiffLine {
  kind: DiffLineKind;
  /** The line without its marker. */
  text: string;
  /** Line numbers in the old and new file (null where the line does not exist on that side). */
  old: number | null;
  new: number | null;
}

export interface DiffHunk {
  header: string;
  /** The text after the second `@@` (git's "function context", e.g. the nearest heading). */
  section: string;
  oldStart: number;
  newStart: number;
  /** How many lines the hunk covers on each side (0,0 on the old side: the file is new). */
  oldLines: number;
  newLines: number;
  lines: DiffLine[];
}

export interface DiffFile {
  /** The old and new paths without `a/`/`b/`; null for `/dev/null`. */
  oldPath: string | null;
  newPath: string | null;
  /** The path to show: the new one unless the file was deleted. */
  path: string;
  change: 'added' | 'deleted' | 'modified' | 'renamed';
  binary: boolean;
  hunks: DiffHunk[];
  added: number;
  removed: number;
}

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@ ?(.*)$/;

function stripPrefix(p: string): string | null {
  let s = p.trim();
  // git quotes paths with unusual characters: "a/some path.md"
  if (s.startsWith('"') && s.endsWith('"') && s.length >= 2) s = s.slice(1, -1);
  s = s.replace(/\t.*$/, '');
  if (s === '/dev/null') return null;
  if (s.startsWith('a/') || s.startsWith('b/')) return s.slice(2);
  return s;
}

function newFile(): DiffFile {
  return { oldPath: null, newPath: null, path: '', change: 'modified', binary: false, hunks: [], added: 0, removed: 0 };
}

function finish(f: DiffFile): DiffFile {
  // Without git's headers (or with `a/` on both sides), a single hunk from nothing or to nothing
  // still says what happened.
  const only = f.hunks.length === 1 ? f.hunks[0] : undefined;
  if (only && only.oldStart === 0 && only.oldLines === 0 && f.oldPath !== null && f.newPath !== null && f.oldPath === f.newPath) f.oldPath = null;
  else if (only && only.newStart === 0 && only.newLines === 0 && f.oldPath !== null && f.newPath !== null && f.oldPath === f.newPath) f.newPath = null;
  if (f.oldPath === null && f.newPath !== null) f.change = 'added';
  else if (f.newPath === null && f.oldPath !== null) f.change = 'deleted';
  else if (f.change !== 'renamed' && f.oldPath !== null && f.newPath !== null && f.oldPath !== f.newPath) f.change = 'renamed';
  f.path = f.newPath ?? f.oldPath ?? '';
  return f;
}

/** Parses a unified diff of one or more files. Lines it does not understand are skipped. */
export function parseUnifiedDiff(text: string): DiffFile[] {
  const files: DiffFile[] = [];
  const st = { file: null as DiffFile | null, hunk: null as DiffHunk | null, oldNo: 0, newNo: 0, oldLeft: 0, newLeft: 0 };

  const lines = text.split('\n');
  // A diff ends with a newline; do not turn it into an empty context line.
  if (lines.length && lines[lines.length - 1] === '') lines.pop();

  const startFile = (): DiffFile => {
    if (st.file) files.push(finish(st.file));
    st.file = newFile();
    st.hunk = null;
    st.oldLeft = st.newLeft = 0;
    return st.file;
  };
  const current = (): DiffFile => st.file ?? startFile();

  for (const raw of lines) {
    const line = raw.replace(/\r$/, '');
    const h = st.hunk;
    if (h && (st.oldLeft > 0 || st.newLeft > 0)) {
      const f = current();
      const mark = line[0] ?? ' ';
      const body = line.slice(1);
      if (mark === '+') {
        h.lines.push({ kind: 'add', text: body, old: null, new: st.newNo++ });
        st.newLeft--;
        f.added++;
        continue;
      }
      if (mark === '-') {
        h.lines.push({ kind: 'del', text: body, old: st.oldNo++, new: null });
        st.oldLeft--;
        f.removed++;
        continue;
      }
      if (mark === ' ') {
        h.lines.push({ kind: 'context', text: body, old: st.oldNo++, new: st.newNo++ });
        st.oldLeft--;
        st.newLeft--;
        continue;
      }
      if (mark !== '\\') {
        // Anything else ends the hunk early (a malformed count); read it as a header below.
        st.oldLeft = st.newLeft = 0;
      }
    }
    if (line.startsWith('\\')) {
      // "\ No newline at end of file"
      h?.lines.push({ kind: 'note', text: line.slice(2), old: null, new: null });
      continue;
    }
    if (line.startsWith('diff --git ')) {
      const f = startFile();
      const m = /^diff --git "?a\/(.+?)"? "?b\/(.+?)"?$/.exec(line);
      if (m) {
        f.oldPath = m[1] ?? null;
        f.newPath = m[2] ?? null;
      }
      continue;
    }
    if (line.startsWith('--- ')) {
      // Without `diff --git` headers (plain `diff -u`) each `---` starts a file.
      const f = !st.file || st.file.hunks.length ? startFile() : st.file;
      f.oldPath = stripPrefix(line.slice(4));
      continue;
    }
    if (line.startsWith('+++ ')) {
      current().newPath = stripPrefix(line.slice(4));
      continue;
    }
    const m = HUNK.exec(line);
    if (m) {
      const hunk: DiffHunk = {
        header: line,
        section: (m[5] ?? '').trim(),
        oldStart: Number(m[1]),
        newStart: Number(m[3]),
        oldLines: m[2] === undefined ? 1 : Number(m[2]),
        newLines: m[4] === undefined ? 1 : Number(m[4]),
        lines: [],
      };
      current().hunks.push(hunk);
      st.hunk = hunk;
      st.oldNo = hunk.oldStart;
      st.newNo = hunk.newStart;
      st.oldLeft = hunk.oldLines;
      st.newLeft = hunk.newLines;
      continue;
    }
    const f = st.file;
    if (!f) continue;
    if (line.startsWith('new file mode')) f.oldPath = null;
    else if (line.startsWith('deleted file mode')) f.newPath = null;
    else if (line.startsWith('rename from ')) {
      f.oldPath = line.slice('rename from '.length);
      f.change = 'renamed';
    } else if (line.startsWith('rename to ')) f.newPath = line.slice('rename to '.length);
    else if (/^Binary files .* differ$/.test(line)) f.binary = true;
  }
  if (st.file) files.push(finish(st.file));
  return files;
}

/** The marker a line is shown with: `+`, `-` or a space. */
export function marker(kind: DiffLineKind): string {
  return kind === 'add' ? '+' : kind === 'del' ? '-' : kind === 'note' ? '\\' : ' ';
}

/** What a screen reader hears for a line's marker. */
export function markerLabel(kind: DiffLineKind): string {
  return kind === 'add' ? 'added' : kind === 'del' ? 'removed' : kind === 'note' ? 'note' : 'unchanged';
}

/** "2 lines added, 1 removed". */
export function summarise(files: DiffFile[]): string {
  const added = files.reduce((n, f) => n + f.added, 0);
  const removed = files.reduce((n, f) => n + f.removed, 0);
  const lines = (n: number) => `${n} line${n === 1 ? '' : 's'}`;
  if (!added && !removed) return 'No line changes';
  if (!removed) return `${lines(added)} added`;
  if (!added) return `${lines(removed)} removed`;
  return `${lines(added)} added, ${removed} removed`;
}
