import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { CreateRoomDto, RoomDto } from '@parley/contracts';
import { Types, type Model } from 'mongoose';
import { AppException } from '../common/errors/app-exception';
import type { AuthUser } from '../common/auth/auth-user';
import { isDuplicateKeyError } from '../database/mongo-errors';
import { generateRoomId } from './room-id';
import { toRoomDto } from './room.mapper';
import { Room, type RoomRecord } from './room.schema';

/** The room list is a lobby, not a search: the most recently active rooms are enough. */
export const ROOM_LIST_LIMIT = 100;
const ID_ATTEMPTS = 5;

@Injectable()
export class RoomsService implements OnModuleInit {
  constructor(@InjectModel(Room.name) private readonly rooms: Model<Room>) {}

  async onModuleInit(): Promise<void> {
    await this.rooms.init();
  }

  async create(creator: AuthUser, input: CreateRoomDto): Promise<RoomDto> {
    for (let attempt = 1; ; attempt += 1) {
      const now = new Date();
      try {
        const created = await this.rooms.create({
          _id: generateRoomId(),
          name: input.name,
          createdBy: new Types.ObjectId(creator.id),
          lastSeq: 0,
          lastActivityAt: now,
        });
        return toRoomDto(created.toObject<RoomRecord>());
      } catch (error) {
        // A collision in 36^10 ids is rare enough that a few fresh draws always resolve it.
        if (!isDuplicateKeyError(error) || attempt >= ID_ATTEMPTS) throw error;
      }
    }
  }

  async list(): Promise<RoomDto[]> {
    const records = await this.rooms
      .find()
      .sort({ lastActivityAt: -1, _id: 1 })
      .limit(ROOM_LIST_LIMIT)
      .lean<RoomRecord[]>()
      .exec();
    return records.map(toRoomDto);
  }

  async get(id: string): Promise<RoomDto> {
    const record = await this.rooms.findById(id).lean<RoomRecord>().exec();
    if (!record) throw roomNotFound(id);
    return toRoomDto(record);
  }

  /**
   * Reserves the next message number. The single-document `$inc` is atomic, so concurrent senders
   * (on any number of server processes) never share a `seq`.
   */
  async allocateSeq(id: string, at: Date): Promise<number> {
    const updated = await this.rooms
      .findOneAndUpdate(
        { _id: id },
        { $inc: { lastSeq: 1 }, $set: { lastActivityAt: at } },
        { returnDocument: 'after' },
      )
      .lean<RoomRecord>()
      .exec();
    if (!updated) throw roomNotFound(id);
    return updated.lastSeq;
  }
}

function roomNotFound(id: string): AppException {
  return new AppException('room_not_found', `No room with id "${id}"`);
}
