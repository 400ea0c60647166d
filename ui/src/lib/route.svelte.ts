// The current hash route as reactive state.
import { parseHash, type Route } from './router';

class RouteState {
  current = $state<Route>(parseHash(typeof location === 'undefined' ? '' : location.hash));

  constructor() {
    if (typeof window !== 'undefined') {
      window.addEventListener('hashchange', () => {
        this.current = parseHash(location.hash);
      });
    }
  }

  /** Navigate; `replace` keeps typing in a search box from filling the history. */
  go(hash: string, replace = false): void {
    if (location.hash === hash) return;
    if (replace) {
      history.replaceState(history.state, '', hash);
      this.current = parseHash(hash);
    } else {
      location.hash = hash;
    }
  }
}

export const route = new RouteState();
