import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { MessagePageDto } from '@parley/contracts';
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
});
