import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { getModelToken } from '@nestjs/mongoose';
import type { MessagePageDto } from '@parley/contracts';
import type { Model } from 'mongoose';
import { Room } from '../src/rooms/room.schema';
import { bearer, call } from './support/rooms';
import { closeSockets, connectSocket, emitWithAck } from './support/sockets';
import { startTestApp } from './support/test-app';
import { createRoom, signIn } from './support/users';

// Only the embedded database lives in the data directory; an external one persists by itself.
const describeEmbedded = process.env['MONGODB_URI'] ? describe.skip : describe;

describeEmbedded('restarting with the same data directory', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'parley-restart-'));
  });

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps users, rooms, messages and sessions (generated JWT secret included)', async () => {
    const first = await startTestApp({ PARLEY_DATA_DIR: dataDir });
    const ann = await signIn(first, 'Ann');
    const room = await createRoom(first, ann.accessToken, 'kept');
    const socket = await connectSocket(first.baseUrl, ann.accessToken);
    await emitWithAck(socket, 'join_room', { room: room.id });
    const sent = await emitWithAck(socket, 'send_message', {
      room: room.id,
      content: 'before restart',
      clientMessageId: randomUUID(),
    });
    closeSockets(socket);
    await first.close();

    const second = await startTestApp({ PARLEY_DATA_DIR: dataDir });
    try {
      expect(second.config.jwtSecret).toBe(first.config.jwtSecret);
      await second.http.get('/api/users/me').auth(ann.accessToken, { type: 'bearer' }).expect(200);
      const page = (
        await second.http
          .get(`/api/rooms/${room.id}/messages`)
          .auth(ann.accessToken, { type: 'bearer' })
          .expect(200)
      ).body as MessagePageDto;
      expect(page.items).toEqual([sent.ok ? sent.data : undefined]);

      // seq continues where it stopped.
      const again = await connectSocket(second.baseUrl, ann.accessToken);
      await emitWithAck(again, 'join_room', { room: room.id });
      const next = await emitWithAck(again, 'send_message', {
        room: room.id,
        content: 'after restart',
        clientMessageId: randomUUID(),
      });
      expect(next).toMatchObject({ ok: true, data: { seq: 2 } });
      closeSockets(again);
    } finally {
      await second.close();
    }
  });

  it('counts the owners of rooms stored before ownerCount existed, at boot', async () => {
    const first = await startTestApp({ PARLEY_DATA_DIR: dataDir });
    const ann = await signIn(first, 'Ann');
    const bob = await signIn(first, 'Bob');
    const room = await createRoom(first, ann.accessToken, 'legacy');
    const socket = await connectSocket(first.baseUrl, bob.accessToken);
    await emitWithAck(socket, 'join_room', { room: room.id });
    closeSockets(socket);
    await call(first, 'patch', `/api/rooms/${room.id}/members/${bob.user.id}`, bearer(ann), {
      role: 'owner',
    }).expect(200);
    // What a room written by the previous version looks like.
    await first.app
      .get<Model<Room>>(getModelToken(Room.name))
      .updateOne({ _id: room.id }, { $unset: { ownerCount: 1 } })
      .exec();
    await first.close();

    const second = await startTestApp({ PARLEY_DATA_DIR: dataDir });
    try {
      // Two owners were counted: one may go, the other is then the last.
      await call(second, 'patch', `/api/rooms/${room.id}/members/${bob.user.id}`, bearer(ann), {
        role: 'member',
      }).expect(200);
      const last = await call(
        second,
        'patch',
        `/api/rooms/${room.id}/members/${ann.user.id}`,
        bearer(ann),
        { role: 'member' },
      ).expect(409);
      expect(last.body).toMatchObject({ error: { code: 'last_owner' } });
    } finally {
      await second.close();
    }
  });
});
