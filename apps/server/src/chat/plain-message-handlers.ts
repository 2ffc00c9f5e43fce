import { Logger } from '@nestjs/common';
import type { MessageMappingProperties } from '@nestjs/websockets';
import type { Observable } from 'rxjs';

/** What is used of a socket (Nest's adapter brings its own copy of socket.io's types). */
interface HandlerSocket {
  onAny(listener: (event: string, ...args: unknown[]) => void): unknown;
  emit(event: string, ...args: unknown[]): unknown;
}

interface Payload {
  data?: unknown;
  ack?: unknown;
}

interface EventResponse {
  event?: string;
  data?: unknown;
}

const logger = new Logger('SocketHandlers');

/**
 * Binds a socket's `@SubscribeMessage` handlers with ONE `onAny` listener. Nest's own
 * `IoAdapter.bindMessageHandlers` builds, for every socket and every handler, a
 * `fromEvent → mergeMap → takeUntil(disconnect)` pipeline — about 4 KiB per handler per socket,
 * most of an idle connection's heap (bench/results/2026-11-26-idle-heap.md). This keeps Nest's
 * semantics: the payload is what `fromEvent` would emit (the single argument, or the argument
 * list), mapped by the adapter's `mapPayload`; a result with `event` is emitted, any other result
 * answers the ack unless the handler acks by itself. A socket gets no events after it
 * disconnected, so nothing replaces `takeUntil(disconnect)`.
 */
export function bindPlainMessageHandlers(
  socket: HandlerSocket,
  handlers: MessageMappingProperties[],
  transform: (data: unknown) => Observable<unknown>,
  mapPayload: (payload: unknown) => Payload,
): void {
  const byEvent = new Map(handlers.map((handler) => [String(handler.message), handler]));
  socket.onAny((event: string, ...args: unknown[]) => {
    const handler = byEvent.get(event);
    if (!handler) return;
    const { data, ack } = mapPayload(args.length > 1 ? args : args[0]);
    transform(handler.callback(data, ack)).subscribe({
      next: (result) => {
        if (result === null || result === undefined) return;
        const response = result as EventResponse;
        if (response.event) {
          socket.emit(response.event, response.data);
          return;
        }
        if (!handler.isAckHandledManually && typeof ack === 'function') {
          (ack as (response: unknown) => void)(result);
        }
      },
      // Handlers answer errors through their ack (AckInterceptor); anything reaching here is a bug.
      error: (error: unknown) => logger.error(`Handler for "${event}" failed`, error),
    });
  });
}
