import type {
  Ack,
  ApiErrorDetails,
  ClientToServerEvents,
  MessageDto,
  ServerToClientEvents,
} from '@parley/contracts';
import { io, type Socket } from 'socket.io-client';

export type ChatSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

type ClientEvent = keyof ClientToServerEvents;
type PayloadOf<E extends ClientEvent> = Parameters<ClientToServerEvents[E]>[0];
type AckOf<E extends ClientEvent> = Parameters<Parameters<ClientToServerEvents[E]>[1]>[0];
export type AckData<E extends ClientEvent> = Extract<AckOf<E>, { ok: true }>['data'];

/**
 * A refused or unanswered request, shaped like the contract's `ApiError` so that the chat-client
 * algorithms (which branch on `code`) treat it as the server's answer. `timeout` and
 * `disconnected` are local: the request may or may not have reached the server.
 */
export class RequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: ApiErrorDetails,
  ) {
    super(message);
    this.name = 'RequestError';
  }
}

export interface ChatSocketOptions {
  /** Reconnect by itself after a drop (the chaos clients do; the idempotency test does not). */
  reconnection: boolean;
  reconnectionDelayMs?: number;
  reconnectionDelayMaxMs?: number;
}

/** A typed socket over websocket only, not yet connected (call `connect()`). */
export function openChatSocket(
  baseUrl: string,
  token: string,
  options: ChatSocketOptions,
): ChatSocket {
  return io(baseUrl, {
    path: '/socket.io',
    transports: ['websocket'],
    autoConnect: false,
    forceNew: true,
    reconnection: options.reconnection,
    reconnectionDelay: options.reconnectionDelayMs ?? 250,
    reconnectionDelayMax: options.reconnectionDelayMaxMs ?? 2_000,
    auth: { token },
  });
}

/**
 * Emits `event` and resolves with the ack's data; rejects with a `RequestError` carrying the
 * server's code, `timeout`, or `disconnected`. Never queues: socket.io would otherwise buffer an
 * emit made while disconnected and send it on the next connection, long after the caller gave up.
 */
export async function request<E extends ClientEvent>(
  socket: ChatSocket,
  event: E,
  payload: PayloadOf<E>,
  timeoutMs: number,
): Promise<AckData<E>> {
  if (!socket.connected) throw new RequestError('disconnected', `${event}: not connected`);
  // The typed emit cannot express "event name chosen by a type parameter"; the maps still type
  // both ends of this function.
  const untyped: Socket = socket;
  let answer: Ack<AckData<E>>;
  try {
    answer = (await untyped.timeout(timeoutMs).emitWithAck(event, payload)) as Ack<AckData<E>>;
  } catch (error) {
    const disconnected = error instanceof Error && /disconnected/.test(error.message);
    throw new RequestError(
      disconnected ? 'disconnected' : 'timeout',
      `${event}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (!answer.ok) {
    throw new RequestError(answer.error.code, answer.error.message, answer.error.details);
  }
  return answer.data;
}

/** Opens a socket without reconnection and resolves once it is connected. */
export async function connectChatSocket(
  baseUrl: string,
  token: string,
  timeoutMs = 10_000,
): Promise<ChatSocket> {
  const socket = openChatSocket(baseUrl, token, { reconnection: false });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no connection after ${timeoutMs} ms`)),
        timeoutMs,
      );
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.once('connect_error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      socket.connect();
    });
  } catch (error) {
    socket.disconnect();
    throw error;
  }
  return socket;
}

/** Resolves with the first `new_message` that matches, or rejects after `timeoutMs`. */
export function nextMessage(
  socket: ChatSocket,
  matches: (message: MessageDto) => boolean,
  timeoutMs = 10_000,
): Promise<MessageDto> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: MessageDto) => {
      if (!matches(message)) return;
      clearTimeout(timer);
      socket.off('new_message', onMessage);
      resolve(message);
    };
    const timer = setTimeout(() => {
      socket.off('new_message', onMessage);
      reject(new Error(`no matching new_message within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('new_message', onMessage);
  });
}
