import type { Ack, ClientToServerEvents, ServerToClientEvents } from '@parley/contracts';
import { io, type Socket } from 'socket.io-client';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const TIMEOUT_MS = 5000;

/** A typed client over websocket only; no reconnection, so a dropped socket stays dropped. */
export function openSocket(baseUrl: string, auth?: Record<string, unknown>): ClientSocket {
  return io(baseUrl, {
    path: '/socket.io',
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    ...(auth ? { auth } : {}),
  });
}

export async function connectSocket(baseUrl: string, token: string): Promise<ClientSocket> {
  const socket = openSocket(baseUrl, { token });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return socket;
}

/** Resolves with the refusal the server sent (`connect_error`), or rejects if it connected. */
export function expectConnectError(socket: ClientSocket): Promise<Error & { data?: unknown }> {
  return withTimeout(
    new Promise((resolve, reject) => {
      socket.once('connect', () =>
        reject(new Error('socket connected but should have been refused')),
      );
      socket.once('connect_error', (error: Error & { data?: unknown }) => resolve(error));
    }),
    'connect_error',
  );
}

type AckResult<E extends keyof ClientToServerEvents> = Parameters<
  Parameters<ClientToServerEvents[E]>[1]
>[0];

export function emitWithAck<E extends keyof ClientToServerEvents>(
  socket: ClientSocket,
  event: E,
  payload: Parameters<ClientToServerEvents[E]>[0],
): Promise<AckResult<E>> {
  return emitRawWithAck(socket, event, payload) as Promise<AckResult<E>>;
}

/** For invalid payloads the typed map would (rightly) refuse to compile. */
export function emitRawWithAck(
  socket: ClientSocket,
  event: string,
  ...args: unknown[]
): Promise<Ack<unknown>> {
  return untyped(socket)
    .timeout(TIMEOUT_MS)
    .emitWithAck(event, ...args) as Promise<Ack<unknown>>;
}

/** The next `event` on `socket`, or a rejection after a timeout. */
export function nextEvent<E extends keyof ServerToClientEvents>(
  socket: ClientSocket,
  event: E,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return withTimeout(
    new Promise((resolve) => {
      const name: string = event;
      untyped(socket).once(name, (payload: Parameters<ServerToClientEvents[E]>[0]) =>
        resolve(payload),
      );
    }),
    event,
  );
}

/** Records every `event` the socket receives, for "exactly once" assertions. */
export function recordEvents<E extends keyof ServerToClientEvents>(
  socket: ClientSocket,
  event: E,
): Parameters<ServerToClientEvents[E]>[0][] {
  const received: Parameters<ServerToClientEvents[E]>[0][] = [];
  const name: string = event;
  untyped(socket).on(name, (payload: Parameters<ServerToClientEvents[E]>[0]) => {
    received.push(payload);
  });
  return received;
}

export function waitForDisconnect(socket: ClientSocket): Promise<string> {
  return withTimeout(
    new Promise((resolve) => {
      socket.once('disconnect', (reason) => resolve(reason));
    }),
    'disconnect',
  );
}

export function closeSockets(...sockets: ClientSocket[]): void {
  for (const socket of sockets) socket.disconnect();
}

export function withTimeout<T>(promise: Promise<T>, what: string, ms = TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The same socket without the event maps, for sending what the contracts forbid. */
export function untyped(socket: ClientSocket): Socket {
  return socket;
}

/**
 * Sends with `attempt(n)` for n = 1, 2, … up to `max`, one after another, until an ack is refused:
 * which attempt that was (0 if none) and the refusal's code and `retryAfterMs` (0 if absent).
 */
export async function firstRefusal(
  max: number,
  attempt: (n: number) => Promise<Ack<unknown>>,
): Promise<{ attempt: number; code?: string; retryAfterMs: number }> {
  for (let n = 1; n <= max; n += 1) {
    const ack = await attempt(n);
    if (!ack.ok) {
      return {
        attempt: n,
        code: ack.error.code,
        retryAfterMs: ack.error.details?.retryAfterMs ?? 0,
      };
    }
  }
  return { attempt: 0, retryAfterMs: 0 };
}
