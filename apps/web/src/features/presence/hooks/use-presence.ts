import { useCallback, useSyncExternalStore } from 'react';
import type { PresenceDto } from '@parley/contracts';
import { usePresenceStore } from './presence-context';

/**
 * A user's presence, live. `known` is what the caller already has from REST (a member's or a
 * peer's `presence`), used until the store has heard of the user.
 */
export function usePresence(userId: string, known?: PresenceDto): PresenceDto | undefined {
  const store = usePresenceStore();
  const read = useCallback(() => store.get(userId), [store, userId]);
  return useSyncExternalStore(store.subscribe, read) ?? known;
}

export interface PresenceHolder {
  user: { id: string };
  presence?: PresenceDto;
}

/** How many of `people` are online right now ("3 online"). */
export function useOnlineCount(people: readonly PresenceHolder[]): number {
  const store = usePresenceStore();
  const read = useCallback(
    () =>
      people.filter((person) => (store.get(person.user.id) ?? person.presence)?.status === 'online')
        .length,
    [store, people],
  );
  return useSyncExternalStore(store.subscribe, read);
}
