import { randomUUID } from 'node:crypto';
import type { AuthSessionDto, MessageDto } from '@parley/contracts';
import { connectChatSocket, request, type ChatSocket, nextMessage } from '../src/chat-socket';
import { createPublicRoom, fetchHistory, signInGuest } from '../src/rest';
import { ServerProcess } from '../src/server-process';

const ACK_TIMEOUT_MS = 10_000;

describe('send_message is idempotent per clientMessageId (production build)', () => {
  let server: ServerProcess;
  let ann: AuthSessionDto;
  let bob: AuthSessionDto;
  let roomA: string;
  let roomB: string;
  const sockets: ChatSocket[] = [];

  async function connect(session: AuthSessionDto, ...rooms: string[]): Promise<ChatSocket> {
    const socket = await connectChatSocket(server.baseUrl, session.accessToken);
    sockets.push(socket);
    for (const room of rooms) await request(socket, 'join_room', { room }, ACK_TIMEOUT_MS);
    return socket;
  }

  function send(socket: ChatSocket, room: string, content: string, clientMessageId: string) {
    return request(socket, 'send_message', { room, content, clientMessageId }, ACK_TIMEOUT_MS);
  }

  async function stored(room: string, clientMessageId: string): Promise<MessageDto[]> {
    const history = await fetchHistory(server.baseUrl, ann.accessToken, room);
    return history.filter((message) => message.clientMessageId === clientMessageId);
  }

  beforeAll(async () => {
    server = await ServerProcess.start();
    ann = await signInGuest(server.baseUrl, 'idem-ann');
    bob = await signInGuest(server.baseUrl, 'idem-bob');
    roomA = (await createPublicRoom(server.baseUrl, ann.accessToken, 'idempotency A')).id;
    roomB = (await createPublicRoom(server.baseUrl, ann.accessToken, 'idempotency B')).id;
  }, 120_000);

  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.disconnect();
  });

  afterAll(async () => {
    await server?.stop();
  }, 30_000);

  it('stores five concurrent sends once and acks all five with the same id and seq', async () => {
    const annSocket = await connect(ann, roomA);
    const bobSocket = await connect(bob, roomA);
    const announced: MessageDto[] = [];
    bobSocket.on('new_message', (message) => announced.push(message));
    const clientMessageId = randomUUID();

    const acks = await Promise.all(
      Array.from({ length: 5 }, () => send(annSocket, roomA, 'five at once', clientMessageId)),
    );

    const [first] = acks;
    expect(acks).toEqual(Array.from({ length: 5 }, () => first));
    expect(first).toMatchObject({ room: roomA, content: 'five at once', clientMessageId });
    expect(await stored(roomA, clientMessageId)).toEqual([first]);
    // The burst used one seq: the next message follows it directly.
    const marker = nextMessage(bobSocket, (message) => message.content === 'after the burst');
    const next = await send(annSocket, roomA, 'after the burst', randomUUID());
    expect(next.seq).toBe(first.seq + 1);
    await marker;
    // Whatever the room was told about the burst names the one stored message.
    const aboutBurst = announced.filter((message) => message.clientMessageId === clientMessageId);
    expect(aboutBurst.length).toBeGreaterThan(0);
    expect(new Set(aboutBurst.map((message) => JSON.stringify(message)))).toEqual(
      new Set([JSON.stringify(first)]),
    );
  });

  it('answers a resend after a SIGKILL and restart with the original', async () => {
    const before = await connect(ann, roomA);
    const clientMessageId = randomUUID();
    const original = await send(before, roomA, 'acked, then killed', clientMessageId);
    // No grace: the ack promised the write was durable.
    await server.kill();
    await server.restart();

    const after = await connect(ann, roomA);
    const resent = await send(after, roomA, 'acked, then killed', clientMessageId);

    expect(resent).toEqual(original);
    expect(await stored(roomA, clientMessageId)).toEqual([original]);
  }, 120_000);

  it('answers a resend with different content with the original, content unchanged', async () => {
    const socket = await connect(ann, roomA);
    const clientMessageId = randomUUID();
    const original = await send(socket, roomA, 'the first words', clientMessageId);

    const resent = await send(socket, roomA, 'second thoughts', clientMessageId);

    expect(resent).toEqual(original);
    expect(await stored(roomA, clientMessageId)).toEqual([original]);
  });

  it('stores the same clientMessageId in another room as a separate message', async () => {
    const socket = await connect(ann, roomA, roomB);
    const clientMessageId = randomUUID();
    const inA = await send(socket, roomA, 'same key, room A', clientMessageId);

    const inB = await send(socket, roomB, 'same key, room B', clientMessageId);

    expect(inB.id).not.toBe(inA.id);
    expect(inB).toMatchObject({ room: roomB, content: 'same key, room B', clientMessageId });
    expect(await stored(roomA, clientMessageId)).toEqual([inA]);
    expect(await stored(roomB, clientMessageId)).toEqual([inB]);
    // And each room keeps answering resends with its own.
    expect(await send(socket, roomB, 'again', clientMessageId)).toEqual(inB);
    expect(await send(socket, roomA, 'again', clientMessageId)).toEqual(inA);
  });
});
