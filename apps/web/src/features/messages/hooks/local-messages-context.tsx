import { createContext, useContext, useState, useSyncExternalStore, type ReactNode } from 'react';
import { LocalMessagesStore, type RoomLocalState } from '../lib/local-messages-store';

const LocalMessagesContext = createContext<LocalMessagesStore | null>(null);

/** One store per signed-in session: remount it (with a `key`) to forget another user's sends. */
export function LocalMessagesProvider({
  children,
  store: providedStore,
}: {
  children: ReactNode;
  store?: LocalMessagesStore;
}) {
  const [store] = useState(() => providedStore ?? new LocalMessagesStore());
  return <LocalMessagesContext value={store}>{children}</LocalMessagesContext>;
}

export function useLocalMessagesStore(): LocalMessagesStore {
  const store = useContext(LocalMessagesContext);
  if (!store) throw new Error('useLocalMessagesStore must be used inside <LocalMessagesProvider>');
  return store;
}

export function useRoomLocalState(roomId: string): RoomLocalState {
  const store = useLocalMessagesStore();
  return useSyncExternalStore(store.subscribe, () => store.room(roomId));
}
