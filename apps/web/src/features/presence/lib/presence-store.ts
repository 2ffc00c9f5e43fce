import type { PresenceDto, UserPresenceDto } from '@parley/contracts';

type Listener = () => void;

interface Entry {
  presence: PresenceDto;
  /**
   * Set by a `presence` event on the current connection. While connected, every change of a
   * user who shares a room with me is pushed, so a live entry is newer than any list fetched
   * meanwhile (a response can be older than an event that overtook it). After a disconnection
   * changes may have been missed, so lists are trusted again.
   */
  live: boolean;
}

/**
 * Everyone's presence as this tab knows it: seeded from what REST returns (members lists, direct
 * room peers) and kept current by `presence` events. One per signed-in session.
 */
export class PresenceStore {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<Listener>();

  get = (userId: string): PresenceDto | undefined => this.entries.get(userId)?.presence;

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** A `presence` event: always the newest word on that user. */
  receive = ({ userId, status, lastSeenAt }: UserPresenceDto): void => {
    this.write(userId, { status, lastSeenAt }, true);
  };

  /** Presence read from a REST response; ignored for users whose events this tab follows. */
  seed(userId: string, presence: PresenceDto): void {
    if (this.entries.get(userId)?.live) return;
    this.write(userId, { status: presence.status, lastSeenAt: presence.lastSeenAt }, false);
  }

  /** Events may be missed until the next connection: the next lists fetched win again. */
  connectionLost = (): void => {
    for (const entry of this.entries.values()) entry.live = false;
  };

  clear(): void {
    if (this.entries.size === 0) return;
    this.entries.clear();
    this.notify();
  }

  private write(userId: string, presence: PresenceDto, live: boolean): void {
    const current = this.entries.get(userId);
    if (
      current &&
      current.presence.status === presence.status &&
      current.presence.lastSeenAt === presence.lastSeenAt
    ) {
      // Same value: keep the object, so readers comparing by identity do not re-render.
      current.live ||= live;
      return;
    }
    this.entries.set(userId, { presence, live });
    this.notify();
  }

  private notify(): void {
    this.listeners.forEach((listener) => listener());
  }
}
