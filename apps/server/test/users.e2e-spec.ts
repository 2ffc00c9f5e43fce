import { randomBytes } from 'node:crypto';
import { getModelToken } from '@nestjs/mongoose';
import { USER_SEARCH_MAX, type AuthSessionDto, type UserDto } from '@parley/contracts';
import type { Model } from 'mongoose';
import { AccessTokenService } from '../src/common/auth/access-token.service';
import { User } from '../src/users/user.schema';
import { bearer, call } from './support/rooms';
import { startTestApp, type TestApp } from './support/test-app';
import { signIn } from './support/users';

describe('users: my settings, search, reserved names', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ REST_RATE_LIMIT_PER_MINUTE: '1000000' });
  });

  afterAll(async () => {
    await t.close();
  });

  async function guest(username: string): Promise<AuthSessionDto> {
    const response = await t.http.post('/api/auth/guest').send({ username }).expect(201);
    return response.body as AuthSessionDto;
  }

  /** A prefix no other test's usernames start with. */
  function freshPrefix(): string {
    return `s${randomBytes(4).toString('hex')}`;
  }

  describe('GET and PATCH /api/users/me', () => {
    it('shares read state by default, and changes only what the body carries', async () => {
      const ann = await signIn(t, 'Ann');
      const me = await call(t, 'get', '/api/users/me', bearer(ann)).expect(200);
      expect(me.body).toEqual({ ...ann.user, shareReadState: true });

      const changed = await call(t, 'patch', '/api/users/me', bearer(ann), {
        shareReadState: false,
      }).expect(200);
      expect(changed.body).toEqual({ ...ann.user, shareReadState: false });
      // An empty body changes nothing.
      const unchanged = await call(t, 'patch', '/api/users/me', bearer(ann), {}).expect(200);
      expect(unchanged.body).toEqual({ ...ann.user, shareReadState: false });
      expect((await call(t, 'get', '/api/users/me', bearer(ann)).expect(200)).body).toEqual({
        ...ann.user,
        shareReadState: false,
      });

      await call(t, 'patch', '/api/users/me', bearer(ann), { shareReadState: true }).expect(200);
      expect((await call(t, 'get', '/api/users/me', bearer(ann)).expect(200)).body).toMatchObject({
        shareReadState: true,
      });
    });

    it('refuses invalid bodies and missing tokens', async () => {
      const ann = await signIn(t);
      for (const body of [
        { shareReadState: 'no' },
        { shareReadState: 1 },
        { username: 'someone-else' },
        { shareReadState: { $ne: true } },
      ]) {
        const response = await call(t, 'patch', '/api/users/me', bearer(ann), body).expect(400);
        expect(response.body).toMatchObject({ error: { code: 'validation_failed' } });
      }
      await call(t, 'patch', '/api/users/me', undefined, { shareReadState: false }).expect(401);
    });
  });

  describe('GET /api/users?query=', () => {
    it('finds users whose username starts with the query, case-insensitively, without the caller', async () => {
      const prefix = freshPrefix();
      const ann = await guest(`${prefix}-ann`);
      const andy = await guest(`${prefix}-andy`);
      const bob = await guest(`${prefix}-bob`);
      await guest(`x${prefix}-ann`); // contains the prefix, but does not start with it

      const search = (query: string) =>
        call(t, 'get', `/api/users?query=${encodeURIComponent(query)}`, bearer(ann)).expect(200);
      const names = (response: { body: unknown }) =>
        (response.body as UserDto[]).map((user) => user.username);

      expect(names(await search(prefix))).toEqual([andy.user.username, bob.user.username]);
      expect(names(await search(`${prefix.toUpperCase()}-AN`))).toEqual([andy.user.username]);
      expect((await search(`${prefix}-bob`)).body).toEqual([bob.user]);
      // Regular-expression characters are just characters.
      expect(names(await search(`${prefix}.*`))).toEqual([]);
      expect(names(await search('.*'))).toEqual([]);
    });

    it(`answers at most ${USER_SEARCH_MAX} users, in username order`, async () => {
      const prefix = freshPrefix();
      const created: string[] = [];
      for (let index = 0; index < USER_SEARCH_MAX + 2; index += 1) {
        created.push((await guest(`${prefix}-${String(index).padStart(2, '0')}`)).user.username);
      }
      const caller = await signIn(t);
      const response = await call(t, 'get', `/api/users?query=${prefix}`, bearer(caller)).expect(
        200,
      );
      expect((response.body as UserDto[]).map((user) => user.username)).toEqual(
        created.sort().slice(0, USER_SEARCH_MAX),
      );
    });

    it('refuses a missing, empty, too long or non-string query, and missing tokens', async () => {
      const ann = await signIn(t);
      for (const query of [
        '',
        '?query=',
        `?query=${'a'.repeat(33)}`,
        '?query[$ne]=x',
        '?query=a&query=b',
      ]) {
        const response = await call(t, 'get', `/api/users${query}`, bearer(ann)).expect(400);
        expect(response.body).toMatchObject({ error: { code: 'validation_failed' } });
      }
      await call(t, 'get', '/api/users?query=an', undefined).expect(401);
    });
  });

  describe('the reserved username "room"', () => {
    it('cannot be taken by a guest or a registration', async () => {
      const asGuest = await t.http.post('/api/auth/guest').send({ username: 'room' }).expect(400);
      expect(asGuest.body).toMatchObject({
        error: { code: 'validation_failed', details: { issues: [{ field: 'username' }] } },
      });
      const registered = await t.http
        .post('/api/auth/register')
        .send({ username: 'room', password: 'violet-kettle-harbour' })
        .expect(400);
      expect(registered.body).toMatchObject({ error: { code: 'validation_failed' } });
      // Names that merely contain it are fine.
      await guest(`room-${randomBytes(3).toString('hex')}`);
    });

    it('cannot be made permanent by a guest who got it before it was reserved', async () => {
      const users = t.app.get<Model<User>>(getModelToken(User.name));
      // Written straight to the database, as an account from before the name was reserved.
      const legacy = await users.create({ username: 'room', displayName: 'Room' });
      const { token } = await t.app.get(AccessTokenService).issue({
        id: legacy._id.toHexString(),
        username: 'room',
        displayName: 'Room',
      });
      const response = await t.http
        .post('/api/auth/claim')
        .auth(token, { type: 'bearer' })
        .send({ password: 'violet-kettle-harbour' })
        .expect(400);
      expect(response.body).toMatchObject({ error: { code: 'validation_failed' } });
    });
  });
});
