import type { CookieOptions, Request, Response } from 'express';

export const REFRESH_COOKIE = 'parley_refresh';
/** The cookie only travels to the auth routes, never to the rest of the API or the web app. */
export const REFRESH_COOKIE_PATH = '/api/auth';

/**
 * HttpOnly keeps it out of reach of page scripts; SameSite=Strict keeps it off cross-site requests
 * (so refresh/logout need no CSRF token); Secure whenever the request came over HTTPS — directly,
 * or through a proxy trusted via `TRUST_PROXY` that sets `X-Forwarded-Proto`.
 */
function cookieOptions(request: Request): CookieOptions {
  return {
    httpOnly: true,
    sameSite: 'strict',
    secure: request.secure,
    path: REFRESH_COOKIE_PATH,
  };
}

export function setRefreshCookie(
  request: Request,
  response: Response,
  refresh: { token: string; expiresAt: Date },
): void {
  response.cookie(REFRESH_COOKIE, refresh.token, {
    ...cookieOptions(request),
    expires: refresh.expiresAt,
  });
}

export function clearRefreshCookie(request: Request, response: Response): void {
  response.clearCookie(REFRESH_COOKIE, cookieOptions(request));
}

/** cookie-parser fills `request.cookies`; anything but a string is treated as absent. */
export function readRefreshCookie(request: Request): string | undefined {
  const cookies: unknown = request.cookies;
  if (typeof cookies !== 'object' || cookies === null) return undefined;
  const value: unknown = (cookies as Record<string, unknown>)[REFRESH_COOKIE];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
