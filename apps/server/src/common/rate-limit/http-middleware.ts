import type { NextFunction, Request, Response } from 'express';
import type { ApiError } from '@parley/contracts';
import { AppException } from '../errors/app-exception';
import { statusForCode } from '../errors/error-status';
import type { RateLimiter } from './rate-limiter';

function sendError(response: Response, error: ApiError): void {
  response.status(statusForCode(error.code)).json({ error });
}

/** Per-IP REST throttle. Runs before routing, so it costs no database work. */
export function restRateLimit(limiter: RateLimiter) {
  return (request: Request, response: Response, next: NextFunction): void => {
    limiter.consume(request.ip ?? 'unknown').then(
      () => next(),
      (error: unknown) => {
        if (!(error instanceof AppException)) return next(error);
        const retryAfterMs = error.details?.retryAfterMs ?? 1000;
        response.setHeader('Retry-After', String(Math.ceil(retryAfterMs / 1000)));
        sendError(response, error.toApiError());
      },
    );
  };
}

/**
 * Browsers send `Origin` on cross-origin requests and on same-origin writes. A request without it
 * (curl, a same-origin GET) is not a cross-site one; one from an origin that is neither the app's
 * own nor listed is refused before it reaches a route, whatever CORS headers would have said.
 */
export function originCheck(isAllowed: (origin: string, host: string | undefined) => boolean) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const origin = request.headers.origin;
    if (origin === undefined || isAllowed(origin, request.headers.host)) return next();
    sendError(response, { code: 'forbidden', message: 'This origin is not allowed' });
  };
}

/** Same origin as the `Host` the request came to, or one of the configured origins. */
export function originAllowed(allowed: readonly string[]) {
  const listed = new Set(allowed.map((origin) => origin.toLowerCase()));
  return (origin: string, host: string | undefined): boolean => {
    const normalized = origin.toLowerCase();
    if (listed.has(normalized)) return true;
    if (!host) return false;
    try {
      return new URL(normalized).host === host.toLowerCase();
    } catch {
      return false;
    }
  };
}
