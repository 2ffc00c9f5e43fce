import { Types } from 'mongoose';
import { AppException } from '../common/errors/app-exception';
import { isDuplicateKeyError } from '../database/mongo-errors';
import type { MessageRecord } from './message.schema';

/** A message to store, everything but its identity: `_id`, `seq` and `createdAt` come at insert. */
export type NewMessage = Omit<MessageRecord, '_id' | 'seq' | 'createdAt'>;

export interface InsertOutcome {
  kind: 'stored' | 'resend';
  record: MessageRecord;
}

/** What the batcher needs of the database, so its edge cases can be driven in a unit test. */
export interface MessageStore {
  /** The room's newest stored seq (0 when empty). */
  newestSeq(room: string): Promise<number>;
  /** The stored message with this (room, sender, clientMessageId), if any. */
  findByClientId(
    room: string,
    sender: Types.ObjectId,
    clientMessageId: string,
  ): Promise<MessageRecord | undefined>;
  /** `insertMany(records, { ordered: true })`: stops at the first failed document. */
  insertOrdered(records: MessageRecord[]): Promise<unknown>;
}

/** Seq conflicts one message survives before giving up with `unavailable` (each means another writer won). */
export const SEQ_ATTEMPTS = 50;
/** Messages per insert command at most; under load the batch is whatever queued meanwhile. */
export const MAX_BATCH = 256;
const NEXT_SEQ_CACHE_SIZE = 10_000;

interface Pending {
  message: NewMessage;
  attempts: number;
  resolve(outcome: InsertOutcome): void;
  reject(error: unknown): void;
}

/**
 * Stores messages under their room's next seq, many per round trip: one `insertMany` is in flight
 * at a time, and whatever is sent meanwhile — in any room — goes into the next one. Under load,
 * batches grow by themselves (one command and one journal flush for all of them) while a lone
 * message still leaves at once. Each message is acknowledged only when its batch is durable.
 *
 * Seqs are gap-free and visible in order: a message's seq is the room's newest stored one + 1
 * (cached per room after the first read), the unique `{room, seq}` index arbitrates between
 * writers, and the insert is ordered, so within a batch seq n is written before n + 1 and nothing
 * after a failed document is written. A duplicate key is either a resend of a stored message
 * (the unique `{room, sender, clientMessageId}` index; the original is returned) or a seq another
 * writer (another instance) took: that room's seq is read again and the message retried, at the
 * head of the queue so it keeps its place before later messages of its room.
 */
export class MessageInsertBatcher {
  private readonly queue: Pending[] = [];
  private draining = false;
  /** Per room, the seq expected to be free next (a hint: the index decides). */
  private readonly nextSeq = new Map<string, number>();

  constructor(private readonly store: MessageStore) {}

  insert(message: NewMessage): Promise<InsertOutcome> {
    return new Promise<InsertOutcome>((resolve, reject) => {
      this.queue.push({ message, attempts: 0, resolve, reject });
      if (this.draining) return;
      this.draining = true;
      // After the current I/O callbacks: sends read from sockets in the same turn share a batch.
      setImmediate(() => void this.drain());
    });
  }

  /** A room whose history is gone (deleted) starts over from the database. */
  forget(room: string): void {
    this.nextSeq.delete(room);
  }

  /** Messages queued or in the batch being written. */
  get pending(): number {
    return this.queue.length;
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, MAX_BATCH);
        try {
          await this.write(batch);
        } catch (error) {
          // Not a per-document outcome (the connection, the write concern): what was written is
          // unknown, so every message of the batch fails — a resend is recognised by its
          // clientMessageId — and every room's seq is read again.
          for (const pending of batch) {
            this.nextSeq.delete(pending.message.room);
            pending.reject(error);
          }
        }
      }
    } finally {
      this.draining = false;
    }
  }

  private async write(batch: Pending[]): Promise<void> {
    const rooms = [...new Set(batch.map((pending) => pending.message.room))];
    const first = new Map(
      await Promise.all(
        rooms.map(
          async (room) =>
            [room, this.nextSeq.get(room) ?? (await this.store.newestSeq(room)) + 1] as const,
        ),
      ),
    );
    const next = new Map(first);
    const createdAt = new Date();
    const records = batch.map(({ message }): MessageRecord => {
      const seq = next.get(message.room) ?? 1;
      next.set(message.room, seq + 1);
      return { _id: new Types.ObjectId(), ...message, seq, createdAt };
    });

    let written = records.length;
    let duplicate = false;
    let failure: unknown;
    try {
      await this.store.insertOrdered(records);
    } catch (error) {
      ({ index: written, duplicate } = firstWriteError(error, records.length));
      failure = error;
    }
    for (let index = 0; index < written; index += 1) {
      batch[index]?.resolve({ kind: 'stored', record: records[index] });
    }
    // Ordered: nothing after a failed document was written. Each room goes on after its newest
    // seq written here, or from where it was before the batch.
    for (const record of records.slice(0, written)) first.set(record.room, record.seq + 1);
    for (const [room, seq] of first) this.remember(room, seq);
    if (written === records.length) return;

    const failed = batch[written];
    const rest = batch.slice(written + 1);
    if (!duplicate) {
      // Not something a retry changes (the document itself was refused): this message fails,
      // the ones after it go again.
      failed.reject(failure);
      this.queue.unshift(...rest);
      return;
    }
    const original = await this.store.findByClientId(
      failed.message.room,
      failed.message.sender,
      failed.message.clientMessageId,
    );
    if (original) {
      failed.resolve({ kind: 'resend', record: original });
    } else {
      // Another writer took the seq: read the room's newest again and retry in place.
      this.nextSeq.delete(failed.message.room);
      failed.attempts += 1;
      if (failed.attempts >= SEQ_ATTEMPTS) {
        failed.reject(new AppException('unavailable', 'The room is too busy right now; try again'));
      } else {
        rest.unshift(failed);
      }
    }
    this.queue.unshift(...rest);
  }

  private remember(room: string, next: number): void {
    // A bounded hint: forgetting a room only costs one indexed read on its next send.
    if (this.nextSeq.size >= NEXT_SEQ_CACHE_SIZE && !this.nextSeq.has(room)) this.nextSeq.clear();
    this.nextSeq.set(room, next);
  }
}

/**
 * Where an ordered insert stopped: the index of its first write error (nothing after it was
 * written) and whether that was a duplicate key. Anything else — no write errors (the network),
 * or a write concern error (written but not known durable) — is thrown on as it is.
 */
function firstWriteError(error: unknown, total: number): { index: number; duplicate: boolean } {
  const failure = error as { writeErrors?: unknown; writeConcernErrors?: unknown } | null;
  const concern = failure?.writeConcernErrors;
  if (Array.isArray(concern) ? concern.length > 0 : Boolean(concern)) throw error;
  const writeErrors = failure?.writeErrors;
  const first = (Array.isArray(writeErrors) ? writeErrors[0] : writeErrors) as
    { index?: unknown; code?: unknown } | undefined;
  const index = first?.index;
  if (typeof index !== 'number' || index < 0 || index >= total) throw error;
  return { index, duplicate: isDuplicateKeyError(first) };
}
