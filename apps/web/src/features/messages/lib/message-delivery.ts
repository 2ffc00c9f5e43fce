import type { QueryClient } from '@tanstack/react-query';
import {
  Outbox,
  RoomSync,
  type BackoffOptions,
  type ExclusiveRunner,
  type OutboxEntry,
  type OutboxStore,
} from '@parley/chat-client';
import type { ErrorCode, MessageDto, SendMessageDto, SyncDto } from '@parley/contracts';
import { emitWithAck, type ParleySocket } from '@/lib/socket';
import { randomId } from '@/lib/uuid';
import { messagesQueryKey, type MessagesData } from '../api/get-messages';
import { pinsQueryKey, updatePins } from '../api/get-pins';
import { IdbOutboxStore } from './idb-outbox-store';
import { applyChanges, historyChangeSeq, upsertMessages } from './message-cache';
import type { PendingMessage } from './timeline';
import { webLocksRunner } from './web-locks-runner';

/** The slice of `BroadcastChannel` used to tell the user's other tabs the outbox changed. */
export interface OutboxChannel {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

/** What the delivery needs of the chat connection (`ChatConnection` in the app). */
export interface DeliveryConnection {
  readonly socket: Pick<ParleySocket, 'connected' | 'timeout'>;
  /** `generation` counts successful (re)connections. */
  getSnapshot(): { generation: number };
  subscribe(listener: () => void): () => void;
  /** Joins the room on the current connection first (a send before the join is refused). */
  sendMessage(payload: SendMessageDto): Promise<MessageDto>;
}

export interface MessageDeliveryOptions {
  connection: DeliveryConnection;
  queryClient: QueryClient;
  store: OutboxStore;
  exclusive?: ExclusiveRunner;
  channel?: OutboxChannel;
  backoff?: BackoffOptions;
}

const CHANGED = 'outbox-changed';

/** What a message carries besides its text. */
export interface SendOptions {
  /** The id of the message it answers. */
  replyTo?: string;
  /** Ids of files already uploaded to the room. */
  attachments?: string[];
}
const NO_ENTRIES: PendingMessage[] = [];

function toPending(entry: OutboxEntry): PendingMessage {
  return {
    clientMessageId: entry.clientMessageId,
    room: entry.room,
    content: entry.content,
    createdAt: new Date(entry.createdAt).toISOString(),
    status: entry.state,
    error: entry.lastError?.message,
  };
}

function newestSeq(data: MessagesData | undefined): number {
  return (data?.pages[0]?.items ?? []).reduce(
    (newest, message) => Math.max(newest, message.seq),
    0,
  );
}

/**
 * Parley's delivery guarantees for one signed-in session, wired to this app: the `Outbox` (kept in
 * IndexedDB, shared by the user's tabs) sends, `RoomSync` receives, and both write into the React
 * Query cache, de-duplicated by id and ordered by seq. The UI reads the outbox's entries per room
 * as pending or failed bubbles.
 *
 * A room is followed from the newest page of its fetched history; live messages of a room that is
 * not followed yet are only merged into a cache that exists (the fetch brings the rest). After a
 * reconnection one `sync` fetches what every followed room missed; a refetch of the history is the
 * fallback when `sync` fails.
 */
export class MessageDelivery {
  readonly outbox: Outbox;
  readonly sync: RoomSync;
  private entries: OutboxEntry[] = [];
  private byRoom = new Map<string, PendingMessage[]>();
  private readonly listeners = new Set<() => void>();
  private readonly refusedListeners = new Set<(room: string, code: ErrorCode) => void>();
  private readonly messageListeners = new Set<(message: MessageDto) => void>();
  private reads = 0;
  private unsubscribeCache: (() => void) | undefined;
  private unsubscribeConnection: (() => void) | undefined;
  private started = false;
  /** Rooms joined before their history was in: one catch-up once it is. */
  private readonly catchUpWhenFollowed = new Set<string>();

  constructor(private readonly options: MessageDeliveryOptions) {
    this.outbox = new Outbox({
      store: options.store,
      send: (payload) => options.connection.sendMessage(payload),
      canSend: () => options.connection.socket.connected,
      exclusive: options.exclusive,
      backoff: options.backoff,
      onChange: () => {
        this.reload();
        options.channel?.postMessage(CHANGED);
      },
      onAcked: (message) => this.acked(message),
    });
    this.sync = new RoomSync({
      request: (payload) => this.requestSync(payload),
      deliver: (room, messages) => {
        this.write(room, messages);
        messages.forEach((message) => this.announce(message));
      },
      changed: (room, messages) => this.writeChanges(room, messages),
      refused: (room, code) => this.refusedListeners.forEach((listener) => listener(room, code)),
    });
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.options.channel?.addEventListener('message', this.onChannelMessage);
    this.unsubscribeCache = this.options.queryClient.getQueryCache().subscribe((event) => {
      if (event.type !== 'updated' || event.action.type !== 'success' || event.action.manual) {
        return;
      }
      const [scope, room, kind] = event.query.queryKey as readonly unknown[];
      if (scope !== 'rooms' || kind !== 'messages' || typeof room !== 'string') return;
      this.historyFetched(room, event.query.state.data as MessagesData | undefined);
    });
    const { connection } = this.options;
    let generation = connection.getSnapshot().generation;
    this.unsubscribeConnection = connection.subscribe(() => {
      const next = connection.getSnapshot().generation;
      if (next === generation) return;
      generation = next;
      this.connected();
    });
    this.reload();
    // Entries left by an earlier page go out now if the socket is up, else once it is.
    void this.outbox.flush();
  }

