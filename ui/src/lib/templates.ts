// The template chooser's logic. The templates themselves (one per kind of contribution, with
// front matter and sections) come from the server (`list_templates`), so the editor, the CLI and
// the checks share one copy; here: what each is for, where its file goes, and filling in the title.

/** What the chooser says under each template's label, by template kind. */
export const HINTS: Record<string, string> = {
  'case-study': 'What a team built, with measured before/after results',
  pattern: 'A reusable answer to a recurring problem',
  guide: 'How to do something, step by step',
  'post-mortem': 'A blameless review of something that went wrong',
  term: 'A word engineers use, explained in plain language',
};

/** "Retries & Backoff: a guide!" -> "retries-backoff-a-guide" (an id the content format accepts). */
export function slugify(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
}

/** The file a new document goes in: `case-studies/<slug>.md`. Empty without a usable title. */
export function suggestPath(folder: string, title: string): string {
  const slug = slugify(title);
  return slug ? `${folder.replace(/\/+$/, '')}/${slug}.md` : '';
}

/** YAML-safe inside double quotes. */
function quoteSafe(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/[\r\n]+/g, ' ');
}

/**
 * A template's text with the title filled in: the first empty `title: ""` (or, for glossary terms,
 * `term: ""`) line of the front matter. Text without such a line is returned unchanged.
 */
export function withTitle(content: string, title: string): string {
  const t = title.trim();
  if (!t || !content.startsWith('---')) return content;
  const end = content.indexOf('\n---', 3);
  const front = end < 0 ? content : content.slice(0, end);
  const m = /^(title|term):[ \t]*(?:""|'')?[ \t]*$/m.exec(front);
  if (!m) return content;
  const line = `${m[1]}: "${quoteSafe(t)}"`;
  return content.slice(0, m.index) + line + content.slice(m.index + m[0].length);
}

/** The template key to preselect: the one asked for in the address, else the first offered. */
export function initialTemplate<T extends { kind: string }>(templates: readonly T[], asked: string | null | undefined): T | undefined {
  return templates.find((t) => t.kind === asked) ?? templates[0];
}
