import { createHash } from 'node:crypto';
import { getConnectionToken } from '@nestjs/mongoose';
import type { AuthSessionDto, ErrorResponseDto, UserDto } from '@parley/contracts';
import type { Connection } from 'mongoose';
import request from 'supertest';
import { AccessTokenService } from '../src/common/auth/access-token.service';
import { closeSockets, connectSocket, expectConnectError, openSocket } from './support/sockets';
import { startTestApp, type TestApp } from './support/test-app';
import { signIn, uniqueUsername } from './support/users';

const PASSWORD = 'violet-kettle-harbour';
const REFRESH_COOKIE = 'parley_refresh';

let ipCounter = 0;
/** Each test speaks from its own client address (trusted through TRUST_PROXY=loopback). */
function uniqueIp(): string {
  ipCounter += 1;
  return `198.51.${Math.floor(ipCounter / 250)}.${(ipCounter % 250) + 1}`;
}

function setCookies(response: request.Response): string[] {
  const header: unknown = response.headers['set-cookie'];
  return Array.isArray(header)
    ? header.filter((value): value is string => typeof value === 'string')
    : [];
}

function refreshCookie(response: request.Response): string {
  const cookie = setCookies(response).find((value) => value.startsWith(`${REFRESH_COOKIE}=`));
  if (!cookie) throw new Error('no refresh cookie in the response');
  return cookie;
}

/** `parley_refresh=<value>`, ready for a `Cookie` header. */
function cookiePair(setCookie: string): string {
  return setCookie.split(';')[0] ?? '';
}

function errorOf(response: request.Response): ErrorResponseDto['error'] {
  return (response.body as ErrorResponseDto).error;
}

