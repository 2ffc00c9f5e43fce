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
import { toRoomBanDto, toRoomMemberDto } from './room.mapper';
import { kindOf } from './room.schema';
import { RoomsService } from './rooms.service';

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

  async list(user: AuthUser, roomId: string): Promise<RoomMemberDto[]> {
    await this.rooms.accessAsMember(roomId, user);
    const records = await this.memberships
      .find({ room: roomId })
      .sort({ joinedAt: 1, _id: 1 })
      .lean<MembershipRecord[]>()
      .exec();
    return records.map(toRoomMemberDto);
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
    const target = await this.findMember(roomId, targetId);
    if (target.role === 'owner' && role !== 'owner') await this.assertAnotherOwner(roomId);
    const updated = await this.memberships
      .findOneAndUpdate({ _id: target._id }, { $set: { role } }, { returnDocument: 'after' })
      .lean<MembershipRecord>()
      .exec();
    if (!updated) throw memberNotFound(targetId);
    const member = toRoomMemberDto(updated);
    this.events.publish({ type: 'member', room: roomId, userId: targetId, member });
    return member;
  }

  async kick(user: AuthUser, roomId: string, targetId: string): Promise<void> {
    const { room, role } = await this.rooms.accessAsModerator(roomId, user);
    assertModeratedKind(kindOf(room));
    const target = await this.findMember(roomId, targetId);
    assertOutranks(role, target.role);
    await this.memberships.deleteOne({ _id: target._id }).exec();
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
    try {
      const created = await this.bans.create({
        room: roomId,
        user: new Types.ObjectId(targetId),
        username: profile.username,
        displayName: profile.displayName,
        bannedBy: new Types.ObjectId(user.id),
        createdAt: new Date(),
      });
      record = created.toObject<RoomBanRecord>();
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
    if (target) {
      await this.memberships.deleteOne({ _id: target._id }).exec();
      this.publishRemoved(roomId, targetId, 'banned');
    }
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
    const { room, membership, role } = await this.rooms.accessAsMember(roomId, user);
    if (kindOf(room) === 'direct') {
      throw new AppException('forbidden', 'A direct conversation cannot be left');
    }
    if (role === 'owner') await this.assertAnotherOwner(roomId);
    await this.memberships.deleteOne({ _id: membership?._id }).exec();
    this.publishRemoved(roomId, user.id, 'left');
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

  private async assertAnotherOwner(roomId: string): Promise<void> {
    const owners = await this.memberships.countDocuments({ room: roomId, role: 'owner' }).exec();
    if (owners <= 1) {
      throw new AppException('last_owner', 'Make someone else an owner first');
    }
  }
}

function assertOutranks(actor: RoomRole, target: RoomRole): void {
  if (!outranks(actor, target)) {
    throw new AppException('forbidden', `A ${actor} cannot remove a ${target}`);
  }
}

function memberNotFound(userId: string): AppException {
  return new AppException('member_not_found', `User "${userId}" is not a member of this room`);
}
