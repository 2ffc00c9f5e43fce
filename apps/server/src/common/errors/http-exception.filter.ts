import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { ErrorResponseDto } from '@parley/contracts';
import type { ServerResponse } from 'node:http';
import { translateError } from './error-status';

/** Every HTTP error leaves the server as `{ error: { code, message, details? } }`. */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(thrown: unknown, host: ArgumentsHost): void {
    // Socket handlers answer through their ack mapping; this filter only owns HTTP.
    if (host.getType() !== 'http') return;
    const response = host.switchToHttp().getResponse<ServerResponse>();
    const { status, error, unexpected } = translateError(thrown);
    if (unexpected) {
      this.logger.error(
        thrown instanceof Error ? (thrown.stack ?? thrown.message) : String(thrown),
      );
    }
    if (response.headersSent) {
      response.destroy();
      return;
    }
    const body: ErrorResponseDto = { error };
    response.statusCode = status;
    response.setHeader('content-type', 'application/json; charset=utf-8');
    response.end(JSON.stringify(body));
  }
}
