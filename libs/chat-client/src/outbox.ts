import type { ApiError, ErrorCode, MessageDto, SendMessageDto } from '@parley/contracts';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff';

/** One unsent message, kept until the server acknowledges it. */
export interface OutboxEntry {
  /** The message's idempotency key: every attempt sends the same one. */
  clientMessageId: string;
  room: string;
  content: string;
  /** Ids of files already uploaded to the room (the upload happens before the entry exists). */
  attachments?: string[];
  /** The id of the message this one answers. */
  replyTo?: string;
  /** When the user sent it (ms since epoch); entries of a room are sent in this order. */
  createdAt: number;
  /** `pending` entries are retried; `failed` ones wait for the user (retry or discard). */
  state: 'pending' | 'failed';
  attempts: number;
  /** Why the last attempt failed. */
  lastError?: ApiError;
}

/** Where entries live: IndexedDB in the browser (survives reloads), memory elsewhere. */
export interface OutboxStore {
  list(): Promise<OutboxEntry[]>;
  get(clientMessageId: string): Promise<OutboxEntry | undefined>;
  put(entry: OutboxEntry): Promise<void>;
  delete(clientMessageId: string): Promise<void>;
}

/**
 * Runs `task` only if no other holder (another tab) is draining the same room right now;
 * resolves `false` without running it otherwise. The browser implements it with Web Locks.
 */
export type ExclusiveRunner = (key: string, task: () => Promise<void>) => Promise<boolean>;

export const runAlone: ExclusiveRunner = async (_key, task) => {
  await task();
  return true;
};

export interface OutboxOptions {
  store: OutboxStore;
  /** Emits `send_message` and resolves with the acknowledged message. */
  send(payload: SendMessageDto): Promise<MessageDto>;
  /** Whether a send can be attempted now (socket connected). */
  canSend(): boolean;
  /** The server stored the entry (also when another tab or an earlier attempt did). */
  onAcked?(message: MessageDto): void;
  /** Entries were added, changed state or removed. */
  onChange?(): void;
  exclusive?: ExclusiveRunner;
  backoff?: BackoffOptions;
  random?: () => number;
}

/**
 * Errors that no retry can fix; everything else (no answer, `unavailable`, `rate_limited`,
 * `not_in_room` before a re-join, a server error) is retried with backoff.
 */
const PERMANENT_ERRORS = new Set<ErrorCode>([
  'validation_failed',
  'payload_too_large',
  'not_a_member',
  'banned',
  'room_not_found',
  'forbidden',
]);

export function isPermanentSendError(error: ApiError): boolean {
  return PERMANENT_ERRORS.has(error.code);
}

function toApiError(error: unknown): ApiError {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const { code, message, details } = error as ApiError;
    if (typeof code === 'string') return { code, message: String(message), details };
  }
  return {
    code: 'internal_error',
    message: error instanceof Error ? error.message : 'Send failed',
  };
}

/**
 * The sending half of Parley's delivery guarantee: a message is written to the store before the
 * first attempt and removed only after the server's ack, which comes after the write is durable.
 * Each room's entries go out one at a time in `createdAt` order, so a user's messages are stored
 * in the order they were written; a resend carries the same `clientMessageId`, which the server
 * answers with the stored original instead of storing it twice.
 */
export class Outbox {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private flushing: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  /** Consecutive rounds that ended with a retryable failure; drives the backoff. */
  private failures = 0;
  /** The longest `retryAfterMs` the server asked for in this round. */
  private notBefore = 0;

  constructor(private readonly options: OutboxOptions) {}

  /** Stores a new message and starts sending it. */
  async add(
    input: Pick<OutboxEntry, 'room' | 'content' | 'clientMessageId' | 'attachments' | 'replyTo'>,
    now = Date.now(),
  ): Promise<OutboxEntry> {
    const entry: OutboxEntry = { ...input, createdAt: now, state: 'pending', attempts: 0 };
    await this.options.store.put(entry);
    this.options.onChange?.();
    void this.flush();
    return entry;
  }

  /** Puts a failed entry back in line and sends it now. */
  async retry(clientMessageId: string): Promise<void> {
    const entry = await this.options.store.get(clientMessageId);
    if (!entry) return;
    await this.options.store.put({ ...entry, state: 'pending', lastError: undefined });
    this.options.onChange?.();
    this.failures = 0;
    void this.flush();
  }

  /** Gives up on an entry (the user discarded it). */
  async discard(clientMessageId: string): Promise<void> {
    await this.options.store.delete(clientMessageId);
    this.options.onChange?.();
  }

  list(): Promise<OutboxEntry[]> {
    return this.options.store.list();
  }

