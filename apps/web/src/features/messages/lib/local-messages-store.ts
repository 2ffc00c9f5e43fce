import type { SystemMessageDto } from '@parley/contracts';
import type { Notice } from './timeline';

export interface RoomLocalState {
  notices: Notice[];
}

type Listener = () => void;

const EMPTY: RoomLocalState = { notices: [] };
/** Notices are a courtesy, not history: keep the tail only. */
const MAX_NOTICES_PER_ROOM = 100;

/**
 * What this tab knows that the server's history does not: join/leave notices (unsent messages
 * live in the outbox, see `MessageDelivery`). Each room's state is replaced, never mutated, so it can be read with
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

  private update(roomId: string, change: (state: RoomLocalState) => RoomLocalState): void {
    this.rooms = new Map(this.rooms).set(roomId, change(this.room(roomId)));
    this.listeners.forEach((listener) => listener());
  }
}
