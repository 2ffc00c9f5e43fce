import type { PresenceDto, ReportedPresenceStatus } from '@parley/contracts';
import {
  aggregateStatus,
  type DisconnectOutcome,
  type PresenceStore,
  type PresenceTransition,
} from './presence-store';

interface UserPresenceState {
  /** connection id → what it reported */
  connections: Map<string, ReportedPresenceStatus>;
  /** The status last announced; the user is offline when there is no state at all. */
  announced: ReportedPresenceStatus;
  /** Set while no connection is open and the grace has not ended yet. */
  grace: { endsAt: number; lastSeenAt: number } | null;
}

/**
 * Presence of a single server process. Every method runs synchronously to its end before it
 * resolves, which is what makes each decision atomic here.
 */
export class LocalPresenceStore implements PresenceStore {
  private readonly users = new Map<string, UserPresenceState>();
  /**
   * Users within their grace, in the order it started: the grace is the same for all, so also in
   * the order it ends, and expiring stops at the first one not yet due.
   */
  private readonly graces = new Set<string>();

  constructor(private readonly graceMs: number) {}

  connect(userId: string, connectionId: string): Promise<PresenceTransition | null> {
    const state = this.users.get(userId);
    if (!state) {
      this.users.set(userId, {
        connections: new Map([[connectionId, 'online']]),
        announced: 'online',
        grace: null,
      });
      return Promise.resolve(transition(userId, 'online'));
    }
    state.connections.set(connectionId, 'online');
    this.endGrace(userId, state);
    return Promise.resolve(this.reannounce(userId, state));
  }

  report(
    userId: string,
    connectionId: string,
    status: ReportedPresenceStatus,
  ): Promise<{ presence: PresenceDto; transition: PresenceTransition | null }> {
    let state = this.users.get(userId);
    if (!state) {
      // Only a connection that is open reports, so the user is connected: treat it as a connect.
      state = { connections: new Map(), announced: status, grace: null };
      this.users.set(userId, state);
      state.connections.set(connectionId, status);
      return Promise.resolve({
        presence: { status, lastSeenAt: null },
        transition: transition(userId, status),
      });
    }
    state.connections.set(connectionId, status);
    this.endGrace(userId, state);
    const changed = this.reannounce(userId, state);
    return Promise.resolve({
      presence: { status: state.announced, lastSeenAt: null },
      transition: changed,
    });
  }

  disconnect(userId: string, connectionId: string, now: number): Promise<DisconnectOutcome> {
    const state = this.users.get(userId);
    if (!state || !state.connections.delete(connectionId)) {
      return Promise.resolve({ transition: null, graceEndsAt: null });
    }
    if (state.connections.size > 0) {
      return Promise.resolve({ transition: this.reannounce(userId, state), graceEndsAt: null });
    }
    state.grace = { endsAt: now + this.graceMs, lastSeenAt: now };
    this.graces.delete(userId);
    this.graces.add(userId);
    return Promise.resolve({ transition: null, graceEndsAt: state.grace.endsAt });
  }

  expireDue(now: number): Promise<PresenceTransition[]> {
    const transitions: PresenceTransition[] = [];
    for (const userId of this.graces) {
      const state = this.users.get(userId);
      const grace = state?.grace;
      if (grace && grace.endsAt > now) break;
      this.graces.delete(userId);
      if (!state || !grace) continue;
      this.users.delete(userId);
      transitions.push({
        userId,
        presence: { status: 'offline', lastSeenAt: new Date(grace.lastSeenAt).toISOString() },
      });
    }
    return Promise.resolve(transitions);
  }

  statuses(userIds: readonly string[]): Promise<Map<string, ReportedPresenceStatus>> {
    const statuses = new Map<string, ReportedPresenceStatus>();
    for (const userId of userIds) {
      const state = this.users.get(userId);
      if (state) statuses.set(userId, state.announced);
    }
    return Promise.resolve(statuses);
  }

  /** One process: no other instance can die holding connections. */
  maintain(): Promise<PresenceTransition[]> {
    return Promise.resolve([]);
  }

  close(): Promise<void> {
    this.users.clear();
    this.graces.clear();
    return Promise.resolve();
  }

  private endGrace(userId: string, state: UserPresenceState): void {
    state.grace = null;
    this.graces.delete(userId);
  }

  /** Announces the connections' combined status if it differs from the one last announced. */
  private reannounce(userId: string, state: UserPresenceState): PresenceTransition | null {
    const status = aggregateStatus(state.connections.values());
    if (status === state.announced) return null;
    state.announced = status;
    return transition(userId, status);
  }
}

function transition(userId: string, status: ReportedPresenceStatus): PresenceTransition {
  return { userId, presence: { status, lastSeenAt: null } };
}
