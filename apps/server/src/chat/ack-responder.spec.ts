import { Logger } from '@nestjs/common';
import { AppException } from '../common/errors/app-exception';
import { AckResponder, RethrowToAckFilter } from './ack-responder';
import { ChatDrain } from './chat-drain';

describe('AckResponder', () => {
  const acks = new AckResponder(new ChatDrain());

  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });

  afterEach(() => jest.restoreAllMocks());

  it('wraps a result as { ok: true, data }', () => {
    expect(acks.success({ room: 'x' })).toEqual({ ok: true, data: { room: 'x' } });
  });

  it('turns an AppException into { ok: false, error } without logging it', () => {
    expect(acks.failure('send_message', new AppException('not_in_room', 'Join first'))).toEqual({
      ok: false,
      error: { code: 'not_in_room', message: 'Join first' },
    });
    expect(Logger.prototype.error).not.toHaveBeenCalled();
  });

  it('turns anything else into internal_error without its message, and logs it', () => {
    expect(acks.failure('send_message', new TypeError('x is undefined'))).toEqual({
      ok: false,
      error: { code: 'internal_error', message: 'Internal server error' },
    });
    expect(Logger.prototype.error).toHaveBeenCalledWith(
      expect.stringContaining('send_message: TypeError'),
    );
  });

  it('refuses to begin with unavailable once a graceful shutdown has begun', async () => {
    const drain = new ChatDrain();
    await drain.drain(0);
    expect(() => new AckResponder(drain).begin()).toThrow(
      expect.objectContaining({ code: 'unavailable' }) as Error,
    );
  });
});

describe('RethrowToAckFilter', () => {
  it('hands the error on instead of answering it', () => {
    const thrown = new AppException('forbidden', 'No');
    expect(() => new RethrowToAckFilter().catch(thrown)).toThrow(thrown);
  });
});
