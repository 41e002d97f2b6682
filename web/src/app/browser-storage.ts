import { InMemoryWebStorage } from 'oidc-client-ts';

const kept = new Map<string, Storage>();

/**
 * The browser's storage, or storage in memory when the browser refuses it: a page framed by another
 * site (Amazon Connect's agent workspace) may be denied storage when third-party storage is
 * blocked, and reading `window.localStorage` then throws. The page still works; it forgets on reload.
 */
export function browserStorage(kind: 'localStorage' | 'sessionStorage'): Storage {
  let storage = kept.get(kind);
  if (!storage) {
    try {
      storage = window[kind];
      storage.getItem('switchboard');
    } catch {
      storage = new InMemoryWebStorage();
    }
    kept.set(kind, storage);
  }
  return storage;
}
