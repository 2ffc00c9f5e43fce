import { SEEN_BY_MAX_MEMBERS, type PresenceDto } from '@parley/contracts';
import { EmbeddedMongo, type EmbeddedMongoHandle } from '@parley/embedded-mongo';
import mongoose, { Types, type Connection, type Model, type mongo } from 'mongoose';
import type { AuthUser } from '../common/auth/auth-user';
import { DURABLE_WRITE_CONCERN, MONGOOSE_CONNECTION_OPTIONS } from '../database/database.module';
import type { PresenceService } from '../presence/presence.service';
import type { UsersService } from '../users/users.service';
import { Invite, InviteSchema } from './invite.schema';
import { Membership, MembershipSchema } from './membership.schema';
import { ReadCursorsService } from './read-cursors.service';
import { RoomBan, RoomBanSchema } from './room-ban.schema';
import { RoomEvents, type RoomEvent } from './room-events';
import { RoomMembersService } from './room-members.service';
import { Room, RoomSchema, type RoomRecord } from './room.schema';
import { RoomsService, SEEN_BY_CACHE_TTL_MS } from './rooms.service';

type ReadEvent = Extract<RoomEvent, { type: 'read' }>;
type MemberEvent = Extract<RoomEvent, { type: 'member' }>;

/**
 * Everyone shares their read state; nobody is online. Collaborator fakes: only the one method
 * RoomsService and ReadCursorsService call on each is there, hence the casts to the full services.
 */
const users = {
  sharingReadState: (ids: readonly string[]) => Promise.resolve(new Set(ids)),
} as unknown as UsersService;
const presence = {
  presenceOf: () => Promise.resolve(new Map<string, PresenceDto>()),
} as unknown as PresenceService;

/**
 * Read receipts decided with the real services on a real database: whether a room gets them is
 * remembered, so the commands the driver sends are what is counted here.
 */
