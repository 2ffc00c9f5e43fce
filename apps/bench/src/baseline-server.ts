/*
 * The baseline: a bare Socket.IO server speaking Parley's event names and payload shapes, with no
 * Nest, no authentication, no validation and no database, so the same load generator drives both.
 * It answers every event through its ack with the same `Ack` envelope and, like Parley, broadcasts
 * `new_message` to the room except the sending socket before acknowledging.
 * Usage: node baseline-server.js (listens on 127.0.0.1, a free port; prints the URL).
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { Ack, MessageDto } from '@parley/contracts';
import { Server } from 'socket.io';

const MAX_PAYLOAD_BYTES = 64 * 1024;

interface SendPayload {
  room?: unknown;
  content?: unknown;
  clientMessageId?: unknown;
}

const httpServer = createServer();
const io = new Server(httpServer, {
  path: '/socket.io',
  serveClient: false,
  maxHttpBufferSize: MAX_PAYLOAD_BYTES,
});
const lastSeq = new Map<string, number>();
let nextMessageId = 1;

io.on('connection', (socket) => {
  const auth: unknown = socket.handshake.auth;
  // No authentication: the "token" only names the sender, so messages look like Parley's.
  const token = typeof auth === 'object' && auth !== null && 'token' in auth ? auth.token : '';
  const username = typeof token === 'string' && token !== '' ? token : socket.id;
  const sender = { id: username, username, displayName: username };

  socket.on('join_room', (payload: { room?: unknown }, ack: (response: Ack<unknown>) => void) => {
    const room = String(payload.room);
    void socket.join(room);
    ack({ ok: true, data: { room: { id: room, name: room } } });
  });

  socket.on('send_message', (payload: SendPayload, ack: (response: Ack<MessageDto>) => void) => {
    const room = String(payload.room);
    const seq = (lastSeq.get(room) ?? 0) + 1;
    lastSeq.set(room, seq);
    const message: MessageDto = {
      id: String(nextMessageId++),
      room,
      seq,
      sender,
      content: String(payload.content),
      // Parley's message shape, so both servers send payloads of the same size.
      mentions: [],
      mentionsRoom: false,
      clientMessageId:
        typeof payload.clientMessageId === 'string' ? payload.clientMessageId : randomUUID(),
      createdAt: new Date().toISOString(),
      version: 1,
      changeSeq: 0,
      editedAt: null,
      deletedAt: null,
      reactions: [],
      replyTo: null,
      pinnedAt: null,
      attachments: [],
    };
    io.to(room).except(socket.id).emit('new_message', message);
    ack({ ok: true, data: message });
  });
});

httpServer.listen(0, '127.0.0.1', () => {
  const address = httpServer.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  console.log(`Baseline listening on http://127.0.0.1:${address.port}`);
});

process.once('SIGTERM', () => {
  void io.close(() => process.exit(0));
});
