import { useSyncExternalStore } from 'react';

function subscribe(onChange: () => void): () => void {
  document.addEventListener('visibilitychange', onChange);
  window.addEventListener('focus', onChange);
  window.addEventListener('blur', onChange);
  return () => {
    document.removeEventListener('visibilitychange', onChange);
    window.removeEventListener('focus', onChange);
    window.removeEventListener('blur', onChange);
  };
}

function isAttentive(): boolean {
  return document.visibilityState === 'visible' && document.hasFocus();
}

/**
 * Whether the reader can be looking at the page: it is visible and its window has the focus.
 * A message on screen in a background window is not read yet.
 */
export function useWindowAttention(): boolean {
  return useSyncExternalStore(subscribe, isAttentive, () => false);
}
