// The glossary, loaded once and shared by hover cards, the glossary screen and search tips.
import { api } from '../api/client';
import type { TermCard } from '../api/types';

class Glossary {
  terms = $state<TermCard[]>([]);
  #byId = new Map<string, TermCard>();
  #loading: Promise<TermCard[]> | null = null;

  load(): Promise<TermCard[]> {
    this.#loading ??= api.glossary().then(
      (t) => {
        this.terms = t;
        this.#byId = new Map(t.map((c) => [c.id, c]));
        return t;
      },
      (e) => {
        this.#loading = null;
        throw e;
      },
    );
    return this.#loading;
  }

  /** Learn cards a page already carries (DocView.terms), so hover cards need no request. */
  remember(cards: TermCard[]): void {
    for (const c of cards) this.#byId.set(c.id, c);
  }

  async get(id: string): Promise<TermCard | undefined> {
    const known = this.#byId.get(id);
    if (known) return known;
    try {
      await this.load();
    } catch {
      return undefined;
    }
    return this.#byId.get(id);
  }
}

export const glossary = new Glossary();
