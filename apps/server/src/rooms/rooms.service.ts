import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import {
  MESSAGE_PREVIEW_MAX_LENGTH,
  SEEN_BY_MAX_MEMBERS,
  type CreateRoomDto,
  type DirectPeerDto,
  type MessageDto,
  type NotifyLevel,
  type PresenceDto,
  type RoomDto,
  type RoomKind,
  type RoomMemberDto,
  type RoomRole,
  type RoomViewDto,
  type UpdateRoomDto,
} from '@parley/contracts';
import { Types, trusted, type Model } from 'mongoose';
import type { Subscription } from 'rxjs';
import type { AuthUser } from '../common/auth/auth-user';
import { AppException } from '../common/errors/app-exception';
import { isDuplicateKeyError } from '../database/mongo-errors';
import { PresenceService } from '../presence/presence.service';
import { UsersService } from '../users/users.service';
import { Invite } from './invite.schema';
import { Membership, type MembershipRecord } from './membership.schema';
import { RoomBan, type RoomBanRecord } from './room-ban.schema';
import { RoomEvents } from './room-events';
import { generateRoomId } from './room-id';
import { assertModeratedKind, isModerator } from './room-roles';
import {
  toRoomDto,
  toRoomMemberDto,
  toRoomViewDto,
  UNKNOWN_PRESENCE,
  type ViewerMembership,
} from './room.mapper';
import { kindOf, Room, type RoomLastMessage, type RoomRecord } from './room.schema';

/** The public directory is a lobby, not a search: the most recently active rooms are enough. */
export const ROOM_LIST_LIMIT = 100;
/** Rooms a user belongs to are always listed, up to this many. */
export const MY_ROOMS_LIMIT = 500;
const ID_ATTEMPTS = 5;

/**
 * How long this process trusts what it counted for `seenByApplies` (whether a room has more than
 * `SEEN_BY_MAX_MEMBERS` members), so a busy room costs one bounded count per this long rather than
 * one per flush of read cursors. This process's own membership changes forget the room at once
 * (`member`, `removed` and `deleted` events); a change made through another instance is noticed
 * when the entry expires, so for at most this long after it a room there may still get read
 * receipts it has just outgrown (or miss ones it has just shrunk back into).
 */
export const SEEN_BY_CACHE_TTL_MS = 10_000;
/** Rooms each per-room cache here remembers at most; past that it starts over (like the message batcher's seq cache). */
const ROOM_CACHE_SIZE = 10_000;

/** Whether "seen by" applies to a room, shared by every caller until `expiresAt`. */
interface SeenByEntry {
  applies: Promise<boolean>;
  expiresAt: number;
}

/** What the server knows about one user's standing in one room. */
export interface RoomAccess {
  room: RoomRecord;
  membership: MembershipRecord | undefined;
  banned: boolean;
}

export interface NewRoom {
  name: string;
  kind: RoomRecord['kind'];
  directKey?: string;
}

@Injectable()
export class RoomsService implements OnModuleInit, OnModuleDestroy {
  private subscription?: Subscription;
  /** Per room other than direct ones (see `SEEN_BY_CACHE_TTL_MS`). */
  private readonly seenBy = new Map<string, SeenByEntry>();
  /** A room's kind never changes once created: read once per room (see `seenByAppliesIn`). */
  private readonly kinds = new Map<string, RoomKind>();
  /** Rooms deleted by this process so far: a kind read across a deletion is not remembered. */
  private deletions = 0;

  constructor(
    @InjectModel(Room.name) private readonly rooms: Model<Room>,
    @InjectModel(Membership.name) private readonly memberships: Model<Membership>,
    @InjectModel(RoomBan.name) private readonly bans: Model<RoomBan>,
    @InjectModel(Invite.name) private readonly invites: Model<Invite>,
    private readonly events: RoomEvents,
    private readonly presence: PresenceService,
    private readonly users: UsersService,
  ) {}