  stop(): void {
    if (!this.started) return;
    this.started = false;
    this.outbox.stop();
    this.unsubscribeCache?.();
    this.unsubscribeConnection?.();
    this.options.channel?.removeEventListener('message', this.onChannelMessage);
  }

  // ---- the UI ----

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The room's unacknowledged messages, oldest first; the same array until something changes. */
  pending = (room: string): PendingMessage[] => this.byRoom.get(room) ?? NO_ENTRIES;

  /** Keeps the message (in IndexedDB) and starts sending it; it shows as pending at once. */
  send(room: string, content: string, options: SendOptions = {}): void {
    const clientMessageId = randomId();
    const now = Date.now();
    const attachments = options.attachments?.length ? options.attachments : undefined;
    const replyTo = options.replyTo;
    // Shown before IndexedDB answers; the store's own list replaces this once the write is done.
    this.publish([
      ...this.entries,
      {
        clientMessageId,
        room,
        content,
        ...(attachments ? { attachments } : {}),
        ...(replyTo ? { replyTo } : {}),
        createdAt: now,
        state: 'pending',
        attempts: 0,
      },
    ]);
    this.outbox.add({ room, content, clientMessageId, attachments, replyTo }, now).catch(() => {
      // IndexedDB refused the write (quota, private mode): the message cannot be kept, so it
      // must not look as if it were.
      this.reload();
    });
  }

  retry(clientMessageId: string): void {
    void this.outbox.retry(clientMessageId);
  }

  discard(clientMessageId: string): void {
    void this.outbox.discard(clientMessageId);
  }

  // ---- the connection ----

  /**
   * A `join_room` succeeded. A public room becomes mine (and this socket hears it) only now, so
   * messages sent between the history fetch and the join reached neither: a followed room
   * catches up; one that is not followed yet refetches its history.
   */
  joined(room: string): void {
    if (this.sync.isFollowing(room)) {
      this.catchUp([room]);
      return;
    }
    // The history is still loading (it may have been read before the join): catch up as soon as
    // it is in. Not loading at all (never asked, or failed): fetch it, which follows the room.
    this.catchUpWhenFollowed.add(room);
    const key = messagesQueryKey(room);
    if (this.options.queryClient.getQueryState(key)?.fetchStatus !== 'fetching') {
      void this.options.queryClient.invalidateQueries({ queryKey: key });
    }
  }

  /** Reconnected (the socket is in all of my rooms again): one `sync` for everything followed. */
  resynced(): void {
    this.catchUp();
  }

  /** A live `new_message`, of any room of mine. */
  receive(message: MessageDto): void {
    this.announce(message);
    if (this.sync.isFollowing(message.room)) this.sync.receive(message);
    // Before the room is followed only a cache that exists takes it; the fetch brings the rest.
    else this.write(message.room, [message]);
  }

  /**
   * A changed message: a live `message_updated` / `message_deleted`, or the answer to this tab's
   * own edit, delete, reaction or pin. Replaces the cached copy unless that one is newer.
   */
  changed(message: MessageDto): void {
    // A followed room's RoomSync drops copies older than one it has seen, then writes the rest.
    if (this.sync.isFollowing(message.room)) this.sync.receiveChange(message);
    else this.writeChanges(message.room, [message]);
  }

  /** `sync` refused a room (deleted, kicked, banned): the app drops it like `room_removed`. */
  onRefused(listener: (room: string, code: ErrorCode) => void): () => void {
    this.refusedListeners.add(listener);
    return () => this.refusedListeners.delete(listener);
  }

  /**
   * Every message this tab learns of — live, acknowledged or caught up — for room lists and
   * unread counts, at once (a live one is not held back by a gap before it). A message may be
   * announced more than once.
   */
  onMessage(listener: (message: MessageDto) => void): () => void {
    this.messageListeners.add(listener);
    return () => this.messageListeners.delete(listener);
  }

