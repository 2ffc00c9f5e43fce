import { IoAdapter } from '@nestjs/platform-socket.io';
import type { MessageMappingProperties } from '@nestjs/websockets';
import { from, type Observable, of } from 'rxjs';
import { bindPlainMessageHandlers } from './plain-message-handlers';

/** The part of a socket the binding uses: one catch-all listener, and emit. */
class FakeSocket {
  listeners: ((event: string, ...args: unknown[]) => void)[] = [];
  emitted: unknown[][] = [];

  onAny(listener: (event: string, ...args: unknown[]) => void): this {
    this.listeners.push(listener);
    return this;
  }

  emit(event: string, ...args: unknown[]): boolean {
    this.emitted.push([event, ...args]);
    return true;
  }

  receive(event: string, ...args: unknown[]): void {
    for (const listener of this.listeners) listener(event, ...args);
  }
}

function handler(
  message: string,
  callback: (data: unknown, ack: unknown) => unknown,
  isAckHandledManually = false,
): MessageMappingProperties {
  // Nest's gateway wraps handlers into callbacks returning a promise or observable.
  const wrapped = (data: unknown, ack: unknown) => Promise.resolve(callback(data, ack));
  return { message, methodName: message, callback: wrapped, isAckHandledManually };
}

const transform = (value: unknown): Observable<unknown> =>
  value instanceof Promise ? from(value as Promise<unknown>) : of(value);
const adapter = new IoAdapter();
/** Lets the handlers' promises settle (they resolve in microtasks; this runs after them). */
const settled = () => new Promise<void>((resolve) => setImmediate(resolve));
const mapPayload = (payload: unknown) =>
  adapter.mapPayload(payload) as { data?: unknown; ack?: unknown };

describe('bindPlainMessageHandlers', () => {
  it('adds one listener for all handlers, and answers each event’s ack with its handler’s result', async () => {
    const socket = new FakeSocket();
    const seen: unknown[] = [];
    bindPlainMessageHandlers(
      socket,
      [
        handler('join_room', (data) => {
          seen.push(['join', data]);
          return { ok: true, data: 'joined' };
        }),
        handler('typing', (data) => {
          seen.push(['typing', data]);
          return { ok: true, data: 'typed' };
        }),
      ],
      transform,
      mapPayload,
    );
    expect(socket.listeners).toHaveLength(1);
    const acks: unknown[] = [];
    socket.receive('join_room', { room: 'a' }, (answer: unknown) => acks.push(answer));
    socket.receive('typing', { room: 'a', isTyping: true }, (answer: unknown) => acks.push(answer));
    await settled();
    expect(seen).toEqual([
      ['join', { room: 'a' }],
      ['typing', { room: 'a', isTyping: true }],
    ]);
    expect(acks).toEqual([
      { ok: true, data: 'joined' },
      { ok: true, data: 'typed' },
    ]);
  });

  it('hands the payload over as Nest would: one argument as is, several as a list, none as undefined', async () => {
    const socket = new FakeSocket();
    const seen: unknown[] = [];
    bindPlainMessageHandlers(
      socket,
      [handler('sync', (data) => void seen.push(data))],
      transform,
      mapPayload,
    );
    socket.receive('sync', { rooms: {} });
    socket.receive('sync', 1, 2);
    socket.receive('sync');
    await settled();
    expect(seen).toEqual([{ rooms: {} }, [1, 2], undefined]);
  });

  it('ignores unknown events, emits `{event, data}` results, and leaves manual acks alone', async () => {
    const socket = new FakeSocket();
    const ack = jest.fn();
    bindPlainMessageHandlers(
      socket,
      [
        handler('ping', () => ({ event: 'pong', data: 1 })),
        handler('manual', () => 'answered elsewhere', true),
      ],
      transform,
      mapPayload,
    );
    socket.receive('no_such_event', {}, ack);
    socket.receive('ping', {}, ack);
    socket.receive('manual', {}, ack);
    await settled();
    expect(socket.emitted).toEqual([['pong', 1]]);
    expect(ack).not.toHaveBeenCalled();
  });
});
