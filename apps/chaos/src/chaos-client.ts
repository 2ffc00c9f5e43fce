import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import {
  MemoryOutboxStore,
  Outbox,
  RoomSync,
  type BackoffOptions,
  type OutboxEntry,
} from '@parley/chat-client';
import type { AuthSessionDto, MessageDto, SendMessageDto } from '@parley/contracts';
import { openChatSocket, request, RequestError, type ChatSocket } from './chat-socket';
import type { ClientRecord } from './ledger';

export interface ChaosClientOptions {
  name: string;
  baseUrl: string;
  session: AuthSessionDto;
  rooms: readonly string[];
  ackTimeoutMs: number;
  backoff: BackoffOptions;
  /** The Outbox's backoff jitter. */
  random: () => number;
}

/** One pause between tries of the (re)connect routine while the socket stays connected. */
const ROUTINE_RETRY_MS = 250;

/**
 * One simulated browser tab: a socket that reconnects by itself, the `RoomSync` and `Outbox` the web
 * app runs, and a record of everything it enqueued, got acknowledged and was shown.
 */
export class ChaosClient implements ClientRecord {
  readonly name: string;
  readonly userId: string;
  readonly rooms: readonly string[];
  readonly enqueued: { room: string; clientMessageId: string }[] = [];
  readonly acked: MessageDto[] = [];
  readonly delivered = new Map<string, MessageDto[]>();
  /** Connections after the first one. */
  reconnects = 0;
  /** Drops this client caused itself. */
  drops = 0;
  /** `send_message` attempts, including every retry. */
  sendAttempts = 0;
  /** Connect → rooms joined and caught up, per reconnection (ms). */
  readonly catchUpMs: number[] = [];
  /** Failed requests by event and code, e.g. `send_message rate_limited`. */
  readonly failures = new Map<string, number>();

  private readonly socket: ChatSocket;
  private readonly roomSync: RoomSync;
  private readonly outbox: Outbox;
  /** Counts connections; a routine that sees a newer one stops. */
  private connection = 0;
  /** Rooms joined and caught up on the current connection. */
  private ready = false;
  private sendsInFlight = 0;
  private sending = true;
  private closed = false;

  constructor(private readonly options: ChaosClientOptions) {
    this.name = options.name;
    this.userId = options.session.user.id;
    this.rooms = options.rooms;
    this.socket = openChatSocket(options.baseUrl, options.session.accessToken, {
      reconnection: true,
    });
    this.roomSync = new RoomSync({
      request: (payload) =>
        this.call('sync', () => request(this.socket, 'sync', payload, options.ackTimeoutMs)),
      deliver: (room, messages) => {
        const list = this.delivered.get(room) ?? [];
        list.push(...messages);
        this.delivered.set(room, list);
      },
    });
    // Every room is new when the run starts: nothing is shown yet.
    for (const room of options.rooms) this.roomSync.follow(room, 0);
    this.outbox = new Outbox({
      store: new MemoryOutboxStore(),
      send: (payload) => this.send(payload),
      canSend: () => this.sending && this.socket.connected && this.ready,
      onAcked: (message) => {
        this.acked.push(message);
        // The server does not echo a send to its own socket: the ack is this client's copy.
        this.roomSync.receive(message);
      },
      backoff: options.backoff,
      random: options.random,
    });
    this.socket.on('new_message', (message) => this.roomSync.receive(message));
    this.socket.on('connect', () => void this.connected());
    this.socket.on('disconnect', () => {
      this.ready = false;
    });
  }

  /** Connects; resolves once the rooms are joined and caught up (or rejects after `timeoutMs`). */
  async start(timeoutMs: number): Promise<void> {
    this.socket.connect();
    await this.waitUntil(() => this.ready, timeoutMs, 'the first connection');
  }

  /** Puts a message in the outbox (it is sent now or after the next reconnection). */
  async enqueue(room: string, content: string): Promise<void> {
    const clientMessageId = randomUUID();
    this.enqueued.push({ room, clientMessageId });
    await this.outbox.add({ room, content, clientMessageId });
  }

  /** Cuts the transport under the socket (as a network drop would); it reconnects by itself. */
  drop(): boolean {
    if (!this.socket.connected) return false;
    this.drops += 1;
    this.socket.io.engine.close();
    return true;
  }

  /** Connected, rooms joined and caught up. */
  get isReady(): boolean {
    return this.ready && this.socket.connected;
  }

  /** Entries still waiting to be sent plus sends awaiting their ack. */
  async pending(): Promise<number> {
    const entries = await this.outbox.list();
    return entries.filter((entry) => entry.state === 'pending').length + this.sendsInFlight;
  }

  /** Entries the outbox gave up on (a permanent error): they wait for a user who never comes. */
  async failed(): Promise<OutboxEntry[]> {
    return (await this.outbox.list()).filter((entry) => entry.state === 'failed');
  }

  /**
   * Sends nothing more (entries stay in the outbox) and resolves once no send awaits its ack, so
   * that the history read next is not overtaken by late writes.
   */
  async stopSending(timeoutMs: number): Promise<void> {
    this.sending = false;
    this.outbox.stop();
    await this.waitUntil(() => this.sendsInFlight === 0, timeoutMs, 'the sends in flight');
  }

  /** One last `sync` of every room, retried until it is answered or the deadline passes. */
  async finalCatchUp(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        await this.roomSync.catchUp();
        return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await delay(ROUTINE_RETRY_MS);
      }
    }
  }

  close(): void {
    this.closed = true;
    this.outbox.stop();
    this.socket.disconnect();
  }

  /** Polls `condition` (support code, not a test: a deadline bounds it). */
  async waitUntil(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`${this.name}: timed out waiting for ${what}`);
      await delay(50);
    }
  }

  /**
   * The (re)connect routine of the web app: join every room (awaiting the acks), catch up with
   * `sync`, then let the outbox send what waited. Retried while this connection lasts.
   */
  private async connected(): Promise<void> {
    const connection = ++this.connection;
    if (connection > 1) this.reconnects += 1;
    const startedAt = performance.now();
    const current = () => !this.closed && connection === this.connection && this.socket.connected;
    while (current()) {
      try {
        await Promise.all(
          this.rooms.map((room) =>
            this.call('join_room', () =>
              request(this.socket, 'join_room', { room }, this.options.ackTimeoutMs),
            ),
          ),
        );
        await this.roomSync.catchUp();
        if (!current()) return;
        if (connection > 1) this.catchUpMs.push(performance.now() - startedAt);
        this.ready = true;
        await this.outbox.reconnected();
        return;
      } catch {
        // Counted in `failures`; the next try (or the next connection) starts over.
        await delay(ROUTINE_RETRY_MS);
      }
    }
  }

  private async send(payload: SendMessageDto): Promise<MessageDto> {
    this.sendAttempts += 1;
    this.sendsInFlight += 1;
    try {
      return await this.call('send_message', () =>
        request(this.socket, 'send_message', payload, this.options.ackTimeoutMs),
      );
    } finally {
      this.sendsInFlight -= 1;
    }
  }

  private async call<T>(event: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      const code = error instanceof RequestError ? error.code : 'error';
      const key = `${event} ${code}`;
      this.failures.set(key, (this.failures.get(key) ?? 0) + 1);
      throw error;
    }
  }
}
