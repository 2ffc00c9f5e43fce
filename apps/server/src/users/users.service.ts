import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { UserDto } from '@parley/contracts';
import { isValidObjectId, type Model } from 'mongoose';
import { AppException } from '../common/errors/app-exception';
import { isDuplicateKeyError } from '../database/mongo-errors';
import { toUserDto } from './user.mapper';
import { User, type UserRecord } from './user.schema';

@Injectable()
export class UsersService implements OnModuleInit {
  constructor(@InjectModel(User.name) private readonly users: Model<User>) {}

  /** The unique index must exist before the first sign-in, or two people could share a handle. */
  async onModuleInit(): Promise<void> {
    await this.users.init();
  }

  async create(username: string, displayName: string): Promise<UserDto> {
    try {
      const created = await this.users.create({ username, displayName });
      return toUserDto(created.toObject<UserRecord>());
    } catch (error) {
      if (isDuplicateKeyError(error)) {
        throw new AppException('username_taken', `The username "${username}" is already taken`);
      }
      throw error;
    }
  }

  async getById(id: string): Promise<UserDto> {
    const record = isValidObjectId(id)
      ? await this.users.findById(id).lean<UserRecord>().exec()
      : null;
    if (!record) throw new AppException('user_not_found', 'No such user');
    return toUserDto(record);
  }

  async getByUsername(username: string): Promise<UserDto> {
    const record = await this.users
      .findOne({ username: username.toLowerCase() })
      .lean<UserRecord>()
      .exec();
    if (!record) throw new AppException('user_not_found', `No user named "${username}"`);
    return toUserDto(record);
  }
}
