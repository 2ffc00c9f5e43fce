/*
 * An experiment for heap-profile.ts (`--patch plain-socket-listeners`), preloaded into Parley's
 * server with `node -r`; the benchmark never loads it. It shows what the proposed fix to Nest's
 * socket binding would save without editing the server: Nest's IoAdapter gives every socket, for
 * every @SubscribeMessage handler, its own RxJS pipeline (fromEvent → mergeMap → filter/map →
 * takeUntil(disconnect) → subscribe), several kilobytes per handler per socket. Here a socket gets
 * one `onAny` listener that looks the handler up and subscribes to its result per message, with
 * Nest's own payload mapping and ack rules.
 */
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { MessageMappingProperties } from '@nestjs/websockets';
import type { Observable } from 'rxjs';
import type { Socket } from 'socket.io';

interface Response {
  event?: string;
  data?: unknown;
}

function bindMessageHandlers(
  this: IoAdapter,
  socket: Socket,
  handlers: MessageMappingProperties[],
  transform: (data: unknown) => Observable<unknown>,
): void {
  const byEvent = new Map(handlers.map((handler) => [String(handler.message), handler]));
  socket.onAny((event: string, ...args: unknown[]) => {
    const handler = byEvent.get(event);
    if (!handler) return;
    const payload: { data: unknown; ack?: unknown } = this.mapPayload(args);
    const { data, ack } = payload;
    transform(handler.callback(data, ack)).subscribe((result) => {
      if (result === null || result === undefined) return;
      const response = result as Response;
      if (response.event) {
        socket.emit(response.event, response.data);
        return;
      }
      if (!handler.isAckHandledManually && typeof ack === 'function')
        (ack as (response: unknown) => void)(result);
    });
  });
}

Object.defineProperty(IoAdapter.prototype, 'bindMessageHandlers', {
  value: bindMessageHandlers,
  writable: true,
  configurable: true,
});
