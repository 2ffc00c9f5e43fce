import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  Logger,
  type NestInterceptor,
} from '@nestjs/common';
import type { Ack } from '@parley/contracts';
import { catchError, map, type Observable, of } from 'rxjs';
import { translateError } from '../common/errors/error-status';

/**
 * Every socket handler answers through its acknowledgement: results become `{ ok: true, data }`,
 * anything thrown becomes `{ ok: false, error }`. Without this Nest's WS exception filter would emit
 * a separate `exception` event and a client awaiting its ack would hang.
 */
@Injectable()
export class AckInterceptor implements NestInterceptor<unknown, Ack<unknown>> {
  private readonly logger = new Logger('ChatGateway');

  intercept(context: ExecutionContext, next: CallHandler<unknown>): Observable<Ack<unknown>> {
    return next.handle().pipe(
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
