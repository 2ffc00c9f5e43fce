import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { UserDto } from '@parley/contracts';
import { isValidObjectId, trusted, type Model } from 'mongoose';
import { AppException } from '../common/errors/app-exception';
import { isDuplicateKeyError } from '../database/mongo-errors';
import { toUserDto } from './user.mapper';
import { User, type UserRecord } from './user.schema';

/** What the login check needs; the hash stays inside the server. */
export interface UserCredentials {
  user: UserDto;
  passwordHash: string | undefined;
}

@Injectable()
export class UsersService implements OnModuleInit {
  constructor(@InjectModel(User.name) private readonly users: Model<User>) {}

  /** The unique index must exist before the first sign-in, or two people could share a handle. */
  async onModuleInit(): Promise<void> {
    await this.users.init();
  }

  /** A guest when `passwordHash` is undefined. */
  async create(username: string, displayName: string, passwordHash?: string): Promise<UserDto> {
    try {
      const created = await this.users.create(
        passwordHash === undefined
          ? { username, displayName }
          : { username, displayName, passwordHash },
      );
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

  /** `null` for an unknown username; `username` is a validated string, never an operator object. */
  async findCredentials(username: string): Promise<UserCredentials | null> {
    const record = await this.users
      .findOne({ username: String(username).toLowerCase() })
      .lean<UserRecord>()
      .exec();
    return record ? { user: toUserDto(record), passwordHash: record.passwordHash } : null;
  }

  /**
   * Sets the password of a guest. The filter makes it atomic: of two concurrent claims one wins,
   * and an account that already has a password is never overwritten.
   */
  async setPasswordIfGuest(id: string, passwordHash: string): Promise<UserDto> {
    const record = isValidObjectId(id)
      ? await this.users
          .findOneAndUpdate(
            // Trusted: a literal built here; `id` is checked to be an ObjectId above.
            { _id: id, passwordHash: trusted({ $exists: false }) },
            { $set: { passwordHash } },
            { returnDocument: 'after' },
          )
          .lean<UserRecord>()
          .exec()
      : null;
    if (record) return toUserDto(record);
    await this.getById(id); // user_not_found when the account is gone
    throw new AppException('already_registered', 'This account already has a password');
  }
}
