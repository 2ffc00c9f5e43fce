import { createContext, useContext, type ReactNode } from 'react';
import { PresenceStore } from '../lib/presence-store';

/**
 * The app has one store, shared by the shell's sync and every dot, without a provider around the
 * tree; `PresenceSync` empties it when the session ends. Tests pass their own through the
 * provider, so nothing leaks between them.
 */
const sessionPresence = new PresenceStore();

const PresenceStoreContext = createContext<PresenceStore>(sessionPresence);

export function PresenceStoreProvider({
  store,
  children,
}: {
  store: PresenceStore;
  children: ReactNode;
}) {
  return <PresenceStoreContext value={store}>{children}</PresenceStoreContext>;
}

export function usePresenceStore(): PresenceStore {
  return useContext(PresenceStoreContext);
}
