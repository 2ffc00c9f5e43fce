import { Catch, Injectable, Logger, type WsExceptionFilter } from '@nestjs/common';
import type { Ack } from '@parley/contracts';
import { translateError } from '../common/errors/error-status';
import { ChatDrain } from './chat-drain';

/**
 * Every socket handler answers through its acknowledgement: results become `{ ok: true, data }`,
 * anything thrown becomes `{ ok: false, error }` (see `bindPlainMessageHandlers`, which calls
 * this). Handlers also count as in flight for a graceful shutdown, which refuses new ones.
 *
 * This replaces a Nest interceptor: an interceptor costs every event an `AsyncResource`, an RxJS
 * pipeline and Nest's observable plumbing — a tenth of the main thread at 1,000 messages/s
 * (bench/results) — for what is a `try`/`catch` around a promise.
 */
@Injectable()
export class AckResponder {
  private readonly logger = new Logger('ChatGateway');

  constructor(private readonly drain: ChatDrain) {}

  /** Counts a handler as in flight until the returned function is called; throws while draining. */
  begin(): () => void {
    return this.drain.begin();
  }

  success<T>(data: T): Ack<T> {
    return { ok: true, data };
  }

  /** The stable error code and message; anything unexpected is logged with its stack, not sent. */
  failure(event: string, thrown: unknown): Ack<never> {
    const { error, unexpected } = translateError(thrown);
    if (unexpected) {
      this.logger.error(
        `${event}: ${thrown instanceof Error ? (thrown.stack ?? thrown.message) : String(thrown)}`,
      );
    }
    return { ok: false, error };
  }
}

/**
 * Lets what a gateway handler throws reach `bindPlainMessageHandlers`, which answers the ack with
 * it, instead of Nest's default filter, which would emit a separate `exception` event that no
 * client awaits.
 */
@Catch()
export class RethrowToAckFilter implements WsExceptionFilter {
  catch(exception: unknown): never {
    throw exception;
  }
}
