import { BadRequestException, NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import { ERROR_CODES } from '@parley/contracts';
import { AppException } from './app-exception';
import { statusForCode, translateError } from './error-status';

describe('translateError', () => {
  it('gives every error code a status', () => {
    for (const code of ERROR_CODES) expect(statusForCode(code)).toBeGreaterThanOrEqual(400);
    expect(
      Object.fromEntries(
        (
          [
            'validation_failed',
            'unauthorized',
            'forbidden',
            'room_not_found',
            'username_taken',
            'payload_too_large',
            'rate_limited',
            'internal_error',
            'unavailable',
          ] as const
        ).map((code) => [code, statusForCode(code)]),
      ),
    ).toEqual({
      validation_failed: 400,
      unauthorized: 401,
      forbidden: 403,
      room_not_found: 404,
      username_taken: 409,
      payload_too_large: 413,
      rate_limited: 429,
      internal_error: 500,
      unavailable: 503,
    });
  });

  it('passes AppExceptions through with their details', () => {
    const issues = [{ field: 'name', messages: ['name is too long'] }];
    expect(translateError(new AppException('validation_failed', 'Bad', { issues }))).toEqual({
      status: 400,
      error: { code: 'validation_failed', message: 'Bad', details: { issues } },
      unexpected: false,
    });
  });

  it('maps framework HttpExceptions by status', () => {
    expect(translateError(new NotFoundException('Cannot GET /api/x')).error).toEqual({
      code: 'not_found',
      message: 'Cannot GET /api/x',
    });
    expect(translateError(new PayloadTooLargeException()).error.code).toBe('payload_too_large');
    expect(translateError(new BadRequestException('Unexpected token')).error.code).toBe(
      'validation_failed',
    );
  });

  it('maps http-errors style objects (body parser) by status', () => {
    const tooLarge = Object.assign(new Error('request entity too large'), {
      status: 413,
      type: 'entity.too.large',
    });
    expect(translateError(tooLarge)).toMatchObject({
      status: 413,
      error: { code: 'payload_too_large' },
    });
  });

  it('hides the message of anything unexpected', () => {
    const result = translateError(new Error('connection string mongodb://user:pw@db leaked'));
    expect(result).toEqual({
      status: 500,
      error: { code: 'internal_error', message: 'Internal server error' },
      unexpected: true,
    });
    expect(translateError('a string').error.code).toBe('internal_error');
    expect(translateError(Object.assign(new Error('boom'), { status: 503 })).error.message).toBe(
      'Internal server error',
    );
  });
});
