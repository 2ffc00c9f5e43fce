import { io, type Socket } from 'socket.io-client';
import type {
  Ack,
  AckCallback,
  ClientEventName,
  ClientToServerEvents,
  ServerToClientEvents,
} from '@parley/contracts';
import { ApiRequestError, parseApiError } from './api-error';

export type ParleySocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export type ClientEventPayload<E extends ClientEventName> = Parameters<ClientToServerEvents[E]>[0];
export type ClientEventResult<E extends ClientEventName> =
  Parameters<ClientToServerEvents[E]>[1] extends AckCallback<infer T> ? T : never;

export const DEFAULT_ACK_TIMEOUT_MS = 10_000;

/**
 * Same-origin socket (Vite proxies `/socket.io` in development); connected explicitly by the caller.
 * WebSocket first, HTTP long-polling only if WebSocket cannot connect: behind a load balancer with
 * several instances only the polling fallback needs sticky sessions (docs/deployment.md).
 */
export function createSocket(token: string): ParleySocket {
  return io({
    path: '/socket.io',
    auth: { token },
    autoConnect: false,
    transports: ['websocket', 'polling'],
    tryAllTransports: true,
  });
}

function readAck(response: unknown): Ack<unknown> | undefined {
  if (typeof response !== 'object' || response === null) return undefined;
  const { ok } = response as { ok?: unknown };
  if (ok === true && 'data' in response) return response as Ack<unknown>;
  if (ok === false) {
    const error = parseApiError((response as { error?: unknown }).error);
    return error ? { ok: false, error } : undefined;
  }
  return undefined;
}

/**
 * The narrow view of `socket.timeout(ms)` this helper needs. Socket.IO's own generic
 * `emit` typing cannot follow a generic event name through `DecorateAcknowledgements`, so the
 * helper's signature carries the types instead.
 */
interface TimedEmitter {
  emit(
    event: string,
    payload: unknown,
    ack: (error: Error | null, response: unknown) => void,
  ): unknown;
}

/**
 * Emits a client event and resolves with the `data` of its `Ack`. Rejects with an
 * `ApiRequestError` for an error ack, a malformed ack or no ack within `timeoutMs`.
 */
export function emitWithAck<E extends ClientEventName>(
  socket: Pick<ParleySocket, 'timeout'>,
  event: E,
  payload: ClientEventPayload<E>,
  timeoutMs: number = DEFAULT_ACK_TIMEOUT_MS,
): Promise<ClientEventResult<E>> {
  return new Promise((resolve, reject) => {
    const emitter = socket.timeout(timeoutMs) as unknown as TimedEmitter;
    emitter.emit(event, payload, (error, response) => {
      if (error) {
        reject(
          new ApiRequestError({
            code: 'internal_error',
            message: 'The server did not answer in time.',
          }),
        );
        return;
      }
      const ack = readAck(response);
      if (!ack) {
        reject(
          new ApiRequestError({ code: 'internal_error', message: 'Malformed acknowledgement.' }),
        );
      } else if (ack.ok) {
        resolve(ack.data as ClientEventResult<E>);
      } else {
        reject(new ApiRequestError(ack.error));
      }
    });
  });
}
