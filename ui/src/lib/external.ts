// External links (`a.external`) open outside the app: a new browser tab under `serve`, the
// system browser through Tauri's opener plugin in the desktop window.

export function prepareExternalLinks(root: HTMLElement): void {
  for (const a of root.querySelectorAll<HTMLAnchorElement>('a.external')) {
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
    if (!a.querySelector('.visually-hidden')) {
      const hint = document.createElement('span');
      hint.className = 'visually-hidden';
      hint.textContent = ' (opens outside Guildhall)';
      a.append(hint);
    }
  }
}

/** Click handler for the desktop window; returns true when it handled the click. */
export function openExternalInTauri(e: MouseEvent): boolean {
  const tauri = window.__TAURI_INTERNALS__;
  if (!tauri) return false;
  const a = e.target instanceof Element ? e.target.closest<HTMLAnchorElement>('a.external') : null;
  if (!a) return false;
  e.preventDefault();
  void tauri.invoke('plugin:opener|open_url', { url: a.href });
  return true;
}
