/** At most one `mark_read` per room this often; what is seen meanwhile goes at the end. */
export const MARK_READ_INTERVAL_MS = 500;

export interface ReadMarkerOptions {
  /** Sends `mark_read` for the room; rejects when it got no (good) answer. */
  send(seq: number): Promise<unknown>;
  /** The room's cursor as this tab knows it (server pushes, other tabs): nothing at or below it is sent. */
  knownReadSeq(): number;
  intervalMs?: number;
  now?: () => number;
}

/**
 * Turns "messages up to seq n are on screen" into `mark_read` for one room: throttled (the first
 * goes at once, then at most one per interval, carrying the highest seq seen meanwhile) and
 * never lower than what was already sent or known. A send that fails is forgotten, so the next
 * `seen` (or focus coming back) tries again.
 */
export class ReadMarker {
  private sent = 0;
  private waiting = 0;
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly intervalMs: number;
  private readonly now: () => number;

  constructor(private readonly options: ReadMarkerOptions) {
    this.intervalMs = options.intervalMs ?? MARK_READ_INTERVAL_MS;
    this.now = options.now ?? Date.now;
  }

  seen(seq: number): void {
    if (seq <= Math.max(this.floor(), this.waiting)) return;
    this.waiting = seq;
    if (this.timer !== undefined) return;
    const wait = this.lastSentAt + this.intervalMs - this.now();
    if (wait <= 0) this.flush();
    else this.timer = setTimeout(() => this.flush(), wait);
  }

  /** Sends what is waiting now (leaving the room must not drop the last half second). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const seq = this.waiting;
    this.waiting = 0;
    if (seq <= this.floor()) return;
    const before = this.sent;
    this.sent = seq;
    this.lastSentAt = this.now();
    this.options.send(seq).catch(() => {
      if (this.sent === seq) this.sent = before;
    });
  }

  private floor(): number {
    return Math.max(this.sent, this.options.knownReadSeq());
  }
}
