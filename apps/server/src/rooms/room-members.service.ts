import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { RoomBanDto, RoomMemberDto, RoomRole } from '@parley/contracts';
import { Types, type Model } from 'mongoose';
import type { AuthUser } from '../common/auth/auth-user';
import { AppException } from '../common/errors/app-exception';
import { isDuplicateKeyError } from '../database/mongo-errors';
import { UsersService } from '../users/users.service';
import { Membership, type MembershipRecord } from './membership.schema';
import { RoomBan, type RoomBanRecord } from './room-ban.schema';
import { RoomEvents } from './room-events';
import { assertModeratedKind, outranks } from './room-roles';
import { toRoomBanDto } from './room.mapper';
import { kindOf } from './room.schema';
import { notAMember, RoomsService } from './rooms.service';

/** Membership changes: roles, kick, ban, unban, leave. Permission checks come first, always. */
@Injectable()
export class RoomMembersService {
  constructor(
    @InjectModel(Membership.name) private readonly memberships: Model<Membership>,
    @InjectModel(RoomBan.name) private readonly bans: Model<RoomBan>,
    private readonly rooms: RoomsService,
    private readonly users: UsersService,
    private readonly events: RoomEvents,
  ) {}

  /** With presence, and read cursors where "seen by" applies (see `RoomsService.memberDtos`). */
  async list(user: AuthUser, roomId: string): Promise<RoomMemberDto[]> {
    const { room } = await this.rooms.accessAsMember(roomId, user);
    const records = await this.memberships
      .find({ room: roomId })
      .sort({ joinedAt: 1, _id: 1 })
      .lean<MembershipRecord[]>()
      .exec();
    return this.rooms.memberDtos(room, records, records.length);
  }

  /** Owners only. The room always keeps at least one owner. */
  async setRole(
    user: AuthUser,
    roomId: string,
    targetId: string,
    role: RoomRole,
  ): Promise<RoomMemberDto> {
    const { room } = await this.rooms.accessAsOwner(roomId, user);
    assertModeratedKind(kindOf(room));
    const updated = await this.changeRole(roomId, targetId, role);
    const [member] = await this.rooms.memberDtos(room, [updated]);
    this.events.publish({ type: 'member', room: roomId, userId: targetId, member });
    return member;
  }

  /**
   * Every write is guarded by the role it was decided on, so a concurrent change to the same
   * membership makes it miss (and look again) instead of overwriting it; crossing the owner
   * boundary goes through the room's `ownerCount` (see `RoomsService.reserveOwnerRemoval`).
   */
  private async changeRole(
    roomId: string,
    targetId: string,
    role: RoomRole,
  ): Promise<MembershipRecord> {
    for (let attempt = 1; ; attempt += 1) {
      const target = await this.findMember(roomId, targetId);
      const losesOwner = target.role === 'owner' && role !== 'owner';
      if (losesOwner) await this.rooms.reserveOwnerRemoval(roomId);
      const updated = await this.memberships
        .findOneAndUpdate(
          { _id: target._id, role: target.role },
          { $set: { role } },
          { returnDocument: 'after' },
        )
        .lean<MembershipRecord>()
        .exec();
      if (updated) {
        if (target.role !== 'owner' && role === 'owner') await this.rooms.ownerAdded(roomId);
        return updated;
      }
      if (losesOwner) await this.rooms.ownerAdded(roomId);
      if (attempt >= WRITE_ATTEMPTS) throw membershipContended(targetId);
    }
  }

  async kick(user: AuthUser, roomId: string, targetId: string): Promise<void> {
    const { room, role } = await this.rooms.accessAsModerator(roomId, user);
    assertModeratedKind(kindOf(room));
    const removed = await this.removeOutranked(roomId, targetId, role);
    if (!removed) throw memberNotFound(targetId);
    this.publishRemoved(roomId, targetId, 'kicked');
  }

  /** Bans a member (removing them) or anyone else by id; idempotent. */
  async ban(user: AuthUser, roomId: string, targetId: string): Promise<RoomBanDto> {
    const { room, role } = await this.rooms.accessAsModerator(roomId, user);
    assertModeratedKind(kindOf(room));
    if (targetId === user.id) throw new AppException('forbidden', 'You cannot ban yourself');
    const target = await this.memberships
      .findOne({ room: roomId, user: new Types.ObjectId(targetId) })
      .lean<MembershipRecord>()
      .exec();
    if (target) assertOutranks(role, target.role);
    const profile = target
      ? { username: target.username, displayName: target.displayName }
      : await this.users.getById(targetId);
    let record: RoomBanRecord;
    let created = false;
    try {
      const inserted = await this.bans.create({
        room: roomId,
        user: new Types.ObjectId(targetId),
        username: profile.username,
        displayName: profile.displayName,
        bannedBy: new Types.ObjectId(user.id),
        createdAt: new Date(),
      });
      record = inserted.toObject<RoomBanRecord>();
      created = true;
    } catch (error) {
      const existing = isDuplicateKeyError(error)
        ? await this.bans
            .findOne({ room: roomId, user: new Types.ObjectId(targetId) })
            .lean<RoomBanRecord>()
            .exec()
        : null;
      if (!existing) throw error;
      record = existing;
    }
    // The ban stands before the membership goes, so the user cannot rejoin in between.
    const removed = await this.removeOutranked(roomId, targetId, role).catch(
      async (error: unknown) => {
        // Promoted past the banner meanwhile: the ban this call made goes too.
        if (created) await this.bans.deleteOne({ _id: record._id }).exec();
        throw error;
      },
    );
    if (removed) this.publishRemoved(roomId, targetId, 'banned');
    return toRoomBanDto(record);
  }

