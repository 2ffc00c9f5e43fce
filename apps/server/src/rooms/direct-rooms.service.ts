import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { ROOM_NAME_MAX_LENGTH, type RoomViewDto } from '@parley/contracts';
import { Types, type Model } from 'mongoose';
import type { AuthUser } from '../common/auth/auth-user';
import { AppException } from '../common/errors/app-exception';
import { isDuplicateKeyError } from '../database/mongo-errors';
import { UsersService } from '../users/users.service';
import { Membership, type MembershipRecord } from './membership.schema';
import { RoomEvents } from './room-events';
import { Room, type RoomRecord } from './room.schema';
import { RoomsService } from './rooms.service';

/** One direct room per pair of users, found by the sorted pair key (a unique index). */
@Injectable()
export class DirectRoomsService {
  constructor(
    @InjectModel(Room.name) private readonly roomModel: Model<Room>,
    @InjectModel(Membership.name) private readonly memberships: Model<Membership>,
    private readonly rooms: RoomsService,
    private readonly users: UsersService,
    private readonly events: RoomEvents,
  ) {}

  /** Returns the existing conversation with `username`, or starts one. */
  async open(user: AuthUser, username: string): Promise<RoomViewDto> {
    const peer = await this.users.getByUsername(username);
    if (peer.id === user.id) {
      throw new AppException('validation_failed', 'You cannot message yourself', {
        issues: [{ field: 'username', messages: ['username must be someone else'] }],
      });
    }
    const directKey = [user.id, peer.id].sort().join(':');
    const existing = await this.findByKey(directKey);
    if (existing) return this.viewOfExisting(user, existing);
    let room: RoomRecord;
    try {
      room = await this.rooms.insertRoom(user, {
        name: `${user.displayName} & ${peer.displayName}`.slice(0, ROOM_NAME_MAX_LENGTH),
        kind: 'direct',
        directKey,
      });
    } catch (error) {
      // Both people opened the conversation at once; the other request created it.
      const winner = isDuplicateKeyError(error) ? await this.findByKey(directKey) : undefined;
      if (!winner) throw error;
      return this.viewOfExisting(user, winner);
    }
    const mine = await this.rooms.addMember(room, user, 'member');
    const theirs = await this.rooms.addMember(room, peer, 'member');
    this.events.publish({
      type: 'added',
      userId: peer.id,
      room: await this.rooms.view(peer.id, room, theirs),
    });
    return this.rooms.view(user.id, room, mine);
  }

  /**
   * The caller's membership of an existing conversation. It is missing only while the request
   * that created the room is still adding its members; the view then shows the defaults.
   */
  private async viewOfExisting(user: AuthUser, room: RoomRecord): Promise<RoomViewDto> {
    const membership = await this.memberships
      .findOne({ room: room._id, user: new Types.ObjectId(user.id) })
      .lean<MembershipRecord>()
      .exec();
    return this.rooms.view(user.id, room, membership ?? { role: 'member' });
  }

  private async findByKey(directKey: string): Promise<RoomRecord | undefined> {
    const record = await this.roomModel.findOne({ directKey }).lean<RoomRecord>().exec();
    return record ?? undefined;
  }
}
