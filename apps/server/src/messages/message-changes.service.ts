import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Types, trusted, type Model } from 'mongoose';
import type { Subscription } from 'rxjs';
import { isDuplicateKeyError } from '../database/mongo-errors';
import { RoomEvents } from '../rooms/room-events';
import { KeyedQueue } from './keyed-queue';
import { MessageChange, type MessageChangeRecord } from './message-change.schema';
import { Message, type MessageRecord } from './message.schema';

/** Claim conflicts one change survives (each means another instance took the number). */
const CLAIM_ATTEMPTS = 50;
/** A change still unclaimed after this long belongs to a process that died (claims take ms). */
export const PENDING_CHANGE_AGE_MS = 5000;
const SWEEP_INTERVAL_MS = 5000;
/** Messages one sweep claims at most; the next sweep takes the rest. */
const SWEEP_BATCH = 500;

/**
 * The per-room change log (ADR 0009, "Room for edits…"). A change to a message is written first
 * (with `changePendingAt`), then its log entry is claimed as the room's newest `changeSeq` + 1
 * under the unique `{room, changeSeq}` index, then the message gets that `changeSeq` and loses
 * `changePendingAt`. So an entry is visible only after its message's update, and entry n only
 * after n-1: a reader that holds every change up to n and reads the messages changed after n
 * converges. A process dying between the write and the claim leaves `changePendingAt` set, and
 * `sweep` (every few seconds, on every instance, on a sparse index) claims the entry then.
 */
@Injectable()
export class MessageChangesService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(MessageChangesService.name);
  /** Claims of one room go one at a time in this process: no duplicate-key races with itself. */
  private readonly claims = new KeyedQueue();
  private timer?: NodeJS.Timeout;
  private subscription?: Subscription;
  private sweeping?: Promise<number>;

  constructor(
    @InjectModel(MessageChange.name) private readonly changes: Model<MessageChange>,
    @InjectModel(Message.name) private readonly messages: Model<Message>,
    private readonly roomEvents: RoomEvents,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.changes.init();
    this.subscription = this.roomEvents.events$.subscribe((event) => {
      if (event.type !== 'deleted') return;
      this.changes
        .deleteMany({ room: event.room })
        .exec()
        .catch((error: unknown) =>
          this.logger.error(`Deleting the changes of room ${event.room} failed: ${String(error)}`),
        );
    });
    this.timer = setInterval(() => {
      this.sweep().catch((error: unknown) =>
        this.logger.warn(`Sweeping pending changes failed: ${String(error)}`),
      );
    }, SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    this.subscription?.unsubscribe();
    await this.sweeping?.catch(() => undefined);
  }

  /** The room's newest change entry (0: none): one backward step on the `{room, changeSeq}` index. */
  async newest(room: string): Promise<number> {
    const newest = await this.changes
      .findOne({ room }, { changeSeq: 1, _id: 0 })
      .sort({ changeSeq: -1 })
      .lean<Pick<MessageChangeRecord, 'changeSeq'>>()
      .exec();
    return newest?.changeSeq ?? 0;
  }

  /** Entries after `after`, ascending, at most `limit` (plus one, to tell whether there are more). */
  async after(
    room: string,
    after: number,
    limit: number,
  ): Promise<{ entries: MessageChangeRecord[]; hasMore: boolean }> {
    const entries = await this.changes
      // Trusted: a literal operator around a validated whole number.
      .find({ room, changeSeq: trusted({ $gt: after }) })
      .sort({ changeSeq: 1 })
      .limit(limit + 1)
      .lean<MessageChangeRecord[]>()
      .exec();
    return { entries: entries.slice(0, limit), hasMore: entries.length > limit };
  }

  /**
   * After a change to `record` was written (with `changePendingAt`): claims its entry and puts
   * the `changeSeq` on the message. Answers the record with its `changeSeq`. A failed claim is
   * logged and left to the sweep (the change itself is stored and stays pending), so the caller
   * still answers with the change.
   */
  async record(record: MessageRecord): Promise<MessageRecord> {
    try {
      const changeSeq = await this.claim(record.room, record._id);
      await this.settle(record._id, record.version ?? 1, changeSeq);
      return {
        ...record,
        changeSeq: Math.max(record.changeSeq ?? 0, changeSeq),
        changePendingAt: undefined,
      };
    } catch (error) {
      this.logger.warn(
        `Change of message ${record._id.toHexString()} left for the sweep: ${String(error)}`,
      );
      return record;
    }
  }

  /** The room's next change number, taken by inserting its entry (the index decides). */
  claim(room: string, message: Types.ObjectId): Promise<number> {
    return this.claims.run(room, async () => {
      for (let attempt = 1; attempt <= CLAIM_ATTEMPTS; attempt += 1) {
        const changeSeq = (await this.newest(room)) + 1;
        try {
          await this.changes.create({ room, changeSeq, message, at: new Date() });
          return changeSeq;
        } catch (error) {
          if (!isDuplicateKeyError(error)) throw error;
        }
      }
      throw new Error(`room ${room}: no free changeSeq after ${CLAIM_ATTEMPTS} attempts`);
    });
  }

  /**
   * `$max`: of two changes settling out of order the higher number stays. `changePendingAt` is
   * cleared only if no newer change was written meanwhile (same version): that one's own claim
   * (or the sweep) clears it. No journal wait: the entry is durable, and a lost `changeSeq` here
   * only makes a client apply the same state twice.
   */
  private async settle(id: Types.ObjectId, version: number, changeSeq: number): Promise<void> {
    const writeConcern = { w: 1, journal: false } as const;
    const cleared = await this.messages
      .updateOne(
        { _id: id, version },
        { $max: { changeSeq }, $unset: { changePendingAt: 1 } },
        { writeConcern },
      )
      .exec();
    if (cleared.matchedCount === 0) {
      await this.messages.updateOne({ _id: id }, { $max: { changeSeq } }, { writeConcern }).exec();
    }
  }

  /**
   * Claims entries for changes left pending for longer than `PENDING_CHANGE_AGE_MS` (by default;
   * `olderThan` for tests), on the sparse `changePendingAt` index: no scan. Claiming for a change
   * whose writer is merely slow costs one extra entry naming the same message, which readers
   * apply harmlessly (they keep the higher version). Answers how many it claimed.
   */
  sweep(olderThan = new Date(Date.now() - PENDING_CHANGE_AGE_MS)): Promise<number> {
    this.sweeping ??= this.sweepOnce(olderThan).finally(() => {
      this.sweeping = undefined;
    });
    return this.sweeping;
  }

  private async sweepOnce(olderThan: Date): Promise<number> {
    const pending = await this.messages
      // Trusted: a literal operator around a date made here.
      .find({ changePendingAt: trusted({ $lte: olderThan }) }, { room: 1, version: 1 })
      .limit(SWEEP_BATCH)
      .lean<Pick<MessageRecord, '_id' | 'room' | 'version'>[]>()
      .exec();
    for (const message of pending) {
      const changeSeq = await this.claim(message.room, message._id);
      await this.settle(message._id, message.version ?? 1, changeSeq);
    }
    if (pending.length > 0) this.logger.warn(`Claimed ${pending.length} pending change(s)`);
    return pending.length;
  }
}
