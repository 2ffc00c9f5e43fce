import { randomUUID } from 'node:crypto';
import { getModelToken } from '@nestjs/mongoose';
import {
  MESSAGE_REACTIONS_MAX,
  type AuthSessionDto,
  type MessageDto,
  type RoomDto,
  type RoomViewDto,
} from '@parley/contracts';
import { Types, type Model } from 'mongoose';
import { Message } from '../src/messages/message.schema';
import { bearer, call, createRoomOfKind } from './support/rooms';
import {
  closeSockets,
  connectSocket,
  emitRawWithAck,
  emitWithAck,
  nextEvent,
  recordEvents,
  type ClientSocket,
} from './support/sockets';
import { startTestApp, type TestApp } from './support/test-app';
import { createRoom, signIn } from './support/users';

/** Twenty-one distinct emoji: one more than a message may carry. */
const EMOJI = [...'😀😁😂🤣😃😄😅😆😉😊😋😎😍😘🥰😗😙😚🙂🤗🤩'];

describe('message actions: edit, delete, react, reply, pin', () => {
  let t: TestApp;
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    t = await startTestApp();
  });

  afterEach(() => closeSockets(...sockets.splice(0)));

  afterAll(async () => {
    await t.close();
  });

  async function connect(session: AuthSessionDto): Promise<ClientSocket> {
    const socket = await connectSocket(t.baseUrl, session.accessToken);
    sockets.push(socket);
    return socket;
  }

  /** A member of `room` (joining makes one of a public room) with a connected socket. */
  async function member(room: RoomDto, session?: AuthSessionDto) {
    const user = session ?? (await signIn(t));
    const socket = await connect(user);
    expect(await emitWithAck(socket, 'join_room', { room: room.id })).toMatchObject({ ok: true });
    return { user, socket };
  }

  /** An owner, a moderator, two members and a signed-in outsider (connected, not a member). */
  async function scene() {
    const owner = await signIn(t, 'Owner');
    const room = await createRoom(t, owner.accessToken, 'actions');
    const ownerSide = await member(room, owner);
    const moderator = await member(room);
    await call(
      t,
      'patch',
      `/api/rooms/${room.id}/members/${moderator.user.user.id}`,
      bearer(owner),
      {
        role: 'moderator',
      },
    ).expect(200);
    const ann = await member(room, await signIn(t, 'Ann'));
    const bob = await member(room, await signIn(t, 'Bob'));
    const outsider = { user: await signIn(t) };
    const outsiderSocket = await connect(outsider.user);
    const leaked = [
      ...recordEvents(outsiderSocket, 'message_updated'),
      ...recordEvents(outsiderSocket, 'message_deleted'),
    ];
    return {
      room,
      owner: ownerSide,
      moderator,
      ann,
      bob,
      outsider: { ...outsider, socket: outsiderSocket },
      leaked,
    };
  }

  async function send(
    socket: ClientSocket,
    room: string,
    content: string,
    replyTo?: string,
  ): Promise<MessageDto> {
    const ack = await emitWithAck(socket, 'send_message', {
      room,
      content,
      clientMessageId: randomUUID(),
      ...(replyTo ? { replyTo } : {}),
    });
    if (!ack.ok) throw new Error(`send failed: ${ack.error.code} ${ack.error.message}`);
    return ack.data;
  }

  function data<T>(ack: { ok: true; data: T } | { ok: false; error: { code: string } }): T {
    if (!ack.ok) throw new Error(`expected success, got ${ack.error.code}`);
    return ack.data;
  }

  async function history(session: AuthSessionDto, room: string): Promise<MessageDto[]> {
    const response = await call(t, 'get', `/api/rooms/${room}/messages`, bearer(session)).expect(
      200,
    );
    return (response.body as { items: MessageDto[] }).items;
  }

  describe('edit_message', () => {
    it('lets the author edit: new text, edited marker, mentions again; the whole room is told, outsiders not', async () => {
      const { room, ann, bob, leaked } = await scene();
      const original = await send(ann.socket, room.id, 'hello there');
      const atBob = nextEvent(bob.socket, 'message_updated');
      const atAnn = nextEvent(ann.socket, 'message_updated');

      const edited = data(
        await emitWithAck(ann.socket, 'edit_message', {
          room: room.id,
          id: original.id,
          content: `  hello @${bob.user.user.username}  `,
        }),
      );

      expect(edited).toMatchObject({
        id: original.id,
        seq: original.seq,
        content: `hello @${bob.user.user.username}`,
        mentions: [{ userId: bob.user.user.id, username: bob.user.user.username }],
        version: 2,
        deletedAt: null,
      });
      expect(edited.changeSeq).toBeGreaterThan(0);
      expect(Date.parse(edited.editedAt ?? '')).not.toBeNaN();
      // Everyone in the room, the editing socket included, gets the same whole message.
      expect(await atBob).toEqual(edited);
      expect(await atAnn).toEqual(edited);
      expect((await history(bob.user, room.id)).find((m) => m.id === original.id)).toEqual(edited);
      // The old text is kept server-side only.
      const messages = t.app.get<Model<Message>>(getModelToken(Message.name));
      const stored = await messages.findById(original.id).lean().exec();
      expect(stored?.edits?.map((edit) => edit.content)).toEqual(['hello there']);
      expect(leaked).toEqual([]);
    });

    it('the same text again changes nothing (no new version, no broadcast)', async () => {
      const { room, ann, bob } = await scene();
      const original = await send(ann.socket, room.id, 'unchanged');
      const updates = recordEvents(bob.socket, 'message_updated');
      const again = data(
        await emitWithAck(ann.socket, 'edit_message', {
          room: room.id,
          id: original.id,
          content: 'unchanged',
        }),
      );
      expect(again).toEqual(original);
      // A later change arrives first: nothing was broadcast for the no-op.
      const next = nextEvent(bob.socket, 'message_updated');
      await emitWithAck(ann.socket, 'edit_message', {
        room: room.id,
        id: original.id,
        content: 'x',
      });
      expect((await next).version).toBe(2);
      expect(updates).toHaveLength(1);
    });

    it('refuses others (forbidden), unknown and foreign ids (message_not_found), outsiders (not_in_room) and bad payloads', async () => {
      const { room, owner, ann, bob, outsider } = await scene();
      const original = await send(ann.socket, room.id, 'mine');
      const elsewhere = await createRoom(t, owner.user.accessToken, 'elsewhere');
      await emitWithAck(owner.socket, 'join_room', { room: elsewhere.id });
      const foreign = await send(owner.socket, elsewhere.id, 'in another room');
      const edit = (socket: ClientSocket, id: string) =>
        emitWithAck(socket, 'edit_message', { room: room.id, id, content: 'changed' });

      expect(await edit(bob.socket, original.id)).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
      // Not even owners edit other people's words.
      expect(await edit(owner.socket, original.id)).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
      expect(await edit(ann.socket, new Types.ObjectId().toHexString())).toMatchObject({
        ok: false,
        error: { code: 'message_not_found' },
      });
      expect(await edit(owner.socket, foreign.id)).toMatchObject({
        ok: false,
        error: { code: 'message_not_found' },
      });
      expect(await edit(outsider.socket, original.id)).toMatchObject({
        ok: false,
        error: { code: 'not_in_room' },
      });
      for (const payload of [
        { room: room.id, id: original.id, content: '   ' },
        { room: room.id, id: 'not-an-id', content: 'x' },
        { room: room.id, id: original.id, content: 'x'.repeat(4001) },
        { room: room.id, id: original.id, content: 'x', extra: true },
        { room: 'NOPE', id: original.id, content: 'x' },
      ]) {
        expect(await emitRawWithAck(ann.socket, 'edit_message', payload)).toMatchObject({
          ok: false,
          error: { code: 'validation_failed' },
        });
      }
      expect((await history(ann.user, room.id)).find((m) => m.id === original.id)).toEqual(
        original,
      );
    });

    it('closes after the room’s edit window; owners and moderators set and clear it', async () => {
      const { room, owner, moderator, ann, bob } = await scene();
      const patch = (session: AuthSessionDto, body: object) =>
        call(t, 'patch', `/api/rooms/${room.id}`, bearer(session), body);
      await patch(ann.user, { editWindowSeconds: 120 }).expect(403);
      await patch(owner.user, { editWindowSeconds: 30 }).expect(400);
      await patch(owner.user, { editWindowSeconds: 'soon' }).expect(400);
      const told = nextEvent(bob.socket, 'room_updated');
      const set = await patch(moderator.user, { editWindowSeconds: 120 }).expect(200);
      expect(set.body).toMatchObject({ editWindowSeconds: 120 });
      expect((await told).room).toMatchObject({ editWindowSeconds: 120 });

      const fresh = await send(ann.socket, room.id, 'fresh');
      const old = await send(ann.socket, room.id, 'old');
      // Three minutes ago, as if it had been sent then.
      const messages = t.app.get<Model<Message>>(getModelToken(Message.name));
      await messages
        .updateOne({ _id: old.id }, { $set: { createdAt: new Date(Date.now() - 180_000) } })
        .exec();
      const edit = (id: string) =>
        emitWithAck(ann.socket, 'edit_message', { room: room.id, id, content: 'edited' });

      expect(await edit(fresh.id)).toMatchObject({ ok: true, data: { content: 'edited' } });
      expect(await edit(old.id)).toMatchObject({
        ok: false,
        error: { code: 'edit_window_closed' },
      });

      const cleared = await patch(owner.user, { editWindowSeconds: null }).expect(200);
      expect(cleared.body).toMatchObject({ editWindowSeconds: null });
      expect(await edit(old.id)).toMatchObject({ ok: true, data: { content: 'edited' } });
    });

    it('has no edit window setting in direct rooms (forbidden)', async () => {
      const ann = await signIn(t);
      const bob = await signIn(t);
      const opened = await call(t, 'post', '/api/dms', bearer(ann), {
        username: bob.user.username,
      }).expect(200);
      const dm = opened.body as RoomViewDto;
      await call(t, 'patch', `/api/rooms/${dm.id}`, bearer(ann), {
        editWindowSeconds: 600,
      }).expect(403);
    });
  });

  describe('delete_message', () => {
    it('leaves a tombstone for the author; the room (author included) gets message_deleted; again is a no-op', async () => {
      const { room, ann, bob, leaked } = await scene();
      const original = await send(ann.socket, room.id, `bye @${bob.user.user.username}`);
      data(
        await emitWithAck(bob.socket, 'react', {
          room: room.id,
          id: original.id,
          emoji: '👍',
          add: true,
        }),
      );
      const atBob = nextEvent(bob.socket, 'message_deleted');
      const atAnn = nextEvent(ann.socket, 'message_deleted');

      const tombstone = data(
        await emitWithAck(ann.socket, 'delete_message', { room: room.id, id: original.id }),
      );

      expect(tombstone).toMatchObject({
        id: original.id,
        seq: original.seq,
        content: '',
        mentions: [],
        reactions: [],
        attachments: [],
        version: 3,
      });
      expect(Date.parse(tombstone.deletedAt ?? '')).not.toBeNaN();
      expect(await atBob).toEqual(tombstone);
      expect(await atAnn).toEqual(tombstone);
      expect((await history(bob.user, room.id)).find((m) => m.id === original.id)).toEqual(
        tombstone,
      );

      const deletions = recordEvents(bob.socket, 'message_deleted');
      const again = await emitWithAck(ann.socket, 'delete_message', {
        room: room.id,
        id: original.id,
      });
      expect(again).toEqual({ ok: true, data: tombstone });
      // The room preview no longer shows the deleted text.
      const view = await call(t, 'get', `/api/rooms/${room.id}`, bearer(bob.user)).expect(200);
      expect((view.body as RoomViewDto).lastMessage).toMatchObject({ excerpt: '' });
      // A tombstone cannot be edited, reacted to, pinned or replied to.
      const ids = { room: room.id, id: original.id };
      for (const ack of [
        await emitWithAck(ann.socket, 'edit_message', { ...ids, content: 'back' }),
        await emitWithAck(bob.socket, 'react', { ...ids, emoji: '👍', add: true }),
        await emitWithAck(bob.socket, 'react', { ...ids, emoji: '👍', add: false }),
      ]) {
        expect(ack).toMatchObject({ ok: false, error: { code: 'message_not_found' } });
      }
      const replying = await emitWithAck(bob.socket, 'send_message', {
        room: room.id,
        content: 'what did you say?',
        clientMessageId: randomUUID(),
        replyTo: original.id,
      });
      expect(replying).toMatchObject({ ok: false, error: { code: 'message_not_found' } });
      expect(deletions).toEqual([]);
      expect(leaked).toEqual([]);
    });

    it('lets owners and moderators delete anyone’s message, and nobody else', async () => {
      const { room, owner, moderator, ann, bob } = await scene();
      const first = await send(ann.socket, room.id, 'one');
      const second = await send(ann.socket, room.id, 'two');
      const remove = (socket: ClientSocket, id: string) =>
        emitWithAck(socket, 'delete_message', { room: room.id, id });

      expect(await remove(bob.socket, first.id)).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
      expect(await remove(moderator.socket, first.id)).toMatchObject({
        ok: true,
        data: { content: '' },
      });
      expect(await remove(owner.socket, second.id)).toMatchObject({
        ok: true,
        data: { content: '' },
      });
      expect(await remove(ann.socket, new Types.ObjectId().toHexString())).toMatchObject({
        ok: false,
        error: { code: 'message_not_found' },
      });
      expect(await emitRawWithAck(ann.socket, 'delete_message', { room: room.id })).toMatchObject({
        ok: false,
        error: { code: 'validation_failed' },
      });
    });

    it('in a direct room only the author deletes', async () => {
      const ann = await signIn(t);
      const bob = await signIn(t);
      const opened = await call(t, 'post', '/api/dms', bearer(ann), {
        username: bob.user.username,
      }).expect(200);
      const dm = opened.body as RoomViewDto;
      const annSocket = await connect(ann);
      const bobSocket = await connect(bob);
      const message = await send(annSocket, dm.id, 'private words');
      expect(
        await emitWithAck(bobSocket, 'delete_message', { room: dm.id, id: message.id }),
      ).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(
        await emitWithAck(annSocket, 'delete_message', { room: dm.id, id: message.id }),
      ).toMatchObject({ ok: true, data: { content: '' } });
    });
  });

  describe('react', () => {
    it('adds and removes one’s own reaction, idempotently, with counts and who reacted', async () => {
      const { room, ann, bob, owner, leaked } = await scene();
      const message = await send(ann.socket, room.id, 'react to me');
      const react = (socket: ClientSocket, emoji: string, add: boolean) =>
        emitWithAck(socket, 'react', { room: room.id, id: message.id, emoji, add });
      const atAnn = nextEvent(ann.socket, 'message_updated');

      const first = data(await react(bob.socket, '👍', true));
      expect(first.reactions).toEqual([{ emoji: '👍', count: 1, userIds: [bob.user.user.id] }]);
      expect(first.version).toBe(2);
      expect(await atAnn).toEqual(first);

      const updates = recordEvents(ann.socket, 'message_updated');
      expect(await react(bob.socket, '👍', true)).toEqual({ ok: true, data: first });
      expect(await react(owner.socket, '👍', false)).toEqual({ ok: true, data: first });

      const second = data(await react(owner.socket, '👍', true));
      expect(second.reactions).toEqual([
        { emoji: '👍', count: 2, userIds: [bob.user.user.id, owner.user.user.id] },
      ]);
      const third = data(await react(bob.socket, '🎉', true));
      const fourth = data(await react(bob.socket, '👍', false));
      expect(fourth.reactions).toEqual([
        { emoji: '👍', count: 1, userIds: [owner.user.user.id] },
        { emoji: '🎉', count: 1, userIds: [bob.user.user.id] },
      ]);
      const fifth = data(await react(bob.socket, '🎉', false));
      expect(fifth.reactions).toEqual([{ emoji: '👍', count: 1, userIds: [owner.user.user.id] }]);
      expect([second, third, fourth, fifth].map((m) => m.version)).toEqual([3, 4, 5, 6]);
      while (updates.length < 4) await nextEvent(ann.socket, 'message_updated');
      expect(updates.map((m) => m.version)).toEqual([3, 4, 5, 6]);
      expect(leaked).toEqual([]);
    });

    it(`refuses more than ${MESSAGE_REACTIONS_MAX} different emoji, bad emoji and outsiders`, async () => {
      const { room, ann, bob, outsider } = await scene();
      const message = await send(ann.socket, room.id, 'so many feelings');
      for (const emoji of EMOJI.slice(0, MESSAGE_REACTIONS_MAX)) {
        data(
          await emitWithAck(bob.socket, 'react', {
            room: room.id,
            id: message.id,
            emoji,
            add: true,
          }),
        );
      }
      const payload = { room: room.id, id: message.id, add: true };
      expect(
        await emitWithAck(ann.socket, 'react', { ...payload, emoji: EMOJI[MESSAGE_REACTIONS_MAX] }),
      ).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
      // An emoji already there still takes another reactor.
      expect(await emitWithAck(ann.socket, 'react', { ...payload, emoji: EMOJI[0] })).toMatchObject(
        { ok: true },
      );
      for (const emoji of [':thumbsup:', 'a', '1', '<b>', '👍👍👍👍👍👍👍👍👍👍👍👍👍👍👍👍👍']) {
        expect(await emitRawWithAck(ann.socket, 'react', { ...payload, emoji })).toMatchObject({
          ok: false,
          error: { code: 'validation_failed' },
        });
      }
      expect(
        await emitRawWithAck(ann.socket, 'react', { ...payload, emoji: '👍', add: 'yes' }),
      ).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
      expect(
        await emitWithAck(outsider.socket, 'react', { ...payload, emoji: '👍' }),
      ).toMatchObject({ ok: false, error: { code: 'not_in_room' } });
      expect(
        await emitWithAck(ann.socket, 'react', {
          ...payload,
          id: new Types.ObjectId().toHexString(),
          emoji: '👍',
        }),
      ).toMatchObject({ ok: false, error: { code: 'message_not_found' } });
    });

    it('counts concurrent reactions from many sockets, every change a new version', async () => {
      const owner = await signIn(t);
      const room = await createRoom(t, owner.accessToken, 'busy');
      const { socket: ownerSocket } = await member(room, owner);
      const message = await send(ownerSocket, room.id, 'vote now');
      const voters = await Promise.all(Array.from({ length: 8 }, () => member(room)));
      const seen = recordEvents(ownerSocket, 'message_updated');

      const acks = await Promise.all(
        voters.flatMap(({ socket }) =>
          ['👍', '🎉'].map((emoji) =>
            emitWithAck(socket, 'react', { room: room.id, id: message.id, emoji, add: true }),
          ),
        ),
      );

      const versions = acks.map((ack) => data(ack).version).sort((a, b) => a - b);
      expect(versions).toEqual(Array.from({ length: 16 }, (_v, index) => index + 2));
      const final = (await history(owner, room.id)).find((m) => m.id === message.id);
      expect(final?.version).toBe(17);
      expect(final?.reactions.map((r) => [r.emoji, r.count]).sort()).toEqual([
        ['🎉', 8],
        ['👍', 8],
      ]);
      // Each change was broadcast once, with its own version.
      while (seen.length < 16) await nextEvent(ownerSocket, 'message_updated');
      expect(new Set(seen.map((m) => m.version)).size).toBe(16);
      // changeSeqs are distinct too: each change has its own log entry.
      expect(new Set(acks.map((ack) => data(ack).changeSeq)).size).toBe(16);
    });
  });

  describe('replies', () => {
    it('carry a preview of the message answered; a deleted original shows as deleted in its replies', async () => {
      const { room, owner, ann, bob } = await scene();
      const original = await send(ann.socket, room.id, 'Who brings the snacks?');
      const reply = await send(bob.socket, room.id, 'I do', original.id);
      expect(reply.replyTo).toEqual({
        id: original.id,
        seq: original.seq,
        sender: original.sender,
        excerpt: 'Who brings the snacks?',
        deleted: false,
      });

      const updated = nextEvent(bob.socket, 'message_updated');
      data(await emitWithAck(ann.socket, 'delete_message', { room: room.id, id: original.id }));
      const marked = await updated;
      expect(marked).toMatchObject({
        id: reply.id,
        content: 'I do',
        version: 2,
        replyTo: { id: original.id, excerpt: '', deleted: true },
      });
      expect((await history(owner.user, room.id)).find((m) => m.id === reply.id)).toEqual(marked);
    });

    it('refuses a reply to an unknown message or one of another room (message_not_found) and a bad id', async () => {
      const { room, owner, ann } = await scene();
      const elsewhere = await createRoom(t, owner.user.accessToken, 'elsewhere');
      await emitWithAck(owner.socket, 'join_room', { room: elsewhere.id });
      const foreign = await send(owner.socket, elsewhere.id, 'over here');
      for (const replyTo of [foreign.id, new Types.ObjectId().toHexString()]) {
        expect(
          await emitWithAck(ann.socket, 'send_message', {
            room: room.id,
            content: 'reply',
            clientMessageId: randomUUID(),
            replyTo,
          }),
        ).toMatchObject({ ok: false, error: { code: 'message_not_found' } });
      }
      expect(
        await emitRawWithAck(ann.socket, 'send_message', {
          room: room.id,
          content: 'reply',
          clientMessageId: randomUUID(),
          replyTo: { $gt: '' },
        }),
      ).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
      expect(await history(ann.user, room.id)).toEqual([]);
    });
  });

  describe('pins', () => {
    it('owners and moderators pin and unpin; the room is told; GET …/pins lists them newest first', async () => {
      const { room, owner, moderator, ann, bob, leaked } = await scene();
      const first = await send(ann.socket, room.id, 'first');
      const second = await send(bob.socket, room.id, 'second');
      const pin = (socket: ClientSocket, id: string, pinned: boolean) =>
        emitWithAck(socket, 'pin_message', { room: room.id, id, pinned });
      const pins = async (session: AuthSessionDto) =>
        (await call(t, 'get', `/api/rooms/${room.id}/pins`, bearer(session)).expect(200))
          .body as MessageDto[];

      expect(await pin(ann.socket, first.id, true)).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
      const told = nextEvent(ann.socket, 'message_updated');
      const pinnedFirst = data(await pin(moderator.socket, first.id, true));
      expect(Date.parse(pinnedFirst.pinnedAt ?? '')).not.toBeNaN();
      expect(await told).toEqual(pinnedFirst);
      const pinnedSecond = data(await pin(owner.socket, second.id, true));
      // Pinning again changes nothing.
      expect(await pin(owner.socket, second.id, true)).toEqual({ ok: true, data: pinnedSecond });

      expect(await pins(ann.user)).toEqual([pinnedSecond, pinnedFirst]);
      // Public room: anyone who may read its history sees its pins.
      expect(await pins(await signIn(t))).toEqual([pinnedSecond, pinnedFirst]);

      const unpinned = data(await pin(owner.socket, first.id, false));
      expect(unpinned.pinnedAt).toBeNull();
      expect(await pins(ann.user)).toEqual([pinnedSecond]);
      expect(await pin(owner.socket, new Types.ObjectId().toHexString(), true)).toMatchObject({
        ok: false,
        error: { code: 'message_not_found' },
      });
      expect(
        await emitRawWithAck(owner.socket, 'pin_message', { room: room.id, id: first.id }),
      ).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
      // A deleted message leaves the pins.
      data(await emitWithAck(bob.socket, 'delete_message', { room: room.id, id: second.id }));
      expect(await pins(ann.user)).toEqual([]);
      expect(leaked).toEqual([]);
    });

    it('GET …/pins: private rooms for members only, a token required, ids validated, unknown rooms 404', async () => {
      const owner = await signIn(t);
      const room = await createRoomOfKind(t, owner, 'private');
      await call(t, 'get', `/api/rooms/${room.id}/pins`, bearer(owner)).expect(200);
      const stranger = await call(t, 'get', `/api/rooms/${room.id}/pins`, bearer(await signIn(t)));
      expect(stranger.status).toBe(403);
      expect(stranger.body).toMatchObject({ error: { code: 'not_a_member' } });
      await call(t, 'get', `/api/rooms/${room.id}/pins`, undefined).expect(401);
      await call(t, 'get', '/api/rooms/NOT_A_ROOM/pins', bearer(owner)).expect(400);
      const unknown = await call(t, 'get', '/api/rooms/zzzzzzzzzz/pins', bearer(owner));
      expect(unknown.status).toBe(404);
      expect(unknown.body).toMatchObject({ error: { code: 'room_not_found' } });
    });

    it('in a direct room either member pins', async () => {
      const ann = await signIn(t);
      const bob = await signIn(t);
      const opened = await call(t, 'post', '/api/dms', bearer(ann), {
        username: bob.user.username,
      }).expect(200);
      const dm = opened.body as RoomViewDto;
      const annSocket = await connect(ann);
      const bobSocket = await connect(bob);
      const message = await send(annSocket, dm.id, 'remember this');
      expect(
        await emitWithAck(bobSocket, 'pin_message', { room: dm.id, id: message.id, pinned: true }),
      ).toMatchObject({ ok: true, data: { id: message.id } });
    });
  });
});
