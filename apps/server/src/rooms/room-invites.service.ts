import { randomInt } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { CreateInviteDto, InviteDto, RoomViewDto } from '@parley/contracts';
import { Types, type Model } from 'mongoose';
import type { AuthUser } from '../common/auth/auth-user';
import { AppException } from '../common/errors/app-exception';
import { Invite, type InviteRecord } from './invite.schema';
import { RoomEvents } from './room-events';
import { toInviteDto } from './room.mapper';
import { kindOf } from './room.schema';
import { bannedFrom, RoomsService } from './rooms.service';

const CODE_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';
const CODE_LENGTH = 16;

/** Invites to private rooms: created and revoked by owners and moderators, accepted by anyone. */
@Injectable()
export class RoomInvitesService {
  constructor(
    @InjectModel(Invite.name) private readonly invites: Model<Invite>,
    private readonly rooms: RoomsService,
    private readonly events: RoomEvents,
  ) {}

  async create(user: AuthUser, roomId: string, input: CreateInviteDto): Promise<InviteDto> {
    const { room } = await this.rooms.accessAsModerator(roomId, user);
    if (kindOf(room) !== 'private') {
      throw new AppException('forbidden', 'Only private rooms use invites; share the room link');
    }
    const createdAt = new Date();
    const created = await this.invites.create({
      _id: generateInviteCode(),
      room: roomId,
      createdBy: new Types.ObjectId(user.id),
      createdAt,
      expiresAt:
        input.expiresInSeconds === undefined
          ? null
          : new Date(createdAt.getTime() + input.expiresInSeconds * 1000),
    });
    return toInviteDto(created.toObject<InviteRecord>());
  }

  async list(user: AuthUser, roomId: string): Promise<InviteDto[]> {
    await this.rooms.accessAsModerator(roomId, user);
    const records = await this.invites
      .find({ room: roomId })
      .sort({ createdAt: -1 })
      .lean<InviteRecord[]>()
      .exec();
    return records.map(toInviteDto);
  }

  async revoke(user: AuthUser, roomId: string, code: string): Promise<void> {
    await this.rooms.accessAsModerator(roomId, user);
    const result = await this.invites.deleteOne({ _id: code, room: roomId }).exec();
    if (result.deletedCount === 0) throw inviteInvalid();
  }

  /** Makes the caller a member; accepting again is harmless. Banned users stay out. */
  async accept(user: AuthUser, code: string): Promise<RoomViewDto> {
    const invite = await this.invites.findById(code).lean<InviteRecord>().exec();
    if (!invite || (invite.expiresAt && invite.expiresAt.getTime() <= Date.now())) {
      throw inviteInvalid();
    }
    const access = await this.rooms.access(invite.room, user.id).catch((error: unknown) => {
      // The room was deleted after the invite was made (deletion also removes its invites).
      throw error instanceof AppException && error.code === 'room_not_found'
        ? inviteInvalid()
        : error;
    });
    if (access.banned) throw bannedFrom(invite.room);
    if (access.membership) return this.rooms.view(user.id, access.room, access.membership);
    const membership = await this.rooms.addMember(access.room, user, 'member', { announce: true });
    const view = await this.rooms.view(user.id, access.room, membership);
    this.events.publish({ type: 'added', userId: user.id, room: view });
    return view;
  }
}

function generateInviteCode(): string {
  let code = '';
  for (let index = 0; index < CODE_LENGTH; index += 1) {
    code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  }
  return code;
}

function inviteInvalid(): AppException {
  return new AppException('invite_invalid', 'This invite is unknown, revoked or expired');
}
