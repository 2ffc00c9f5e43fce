import { randomUUID } from 'node:crypto';
import type { AuthSessionDto, RoomKind, RoomViewDto } from '@parley/contracts';
import {
  badTokens,
  bearer,
  call,
  createInvite,
  createRoomOfKind,
  acceptInvite,
  type Method,
} from './support/rooms';
import {
  closeSockets,
  connectSocket,
  emitRawWithAck,
  openSocket,
  expectConnectError,
  untyped,
  type ClientSocket,
} from './support/sockets';
import { startTestApp, type TestApp } from './support/test-app';
import { signIn } from './support/users';

/**
 * Every role × every REST route with an id × every socket event × every room kind. Each attempt is
 * either expected to succeed or to be refused; the test counts both and fails on any surprise.
 * Passive sockets of outsiders record everything they receive: nothing may reach them.
 */

const ACTORS = [
  'owner',
  'moderator',
  'member',
  'non-member',
  'banned',
  'anonymous',
  'expired token',
  'tampered token',
  'alg none token',
] as const;
type Actor = (typeof ACTORS)[number];
const AUTHENTICATED = new Set<Actor>(['owner', 'moderator', 'member', 'non-member', 'banned']);
const MEMBERS = new Set<Actor>(['owner', 'moderator', 'member']);
const MODERATORS = new Set<Actor>(['owner', 'moderator']);
const KINDS: RoomKind[] = ['public', 'private', 'direct'];

interface Fixture {
  kind: RoomKind;
  room: RoomViewDto;
  /** The member the target-user routes act on. */
  target: AuthSessionDto;
  /** A user banned from the room. */
  bannedUser: AuthSessionDto;
  inviteCode: string;
}

interface RestCase {
  name: string;
  method: Method;
  path: (fixture: Fixture) => string;
  body?: object;
  /** Changes the room, so each attempt gets a fresh one. */
  mutates: boolean;
  allowed: (actor: Actor, kind: RoomKind) => boolean;
}

const canRead = (actor: Actor, kind: RoomKind) =>
  MEMBERS.has(actor) || (kind === 'public' && actor === 'non-member');
const moderatesNonDirect = (actor: Actor, kind: RoomKind) =>
  kind !== 'direct' && MODERATORS.has(actor);

const REST_CASES: RestCase[] = [
  {
    name: 'GET room',
    method: 'get',
    path: (f) => `/api/rooms/${f.room.id}`,
    mutates: false,
    allowed: canRead,
  },
  {
    name: 'GET messages',
    method: 'get',
    path: (f) => `/api/rooms/${f.room.id}/messages`,
    mutates: false,
    allowed: canRead,
  },
  {
    name: 'PUT notifications',
    method: 'put',
    path: (f) => `/api/rooms/${f.room.id}/notifications`,
    body: { level: 'muted' },
    mutates: false,
    allowed: (actor) => MEMBERS.has(actor),
  },
  {
    name: 'PATCH room',
    method: 'patch',
    path: (f) => `/api/rooms/${f.room.id}`,
    body: { topic: 'New topic' },
    mutates: true,
    allowed: moderatesNonDirect,
  },
  {
    name: 'DELETE room',
    method: 'delete',
    path: (f) => `/api/rooms/${f.room.id}`,
    mutates: true,
    allowed: (actor, kind) => kind !== 'direct' && actor === 'owner',
  },
  {
    name: 'GET members',
    method: 'get',
    path: (f) => `/api/rooms/${f.room.id}/members`,
    mutates: false,
    allowed: (actor) => MEMBERS.has(actor),
  },
  {
    name: 'PATCH member role',
    method: 'patch',
    path: (f) => `/api/rooms/${f.room.id}/members/${f.target.user.id}`,
    body: { role: 'moderator' },
    mutates: true,
    allowed: (actor, kind) => kind !== 'direct' && actor === 'owner',
  },
  {
    name: 'DELETE member (kick)',
    method: 'delete',
    path: (f) => `/api/rooms/${f.room.id}/members/${f.target.user.id}`,
    mutates: true,
    allowed: moderatesNonDirect,
  },
  {
    name: 'POST leave',
    method: 'post',
    path: (f) => `/api/rooms/${f.room.id}/leave`,
    mutates: true,
    // The owner is the last owner; a direct room cannot be left.
    allowed: (actor, kind) => kind !== 'direct' && (actor === 'moderator' || actor === 'member'),
  },
  {
    name: 'GET bans',
    method: 'get',
    path: (f) => `/api/rooms/${f.room.id}/bans`,
    mutates: false,
    allowed: moderatesNonDirect,
  },
  {
    name: 'PUT ban',
    method: 'put',
    path: (f) => `/api/rooms/${f.room.id}/bans/${f.target.user.id}`,
    mutates: true,
    allowed: moderatesNonDirect,
  },
  {
    name: 'DELETE ban',
    method: 'delete',
    path: (f) => `/api/rooms/${f.room.id}/bans/${f.bannedUser.user.id}`,
    mutates: true,
    allowed: moderatesNonDirect,
  },
  {
    name: 'POST invite',
    method: 'post',
    path: (f) => `/api/rooms/${f.room.id}/invites`,
    body: {},
    mutates: true,
    allowed: (actor, kind) => kind === 'private' && MODERATORS.has(actor),
  },
  {
    name: 'GET invites',
    method: 'get',
    path: (f) => `/api/rooms/${f.room.id}/invites`,
    mutates: false,
    allowed: moderatesNonDirect,
  },
  {
    name: 'DELETE invite',
    method: 'delete',
    path: (f) => `/api/rooms/${f.room.id}/invites/${f.inviteCode}`,
    mutates: true,
    // Only private rooms have invites; elsewhere the code is unknown.
    allowed: (actor, kind) => kind === 'private' && MODERATORS.has(actor),
  },
  {
    name: 'POST accept invite',
    method: 'post',
    path: (f) => `/api/invites/${f.inviteCode}/accept`,
    mutates: true,
    allowed: (actor, kind) => kind === 'private' && AUTHENTICATED.has(actor) && actor !== 'banned',
  },
];