  /** The room is gone (removed, left, refused): stop following it. */
  forget(room: string): void {
    this.sync.unfollow(room);
    this.catchUpWhenFollowed.delete(room);
  }

  // ---- internals ----

  /** Every (re)connection: the outbox starts over and sends what is pending. */
  private connected(): void {
    void this.outbox.reconnected();
  }

  private catchUp(rooms?: string[]): void {
    // Failures are handled in `requestSync` (history refetch); nothing is left to do here.
    this.sync.catchUp(rooms).catch(() => undefined);
  }

  private async requestSync(payload: SyncDto) {
    try {
      return await emitWithAck(this.options.connection.socket, 'sync', payload);
    } catch (error) {
      // No sync (an older server, an error, no answer): the history refetch is the fallback, and
      // its newest page moves the room's cursor forward.
      for (const room of Object.keys(payload.rooms)) {
        void this.options.queryClient.invalidateQueries({ queryKey: messagesQueryKey(room) });
      }
      throw error;
    }
  }

  private historyFetched(room: string, data: MessagesData | undefined): void {
    const newest = newestSeq(data);
    // Changes are followed from what the history shows (its pages' `changeSeq`).
    const changeSeq = historyChangeSeq(data);
    const cursor = this.sync.lastSeq(room);
    if (cursor !== undefined && cursor > newest) {
      // The fetch read the server before messages this tab already had, and replaced them in the
      // cache: follow from what the cache holds now and fetch the rest again.
      this.sync.unfollow(room);
      this.sync.follow(room, newest, changeSeq);
      this.catchUpWhenFollowed.delete(room);
      if (this.options.connection.socket.connected) this.catchUp([room]);
      return;
    }
    this.sync.follow(room, newest, changeSeq);
    if (this.catchUpWhenFollowed.delete(room) && this.options.connection.socket.connected) {
      this.catchUp([room]);
    }
  }

  private announce(message: MessageDto): void {
    this.messageListeners.forEach((listener) => listener(message));
  }

  private acked(message: MessageDto): void {
    this.announce(message);
    // Into the cache at once, so the pending bubble turns into the stored message without a
    // flicker; through RoomSync too, which moves the cursor or fetches a gap before it.
    this.write(message.room, [message]);
    if (this.sync.isFollowing(message.room)) this.sync.receive(message);
  }

  private write(room: string, messages: MessageDto[]): void {
    this.options.queryClient.setQueryData<MessagesData>(messagesQueryKey(room), (data) =>
      upsertMessages(data, messages),
    );
  }

  private writeChanges(room: string, messages: MessageDto[]): void {
    const { queryClient } = this.options;
    queryClient.setQueryData<MessagesData>(messagesQueryKey(room), (data) =>
      applyChanges(data, messages),
    );
    queryClient.setQueryData<MessageDto[]>(pinsQueryKey(room), (pins) =>
      messages.reduce(updatePins, pins),
    );
  }

  private readonly onChannelMessage = (event: MessageEvent): void => {
    if (event.data === CHANGED) this.reload();
  };

  /** Re-reads the outbox; an answer older than the newest read is dropped. */
  private reload(): void {
    this.reads += 1;
    const read = this.reads;
    this.outbox.list().then(
      (entries) => {
        if (read === this.reads) this.publish(entries);
      },
      () => undefined,
    );
  }

  private publish(entries: OutboxEntry[]): void {
    this.entries = entries;
    const rooms = new Map<string, OutboxEntry[]>();
    for (const entry of [...entries].sort((a, b) => a.createdAt - b.createdAt)) {
      rooms.set(entry.room, [...(rooms.get(entry.room) ?? []), entry]);
    }
    const previous = this.byRoom;
    this.byRoom = new Map(
      [...rooms].map(([room, roomEntries]) => {
        const next = roomEntries.map(toPending);
        const old = previous.get(room);
        const same =
          old?.length === next.length &&
          old.every(
            (item, index) =>
              item.clientMessageId === next[index].clientMessageId &&
              item.status === next[index].status &&
              item.error === next[index].error,
          );
        return [room, same && old ? old : next];
      }),
    );
    this.listeners.forEach((listener) => listener());
  }
}

/**
 * The browser's delivery for a user: the outbox in that user's IndexedDB database, rooms locked
 * across tabs with Web Locks, and the user's other tabs told about changes on a BroadcastChannel.
 */
export function createBrowserMessageDelivery(
  userId: string,
  options: Omit<MessageDeliveryOptions, 'store' | 'exclusive' | 'channel'>,
): MessageDelivery {
  return new MessageDelivery({
    ...options,
    store: new IdbOutboxStore(userId),
    exclusive: webLocksRunner(),
    channel:
      typeof BroadcastChannel === 'function'
        ? new BroadcastChannel(`parley-outbox:${userId}`)
        : undefined,
  });
}