  /** Stops retrying (sign-out, unmount); entries stay in the store for the next start. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /**
   * Sends every pending entry it can; call it on connect, on reconnect and on page load. Calls
   * during a flush make it run once more afterwards. Schedules a retry with backoff while
   * something retryable is left.
   */
  flush(): Promise<void> {
    this.stopped = false;
    if (this.flushing) {
      this.again = true;
      return this.flushing;
    }
    clearTimeout(this.timer);
    this.flushing = (async () => {
      let waiting = false;
      do {
        this.again = false;
        // After a retryable failure the scheduled retry takes over: a flush asked for meanwhile
        // must not skip the backoff.
        waiting = await this.flushOnce();
      } while (this.again && !waiting && !this.stopped);
    })().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  /** A reconnection: the backoff starts over and everything pending goes now. */
  reconnected(): Promise<void> {
    this.failures = 0;
    return this.flush();
  }

  /** One pass over the pending entries; resolves whether a retry is now scheduled. */
  private async flushOnce(): Promise<boolean> {
    const entries = (await this.options.store.list()).filter((entry) => entry.state === 'pending');
    if (entries.length === 0) return false;
    if (!this.options.canSend()) return false;
    const rooms = [...new Set(entries.map((entry) => entry.room))];
    const exclusive = this.options.exclusive ?? runAlone;
    let retryable = false;
    let busy = false;
    await Promise.all(
      rooms.map(async (room) => {
        const ran = await exclusive(`parley-outbox:${room}`, async () => {
          if (!(await this.drainRoom(room))) retryable = true;
        });
        if (!ran) busy = true;
      }),
    );
    if (retryable) this.failures += 1;
    else this.failures = 0;
    // Another tab holds a room: look again later in case it closes before finishing.
    if (retryable || busy) this.schedule();
    this.notBefore = 0;
    return retryable;
  }

  /**
   * Sends a room's pending entries oldest first, re-reading the store each time (another tab
   * may have sent or added some). Stops at the first retryable failure so nothing overtakes it;
   * returns whether the room was drained.
   */
  private async drainRoom(room: string): Promise<boolean> {
    const tried = new Set<string>();
    for (;;) {
      if (this.stopped || !this.options.canSend()) return false;
      const next = (await this.options.store.list())
        .filter((entry) => entry.room === room && entry.state === 'pending')
        .filter((entry) => !tried.has(entry.clientMessageId))
        .sort((a, b) => a.createdAt - b.createdAt)[0];
      if (!next) return true;
      tried.add(next.clientMessageId);
      const attempt = { ...next, attempts: next.attempts + 1 };
      try {
        const message = await this.options.send({
          room: next.room,
          content: next.content,
          clientMessageId: next.clientMessageId,
          ...(next.attachments?.length ? { attachments: next.attachments } : {}),
          ...(next.replyTo ? { replyTo: next.replyTo } : {}),
        });
        await this.options.store.delete(next.clientMessageId);
        this.options.onChange?.();
        this.options.onAcked?.(message);
      } catch (raw) {
        const error = toApiError(raw);
        const permanent = isPermanentSendError(error);
        // Only if it is still there: another tab may have finished it meanwhile.
        if (await this.options.store.get(next.clientMessageId)) {
          await this.options.store.put({
            ...attempt,
            state: permanent ? 'failed' : 'pending',
            lastError: error,
          });
          this.options.onChange?.();
        }
        if (!permanent) {
          // `rate_limited` says when the next attempt can succeed; trying sooner only spends
          // more of the budget.
          const wait = error.details?.retryAfterMs;
          if (typeof wait === 'number') this.notBefore = Math.max(this.notBefore, wait);
          return false;
        }
      }
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    const delay = Math.max(
      this.notBefore,
      backoffDelay(
        Math.max(1, this.failures),
        this.options.backoff ?? DEFAULT_BACKOFF,
        this.options.random,
      ),
    );
    this.timer = setTimeout(() => void this.flush(), delay);
  }
}

/** An `OutboxStore` in memory: for Node clients (tests, tools) and as a reference. */
export class MemoryOutboxStore implements OutboxStore {
  private readonly entries = new Map<string, OutboxEntry>();

  list(): Promise<OutboxEntry[]> {
    return Promise.resolve([...this.entries.values()].map((entry) => ({ ...entry })));
  }

  get(clientMessageId: string): Promise<OutboxEntry | undefined> {
    const entry = this.entries.get(clientMessageId);
    return Promise.resolve(entry ? { ...entry } : undefined);
  }

  put(entry: OutboxEntry): Promise<void> {
    this.entries.set(entry.clientMessageId, { ...entry });
    return Promise.resolve();
  }

  delete(clientMessageId: string): Promise<void> {
    this.entries.delete(clientMessageId);
    return Promise.resolve();
  }
}
