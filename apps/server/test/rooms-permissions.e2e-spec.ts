import { randomUUID } from 'node:crypto';
import { getModelToken } from '@nestjs/mongoose';
import type {
  AuthSessionDto,
  ErrorResponseDto,
  RoomMemberDto,
  RoomViewDto,
} from '@parley/contracts';
import type { Model } from 'mongoose';
import { Invite } from '../src/rooms/invite.schema';
import { Membership } from '../src/rooms/membership.schema';
import { Room } from '../src/rooms/room.schema';
import { acceptInvite, bearer, call, createInvite, createRoomOfKind } from './support/rooms';
import {
  closeSockets,
  connectSocket,
  emitWithAck,
  nextEvent,
  recordEvents,
  type ClientSocket,
} from './support/sockets';
import { startTestApp, type TestApp } from './support/test-app';
import { signIn } from './support/users';

describe('rooms: kinds, roles, invites, moderation, direct messages', () => {
  let t: TestApp;
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    // The race tests repeat their scenario; the per-IP REST limit is security.e2e-spec's subject.
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

  async function joined(session: AuthSessionDto, roomId: string): Promise<ClientSocket> {
    const socket = await connect(session);
    expect(await emitWithAck(socket, 'join_room', { room: roomId })).toMatchObject({ ok: true });
    return socket;
  }

  function send(socket: ClientSocket, room: string, content: string) {
    return emitWithAck(socket, 'send_message', { room, content, clientMessageId: randomUUID() });
  }

  function errorCode(body: unknown): string | undefined {
    return (body as ErrorResponseDto).error?.code;
  }

  it('keeps a private room out of the list and closed to non-members until they accept an invite', async () => {
    const ann = await signIn(t, 'Ann');
    const bob = await signIn(t, 'Bob');
    const room = await createRoomOfKind(t, ann, 'private', 'Secret');
    expect(room).toMatchObject({ kind: 'private', role: 'owner', topic: null });

    const bobList = (await call(t, 'get', '/api/rooms', bearer(bob)).expect(200))
      .body as RoomViewDto[];
    expect(bobList.map((listed) => listed.id)).not.toContain(room.id);
    const annList = (await call(t, 'get', '/api/rooms', bearer(ann)).expect(200))
      .body as RoomViewDto[];
    expect(annList.find((listed) => listed.id === room.id)).toMatchObject({ role: 'owner' });

    for (const path of [`/api/rooms/${room.id}`, `/api/rooms/${room.id}/messages`]) {
      const response = await call(t, 'get', path, bearer(bob)).expect(403);
      expect(errorCode(response.body)).toBe('not_a_member');
    }
    const bobSocket = await connect(bob);
    expect(await emitWithAck(bobSocket, 'join_room', { room: room.id })).toMatchObject({
      ok: false,
      error: { code: 'not_a_member' },
    });

    const annSocket = await joined(ann, room.id);
    const memberJoined = nextEvent(annSocket, 'member_updated');
    const invite = await createInvite(t, ann, room.id);
    expect(invite).toMatchObject({ room: room.id, expiresAt: null });
    const accepted = await acceptInvite(t, bob, invite.code);
    expect(accepted).toMatchObject({ id: room.id, role: 'member' });
    expect(await memberJoined).toMatchObject({
      room: room.id,
      userId: bob.user.id,
      member: { role: 'member' },
    });
    // Accepting again is harmless.
    expect(await acceptInvite(t, bob, invite.code)).toMatchObject({ role: 'member' });

    expect(await emitWithAck(bobSocket, 'join_room', { room: room.id })).toMatchObject({
      ok: true,
      data: { room: { id: room.id, role: 'member' } },
    });
    const received = nextEvent(annSocket, 'new_message');
    expect(await send(bobSocket, room.id, 'hi ann')).toMatchObject({ ok: true });
    expect(await received).toMatchObject({ content: 'hi ann' });
  });

  it('refuses revoked and expired invites alike, and invites to anything but a private room', async () => {
    const ann = await signIn(t);
    const bob = await signIn(t);
    const room = await createRoomOfKind(t, ann, 'private');
    const revoked = await createInvite(t, ann, room.id);
    await call(t, 'delete', `/api/rooms/${room.id}/invites/${revoked.code}`, bearer(ann)).expect(
      204,
    );
    const expiring = await createInvite(t, ann, room.id, { expiresInSeconds: 60 });
    expect(expiring.expiresAt).not.toBeNull();
    await t.app
      .get<Model<Invite>>(getModelToken(Invite.name))
      .updateOne({ _id: expiring.code }, { $set: { expiresAt: new Date(Date.now() - 1000) } })
      .exec();
    for (const code of [revoked.code, expiring.code, 'zzzzzzzzzzzzzzzz']) {
      const response = await call(t, 'post', `/api/invites/${code}/accept`, bearer(bob)).expect(
        404,
      );
      expect(errorCode(response.body)).toBe('invite_invalid');
    }
    const publicRoom = await createRoomOfKind(t, ann, 'public');
    const refused = await call(t, 'post', `/api/rooms/${publicRoom.id}/invites`, bearer(ann), {});
    expect(refused.status).toBe(403);
  });

  it('kicks a member out of every tab at once; the room disappears from their list', async () => {
    const ann = await signIn(t, 'Ann');
    const bob = await signIn(t, 'Bob');
    const carl = await signIn(t, 'Carl');
    const room = await createRoomOfKind(t, ann, 'private');
    const invite = await createInvite(t, ann, room.id);
    await acceptInvite(t, bob, invite.code);
    await acceptInvite(t, carl, invite.code);
    const annSocket = await joined(ann, room.id);
    const carlSocket = await joined(carl, room.id);
    const bobTab1 = await joined(bob, room.id);
    const bobTab2 = await joined(bob, room.id);
    const bobMessages = [
      recordEvents(bobTab1, 'new_message'),
      recordEvents(bobTab2, 'new_message'),
    ];
    const removed = [nextEvent(bobTab1, 'room_removed'), nextEvent(bobTab2, 'room_removed')];
    const carlSawIt = nextEvent(carlSocket, 'member_updated');

    await call(t, 'delete', `/api/rooms/${room.id}/members/${bob.user.id}`, bearer(ann)).expect(
      204,
    );
    expect(await Promise.all(removed)).toEqual([
      { room: room.id, reason: 'kicked' },
      { room: room.id, reason: 'kicked' },
    ]);
    expect(await carlSawIt).toEqual({ room: room.id, userId: bob.user.id });

    // Carl receiving Ann's next message proves it was broadcast; Bob's tabs got nothing.
    const carlReceived = nextEvent(carlSocket, 'new_message');
    expect(await send(annSocket, room.id, 'after the kick')).toMatchObject({ ok: true });
    expect(await carlReceived).toMatchObject({ content: 'after the kick' });
    expect(bobMessages.flat()).toEqual([]);
    expect(await send(bobTab1, room.id, 'still here?')).toMatchObject({
      ok: false,
      error: { code: 'not_in_room' },
    });
    expect(await emitWithAck(bobTab1, 'join_room', { room: room.id })).toMatchObject({
      ok: false,
      error: { code: 'not_a_member' },
    });
    const list = (await call(t, 'get', '/api/rooms', bearer(bob)).expect(200))
      .body as RoomViewDto[];
    expect(list.map((listed) => listed.id)).not.toContain(room.id);
  });

  it('bans: removed at once, cannot rejoin a public room or read it, until unbanned', async () => {
    const ann = await signIn(t);
    const bob = await signIn(t);
    const room = await createRoomOfKind(t, ann, 'public');
    const bobSocket = await joined(bob, room.id);
    const removed = nextEvent(bobSocket, 'room_removed');
    const ban = await call(t, 'put', `/api/rooms/${room.id}/bans/${bob.user.id}`, bearer(ann));
    expect(ban.status).toBe(200);
    expect(ban.body).toMatchObject({ user: { id: bob.user.id }, bannedBy: ann.user.id });
    expect(await removed).toEqual({ room: room.id, reason: 'banned' });
    expect(await emitWithAck(bobSocket, 'join_room', { room: room.id })).toMatchObject({
      ok: false,
      error: { code: 'banned' },
    });
    const bobList = (await call(t, 'get', '/api/rooms', bearer(bob)).expect(200))
      .body as RoomViewDto[];
    expect(bobList.map((listed) => listed.id)).not.toContain(room.id);
    const read = await call(t, 'get', `/api/rooms/${room.id}/messages`, bearer(bob)).expect(403);
    expect(errorCode(read.body)).toBe('banned');
    const bans = await call(t, 'get', `/api/rooms/${room.id}/bans`, bearer(ann)).expect(200);
    expect((bans.body as unknown[]).length).toBe(1);

    await call(t, 'delete', `/api/rooms/${room.id}/bans/${bob.user.id}`, bearer(ann)).expect(204);
    expect(await emitWithAck(bobSocket, 'join_room', { room: room.id })).toMatchObject({
      ok: true,
    });
  });

  it('roles: owners promote and demote, moderators moderate members only, the last owner stays', async () => {
    const ann = await signIn(t);
    const bob = await signIn(t);
    const carl = await signIn(t);
    const room = await createRoomOfKind(t, ann, 'public');
    await joined(bob, room.id);
    await joined(carl, room.id);

    // A member may not kick or promote.
    await call(t, 'delete', `/api/rooms/${room.id}/members/${carl.user.id}`, bearer(bob)).expect(
      403,
    );
    await call(t, 'patch', `/api/rooms/${room.id}/members/${bob.user.id}`, bearer(bob), {
      role: 'moderator',
    }).expect(403);

    const promoted = await call(
      t,
      'patch',
      `/api/rooms/${room.id}/members/${bob.user.id}`,
      bearer(ann),
      { role: 'moderator' },
    ).expect(200);
    expect(promoted.body).toMatchObject({ role: 'moderator', user: { id: bob.user.id } });
    // Moderators cannot promote, nor remove the owner.
    await call(t, 'patch', `/api/rooms/${room.id}/members/${carl.user.id}`, bearer(bob), {
      role: 'moderator',
    }).expect(403);
    await call(t, 'delete', `/api/rooms/${room.id}/members/${ann.user.id}`, bearer(bob)).expect(
      403,
    );
    await call(t, 'patch', `/api/rooms/${room.id}`, bearer(bob), { topic: 'Mods at work' }).expect(
      200,
    );
    await call(t, 'delete', `/api/rooms/${room.id}/members/${carl.user.id}`, bearer(bob)).expect(
      204,
    );

    const lastOwner = await call(t, 'post', `/api/rooms/${room.id}/leave`, bearer(ann)).expect(409);
    expect(errorCode(lastOwner.body)).toBe('last_owner');
    const selfDemote = await call(
      t,
      'patch',
      `/api/rooms/${room.id}/members/${ann.user.id}`,
      bearer(ann),
      { role: 'member' },
    ).expect(409);
    expect(errorCode(selfDemote.body)).toBe('last_owner');

    await call(t, 'patch', `/api/rooms/${room.id}/members/${bob.user.id}`, bearer(ann), {
      role: 'owner',
    }).expect(200);
    await call(t, 'post', `/api/rooms/${room.id}/leave`, bearer(ann)).expect(204);
    const members = (await call(t, 'get', `/api/rooms/${room.id}/members`, bearer(bob)).expect(200))
      .body as RoomMemberDto[];
    expect(members.map((member) => [member.user.id, member.role])).toEqual([
      [bob.user.id, 'owner'],
    ]);
  });

  describe('two owners at the same moment', () => {
    const ROUNDS = 8;

    /** A room owned by both Ann and Bob. */
    async function twoOwners(): Promise<{
      room: RoomViewDto;
      ann: AuthSessionDto;
      bob: AuthSessionDto;
    }> {
      const ann = await signIn(t);
      const bob = await signIn(t);
      const room = await createRoomOfKind(t, ann, 'public');
      await joined(bob, room.id);
      await call(t, 'patch', `/api/rooms/${room.id}/members/${bob.user.id}`, bearer(ann), {
        role: 'owner',
      }).expect(200);
      return { room, ann, bob };
    }

    async function ownersOf(roomId: string, viewer: AuthSessionDto): Promise<string[]> {
      const response = await call(t, 'get', `/api/rooms/${roomId}/members`, bearer(viewer));
      expect(response.status).toBe(200);
      return (response.body as RoomMemberDto[])
        .filter((member) => member.role === 'owner')
        .map((member) => member.user.id);
    }

    function outcome(response: { status: number; body: unknown }): string {
      return response.status < 400 ? 'ok' : `${response.status} ${errorCode(response.body)}`;
    }

    it('demoting each other: exactly one succeeds, the other gets 409 last_owner, one owner stays', async () => {
      const outcomes: string[] = [];
      for (let round = 0; round < ROUNDS; round += 1) {
        const { room, ann, bob } = await twoOwners();
        const [annDemotesBob, bobDemotesAnn] = await Promise.all([
          call(t, 'patch', `/api/rooms/${room.id}/members/${bob.user.id}`, bearer(ann), {
            role: 'member',
          }),
          call(t, 'patch', `/api/rooms/${room.id}/members/${ann.user.id}`, bearer(bob), {
            role: 'member',
          }),
        ]);
        const results = [outcome(annDemotesBob), outcome(bobDemotesAnn)];
        outcomes.push(...results.filter((result) => result !== 'ok'));
        // The loser either raced the winner (409) or arrived after it and was no owner (403).
        expect(results.filter((result) => result === 'ok')).toHaveLength(1);
        expect(['409 last_owner', '403 forbidden']).toContain(
          results.find((result) => result !== 'ok'),
        );
        const winner = annDemotesBob.status === 200 ? ann : bob;
        expect(await ownersOf(room.id, winner)).toEqual([winner.user.id]);
      }
      console.log(`mutual demotion, ${ROUNDS} rounds: losers got ${outcomes.join(', ')}`);
      // The race itself was exercised, not only the sequential case.
      expect(outcomes).toContain('409 last_owner');
    });

    it('leaving at once: exactly one leaves, the other gets 409 last_owner', async () => {
      for (let round = 0; round < ROUNDS; round += 1) {
        const { room, ann, bob } = await twoOwners();
        const responses = await Promise.all([
          call(t, 'post', `/api/rooms/${room.id}/leave`, bearer(ann)),
          call(t, 'post', `/api/rooms/${room.id}/leave`, bearer(bob)),
        ]);
        expect(responses.map(outcome).sort()).toEqual(['409 last_owner', 'ok']);
        const stayed = responses[0]?.status === 204 ? bob : ann;
        expect(await ownersOf(room.id, stayed)).toEqual([stayed.user.id]);
      }
    });

    it('a kick or ban racing a promotion never removes an owner, and ownerCount stays exact', async () => {
      const roomModel = t.app.get<Model<Room>>(getModelToken(Room.name));
      const membershipModel = t.app.get<Model<Membership>>(getModelToken(Membership.name));
      for (let round = 0; round < ROUNDS; round += 1) {
        const { room, ann, bob } = await twoOwners();
        const carl = await signIn(t);
        await joined(carl, room.id);
        const removal =
          round % 2 === 0
            ? call(t, 'delete', `/api/rooms/${room.id}/members/${carl.user.id}`, bearer(bob))
            : call(t, 'put', `/api/rooms/${room.id}/bans/${carl.user.id}`, bearer(bob));
        const [promotion, removed] = await Promise.all([
          call(t, 'patch', `/api/rooms/${room.id}/members/${carl.user.id}`, bearer(ann), {
            role: 'owner',
          }),
          removal,
        ]);
        // Promoted first (an owner cannot be removed: 403) or removed first (no member to promote).
        expect([promotion.status, removed.status].filter((status) => status < 300)).toHaveLength(1);
        const owners = await membershipModel.countDocuments({ room: room.id, role: 'owner' });
        const stored = await roomModel.findById(room.id).lean<Room>().exec();
        expect(stored?.ownerCount).toBe(owners);
        const carlIsOwner = promotion.status === 200;
        expect(owners).toBe(carlIsOwner ? 3 : 2);
        // A promoted owner is never left banned.
        const bans = (await call(t, 'get', `/api/rooms/${room.id}/bans`, bearer(ann)).expect(200))
          .body as { user: { id: string } }[];
        expect(bans.some((ban) => ban.user.id === carl.user.id)).toBe(
          !carlIsOwner && round % 2 === 1,
        );
      }
    });

    it('one demotes the other while that one leaves: an owner always stays', async () => {
      for (let round = 0; round < ROUNDS; round += 1) {
        const { room, ann, bob } = await twoOwners();
        const [demotion, leaving] = await Promise.all([
          call(t, 'patch', `/api/rooms/${room.id}/members/${bob.user.id}`, bearer(ann), {
            role: 'member',
          }),
          call(t, 'post', `/api/rooms/${room.id}/leave`, bearer(ann)),
        ]);
        const results = [outcome(demotion), outcome(leaving)];
        // One of them wins; the other raced it (409) or came after Ann was gone (403).
        expect(results.filter((result) => result === 'ok')).toHaveLength(1);
        // Bob is still a member either way and sees exactly one owner: Ann or himself.
        expect(await ownersOf(room.id, bob)).toHaveLength(1);
      }
    });
  });

  it('renames and sets a topic in real time, only for members; the owner deletes the room', async () => {
    const ann = await signIn(t);
    const bob = await signIn(t);
    const outsider = await signIn(t);
    const room = await createRoomOfKind(t, ann, 'public', 'Old name');
    const bobSocket = await joined(bob, room.id);
    const outsiderSocket = await connect(outsider);
    const outsiderEvents = recordEvents(outsiderSocket, 'room_updated');
    const updated = nextEvent(bobSocket, 'room_updated');
    const response = await call(t, 'patch', `/api/rooms/${room.id}`, bearer(ann), {
      name: '  New name ',
      topic: 'Books',
    }).expect(200);
    expect(response.body).toMatchObject({ name: 'New name', topic: 'Books' });
    expect(await updated).toMatchObject({
      room: { id: room.id, name: 'New name', topic: 'Books' },
    });
    await call(t, 'patch', `/api/rooms/${room.id}`, bearer(bob), { name: 'Mine now' }).expect(403);

    const removed = nextEvent(bobSocket, 'room_removed');
    await call(t, 'delete', `/api/rooms/${room.id}`, bearer(bob)).expect(403);
    await call(t, 'delete', `/api/rooms/${room.id}`, bearer(ann)).expect(204);
    expect(await removed).toEqual({ room: room.id, reason: 'deleted' });
    await call(t, 'get', `/api/rooms/${room.id}`, bearer(ann)).expect(404);
    expect(outsiderEvents).toEqual([]);
  });

  it('direct rooms: one per pair, both ways, closed to everyone else, no moderation', async () => {
    const ann = await signIn(t, 'Ann');
    const bob = await signIn(t, 'Bob');
    const eve = await signIn(t, 'Eve');
    const bobSocket = await connect(bob);
    const added = nextEvent(bobSocket, 'room_added');
    const opened = await call(t, 'post', '/api/dms', bearer(ann), {
      username: bob.user.username.toUpperCase(),
    }).expect(200);
    const dm = opened.body as RoomViewDto;
    expect(dm).toMatchObject({ kind: 'direct', role: 'member', name: 'Ann & Bob' });
    expect(await added).toMatchObject({ room: { id: dm.id, kind: 'direct' } });
    const again = await call(t, 'post', '/api/dms', bearer(ann), {
      username: bob.user.username,
    }).expect(200);
    const reverse = await call(t, 'post', '/api/dms', bearer(bob), {
      username: ann.user.username,
    }).expect(200);
    expect([(again.body as RoomViewDto).id, (reverse.body as RoomViewDto).id]).toEqual([
      dm.id,
      dm.id,
    ]);

    await call(t, 'get', `/api/rooms/${dm.id}`, bearer(eve)).expect(403);
    await call(t, 'get', `/api/rooms/${dm.id}/messages`, bearer(eve)).expect(403);
    await call(t, 'post', `/api/rooms/${dm.id}/invites`, bearer(ann), {}).expect(403);
    await call(t, 'delete', `/api/rooms/${dm.id}/members/${bob.user.id}`, bearer(ann)).expect(403);
    await call(t, 'post', `/api/rooms/${dm.id}/leave`, bearer(ann)).expect(403);

    const annSocket = await joined(ann, dm.id);
    expect(await emitWithAck(bobSocket, 'join_room', { room: dm.id })).toMatchObject({ ok: true });
    const received = nextEvent(bobSocket, 'new_message');
    await send(annSocket, dm.id, 'psst');
    expect(await received).toMatchObject({ content: 'psst' });

    await call(t, 'post', '/api/dms', bearer(ann), { username: ann.user.username }).expect(400);
    await call(t, 'post', '/api/dms', bearer(ann), { username: 'nobody-here' }).expect(404);
  });
});
