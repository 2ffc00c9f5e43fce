import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { hash, verify, type Options } from '@node-rs/argon2';
import { AppException } from '../common/errors/app-exception';
import { AppConfig } from '../config/app-config';
import { ConcurrencyGate, GateFullError } from './concurrency-gate';

/**
 * OWASP's minimum argon2id configuration (m=19 MiB, t=2, p=1). The algorithm is the library's
 * default, argon2id; the PHC string records every parameter, so raising them later only affects
 * new hashes and old ones keep verifying.
 */
export const ARGON2_OPTIONS: Options = { memoryCost: 19456, timeCost: 2, parallelism: 1 };

/** Hashes queued per running slot before new requests are refused with `rate_limited`. */
const QUEUE_PER_SLOT = 16;

@Injectable()
export class PasswordHasher {
  private readonly gate: ConcurrencyGate;
  private dummyHash: Promise<string> | undefined;

  constructor(config: AppConfig) {
    this.gate = new ConcurrencyGate(
      config.passwordHashConcurrency,
      config.passwordHashConcurrency * QUEUE_PER_SLOT,
    );
  }

  hash(password: string): Promise<string> {
    return this.bounded(() => hash(password, ARGON2_OPTIONS));
  }

  /**
   * `false` for a wrong password. Without a stored hash (unknown user, or a guest) it still runs
   * one verification against a throwaway hash, so the answer takes as long as for a real account
   * and timing does not reveal which usernames exist.
   */
  async verify(storedHash: string | undefined, password: string): Promise<boolean> {
    const target = storedHash ?? (await this.getDummyHash());
    const matches = await this.bounded(() => verify(target, password).catch(() => false));
    return storedHash !== undefined && matches;
  }

  private getDummyHash(): Promise<string> {
    this.dummyHash ??= hash(randomBytes(16).toString('base64url'), ARGON2_OPTIONS);
    return this.dummyHash;
  }

  private async bounded<T>(task: () => Promise<T>): Promise<T> {
    try {
      return await this.gate.run(task);
    } catch (error) {
      if (error instanceof GateFullError) {
        throw new AppException('rate_limited', 'The server is busy; try again shortly', {
          retryAfterMs: 1000,
        });
      }
      throw error;
    }
  }
}
