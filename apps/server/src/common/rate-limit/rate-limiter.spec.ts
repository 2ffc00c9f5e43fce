import { AppException } from '../errors/app-exception';
import { createRateLimiter } from './rate-limiter';

describe('createRateLimiter', () => {
  it('spends the steady allowance, then the burst, then refuses with retryAfterMs', async () => {
    const limiter = createRateLimiter('test', {
      points: 2,
      durationSeconds: 10,
      burstPoints: 1,
      burstDurationSeconds: 60,
    });
    for (let index = 0; index < 3; index += 1) await limiter.consume('ann');
    const refusal = await limiter.consume('ann').catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(AppException);
    expect(refusal).toMatchObject({
      code: 'rate_limited',
      details: { retryAfterMs: expect.any(Number) as number },
    });
    await expect(limiter.consume('bob')).resolves.toBeUndefined();
  });
});
