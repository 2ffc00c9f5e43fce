/**
 * Runs at most `limit` tasks at once and queues up to `queueLimit` more; beyond that `run` rejects
 * at once with `GateFullError`. Bounds what a burst of logins can cost: argon2 with
 * memoryCost 19 MiB takes 19 MiB per running hash, so memory stays under `limit × 19 MiB` however
 * many requests arrive.
 */
export class ConcurrencyGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    readonly limit: number,
    readonly queueLimit: number,
  ) {}

  get pending(): number {
    return this.waiting.length;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) {
      if (this.waiting.length >= this.queueLimit) throw new GateFullError();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running += 1;
    }
    try {
      return await task();
    } finally {
      // Hand the slot straight to the next waiter, so `running` never dips and lets a newcomer jump the queue.
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}

export class GateFullError extends Error {
  constructor() {
    super('Too many tasks waiting');
    this.name = 'GateFullError';
  }
}