describe('accounts and sessions', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ TRUST_PROXY: 'loopback' });
  });

  afterAll(async () => {
    await t.close();
  });

  function register(username: string, password = PASSWORD, ip = uniqueIp()) {
    return t.http
      .post('/api/auth/register')
      .set('x-forwarded-for', ip)
      .send({ username, password, displayName: 'Reg Istered' });
  }

  function login(username: unknown, password: unknown, ip = uniqueIp()) {
    return t.http.post('/api/auth/login').set('x-forwarded-for', ip).send({ username, password });
  }

  function refresh(cookie?: string) {
    const call = t.http.post('/api/auth/refresh');
    return cookie ? call.set('cookie', cookie) : call;
  }

  async function registered(): Promise<{ username: string; session: AuthSessionDto }> {
    const username = uniqueUsername('reg');
    const response = await register(username).expect(201);
    return { username, session: response.body as AuthSessionDto };
  }

  describe('POST /api/auth/register', () => {
    it('creates a registered account, a 15-minute access token and a refresh cookie', async () => {
      const username = uniqueUsername('Reg');
      const before = Date.now();
      const response = await register(username.toUpperCase()).expect(201);
      const session = response.body as AuthSessionDto;
      expect(session.user).toEqual({
        id: expect.stringMatching(/^[0-9a-f]{24}$/),
        username: username.toLowerCase(),
        displayName: 'Reg Istered',
        registered: true,
        createdAt: expect.any(String),
      });
      const expiresIn = Date.parse(session.accessTokenExpiresAt) - before;
      expect(expiresIn).toBeGreaterThan(14 * 60_000);
      expect(expiresIn).toBeLessThanOrEqual(15 * 60_000 + 1000);
      expect(JSON.stringify(response.body)).not.toMatch(/argon|password/i);
      expect(refreshCookie(response)).toBeTruthy();
      await t.http
        .get('/api/users/me')
        .auth(session.accessToken, { type: 'bearer' })
        .expect(200, { ...session.user, shareReadState: true });
    });

    it('answers 409 username_taken for a taken name, guest or registered', async () => {
      const { username } = await registered();
      expect(errorOf(await register(username).expect(409)).code).toBe('username_taken');
      const guest = await signIn(t);
      expect(errorOf(await register(guest.user.username).expect(409)).code).toBe('username_taken');
    });

    it.each([
      ['a common password', 'Password123'],
      ['a password containing the username', 'USERNAME-is-my-secret'],
    ])('refuses %s with 400 weak_password', async (_case, password) => {
      const username = uniqueUsername('weak');
      const response = await register(username, password.replace('USERNAME', username)).expect(400);
      expect(errorOf(response).code).toBe('weak_password');
    });

    it.each([
      ['7 characters', 'a'.repeat(7)],
      ['257 characters', 'a'.repeat(257)],
      ['not a string', 12345678],
    ])('refuses a password of %s with 400 validation_failed', async (_case, password) => {
      const response = await t.http
        .post('/api/auth/register')
        .set('x-forwarded-for', uniqueIp())
        .send({ username: uniqueUsername(), password })
        .expect(400);
      expect(errorOf(response)).toMatchObject({
        code: 'validation_failed',
        details: { issues: [{ field: 'password', messages: expect.any(Array) }] },
      });
    });

    it('allows 5 registrations per minute per IP; the 6th is 429 rate_limited', async () => {
      const ip = uniqueIp();
      for (let attempt = 1; attempt <= 5; attempt += 1) {
        await register(uniqueUsername('burst'), PASSWORD, ip).expect(201);
      }
      const response = await register(uniqueUsername('burst'), PASSWORD, ip).expect(429);
      expect(errorOf(response).code).toBe('rate_limited');
    });
  });

  describe('POST /api/auth/login', () => {
    it('signs in with the password, case-insensitively', async () => {
      const { username, session } = await registered();
      const response = await login(username.toUpperCase(), PASSWORD).expect(200);
      const signedIn = response.body as AuthSessionDto;
      expect(signedIn.user).toEqual(session.user);
      expect(refreshCookie(response)).toBeTruthy();
    });

    it('gives the same answer for a wrong password, an unknown user and a guest', async () => {
      const { username } = await registered();
      const guest = await signIn(t);
      const answers = await Promise.all([
        login(username, 'wrong-password-1'),
        login(uniqueUsername('nobody'), PASSWORD),
        login(guest.user.username, PASSWORD),
      ]);
      for (const response of answers) {
        expect(response.status).toBe(401);
        expect(response.body).toEqual({
          error: { code: 'invalid_credentials', message: 'Wrong username or password' },
        });
        expect(setCookies(response)).toEqual([]);
      }
    });

    it('throttles an IP: attempts 1–5 are answered, the 6th within a minute is 429', async () => {
      const ip = uniqueIp();
      const { username } = await registered();
      for (let attempt = 1; attempt <= 5; attempt += 1) {
        const response = await login(username, `wrong-${attempt}`, ip);
        expect([attempt, response.status]).toEqual([attempt, 401]);
      }
      const throttled = await login(username, PASSWORD, ip).expect(429);
      expect(errorOf(throttled).code).toBe('rate_limited');
      expect(errorOf(throttled).details?.retryAfterMs).toBeGreaterThan(0);
      expect(errorOf(throttled).details?.retryAfterMs).toBeLessThanOrEqual(60_000);
      // Another address is not affected.
      await login(username, PASSWORD, uniqueIp()).expect(200);
    });

    it('locks an account after 10 wrong passwords: the 11th attempt is refused even with the right one', async () => {
      const { username } = await registered();
      // A distributed guesser: every attempt from a different address, so only the account limit applies.
      for (let attempt = 1; attempt <= 10; attempt += 1) {
        const response = await login(username, `wrong-${attempt}`);
        expect([attempt, response.status, errorOf(response).code]).toEqual([
          attempt,
          401,
          'invalid_credentials',
        ]);
      }
      const locked = await login(username, PASSWORD).expect(429);
      expect(errorOf(locked).code).toBe('account_locked');
      expect(errorOf(locked).details?.retryAfterMs).toBeGreaterThan(14 * 60_000);
      expect(errorOf(locked).details?.retryAfterMs).toBeLessThanOrEqual(15 * 60_000);
      expect(setCookies(locked)).toEqual([]);
      // Other accounts are not affected.
      const other = await registered();
      await login(other.username, PASSWORD).expect(200);
    });

    it('resets the failure count after a successful login', async () => {
      const { username } = await registered();
      for (let attempt = 1; attempt <= 9; attempt += 1) {
        await login(username, `wrong-${attempt}`).expect(401);
      }
      await login(username, PASSWORD).expect(200);
      for (let attempt = 1; attempt <= 9; attempt += 1) {
        await login(username, `wrong-${attempt}`).expect(401);
      }
      await login(username, PASSWORD).expect(200);
    });

    it.each([
      ['an operator as username', { username: { $ne: null }, password: PASSWORD }],
      ['an operator as password', { username: 'anyone', password: { $ne: null } }],
      ['a regex operator', { username: { $regex: '.*' }, password: { $gt: '' } }],
      ['an unknown field', { username: 'anyone', password: PASSWORD, admin: true }],
    ])('refuses %s with 400 and leaks nothing', async (_case, body) => {
      await registered();
      const response = await t.http
        .post('/api/auth/login')
        .set('x-forwarded-for', uniqueIp())
        .send(body)
        .expect(400);
      expect(errorOf(response).code).toBe('validation_failed');
      expect(response.body).not.toHaveProperty('accessToken');
      expect(JSON.stringify(response.body)).not.toMatch(/argon|reg-|registered/);
      expect(setCookies(response)).toEqual([]);
    });
  });

  describe('refresh tokens', () => {
    it('rotates on every use: the new cookie works, the old one is refused', async () => {
      const { username } = await registered();
      const first = cookiePair(refreshCookie(await login(username, PASSWORD).expect(200)));

      const rotated = await refresh(first).expect(200);
      const session = rotated.body as AuthSessionDto;
      const second = cookiePair(refreshCookie(rotated));
      expect(second).not.toBe(first);
      expect(second).toMatch(new RegExp(`^${REFRESH_COOKIE}=[A-Za-z0-9_-]{43}$`));
      await t.http.get('/api/users/me').auth(session.accessToken, { type: 'bearer' }).expect(200);

      const third = cookiePair(refreshCookie(await refresh(second).expect(200)));
      expect(third).not.toBe(second);
    });

    it('revokes the whole family when a rotated token is reused', async () => {
      const { username } = await registered();
      const first = cookiePair(refreshCookie(await login(username, PASSWORD).expect(200)));
      const second = cookiePair(refreshCookie(await refresh(first).expect(200)));

      const reuse = await refresh(first).expect(401);
      expect(errorOf(reuse).code).toBe('session_expired');
      // The newest token was never used, but it belongs to the compromised family.
      expect(errorOf(await refresh(second).expect(401)).code).toBe('session_expired');
      // A separate sign-in is a separate family and keeps working.
      const other = cookiePair(refreshCookie(await login(username, PASSWORD).expect(200)));
      await refresh(other).expect(200);
    });

    it('answers 401 session_expired without a cookie or with a made-up one', async () => {
      expect(errorOf(await refresh().expect(401)).code).toBe('session_expired');
      const forged = await refresh(`${REFRESH_COOKIE}=${'A'.repeat(43)}`).expect(401);
      expect(errorOf(forged).code).toBe('session_expired');
    });

    it('keeps a session across requests with a cookie jar (supertest agent)', async () => {
      const agent = request.agent(t.baseUrl);
      const username = uniqueUsername('agent');
      await agent
        .post('/api/auth/register')
        .set('x-forwarded-for', uniqueIp())
        .send({ username, password: PASSWORD })
        .expect(201);
      for (let round = 0; round < 3; round += 1) {
        const response = await agent.post('/api/auth/refresh').expect(200);
        expect((response.body as AuthSessionDto).user.username).toBe(username);
      }
      await agent.post('/api/auth/logout').expect(204);
      await agent.post('/api/auth/refresh').expect(401);
    });

    it('gives guests a refresh cookie too', async () => {
      const response = await t.http
        .post('/api/auth/guest')
        .send({ username: uniqueUsername('guest') })
        .expect(201);
      const refreshed = await refresh(cookiePair(refreshCookie(response))).expect(200);
      expect((refreshed.body as AuthSessionDto).user).toEqual(
        (response.body as AuthSessionDto).user,
      );
    });

    it('sets an HttpOnly, SameSite=Strict cookie scoped to /api/auth, Secure only over HTTPS', async () => {
      const { username } = await registered();
      const plain = refreshCookie(await login(username, PASSWORD).expect(200));
      const attributes = plain.split(';').map((part) => part.trim().toLowerCase());
      expect(attributes).toEqual(
        expect.arrayContaining(['httponly', 'samesite=strict', 'path=/api/auth']),
      );
      expect(attributes).not.toContain('secure');
      const expires = attributes.find((part) => part.startsWith('expires='));
      const lifetime = Date.parse(expires?.slice('expires='.length) ?? '') - Date.now();
      expect(lifetime).toBeGreaterThan(29 * 86_400_000);
      expect(lifetime).toBeLessThanOrEqual(30 * 86_400_000);

      const behindTls = await login(username, PASSWORD)
        .set('x-forwarded-proto', 'https')
        .expect(200);
      expect(
        refreshCookie(behindTls)
          .split(';')
          .map((part) => part.trim().toLowerCase()),
      ).toContain('secure');
    });
  });

  describe('what is stored', () => {
    it('keeps an argon2id hash of the password and only a sha256 of each refresh token', async () => {
      const { username } = await registered();
      const cookie = cookiePair(refreshCookie(await login(username, PASSWORD).expect(200)));
      const token = cookie.slice(`${REFRESH_COOKIE}=`.length);
      const db = t.app.get<Connection>(getConnectionToken());

      const user = await db.collection('users').findOne({ username });
      expect(user?.['passwordHash']).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      expect(JSON.stringify(user)).not.toContain(PASSWORD);

      const stored = await db
        .collection('refresh_tokens')
        .findOne({ tokenHash: createHash('sha256').update(token).digest('hex') });
      expect(stored).toMatchObject({ userId: user?._id.toHexString(), rotatedAt: null });
      const everything = JSON.stringify(await db.collection('refresh_tokens').find().toArray());
      expect(everything).not.toContain(token);

      const indexes = await db.collection('refresh_tokens').indexes();
      expect(indexes).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ key: { tokenHash: 1 }, unique: true }),
          expect.objectContaining({ key: { expiresAt: 1 }, expireAfterSeconds: 0 }),
        ]),
      );
    });
  });

  describe('POST /api/auth/logout', () => {
    it('revokes the session and clears the cookie', async () => {
      const { username } = await registered();
      const cookie = cookiePair(refreshCookie(await login(username, PASSWORD).expect(200)));
      const response = await t.http.post('/api/auth/logout').set('cookie', cookie).expect(204);
      const cleared = refreshCookie(response);
      expect(cleared).toMatch(/^parley_refresh=;/);
      expect(cleared.toLowerCase()).toContain('expires=thu, 01 jan 1970');
      expect(errorOf(await refresh(cookie).expect(401)).code).toBe('session_expired');
    });

    it('answers 204 without a cookie', async () => {
      await t.http.post('/api/auth/logout').expect(204);
    });
  });

  describe('POST /api/auth/claim', () => {
    it('lets a guest keep their name with a password, then sign in with it', async () => {
      const guest = await signIn(t, 'Guest Ann');
      expect(guest.user.registered).toBe(false);
      const claimed = await t.http
        .post('/api/auth/claim')
        .auth(guest.accessToken, { type: 'bearer' })
        .send({ password: PASSWORD })
        .expect(200);
      const expected: UserDto = { ...guest.user, registered: true };
      expect((claimed.body as AuthSessionDto).user).toEqual(expected);

      const response = await login(guest.user.username, PASSWORD).expect(200);
      expect((response.body as AuthSessionDto).user).toEqual(expected);

      const again = await t.http
        .post('/api/auth/claim')
        .auth(guest.accessToken, { type: 'bearer' })
        .send({ password: 'another-long-secret' })
        .expect(409);
      expect(errorOf(again).code).toBe('already_registered');
      // The first password still works; the second never took effect.
      await login(guest.user.username, 'another-long-secret').expect(401);
    });

    it('refuses a weak password, a missing token and an invalid body', async () => {
      const guest = await signIn(t);
      const weak = await t.http
        .post('/api/auth/claim')
        .auth(guest.accessToken, { type: 'bearer' })
        .send({ password: 'iloveyou' })
        .expect(400);
      expect(errorOf(weak).code).toBe('weak_password');
      await t.http.post('/api/auth/claim').send({ password: PASSWORD }).expect(401);
      const invalid = await t.http
        .post('/api/auth/claim')
        .auth(guest.accessToken, { type: 'bearer' })
        .send({ password: { $ne: null } })
        .expect(400);
      expect(errorOf(invalid).code).toBe('validation_failed');
    });
  });

  describe('access tokens', () => {
    async function badTokens(): Promise<Record<string, string>> {
      const { session } = await registered();
      const tokens = t.app.get(AccessTokenService);
      const expired = (await tokens.issue(session.user, -60)).token;
      const [header = '', payload = '', signature = ''] = session.accessToken.split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<
        string,
        unknown
      >;
      const tamperedPayload = Buffer.from(
        JSON.stringify({ ...claims, username: 'someone-else' }),
      ).toString('base64url');
      const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
      return {
        expired,
        tampered: `${header}.${tamperedPayload}.${signature}`,
        'alg none': `${none}.${payload}.`,
      };
    }

    it('refuses expired, tampered and alg:none tokens on REST', async () => {
      for (const [kind, token] of Object.entries(await badTokens())) {
        const response = await t.http.get('/api/users/me').auth(token, { type: 'bearer' });
        expect([kind, response.status, errorOf(response).code]).toEqual([
          kind,
          401,
          'unauthorized',
        ]);
      }
    });

    it('refuses expired, tampered and alg:none tokens in the socket handshake', async () => {
      for (const [kind, token] of Object.entries(await badTokens())) {
        const socket = openSocket(t.baseUrl, { token });
        const error = await expectConnectError(socket);
        expect([kind, error.message, error.data]).toEqual([
          kind,
          'unauthorized',
          { code: 'unauthorized' },
        ]);
        closeSockets(socket);
      }
    });

    it('accepts the access token a refresh returns in the socket handshake', async () => {
      const { username } = await registered();
      const cookie = cookiePair(refreshCookie(await login(username, PASSWORD).expect(200)));
      const session = (await refresh(cookie).expect(200)).body as AuthSessionDto;
      const socket = await connectSocket(t.baseUrl, session.accessToken);
      expect(socket.connected).toBe(true);
      closeSockets(socket);
    });
  });
});
