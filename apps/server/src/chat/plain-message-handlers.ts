import type { MessageMappingProperties } from '@nestjs/websockets';
import { isObservable, lastValueFrom } from 'rxjs';
import type { AckResponder } from './ack-responder';

/** What is used of a socket (Nest's adapter brings its own copy of socket.io's types). */
interface HandlerSocket {
  onAny(listener: (event: string, ...args: unknown[]) => void): unknown;
}

interface Payload {
  data?: unknown;
  ack?: unknown;
}

/**
 * Binds a socket's `@SubscribeMessage` handlers with ONE `onAny` listener, and answers each
 * event's ack through `acks` (the `Ack` envelope, errors included — the gateway's
 * `RethrowToAckFilter` lets them through to here).
 *
 * Nest's own `IoAdapter.bindMessageHandlers` builds, for every socket and every handler, a
 * `fromEvent → mergeMap → takeUntil(disconnect)` pipeline — about 4 KiB per handler per socket,
 * most of an idle connection's heap (bench/results/2026-11-26-idle-heap.md) — and runs every
 * result through RxJS. This keeps Nest's semantics where they matter: the payload is what
 * `fromEvent` would emit (the single argument, or the argument list), mapped by the adapter's
 * `mapPayload`; a handler that acks by itself (`isAckHandledManually`) is left to do so. A socket
 * gets no events after it disconnected, so nothing replaces `takeUntil(disconnect)`.
 */
export function bindPlainMessageHandlers(
  socket: HandlerSocket,
  handlers: MessageMappingProperties[],
  mapPayload: (payload: unknown) => Payload,
  acks: Pick<AckResponder, 'begin' | 'success' | 'failure'>,
): void {
  const byEvent = new Map(handlers.map((handler) => [String(handler.message), handler]));
  socket.onAny((event: string, ...args: unknown[]) => {
    const handler = byEvent.get(event);
    if (!handler) return;
    const { data, ack } = mapPayload(args.length > 1 ? args : args[0]);
    const reply =
      !handler.isAckHandledManually && typeof ack === 'function'
        ? (ack as (response: unknown) => void)
        : () => undefined;
    let done: () => void;
    try {
      done = acks.begin();
    } catch (refusal) {
      reply(acks.failure(event, refusal));
      return;
    }
    new Promise<unknown>((resolve) => resolve(handler.callback(data, ack)))
      .then((result) => (isObservable(result) ? lastValueFrom(result) : result))
      .then(
        (result) => reply(acks.success(result)),
        (thrown: unknown) => reply(acks.failure(event, thrown)),
      )
      .finally(done);
  });
}
