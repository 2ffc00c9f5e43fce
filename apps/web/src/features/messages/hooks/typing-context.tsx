import {
  createContext,
  useContext,
  useEffect,
  useState,
  useSyncExternalStore,
  type ReactNode,
} from 'react';
import { TypingStore, type Typist } from '../lib/typing-store';

const TypingContext = createContext<TypingStore | null>(null);

/** One store per signed-in session; its expiry timers stop with it. */
export function TypingProvider({
  children,
  store: providedStore,
}: {
  children: ReactNode;
  store?: TypingStore;
}) {
  const [store] = useState(() => providedStore ?? new TypingStore());
  useEffect(() => () => store.clear(), [store]);
  return <TypingContext value={store}>{children}</TypingContext>;
}

export function useTypingStore(): TypingStore {
  const store = useContext(TypingContext);
  if (!store) throw new Error('useTypingStore must be used inside <TypingProvider>');
  return store;
}

/** The room's other members who are typing, in the order they started. */
export function useRoomTypists(roomId: string): readonly Typist[] {
  const store = useTypingStore();
  return useSyncExternalStore(store.subscribe, () => store.room(roomId));
}