describe('ReadCursorsService: where read receipts go, and what deciding it costs', () => {
  let server: EmbeddedMongoHandle;
  let connection: Connection;
  let models: {
    rooms: Model<Room>;
    memberships: Model<Membership>;
    bans: Model<RoomBan>;
    invites: Model<Invite>;
  };
  const commands: mongo.CommandStartedEvent[] = [];
  let now: number;
  /** The seq the next `flush` marks read (each flush reads one message further). */
  let markedSeq = 0;
  let events: RoomEvents;
  let rooms: RoomsService;
  let cursors: ReadCursorsService;
  let members: RoomMembersService;
  let published: RoomEvent[];
  let userCount = 0;

  beforeAll(async () => {
    server = await EmbeddedMongo.start({ port: 0 });
    connection = await mongoose
      .createConnection(server.uri, {
        dbName: 'parley_read_cursors_spec',
        writeConcern: DURABLE_WRITE_CONCERN,
        monitorCommands: true,
        ...MONGOOSE_CONNECTION_OPTIONS,
      })
      .asPromise();
    connection.getClient().on('commandStarted', (event) => commands.push(event));
    models = {
      rooms: connection.model(Room.name, RoomSchema),
      memberships: connection.model(Membership.name, MembershipSchema),
      bans: connection.model(RoomBan.name, RoomBanSchema),
      invites: connection.model(Invite.name, InviteSchema),
    };
  });

  afterAll(async () => {
    await connection.close();
    await server.stop();
  });

  beforeEach(async () => {
    markedSeq = 0;
    // The clock moves only when a test moves it: what the cache remembers never expires by chance.
    now = Date.UTC(2026, 0, 1, 12);
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    events = new RoomEvents();
    published = [];
    events.events$.subscribe((event) => published.push(event));
    rooms = new RoomsService(
      models.rooms,
      models.memberships,
      models.bans,
      models.invites,
      events,
      presence,
      users,
    );
    await rooms.onModuleInit();
    cursors = new ReadCursorsService(models.memberships, rooms, users, events);
    members = new RoomMembersService(models.memberships, models.bans, rooms, users, events);
  });

  afterEach(() => {
    rooms.onModuleDestroy();
    events.onModuleDestroy();
    jest.restoreAllMocks();
  });

  function newUser(): AuthUser {
    userCount += 1;
    return {
      id: new Types.ObjectId().toHexString(),
      username: `user${userCount}`,
      displayName: `User ${userCount}`,
    };
  }

  /** A room of `kind` owned by the first of its `size` members; returns the room and members. */
  async function roomOf(size: number, kind: 'public' | 'private' = 'private') {
    const people = Array.from({ length: size }, newUser);
    const [owner, ...others] = people;
    if (!owner) throw new Error('a room needs an owner');
    const room = await rooms.insertRoom(owner, { name: `${size} people`, kind });
    await rooms.addMember(room, owner, 'owner');
    for (const person of others) await rooms.addMember(room, person, 'member');
    return { room, people };
  }

  /** Every reader marks the room read one message further (`mark_read`): the receipts decided. */
  async function flush(room: RoomRecord, readers: readonly AuthUser[]): Promise<boolean[]> {
    published = [];
    markedSeq += 1;
    for (const reader of readers) await cursors.advance(reader, room._id, markedSeq);
    return published
      .filter((event): event is ReadEvent => event.type === 'read')
      .map((event) => event.receipt);
  }

  /** Bounded member counts (`countDocuments` is an aggregation) sent since the last `reset`. */
  function memberCounts(): number {
    return commands.filter(
      (event) => event.commandName === 'aggregate' && event.command['aggregate'] === 'memberships',
    ).length;
  }

  /** Reads of the rooms collection (kinds) sent since the last `reset`. */
  function roomReads(): number {
    return commands.filter(
      (event) => event.commandName === 'find' && event.command['find'] === 'rooms',
    ).length;
  }

  function reset(): void {
    commands.splice(0);
  }

  it('reads a room’s kind and counts its members once for repeated flushes', async () => {
    const { room, people } = await roomOf(3, 'public');
    reset();

    for (let round = 0; round < 5; round += 1) {
      expect(await flush(room, people)).toEqual([true, true, true]);
    }

    expect(memberCounts()).toBe(1);
    expect(roomReads()).toBe(1);
  });

  it('counts once for concurrent mark_reads of one room', async () => {
    const { room, people } = await roomOf(2);
    reset();

    published = [];
    await Promise.all(people.map((person) => cursors.advance(person, room._id, 1)));
    const reads = published.filter((event): event is ReadEvent => event.type === 'read');
    expect(reads.map((event) => event.receipt)).toEqual([true, true]);
    expect(memberCounts()).toBe(1);
  });

  it('moves senders’ cursors for their own messages, publishing nothing and reading nothing', async () => {
    const { room, people } = await roomOf(3);
    reset();
    published = [];

    await cursors.advanceMany(
      people.map((person) => ({ room: room._id, userId: person.id, seq: 1 })),
    );

    expect(published).toEqual([]);
    expect(commands.map((event) => event.commandName)).toEqual(['update']);
    const stored = await models.memberships.find({ room: room._id }).lean().exec();
    expect(stored.map((membership) => membership.readSeq)).toEqual([1, 1, 1]);
  });

  it(`stops sending receipts once this process adds member ${SEEN_BY_MAX_MEMBERS + 1}, and the new member’s cursor is hidden`, async () => {
    const { room, people } = await roomOf(SEEN_BY_MAX_MEMBERS);
    expect(await flush(room, people)).toEqual(people.map(() => true));

    const newcomer = newUser();
    published = [];
    await rooms.addMember(room, newcomer, 'member');
    const joined = published.find((event): event is MemberEvent => event.type === 'member');
    expect(joined?.member?.readSeq).toBeNull();

    expect(await flush(room, [...people, newcomer])).toEqual(
      [...people, newcomer].map(() => false),
    );
    reset();
    expect(await flush(room, people)).toEqual(people.map(() => false));
    expect(memberCounts()).toBe(0);
    expect(roomReads()).toBe(0);
  });

  it('sends receipts again once a member leaves through this process', async () => {
    const { room, people } = await roomOf(SEEN_BY_MAX_MEMBERS + 1);
    expect(await flush(room, people)).toEqual(people.map(() => false));
    const [, leaver, ...stayers] = people;
    if (!leaver) throw new Error('no one to leave');

    await members.leave(leaver, room._id);

    expect(await flush(room, stayers)).toEqual(stayers.map(() => true));
  });

  it(`notices another instance’s membership changes after ${SEEN_BY_CACHE_TTL_MS} ms, not before`, async () => {
    const { room, people } = await roomOf(SEEN_BY_MAX_MEMBERS);
    expect(await flush(room, people)).toEqual(people.map(() => true));
    // Another instance adds a member: this process hears of it from no event.
    const other = newUser();
    await models.memberships.create({
      room: room._id,
      user: new Types.ObjectId(other.id),
      username: other.username,
      displayName: other.displayName,
      role: 'member',
      joinedAt: new Date(),
      readSeq: 0,
    });
    reset();

    now += SEEN_BY_CACHE_TTL_MS - 1;
    expect(await flush(room, people)).toEqual(people.map(() => true));
    expect(memberCounts()).toBe(0);

    now += 1;
    expect(await flush(room, people)).toEqual(people.map(() => false));
    expect(memberCounts()).toBe(1);
    // The kind is never read again.
    expect(roomReads()).toBe(0);
  });

  it('counts nothing for direct rooms', async () => {
    const [ann, bob] = [newUser(), newUser()];
    const room = await rooms.insertRoom(ann, {
      name: 'Ann & Bob',
      kind: 'direct',
      directKey: [ann.id, bob.id].sort().join(':'),
    });
    await rooms.addMember(room, ann, 'member');
    await rooms.addMember(room, bob, 'member');
    reset();

    expect(await flush(room, [ann, bob])).toEqual([true, true]);
    now += SEEN_BY_CACHE_TTL_MS;
    expect(await flush(room, [ann, bob])).toEqual([true, true]);

    expect(memberCounts()).toBe(0);
    expect(roomReads()).toBe(1);
  });

  it('forgets a room this process deleted: it gets no receipts, as an unknown room', async () => {
    const { room, people } = await roomOf(2, 'public');
    expect(await flush(room, people)).toEqual([true, true]);
    const [owner] = people;
    if (!owner) throw new Error('no owner');

    await rooms.remove(owner, room._id);
    reset();

    expect((await rooms.seenByAppliesIn([room._id])).get(room._id) ?? false).toBe(false);
    expect(roomReads()).toBe(1);
  });
});
