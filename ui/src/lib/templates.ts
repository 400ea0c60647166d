// Starting points for new documents, one per kind of page people write. Each follows the
// content format (docs/content-format.md): the folder decides the kind, the front matter carries
// the required fields, and the body has the sections readers expect.

export type TemplateKey = 'case-study' | 'pattern' | 'guide' | 'post-mortem' | 'term';

export interface Template {
  key: TemplateKey;
  label: string;
  /** One line under the label in the chooser. */
  hint: string;
  /** The hub folder new files of this template go in. */
  folder: string;
  /** The Markdown, with `{{title}}`, `{{today}}`, `{{review_by}}` and `{{author}}` filled in. */
  body: string;
}

const CASE_STUDY = `---
title: "{{title}}"
summary: "One or two sentences: what the team built and what changed."
authors: ["{{author}}"]
mentor: ""
department: ""
date: {{today}}
patterns: []
metrics:
  - {name: Time to handle one request, before: 0, after: 0, unit: minutes, better: lower}
  - {name: Requests handled per week, before: 0, after: 0, unit: requests, better: higher}
tags: []
audience: [citizen-developer, mentor]
owner: "{{author}}"
updated: {{today}}
review_by: {{review_by}}
---
## Context

Who had the problem, and how the work was done before.

## What we built

The app or flow, the platform, and the patterns it follows (link them: [[retry-with-backoff]]).

## What went wrong along the way

What surprised the team, and how it was fixed.

## What we learned

- One lesson per line.

## Results

| Measure | Before | After |
|---|---|---|
| Time to handle one request | 0 minutes | 0 minutes |
| Requests handled per week | 0 | 0 |

How and when the figures were measured.
`;

const PATTERN = `---
title: "{{title}}"
summary: "One sentence: the problem this pattern solves."
category: integration
risk: medium
fit: either
related: []
tags: []
audience: [citizen-developer, mentor]
owner: "{{author}}"
updated: {{today}}
review_by: {{review_by}}
---
## Problem

What goes wrong without this pattern, in everyday words.

## Solution

What to do, step by step.

## When not to use

## Low-code or code?

## Risks and safeguards

## Example
`;

const GUIDE = `---
title: "{{title}}"
summary: "One sentence: who this guide is for and what it helps them do."
category: how-to
tags: []
audience: [everyone]
owner: "{{author}}"
updated: {{today}}
review_by: {{review_by}}
---
## Before you start

## Steps

1. First step.
2. Second step.

## If something goes wrong
`;

const POST_MORTEM = `---
title: "{{title}}"
summary: "One sentence: what happened, who was affected, and for how long."
category: post-mortem
tags: [incident]
audience: [citizen-developer, mentor, app-owner]
owner: "{{author}}"
updated: {{today}}
review_by: {{review_by}}
---
*Blameless: this review is about how the system let the problem happen, not about who.*

## Summary

## Impact

Who was affected, how, and for how long.

## Timeline

| Time | What happened |
|---|---|
| 09:00 | First sign of the problem |

## Root cause

## What went well

## What we will change

- [ ] Action, owner, date.
`;

const TERM = `---
term: "{{title}}"
aliases: []
plain: "One sentence in plain language, without jargon."
plain_phrases: []
technical: "The engineer's definition."
summary: "One sentence: why this word matters to citizen developers."
tags: []
audience: [citizen-developer, mentor]
owner: "{{author}}"
updated: {{today}}
review_by: {{review_by}}
---
A longer explanation in plain words.

## Example

An example from low-code work.
`;

export const TEMPLATES: readonly Template[] = [
  { key: 'case-study', label: 'Case study', hint: 'What a team built, with measured before/after results', folder: 'case-studies', body: CASE_STUDY },
  { key: 'pattern', label: 'Pattern', hint: 'A reusable answer to a recurring problem', folder: 'patterns', body: PATTERN },
  { key: 'guide', label: 'Guide', hint: 'How to do something, step by step', folder: 'guides', body: GUIDE },
  { key: 'post-mortem', label: 'Post-mortem', hint: 'A blameless review of something that went wrong', folder: 'guides', body: POST_MORTEM },
  { key: 'term', label: 'Glossary term', hint: 'A word engineers use, explained in plain language', folder: 'glossary', body: TERM },
];

export function template(key: string | null | undefined): Template | undefined {
  return TEMPLATES.find((t) => t.key === key);
}

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
export function suggestPath(t: Template, title: string): string {
  const slug = slugify(title);
  return slug ? `${t.folder}/${slug}.md` : '';
}

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** YAML-safe inside double quotes. */
function quoteSafe(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/[\r\n]+/g, ' ');
}

/** A template's Markdown for a title, author and day (review one year later). */
export function fillTemplate(t: Template, fields: { title: string; author?: string; today?: Date }): string {
  const today = fields.today ?? new Date();
  const reviewBy = new Date(Date.UTC(today.getUTCFullYear() + 1, today.getUTCMonth(), Math.min(today.getUTCDate(), 28)));
  const author = quoteSafe(fields.author?.trim() ?? '');
  return t.body
    .replaceAll('{{title}}', quoteSafe(fields.title.trim()))
    .replaceAll('{{today}}', isoDate(today))
    .replaceAll('{{review_by}}', isoDate(reviewBy))
    .replaceAll('["{{author}}"]', author ? `["${author}"]` : '[]')
    .replaceAll('{{author}}', author);
}

/**
 * The template a path belongs to, for drafts opened from an existing file: the first template
 * whose folder the path is in (post-mortems live with guides, so guides win there).
 */
export function templateForPath(path: string): Template | undefined {
  const folder = path.replace(/^\.?\/+/, '').split('/')[0];
  return TEMPLATES.find((t) => t.folder === folder);
}

/**
 * Whether swapping templates would throw work away: the text is neither empty nor exactly what
 * some template produced for this title (so the chooser asks before replacing it).
 */
export function wouldLoseWork(content: string, title: string, author: string | undefined, today?: Date): boolean {
  if (!content.trim()) return false;
  return !TEMPLATES.some((t) => fillTemplate(t, { title, author, today }) === content);
}
