import type { CursorAdvance } from '../rooms/read-cursors.service';

/** How long a sender's cursor may trail their own newest message. */
export const READ_CURSOR_FLUSH_MS = 250;

type Write = (advances: CursorAdvance[]) => Promise<void>;

/**
 * Moves senders' read cursors to their own messages without a database write per message: the
 * send path only records the move here (no await, no round trip), and every `intervalMs` the moves
 * gathered meanwhile go out as one batch, one per (room, user), the highest seq winning. Cursors
 * only move forward (`$max`), so overlapping or late batches are harmless, and a batch that fails
 * is reported and dropped: the sender's next message or `mark_read` moves the cursor again.
 * `flush()` writes what is pending and waits for running batches (shutdown).
 */
export class ReadCursorWriter {
  private readonly pending = new Map<string, CursorAdvance>();
  private readonly running = new Set<Promise<void>>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly write: Write,
    private readonly onError: (error: unknown, advances: readonly CursorAdvance[]) => void,
    private readonly intervalMs = READ_CURSOR_FLUSH_MS,
  ) {}

  record(advance: CursorAdvance): void {
    const key = `${advance.room} ${advance.userId}`;
    const current = this.pending.get(key);
    if (!current || advance.seq > current.seq) this.pending.set(key, advance);
    this.timer ??= setTimeout(() => void this.flush(), this.intervalMs);
  }

  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.size > 0) {
      const batch = [...this.pending.values()];
      this.pending.clear();
      const written = this.write(batch).catch((error: unknown) => this.onError(error, batch));
      this.running.add(written);
      void written.finally(() => this.running.delete(written));
    }
    await Promise.all(this.running);
  }
}
