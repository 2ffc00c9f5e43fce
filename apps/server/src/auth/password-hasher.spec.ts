import { type AppConfig, loadConfig } from '../config/app-config';
import { PasswordHasher } from './password-hasher';

describe('PasswordHasher', () => {
  const config: AppConfig = {
    ...loadConfig({ JWT_SECRET: 'x'.repeat(32) }),
    passwordHashConcurrency: 1,
  };
  const hasher = new PasswordHasher(config);

  it('hashes with argon2id at the OWASP minimum and verifies', async () => {
    const stored = await hasher.hash('correct horse battery');
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    await expect(hasher.verify(stored, 'correct horse battery')).resolves.toBe(true);
    await expect(hasher.verify(stored, 'wrong horse battery')).resolves.toBe(false);
  });

  it('answers false without a stored hash, after doing the same work', async () => {
    await expect(hasher.verify(undefined, 'anything at all')).resolves.toBe(false);
  });

  it('answers false for a malformed stored hash instead of throwing', async () => {
    await expect(hasher.verify('not-a-hash', 'anything at all')).resolves.toBe(false);
  });

  it('refuses with rate_limited once the queue is full', async () => {
    const tiny = new PasswordHasher({ ...config, passwordHashConcurrency: 1 });
    const burst = Array.from({ length: 40 }, () =>
      tiny.hash('burst password').then(
        () => 'ok',
        (error: unknown) => (error as { code?: string }).code,
      ),
    );
    const outcomes = await Promise.all(burst);
    expect(outcomes.filter((outcome) => outcome === 'ok')).toHaveLength(17);
    expect(outcomes.filter((outcome) => outcome === 'rate_limited')).toHaveLength(23);
  });
});
