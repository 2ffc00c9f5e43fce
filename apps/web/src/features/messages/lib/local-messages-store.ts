import type { SystemMessageDto } from '@parley/contracts';
import type { Notice, PendingMessage } from './timeline';

export interface RoomLocalState {
  pending: PendingMessage[];
  notices: Notice[];
}

type Listener = () => void;

const EMPTY: RoomLocalState = { pending: [], notices: [] };
/** Notices are a courtesy, not history: keep the tail only. */
const MAX_NOTICES_PER_ROOM = 100;

/**
 * What this tab knows that the server's history does not: sends awaiting their ack (local echo)
 * and join/leave notices. Each room's state is replaced, never mutated, so it can be read with
 * `useSyncExternalStore`.
 */
export class LocalMessagesStore {
  private rooms = new Map<string, RoomLocalState>();
  private readonly listeners = new Set<Listener>();
  private noticeCounter = 0;

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  room = (roomId: string): RoomLocalState => this.rooms.get(roomId) ?? EMPTY;

  findPending(roomId: string, clientMessageId: string): PendingMessage | undefined {
    return this.room(roomId).pending.find((p) => p.clientMessageId === clientMessageId);
  }

  addPending(message: PendingMessage): void {
    this.update(message.room, (state) => ({ ...state, pending: [...state.pending, message] }));
  }

  markPending(roomId: string, clientMessageId: string): void {
    this.patchPending(roomId, clientMessageId, { status: 'pending', error: undefined });
  }

  markFailed(roomId: string, clientMessageId: string, error: string): void {
    this.patchPending(roomId, clientMessageId, { status: 'failed', error });
  }

  /** The server has the message: the cached history shows it from now on. */
  resolve(roomId: string, clientMessageId: string): void {
    if (!this.findPending(roomId, clientMessageId)) return;
    this.update(roomId, (state) => ({
      ...state,
      pending: state.pending.filter((p) => p.clientMessageId !== clientMessageId),
    }));
  }

  addNotice(notice: SystemMessageDto): void {
    this.noticeCounter += 1;
    const entry: Notice = {
      id: `${notice.createdAt}:${this.noticeCounter}`,
      room: notice.room,
      kind: notice.kind,
      content: notice.content,
      createdAt: notice.createdAt,
    };
    this.update(notice.room, (state) => ({
      ...state,
      notices: [...state.notices, entry].slice(-MAX_NOTICES_PER_ROOM),
    }));
  }

  private patchPending(
    roomId: string,
    clientMessageId: string,
    patch: Partial<PendingMessage>,
  ): void {
    if (!this.findPending(roomId, clientMessageId)) return;
    this.update(roomId, (state) => ({
      ...state,
      pending: state.pending.map((p) =>
        p.clientMessageId === clientMessageId ? { ...p, ...patch } : p,
      ),
    }));
  }

  private update(roomId: string, change: (state: RoomLocalState) => RoomLocalState): void {
    this.rooms = new Map(this.rooms).set(roomId, change(this.room(roomId)));
    this.listeners.forEach((listener) => listener());
  }
}
