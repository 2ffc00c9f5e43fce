import { type CallHandler, type ExecutionContext, Logger } from '@nestjs/common';
import { firstValueFrom, of, throwError } from 'rxjs';
import { AppException } from '../common/errors/app-exception';
import { AckInterceptor } from './ack.interceptor';

const context = {
  switchToWs: () => ({ getPattern: () => 'send_message' }),
} as unknown as ExecutionContext;

function handler(result: ReturnType<CallHandler['handle']>): CallHandler {
  return { handle: () => result };
}

describe('AckInterceptor', () => {
  const interceptor = new AckInterceptor();

  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
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
});