  async onModuleInit(): Promise<void> {
    this.subscription = this.events.events$.subscribe((event) => {
      if (event.type === 'member' || event.type === 'removed') {
        this.seenBy.delete(event.room);
      } else if (event.type === 'deleted') {
        this.deletions += 1;
        this.seenBy.delete(event.room);
        this.kinds.delete(event.room);
      }
    });
    await Promise.all([
      this.rooms.init(),
      this.memberships.init(),
      this.bans.init(),
      this.invites.init(),
    ]);
    await this.backfillOwnerCounts();
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  /** Rooms stored before `ownerCount` existed get it from their memberships, once, at boot. */
  private async backfillOwnerCounts(): Promise<void> {
    // Trusted: literal operators written here; `_id` values come from the database.
    const missing = await this.rooms
      .find({ ownerCount: trusted({ $exists: false }) })
      .select({ _id: 1 })
      .lean<Pick<RoomRecord, '_id'>[]>()
      .exec();
    for (const { _id } of missing) {
      const owners = await this.memberships.countDocuments({ room: _id, role: 'owner' }).exec();
      await this.rooms
        .updateOne(
          { _id, ownerCount: trusted({ $exists: false }) },
          { $set: { ownerCount: owners } },
        )
        .exec();
    }
  }

  /** The creator is the owner. */
  async create(creator: AuthUser, input: CreateRoomDto): Promise<RoomViewDto> {
    const room = await this.insertRoom(creator, { name: input.name, kind: input.kind ?? 'public' });
    const membership = await this.addMember(room, creator, 'owner');
    return this.view(creator.id, room, membership);
  }

  /** Inserts a room under a fresh id; a duplicate `directKey` is the caller's to handle. */
  async insertRoom(creator: AuthUser, input: NewRoom): Promise<RoomRecord> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const created = await this.rooms.create({
          _id: generateRoomId(),
          name: input.name,
          kind: input.kind,
          ...(input.directKey ? { directKey: input.directKey } : {}),
          createdBy: new Types.ObjectId(creator.id),
          // `create` makes the creator the owner; direct rooms have none.
          ownerCount: input.kind === 'direct' ? 0 : 1,
          lastSeq: 0,
          lastActivityAt: new Date(),
        });
        return created.toObject<RoomRecord>();
      } catch (error) {
        // A collision in 36^10 ids is rare enough that a few fresh draws always resolve it.
        const idCollision = isDuplicateKeyError(error) && !input.directKey;
        if (!idCollision || attempt >= ID_ATTEMPTS) throw error;
      }
    }
  }

  /** Rooms I belong to (with my role), then public rooms I am not in, most recently active first. */
  async list(user: AuthUser): Promise<RoomViewDto[]> {
    const mine = await this.memberships
      .find({ user: new Types.ObjectId(user.id) })
      .limit(MY_ROOMS_LIMIT)
      .lean<MembershipRecord[]>()
      .exec();
    const memberships = new Map(mine.map((membership) => [membership.room, membership]));
    const [myRooms, publicRooms, bans] = await Promise.all([
      this.rooms
        .find({ _id: trusted({ $in: [...memberships.keys()] }) })
        .lean<RoomRecord[]>()
        .exec(),
      this.rooms
        // Rooms without a `kind` predate kinds and are public.
        .find({ kind: trusted({ $nin: ['private', 'direct'] }) })
        .sort({ lastActivityAt: -1, _id: 1 })
        .limit(ROOM_LIST_LIMIT)
        .lean<RoomRecord[]>()
        .exec(),
      this.bans
        .find({ user: new Types.ObjectId(user.id) })
        .lean<RoomBanRecord[]>()
        .exec(),
    ]);
    // A public room I am banned from is not offered to me.
    const seen = new Set([...myRooms.map((room) => room._id), ...bans.map((ban) => ban.room)]);
    const rooms = [...myRooms, ...publicRooms.filter((room) => !seen.has(room._id))].sort(
      (a, b) =>
        b.lastActivityAt.getTime() - a.lastActivityAt.getTime() || a._id.localeCompare(b._id),
    );
    return this.views(user.id, rooms, memberships);
  }

  /**
   * Every room view goes through here: the viewer's role, read cursor and notification level, and
   * for direct rooms the other person with their presence (one memberships read and one presence
   * read for all the direct rooms at once).
   */
  async views(
    viewerId: string,
    rooms: readonly RoomRecord[],
    memberships: ReadonlyMap<string, NonNullable<ViewerMembership>>,
  ): Promise<RoomViewDto[]> {
    const direct = rooms.filter((room) => kindOf(room) === 'direct').map((room) => room._id);
    const peers = await this.directPeers(viewerId, direct);
    return rooms.map((room) =>
      toRoomViewDto(room, memberships.get(room._id), peers.get(room._id) ?? null),
    );
  }

  /** One room as `viewerId` sees it; `membership` is theirs, `undefined` when not a member. */
  async view(
    viewerId: string,
    room: RoomRecord,
    membership: ViewerMembership,
  ): Promise<RoomViewDto> {
    const memberships = new Map(membership ? [[room._id, membership]] : []);
    const [view] = await this.views(viewerId, [room], memberships);
    if (!view) throw new Error(`No view of room ${room._id}`);
    return view;
  }

  private async directPeers(
    viewerId: string,
    roomIds: readonly string[],
  ): Promise<Map<string, DirectPeerDto>> {
    if (roomIds.length === 0) return new Map();
    const members = await this.memberships
      .find(
        { room: trusted({ $in: roomIds }) },
        { room: 1, user: 1, username: 1, displayName: 1, _id: 0 },
      )
      .lean<Pick<MembershipRecord, 'room' | 'user' | 'username' | 'displayName'>[]>()
      .exec();
    const others = members.filter((member) => member.user.toHexString() !== viewerId);
    const presence = await this.presenceOf(others.map((member) => member.user.toHexString()));
    return new Map(
      others.map((member) => {
        const id = member.user.toHexString();
        const user = { id, username: member.username, displayName: member.displayName };
        return [member.room, { user, presence: presence.get(id) ?? UNKNOWN_PRESENCE }];
      }),
    );
  }

  private presenceOf(userIds: readonly string[]): Promise<Map<string, PresenceDto>> {
    if (userIds.length === 0) return Promise.resolve(new Map<string, PresenceDto>());
    return this.presence.presenceOf(userIds);
  }

  /**
   * Members as the others see them: presence, and the read cursor ("seen by") where it applies —
   * in direct rooms and rooms of at most `SEEN_BY_MAX_MEMBERS` members, of members who share it.
   * `memberCount`: the room's, when the caller knows it (it read every membership).
   */
  async memberDtos(
    room: Pick<RoomRecord, '_id' | 'kind'>,
    records: readonly MembershipRecord[],
    memberCount?: number,
  ): Promise<RoomMemberDto[]> {
    const ids = records.map((record) => record.user.toHexString());
    const [presence, applies] = await Promise.all([
      this.presenceOf(ids),
      memberCount === undefined
        ? this.seenByApplies(room)
        : Promise.resolve(seenByAppliesTo(kindOf(room), memberCount)),
    ]);
    const sharing = applies ? await this.users.sharingReadState(ids) : new Set<string>();
    return records.map((record) => {
      const id = record.user.toHexString();
      return toRoomMemberDto(
        record,
        presence.get(id) ?? UNKNOWN_PRESENCE,
        sharing.has(id) ? (record.readSeq ?? 0) : null,
      );
    });
  }

  /**
   * Whether members' read cursors are shown in the room at all ("seen by", read receipts). Direct
   * rooms need no count; for the others the bounded count is remembered for a while (see
   * `SEEN_BY_CACHE_TTL_MS`), and concurrent callers share one count.
   */
  seenByApplies(room: Pick<RoomRecord, '_id' | 'kind'>): Promise<boolean> {
    const kind = kindOf(room);
    if (kind === 'direct') return Promise.resolve(true);
    const now = Date.now();
    const cached = this.seenBy.get(room._id);
    if (cached && cached.expiresAt > now) return cached.applies;
    const applies = this.countMembers(room._id, SEEN_BY_MAX_MEMBERS + 1).then((count) =>
      seenByAppliesTo(kind, count),
    );
    const entry: SeenByEntry = { applies, expiresAt: now + SEEN_BY_CACHE_TTL_MS };
    if (this.seenBy.size >= ROOM_CACHE_SIZE && !this.seenBy.has(room._id)) this.seenBy.clear();
    this.seenBy.set(room._id, entry);
    // A failed count is not remembered (unless the room was forgotten meanwhile and asked again).
    applies.catch(() => {
      if (this.seenBy.get(room._id) === entry) this.seenBy.delete(room._id);
    });
    return applies;
  }

  /**
   * `seenByApplies` for rooms known by id only (a batch of read cursors). Kinds are read once per
   * room, in one query for all the rooms not seen yet; rooms that do not exist are left out. A
   * room deleted through another instance keeps its kind here (until the cache starts over): its
   * receipts then go to a channel that deletion emptied on every instance.
   */
  async seenByAppliesIn(roomIds: readonly string[]): Promise<Map<string, boolean>> {
    const kinds = await this.kindsOf(roomIds);
    return new Map(
      await Promise.all(
        [...kinds].map(
          async ([_id, kind]) => [_id, await this.seenByApplies({ _id, kind })] as const,
        ),
      ),
    );
  }

  private async kindsOf(roomIds: readonly string[]): Promise<Map<string, RoomKind>> {
    const kinds = new Map<string, RoomKind>();
    const unknown: string[] = [];
    for (const roomId of new Set(roomIds)) {
      const kind = this.kinds.get(roomId);
      if (kind) kinds.set(roomId, kind);
      else unknown.push(roomId);
    }
    if (unknown.length === 0) return kinds;
    const deletions = this.deletions;
    const rooms = await this.rooms
      // Trusted: a literal operator around room ids of validated payloads or stored messages.
      .find({ _id: trusted({ $in: unknown }) }, { _id: 1, kind: 1 })
      .lean<Pick<RoomRecord, '_id' | 'kind'>[]>()
      .exec();
    for (const room of rooms) {
      const kind = kindOf(room);
      kinds.set(room._id, kind);
      if (deletions !== this.deletions) continue;
      if (this.kinds.size >= ROOM_CACHE_SIZE && !this.kinds.has(room._id)) this.kinds.clear();
      this.kinds.set(room._id, kind);
    }
    return kinds;
  }

  /** The number of members, counting no further than `upTo` (so a big room costs no more). */
  countMembers(roomId: string, upTo: number): Promise<number> {
    return this.memberships.countDocuments({ room: roomId }, { limit: upTo }).exec();
  }

  /** The members among `usernames` (lowercase), in one read on the `{room, username}` index. */
  async membersNamed(roomId: string, usernames: readonly string[]): Promise<MembershipRecord[]> {
    if (usernames.length === 0) return [];
    return (
      this.memberships
        // Trusted: a literal operator around names the mention grammar produced.
        .find({ room: roomId, username: trusted({ $in: [...usernames] }) })
        .lean<MembershipRecord[]>()
        .exec()
    );
  }

  /** `PUT /api/rooms/{id}/notifications`: members only; every tab of the user is told. */
  async setNotifications(user: AuthUser, roomId: string, level: NotifyLevel): Promise<RoomViewDto> {
    const userId = new Types.ObjectId(user.id);
    const [room, membership] = await Promise.all([
      this.rooms.findById(roomId).lean<RoomRecord>().exec(),
      this.memberships
        .findOneAndUpdate(
          { room: roomId, user: userId },
          { $set: { notify: level } },
          { returnDocument: 'after' },
        )
        .lean<MembershipRecord>()
        .exec(),
    ]);
    if (!room) throw roomNotFound(roomId);
    if (!membership) {
      const banned = await this.bans.exists({ room: roomId, user: userId }).exec();
      throw banned ? bannedFrom(roomId) : notAMember(roomId);
    }
    this.events.publish({ type: 'notifications', room: roomId, userId: user.id, level });
    return this.view(user.id, room, membership);
  }

  /** Ids of every room the user belongs to (their socket channels, presence audience). */
  async memberRoomIds(userId: string): Promise<string[]> {
    const memberships = await this.memberships
      .find({ user: new Types.ObjectId(userId) }, { room: 1, _id: 0 })
      .lean<Pick<MembershipRecord, 'room'>[]>()
      .exec();
    return memberships.map((membership) => membership.room);
  }

  async access(roomId: string, userId: string): Promise<RoomAccess> {
    const user = new Types.ObjectId(userId);
    const [room, membership, ban] = await Promise.all([
      this.rooms.findById(roomId).lean<RoomRecord>().exec(),
      this.memberships.findOne({ room: roomId, user }).lean<MembershipRecord>().exec(),
      this.bans.exists({ room: roomId, user }).exec(),
    ]);
    if (!room) throw roomNotFound(roomId);
    return { room, membership: membership ?? undefined, banned: ban !== null };
  }

  /** Reading a room and its history (see `readRefusal`). */
  async accessToRead(roomId: string, user: AuthUser): Promise<RoomAccess> {
    const access = await this.access(roomId, user.id);
    const refusal = readRefusal(roomId, access);
    if (refusal) throw refusal;
    return access;
  }

  /**
   * `accessToRead` for many rooms in three queries (rooms, the user's memberships, the user's bans):
   * per room either its access or the error `accessToRead` would have thrown.
   */
  async accessToReadMany(
    roomIds: string[],
    user: AuthUser,
  ): Promise<Map<string, RoomAccess | AppException>> {
    const userId = new Types.ObjectId(user.id);
    const ids = trusted({ $in: roomIds });
    const [rooms, memberships, bans] = await Promise.all([
      this.rooms.find({ _id: ids }).lean<RoomRecord[]>().exec(),
      this.memberships.find({ user: userId, room: ids }).lean<MembershipRecord[]>().exec(),
      this.bans.find({ user: userId, room: ids }, { room: 1 }).lean<RoomBanRecord[]>().exec(),
    ]);
    const roomById = new Map(rooms.map((room) => [room._id, room]));
    const membershipByRoom = new Map(memberships.map((m) => [m.room, m]));
    const banned = new Set(bans.map((ban) => ban.room));
    return new Map(
      roomIds.map((roomId): [string, RoomAccess | AppException] => {
        const room = roomById.get(roomId);
        if (!room) return [roomId, roomNotFound(roomId)];
        const access = {
          room,
          membership: membershipByRoom.get(roomId),
          banned: banned.has(roomId),
        };
        return [roomId, readRefusal(roomId, access) ?? access];
      }),
    );
  }

  async accessAsMember(roomId: string, user: AuthUser): Promise<RoomAccess & { role: RoomRole }> {
    const access = await this.access(roomId, user.id);
    if (!access.membership) throw access.banned ? bannedFrom(roomId) : notAMember(roomId);
    return { ...access, role: access.membership.role };
  }

  async accessAsModerator(
    roomId: string,
    user: AuthUser,
  ): Promise<RoomAccess & { role: RoomRole }> {
    const access = await this.accessAsMember(roomId, user);
    if (!isModerator(access.role)) {
      throw new AppException('forbidden', 'Only owners and moderators may do that');
    }
    return access;
  }

  async accessAsOwner(roomId: string, user: AuthUser): Promise<RoomAccess & { role: RoomRole }> {
    const access = await this.accessAsMember(roomId, user);
    if (access.role !== 'owner') throw new AppException('forbidden', 'Only owners may do that');
    return access;
  }

  async get(user: AuthUser, roomId: string): Promise<RoomViewDto> {
    const { room, membership } = await this.accessToRead(roomId, user);
    return this.view(user.id, room, membership);
  }

  /**
   * `join_room`: a member (re)joins; anyone not banned becomes a member of a public room. Private
   * and direct rooms are joined through invites and `POST /api/dms` only.
   */
  async join(user: AuthUser, roomId: string): Promise<RoomViewDto> {
    const access = await this.accessToRead(roomId, user);
    if (access.membership) return this.view(user.id, access.room, access.membership);
    const membership = await this.addMember(access.room, user, 'member', { announce: true });
    return this.view(user.id, access.room, membership);
  }

  /**
   * Idempotent; publishes `member` only when the membership is new (`announce`: with a "joined"
   * notice to the room). A new member's read cursor starts at the room's `lastSeq` as read with
   * `room`: joining a room with a long history does not make all of it unread.
   */
  async addMember(
    room: RoomRecord,
    user: AuthUser,
    role: RoomRole,
    { announce = false }: { announce?: boolean } = {},
  ): Promise<MembershipRecord> {
    const roomId = room._id;
    const userId = new Types.ObjectId(user.id);
    try {
      const created = await this.memberships.create({
        room: roomId,
        user: userId,
        username: user.username,
        displayName: user.displayName,
        role,
        joinedAt: new Date(),
        readSeq: room.lastSeq,
      });
      const record = created.toObject<MembershipRecord>();
      // The new member's DTO must see the room's size with them in it (the `member` event below
      // comes too late for that).
      this.seenBy.delete(roomId);
      const [member] = await this.memberDtos(room, [record]);
      this.events.publish({ type: 'member', room: roomId, userId: user.id, member });
      if (announce) {
        this.events.publish({
          type: 'notice',
          room: roomId,
          user: { id: user.id, username: user.username, displayName: user.displayName },
          kind: 'join',
        });
      }
      return record;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const existing = await this.memberships
        .findOne({ room: roomId, user: userId })
        .lean<MembershipRecord>()
        .exec();
      if (!existing) throw error;
      return existing;
    }
  }

  /** Sending: the membership is checked on every message, not only when the socket joined. */
  async assertMember(roomId: string, user: AuthUser): Promise<void> {
    await this.accessAsMember(roomId, user);
  }

  async update(user: AuthUser, roomId: string, input: UpdateRoomDto): Promise<RoomDto> {
    const { room } = await this.accessAsModerator(roomId, user);
    assertModeratedKind(kindOf(room));
    const set: Partial<Pick<Room, 'name' | 'topic' | 'editWindowSeconds'>> = {};
    const unset: Partial<Record<'topic' | 'editWindowSeconds', 1>> = {};
    if (input.name !== undefined) set.name = input.name;
    if (input.topic !== undefined) {
      if (input.topic === '') unset.topic = 1;
      else set.topic = input.topic;
    }
    if (input.editWindowSeconds !== undefined) {
      if (input.editWindowSeconds === null) unset.editWindowSeconds = 1;
      else set.editWindowSeconds = input.editWindowSeconds;
    }
    const updated = await this.rooms
      .findOneAndUpdate({ _id: roomId }, { $set: set, $unset: unset }, { returnDocument: 'after' })
      .lean<RoomRecord>()
      .exec();
    if (!updated) throw roomNotFound(roomId);
    const dto = toRoomDto(updated);
    this.events.publish({ type: 'updated', room: dto });
    return dto;
  }

  /** Owners only. Members are told (`room_removed`, reason `deleted`) and their sockets leave. */
  async remove(user: AuthUser, roomId: string): Promise<void> {
    const { room } = await this.accessAsOwner(roomId, user);
    assertModeratedKind(kindOf(room));
    const members = await this.memberships.find({ room: roomId }).lean<MembershipRecord[]>().exec();
    await this.rooms.deleteOne({ _id: roomId }).exec();
    await Promise.all([
      this.memberships.deleteMany({ room: roomId }).exec(),
      this.bans.deleteMany({ room: roomId }).exec(),
      this.invites.deleteMany({ room: roomId }).exec(),
    ]);
    this.events.publish({
      type: 'deleted',
      room: roomId,
      userIds: members.map((member) => member.user.toHexString()),
    });
  }

  /**
   * Takes one owner off the room's `ownerCount`, only while it is above 1: one conditional update,
   * so of two owners demoting each other (or leaving) at once exactly one gets through and the
   * other gets `last_owner`. The caller then changes the membership, and gives the slot back with
   * `ownerAdded` if that fails, so the count never exceeds the owners there really are.
   */
  async reserveOwnerRemoval(roomId: string): Promise<void> {
    // Trusted: a literal operator; `roomId` was validated and the room read by the access check.
    const updated = await this.rooms
      .findOneAndUpdate(
        { _id: roomId, ownerCount: trusted({ $gt: 1 }) },
        { $inc: { ownerCount: -1 } },
        { projection: { _id: 1 } },
      )
      .lean<Pick<RoomRecord, '_id'>>()
      .exec();
    if (!updated) throw new AppException('last_owner', 'Make someone else an owner first');
  }

  /** After a membership became `owner`, or to give back a `reserveOwnerRemoval` that was unused. */
  async ownerAdded(roomId: string): Promise<void> {
    await this.rooms.updateOne({ _id: roomId }, { $inc: { ownerCount: 1 } }).exec();
  }

  /**
   * Records a stored message on its room: `lastSeq` (what unread counts and the room list read),
   * `lastActivityAt` and the `lastMessage` preview, in one write. The filter keeps the summary
   * monotonic whatever order concurrent writes land in: a message older than the summary changes
   * nothing. (`$lte`, not `$lt`: rooms from before gap-free seqs may have a `lastSeq` that was
   * allocated but never stored, and the message that finally takes it still needs its preview.)
   */
  /**
   * The room's preview after its newest message was edited or deleted (`content` '' for a
   * tombstone), so a deleted text does not live on in room lists. Only while that message is
   * still the newest.
   */
  async refreshLastMessage(id: string, seq: number, content: string): Promise<void> {
    await this.rooms
      .updateOne(
        { _id: id, 'lastMessage.seq': seq },
        { $set: { 'lastMessage.excerpt': excerptOf(content) } },
      )
      .exec();
  }

  /**
   * The room summaries (`lastSeq`, activity time, preview) of several rooms in one round trip,
   * each only moving forward. Through the driver's collection: the values are this server's own
   * (room ids it stored, seqs it assigned), so Mongoose has nothing to cast or sanitise.
   */
  async recordMessages(
    messages: ReadonlyMap<string, Pick<MessageDto, 'seq' | 'sender' | 'content' | 'createdAt'>>,
  ): Promise<void> {
    if (messages.size === 0) return;
    // A summary the next message rewrites: it need not wait for the journal.
    const collection = this.rooms.db.db?.collection<RoomRecord>(this.rooms.collection.name);
    if (!collection) throw new Error('The database connection is not open');
    await collection.bulkWrite(
      [...messages].map(([id, message]) => {
        const createdAt = new Date(message.createdAt);
        const lastMessage: RoomLastMessage = {
          seq: message.seq,
          sender: new Types.ObjectId(message.sender.id),
          senderUsername: message.sender.username,
          senderDisplayName: message.sender.displayName,
          excerpt: excerptOf(message.content),
          createdAt,
        };
        return {
          updateOne: {
            filter: { _id: id, lastSeq: { $lte: message.seq } },
            update: { $set: { lastSeq: message.seq, lastActivityAt: createdAt, lastMessage } },
          },
        };
      }),
      { ordered: false, writeConcern: { w: 1, journal: false } },
    );
  }
}

