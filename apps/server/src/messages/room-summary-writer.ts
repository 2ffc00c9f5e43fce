/** How long a busy room's summary may lag behind its newest message. */
export const SUMMARY_INTERVAL_MS = 1_000;

/** What a room's summary is written from: its newest message, or anything ordered by `seq`. */
export interface Summary {
  seq: number;
}

/** Writes the summaries of several rooms (one round trip); rejects if any of them failed. */
type Write<T extends Summary> = (summaries: ReadonlyMap<string, T>) => Promise<void>;

/**
 * Coalesces the room summary (`lastSeq`, `lastActivityAt`, the `lastMessage` preview) to at most
 * one write per room per interval. The first message of a quiet room is written at once (its
 * sender, awaiting it, then reads its own write in the room list); later ones within the interval
 * are folded into one write of the newest at its end, so a busy room costs one update per second
 * instead of one per message, and the rooms due at the end of an interval go out in one write. The summary only moves forward (the write is conditional on `seq`),
 * so a late or lost write is corrected by the next one; `flush()` writes whatever is pending
 * (shutdown).
 */
export class RoomSummaryWriter<T extends Summary> {
  private readonly pending = new Map<string, T>();
  /** When each recently written room was last written. */
  private readonly writtenAt = new Map<string, number>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly write: Write<T>,
    private readonly onError: (rooms: string[], error: unknown) => void,
    private readonly intervalMs = SUMMARY_INTERVAL_MS,
  ) {}

  /** Resolves once a leading write is done (never rejects); at once when the write is deferred. */
  record(room: string, summary: T, now = Date.now()): Promise<void> {
    const last = this.writtenAt.get(room);
    if (!this.pending.has(room) && (last === undefined || now - last >= this.intervalMs)) {
      this.writtenAt.set(room, now);
      return this.write(new Map([[room, summary]])).catch((error: unknown) => {
        this.onError([room], error);
      });
    }
    const current = this.pending.get(room);
    if (!current || summary.seq > current.seq) this.pending.set(room, summary);
    this.timer ??= setTimeout(() => void this.flush(), this.intervalMs);
    return Promise.resolve();
  }

  async flush(now = Date.now()): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = new Map(this.pending);
    this.pending.clear();
    for (const [room, written] of this.writtenAt) {
      if (now - written >= this.intervalMs) this.writtenAt.delete(room);
    }
    if (batch.size === 0) return;
    for (const room of batch.keys()) this.writtenAt.set(room, now);
    await this.write(batch).catch((error: unknown) => {
      this.onError([...batch.keys()], error);
    });
  }
}
