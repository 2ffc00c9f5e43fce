import { randomUUID } from 'node:crypto';
import { getModelToken } from '@nestjs/mongoose';
import type {
  AuthSessionDto,
  MessageDto,
  MessagePageDto,
  RoomDto,
  SyncDto,
  SyncResultDto,
} from '@parley/contracts';
import type { Model } from 'mongoose';
import { MessageChangesService } from '../src/messages/message-changes.service';
import { Message } from '../src/messages/message.schema';
import { bearer, call } from './support/rooms';
import {
  closeSockets,
  connectSocket,
  emitRawWithAck,
  emitWithAck,
  type ClientSocket,
} from './support/sockets';
import { startTestApp, type TestApp } from './support/test-app';
import { createRoom, signIn } from './support/users';

describe('sync: changes (edits, deletes, reactions, pins) through the change cursor', () => {
  let t: TestApp;
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    t = await startTestApp();
  });

  afterEach(() => {
    closeSockets(...sockets.splice(0));
    jest.restoreAllMocks();
  });

  afterAll(async () => {
    await t.close();
  });

  async function member(room: RoomDto, session?: AuthSessionDto) {
    const user = session ?? (await signIn(t));
    const socket = await connectSocket(t.baseUrl, user.accessToken);
    sockets.push(socket);
    expect(await emitWithAck(socket, 'join_room', { room: room.id })).toMatchObject({ ok: true });
    return { user, socket };
  }

  async function send(socket: ClientSocket, room: string, content: string, replyTo?: string) {
    const ack = await emitWithAck(socket, 'send_message', {
      room,
      content,
      clientMessageId: randomUUID(),
      ...(replyTo ? { replyTo } : {}),
    });
    if (!ack.ok) throw new Error(`send failed: ${ack.error.code}`);
    return ack.data;
  }

  async function act<E extends 'edit_message' | 'delete_message' | 'react' | 'pin_message'>(
    socket: ClientSocket,
    event: E,
    payload: Parameters<typeof emitWithAck<E>>[2],
  ): Promise<MessageDto> {
    const ack = (await emitWithAck(socket, event, payload)) as
      { ok: true; data: MessageDto } | { ok: false; error: { code: string } };
    if (!ack.ok) throw new Error(`${event} failed: ${ack.error.code}`);
    return ack.data;
  }

  async function sync(socket: ClientSocket, payload: SyncDto): Promise<SyncResultDto> {
    const ack = await emitWithAck(socket, 'sync', payload);
    if (!ack.ok) throw new Error(`sync failed: ${ack.error.code} ${ack.error.message}`);
    return ack.data;
  }

  async function page(session: AuthSessionDto, room: string, limit = 200) {
    const response = await call(
      t,
      'get',
      `/api/rooms/${room}/messages?limit=${limit}`,
      bearer(session),
    ).expect(200);
    return response.body as MessagePageDto;
  }

  /** Of two copies of one message the higher version wins, as the contract tells clients. */
  function apply(held: Map<string, MessageDto>, messages: MessageDto[]): void {
    for (const message of messages) {
      const current = held.get(message.id);
      if (!current || current.version < message.version) held.set(message.id, message);
    }
  }

  it('stale page + synced messages and changes = a fresh load (the sync-equivalence test)', async () => {
    const owner = await signIn(t, 'Owner');
    const room = await createRoom(t, owner.accessToken, 'converge');
    const ownerSide = await member(room, owner);
    const ann = await member(room, await signIn(t, 'Ann'));
    const bob = await member(room, await signIn(t, 'Bob'));
    const early = [];
    for (let index = 1; index <= 8; index += 1) {
      early.push(await send(index % 2 ? ann.socket : bob.socket, room.id, `early ${index}`));
    }
    // Some history has changed before A looks.
    await act(ann.socket, 'edit_message', { room: room.id, id: early[0].id, content: 'early 1!' });
    await act(bob.socket, 'react', { room: room.id, id: early[0].id, emoji: '👍', add: true });

    // A takes a page (with its change cursor) and goes away.
    const reader = await signIn(t, 'Reader');
    const stale = await page(reader, room.id);
    expect(stale.changeSeq).toBe(2);
    const held = new Map(stale.items.map((message) => [message.id, message]));

    // Meanwhile: edits, deletes, reactions, pins and unpins, new messages and replies, and
    // changes to those new messages.
    await act(ann.socket, 'edit_message', { room: room.id, id: early[2].id, content: 'changed' });
    await act(bob.socket, 'delete_message', { room: room.id, id: early[1].id });
    await act(ownerSide.socket, 'delete_message', { room: room.id, id: early[4].id });
    await act(ann.socket, 'react', { room: room.id, id: early[3].id, emoji: '🎉', add: true });
    await act(bob.socket, 'react', { room: room.id, id: early[3].id, emoji: '🎉', add: true });
    await act(ann.socket, 'react', { room: room.id, id: early[0].id, emoji: '👍', add: true });
    await act(bob.socket, 'react', { room: room.id, id: early[0].id, emoji: '👍', add: false });
    await act(ownerSide.socket, 'pin_message', { room: room.id, id: early[5].id, pinned: true });
    await act(ownerSide.socket, 'pin_message', { room: room.id, id: early[6].id, pinned: true });
    await act(ownerSide.socket, 'pin_message', { room: room.id, id: early[6].id, pinned: false });
    const reply = await send(bob.socket, room.id, 'replying', early[7].id);
    const replyToEdited = await send(ann.socket, room.id, 'about that', early[2].id);
    for (let index = 1; index <= 4; index += 1) {
      await send(ownerSide.socket, room.id, `late ${index}`);
    }
    await act(bob.socket, 'delete_message', { room: room.id, id: early[7].id });
    await act(bob.socket, 'edit_message', { room: room.id, id: reply.id, content: 'replied' });
    await act(ann.socket, 'react', { room: room.id, id: replyToEdited.id, emoji: '✅', add: true });

    // A comes back and syncs messages and changes, a few at a time.
    const socket = await connectSocket(t.baseUrl, reader.accessToken);
    sockets.push(socket);
    let lastSeq = stale.items.at(-1)?.seq ?? 0;
    let changeSeq = stale.changeSeq;
    let rounds = 0;
    for (let more = true; more; rounds += 1) {
      const result = await sync(socket, {
        rooms: { [room.id]: lastSeq },
        changes: { [room.id]: changeSeq },
        limit: 3,
      });
      const [answer] = result.rooms;
      apply(held, answer.messages);
      apply(held, answer.changed);
      lastSeq = answer.messages.at(-1)?.seq ?? lastSeq;
      changeSeq = answer.changeSeq;
      more = answer.hasMore || answer.hasMoreChanges;
    }
    expect(rounds).toBeGreaterThan(2);

    const fresh = await page(reader, room.id);
    const converged = [...held.values()].sort((a, b) => a.seq - b.seq);
    expect(converged).toEqual(fresh.items);
    expect(changeSeq).toBe(fresh.changeSeq);
  });

  it('answers changes only for rooms named in changes, hands the cursor back, and pages with hasMoreChanges', async () => {
    const owner = await signIn(t);
    const first = await createRoom(t, owner.accessToken, 'first');
    const second = await createRoom(t, owner.accessToken, 'second');
    const { socket } = await member(first, owner);
    await emitWithAck(socket, 'join_room', { room: second.id });
    const message = await send(socket, first.id, 'one');
    expect((await page(owner, first.id)).changeSeq).toBe(0);
    for (const emoji of ['👍', '🎉', '✅']) {
      await act(socket, 'react', { room: first.id, id: message.id, emoji, add: true });
    }
    expect((await page(owner, first.id)).changeSeq).toBe(3);

    const result = await sync(socket, {
      rooms: { [first.id]: 1, [second.id]: 0 },
      changes: { [first.id]: 0 },
      limit: 2,
    });
    const byRoom = new Map(result.rooms.map((answer) => [answer.room, answer]));
    // Two entries name the same message: it comes once, in its current state.
    expect(byRoom.get(first.id)).toMatchObject({
      messages: [],
      changeSeq: 2,
      hasMoreChanges: true,
    });
    expect(byRoom.get(first.id)?.changed.map((m) => [m.id, m.version])).toEqual([[message.id, 4]]);
    expect(byRoom.get(second.id)).toMatchObject({
      changed: [],
      changeSeq: 0,
      hasMoreChanges: false,
    });
    const rest = await sync(socket, {
      rooms: { [first.id]: 1 },
      changes: { [first.id]: 2 },
      limit: 2,
    });
    expect(rest.rooms[0]).toMatchObject({ changeSeq: 3, hasMoreChanges: false });
    expect(rest.rooms[0].changed).toHaveLength(1);
    // Up to date: the cursor comes back unchanged.
    const none = await sync(socket, { rooms: { [first.id]: 1 }, changes: { [first.id]: 3 } });
    expect(none.rooms[0]).toMatchObject({ changed: [], changeSeq: 3, hasMoreChanges: false });
  });

  it('refuses changes for a room not in rooms, and malformed cursors (validation_failed)', async () => {
    const owner = await signIn(t);
    const room = await createRoom(t, owner.accessToken);
    const { socket } = await member(room, owner);
    for (const payload of [
      { rooms: {}, changes: { [room.id]: 0 } },
      { rooms: { [room.id]: 0 }, changes: { [room.id]: -1 } },
      { rooms: { [room.id]: 0 }, changes: { [room.id]: '2' } },
      { rooms: { [room.id]: 0 }, changes: [] },
    ]) {
      expect(await emitRawWithAck(socket, 'sync', payload)).toMatchObject({
        ok: false,
        error: { code: 'validation_failed' },
      });
    }
  });

  it('a change whose log claim failed (a crash between the two writes) reaches sync through the sweep', async () => {
    const owner = await signIn(t);
    const room = await createRoom(t, owner.accessToken);
    const { socket } = await member(room, owner);
    const message = await send(socket, room.id, 'before');
    const changes = t.app.get(MessageChangesService);
    const messages = t.app.get<Model<Message>>(getModelToken(Message.name));
    jest.spyOn(changes, 'claim').mockRejectedValueOnce(new Error('process died here'));

    const edited = await act(socket, 'edit_message', {
      room: room.id,
      id: message.id,
      content: 'after',
    });

    // The change is stored and answered, but not in the log yet: sync does not know of it.
    expect(edited).toMatchObject({ content: 'after', version: 2, changeSeq: 0 });
    const stored = await messages.findById(message.id).lean().exec();
    expect(stored?.changePendingAt).toBeInstanceOf(Date);
    const before = await sync(socket, { rooms: { [room.id]: 1 }, changes: { [room.id]: 0 } });
    expect(before.rooms[0]).toMatchObject({ changed: [], changeSeq: 0 });

    // The sweep takes changes pending for a while (here: "while" is up to a moment from now).
    expect(await changes.sweep(new Date(Date.now() + 1000))).toBe(1);

    const after = await sync(socket, { rooms: { [room.id]: 1 }, changes: { [room.id]: 0 } });
    expect(after.rooms[0]).toMatchObject({ changeSeq: 1, hasMoreChanges: false });
    expect(after.rooms[0].changed).toEqual([{ ...edited, changeSeq: 1 }]);
    const settled = await messages.findById(message.id).lean().exec();
    expect(settled?.changePendingAt).toBeUndefined();
    expect(await changes.sweep(new Date(Date.now() + 1000))).toBe(0);
  });

  it('the sweep leaves a change that is not old enough', async () => {
    const owner = await signIn(t);
    const room = await createRoom(t, owner.accessToken);
    const { socket } = await member(room, owner);
    const message = await send(socket, room.id, 'x');
    const changes = t.app.get(MessageChangesService);
    jest.spyOn(changes, 'claim').mockRejectedValueOnce(new Error('process died here'));
    await act(socket, 'pin_message', { room: room.id, id: message.id, pinned: true });
    expect(await changes.sweep(new Date(Date.now() - 60_000))).toBe(0);
    expect(await changes.sweep(new Date(Date.now() + 1000))).toBe(1);
  });
});
