import type { MessageDto } from '@parley/contracts';
import { PersistentStore } from '@/lib/persistent-store';

/**
 * One pin as shown: the message and when it was pinned, so a message pinned again after the bar
 * was dismissed shows the bar again.
 */
export function pinKey(pin: Pick<MessageDto, 'id' | 'pinnedAt'>): string {
  return `${pin.id}@${pin.pinnedAt ?? ''}`;
}

/** Whether the bar was dismissed with exactly these pins (or more) in it. */
export function pinsDismissed(
  pins: readonly Pick<MessageDto, 'id' | 'pinnedAt'>[],
  dismissed: readonly string[],
): boolean {
  const seen = new Set(dismissed);
  return pins.every((pin) => seen.has(pinKey(pin)));
}

function parseKeys(raw: unknown): string[] {
  return Array.isArray(raw) ? raw.filter((key): key is string => typeof key === 'string') : [];
}

const stores = new Map<string, PersistentStore<string[]>>();

/** The pins a user dismissed in a room, kept in localStorage (and shared by their tabs). */
export function dismissedPinsStore(userId: string, roomId: string): PersistentStore<string[]> {
  const key = `parley:dismissed-pins:${userId}:${roomId}`;
  let store = stores.get(key);
  if (!store) {
    store = new PersistentStore(key, parseKeys);
    stores.set(key, store);
  }
  return store;
}
