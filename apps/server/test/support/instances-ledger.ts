import { randomUUID } from 'node:crypto';
import type { Ack, AuthSessionDto, MessageDto, SyncResultDto } from '@parley/contracts';
import { io } from 'socket.io-client';
import { type ClientSocket, untyped } from './sockets';

const ACK_TIMEOUT_MS = 3000;
const POLL_INTERVAL_MS = 20;

/** Polls `condition` until it holds; rejects with `what` after the deadline. Support code only. */
export async function until(
  condition: () => boolean | Promise<boolean>,
  what: string,
  ms = 20_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}

interface Pending {
  room: string;
  content: string;
}

/**
 * A chat client that behaves like the web app's outbox, and keeps a ledger for the assertions:
 *
 * - every message it composes keeps its `clientMessageId` until acknowledged, and is sent again
 *   with the same id after a reconnection (the server stores it once);
 * - it reconnects on its own (through the balancer, to whichever instance is up), joins its rooms
 *   again, calls `sync` with the last seq it holds per room, and only then resends;
 * - its view of each room is `seq → message` from acks, `new_message` and `sync`; a seq seen with
 *   two different messages is recorded as a conflict, never overwritten.
 */
export class LedgerClient {
  readonly socket: ClientSocket;
  /** Every message composed, by clientMessageId: what must end up stored exactly once. */
  readonly composed = new Map<string, Pending>();
  /** The server's acknowledgement of each composed message that got one. */
  readonly acked = new Map<string, MessageDto>();
  readonly conflicts: string[] = [];
  readonly failures: string[] = [];
  /** `connect` events: 1 + the reconnections. */
  connects = 0;
  /** Messages sent again after a reconnection. */
  resent = 0;
  private readonly views = new Map<string, Map<number, MessageDto>>();
  private readonly outbox = new Map<string, Pending>();
  private ready = false;
  private sending: Promise<void> = Promise.resolve();

  constructor(
    readonly name: string,
    readonly session: AuthSessionDto,
    url: string,
    private readonly rooms: string[],
  ) {
    for (const room of rooms) this.views.set(room, new Map());
    this.socket = io(url, {
      path: '/socket.io',
      transports: ['websocket'],
      forceNew: true,
      auth: { token: session.accessToken },
      reconnectionDelay: 50,
      reconnectionDelayMax: 500,
      timeout: 5000,
    });
    this.socket.on('new_message', (message) => this.record(message));
    this.socket.on('disconnect', () => {
      this.ready = false;
    });
    this.socket.on('connect', () => {
      this.connects += 1;
      void this.enqueue(() => this.recover());
    });
  }

  /** Connected, in its rooms, caught up, and nothing left to send. */
  get settled(): boolean {
    return this.ready && this.outbox.size === 0;
  }

  get unsent(): number {
    return this.outbox.size;
  }

  /** Resolves once connected and joined to its rooms. */
  async started(): Promise<void> {
    await until(() => this.ready || this.failures.length > 0, `${this.name} to join its rooms`);
    if (this.failures.length > 0) throw new Error(this.failures.join('\n'));
  }

  /** The room as this client holds it, by seq. */
  view(room: string): MessageDto[] {
    return [...(this.views.get(room)?.values() ?? [])].sort((a, b) => a.seq - b.seq);
  }

  /** Queues a message and sends whatever the outbox holds, if connected. */
  send(room: string, content: string): Promise<void> {
    const clientMessageId = randomUUID();
    this.composed.set(clientMessageId, { room, content });
    this.outbox.set(clientMessageId, { room, content });
    return this.enqueue(() => this.flush());
  }

  /** One more `sync`, as a client does after a gap: picks up broadcasts that never arrived. */
  catchUp(): Promise<void> {
    return this.enqueue(() => this.sync());
  }

  close(): void {
    this.socket.disconnect();
  }

  /** Highest seq up to which this client holds every message of `room`. */
  private lastSeq(room: string): number {
    const view = this.views.get(room);
    let seq = 0;
    while (view?.has(seq + 1)) seq += 1;
    return seq;
  }

  private record(message: MessageDto): void {
    const view = this.views.get(message.room);
    if (!view) {
      this.conflicts.push(`${this.name}: message for unknown room ${message.room}`);
      return;
    }
    const held = view.get(message.seq);
    if (held && held.id !== message.id) {
      this.conflicts.push(
        `${this.name}: seq ${message.seq} of ${message.room} is ${held.id} and ${message.id}`,
      );
      return;
    }
    view.set(message.seq, message);
  }

  /** Socket work runs one step at a time, like a client's single outbox worker. */
  private enqueue(step: () => Promise<void>): Promise<void> {
    this.sending = this.sending.then(step).catch((error: unknown) => {
      this.failures.push(`${this.name}: ${error instanceof Error ? error.message : String(error)}`);
    });
    return this.sending;
  }

  private async recover(): Promise<void> {
    if (!this.socket.connected) return;
    for (const room of this.rooms) {
      const joined = await this.emit('join_room', { room });
      if (!joined) return;
      if (!joined.ok) throw new Error(`join_room ${room}: ${joined.error.code}`);
    }
    if (this.connects > 1) {
      await this.sync();
      this.resent += this.outbox.size;
    }
    this.ready = this.socket.connected;
    await this.flush();
  }

  private async sync(): Promise<void> {
    let more = true;
    while (more && this.socket.connected) {
      const rooms = Object.fromEntries(this.rooms.map((room) => [room, this.lastSeq(room)]));
      const answer = (await this.emit('sync', { rooms })) as Ack<SyncResultDto> | undefined;
      if (!answer) return;
      if (!answer.ok) throw new Error(`sync refused: ${answer.error.code} ${answer.error.message}`);
      if (answer.data.refused.length > 0) {
        throw new Error(`sync refused rooms: ${JSON.stringify(answer.data.refused)}`);
      }
      for (const room of answer.data.rooms)
        for (const message of room.messages) this.record(message);
      more = answer.data.rooms.some((room) => room.hasMore);
    }
  }

  /** Sends the outbox in order; stops at the first send that fails (it stays for a resend). */
  private async flush(): Promise<void> {
    for (const [clientMessageId, pending] of [...this.outbox]) {
      if (!this.ready) return;
      const answer = (await this.emit('send_message', { ...pending, clientMessageId })) as
        Ack<MessageDto> | undefined;
      if (!answer) return;
      if (!answer.ok) {
        // A send racing a disconnection is refused or lost; the reconnection resends it.
        if (answer.error.code === 'not_in_room' || answer.error.code === 'unavailable') return;
        throw new Error(`send refused: ${answer.error.code} ${answer.error.message}`);
      }
      this.outbox.delete(clientMessageId);
      this.acked.set(clientMessageId, answer.data);
      this.record(answer.data);
    }
  }

  /**
   * An acknowledged emit; `undefined` when the connection went away before the answer. No answer
   * on a live connection is a failure (an unknown event, a hung handler), never a silent retry.
   */
  private async emit(event: string, payload: object): Promise<Ack<unknown> | undefined> {
    if (!this.socket.connected) return undefined;
    try {
      return (await untyped(this.socket)
        .timeout(ACK_TIMEOUT_MS)
        .emitWithAck(event, payload)) as Ack<unknown>;
    } catch (error) {
      if (!this.socket.connected) return undefined;
      throw new Error(
        `${event}: no answer (${error instanceof Error ? error.message : String(error)})`,
      );
    }
  }
}
