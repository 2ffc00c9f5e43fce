import { randomUUID } from 'node:crypto';
import { getConnectionToken } from '@nestjs/mongoose';
import {
  UPLOAD_FIELD,
  type AuthSessionDto,
  type ErrorResponseDto,
  type RoomViewDto,
} from '@parley/contracts';
import { trusted, type Connection } from 'mongoose';
import { io } from 'socket.io-client';
import { bearer, call, createRoomOfKind } from './support/rooms';
import {
  closeSockets,
  connectSocket,
  emitRawWithAck,
  emitWithAck,
  firstRefusal,
  type ClientSocket,
} from './support/sockets';
import { startTestApp, type TestApp } from './support/test-app';
import { signIn, uniqueUsername } from './support/users';

describe('abuse protection', () => {
  let t: TestApp;
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    t = await startTestApp({ REST_RATE_LIMIT_PER_MINUTE: '100000' });
  });

  afterEach(() => {
    closeSockets(...sockets.splice(0));
  });

  afterAll(async () => {
    await t.close();
  });

  async function connect(session: AuthSessionDto): Promise<ClientSocket> {
    const socket = await connectSocket(t.baseUrl, session.accessToken);
    sockets.push(socket);
    return socket;
  }

  async function registerUser(): Promise<AuthSessionDto> {
    const response = await t.http
      .post('/api/auth/register')
      .send({ username: uniqueUsername('reg'), password: 'violet-kettle-harbour' })
      .expect(201);
    return response.body as AuthSessionDto;
  }

  /** Ann in a public room of hers and Bob, both connected; Bob has not joined it. */
  async function annInRoomWithBob() {
    const ann = await signIn(t);
    const bob = await signIn(t);
    const room = await createRoomOfKind(t, ann, 'public');
    const annSocket = await connect(ann);
    const bobSocket = await connect(bob);
    await emitWithAck(annSocket, 'join_room', { room: room.id });
    return { ann, room, annSocket, bobSocket };
  }

  describe('send_message token bucket', () => {
    it('allows a burst of 20 per user, refuses the 21st with retryAfterMs, and counts per user', async () => {
      const { room, annSocket, bobSocket } = await annInRoomWithBob();
      await emitWithAck(bobSocket, 'join_room', { room: room.id });
      const refusal = await firstRefusal(25, (attempt) =>
        emitWithAck(annSocket, 'send_message', {
          room: room.id,
          content: `message ${attempt}`,
          clientMessageId: randomUUID(),
        }),
      );
      const { retryAfterMs } = refusal;
      console.log(
        `send_message: ${refusal.code} from send #${refusal.attempt}, retryAfterMs ${retryAfterMs}`,
      );
      expect(refusal.code).toBe('rate_limited');
      expect(refusal.attempt).toBe(21);
      expect(retryAfterMs).toBeGreaterThan(0);
      expect(retryAfterMs).toBeLessThanOrEqual(60_000);
      // Another user has a bucket of their own.
      expect(
        await emitWithAck(bobSocket, 'send_message', {
          room: room.id,
          content: 'mine still works',
          clientMessageId: randomUUID(),
        }),
      ).toMatchObject({ ok: true });
    });
  });

  describe('socket event bucket', () => {
    it('refuses any event past 200 in a burst per user with retryAfterMs, changing nothing, and keeps the connection', async () => {
      const { ann, room, annSocket, bobSocket } = await annInRoomWithBob();
      const sent = await emitWithAck(annSocket, 'send_message', {
        room: room.id,
        content: 'react to me',
        clientMessageId: randomUUID(),
      });
      if (!sent.ok) throw new Error(sent.error.message);
      // Two events so far; the cheapest one spends the rest of the steady and burst allowance.
      const refusal = await firstRefusal(203, () =>
        emitWithAck(annSocket, 'set_presence', { status: 'online' }),
      );
      expect(refusal.code).toBe('rate_limited');
      // The user's 201st event.
      expect(2 + refusal.attempt).toBe(201);
      // Any kind of event is refused now, before it is even looked at.
      const reaction = await emitWithAck(annSocket, 'react', {
        room: room.id,
        id: sent.data.id,
        emoji: '👍',
        add: true,
      });
      expect(reaction).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
      const retryAfterMs = reaction.ok ? 0 : (reaction.error.details?.retryAfterMs ?? 0);
      expect(retryAfterMs).toBeGreaterThan(0);
      expect(retryAfterMs).toBeLessThanOrEqual(60_000);
      const invalid = await emitRawWithAck(annSocket, 'sync', { rooms: 'not an object' });
      expect(invalid).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
      // The refused reaction was not stored.
      const page = await call(t, 'get', `/api/rooms/${room.id}/messages`, bearer(ann)).expect(200);
      expect(page.body).toMatchObject({ items: [{ id: sent.data.id, reactions: [] }] });
      expect(annSocket.connected).toBe(true);
      // Another user has a bucket of their own.
      expect(await emitWithAck(bobSocket, 'join_room', { room: room.id })).toMatchObject({
        ok: true,
      });
    });
  });

  describe('origins', () => {
    it('refuses a foreign Origin on REST and allows none, the same origin and a listed one', async () => {
      const ann = await signIn(t);
      const refused = await t.http
        .get('/api/rooms')
        .set('Authorization', bearer(ann))
        .set('Origin', 'https://evil.example')
        .expect(403);
      expect((refused.body as ErrorResponseDto).error.code).toBe('forbidden');
      await t.http
        .post('/api/rooms')
        .set('Authorization', bearer(ann))
        .set('Origin', 'https://evil.example')
        .send({ name: 'csrf' })
        .expect(403);
      await t.http.get('/api/rooms').set('Authorization', bearer(ann)).expect(200);
      await t.http
        .get('/api/rooms')
        .set('Authorization', bearer(ann))
        .set('Origin', t.baseUrl)
        .expect(200);
    });

    it('refuses a socket handshake from a foreign Origin', async () => {
      const ann = await signIn(t);
      const foreign = io(t.baseUrl, {
        path: '/socket.io',
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
        auth: { token: ann.accessToken },
        extraHeaders: { Origin: 'https://evil.example' },
      });
      sockets.push(foreign);
      await new Promise<void>((resolve, reject) => {
        foreign.once('connect', () => reject(new Error('a foreign origin connected')));
        foreign.once('connect_error', () => resolve());
      });
      const same = io(t.baseUrl, {
        path: '/socket.io',
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
        auth: { token: ann.accessToken },
        extraHeaders: { Origin: t.baseUrl },
      });
      sockets.push(same);
      await new Promise<void>((resolve, reject) => {
        same.once('connect', () => resolve());
        same.once('connect_error', reject);
      });
    });

    it('allows origins listed in CORS_ORIGINS, with CORS headers', async () => {
      const listed = await startTestApp({ CORS_ORIGINS: 'https://chat.example.com' });
      try {
        const response = await listed.http
          .get('/api/health')
          .set('Origin', 'https://chat.example.com')
          .expect(200);
        expect(response.headers['access-control-allow-origin']).toBe('https://chat.example.com');
        await listed.http.get('/api/health').set('Origin', 'https://evil.example').expect(403);
      } finally {
        await listed.close();
      }
    });
  });

  describe('REST throttle', () => {
    it('answers 429 rate_limited with Retry-After past the per-IP limit', async () => {
      const limited = await startTestApp({ REST_RATE_LIMIT_PER_MINUTE: '5' });
      try {
        for (let index = 0; index < 5; index += 1) {
          await limited.http.get('/api/health').expect(200);
        }
        const response = await limited.http.get('/api/health').expect(429);
        expect((response.body as ErrorResponseDto).error).toMatchObject({
          code: 'rate_limited',
          details: { retryAfterMs: expect.any(Number) as number },
        });
        expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
      } finally {
        await limited.close();
      }
    });
  });

  describe('security headers', () => {
    it('sends a strict CSP for the app and a relaxed one only for Swagger UI', async () => {
      const api = await t.http.get('/api/health').expect(200);
      const csp = String(api.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(api.headers['x-content-type-options']).toBe('nosniff');
      const docs = await t.http.get('/api/docs').redirects(1).expect(200);
      expect(String(docs.headers['content-security-policy'])).toContain(
        "style-src 'self' 'unsafe-inline'",
      );
      expect(String(docs.headers['content-security-policy'])).toContain("script-src 'self'");
    });
  });

  describe('operator injection', () => {
    it('executes no operator object from query strings, bodies, params or socket payloads', async () => {
      const ann = await signIn(t);
      const eve = await signIn(t);
      const secret = await createRoomOfKind(t, ann, 'private', 'Secret');
      const attempts: { what: string; status: number; leaked: boolean }[] = [];
      const victim = await registerUser();
      const leakedSecret = (body: unknown) =>
        JSON.stringify(body).includes(secret.id) || JSON.stringify(body).includes(victim.user.id);

      const restAttempts: [string, string, object | undefined][] = [
        ['get', `/api/rooms/${secret.id}/messages?before[$gt]=0`, undefined],
        ['get', `/api/rooms/${secret.id}/messages?limit[$ne]=1`, undefined],
        ['get', '/api/rooms/%7B%22%24ne%22%3Anull%7D', undefined],
        ['get', '/api/rooms?kind[$ne]=public', undefined],
        ['post', '/api/dms', { username: { $ne: null } }],
        ['post', '/api/dms', { username: { $regex: '.*' } }],
        ['post', '/api/rooms', { name: { $gt: '' } }],
        ['post', '/api/rooms', { name: 'x', kind: { $ne: 'public' } }],
        ['patch', `/api/rooms/${secret.id}`, { topic: { $set: { name: 'pwned' } } }],
        ['post', `/api/rooms/${secret.id}/invites`, { expiresInSeconds: { $gt: 0 } }],
        ['post', '/api/invites/%24ne/accept', undefined],
        ['patch', `/api/rooms/${secret.id}/members/${eve.user.id}`, { role: { $ne: 'member' } }],
        // Users and accounts: an operator that ran would find (or sign in as) someone else.
        ['get', '/api/users/nobody-here?username[$ne]=x', undefined],
        ['get', '/api/users/%7B%22%24ne%22%3A%22x%22%7D', undefined],
        ['get', '/api/users/%24ne', undefined],
        ['post', '/api/auth/login', { username: { $gt: '' }, password: 'whatever-it-is' }],
        ['post', '/api/auth/login', { username: victim.user.username, password: { $ne: '' } }],
        ['post', '/api/auth/register', { username: { $gt: '' }, password: 'a-long-passphrase' }],
        ['post', '/api/auth/guest', { username: { $ne: null } }],
        ['post', '/api/auth/claim', { password: { $exists: true } }],
      ];
      for (const [method, path, body] of restAttempts) {
        const request =
          method === 'get'
            ? t.http.get(path)
            : method === 'post'
              ? t.http.post(path)
              : t.http.patch(path);
        request.set('Authorization', bearer(eve));
        const response = await (body === undefined ? request : request.send(body));
        attempts.push({
          what: `${method} ${path} ${JSON.stringify(body ?? {})}`,
          status: response.status,
          leaked: response.status < 400 && leakedSecret(response.body),
        });
      }

      const socket = await connect(eve);
      const socketAttempts: [string, unknown][] = [
        ['join_room', { room: { $ne: null } }],
        ['join_room', { room: { $gt: '' } }],
        ['send_message', { room: { $ne: null }, content: 'x', clientMessageId: randomUUID() }],
        ['send_message', { room: secret.id, content: { $gt: '' }, clientMessageId: randomUUID() }],
        ['leave_room', { room: { $in: [secret.id] } }],
      ];
      // cookie-parser turns a `j:` cookie into an object: a refresh filter must not run it.
      for (const cookie of ['j:{"$ne":null}', 'j:{"$gt":""}']) {
        const response = await t.http
          .post('/api/auth/refresh')
          .set('Cookie', `parley_refresh=${encodeURIComponent(cookie)}`);
        attempts.push({
          what: `post /api/auth/refresh cookie ${cookie}`,
          status: response.status,
          leaked: response.status < 400,
        });
      }

      for (const [event, payload] of socketAttempts) {
        const ack = await emitRawWithAck(socket, event, payload);
        attempts.push({
          what: `${event} ${JSON.stringify(payload)}`,
          status: ack.ok ? 200 : 400,
          leaked: ack.ok && leakedSecret(ack),
        });
      }

      // A listing that honoured `kind[$ne]` would have shown the private room.
      const list = (await call(t, 'get', '/api/rooms', bearer(eve)).expect(200))
        .body as RoomViewDto[];
      expect(list.map((room) => room.id)).not.toContain(secret.id);
      const room = (await call(t, 'get', `/api/rooms/${secret.id}`, bearer(ann)).expect(200))
        .body as RoomViewDto;
      expect(room.name).toBe('Secret');

      // A bypass is an operator that changed what the server did: here, anything that revealed
      // the private room. Everything but the list (whose unknown query keys are ignored) is refused.
      const bypasses = attempts.filter((attempt) => attempt.leaked);
      const accepted = attempts.filter((attempt) => attempt.status < 400);
      console.log(
        `operator injection: ${attempts.length} attempts, ${attempts.length - accepted.length} ` +
          `refused, ${bypasses.length} bypasses`,
      );
      expect(bypasses).toEqual([]);
      expect(accepted.map((attempt) => attempt.what)).toEqual([
        'get /api/rooms?kind[$ne]=public {}',
      ]);
    });
  });

  describe('every model', () => {
    it('is strict, and runs an operator only when the code marked it trusted()', async () => {
      // Make sure every collection has a document, so a matching operator would count something.
      const ann = await registerUser();
      const room = await createRoomOfKind(t, ann, 'private');
      await call(t, 'post', `/api/rooms/${room.id}/invites`, bearer(ann), {}).expect(201);
      const bob = await signIn(t);
      await call(t, 'put', `/api/rooms/${room.id}/bans/${bob.user.id}`, bearer(ann)).expect(200);
      const socket = await connect(ann);
      await emitWithAck(socket, 'join_room', { room: room.id });
      const sent = await emitWithAck(socket, 'send_message', {
        room: room.id,
        content: 'hello',
        clientMessageId: randomUUID(),
      });
      if (!sent.ok) throw new Error('send failed');
      // A change (here a reaction) is what writes the change log.
      const reacted = await emitWithAck(socket, 'react', {
        room: room.id,
        id: sent.data.id,
        emoji: '👍',
        add: true,
      });
      expect(reacted.ok).toBe(true);
      // The files model reads GridFS's own collection: an upload puts a document there.
      await t.http
        .post(`/api/rooms/${room.id}/files`)
        .set('Authorization', bearer(ann))
        .attach(UPLOAD_FIELD, Buffer.from('hello'), 'hello.txt')
        .expect(201);

      const connection = t.app.get<Connection>(getConnectionToken());
      expect(connection.get('sanitizeFilter')).toBe(true);
      const names = connection.modelNames();
      expect(names.length).toBeGreaterThanOrEqual(7);
      for (const name of names) {
        const model = connection.model(name);
        expect({ name, strict: model.schema.get('strict') }).toEqual({ name, strict: 'throw' });
        expect({ name, strictQuery: model.schema.get('strictQuery') }).toEqual({
          name,
          strictQuery: 'throw',
        });
        const total = await model.estimatedDocumentCount().exec();
        expect({ name, total: total > 0 }).toEqual({ name, total: true });
        // As input would send it: sanitized into a literal `$eq`, which cannot even be cast.
        const untrusted = await model
          .countDocuments({ _id: { $exists: true } })
          .exec()
          .then(
            (count) => ({ count }),
            (error: unknown) => ({ error: error instanceof Error ? error.name : 'unknown' }),
          );
        expect({ name, untrusted }).toEqual({ name, untrusted: { error: 'CastError' } });
        const matched = await model.countDocuments({ _id: trusted({ $exists: true }) }).exec();
        expect({ name, matched }).toEqual({ name, matched: total });
      }
    });
  });
});
