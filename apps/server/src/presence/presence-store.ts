import type { PresenceDto, ReportedPresenceStatus } from '@parley/contracts';

/** A change of a user's presence that must be announced, decided once by one store call. */
export interface PresenceTransition {
  userId: string;
  presence: PresenceDto;
}

/** A connection that just closed: the user's presence may have changed, or a grace has begun. */
export interface DisconnectOutcome {
  transition: PresenceTransition | null;
  /** Set when that was the user's last connection: `expireDue` decides `offline` from then on. */
  graceEndsAt: number | null;
}

/**
 * Where presence lives: in this process, or in Redis shared by every instance. Every method
 * decides its outcome atomically, so of two instances racing over one user exactly one reports a
 * transition. Times are epoch milliseconds passed in by the caller (tests drive the clock).
 *
 * Per user the store keeps: the connections with each one's reported status, the status last
 * announced (absent: offline), and, after the last connection closed, a pending grace (when it
 * ends, and when the user was last seen).
 */
export interface PresenceStore {
  /** A new connection counts as active until it reports otherwise; it ends a pending grace. */
  connect(userId: string, connectionId: string, now: number): Promise<PresenceTransition | null>;
  /**
   * A connection reports activity or idleness. Answers the user's resulting presence and, if it
   * changed, the transition to announce.
   */
  report(
    userId: string,
    connectionId: string,
    status: ReportedPresenceStatus,
    now: number,
  ): Promise<{ presence: PresenceDto; transition: PresenceTransition | null }>;
  /** Forgets the connection; the last one starts a grace of `graceMs` instead of going offline. */
  disconnect(userId: string, connectionId: string, now: number): Promise<DisconnectOutcome>;
  /** Ends every grace due by `now` whose user did not come back: they go `offline`. */
  expireDue(now: number): Promise<PresenceTransition[]>;
  /** The announced status of each user that is connected or within grace; others are absent. */
  statuses(userIds: readonly string[]): Promise<Map<string, ReportedPresenceStatus>>;
  /**
   * Periodic upkeep (instance heartbeat, reaping instances that died with connections); answers
   * the transitions it decided. Expiring graces is left to `expireDue`.
   */
  maintain(now: number): Promise<PresenceTransition[]>;
  /** Clean shutdown of this instance's share of the store. */
  close(): Promise<void>;
}

export const PRESENCE_STORE = Symbol('PresenceStore');

/** `online` when any connection is active, else `away` (there is at least one connection). */
export function aggregateStatus(
  statuses: Iterable<ReportedPresenceStatus>,
): ReportedPresenceStatus {
  for (const status of statuses) if (status === 'online') return 'online';
  return 'away';
}