  async unban(user: AuthUser, roomId: string, targetId: string): Promise<void> {
    const { room } = await this.rooms.accessAsModerator(roomId, user);
    assertModeratedKind(kindOf(room));
    const result = await this.bans
      .deleteOne({ room: roomId, user: new Types.ObjectId(targetId) })
      .exec();
    if (result.deletedCount === 0) throw new AppException('not_found', 'That user is not banned');
  }

  async listBans(user: AuthUser, roomId: string): Promise<RoomBanDto[]> {
    await this.rooms.accessAsModerator(roomId, user);
    const records = await this.bans
      .find({ room: roomId })
      .sort({ createdAt: 1, _id: 1 })
      .lean<RoomBanRecord[]>()
      .exec();
    return records.map(toRoomBanDto);
  }

  /** The last owner must hand over ownership first; a direct conversation cannot be left. */
  async leave(user: AuthUser, roomId: string): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      const { room, membership, role } = await this.rooms.accessAsMember(roomId, user);
      if (!membership) throw notAMember(roomId);
      if (kindOf(room) === 'direct') {
        throw new AppException('forbidden', 'A direct conversation cannot be left');
      }
      if (role === 'owner') await this.rooms.reserveOwnerRemoval(roomId);
      const result = await this.memberships.deleteOne({ _id: membership._id, role }).exec();
      if (result.deletedCount > 0) break;
      // Their role changed meanwhile: give the owner slot back and decide again.
      if (role === 'owner') await this.rooms.ownerAdded(roomId);
      if (attempt >= WRITE_ATTEMPTS) throw membershipContended(user.id);
    }
    this.publishRemoved(roomId, user.id, 'left');
    this.events.publish({
      type: 'notice',
      room: roomId,
      user: { id: user.id, username: user.username, displayName: user.displayName },
      kind: 'leave',
    });
  }

  /**
   * Deletes `targetId`'s membership if `actorRole` outranks it, guarded by the role that was
   * checked: a concurrent promotion makes the delete miss and the check run again. Owners are
   * never outranked, so this never removes one (and never touches `ownerCount`). `false` when
   * there was no membership.
   */
  private async removeOutranked(
    roomId: string,
    targetId: string,
    actorRole: RoomRole,
  ): Promise<boolean> {
    for (let attempt = 1; ; attempt += 1) {
      const target = await this.memberships
        .findOne({ room: roomId, user: new Types.ObjectId(targetId) })
        .lean<MembershipRecord>()
        .exec();
      if (!target) return false;
      assertOutranks(actorRole, target.role);
      const result = await this.memberships
        .deleteOne({ _id: target._id, role: target.role })
        .exec();
      if (result.deletedCount > 0) return true;
      if (attempt >= WRITE_ATTEMPTS) throw membershipContended(targetId);
    }
  }

  private publishRemoved(roomId: string, userId: string, reason: 'kicked' | 'banned' | 'left') {
    this.events.publish({ type: 'removed', room: roomId, userIds: [userId], reason });
    this.events.publish({ type: 'member', room: roomId, userId });
  }

  private async findMember(roomId: string, targetId: string): Promise<MembershipRecord> {
    const target = await this.memberships
      .findOne({ room: roomId, user: new Types.ObjectId(targetId) })
      .lean<MembershipRecord>()
      .exec();
    if (!target) throw memberNotFound(targetId);
    return target;
  }
}

function assertOutranks(actor: RoomRole, target: RoomRole): void {
  if (!outranks(actor, target)) {
    throw new AppException('forbidden', `A ${actor} cannot remove a ${target}`);
  }
}

/** Each retry means someone else changed that membership in between; this many is implausible. */
const WRITE_ATTEMPTS = 5;

function membershipContended(userId: string): Error {
  return new Error(`Membership of user ${userId} kept changing; gave up after ${WRITE_ATTEMPTS}`);
}

function memberNotFound(userId: string): AppException {
  return new AppException('member_not_found', `User "${userId}" is not a member of this room`);
}
