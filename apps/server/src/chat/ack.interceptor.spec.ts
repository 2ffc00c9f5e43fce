import { type CallHandler, type ExecutionContext, Logger } from '@nestjs/common';
import { firstValueFrom, from, of, throwError } from 'rxjs';
import { AppException } from '../common/errors/app-exception';
import { AckInterceptor } from './ack.interceptor';
import { ChatDrain } from './chat-drain';

const context = {
  switchToWs: () => ({ getPattern: () => 'send_message' }),
} as unknown as ExecutionContext;

function handler(result: ReturnType<CallHandler['handle']>): CallHandler {
  return { handle: () => result };
}

describe('AckInterceptor', () => {
  const interceptor = new AckInterceptor(new ChatDrain());

  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });

  afterEach(() => jest.restoreAllMocks());

  it('wraps a result as { ok: true, data }', async () => {
    await expect(
      firstValueFrom(interceptor.intercept(context, handler(of({ room: 'x' })))),
    ).resolves.toEqual({
      ok: true,
      data: { room: 'x' },
    });
  });

  it('turns an AppException into { ok: false, error }', async () => {
    const thrown = new AppException('not_in_room', 'Join first');
    await expect(
      firstValueFrom(interceptor.intercept(context, handler(throwError(() => thrown)))),
    ).resolves.toEqual({
      ok: false,
      error: { code: 'not_in_room', message: 'Join first' },
    });
  });

  it('turns anything else into internal_error without its message, and logs it', async () => {
    const ack = await firstValueFrom(
      interceptor.intercept(context, handler(throwError(() => new TypeError('x is undefined')))),
    );
    expect(ack).toEqual({
      ok: false,
      error: { code: 'internal_error', message: 'Internal server error' },
    });
    expect(Logger.prototype.error).toHaveBeenCalledWith(
      expect.stringContaining('send_message: TypeError'),
    );
  });

  it('refuses new events with unavailable once a graceful shutdown has begun', async () => {
    const drain = new ChatDrain();
    const draining = new AckInterceptor(drain);
    await drain.drain(0);
    const handle = jest.fn(() => of('stored'));
    await expect(firstValueFrom(draining.intercept(context, { handle }))).resolves.toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'unavailable' }) as unknown,
    });
    expect(handle).not.toHaveBeenCalled();
  });

  it('lets a shutdown wait for the handlers already running', async () => {
    const drain = new ChatDrain();
    const running = new AckInterceptor(drain);
    let finish!: (value: string) => void;
    const work = new Promise<string>((resolve) => (finish = resolve));
    const ack = firstValueFrom(running.intercept(context, handler(from(work))));
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
