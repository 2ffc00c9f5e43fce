import {
  SYNC_MAX_ROOMS,
  SYNC_PAGE_DEFAULT,
  type ErrorCode,
  type MessageDto,
  type SyncDto,
  type SyncResultDto,
} from '@parley/contracts';

export interface RoomSyncOptions {
  /** Sends one `sync` and resolves with its answer (rejects when there is none). */
  request(payload: SyncDto): Promise<SyncResultDto>;
  /** Messages of one room, in `seq` order, each exactly once per `RoomSync`. */
  deliver(room: string, messages: MessageDto[]): void;
  /** The server no longer lets us read the room (deleted, kicked, banned); it is forgotten. */
  refused?(room: string, code: ErrorCode): void;
  /** Messages per room per `sync` answer. */
  pageSize?: number;
}

interface RoomState {
  /** Every message up to this seq has been delivered. */
  lastSeq: number;
  /** Live messages that arrived ahead of a gap, by seq, delivered once the gap is filled. */
  ahead: Map<number, MessageDto>;
}

/**
 * The receiving half of Parley's delivery guarantee, for any transport: keeps the last `seq`
 * delivered per room, hands each message to `deliver` exactly once and in order, and fills every
 * gap with `sync` — after a (re)connection (`catchUp()`), or when a live message skips ahead.
 *
 * Correctness rests on the server's contract: per-room seqs become visible in order and a `sync`
 * answer holds everything that exists after the cursor. Nothing here depends on how long the
 * client was away, which server instance it talks to, or whether that server restarted.
 */
export class RoomSync {
  private readonly rooms = new Map<string, RoomState>();
  /** Rooms that need a `sync` round. */
  private readonly behind = new Set<string>();
  private running: Promise<void> | undefined;

  constructor(private readonly options: RoomSyncOptions) {}

  /**
   * Starts following a room from `lastSeq` (what the caller already shows, e.g. the newest
   * history page; 0 for nothing). For a room already followed the cursor only moves forward.
   */
  follow(room: string, lastSeq = 0): void {
    const state = this.rooms.get(room);
    if (!state) {
      this.rooms.set(room, { lastSeq, ahead: new Map() });
      return;
    }
    if (lastSeq > state.lastSeq) {
      state.lastSeq = lastSeq;
      this.release(room, state);
    }
  }

  unfollow(room: string): void {
    this.rooms.delete(room);
    this.behind.delete(room);
  }

  isFollowing(room: string): boolean {
    return this.rooms.has(room);
  }

  /** The last seq delivered for a room, or `undefined` when it is not followed. */
  lastSeq(room: string): number | undefined {
    return this.rooms.get(room)?.lastSeq;
  }

  /** `{ roomId: lastSeq }` for every followed room: the body of a full `sync`. */
  cursors(): Record<string, number> {
    return Object.fromEntries([...this.rooms].map(([room, state]) => [room, state.lastSeq]));
  }

  /**
   * A live `new_message`. Delivered at once when it is the next one; ignored when already
   * delivered; otherwise held while the gap before it is fetched. Messages of rooms that are not
   * followed are ignored (the caller follows a room once it knows where it starts).
   */
  receive(message: MessageDto): void {
    const state = this.rooms.get(message.room);
    if (!state || message.seq <= state.lastSeq || state.ahead.has(message.seq)) return;
    state.ahead.set(message.seq, message);
    this.release(message.room, state);
    if (state.ahead.size > 0) {
      this.catchUp([message.room]).catch(() => {
        // No answer (disconnected, timed out): the room stays behind and the next catch-up,
        // at the latest the one after reconnecting, fills the gap.
      });
    }
  }

  /**
   * Pages `sync` until the named rooms (default: every followed room) are caught up. Calls
   * while a round runs join it; rejects when a `sync` goes unanswered, leaving the rooms behind
   * for the next call.
   */
  catchUp(rooms: Iterable<string> = this.rooms.keys()): Promise<void> {
    for (const room of rooms) if (this.rooms.has(room)) this.behind.add(room);
    this.running ??= this.run().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async run(): Promise<void> {
    while (this.behind.size > 0) {
      const batch = [...this.behind].slice(0, SYNC_MAX_ROOMS);
      for (const room of batch) this.behind.delete(room);
      const cursors: Record<string, number> = {};
      for (const room of batch) {
        const state = this.rooms.get(room);
        if (state) cursors[room] = state.lastSeq;
      }
      if (Object.keys(cursors).length === 0) continue;
      let result: SyncResultDto;
      try {
        result = await this.options.request({
          rooms: cursors,
          limit: this.options.pageSize ?? SYNC_PAGE_DEFAULT,
        });
      } catch (error) {
        for (const room of Object.keys(cursors)) if (this.rooms.has(room)) this.behind.add(room);
        throw error;
      }
      this.apply(result, cursors);
    }
  }

  private apply(result: SyncResultDto, asked: Record<string, number>): void {
    for (const { room, code } of result.refused) {
      if (!(room in asked) || !this.rooms.has(room)) continue;
      this.unfollow(room);
      this.options.refused?.(room, code);
    }
    for (const page of result.rooms) {
      const state = this.rooms.get(page.room);
      if (!state || !(page.room in asked)) continue;
      // The answer is everything stored after the cursor, so it is delivered as it stands
      // (were a seq ever missing on the server, waiting for it would stall the room forever).
      const fresh = page.messages
        .filter((message) => message.seq > state.lastSeq)
        .sort((a, b) => a.seq - b.seq);
      if (fresh.length > 0) {
        state.lastSeq = fresh[fresh.length - 1].seq;
        for (const seq of state.ahead.keys()) if (seq <= state.lastSeq) state.ahead.delete(seq);
        this.options.deliver(page.room, fresh);
      }
      this.release(page.room, state);
      const progressed = fresh.length > 0;
      if (page.hasMore && progressed) {
        this.behind.add(page.room);
      } else if (state.ahead.size > 0) {
        if (progressed || this.behind.has(page.room)) {
          // Another round: a live message that arrived during this one may be ahead of its read.
          this.behind.add(page.room);
        } else {
          // A round that started after the held messages arrived found nothing before them: the
          // server's answer is authoritative, so deliver them rather than wait for seqs that do
          // not exist.
          this.release(page.room, state, true);
          state.lastSeq = Math.max(state.lastSeq, page.lastSeq);
        }
      }
    }
  }

  /** Delivers held messages that continue the contiguous run (all of them when `force`). */
  private release(room: string, state: RoomState, force = false): void {
    for (const seq of state.ahead.keys()) if (seq <= state.lastSeq) state.ahead.delete(seq);
    const out: MessageDto[] = [];
    if (force) {
      out.push(...[...state.ahead.values()].sort((a, b) => a.seq - b.seq));
      state.ahead.clear();
    } else {
      for (let next = state.ahead.get(state.lastSeq + 1); next;) {
        state.ahead.delete(next.seq);
        out.push(next);
        next = state.ahead.get(next.seq + 1);
      }
    }
    if (out.length === 0) return;
    state.lastSeq = out[out.length - 1].seq;
    this.options.deliver(room, out);
  }
}
