// Shapes of the endpoints the lead is adding in parallel (issue 6), written from the brief.
// They are NOT in openapi.json yet. When an endpoint lands, regenerate (`npm run gen:api`) and
// replace its type here with an alias of the generated schema, as types.ts does: the compiler
// then shows every place that disagrees with the server.
import type { DocRef, Kind } from './types';

export interface SearchParams {
  q: string;
  kind?: string;
  tag?: string;
  audience?: string;
  limit?: number;
}

export interface SearchHit {
  id: string;
  kind: Kind;
  title: string;
  summary?: string | null;
  path: string;
  score: number;
  /** Sanitized HTML with <mark> around matched words. */
  snippet: string;
}

export interface SearchResults {
  query: string;
  /** Synonyms and glossary expansions the search also looked for ("also searched: ..."). */
  expanded: string[];
  total: number;
  took_us: number;
  hits: SearchHit[];
  facets: { kind: Record<string, number>; tag: Record<string, number> };
  notice?: string | null;
}

export type GlossaryView = 'plain' | 'technical';
export type Theme = 'system' | 'light' | 'dark';

export interface Profile {
  display_name: string;
  role: string;
  glossary_view: GlossaryView;
  theme: Theme;
  language: string;
}

/** A bookmark: a document reference (the server may add when it was made). */
export type Bookmark = Partial<DocRef> & { id: string; created?: string | null };

/** A recently viewed document. */
export type RecentView = Partial<DocRef> & { id: string; viewed?: string | null };

export interface Note {
  text: string;
  updated?: string | null;
}

/** A training path with the reader's progress. */
export interface PathProgress {
  id: string;
  title: string;
  summary?: string | null;
  steps?: number;
  done?: number;
  completed?: boolean;
  next?: { ref?: string; doc?: DocRef | null; note?: string | null } | null;
}
