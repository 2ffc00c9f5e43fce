import { Logger } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { MessageMappingProperties } from '@nestjs/websockets';
import { of } from 'rxjs';
import { AppException } from '../common/errors/app-exception';
import { AckResponder } from './ack-responder';
import { ChatDrain } from './chat-drain';
import { bindPlainMessageHandlers } from './plain-message-handlers';

/** The part of a socket the binding uses: one catch-all listener. */
class FakeSocket {
  listeners: ((event: string, ...args: unknown[]) => void)[] = [];

  onAny(listener: (event: string, ...args: unknown[]) => void): this {
    this.listeners.push(listener);
    return this;
  }

  receive(event: string, ...args: unknown[]): void {
    for (const listener of this.listeners) listener(event, ...args);
  }

  /** Sends an event with an ack and resolves with the answer. */
  ask(event: string, payload?: unknown): Promise<unknown> {
    return new Promise((resolve) => this.receive(event, payload, resolve));
  }
}

function handler(
  message: string,
  callback: (data: unknown, ack: unknown) => unknown,
  isAckHandledManually = false,
): MessageMappingProperties {
  // Nest's gateway wraps handlers into async callbacks (its WsProxy).
  const wrapped = (data: unknown, ack: unknown) =>
    Promise.resolve().then(() => callback(data, ack));
  return { message, methodName: message, callback: wrapped, isAckHandledManually };
}

const adapter = new IoAdapter();
const mapPayload = (payload: unknown) =>
  adapter.mapPayload(payload) as { data?: unknown; ack?: unknown };

function bind(handlers: MessageMappingProperties[], drain = new ChatDrain()): FakeSocket {
  const socket = new FakeSocket();
  bindPlainMessageHandlers(socket, handlers, mapPayload, new AckResponder(drain));
  return socket;
}

describe('bindPlainMessageHandlers', () => {
  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });

  afterEach(() => jest.restoreAllMocks());

  it('adds one listener for all handlers, and answers each event’s ack with its result in the envelope', async () => {
    const seen: unknown[] = [];
    const socket = bind([
      handler('join_room', (data) => {
        seen.push(['join', data]);
        return 'joined';
      }),
      handler('typing', (data) => {
        seen.push(['typing', data]);
        return of('typed');
      }),
    ]);
    expect(socket.listeners).toHaveLength(1);

    await expect(socket.ask('join_room', { room: 'a' })).resolves.toEqual({
      ok: true,
      data: 'joined',
    });
    await expect(socket.ask('typing', { room: 'a', isTyping: true })).resolves.toEqual({
      ok: true,
      data: 'typed',
    });
    expect(seen).toEqual([
      ['join', { room: 'a' }],
      ['typing', { room: 'a', isTyping: true }],
    ]);
  });

  it('answers what a handler throws as { ok: false, error }, and the socket goes on', async () => {
    const socket = bind([
      handler('send_message', (data) => {
        if (data === 'bad') throw new AppException('validation_failed', 'Bad');
        if (data === 'bug') throw new TypeError('x is undefined');
        return 'stored';
      }),
    ]);

    await expect(socket.ask('send_message', 'bad')).resolves.toEqual({
      ok: false,
      error: { code: 'validation_failed', message: 'Bad' },
    });
    await expect(socket.ask('send_message', 'bug')).resolves.toEqual({
      ok: false,
      error: { code: 'internal_error', message: 'Internal server error' },
    });
    await expect(socket.ask('send_message', 'fine')).resolves.toEqual({
      ok: true,
      data: 'stored',
    });
  });

  it('hands the payload over as Nest would: one argument as is, several as a list, none as undefined', async () => {
    const seen: unknown[] = [];
    const socket = bind([handler('sync', (data) => seen.push(data))]);
    socket.receive('sync', { rooms: {} });
    socket.receive('sync', 1, 2);
    socket.receive('sync');
    await socket.ask('sync', 'last');
    expect(seen).toEqual([{ rooms: {} }, [1, 2], undefined, 'last']);
  });

  it('ignores unknown events and leaves manual acks alone', async () => {
    const ack = jest.fn();
    let answered!: () => void;
    const manualRan = new Promise<void>((resolve) => (answered = resolve));
    const socket = bind([
      handler(
        'manual',
        () => {
          answered();
          return 'answered elsewhere';
        },
        true,
      ),
      handler('other', () => 'x'),
    ]);
    socket.receive('no_such_event', {}, ack);
    socket.receive('manual', {}, ack);
    await manualRan;
    await socket.ask('other');
    expect(ack).not.toHaveBeenCalled();
  });

  it('refuses new events with unavailable once a graceful shutdown has begun', async () => {
    const drain = new ChatDrain();
    const ran = jest.fn(() => 'stored');
    const socket = bind([handler('send_message', ran)], drain);
    await drain.drain(0);

    await expect(socket.ask('send_message', {})).resolves.toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'unavailable' }) as unknown,
    });
    expect(ran).not.toHaveBeenCalled();
  });

  it('lets a shutdown wait for the handlers already running', async () => {
    const drain = new ChatDrain();
    let finish!: (value: string) => void;
    const work = new Promise<string>((resolve) => (finish = resolve));
    const socket = bind([handler('send_message', () => work)], drain);
    const ack = socket.ask('send_message', {});
    let drained = false;
    const drainDone = drain.drain(60_000).then(() => (drained = true));
    await Promise.resolve();
    expect(drained).toBe(false);
    finish('stored');
    await expect(ack).resolves.toEqual({ ok: true, data: 'stored' });
    await drainDone;
    expect(drained).toBe(true);
  });
});
