import type { UserTypingDto } from '@parley/contracts';

export interface Typist {
  id: string;
  displayName: string;
}

type Listener = () => void;

interface Indicator {
  user: Typist;
  expiry: ReturnType<typeof setTimeout>;
}

const NOBODY: readonly Typist[] = [];

/** "Ann is typing…", "Ann and Ben are typing…", "Several people are typing…"; `null` for nobody. */
export function describeTypists(typists: readonly Typist[]): string | null {
  const [first, second] = typists;
  if (!first) return null;
  if (!second) return `${first.displayName} is typing…`;
  if (typists.length === 2) return `${first.displayName} and ${second.displayName} are typing…`;
  return 'Several people are typing…';
}

/**
 * Who is typing in each room, from `user_typing`. Every indicator hides itself `expiresInMs` after
 * its last refresh, so one whose stop never arrives (the typist's server died, the stop was lost)
 * does not stay on screen. A message from the typist ends it too, and a disconnection ends them
 * all: the server ends them then, and this tab would not hear the stops. Each room's list is
 * replaced, never mutated, so it can be read with `useSyncExternalStore`; typists keep the order
 * in which they started.
 */
export class TypingStore {
  private readonly indicators = new Map<string, Map<string, Indicator>>();
  private snapshots = new Map<string, readonly Typist[]>();
  private readonly listeners = new Set<Listener>();

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  room = (roomId: string): readonly Typist[] => this.snapshots.get(roomId) ?? NOBODY;

  receive(event: UserTypingDto): void {
    if (!event.isTyping) {
      this.remove(event.room, event.user.id);
      return;
    }
    const indicators = this.indicators.get(event.room) ?? new Map<string, Indicator>();
    const existing = indicators.get(event.user.id);
    if (existing) clearTimeout(existing.expiry);
    indicators.set(event.user.id, {
      user: { id: event.user.id, displayName: event.user.displayName },
      expiry: setTimeout(() => this.remove(event.room, event.user.id), event.expiresInMs),
    });
    this.indicators.set(event.room, indicators);
    // A refresh with the same name changes nothing on screen.
    if (existing?.user.displayName !== event.user.displayName) this.publish(event.room);
  }

  /** The user's message arrived: the indicator is over (the server ends it on a send). */
  messageReceived(roomId: string, userId: string): void {
    this.remove(roomId, userId);
  }

  /** Forgets every indicator (on a disconnection, and when the session ends). */
  clear(): void {
    for (const indicators of this.indicators.values()) {
      for (const indicator of indicators.values()) clearTimeout(indicator.expiry);
    }
    this.indicators.clear();
    if (this.snapshots.size === 0) return;
    this.snapshots = new Map();
    this.listeners.forEach((listener) => listener());
  }

  private remove(roomId: string, userId: string): void {
    const indicators = this.indicators.get(roomId);
    const indicator = indicators?.get(userId);
    if (!indicators || !indicator) return;
    clearTimeout(indicator.expiry);
    indicators.delete(userId);
    if (indicators.size === 0) this.indicators.delete(roomId);
    this.publish(roomId);
  }

  private publish(roomId: string): void {
    const indicators = this.indicators.get(roomId);
    const snapshots = new Map(this.snapshots);
    if (indicators)
      snapshots.set(
        roomId,
        [...indicators.values()].map(({ user }) => user),
      );
    else snapshots.delete(roomId);
    this.snapshots = snapshots;
    this.listeners.forEach((listener) => listener());
  }
}
