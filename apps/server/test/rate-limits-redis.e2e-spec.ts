import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuthSessionDto, ErrorResponseDto } from '@parley/contracts';
import { EmbeddedMongo, type EmbeddedMongoHandle } from '@parley/embedded-mongo';
import Redis from 'ioredis';
import type request from 'supertest';
import { RateLimitStore } from '../src/common/rate-limit/rate-limit-store';
import { createRoomOfKind } from './support/rooms';
import { startRedisServer, type RunningRedis } from './support/redis-server';
import {
  closeSockets,
  connectSocket,
  emitWithAck,
  firstRefusal,
  type ClientSocket,
} from './support/sockets';
import { startTestApp, type TestApp } from './support/test-app';
import { signIn, uniqueUsername } from './support/users';

const PASSWORD = 'violet-kettle-harbour';
const REST_LIMIT = 40;

let ipCounter = 0;
/** Each test speaks from its own client address (trusted through TRUST_PROXY=loopback). */
function uniqueIp(): string {
  ipCounter += 1;
  return `203.0.${Math.floor(ipCounter / 250)}.${(ipCounter % 250) + 1}`;
}

function errorOf(response: request.Response): ErrorResponseDto['error'] {
  return (response.body as ErrorResponseDto).error;
}

describe('rate limits shared through Redis by two instances', () => {
  let redis: RunningRedis;
  let inspector: Redis;
  let embedded: EmbeddedMongoHandle | undefined;
  let embeddedDir: string | undefined;
  let a: TestApp;
  let b: TestApp;
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    inspector = new Redis(redis.url);
    // Both instances on one database, as behind a load balancer.
    let mongodbUri = process.env['MONGODB_URI'];
    if (!mongodbUri) {
      embeddedDir = await mkdtemp(join(tmpdir(), 'parley-shared-db-'));
      embedded = await EmbeddedMongo.start({ port: 0, dbPath: embeddedDir });
      mongodbUri = embedded.uri;
    }
    const shared = {
      MONGODB_URI: mongodbUri,
      MONGODB_DB_NAME: `parley_test_${randomUUID().slice(0, 8)}`,
      // Tokens issued by one instance are accepted by the other.
      JWT_SECRET: randomBytes(32).toString('hex'),
      REDIS_URL: redis.url,
      TRUST_PROXY: 'loopback',
      REST_RATE_LIMIT_PER_MINUTE: String(REST_LIMIT),
    };
    a = await startTestApp(shared);
    b = await startTestApp(shared);
  });

  afterEach(() => {
    closeSockets(...sockets.splice(0));
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await embedded?.stop();
    if (embeddedDir) await rm(embeddedDir, { recursive: true, force: true });
    inspector?.disconnect();
    await redis?.stop();
  });

  function login(t: TestApp, username: string, password: string, ip = uniqueIp()) {
    return t.http.post('/api/auth/login').set('x-forwarded-for', ip).send({ username, password });
  }

  async function registered(): Promise<string> {
    const username = uniqueUsername('shared');
    await a.http
      .post('/api/auth/register')
      .set('x-forwarded-for', uniqueIp())
      .send({ username, password: PASSWORD })
      .expect(201);
    return username;
  }

  it('runs both instances on Redis', () => {
    expect(a.app.get(RateLimitStore).backend).toBe('redis');
    expect(b.app.get(RateLimitStore).backend).toBe('redis');
  });

  it('counts login attempts per IP across instances: the 6th is 429 on either one', async () => {
    const username = await registered();
    const ip = uniqueIp();
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      const instance = attempt % 2 === 1 ? a : b;
      const response = await login(instance, username, `wrong-${attempt}`, ip);
      expect([attempt, response.status]).toEqual([attempt, 401]);
    }
    for (const instance of [a, b]) {
      const throttled = await login(instance, username, PASSWORD, ip).expect(429);
      expect(errorOf(throttled).code).toBe('rate_limited');
      expect(errorOf(throttled).details?.retryAfterMs).toBeGreaterThan(0);
      expect(errorOf(throttled).details?.retryAfterMs).toBeLessThanOrEqual(60_000);
    }
    // The counter is in Redis under the limiter's prefix.
    expect(await inspector.exists(`parley:rl:login-ip:${ip}`)).toBe(1);
    // Another address is not affected.
    await login(b, username, PASSWORD).expect(200);
  });

  it('honours on B an account lock that failures through A set', async () => {
    const username = await registered();
    for (let attempt = 1; attempt <= 10; attempt += 1) {
      const response = await login(a, username, `wrong-${attempt}`);
      expect([attempt, response.status]).toEqual([attempt, 401]);
    }
    const locked = await login(b, username, PASSWORD).expect(429);
    expect(errorOf(locked).code).toBe('account_locked');
    expect(errorOf(locked).details?.retryAfterMs).toBeGreaterThan(14 * 60_000);
    expect(errorOf(locked).details?.retryAfterMs).toBeLessThanOrEqual(15 * 60_000);
  });

  it('shares one send_message bucket per user across sockets on both instances', async () => {
    const ann: AuthSessionDto = await signIn(a);
    const room = await createRoomOfKind(a, ann, 'public');
    const onA = await connectSocket(a.baseUrl, ann.accessToken);
    const onB = await connectSocket(b.baseUrl, ann.accessToken);
    sockets.push(onA, onB);
    await emitWithAck(onA, 'join_room', { room: room.id });
    await emitWithAck(onB, 'join_room', { room: room.id });
    const refusal = await firstRefusal(25, (attempt) =>
      emitWithAck(attempt % 2 === 1 ? onA : onB, 'send_message', {
        room: room.id,
        content: `message ${attempt}`,
        clientMessageId: randomUUID(),
      }),
    );
    const { retryAfterMs } = refusal;
    expect(refusal.code).toBe('rate_limited');
    expect(refusal.attempt).toBe(21);
    expect(retryAfterMs).toBeGreaterThan(0);
    expect(retryAfterMs).toBeLessThanOrEqual(60_000);
    // The other instance refuses too: the bucket is the user's, not the socket's or the process's.
    const onA2 = await emitWithAck(onA, 'send_message', {
      room: room.id,
      content: 'one more',
      clientMessageId: randomUUID(),
    });
    expect(onA2).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
  });

  it('shares one socket-event bucket per user across instances', async () => {
    const bob: AuthSessionDto = await signIn(a);
    const onA = await connectSocket(a.baseUrl, bob.accessToken);
    const onB = await connectSocket(b.baseUrl, bob.accessToken);
    sockets.push(onA, onB);
    // 200 in a burst (100 steady, 100 more): half through each instance.
    const refusal = await firstRefusal(205, (event) =>
      emitWithAck(event % 2 === 1 ? onA : onB, 'set_presence', { status: 'online' }),
    );
    expect(refusal.code).toBe('rate_limited');
    expect(refusal.attempt).toBe(201);
    for (const socket of [onA, onB]) {
      expect(await emitWithAck(socket, 'set_presence', { status: 'away' })).toMatchObject({
        ok: false,
        error: { code: 'rate_limited' },
      });
    }
    expect(await inspector.exists(`parley:rl:socket_event:${bob.user.id}`)).toBe(1);
  });

  it('counts REST requests per IP across instances', async () => {
    const ip = uniqueIp();
    for (let request = 1; request <= REST_LIMIT; request += 1) {
      const instance = request % 2 === 1 ? a : b;
      await instance.http.get('/api/health').set('x-forwarded-for', ip).expect(200);
    }
    for (const instance of [a, b]) {
      const response = await instance.http
        .get('/api/health')
        .set('x-forwarded-for', ip)
        .expect(429);
      expect(errorOf(response).code).toBe('rate_limited');
      expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    }
  });

  // Last: it stops the shared Redis (afterAll's stop() is then a no-op).
  it('fails open when Redis goes away: both instances keep answering from memory', async () => {
    const username = await registered();
    await redis.stop();
    await login(a, username, 'wrong-password').expect(401);
    await login(b, username, PASSWORD).expect(200);
    await a.http.get('/api/health').expect(200);
  });
});