/** "Seen by" exists in direct rooms and in rooms of at most `SEEN_BY_MAX_MEMBERS` members. */
export function seenByAppliesTo(kind: RoomKind, memberCount: number): boolean {
  return kind === 'direct' || memberCount <= SEEN_BY_MAX_MEMBERS;
}

/** The start of a message for previews, cut between characters (never inside a surrogate pair). */
export function excerptOf(content: string): string {
  const characters = Array.from(content);
  return characters.length <= MESSAGE_PREVIEW_MAX_LENGTH
    ? content
    : characters.slice(0, MESSAGE_PREVIEW_MAX_LENGTH).join('');
}

/**
 * Who may read a room and its history. Public rooms: anyone signed in and not banned, because
 * anyone could become a member by joining, so a membership gate would protect nothing. Private
 * and direct rooms: members only.
 */
function readRefusal(roomId: string, access: RoomAccess): AppException | undefined {
  if (access.banned) return bannedFrom(roomId);
  if (!access.membership && kindOf(access.room) !== 'public') return notAMember(roomId);
  return undefined;
}

export function roomNotFound(id: string): AppException {
  return new AppException('room_not_found', `No room with id "${id}"`);
}

export function notAMember(id: string): AppException {
  return new AppException('not_a_member', `Only members of room "${id}" may do that`);
}

export function bannedFrom(id: string): AppException {
  return new AppException('banned', `You are banned from room "${id}"`);
}
