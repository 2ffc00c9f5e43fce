import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  Logger,
  type NestInterceptor,
} from '@nestjs/common';
import type { Ack } from '@parley/contracts';
import { catchError, defer, finalize, map, type Observable, of } from 'rxjs';
import { translateError } from '../common/errors/error-status';
import { ChatDrain } from './chat-drain';

/**
 * Every socket handler answers through its acknowledgement: results become `{ ok: true, data }`,
 * anything thrown becomes `{ ok: false, error }`. Without this Nest's WS exception filter would emit
 * a separate `exception` event and a client awaiting its ack would hang.
 */
@Injectable()
export class AckInterceptor implements NestInterceptor<unknown, Ack<unknown>> {
  private readonly logger = new Logger('ChatGateway');

  constructor(private readonly drain: ChatDrain) {}

  /** Also counts the handler as in flight for a graceful shutdown, which refuses new ones. */
  intercept(context: ExecutionContext, next: CallHandler<unknown>): Observable<Ack<unknown>> {
    return defer(() => {
      const done = this.drain.begin();
      return next.handle().pipe(finalize(done));
    }).pipe(
      map((data): Ack<unknown> => ({ ok: true, data })),
      catchError((thrown: unknown) => {
        const { error, unexpected } = translateError(thrown);
        if (unexpected) {
          const event = context.switchToWs().getPattern();
          this.logger.error(
            `${event}: ${thrown instanceof Error ? (thrown.stack ?? thrown.message) : String(thrown)}`,
          );
        }
        return of<Ack<unknown>>({ ok: false, error });
      }),
    );
  }
}
