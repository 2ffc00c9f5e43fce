import {
  SYNC_MAX_ROOMS,
  SYNC_PAGE_DEFAULT,
  type ErrorCode,
  type MessageDto,
  type RoomSyncDto,
  type SyncDto,
  type SyncResultDto,
} from '@parley/contracts';

export interface RoomSyncOptions {
  /** Sends one `sync` and resolves with its answer (rejects when there is none). */
  request(payload: SyncDto): Promise<SyncResultDto>;
  /** Messages of one room, in `seq` order, each exactly once per `RoomSync`. */
  deliver(room: string, messages: MessageDto[]): void;
  /**
   * Messages already delivered (or not yet) that changed — edited, deleted, reacted to, pinned —
   * in their whole current state, each newer than any copy of it seen here before. From `sync`
   * (rooms followed with a change cursor) and from `receiveChange`.
   */
  changed?(room: string, messages: MessageDto[]): void;
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
  /**
   * Every change up to this `changeSeq` has been handed over; `undefined`: the room is followed
   * without changes (its `sync` rounds do not ask for them).
   */
  changeSeq: number | undefined;
  /** The highest `version` seen per message id, so an older copy never replaces a newer one. */
  versions: Map<string, number>;
}

/**
 * The receiving half of Parley's delivery guarantee, for any transport: keeps the last `seq`
 * delivered per room, hands each message to `deliver` exactly once and in order, and fills every
 * gap with `sync` — after a (re)connection (`catchUp()`), or when a live message skips ahead.
 *
 * With a change cursor (`follow(room, lastSeq, changeSeq)`), `sync` rounds also ask for the
 * messages changed since, and those and live changes (`receiveChange`) reach `changed` only when
 * newer than every copy seen (by `version`; one number per message id seen is kept).
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
   * history page; 0 for nothing) and, with `changeSeq` (that page's `changeSeq`), its changes
   * too. For a room already followed the cursors only move forward.
   */
  follow(room: string, lastSeq = 0, changeSeq?: number): void {
    const state = this.rooms.get(room);
    if (!state) {
      this.rooms.set(room, { lastSeq, ahead: new Map(), changeSeq, versions: new Map() });
      return;
    }
    if (changeSeq !== undefined && changeSeq > (state.changeSeq ?? -1)) {
      state.changeSeq = changeSeq;
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

  /** The change cursor of a room, or `undefined` when it is not followed with changes. */
  changeSeq(room: string): number | undefined {
    return this.rooms.get(room)?.changeSeq;
  }

  /**
   * A live `message_updated` / `message_deleted`: handed to `changed` unless a copy with the same
   * or a higher version was seen. The change cursor does not move (a live change may skip ahead
   * of changes not seen yet; the next `sync` brings those, and their repeats are dropped here).
   */
  receiveChange(message: MessageDto): void {
    const state = this.rooms.get(message.room);
    if (!state) return;
    const fresh = this.newer(state, [message]);
    if (fresh.length > 0) this.options.changed?.(message.room, fresh);
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
      const changes: Record<string, number> = {};
      for (const room of batch) {
        const state = this.rooms.get(room);
        if (state) cursors[room] = state.lastSeq;
        if (state?.changeSeq !== undefined) changes[room] = state.changeSeq;
      }
      if (Object.keys(cursors).length === 0) continue;
      let result: SyncResultDto;
      try {
        result = await this.options.request({
          rooms: cursors,
          ...(Object.keys(changes).length > 0 ? { changes } : {}),
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
        this.remember(state, fresh);
        this.options.deliver(page.room, fresh);
      }
      this.release(page.room, state);
      const progressed = fresh.length > 0;
      const changesProgressed = this.applyChanges(page, state);
      if ((page.hasMore && progressed) || (page.hasMoreChanges && changesProgressed)) {
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

  /**
   * The room's changes in this answer, if it was asked for them: newer copies go to `changed`,
   * the cursor moves forward. Answers whether the cursor moved (so paging on cannot loop).
   */
  private applyChanges(page: RoomSyncDto, state: RoomState): boolean {
    if (state.changeSeq === undefined) return false;
    const fresh = this.newer(state, page.changed);
    if (fresh.length > 0) this.options.changed?.(page.room, fresh);
    if (page.changeSeq <= state.changeSeq) return false;
    state.changeSeq = page.changeSeq;
    return true;
  }

  /** Copies newer than any seen of the same message (recorded as seen). */
  private newer(state: RoomState, messages: readonly MessageDto[]): MessageDto[] {
    const fresh = messages.filter(
      (message) => message.version > (state.versions.get(message.id) ?? 0),
    );
    this.remember(state, fresh);
    return fresh;
  }

  private remember(state: RoomState, messages: readonly MessageDto[]): void {
    for (const message of messages) {
      if (message.version > (state.versions.get(message.id) ?? 0)) {
        state.versions.set(message.id, message.version);
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
    this.remember(state, out);
    this.options.deliver(room, out);
  }
}
