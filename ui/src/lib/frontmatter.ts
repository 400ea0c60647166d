// The front matter of a Markdown document, read and changed through the `yaml` package's
// Document API, so a form edit changes only the keys it touches and keeps comments, key order,
// quoting and flow or block style everywhere else.
import { isMap, isScalar, isSeq, parseDocument, type Document } from 'yaml';

/** Where the YAML between the two `---` lines is: `text.slice(from, to)`. Null without front matter. */
export function frontMatterRange(text: string): { from: number; to: number } | null {
  const open = /^---[ \t]*\r?\n/.exec(text);
  if (!open) return null;
  const from = open[0].length;
  const m = /^---[ \t]*$/m.exec(text.slice(from));
  if (!m) return null;
  return { from, to: from + m.index };
}

function parse(yaml: string): Document.Parsed | null {
  const doc = parseDocument(yaml, { keepSourceTokens: false });
  if (doc.errors.length) return null;
  if (doc.contents !== null && !isMap(doc.contents)) return null;
  return doc;
}

export type Fields = Record<string, unknown>;

/** The front matter as plain values (dates as `YYYY-MM-DD` text); null when there is none or it is not a valid YAML mapping. */
export function readFields(text: string): Fields | null {
  const r = frontMatterRange(text);
  if (!r) return null;
  const doc = parse(text.slice(r.from, r.to));
  if (!doc) return null;
  const js = doc.toJS() as Fields | null;
  return js ?? {};
}

/**
 * `text` with the front-matter value at `path` (`['title']`, `['metrics', 0, 'after']`) set to
 * `value`, or removed when `value` is undefined. A new key goes at the end of its mapping. Lists
 * are written in flow style (`[a, b]`) when new. Returns `text` unchanged when the front matter
 * cannot be read (the text editor is where that is fixed).
 */
export function setField(text: string, path: ReadonlyArray<string | number>, value: unknown): string {
  const r = frontMatterRange(text);
  if (!r) return text;
  const yaml = text.slice(r.from, r.to);
  const doc = parse(yaml);
  if (!doc) return text;
  if (value === undefined) {
    if (!doc.hasIn(path)) return text;
    doc.deleteIn(path);
  } else {
    const existing = doc.getIn(path, true);
    const scalar = value === null || ['string', 'number', 'boolean'].includes(typeof value);
    if (scalar && isScalar(existing)) {
      // Keep the value's own style (its quotes, a comment after it).
      if (existing.value === value) return text;
      existing.value = value;
      return splice(text, r, doc);
    }
    const node = doc.createNode(value);
    if ((isSeq(node) || isMap(node)) && (existing === undefined || ((isSeq(existing) || isMap(existing)) && existing.flow))) node.flow = true;
    doc.setIn(path, node);
  }
  return splice(text, r, doc);
}

/** `text` with its front matter replaced by `doc`. */
function splice(text: string, r: { from: number; to: number }, doc: Document): string {
  let out = doc.toString({ lineWidth: 0, flowCollectionPadding: false });
  if (out.trim() === '{}') out = '';
  else if (!out.endsWith('\n')) out += '\n';
  return text.slice(0, r.from) + out + text.slice(r.to);
}

/** Adds `value` at the end of the list at `path` (creating it). */
export function appendItem(text: string, path: ReadonlyArray<string | number>, value: unknown, flow = true): string {
  const r = frontMatterRange(text);
  if (!r) return text;
  const doc = parse(text.slice(r.from, r.to));
  if (!doc) return text;
  const node = doc.createNode(value);
  if (flow && (isMap(node) || isSeq(node))) node.flow = true;
  if (!doc.hasIn(path)) {
    const seq = doc.createNode([]);
    doc.setIn(path, seq);
  }
  doc.addIn(path, node);
  return splice(text, r, doc);
}

/** "a, b ,, c" -> ["a", "b", "c"]. */
export function splitList(s: string): string[] {
  return s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
}

/** A list field as text for an input: `[a, b]` -> "a, b"; a single value stays as it is. */
export function joinList(v: unknown): string {
  if (Array.isArray(v)) return v.map((x) => String(x)).join(', ');
  return v === undefined || v === null ? '' : String(v);
}

/** A front-matter value as text for an input (dates read as `YYYY-MM-DD`). */
export function textOf(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return String(v);
}