type SocketEvent = 'join_room' | 'send_message' | 'mark_read' | 'leave_room';
const SOCKET_CASES: { event: SocketEvent; allowed: (actor: Actor, kind: RoomKind) => boolean }[] = [
  { event: 'join_room', allowed: canRead },
  // Sent after a join attempt: only members get in, so only they can send.
  { event: 'send_message', allowed: canRead },
  // Read cursors belong to members (a public room's reader who never joined has none).
  { event: 'mark_read', allowed: (actor) => MEMBERS.has(actor) },
  // Leaving ends a membership like `POST leave` (the owner is the last owner; a direct room cannot
  // be left); for anyone signed in who is not a member it is a harmless no-op.
  {
    event: 'leave_room',
    allowed: (actor, kind) =>
      AUTHENTICATED.has(actor) &&
      !(actor === 'owner' && kind !== 'direct') &&
      !(actor === 'member' && kind === 'direct'),
  },
];

/** The matrix makes several hundred real requests and socket round trips. */
const MATRIX_TIMEOUT_MS = 180_000;

describe('authorization matrix', () => {
  let t: TestApp;
  const users = {} as Record<
    'owner' | 'moderator' | 'member' | 'target' | 'outsider' | 'banned' | 'spy' | 'bannedSpy',
    AuthSessionDto
  >;
  let tokens: Record<'expired token' | 'tampered token' | 'alg none token', string>;
  const memberSockets = new Map<string, ClientSocket>();
  const sockets: ClientSocket[] = [];
  /** Everything the outsiders' passive sockets received. */
  const leaked: { listener: string; event: string; payload: unknown }[] = [];
  let direct: Fixture;

  const counts = { attempts: 0, allowed: 0, refused: 0 };
  const surprises: string[] = [];

  beforeAll(async () => {
    t = await startTestApp({ REST_RATE_LIMIT_PER_MINUTE: '1000000' });
    for (const name of Object.keys({
      owner: 0,
      moderator: 0,
      member: 0,
      target: 0,
      outsider: 0,
      banned: 0,
      spy: 0,
      bannedSpy: 0,
    }) as (keyof typeof users)[]) {
      users[name] = await signIn(t, name);
    }
    tokens = await (async () => {
      const bad = await badTokens(t, users.member);
      return {
        'expired token': bad.expired,
        'tampered token': bad.tampered,
        'alg none token': bad.algNone,
      };
    })();
    for (const name of ['owner', 'moderator', 'member', 'target'] as const) {
      const socket = await connectSocket(t.baseUrl, users[name].accessToken);
      sockets.push(socket);
      memberSockets.set(name, socket);
    }
    for (const name of ['spy', 'bannedSpy'] as const) {
      const socket = await connectSocket(t.baseUrl, users[name].accessToken);
      sockets.push(socket);
      const ownId = users[name].user.id;
      untyped(socket).onAny((event: string, payload: unknown) => {
        // A user's own presence reaches their own tabs; anything else is a leak.
        const own = event === 'presence' && (payload as { userId?: unknown }).userId === ownId;
        if (!own) leaked.push({ listener: name, event, payload });
      });
    }
    // The direct room: "member" and "target" are its two people.
    const opened = await call(t, 'post', '/api/dms', bearer(users.member), {
      username: users.target.user.username,
    }).expect(200);
    direct = {
      kind: 'direct',
      room: opened.body as RoomViewDto,
      target: users.target,
      bannedUser: users.banned,
      inviteCode: 'zzzzzzzzzzzzzzzz',
    };
  }, MATRIX_TIMEOUT_MS);

  afterAll(async () => {
    closeSockets(...sockets);
    await t.close();
  });

  async function joinWith(name: 'moderator' | 'member' | 'target', roomId: string) {
    const socket = memberSockets.get(name);
    if (!socket) throw new Error(`no socket for ${name}`);
    const ack = await emitRawWithAck(socket, 'join_room', { room: roomId });
    if (!ack.ok) throw new Error(`fixture join failed: ${JSON.stringify(ack)}`);
  }

  async function fixture(kind: RoomKind): Promise<Fixture> {
    if (kind === 'direct') return direct;
    const room = await createRoomOfKind(t, users.owner, kind === 'private' ? 'private' : 'public');
    let inviteCode = 'zzzzzzzzzzzzzzzz';
    if (kind === 'private') {
      inviteCode = (await createInvite(t, users.owner, room.id)).code;
      for (const name of ['moderator', 'member', 'target'] as const) {
        await acceptInvite(t, users[name], inviteCode);
      }
    } else {
      for (const name of ['moderator', 'member', 'target'] as const) await joinWith(name, room.id);
    }
    await call(
      t,
      'patch',
      `/api/rooms/${room.id}/members/${users.moderator.user.id}`,
      bearer(users.owner),
      {
        role: 'moderator',
      },
    ).expect(200);
    for (const banned of [users.banned, users.bannedSpy]) {
      await call(
        t,
        'put',
        `/api/rooms/${room.id}/bans/${banned.user.id}`,
        bearer(users.owner),
      ).expect(200);
    }
    return { kind, room, target: users.target, bannedUser: users.banned, inviteCode };
  }

  function authorizationFor(actor: Actor): string | undefined {
    switch (actor) {
      case 'owner':
        return bearer(users.owner);
      case 'moderator':
        return bearer(users.moderator);
      case 'member':
        return bearer(users.member);
      case 'non-member':
        return bearer(users.outsider);
      case 'banned':
        return bearer(users.banned);
      case 'anonymous':
        return undefined;
      default:
        return `Bearer ${tokens[actor]}`;
    }
  }

  function sessionFor(actor: Actor): AuthSessionDto | undefined {
    const byActor: Partial<Record<Actor, AuthSessionDto>> = {
      owner: users.owner,
      moderator: users.moderator,
      member: users.member,
      'non-member': users.outsider,
      banned: users.banned,
    };
    return byActor[actor];
  }

  /** In a direct room there are no owners or moderators, and nobody is banned. */
  function actorsFor(kind: RoomKind): Actor[] {
    return kind === 'direct'
      ? ACTORS.filter((actor) => !['owner', 'moderator', 'banned'].includes(actor))
      : [...ACTORS];
  }

  function record(label: string, expected: boolean, succeeded: boolean, detail: string) {
    counts.attempts += 1;
    if (succeeded) counts.allowed += 1;
    else counts.refused += 1;
    if (expected !== succeeded) {
      surprises.push(`${label}: expected ${expected ? 'allowed' : 'refused'}, got ${detail}`);
    }
  }

  it(
    'allows exactly the allowed REST calls and refuses the rest',
    async () => {
      for (const kind of KINDS) {
        let shared = await fixture(kind);
        for (const route of REST_CASES) {
          for (const actor of actorsFor(kind)) {
            const f = route.mutates ? await fixture(kind) : shared;
            const response = await call(
              t,
              route.method,
              route.path(f),
              authorizationFor(actor),
              route.body,
            );
            const succeeded = response.status >= 200 && response.status < 300;
            if (!succeeded && ![400, 401, 403, 404, 409].includes(response.status)) {
              surprises.push(
                `${kind} ${route.name} as ${actor}: unexpected status ${response.status}`,
              );
            }
            record(
              `${kind} ${route.name} as ${actor}`,
              route.allowed(actor, kind),
              succeeded,
              `${response.status} ${response.text.slice(0, 120)}`,
            );
          }
          if (route.mutates && kind !== 'direct') shared = await fixture(kind);
        }
      }
    },
    MATRIX_TIMEOUT_MS,
  );

  it(
    'allows exactly the allowed socket events and refuses the rest',
    async () => {
      for (const kind of KINDS) {
        for (const { event, allowed } of SOCKET_CASES) {
          for (const actor of actorsFor(kind)) {
            const f = await fixture(kind);
            const label = `${kind} ${event} as ${actor}`;
            const session = sessionFor(actor);
            if (!session) {
              // No valid token: the handshake itself is refused, so no event can be sent.
              const token = actor === 'anonymous' ? undefined : authorizationFor(actor)?.slice(7);
              const socket = openSocket(t.baseUrl, token === undefined ? undefined : { token });
              sockets.push(socket);
              const error = await expectConnectError(socket);
              record(label, allowed(actor, kind), false, `connect_error ${error.message}`);
              continue;
            }
            const socket = await connectSocket(t.baseUrl, session.accessToken);
            sockets.push(socket);
            let ack;
            if (event === 'join_room') {
              ack = await emitRawWithAck(socket, 'join_room', { room: f.room.id });
            } else if (event === 'send_message') {
              await emitRawWithAck(socket, 'join_room', { room: f.room.id });
              ack = await emitRawWithAck(socket, 'send_message', {
                room: f.room.id,
                content: `from ${actor}`,
                clientMessageId: randomUUID(),
              });
            } else if (event === 'mark_read') {
              ack = await emitRawWithAck(socket, 'mark_read', { room: f.room.id, seq: 1 });
            } else {
              ack = await emitRawWithAck(socket, 'leave_room', { room: f.room.id });
            }
            record(label, allowed(actor, kind), ack.ok, JSON.stringify(ack).slice(0, 160));
            socket.disconnect();
          }
        }
      }
    },
    MATRIX_TIMEOUT_MS,
  );

  it('reports the counts, with no surprises and nothing leaked to outsiders', async () => {
    // A last broadcast, then a round trip on each spy's socket: anything sent to them before it has
    // arrived by the time the round trip completes.
    for (const socket of sockets.filter((socket) => socket.connected)) {
      await emitRawWithAck(socket, 'leave_room', { room: 'zzzzzzzzzz' });
    }
    const expectedAllowed = countExpected();
    console.log(
      `authorization matrix: ${counts.attempts} attempts, ${counts.allowed} allowed ` +
        `(expected ${expectedAllowed}), ${counts.refused} refused ` +
        `(expected ${counts.attempts - expectedAllowed}); ${leaked.length} events reached outsiders`,
    );
    expect(surprises).toEqual([]);
    expect(counts.allowed).toBe(expectedAllowed);
    expect(leaked).toEqual([]);
    expect(counts.attempts).toBe(
      KINDS.reduce(
        (sum, kind) => sum + actorsFor(kind).length * (REST_CASES.length + SOCKET_CASES.length),
        0,
      ),
    );
  });

  function countExpected(): number {
    let allowed = 0;
    for (const kind of KINDS) {
      for (const actor of actorsFor(kind)) {
        for (const route of REST_CASES) if (route.allowed(actor, kind)) allowed += 1;
        for (const socketCase of SOCKET_CASES) if (socketCase.allowed(actor, kind)) allowed += 1;
      }
    }
    return allowed;
  }
});
