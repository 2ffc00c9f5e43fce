import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import type { PresenceDto, ReportedPresenceStatus, UserPresenceDto } from '@parley/contracts';
import { AppException } from '../common/errors/app-exception';
import { UsersService } from '../users/users.service';
import { PresenceEvents } from './presence-events';
import { PRESENCE_STORE, type PresenceStore, type PresenceTransition } from './presence-store';

/**
 * How often an instance runs the store's upkeep (Redis: its heartbeat and the reaping of dead
 * instances) and expires graces nobody else is timing (those of an instance that shut down).
 */
export const PRESENCE_MAINTENANCE_MS = 2_000;

/** Passed grace ends are dropped from the queue in batches of at least this many. */
const GRACE_QUEUE_COMPACT_AT = 1_024;

/**
 * Who is online. A user is `online` while any of their connections is open and active, `away`
 * when every open connection reported idleness, `offline` once the last one closed and a grace
 * passed without a new one. Transitions are published on `PresenceEvents` once, by the instance
 * whose store call decided them; `offline` is persisted as the user's `lastSeenAt` first.
 */
@Injectable()
export class PresenceService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(PresenceService.name);
  /** Ends of graces started here, in order (the grace is constant, so they only grow). */
  private readonly graceEnds: number[] = [];
  /** Index of the first end not yet passed (a queue without `shift`'s cost). */
  private graceHead = 0;
  private graceTimer?: NodeJS.Timeout;
  private maintenanceTimer?: NodeJS.Timeout;
  private closed = false;
  private maintaining = false;
  /** Per user, the announcement still going out (an `offline` waits for its last-seen write). */
  private readonly announcing = new Map<string, Promise<void>>();

  constructor(
    @Inject(PRESENCE_STORE) private readonly store: PresenceStore,
    private readonly users: UsersService,
    private readonly events: PresenceEvents,
  ) {}

  /** The first run registers this instance (Redis) before any connection is accepted. */
  async onModuleInit(): Promise<void> {
    await this.maintain();
    this.maintenanceTimer = setInterval(() => void this.maintain(), PRESENCE_MAINTENANCE_MS);
    this.maintenanceTimer.unref();
  }

  /** A connection of the user opened. Never throws: presence must not refuse a connection. */
  async connect(userId: string, connectionId: string): Promise<void> {
    if (this.closed) return;
    try {
      await this.announce(await this.store.connect(userId, connectionId, Date.now()));
    } catch (error) {
      this.warn('connect', error);
    }
  }

  /** A connection of the user closed (or is closing). Never throws. */
  async disconnect(userId: string, connectionId: string): Promise<void> {
    // After shutdown the store already handed this instance's connections over as graces.
    if (this.closed) return;
    try {
      const outcome = await this.store.disconnect(userId, connectionId, Date.now());
      if (outcome.graceEndsAt !== null) this.expireAt(outcome.graceEndsAt);
      await this.announce(outcome.transition);
    } catch (error) {
      this.warn('disconnect', error);
    }
  }

  /** What a connection reported (`set_presence`); answers the user's resulting presence. */
  async report(
    userId: string,
    connectionId: string,
    status: ReportedPresenceStatus,
  ): Promise<UserPresenceDto> {
    let outcome: Awaited<ReturnType<PresenceStore['report']>>;
    try {
      outcome = await this.store.report(userId, connectionId, status, Date.now());
    } catch (error) {
      this.warn('report', error);
      throw new AppException('unavailable', 'Presence is unavailable; try again');
    }
    await this.announce(outcome.transition);
    return { userId, ...outcome.presence };
  }

  /** Every id gets an entry: users not connected (or unknown) are `offline`, with last seen. */
  async presenceOf(userIds: readonly string[]): Promise<Map<string, PresenceDto>> {
    const ids = [...new Set(userIds)];
    const statuses = await this.statusesOrNone(ids);
    const absent = ids.filter((id) => !statuses.has(id));
    const lastSeen =
      absent.length > 0 ? await this.users.lastSeenOf(absent) : new Map<string, Date>();
    const presence = new Map<string, PresenceDto>();
    for (const id of ids) {
      const status = statuses.get(id);
      presence.set(
        id,
        status
          ? { status, lastSeenAt: null }
          : { status: 'offline', lastSeenAt: lastSeen.get(id)?.toISOString() ?? null },
      );
    }
    return presence;
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    clearInterval(this.maintenanceTimer);
    clearTimeout(this.graceTimer);
    await this.store.close();
  }

  /** Runs the store's upkeep and expires every grace that is due. */
  async maintain(now = Date.now()): Promise<void> {
    if (this.closed || this.maintaining) return;
    this.maintaining = true;
    try {
      await this.announceAll(await this.store.maintain(now));
      await this.expire(now);
    } catch (error) {
      this.warn('maintenance', error);
    } finally {
      this.maintaining = false;
    }
  }

  private async expire(now: number): Promise<void> {
    await this.announceAll(await this.store.expireDue(now));
  }

  /** One timer, for the earliest grace end started here; later ones wait in `graceEnds`. */
  private expireAt(endsAt: number): void {
    this.graceEnds.push(endsAt);
    if (!this.graceTimer) this.armGraceTimer();
  }

  /** `graceTimer` stays set while an expiry runs, so a grace started meanwhile adds no timer. */
  private armGraceTimer(): void {
    this.graceTimer = undefined;
    const next = this.graceEnds[this.graceHead];
    if (next === undefined || this.closed) return;
    this.graceTimer = setTimeout(
      () => {
        const now = Date.now();
        while ((this.graceEnds[this.graceHead] ?? Infinity) <= now) this.graceHead += 1;
        if (this.graceHead >= GRACE_QUEUE_COMPACT_AT) {
          this.graceEnds.splice(0, this.graceHead);
          this.graceHead = 0;
        }
        void this.expire(now)
          .catch((error: unknown) => this.warn('grace expiry', error))
          .finally(() => this.armGraceTimer());
      },
      Math.max(0, next - Date.now()),
    );
    this.graceTimer.unref();
  }

  /** Queues them all at once: the order they were decided in is the order they go out. */
  private async announceAll(transitions: PresenceTransition[]): Promise<void> {
    await Promise.all(transitions.map((transition) => this.announce(transition)));
  }

  /**
   * Called as soon as the store has decided (before any other await), and queued per user: an
   * `online` decided while the `offline` before it is still being persisted goes out after it.
   */
  private announce(transition: PresenceTransition | null): Promise<void> {
    if (!transition) return Promise.resolve();
    const { userId } = transition;
    const previous = this.announcing.get(userId) ?? Promise.resolve();
    const current = previous.then(() => this.persistAndPublish(transition));
    this.announcing.set(userId, current);
    void current.then(() => {
      if (this.announcing.get(userId) === current) this.announcing.delete(userId);
    });
    return current;
  }

  private async persistAndPublish(transition: PresenceTransition): Promise<void> {
    const { userId, presence } = transition;
    if (presence.status === 'offline' && presence.lastSeenAt) {
      // Before the announcement, so whoever reacts to it reads the same last-seen time.
      try {
        await this.users.recordLastSeen(userId, new Date(presence.lastSeenAt));
      } catch (error) {
        this.warn('last-seen write', error);
      }
    }
    this.events.publish(transition);
  }

  /** A store that cannot answer shows everyone offline rather than failing the caller's read. */
  private async statusesOrNone(ids: string[]): Promise<Map<string, ReportedPresenceStatus>> {
    if (ids.length === 0) return new Map();
    try {
      return await this.store.statuses(ids);
    } catch (error) {
      this.warn('read', error);
      return new Map();
    }
  }

  private warn(what: string, error: unknown): void {
    this.logger.warn(
      `presence ${what} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
