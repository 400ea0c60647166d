// How many proposals wait for the current person's review: shown beside "Review" in the
// navigation. A hub that cannot be reviewed (no repository of its own, no identity) waits for none.
import { api } from '../api/client';
import type { IdentityView, Proposal } from '../api/types';

/** Open proposals by someone else, of kinds this person may approve. */
export function waitingFor(queue: readonly Proposal[], me: IdentityView): Proposal[] {
  const email = me.email.toLowerCase();
  return queue.filter((p) => p.status === 'open' && p.author.email.toLowerCase() !== email && p.kinds.every((k) => me.may_approve.includes(k)));
}

class Waiting {
  count = $state(0);
  #busy = false;

  async refresh(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      const [queue, me] = await Promise.all([api.reviewQueue(), api.identity()]);
      this.count = waitingFor(queue, me).length;
    } catch {
      this.count = 0;
    } finally {
      this.#busy = false;
    }
  }
}

export const waiting = new Waiting();
