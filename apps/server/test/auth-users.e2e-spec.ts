import { JwtService } from '@nestjs/jwt';
import type { AuthSessionDto, ErrorResponseDto, UserDto } from '@parley/contracts';
import { startTestApp, type TestApp } from './support/test-app';
import { signIn, uniqueUsername } from './support/users';

describe('guest sign-in and users (REST)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  describe('POST /api/auth/guest', () => {
    it('creates a user, stores the username lowercase and returns a token', async () => {
      const username = uniqueUsername('Ann');
      const response = await t.http
        .post('/api/auth/guest')
        .send({ username: `  ${username.toUpperCase()} `, displayName: '  Ann B. ' })
        .expect(201);
      const session = response.body as AuthSessionDto;
      expect(session.accessToken).toEqual(expect.any(String));
      expect(session.user).toEqual({
        id: expect.stringMatching(/^[0-9a-f]{24}$/),
        username: username.toLowerCase(),
        displayName: 'Ann B.',
        registered: false,
        createdAt: expect.any(String),
      });
      expect(new Date(session.user.createdAt).toISOString()).toBe(session.user.createdAt);
      expect(session.user).not.toHaveProperty('_id');
    });

    it('defaults the display name to the username', async () => {
      const username = uniqueUsername();
      const response = await t.http.post('/api/auth/guest').send({ username }).expect(201);
      expect((response.body as AuthSessionDto).user.displayName).toBe(username);
    });

    it.each([
      ['too short', { username: 'ab' }],
      ['a space', { username: 'ann b' }],
      ['not a string', { username: 42 }],
      ['missing', {}],
      ['an unknown field', { username: uniqueUsername(), admin: true }],
      ['an operator object', { username: { $ne: null } }],
    ])('refuses a username that is %s with 400 validation_failed', async (_case, body) => {
      const response = await t.http.post('/api/auth/guest').send(body).expect(400);
      const { error } = response.body as ErrorResponseDto;
      expect(error.code).toBe('validation_failed');
      expect(error.details?.issues?.length).toBeGreaterThan(0);
      expect(error.details?.issues?.[0]).toEqual({
        field: expect.any(String),
        messages: expect.any(Array),
      });
    });

    it('answers 409 username_taken for a taken username, case-insensitively', async () => {
      const username = uniqueUsername();
      await t.http.post('/api/auth/guest').send({ username }).expect(201);
      const response = await t.http
        .post('/api/auth/guest')
        .send({ username: username.toUpperCase() })
        .expect(409);
      expect((response.body as ErrorResponseDto).error.code).toBe('username_taken');
    });

    it('answers malformed JSON with 400 and no stack trace', async () => {
      const response = await t.http
        .post('/api/auth/guest')
        .set('content-type', 'application/json')
        .send('{"username":')
        .expect(400);
      expect((response.body as ErrorResponseDto).error.code).toBe('validation_failed');
      expect(JSON.stringify(response.body)).not.toMatch(/\bat .*\.(js|ts):\d+/);
    });

    it('answers an oversized body with 413 payload_too_large', async () => {
      const response = await t.http
        .post('/api/auth/guest')
        .send({ username: uniqueUsername(), displayName: 'x'.repeat(200 * 1024) })
        .expect(413);
      expect((response.body as ErrorResponseDto).error.code).toBe('payload_too_large');
    });
  });

  describe('GET /api/users/me', () => {
    it('returns the signed-in user, with their settings', async () => {
      const session = await signIn(t, 'Me Myself');
      const response = await t.http
        .get('/api/users/me')
        .auth(session.accessToken, { type: 'bearer' })
        .expect(200);
      expect(response.body).toEqual({ ...session.user, shareReadState: true });
    });

    it('answers 401 unauthorized without a token, with a garbage token and with a foreign token', async () => {
      const session = await signIn(t);
      const foreign = await new JwtService({
        secret: 'another-secret-that-is-long-enough-1234',
      }).signAsync(
        { sub: session.user.id, username: session.user.username, name: session.user.displayName },
        { algorithm: 'HS256', issuer: 'parley', audience: 'parley' },
      );
      const wrongAudience = await new JwtService({ secret: t.config.jwtSecret }).signAsync(
        { sub: session.user.id, username: session.user.username, name: session.user.displayName },
        { algorithm: 'HS256', issuer: 'parley', audience: 'someone-else' },
      );
      for (const authorization of [
        undefined,
        'Bearer garbage',
        `Bearer ${foreign}`,
        `Bearer ${wrongAudience}`,
      ]) {
        const call = t.http.get('/api/users/me');
        const response = await (
          authorization ? call.set('authorization', authorization) : call
        ).expect(401);
        expect((response.body as ErrorResponseDto).error.code).toBe('unauthorized');
      }
    });
  });

  describe('GET /api/users/{username}', () => {
    it('finds a user case-insensitively', async () => {
      const caller = await signIn(t);
      const other = await signIn(t, 'Other');
      const response = await t.http
        .get(`/api/users/${other.user.username.toUpperCase()}`)
        .auth(caller.accessToken, { type: 'bearer' })
        .expect(200);
      expect(response.body as UserDto).toEqual(other.user);
    });

    it('answers 404 user_not_found for an unknown username', async () => {
      const caller = await signIn(t);
      const response = await t.http
        .get(`/api/users/${uniqueUsername('nobody')}`)
        .auth(caller.accessToken, { type: 'bearer' })
        .expect(404);
      expect((response.body as ErrorResponseDto).error.code).toBe('user_not_found');
    });

    it('requires a token', async () => {
      await t.http.get('/api/users/anyone').expect(401);
    });
  });

  it('reports health and the database mode', async () => {
    const response = await t.http.get('/api/health').expect(200);
    expect(response.body).toEqual({
      status: 'ok',
      database: t.config.mongodbUri ? 'external' : 'embedded',
    });
  });

  it('answers unknown API routes with a JSON 404', async () => {
    const response = await t.http.get('/api/nothing-here').expect(404);
    expect((response.body as ErrorResponseDto).error.code).toBe('not_found');
  });
});
